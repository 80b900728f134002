/*
 * MQTT topics: which base topics are refused and why, and joining levels
 * under a base (the parts that are refused, and the output buffer's edges).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "parley/mqtt_payload.h"

static void base_topics(void **state)
{
	(void)state;
	static const char *const good[] = {
		"parley", "parley/gw1", "a/b/c/d", "caf\xC3\xA9/\xF0\x9F\x93\xA6", "site 1/parley", "x",
	};
	static const struct { const char *base, *has; } bad[] = {
		{ "", "empty" }, { NULL, "empty" }, { "parley/+", "wildcard" }, { "parley/#", "wildcard" },
		{ "a+b", "wildcard" }, { "$SYS/parley", "'$'" }, { "/parley", "starts with '/'" },
		{ "parley/", "ends with '/'" }, { "parley//gw1", "empty level" }, { "/", "'/'" },
		{ "bad\xFF", "UTF-8" }, { "cut\xC3", "UTF-8" },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_null(mqtt_topic_base_problem(good[i]));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *p = mqtt_topic_base_problem(bad[i].base);
		if (!p || !strstr(p, bad[i].has))
			fail_msg("%s: \"%s\", want \"%s\"", bad[i].base ? bad[i].base : "NULL", p ? p : "fine", bad[i].has);
	}
	char longest[202];
	memset(longest, 'a', 200);
	longest[200] = '\0';
	assert_null(mqtt_topic_base_problem(longest));
	longest[200] = 'a';
	longest[201] = '\0';
	assert_non_null(strstr(mqtt_topic_base_problem(longest), "200 bytes"));
}

static void joining(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley/gw1", "events", "message", NULL), 25);
	assert_string_equal(out, "parley/gw1/events/message");
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley", NULL), 6);
	assert_string_equal(out, "parley");
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley", "modems", "sim 0", "caf\xC3\xA9", NULL), 25);
	assert_string_equal(out, "parley/modems/sim 0/caf\xC3\xA9");

	/* parts that would change the topic's shape or match other topics */
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley", "", NULL), -EINVAL);
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley", "a/b", NULL), -EINVAL);
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley", "lines", "+447700900001", NULL), -EINVAL);
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley", "#", NULL), -EINVAL);
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley", "\xFF", NULL), -EINVAL);
	assert_int_equal(mqtt_topic_join(out, sizeof out, "parley/", "x", NULL), -EINVAL);
	assert_int_equal(mqtt_topic_join(out, sizeof out, NULL, "x", NULL), -EINVAL);

	/* "parley/ab" is 9 bytes: 10 fit, 9 do not; a bad part wins over a small buffer */
	assert_int_equal(mqtt_topic_join(out, 10, "parley", "ab", NULL), 9);
	assert_string_equal(out, "parley/ab");
	assert_int_equal(mqtt_topic_join(out, 9, "parley", "ab", NULL), -EMSGSIZE);
	assert_int_equal(mqtt_topic_join(out, 6, "parley", NULL), -EMSGSIZE);
	assert_int_equal(mqtt_topic_join(out, 3, "parley", "a+", NULL), -EINVAL);
	assert_int_equal(mqtt_topic_join(NULL, 0, "parley", "ab", NULL), -EMSGSIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base_topics),
		cmocka_unit_test(joining),
	};
	return cmocka_run_group_tests_name("mqtt_topic", tests, NULL, NULL);
}
