/*
 * The retained stats payload (include/parley/mqtt_stats.h): store_stats'
 * figures rendered as one JSON object with cJSON. Pure: the period comes in
 * as ms and goes out as RFC 3339 text without reading any clock.
 *
 * It does not gather the figures (store_stats.c) nor publish them (the
 * daemon's bridge, on its own period).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_stats.h"
#include "parley/utf8.h"

#include "json_text.h"

/* Building the object: the first failure sticks, so calls can follow each other unchecked. */
struct builder {
	bool failed;
};

static void add_item(struct builder *b, cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		b->failed = true;
	}
}

/*
 * An integer written as digits: cJSON 1.7 prints doubles above 10^15 with
 * 15 significant digits, which would change a large count.
 */
static void add_int(struct builder *b, cJSON *obj, const char *key, int64_t v)
{
	char digits[24];

	snprintf(digits, sizeof(digits), "%" PRId64, v);
	add_item(b, obj, key, cJSON_CreateRaw(digits));
}

/* An integer, or null when negative (the struct's "none"). */
static void add_int_or_null(struct builder *b, cJSON *obj, const char *key, int64_t v)
{
	if (v < 0)
		add_item(b, obj, key, cJSON_CreateNull());
	else
		add_int(b, obj, key, v);
}

static void add_time(struct builder *b, cJSON *obj, const char *key, int64_t ms)
{
	char t[JSON_TIME_BUF];

	json_time(ms, t);
	add_item(b, obj, key, cJSON_CreateString(t));
}

static cJSON *line_json(struct builder *b, const struct store_stats_line *l)
{
	cJSON *o = cJSON_CreateObject();

	add_item(b, o, "line", json_string(l->line));
	add_int(b, o, "in", l->in);
	add_int(b, o, "out", l->out);
	add_int(b, o, "responses", l->responses);
	add_int_or_null(b, o, "median_first_response_ms", l->median_first_response_ms);
	add_int(b, o, "unanswered", l->unanswered);
	add_int(b, o, "customers", l->customers);
	add_int(b, o, "opt_outs", l->opt_outs);
	add_item(b, o, "opt_out_rate", l->opt_out_rate < 0 ? cJSON_CreateNull()
			 : cJSON_CreateNumber(l->opt_out_rate));
	return o;
}

static cJSON *agent_json(struct builder *b, const struct store_stats_agent *a)
{
	cJSON *o = cJSON_CreateObject();

	add_item(b, o, "agent", json_string(a->agent));
	add_int(b, o, "replies", a->replies);
	add_int(b, o, "responses", a->responses);
	add_int_or_null(b, o, "median_first_response_ms", a->median_first_response_ms);
	add_int(b, o, "assigned", a->assigned);
	add_int(b, o, "waiting", a->waiting);
	return o;
}

static void add_to_array(struct builder *b, cJSON *array, cJSON *item)
{
	if (!item || !array || !cJSON_AddItemToArray(array, item)) {
		cJSON_Delete(item);
		b->failed = true;
	}
}

char *mqtt_stats_json(const struct store_stats *s, int64_t since, int64_t now)
{
	struct builder b = { false };
	cJSON *root, *lines, *agents;
	char *out = NULL;

	if (!s || !(root = cJSON_CreateObject()))
		return NULL;
	add_time(&b, root, "since", since);
	add_time(&b, root, "at", now);
	lines = cJSON_CreateArray();
	/* the struct's counts are trusted only up to its arrays' sizes */
	for (size_t i = 0; lines && i < s->nlines && i < STORE_STATS_LINES_MAX; i++)
		add_to_array(&b, lines, line_json(&b, &s->lines[i]));
	add_item(&b, root, "lines", lines);
	agents = cJSON_CreateArray();
	for (size_t i = 0; agents && i < s->nagents && i < STORE_STATS_AGENTS_MAX; i++)
		add_to_array(&b, agents, agent_json(&b, &s->agents[i]));
	add_item(&b, root, "agents", agents);
	add_int(&b, root, "lines_omitted", (int64_t)s->lines_omitted);
	add_int(&b, root, "agents_omitted", (int64_t)s->agents_omitted);
	if (!b.failed)
		out = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return out;
}
