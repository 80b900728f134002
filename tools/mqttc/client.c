/*
 * The libmosquitto session of mqttc: everything about the connection, none
 * of what a subcommand does with it. One thread: mosquitto_loop() is called
 * from our own loop with a short timeout, so the -W deadline, a subcommand's
 * quiet period and a signal are all noticed within CLIENT_TICK_MS. (The
 * library's loop is used rather than our own poll() on mosquitto_socket()
 * because it also drains data OpenSSL has buffered, which poll cannot see.)
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <mqtt_protocol.h>

#include "client.h"

#define KEEPALIVE_S 30
/* how long a clean DISCONNECT may take before we just close */
#define DISCONNECT_WAIT_MS 1000

struct client {
	struct mosquitto *mosq;
	const struct mqttc_opts *opt;
	const struct client_mode *mode;
	void *ctx;
	bool connected;
	int status; /* -1 while running */
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

uint64_t client_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void client_finish(struct client *c, int status)
{
	if (c->status < 0)
		c->status = status;
}

void client_fail(struct client *c, const char *fmt, ...)
{
	va_list ap;

	if (c->status >= 0)
		return; /* one error line: the first cause, not its echoes */
	fputs("mqttc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	client_finish(c, MQTTC_EXIT_REFUSED);
}

/* libmosquitto's words for an error, with errno's when it says "see errno" */
static const char *error_words(int rc)
{
	return rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
}

static const char *reason_words(const struct client *c, int rc)
{
	return c->opt->protocol == MQTT_PROTOCOL_V5 ? mosquitto_reason_string(rc)
						    : mosquitto_connack_string(rc);
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc, int flags,
		       const mosquitto_property *props)
{
	struct client *c = obj;

	(void)mosq;
	(void)flags;
	(void)props;
	if (rc != 0) {
		client_fail(c, "the broker at %s:%d refused the connection: %s", c->opt->host,
			    c->opt->port, reason_words(c, rc));
		return;
	}
	c->connected = true;
	if (c->mode->connected)
		c->mode->connected(c, c->ctx);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc,
			  const mosquitto_property *props)
{
	struct client *c = obj;
	bool was = c->connected;

	(void)mosq;
	(void)props;
	c->connected = false;
	if (c->status >= 0)
		return; /* we asked for it, or we already know why */
	if (was)
		client_fail(c, "connection to %s:%d lost: %s", c->opt->host, c->opt->port,
			    error_words(rc));
	else
		client_fail(c, "cannot connect to %s:%d: %s", c->opt->host, c->opt->port,
			    error_words(rc));
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted,
			 const mosquitto_property *props)
{
	struct client *c = obj;
	bool ok = true;

	(void)mosq;
	(void)props;
	/* 3.1.1 says 0x80 for a refused topic; v5 reason codes >= 0x80 are failures */
	for (int i = 0; i < n; i++)
		if (granted[i] >= 0x80)
			ok = false;
	if (c->mode->subscribed)
		c->mode->subscribed(c, c->ctx, mid, ok);
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid, int reason,
		       const mosquitto_property *props)
{
	struct client *c = obj;

	(void)mosq;
	(void)props;
	if (c->mode->published)
		c->mode->published(c, c->ctx, mid, reason);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *m,
		       const mosquitto_property *props)
{
	struct client *c = obj;

	(void)mosq;
	if (c->mode->message && c->status < 0)
		c->mode->message(c, c->ctx, m, props);
}

int client_subscribe(struct client *c, const char *const *topics, int n, int *mid)
{
	/* the library's prototype lacks a const it never needs */
	char *list[MQTTC_TOPICS_MAX];

	if (n < 1 || n > MQTTC_TOPICS_MAX)
		return MOSQ_ERR_INVAL;
	for (int i = 0; i < n; i++)
		memcpy(&list[i], &topics[i], sizeof(list[i]));
	return mosquitto_subscribe_multiple(c->mosq, mid, n, list, c->opt->qos, 0, NULL);
}

int client_publish(struct client *c, int *mid, const char *topic, const void *payload, int len,
		   bool retain, const char *response_topic, const void *correlation,
		   int correlation_len)
{
	mosquitto_property *props = NULL;
	int rc = MOSQ_ERR_SUCCESS;

	if (response_topic)
		rc = mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, response_topic);
	if (rc == MOSQ_ERR_SUCCESS && correlation)
		rc = mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, correlation,
						   (uint16_t)correlation_len);
	if (rc == MOSQ_ERR_SUCCESS)
		rc = mosquitto_publish_v5(c->mosq, mid, topic, len, payload, c->opt->qos, retain,
					  props);
	mosquitto_property_free_all(&props);
	return rc;
}

static int session_setup(struct client *c)
{
	const struct mqttc_opts *o = c->opt;
	struct mosquitto *mosq;
	int rc;

	/* without an id the library makes up a random one; that needs a clean session */
	mosq = c->mosq = mosquitto_new(o->id, o->session_s == 0, c);
	if (!mosq) {
		fprintf(stderr, "mqttc: cannot make a session: %s\n", strerror(errno));
		return MQTTC_EXIT_REFUSED;
	}
	mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, o->protocol);
	mosquitto_connect_v5_callback_set(mosq, on_connect);
	mosquitto_disconnect_v5_callback_set(mosq, on_disconnect);
	mosquitto_subscribe_v5_callback_set(mosq, on_subscribe);
	mosquitto_publish_v5_callback_set(mosq, on_publish);
	mosquitto_message_v5_callback_set(mosq, on_message);
	if (o->user && (rc = mosquitto_username_pw_set(mosq, o->user, o->password))) {
		fprintf(stderr, "mqttc: cannot use user %s: %s\n", o->user, error_words(rc));
		return MQTTC_EXIT_USAGE;
	}
	if (o->cafile && (rc = mosquitto_tls_set(mosq, o->cafile, NULL, o->cert, o->key, NULL))) {
		/* the library only checks here that it can open the files */
		fprintf(stderr, "mqttc: cannot read the TLS files (--cafile %s%s%s): %s\n",
			o->cafile, o->cert ? ", --cert " : "", o->cert ? o->cert : "",
			error_words(rc));
		return MQTTC_EXIT_USAGE;
	}
	if (o->will_topic &&
	    (rc = mosquitto_will_set(mosq, o->will_topic, (int)strlen(o->will_message),
				     o->will_message, o->qos, o->will_retain))) {
		fprintf(stderr, "mqttc: cannot use the will: %s\n", error_words(rc));
		return MQTTC_EXIT_USAGE;
	}
	return 0;
}

static void signals_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: the loop's wait ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void timed_out(struct client *c)
{
	char what[128] = "";

	if (!c->connected) {
		client_fail(c, "no answer from the broker at %s:%d within %u s", c->opt->host,
			    c->opt->port, c->opt->timeout_s);
		return;
	}
	if (c->mode->describe_timeout)
		c->mode->describe_timeout(c->ctx, what, sizeof(what));
	fprintf(stderr, "mqttc: timed out after %u s%s%s\n", c->opt->timeout_s, what[0] ? ": " : "",
		what);
	client_finish(c, MQTTC_EXIT_TIMEOUT);
}

static void loop_run(struct client *c)
{
	uint64_t now = client_now_ms(), deadline = UINT64_MAX;
	int rc;

	if (c->opt->timeout_s)
		deadline = now + (uint64_t)c->opt->timeout_s * 1000u;
	while (c->status < 0) {
		uint64_t wait;

		if (stop_signal) {
			client_finish(c, 128 + stop_signal);
			break;
		}
		now = client_now_ms();
		if (now >= deadline) {
			timed_out(c);
			break;
		}
		if (c->connected && c->mode->tick) {
			c->mode->tick(c, c->ctx, now);
			if (c->status >= 0)
				break;
		}
		wait = deadline - now < CLIENT_TICK_MS ? deadline - now : CLIENT_TICK_MS;
		rc = mosquitto_loop(c->mosq, (int)wait, 1);
		if (rc != MOSQ_ERR_SUCCESS && !stop_signal && c->status < 0)
			client_fail(c, "%s %s:%d: %s",
				    c->connected ? "lost the connection to" : "cannot connect to",
				    c->opt->host, c->opt->port, error_words(rc));
	}
}

/* A clean DISCONNECT, so the broker drops the will; a few turns of the loop
 * to write it out, as we never run in a thread. */
static void session_close(struct client *c)
{
	uint64_t end = client_now_ms() + DISCONNECT_WAIT_MS;

	if (!c->connected)
		return;
	if (mosquitto_disconnect(c->mosq) != MOSQ_ERR_SUCCESS)
		return;
	while (c->connected && client_now_ms() < end)
		if (mosquitto_loop(c->mosq, CLIENT_TICK_MS, 1) != MOSQ_ERR_SUCCESS)
			break;
}

int client_run(const struct mqttc_opts *o, const struct client_mode *mode, void *ctx)
{
	struct client c = { .opt = o, .mode = mode, .ctx = ctx, .status = -1 };
	mosquitto_property *connect_props = NULL;
	int rc;

	signals_setup();
	mosquitto_lib_init();
	rc = session_setup(&c);
	if (rc == 0) {
		/* MQTT 5 ends a session at the disconnect unless told how long to keep it */
		if (o->session_s && o->protocol == MQTT_PROTOCOL_V5)
			mosquitto_property_add_int32(&connect_props, MQTT_PROP_SESSION_EXPIRY_INTERVAL,
						     o->session_s);
		/* a blocking TCP connect; CONNACK (and any TLS handshake) come in the loop */
		rc = mosquitto_connect_bind_v5(c.mosq, o->host, o->port, KEEPALIVE_S, NULL,
					       connect_props);
		mosquitto_property_free_all(&connect_props);
		if (rc != MOSQ_ERR_SUCCESS)
			client_fail(&c, "cannot connect to %s:%d: %s", o->host, o->port,
				    error_words(rc));
		else
			loop_run(&c);
		session_close(&c);
		rc = c.status;
	}
	mosquitto_destroy(c.mosq);
	mosquitto_lib_cleanup();
	return rc;
}
