/* Frequency caps: under, at and over the cap, stale counts, bad arguments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "parley/send_caps.h"

#define HOUR_MS 3600000LL

static void caps(void **state)
{
	const int64_t now = 1767614400000LL; /* 2026-01-05 12:00 UTC */
	const int64_t day = SEND_CAPS_DAY_MS;
	(void)state;
	/* no cap */
	assert_int_equal(send_caps_next_allowed(0, day, 100, now - 5, now), now);
	assert_int_equal(send_caps_next_allowed(0, 0, 100, 0, now), now);
	/* under the cap */
	assert_int_equal(send_caps_next_allowed(3, day, 0, 0, now), now);
	assert_int_equal(send_caps_next_allowed(3, day, 2, now - HOUR_MS, now), now);
	/* at the cap: when the oldest leaves, 24 h after it went */
	assert_int_equal(send_caps_next_allowed(3, day, 3, now - HOUR_MS, now), now - HOUR_MS + day);
	assert_int_equal(send_caps_next_allowed(1, day, 1, now, now), now + day);
	/* over the cap (lowered since): still the oldest's leaving, to be re-counted then */
	assert_int_equal(send_caps_next_allowed(3, day, 5, now - 2 * HOUR_MS, now), now - 2 * HOUR_MS + day);
	/* a stale count whose oldest has already left */
	assert_int_equal(send_caps_next_allowed(3, day, 3, now - day, now), now);
	assert_int_equal(send_caps_next_allowed(3, day, 3, now - 2 * day, now), now);
	/* bad arguments */
	assert_int_equal(send_caps_next_allowed(3, 0, 3, now, now), -EINVAL);
	assert_int_equal(send_caps_next_allowed(3, -day, 3, now, now), -EINVAL);
	assert_int_equal(send_caps_next_allowed(3, day, -1, now, now), -EINVAL);
	assert_int_equal(send_caps_next_allowed(3, day, 3, now, -1), -EINVAL);
	assert_int_equal(send_caps_next_allowed(3, day, 3, INT64_MAX - 5, now), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
