/*
 * The retained stats payload (issue 7): store_stats' figures as JSON for
 * MQTT, and for `parley stats --json`. Pure: no clock, no I/O.
 */
#ifndef PARLEY_MQTT_STATS_H
#define PARLEY_MQTT_STATS_H

#include <stdint.h>

#include "parley/store_stats.h"

/*
 * {"since":"2026-11-21T15:00:00.000Z","at":"2026-11-22T15:00:00.000Z",
 *  "lines":[{"line":"+4477...","in":6,"out":6,"responses":3,
 *            "median_first_response_ms":10000,"unanswered":1,"customers":4,
 *            "opt_outs":1,"opt_out_rate":0.25}],
 *  "agents":[{"agent":"alice","replies":3,"responses":2,
 *             "median_first_response_ms":20000,"assigned":1,"waiting":1}],
 *  "lines_omitted":0,"agents_omitted":0}
 * since and at (now) are ms since the epoch, written as RFC 3339 UTC with
 * milliseconds (clamped to 1970..9999). A median or a rate that does not
 * exist (no responses, nobody written to: -1 in the struct) is null. Lines
 * and agents keep s's order; names that are not UTF-8 are mended (U+FFFD)
 * so the output is always valid JSON. Counts are written as integers.
 * Returns a string to free(), or NULL when s is NULL or memory ran out.
 */
char *mqtt_stats_json(const struct store_stats *s, int64_t since, int64_t now);

#endif
