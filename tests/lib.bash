# Shared by the shell tests: TAP-like "ok - ..." / "not ok - ..." lines that
# tests/run-tests counts, and small checks. Source it; it sets failed=0.
failed=0

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; failed=$((failed + 1)); }

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# has HAYSTACK NEEDLE: the needle appears verbatim.
has() { [[ $1 == *"$2"* ]]; }

# wait_for SECONDS COMMAND...: until the command succeeds
wait_for() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}

# need_built BINARY...: stop at once (one failure) when one is not built
need_built() {
	local b
	for b in "$@"; do
		if [ ! -x "$b" ]; then
			fail "$b is built"
			exit 1
		fi
	done
}

# start_sim N NUMBER [MODEMSIM ARGS...]: modemsim number N (sim800) for line
# NUMBER in $tmp (link modemN, control simN.sock, log simN.log), waiting for
# its control socket; its pid goes to sim_pids[N] for stop_sims.
declare -a sim_pids=()
start_sim() {
	local n=$1 number=$2
	shift 2
	"$MODEMSIM" --profile sim800 --link "$tmp/modem$n" --control "$tmp/sim$n.sock" \
		--seed "$n" --log "$tmp/sim$n.log" --number "$number" "$@" \
		>"$tmp/sim$n.out" 2>"$tmp/sim$n.err" &
	sim_pids[$n]=$!
	wait_for 5 test -S "$tmp/sim$n.sock"
}

# stop_sims: stops every simulator start_sim started
stop_sims() {
	local pid
	for pid in "${sim_pids[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	sim_pids=()
}
