/*
 * The UTC offset of an IANA time zone ("America/Chicago") at an instant,
 * read from the system's tz database, so that policy (quiet_hours.h) can
 * stay pure and take offsets as numbers.
 *
 * It works by pointing TZ at the zone, asking localtime_r, and putting TZ
 * back: the process environment is shared, so this is for the daemon's one
 * thread only (parleyd has no other), and no other code may read TZ or the
 * local time concurrently.
 */
#ifndef PARLEY_ZONE_CLOCK_H
#define PARLEY_ZONE_CLOCK_H

#include <stdint.h>

/* Longest zone name taken; the longest in tzdata is about 32 characters. */
#define ZONE_CLOCK_NAME_MAX 128

/*
 * The offset from UTC in minutes (east positive: Kolkata 330, New York -300
 * in winter) in force in zone at utc_ms, ms since the epoch. Historic
 * offsets that are not whole minutes (local mean time) are truncated toward
 * zero. TZ and the C library's idea of local time are as they were after the
 * call, whatever it returns.
 *
 * The zone must be a file of the tz database under $TZDIR, or
 * /usr/share/zoneinfo when TZDIR is unset or empty, holding TZif data:
 * glibc given an unknown name silently uses UTC, so the file is checked
 * first.
 *
 * Returns 0 and *offset_min; -ENOENT when there is no readable TZif file of
 * that name (an unknown zone, or a non-zone file such as "zone.tab");
 * -EINVAL when zone or offset_min is NULL, zone is empty, longer than
 * ZONE_CLOCK_NAME_MAX, starts with '/', contains "..", or has a character
 * outside letters, digits and "/_+-", or when utc_ms does not fit the
 * system's time_t; -ENOMEM when the environment cannot be changed.
 * *offset_min is untouched on error.
 */
int zone_clock_offset(const char *zone, int64_t utc_ms, int *offset_min);

#endif
