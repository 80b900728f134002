/*
 * Zone offsets from the system tz database: standard and daylight time,
 * half-hour zones and Lord Howe's half-hour daylight shift, the instant of a
 * change, unknown and malicious names, and TZ put back after every call.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parley/zone_clock.h"

/* 2026-01-15 12:00 UTC and 2026-07-15 12:00 UTC */
#define JAN_2026 1768478400000LL
#define JUL_2026 1784116800000LL
/* 2026-03-08 07:00 UTC: 02:00 EST, when New York moves to EDT */
#define NY_DST_2026 1772953200000LL

static int offset(const char *zone, int64_t ms)
{
	int off = 12345;
	int rc = zone_clock_offset(zone, ms, &off);
	if (rc != 0)
		fprintf(stderr, "%s: %d\n", zone, rc);
	assert_int_equal(rc, 0);
	return off;
}

static void known_zones(void **state)
{
	(void)state;
	assert_int_equal(offset("Europe/London", JAN_2026), 0);
	assert_int_equal(offset("Europe/London", JUL_2026), 60);
	assert_int_equal(offset("America/New_York", JAN_2026), -300);
	assert_int_equal(offset("America/New_York", JUL_2026), -240);
	assert_int_equal(offset("America/Chicago", JAN_2026), -360);
	assert_int_equal(offset("Asia/Kolkata", JAN_2026), 330);
	assert_int_equal(offset("Asia/Kolkata", JUL_2026), 330);
	assert_int_equal(offset("Asia/Kathmandu", JAN_2026), 345);
	/* Lord Howe: +10:30, and +11:00 in the southern summer */
	assert_int_equal(offset("Australia/Lord_Howe", JAN_2026), 660);
	assert_int_equal(offset("Australia/Lord_Howe", JUL_2026), 630);
	assert_int_equal(offset("UTC", JUL_2026), 0);
	/* west of UTC across the date line from it */
	assert_int_equal(offset("Pacific/Honolulu", JAN_2026 + 11 * 3600000LL), -600);
	assert_int_equal(offset("Pacific/Kiritimati", JAN_2026 + 11 * 3600000LL), 840);
}

static void at_the_change(void **state)
{
	(void)state;
	assert_int_equal(offset("America/New_York", NY_DST_2026 - 1), -300);
	assert_int_equal(offset("America/New_York", NY_DST_2026), -240);
	/* a millisecond before the epoch: the UK kept summer time all year, 1968-71 */
	assert_int_equal(offset("Europe/London", -1), 60);
}

static void unknown_and_bad_names(void **state)
{
	int off = 7;
	static const char *const unknown[] = {
		/* a directory, a data file that is not TZif, case that does not match */
		"Nowhere/City", "Europe/Atlantis", "Europe", "leapseconds", "europe/london", "Europe/London/",
	};
	static const char *const bad[] = {
		"../etc/passwd", "/etc/localtime", "Europe/../Europe/London", "", "Europe/London ",
		"EST5EDT,M3.2.0,M11.1.0", "<+03>-3", "Europe\\London", "zone.tab",
	};
	char longname[ZONE_CLOCK_NAME_MAX + 2];
	(void)state;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		int rc = zone_clock_offset(unknown[i], JAN_2026, &off);
		if (rc != -ENOENT)
			fprintf(stderr, "'%s': %d\n", unknown[i], rc);
		assert_int_equal(rc, -ENOENT);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = zone_clock_offset(bad[i], JAN_2026, &off);
		if (rc != -EINVAL)
			fprintf(stderr, "'%s': %d\n", bad[i], rc);
		assert_int_equal(rc, -EINVAL);
	}
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(zone_clock_offset(longname, JAN_2026, &off), -EINVAL);
	assert_int_equal(zone_clock_offset(NULL, JAN_2026, &off), -EINVAL);
	assert_int_equal(zone_clock_offset("Europe/London", JAN_2026, NULL), -EINVAL);
	assert_int_equal(off, 7);
}

/*
 * After January 2038, when a 32-bit time_t (32-bit ARM) has run out: the
 * build asks for a 64-bit one (_TIME_BITS=64), so quiet hours keep working.
 */
static void after_2038(void **state)
{
	const int64_t jan_2040 = 2210241600000LL, jul_2040 = 2225966400000LL;
	(void)state;
	assert_int_equal(offset("Europe/London", jan_2040), 0);
	assert_int_equal(offset("Europe/London", jul_2040), 60);
	assert_int_equal(offset("America/New_York", jul_2040), -240);
	assert_int_equal(offset("Australia/Lord_Howe", jan_2040), 660);
}

/* TZDIR, when set, is where zones are looked for (as glibc does). */
static void tzdir_followed(void **state)
{
	char dir[] = "/tmp/parley-tzdir-XXXXXX";
	int off;
	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(setenv("TZDIR", dir, 1), 0);
	assert_int_equal(zone_clock_offset("Europe/London", JAN_2026, &off), -ENOENT);
	assert_int_equal(setenv("TZDIR", "", 1), 0); /* empty: the default directory */
	assert_int_equal(zone_clock_offset("Europe/London", JUL_2026, &off), 0);
	assert_int_equal(off, 60);
	assert_int_equal(unsetenv("TZDIR"), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void tz_restored(void **state)
{
	int off;
	struct tm tm;
	time_t t = (time_t)(JAN_2026 / 1000);
	(void)state;
	/* a TZ the caller set is back, and local time follows it again */
	assert_int_equal(setenv("TZ", "Asia/Tokyo", 1), 0);
	tzset();
	assert_int_equal(zone_clock_offset("America/New_York", JAN_2026, &off), 0);
	assert_int_equal(off, -300);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	assert_non_null(localtime_r(&t, &tm));
	assert_int_equal(tm.tm_hour, 21); /* 12:00 UTC is 21:00 in Tokyo */
	/* also after a failure */
	assert_int_equal(zone_clock_offset("Nowhere/City", JAN_2026, &off), -ENOENT);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	/* an unset TZ stays unset */
	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
	assert_int_equal(zone_clock_offset("Asia/Kolkata", JAN_2026, &off), 0);
	assert_null(getenv("TZ"));
	/* a POSIX rule string survives too */
	assert_int_equal(setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1), 0);
	tzset();
	assert_int_equal(zone_clock_offset("Europe/London", JUL_2026, &off), 0);
	assert_string_equal(getenv("TZ"), "EST5EDT,M3.2.0,M11.1.0");
	assert_non_null(localtime_r(&t, &tm));
	assert_int_equal(tm.tm_hour, 7);
	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_zones),
		cmocka_unit_test(at_the_change),
		cmocka_unit_test(after_2038),
		cmocka_unit_test(unknown_and_bad_names),
		cmocka_unit_test(tzdir_followed),
		cmocka_unit_test(tz_restored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
