/*
 * Frequency caps: at most max texts to one recipient in one category within
 * a sliding window (for example 3 marketing texts in 24 hours, the limit
 * Florida, Oklahoma and Maryland set for solicitations on one subject). The
 * store counts the sends; this decides when the next one may go, so a
 * capped message is held until then, not dropped.
 *
 * Pure: no I/O, no clock reads, no allocation.
 */
#ifndef PARLEY_SEND_CAPS_H
#define PARLEY_SEND_CAPS_H

#include <stdint.h>

#define SEND_CAPS_DAY_MS (24 * 3600 * 1000LL)

/*
 * When another send is allowed. A send at time s counts while
 * s > now_ms - window_ms, and stops counting at s + window_ms exactly.
 * sent_in_window is how many sends count at now_ms, and oldest_in_window_ms
 * the time of the oldest of them (ignored when sent_in_window is 0).
 *
 * Returns now_ms when max is 0 (no cap) or sent_in_window < max; otherwise
 * oldest_in_window_ms + window_ms (or now_ms if the counts are stale and that
 * has passed). With more than max sends in the window (the cap lowered since)
 * that is only when the oldest leaves, not when enough have: the caller
 * counts again then, as it must anyway.
 * Returns -EINVAL when max > 0 and window_ms <= 0, sent_in_window or now_ms
 * is negative, or oldest_in_window_ms + window_ms overflows.
 */
int64_t send_caps_next_allowed(unsigned max, int64_t window_ms, int64_t sent_in_window,
			       int64_t oldest_in_window_ms, int64_t now_ms);

#endif
