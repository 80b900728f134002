#!/bin/bash
# The broker set up as docs/security.md says: passwords and the example ACL
# docs/examples/mosquitto-parley.acl, used as it is. The gateway (gw1, user
# "gateway", its password from a file) works under its own user: online,
# commands answered on every route, events delivered. A console (user
# "console") commands and reads, but cannot speak for the gateway: a fake
# status, event, consent record, Last Will or someone else's presence never
# reaches another subscriber or the daemon, over MQTT 5 or 3.1.1; nor can it
# make the gateway publish its reply over the gateway's own topics. Controls
# show each forgery would have worked without the ACL. Then the broker runs
# on docs/examples/mosquitto-parley.conf (paths and ports replaced), and the
# gateway logs in over TLS. Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
ACL=$(dirname "$0")/../docs/examples/mosquitto-parley.acl
LINE=+447700900100
A=+447700900123   # a customer
S=+447700900124   # a customer who texts STOP
X=+447700900125   # a number a forged record would opt out
BASE=parley/gw1

mqtt_test_begin mqtt-acl
start_broker --password --tls --acl "$ACL" || { fail "the broker starts with the example ACL"; exit 1; }
start_sim 1 $LINE
ctl() { "$MODEMSIM" --control "$tmp/sim1.sock" --send "$1"; }
c() { "$MQTTC" -p "$BROKER_PORT" -u console -P s3cret "$@"; }
# the gateway's credentials in other clients: for the controls and to watch
# the consent records, which consoles may not read
g() { "$MQTTC" -p "$BROKER_PORT" -u gateway -P gw-pass -i acl-control "$@"; }
absent() { ! grep -q -- "$1" "$2"; }

printf 'gw-pass\n' >"$tmp/mqtt.pass"
cat >"$tmp/parley.conf" <<EOF
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
modems = ( { name = "sim"; device = "$tmp/modem1"; profile = "sim800"; line = "$LINE";
             rate_per_minute = 600; } );
policy = { default_country = "GB"; };
mqtt = { host = "127.0.0.1"; port = $BROKER_PORT; gateway_id = "gw1"; keepalive = 5;
         username = "gateway"; password_file = "$tmp/mqtt.pass"; };
EOF

# what a console sees, live: the gateway's events and status, and the 3.1.1 replies
c -W 0 sub -t "$BASE/event/+" -t "$BASE/status" -t "$BASE/reply" -v --ready "$tmp/sub.ready" \
	>"$tmp/seen.log" 2>"$tmp/sub.err" &
sub_pid=$!
wait_for 5 test -e "$tmp/sub.ready"
seen() { grep -q -- "$1" "$tmp/seen.log"; }
"$MQTTC" -p "$BROKER_PORT" -u gateway -P gw-pass -i acl-watch -W 0 sub -t 'parley/consent/#' -v \
	--ready "$tmp/watch.ready" >"$tmp/consent.log" 2>"$tmp/watch.err" &
watch_pid=$!
trap 'kill $watch_pid 2>/dev/null; wait $watch_pid 2>/dev/null; _mqtt_test_end' EXIT
wait_for 5 test -e "$tmp/watch.ready"

"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!

# ---- the gateway under its own user ----
online() { c sub -t "$BASE/status" --retained | grep -q '"state":"online"'; }
check "the gateway logs in as \"gateway\" and its status is online" wait_for 10 online
ready() { c sub -t "$BASE/modem/sim" --retained | grep -q '"state":"ready"'; }
check "its modem's state is published" wait_for 20 ready

# ---- what a console may do ----
out=$(c request -t "$BASE/command" --reply-topic replies/console/1 \
	-m "{\"cmd\":\"send\",\"id\":\"a1\",\"to\":\"$A\",\"text\":\"Hello under the ACL\"}")
check "a console's command is answered on its own reply topic ($out)" has "$out" '"status":"accepted"'
id=$(sed -n 's/.*"message_id":\([0-9]*\).*/\1/p' <<<"$out")
check "and its events reach the console" wait_for 10 seen "\"message_id\":$id,\"state\":\"sent\""
out=$(c -V 311 request -t "$BASE/command" --reply-topic replies/console/2 \
	-m "{\"cmd\":\"send\",\"id\":\"a2\",\"to\":\"$A\",\"text\":\"Over 3.1.1\",\"reply_to\":\"replies/console/2\"}")
check "MQTT 3.1.1: answered on reply_to ($out)" has "$out" '"status":"accepted"'
out=$(c request -t parley/command --reply-topic replies/console/3 \
	-m "{\"cmd\":\"send\",\"id\":\"a3\",\"to\":\"$A\",\"text\":\"Any gateway\"}")
check "a command on the shared topic is answered ($out)" has "$out" '"status":"accepted"'
ctl "{\"cmd\":\"inject\",\"from\":\"$A\",\"text\":\"Thanks\"}" >/dev/null
check "a customer's message reaches the console" wait_for 10 seen '"text":"Thanks"'
check "a console announces its own presence" c pub -r -t parley/agents/console -m '{"state":"online","name":"Console"}'
agent_online() { grep -q "MQTT: agent $1 is online" "$tmp/daemon.log"; }
check "and the gateway follows it" wait_for 10 agent_online console

# ---- what it may not ----
out=$(c pub -r -t "$BASE/status" -m '{"state":"offline","gateway":"gw1","forged":1}' 2>&1)
check "a console may not publish the gateway's status ($out)" has "$out" "Not authorized"
c -V 311 pub -r -t "$BASE/status" -m '{"state":"offline","forged":2}'
c -V 311 pub -t "$BASE/event/received" -m '{"kind":"received","text":"FORGED-311"}'
out=$(c pub -t "$BASE/event/received" -m '{"kind":"received","text":"FORGED-5"}' 2>&1)
check "nor an event ($out)" has "$out" "Not authorized"
out=$(c pub -r -t parley/agents/alice -m '{"state":"online","name":"Alice"}' 2>&1)
check "nor another agent's presence ($out)" has "$out" "Not authorized"
# a Last Will is published by the broker on the client's behalf: the ACL holds there too
c --will-topic "$BASE/status" --will-message '{"state":"offline","forged":3}' --will-retain \
	-W 0 sub -t "$BASE/event/none" >/dev/null 2>&1 &
will_pid=$!
sleep 0.5
{ kill -9 "$will_pid"; wait "$will_pid"; } 2>/dev/null

# MQTT 5 response topics and 3.1.1 reply_to over the gateway's own topics
out=$(c pub -t "$BASE/command" --response-topic "$BASE/status" --correlation c1 \
	-m '{"cmd":"cancel","id":"aim-status","message_id":999999}' 2>&1)
check "a command naming the gateway's status as response topic is taken" test -z "$out"
c -V 311 pub -t "$BASE/command" \
	-m "{\"cmd\":\"cancel\",\"id\":\"aim-consent\",\"message_id\":999999,\"reply_to\":\"parley/consent/447700900125/all/-/all\"}"
check "its reply comes on $BASE/reply instead" wait_for 10 seen "^$BASE/reply .*\"id\":\"aim-status\""
check "as does a 3.1.1 reply_to into the consent records" wait_for 10 seen "^$BASE/reply .*\"id\":\"aim-consent\""

# a forged consent record: the gateway's own STOP record, retold for X
ctl "{\"cmd\":\"inject\",\"from\":\"$S\",\"text\":\"STOP\"}" >/dev/null
record() { g sub -t 'parley/consent/#' -v --retained | grep "\"number\":\"$S\""; }
check "a real STOP is replicated as a retained consent record" wait_for 10 record
real=$(record | head -1)
topic=${real%% *}
payload=${real#* }
forged_topic=${topic//${S#+}/${X#+}}
forged=$(sed -e "s/$S/$X/g" -e 's/"origin":"[^"]*"/"origin":"forged-by-console"/' <<<"$payload")
check "the console cannot read the consent records" test -z "$(c sub -t 'parley/consent/#' -v --retained)"
out=$(c pub -r -t "$forged_topic" -m "$forged" 2>&1)
check "nor forge one ($out)" has "$out" "Not authorized"
c -V 311 pub -r -t "$forged_topic" -m "$forged"

# everything the console tried has had time to arrive, had the broker let it through
sleep 2
check "no forged status reached a subscriber" absent forged "$tmp/seen.log"
check "the retained status is still the gateway's own" online
check "no forged event reached a subscriber" absent FORGED "$tmp/seen.log"
check "no reply was published over the gateway's status" absent "^$BASE/status .*aim-status" "$tmp/seen.log"
check "nor among the consent records" absent aim-consent "$tmp/consent.log"
check "no forged consent record reached a gateway" absent forged-by-console "$tmp/consent.log"
check "the gateway never heard of agent alice" absent "agent alice" "$tmp/daemon.log"
show_x() { c request -t "$BASE/command" --reply-topic replies/console/x -m "{\"cmd\":\"consent_show\",\"number\":\"$X\"}"; }
out=$(show_x)
not_recorded() { has "$out" '"status":"accepted"' && ! has "$out" opted_out; }
check "the forged opt-out was not recorded ($out)" not_recorded

# ---- controls: the same forgeries with the gateway's rights go through ----
g pub -t "$BASE/event/received" -m '{"kind":"received","text":"CONTROL-EVENT"}'
check "control: an event with the gateway's rights reaches the console" wait_for 5 seen CONTROL-EVENT
g pub -r -t "$forged_topic" -m "$forged"
recorded() { show_x | grep -q opted_out; }
check "control: the forged record with the gateway's rights is recorded" wait_for 10 recorded

kill "$daemon_pid"
wait "$daemon_pid"
check "parleyd stops cleanly" test $? -eq 0
daemon_pid=
check "the daemon logged no errors" test "$(grep -c '^<3>' "$tmp/daemon.log")" -eq 0

# ---- the example mosquitto.conf: passwords, the ACL, TLS ----
sed -e "s|/etc/mosquitto/parley.passwd|$BROKER_DIR/passwd|" \
	-e "s|/etc/mosquitto/parley.acl|$(realpath "$ACL")|" \
	-e "s|/etc/mosquitto/certs/|$BROKER_DIR/|" \
	-e "s|^listener 1883 127.0.0.1\$|listener $BROKER_PORT 127.0.0.1|" \
	-e "s|^listener 8883\$|listener $BROKER_TLS_PORT 127.0.0.1|" \
	"$(dirname "$0")/../docs/examples/mosquitto-parley.conf" >"$BROKER_DIR/mosquitto.conf"
# as root mosquitto would become user "mosquitto", who cannot read $tmp
printf 'user %s\nlog_dest file %s\npersistence false\n' "$(id -un)" "$BROKER_LOG" \
	>>"$BROKER_DIR/mosquitto.conf"
replaced() { ! grep -v '^#' "$BROKER_DIR/mosquitto.conf" | grep -qE '/etc/|^listener (1883|8883)'; }
check "every path and port of the example was replaced" replaced
check "mosquitto starts on the example configuration" restart_broker
ct() { "$MQTTC" -p "$BROKER_TLS_PORT" --cafile "$BROKER_CA" "$@"; }
sed -i "s|port = $BROKER_PORT;|port = $BROKER_TLS_PORT; tls = { ca_file = \"$BROKER_CA\"; };|" "$tmp/parley.conf"
"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon-tls.log" &
daemon_pid=$!
online_tls() { ct -u console -P s3cret sub -t "$BASE/status" --retained | grep -q '"state":"online"'; }
check "the gateway logs in over TLS and is online" wait_for 10 online_tls
out=$(ct -u console -P s3cret request -t "$BASE/command" --reply-topic replies/console/tls \
	-m '{"cmd":"consent_show","number":"+447700900123"}')
check "a console's command over TLS is answered ($out)" has "$out" '"status":"accepted"'
ct -W 3 sub -t "$BASE/status" >/dev/null 2>&1
check "an anonymous client is refused (exit 3)" test $? -eq 3
out=$(ct -u console -P s3cret pub -t "$BASE/status" -m '{"state":"offline"}' 2>&1)
check "the ACL holds on the TLS listener ($out)" has "$out" "Not authorized"
if [ "$failed" -ne 0 ]; then
	echo "--- seen by the console"
	cat "$tmp/seen.log"
	echo "--- daemon log (tail)"
	grep -v "^<7>" "$tmp/daemon.log" | tail -30
fi
exit $((failed > 0))
