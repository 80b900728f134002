/*
 * Quiet hours: the week for a region and the next open moment across
 * several zones. Every "now" is a fixed instant built from a calendar date,
 * so nothing reads the clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "parley/quiet_hours.h"

#define MIN_MS 60000LL
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

/* Days from 1970-01-01 to a proleptic Gregorian date. */
static int64_t days_since_epoch(int y, int m, int d)
{
	int64_t yy = m <= 2 ? y - 1 : y;
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The UTC instant at which a zone with offset off_min shows this local time. */
static int64_t local_ms(int y, int mo, int d, int h, int mi, int off_min)
{
	return days_since_epoch(y, mo, d) * DAY_MS + h * HOUR_MS + mi * MIN_MS - off_min * MIN_MS;
}

static const struct quiet_window op_default = { 8 * 60, 21 * 60 };

/* 2026-01-05 is a Monday, 2026-01-10 a Saturday, 2026-01-11 a Sunday. */
static void calendar_helper(void **state)
{
	(void)state;
	assert_int_equal(days_since_epoch(1970, 1, 1), 0);
	assert_int_equal(days_since_epoch(2026, 1, 1), 20454);
	/* Thursday 1970-01-01 + 20458 days = Monday */
	assert_int_equal((days_since_epoch(2026, 1, 5) + 4) % 7, 1);
	assert_int_equal((days_since_epoch(2026, 1, 11) + 4) % 7, 0);
}

static void week_for(const char *region, struct quiet_week *w)
{
	assert_int_equal(quiet_rules_for(region, &op_default, w), 0);
}

static void federal_edges(void **state)
{
	struct quiet_week w;
	int ny = -300;
	(void)state;
	week_for("US-NY", &w);
	int64_t t = local_ms(2026, 1, 5, 12, 0, ny);
	assert_int_equal(quiet_next_open(&w, &ny, 1, t), t);
	/* 07:59 waits for 08:00; 08:00 goes */
	t = local_ms(2026, 1, 5, 7, 59, ny);
	assert_int_equal(quiet_next_open(&w, &ny, 1, t), local_ms(2026, 1, 5, 8, 0, ny));
	t = local_ms(2026, 1, 5, 8, 0, ny);
	assert_int_equal(quiet_next_open(&w, &ny, 1, t), t);
	/* 20:59 and its last millisecond go; 21:00 waits for tomorrow 08:00 */
	t = local_ms(2026, 1, 5, 20, 59, ny);
	assert_int_equal(quiet_next_open(&w, &ny, 1, t), t);
	assert_int_equal(quiet_next_open(&w, &ny, 1, t + MIN_MS - 1), t + MIN_MS - 1);
	t = local_ms(2026, 1, 5, 21, 0, ny);
	assert_int_equal(quiet_next_open(&w, &ny, 1, t), local_ms(2026, 1, 6, 8, 0, ny));
	/* midnight and 03:00 wait for the same morning */
	t = local_ms(2026, 1, 6, 0, 0, ny);
	assert_int_equal(quiet_next_open(&w, &ny, 1, t), local_ms(2026, 1, 6, 8, 0, ny));
	/* mid-minute: the answer is exact to the minute boundary */
	t = local_ms(2026, 1, 5, 7, 59, ny) + 30500;
	assert_int_equal(quiet_next_open(&w, &ny, 1, t), local_ms(2026, 1, 5, 8, 0, ny));
}

static void florida_evening(void **state)
{
	struct quiet_week w;
	int miami = -300;
	(void)state;
	week_for("US-FL", &w);
	assert_int_equal(w.day[1].start_min, 480);
	assert_int_equal(w.day[1].end_min, 1200);
	int64_t t = local_ms(2026, 1, 5, 20, 30, miami);
	assert_int_equal(quiet_next_open(&w, &miami, 1, t), local_ms(2026, 1, 6, 8, 0, miami));
	t = local_ms(2026, 1, 5, 19, 59, miami);
	assert_int_equal(quiet_next_open(&w, &miami, 1, t), t);
	/* the same 20:30 is fine federally */
	week_for("US", &w);
	t = local_ms(2026, 1, 5, 20, 30, miami);
	assert_int_equal(quiet_next_open(&w, &miami, 1, t), t);
}

static void texas_sunday(void **state)
{
	struct quiet_week w;
	int houston = -360;
	(void)state;
	week_for("US-TX", &w);
	int64_t t = local_ms(2026, 1, 11, 10, 0, houston);
	assert_int_equal(quiet_next_open(&w, &houston, 1, t), local_ms(2026, 1, 11, 12, 0, houston));
	t = local_ms(2026, 1, 11, 12, 0, houston);
	assert_int_equal(quiet_next_open(&w, &houston, 1, t), t);
	/* Saturday 08:30 waits for 09:00, not for federal 08:00 */
	t = local_ms(2026, 1, 10, 8, 30, houston);
	assert_int_equal(quiet_next_open(&w, &houston, 1, t), local_ms(2026, 1, 10, 9, 0, houston));
	/* Saturday 21:00 waits for Sunday noon */
	t = local_ms(2026, 1, 10, 21, 0, houston);
	assert_int_equal(quiet_next_open(&w, &houston, 1, t), local_ms(2026, 1, 11, 12, 0, houston));
	assert_string_equal(quiet_rules_source("US-TX"), "Tex. Bus. & Com. Code 301.051");
}

static void closed_days(void **state)
{
	struct quiet_week w;
	int off = -360;
	(void)state;
	/* Louisiana: Saturday evening waits past the closed Sunday to Monday 08:00 */
	week_for("US-LA", &w);
	assert_int_equal(w.day[0].start_min, w.day[0].end_min);
	int64_t t = local_ms(2026, 1, 10, 20, 0, off);
	assert_int_equal(quiet_next_open(&w, &off, 1, t), local_ms(2026, 1, 12, 8, 0, off));
	/* Rhode Island: Saturday 09:30 waits for 10:00; 17:00 waits for Monday 09:00 */
	off = -300;
	week_for("US-RI", &w);
	t = local_ms(2026, 1, 10, 9, 30, off);
	assert_int_equal(quiet_next_open(&w, &off, 1, t), local_ms(2026, 1, 10, 10, 0, off));
	t = local_ms(2026, 1, 10, 17, 0, off);
	assert_int_equal(quiet_next_open(&w, &off, 1, t), local_ms(2026, 1, 12, 9, 0, off));
}

static void multi_zone(void **state)
{
	struct quiet_week w;
	int zones[] = { -300, -360 }; /* New York, Chicago in January */
	(void)state;
	week_for("US", &w);
	/* 08:30 in New York is 07:30 in Chicago: wait for 08:00 Chicago */
	int64_t t = local_ms(2026, 1, 5, 8, 30, -300);
	int64_t want = local_ms(2026, 1, 5, 8, 0, -360);
	assert_int_equal(quiet_next_open(&w, zones, 2, t), want);
	assert_int_equal(want - t, 30 * MIN_MS);
	/* 20:30 in New York is 19:30 in Chicago: both open */
	t = local_ms(2026, 1, 5, 20, 30, -300);
	assert_int_equal(quiet_next_open(&w, zones, 2, t), t);
	/* 21:00 in New York: wait for 08:00 in Chicago, the later of the two mornings */
	t = local_ms(2026, 1, 5, 21, 0, -300);
	assert_int_equal(quiet_next_open(&w, zones, 2, t), local_ms(2026, 1, 6, 8, 0, -360));
	/* order of zones does not matter */
	int rev[] = { -360, -300 };
	assert_int_equal(quiet_next_open(&w, rev, 2, t), local_ms(2026, 1, 6, 8, 0, -360));
	/* Hawaii and Maine: 5 h apart fit in 13 h; the window is 08:00-16:00 Hawaii */
	int far[] = { -600, -300 };
	t = local_ms(2026, 1, 5, 16, 0, -600);
	assert_int_equal(quiet_next_open(&w, far, 2, t), local_ms(2026, 1, 6, 8, 0, -600));
}

static void half_hour_zones(void **state)
{
	struct quiet_week w;
	int kolkata = 330, lord_howe = 660, both[] = { 330, 630 };
	(void)state;
	week_for("IN", &w);
	int64_t t = local_ms(2026, 1, 5, 7, 59, kolkata);
	assert_int_equal(quiet_next_open(&w, &kolkata, 1, t), local_ms(2026, 1, 5, 8, 0, kolkata));
	t = local_ms(2026, 1, 5, 21, 0, lord_howe);
	assert_int_equal(quiet_next_open(&w, &lord_howe, 1, t), local_ms(2026, 1, 6, 8, 0, lord_howe));
	/* 08:00 at +10:30 is 03:00 at +05:30: wait for 08:00 at +05:30, 13:00 at +10:30 */
	t = local_ms(2026, 1, 5, 8, 0, 630);
	assert_int_equal(quiet_next_open(&w, both, 2, t), local_ms(2026, 1, 5, 8, 0, 330));
}

static void no_common_window(void **state)
{
	struct quiet_week w;
	const struct quiet_window office = { 9 * 60, 17 * 60 };
	int apart[] = { 0, 720 };
	(void)state;
	/* 8 hours a day in two zones 12 hours apart never meet */
	assert_int_equal(quiet_rules_for("GB", &office, &w), 0);
	int64_t t = local_ms(2026, 1, 5, 12, 0, 0);
	assert_int_equal(quiet_next_open(&w, apart, 2, t), -ERANGE);
	/* 7 hours apart leave one hour a day: 09:00-10:00 at UTC, 16:00-17:00 at +07:00 */
	int near[] = { 0, 420 };
	assert_int_equal(quiet_next_open(&w, near, 2, t), local_ms(2026, 1, 6, 9, 0, 0));
	/* an operator window closed every day never opens */
	const struct quiet_window shut = { 600, 600 };
	assert_int_equal(quiet_rules_for("GB", &shut, &w), 0);
	assert_int_equal(quiet_next_open(&w, apart, 1, t), -ERANGE);
	/* Rhode Island's weekday 9-18 and Saturday 10-17 with zones 12 hours apart */
	week_for("US-RI", &w);
	int ri[] = { -300, 420 };
	assert_int_equal(quiet_next_open(&w, ri, 2, t), -ERANGE);
}

static void regions_and_operator(void **state)
{
	struct quiet_week w;
	const struct quiet_window narrow = { 10 * 60, 18 * 60 };
	const struct quiet_window wide = { 7 * 60, 23 * 60 };
	(void)state;
	/* an operator stricter than Florida wins; a wider one does not loosen the law */
	assert_int_equal(quiet_rules_for("US-FL", &narrow, &w), 0);
	for (int d = 0; d < 7; d++) {
		assert_int_equal(w.day[d].start_min, 600);
		assert_int_equal(w.day[d].end_min, 1080);
	}
	assert_int_equal(quiet_rules_for("US", &wide, &w), 0);
	assert_int_equal(w.day[3].start_min, 480);
	assert_int_equal(w.day[3].end_min, 1260);
	assert_int_equal(quiet_rules_for("us-tx", &wide, &w), 0);
	assert_int_equal(w.day[0].start_min, 720);
	assert_int_equal(w.day[1].start_min, 540);
	/* outside the US the operator's window as given */
	assert_int_equal(quiet_rules_for("CA-ON", &wide, &w), 0);
	assert_int_equal(w.day[0].start_min, 420);
	assert_int_equal(w.day[0].end_min, 1380);
	assert_int_equal(quiet_rules_for("", &wide, &w), 0);
	assert_int_equal(w.day[6].end_min, 1380);
	/* territories and unknown states: federal */
	static const char *const federal[] = { "PR", "US-PR", "GU", "US-ZZ", "US-TEX", "US-", "us" };
	for (size_t i = 0; i < sizeof(federal) / sizeof(federal[0]); i++) {
		assert_int_equal(quiet_rules_for(federal[i], &wide, &w), 0);
		assert_int_equal(w.day[0].start_min, 480);
		assert_int_equal(w.day[0].end_min, 1260);
		assert_null(quiet_rules_source(federal[i]));
	}
	/* "USA" is not "US" */
	assert_int_equal(quiet_rules_for("USA", &wide, &w), 0);
	assert_int_equal(w.day[0].start_min, 420);
	assert_non_null(quiet_rules_source("US-FL"));
	assert_null(quiet_rules_source(NULL));
}

static void bad_arguments(void **state)
{
	struct quiet_week w, before;
	int off = 0;
	const struct quiet_window overnight = { 22 * 60, 2 * 60 };
	const struct quiet_window too_long = { 0, 1441 };
	const struct quiet_window negative = { -1, 600 };
	(void)state;
	memset(&before, 0x5a, sizeof(before));
	w = before;
	/* a window crossing midnight is not supported */
	assert_int_equal(quiet_rules_for("GB", &overnight, &w), -EINVAL);
	assert_int_equal(quiet_rules_for("GB", &too_long, &w), -EINVAL);
	assert_int_equal(quiet_rules_for("GB", &negative, &w), -EINVAL);
	assert_memory_equal(&w, &before, sizeof(w));
	assert_int_equal(quiet_rules_for(NULL, &op_default, &w), -EINVAL);
	assert_int_equal(quiet_rules_for("GB", NULL, &w), -EINVAL);
	assert_int_equal(quiet_rules_for("GB", &op_default, NULL), -EINVAL);

	week_for("GB", &w);
	assert_int_equal(quiet_next_open(NULL, &off, 1, 0), -EINVAL);
	assert_int_equal(quiet_next_open(&w, NULL, 1, 0), -EINVAL);
	assert_int_equal(quiet_next_open(&w, &off, 0, 0), -EINVAL);
	assert_int_equal(quiet_next_open(&w, &off, 1, -1), -EINVAL);
	assert_int_equal(quiet_next_open(&w, &off, 1, INT64_MAX), -EINVAL);
	off = 1440;
	assert_int_equal(quiet_next_open(&w, &off, 1, 0), -EINVAL);
	off = 0;
	w.day[2] = overnight;
	assert_int_equal(quiet_next_open(&w, &off, 1, 0), -EINVAL);
	/* the epoch itself is a valid now: Thursday 00:00 UTC waits for 08:00 */
	week_for("GB", &w);
	assert_int_equal(quiet_next_open(&w, &off, 1, 0), 8 * HOUR_MS);
}

/* Every minute of a week, one and two zones: the answer is open and nothing earlier is. */
static int is_open_slow(const struct quiet_week *w, int off, int64_t t)
{
	int64_t lm = t / MIN_MS + off;
	int64_t day = lm / 1440, minute = lm % 1440;
	struct quiet_window win = w->day[(day + 4) % 7];
	return minute >= win.start_min && minute < win.end_min;
}

static void exhaustive_week(void **state)
{
	struct quiet_week w;
	int zones[] = { -360, -300 };
	(void)state;
	week_for("US-TX", &w);
	int64_t start = local_ms(2026, 1, 4, 0, 0, 0);
	for (int64_t t = start; t < start + 7 * DAY_MS; t += 7 * MIN_MS) {
		int64_t got = quiet_next_open(&w, zones, 2, t);
		assert_true(got >= t);
		assert_true(is_open_slow(&w, zones[0], got) && is_open_slow(&w, zones[1], got));
		for (int64_t u = (t / MIN_MS + 1) * MIN_MS; u < got; u += MIN_MS)
			assert_false(is_open_slow(&w, zones[0], u) && is_open_slow(&w, zones[1], u));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calendar_helper),
		cmocka_unit_test(federal_edges),
		cmocka_unit_test(florida_evening),
		cmocka_unit_test(texas_sunday),
		cmocka_unit_test(closed_days),
		cmocka_unit_test(multi_zone),
		cmocka_unit_test(half_hour_zones),
		cmocka_unit_test(no_common_window),
		cmocka_unit_test(regions_and_operator),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(exhaustive_week),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
