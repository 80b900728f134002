/*
 * Agents' commands over MQTT (issue 7): claim, release, transfer, close,
 * reopen, read, tag, untag, note, reply, and the questions (a
 * conversation's history, the list, search by number). The store does the
 * work in one transaction each (store_conversation.h); this file checks who
 * may do what, turns store errors into rejection codes, and renders the
 * answers. A reply always leaves from the conversation's line, as a
 * conversational message carrying the agent's name, through the same guard
 * as every other message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "daemon.h"
#include "log.h"
#include "parley/phone_number.h"
#include "parley/policy_codes.h"
#include "parley/store_conversation.h"

#define TEXT_MAX 4000
#define HISTORY_MAX 500

/* A conversation read back, with the plain view the renderers take. */
struct view {
	struct store_conversation c;
	struct mqtt_conversation m;
};

static void view_fill(struct view *v)
{
	v->m = (struct mqtt_conversation){
		.id = v->c.id, .line = v->c.line, .peer = v->c.peer,
		.state = conversation_state_name(v->c.state), .assignee = v->c.assignee,
		.unread = v->c.unread, .tags = (const char *const *)v->c.tags, .ntags = v->c.ntags,
		.created_at = v->c.created_at, .updated_at = v->c.updated_at,
		.last_in_at = v->c.last_in_at, .last_out_at = v->c.last_out_at,
		.waiting_since = v->c.waiting_since,
	};
}

char *bridge_conversation_event(struct daemon *d, int64_t id, const char *uid, int64_t at,
				const char *detail, bool *gone)
{
	struct view v;
	char *json;

	memset(&v, 0, sizeof(v));
	*gone = false;
	if (store_conversation_get(d->store, id, &v.c) < 0) {
		*gone = true;
		return NULL;
	}
	view_fill(&v);
	v.m.uid = uid;
	v.m.at = at;
	v.m.detail = detail;
	json = mqtt_conversation_json(&v.m);
	store_conversation_free(&v.c);
	return json;
}

/* A store error as the rejection a console can act on. */
static void refused(struct daemon *d, struct bridge_answer *a, int rc, const struct mqtt_command *c)
{
	switch (rc) {
	case -ENOENT:
		bridge_reject(a, "not_found", 0, "there is no conversation %lld",
			      (long long)c->conversation_id);
		break;
	case -EBUSY:
		/* the store names the agent who holds it: first come, first served */
		bridge_reject(a, "already_claimed", 0, "%s", store_error(d->store));
		break;
	case -EPERM:
		bridge_reject(a, "not_permitted", 0, "%s", store_error(d->store));
		break;
	case -ENOSPC:
		bridge_reject(a, "too_many_tags", 0, "%s", store_error(d->store));
		break;
	case -EINVAL:
		bridge_reject(a, "invalid_value", 0, "%s", store_error(d->store));
		break;
	default:
		bridge_reject(a, "store_error", 0, "%s", store_error(d->store));
		break;
	}
}

/* The conversation's state after an action, under "result". */
static void result_state(struct daemon *d, int64_t id, struct bridge_answer *a)
{
	struct view v;

	memset(&v, 0, sizeof(v));
	if (store_conversation_get(d->store, id, &v.c) < 0)
		return;
	view_fill(&v);
	a->extra = mqtt_conversation_json(&v.m);
	store_conversation_free(&v.c);
}

static void do_reply(struct daemon *d, const struct mqtt_command *c, struct bridge_answer *a)
{
	static char text[TEXT_MAX * 2];
	struct store_conversation conv;
	struct store_gate_verdict v;
	int64_t id = 0;
	bool existing = false;
	int rc;

	memset(&conv, 0, sizeof(conv));
	if ((rc = store_conversation_get(d->store, c->conversation_id, &conv)) < 0) {
		refused(d, a, rc, c);
		return;
	}
	/* another agent's conversation is theirs to answer: claim or transfer it first */
	if (conv.assignee && strcmp(conv.assignee, c->agent) != 0) {
		bridge_reject(a, "not_permitted", 0, "conversation %lld is assigned to %s",
			      (long long)conv.id, conv.assignee);
		store_conversation_free(&conv);
		return;
	}
	if (!bridge_command_text(d, c, text, sizeof(text), a) ||
	    !bridge_text_fits(d, conv.peer, text, a)) {
		store_conversation_free(&conv);
		return;
	}
	struct store_new_message m = {
		.to = conv.peer, .text = text, .line = conv.line, .category = "conversational",
		.agent = c->agent, .key = c->key && c->key[0] ? c->key : NULL, .priority = 10,
	};
	rc = store_enqueue(d->store, &m, daemon_now(), &id, &existing);
	if (rc == -EACCES && store_refusal(d->store, &v) == 0)
		bridge_reject(a, v.code_name, v.code, "%s", v.reason);
	else if (rc < 0)
		bridge_reject(a, rc == -EINVAL ? "invalid_value" : "store_error", 0, "%s",
			      store_error(d->store));
	if (rc == 0) {
		store_sync(d->store);
		d->wake = true;
		a->r.accepted = true;
		a->r.message_id = id;
		a->r.existing = existing;
		log_info("MQTT: %s replies in conversation %lld (message %lld)", c->agent,
			 (long long)conv.id, (long long)id);
	}
	store_conversation_free(&conv);
}

struct history {
	struct mqtt_history_item items[HISTORY_MAX];
	char *texts[HISTORY_MAX], *authors[HISTORY_MAX], *states[HISTORY_MAX];
	size_t n;
	bool nomem;
};

static char *dup_or_null(const char *s, bool *nomem)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*nomem = true;
	return d;
}

static int history_item(void *ctx, const struct store_conversation_item *it)
{
	struct history *h = ctx;
	size_t i = h->n;

	if (i >= HISTORY_MAX)
		return 1;
	h->texts[i] = dup_or_null(it->text, &h->nomem);
	h->authors[i] = dup_or_null(it->author, &h->nomem);
	h->states[i] = dup_or_null(it->state, &h->nomem);
	h->items[i] = (struct mqtt_history_item){
		.note = it->note, .id = it->id, .inbound = it->inbound, .state = h->states[i],
		.text = h->texts[i], .author = h->authors[i], .at = it->at,
	};
	h->n++;
	return 0;
}

static void do_history(struct daemon *d, const struct mqtt_command *c, struct bridge_answer *a)
{
	static struct history h;
	struct view v;
	int rc;

	memset(&v, 0, sizeof(v));
	if ((rc = store_conversation_get(d->store, c->conversation_id, &v.c)) < 0) {
		refused(d, a, rc, c);
		return;
	}
	memset(&h, 0, sizeof(h));
	rc = store_conversation_history(d->store, c->conversation_id, c->limit, history_item, &h);
	if (rc < 0 || h.nomem) {
		bridge_reject(a, "store_error", 0, "%s", rc < 0 ? store_error(d->store) : "out of memory");
	} else {
		view_fill(&v);
		a->extra = mqtt_history_json(&v.m, h.items, h.n);
		a->r.accepted = a->extra != NULL;
		if (!a->extra)
			bridge_reject(a, "out_of_memory", 0, "the gateway is out of memory");
	}
	for (size_t i = 0; i < h.n; i++) {
		free(h.texts[i]);
		free(h.authors[i]);
		free(h.states[i]);
	}
	store_conversation_free(&v.c);
}

struct listing {
	struct view *views;
	size_t n, cap;
	bool nomem;
};

static int list_one(void *ctx, const struct store_conversation *c)
{
	struct listing *l = ctx;
	struct view *v;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct view *more = realloc(l->views, cap * sizeof(*more));

		if (!more) {
			l->nomem = true;
			return 1;
		}
		l->views = more;
		l->cap = cap;
	}
	/* the store frees its copy after the call: take the strings over */
	v = &l->views[l->n++];
	memset(v, 0, sizeof(*v));
	v->c = *c;
	v->c.line = strdup(c->line);
	v->c.peer = strdup(c->peer);
	v->c.assignee = c->assignee ? strdup(c->assignee) : NULL;
	for (size_t i = 0; i < c->ntags; i++)
		v->c.tags[i] = strdup(c->tags[i]);
	if (!v->c.line || !v->c.peer || (c->assignee && !v->c.assignee))
		l->nomem = true;
	for (size_t i = 0; i < c->ntags; i++)
		l->nomem |= !v->c.tags[i];
	return l->nomem;
}

static void do_list(struct daemon *d, const struct mqtt_command *c, struct bridge_answer *a)
{
	struct listing l = { 0 };
	char number[PHONE_E164_SIZE];
	const char *why = NULL;
	struct store_conversation_filter f = { .states = c->states, .limit = c->limit };
	struct mqtt_conversation *ms;
	int rc;

	if (c->kind == MQTT_CMD_CONVERSATION_SEARCH) {
		if (phone_normalise(c->number, d->conf.policy.default_country, number, sizeof(number),
				    &why) < 0) {
			bridge_reject(a, "invalid_number", POLICY_INVALID_NUMBER,
				      "\"%.40s\" is not a phone number: %s", c->number, why);
			return;
		}
		f.peer = number;
		f.states = 0;
	} else if (c->has_assignee_filter) {
		f.assignee = c->assignee_filter;
	}
	rc = store_conversation_list(d->store, &f, list_one, &l);
	ms = l.n ? calloc(l.n, sizeof(*ms)) : NULL;
	if (rc < 0 || l.nomem || (l.n && !ms)) {
		bridge_reject(a, "store_error", 0, "%s", rc < 0 ? store_error(d->store) : "out of memory");
	} else {
		for (size_t i = 0; i < l.n; i++) {
			view_fill(&l.views[i]);
			ms[i] = l.views[i].m;
		}
		a->extra = mqtt_conversation_list_json(ms, l.n);
		a->r.accepted = a->extra != NULL;
		if (!a->extra)
			bridge_reject(a, "out_of_memory", 0, "the gateway is out of memory");
	}
	for (size_t i = 0; i < l.n; i++)
		store_conversation_free(&l.views[i].c);
	free(l.views);
	free(ms);
}

void bridge_conversation_command(struct daemon *d, const struct mqtt_command *c,
				 struct bridge_answer *a)
{
	int64_t now = daemon_now(), note = 0;
	int rc = 0;

	switch (c->kind) {
	case MQTT_CMD_CLAIM:
		rc = store_conversation_claim(d->store, c->conversation_id, c->agent, now);
		break;
	case MQTT_CMD_RELEASE:
		rc = store_conversation_release(d->store, c->conversation_id, c->agent, now);
		break;
	case MQTT_CMD_TRANSFER:
		rc = store_conversation_transfer(d->store, c->conversation_id, c->agent, c->to_agent,
						 now);
		break;
	case MQTT_CMD_CLOSE:
		rc = store_conversation_close(d->store, c->conversation_id, c->agent, now);
		break;
	case MQTT_CMD_REOPEN:
		rc = store_conversation_reopen(d->store, c->conversation_id, c->agent, now);
		break;
	case MQTT_CMD_READ:
		rc = store_conversation_read(d->store, c->conversation_id, c->agent, now);
		break;
	case MQTT_CMD_TAG:
	case MQTT_CMD_UNTAG:
		rc = store_conversation_tag(d->store, c->conversation_id, c->tag,
					    c->kind == MQTT_CMD_TAG, now);
		break;
	case MQTT_CMD_NOTE:
		rc = store_conversation_note(d->store, c->conversation_id, c->agent, c->text, now,
					     &note);
		break;
	case MQTT_CMD_REPLY:
		do_reply(d, c, a);
		return;
	case MQTT_CMD_CONVERSATION:
		do_history(d, c, a);
		return;
	case MQTT_CMD_CONVERSATIONS:
	case MQTT_CMD_CONVERSATION_SEARCH:
		do_list(d, c, a);
		return;
	case MQTT_CMD_SEND:
	case MQTT_CMD_CANCEL:
	case MQTT_CMD_CONSENT_REVOKE:
	case MQTT_CMD_CONSENT_GRANT:
	case MQTT_CMD_CONSENT_SHOW:
	case MQTT_CMD_CAMPAIGN:
	case MQTT_CMD_CAMPAIGN_STATUS:
		bridge_reject(a, "unknown_command", 0, "not a conversation command");
		return;
	}
	if (rc < 0) {
		refused(d, a, rc, c);
		return;
	}
	store_sync(d->store);
	a->r.accepted = true;
	result_state(d, c->conversation_id, a);
	log_info("MQTT: %s: %s on conversation %lld", c->agent, c->command,
		 (long long)c->conversation_id);
}
