/*
 * Quiet hours: when a marketing text may reach a recipient, in the
 * recipient's local time. The US federal window is 08:00-21:00 (TCPA,
 * 47 CFR 64.1200(c)(1)); some states are stricter (quiet_rules.c holds them
 * as data, each with its statute); outside the US the operator's default
 * window applies. A number that may be in several time zones is sent to only
 * when the local time in every one of them is inside the window. A message
 * outside the window is held until it opens, never dropped: the answer here
 * is a time, not a refusal.
 *
 * Pure functions: no I/O, no clock reads, no allocation. Local times come in
 * as UTC offsets, which the caller finds for each zone (zone_clock.h).
 *
 * Not modelled: legal holidays (several states forbid them: Alabama,
 * Louisiana, Rhode Island, Pennsylvania...), which need a calendar per
 * state and year; states' emergency bans (Louisiana); exemptions for prior
 * consent or an established business relationship, which only ever widen a
 * window, so leaving them out errs on the side of waiting.
 */
#ifndef PARLEY_QUIET_HOURS_H
#define PARLEY_QUIET_HOURS_H

#include <stddef.h>
#include <stdint.h>

#define QUIET_MIN_PER_DAY 1440
/* How far quiet_next_open looks: a week repeats, so 8 days sees every case. */
#define QUIET_LOOKAHEAD_MS (8 * 86400000LL)

/*
 * An allowed window in local minutes of the day, [start_min, end_min):
 * 08:00-21:00 is { 480, 1260 }, so 20:59 is inside and 21:00 is not.
 * start_min == end_min is a day closed all day. Windows never cross
 * midnight: 0 <= start_min <= end_min <= 1440.
 */
struct quiet_window {
	int start_min;
	int end_min;
};

/* One window a weekday, day[0] Sunday to day[6] Saturday. */
struct quiet_week {
	struct quiet_window day[7];
};

/*
 * The week that applies to a region code from the numbering module ("US",
 * "US-FL", "CA-ON", "GB"; letters in either case):
 * - "US-xx": the intersection of the federal window and state xx's rules
 *   (federal alone for a state with no stricter rule);
 * - "US" or a US territory ("PR", "VI", "GU", "AS", "MP", with or without
 *   a subdivision): the federal window;
 * - anything else, including an empty region: the operator's window.
 * The operator's window (the same every day) always applies too: the result
 * is never wider than it, so an operator stricter than the law is obeyed.
 * Returns 0 and *out; -EINVAL when region, default_window or out is NULL,
 * or default_window is out of range or crosses midnight (start_min >
 * end_min: not supported, as no law needs it and every day would then
 * hold two windows). out is left untouched on error.
 */
int quiet_rules_for(const char *region, const struct quiet_window *default_window,
		    struct quiet_week *out);

/*
 * The statute behind a US state's rule, for logs and events ("Tex. Bus. &
 * Com. Code 301.051"): a static string, or NULL when region has no state
 * rule (federal or operator window only, or region is NULL).
 */
const char *quiet_rules_source(const char *region);

/* The intersection of two windows (an empty result is { 0, 0 }). */
struct quiet_window quiet_window_intersect(struct quiet_window a, struct quiet_window b);

/*
 * When a text may go: now_ms when, in each of the nzones zones, the local
 * minute containing now_ms is inside week's window for that local day;
 * otherwise the earliest later minute boundary (ms since the epoch) at which
 * that holds in every zone at once.
 *
 * utc_offset_min[i] is zone i's offset from UTC in minutes at now_ms (New
 * York in January: -300). Offsets are taken as constant over the look-ahead:
 * the caller must look the offsets up again at the returned time and call
 * again, holding once more if the answer moved. That catches a daylight-
 * saving change in between: after clocks go back the answer would be an hour
 * early and the re-check holds it; after clocks go forward it is up to an
 * hour later than needed, never earlier.
 *
 * Returns a time >= now_ms; -ERANGE when no minute in the next 8 days (and
 * so, the week repeating, none ever with these offsets) is open in every
 * zone: zones further apart than the window allows, or a week closed every
 * day; -EINVAL when week or utc_offset_min is NULL, nzones is 0, now_ms is
 * negative, an offset is not within (-1440, 1440), or a window of week is
 * out of range (see struct quiet_window).
 */
int64_t quiet_next_open(const struct quiet_week *week, const int *utc_offset_min, size_t nzones,
			int64_t now_ms);

#endif
