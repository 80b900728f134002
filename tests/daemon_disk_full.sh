#!/bin/bash
# A full disk under the store, end to end: parleyd and modemsim (sim800),
# the store on a 16 MB tmpfs that the test fills to the last byte at chosen
# moments. What must hold:
#   - `parley send` on a full disk fails with a clear message, exit 1, and
#     the same send with its key succeeds once there is room (no double);
#   - a message whose +CMGS answer comes back while the disk is full is
#     not left "sending": the daemon keeps the outcome, sends nothing more
#     on that line meanwhile, and records it as sent once there is room;
#   - a customer's message that arrives meanwhile stays on the SIM and is
#     stored once there is room;
#   - events the broker acknowledges while the disk is full (so that their
#     outbox rows cannot be deleted) are deleted once there is room, not
#     left in the outbox until the next reconnection.
# Mounting a tmpfs needs root (CI runs as root): otherwise it says so and
# checks nothing.
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
PARLEY=${PARLEY:-build/parley}
PARLEYD=${PARLEYD:-build/parleyd}
MODEMSIM=${MODEMSIM:-build/modemsim}
MQTTC=${MQTTC:-build/mqttc}

need_built "$PARLEY" "$PARLEYD" "$MODEMSIM" "$MQTTC"

tmp=$(mktemp -d /tmp/parley-diskfull-XXXXXX)
disk= daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	stop_sims
	stop_broker
	[ -n "$disk" ] && { umount "$disk" || umount -l "$disk"; }
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ] || ! mkdir -p "$tmp/disk" || ! mount -t tmpfs -o size=16m tmpfs "$tmp/disk" 2>/dev/null; then
	echo "ok - # SKIP a full disk needs a tmpfs, and mounting one needs root"
	exit 0
fi
disk=$tmp/disk

ctl() { "$MODEMSIM" --control "$tmp/sim0.sock" --send "$1"; }
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }
fill() { dd if=/dev/zero of="$disk/filler" bs=16k 2>/dev/null; sync; }
room() { rm -f "$disk/filler"; }

start_sim 0 +447700900100 || exit 1
start_broker || exit 1
cat >"$tmp/parley.conf" <<EOF
store = "$disk/parley.db";
control_socket = "$tmp/parleyd.sock";
log_level = "debug";
queue = { retries = 3; retry_base = 1; };
modems = ( { name = "sim"; device = "$tmp/modem0"; profile = "sim800"; line = "+447700900100";
             rate_per_minute = 600; } );
mqtt = { host = "127.0.0.1"; port = $BROKER_PORT; gateway_id = "df"; keepalive = 5; };
EOF
"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon.log" &
daemon_pid=$!
ready() { p status | grep -q " ready "; }
check "the daemon brings the modem to ready" wait_for 20 ready
# a little history; the write-ahead log must still be growing (no checkpoint yet,
# which would let the next writes reuse its pages without taking disk space)
for i in $(seq 1 5); do p send --to +447700900201 "warm-up $i" >/dev/null; done
drained() { has "$(p status --json)" '"queued":0,"sending":0,'; }
wait_for 20 drained

# ---- a send on a full disk ----------------------------------------------------
fill
out=$(p send --key full-1 --to +447700900202 "written on a full disk" 2>&1)
rc=$?
check "parley send on a full disk fails (exit $rc)" test $rc -eq 1
check "and says the disk is full ($out)" has "$out" "full"
room
out=$(p send --json --key full-1 --to +447700900202 "written on a full disk" 2>&1)
check "the same send with its key goes through once there is room ($out)" has "$out" '"id":'
id1=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
check "only one such message was stored" test "$(p queue --json --limit 1000 | grep -o 'written on a full disk' | wc -l)" -eq 1

# ---- the modem answers while the disk is full ------------------------------------
wait_for 20 drained
ctl '{"cmd":"latency","command":"+CMGS","ms":2500}' >/dev/null
out=$(p send --json --to +447700900203 "answered on a full disk")
id2=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
p send --to +447700900204 "queued behind it" >/dev/null
sending() { has "$(p show "$id2")" "sending"; }
wait_for 10 sending
fill
# a customer writes meanwhile: it can only stay on the SIM for now
ctl '{"cmd":"inject","from":"+447700900205","text":"written to a full disk"}' >/dev/null
sleep 4 # the +CMGS answer (2.5 s) has come and could not be recorded
check "the daemon says it keeps what the modem said" grep -q "kept, and nothing more goes out" "$tmp/daemon.log"
check "nothing more went out on that line meanwhile" \
	test "$(ctl '{"cmd":"sent"}' | grep -o 'queued behind it' | wc -l)" -eq 0
check "the customer's message waits on the SIM" has "$(ctl '{"cmd":"stored"}')" "written to a full disk"
check "the daemon is still running" kill -0 "$daemon_pid"
room
sent() { has "$(p show "$id2")" "sent"; }
check "once there is room, the message is recorded as sent" wait_for 15 sent
check "it reached the network once" \
	test "$(ctl '{"cmd":"sent"}' | grep -o '"to":"+447700900203"' | wc -l)" -eq 1
inbox() { has "$(p inbox)" "written to a full disk"; }
check "the customer's message is stored" wait_for 15 inbox
check "and gone from the SIM" wait_for 10 eval '! has "$(ctl "{\"cmd\":\"stored\"}")" "written to a full disk"'
ctl '{"cmd":"latency","command":"+CMGS","ms":0}' >/dev/null
behind() { has "$(ctl '{"cmd":"sent"}')" "queued behind it"; }
check "the line sends again" wait_for 15 behind
check "message $id1 went out too" wait_for 10 eval 'has "$(p show "$id1")" "sent"'

# ---- the broker acknowledges events the store cannot delete --------------------
stop_broker
p send --to +447700900206 "while the broker is away" >/dev/null
waiting() { has "$(p status --json)" '"events_waiting":0,' && return 1; return 0; }
check "events wait in the outbox while the broker is away" wait_for 10 waiting
fill
restart_broker
check "the daemon says it cannot delete what the broker acknowledged" \
	wait_for 15 grep -q "cannot delete published event" "$tmp/daemon.log"
room
none_waiting() { has "$(p status --json)" '"events_waiting":0,'; }
check "once there is room, the outbox is empty" wait_for 15 none_waiting

if [ "$failed" -ne 0 ]; then
	echo "--- daemon log (tail)"
	tail -30 "$tmp/daemon.log"
fi
exit $((failed > 0))
