/*
 * When the quiet hours of every zone a number may be in are over
 * (quiet_next_open). The rules themselves are data in quiet_rules.c.
 *
 * The search does not step minute by minute: a moment at which every zone
 * is open is reached when the last zone to open opens, so the only
 * candidates are the starts of each zone's windows over the look-ahead
 * (nzones x 9 days), each checked against every zone.
 */
#include <errno.h>
#include <stdbool.h>

#include "parley/quiet_hours.h"

#define MS_PER_MIN 60000LL
#define MIN_PER_DAY ((int64_t)QUIET_MIN_PER_DAY)
/* 1970-01-01 was a Thursday. */
#define EPOCH_WEEKDAY 4

struct quiet_window quiet_window_intersect(struct quiet_window a, struct quiet_window b)
{
	struct quiet_window w = {
		.start_min = a.start_min > b.start_min ? a.start_min : b.start_min,
		.end_min = a.end_min < b.end_min ? a.end_min : b.end_min,
	};
	if (w.start_min >= w.end_min)
		w = (struct quiet_window){ 0, 0 };
	return w;
}

/* Division rounding down, so times before a day's start stay in that day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int weekday_of(int64_t local_day)
{
	int64_t w = (local_day + EPOCH_WEEKDAY) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static bool window_valid(struct quiet_window w)
{
	return w.start_min >= 0 && w.start_min <= w.end_min && w.end_min <= QUIET_MIN_PER_DAY;
}

/* Whether the local minute containing t is inside the window in a zone. */
static bool open_at(const struct quiet_week *week, int offset_min, int64_t t_ms)
{
	int64_t local_min = floor_div(t_ms, MS_PER_MIN) + offset_min;
	int64_t day = floor_div(local_min, MIN_PER_DAY);
	int64_t minute = local_min - day * MIN_PER_DAY;
	struct quiet_window w = week->day[weekday_of(day)];
	return minute >= w.start_min && minute < w.end_min;
}

static bool all_open_at(const struct quiet_week *week, const int *offsets, size_t n, int64_t t_ms)
{
	for (size_t i = 0; i < n; i++)
		if (!open_at(week, offsets[i], t_ms))
			return false;
	return true;
}

int64_t quiet_next_open(const struct quiet_week *week, const int *utc_offset_min, size_t nzones,
			int64_t now_ms)
{
	if (!week || !utc_offset_min || nzones == 0 || now_ms < 0)
		return -EINVAL;
	for (int d = 0; d < 7; d++)
		if (!window_valid(week->day[d]))
			return -EINVAL;
	for (size_t i = 0; i < nzones; i++)
		if (utc_offset_min[i] <= -QUIET_MIN_PER_DAY || utc_offset_min[i] >= QUIET_MIN_PER_DAY)
			return -EINVAL;
	if (now_ms > INT64_MAX - QUIET_LOOKAHEAD_MS)
		return -EINVAL;

	if (all_open_at(week, utc_offset_min, nzones, now_ms))
		return now_ms;

	int64_t limit = now_ms + QUIET_LOOKAHEAD_MS;
	int64_t best = -1;
	for (size_t i = 0; i < nzones; i++) {
		int off = utc_offset_min[i];
		int64_t first_day = floor_div(floor_div(now_ms, MS_PER_MIN) + off, MIN_PER_DAY);
		/* today plus 8 more local days covers the whole look-ahead */
		for (int64_t day = first_day; day <= first_day + 8; day++) {
			struct quiet_window w = week->day[weekday_of(day)];
			if (w.start_min >= w.end_min)
				continue;
			int64_t t = (day * MIN_PER_DAY + w.start_min - off) * MS_PER_MIN;
			if (t <= now_ms || t > limit || (best >= 0 && t >= best))
				continue;
			if (all_open_at(week, utc_offset_min, nzones, t))
				best = t;
		}
	}
	return best >= 0 ? best : -ERANGE;
}
