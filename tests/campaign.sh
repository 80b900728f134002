#!/bin/bash
# Campaigns end to end (issue 7): a real broker, two tools/modemsim lines and
# the real parleyd. A marketing campaign over 1,000 numbers: 50 have opted
# out, 100 are in a zone where it is night (outside the allowed window), the
# other 850 have consented. The reply counts 950 queued and 50 blocked as
# opted out; both lines share the sends; the night numbers never reach a
# modem; the summary comes once, when nothing is left to send: 850 sent,
# 50 blocked (opted_out), 100 expired while held by quiet hours (the
# campaign ends before their morning). A second campaign without an end
# shows its night numbers held (not sent, no summary), and numbers that are
# not numbers, lack a variable or are listed twice blocked with those reasons.
#
# Deterministic whatever the time: the operator window is the hour either
# side of now in one zone (London or Tokyo, whichever is not near midnight),
# and the other zone, 8 or 9 hours away, is then outside it.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
L1=+447700900101
L2=+447700900102

mqtt_test_begin campaign

# ---- which zone is in its window now ----
minutes() { echo $((10#$(TZ=$1 date +%H) * 60 + 10#$(TZ=$1 date +%M))); }
london=$(minutes Europe/London)
tokyo=$(minutes Asia/Tokyo)
# +44 7700 9xxxxx: London; +81 90 xxxx xxxx: Tokyo
if [ "$london" -ge 60 ] && [ "$london" -lt 1380 ]; then
	day=$london
	open_number() { printf '+4477009%05d' "$1"; }
	night_number() { printf '+8190%08d' "$1"; }
else
	day=$tokyo
	open_number() { printf '+8190%08d' "$1"; }
	night_number() { printf '+4477009%05d' "$1"; }
fi
hhmm() { printf '%02d:%02d' $(($1 / 60)) $(($1 % 60)); }
start=$(hhmm $((day - 60)))
end=$(hhmm $((day + 60)))

start_broker || { fail "the broker starts"; exit 1; }
start_sim 1 $L1
start_sim 2 $L2
ctl() { "$MODEMSIM" --control "$tmp/sim$1.sock" --send "$2"; }
m() { "$MQTTC" -p "$BROKER_PORT" "$@"; }
cmd() { m request -t parley/gw/command -m "$1"; }
BASE=parley/gw

cat >"$tmp/parley.conf" <<EOF2
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
modems = (
  { name = "one"; device = "$tmp/modem1"; profile = "sim800"; line = "$L1"; rate_per_minute = 600; },
  { name = "two"; device = "$tmp/modem2"; profile = "sim800"; line = "$L2"; rate_per_minute = 600; }
);
policy = { default_country = "GB";
           quiet_hours = { start = "$start"; end = "$end"; categories = ["marketing"]; }; };
mqtt = { host = "127.0.0.1"; port = $BROKER_PORT; gateway_id = "gw"; };
templates = { promo = "Hi {name}, 30% off everything today. Reply STOP to opt out."; };
EOF2

# ---- consent: 1,000 grants (imported), then 50 opt-outs ----
{
	echo "number,action,scope,scope_name,category,method,disclosure,recorded_by,message_id,at"
	for i in $(seq 1 900); do
		echo "$(open_number $((10000 + i))),grant,all,,marketing,web,Web form v3,test,,2026-01-01T00:00:00Z"
	done
	for i in $(seq 1 100); do
		echo "$(night_number $((10000 + i))),grant,all,,marketing,web,Web form v3,test,,2026-01-01T00:00:00Z"
	done
} >"$tmp/consent.csv"
check "1,000 consents imported" "$PARLEY" -c "$tmp/parley.conf" consent import "$tmp/consent.csv"
revoked=0
for i in $(seq 851 900); do
	"$PARLEY" -c "$tmp/parley.conf" consent revoke "$(open_number $((10000 + i)))" >/dev/null &&
		revoked=$((revoked + 1))
done
check "50 opt-outs recorded ($revoked)" test "$revoked" -eq 50

m -W 0 sub -t "$BASE/event/campaign" --ready "$tmp/sub.ready" >"$tmp/events.log" 2>&1 &
sub_pid=$!
wait_for 5 test -e "$tmp/sub.ready"
"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
ready() { [ "$("$PARLEY" -c "$tmp/parley.conf" status | grep -c " ready ")" -eq 2 ]; }
check "two modems ready" wait_for 20 ready

# ---- the campaign: 1,000 recipients, interleaved ----
recipients=
for i in $(seq 1 1000); do
	if [ $((i % 10)) -eq 0 ]; then
		n=$(night_number $((10000 + i / 10)))
	else
		n=$(open_number $((10000 + i - i / 10)))
	fi
	recipients+="${recipients:+,}{\"to\":\"$n\",\"variables\":{\"name\":\"Sam $i\"}}"
done
ends=$(( ($(date +%s) + 1800) * 1000 ))
payload="{\"cmd\":\"campaign\",\"id\":\"bf\",\"name\":\"black-friday\",\"template\":\"promo\",\"expire_at\":$ends,\"recipients\":[$recipients]}"
check "the payload is larger than other commands may be (${#payload} bytes)" test "${#payload}" -gt 16384
t0=$(date +%s)
out=$(cmd "$payload")
check "the campaign is accepted" has "$out" '"status":"accepted"'
check "1,000 recipients, 950 queued ($out)" has "$out" '"total":1000,"queued":950,'
check "50 blocked as opted out at once" has "$out" '"blocked":50,'
check "by reason" has "$out" '"blocked_by":{"opted_out":50}'
id=$(sed -n 's/.*"result":{"campaign":\([0-9]*\).*/\1/p' <<<"$out")
check "it names the campaign ($id)" test -n "$id"

summary() { grep -q "\"event\":\"summary\",.*\"campaign\":$id," "$tmp/events.log"; }
check "the summary comes when nothing is left to send" wait_for 90 summary
t1=$(date +%s)
s=$(grep "\"event\":\"summary\",.*\"campaign\":$id," "$tmp/events.log")
check "summary: 850 sent ($s)" has "$s" '"sent":850,'
check "summary: 50 blocked, opted out" has "$s" '"blocked":50,'
check "summary: blocked_by opted_out 50" has "$s" '"blocked_by":{"opted_out":50}'
check "summary: the 100 night numbers held by quiet hours until the campaign's end" has "$s" '"expired":100,'
check "summary: expired_by quiet_hours 100" has "$s" '"expired_by":{"quiet_hours":100}'
check "summary: nothing failed, queued or held" has "$s" '"queued":0,"held":0,"sending":0,"unknown":0,'
check "summary: state done" has "$s" '"state":"done"'
check "progress events came before it" grep -q "\"event\":\"progress\",.*\"campaign\":$id," "$tmp/events.log"

sent1=$(ctl 1 '{"cmd":"sent"}' | grep -o '"to":"[^"]*"' | sort -u)
sent2=$(ctl 2 '{"cmd":"sent"}' | grep -o '"to":"[^"]*"' | sort -u)
n1=$(grep -c . <<<"$sent1")
n2=$(grep -c . <<<"$sent2")
check "both lines sent a share ($n1 + $n2 = 850)" test "$n1" -gt 100 -a "$n2" -gt 100 -a $((n1 + n2)) -eq 850
night_sent=0
for i in 1 50 100; do
	grep -q "\"to\":\"$(night_number $((10000 + i)))\"" <<<"$sent1$sent2" && night_sent=$((night_sent + 1))
done
check "no night number reached a modem" test "$night_sent" -eq 0
opted_sent=$(grep -c "\"to\":\"$(open_number 10851)\"\|\"to\":\"$(open_number 10900)\"" <<<"$sent1$sent2")
check "no opted-out number reached a modem" test "$opted_sent" -eq 0
check "the text was rendered per recipient" sh -c "$MODEMSIM --control $tmp/sim1.sock --send '{\"cmd\":\"sent\"}' | grep -q 'Hi Sam [0-9]*, 30% off'"
out=$(cmd "{\"cmd\":\"campaign_status\",\"campaign\":$id}")
check "campaign_status answers the same counts" has "$out" '"sent":850,'
sleep 1.5
check "the summary was told once" test "$(grep -c "\"event\":\"summary\",.*\"campaign\":$id," "$tmp/events.log")" -eq 1

# ---- a campaign without an end: night numbers held; bad recipients blocked ----
out=$(cmd "{\"cmd\":\"campaign\",\"name\":\"small\",\"template\":\"promo\",\"recipients\":[
 {\"to\":\"$(night_number 10001)\",\"variables\":{\"name\":\"A\"}},
 {\"to\":\"$(night_number 10002)\",\"variables\":{\"name\":\"B\"}},
 {\"to\":\"not a number\",\"variables\":{\"name\":\"C\"}},
 {\"to\":\"$(open_number 10001)\"},
 {\"to\":\"$(night_number 10001)\",\"variables\":{\"name\":\"A again\"}}]}")
check "a second campaign is accepted ($out)" has "$out" '"status":"accepted"'
check "an invalid number, a missing variable and a number listed twice are blocked with their reasons" \
	has "$out" '"blocked_by":{"duplicate":1,"invalid_number":1,"missing_variable":1}'
id2=$(sed -n 's/.*"result":{"campaign":\([0-9]*\).*/\1/p' <<<"$out")
held() { cmd "{\"cmd\":\"campaign_status\",\"campaign\":$id2}" | grep -q '"held":2,.*"held_by":{"quiet_hours":2}'; }
check "its night numbers are held by quiet hours" wait_for 10 held
sleep 1.5
check "and it has no summary: they go in the morning" sh -c "! grep -q '\"event\":\"summary\",.*\"campaign\":$id2,' $tmp/events.log"
out=$(cmd '{"cmd":"campaign_status","campaign":999999}')
check "an unknown campaign: not_found" has "$out" '"code":"not_found"'
out=$(cmd "{\"cmd\":\"send\",\"to\":\"$L1\",\"text\":\"$(head -c 17000 /dev/zero | tr '\0' x)\"}")
check "other commands keep the small limit" has "$out" '"code":"payload_too_large"'
check "the daemon logged no errors" test "$(grep -c '^<3>' "$tmp/daemon.log")" -eq 0
echo "# 1,000-number campaign: accepted to summary in $((t1 - t0)) s"

if [ "$failed" -ne 0 ]; then
	echo "--- daemon log (tail)"
	grep -v '^<7>' "$tmp/daemon.log" | tail -25
fi
exit $((failed > 0))
