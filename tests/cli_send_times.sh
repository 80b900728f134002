#!/bin/bash
# `parley send --at +SECONDS --expire SECONDS` over the whole range the options
# accept (up to 366 days), on a store the CLI makes alone (no daemon): the
# message's send_at and expire_at must lie exactly that far ahead. On 32-bit
# ARM (armhf) a `long` of seconds times 1000 once overflowed past 24.8 days,
# scheduling such messages in the past. Needs only bash: JSON is one line.
set -u
PARLEY=${PARLEY:-build/parley}
. "$(dirname "$0")/lib.bash"

need_built "$PARLEY"
tmp=$(mktemp -d /tmp/parley-times-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# p ARGS...: parley against the test's store, with no daemon to wake
p() { "$PARLEY" "$@" --store "$tmp/parley.db" --socket "$tmp/none.sock" 2>/dev/null; }
# field JSON NAME: a numeric member of a one-line JSON object
field() { sed -n "s/.*\"$2\":\([-0-9]*\).*/\1/p" <<<"$1"; }

n=0
# one DELAY EXPIRE: queues a message due in DELAY s and expiring EXPIRE s after,
# then checks both times against its creation time
one() {
	local delay=$1 expire=$2 id out created_at send_at expire_at
	n=$((n + 1))
	id=$(field "$(p send --json --at "+$delay" --expire "$expire" --to "+447700900$((100 + n))" "Times $n")" id)
	out=$(p show --json "$id")
	created_at=$(field "$out" created_at)
	send_at=$(field "$out" send_at)
	expire_at=$(field "$out" expire_at)
	# send --at is computed from the CLI's clock a moment before the store
	# stamps created_at: allow that moment, nothing more
	check "+$delay s: send_at is $delay s after created_at" \
		test $((send_at - created_at)) -le $((delay * 1000)) -a $((delay * 1000 - (send_at - created_at))) -lt 5000
	check "+$delay s, --expire $expire: expire_at is $expire s after send_at" \
		test $((expire_at - send_at)) -eq $((expire * 1000))
}

one 60 3600
one 2147483 2147484   # both sides of 2^31 ms
one 2592000 2592000   # 30 days
one 31622400 31622400 # the 366 days the options allow

# and without --at, --expire counts from now
out=$(p show --json "$(field "$(p send --json --expire 2592000 --to +447700909999 "No delay")" id)")
check "--expire alone: expire_at is 30 days after created_at" \
	test $(($(field "$out" expire_at) - $(field "$out" created_at))) -ge 2591995000 \
	-a $(($(field "$out" expire_at) - $(field "$out" created_at))) -le 2592000000
out=$(p show --json "$(field "$(p send --json --to +447700909998 "Never expires")" id)")
check "no --expire: expire_at is 0 (never)" test "$(field "$out" expire_at)" = 0

[ "$failed" -eq 0 ]
