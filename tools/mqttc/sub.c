/*
 * mqttc sub: subscribe and print what arrives. Done after -C messages; with
 * --retained, prints only the retained messages the broker hands a new
 * subscriber and is done once none has come for RETAINED_QUIET_MS (the
 * protocol has no "end of retained" marker, so quiet is the only sign).
 * --ready FILE is created once the SUBACK is in: from then on the broker
 * forwards to us, so a test can publish without sleeping first.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "output.h"

#define RETAINED_QUIET_MS 500

struct sub {
	const struct mqttc_opts *o;
	int mid;
	bool subscribed;
	long got;
	uint64_t quiet_until;
};

static void sub_connected(struct client *c, void *ctx)
{
	struct sub *s = ctx;
	int rc = client_subscribe(c, s->o->topics, s->o->ntopics, &s->mid);

	if (rc)
		client_fail(c, "cannot subscribe: %s", mosquitto_strerror(rc));
}

static void sub_subscribed(struct client *c, void *ctx, int mid, bool granted)
{
	struct sub *s = ctx;
	FILE *f;

	if (mid != s->mid)
		return;
	if (!granted) {
		client_fail(c, "the broker refused the subscription to %s%s", s->o->topics[0],
			    s->o->ntopics > 1 ? " (or another topic)" : "");
		return;
	}
	s->subscribed = true;
	s->quiet_until = client_now_ms() + RETAINED_QUIET_MS;
	if (s->o->ready) {
		if (!(f = fopen(s->o->ready, "a"))) {
			client_fail(c, "cannot create %s: %s", s->o->ready, strerror(errno));
			return;
		}
		fclose(f);
	}
}

static void sub_message(struct client *c, void *ctx, const struct mosquitto_message *m,
			const mosquitto_property *props)
{
	struct sub *s = ctx;

	if (s->o->retained) {
		if (!m->retain)
			return;
		s->quiet_until = client_now_ms() + RETAINED_QUIET_MS;
	}
	output_message(s->o, m, props);
	if (s->o->count && ++s->got >= s->o->count)
		client_finish(c, MQTTC_EXIT_OK);
}

static void sub_tick(struct client *c, void *ctx, uint64_t now_ms)
{
	struct sub *s = ctx;

	if (s->o->retained && s->subscribed && now_ms >= s->quiet_until)
		client_finish(c, MQTTC_EXIT_OK);
}

static void sub_describe_timeout(void *ctx, char *buf, unsigned size)
{
	const struct sub *s = ctx;

	if (!s->subscribed)
		snprintf(buf, size, "no SUBACK");
	else if (s->o->count)
		snprintf(buf, size, "%ld of %ld messages", s->got, s->o->count);
	else
		snprintf(buf, size, "%ld messages", s->got);
}

static const struct client_mode sub_mode = {
	.connected = sub_connected,
	.subscribed = sub_subscribed,
	.message = sub_message,
	.tick = sub_tick,
	.describe_timeout = sub_describe_timeout,
};

int sub_run(const struct mqttc_opts *o)
{
	struct sub s = { .o = o, .mid = -1 };

	return client_run(o, &sub_mode, &s);
}
