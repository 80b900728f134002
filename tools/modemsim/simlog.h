/*
 * The JSON-lines log (--log FILE): one object a line, each with "t" (the
 * monotonic clock in milliseconds, comparable with other processes' logs
 * on the same machine) and "ev" (what happened). Tests read it.
 */
#ifndef MODEMSIM_SIMLOG_H
#define MODEMSIM_SIMLOG_H

#include <stdio.h>

#include <cjson/cJSON.h>

struct simlog {
	FILE *f; /* NULL: logging off, every call is a no-op */
};

/* Opens (appends to) path. Returns 0 or a negative errno. */
int simlog_open(struct simlog *l, const char *path);
void simlog_close(struct simlog *l);

/*
 * Starts an event: an object holding "t" and "ev", for the caller to add
 * fields to before simlog_commit(). Returns NULL when logging is off (cJSON's
 * Add functions take NULL and do nothing) or memory ran out.
 */
cJSON *simlog_event(struct simlog *l, const char *ev);

/* Writes the event as one line and frees it. obj may be NULL. */
void simlog_commit(struct simlog *l, cJSON *obj);

/* An event with one string field: {"ev":ev,key:value}. */
void simlog_str(struct simlog *l, const char *ev, const char *key, const char *value);

#endif
