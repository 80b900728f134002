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
