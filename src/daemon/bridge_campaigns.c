/*
 * Campaigns over MQTT (issue 7): the "campaign" command (a text or template
 * to a list), "campaign_status" (its counts), the progress events while it
 * runs and its summary once it is done, on <base>/event/campaign.
 *
 * This file checks each recipient (a number normalised to E.164, the
 * template rendered with its variables, the segment limit) and hands the
 * whole list to the store in one transaction (store_campaign.h), where the
 * gate refuses whom it must. Those it cannot send are kept as blocked
 * messages of the campaign with their reason, so the counts add up to the
 * list. The lines then take the messages at their own rates.
 *
 * Progress events are best effort (published directly, lost while the
 * broker is away: the next one carries the same counts). The summary is
 * not: store_campaign_finish marks the campaign done in the transaction
 * that writes its outbox row, and bridge.c publishes that row like every
 * other event, at least once, surviving restarts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge.h"
#include "daemon.h"
#include "log.h"
#include "parley/mqtt_campaign.h"
#include "parley/phone_number.h"
#include "parley/store_campaign.h"
#include "parley/store_outbox.h"

#define TEXT_MAX 4000
#define TICK_MS 1000                 /* how often running campaigns are looked at */
#define PROGRESS_EVERY 100           /* messages settled between two progress events */
#define PROGRESS_MS 10000            /* and at least this often while running */
#define RUNNING_MAX 32               /* campaigns followed at once; more wait their turn */

/* What was last told about a running campaign. */
struct progress {
	int64_t id;
	int64_t settled;
	int64_t at;                  /* monotonic ms of the last progress event */
};

static struct progress followed[RUNNING_MAX];
static int64_t next_tick;

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *find_template(const struct daemon *d, const char *name)
{
	for (size_t i = 0; i < d->conf.templates.n; i++)
		if (strcmp(d->conf.templates.list[i].name, name) == 0)
			return d->conf.templates.list[i].text;
	return NULL;
}

/* One recipient's number, text or refusal. Strings owned here. */
struct prepared {
	char to[PHONE_E164_SIZE];
	char *text;
	const char *refused;         /* static code */
	char reason[160];
};

/* Checks and renders one recipient into p; -ENOMEM is the only failure. */
static int prepare(struct daemon *d, const struct mqtt_command *c, const struct mqtt_recipient *r,
		   struct prepared *p)
{
	static char text[TEXT_MAX * 2];
	struct bridge_answer a;
	struct mqtt_command one;
	const char *why = NULL;

	if (phone_normalise(r->to, d->conf.policy.default_country, p->to, sizeof(p->to), &why) < 0) {
		/* kept as given (cut to fit): the blocked message says who it was */
		snprintf(p->to, sizeof(p->to), "%s", r->to);
		p->refused = "invalid_number";
		snprintf(p->reason, sizeof(p->reason), "\"%.40s\" is not a phone number: %s", r->to,
			 why ? why : "invalid");
		return 0;
	}
	memset(&one, 0, sizeof(one));
	memset(&a, 0, sizeof(a));
	one.text = c->text;
	one.template_name = c->template_name;
	one.nvars = r->nvars;
	for (size_t v = 0; v < r->nvars; v++)
		one.vars[v] = r->vars[v];
	if (!bridge_command_text(d, &one, text, sizeof(text), &a) ||
	    (!text[0] && (bridge_reject(&a, "invalid_value", 0, "the text is empty"), true)) ||
	    !bridge_text_fits(d, p->to, text, &a)) {
		p->refused = a.r.code;
		snprintf(p->reason, sizeof(p->reason), "%.150s", a.reason);
		return 0;
	}
	return (p->text = strdup(text)) ? 0 : -ENOMEM;
}

/* qsort order for duplicates: by number, then by place in the list */
static const struct prepared *sort_base;

static int by_number(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(sort_base[i].to, sort_base[j].to);

	return c ? c : (i > j) - (i < j);
}

/*
 * A number listed twice gets one text: the later entries are refused as
 * "duplicate" (kept as blocked, so the counts still add up to the list).
 */
static int refuse_duplicates(struct prepared *prep, size_t n)
{
	size_t *order = malloc(n * sizeof(*order)), m = 0;

	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!prep[i].refused)
			order[m++] = i;
	sort_base = prep;
	qsort(order, m, sizeof(*order), by_number);
	for (size_t k = 0, first = 0; k < m; k++) {
		struct prepared *p = &prep[order[k]];

		/* sorted by number, then place: a run's first entry is the one that counts */
		if (k == 0 || strcmp(p->to, prep[first].to) != 0) {
			first = order[k];
			continue;
		}
		p->refused = "duplicate";
		snprintf(p->reason, sizeof(p->reason), "%s is listed before, as recipient %zu", p->to,
			 first + 1);
	}
	free(order);
	return 0;
}

static void answer_counts(struct daemon *d, int64_t id, struct bridge_answer *a)
{
	struct store_campaign_counts n;
	struct store_campaign camp;
	struct mqtt_campaign m;
	int rc;

	if ((rc = store_campaign_get(d->store, id, &camp)) < 0 ||
	    (rc = store_campaign_counts(d->store, id, &n)) < 0) {
		if (rc == -ENOENT)
			bridge_reject(a, "not_found", 0, "there is no campaign %lld", (long long)id);
		else
			bridge_reject(a, "store_error", 0, "%s", store_error(d->store));
		return;
	}
	m = (struct mqtt_campaign){ .id = id, .name = camp.name, .done = camp.done, .counts = &n };
	if (!(a->extra = mqtt_campaign_json(&m))) {
		bridge_reject(a, "out_of_memory", 0, "the gateway is out of memory");
		return;
	}
	a->r.accepted = true;
}

static void do_campaign(struct daemon *d, const struct mqtt_command *c, struct bridge_answer *a)
{
	struct store_campaign_recipient *recipients = NULL;
	struct prepared *prep = NULL;
	int64_t id = 0;
	size_t n = c->nrecipients;
	int rc = 0;

	if (c->template_name[0] && !find_template(d, c->template_name)) {
		bridge_reject(a, "unknown_template", 0, "there is no template \"%s\"", c->template_name);
		return;
	}
	prep = calloc(n, sizeof(*prep));
	recipients = calloc(n, sizeof(*recipients));
	for (size_t i = 0; prep && recipients && i < n && rc == 0; i++) {
		rc = prepare(d, c, &c->recipients[i], &prep[i]);
		recipients[i] = (struct store_campaign_recipient){
			.to = prep[i].to, .text = prep[i].text, .refused = prep[i].refused,
			.refused_reason = prep[i].refused ? prep[i].reason : NULL,
		};
	}
	if (!prep || !recipients || rc < 0 || refuse_duplicates(prep, n) < 0) {
		bridge_reject(a, "out_of_memory", 0, "the gateway is out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		recipients[i].refused = prep[i].refused;
		recipients[i].refused_reason = prep[i].refused ? prep[i].reason : NULL;
	}
	struct store_new_campaign nc = {
		.name = c->name, .category = c->category[0] ? c->category : NULL,
		.template_name = c->template_name[0] ? c->template_name : NULL,
		.text = c->text[0] ? c->text : NULL, .expire_at = c->expire_at,
		.priority = c->priority, .recipients = recipients, .n = n,
	};
	if ((rc = store_campaign_create(d->store, &nc, daemon_now(), &id)) < 0) {
		bridge_reject(a, rc == -EINVAL ? "invalid_value" : "store_error", 0, "%s",
			      store_error(d->store));
		goto out;
	}
	store_sync(d->store);
	d->wake = true;
	bridge_wake();
	log_info("MQTT: campaign %lld \"%s\" to %zu recipients", (long long)id, c->name, n);
	answer_counts(d, id, a);
out:
	for (size_t i = 0; prep && i < n; i++)
		free(prep[i].text);
	free(prep);
	free(recipients);
}

void bridge_campaign_command(struct daemon *d, const struct mqtt_command *c,
			     struct bridge_answer *a)
{
	switch (c->kind) {
	case MQTT_CMD_CAMPAIGN:
		do_campaign(d, c, a);
		break;
	case MQTT_CMD_CAMPAIGN_STATUS:
		answer_counts(d, c->campaign_id, a);
		break;
	case MQTT_CMD_SEND:
	case MQTT_CMD_CANCEL:
	case MQTT_CMD_CONSENT_REVOKE:
	case MQTT_CMD_CONSENT_GRANT:
	case MQTT_CMD_CONSENT_SHOW:
	case MQTT_CMD_CLAIM:
	case MQTT_CMD_RELEASE:
	case MQTT_CMD_TRANSFER:
	case MQTT_CMD_CLOSE:
	case MQTT_CMD_REOPEN:
	case MQTT_CMD_READ:
	case MQTT_CMD_TAG:
	case MQTT_CMD_UNTAG:
	case MQTT_CMD_NOTE:
	case MQTT_CMD_REPLY:
	case MQTT_CMD_CONVERSATION:
	case MQTT_CMD_CONVERSATIONS:
	case MQTT_CMD_CONVERSATION_SEARCH:
		bridge_reject(a, "unknown_command", 0, "not a campaign command");
		break;
	}
}

char *bridge_campaign_event(struct daemon *d, int64_t id, const char *uid, int64_t at, bool *gone)
{
	struct store_campaign_counts n;
	struct store_campaign camp;
	struct mqtt_campaign m;

	*gone = false;
	if (store_campaign_get(d->store, id, &camp) < 0 ||
	    store_campaign_counts(d->store, id, &n) < 0) {
		*gone = true;
		return NULL;
	}
	m = (struct mqtt_campaign){ .uid = uid, .event = camp.done ? "summary" : "progress",
				    .at = at, .id = id, .name = camp.name, .done = camp.done,
				    .counts = &n };
	return mqtt_campaign_json(&m);
}

static struct progress *follow(int64_t id)
{
	struct progress *free_slot = NULL;

	for (size_t i = 0; i < RUNNING_MAX; i++) {
		if (followed[i].id == id)
			return &followed[i];
		if (!followed[i].id && !free_slot)
			free_slot = &followed[i];
	}
	if (free_slot)
		*free_slot = (struct progress){ .id = id, .settled = -1 };
	return free_slot;
}

static void progress_event(struct daemon *d, int64_t id, const char *instance)
{
	char uid[96], topic[300], *json;
	int64_t now = daemon_now();

	snprintf(uid, sizeof(uid), "%s-campaign-%lld-%lld", instance, (long long)id, (long long)now);
	if (!(json = bridge_campaign_event(d, id, uid, now, &(bool){ false })))
		return;
	mqtt_topic_join(topic, sizeof(topic), bridge_base(d), "event", "campaign", (char *)NULL);
	bridge_publish(topic, json, false, NULL, 0, 0);
	free(json);
}

/* One running campaign: a progress event when due, and done once nothing is left to send. */
static void look_at(struct daemon *d, int64_t id, int64_t mono, const char *instance)
{
	struct store_campaign_counts n;
	struct progress *p = follow(id);
	int64_t settled;
	int rc;

	if (!p || store_campaign_counts(d->store, id, &n) < 0)
		return;
	settled = n.total - n.queued - n.held - n.sending - n.unknown;
	if (store_campaign_counts_finished(&n)) {
		rc = store_campaign_finish(d->store, id, daemon_now());
		if (rc < 0) {
			log_error("campaign %lld: cannot mark it done: %s", (long long)id,
				  store_error(d->store));
			return;
		}
		if (rc == 1) {
			store_sync(d->store);
			log_info("campaign %lld done: %lld sent, %lld blocked, %lld failed, %lld expired",
				 (long long)id, (long long)n.sent, (long long)n.blocked,
				 (long long)n.failed, (long long)n.expired);
			bridge_wake();
		}
		*p = (struct progress){ 0 };
		return;
	}
	if (p->settled < 0 || settled - p->settled >= PROGRESS_EVERY || mono - p->at >= PROGRESS_MS) {
		progress_event(d, id, instance);
		p->settled = settled;
		p->at = mono;
	}
}

void bridge_campaign_tick(struct daemon *d)
{
	static char instance[32];
	int64_t ids[RUNNING_MAX], mono = mono_ms();
	int n;

	if (mono < next_tick)
		return;
	next_tick = mono + TICK_MS;
	if (!instance[0] && store_instance(d->store, instance, sizeof(instance)) < 0)
		snprintf(instance, sizeof(instance), "gateway");
	if ((n = store_campaign_running(d->store, ids, RUNNING_MAX)) < 0) {
		log_error("cannot list running campaigns: %s", store_error(d->store));
		return;
	}
	for (int i = 0; i < n; i++)
		look_at(d, ids[i], mono, instance);
}
