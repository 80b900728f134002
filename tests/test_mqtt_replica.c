/* Consent records shared between gateways: JSON round trips, topics, and what is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/mqtt_replica.h"

static struct mqtt_replica sample(void)
{
	struct mqtt_replica r = { .origin_id = 42, .at = 1763820000123LL };

	strcpy(r.origin, "9f2c41d07a11be03");
	strcpy(r.number, "+447700900123");
	strcpy(r.action, "revoke");
	strcpy(r.scope, "line");
	strcpy(r.scope_name, "+447700900001");
	strcpy(r.category, "all");
	strcpy(r.method, "keyword");
	strcpy(r.disclosure, "Stop \"now\" \xF0\x9F\x9B\x91"); /* quotes and an emoji survive */
	strcpy(r.recorded_by, "parleyd");
	return r;
}

static void round_trip(void **state)
{
	struct mqtt_replica r = sample(), back;
	char *json = mqtt_replica_json(&r);

	(void)state;
	assert_non_null(json);
	assert_int_equal(mqtt_replica_parse(json, strlen(json), &back), 0);
	assert_memory_equal(&r, &back, sizeof(r));
	free(json);
}

static void topics(void **state)
{
	struct mqtt_replica r = sample();
	char topic[200];

	(void)state;
	assert_true(mqtt_replica_topic(topic, sizeof(topic), "parley", &r) > 0);
	/* '+' is a wildcard in topic filters: numbers go as digits */
	assert_string_equal(topic, "parley/consent/447700900123/line/447700900001/all");
	strcpy(r.scope, "all");
	r.scope_name[0] = '\0';
	assert_true(mqtt_replica_topic(topic, sizeof(topic), "acme/sms", &r) > 0);
	assert_string_equal(topic, "acme/sms/consent/447700900123/all/_/all");
	assert_int_equal(mqtt_replica_topic(topic, 20, "parley", &r), -EMSGSIZE);
	strcpy(r.scope, "group");
	strcpy(r.scope_name, "a/b");
	assert_int_equal(mqtt_replica_topic(topic, sizeof(topic), "parley", &r), -EINVAL);
}

static void refusals(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[]",
		"{}",
		/* every field but one */
		"{\"origin\":\"a\",\"origin_id\":1,\"number\":\"+44\",\"action\":\"revoke\",\"scope\":\"all\","
		"\"scope_name\":\"\",\"category\":\"all\",\"method\":\"keyword\",\"disclosure\":\"\",\"recorded_by\":\"x\"}",
		/* an action this build does not know */
		"{\"origin\":\"a\",\"origin_id\":1,\"number\":\"+44\",\"action\":\"delete\",\"scope\":\"all\","
		"\"scope_name\":\"\",\"category\":\"all\",\"method\":\"keyword\",\"disclosure\":\"\",\"recorded_by\":\"x\",\"at\":5}",
		/* a number not in E.164 */
		"{\"origin\":\"a\",\"origin_id\":1,\"number\":\"07700\",\"action\":\"revoke\",\"scope\":\"all\","
		"\"scope_name\":\"\",\"category\":\"all\",\"method\":\"keyword\",\"disclosure\":\"\",\"recorded_by\":\"x\",\"at\":5}",
		/* an id that is not a whole number */
		"{\"origin\":\"a\",\"origin_id\":1.5,\"number\":\"+44\",\"action\":\"revoke\",\"scope\":\"all\","
		"\"scope_name\":\"\",\"category\":\"all\",\"method\":\"keyword\",\"disclosure\":\"\",\"recorded_by\":\"x\",\"at\":5}",
		/* invalid UTF-8 */
		"{\"origin\":\"a\",\"origin_id\":1,\"number\":\"+44\",\"action\":\"revoke\",\"scope\":\"all\","
		"\"scope_name\":\"\",\"category\":\"all\",\"method\":\"keyword\",\"disclosure\":\"\xff\",\"recorded_by\":\"x\",\"at\":5}",
		/* a category that is not one */
		"{\"origin\":\"a\",\"origin_id\":1,\"number\":\"+44\",\"action\":\"revoke\",\"scope\":\"all\","
		"\"scope_name\":\"\",\"category\":\"promo\",\"method\":\"keyword\",\"disclosure\":\"\",\"recorded_by\":\"x\",\"at\":5}",
	};
	struct mqtt_replica r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&r, 0x5A, sizeof(r));
		if (mqtt_replica_parse(bad[i], strlen(bad[i]), &r) != -EINVAL)
			fail_msg("accepted bad replica %zu: %s", i, bad[i]);
		assert_int_equal(r.origin[0], 0);
	}
	assert_int_equal(mqtt_replica_parse(NULL, 0, &r), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(topics),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
