/*
 * MQTT replies, events, conversations and retained states rendered to JSON: each is
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

static void conversations(void **state)
{
	(void)state;
	const char *tags[] = { "vip", "refund-due" };
	struct mqtt_conversation c = {
		.uid = "gw1-200", .at = INT64_C(1795356300123), .id = 7, .line = "+447700900001",
		.peer = "+447700900123", .state = "waiting_agent", .assignee = "alice", .unread = 2,
		.tags = tags, .ntags = 2, .created_at = INT64_C(1795356000000), .updated_at = INT64_C(1795356300123),
		.last_in_at = INT64_C(1795356200000), .waiting_since = INT64_C(1795356200000),
		.detail = "claimed by alice",
	};
	cJSON *j = back(mqtt_conversation_json(&c));
	assert_string_equal(str(j, "uid"), "gw1-200");
	assert_string_equal(str(j, "kind"), "conversation");
	assert_string_equal(str(j, "at"), "2026-11-22T14:05:00.123Z");
	assert_int_equal((int)num(j, "id"), 7);
	assert_string_equal(str(j, "line"), "+447700900001");
	assert_string_equal(str(j, "peer"), "+447700900123");
	assert_string_equal(str(j, "state"), "waiting_agent");
	assert_string_equal(str(j, "assignee"), "alice");
	assert_int_equal((int)num(j, "unread"), 2);
	const cJSON *t = cJSON_GetObjectItem(j, "tags");
	assert_int_equal(cJSON_GetArraySize(t), 2);
	assert_string_equal(cJSON_GetArrayItem(t, 1)->valuestring, "refund-due");
	assert_string_equal(str(j, "created_at"), "2026-11-22T14:00:00.000Z");
	assert_string_equal(str(j, "updated_at"), "2026-11-22T14:05:00.123Z");
	assert_string_equal(str(j, "last_in_at"), "2026-11-22T14:03:20.000Z");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "last_out_at")));
	assert_string_equal(str(j, "waiting_since"), "2026-11-22T14:03:20.000Z");
	assert_string_equal(str(j, "detail"), "claimed by alice");
	assert_int_equal(members(j), 16);
	cJSON_Delete(j);

	/* a state object: no uid, kind, at or detail; every key said, nulls included */
	struct mqtt_conversation s = { .id = 8, .line = "+447700900001", .peer = "+447700900124", .state = "open",
				       .created_at = 1, .updated_at = 2, .detail = "ignored", .at = 5 };
	j = back(mqtt_conversation_json(&s));
	assert_false(has(j, "uid"));
	assert_false(has(j, "kind"));
	assert_false(has(j, "at"));
	assert_false(has(j, "detail"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "assignee")));
	assert_int_equal((int)num(j, "unread"), 0);
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(j, "tags")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "tags")), 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "last_in_at")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "last_out_at")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "waiting_since")));
	assert_string_equal(str(j, "created_at"), "1970-01-01T00:00:00.001Z");
	assert_int_equal(members(j), 12);
	cJSON_Delete(j);

	/* ids past 2^53 stay exact; strings that are not UTF-8 are mended; detail left out when NULL */
	const char *odd[] = { "b\xFF" "d" };
	struct mqtt_conversation o = { .uid = "u", .id = INT64_MAX, .peer = "\"quoted\"\n", .assignee = "x\xC3",
				       .tags = odd, .ntags = 1, .state = "closed" };
	char *text = mqtt_conversation_json(&o);
	assert_non_null(strstr(text, "\"id\":9223372036854775807,"));
	j = back(text);
	assert_string_equal(str(j, "peer"), "\"quoted\"\n");
	assert_string_equal(str(j, "assignee"), "x\xEF\xBF\xBD");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "tags"), 0)->valuestring, "b\xEF\xBF\xBD" "d");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "line")));
	assert_false(has(j, "detail"));
	assert_string_equal(str(j, "at"), "1970-01-01T00:00:00.000Z");
	cJSON_Delete(j);

	/* callers' bugs */
	errno = 0;
	assert_null(mqtt_conversation_json(NULL));
	assert_int_equal(errno, EINVAL);
	struct mqtt_conversation no_tags = { .id = 1, .ntags = 1 };
	errno = 0;
	assert_null(mqtt_conversation_json(&no_tags));
	assert_int_equal(errno, EINVAL);
	const char *null_tag[] = { NULL };
	no_tags.tags = null_tag;
	assert_null(mqtt_conversation_json(&no_tags));
}

static void history(void **state)
{
	(void)state;
	struct mqtt_conversation c = { .uid = "ignored", .id = 7, .line = "+447700900001", .peer = "+447700900123",
				       .state = "waiting_customer", .assignee = "bob", .created_at = 1, .updated_at = 2,
				       .detail = "ignored" };
	const struct mqtt_history_item items[] = {
		{ .id = 40, .inbound = true, .state = "received", .text = "Where is my order?", .at = INT64_C(1795356000000) },
		{ .note = true, .id = 3, .text = "Checked: it left today", .author = "bob", .at = INT64_C(1795356060000) },
		{ .id = 41, .state = "delivered", .text = "It left today \xF0\x9F\x93\xA6", .author = "bob",
		  .at = INT64_C(1795356120000) },
		{ .id = 39, .state = "sent", .at = INT64_C(1795355000000) },   /* automation, text purged */
	};
	cJSON *j = back(mqtt_history_json(&c, items, 4));
	assert_int_equal(members(j), 2);
	const cJSON *conv = cJSON_GetObjectItem(j, "conversation");
	assert_true(cJSON_IsObject(conv));
	assert_int_equal((int)num(conv, "id"), 7);
	assert_string_equal(str(conv, "state"), "waiting_customer");
	assert_string_equal(str(conv, "assignee"), "bob");
	assert_false(has(conv, "uid"));
	assert_false(has(conv, "detail"));
	const cJSON *h = cJSON_GetObjectItem(j, "history");
	assert_int_equal(cJSON_GetArraySize(h), 4);

	const cJSON *in = cJSON_GetArrayItem(h, 0);
	assert_string_equal(str(in, "kind"), "message");
	assert_int_equal((int)num(in, "id"), 40);
	assert_string_equal(str(in, "direction"), "in");
	assert_string_equal(str(in, "state"), "received");
	assert_string_equal(str(in, "text"), "Where is my order?");
	assert_string_equal(str(in, "at"), "2026-11-22T14:00:00.000Z");
	assert_false(has(in, "author"));
	assert_int_equal(members(in), 6);

	const cJSON *note = cJSON_GetArrayItem(h, 1);
	assert_string_equal(str(note, "kind"), "note");
	assert_int_equal((int)num(note, "id"), 3);
	assert_string_equal(str(note, "author"), "bob");
	assert_string_equal(str(note, "text"), "Checked: it left today");
	assert_false(has(note, "direction"));
	assert_false(has(note, "state"));
	assert_int_equal(members(note), 5);

	const cJSON *out = cJSON_GetArrayItem(h, 2);
	assert_string_equal(str(out, "direction"), "out");
	assert_string_equal(str(out, "author"), "bob");
	assert_string_equal(str(out, "text"), "It left today \xF0\x9F\x93\xA6");

	const cJSON *purged = cJSON_GetArrayItem(h, 3);
	assert_false(has(purged, "text"));
	assert_false(has(purged, "author"));
	assert_string_equal(str(purged, "state"), "sent");
	cJSON_Delete(j);

	/* no history yet */
	j = back(mqtt_history_json(&c, NULL, 0));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "history")), 0);
	cJSON_Delete(j);

	/* it goes into a reply as its result, and reads back the same */
	char *result = mqtt_history_json(&c, items, 2);
	struct mqtt_reply r = { .request_id = "h1", .command = "conversation", .accepted = true, .extra_json = result };
	j = back(mqtt_reply_json(&r));
	free(result);
	const cJSON *res = cJSON_GetObjectItem(j, "result");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(res, "history")), 2);
	assert_int_equal((int)num(cJSON_GetObjectItem(res, "conversation"), "id"), 7);
	cJSON_Delete(j);

	errno = 0;
	assert_null(mqtt_history_json(&c, NULL, 1));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(mqtt_history_json(NULL, items, 1));
	assert_int_equal(errno, EINVAL);
}

static void lists(void **state)
{
	(void)state;
	const char *tags[] = { "vip" };
	struct mqtt_conversation cs[] = {
		{ .uid = "ignored", .id = 9, .line = "+447700900001", .peer = "+447700900125", .state = "waiting_agent",
		  .unread = 3, .tags = tags, .ntags = 1, .waiting_since = INT64_C(1795356300000) },
		{ .id = 8, .line = "+447700900002", .peer = "+447700900125", .state = "closed", .assignee = "alice" },
	};
	cJSON *j = back(mqtt_conversation_list_json(cs, 2));
	assert_int_equal(members(j), 1);
	const cJSON *l = cJSON_GetObjectItem(j, "conversations");
	assert_int_equal(cJSON_GetArraySize(l), 2);
	const cJSON *first = cJSON_GetArrayItem(l, 0);
	assert_int_equal((int)num(first, "id"), 9);
	assert_int_equal((int)num(first, "unread"), 3);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(first, "assignee")));
	assert_string_equal(str(first, "waiting_since"), "2026-11-22T14:05:00.000Z");
	assert_false(has(first, "uid"));
	assert_int_equal(members(first), 12);
	const cJSON *second = cJSON_GetArrayItem(l, 1);
	assert_string_equal(str(second, "assignee"), "alice");
	assert_string_equal(str(second, "line"), "+447700900002");
	cJSON_Delete(j);

	j = back(mqtt_conversation_list_json(NULL, 0));
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(j, "conversations")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "conversations")), 0);
	cJSON_Delete(j);

	errno = 0;
	assert_null(mqtt_conversation_list_json(NULL, 1));
	assert_int_equal(errno, EINVAL);
	cs[1].ntags = 1; /* tags NULL */
	errno = 0;
	assert_null(mqtt_conversation_list_json(cs, 2));
	assert_int_equal(errno, EINVAL);
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
		cmocka_unit_test(conversations),
		cmocka_unit_test(history),
		cmocka_unit_test(lists),
	};
	return cmocka_run_group_tests_name("mqtt_render", tests, NULL, NULL);
}
