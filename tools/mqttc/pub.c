/*
 * mqttc pub: publish one message and wait until the broker has it (PUBACK
 * for QoS 1, PUBCOMP for 2; for QoS 0, until it is written out), so that
 * when pub exits 0 a subscriber or a retained read will see it.
 */
#include <string.h>

#include "client.h"

struct pub {
	const struct mqttc_opts *o;
	int mid;
};

static void pub_connected(struct client *c, void *ctx)
{
	struct pub *p = ctx;
	const struct mqttc_opts *o = p->o;
	int len = o->null_message ? 0 : (int)strlen(o->message);
	int rc = client_publish(c, &p->mid, o->topics[0], o->null_message ? NULL : o->message, len,
				o->retain, o->response_topic, o->correlation, o->correlation_len);

	if (rc)
		client_fail(c, "cannot publish to %s: %s", o->topics[0], mosquitto_strerror(rc));
}

static void pub_published(struct client *c, void *ctx, int mid, int reason)
{
	struct pub *p = ctx;

	if (mid != p->mid)
		return;
	/* v5: 0x10 "no matching subscribers" is a success; >= 0x80 is not */
	if (reason >= 0x80)
		client_fail(c, "the broker refused the message to %s: %s", p->o->topics[0],
			    mosquitto_reason_string(reason));
	else
		client_finish(c, MQTTC_EXIT_OK);
}

static void pub_describe_timeout(void *ctx, char *buf, unsigned size)
{
	(void)ctx;
	strncpy(buf, "no acknowledgement", size - 1);
}

static const struct client_mode pub_mode = {
	.connected = pub_connected,
	.published = pub_published,
	.describe_timeout = pub_describe_timeout,
};

int pub_run(const struct mqttc_opts *o)
{
	struct pub p = { .o = o, .mid = -1 };

	return client_run(o, &pub_mode, &p);
}
