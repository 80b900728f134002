/*
 * Renders a campaign's counts (include/parley/mqtt_campaign.h). Pure: no
 * I/O, no clock, no store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_campaign.h"

#define MS_PER_DAY INT64_C(86400000)
#define MS_MAX INT64_C(253402300799999)   /* 9999-12-31T23:59:59.999Z */
#define TIME_BUF 48

/*
 * ms since the epoch as RFC 3339 UTC, clamped to 1970..9999: the same days
 * arithmetic as mqtt_render.c and mqtt_stats.c (H. Hinnant's
 * civil_from_days), free of a 32-bit time_t.
 */
static void format_time(int64_t ms, char out[TIME_BUF])
{
	if (ms < 0)
		ms = 0;
	if (ms > MS_MAX)
		ms = MS_MAX;
	int64_t days = ms / MS_PER_DAY, in_day = ms % MS_PER_DAY;
	int64_t z = days + 719468;
	int64_t era = z / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	snprintf(out, TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, (int)m, (int)d,
		 (int)(in_day / 3600000), (int)(in_day / 60000 % 60), (int)(in_day / 1000 % 60),
		 (int)(in_day % 1000));
}

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
	char at[TIME_BUF];
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
			format_time(c->at, at);
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
