#!/bin/bash
# tools/mqttc against a real mosquitto (tests/lib_mqtt.bash): arguments and
# exit codes, a sub/pub round trip byte for byte, retained state read and
# deleted, v5 request/response through a responder made of `sub --props` and
# `pub` (replies matched by correlation data), MQTT 3.1.1, passwords, TLS with
# and without a client certificate, a broker restart, and a will published
# when a subscriber is killed -9 (and not when it ends cleanly). Every process
# it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
MQTTC=${MQTTC:-build/mqttc}

need_built "$MQTTC"

tmp=$(mktemp -d /tmp/parley-mqttc-XXXXXX)
declare -a pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	stop_broker
	rm -rf "$tmp"
}
trap cleanup EXIT

# spawn COMMAND...: runs it in the background, remembered for the trap; $! is
# its pid. COMMAND must be a program, not a function: a signal to a function's
# subshell would not reach the program inside it.
spawn() {
	"$@" &
	pids+=($!)
}

# status COMMAND...: its exit status on stdout (its own output discarded)
status() {
	"$@" >/dev/null 2>&1
	echo $?
}

# --- arguments --------------------------------------------------------------
out=$("$MQTTC" --help)
check "--help prints the usage and exits 0" has "$out" "usage: mqttc"
check "-h alone prints the usage too" has "$("$MQTTC" -h)" "mqttc [OPTIONS] pub"
check "no port: exit 2" test "$(status "$MQTTC" pub -t a -m b)" -eq 2
check "no subcommand: exit 2" test "$(status "$MQTTC" -p 1)" -eq 2
check "an option of another subcommand: exit 2" test "$(status "$MQTTC" -p 1 pub -t a -m b -C 3)" -eq 2
check "pub wants -m or -n: exit 2" test "$(status "$MQTTC" -p 1 pub -t a)" -eq 2
check "-V 4: exit 2" test "$(status "$MQTTC" -p 1 -V 4 pub -t a -m b)" -eq 2
check "3.1.1 has no correlation data: exit 2" \
	test "$(status "$MQTTC" -p 1 -V 311 pub -t a -m b --correlation x)" -eq 2
err=$("$MQTTC" -p 1 -q 3 pub -t a -m b 2>&1)
check "a bad argument gets one clear line ($err)" test "$(wc -l <<<"$err")" -eq 1

t0=$(date +%s%N)
start_broker --password --tls
started=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "a broker with passwords and TLS starts ($ms ms, port $BROKER_PORT, TLS $BROKER_TLS_PORT)" \
	test $started -eq 0
[ $started -eq 0 ] || exit 1

M=("$MQTTC" -p "$BROKER_PORT" -u console -P s3cret)
MT=("$MQTTC" -p "$BROKER_TLS_PORT" -u console -P s3cret --cafile "$BROKER_CA")
m() { "${M[@]}" "$@"; }
mtls() { "${MT[@]}" "$@"; }

# --- connection failures ------------------------------------------------------
dead=$(broker_free_port)
err=$("$MQTTC" -p "$dead" pub -t a -m b 2>&1)
rc=$?
check "nothing listening: exit 3 ($err)" test $rc -eq 3
check "anonymous refused: exit 3" test "$(status "$MQTTC" -p "$BROKER_PORT" pub -t a -m b)" -eq 3
err=$("$MQTTC" -p "$BROKER_PORT" -u console -P wrong pub -t a -m b 2>&1)
rc=$?
check "wrong password refused: exit 3 ($err)" test $rc -eq 3
check "user gateway with its password: exit 0" \
	test "$(status "$MQTTC" -p "$BROKER_PORT" -u gateway -P gw-pass pub -t a -m b)" -eq 0

# --- sub/pub round trip -------------------------------------------------------
text='héllo wörld ✓  two  spaces'
spawn "${M[@]}" sub -t parley/test/rt/+ -v -C 3 --ready "$tmp/rt.ready" >"$tmp/rt.out"
rt_pid=$!
check "sub says it is subscribed" wait_for 5 test -e "$tmp/rt.ready"
check "pub QoS 1 is acknowledged" m pub -t parley/test/rt/a -m "$text"
check "pub QoS 0 goes out" m -q 0 pub -t parley/test/rt/b -m "zero"
check "pub QoS 2 completes" m -q 2 pub -t parley/test/rt/c -m "two"
wait "$rt_pid"
rc=$?
check "sub exits 0 after -C 3 messages" test $rc -eq 0
expected=$(printf '%s\n' "parley/test/rt/a $text" "parley/test/rt/b zero" "parley/test/rt/c two")
check "each message printed as sent, topic first with -v" test "$(cat "$tmp/rt.out")" = "$expected"

spawn "${M[@]}" -W 1 sub -t parley/test/rt/+ -C 2 --ready "$tmp/to.ready" >"$tmp/to.out" 2>"$tmp/to.err"
to_pid=$!
wait_for 5 test -e "$tmp/to.ready"
m pub -t parley/test/rt/x -m "only one"
wait "$to_pid"
rc=$?
check "sub times out with exit 1 ($(cat "$tmp/to.err"))" test $rc -eq 1
check "and what arrived is printed" test "$(cat "$tmp/to.out")" = "only one"

# --- retained state -----------------------------------------------------------
m pub -t parley/test/state/a -r -m "state a"
m pub -t parley/test/state/b -r -m "state b"
m pub -t parley/test/state/c -m "not kept"
t0=$(date +%s%N)
out=$(m sub -t 'parley/test/state/#' -v --retained)
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "--retained exits 0 after a quiet period ($ms ms)" test $rc -eq 0
check "--retained prints the retained messages" \
	test "$(sort <<<"$out")" = "$(printf '%s\n' "parley/test/state/a state a" "parley/test/state/b state b")"
check "-n -r deletes a retained message" m pub -t parley/test/state/a -n -r
out=$(m sub -t 'parley/test/state/#' -v --retained)
check "and it is gone ($out)" test "$out" = "parley/test/state/b state b"
m pub -t parley/test/state/b -n -r
out=$(m sub -t 'parley/test/state/#' --retained)
rc=$?
check "no retained message: nothing printed, exit 0" test $rc -eq 0 -a -z "$out"

# --- v5 request/response ------------------------------------------------------
# The responder: each request line ends " correlation=HEX response_topic=T"
# (--props); the answer goes to T with the same correlation data.
answer_requests() {
	local line
	while IFS= read -r line; do
		[[ $line =~ ^(.*)\ correlation=([0-9a-f]*)\ response_topic=(.*)$ ]] || continue
		[ -n "${BASH_REMATCH[3]}" ] || continue
		m pub -t "${BASH_REMATCH[3]}" --correlation-hex "${BASH_REMATCH[2]}" \
			-m "echo: ${BASH_REMATCH[1]}"
	done
}
mkfifo "$tmp/requests"
# (not through bg: the shell itself would block opening the fifo for it)
"${M[@]}" -W 0 sub -t parley/test/echo --props --ready "$tmp/echo.ready" >"$tmp/requests" &
echo_sub=$!
pids+=($!)
answer_requests <"$tmp/requests" &
echo_loop=$!
pids+=($!)
check "the responder is subscribed" wait_for 5 test -e "$tmp/echo.ready"
out=$(m request -t parley/test/echo -m "ping 1")
rc=$?
check "request prints the reply ($out)" test $rc -eq 0 -a "$out" = "echo: ping 1"
par_pids=()
for i in 1 2 3 4; do
	spawn "${M[@]}" request -t parley/test/echo -m "parallel $i" >"$tmp/par$i.out"
	par_pids+=($!)
done
wait "${par_pids[@]}"
ok=0
for i in 1 2 3 4; do
	[ "$(cat "$tmp/par$i.out")" = "echo: parallel $i" ] && ok=$((ok + 1))
done
check "four requests at once each get their own reply ($ok of 4)" test $ok -eq 4
# A stale reply with other correlation data waits, retained, on a shared
# reply topic: the requester must skip it and take the matching one.
m pub -t parley/test/shared-reply -r --correlation-hex 00ff -m "not yours"
out=$(m request -t parley/test/echo --reply-topic parley/test/shared-reply -m "mine")
check "a reply with other correlation data is skipped ($out)" test "$out" = "echo: mine"
m pub -t parley/test/shared-reply -r -n
err=$(m -W 1 request -t parley/test/nobody -m "hello?" 2>&1)
rc=$?
check "a request nobody answers times out: exit 1 ($err)" test $rc -eq 1
kill "$echo_sub"
wait "$echo_sub" "$echo_loop"

# --- MQTT 3.1.1 ---------------------------------------------------------------
spawn "${M[@]}" -V 311 sub -t parley/test/old -C 1 --props --ready "$tmp/old.ready" >"$tmp/old.out"
old_pid=$!
wait_for 5 test -e "$tmp/old.ready"
check "3.1.1: pub" m -V 311 pub -t parley/test/old -m "three one one"
wait "$old_pid"
check "3.1.1: sub gets it, no properties" \
	test "$(cat "$tmp/old.out")" = "three one one correlation= response_topic="
# a 3.1.1 responder: the reply topic is agreed beforehand
answer_once_311() {
	m -V 311 sub -t parley/test/ask311 -C 1 --ready "$tmp/ask.ready" >/dev/null &&
		m -V 311 pub -t parley/test/answer311 -m "the answer"
}
# (a function: it ends by itself)
spawn answer_once_311
ask_pid=$!
wait_for 5 test -e "$tmp/ask.ready"
out=$(m -V 311 request -t parley/test/ask311 --reply-topic parley/test/answer311 -m "question")
check "3.1.1: request takes the first message on --reply-topic ($out)" test "$out" = "the answer"
wait "$ask_pid"
check "3.1.1: request without --reply-topic: exit 2" \
	test "$(status m -V 311 request -t parley/test/ask311 -m q)" -eq 2

# --- TLS ----------------------------------------------------------------------
spawn "${MT[@]}" sub -t parley/test/tls -C 2 --ready "$tmp/tls.ready" >"$tmp/tls.out"
tls_pid=$!
check "TLS: sub with the CA" wait_for 5 test -e "$tmp/tls.ready"
check "TLS: pub with the CA" mtls pub -t parley/test/tls -m "over tls"
check "TLS: pub with the client certificate, to localhost" \
	mtls -h localhost --cert "$BROKER_CERT" --key "$BROKER_KEY" pub -t parley/test/tls -m "with cert"
wait "$tls_pid"
check "TLS: both arrive" test "$(cat "$tmp/tls.out")" = "$(printf '%s\n' "over tls" "with cert")"
check "TLS: a key that is not the certificate's: exit 3" test "$(status mtls --cert "$BROKER_CERT" \
	--key "$BROKER_DIR/server.key" pub -t parley/test/tls -m x)" -eq 3
check "TLS: a server the CA did not sign: exit 3" test "$(status "$MQTTC" -p "$BROKER_TLS_PORT" \
	-u console -P s3cret --cafile "$BROKER_CERT" pub -t parley/test/tls -m x)" -eq 3
check "TLS: plain MQTT on the TLS port: exit 3" \
	test "$(status m -p "$BROKER_TLS_PORT" -W 3 pub -t parley/test/tls -m x)" -eq 3

# --- will ---------------------------------------------------------------------
will=(--will-topic parley/test/presence --will-message offline)
spawn "${M[@]}" sub -t parley/test/presence -C 1 --ready "$tmp/watch.ready" >"$tmp/watch.out"
watch_pid=$!
spawn "${M[@]}" -W 0 sub -t parley/test/nothing "${will[@]}" --ready "$tmp/will.ready"
will_pid=$!
wait_for 5 test -e "$tmp/watch.ready" && wait_for 5 test -e "$tmp/will.ready"
# (in one redirected group: bash reports a job killed by a signal on stderr)
{
	kill -9 "$will_pid"
	wait "$will_pid"
} 2>/dev/null
wait "$watch_pid"
rc=$?
check "killed -9, the will is published (exit $rc)" test $rc -eq 0 -a "$(cat "$tmp/watch.out")" = offline

spawn "${M[@]}" -W 2 sub -t parley/test/presence -C 1 --ready "$tmp/watch2.ready" >"$tmp/watch2.out" 2>/dev/null
watch_pid=$!
spawn "${M[@]}" -W 0 sub -t parley/test/nothing "${will[@]}" --will-retain --ready "$tmp/will2.ready"
will_pid=$!
wait_for 5 test -e "$tmp/watch2.ready" && wait_for 5 test -e "$tmp/will2.ready"
kill -TERM "$will_pid"
wait "$will_pid"
rc=$?
check "SIGTERM ends sub cleanly (exit $rc = 128 + 15)" test $rc -eq 143
wait "$watch_pid"
rc=$?
check "and a clean end publishes no will (exit $rc, '$(cat "$tmp/watch2.out")')" \
	test $rc -eq 1 -a ! -s "$tmp/watch2.out"
spawn "${M[@]}" -W 0 sub -t parley/test/nothing "${will[@]}" --will-retain --ready "$tmp/will3.ready"
will_pid=$!
wait_for 5 test -e "$tmp/will3.ready"
# (in one redirected group: bash reports a job killed by a signal on stderr)
{
	kill -9 "$will_pid"
	wait "$will_pid"
} 2>/dev/null
retained_will() { [ "$(m sub -t parley/test/presence --retained)" = offline ]; }
check "--will-retain: the will stays as retained state" wait_for 5 retained_will
m pub -t parley/test/presence -r -n

# --- outage -------------------------------------------------------------------
spawn "${M[@]}" -W 0 sub -t parley/test/outage --ready "$tmp/outage.ready" 2>"$tmp/outage.err"
outage_pid=$!
wait_for 5 test -e "$tmp/outage.ready"
t0=$(date +%s%N)
restart_broker
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "restart_broker returns once it accepts again ($ms ms)" test $rc -eq 0
check "pub works after the restart" m pub -t parley/test/outage -m back
wait "$outage_pid"
rc=$?
check "a sub whose broker went away exits 3 ($(cat "$tmp/outage.err"))" test $rc -eq 3
check "TLS works after the restart" mtls pub -t parley/test/outage -m "back over tls"

# --- a persistent session ----------------------------------------------------
# what the soak's event recorder relies on: messages published while it is
# away are queued by the broker and handed to its next sub with the same id
check "--session without -i is a usage error" test "$(status m --session 60 sub -t a)" -eq 2
m --session 60 -i keeper sub -t parley/test/kept --ready "$tmp/kept.ready" -C 1 -W 5 \
	>/dev/null 2>&1 &
kept_pid=$!
wait_for 5 test -e "$tmp/kept.ready"
m pub -t parley/test/kept -m first
wait "$kept_pid"
m pub -t parley/test/kept -m "while away"
check "the next sub with the same id gets what was published while it was away" \
	test "$(m --session 60 -i keeper sub -t parley/test/kept -C 1 -W 5)" = "while away"
m pub -t parley/test/kept -m "clean again"
check "a clean session with the same id gets none of it" \
	test "$(status m -i keeper sub -t parley/test/kept -C 1 -W 1)" -eq 1

stop_broker
check "stop_broker stops it" test "$(status m -W 2 pub -t a -m b)" -eq 3
check "stop_broker twice is fine" stop_broker

if [ "$failed" -ne 0 ]; then
	echo "--- broker log (tail)"
	tail -30 "$BROKER_LOG"
fi
exit $((failed > 0))
