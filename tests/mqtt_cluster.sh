#!/bin/bash
# Two gateways on one broker (the broker is the distributed engine): each
# its own parleyd, store and modemsim. Commands on the shared topic are
# divided between them with no duplicate sends; a command for a line goes
# to its gateway only; a STOP received by one gateway blocks sends on the
# other, including a gateway that was down when the STOP came (retained
# consent records). Then the broker with passwords, and with TLS.
# Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
PARLEY=${PARLEY:-build/parley}
PARLEYD=${PARLEYD:-build/parleyd}
MODEMSIM=${MODEMSIM:-build/modemsim}
MQTTC=${MQTTC:-build/mqttc}
L1=+447700900101
L2=+447700900102
S=+447700900999   # the customer who says STOP

need_built "$PARLEY" "$PARLEYD" "$MODEMSIM" "$MQTTC"

tmp=$(mktemp -d /tmp/parley-cluster-XXXXXX)
declare -a daemon_pids=()
cleanup() {
	local pid
	for pid in "${daemon_pids[@]}"; do
		[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	stop_sims
	stop_broker
	rm -rf "$tmp"
}
trap cleanup EXIT

ctl() { "$MODEMSIM" --control "$tmp/sim$1.sock" --send "$2"; }
p() { local n=$1; shift; "$PARLEY" -c "$tmp/gw$n.conf" "$@"; }

# conf N MQTT_EXTRA [PORT]: gateway N's configuration, line L<N> on simulator N
conf() {
	local n=$1 line=$L1 port=${3:-$BROKER_PORT}
	[ "$n" -eq 2 ] && line=$L2
	cat >"$tmp/gw$n.conf" <<EOF
store = "$tmp/gw$n.db";
control_socket = "$tmp/gw$n.sock";
log_level = "debug";
modems = ( { name = "sim"; device = "$tmp/modem$n"; profile = "sim800"; line = "$line";
             rate_per_minute = 600; } );
policy = { default_country = "GB"; };
mqtt = { host = "127.0.0.1"; port = $port; gateway_id = "gw$n"; keepalive = 5; $2 };
EOF
}
start_gw() {
	"$PARLEYD" -c "$tmp/gw$1.conf" 2>>"$tmp/gw$1.log" &
	daemon_pids[$1]=$!
}
stop_gw() {
	kill "${daemon_pids[$1]}" 2>/dev/null && wait "${daemon_pids[$1]}" 2>/dev/null
	daemon_pids[$1]=
}
online() { "$MQTTC" -p "$BROKER_PORT" "${@:2}" sub -t "parley/gw$1/status" --retained | grep -q '"state":"online"'; }
ready() { p "$1" status | grep -q " ready "; }
sent_count() { ctl "$1" '{"cmd":"sent"}' | grep -o '"n":[0-9]*' | wc -l; }
# got N TEXT: messages simulator N received with exactly TEXT (a message's own text, not its segments')
got() { ctl "$1" '{"cmd":"sent"}' | grep -o "\"to\":\"[^\"]*\",\"text\":\"$2\"" | wc -l; }

start_broker || { fail "the broker starts"; exit 1; }
start_sim 1 $L1
start_sim 2 $L2
conf 1 ""
conf 2 ""
start_gw 1
start_gw 2
check "gateway 1 is online" wait_for 10 online 1
check "gateway 2 is online" wait_for 10 online 2
check "both modems are ready" wait_for 20 sh -c "$PARLEY -c $tmp/gw1.conf status | grep -q ' ready ' && $PARLEY -c $tmp/gw2.conf status | grep -q ' ready '"

# ---- shared commands: each goes to one gateway, none twice ----
for i in $(seq 1 20); do
	"$MQTTC" -p "$BROKER_PORT" pub -t parley/command \
		-m "{\"cmd\":\"send\",\"id\":\"s$i\",\"to\":\"+4477009005$(printf %02d "$i")\",\"text\":\"Shared $i\",\"reply_to\":\"console/shared\"}"
done
all_sent() { [ $(($(sent_count 1) + $(sent_count 2))) -ge 20 ]; }
check "20 commands on the shared topic: 20 texts sent" wait_for 20 all_sent
sleep 1
total=$(($(sent_count 1) + $(sent_count 2)))
check "no command was served twice ($total sent)" test "$total" -eq 20
dups=0
for i in $(seq 1 20); do
	n=$(($(got 1 "Shared $i") + $(got 2 "Shared $i")))
	[ "$n" -eq 1 ] || { dups=$((dups + 1)); echo "# Shared $i went out $n times"; }
done
check "each text went out exactly once" test "$dups" -eq 0
check "both gateways took a share ($(sent_count 1) and $(sent_count 2))" test "$(sent_count 1)" -gt 0 -a "$(sent_count 2)" -gt 0

out=$("$MQTTC" -p "$BROKER_PORT" request -t parley/gw2/command -m "{\"cmd\":\"send\",\"to\":\"+447700900600\",\"text\":\"Only via two\",\"line\":\"$L2\"}")
check "a command for line 2 on gateway 2's topic is accepted" has "$out" '"status":"accepted"'
check "and leaves through line 2" wait_for 10 sh -c "[ \$($MODEMSIM --control $tmp/sim2.sock --send '{\"cmd\":\"sent\"}' | grep -c 'Only via two') -ge 1 ]"
out=$("$MQTTC" -p "$BROKER_PORT" request -t parley/gw1/command -m "{\"cmd\":\"send\",\"to\":\"+447700900600\",\"text\":\"x\",\"line\":\"$L2\"}")
check "gateway 1 refuses a line it does not own ($out)" has "$out" '"code":"unknown_line"'

# ---- a STOP to gateway 1 stops gateway 2, even one that was down ----
stop_gw 2
ctl 1 "{\"cmd\":\"inject\",\"from\":\"$S\",\"text\":\"STOP\"}" >/dev/null
revoked() { p 1 consent show "$S" | grep -q revoke; }
check "gateway 1 records the STOP" wait_for 10 revoked
retained_stop() { "$MQTTC" -p "$BROKER_PORT" sub -t "parley/consent/#" --retained | grep -q "\"number\":\"$S\",\"action\":\"revoke\""; }
check "the record is retained on the cluster's consent topic" wait_for 10 retained_stop
start_gw 2
check "gateway 2 comes back online" wait_for 10 online 2
replicated() { p 2 consent show "$S" | grep -q revoke; }
check "gateway 2 learns the STOP it missed" wait_for 10 replicated
out=$("$MQTTC" -p "$BROKER_PORT" request -t parley/gw2/command -m "{\"cmd\":\"send\",\"to\":\"$S\",\"text\":\"Sale!\"}")
check "gateway 2 refuses to text the number: 4001 ($out)" has "$out" '"code_number":4001'
out=$(p 2 send --to "$S" "Hello" 2>&1)
check "so does parley send on gateway 2" has "$out" "opted_out"
check "the replica names its origin (gateway 1's store)" has "$(p 2 consent show --json "$S")" '"origin":"'
check "gateway 1's own record has none" has "$(p 1 consent show --json "$S")" '"origin":null'
ctl 1 "{\"cmd\":\"inject\",\"from\":\"$S\",\"text\":\"START\"}" >/dev/null
granted() { p 2 consent show --json "$S" | grep -q '"transactional":"ok"'; }
check "a START on gateway 1 lifts it on gateway 2 too" wait_for 10 granted
stop_gw 1
stop_gw 2
check "no gateway logged an error" test "$(cat "$tmp"/gw*.log | grep -c '^<3>')" -eq 0

# ---- passwords and TLS ----
stop_broker
start_broker --password --tls || { fail "the broker starts with passwords and TLS"; exit 1; }
conf 1 "username = \"gateway\"; password = \"wrong\";"
start_gw 1
sleep 2
check "a wrong password: not online" sh -c "! $MQTTC -p $BROKER_PORT -u console -P s3cret sub -t parley/gw1/status --retained | grep -q online"
check "and the log says why, without the password" sh -c "grep -q 'refused\|authori' $tmp/gw1.log && ! grep -q wrong $tmp/gw1.log"
stop_gw 1
printf 'gw-pass\n' >"$tmp/gw.pass"
conf 1 "username = \"gateway\"; password_file = \"$tmp/gw.pass\";"
start_gw 1
check "the right password (from a file): online" wait_for 10 online 1 -u console -P s3cret
stop_gw 1
conf 1 "username = \"gateway\"; password = \"gw-pass\"; tls = { ca_file = \"$BROKER_CA\"; cert_file = \"$BROKER_CERT\"; key_file = \"$BROKER_KEY\"; };" "$BROKER_TLS_PORT"
start_gw 1
tls_online() { "$MQTTC" -p "$BROKER_TLS_PORT" --cafile "$BROKER_CA" -u console -P s3cret sub -t parley/gw1/status --retained | grep -q '"state":"online"'; }
check "over TLS with a client certificate: online" wait_for 10 tls_online
out=$("$MQTTC" -p "$BROKER_TLS_PORT" --cafile "$BROKER_CA" -u console -P s3cret request -t parley/gw1/command -m '{"cmd":"send","to":"+447700900777","text":"Over TLS"}')
check "a command over TLS is answered ($out)" has "$out" '"status":"accepted"'
stop_gw 1
conf 1 "username = \"gateway\"; password = \"gw-pass\"; protocol = \"3.1.1\";"
start_gw 1
check "protocol 3.1.1 when configured: online" wait_for 10 online 1 -u console -P s3cret
check "and the log says which" wait_for 5 grep -q "connected to 127.0.0.1:$BROKER_PORT (MQTT 3.1.1)" "$tmp/gw1.log"
out=$("$MQTTC" -p "$BROKER_PORT" -u console -P s3cret -V 311 request -t parley/gw1/command --reply-topic console/r -m '{"cmd":"cancel","message_id":424242,"reply_to":"console/r"}')
check "a 3.1.1 gateway answers on reply_to ($out)" has "$out" '"code":"not_found"'
stop_gw 1

if [ "$failed" -ne 0 ]; then
	for n in 1 2; do
		echo "--- gateway $n log (tail)"
		grep '^<3>' "$tmp/gw$n.log" | head -5
		grep -v '^<7>' "$tmp/gw$n.log" | tail -15
	done
fi
exit $((failed > 0))
