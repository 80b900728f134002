#!/bin/bash
# Consent end to end: the real parleyd and `parley` with two tools/modemsim
# lines. A customer answers "Stop." to the second of five queued messages:
# exactly one confirmation goes out, messages 3-5 are blocked with their
# reason and never reach the modem (no AT+CMGS for them), a new send is
# refused at enqueue (written in national form), a second STOP is not
# confirmed again, HELP is answered, START lifts the block. Then the scopes,
# each after a SIGHUP: "line" (the other line may still text), "group" (the
# group's lines may not) and a marketing-only STOP. Every process it starts,
# it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
PARLEY=${PARLEY:-build/parley}
PARLEYD=${PARLEYD:-build/parleyd}
MODEMSIM=${MODEMSIM:-build/modemsim}
L1=+447700900101
L2=+447700900102
A=+447700900123   # the customer of the first part, written 07700 900123 at times
B=+447700900222
C=+447700900333
D=+447700900444

need_built "$PARLEY" "$PARLEYD" "$MODEMSIM"

tmp=$(mktemp -d /tmp/parley-consent-XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	stop_sims
	rm -rf "$tmp"
}
trap cleanup EXIT

ctl() { "$MODEMSIM" --control "$tmp/sim$1.sock" --send "$2"; }
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }
# got N TO TEXT: how many messages simulator N's network received for TO with TEXT in them
got() { ctl "$1" '{"cmd":"sent"}' | grep -o "\"to\":\"$2\",\"text\":\"[^\"]*$3" | wc -l; }
got_is() { [ "$(got "$1" "$2" "$3")" -eq "$4" ]; }
id_of() { sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$1"; }
state_is() { p show --json "$1" | grep -q "\"state\":\"$2\""; }
inject() { ctl "$1" "{\"cmd\":\"inject\",\"from\":\"$2\",\"text\":\"$3\"}" >/dev/null; }
ledger_has() { p consent show "$1" | grep -q "$2"; }

start_sim 1 $L1
start_sim 2 $L2

# conf SCOPE [STOP_CATEGORY]: the configuration, with the opt-out scope given
conf() {
	cat >"$tmp/parley.conf" <<EOF
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
modems = (
  { name = "one"; device = "$tmp/modem1"; profile = "sim800"; line = "$L1";
    rate_per_minute = 600; group = "shop"; },
  { name = "two"; device = "$tmp/modem2"; profile = "sim800"; line = "$L2";
    rate_per_minute = 600; group = "$3"; }
);
policy = {
  default_country = "GB";
  optout_scope = "$1";
  stop_category = "$2";
  confirm_period = 3600;
  optout_reply = "Acme: you are unsubscribed. Reply START to come back.";
  optin_reply = "Acme: welcome back. Reply STOP to unsubscribe.";
  help_reply = "Acme help: call 0800 000 000. Reply STOP to unsubscribe.";
  quiet_hours = { categories = []; };
};
EOF
}

conf all all shop
"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
ready() { [ "$(p status | grep -c " ready ")" -eq 2 ]; }
check "the daemon brings both modems to ready" wait_for 20 ready

# ---- the customer stops after the second of five ----
for i in 1 2; do
	id=$(id_of "$(p send --json --line $L1 --to "07700 900123" "Update $i of 5")")
	eval "m$i=$id"
done
check "messages 1 and 2 reach the customer" wait_for 10 got_is 1 $A "Update 2 of 5" 1
for i in 3 4 5; do
	id=$(id_of "$(p send --json --line $L1 --at +4 --to $A "Update $i of 5")")
	eval "m$i=$id"
done
check "messages 3-5 are queued before the STOP ($m3 $m4 $m5)" test -n "$m5"
inject 1 $A "Stop."
check "the STOP is recorded in the ledger" wait_for 10 ledger_has $A "revoke"
check "exactly one confirmation goes out" wait_for 10 got_is 1 $A "you are unsubscribed" 1
for i in 3 4 5; do
	eval "id=\$m$i"
	check "message $i is blocked" wait_for 15 state_is "$id" blocked
done
out=$(p show "$m3")
check "a blocked message says why: opted out" has "$out" "opted out"
check "the modem never saw messages 3-5" got_is 1 $A "of 5" 2
check "no AT+CMGS for them in the simulator's log" \
	test "$(grep -c 'AT+CMGS' "$tmp/sim1.log")" -eq 3

out=$(p send --to "07700 900123" "Are you still there?" 2>&1)
rc=$?
check "a new send (national form) is refused at enqueue, exit 3" test $rc -eq 3
check "the refusal carries code 4001 opted_out: $out" has "$out" "4001 opted_out"
out=$(p send --json --to "+44 7700 900123" "Hello?")
check "the JSON refusal has the code" has "$out" '"code":4001'

inject 1 $A "STOP"
revokes_are() { [ "$(p consent show --json "$1" | grep -o '"action":"revoke"' | wc -l)" -eq "$2" ]; }
check "a second STOP is recorded" wait_for 10 revokes_are $A 2
sleep 1
check "a second STOP gets no second confirmation" got_is 1 $A "you are unsubscribed" 1

inject 1 $A "help"
check "HELP is answered, even after STOP" wait_for 10 got_is 1 $A "Acme help" 1

inject 1 $A "START"
check "START is confirmed" wait_for 10 got_is 1 $A "welcome back" 1
out=$(p send --json --line $L1 --to $A "Glad to have you back")
id=$(id_of "$out")
check "after START a send is queued ($out)" test -n "$id"
check "and reaches the customer" wait_for 10 got_is 1 $A "Glad to have you back" 1
out=$(p consent show $A)
check "consent show lists the keyword records" has "$out" "keyword"
check "consent show says transactional is allowed now" has "$out" "transactional  allowed"

# ---- scope line: a STOP to line 1 leaves line 2 free ----
conf line all ""
kill -HUP "$daemon_pid"
sleep 0.5
inject 1 $B "stop"
check "B's line-scoped STOP is recorded" wait_for 10 ledger_has $B "revoke  line"
out=$(p send --line $L1 --to $B "via one" 2>&1)
check "line scope: line 1 refuses B" has "$out" "opted_out"
out=$(p send --json --line $L2 --to $B "via two")
check "line scope: line 2 may still text B ($out)" test -n "$(id_of "$out")"
check "and does" wait_for 10 got_is 2 $B "via two" 1

# ---- scope group: both lines in group "shop" ----
conf group all shop
kill -HUP "$daemon_pid"
sleep 0.5
inject 1 $C "Unsubscribe"
check "C's group-scoped STOP is recorded" wait_for 10 ledger_has $C "revoke  group"
out=$(p send --line $L2 --to $C "via two" 2>&1)
check "group scope: line 2 (same group) refuses C" has "$out" "opted_out"

# ---- a STOP that stops marketing only ----
conf all marketing shop
kill -HUP "$daemon_pid"
sleep 0.5
p consent grant $D --disclosure "Web form v3: promos by SMS" --method web >/dev/null
inject 1 $D "STOP"
check "D's marketing STOP is recorded" wait_for 10 ledger_has $D "marketing"
out=$(p send --marketing --to $D "20% off" 2>&1)
check "marketing to D is refused" has "$out" "opted_out"
out=$(p send --json --to $D "Your parcel is out for delivery")
check "a transactional text to D still goes ($out)" test -n "$(id_of "$out")"

# ---- a suspected opt-out: marked for an agent; acted on in strict mode ----
E=+447700900555
inject 1 $E "Please stop texting me"
inbox_id() { p inbox --json | grep -o "\"id\":[0-9]*,\"direction\":\"in\",\"state\":\"received\",\"from\":\"$E\"" | head -1 | grep -o '[0-9]*' | head -1; }
suspected() { p show --json "$(inbox_id)" | grep -q '"keyword":"suspected-opt-out"'; }
check "a request to stop in words is marked suspected" wait_for 10 suspected
check "and nothing is recorded without strict mode" sh -c "! $PARLEY -c $tmp/parley.conf consent show $E | grep -q revoke"
sed -i 's/^  confirm_period = 3600;/  confirm_period = 3600; strict = true;/' "$tmp/parley.conf"
kill -HUP "$daemon_pid"
sleep 0.5
inject 1 $E "no more texts please"
check "strict mode: the same kind of request revokes" wait_for 10 ledger_has $E "revoke"
check "strict mode: and is confirmed once" wait_for 10 got_is 1 $E "you are unsubscribed" 1

# ---- the ledger for audits ----
p consent export "$tmp/ledger.csv" 2>/dev/null
# A: STOP, STOP, START; B, C, E: one STOP each; D: the web consent and a STOP
check "export writes a header and all 8 records" test "$(wc -l <"$tmp/ledger.csv")" -eq 9
check "the export keeps the exact text of the STOP" grep -q ',keyword,Stop\.,parleyd,' "$tmp/ledger.csv"

check "the daemon logged no errors" test "$(grep -c ' error' "$tmp/daemon.log")" -eq 0
kill "$daemon_pid"
wait "$daemon_pid"
check "parleyd stops cleanly" test $? -eq 0
daemon_pid=

if [ "$failed" -ne 0 ]; then
	echo "--- daemon log (tail)"
	tail -40 "$tmp/daemon.log"
fi
exit $((failed > 0))
