/*
 * What every JSON payload of the bridge writes the same way: times as RFC
 * 3339 UTC with milliseconds, and strings that are valid UTF-8 whatever the
 * daemon hands over. Internal to src/bridge/.
 */
#ifndef PARLEY_JSON_TEXT_H
#define PARLEY_JSON_TEXT_H

#include <stdint.h>

#include <cjson/cJSON.h>

/* "2026-11-22T14:05:00.123Z" takes 24; the rest quiets the compiler, which cannot see the clamp */
#define JSON_TIME_BUF 48

/* ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ", clamped to years 1970..9999. */
void json_time(int64_t ms, char out[JSON_TIME_BUF]);

/*
 * A cJSON string of v, with every byte that does not start valid UTF-8
 * replaced by U+FFFD (a modem's odd operator name must not break every
 * consumer's parser). NULL when out of memory.
 */
cJSON *json_string(const char *v);

#endif
