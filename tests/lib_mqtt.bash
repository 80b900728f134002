# A private mosquitto broker for the shell tests, on 127.0.0.1 at a free port,
# with everything (config, password file, certificates, log) under
# $tmp/broker. Source it after lib.bash; it needs $tmp and $MQTTC (tools/mqttc,
# used to tell when the broker accepts). Call stop_broker from the cleanup trap.
#
#   start_broker [--password] [--tls] [--acl FILE]   start one; exports BROKER_PORT,
#       BROKER_TLS_PORT (with --tls), BROKER_DIR, BROKER_LOG, BROKER_CA,
#       BROKER_CERT, BROKER_KEY (client certificate and key, with --tls),
#       BROKER_PID. --password: anonymous clients are refused; users
#       "console" (password "s3cret") and "gateway" ("gw-pass") exist.
#       --tls: a second listener, BROKER_TLS_PORT, with a certificate for
#       IP 127.0.0.1 and DNS localhost signed by BROKER_CA.
#       --acl FILE: mosquitto's acl_file, used as it is (with --password,
#       its "user" lines name console and gateway).
#       BROKER_AUTH (an array, not exported) holds the mqttc options for
#       user "console" with --password, nothing without.
#   stop_broker      stop it (fine when none runs)
#   broker_free_port a TCP port on 127.0.0.1 nothing listens on (now)
#   restart_broker   stop it if it runs and start it again on the same ports
#                    with the same config; returns once it accepts again. For a
#                    longer outage: stop_broker, wait, restart_broker.

BROKER_PORT= BROKER_TLS_PORT= BROKER_DIR= BROKER_LOG= BROKER_CA= BROKER_CERT= BROKER_KEY= BROKER_PID=
BROKER_AUTH=()

# A port on 127.0.0.1 that the kernel picked for a socket bound to port 0,
# so nothing listens on it now. Someone may take it before mosquitto does:
# start_broker retries. $RANDOM if perl cannot bind (never seen).
broker_free_port() {
	perl -MIO::Socket::INET -e '
		my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
			Proto => "tcp", Listen => 1) or exit 1;
		print $s->sockport, "\n";' 2>/dev/null || echo $((20000 + RANDOM % 40000))
}

# A CA, and the server and client certificates it signs, with EC P-256 keys
# (RSA key generation costs more than the rest of a test's setup).
_broker_certs() {
	local d=$BROKER_DIR ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
	cat >"$d/openssl.cnf" <<-'EOF'
		[req]
		distinguished_name = dn
		prompt = no
		[dn]
		CN = parley test
		[ca]
		basicConstraints = critical, CA:TRUE
		keyUsage = critical, keyCertSign, cRLSign
		subjectKeyIdentifier = hash
		[server]
		basicConstraints = CA:FALSE
		keyUsage = critical, digitalSignature
		extendedKeyUsage = serverAuth
		subjectAltName = IP:127.0.0.1, DNS:localhost
		authorityKeyIdentifier = keyid
		[client]
		basicConstraints = CA:FALSE
		keyUsage = critical, digitalSignature
		extendedKeyUsage = clientAuth
		authorityKeyIdentifier = keyid
	EOF
	{
		openssl req -x509 -config "$d/openssl.cnf" -extensions ca "${ec[@]}" -days 2 \
			-subj "/CN=parley test CA" -keyout "$d/ca.key" -out "$d/ca.crt" &&
		openssl req -new -config "$d/openssl.cnf" "${ec[@]}" -subj "/CN=localhost" \
			-keyout "$d/server.key" -out "$d/server.csr" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-set_serial 2 -days 2 -extfile "$d/openssl.cnf" -extensions server \
			-out "$d/server.crt" &&
		openssl req -new -config "$d/openssl.cnf" "${ec[@]}" -subj "/CN=console" \
			-keyout "$d/client.key" -out "$d/client.csr" &&
		openssl x509 -req -in "$d/client.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-set_serial 3 -days 2 -extfile "$d/openssl.cnf" -extensions client \
			-out "$d/client.crt"
	} >"$d/openssl.log" 2>&1 || {
		echo "start_broker: openssl failed; see $d/openssl.log" >&2
		return 1
	}
	BROKER_CA=$d/ca.crt BROKER_CERT=$d/client.crt BROKER_KEY=$d/client.key
}

# _broker_config PASSWORD TLS ACL_FILE: mosquitto.conf for the current ports
_broker_config() {
	local d=$BROKER_DIR
	{
		echo "# written by tests/lib_mqtt.bash"
		echo "per_listener_settings false"
		echo "persistence false"
		# the broker default (Nagle) costs every command ~40 ms: docs/mqtt.md
		echo "set_tcp_nodelay true"
		# as root mosquitto drops to user "mosquitto", who cannot read $tmp
		echo "user $(id -un)"
		echo "log_dest file $BROKER_LOG"
		echo "log_type error"
		echo "log_type warning"
		echo "log_type notice"
		echo "log_type information"
		echo "connection_messages true"
		if [ "$1" = true ]; then
			echo "allow_anonymous false"
			echo "password_file $d/passwd"
		else
			echo "allow_anonymous true"
		fi
		[ -n "$3" ] && echo "acl_file $3"
		echo "listener $BROKER_PORT 127.0.0.1"
		if [ "$2" = true ]; then
			echo "listener $BROKER_TLS_PORT 127.0.0.1"
			echo "cafile $d/ca.crt"
			echo "certfile $d/server.crt"
			echo "keyfile $d/server.key"
			echo "require_certificate false"
		fi
	} >"$d/mosquitto.conf"
}

# MQTT 3.1.1: a broker whose ACL forbids the topic acknowledges the publish
# all the same (MQTT 5 would be told "not authorized"), and only whether it
# accepts connections matters here
_broker_accepts() {
	"$MQTTC" -p "$BROKER_PORT" -V 311 -W 2 "${BROKER_AUTH[@]}" pub -t parley/test/ping -m ping \
		>/dev/null 2>&1
}

# Starts mosquitto on the written config; 0 once a publish goes through,
# 1 when it died (a port taken) or never accepted within 5 s.
_broker_launch() {
	local bin end=$((SECONDS + 5))
	bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
	"$bin" -c "$BROKER_DIR/mosquitto.conf" >>"$BROKER_DIR/mosquitto.out" 2>&1 &
	BROKER_PID=$!
	while ! _broker_accepts; do
		if ! kill -0 "$BROKER_PID" 2>/dev/null || [ $SECONDS -ge $end ]; then
			stop_broker
			return 1
		fi
		sleep 0.05
	done
}

start_broker() {
	local password=false tls=false acl= try
	while [ $# -gt 0 ]; do
		case $1 in
		--password) password=true ;;
		--tls) tls=true ;;
		--acl)
			acl=$(realpath "$2") || return 2
			shift
			;;
		*)
			echo "start_broker: unknown option $1" >&2
			return 2
			;;
		esac
		shift
	done
	stop_broker
	BROKER_DIR=$tmp/broker BROKER_LOG=$tmp/broker/mosquitto.log
	BROKER_TLS_PORT= BROKER_CA= BROKER_CERT= BROKER_KEY=
	mkdir -p "$BROKER_DIR" || return 1
	BROKER_AUTH=()
	if [ $password = true ]; then
		mosquitto_passwd -c -b "$BROKER_DIR/passwd" console s3cret &&
			mosquitto_passwd -b "$BROKER_DIR/passwd" gateway gw-pass || return 1
		BROKER_AUTH=(-u console -P s3cret)
	fi
	if [ $tls = true ]; then
		_broker_certs || return 1
	fi
	for try in 1 2 3 4 5; do
		BROKER_PORT=$(broker_free_port)
		if [ $tls = true ]; then
			BROKER_TLS_PORT=$(broker_free_port)
			[ "$BROKER_TLS_PORT" = "$BROKER_PORT" ] && continue
		fi
		_broker_config $password $tls "$acl"
		if _broker_launch; then
			export BROKER_PORT BROKER_TLS_PORT BROKER_DIR BROKER_LOG BROKER_CA BROKER_CERT \
				BROKER_KEY BROKER_PID
			return 0
		fi
	done
	echo "start_broker: mosquitto did not start ($try tries); see $BROKER_LOG" >&2
	return 1
}

stop_broker() {
	[ -n "$BROKER_PID" ] || return 0
	kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null
	BROKER_PID=
	return 0
}

restart_broker() {
	local try
	stop_broker
	# the port was ours a moment ago; another process could only take it by
	# chance, and then there is nothing better to do than fail
	for try in 1 2 3; do
		_broker_launch && export BROKER_PID && return 0
		sleep 0.2
	done
	echo "restart_broker: mosquitto did not start again on $BROKER_PORT; see $BROKER_LOG" >&2
	return 1
}

# mqtt_test_begin NAME: what every end-to-end test with a broker starts with:
# the programs (PARLEY, PARLEYD, MODEMSIM, MQTTC, overridable), a private $tmp,
# and a trap that stops $daemon_pid, $sub_pid, the simulators and the broker,
# then removes $tmp, however the test ends.
mqtt_test_begin() {
	PARLEY=${PARLEY:-build/parley}
	PARLEYD=${PARLEYD:-build/parleyd}
	MODEMSIM=${MODEMSIM:-build/modemsim}
	MQTTC=${MQTTC:-build/mqttc}
	need_built "$PARLEY" "$PARLEYD" "$MODEMSIM" "$MQTTC"
	tmp=$(mktemp -d "/tmp/parley-$1-XXXXXX")
	daemon_pid= sub_pid=
	trap _mqtt_test_end EXIT
}

_mqtt_test_end() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	[ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null && wait "$sub_pid" 2>/dev/null
	stop_sims
	stop_broker
	rm -rf "$tmp"
}
