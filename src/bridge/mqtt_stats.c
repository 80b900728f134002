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

#define MS_PER_DAY INT64_C(86400000)
#define MS_MAX INT64_C(253402300799999)   /* 9999-12-31T23:59:59.999Z, RFC 3339's last */
#define TIME_BUF 48                       /* 24 used; the rest for the compiler's view */

/*
 * ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ", clamped to 1970..9999.
 * Days to a civil date by the era arithmetic of H. Hinnant's
 * civil_from_days: exact for the proleptic Gregorian calendar, and free of
 * gmtime's time_t (32 bits on some embedded targets).
 */
static void format_time(int64_t ms, char out[TIME_BUF])
{
	if (ms < 0)
		ms = 0;
	if (ms > MS_MAX)
		ms = MS_MAX;
	int64_t days = ms / MS_PER_DAY, in_day = ms % MS_PER_DAY;
	int64_t z = days + 719468;                    /* days since 0000-03-01 */
	int64_t era = z / 146097;                     /* 400-year eras (z >= 0 here) */
	int64_t doe = z - era * 146097;               /* day of era, 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  /* from March 1st */
	int64_t mp = (5 * doy + 2) / 153;             /* month from March, 0..11 */
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	snprintf(out, TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, (int)m, (int)d,
		 (int)(in_day / 3600000), (int)(in_day / 60000 % 60), (int)(in_day / 1000 % 60),
		 (int)(in_day % 1000));
}

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

/* A JSON string of v; bytes that do not start valid UTF-8 become U+FFFD. */
static cJSON *make_string(const char *v)
{
	size_t len = strlen(v), o = 0;
	char *mended;
	cJSON *s;

	if (utf8_validate(v, len) == 0)
		return cJSON_CreateString(v);
	if (!(mended = malloc(len * 3 + 1)))   /* one byte can become three */
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t p = i;

		if (utf8_next(v, len, &p) < 0) {
			memcpy(mended + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(mended + o, v + i, p - i);
			o += p - i;
			i = p;
		}
	}
	mended[o] = '\0';
	s = cJSON_CreateString(mended);
	free(mended);
	return s;
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
	char t[TIME_BUF];

	format_time(ms, t);
	add_item(b, obj, key, cJSON_CreateString(t));
}

static cJSON *line_json(struct builder *b, const struct store_stats_line *l)
{
	cJSON *o = cJSON_CreateObject();

	add_item(b, o, "line", make_string(l->line));
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

	add_item(b, o, "agent", make_string(a->agent));
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
