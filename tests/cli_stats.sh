#!/bin/bash
# `parley stats` on a store made by the parley CLI alone (no daemon): an
# empty store, then messages queued for a line and for any line. Nothing is
# sent without a daemon, so every count stays 0; what is checked is the
# shape: the table's headings and rows, the JSON's members and times, the
# period --since gives, and the exit status of bad arguments.
# Needs only bash and coreutils: JSON is one line, checked as text.
set -u
PARLEY=${PARLEY:-build/parley}
. "$(dirname "$0")/lib.bash"
L1=+447700900001

need_built "$PARLEY"
tmp=$(mktemp -d /tmp/parley-stats-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: sets $out, $err and $rc for one parley run against the test's store.
run() {
	out=$("$PARLEY" "$@" --store "$tmp/parley.db" --socket "$tmp/none.sock" 2>"$tmp/err")
	rc=$?
	err=$(<"$tmp/err")
}

# matches STRING ERE: the whole of STRING's text matches the extended regex.
matches() { [[ $1 =~ $2 ]]; }
TIME='"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"'
ZERO_LINE="\{\"line\":\"\\$L1\",\"in\":0,\"out\":0,\"responses\":0,\"median_first_response_ms\":null,\"unanswered\":0,\"customers\":0,\"opt_outs\":0,\"opt_out_rate\":null\}"
# ms between the JSON's since and at
period_ms() {
	local since at
	since=$(sed -n 's/.*"since":"\([^"]*\)".*/\1/p' <<<"$out")
	at=$(sed -n 's/.*"at":"\([^"]*\)".*/\1/p' <<<"$out")
	echo $(( ($(date -u -d "${at%Z}" +%s%3N) - $(date -u -d "${since%Z}" +%s%3N)) ))
}

# --- an empty store ---------------------------------------------------------
run stats
check "empty: exit 0" [ "$rc" -eq 0 ]
check "empty: the period heading" has "$out" "Figures from "
check "empty: no lines said in words" has "$out" "No line had messages"
check "empty: no agents said in words" has "$out" "No agent replied"
run stats --json
check "empty --json: exit 0" [ "$rc" -eq 0 ]
check "empty --json: one line, the whole shape" \
	matches "$out" "^\{\"since\":$TIME,\"at\":$TIME,\"lines\":\[\],\"agents\":\[\],\"lines_omitted\":0,\"agents_omitted\":0\}$"
check "default period: 24 hours" [ "$(period_ms)" -eq 86400000 ]

# --- messages queued (none sent: no daemon) ----------------------------------
for n in 1 2 3; do
	"$PARLEY" send --store "$tmp/parley.db" --socket "$tmp/none.sock" --to +44770090012$n \
		--line $L1 "hello $n" >/dev/null 2>&1
done
"$PARLEY" send --store "$tmp/parley.db" --socket "$tmp/none.sock" --to +447700900129 \
	"any line" >/dev/null 2>&1
run queue
check "four messages queued" [ "$(grep -c queued <<<"$out")" -eq 4 ]

run stats
check "table: exit 0" [ "$rc" -eq 0 ]
check "table: the lines' headings" \
	matches "$out" "LINE +IN +OUT +ANSWERED +MEDIAN 1ST +UNANSWERED +OPT-OUT RATE"
check "table: the line the messages wait for, all zeros" \
	matches "$(grep "^+" <<<"$out")" "^\\$L1 +0 +0 +0 +- +0 +-$"
check "table: one line row only (any-line messages name none)" \
	[ "$(grep -c '^+' <<<"$out")" -eq 1 ]
check "table: no agents (the CLI sends as automation)" has "$out" "No agent replied"

run stats --json
check "--json: exit 0" [ "$rc" -eq 0 ]
check "--json: the line with zeros and nulls" \
	matches "$out" "^\{\"since\":$TIME,\"at\":$TIME,\"lines\":\[$ZERO_LINE\],\"agents\":\[\],\"lines_omitted\":0,\"agents_omitted\":0\}$"

run stats --json --since 90m
check "--since 90m: the period" [ "$(period_ms)" -eq 5400000 ]
check "--since 90m: the messages are in it" has "$out" "\"line\":\"$L1\""
run stats --json --since 2w
check "--since 2w: the period" [ "$(period_ms)" -eq 1209600000 ]
run stats --json --since "$(date +%Y-%m-%d)"
check "--since today: from local midnight" \
	[ "$(date -d "$(sed -n 's/.*"since":"\([^"]*\)".*/\1/p' <<<"$out")" +%H:%M:%S.%3N)" = "00:00:00.000" ]
check "--since today: the messages are in it" has "$out" "\"line\":\"$L1\""
run stats --since 1s --json
check "--since 1s: exit 0" [ "$rc" -eq 0 ]

# --- bad arguments -----------------------------------------------------------
for bad in 5 5x 1.5h -3h 2026-02-31 2026-1-01 tomorrow "$(date -d tomorrow +%Y-%m-%d)"; do
	run stats --since "$bad"
	check "--since '$bad': exit 2" [ "$rc" -eq 2 ]
done
check "--since: the usage says why" has "$err" "--since"
run stats extra
check "an extra argument: exit 2" [ "$rc" -eq 2 ]
run stats --bogus
check "an unknown option: exit 2" [ "$rc" -eq 2 ]
out=$("$PARLEY" stats --help)
check "--help: exit 0 with the usage" has "$out" "usage: parley stats"
out=$("$PARLEY" --help)
check "parley --help lists stats" has "$out" "stats"

[ "$failed" -eq 0 ]
