/*
 * mqttc request: one MQTT v5 request/response exchange (v5 3.3.2.3.5-6).
 * Subscribes to a reply topic of its own, publishes the request carrying
 * that Response Topic and random Correlation Data, and prints the first
 * reply whose Correlation Data matches: replies meant for other requesters
 * on a shared reply topic are skipped. With 3.1.1 there are no properties:
 * the caller names the reply topic and the first message there is the reply.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqtt_protocol.h>

#include "client.h"
#include "output.h"

#define CORRELATION_BYTES 16
#define REPLY_PREFIX "mqttc/reply/"

struct request {
	const struct mqttc_opts *o;
	const char *reply_topic;
	int sub_mid, pub_mid;
	unsigned char corr[CORRELATION_BYTES];
	char own_topic[sizeof(REPLY_PREFIX) + 2 * CORRELATION_BYTES];
	bool sent;
};

/* Unpredictable enough for a test console; rand() would repeat across
 * processes started in the same second. */
static int random_fill(unsigned char *buf, size_t n)
{
	FILE *f = fopen("/dev/urandom", "rb");
	size_t got;

	if (!f)
		return -errno;
	got = fread(buf, 1, n, f);
	fclose(f);
	return got == n ? 0 : -EIO;
}

static void request_connected(struct client *c, void *ctx)
{
	struct request *r = ctx;
	int rc = client_subscribe(c, &r->reply_topic, 1, &r->sub_mid);

	if (rc)
		client_fail(c, "cannot subscribe to %s: %s", r->reply_topic, mosquitto_strerror(rc));
}

/* Only once the reply topic is ours may the request go: a fast responder
 * could otherwise answer before the broker forwards to us. */
static void request_subscribed(struct client *c, void *ctx, int mid, bool granted)
{
	struct request *r = ctx;
	const struct mqttc_opts *o = r->o;
	bool v5 = o->protocol == MQTT_PROTOCOL_V5;
	int rc;

	if (mid != r->sub_mid)
		return;
	if (!granted) {
		client_fail(c, "the broker refused the subscription to %s", r->reply_topic);
		return;
	}
	rc = client_publish(c, &r->pub_mid, o->topics[0], o->message, (int)strlen(o->message), false,
			    v5 ? r->reply_topic : NULL, v5 ? r->corr : NULL, CORRELATION_BYTES);
	if (rc)
		client_fail(c, "cannot publish to %s: %s", o->topics[0], mosquitto_strerror(rc));
}

static void request_published(struct client *c, void *ctx, int mid, int reason)
{
	struct request *r = ctx;

	if (mid != r->pub_mid)
		return;
	if (reason >= 0x80)
		client_fail(c, "the broker refused the request to %s: %s", r->o->topics[0],
			    mosquitto_reason_string(reason));
	else
		r->sent = true;
}

static bool correlation_matches(const struct request *r, const mosquitto_property *props)
{
	void *corr = NULL;
	uint16_t len = 0;
	bool same;

	mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &len, false);
	same = corr && len == CORRELATION_BYTES && !memcmp(corr, r->corr, CORRELATION_BYTES);
	free(corr);
	return same;
}

static void request_message(struct client *c, void *ctx, const struct mosquitto_message *m,
			    const mosquitto_property *props)
{
	struct request *r = ctx;

	if (r->o->protocol == MQTT_PROTOCOL_V5 && !correlation_matches(r, props))
		return;
	output_message(r->o, m, props);
	client_finish(c, MQTTC_EXIT_OK);
}

static void request_describe_timeout(void *ctx, char *buf, unsigned size)
{
	const struct request *r = ctx;

	snprintf(buf, size, "%s on %s", r->sent ? "no reply" : "the request was not acknowledged",
		 r->reply_topic);
}

static const struct client_mode request_mode = {
	.connected = request_connected,
	.subscribed = request_subscribed,
	.published = request_published,
	.message = request_message,
	.describe_timeout = request_describe_timeout,
};

int request_run(const struct mqttc_opts *o)
{
	struct request r = { .o = o, .sub_mid = -1, .pub_mid = -1 };
	unsigned char tag[CORRELATION_BYTES / 2];
	int rc;

	if ((rc = random_fill(r.corr, sizeof(r.corr))) < 0 ||
	    (rc = random_fill(tag, sizeof(tag))) < 0) {
		fprintf(stderr, "mqttc: cannot read /dev/urandom: %s\n", strerror(-rc));
		return MQTTC_EXIT_REFUSED;
	}
	r.reply_topic = o->reply_topic;
	if (!r.reply_topic) {
		int n = snprintf(r.own_topic, sizeof(r.own_topic), REPLY_PREFIX);

		for (size_t i = 0; i < sizeof(tag); i++)
			n += snprintf(r.own_topic + n, sizeof(r.own_topic) - (size_t)n, "%02x", tag[i]);
		r.reply_topic = r.own_topic;
	}
	return client_run(o, &request_mode, &r);
}
