#!/bin/bash
# tools/modemsim end to end: drives the simulated modem's pseudo-terminal
# from bash (stty raw, exec {fd}<>) and its control socket with
# `modemsim --send`. Needs only bash and coreutils.
#
# Bash's `read -N` on a terminal puts it in a mode of its own that maps CR
# to LF, so a `cat` copies the port into a FIFO and the script reads that.
# MODEMSIM_WRAPPER (e.g. "valgrind -q --error-exitcode=99 --leak-check=full")
# runs the simulators under a tool; anything it prints fails a check.
# Prints "ok - ..." / "not ok - ..." per check (tests/run-tests counts them).
set -u
shopt -s extglob
MODEMSIM=${MODEMSIM:-build/modemsim}
PARLEY=${PARLEY:-build/parley}
. "$(dirname "$0")/lib.bash"

if [ ! -x "$MODEMSIM" ] || [ ! -x "$PARLEY" ]; then
	fail "modemsim at $MODEMSIM and parley at $PARLEY"
	exit 1
fi

tmp=$(mktemp -d)
sim_pid=
port=
rx=
cat_pid=

# stop_sim: SIGTERM; sets $sim_rc to the simulator's exit status.
stop_sim() {
	close_port
	sim_rc=
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
		sim_rc=$?
		sim_pid=
	fi
}

cleanup() {
	stop_sim
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# start_sim ARGS...: starts a simulator with its control socket, log and link
# in $tmp and waits for the port's path (its first line of output).
start_sim() {
	rm -f "$tmp/log" "$tmp/out"
	# shellcheck disable=SC2086
	${MODEMSIM_WRAPPER:-} "$MODEMSIM" --control "$tmp/ctl" --log "$tmp/log" --link "$tmp/modem" "$@" \
		>"$tmp/out" 2>"$tmp/err" &
	sim_pid=$!
	for _ in $(seq 250); do
		[ -s "$tmp/out" ] && break
		sleep 0.02
	done
	pty=$(head -n1 "$tmp/out")
}

# open_port PATH: opens the port as a program would (raw, no echo of its own).
open_port() {
	stty -F "$1" raw -echo 2>/dev/null
	exec {port}<>"$1"
	rm -f "$tmp/rx"
	mkfifo "$tmp/rx"
	exec {rx}<>"$tmp/rx"
	cat <&"$port" >"$tmp/rx" 2>/dev/null &
	cat_pid=$!
}

close_port() {
	if [ -n "$cat_pid" ]; then
		kill "$cat_pid" 2>/dev/null
		wait "$cat_pid" 2>/dev/null
		cat_pid=
	fi
	[ -n "$port" ] && exec {port}>&-
	[ -n "$rx" ] && exec {rx}<&-
	port=
	rx=
}

# port_gone: the reader of the port saw end of file or an error within a second.
port_gone() {
	for _ in $(seq 50); do
		kill -0 "$cat_pid" 2>/dev/null || return 0
		sleep 0.02
	done
	return 1
}

# ctl JSON: one control command; its answer in $reply, exit status in $ctl_rc.
ctl() {
	reply=$("$MODEMSIM" --control "$tmp/ctl" --send "$1" 2>&1)
	ctl_rc=$?
}

# expect PATTERN [SECONDS]: reads the port until what was read ($got)
# matches the glob PATTERN. Fails on a timeout or end of file.
expect() {
	local pat=$1 t=${2:-3} c
	got=
	while IFS= read -r -N 1 -t "$t" c <&"$rx"; do
		got+=$c
		# shellcheck disable=SC2053
		[[ $got == $pat ]] && return 0
	done
	return 1
}

CRLF=$'\r\n'
FINAL="*${CRLF}@(OK|ERROR|+CME ERROR: *|+CMS ERROR: *)${CRLF}"

# at COMMAND: sends a command line and reads up to its final result ($resp).
at() {
	printf '%s\r' "$1" >&"$port"
	expect "$FINAL"
	resp=$got
}

# silent SECONDS: nothing arrives on the port for that long.
silent() {
	local c
	! IFS= read -r -N 1 -t "$1" c <&"$rx"
}

# drain: reads whatever the port has to say until it is quiet for 0.2 s.
drain() {
	local c
	while IFS= read -r -N 1 -t 0.2 c <&"$rx"; do :; done
}

# pdu_of TEXT: the hex line after a "+CMGR:"/"+CMT:"/"+CDS:" line.
pdu_of() { printf '%s' "$1" | tr -d '\r' | grep -A1 -E '^\+(CMGR|CMT|CDS|CMGL):' | sed -n 2p; }

# --- the generic profile ------------------------------------------------------
start_sim --reboot-ms 300
check "prints the port's path first" [ -c "$pty" ]
check "--link points at the port" [ "$(readlink "$tmp/modem")" = "$pty" ]
open_port "$tmp/modem"

at "AT"
check "echo is on at first: AT echoed then OK" [ "$resp" = "AT"$'\r'"${CRLF}OK${CRLF}" ]
at "ATE0"
at "AT"
check "after ATE0: just \\r\\nOK\\r\\n" [ "$resp" = "${CRLF}OK${CRLF}" ]
at "AT+CMEE=0;+CPIN=\"1234\""
check "CMEE=0: plain ERROR" [ "$resp" = "${CRLF}ERROR${CRLF}" ]
at "AT+CMEE=1;+CPIN=\"1234\""
check "CMEE=1: +CME ERROR: 3" [ "$resp" = "${CRLF}+CME ERROR: 3${CRLF}" ]
at "AT+CMEE=2;+CPIN=\"1234\""
check "CMEE=2: verbose" [ "$resp" = "${CRLF}+CME ERROR: operation not allowed${CRLF}" ]
at "AT+CMEE=1"
at "AT+NOSUCH"
check "unknown command: ERROR" [ "$resp" = "${CRLF}ERROR${CRLF}" ]
at "AT$(printf 'A%.0s' $(seq 700))"
check "overlong line: ERROR" [ "$resp" = "${CRLF}ERROR${CRLF}" ]
at "AT+CGSN;+CCID;+CNUM"
check "identity: IMEI, ICCID and own number" has "$resp" \
	"${CRLF}490154203237518${CRLF}+CCID: 8900101234567890127${CRLF}+CNUM: \"\",\"+447700900100\",145${CRLF}"
at "AT+CPMS?"
check "CPMS? shows SM with 10 slots" has "$resp" '+CPMS: "SM",0,10,"SM",0,10,"SM",0,10'
at 'AT+CPMS="SM","SM","SM"'
check "CPMS= answers used,total thrice" has "$resp" "+CPMS: 0,10,0,10,0,10${CRLF}${CRLF}OK"
at 'AT+CPMS="XX"'
check "CPMS with an unknown storage: +CMS ERROR" has "$resp" "+CMS ERROR: 302"

# --- inbound: +CMTI, read, list, delete --------------------------------------
at "AT+CMGF=0;+CNMI=2,1,0,1,0"
check "CMGF=0 and CNMI=2,1,0,1,0 accepted" [ "$resp" = "${CRLF}OK${CRLF}" ]
ctl '{"cmd":"inject","from":"+447700900555","text":"Hello from modemsim"}'
check "inject answers ok" has "$reply" '"ok":true,"segments":1'
check "inject: +CMTI for SM index 1" expect "*+CMTI: \"SM\",1${CRLF}"
at "AT+CMGR=1"
check "CMGR shows stat 0 (unread) and a length" has "$resp" "+CMGR: 0,,"
out=$("$PARLEY" pdu decode --smsc "$(pdu_of "$resp")")
check "CMGR's PDU decodes to the injected text" has "$out" '"text":"Hello from modemsim"'
check "CMGR's PDU has the sender" has "$out" '"number":"+447700900555"'
at "AT+CMGR=1"
check "read again: stat 1 (read)" has "$resp" "+CMGR: 1,,"
long=$(printf 'part%.0s of a long message ' $(seq 12))
ctl "{\"cmd\":\"inject\",\"from\":\"+447700900556\",\"text\":\"$long\",\"segments_order\":[2,1],\"ref\":77}"
check "two-part inject: segments 2" has "$reply" '"segments":2,"ref":77'
check "out of order: +CMTI 2 then 3" expect "*+CMTI: \"SM\",2${CRLF}*+CMTI: \"SM\",3${CRLF}"
at "AT+CMGL=4"
check "CMGL=4 lists the three messages" [ "$(printf '%s' "$resp" | grep -c '^+CMGL: ')" -eq 3 ]
second=$("$PARLEY" pdu decode --smsc "$(printf '%s' "$resp" | tr -d '\r' | grep -A1 '^+CMGL: 2,' | sed -n 2p)")
check "index 2 holds part 2 of 2" has "$second" '"concat":{"ref":77,"total":2,"seq":2'
at "AT+CMGD=1,4"
at "AT+CPMS?"
check "CMGD=1,4 empties the SIM" has "$resp" '+CPMS: "SM",0,10'
at "AT+CMGR=11"
check "CMGR past the end: +CMS ERROR: 321" has "$resp" "+CMS ERROR: 321"

# --- sending ------------------------------------------------------------------
ctl '{"cmd":"set","report_delay_ms":100}'
read -r len hex < <("$PARLEY" pdu encode --to +447700900123 --report "Hi there")
printf 'AT+CMGS=%s\r' "$len" >&"$port"
check "CMGS: the prompt is exactly \\r\\n> " expect "${CRLF}> "
printf '%s\x1a' "$hex" >&"$port"
expect "$FINAL"
resp=$got
cmgs_ok() { [[ $resp == "${CRLF}+CMGS: "+([0-9])"${CRLF}${CRLF}OK${CRLF}" ]]; }
check "CMGS: +CMGS: <mr> then OK" cmgs_ok
mr=$(printf '%s' "$resp" | tr -d '\r' | sed -n 's/^+CMGS: //p')
ctl '{"cmd":"sent"}'
check "sent shows the message decoded" has "$reply" '"to":"+447700900123","text":"Hi there","complete":true'
check "sent shows the MR the modem gave" has "$reply" "\"mr\":$mr,"
check "sent shows the report request" has "$reply" '"report":true'
check "status report arrives as +CDS" expect "*+CDS: *${CRLF}*${CRLF}"
report=$("$PARLEY" pdu decode --smsc "$(pdu_of "$got")")
check "+CDS PDU is a status report for that MR" has "$report" "\"mr\":$mr,"
check "+CDS PDU says delivered" has "$report" '"class":"delivered"'
at "AT+CNMA"
check "CNMA acknowledges the +CDS" [ "$resp" = "${CRLF}OK${CRLF}" ]
at "AT+CNMA"
check "CNMA with nothing to acknowledge: +CMS ERROR: 340" has "$resp" "+CMS ERROR: 340"

printf 'AT+CMGS=%s\r' "$((len + 1))" >&"$port"
expect "${CRLF}> "
printf '%s\x1a' "$hex" >&"$port"
expect "$FINAL"
check "CMGS length not matching the TPDU: +CMS ERROR: 304" has "$got" "+CMS ERROR: 304"
printf 'AT+CMGS=5\r' >&"$port"
expect "${CRLF}> "
printf 'ZZ-not-hex\x1a' >&"$port"
expect "$FINAL"
check "CMGS with garbage for a PDU: +CMS ERROR: 304" has "$got" "+CMS ERROR: 304"
printf 'AT+CMGS=%s\r' "$len" >&"$port"
expect "${CRLF}> "
printf '%s\x1b' "$hex" >&"$port"
expect "$FINAL"
check "ESC at the prompt cancels: OK" [ "$got" = "${CRLF}OK${CRLF}" ]

ctl '{"cmd":"fault","type":"cms_error","code":38}'
printf 'AT+CMGS=%s\r' "$len" >&"$port"
expect "${CRLF}> "
printf '%s\x1a' "$hex" >&"$port"
expect "$FINAL"
check "fault cms_error: +CMS ERROR: 38" [ "$got" = "${CRLF}+CMS ERROR: 38${CRLF}" ]
ctl '{"cmd":"fault","type":"no_answer"}'
printf 'AT\r' >&"$port"
check "fault no_answer: silence" silent 0.4
at "AT"
check "then answers again" [ "$resp" = "${CRLF}OK${CRLF}" ]

# --- a scripted customer: "Stop" in answer to the second message -------------
ctl '{"cmd":"reply_rule","nth":2,"reply":"Stop","delay_ms":50}'
check "reply_rule: an id" has "$reply" '"ok":true,"id":1'
read -r len2 hex2 < <("$PARLEY" pdu encode --to +447700900124 "Second message")
printf 'AT+CMGS=%s\r' "$len2" >&"$port"
expect "${CRLF}> "
printf '%s\x1a' "$hex2" >&"$port"
expect "$FINAL"
check "reply_rule: the customer answers with +CMTI" expect "*+CMTI: \"SM\",+([0-9])${CRLF}"
idx=$(printf '%s' "$got" | tr -d '\r' | sed -n 's/^+CMTI: "SM",//p')
at "AT+CMGR=$idx"
out=$("$PARLEY" pdu decode --smsc "$(pdu_of "$resp")")
check "reply_rule: \"Stop\" from the number written to" \
	eval 'has "$out" "\"number\":\"+447700900124\"" && has "$out" "\"text\":\"Stop\""'

ctl '{"cmd":"fault","type":"split","delay_ms":300}'
start=$(date +%s%N)
at "AT+CSQ"
took=$((($(date +%s%N) - start) / 1000000))
check "fault split: the same bytes, in two writes 0.3 s apart" \
	eval '[ "$resp" = "${CRLF}+CSQ: 20,99${CRLF}${CRLF}OK${CRLF}" ] && [ "$took" -ge 290 ]'

# --- +CMT direct delivery, +CNMA and the network's redelivery ------------------
at "AT+CNMI=2,2,0,0,0"
ctl '{"cmd":"inject","from":"+447700900557","text":"direct"}'
check "CNMI mt=2: +CMT: ,<len> then the PDU" expect "*+CMT: ,+([0-9])${CRLF}+([0-9A-F])${CRLF}"
check "+CMT PDU decodes" has "$("$PARLEY" pdu decode --smsc "$(pdu_of "$got")")" '"text":"direct"'
at "AT+CNMA"
check "CNMA accepted" [ "$resp" = "${CRLF}OK${CRLF}" ]
ctl '{"cmd":"set","cnma_timeout_ms":200,"redeliver_ms":200}'
ctl '{"cmd":"inject","from":"+447700900558","text":"never acked"}'
expect "*+CMT: *${CRLF}*${CRLF}"
sleep 0.6
ctl '{"cmd":"state"}'
check "missed CNMA: the modem turns mt and ds to 0 (27.005 3.4.4)" has "$reply" '"cnmi":[2,0,0,0,0]'
ctl '{"cmd":"stored"}'
check "the network redelivers: stored silently" has "$reply" '"text":"never acked"'

# --- control socket errors ------------------------------------------------------
ctl 'not json'
check "invalid JSON: ok false and exit status 1" eval '[ "$ctl_rc" -eq 1 ] && has "$reply" "\"ok\":false"'
ctl '{"cmd":"frobnicate"}'
check "unknown command: a clear error" has "$reply" 'unknown command \"frobnicate\"'
ctl '{"cmd":"inject","from":"+447700900555"}'
check "missing field named" has "$reply" '\"text\" is required'

# --- unplug and replug ------------------------------------------------------------
ctl '{"cmd":"unplug"}'
check "unplug: ok" has "$reply" '"ok":true'
check "unplug: the port reads end of file" port_gone
check "unplug: the link is gone" [ ! -e "$tmp/modem" ]
close_port
ctl '{"cmd":"replug"}'
newpty=$(printf '%s' "$reply" | sed -n 's/.*"path":"\([^"]*\)".*/\1/p')
check "replug: a new path in the answer" [ -c "$newpty" ]
check "replug: the link follows it" [ "$(readlink "$tmp/modem")" = "$newpty" ]
check "replug: the path on stdout too" [ "$(tail -n1 "$tmp/out")" = "$newpty" ]
open_port "$tmp/modem"
drain
at "AT"
check "after replug: a fresh modem, echo on again" [ "$resp" = "AT"$'\r'"${CRLF}OK${CRLF}" ]
stop_sim
check "SIGTERM: exit status 0, nothing on stderr" eval '[ "$sim_rc" = 0 ] && [ ! -s "$tmp/err" ]'
check "SIGTERM: link and socket removed" eval '[ ! -e "$tmp/modem" ] && [ ! -e "$tmp/ctl" ]'

# --- SIM800: PIN, reset chatter, registration URCs, calls ----------------------
start_sim --profile sim800 --pin 1234 --reboot-ms 200
open_port "$pty"
at "ATE0"
at "AT+CPIN?"
check "PIN: +CPIN: SIM PIN" has "$resp" "+CPIN: SIM PIN"
at "AT+CIMI"
check "PIN: CIMI refused" [ "$resp" = "${CRLF}ERROR${CRLF}" ]
at "AT+CMEE=1;+CPIN=\"0000\""
check "PIN: a wrong one is +CME ERROR: 16" has "$resp" "+CME ERROR: 16"
at 'AT+CPIN="1234"'
check "PIN: the right one is OK" [ "$resp" = "${CRLF}OK${CRLF}" ]
check "PIN: then +CPIN: READY and SMS Ready" expect "*+CPIN: READY${CRLF}*SMS Ready${CRLF}"
at "AT+CPIN?;+CIMI"
check "PIN: READY, CIMI answers" has "$resp" "+CPIN: READY${CRLF}001010123456789"
at "AT+CCID"
check "SIM800: AT+CCID prints bare digits" has "$resp" "${CRLF}8900101234567890127${CRLF}"
at "AT+CREG=2"
ctl '{"cmd":"registration","stat":5}'
check "CREG=2: roaming URC with LAC and cell" expect "*+CREG: 5,\"1A2B\",\"3C4D\"${CRLF}"
at "AT+CLIP=1"
ctl '{"cmd":"ring","number":"+447700900777","interval_ms":300}'
check "ring: RING and +CLIP" expect "*RING${CRLF}${CRLF}+CLIP: \"+447700900777\",145,\"\",0,\"\",0${CRLF}"
at "ATH"
check "ATH: the ringing stops" silent 0.6
at "AT+CFUN=1,1"
check "CFUN=1,1: OK first" [ "$resp" = "${CRLF}OK${CRLF}" ]
check "reset: SIM800 boot chatter" expect "${CRLF}RDY${CRLF}${CRLF}+CFUN: 1${CRLF}${CRLF}+CPIN: SIM PIN${CRLF}" 2
at "AT"
check "reset: echo is back on" [ "$resp" = "AT"$'\r'"${CRLF}OK${CRLF}" ]
ctl '{"cmd":"quit"}'
wait "$sim_pid"
sim_rc=$?
sim_pid=
check "quit: answered, exit status 0, nothing on stderr" \
	eval 'has "$reply" "\"ok\":true" && [ "$sim_rc" = 0 ] && [ ! -s "$tmp/err" ]'
close_port

exit $((failed > 0))
