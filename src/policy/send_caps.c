/*
 * Frequency caps per recipient and category (send_caps.h): a sliding
 * window, decided from the count and the oldest send the store reports.
 */
#include <errno.h>

#include "parley/send_caps.h"

int64_t send_caps_next_allowed(unsigned max, int64_t window_ms, int64_t sent_in_window,
			       int64_t oldest_in_window_ms, int64_t now_ms)
{
	if (now_ms < 0 || sent_in_window < 0)
		return -EINVAL;
	if (max == 0)
		return now_ms;
	if (window_ms <= 0)
		return -EINVAL;
	if (sent_in_window < (int64_t)max)
		return now_ms;
	if (oldest_in_window_ms > INT64_MAX - window_ms)
		return -EINVAL;
	int64_t leaves = oldest_in_window_ms + window_ms;
	/* a count taken earlier may include a send that has already left */
	return leaves > now_ms ? leaves : now_ms;
}
