#!/bin/bash
# Two modems, one daemon: the real parleyd with two lines, each on its own
# tools/modemsim (sim800). Checks that messages spread over both lines, that
# a reply to a customer leaves from the line the customer wrote to (sticky
# line), that --line forces a line, and that with line 1 unplugged line 2
# keeps sending while a message tied to line 1 waits for it, then goes out
# through it once it is back. Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
PARLEY=${PARLEY:-build/parley}
PARLEYD=${PARLEYD:-build/parleyd}
MODEMSIM=${MODEMSIM:-build/modemsim}
L1=+447700900101
L2=+447700900102
A=+447700900777

need_built "$PARLEY" "$PARLEYD" "$MODEMSIM"

tmp=$(mktemp -d /tmp/parley-lines-XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	stop_sims
	rm -rf "$tmp"
}
trap cleanup EXIT

# ctl N JSON: a command to simulator N
ctl() { "$MODEMSIM" --control "$tmp/sim$1.sock" --send "$2"; }
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }


# got N TEXT: how many of simulator N's received messages have exactly TEXT
got() { ctl "$1" '{"cmd":"sent"}' | grep -o "\"to\":\"[^\"]*\",\"text\":\"$2\"" | wc -l; }
# got_on N TEXT: simulator N received TEXT (and the other did not)
got_on() {
	local other=$((3 - $1))
	[ "$(got "$1" "$2")" -eq 1 ] && [ "$(got "$other" "$2")" -eq 0 ]
}
# sent_count N: how many messages simulator N received
sent_count() { ctl "$1" '{"cmd":"sent"}' | grep -o '"n":[0-9]*' | wc -l; }
id_of() { sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$1"; }
state_is() { p show --json "$1" | grep -q "\"state\":\"$2\""; }

start_sim 1 $L1 --reboot-ms 300
start_sim 2 $L2 --reboot-ms 300

cat >"$tmp/parley.conf" <<EOF
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
queue = { retries = 5; retry_base = 1; };
modems = (
  { name = "one"; device = "$tmp/modem1"; profile = "sim800"; line = "$L1"; rate_per_minute = 600; },
  { name = "two"; device = "$tmp/modem2"; profile = "sim800"; line = "$L2"; rate_per_minute = 600; }
);
EOF

"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
both_ready() { [ "$(p status | grep -c " ready ")" -eq 2 ]; }
check "the daemon brings both modems to ready" wait_for 20 both_ready

# --- spread: new recipients, no line asked, go out through both -------------
# The ten fall due at one moment, when both lines are idle, so each line takes
# the next as it frees up. Due as soon as queued, they could all leave through
# line 1 whenever queueing one takes longer than sending one (as under qemu),
# which would test the CLI's speed, not the spreading. The moment leaves room
# for twenty runs of parley as slow as the one timed here.
t0=$(date +%s%N)
p status >/dev/null
t1=$(date +%s%N)
due=$(((t1 + 1000000000 + 20 * (t1 - t0)) / 1000000000 + 1))
for i in $(seq 1 10); do
	p send --at "$(date -d "@$due" '+%Y-%m-%d %H:%M:%S')" --to "+4477009005$((10 + i))" "spread $i" >/dev/null
done
check "the ten are queued before they fall due" test "$(date +%s)" -lt "$due"
all_spread_out() { [ $(($(sent_count 1) + $(sent_count 2))) -ge 10 ]; }
check "ten messages to new recipients all go out" wait_for 15 all_spread_out
n1=$(sent_count 1) n2=$(sent_count 2)
check "spread over both lines ($n1 via line 1, $n2 via line 2)" test "$n1" -ge 2 -a "$n2" -ge 2
dups=0
for i in $(seq 1 10); do
	[ $(($(got 1 "spread $i") + $(got 2 "spread $i"))) -eq 1 ] || dups=$((dups + 1))
done
check "each exactly once ($dups not)" test "$dups" -eq 0

# --- sticky: customer A writes to line 2; the answer leaves from line 2 -----
ctl 2 "{\"cmd\":\"inject\",\"from\":\"$A\",\"text\":\"Hi, this is A on line two\"}" >/dev/null
inbox_has() { p inbox --json | grep -q "$1"; }
check "A's text arrives on line 2" wait_for 10 inbox_has "\"from\":\"$A\",\"line\":\"$L2\""
for i in 1 2 3; do
	out=$(p send --json --to "$A" "sticky answer $i")
	check "an answer to A without --line queues ($out)" test -n "$(id_of "$out")"
done
for i in 1 2 3; do
	check "sticky answer $i leaves from line 2 only" wait_for 10 got_on 2 "sticky answer $i"
done
out=$(p show --json "$(id_of "$out")")
check "and the store says line 2" has "$out" "\"line\":\"$L2\""

# --- --line forces a line ---------------------------------------------------
out=$(p send --json --to "$A" --line "$L1" "forced through line one")
id=$(id_of "$out")
check "--line $L1 sends to A through line 1" wait_for 10 got_on 1 "forced through line one"
check "and the store says line 1" wait_for 5 eval "p show --json $id | grep -q '\"line\":\"$L1\"'"

# --- line 1 unplugged: line 2 keeps sending, line 1's message waits ----------
ctl 1 '{"cmd":"unplug"}' >/dev/null
line1_down() { ! p status | grep "$L1" | grep -q " ready "; }
check "the daemon sees line 1 go" wait_for 10 line1_down
out=$(p send --json --to "+447700900888" --line "$L1" "waits for line one")
wait_id=$(id_of "$out")
for i in 1 2 3 4 5; do
	p send --to "+4477009006$((10 + i))" "while one is out $i" >/dev/null
done
all_on_2() {
	for i in 1 2 3 4 5; do got_on 2 "while one is out $i" || return 1; done
}
check "with line 1 unplugged, line 2 sends everything" wait_for 15 all_on_2
check "a message for line 1 waits in the queue" state_is "$wait_id" queued
check "and did not leave through line 2" test "$(got 2 "waits for line one")" -eq 0

ctl 1 '{"cmd":"replug"}' >/dev/null
check "after the replug it leaves through line 1" wait_for 20 got_on 1 "waits for line one"
check "and is sent" wait_for 5 state_is "$wait_id" sent

kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
check "SIGTERM stops the daemon cleanly (exit $rc)" test $rc -eq 0

if [ "$failed" -ne 0 ]; then
	echo "--- daemon log (tail)"
	tail -40 "$tmp/daemon.log"
fi
exit $((failed > 0))
