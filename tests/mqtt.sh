#!/bin/bash
# The MQTT bridge end to end: a real mosquitto on 127.0.0.1 (random port),
# tools/modemsim, the real parleyd, and tools/mqttc as the agent console.
# Retained gateway and modem state; a send command answered (MQTT 5
# response topic with correlation data, and 3.1.1's reply_to) and followed
# by queued/sent/delivered events; an inbound message as an event with its
# conversation and keyword; a STOP as events and as a refusal of the next
# send; bad commands each answered with their code, the daemon unaffected;
# the broker stopped while messages are sent and parleyd killed -9 meanwhile,
# and every event arriving afterwards, in order. Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
LINE=+447700900100
A=+447700900123
B=+447700900124

mqtt_test_begin mqtt

start_broker || { fail "the broker starts"; exit 1; }
start_sim 1 $LINE
ctl() { "$MODEMSIM" --control "$tmp/sim1.sock" --send "$1"; }
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }
m() { "$MQTTC" -p "$BROKER_PORT" "$@"; }
BASE=parley/gw1

cat >"$tmp/parley.conf" <<EOF
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
modems = ( { name = "sim"; device = "$tmp/modem1"; profile = "sim800"; line = "$LINE";
             rate_per_minute = 600; } );
policy = { default_country = "GB"; };
mqtt = { host = "127.0.0.1"; port = $BROKER_PORT; gateway_id = "gw1"; keepalive = 5; };
templates = { shipped = "Hi {name}, order {order} has shipped."; };
EOF

# events: every event of the gateway, one per line, in arrival order
events() { cat "$tmp/events.log" 2>/dev/null; }
start_events() {
	rm -f "$tmp/sub.ready"
	m -W 0 sub -t "$BASE/event/#" -v --ready "$tmp/sub.ready" >>"$tmp/events.log" 2>>"$tmp/sub.err" &
	sub_pid=$!
	wait_for 5 test -e "$tmp/sub.ready"
}
start_events

"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
online() { m sub -t "$BASE/status" --retained | grep -q '"state":"online"'; }
check "the gateway announces itself online (retained)" wait_for 10 online
ready() { m sub -t "$BASE/modem/sim" --retained | grep -q '"state":"ready"'; }
check "the modem's state is retained and becomes ready" wait_for 20 ready

# ---- send over MQTT 5: reply on the response topic, then the events ----
out=$(m request -t "$BASE/command" -m "{\"cmd\":\"send\",\"id\":\"r1\",\"to\":\"07700 900123\",\"text\":\"Hello over MQTT\",\"report\":true}")
check "a send command is accepted ($out)" has "$out" '"status":"accepted"'
check "the reply echoes the request id" has "$out" '"id":"r1"'
id=$(sed -n 's/.*"message_id":\([0-9]*\).*/\1/p' <<<"$out")
check "the reply carries the message id" test -n "$id"
has_event() { events | grep -q "$1"; }
check "a queued event follows" wait_for 10 has_event "\"message_id\":$id,\"state\":\"queued\""
check "then sent" wait_for 10 has_event "\"message_id\":$id,\"state\":\"sent\""
check "then delivered (status report)" wait_for 10 has_event "\"message_id\":$id,\"state\":\"delivered\""
line_of() { events | grep "\"message_id\":$1,\"state\":\"$2\"" | head -1 | cut -d' ' -f1; }
check "message events go to $BASE/event/message" test "$(line_of "$id" sent)" = "$BASE/event/message"
check "events carry the conversation" has "$(events | grep "\"message_id\":$id,\"state\":\"sent\"")" "\"conversation\":{\"line\":\"$LINE\",\"peer\":\"$A\"}"
check "before a line is chosen the conversation's line is null" has "$(events | grep "\"message_id\":$id,\"state\":\"queued\"")" "\"conversation\":{\"line\":null,"
uids=$(events | grep -o '"uid":"[^"]*"' | sort | uniq -d)
check "every event has its own uid" test -z "$uids"

# ---- a template, and 3.1.1's reply_to ----
out=$(m -V 311 request -t "$BASE/command" --reply-topic console/replies -m '{"cmd":"send","id":"r2","to":"+447700900124","template":"shipped","variables":{"name":"Sam","order":1234},"reply_to":"console/replies"}')
check "MQTT 3.1.1: the reply comes on reply_to ($out)" has "$out" '"status":"accepted"'
got_text() { ctl '{"cmd":"sent"}' | grep -q "$1"; }
check "the template is rendered and sent" wait_for 10 got_text "Hi Sam, order 1234 has shipped."
out=$(m request -t "$BASE/command" -m '{"cmd":"send","to":"+447700900124","template":"shipped","variables":{"name":"Sam"}}')
check "a missing template variable is refused ($out)" has "$out" '"code":"missing_variable"'

# ---- inbound: an event with the conversation and the keyword ----
ctl "{\"cmd\":\"inject\",\"from\":\"$B\",\"text\":\"Thanks, got it\"}" >/dev/null
check "a reply from a customer is a received event" wait_for 10 has_event '"text":"Thanks, got it"'
check "on $BASE/event/received" test "$(events | grep 'Thanks, got it' | cut -d' ' -f1)" = "$BASE/event/received"

ctl "{\"cmd\":\"inject\",\"from\":\"$B\",\"text\":\"STOP\"}" >/dev/null
check "a STOP is a received event marked opt-out" wait_for 10 has_event '"keyword":"opt-out"'
check "and a consent event" wait_for 10 has_event '"action":"revoke"'
out=$(m request -t "$BASE/command" -m "{\"cmd\":\"send\",\"id\":\"r3\",\"to\":\"$B\",\"text\":\"Promo\"}")
check "a send to the opted-out number is refused: 4001 ($out)" has "$out" '"code":"opted_out","code_number":4001'
out=$(m request -t "$BASE/command" -m "{\"cmd\":\"consent_show\",\"number\":\"$B\"}")
check "consent_show answers with the records" has "$out" '"transactional":"opted_out"'

# ---- bad commands: one clear answer each, nothing queued ----
before=$(p queue --json | grep -o '"id":' | wc -l)
bad() {
	local payload=$1 code=$2 out
	out=$(m request -t "$BASE/command" -m "$payload")
	check "refused with $code: ${payload:0:40}" has "$out" "\"code\":\"$code\""
}
bad '{"cmd":"send","to":' invalid_json
bad '[1,2,3]' not_an_object
bad '{"cmd":"launch"}' unknown_command
bad '{"cmd":"send","text":"no recipient"}' missing_field
bad '{"cmd":"send","to":12345,"text":"x"}' wrong_type
bad '{"cmd":"send","to":"+447700900125","text":"x","priority":1000}' invalid_value
bad '{"cmd":"send","to":"not a number","text":"x"}' invalid_number
bad "{\"cmd\":\"send\",\"to\":\"+447700900125\",\"text\":\"$(printf 'x%.0s' $(seq 1 5000))\"}" text_too_long
bad "{\"cmd\":\"send\",\"to\":\"+447700900125\",\"text\":\"bad $(printf '\xff\xfe') bytes\"}" invalid_utf8
bad "{\"cmd\":\"send\",\"to\":\"+447700900125\",\"text\":\"$(printf 'y%.0s' $(seq 1 20000))\"}" payload_too_large
bad "{\"cmd\":\"send\",\"to\":\"+447700900125\",\"text\":\"$(printf 'z%.0s' $(seq 1 1700))\"}" too_many_segments
bad '{"cmd":"cancel","message_id":999999}' not_found
after=$(p queue --json | grep -o '"id":' | wc -l)
check "nothing was queued by the bad commands" test "$before" -eq "$after"
check "the daemon is still running" kill -0 "$daemon_pid"

# ---- the broker goes away while messages are sent; parleyd crashes meanwhile ----
kill "$sub_pid"; wait "$sub_pid" 2>/dev/null; sub_pid=
: >"$tmp/events.log"
stop_broker
ids=()
for i in 1 2 3; do
	out=$(p send --json --to +44770090020$i "During the outage $i")
	ids+=("$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")")
done
sent_all() { for i in "${ids[@]}"; do p show --json "$i" | grep -q '"state":"sent"' || return 1; done; }
check "messages go out while the broker is down" wait_for 15 sent_all
waiting() { p status | grep -q "MQTT events waiting for the broker: [1-9]"; }
check "their events wait in the store" waiting
# and parleyd dies with them unpublished: the outbox is in the store, not in memory
kill -9 "$daemon_pid"
wait "$daemon_pid" 2>/dev/null
restart_broker
start_events
"$PARLEYD" -c "$tmp/parley.conf" 2>>"$tmp/daemon.log" &
daemon_pid=$!
check "after the outage and a crash the gateway is online again" wait_for 20 online
all_events() { for i in "${ids[@]}"; do has_event "\"message_id\":$i,\"state\":\"sent\"" || return 1; done; }
check "every event of the outage arrives" wait_for 20 all_events
in_order() {
	local i q s
	for i in "${ids[@]}"; do
		q=$(events | grep -n "\"message_id\":$i,\"state\":\"queued\"" | head -1 | cut -d: -f1)
		s=$(events | grep -n "\"message_id\":$i,\"state\":\"sent\"" | head -1 | cut -d: -f1)
		[ -n "$q" ] && [ -n "$s" ] && [ "$q" -lt "$s" ] || return 1
	done
}
check "in order per message (queued before sent)" in_order
drained() { p status | grep -q "MQTT events waiting for the broker: 0"; }
check "the outbox drains to zero" wait_for 10 drained

# ---- a clean stop says offline ----
kill "$daemon_pid"
wait "$daemon_pid"
check "parleyd stops cleanly" test $? -eq 0
daemon_pid=
offline() { m sub -t "$BASE/status" --retained | grep -q '"state":"offline"'; }
check "and its status is offline (retained)" wait_for 5 offline
check "the daemon logged no errors" test "$(grep -c '^<3>' "$tmp/daemon.log")" -eq 0

if [ "$failed" -ne 0 ]; then
	echo "--- daemon log (tail)"
	grep -v "^<7>" "$tmp/daemon.log" | tail -60
fi
exit $((failed > 0))
