#!/bin/bash
# Conversations end to end (issue 7): a real broker, tools/modemsim, the
# real parleyd and two agent consoles (tools/mqttc). A customer writes; the
# conversation waits for an agent; two consoles race to claim it and exactly
# one wins; the winner replies and the reply leaves through the customer's
# line; notes stay internal; tags; history; search by number; the agent's
# console goes offline and after the grace period the conversation returns to
# the queue; close, and a customer writing again reopens it; one
# acknowledgement when nobody is online; unanswered alerts with escalation;
# a keyword rule's reply answers the customer (no alert), an event-only rule
# does not;
# follow-ups cancelled when the customer writes first or by their key.
# Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
L1=+447700900101
L2=+447700900102
C=+447700900321

mqtt_test_begin conv

start_broker || { fail "the broker starts"; exit 1; }
start_sim 1 $L1
start_sim 2 $L2
ctl() { "$MODEMSIM" --control "$tmp/sim$1.sock" --send "$2"; }
m() { "$MQTTC" -p "$BROKER_PORT" "$@"; }
cmd() { m request -t parley/gw/command -m "$1"; }
BASE=parley/gw

cat >"$tmp/parley.conf" <<EOF
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
modems = (
  { name = "one"; device = "$tmp/modem1"; profile = "sim800"; line = "$L1"; rate_per_minute = 600; },
  { name = "two"; device = "$tmp/modem2"; profile = "sim800"; line = "$L2"; rate_per_minute = 600; }
);
policy = { default_country = "GB"; };
mqtt = { host = "127.0.0.1"; port = $BROKER_PORT; gateway_id = "gw"; agent_grace = 2;
         stats_interval = 1; };
templates = { eta = "Hi {name}, your order arrives {day}."; };
rules = ( { keyword = "CONFIRM"; match = "first_word"; reply = "Thanks, your appointment is confirmed.";
            event = true; },
          { keyword = "CALLBACK"; match = "first_word"; event = true; } );
automation = { auto_ack = "Thanks! An agent will answer soon."; ack_idle = 3600;
               unanswered_after = 1; escalate_every = 1; escalate_max = 2; };
EOF

m -W 0 sub -t "$BASE/event/conversation" -t "$BASE/event/unanswered" --ready "$tmp/sub.ready" >"$tmp/conv.log" 2>&1 &
sub_pid=$!
wait_for 5 test -e "$tmp/sub.ready"
"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
ready() { [ "$("$PARLEY" -c "$tmp/parley.conf" status | grep -c " ready ")" -eq 2 ]; }
check "two modems ready" wait_for 20 ready

# ---- a customer writes to line 2 ----
ctl 2 "{\"cmd\":\"inject\",\"from\":\"$C\",\"text\":\"Hi, where is my order?\"}" >/dev/null
conv_event() { grep -q "\"peer\":\"$C\".*\"state\":\"waiting_agent\"" "$tmp/conv.log"; }
check "a conversation event: waiting for an agent" wait_for 10 conv_event
id=$(grep -o '"id":[0-9]*' "$tmp/conv.log" | head -1 | cut -d: -f2)
check "the event names the conversation ($id)" test -n "$id"
acks() { ctl 2 '{"cmd":"sent"}' | grep -o '"to":"[^"]*","text":"Thanks! An agent will answer soon."' | wc -l; }
acked() { [ "$(acks)" -eq 1 ]; }
check "nobody online: the customer is acknowledged" wait_for 10 acked
out=$(cmd '{"cmd":"conversations"}')
check "the open list shows it with 1 unread ($out)" has "$out" "\"id\":$id,\"line\":\"$L2\",\"peer\":\"$C\",\"state\":\"waiting_agent\",\"assignee\":null,\"unread\":1"

# ---- two consoles race to claim ----
cmd "{\"cmd\":\"claim\",\"conversation\":$id,\"agent\":\"alice\"}" >"$tmp/claim.alice" &
a_pid=$!
cmd "{\"cmd\":\"claim\",\"conversation\":$id,\"agent\":\"bob\"}" >"$tmp/claim.bob" &
b_pid=$!
wait $a_pid $b_pid
won=$(grep -l '"status":"accepted"' "$tmp"/claim.* | wc -l)
lost=$(grep -l '"code":"already_claimed"' "$tmp"/claim.* | wc -l)
check "exactly one claim wins ($won), the other is refused as already claimed ($lost)" test "$won" -eq 1 -a "$lost" -eq 1
winner=alice loser=bob
grep -q accepted "$tmp/claim.bob" && winner=bob loser=alice
check "the refusal names the winner" grep -q "$winner" "$tmp/claim.$loser"

# ---- the winner replies; the loser may not ----
out=$(cmd "{\"cmd\":\"reply\",\"conversation\":$id,\"agent\":\"$loser\",\"text\":\"I'll check\"}")
check "the other agent cannot reply ($out)" has "$out" '"code":"not_permitted"'
out=$(cmd "{\"cmd\":\"reply\",\"conversation\":$id,\"agent\":\"$winner\",\"template\":\"eta\",\"variables\":{\"name\":\"Jo\",\"day\":\"tomorrow\"}}")
check "the assignee's quick reply is accepted ($out)" has "$out" '"status":"accepted"'
on_line_two() { ctl 2 '{"cmd":"sent"}' | grep -q "Hi Jo, your order arrives tomorrow."; }
check "the reply leaves through the conversation's line (2)" wait_for 10 on_line_two
check "and not through line 1" sh -c "! $MODEMSIM --control $tmp/sim1.sock --send '{\"cmd\":\"sent\"}' | grep -q 'arrives tomorrow'"
waiting_customer() { cmd "{\"cmd\":\"conversation\",\"conversation\":$id}" | grep -q '"state":"waiting_customer"'; }
check "the conversation now waits for the customer" wait_for 10 waiting_customer

out=$(cmd "{\"cmd\":\"note\",\"conversation\":$id,\"agent\":\"$winner\",\"text\":\"Courier delayed, VIP customer\"}")
check "a note is recorded ($out)" has "$out" '"status":"accepted"'
out=$(cmd "{\"cmd\":\"tag\",\"conversation\":$id,\"agent\":\"$winner\",\"tag\":\"vip\"}")
check "a tag is added" has "$out" '"tags":["vip"]'
out=$(cmd "{\"cmd\":\"conversation\",\"conversation\":$id}")
check "the history has the customer's message" has "$out" '"text":"Hi, where is my order?"'
check "the agent's reply with its author" has "$out" "\"author\":\"$winner\""
check "and the note" has "$out" '"kind":"note"'
sleep 1
check "the note was never sent" sh -c "! $MODEMSIM --control $tmp/sim2.sock --send '{\"cmd\":\"sent\"}' | grep -q 'Courier delayed'"
out=$(cmd '{"cmd":"conversation_search","number":"07700 900321"}')
check "search by number (national form) finds it" has "$out" "\"id\":$id,"

# ---- the agent's console goes offline: back to the queue after the grace period ----
m pub -r -t "parley/agents/$winner" -m '{"state":"online","name":"Agent"}' >/dev/null
sleep 0.5
m pub -r -t "parley/agents/$winner" -m '{"state":"offline"}' >/dev/null
unassigned() { cmd "{\"cmd\":\"conversation\",\"conversation\":$id}" | grep -q '"assignee":null'; }
check "after 2 s offline the conversation returns to the queue" wait_for 10 unassigned
m pub -r -n -t "parley/agents/$winner" >/dev/null

# ---- close; the customer writes again ----
out=$(cmd "{\"cmd\":\"close\",\"conversation\":$id,\"agent\":\"$loser\"}")
check "close ($out)" has "$out" '"state":"closed"'
ctl 2 "{\"cmd\":\"inject\",\"from\":\"$C\",\"text\":\"One more thing\"}" >/dev/null
reopened() { cmd "{\"cmd\":\"conversation\",\"conversation\":$id}" | grep -q '"state":"waiting_agent"'; }
check "a customer writing again reopens it, waiting for an agent" wait_for 10 reopened
level() { grep "\"kind\":\"unanswered\",\"conversation\":$id," "$tmp/conv.log" | grep -c "\"level\":$1"; }
alerted() { [ "$(level 1)" -ge 1 ] && [ "$(level 2)" -ge 1 ]; }
check "an unanswered alert, then one escalation" wait_for 10 alerted
sleep 2
check "no alert past escalate_max (2)" test "$(level 3)" -eq 0
dup_alerts=$(grep "\"kind\":\"unanswered\"" "$tmp/conv.log" | sed 's/"waited_s":[0-9]*,//; s/,"at":.*//' | sort | uniq -d)
check "each level once per wait" test -z "$dup_alerts"
check "one acknowledgement per idle period, not one per message" test "$(acks)" -eq 1
# ---- a keyword rule: an automatic reply and an event for the consoles ----
R=+447700900777
m -W 0 sub -t "$BASE/event/received" -C 1 >"$tmp/received.log" 2>&1 &
rsub=$!
sleep 0.3
ctl 1 "{\"cmd\":\"inject\",\"from\":\"$R\",\"text\":\"Confirm, thanks!\"}" >/dev/null
rule_reply() { ctl 1 '{"cmd":"sent"}' | grep -q "Thanks, your appointment is confirmed."; }
check "CONFIRM (first word) gets the rule's reply" wait_for 10 rule_reply
wait $rsub
check "and the received event names the rule" grep -q '"keyword":"rule:confirm"' "$tmp/received.log"
check "no acknowledgement on top of the rule's answer" sh -c "! $MODEMSIM --control $tmp/sim1.sock --send '{\"cmd\":\"sent\"}' | grep -q '\"to\":\"$R\",\"text\":\"Thanks! An agent'"
# the reply answered the customer: nobody waits for an agent, so no alert;
# a rule that only raises an event answers nobody: the wait and its alert stay
r_conv=$(grep "\"peer\":\"$R\"" "$tmp/conv.log" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
answered() { cmd "{\"cmd\":\"conversation\",\"conversation\":$r_conv}" | grep -q '"state":"waiting_customer"'; }
check "the rule's reply answered: the conversation ($r_conv) waits for the customer" wait_for 10 answered
E=+447700900778
ctl 1 "{\"cmd\":\"inject\",\"from\":\"$E\",\"text\":\"Callback please\"}" >/dev/null
alert_for() { grep '"kind":"unanswered"' "$tmp/conv.log" | grep -q "\"peer\":\"$1\""; }
check "an event-only rule leaves the customer waiting: unanswered alert raised" wait_for 10 alert_for "$E"
no_alert_for() { ! alert_for "$1"; }
check "no unanswered alert for the customer the rule answered" no_alert_for "$R"

# ---- follow-ups: cancelled when the customer writes first, or by their key ----
F=+447700900654
out=$(cmd "{\"cmd\":\"send\",\"to\":\"$F\",\"text\":\"You left something in your cart\",\"send_at\":$(( $(date +%s) * 1000 + 600000 )),\"cancel_on_reply\":true,\"line\":\"$L1\"}")
fu=$(sed -n 's/.*"message_id":\([0-9]*\).*/\1/p' <<<"$out")
check "a follow-up is queued for later ($out)" test -n "$fu"
ctl 1 "{\"cmd\":\"inject\",\"from\":\"$F\",\"text\":\"Just bought it, thanks\"}" >/dev/null
fu_cancelled() { "$PARLEY" -c "$tmp/parley.conf" show --json "$fu" | grep -q '"state":"cancelled"'; }
check "the customer writes first: the follow-up is cancelled" wait_for 10 fu_cancelled
check "with the reason" has "$("$PARLEY" -c "$tmp/parley.conf" show "$fu")" "the customer wrote first"
out=$(cmd "{\"cmd\":\"send\",\"to\":\"+447700900655\",\"text\":\"Your cart misses you\",\"send_at\":$(( $(date +%s) * 1000 + 600000 )),\"cancel_on_reply\":true,\"key\":\"cart-655\"}")
check "another follow-up with a key" has "$out" '"status":"accepted"'
out=$(cmd '{"cmd":"cancel","key":"cart-655"}')
check "the purchase cancels it by its key ($out)" has "$out" '"status":"accepted"'
out=$(cmd '{"cmd":"cancel","key":"cart-655"}')
check "a second cancel: not cancellable" has "$out" '"code":"not_cancellable"'

out=$(cmd '{"cmd":"claim","conversation":999999,"agent":"alice"}')
check "a claim on no conversation: not_found" has "$out" '"code":"not_found"'
# ---- figures: retained on the broker, and from the command line ----
stats_show() { m sub -t "$BASE/stats" --retained | grep -q "\"agent\":\"$winner\""; }
check "retained stats name the agent who replied" wait_for 10 stats_show
stats=$(m sub -t "$BASE/stats" --retained)
check "and the line with its first-response median ($stats)" has "$stats" "\"line\":\"$L2\""
out=$("$PARLEY" -c "$tmp/parley.conf" stats)
check "parley stats shows the lines and agents" has "$out" "$winner"
check "the daemon logged no errors" test "$(grep -c '^<3>' "$tmp/daemon.log")" -eq 0

if [ "$failed" -ne 0 ]; then
	echo "--- daemon log (tail)"
	grep -v '^<7>' "$tmp/daemon.log" | tail -25
fi
exit $((failed > 0))
