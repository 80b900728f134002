#!/bin/bash
# Crash safety, end to end: the real parleyd against tools/modemsim (sim800,
# no latency but CRASH_CMGS_MS on +CMGS, below) on a throwaway store. CRASH_MESSAGES messages (default 200;
# every 20th a two-part one) are queued with `parley send --key` while the
# daemon is killed with SIGKILL at random moments and restarted
# CRASH_KILLS times (default 8), and the simulated modem is unplugged and
# plugged back once. Customers write in meanwhile (some multi-part texts).
# Then the last daemon drains the queue and the store is reconciled with
# what the simulated network received:
#   - every accepted message is in the store, with its text, in exactly one
#     of sent/delivered (went out) or unknown/held (the daemon died while the
#     modem had it); none queued, sending, failed or lost;
#   - every message the network received maps to an accepted message; sent
#     ones arrived exactly once and whole; duplicates or halves only among
#     unknown/held ones (counted);
#   - every customer message is in the inbox exactly once, whole.
# For a soak by hand: CRASH_MESSAGES=1000 CRASH_KILLS=40 tests/daemon_crash.sh
# CRASH_SEED repeats a run's kill intervals (the seed is printed); CRASH_KEEP=1
# keeps the store and the logs.
# Every process it starts, it stops (trap), even on failure.
set -u
. "$(dirname "$0")/lib.bash"
PARLEY=${PARLEY:-build/parley}
PARLEYD=${PARLEYD:-build/parleyd}
MODEMSIM=${MODEMSIM:-build/modemsim}
N=${CRASH_MESSAGES:-200}
KILLS=${CRASH_KILLS:-8}
SEED=${CRASH_SEED:-$$}
RANDOM=$SEED
# the queue must be empty this long after the last restart (at 600 a minute)
DRAIN_S=$((N / 10 + 40))

need_built "$PARLEY" "$PARLEYD" "$MODEMSIM"

tmp=$(mktemp -d /tmp/parley-crash-XXXXXX)
sim_pid= daemon_pid= sender_pid=
cleanup() {
	[ -n "$sender_pid" ] && kill "$sender_pid" 2>/dev/null && wait "$sender_pid" 2>/dev/null
	[ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	if [ -n "${CRASH_KEEP:-}" ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

ctl() { "$MODEMSIM" --control "$tmp/sim.sock" --send "$1"; }
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }


# records: one JSON object a line from a one-line JSON array of flat objects
records() { sed 's/^\[//; s/\]$//; s/},{"id"/}\n{"id"/g'; }
# field NAME: a string or number field of each record on stdin
field() { sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[0-9a-z]*\).*/\1/p" | tr -d '"'; }

echo "# seed $SEED, $N messages, $KILLS kills"
"$MODEMSIM" --profile sim800 --link "$tmp/modem" --control "$tmp/sim.sock" --reboot-ms 300 \
	--log "$tmp/sim.log" --number +447700900100 >"$tmp/sim.out" 2>"$tmp/sim.err" &
sim_pid=$!
wait_for 5 test -S "$tmp/sim.sock"
# The window a kill must hit to leave a message unknown is the +CMGS round
# trip: a few milliseconds without latency, so that nearly every kill misses
# it. CRASH_CMGS_MS (default 30) widens it; the rate limit (10 a second)
# still sets the pace.
ctl "{\"cmd\":\"latency\",\"command\":\"+CMGS\",\"ms\":${CRASH_CMGS_MS:-30}}" >/dev/null

cat >"$tmp/parley.conf" <<EOF
store = "$tmp/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
queue = { unknown = "hold"; retries = 5; retry_base = 1; };
modems = (
  { name = "sim"; device = "$tmp/modem"; profile = "sim800"; line = "+447700900100";
    rate_per_minute = 600; }
);
EOF

starts=0
start_daemon() {
	starts=$((starts + 1))
	echo "=== start $starts" >>"$tmp/daemon.log"
	"$PARLEYD" -c "$tmp/parley.conf" 2>>"$tmp/daemon.log" &
	daemon_pid=$!
}
kill_daemon() {
	kill -9 "$daemon_pid" 2>/dev/null
	wait "$daemon_pid" 2>/dev/null
	daemon_pid=
}

# text I: message I's text; every 20th takes two segments. The number is at
# both ends so that either half names its message.
filler="The quick brown fox jumps over the lazy dog while the daemon keeps dying; "
text() {
	if [ $(($1 % 20)) -eq 0 ]; then
		echo "msg $1 begins. $filler$filler$filler end of msg $1"
	else
		echo "msg $1"
	fi
}

start_daemon
ready() { p status | grep -q " ready "; }
check "the daemon brings the modem to ready" wait_for 20 ready

# The sender: N messages, each retried with its key until the store accepts
# it (a repeated key returns the same message). "I ID" lines in accepted.
(
	for i in $(seq 1 "$N"); do
		for try in 1 2 3 4 5; do
			out=$("$PARLEY" -c "$tmp/parley.conf" send --json --key "k$i" \
				--to "+4477009002$((i % 10))0" "$(text "$i")" 2>>"$tmp/send.err")
			id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
			if [ -n "$id" ]; then
				echo "$i $id" >>"$tmp/accepted"
				break
			fi
			echo "send $i try $try: $out" >>"$tmp/send.err"
			sleep 0.2
		done
	done
) &
sender_pid=$!

# Customers writing in: J FROM TEXT. 3 and 6 take three segments.
long_in="which is long enough to need three parts on the way in, because a customer wrote a lot, and the daemon must keep every part across its deaths, then deliver it whole and only once. "
inbound=(
	"1 +447700900301 in 1: hello"
	"2 +447700900302 in 2: is my order ready?"
	"3 +447700900303 in 3: $long_in$long_in end 3"
	"4 +447700900304 in 4: thanks"
	"5 +447700900305 in 5: written while unplugged"
	"6 +447700900306 in 6: $long_in$long_in end 6"
	"7 +447700900307 in 7: see you"
)
injected=0
inject() {
	local j from txt
	read -r j from txt <<<"${inbound[$1]}"
	ctl "{\"cmd\":\"inject\",\"from\":\"$from\",\"text\":\"$txt\",\"gap_ms\":300}" >/dev/null ||
		echo "# inject $j failed"
	injected=$((injected + 1))
}

# Kills at random moments (0.3 to 2.8 s apart); customers write between
# them, one while the daemon is down; the modem is unplugged once mid-run.
unplug_at=$((KILLS / 2))
for k in $(seq 1 "$KILLS"); do
	sleep "$((RANDOM % 3)).$((RANDOM % 10))"
	sleep 0.3
	[ $injected -lt ${#inbound[@]} ] && [ $((k % 2)) -eq 1 ] && inject $injected
	kill_daemon
	[ $injected -lt ${#inbound[@]} ] && [ "$k" -eq 2 ] && inject $injected
	if [ "$k" -eq "$unplug_at" ]; then
		start_daemon
		sleep 1.5
		ctl '{"cmd":"unplug"}' >/dev/null
		[ $injected -lt ${#inbound[@]} ] && inject $injected
		sleep 1.5
		ctl '{"cmd":"replug"}' >/dev/null
		continue
	fi
	start_daemon
done
while [ $injected -lt ${#inbound[@]} ]; do inject $injected; done

wait "$sender_pid"
sender_pid=
accepted_n=$(wc -l <"$tmp/accepted" 2>/dev/null || echo 0)
check "every message was accepted ($accepted_n of $N; refusals in send.err)" test "$accepted_n" -eq "$N"

# A restarted daemon can meet answers the killed one's commands left on the
# line: it must still bring the modem to ready.
if wait_for 20 ready; then
	pass "the last daemon brings the modem to ready"
else
	fail "the last daemon brings the modem to ready (status: $(p status 2>&1 | head -1 | tr -s ' '))"
fi

# Drained: nothing queued or sending (retries back off 1, 2, 4... s).
drained() {
	local s
	s=$(p status --json) || return 1
	has "$s" '"queued":0,"sending":0,'
}
if wait_for "$DRAIN_S" drained; then
	pass "the last daemon drains the queue within $DRAIN_S s"
else
	fail "the last daemon drains the queue within $DRAIN_S s (10 a second; $(p status 2>&1 | tail -1))"
fi
sleep 1 # the inbox: the last parts of a customer's text

# ---- reconcile: the store --------------------------------------------------
p queue --json --limit 100000 | records >"$tmp/queue"
p inbox --json --limit 100000 | records >"$tmp/inbox"
ctl '{"cmd":"sent"}' | sed 's/.*"messages":\[//; s/\]}$//; s/},{"n"/}\n{"n"/g' >"$tmp/net"

declare -A state_of text_of got
while read -r rec; do
	id=$(field id <<<"$rec")
	state_of[$id]=$(field state <<<"$rec")
	text_of[$id]=$(sed -n 's/.*"text":"\(msg [^"]*\)".*/\1/p' <<<"$rec")
done <"$tmp/queue"

lost=0 wrong=0 n_sent=0 n_unknown=0 n_other=0 unfinished=0
lost_list= other_list= unfinished_list= unknown_ids=
declare -A id_of
while read -r i id; do
	id_of[$i]=$id
	if [ -z "${state_of[$id]:-}" ]; then
		lost=$((lost + 1))
		lost_list+=" $i(id $id)"
		continue
	fi
	[ "${text_of[$id]}" = "$(text "$i")" ] || wrong=$((wrong + 1))
	case ${state_of[$id]} in
	sent | delivered) n_sent=$((n_sent + 1)) ;;
	unknown | held)
		n_unknown=$((n_unknown + 1))
		unknown_ids+=" $id"
		;;
	queued | sending)
		unfinished=$((unfinished + 1))
		unfinished_list+=" $id:${state_of[$id]}"
		;;
	*)
		n_other=$((n_other + 1))
		other_list+=" $id:${state_of[$id]}"
		;;
	esac
done <"$tmp/accepted"
# short LIST: at most its first 160 characters
short() { if [ ${#1} -gt 160 ]; then echo "${1:0:160}..."; else echo "$1"; fi; }
check "no accepted message is lost ($lost lost:$(short "$lost_list"))" test "$lost" -eq 0
check "each stored message has its own text ($wrong wrong)" test "$wrong" -eq 0
check "none is left queued or sending ($unfinished:$(short "$unfinished_list"))" test "$unfinished" -eq 0
check "each is sent/delivered or unknown/held ($n_other in another state:$(short "$other_list"))" \
	test "$n_other" -eq 0
check "the store holds no other outbound message ($(wc -l <"$tmp/queue") listed)" \
	test "$(wc -l <"$tmp/queue")" -eq "$accepted_n"

# ---- reconcile: the network ------------------------------------------------
# each network message: its number (msg I, at either end) and whether whole
strays=0 dup=0 dup_unknown=0 halves=0 halves_unknown=0 sent_missing=0
while read -r rec; do
	[ -n "$rec" ] || continue
	i=$(sed -n 's/.*"text":"[^"]*msg \([0-9]*\).*/\1/p' <<<"$rec" | head -1)
	id=
	[ -n "$i" ] && id=${id_of[$i]:-}
	if [ -z "$id" ]; then
		strays=$((strays + 1))
		echo "# the network got a message no accepted one explains: ${rec:0:200}"
		continue
	fi
	if has "$rec" '"complete":false'; then
		halves=$((halves + 1))
		[[ " $unknown_ids " == *" $id "* ]] && halves_unknown=$((halves_unknown + 1))
		continue
	fi
	got[$id]=$((${got[$id]:-0} + 1))
done <"$tmp/net"
for id in "${!got[@]}"; do
	[ "${got[$id]}" -gt 1 ] || continue
	dup=$((dup + ${got[$id]} - 1))
	[[ " $unknown_ids " == *" $id "* ]] && dup_unknown=$((dup_unknown + ${got[$id]} - 1))
	echo "# message $id (${state_of[$id]:-?}) reached the network ${got[$id]} times"
done
for id in "${id_of[@]}"; do
	case ${state_of[$id]:-} in
	sent | delivered)
		[ "${got[$id]:-0}" -eq 0 ] && sent_missing=$((sent_missing + 1)) &&
			echo "# message $id is ${state_of[$id]} but the network never got it whole"
		;;
	*) ;;
	esac
done
unknown_out=0
for id in $unknown_ids; do [ "${got[$id]:-0}" -gt 0 ] && unknown_out=$((unknown_out + 1)); done
check "every message the network got is an accepted one ($strays strays)" test "$strays" -eq 0
check "every sent message reached the network whole ($sent_missing missing)" test "$sent_missing" -eq 0
check "duplicates only among unknown/held ($dup duplicates, $dup_unknown among them)" \
	test "$dup" -eq "$dup_unknown"
check "halves only among unknown/held ($halves halves, $halves_unknown among them)" \
	test "$halves" -eq "$halves_unknown"

# ---- reconcile: the inbox --------------------------------------------------
in_dup=0 in_missing=0 in_bad=0
for entry in "${inbound[@]}"; do
	read -r j from txt <<<"$entry"
	n=$(grep -c "\"text\":\"in $j: " "$tmp/inbox")
	if [ "$n" -eq 0 ]; then
		in_missing=$((in_missing + 1))
		echo "# customer message $j from $from is not in the inbox"
	elif [ "$n" -gt 1 ]; then
		in_dup=$((in_dup + n - 1))
		echo "# FINDING: customer message $j from $from is in the inbox $n times" \
			"(a kill between the commit and AT+CMGD?)"
	fi
	grep -F "\"from\":\"$from\"" "$tmp/inbox" | grep -F '"state":"received"' |
		grep -qF "\"text\":\"$txt\"" ||
		{ in_bad=$((in_bad + 1)) && echo "# customer message $j is not there whole from $from"; }
done
in_n=$(grep -c . "$tmp/inbox")
check "every customer message reached the inbox (${#inbound[@]} written, $in_missing missing)" \
	test "$in_missing" -eq 0
check "each whole, received from its sender ($in_bad not)" test "$in_bad" -eq 0
check "each exactly once ($in_dup duplicates, $in_n in the inbox)" \
	test "$in_dup" -eq 0 -a "$in_n" -eq "${#inbound[@]}"
if command -v sqlite3 >/dev/null; then
	parts=$(sqlite3 "$tmp/parley.db" 'SELECT count(*) FROM parts' 2>&1)
	check "no stray parts wait for reassembly ($parts; one read again after its set was whole would)" \
		test "$parts" = 0
fi

echo "# $accepted_n accepted, $n_sent sent, $n_unknown unknown/held" \
	"($unknown_out of them reached the network), $lost lost, $dup duplicates" \
	"($dup_unknown among unknown), $halves halves; inbound: ${#inbound[@]} written," \
	"$in_n in the inbox, $in_dup duplicates; $starts daemon starts"

kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
check "the last daemon stops cleanly (exit $rc)" test $rc -eq 0

if [ "$failed" -ne 0 ]; then
	echo "--- daemon log (tail)"
	tail -40 "$tmp/daemon.log"
fi
exit $((failed > 0))
