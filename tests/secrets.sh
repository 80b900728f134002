#!/bin/bash
# No secret is ever logged or shown: parleyd at log_level "debug" (every AT
# command traced) with a SIM that wants its PIN (modemsim --pin) and an MQTT
# password, given in the file and then through password_file; then a wrong
# PIN and a wrong password, whose errors are logged. Neither the PIN nor a
# password may appear in the daemon's log, the metrics file, `parley status`
# (text and JSON), the retained gateway, modem and stats topics, or a
# configuration error. Controls make sure each secret was really used while
# the log was listening. Every process it starts, it stops (trap).
set -u
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/lib_mqtt.bash"
LINE=+447700900100
PIN=58206391          # what the SIM wants
WRONG_PIN=61930528    # what a careless operator types
PASSWORD=gw-pass      # lib_mqtt.bash's password for user "gateway"
WRONG_PASSWORD=wrong-pw-2931

mqtt_test_begin secrets
start_broker --password || { fail "the broker starts"; exit 1; }
start_sim 1 $LINE --pin $PIN
p() { "$PARLEY" -c "$tmp/parley.conf" "$@"; }
m() { "$MQTTC" -p "$BROKER_PORT" "${BROKER_AUTH[@]}" "$@"; }
BASE=parley/gw1

# conf SIM PIN MQTT_CREDENTIALS
conf() {
	cat >"$tmp/parley.conf" <<-EOF
		store = "$tmp/parley.db";
		control_socket = "$tmp/parleyd.sock";
		log_level = "debug";
		metrics = { file = "$tmp/parley.prom"; interval = 5; };
		modems = ( { name = "sim"; device = "$tmp/modem$1"; profile = "sim800"; line = "$LINE";
		             pin = "$2"; rate_per_minute = 600; } );
		policy = { default_country = "GB"; };
		mqtt = { host = "127.0.0.1"; port = $BROKER_PORT; gateway_id = "gw1"; keepalive = 5;
		         username = "gateway"; $3 stats_interval = 5; };
	EOF
}
start_daemon() {
	"$PARLEYD" -c "$tmp/parley.conf" 2>"$tmp/daemon-$1.log" &
	daemon_pid=$!
}
stop_daemon() {
	kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	daemon_pid=
}
online() { m sub -t "$BASE/status" --retained | grep -q '"state":"online"'; }
ready() { p status | grep -q " ready "; }
# everything the gateway shows: the status command, the retained topics, the metrics
collect() {
	{
		p status
		p status --json
		m sub -t "$BASE/status" -t "$BASE/modem/#" -t "$BASE/stats" -v --retained
		cat "$tmp/parley.prom"
	} >"$tmp/shown-$1.txt" 2>&1
}
# clean NAME FILE...: none of the secrets in those files
clean() {
	local name=$1 s
	shift
	for s in "$PIN" "$WRONG_PIN" "$PASSWORD" "$WRONG_PASSWORD"; do
		if grep -qF -- "$s" "$@"; then
			fail "$name: no secret in it (found $s)"
			grep -nF -- "$s" "$@" | head -3
			return
		fi
	done
	pass "$name: no secret in it"
}

# ---- the right PIN, the password in the configuration ----
conf 1 $PIN "password = \"$PASSWORD\";"
start_daemon 1
check "the gateway logs in with its password" wait_for 10 online
check "the modem is ready (the PIN was given)" wait_for 20 ready
out=$(m request -t "$BASE/command" -m '{"cmd":"send","to":"+447700900123","text":"nothing secret"}')
check "a command is answered ($out)" has "$out" '"status":"accepted"'
sent() { p queue --json | grep -q '"state":"sent"'; }
check "and sent" wait_for 10 sent
stats() { m sub -t "$BASE/stats" --retained | grep -q '"lines"'; }
check "figures are published" wait_for 10 stats
check "the metrics file is written" wait_for 12 test -s "$tmp/parley.prom"
collect 1
stop_daemon
check "control: the log traced the PIN command" grep -q '^<7>sim > AT+CPIN=<hidden>' "$tmp/daemon-1.log"
check "control: the log traced the SIM's answer after it" grep -q '^<7>sim < .*+CPIN: READY' "$tmp/daemon-1.log"
check "control: the log says the gateway connected" grep -q 'MQTT: connected' "$tmp/daemon-1.log"
clean "the debug log (PIN, inline password)" "$tmp/daemon-1.log"
clean "status, retained topics and metrics" "$tmp/shown-1.txt"

# ---- the password from password_file, and a wrong PIN ----
printf '%s\n' "$PASSWORD" >"$tmp/mqtt.pass"
# a fresh SIM that wants its PIN again
start_sim 2 $LINE --pin $PIN
conf 2 $WRONG_PIN "password_file = \"$tmp/mqtt.pass\";"
start_daemon 2
check "the gateway logs in with the password from its file" wait_for 10 online
refused() { p status | grep -q " failed "; }
check "the wrong PIN leaves the modem failed" wait_for 20 refused
collect 2
stop_daemon
check "control: the refusal is logged" grep -q 'SIM PIN refused' "$tmp/daemon-2.log"
clean "the debug log (wrong PIN, password_file)" "$tmp/daemon-2.log"
clean "status with a failed modem" "$tmp/shown-2.txt"

# ---- a wrong password ----
printf '%s\n' "$WRONG_PASSWORD" >"$tmp/mqtt.pass"
start_daemon 3
refused_login() { grep -q 'MQTT: cannot reach the broker' "$tmp/daemon-3.log"; }
check "the broker's refusal is logged" wait_for 10 refused_login
stop_daemon
clean "the debug log (wrong password)" "$tmp/daemon-3.log"

# ---- configuration errors name the key, never the value ----
sed -i "s/pin = \"$WRONG_PIN\"/pin = \"${PIN}x\"/" "$tmp/parley.conf"
out=$("$PARLEYD" -c "$tmp/parley.conf" --check-config 2>&1)
check "a malformed PIN is refused: $out" has "$out" "pin"
check "without repeating it" test "${out/$PIN/}" = "$out"

exit $((failed > 0))
