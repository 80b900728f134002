/*
 * A campaign's counts as JSON: every count written (0 included), the
 * reasons as objects ({} when none), the event fields only for events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parley/mqtt_campaign.h"

static void summary_event(void **state)
{
	struct store_campaign_counts n = {
		.total = 1000, .sent = 850, .delivered = 10, .expired = 100, .blocked = 50,
		.blocked_by = { { "opted_out", 50 } }, .nblocked_by = 1,
		.expired_by = { { "quiet_hours", 100 } }, .nexpired_by = 1,
	};
	struct mqtt_campaign c = { .uid = "abc-7", .event = "summary", .at = 1796115600000LL,
				   .id = 3, .name = "black-friday", .done = true, .counts = &n };
	char *json = mqtt_campaign_json(&c);

	(void)state;
	assert_non_null(json);
	assert_string_equal(json,
		"{\"uid\":\"abc-7\",\"kind\":\"campaign\",\"event\":\"summary\","
		"\"at\":\"2026-12-01T09:00:00.000Z\",\"campaign\":3,\"name\":\"black-friday\","
		"\"state\":\"done\",\"total\":1000,\"queued\":0,\"held\":0,\"sending\":0,"
		"\"unknown\":0,\"sent\":850,\"delivered\":10,\"failed\":0,\"expired\":100,"
		"\"blocked\":50,\"cancelled\":0,\"held_by\":{},\"blocked_by\":{\"opted_out\":50},"
		"\"expired_by\":{\"quiet_hours\":100}}");
	free(json);
}

static void reply_result(void **state)
{
	struct store_campaign_counts n = {
		.total = 2, .queued = 1, .held = 1, .held_by = { { "quiet_hours", 1 } }, .nheld_by = 1,
	};
	struct mqtt_campaign c = { .id = 4, .name = "small", .counts = &n };
	char *json = mqtt_campaign_json(&c);

	(void)state;
	assert_non_null(json);
	assert_null(strstr(json, "\"uid\""));
	assert_null(strstr(json, "\"event\""));
	assert_non_null(strstr(json, "{\"campaign\":4,"));
	assert_non_null(strstr(json, "\"state\":\"running\""));
	assert_non_null(strstr(json, "\"held_by\":{\"quiet_hours\":1}"));
	free(json);
	c.counts = NULL;
	errno = 0;
	assert_null(mqtt_campaign_json(&c));
	assert_int_equal(errno, EINVAL);
	assert_null(mqtt_campaign_json(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_event),
		cmocka_unit_test(reply_result),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
