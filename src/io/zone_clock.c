/*
 * UTC offsets of IANA zones from the system tz database (zone_clock.h).
 * The zone file is checked for TZif data before TZ is pointed at it,
 * because glibc falls back to UTC for a name it cannot load and says
 * nothing. The offset is worked out from localtime_r against gmtime_r, so
 * no tm_gmtoff (not in POSIX 2008) is needed.
 *
 * Nothing is cached. A call costs about 17 us (bench/bench_zone_clock.c:
 * glibc loads the zone file, then the caller's zone again on the way back),
 * a few zones per message at a modem's few dozen messages a second. A
 * correct cache would need each zone's next transition, which means
 * parsing TZif here; a cache keyed on the zone alone would be wrong for an
 * hour after every daylight-saving change.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parley/zone_clock.h"

#define DEFAULT_TZDIR "/usr/share/zoneinfo"
#define ZONE_PATH_MAX 4096

static bool name_ok(const char *zone)
{
	size_t n = strlen(zone);
	if (n == 0 || n > ZONE_CLOCK_NAME_MAX || zone[0] == '/' || strstr(zone, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = zone[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  c == '/' || c == '_' || c == '+' || c == '-';
		if (!ok)
			return false;
	}
	return true;
}

/* 0 when dir/zone is a regular file starting with the TZif magic, else -ENOENT. */
static int zone_file_ok(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[ZONE_PATH_MAX];
	if (!dir || !*dir)
		dir = DEFAULT_TZDIR;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, zone);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENOENT;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -ENOENT;
	struct stat st;
	char magic[4];
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		  read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
		  memcmp(magic, "TZif", sizeof(magic)) == 0;
	close(fd);
	return ok ? 0 : -ENOENT;
}

/* Seconds local is ahead of utc; the two dates differ by a day at most. */
static long tm_diff_sec(const struct tm *local, const struct tm *utc)
{
	long days;
	if (local->tm_year != utc->tm_year)
		days = local->tm_year > utc->tm_year ? 1 : -1;
	else
		days = local->tm_yday - utc->tm_yday;
	return ((days * 24 + (local->tm_hour - utc->tm_hour)) * 60 + (local->tm_min - utc->tm_min)) * 60 +
	       (local->tm_sec - utc->tm_sec);
}

/* Puts TZ back as saved (NULL: unset) and lets the C library see it. */
static void restore_tz(const char *saved)
{
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
}

int zone_clock_offset(const char *zone, int64_t utc_ms, int *offset_min)
{
	if (!zone || !offset_min || !name_ok(zone))
		return -EINVAL;
	int64_t sec = utc_ms / 1000 - (utc_ms % 1000 < 0 ? 1 : 0);
	time_t t = (time_t)sec;
	if ((int64_t)t != sec)
		return -EINVAL;
	int rc = zone_file_ok(zone);
	if (rc < 0)
		return rc;

	/* setenv may free the string getenv returned: keep a copy to put back */
	const char *old = getenv("TZ");
	char *saved = NULL;
	if (old && !(saved = strdup(old)))
		return -ENOMEM;
	/* the leading ':' asks for a file, never a POSIX TZ rule string */
	char spec[ZONE_CLOCK_NAME_MAX + 2] = ":";
	memcpy(spec + 1, zone, strlen(zone) + 1);
	if (setenv("TZ", spec, 1) != 0) {
		free(saved);
		return -ENOMEM;
	}
	tzset();
	struct tm local, utc;
	bool ok = localtime_r(&t, &local) && gmtime_r(&t, &utc);
	restore_tz(saved);
	free(saved);
	if (!ok)
		return -EINVAL;
	*offset_min = (int)(tm_diff_sec(&local, &utc) / 60);
	return 0;
}
