/*
 * The simulator's one clock: CLOCK_MONOTONIC in nanoseconds, so timers,
 * line pacing and the log share a time base that never jumps.
 */
#ifndef MODEMSIM_CLOCK_H
#define MODEMSIM_CLOCK_H

#include <stdint.h>

#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define CLOCK_NEVER UINT64_MAX

/* Nanoseconds since an arbitrary point (boot on Linux). */
uint64_t clock_now_ns(void);

/* now + ms, for deadlines. */
uint64_t clock_after_ms(uint64_t now, uint64_t ms);

#endif
