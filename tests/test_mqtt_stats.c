/*
 * The retained stats payload (mqtt_stats_json), parsed back with cJSON:
 * every member of a line and an agent, null for a missing median or rate,
 * the period's RFC 3339 times (leap days, the epoch, the clamp at 9999), a
 * line name that is not UTF-8, large counts kept exact, empty figures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_stats.h"
#include "parley/utf8.h"

static struct store_stats stats;   /* 25 KiB: off cmocka's stack */

static cJSON *render(int64_t since, int64_t now)
{
	char *json = mqtt_stats_json(&stats, since, now);
	cJSON *root;

	assert_non_null(json);
	assert_int_equal(utf8_validate(json, strlen(json)), 0);
	root = cJSON_Parse(json);
	if (!root)
		fail_msg("not JSON: %s", json);
	free(json);
	return root;
}

static int64_t num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("%s is not a number", key);
	return (int64_t)v->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v))
		fail_msg("%s is not a string", key);
	return v->valuestring;
}

static bool is_null(const cJSON *o, const char *key)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void fill(void)
{
	memset(&stats, 0, sizeof(stats));
	stats.nlines = 2;
	stats.lines[0] = (struct store_stats_line){
		.line = "+447700900001", .in = 6, .out = 6, .responses = 3,
		.median_first_response_ms = 10000, .unanswered = 1, .customers = 4, .opt_outs = 1,
		.opt_out_rate = 0.25,
	};
	stats.lines[1] = (struct store_stats_line){
		.line = "+447700900002", .in = 2, .responses = 0, .median_first_response_ms = -1,
		.unanswered = 1, .opt_out_rate = -1,
	};
	stats.nagents = 1;
	stats.agents[0] = (struct store_stats_agent){
		.agent = "alice", .replies = 3, .responses = 2, .median_first_response_ms = 20000,
		.assigned = 1, .waiting = 1,
	};
	stats.lines_omitted = 2;
}

static void every_member(void **state)
{
	(void)state;
	fill();
	cJSON *root = render(1700000000000LL, 1700000100123LL);
	const cJSON *lines = cJSON_GetObjectItemCaseSensitive(root, "lines");
	const cJSON *agents = cJSON_GetObjectItemCaseSensitive(root, "agents");
	const cJSON *l, *a;

	assert_string_equal(str(root, "since"), "2023-11-14T22:13:20.000Z");
	assert_string_equal(str(root, "at"), "2023-11-14T22:15:00.123Z");
	assert_int_equal(num(root, "lines_omitted"), 2);
	assert_int_equal(num(root, "agents_omitted"), 0);
	assert_int_equal(cJSON_GetArraySize(lines), 2);
	l = cJSON_GetArrayItem(lines, 0);
	assert_string_equal(str(l, "line"), "+447700900001");
	assert_int_equal(num(l, "in"), 6);
	assert_int_equal(num(l, "out"), 6);
	assert_int_equal(num(l, "responses"), 3);
	assert_int_equal(num(l, "median_first_response_ms"), 10000);
	assert_int_equal(num(l, "unanswered"), 1);
	assert_int_equal(num(l, "customers"), 4);
	assert_int_equal(num(l, "opt_outs"), 1);
	assert_true(cJSON_GetObjectItemCaseSensitive(l, "opt_out_rate")->valuedouble == 0.25);
	assert_int_equal(cJSON_GetArraySize(l), 9);
	l = cJSON_GetArrayItem(lines, 1);
	assert_int_equal(num(l, "in"), 2);
	assert_int_equal(num(l, "out"), 0);
	assert_true(is_null(l, "median_first_response_ms"));
	assert_true(is_null(l, "opt_out_rate"));
	assert_int_equal(cJSON_GetArraySize(agents), 1);
	a = cJSON_GetArrayItem(agents, 0);
	assert_string_equal(str(a, "agent"), "alice");
	assert_int_equal(num(a, "replies"), 3);
	assert_int_equal(num(a, "responses"), 2);
	assert_int_equal(num(a, "median_first_response_ms"), 20000);
	assert_int_equal(num(a, "assigned"), 1);
	assert_int_equal(num(a, "waiting"), 1);
	assert_int_equal(cJSON_GetArraySize(a), 6);
	cJSON_Delete(root);
}

static void empty(void **state)
{
	(void)state;
	memset(&stats, 0, sizeof(stats));
	char *json = mqtt_stats_json(&stats, 0, 86400000);

	assert_string_equal(json, "{\"since\":\"1970-01-01T00:00:00.000Z\","
			    "\"at\":\"1970-01-02T00:00:00.000Z\",\"lines\":[],\"agents\":[],"
			    "\"lines_omitted\":0,\"agents_omitted\":0}");
	free(json);
	assert_null(mqtt_stats_json(NULL, 0, 0));
}

static void times(void **state)
{
	static const struct { int64_t ms; const char *text; } v[] = {
		{ 0, "1970-01-01T00:00:00.000Z" },
		{ -5, "1970-01-01T00:00:00.000Z" },                 /* clamped */
		{ 951782400000LL, "2000-02-29T00:00:00.000Z" },     /* a leap day of a 400th year */
		{ 951868799999LL, "2000-02-29T23:59:59.999Z" },
		{ 4107542400000LL, "2100-03-01T00:00:00.000Z" },    /* 2100 is not a leap year */
		{ 1798761599999LL, "2026-12-31T23:59:59.999Z" },
		{ 253402300799999LL, "9999-12-31T23:59:59.999Z" },
		{ INT64_MAX, "9999-12-31T23:59:59.999Z" },          /* clamped */
	};

	(void)state;
	memset(&stats, 0, sizeof(stats));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cJSON *root = render(v[i].ms, v[i].ms);

		assert_string_equal(str(root, "since"), v[i].text);
		cJSON_Delete(root);
	}
}

/* A line named with bytes that are not UTF-8 still gives valid JSON; big counts stay exact. */
static void odd_values(void **state)
{
	(void)state;
	memset(&stats, 0, sizeof(stats));
	stats.nlines = 1;
	strcpy(stats.lines[0].line, "line\xff\xfe" "1");
	stats.lines[0].in = INT64_C(9007199254740993);   /* 2^53 + 1: no double holds it */
	stats.lines[0].median_first_response_ms = -1;
	stats.lines[0].opt_out_rate = 0;
	char *json = mqtt_stats_json(&stats, 0, 0);

	assert_non_null(json);
	assert_non_null(strstr(json, "\"line\":\"line\xEF\xBF\xBD\xEF\xBF\xBD" "1\""));
	assert_non_null(strstr(json, "\"in\":9007199254740993,"));
	assert_non_null(strstr(json, "\"opt_out_rate\":0}"));
	free(json);
	cJSON_Delete(render(0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_member),
		cmocka_unit_test(empty),
		cmocka_unit_test(times),
		cmocka_unit_test(odd_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
