/*
 * Nobody left unanswered (issue 7): when a customer writes and no person can
 * answer (no agent console online, or outside business hours), one polite
 * acknowledgement, not one per message (at most one per conversation per
 * automation.ack_idle); and when a customer has waited longer than
 * automation.unanswered_after for a human reply, an alert on
 * <base>/event/unanswered, repeated one level up every escalate_every, up to
 * escalate_max.
 *
 * The acknowledgement is an ordinary conversational message: it passes the
 * consent checks like any other, so a number that opted out gets none.
 * Alerts are derived from the conversations' waiting_since, so after a
 * restart or a broker outage they are raised again rather than lost.
 */
#define _DEFAULT_SOURCE /* tm_gmtoff */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge.h"
#include "daemon.h"
#include "log.h"
#include "parley/mqtt_alert.h"
#include "parley/store_conversation.h"
#include "parley/zone_clock.h"

#define ALERTS_MAX 512
#define SCAN_EVERY_MS 1000

/* The level last raised for one wait (a conversation's waiting_since). */
struct raised {
	int64_t conversation, since;
	int level;
};

static struct raised raised[ALERTS_MAX];
static size_t nraised;
static int64_t next_scan;

static bool open_now(const struct conf_automation *a, int64_t now)
{
	int offset = 0;
	int64_t local;
	int weekday, minute;

	if (!a->business_hours)
		return true;
	if (a->zone[0]) {
		if (zone_clock_offset(a->zone, now, &offset) < 0)
			return true; /* an unknown zone: do not pretend to be closed */
	} else {
		time_t t = (time_t)(now / 1000);
		struct tm lt;

		if (localtime_r(&t, &lt))
			offset = (int)(lt.tm_gmtoff / 60);
	}
	local = now / 60000 + offset;
	weekday = (int)(((local / 1440) % 7 + 4 + 7) % 7); /* 1970-01-01 was a Thursday */
	minute = (int)(((local % 1440) + 1440) % 1440);
	return (a->days & (1u << weekday)) && minute >= (int)a->open_min &&
	       minute < (int)a->close_min;
}

void attention_customer_wrote(struct daemon *d, const struct store_message *m)
{
	const struct conf_automation *a = &d->conf.automation;
	int64_t now = daemon_now(), last = 0;
	char key[128], prefix[112];
	bool existing = false;

	if (!a->auto_ack[0] || !m->line || !m->peer)
		return;
	if (bridge_agents_online() && open_now(a, now))
		return;
	snprintf(prefix, sizeof(prefix), "auto-ack:%s:%s:", m->line, m->peer);
	if (store_key_last(d->store, prefix, &last) < 0 ||
	    (last && now - last < (int64_t)a->ack_idle * 1000))
		return;
	snprintf(key, sizeof(key), "%s%lld", prefix, (long long)now);
	struct store_new_message ack = {
		.to = m->peer, .text = a->auto_ack, .line = m->line, .category = "conversational",
		.key = key, .priority = 5,
	};
	if (store_enqueue(d->store, &ack, now, NULL, &existing) < 0) {
		log_info("no acknowledgement to %s: %s", m->peer, store_error(d->store));
		return;
	}
	store_sync(d->store);
	d->wake = true;
	log_info("acknowledged %s's message on %s: nobody can answer now", m->peer, m->line);
}

static struct raised *raised_for(int64_t conversation, int64_t since)
{
	for (size_t i = 0; i < nraised; i++)
		if (raised[i].conversation == conversation)
			return &raised[i];
	if (nraised == ALERTS_MAX)
		nraised = 0; /* forget the oldest: at worst an alert is raised twice */
	raised[nraised] = (struct raised){ .conversation = conversation, .since = since };
	return &raised[nraised++];
}

struct scan {
	struct daemon *d;
	int64_t now;
};

static int check_wait(void *ctx, const struct store_conversation *c)
{
	struct scan *sc = ctx;
	const struct conf_automation *a = &sc->d->conf.automation;
	int64_t waited = sc->now - c->waiting_since, over;
	struct raised *r;
	char topic[300], *json;
	int level;

	if (!c->waiting_since || waited < (int64_t)a->unanswered_after * 1000)
		return 0;
	over = waited - (int64_t)a->unanswered_after * 1000;
	level = 1 + (int)(over / ((int64_t)a->escalate_every * 1000));
	if (level > (int)a->escalate_max)
		level = (int)a->escalate_max;
	r = raised_for(c->id, c->waiting_since);
	if (r->since != c->waiting_since) {
		/* a new wait since the last alert: start again from level 1 */
		r->since = c->waiting_since;
		r->level = 0;
	}
	if (level <= r->level)
		return 0;
	struct mqtt_unanswered u = {
		.conversation_id = c->id, .line = c->line, .peer = c->peer, .assignee = c->assignee,
		.waiting_since = c->waiting_since, .at = sc->now, .level = level,
	};
	if (!(json = mqtt_unanswered_json(&u)))
		return 0;
	mqtt_topic_join(topic, sizeof(topic), bridge_base(sc->d), "event", "unanswered",
			(char *)NULL);
	if (bridge_publish(topic, json, false, NULL, 0, 0) == 0) {
		r->level = level;
		log_warning("conversation %lld: %s has waited %lld s for an answer (alert level %d)",
			    (long long)c->id, c->peer, (long long)(waited / 1000), level);
	}
	free(json);
	return 0;
}

void attention_tick(struct daemon *d, int64_t now)
{
	struct store_conversation_filter f = { .states = 1u << CONV_WAITING_AGENT };
	struct scan sc = { .d = d, .now = now };

	if (!d->conf.automation.unanswered_after || !d->conf.mqtt.host[0] || now < next_scan)
		return;
	next_scan = now + SCAN_EVERY_MS;
	if (store_conversation_list(d->store, &f, check_wait, &sc) < 0)
		log_error("cannot look for unanswered customers: %s", store_error(d->store));
}
