#!/bin/bash
# The modes of what parleyd and parley create, when they are started by hand
# with a loose umask (022) rather than by the systemd unit (UMask=0077): the
# store, its -wal and -shm, the lock and a consent export are 0600; the
# control socket 0660 (the parley group's CLI users); the metrics textfile
# 0644 (node_exporter reads it as another user). A store someone left
# readable makes parleyd warn. Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
PARLEY=${PARLEY:-build/parley}
PARLEYD=${PARLEYD:-build/parleyd}
need_built "$PARLEY" "$PARLEYD"

tmp=$(mktemp -d /tmp/parley-modes-XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
umask 022

# mode_is MODE FILE: octal permission bits, as stat prints them
mode_is() { [ "$(stat -c %a "$2" 2>/dev/null)" = "$1" ]; }
mode_of() { stat -c %a "$1" 2>/dev/null || echo missing; }

conf() {
	mkdir -p "$tmp/$1"
	cat >"$tmp/$1/parley.conf" <<-EOF
		store = "$tmp/$1/parley.db";
		control_socket = "$tmp/$1/parleyd.sock";
		metrics = { file = "$tmp/$1/parley.prom"; interval = 5; };
		policy = { default_country = "GB"; };
	EOF
}

# ---- the command line creates the store before parleyd ever ran ----
conf cli
"$PARLEY" -c "$tmp/cli/parley.conf" send --to +447700900123 "first, before any daemon" >/dev/null 2>"$tmp/cli/send.err"
check "parley send creates the store" test -s "$tmp/cli/parley.db"
check "the store parley created is 0600 (umask 022): $(mode_of "$tmp/cli/parley.db")" mode_is 600 "$tmp/cli/parley.db"
"$PARLEY" -c "$tmp/cli/parley.conf" consent export "$tmp/cli/consent.csv" 2>/dev/null
check "a consent export (phone numbers) is 0600: $(mode_of "$tmp/cli/consent.csv")" mode_is 600 "$tmp/cli/consent.csv"

# ---- parleyd creates its files ----
conf d
"$PARLEYD" -c "$tmp/d/parley.conf" 2>"$tmp/d/daemon.log" &
daemon_pid=$!
check "parleyd creates its control socket" wait_for 10 test -S "$tmp/d/parleyd.sock"
check "and its metrics file" wait_for 10 test -s "$tmp/d/parley.prom"
# the daemon holds the store open: its WAL and shared-memory index exist now
for f in parley.db parley.db-wal parley.db-shm parley.db.lock; do
	check "$f is 0600: $(mode_of "$tmp/d/$f")" mode_is 600 "$tmp/d/$f"
done
check "the control socket is 0660: $(mode_of "$tmp/d/parleyd.sock")" mode_is 660 "$tmp/d/parleyd.sock"
check "the metrics file is 0644, readable by node_exporter: $(mode_of "$tmp/d/parley.prom")" \
	mode_is 644 "$tmp/d/parley.prom"
talks() { "$PARLEY" -c "$tmp/d/parley.conf" status >/dev/null; }
check "the CLI still talks to the daemon through that socket" talks
"$PARLEY" -c "$tmp/d/parley.conf" send --to +447700900124 "while the daemon runs" >/dev/null 2>&1
check "a send through the CLI leaves the store 0600: $(mode_of "$tmp/d/parley.db")" mode_is 600 "$tmp/d/parley.db"
check "and its WAL: $(mode_of "$tmp/d/parley.db-wal")" mode_is 600 "$tmp/d/parley.db-wal"
kill "$daemon_pid"
wait "$daemon_pid"
check "parleyd stops cleanly" test $? -eq 0
daemon_pid=
check "no warning about modes for a store it made itself" \
	test "$(grep -c 'has mode' "$tmp/d/daemon.log")" -eq 0

# ---- a store someone made readable ----
chmod 644 "$tmp/d/parley.db"
"$PARLEYD" -c "$tmp/d/parley.conf" 2>"$tmp/d/daemon2.log" &
daemon_pid=$!
warned() { grep -q "^<4>store $tmp/d/parley.db has mode 0644" "$tmp/d/daemon2.log"; }
check "parleyd warns about a store others may read" wait_for 10 warned
check "and leaves the administrator's mode as it was" mode_is 644 "$tmp/d/parley.db"

exit $((failed > 0))
