/*
 * Agents' presence: agent ids, the retained payloads consoles publish
 * (online, offline, deleted), and the agent read back from its topic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/mqtt_payload.h"

static void agent_ids(void **state)
{
	(void)state;
	static const char *const good[] = {
		"alice", "a", "Alice.Smith", "agent_7", "bob@shop-1", "0", "-", "x.y.z@example.com",
		"gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg", /* 64 */
	};
	static const char *const bad[] = {
		"", "Alice Smith", "a/b", "a+", "a#", "\xC3\xA9lodie", "tab\there", "a:b", "$SYS",
		"ggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg", /* 65 */
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!mqtt_agent_id_ok(good[i]))
			fail_msg("\"%s\" refused", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (mqtt_agent_id_ok(bad[i]))
			fail_msg("\"%s\" accepted", bad[i]);
	assert_false(mqtt_agent_id_ok(NULL));
}

struct row {
	const char *payload;
	size_t len;          /* 0: strlen */
	int rc;
	bool online;
	const char *name;
};

static const struct row rows[] = {
	{ "{\"state\":\"online\",\"name\":\"Alice\"}", 0, 0, true, "Alice" },
	{ "{\"state\":\"online\"}", 0, 0, true, "" },
	{ "{\"state\":\"offline\",\"name\":\"Alice\"}", 0, 0, false, "Alice" },
	{ "{\"state\":\"offline\"}", 0, 0, false, "" },
	{ " {\"name\":\"Zo\\u00e9 \\ud83d\\ude00\", \"state\":\"online\"}\n", 0, 0, true, "Zo\xC3\xA9 \xF0\x9F\x98\x80" },
	{ "{\"state\":\"online\",\"at\":\"2026-11-22T14:00:00Z\",\"version\":3}", 0, 0, true, "" }, /* theirs: ignored */
	{ "", 0, 0, false, "" },            /* a deleted retained message */
	{ NULL, 0, 0, false, "" },
	{ "{\"state\":\"online\"}xyz", 18, 0, true, "" }, /* the length counts, not a NUL */
	/* refused */
	{ "{\"state\":\"online\"}xyz", 0, -EINVAL, false, "" },
	{ "{\"state\":\"away\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"Online\"}", 0, -EINVAL, false, "" },
	{ "{\"name\":\"Alice\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":true}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\",\"name\":7}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\",\"name\":\"\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\",\"name\":\"a\\nb\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\",\"name\":\"a\\u0000b\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\",\"name\":\"a\\\\u0000b\"}", 0, 0, true, "a\\u0000b" }, /* a backslash, then text */
	{ "{\"state\":\"online\",\"name\":\"\\ud800\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\",\"name\":\"\xFF\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\",\"state\":\"offline\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\",\"name\":\"A\",\"name\":\"B\"}", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\"", 0, -EINVAL, false, "" },
	{ "[\"online\"]", 0, -EINVAL, false, "" },
	{ "\"online\"", 0, -EINVAL, false, "" },
	{ "online", 0, -EINVAL, false, "" },
	{ "{\"state\":\"online\"}\0", 19, -EINVAL, false, "" },
	{ " ", 0, -EINVAL, false, "" },
};

static void payloads(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		size_t len = r->len ? r->len : r->payload ? strlen(r->payload) : 0;
		struct mqtt_presence p;
		memset(&p, 0x55, sizeof p);
		int rc = mqtt_presence_parse(r->payload, len, &p);
		if (rc != r->rc)
			fail_msg("row %zu (%s): rc %d, want %d", i, r->payload ? r->payload : "NULL", rc, r->rc);
		assert_int_equal(p.online, r->online);
		if (strcmp(p.name, r->name) != 0)
			fail_msg("row %zu: name \"%s\", want \"%s\"", i, p.name, r->name);
	}

	/* the longest name, and one byte more */
	char json[300], name[200];
	memset(name, 'n', 128);
	name[128] = '\0';
	snprintf(json, sizeof json, "{\"state\":\"online\",\"name\":\"%s\"}", name);
	struct mqtt_presence p;
	assert_int_equal(mqtt_presence_parse(json, strlen(json), &p), 0);
	assert_string_equal(p.name, name);
	name[128] = 'n';
	name[129] = '\0';
	snprintf(json, sizeof json, "{\"state\":\"online\",\"name\":\"%s\"}", name);
	assert_int_equal(mqtt_presence_parse(json, strlen(json), &p), -EINVAL);
	assert_false(p.online);
	assert_int_equal(mqtt_presence_parse("{}", 2, NULL), -EINVAL);
}

static void topics(void **state)
{
	(void)state;
	char agent[MQTT_AGENT_MAX + 1];
	assert_int_equal(mqtt_presence_agent("parley/agents/alice", "parley", agent, sizeof agent), 5);
	assert_string_equal(agent, "alice");
	assert_int_equal(mqtt_presence_agent("shop/eu/agents/bob@shop-1", "shop/eu", agent, sizeof agent), 10);
	assert_string_equal(agent, "bob@shop-1");
	char long_topic[200] = "parley/agents/";
	memset(long_topic + strlen(long_topic), 'g', 64);
	assert_int_equal(mqtt_presence_agent(long_topic, "parley", agent, sizeof agent), 64);

	static const struct { const char *topic, *cluster; } bad[] = {
		{ "parley/agents/", "parley" },               /* no id */
		{ "parley/agents/alice/x", "parley" },        /* a level more */
		{ "parley/agents/a b", "parley" },
		{ "parley/agent/alice", "parley" },
		{ "parley/gw1/agents/alice", "parley" },      /* a gateway's topic, not the cluster's */
		{ "other/agents/alice", "parley" },
		{ "parleyx/agents/alice", "parley" },
		{ "parley/agents/alice", "parley/" },         /* the cluster has a problem */
		{ "parley/agents/alice", "" },
		{ "parley/agents/alice", "par+ley" },
		{ "parley", "parley" },
		{ "", "parley" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = mqtt_presence_agent(bad[i].topic, bad[i].cluster, agent, sizeof agent);
		if (rc != -EINVAL)
			fail_msg("%s under %s: %d", bad[i].topic, bad[i].cluster, rc);
	}
	memset(long_topic + strlen(long_topic), 'g', 1); /* 65 */
	assert_int_equal(mqtt_presence_agent(long_topic, "parley", agent, sizeof agent), -EINVAL);
	assert_int_equal(mqtt_presence_agent(NULL, "parley", agent, sizeof agent), -EINVAL);
	assert_int_equal(mqtt_presence_agent("parley/agents/a", NULL, agent, sizeof agent), -EINVAL);
	assert_int_equal(mqtt_presence_agent("parley/agents/a", "parley", NULL, 0), -EINVAL);

	/* the id and its NUL must fit */
	char small[6];
	assert_int_equal(mqtt_presence_agent("parley/agents/alice", "parley", small, 5), -EMSGSIZE);
	assert_int_equal(mqtt_presence_agent("parley/agents/alice", "parley", small, 6), 5);
	assert_string_equal(small, "alice");
	/* -EINVAL wins: the caller's topic is wrong whatever the buffer */
	assert_int_equal(mqtt_presence_agent("parley/agents/a b", "parley", small, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(agent_ids),
		cmocka_unit_test(payloads),
		cmocka_unit_test(topics),
	};
	return cmocka_run_group_tests_name("mqtt_presence", tests, NULL, NULL);
}
