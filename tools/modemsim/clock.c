/*
 * CLOCK_MONOTONIC, read in one place. Only here because every module needs
 * the same "now"; it does nothing else.
 */
#include <time.h>

#include "clock.h"

uint64_t clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t clock_after_ms(uint64_t now, uint64_t ms)
{
	return now + ms * NS_PER_MS;
}
