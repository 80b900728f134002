/*
 * Renders a campaign's counts (include/parley/mqtt_campaign.h). Pure: no
 * I/O, no clock, no store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_campaign.h"

#include "json_text.h"

/* The first failure sticks, so the calls below can follow each other unchecked. */
static bool add(bool ok, cJSON *obj, const char *key, cJSON *item)
{
	if (!ok || !item || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static bool add_reasons(bool ok, cJSON *obj, const char *key,
			const struct store_campaign_reason *list, size_t n)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; o && i < n; i++)
		ok = add(ok, o, list[i].code, cJSON_CreateNumber((double)list[i].n));
	return add(ok, obj, key, o);
}

char *mqtt_campaign_json(const struct mqtt_campaign *c)
{
	const struct store_campaign_counts *n;
	char at[JSON_TIME_BUF];
	cJSON *o;
	char *json;
	bool ok = true;

	if (!c || !c->counts) {
		errno = EINVAL;
		return NULL;
	}
	n = c->counts;
	if (!(o = cJSON_CreateObject())) {
		errno = ENOMEM;
		return NULL;
	}
	if (c->uid) {
		ok = add(ok, o, "uid", cJSON_CreateString(c->uid));
		ok = add(ok, o, "kind", cJSON_CreateString("campaign"));
		ok = add(ok, o, "event", cJSON_CreateString(c->event ? c->event : "progress"));
		if (c->at) {
			json_time(c->at, at);
			ok = add(ok, o, "at", cJSON_CreateString(at));
		}
	}
	ok = add(ok, o, "campaign", cJSON_CreateNumber((double)c->id));
	ok = add(ok, o, "name", cJSON_CreateString(c->name ? c->name : ""));
	ok = add(ok, o, "state", cJSON_CreateString(c->done ? "done" : "running"));
	const struct { const char *key; int64_t v; } counts[] = {
		{ "total", n->total }, { "queued", n->queued }, { "held", n->held },
		{ "sending", n->sending }, { "unknown", n->unknown }, { "sent", n->sent },
		{ "delivered", n->delivered }, { "failed", n->failed }, { "expired", n->expired },
		{ "blocked", n->blocked }, { "cancelled", n->cancelled },
	};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		ok = add(ok, o, counts[i].key, cJSON_CreateNumber((double)counts[i].v));
	ok = add_reasons(ok, o, "held_by", n->held_by, n->nheld_by);
	ok = add_reasons(ok, o, "blocked_by", n->blocked_by, n->nblocked_by);
	ok = add_reasons(ok, o, "expired_by", n->expired_by, n->nexpired_by);
	json = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	if (!json)
		errno = ENOMEM;
	return json;
}
