/*
 * zone_clock_offset per call: one zone over and over, and four zones in
 * turn (a number spanning US zones), with TZ unset (as under systemd) and
 * set. Every call reads the zone file and the caller's zone again, so the
 * cost is glibc's tzset from a warm page cache.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "parley/zone_clock.h"

#define BENCH_MIN_NS 200000000ull /* 0.2 s per case */

static volatile int sink;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void run(const char *label, const char *const *zones, size_t n)
{
	uint64_t start = now_ns(), calls = 0, elapsed;
	int64_t t = 1768478400000LL;
	do {
		for (int i = 0; i < 100; i++, calls++) {
			int off;
			if (zone_clock_offset(zones[calls % n], t + (int64_t)calls * 1000, &off) != 0) {
				fprintf(stderr, "bench_zone_clock: %s failed\n", zones[calls % n]);
				exit(1);
			}
			sink = off;
		}
		elapsed = now_ns() - start;
	} while (elapsed < BENCH_MIN_NS);
	printf("zone_clock_offset %-40s %8.2f us/call\n", label, (double)elapsed / (double)calls / 1000.0);
}

int main(void)
{
	static const char *const one[] = { "America/New_York" };
	static const char *const four[] = { "America/New_York", "America/Chicago", "America/Denver",
					    "America/Los_Angeles" };
	unsetenv("TZ");
	run("one zone, TZ unset", one, 1);
	run("four zones in turn, TZ unset", four, 4);
	setenv("TZ", ":Europe/London", 1);
	run("one zone, TZ=:Europe/London", one, 1);
	run("four zones in turn, TZ=:Europe/London", four, 4);
	return 0;
}
