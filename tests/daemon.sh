#!/bin/bash
# parleyd end to end: the real daemon and the real `parley` command against
# tools/modemsim on a pseudo-terminal, with a throwaway store. Sends single
# and multi-part texts, receives them, status reports, scheduled sends,
# idempotency keys, retries and permanent failures, config errors, and a
# clean stop. Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
PARLEY=${PARLEY:-build/parley}
PARLEYD=${PARLEYD:-build/parleyd}
MODEMSIM=${MODEMSIM:-build/modemsim}

need_built "$PARLEY" "$PARLEYD" "$MODEMSIM"

tmp=$(mktemp -d /tmp/parley-e2e-XXXXXX)
sim_pid= daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ctl() { "$MODEMSIM" --control "$tmp/sim.sock" --send "$1"; }
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }


"$MODEMSIM" --profile sim800 --link "$tmp/modem" --control "$tmp/sim.sock" \
	--log "$tmp/sim.log" --number +447700900100 >"$tmp/sim.out" 2>"$tmp/sim.err" &
sim_pid=$!
wait_for 5 test -S "$tmp/sim.sock"

cat >"$tmp/parley.conf" <<EOF
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
queue = { retries = 2; retry_base = 1; };
metrics = { file = "$tmp/parley.prom"; interval = 5; };
modems = (
  { name = "sim"; device = "$tmp/modem"; profile = "sim800"; line = "+447700900100";
    rate_per_minute = 600; send_timeout = 5; }
);
EOF

out=$("$PARLEYD" -c "$tmp/parley.conf" --check-config 2>&1)
check "--check-config accepts a good file" test $? -eq 0

printf 'store = "%s/x.db";\nmodems = ( { name = "a"; device = "/dev/null"; line = "12345"; } );\n' "$tmp" >"$tmp/bad.conf"
out=$("$PARLEYD" -c "$tmp/bad.conf" --check-config 2>&1)
rc=$?
check "--check-config refuses a bad line number (exit 1)" test $rc -eq 1
check "the error names file, line and key: $out" has "$out" "bad.conf:2"

"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!

ready() { p status | grep -q " ready "; }
check "the daemon brings the modem to ready" wait_for 20 ready

sent_has() { ctl '{"cmd":"sent"}' | grep -q "$1"; }
state_is() { p show --json "$1" | grep -q "\"state\":\"$2\""; }

out=$(p send --to +447700900123 "Hello from parley")
id=$(sed -n 's/^queued message \([0-9]*\).*/\1/p' <<<"$out")
check "send queues a message ($out)" test -n "$id"
check "the simulated customer receives it" wait_for 10 sent_has "Hello from parley"
check "message $id is sent" wait_for 5 state_is "$id" sent

long="This is a long message that needs more than one segment to reach the customer, because a single SMS holds only 160 characters of the GSM alphabet. It goes out in parts."
out=$(p send --json --to +447700900123 --report "$long")
id2=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
check "a two-part message reaches the customer" wait_for 10 sent_has "It goes out in parts."
check "its status reports mark it delivered" wait_for 10 state_is "$id2" delivered

ctl '{"cmd":"inject","from":"+447700900123","text":"Thanks! See you Tuesday"}' >/dev/null
inbox_has() { p inbox | grep -q "$1"; }
check "a customer's reply lands in the inbox" wait_for 10 inbox_has "See you Tuesday"

ctl "{\"cmd\":\"inject\",\"from\":\"+447700900124\",\"text\":\"$long\",\"segments_order\":[2,1]}" >/dev/null
check "a two-part reply, parts out of order, arrives whole" wait_for 10 inbox_has "This is a long message that needs"
out=$(p inbox --json)
check "and in order" has "$out" "$long"

a=$(p send --json --key order-1042 --to +447700900125 "Your order shipped")
b=$(p send --json --key order-1042 --to +447700900125 "Your order shipped")
check "a repeated idempotency key returns the same message" test "$(sed 's/,"existing".*//' <<<"$a")" = "$(sed 's/,"existing".*//' <<<"$b")"
check "and says so" has "$b" '"existing":true'

out=$(p send --json --at +3 --to +447700900126 "Scheduled hello")
id3=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
sleep 1
check "a scheduled message waits in the queue" state_is "$id3" queued
check "and goes out on time" wait_for 10 state_is "$id3" sent

ctl '{"cmd":"fault","type":"cms_error","code":21,"count":1}' >/dev/null
out=$(p send --json --to +447700900127 "Refused for good")
id4=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
check "a permanent error fails the message" wait_for 10 state_is "$id4" failed
out=$(p show "$id4")
check "with the reason in words" has "$out" "short message transfer rejected"

ctl '{"cmd":"fault","type":"cms_error","code":332,"count":1}' >/dev/null
out=$(p send --json --to +447700900128 "Retried after a timeout")
id5=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
check "a temporary error is retried and then sent" wait_for 15 state_is "$id5" sent

# the answer to +CMGS loses its final OK: after send_timeout the message may
# have gone out (held for a person), and the modem works again (the timeout
# once ran on the wall clock and never came, which left the line stuck)
ctl '{"cmd":"fault","type":"drop_line","line":-1}' >/dev/null
out=$(p send --json --to +447700900129 "Its OK was lost")
id7=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
check "a send whose answer is cut is held after send_timeout" wait_for 20 state_is "$id7" held
out=$(p send --json --to +447700900129 "After the cut")
id8=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
check "and the line sends again" wait_for 20 state_is "$id8" sent

out=$(p send --to "+44 7700" "bad number" 2>&1)
rc=$?
check "an invalid number is refused at enqueue (exit 1)" test $rc -eq 1
check "with the reason: $out" has "$out" "too short for GB"

out=$(p send --json --at +600 --to +447700900130 "Changed my mind")
id6=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
out=$(p cancel "$id6")
check "a queued message can be cancelled ($out)" state_is "$id6" cancelled
out=$(p retry "$id" 2>&1)
rc=$?
check "retry refuses a message that was sent (exit $rc)" test $rc -ne 0
check "with a reason" has "$out" "only unknown or held"

out=$("$PARLEYD" -c "$tmp/parley.conf" 2>&1)
rc=$?
check "a second parleyd on the same store refuses to start (exit $rc)" test $rc -eq 1
check "and says why" has "$out" "another parleyd is running"

out=$(p at sim AT+CSQ)
check "parley at passes a person's command through ($out)" has "$out" "+CSQ:"
check "and shows the final result" has "$out" "OK"
out=$(p at sim ATE1 2>&1)
rc=$?
check "commands that would break the driver are refused (exit $rc)" test $rc -ne 0
check "with a reason" has "$out" "refused"

metrics_has() { grep -q "$1" "$tmp/parley.prom"; }
check "metrics are written as a node-exporter textfile" wait_for 12 metrics_has 'parley_modem_ready{modem="sim",line="+447700900100"} 1'
check "with messages by state" metrics_has 'parley_messages{state="sent"}'

sed -i 's/log_level = "debug";/log_level = "info";/' "$tmp/parley.conf"
kill -HUP "$daemon_pid"
reloaded() { grep -q "configuration reloaded" "$tmp/daemon.log"; }
check "SIGHUP reloads the configuration" wait_for 5 reloaded
echo 'modems = oops' >>"$tmp/parley.conf"
kill -HUP "$daemon_pid"
kept() { grep -q "keeping the running configuration" "$tmp/daemon.log"; }
check "a broken configuration on SIGHUP changes nothing, and says why" wait_for 5 kept
check "and the daemon keeps running" kill -0 "$daemon_pid"
sed -i '$d' "$tmp/parley.conf" # the broken line goes again

kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
check "SIGTERM stops the daemon cleanly (exit $rc)" test $rc -eq 0
check "and removes its control socket" test ! -e "$tmp/parleyd.sock"
out=$(p send --to +447700900129 "while stopped" 2>&1)
check "send still queues while the daemon is down, and says so" has "$out" "not running"

if [ "$failed" -ne 0 ]; then
	echo "--- daemon log (tail)"
	tail -40 "$tmp/daemon.log"
fi
exit $((failed > 0))
