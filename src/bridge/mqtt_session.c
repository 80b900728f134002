/*
 * libmosquitto driven from the daemon's poll loop (include/parley/mqtt_session.h):
 * no thread, non-blocking connects, reconnect with backoff, MQTT 5 with a
 * fall back to 3.1.1, and the callbacks translated to the owner's.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "parley/mqtt_session.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 60000
#define MISC_EVERY_MS 1000
#define READS_PER_WAKE 32

enum link_state { LINK_IDLE, LINK_CONNECTING, LINK_UP };

struct mqtt_session {
	struct mosquitto *mosq;
	struct mqtt_session_callbacks cb;
	void *ctx;
	char *host;
	int port, keepalive;
	bool allow_v311, allow_v5;
	bool v5;                    /* the protocol of the current (or next) attempt */
	enum link_state state;
	int64_t retry_at;           /* LINK_IDLE: when to connect again */
	int64_t backoff_ms;
	char error[160];
};

static int lib_users;

static void set_error(struct mqtt_session *s, const char *what)
{
	snprintf(s->error, sizeof(s->error), "%s", what);
}

static void lost(struct mqtt_session *s, const char *why, int64_t now)
{
	bool was_up = s->state == LINK_UP;

	s->state = LINK_IDLE;
	s->retry_at = now + s->backoff_ms;
	if (s->backoff_ms < BACKOFF_MAX_MS)
		s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : s->backoff_ms * 2;
	set_error(s, why);
	/* a socket half-open after a failed attempt must not be polled */
	mosquitto_disconnect(s->mosq);
	/* a failed attempt is news only the first time: the owner logs changes, not retries */
	if (s->cb.disconnected && (was_up || s->backoff_ms == BACKOFF_MIN_MS * 2))
		s->cb.disconnected(s->ctx, why);
}

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags, const mosquitto_property *p)
{
	struct mqtt_session *s = obj;

	(void)m;
	(void)flags;
	(void)p;
	if (rc == 0) {
		s->state = LINK_UP;
		s->backoff_ms = BACKOFF_MIN_MS;
		s->error[0] = '\0';
		if (s->cb.connected)
			s->cb.connected(s->ctx, s->v5);
		return;
	}
	/*
	 * 132 (MQTT 5 "unsupported protocol version") or 1 (3.1.1's "unacceptable
	 * protocol version", what an older broker answers a v5 CONNECT with)
	 */
	snprintf(s->error, sizeof(s->error), "the broker refused the connection: %s",
		 s->v5 || rc > 5 ? mosquitto_reason_string(rc) : mosquitto_connack_string(rc));
	s->state = LINK_IDLE;
	if (s->v5 && s->allow_v311 && (rc == 132 || rc == 1)) {
		s->v5 = false;
		mosquitto_int_option(s->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
		s->retry_at = INT64_MIN; /* try 3.1.1 at once */
		return;
	}
	/*
	 * Refused (a wrong password, an unknown user, a client id it will not take): like
	 * any failed attempt, retried ever more slowly and told to the owner the
	 * first time, or nobody would learn why the gateway never comes online.
	 */
	s->retry_at = 0; /* set by the tick that sees it */
	if (s->backoff_ms < BACKOFF_MAX_MS)
		s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : s->backoff_ms * 2;
	if (s->cb.disconnected && s->backoff_ms == BACKOFF_MIN_MS * 2)
		s->cb.disconnected(s->ctx, s->error);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc, const mosquitto_property *p)
{
	struct mqtt_session *s = obj;

	(void)m;
	(void)p;
	if (s->state == LINK_UP && s->cb.disconnected) {
		char why[120];

		snprintf(why, sizeof(why), "disconnected (%s)",
			 rc == 0 ? "on request" : mosquitto_strerror(rc));
		set_error(s, why);
		s->cb.disconnected(s->ctx, why);
	}
	if (s->state == LINK_UP) {
		s->state = LINK_IDLE;
		s->retry_at = 0;
	}
}

static void on_publish(struct mosquitto *m, void *obj, int mid, int rc, const mosquitto_property *p)
{
	struct mqtt_session *s = obj;

	(void)m;
	(void)p;
	/* a v5 broker may refuse a publication (rc >= 128): it is not delivered, so not done */
	if (rc < 128 && s->cb.published)
		s->cb.published(s->ctx, mid);
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	struct mqtt_session *s = obj;
	char *response = NULL;
	void *corr = NULL;
	uint16_t corr_len = 0;

	(void)m;
	if (!s->cb.message)
		return;
	if (props) {
		mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &response, false);
		mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &corr_len,
					       false);
	}
	s->cb.message(s->ctx, msg->topic, msg->payload, (size_t)msg->payloadlen, response, corr,
		      corr_len);
	free(response);
	free(corr);
}

struct mqtt_session *mqtt_session_new(const struct mqtt_session_config *cfg,
				      const struct mqtt_session_callbacks *cb, void *ctx,
				      char *err, size_t err_size)
{
	struct mqtt_session *s = calloc(1, sizeof(*s));
	int rc = MOSQ_ERR_NOMEM;

	if (err && err_size)
		err[0] = '\0';
	if (!s || !(s->host = strdup(cfg->host)))
		goto fail;
	if (lib_users++ == 0)
		mosquitto_lib_init();
	/* clean session false would keep commands for us while we are away; consoles expect
	 * a gateway that is down to be down, and the outbox keeps our own events */
	if (!(s->mosq = mosquitto_new(cfg->client_id, true, s)))
		goto fail;
	s->cb = *cb;
	s->ctx = ctx;
	s->port = cfg->port;
	s->keepalive = cfg->keepalive;
	s->allow_v5 = !cfg->v311_only;
	s->allow_v311 = !cfg->v5_only;
	s->v5 = s->allow_v5;
	s->backoff_ms = BACKOFF_MIN_MS;
	/* the first connection is tried on the first tick, not after a backoff nothing earned */
	s->retry_at = INT64_MIN;
	mosquitto_int_option(s->mosq, MOSQ_OPT_PROTOCOL_VERSION,
			     s->v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	mosquitto_int_option(s->mosq, MOSQ_OPT_TCP_NODELAY, 1);
	mosquitto_connect_v5_callback_set(s->mosq, on_connect);
	mosquitto_disconnect_v5_callback_set(s->mosq, on_disconnect);
	mosquitto_publish_v5_callback_set(s->mosq, on_publish);
	mosquitto_message_v5_callback_set(s->mosq, on_message);
	if (cfg->username && (rc = mosquitto_username_pw_set(s->mosq, cfg->username,
							     cfg->password)) != MOSQ_ERR_SUCCESS)
		goto fail;
	if (cfg->ca_file && (rc = mosquitto_tls_set(s->mosq, cfg->ca_file, NULL, cfg->cert_file,
						    cfg->key_file, NULL)) != MOSQ_ERR_SUCCESS)
		goto fail;
	if (cfg->will_topic &&
	    (rc = mosquitto_will_set(s->mosq, cfg->will_topic, (int)strlen(cfg->will_payload),
				     cfg->will_payload, 1, cfg->will_retain)) != MOSQ_ERR_SUCCESS)
		goto fail;
	return s;
fail:
	if (err && err_size)
		snprintf(err, err_size, "MQTT: %s", rc == MOSQ_ERR_INVAL && cfg->ca_file
			 ? "a TLS file cannot be read (ca_file, cert_file, key_file)"
			 : mosquitto_strerror(rc));
	mqtt_session_free(s);
	return NULL;
}

void mqtt_session_free(struct mqtt_session *s)
{
	if (!s)
		return;
	if (s->mosq) {
		if (s->state == LINK_UP) {
			/* a clean goodbye: the broker drops the Last Will, the owner has already
			 * published its own "offline" */
			mosquitto_disconnect(s->mosq);
			mosquitto_loop_write(s->mosq, 1);
		}
		mosquitto_destroy(s->mosq);
		if (--lib_users == 0)
			mosquitto_lib_cleanup();
	}
	free(s->host);
	free(s);
}

int mqtt_session_fd(const struct mqtt_session *s)
{
	return s->state == LINK_IDLE ? -1 : mosquitto_socket(s->mosq);
}

short mqtt_session_events(const struct mqtt_session *s)
{
	return (short)(POLLIN | (mosquitto_want_write(s->mosq) ? POLLOUT : 0));
}

void mqtt_session_handle(struct mqtt_session *s, short revents, int64_t now_ms)
{
	int rc = MOSQ_ERR_SUCCESS;

	if (s->state == LINK_IDLE)
		return;
	/*
	 * One packet per call; with TLS, records OpenSSL has already buffered do
	 * not wake poll again, so read until the socket and TLS have nothing
	 * (a non-blocking read that finds nothing still succeeds).
	 */
	for (int i = 0; i < READS_PER_WAKE && rc == MOSQ_ERR_SUCCESS && s->state != LINK_IDLE &&
			(revents & (POLLIN | POLLHUP | POLLERR)); i++)
		rc = mosquitto_loop_read(s->mosq, 1);
	if (rc == MOSQ_ERR_SUCCESS && s->state != LINK_IDLE && (revents & POLLOUT))
		rc = mosquitto_loop_write(s->mosq, 1);
	if (rc != MOSQ_ERR_SUCCESS && s->state != LINK_IDLE)
		lost(s, rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc), now_ms);
	else if (s->state == LINK_IDLE && s->retry_at == 0)
		s->retry_at = now_ms + s->backoff_ms;
}

int64_t mqtt_session_tick(struct mqtt_session *s, int64_t now_ms)
{
	int rc;

	if (s->state == LINK_IDLE && s->retry_at == 0)
		s->retry_at = now_ms + s->backoff_ms;
	if (s->state == LINK_IDLE && now_ms >= s->retry_at) {
		mosquitto_int_option(s->mosq, MOSQ_OPT_PROTOCOL_VERSION,
				     s->v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
		rc = mosquitto_connect_bind_async(s->mosq, s->host, s->port, s->keepalive, NULL);
		if (rc == MOSQ_ERR_SUCCESS) {
			s->state = LINK_CONNECTING;
		} else {
			lost(s, rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc), now_ms);
			return s->retry_at;
		}
	}
	if (s->state != LINK_IDLE) {
		rc = mosquitto_loop_misc(s->mosq);
		if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN)
			lost(s, mosquitto_strerror(rc), now_ms);
	}
	if (s->state == LINK_IDLE)
		return s->retry_at ? s->retry_at : now_ms + s->backoff_ms;
	return now_ms + MISC_EVERY_MS;
}

bool mqtt_session_connected(const struct mqtt_session *s)
{
	return s->state == LINK_UP;
}

bool mqtt_session_v5(const struct mqtt_session *s)
{
	return s->v5;
}

int mqtt_session_publish(struct mqtt_session *s, const char *topic, const void *payload,
			 size_t len, int qos, bool retain, const void *correlation,
			 size_t correlation_len, int *mid)
{
	mosquitto_property *props = NULL;
	int rc;

	if (s->state != LINK_UP)
		return -ENOTCONN;
	if (len > 256 * 1024 * 1024 || correlation_len > 65535)
		return -EMSGSIZE;
	if (s->v5 && correlation &&
	    mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, correlation,
					  (uint16_t)correlation_len) != MOSQ_ERR_SUCCESS)
		return -ENOMEM;
	rc = mosquitto_publish_v5(s->mosq, mid, topic, (int)len, payload, qos, retain, props);
	mosquitto_property_free_all(&props);
	if (rc == MOSQ_ERR_NO_CONN)
		return -ENOTCONN;
	if (rc == MOSQ_ERR_PAYLOAD_SIZE || rc == MOSQ_ERR_OVERSIZE_PACKET)
		return -EMSGSIZE;
	if (rc != MOSQ_ERR_SUCCESS) {
		set_error(s, mosquitto_strerror(rc));
		return -EIO;
	}
	return 0;
}

int mqtt_session_subscribe(struct mqtt_session *s, const char *topic)
{
	int rc;

	if (s->state != LINK_UP)
		return -ENOTCONN;
	rc = mosquitto_subscribe(s->mosq, NULL, topic, 1);
	if (rc == MOSQ_ERR_NO_CONN)
		return -ENOTCONN;
	return rc == MOSQ_ERR_SUCCESS ? 0 : -EIO;
}

const char *mqtt_session_error(const struct mqtt_session *s)
{
	return s->error;
}
