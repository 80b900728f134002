/*
 * JSON for the bridge's outgoing payloads (mqtt_payload.h): replies to
 * commands, events, conversations (events, states, history, lists), and
 * the retained modem and gateway states. Built with cJSON and printed
 * unformatted.
 *
 * Whatever the daemon hands over, the output is valid JSON: bytes that are
 * not UTF-8 (a modem's odd operator name, say) become U+FFFD rather than
 * passing through to break every consumer's parser. Pure: times come in as
 * ms and go out as RFC 3339 text without reading any clock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_payload.h"
#include "parley/utf8.h"

#include "json_text.h"

/* Building one object: the first failure sticks, so calls can follow each other unchecked. */
struct builder {
	cJSON *root;
	bool failed;
};

static void add_item(struct builder *b, cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		b->failed = true;
	}
}

/* A string member; NULL is left out. */
static void add_str(struct builder *b, cJSON *obj, const char *key, const char *v)
{
	if (v)
		add_item(b, obj, key, json_string(v));
}

/*
 * An integer member, written as digits: cJSON 1.7 prints doubles above 10^15
 * with 15 significant digits ("9.00719925474099e+15"), which changes the id.
 */
static void add_num(struct builder *b, cJSON *obj, const char *key, int64_t v)
{
	char digits[24];
	snprintf(digits, sizeof digits, "%" PRId64, v);
	add_item(b, obj, key, cJSON_CreateRaw(digits));
}

static void add_bool(struct builder *b, cJSON *obj, const char *key, bool v)
{
	add_item(b, obj, key, cJSON_CreateBool(v));
}

static void add_time(struct builder *b, cJSON *obj, const char *key, int64_t ms)
{
	char t[JSON_TIME_BUF];
	json_time(ms, t);
	add_item(b, obj, key, cJSON_CreateString(t));
}

static bool begin(struct builder *b)
{
	b->failed = false;
	b->root = cJSON_CreateObject();
	return b->root != NULL;
}

/* The text of the object, or NULL with errno ENOMEM. */
static char *finish(struct builder *b)
{
	char *s = b->failed ? NULL : cJSON_PrintUnformatted(b->root);
	cJSON_Delete(b->root);
	b->root = NULL;
	if (!s)
		errno = ENOMEM;
	return s;
}

char *mqtt_reply_json(const struct mqtt_reply *r)
{
	struct builder b;
	cJSON *result = NULL;

	if (!r) {
		errno = EINVAL;
		return NULL;
	}
	if (r->extra_json) {
		/* ours to embed as a value, not as a string: it must read back as JSON */
		const char *end = NULL;
		if (utf8_validate(r->extra_json, strlen(r->extra_json)) != 0 ||
		    !(result = cJSON_ParseWithOpts(r->extra_json, &end, 1))) {
			errno = EINVAL;
			return NULL;
		}
	}
	if (!begin(&b)) {
		cJSON_Delete(result);
		errno = ENOMEM;
		return NULL;
	}
	if (r->request_id && r->request_id[0])
		add_str(&b, b.root, "id", r->request_id);
	add_str(&b, b.root, "command", r->command);
	add_str(&b, b.root, "status", r->accepted ? "accepted" : "rejected");
	if (r->accepted) {
		if (r->message_id)
			add_num(&b, b.root, "message_id", r->message_id);
		/* a send's answer always says whether its key was seen before: false is news too */
		if (r->command && strcmp(r->command, "send") == 0)
			add_bool(&b, b.root, "existing", r->existing);
	} else {
		add_str(&b, b.root, "code", r->code);
		if (r->code_number)
			add_num(&b, b.root, "code_number", r->code_number);
		add_str(&b, b.root, "reason", r->reason);
	}
	if (result)
		add_item(&b, b.root, "result", result);
	return finish(&b);
}

char *mqtt_event_json(const struct mqtt_event *e)
{
	struct builder b;

	if (!e) {
		errno = EINVAL;
		return NULL;
	}
	if (!begin(&b)) {
		errno = ENOMEM;
		return NULL;
	}
	add_str(&b, b.root, "uid", e->uid);
	add_str(&b, b.root, "kind", e->kind);
	add_time(&b, b.root, "at", e->at);
	if (e->kind && strcmp(e->kind, "consent") == 0) {
		add_str(&b, b.root, "number", e->number);
		add_str(&b, b.root, "action", e->action);
		add_str(&b, b.root, "scope", e->scope);
		add_str(&b, b.root, "scope_name", e->scope_name);
		add_str(&b, b.root, "category", e->consent_category);
		add_str(&b, b.root, "method", e->method);
		add_str(&b, b.root, "disclosure", e->disclosure);
		add_str(&b, b.root, "recorded_by", e->recorded_by);
		if (e->ledger_id)
			add_num(&b, b.root, "ledger_id", e->ledger_id);
		return finish(&b);
	}
	if (e->message_id)
		add_num(&b, b.root, "message_id", e->message_id);
	add_str(&b, b.root, "state", e->state);
	cJSON *conv = cJSON_CreateObject();
	add_item(&b, b.root, "conversation", conv);
	if (!b.failed) {
		/* consumers key conversations by line and peer: an unknown line is said, not implied */
		if (e->line)
			add_str(&b, conv, "line", e->line);
		else
			add_item(&b, conv, "line", cJSON_CreateNull());
		add_str(&b, conv, "peer", e->peer);
	}
	add_str(&b, b.root, "text", e->text);
	add_str(&b, b.root, "category", e->category);
	add_str(&b, b.root, "error", e->error);
	add_str(&b, b.root, "policy", e->policy);
	add_str(&b, b.root, "keyword", e->keyword);
	add_str(&b, b.root, "detail", e->detail);
	if (e->segments > 0)
		add_num(&b, b.root, "segments", e->segments);
	return finish(&b);
}

char *mqtt_modem_json(const struct mqtt_modem_state *m)
{
	struct builder b;

	if (!m) {
		errno = EINVAL;
		return NULL;
	}
	if (!begin(&b)) {
		errno = ENOMEM;
		return NULL;
	}
	add_str(&b, b.root, "name", m->name);
	add_str(&b, b.root, "line", m->line);
	add_str(&b, b.root, "state", m->state);
	add_str(&b, b.root, "operator", m->operator_name);
	if (m->signal_dbm)
		add_num(&b, b.root, "signal_dbm", m->signal_dbm);
	add_bool(&b, b.root, "registered", m->registered);
	add_bool(&b, b.root, "roaming", m->roaming);
	add_num(&b, b.root, "queue_depth", m->queue_depth);
	add_str(&b, b.root, "last_error", m->last_error);
	return finish(&b);
}

char *mqtt_gateway_json(const struct mqtt_gateway_state *g)
{
	struct builder b;

	if (!g || (g->nmodems && !g->modems)) {
		errno = EINVAL;
		return NULL;
	}
	if (!begin(&b)) {
		errno = ENOMEM;
		return NULL;
	}
	add_str(&b, b.root, "state", g->online ? "online" : "offline");
	add_str(&b, b.root, "gateway", g->gateway_id);
	add_str(&b, b.root, "version", g->version);
	if (g->online) {
		cJSON *names = cJSON_CreateArray();
		add_item(&b, b.root, "modems", names);
		for (size_t i = 0; i < g->nmodems && !b.failed; i++) {
			if (!g->modems[i].name)
				continue;
			cJSON *s = json_string(g->modems[i].name);
			if (!s || !cJSON_AddItemToArray(names, s)) {
				cJSON_Delete(s);
				b.failed = true;
			}
		}
	}
	/* a last will is registered at connect time, long before it is sent: no time then */
	if (g->at)
		add_time(&b, b.root, "at", g->at);
	return finish(&b);
}

/* ---- conversations ---- */

/* A member that is always written: the string, or null. */
static void add_str_or_null(struct builder *b, cJSON *obj, const char *key, const char *v)
{
	add_item(b, obj, key, v ? json_string(v) : cJSON_CreateNull());
}

/* A time that is always written: null when 0 (none). */
static void add_time_or_null(struct builder *b, cJSON *obj, const char *key, int64_t ms)
{
	if (ms)
		add_time(b, obj, key, ms);
	else
		add_item(b, obj, key, cJSON_CreateNull());
}

static bool conversation_ok(const struct mqtt_conversation *c)
{
	if (!c || (c->ntags && !c->tags))
		return false;
	for (size_t i = 0; i < c->ntags; i++)
		if (!c->tags[i])
			return false;
	return true;
}

/*
 * c's members into obj; as an event (uid, kind, at, detail) when event is
 * true. A state is written whole, nulls included: consoles replace their
 * copy with it, and a key left out would leave a stale value behind.
 */
static void add_conversation(struct builder *b, cJSON *obj, const struct mqtt_conversation *c,
			     bool event)
{
	if (event) {
		add_str(b, obj, "uid", c->uid);
		add_str(b, obj, "kind", "conversation");
		add_time(b, obj, "at", c->at);
	}
	add_num(b, obj, "id", c->id);
	add_str_or_null(b, obj, "line", c->line);
	add_str_or_null(b, obj, "peer", c->peer);
	add_str_or_null(b, obj, "state", c->state);
	add_str_or_null(b, obj, "assignee", c->assignee);
	add_num(b, obj, "unread", c->unread);
	cJSON *tags = cJSON_CreateArray();
	add_item(b, obj, "tags", tags);
	for (size_t i = 0; i < c->ntags && !b->failed; i++) {
		cJSON *s = json_string(c->tags[i]);
		if (!s || !cJSON_AddItemToArray(tags, s)) {
			cJSON_Delete(s);
			b->failed = true;
		}
	}
	add_time_or_null(b, obj, "created_at", c->created_at);
	add_time_or_null(b, obj, "updated_at", c->updated_at);
	add_time_or_null(b, obj, "last_in_at", c->last_in_at);
	add_time_or_null(b, obj, "last_out_at", c->last_out_at);
	add_time_or_null(b, obj, "waiting_since", c->waiting_since);
	if (event)
		add_str(b, obj, "detail", c->detail);
}

char *mqtt_conversation_json(const struct mqtt_conversation *c)
{
	struct builder b;

	if (!conversation_ok(c)) {
		errno = EINVAL;
		return NULL;
	}
	if (!begin(&b)) {
		errno = ENOMEM;
		return NULL;
	}
	add_conversation(&b, b.root, c, c->uid != NULL);
	return finish(&b);
}

/* An array of state objects under key. */
static void add_state_array(struct builder *b, const char *key, const struct mqtt_conversation *cs,
			    size_t n)
{
	cJSON *list = cJSON_CreateArray();
	add_item(b, b->root, key, list);
	for (size_t i = 0; i < n && !b->failed; i++) {
		cJSON *obj = cJSON_CreateObject();
		if (!obj || !cJSON_AddItemToArray(list, obj)) {
			cJSON_Delete(obj);
			b->failed = true;
			break;
		}
		add_conversation(b, obj, &cs[i], false);
	}
}

char *mqtt_history_json(const struct mqtt_conversation *c, const struct mqtt_history_item *items,
			size_t n)
{
	struct builder b;

	if (!conversation_ok(c) || (n && !items)) {
		errno = EINVAL;
		return NULL;
	}
	if (!begin(&b)) {
		errno = ENOMEM;
		return NULL;
	}
	cJSON *state = cJSON_CreateObject();
	add_item(&b, b.root, "conversation", state);
	if (!b.failed)
		add_conversation(&b, state, c, false);
	cJSON *history = cJSON_CreateArray();
	add_item(&b, b.root, "history", history);
	for (size_t i = 0; i < n && !b.failed; i++) {
		const struct mqtt_history_item *it = &items[i];
		cJSON *obj = cJSON_CreateObject();
		if (!obj || !cJSON_AddItemToArray(history, obj)) {
			cJSON_Delete(obj);
			b.failed = true;
			break;
		}
		add_str(&b, obj, "kind", it->note ? "note" : "message");
		add_num(&b, obj, "id", it->id);
		if (!it->note) {
			add_str(&b, obj, "direction", it->inbound ? "in" : "out");
			add_str(&b, obj, "state", it->state);
		}
		add_str(&b, obj, "text", it->text);
		add_str(&b, obj, "author", it->author);
		add_time(&b, obj, "at", it->at);
	}
	return finish(&b);
}

char *mqtt_conversation_list_json(const struct mqtt_conversation *cs, size_t n)
{
	struct builder b;

	if (n && !cs) {
		errno = EINVAL;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!conversation_ok(&cs[i])) {
			errno = EINVAL;
			return NULL;
		}
	}
	if (!begin(&b)) {
		errno = ENOMEM;
		return NULL;
	}
	add_state_array(&b, "conversations", cs, n);
	return finish(&b);
}
