#!/bin/bash
# `parley consent import` on broken CSV files, without a daemon: each kind of
# error says file:line and why, exits 1, and adds nothing, not even the good
# rows before the bad one; then a good file goes in whole.
# Needs only bash and coreutils.
set -u
PARLEY=${PARLEY:-build/parley}
. "$(dirname "$0")/lib.bash"

need_built "$PARLEY"
tmp=$(mktemp -d /tmp/parley-import-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

HEADER='number,action,scope,scope_name,category,method,disclosure,recorded_by,message_id,at'
GOOD='+447700900123,grant,all,,marketing,web,Web form v3,alice,,2026-11-01T10:00:00Z'

# run ARGS...: sets $out, $err and $rc for one parley run against the test's store.
run() {
	out=$("$PARLEY" "$@" --store "$tmp/parley.db" --socket "$tmp/none.sock" 2>"$tmp/err")
	rc=$?
	err=$(<"$tmp/err")
}

# csv NAME ROW...: writes $tmp/NAME.csv with the header and the rows (printf %b: \0 is a NUL).
csv() {
	local name=$1 row
	shift
	{
		echo "$HEADER"
		for row in "$@"; do printf '%b\n' "$row"; done
	} >"$tmp/$name.csv"
}

# refused NAME WANT: importing NAME.csv fails with exit 1 and the message WANT.
refused() {
	run consent import "$tmp/$1.csv"
	check "$1: exit 1 ($rc)" [ "$rc" -eq 1 ]
	check "$1: says $2" has "$err" "$tmp/$1.csv:$2"
}

printf 'num,action\n' >"$tmp/header.csv"
refused header "1: the header must be: number,action"
csv fields "$GOOD" '+447700900125,grant,all'
refused fields "3: 3 fields, want 10"
csv number "$GOOD" 'AMAZON,grant,all,,marketing,web,,alice,,2026-11-01T10:00:00Z'
refused number '3: number "AMAZON": a name, not a number'
csv national '07700 900124,revoke,all,,all,keyword,STOP,parleyd,12,2026-11-02T10:00:00Z'
refused national '2: number "07700 900124": a national number needs a default country'
csv time '+447700900123,grant,all,,marketing,web,,alice,,yesterday'
refused time '2: at "yesterday" is not YYYY-MM-DDTHH:MM:SSZ'
csv message '+447700900123,revoke,all,,all,keyword,STOP,parleyd,12x,2026-11-01T10:00:00Z'
refused message '2: message_id "12x" is not a number'
csv action '+447700900123,maybe,all,,marketing,web,,alice,,2026-11-01T10:00:00Z'
refused action "2: a consent record's action is grant or revoke"
csv quote '+447700900123,grant,all,,marketing,web,say "hi",alice,,2026-11-01T10:00:00Z'
refused quote "2: a quote inside an unquoted field"
csv open '+447700900123,grant,all,,marketing,web,"open,alice,,2026-11-01T10:00:00Z'
refused open "2: a quoted field never closed"
csv nul '+447700900123,grant,all,,marketing,web,a\0b,alice,,2026-11-01T10:00:00Z'
refused nul "2: a NUL byte"

run consent import "$tmp/missing.csv"
check "a file that is not there: exit 1" [ "$rc" -eq 1 ]
check "a file that is not there: says so" has "$err" "missing.csv: No such file or directory"

run consent export
# RFC 4180: rows end in CRLF
check "nothing was imported from the refused files" [ "${out%$'\r'}" = "$HEADER" ]

csv good "$GOOD" '+447700900124,revoke,all,,all,keyword,"STOP, please",parleyd,12,2026-11-02T10:00:00Z'
run consent import "$tmp/good.csv"
check "a good file goes in: exit 0 ($err)" [ "$rc" -eq 0 ]
check "and says how many" has "$out" "imported 2 records"
run consent export
check "both records are in the ledger, the quoted comma kept" \
	eval 'has "$out" "+447700900123,grant" && has "$out" "\"STOP, please\""'

exit $((failed > 0))
