#!/bin/bash
# The fault suite: parleyd with three simulated modems (sim800, ec25, e3372)
# and a real mosquitto broker, under continuous traffic both ways (commands
# over MQTT and `parley send`, customers writing in, some in three parts,
# some writing STOP), while a fault injector, every SOAK_FAULT_GAP seconds on
# average, does one of: kill -9 the daemon, restart the broker, unplug a
# modem and plug it back, make a modem answer +CMS ERROR, nothing at all,
# garbage or an answer without its final line, lose the network for a few
# seconds, fill a SIM, fill the disk under the store (a tmpfs; needs root).
# Then every fault is lifted, the daemon drains, and tools/soakcheck
# reconciles the store, what the simulated network received and every event
# the broker handed an MQTT recorder (see its header for the checks).
#
# `make test` runs it for SOAK_SECONDS=45; `make soak` for SOAK_SECONDS=600
# (any length: SOAK_SECONDS=3600 make soak). SOAK_SEED repeats a run's
# choices (the seed is printed); SOAK_KEEP=1 keeps $tmp with every log.
# Every process it starts, it stops (trap), even on failure.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
SOAKCHECK=${SOAKCHECK:-build/soakcheck}
SECONDS_RUN=${SOAK_SECONDS:-45}
FAULT_GAP=${SOAK_FAULT_GAP:-4}
SEED=${SOAK_SEED:-$$}
RANDOM=$SEED
BASE=parley/soak

mqtt_test_begin soak
need_built "$SOAKCHECK"
disk=
# runs before _mqtt_test_end: the helpers first, then what lib_mqtt stops
soak_end() {
	local f pid
	touch "$tmp/stop" 2>/dev/null
	for f in "$tmp"/*.pid; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	daemon_pid=
	if [ -n "${SOAK_KEEP:-}" ]; then
		[ -n "$disk" ] && cp -a "$disk" "$tmp/disk-copy" 2>/dev/null
		echo "# kept $tmp (the store: $tmp/disk-copy when the disk was a tmpfs)"
	fi
	[ -n "$disk" ] && { umount "$disk" || umount -l "$disk"; }
	if [ -n "${SOAK_KEEP:-}" ]; then
		tmp=$(mktemp -d) # what _mqtt_test_end removes instead
	fi
	_mqtt_test_end
}
trap soak_end EXIT

ctl() { "$MODEMSIM" --control "$tmp/sim$1.sock" --send "$2"; }
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }
m() { "$MQTTC" -p "$BROKER_PORT" "$@"; }
say() { echo "$(date +%T.%3N) $*" >>"$tmp/faults.log"; }

echo "# seed $SEED, $SECONDS_RUN s of traffic, a fault every ~$FAULT_GAP s"

# ---- the disk: a small tmpfs, so that it can be filled ----------------------
store_dir=$tmp
if [ "$(id -u)" -eq 0 ] && mkdir -p "$tmp/disk" && mount -t tmpfs -o size=48m tmpfs "$tmp/disk" 2>/dev/null; then
	disk=$tmp/disk store_dir=$tmp/disk
else
	echo "# the disk is not filled in this run: mounting a tmpfs needs root"
fi

# ---- the broker: persistent, so that a restart keeps the recorder's queue ----
start_broker || { fail "start a broker"; exit 1; }
{
	echo "persistence true"
	echo "persistence_location $BROKER_DIR/"
	echo "max_queued_messages 0"
} >>"$BROKER_DIR/mosquitto.conf"
restart_broker || { fail "restart the broker with persistence"; exit 1; }

# ---- the modems --------------------------------------------------------------
profiles=(sim800 ec25 e3372)
lines=(+447700900100 +447700900200 +447700900300)
for i in 0 1 2; do
	start_sim "$i" "${lines[$i]}" --profile "${profiles[$i]}" --reboot-ms 300 --storage-size 15 \
		--seed $((SEED + i)) || { fail "start modem $i"; exit 1; }
done

cat >"$tmp/parley.conf" <<EOF
store = "$store_dir/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
queue = { unknown = "hold"; retries = 8; retry_base = 1; };
modems = (
  { name = "m0"; device = "$tmp/modem0"; profile = "sim800"; line = "${lines[0]}"; rate_per_minute = 600; },
  { name = "m1"; device = "$tmp/modem1"; profile = "ec25"; line = "${lines[1]}"; rate_per_minute = 600; },
  { name = "m2"; device = "$tmp/modem2"; profile = "e3372"; line = "${lines[2]}"; rate_per_minute = 600; }
);
policy = { default_country = "GB"; };
mqtt = { host = "127.0.0.1"; port = $BROKER_PORT; gateway_id = "soak"; keepalive = 5; };
EOF

# ---- the recorder: every event, through broker restarts (persistent session) ----
recorder() {
	while [ ! -e "$tmp/stop" ] && [ ! -e "$tmp/stop-recorder" ]; do
		m -i soak-recorder --session 3600 -W 0 sub -t "$BASE/event/#" -v \
			--ready "$tmp/recorder.ready" >>"$tmp/events.log" 2>>"$tmp/recorder.err" &
		echo $! >"$tmp/recorder-sub.pid"
		wait $!
		sleep 0.2
	done
}
recorder &
echo $! >"$tmp/recorder.pid"
check "the event recorder subscribes" wait_for 5 test -e "$tmp/recorder.ready"

# ---- the daemon, restarted as systemd would (Restart=on-failure) ----------------
starts=0 exits=0
# memory: each daemon's RSS 10 s after its start (its caches warm) and at
# its last look; the longest-lived one is reported
life_start=0 life_rss_first= life_rss_last= best_life=0 best_rss=
rss_look() {
	local r
	[ -n "$daemon_pid" ] || return 0
	r=$(rss_kb "$daemon_pid")
	[ -n "$r" ] || return 0
	if [ -z "$life_rss_first" ]; then
		[ $((SECONDS - life_start)) -ge 10 ] && life_rss_first=$r
	else
		life_rss_last=$r
	fi
}
life_end() {
	local lived=$((SECONDS - life_start))
	if [ -n "$life_rss_last" ] && [ $lived -gt $best_life ]; then
		best_life=$lived best_rss="$life_rss_first kB after 10 s, $life_rss_last kB after $lived s"
	fi
}
start_daemon() {
	life_start=$SECONDS life_rss_first= life_rss_last=
	starts=$((starts + 1))
	echo "=== start $starts $(date +%T.%3N)" >>"$tmp/daemon.log"
	"$PARLEYD" -c "$tmp/parley.conf" 2>>"$tmp/daemon.log" &
	daemon_pid=$!
}
kill_daemon() {
	rss_look
	life_end
	kill -9 "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null
	daemon_pid=
}
# a daemon that stopped by itself (it may, on a full disk) is counted and restarted
supervise() {
	if [ -n "$daemon_pid" ] && ! kill -0 "$daemon_pid" 2>/dev/null; then
		wait "$daemon_pid" 2>/dev/null
		exits=$((exits + 1))
		say "the daemon exited by itself: $(grep -v '^===' "$tmp/daemon.log" | tail -1)"
		start_daemon
	fi
}
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

start_daemon
all_ready() { [ "$(p status | grep -c ' ready ')" -eq 3 ]; }
check "the daemon brings the three modems to ready" wait_for 30 all_ready
rss_start=$(rss_kb "$daemon_pid")

# ---- customers: 20 numbers; four of them write STOP once, at some point ----
customers=()
for c in $(seq 401 420); do customers+=("+447700900$c"); done
stoppers=(+447700900401 +447700900402 +447700900403 +447700900404)
filler="The quick brown fox jumps over the lazy dog while the gateway is pushed around; "
out_text() { # N: outbound message N; every 10th takes two segments, tagged at both ends
	if [ $(($1 % 10)) -eq 0 ]; then
		echo "o$1 begins. $filler$filler end of o$1"
	else
		echo "o$1 your order update"
	fi
}
in_text() { # N: a customer's message N; every 8th takes three segments
	if [ $(($1 % 8)) -eq 0 ]; then
		echo "i$1 begins. $filler$filler$filler$filler$filler end of i$1"
	else
		echo "i$1 when does it arrive?"
	fi
}
stop_at=$((SECONDS_RUN / 3))

# sender VIA FIRST STEP: outbound messages FIRST, FIRST+2, ... (the two
# senders interleave), each retried with its key until it is accepted or
# refused by policy. Lines in $tmp/sent-VIA: "N KEY TO accepted ID" or
# "N KEY TO refused CODE".
send_mqtt() { # N KEY TO TEXT: prints "accepted ID", "refused CODE" or nothing (retry)
	local out
	out=$(m -W 4 request -t "$BASE/command" \
		-m "{\"cmd\":\"send\",\"id\":\"$2\",\"to\":\"$3\",\"text\":\"$4\",\"key\":\"$2\"}" 2>/dev/null)
	case $out in
	*'"status":"accepted"'*) echo "accepted $(sed -n 's/.*"message_id":\([0-9]*\).*/\1/p' <<<"$out")" ;;
	*'"code":"opted_out"'* | *'"code":"no_consent"'*) echo "refused $(sed -n 's/.*"code":"\([a-z_]*\)".*/\1/p' <<<"$out")" ;;
	*) [ -n "$out" ] && echo "$(date +%T.%3N) $1: $out" >>"$tmp/send-mqtt.err" ;;
	esac
}
send_cli() {
	local out rc
	out=$("$PARLEY" -c "$tmp/parley.conf" send --json --key "$2" --to "$3" "$4" 2>>"$tmp/send-cli.err")
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "accepted $(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")"
	elif [ $rc -eq 3 ]; then
		echo "refused $(sed -n 's/.*"code":"\([a-z_]*\)".*/\1/p' <<<"$out")"
	fi
}
sender() {
	local via=$1 n=$2 to result end=$((SECONDS + SECONDS_RUN))
	while [ $SECONDS -lt $end ] && [ ! -e "$tmp/stop" ]; do
		to=${customers[$((RANDOM % ${#customers[@]}))]}
		while [ ! -e "$tmp/stop" ]; do
			result=$("send_$via" "$n" "o$n" "$to" "$(out_text "$n")")
			[ -n "$result" ] && break
			sleep 0.3
		done
		[ -n "$result" ] && echo "$n o$n $to $result" >>"$tmp/sent-$via"
		n=$((n + 2))
		sleep 0.$((RANDOM % 4))
	done
}
# customers VIA THE MODEMS: message N from a random customer to a random line;
# "N FROM MODEM" lines in $tmp/injected; the STOPs in $tmp/stops.
customers_write() {
	local n=1 from sim end=$((SECONDS + SECONDS_RUN)) stopped=0
	while [ $SECONDS -lt $end ] && [ ! -e "$tmp/stop" ]; do
		sim=$((RANDOM % 3))
		if [ $stopped -lt ${#stoppers[@]} ] && [ $SECONDS -ge $((end - SECONDS_RUN + stop_at * (stopped + 1) / ${#stoppers[@]})) ]; then
			from=${stoppers[$stopped]}
			ctl "$sim" "{\"cmd\":\"inject\",\"from\":\"$from\",\"text\":\"STOP\"}" >/dev/null &&
				echo "$from $sim" >>"$tmp/stops" && stopped=$((stopped + 1))
			continue
		fi
		from=${customers[$((RANDOM % ${#customers[@]}))]}
		if ctl "$sim" "{\"cmd\":\"inject\",\"from\":\"$from\",\"text\":\"$(in_text $n)\",\"gap_ms\":200}" >/dev/null; then
			echo "$n $from $sim" >>"$tmp/injected"
			n=$((n + 1))
		fi
		sleep 0.$((3 + RANDOM % 5))
	done
}
sender mqtt 1 &
echo $! >"$tmp/sender-mqtt.pid"
sender cli 2 &
echo $! >"$tmp/sender-cli.pid"
customers_write &
echo $! >"$tmp/customers.pid"

# ---- the faults -------------------------------------------------------------------
declare -A fault_n
unplugged=()
disk_fill() {
	[ -n "$disk" ] || return 1
	dd if=/dev/zero of="$disk/filler" bs=64k 2>/dev/null
	say "disk full ($(df -k --output=avail "$disk" | tail -1) kB left)"
}
disk_free() { [ -e "${disk:-/nonexistent}/filler" ] && rm -f "$disk/filler" && say "disk freed"; }
fault() {
	local sim=$((RANDOM % 3)) kind=$((RANDOM % 11))
	# no kills in the last third: one daemon lives long enough to show its memory
	while [ $kind -le 1 ] && [ $SECONDS -gt $((end - SECONDS_RUN / 3)) ]; do kind=$((RANDOM % 11)); done
	case $kind in
	0 | 1)
		say "kill -9 the daemon"
		kill_daemon
		sleep 0.$((RANDOM % 10))
		start_daemon
		fault_n[kill]=$((${fault_n[kill]:-0} + 1))
		;;
	2)
		say "broker down"
		stop_broker
		sleep $((RANDOM % 3)).$((RANDOM % 10))
		restart_broker && say "broker up"
		fault_n[broker]=$((${fault_n[broker]:-0} + 1))
		;;
	3)
		say "unplug modem $sim"
		ctl "$sim" '{"cmd":"unplug"}' >/dev/null
		sleep $((1 + RANDOM % 3)).$((RANDOM % 10))
		ctl "$sim" '{"cmd":"replug"}' >/dev/null
		say "replug modem $sim"
		fault_n[unplug]=$((${fault_n[unplug]:-0} + 1))
		;;
	4)
		say "modem $sim: +CMS ERROR on the next sends"
		ctl "$sim" "{\"cmd\":\"fault\",\"type\":\"cms_error\",\"count\":$((1 + RANDOM % 3)),\"code\":$([ $((RANDOM % 2)) -eq 0 ] && echo 500 || echo 332)}" >/dev/null
		fault_n[cms_error]=$((${fault_n[cms_error]:-0} + 1))
		;;
	5)
		say "modem $sim: silence"
		ctl "$sim" "{\"cmd\":\"fault\",\"type\":\"no_answer\",\"count\":$((1 + RANDOM % 2))}" >/dev/null
		fault_n[no_answer]=$((${fault_n[no_answer]:-0} + 1))
		;;
	6)
		say "modem $sim: garbage"
		ctl "$sim" '{"cmd":"fault","type":"garbage","count":48}' >/dev/null
		fault_n[garbage]=$((${fault_n[garbage]:-0} + 1))
		;;
	7)
		say "modem $sim: SIM full ($(ctl "$sim" '{"cmd":"fault","type":"storage_full"}'))"
		fault_n[sim_full]=$((${fault_n[sim_full]:-0} + 1))
		;;
	9)
		say "modem $sim: registration lost"
		ctl "$sim" '{"cmd":"registration","stat":0,"eps_stat":0}' >/dev/null
		sleep $((1 + RANDOM % 3)).$((RANDOM % 10))
		ctl "$sim" '{"cmd":"registration","stat":1,"eps_stat":1}' >/dev/null
		say "modem $sim: registered again"
		fault_n[registration]=$((${fault_n[registration]:-0} + 1))
		;;
	10)
		say "modem $sim: the next answer loses its final line"
		ctl "$sim" '{"cmd":"fault","type":"drop_line","line":-1}' >/dev/null
		fault_n[drop_line]=$((${fault_n[drop_line]:-0} + 1))
		;;
	8)
		if disk_fill; then
			sleep $((2 + RANDOM % 3)).$((RANDOM % 10))
			disk_free
			fault_n[disk_full]=$((${fault_n[disk_full]:-0} + 1))
		fi
		;;
	esac
}

end=$((SECONDS + SECONDS_RUN))
while [ $SECONDS -lt "$end" ]; do
	sleep $((RANDOM % (2 * FAULT_GAP))).$((RANDOM % 10))
	supervise
	rss_look
	fault
	supervise
done
summary=""
for k in "${!fault_n[@]}"; do summary="$summary $k=${fault_n[$k]}"; done
echo "# faults:$summary; daemon starts: $starts, exits by itself: $exits"

# ---- lift every fault, let the last daemon drain ------------------------------------
disk_free
for i in 0 1 2; do
	ctl "$i" '{"cmd":"fault","type":"clear"}' >/dev/null
	ctl "$i" '{"cmd":"registration","stat":1,"eps_stat":1}' >/dev/null
	ctl "$i" '{"cmd":"replug"}' >/dev/null 2>&1
done
[ -n "$BROKER_PID" ] || restart_broker
for f in sender-mqtt sender-cli customers; do
	wait "$(cat "$tmp/$f.pid")" 2>/dev/null
	rm -f "$tmp/$f.pid"
done
supervise
check "the last daemon brings the three modems to ready" wait_for 60 all_ready
injected_n=$(wc -l <"$tmp/injected")
stops_n=$(wc -l <"$tmp/stops")
# drained: nothing due, every customer message stored, the outbox published
drained() {
	local s
	supervise
	s=$(p status --json 2>/dev/null) || return 1
	has "$s" '"queued":0,"sending":0,' || return 1
	[ "$(p inbox --json --limit 100000 | grep -o '"text":"i[0-9]* \|"text":"STOP"' | wc -l)" -ge $((injected_n + stops_n)) ] || return 1
	has "$s" '"events_waiting":0,'
}
if wait_for 240 drained; then
	pass "the last daemon drains: queue, customers' messages, outbox"
else
	fail "the last daemon drains: queue, customers' messages, outbox ($(p status --json 2>&1 | tail -1))"
fi
# the SIMs are empty: what a full SIM held (and what the network waited with) came in
sims_empty() {
	local st
	for i in 0 1 2; do
		st=$(ctl "$i" '{"cmd":"stored"}') || return 1
		has "$st" '"waiting":0' || return 1
		grep -q '"used":[1-9]' <<<"$st" && return 1
	done
	return 0
}
check "every SIM and modem memory was emptied, nothing waits at the network" wait_for 90 sims_empty
rss_look
life_end
# the recorder gets what the broker still holds for it, then stops
events_quiet() {
	local a b
	a=$(wc -l <"$tmp/events.log")
	sleep 2
	b=$(wc -l <"$tmp/events.log")
	[ "$a" -eq "$b" ]
}
wait_for 30 events_quiet
touch "$tmp/stop-recorder"
kill "$(cat "$tmp/recorder-sub.pid")" 2>/dev/null
wait "$(cat "$tmp/recorder.pid")" 2>/dev/null
rm -f "$tmp/recorder.pid" "$tmp/recorder-sub.pid"
kill "$daemon_pid" && wait "$daemon_pid"
daemon_pid=
echo "# daemon RSS: $rss_start kB when first ready; the longest-lived of $starts daemons: ${best_rss:-not measured}"

for i in 0 1 2; do
	ctl "$i" '{"cmd":"sent"}' >"$tmp/net$i.json"
	ctl "$i" '{"cmd":"stored"}' >"$tmp/stored$i.json"
done
cat "$tmp"/sent-mqtt "$tmp"/sent-cli >"$tmp/sent" 2>/dev/null
"$SOAKCHECK" --store "$store_dir/parley.db" --events "$tmp/events.log" --base "$BASE" \
	--sent "$tmp/sent" --injected "$tmp/injected" --stops "$tmp/stops" \
	--net "$tmp/net0.json" --net "$tmp/net1.json" --net "$tmp/net2.json"
rc=$?
[ $rc -eq 0 ] || failed=$((failed + 1))
if [ "$failed" -ne 0 ]; then
	echo "--- faults"
	tail -40 "$tmp/faults.log"
	echo "--- daemon errors (tail)"
	grep -E 'error|warning' "$tmp/daemon.log" | tail -30
fi
exit $((failed > 0))
