#!/bin/bash
# Hostile text is only ever data: SQL (`'); DROP TABLE messages;--`), shell
# ($(touch ...) and backticks, which would create a file here if anything
# ran them), format directives (%s%n) and quotes go through `parley send`,
# MQTT commands (text, key, template variables, a note, consent fields),
# a customer's message and the store, and come back exactly as they went in:
# in the modem's hands, in events, in `parley show`. As a phone number they
# are refused. A newline in a console's field cannot forge a log line. The
# store keeps all its messages. Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
LINE=+447700900100
A=+447700900123
BASE=parley/gw1

mqtt_test_begin hostile
SQL="'); DROP TABLE messages;--"
DOLLAR='$(touch '"$tmp"'/pwned-dollar)'
BACKTICK='`touch '"$tmp"'/pwned-backtick`'
MIXED='"; DELETE FROM consent_ledger; -- \ %s%n%x '"'"'||'"'"' $HOME'
HOSTILE=("$SQL" "$DOLLAR" "$BACKTICK" "$MIXED")

start_broker || { fail "the broker starts"; exit 1; }
start_sim 1 $LINE
ctl() { "$MODEMSIM" --control "$tmp/sim1.sock" --send "$1"; }
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }
m() { "$MQTTC" -p "$BROKER_PORT" "$@"; }
cmd() { m request -t "$BASE/command" -m "$1"; }
# a JSON string's contents for TEXT (none of ours holds a control character)
json() { local s=${1//\\/\\\\}; printf '%s' "${s//\"/\\\"}"; }

cat >"$tmp/parley.conf" <<EOF
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
modems = ( { name = "sim"; device = "$tmp/modem1"; profile = "sim800"; line = "$LINE";
             rate_per_minute = 600; } );
policy = { default_country = "GB"; };
mqtt = { host = "127.0.0.1"; port = $BROKER_PORT; gateway_id = "gw1"; keepalive = 5; };
templates = { hello = "Hi {name}!"; };
EOF
m -W 0 sub -t "$BASE/event/+" -v --ready "$tmp/sub.ready" >"$tmp/events.log" 2>"$tmp/sub.err" &
sub_pid=$!
wait_for 5 test -e "$tmp/sub.ready"
"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
ready() { p status | grep -q " ready "; }
check "the modem is ready" wait_for 20 ready

# sent_exactly TEXT: the modem was handed a message with exactly TEXT
sent_exactly() { ctl '{"cmd":"sent"}' | grep -qF "\"text\":\"$(json "$1")\""; }
event_exactly() { grep -qF "\"text\":\"$(json "$1")\"" "$tmp/events.log"; }
received_exactly() { grep "^$BASE/event/received " "$tmp/events.log" | grep -qF "\"text\":\"$(json "$1")\""; }
id_of() { sed -n 's/.*"\(message_\)\{0,1\}id":\([0-9]*\).*/\2/p' <<<"$1" | head -1; }
sent_messages=0

# ---- parley send: the text, and the idempotency key ----
for i in "${!HOSTILE[@]}"; do
	h=${HOSTILE[$i]}
	out=$(p send --json --to $A --key "$h" "$h" 2>&1)
	id=$(id_of "$out")
	check "parley send takes hostile text $i as data ($out)" test -n "$id"
	sent_messages=$((sent_messages + 1))
	check "  the modem is given exactly that text" wait_for 10 sent_exactly "$h"
	check "  parley show gives it back exactly" has "$(p show --json "$id")" "\"text\":\"$(json "$h")\""
	again=$(p send --json --to $A --key "$h" "something else" 2>&1)
	check "  the same key finds the same message" test "$(id_of "$again")" = "$id"
done

# ---- MQTT: text, key, template variables ----
for i in "${!HOSTILE[@]}"; do
	h=$(json "${HOSTILE[$i]}")
	out=$(cmd "{\"cmd\":\"send\",\"to\":\"$A\",\"text\":\"MQTT $h\",\"key\":\"mqtt-$h\"}")
	check "an MQTT send with hostile text $i is accepted ($out)" has "$out" '"status":"accepted"'
	sent_messages=$((sent_messages + 1))
	check "  the modem is given exactly that text" wait_for 10 sent_exactly "MQTT ${HOSTILE[$i]}"
	check "  its events carry exactly that text" wait_for 10 event_exactly "MQTT ${HOSTILE[$i]}"
done
out=$(cmd "{\"cmd\":\"send\",\"to\":\"$A\",\"template\":\"hello\",\"variables\":{\"name\":\"$(json "$DOLLAR$SQL")\"}}")
check "a template variable with hostile text is accepted ($out)" has "$out" '"status":"accepted"'
sent_messages=$((sent_messages + 1))
check "  and rendered as text" wait_for 10 sent_exactly "Hi $DOLLAR$SQL!"

# ---- as a phone number, it is refused ----
for h in "$SQL" "$DOLLAR" "$BACKTICK"; do
	out=$(cmd "{\"cmd\":\"send\",\"to\":\"$(json "$h")\",\"text\":\"x\"}")
	check "MQTT: \"$h\" as a number is refused ($out)" has "$out" '"code":"invalid_number"'
	out=$(p send --to "$h" "x" 2>&1)
	check "parley send: \"$h\" as a number is refused (exit $?)" test $? -ne 0
done

# ---- a customer's message ----
for i in "${!HOSTILE[@]}"; do
	ctl "{\"cmd\":\"inject\",\"from\":\"$A\",\"text\":\"$(json "${HOSTILE[$i]}")\"}" >/dev/null
	check "a customer's hostile text $i arrives exactly" wait_for 10 received_exactly "${HOSTILE[$i]}"
	check "  and is stored exactly" has "$(p inbox --json)" "\"text\":\"$(json "${HOSTILE[$i]}")\""
done

# ---- a note, consent fields, and newlines aimed at the log ----
conv=$(grep -o '"kind":"conversation","at":"[^"]*","id":[0-9]*' "$tmp/events.log" | head -1 | sed 's/.*"id"://')
out=$(cmd "{\"cmd\":\"note\",\"conversation\":${conv:-0},\"agent\":\"alice\",\"text\":\"$(json "$MIXED$SQL")\"}")
check "a note with hostile text is recorded ($out)" has "$out" '"status":"accepted"'
out=$(cmd "{\"cmd\":\"conversation\",\"conversation\":${conv:-0}}")
check "  and comes back exactly in the history" has "$out" "\"text\":\"$(json "$MIXED$SQL")\""
out=$(cmd "{\"cmd\":\"consent_grant\",\"number\":\"+447700900200\",\"category\":\"marketing\",\"method\":\"web\",\"disclosure\":\"$(json "$SQL$DOLLAR")\",\"by\":\"crm\\n<3>forged by a console\"}")
check "consent with hostile fields is recorded ($out)" has "$out" '"status":"accepted"'
out=$(cmd '{"cmd":"consent_show","number":"+447700900200"}')
check "  and shown back exactly" has "$out" "\"disclosure\":\"$(json "$SQL$DOLLAR")\""
out=$(cmd '{"cmd":"campaign","name":"spring\n<3>forged campaign","text":"Spring sale","category":"transactional","recipients":[{"to":"+447700900201"}]}')
check "a campaign whose name holds a newline is answered ($out)" has "$out" '"status":"'
has_campaign=$(has "$out" '"status":"accepted"' && echo 1 || echo 0)
sent_messages=$((sent_messages + has_campaign))
check "no log line was forged by a newline in a field" test "$(grep -c '^<[0-7]>forged' "$tmp/daemon.log")" -eq 0
check "  the line is there, its newline escaped" grep -qF 'recorded by crm\n<3>forged by a console' "$tmp/daemon.log"

# ---- nothing ran, nothing was dropped ----
check "no shell ran \$(...)" test ! -e "$tmp/pwned-dollar"
check "no shell ran backticks" test ! -e "$tmp/pwned-backtick"
outbound=$(p queue --json --limit 1000 | grep -o '"id":' | wc -l)
check "every outbound message is still in the store ($outbound, at least $sent_messages)" \
	test "$outbound" -ge "$sent_messages"
inbound=$(p inbox --json | grep -o '"id":' | wc -l)
check "and every inbound one ($inbound)" test "$inbound" -ge "${#HOSTILE[@]}"
stats_ok() { p stats >/dev/null; }
check "the figures still add up (parley stats)" stats_ok
kill "$daemon_pid"
wait "$daemon_pid"
check "parleyd stops cleanly" test $? -eq 0
daemon_pid=
exit $((failed > 0))
