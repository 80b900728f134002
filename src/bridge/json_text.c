/* Times and strings as the bridge's JSON payloads write them (json_text.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"
#include "parley/utf8.h"

#define MS_PER_DAY INT64_C(86400000)
#define MS_MAX INT64_C(253402300799999)   /* 9999-12-31T23:59:59.999Z, RFC 3339's last */

/*
 * Days to a civil date by the era arithmetic of H. Hinnant's
 * civil_from_days: exact for the proleptic Gregorian calendar, and free of
 * gmtime's time_t (32 bits on some embedded targets).
 */
void json_time(int64_t ms, char out[JSON_TIME_BUF])
{
	if (ms < 0)
		ms = 0;
	if (ms > MS_MAX)
		ms = MS_MAX;
	int64_t days = ms / MS_PER_DAY, in_day = ms % MS_PER_DAY;
	int64_t z = days + 719468;                    /* days since 0000-03-01 */
	int64_t era = z / 146097;                     /* 400-year eras (z >= 0 here) */
	int64_t doe = z - era * 146097;               /* day of era, 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  /* from March 1st */
	int64_t mp = (5 * doy + 2) / 153;             /* month from March, 0..11 */
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	snprintf(out, JSON_TIME_BUF, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, (int)m, (int)d,
		 (int)(in_day / 3600000), (int)(in_day / 60000 % 60), (int)(in_day / 1000 % 60),
		 (int)(in_day % 1000));
}

cJSON *json_string(const char *v)
{
	size_t len = strlen(v), o = 0;
	char *mended;
	cJSON *s;

	if (utf8_validate(v, len) == 0)
		return cJSON_CreateString(v);
	if (!(mended = malloc(len * 3 + 1)))   /* one byte can become three */
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t p = i;

		if (utf8_next(v, len, &p) < 0) {
			memcpy(mended + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(mended + o, v + i, p - i);
			o += p - i;
			i = p;
		}
	}
	mended[o] = '\0';
	s = cJSON_CreateString(mended);
	free(mended);
	return s;
}
