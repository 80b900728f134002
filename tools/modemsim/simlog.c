/*
 * Writes the JSON-lines log. Each line is flushed at once, so a test can
 * read the file while the simulator runs. It decides nothing about what is
 * logged; the modules call it.
 */
#include <errno.h>
#include <stdio.h>

#include "clock.h"
#include "simlog.h"

int simlog_open(struct simlog *l, const char *path)
{
	l->f = fopen(path, "a");
	if (!l->f)
		return -errno;
	setvbuf(l->f, NULL, _IOLBF, 0);
	return 0;
}

void simlog_close(struct simlog *l)
{
	if (l->f)
		fclose(l->f);
	l->f = NULL;
}

cJSON *simlog_event(struct simlog *l, const char *ev)
{
	cJSON *obj;

	if (!l->f)
		return NULL;
	obj = cJSON_CreateObject();
	if (!obj)
		return NULL;
	cJSON_AddNumberToObject(obj, "t", (double)(clock_now_ns() / NS_PER_MS));
	cJSON_AddStringToObject(obj, "ev", ev);
	return obj;
}

void simlog_commit(struct simlog *l, cJSON *obj)
{
	char *line;

	if (!obj)
		return;
	line = l->f ? cJSON_PrintUnformatted(obj) : NULL;
	cJSON_Delete(obj);
	if (!line)
		return;
	fprintf(l->f, "%s\n", line);
	cJSON_free(line);
}

void simlog_str(struct simlog *l, const char *ev, const char *key, const char *value)
{
	cJSON *obj = simlog_event(l, ev);

	cJSON_AddStringToObject(obj, key, value);
	simlog_commit(l, obj);
}
