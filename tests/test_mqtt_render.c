/*
 * MQTT replies, events and retained states rendered to JSON: each is
 * parsed back with cJSON and checked field by field (present, absent,
 * typed), with times, escaping of quotes, newlines and emoji, and bytes
 * that are not UTF-8 mended.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_payload.h"
#include "parley/utf8.h"

/* Parses text (which must be unformatted, UTF-8 JSON) and frees it. */
static cJSON *back(char *text)
{
	assert_non_null(text);
	assert_int_equal(utf8_validate(text, strlen(text)), 0);
	assert_null(strchr(text, '\n')); /* unformatted: one line, newlines escaped */
	cJSON *j = cJSON_Parse(text);
	if (!j)
		fail_msg("not JSON: %s", text);
	free(text);
	return j;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsString(it))
		fail_msg("\"%s\" is not a string", key);
	return it->valuestring;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(it))
		fail_msg("\"%s\" is not a number", key);
	return it->valuedouble;
}

static bool has(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key) != NULL;
}

static int members(const cJSON *o)
{
	return cJSON_GetArraySize(o);
}

static void replies(void **state)
{
	(void)state;
	struct mqtt_reply r = { .request_id = "r1", .command = "send", .accepted = true, .message_id = 12 };
	cJSON *j = back(mqtt_reply_json(&r));
	assert_string_equal(str(j, "id"), "r1");
	assert_string_equal(str(j, "command"), "send");
	assert_string_equal(str(j, "status"), "accepted");
	assert_int_equal((int)num(j, "message_id"), 12);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "existing")));
	assert_false(has(j, "code"));
	assert_false(has(j, "reason"));
	assert_false(has(j, "result"));
	assert_int_equal(members(j), 5);
	cJSON_Delete(j);

	/* ids are written as digits, exact even past 2^53 (cJSON alone would write 9.22337203685478e+18) */
	r.existing = true;
	r.message_id = INT64_MAX;
	char *text = mqtt_reply_json(&r);
	assert_non_null(strstr(text, "\"message_id\":9223372036854775807,"));
	j = back(text);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "existing")));
	cJSON_Delete(j);

	/* a refusal from the parser: no id, no command read */
	struct mqtt_reply bad = { .code = "invalid_json", .reason = "The payload is not valid JSON: \"x\"." };
	j = back(mqtt_reply_json(&bad));
	assert_string_equal(str(j, "status"), "rejected");
	assert_string_equal(str(j, "code"), "invalid_json");
	assert_string_equal(str(j, "reason"), "The payload is not valid JSON: \"x\".");
	assert_false(has(j, "id"));
	assert_false(has(j, "command"));
	assert_false(has(j, "code_number"));
	assert_false(has(j, "existing"));
	assert_int_equal(members(j), 3);
	cJSON_Delete(j);

	/* a refusal by policy, with its number; an empty id is left out */
	struct mqtt_reply opt = { .request_id = "", .command = "send", .code = "opted_out", .code_number = 4001,
				  .reason = "+447700900123 opted out", .message_id = 5 };
	j = back(mqtt_reply_json(&opt));
	assert_false(has(j, "id"));
	assert_int_equal((int)num(j, "code_number"), 4001);
	assert_false(has(j, "message_id")); /* only accepted replies carry one */
	cJSON_Delete(j);

	/* consent_show's result goes in as JSON, not as a string */
	struct mqtt_reply show = { .request_id = "s1", .command = "consent_show", .accepted = true,
				   .extra_json = "{\"number\":\"+447700900123\",\"records\":[{\"id\":1,\"action\":\"revoke\"}],\"allowed\":false}" };
	j = back(mqtt_reply_json(&show));
	const cJSON *res = cJSON_GetObjectItem(j, "result");
	assert_true(cJSON_IsObject(res));
	assert_string_equal(str(res, "number"), "+447700900123");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(res, "records")), 1);
	assert_false(has(j, "existing"));
	cJSON_Delete(j);
	show.extra_json = "[1,2]";
	j = back(mqtt_reply_json(&show));
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(j, "result")));
	cJSON_Delete(j);

	/* invalid JSON is refused whole, never embedded */
	static const char *const broken[] = { "{", "{\"a\":1} junk", "", "\"\xFF\"", "{'a':1}" };
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		show.extra_json = broken[i];
		errno = 0;
		assert_null(mqtt_reply_json(&show));
		assert_int_equal(errno, EINVAL);
	}
	errno = 0;
	assert_null(mqtt_reply_json(NULL));
	assert_int_equal(errno, EINVAL);
}

static void escaping(void **state)
{
	(void)state;
	const char *nasty = "He said \"stop\"\\ then\nleft\t\x01 \xF0\x9F\x98\x80 caf\xC3\xA9 </script>";
	struct mqtt_event e = { .uid = "u-1", .kind = "received", .at = 0, .message_id = 3, .state = "received",
				.peer = "+447700900123", .line = "+447700900001", .text = nasty };
	char *text = mqtt_event_json(&e);
	/* quotes, backslashes and control characters escaped; the emoji goes as UTF-8 */
	assert_non_null(strstr(text, "He said \\\"stop\\\"\\\\ then\\nleft\\t\\u0001 \xF0\x9F\x98\x80"));
	cJSON *j = back(text);
	assert_string_equal(str(j, "text"), nasty);
	cJSON_Delete(j);

	/* bytes that are not UTF-8 become U+FFFD, one each */
	e.text = "a\xFF" "b\xC3";
	e.peer = "\xC0\xAF";
	j = back(mqtt_event_json(&e));
	assert_string_equal(str(j, "text"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	assert_string_equal(str(cJSON_GetObjectItem(j, "conversation"), "peer"), "\xEF\xBF\xBD\xEF\xBF\xBD");
	cJSON_Delete(j);

	struct mqtt_reply r = { .request_id = "id \"quoted\"\n", .command = "send", .reason = "bad \xFE" };
	j = back(mqtt_reply_json(&r));
	assert_string_equal(str(j, "id"), "id \"quoted\"\n");
	assert_string_equal(str(j, "reason"), "bad \xEF\xBF\xBD");
	cJSON_Delete(j);
}

static void times(void **state)
{
	(void)state;
	static const struct { int64_t ms; const char *text; } t[] = {
		{ 0, "1970-01-01T00:00:00.000Z" },
		{ INT64_C(1795356300123), "2026-11-22T14:05:00.123Z" },
		{ INT64_C(1709208000001), "2024-02-29T12:00:00.001Z" },
		{ INT64_C(951782400000), "2000-02-29T00:00:00.000Z" },
		{ INT64_C(951868800000), "2000-03-01T00:00:00.000Z" },
		{ INT64_C(4107542399999), "2100-02-28T23:59:59.999Z" },
		{ INT64_C(4107542400000), "2100-03-01T00:00:00.000Z" }, /* 2100 is not a leap year */
		{ INT64_C(1798761599999), "2026-12-31T23:59:59.999Z" },
		{ INT64_C(1798761600000), "2027-01-01T00:00:00.000Z" },
		{ INT64_C(253402300799999), "9999-12-31T23:59:59.999Z" },
		{ INT64_C(253402300800000), "9999-12-31T23:59:59.999Z" }, /* clamped */
		{ INT64_MAX, "9999-12-31T23:59:59.999Z" },
		{ -1, "1970-01-01T00:00:00.000Z" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct mqtt_event e = { .uid = "u", .kind = "message", .at = t[i].ms };
		cJSON *j = back(mqtt_event_json(&e));
		if (strcmp(str(j, "at"), t[i].text) != 0)
			fail_msg("%" PRId64 ": %s, want %s", t[i].ms, str(j, "at"), t[i].text);
		cJSON_Delete(j);
	}
}

static void events(void **state)
{
	(void)state;
	struct mqtt_event e = {
		.uid = "gw1-77", .kind = "message", .at = INT64_C(1795356300123), .message_id = 12, .state = "blocked",
		.peer = "+447700900123", .line = "+447700900001", .text = "Sale today", .category = "marketing",
		.error = "+447700900123 opted out", .policy = "opted_out", .detail = "claim", .segments = 1,
	};
	cJSON *j = back(mqtt_event_json(&e));
	assert_string_equal(str(j, "uid"), "gw1-77");
	assert_string_equal(str(j, "kind"), "message");
	assert_string_equal(str(j, "at"), "2026-11-22T14:05:00.123Z");
	assert_int_equal((int)num(j, "message_id"), 12);
	assert_string_equal(str(j, "state"), "blocked");
	const cJSON *conv = cJSON_GetObjectItem(j, "conversation");
	assert_string_equal(str(conv, "line"), "+447700900001");
	assert_string_equal(str(conv, "peer"), "+447700900123");
	assert_int_equal(members(conv), 2);
	assert_string_equal(str(j, "text"), "Sale today");
	assert_string_equal(str(j, "category"), "marketing");
	assert_string_equal(str(j, "error"), "+447700900123 opted out");
	assert_string_equal(str(j, "policy"), "opted_out");
	assert_string_equal(str(j, "detail"), "claim");
	assert_int_equal((int)num(j, "segments"), 1);
	assert_false(has(j, "keyword"));
	assert_false(has(j, "peer")); /* inside conversation only */
	assert_false(has(j, "number"));
	assert_false(has(j, "ledger_id"));
	cJSON_Delete(j);

	/* received, line not yet known: null, said out loud; purged text left out */
	struct mqtt_event rx = { .uid = "gw1-78", .kind = "received", .at = 1, .message_id = 40, .state = "received",
				 .peer = "+447700900123", .keyword = "suspected-opt-out" };
	j = back(mqtt_event_json(&rx));
	conv = cJSON_GetObjectItem(j, "conversation");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(conv, "line")));
	assert_string_equal(str(conv, "peer"), "+447700900123");
	assert_string_equal(str(j, "keyword"), "suspected-opt-out");
	assert_false(has(j, "text"));
	assert_false(has(j, "segments"));
	assert_false(has(j, "error"));
	assert_int_equal(members(j), 7); /* uid kind at message_id state conversation keyword */
	cJSON_Delete(j);

	struct mqtt_event c = {
		.uid = "gw1-79", .kind = "consent", .at = INT64_C(1795356300000), .ledger_id = 31,
		.number = "+447700900123", .action = "revoke", .scope = "line", .scope_name = "+447700900001",
		.consent_category = "all", .method = "keyword", .disclosure = "STOP", .recorded_by = "parleyd",
		.peer = "ignored", .text = "ignored",
	};
	j = back(mqtt_event_json(&c));
	assert_string_equal(str(j, "number"), "+447700900123");
	assert_string_equal(str(j, "action"), "revoke");
	assert_string_equal(str(j, "scope"), "line");
	assert_string_equal(str(j, "scope_name"), "+447700900001");
	assert_string_equal(str(j, "category"), "all");
	assert_string_equal(str(j, "method"), "keyword");
	assert_string_equal(str(j, "disclosure"), "STOP");
	assert_string_equal(str(j, "recorded_by"), "parleyd");
	assert_int_equal((int)num(j, "ledger_id"), 31);
	assert_false(has(j, "conversation"));
	assert_false(has(j, "text"));
	assert_int_equal(members(j), 12);
	cJSON_Delete(j);
	c.scope = "all";
	c.scope_name = NULL;
	j = back(mqtt_event_json(&c));
	assert_false(has(j, "scope_name"));
	cJSON_Delete(j);
	errno = 0;
	assert_null(mqtt_event_json(NULL));
	assert_int_equal(errno, EINVAL);
}

static void states(void **state)
{
	(void)state;
	struct mqtt_modem_state m[] = {
		{ .name = "sim0", .line = "+447700900001", .state = "ready", .operator_name = "EE", .signal_dbm = -71,
		  .registered = true, .queue_depth = 3 },
		{ .name = "sim1", .line = "+447700900002", .state = "registration", .roaming = true,
		  .last_error = "+CME ERROR: 10 (SIM not inserted)" },
	};
	cJSON *j = back(mqtt_modem_json(&m[0]));
	assert_string_equal(str(j, "name"), "sim0");
	assert_string_equal(str(j, "operator"), "EE");
	assert_int_equal((int)num(j, "signal_dbm"), -71);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "registered")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "roaming")));
	assert_int_equal((int)num(j, "queue_depth"), 3);
	assert_false(has(j, "last_error"));
	cJSON_Delete(j);
	j = back(mqtt_modem_json(&m[1]));
	assert_false(has(j, "operator"));
	assert_false(has(j, "signal_dbm"));
	assert_int_equal((int)num(j, "queue_depth"), 0);
	assert_string_equal(str(j, "last_error"), "+CME ERROR: 10 (SIM not inserted)");
	cJSON_Delete(j);

	struct mqtt_gateway_state g = { .online = true, .gateway_id = "gw1", .version = "0.6.0", .modems = m,
					.nmodems = 2, .at = INT64_C(1795356300123) };
	j = back(mqtt_gateway_json(&g));
	assert_string_equal(str(j, "state"), "online");
	assert_string_equal(str(j, "gateway"), "gw1");
	assert_string_equal(str(j, "version"), "0.6.0");
	assert_string_equal(str(j, "at"), "2026-11-22T14:05:00.123Z");
	const cJSON *names = cJSON_GetObjectItem(j, "modems");
	assert_int_equal(cJSON_GetArraySize(names), 2);
	assert_string_equal(cJSON_GetArrayItem(names, 1)->valuestring, "sim1");
	cJSON_Delete(j);

	/* the last will: offline, no modems, no time */
	g.online = false;
	g.at = 0;
	j = back(mqtt_gateway_json(&g));
	assert_string_equal(str(j, "state"), "offline");
	assert_false(has(j, "modems"));
	assert_false(has(j, "at"));
	cJSON_Delete(j);

	g.online = true;
	g.nmodems = 0;
	g.modems = NULL;
	j = back(mqtt_gateway_json(&g));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "modems")), 0);
	cJSON_Delete(j);
	g.nmodems = 1;
	errno = 0;
	assert_null(mqtt_gateway_json(&g));
	assert_int_equal(errno, EINVAL);
	assert_null(mqtt_modem_json(NULL));
}

/* What the parser refuses, rendered as the daemon would answer it. */
static void refusal_round_trip(void **state)
{
	(void)state;
	const struct mqtt_limits lim = { 16384, 4000 };
	const char *p = "{\"id\":\"x\\\"1\",\"cmd\":\"send\",\"to\":\"1\",\"text\":\"\\u0000\"}";
	struct mqtt_command c;
	struct mqtt_error err;
	assert_int_equal(mqtt_command_parse(p, strlen(p), &lim, &c, &err), -EINVAL);
	struct mqtt_reply r = { .request_id = c.request_id, .command = c.command, .code = err.code, .reason = err.reason };
	cJSON *j = back(mqtt_reply_json(&r));
	assert_string_equal(str(j, "id"), "x\"1");
	assert_string_equal(str(j, "code"), "invalid_utf8");
	assert_string_equal(str(j, "reason"), "Field \"text\" holds a NUL character (\\u0000).");
	cJSON_Delete(j);
	mqtt_command_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replies),
		cmocka_unit_test(escaping),
		cmocka_unit_test(times),
		cmocka_unit_test(events),
		cmocka_unit_test(states),
		cmocka_unit_test(refusal_round_trip),
	};
	return cmocka_run_group_tests_name("mqtt_render", tests, NULL, NULL);
}
