#!/bin/bash
# `parley pdu` end to end: decode of known vectors, encode -> decode round
# trips, count, and the exit status and output of each kind of error.
# Needs only bash and coreutils: JSON is one line, checked as text.
# Prints "ok - ..." / "not ok - ..." per check (tests/run-tests counts them).
set -u
PARLEY=${PARLEY:-build/parley}
. "$(dirname "$0")/lib.bash"

# run ARGS...: sets $out, $err and $rc for one parley run.
run() {
	local errfile
	errfile=$(mktemp)
	out=$("$PARLEY" "$@" 2>"$errfile")
	rc=$?
	err=$(<"$errfile")
	rm -f "$errfile"
}

# run_in INPUT ARGS...: the same with INPUT on stdin.
run_in() {
	local input=$1 errfile
	shift
	errfile=$(mktemp)
	out=$(printf '%s' "$input" | "$PARLEY" "$@" 2>"$errfile")
	rc=$?
	err=$(<"$errfile")
	rm -f "$errfile"
}

# one_line: $out is exactly one line.
one_line() { [ -n "$out" ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]; }

if [ ! -x "$PARLEY" ]; then
	fail "parley binary at $PARLEY"
	exit 1
fi

# --- decode: the SMS-DELIVER from oFono's unit tests, SMSC first --------------
OFONO=07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07
run pdu decode --smsc "$OFONO"
check "decode oFono vector: exit 0" [ "$rc" -eq 0 ]
check "decode oFono vector: one line" one_line
check "decode oFono vector: type" has "$out" '"type":"deliver"'
check "decode oFono vector: smsc" has "$out" '"smsc":"+31624000000"'
check "decode oFono vector: number" has "$out" '"number":"+31641600986"'
check "decode oFono vector: number_type" has "$out" '"number_type":"international"'
check "decode oFono vector: text" has "$out" '"text":"How are you?"'
check "decode oFono vector: coding" has "$out" '"coding":"gsm7"'
check "decode oFono vector: scts" has "$out" '"scts":"2002-08-26T19:37:41-01:00"'
check "decode oFono vector: no class" has "$out" '"class":null'
check "decode oFono vector: no udh" has "$out" '"udh":null'
check "decode oFono vector: pid and dcs" has "$out" '"pid":0,"dcs":0'
check "decode oFono vector: no 8-bit data" eval '! has "$out" "\"data\""'
ofono_json=$out

run pdu decode --smsc "$(printf ' \t%s\r\n' "$OFONO")"
check "decode accepts whitespace around HEX" [ "$rc" -eq 0 -a "$out" = "$ofono_json" ]

run pdu decode --smsc "$(tr 'A-F' 'a-f' <<<"$OFONO")"
check "decode accepts lower-case hex" [ "$rc" -eq 0 -a "$out" = "$ofono_json" ]

run_in "$OFONO"$'\n' pdu decode --smsc -
check "decode reads HEX from stdin with -" [ "$rc" -eq 0 -a "$out" = "$ofono_json" ]

# The same TPDU without the 8-octet SMSC part.
run pdu decode "${OFONO:16}"
check "decode bare TPDU: exit 0" [ "$rc" -eq 0 ]
check "decode bare TPDU: smsc null" has "$out" '"smsc":null'
check "decode bare TPDU: number" has "$out" '"number":"+31641600986"'
check "decode bare TPDU: text" has "$out" '"text":"How are you?"'

# --- decode: a status report (TS 23.040 9.2.2.3), built by hand ---------------
# 06: SMS-STATUS-REPORT; MR 42; recipient +31628870634; SCTS and discharge
# time 2011-01-11 17:59:15 / :17 at +01:00; TP-ST 0 (delivered).
run pdu decode 062A0B911326880736F41110117195514011101171957140 00
check "decode status report: two args is a usage error" [ "$rc" -eq 2 ]
run pdu decode 062A0B911326880736F4111011719551401110117195714000
check "decode status report: exit 0" [ "$rc" -eq 0 ]
check "decode status report: type" has "$out" '"type":"status"'
check "decode status report: number" has "$out" '"number":"+31628870634"'
check "decode status report: mr" has "$out" '"mr":42'
check "decode status report: scts" has "$out" '"scts":"2011-01-11T17:59:15+01:00"'
check "decode status report: discharge" has "$out" '"discharge":"2011-01-11T17:59:17+01:00"'
check "decode status report: status" has "$out" '"status":{"class":"delivered","raw":0}'

# --- decode: 8-bit deliver with a 16-bit port header, built by hand ---------
# 44: SMS-DELIVER with UDHI; DCS 04 (8-bit); UDH 06 05 04 0B84 23F0 (ports
# 2948 <- 9200); then 4 octets of data.
run pdu decode 440B911346610089F60004208062917314480B0605040B8423F0DEADBEEF
check "decode 8-bit: exit 0" [ "$rc" -eq 0 ]
check "decode 8-bit: coding" has "$out" '"coding":"8bit"'
check "decode 8-bit: ports" has "$out" '"udh":{"ports":{"dst":2948,"src":9200}}'
check "decode 8-bit: data after the header" has "$out" '"data":"DEADBEEF"'
check "decode 8-bit: dcs" has "$out" '"dcs":4'

# --- decode: SMS-SUBMITs with each validity format, built by hand ------------
# To +31641600986, DCS 00, text "Hi"; the first octet's TP-VPF picks the form.
run pdu decode 19000B911346610089F600002080629173144802C834
check "decode submit, absolute validity" has "$out" \
	'"mr":0,"validity":{"format":"absolute","time":"2002-08-26T19:37:41-01:00"}'
run pdu decode 09000B911346610089F6000001A7000000000002C834
check "decode submit, enhanced validity" has "$out" \
	'"validity":{"format":"enhanced","seconds":86400}'
run pdu decode 11000B911346610089F60000A702C834
check "decode submit, relative validity" has "$out" \
	'"validity":{"format":"relative","seconds":86400}'
check "decode submit: text" has "$out" '"text":"Hi"'

# --- decode: a national language shift in the header -------------------------
# UDH 03 25 01 01: single shift table Turkish (TS 23.040 9.2.3.24.16).
run pdu decode 440B911346610089F6000020806291731448070325010140A601
check "decode language shift: single_lang" has "$out" '"udh":{"single_lang":"turkish"}'
check "decode language shift: text" has "$out" '"text":"Hi"'

# --- decode errors -------------------------------------------------------------
run pdu decode --smsc ZZ
check "decode non-hex: exit 1" [ "$rc" -eq 1 ]
check "decode non-hex: JSON error on stdout" has "$out" '{"error":"'
run pdu decode --smsc "${OFONO:0:40}"
check "decode truncated PDU: exit 1" [ "$rc" -eq 1 ]
check "decode truncated PDU: JSON error" has "$out" '{"error":"'
check "decode truncated PDU: one line" one_line
run pdu decode --smsc "${OFONO}0"
check "decode odd-length hex: exit 1 and JSON error" \
	eval '[ "$rc" -eq 1 ] && has "$out" "{\"error\":\""'
run pdu decode
check "decode without HEX: exit 2" [ "$rc" -eq 2 ]
check "decode without HEX: usage on stderr" has "$err" 'usage: parley pdu'
check "decode without HEX: nothing on stdout" [ -z "$out" ]

# --- encode -> decode round trips ------------------------------------------------
# roundtrip TEXT ENCODE-ARGS...: encodes, then decodes every segment line
# with --smsc; sets $lines (the encode output) and $decoded (one JSON a line).
roundtrip() {
	local text=$1 line len hex
	shift
	run pdu encode "$@" -- "$text"
	lines=$out
	encode_rc=$rc
	decoded=""
	# false until a segment line shows up, so that no output cannot pass
	tpdu_len_ok=false
	[ "$encode_rc" -eq 0 ] && [ -n "$lines" ] && tpdu_len_ok=true
	while read -r len hex; do
		[ -n "$hex" ] || continue
		# The SMSC part is its length octet plus that many octets.
		local smsc_octets=$((16#${hex:0:2} + 1))
		[ "$len" -eq $((${#hex} / 2 - smsc_octets)) ] || tpdu_len_ok=false
		decoded+=$("$PARLEY" pdu decode --smsc "$hex")$'\n'
	done <<<"$lines"
}

roundtrip "Hello @ world: £5, {ok}" --to +447700900123
check "encode GSM text: exit 0" [ "$encode_rc" -eq 0 ]
check "encode GSM text: one segment" [ "$(grep -c . <<<"$lines")" -eq 1 ]
check "encode GSM text: no SMSC gives 00" has "$lines" ' 00'
check "encode GSM text: length is the TPDU's" $tpdu_len_ok
check "round trip GSM text: submit" has "$decoded" '"type":"submit"'
check "round trip GSM text: number" has "$decoded" '"number":"+447700900123"'
check "round trip GSM text: text" has "$decoded" '"text":"Hello @ world: £5, {ok}"'
check "round trip GSM text: gsm7" has "$decoded" '"coding":"gsm7"'
check "round trip GSM text: no validity" has "$decoded" '"validity":null'

roundtrip 'Say "hi" \ back' --to 0612345678
check "round trip quotes: JSON escapes them" has "$decoded" '"text":"Say \"hi\" \\ back"'
check "round trip national number" has "$decoded" '"number":"0612345678"'

roundtrip "Grüße 😀 от Parley" --to +31641600986
check "encode UCS-2 text: exit 0" [ "$encode_rc" -eq 0 ]
check "round trip emoji: ucs2" has "$decoded" '"coding":"ucs2"'
check "round trip emoji: text" has "$decoded" '"text":"Grüße 😀 от Parley"'

roundtrip "Günaydın, nasılsın? şğ" --to +905321234567 --lang spanish --lang turkish
check "round trip --lang turkish: stays GSM 7-bit" has "$decoded" '"coding":"gsm7"'
check "round trip --lang turkish: language in the header" has "$decoded" '"turkish"'
check "round trip --lang turkish: text" has "$decoded" '"text":"Günaydın, nasılsın? şğ"'

roundtrip "plain ascii" --to +31641600986 --ucs2
check "encode --ucs2 forces UCS-2" has "$decoded" '"coding":"ucs2"'

roundtrip "Flash" --to +31641600986 --class0 --report --validity 60 --smsc +31624000000
check "encode options: exit 0" [ "$encode_rc" -eq 0 ]
check "encode --smsc: SMSC part first" has "$lines" ' 07911326040000F0'
check "encode --smsc: length is the TPDU's" $tpdu_len_ok
check "round trip --smsc" has "$decoded" '"smsc":"+31624000000"'
check "round trip --class0" has "$decoded" '"class":0'
check "round trip --validity 60" has "$decoded" '"validity":{"format":"relative","seconds":3600}'

long=""
for i in $(seq 1 36); do long+="Segment $i. "; done # 423 characters: 3 segments
roundtrip "$long" --to +31641600986 --ref 42
check "encode long text: exit 0" [ "$encode_rc" -eq 0 ]
check "encode long text: three segments" [ "$(grep -c . <<<"$lines")" -eq 3 ]
check "encode long text: length is the TPDU's" $tpdu_len_ok
for seq in 1 2 3; do
	check "round trip long text: segment $seq of 3" \
		has "$decoded" "\"concat\":{\"ref\":42,\"total\":3,\"seq\":$seq}"
done
joined=$(sed -n 's/.*"text":"\([^"]*\)".*/\1/p' <<<"$decoded" | tr -d '\n')
check "round trip long text: segments join to the text" [ "$joined" = "$long" ]

long_lines=$lines

roundtrip "$long" --to +31641600986 --ref 300 --concat16
check "encode --concat16 --ref 300" has "$decoded" '"concat":{"ref":300,"total":3,"seq":1}'

run_in "$long"$'\n' pdu encode --to +31641600986 --ref 42 -
check "encode reads TEXT from stdin with -" [ "$rc" -eq 0 -a "$out" = "$long_lines" ]

# --- encode errors ---------------------------------------------------------------
run pdu encode "no destination"
check "encode without --to: exit 2" [ "$rc" -eq 2 ]
check "encode without --to: says so" has "$err" '--to'
check "encode without --to: usage on stderr" has "$err" 'usage: parley pdu'
run pdu encode --to +3161 --ref 70000 --concat16 hi
check "encode --ref 70000: exit 2" [ "$rc" -eq 2 ]
check "encode --ref 70000: names the option" has "$err" '--ref'
run pdu encode --to +3161 --ref 300 hi
check "encode 8-bit --ref 300: exit 2" [ "$rc" -eq 2 ]
run pdu encode --to +3161 --ref -1 hi
check "encode --ref -1: exit 2" [ "$rc" -eq 2 ]
run pdu encode --to +3161 --validity 0 hi
check "encode --validity 0: exit 2" [ "$rc" -eq 2 ]
run pdu encode --to +3161 --validity 10x hi
check "encode --validity 10x: exit 2" [ "$rc" -eq 2 ]
run pdu encode --to +3161 --lang klingon hi
check "encode --lang klingon: exit 2" [ "$rc" -eq 2 ]
check "encode --lang klingon: names it" has "$err" 'klingon'
run pdu encode --to +3161 --bogus hi
check "encode unknown option: exit 2" [ "$rc" -eq 2 ]
run pdu encode --to +3161 one two
check "encode two TEXTs: exit 2" [ "$rc" -eq 2 ]
run pdu encode --to "+31x61" hi
check "encode bad number: exit 1" [ "$rc" -eq 1 ]
check "encode bad number: message on stderr" [ -n "$err" -a -z "$out" ]
run pdu encode --to +3161 "$(printf 'bad \xff utf-8')"
check "encode invalid UTF-8: exit 1" [ "$rc" -eq 1 ]
check "encode invalid UTF-8: message on stderr" [ -n "$err" -a -z "$out" ]

# --- count ----------------------------------------------------------------------
run pdu count "Hello"
check "count short text: exit 0" [ "$rc" -eq 0 ]
check "count short text: one line" one_line
check "count short text: plan" has "$out" \
	'{"encoding":"gsm7","segments":1,"units":5,"per_segment":160,"left":155,"chars":5,'
check "count short text: default tables" has "$out" '"locking_lang":null,"single_lang":null'
check "count short text: no smart" has "$out" '"smart_used":false}'
run pdu count "$long"
check "count long text: three segments of 153" has "$out" '"segments":3,'
check "count long text: per_segment 153" has "$out" '"per_segment":153,'
run_in "$long"$'\n' pdu count -
check "count reads TEXT from stdin with -" has "$out" '"segments":3,'
run pdu count "€"
check "count escape: two septets" has "$out" '"units":2,'
run pdu count "😀"
check "count emoji: UCS-2 and two units" has "$out" '"encoding":"ucs2","segments":1,"units":2,'
run pdu count --smart "“quoted”"
check "count --smart: stays GSM 7-bit" has "$out" '"encoding":"gsm7"'
check "count --smart: says so" has "$out" '"smart_used":true'
run pdu count --lang turkish "ğ"
check "count --lang turkish: uses a Turkish table" has "$out" '"turkish"'
run pdu count "$(printf '\xc3')"
check "count invalid UTF-8: exit 1 and JSON error" \
	eval '[ "$rc" -eq 1 ] && has "$out" "{\"error\":\""'
run pdu count --to +3161 hi
check "count --to is not an option of count" [ "$rc" -eq 2 ]

# --- the command itself ------------------------------------------------------------
run --version
check "--version" eval '[ "$rc" -eq 0 ] && has "$out" "parley "'
run --help
check "--help lists pdu" eval '[ "$rc" -eq 0 ] && has "$out" "pdu"'
run pdu --help
check "pdu --help: usage on stdout" eval '[ "$rc" -eq 0 ] && has "$out" "usage: parley pdu"'
run frobnicate
check "unknown command: exit 2" [ "$rc" -eq 2 ]
run pdu frobnicate
check "unknown pdu subcommand: exit 2" [ "$rc" -eq 2 ]
run
check "no command: exit 2" [ "$rc" -eq 2 ]

[ "$failed" -eq 0 ]
