/* The unanswered-customer alert as JSON (include/parley/mqtt_alert.h). */
#include <stdio.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_alert.h"

static void rfc3339(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char base[32];

	if (!gmtime_r(&t, &tm) || !strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm))
		base[0] = '\0';
	snprintf(out, size, "%s.%03dZ", base, (int)(ms % 1000));
}

char *mqtt_unanswered_json(const struct mqtt_unanswered *u)
{
	cJSON *o = cJSON_CreateObject();
	char since[40], at[40], *out = NULL;

	rfc3339(u->waiting_since, since, sizeof(since));
	rfc3339(u->at, at, sizeof(at));
	if (o && cJSON_AddStringToObject(o, "kind", "unanswered") &&
	    cJSON_AddNumberToObject(o, "conversation", (double)u->conversation_id) &&
	    cJSON_AddStringToObject(o, "line", u->line) &&
	    cJSON_AddStringToObject(o, "peer", u->peer) &&
	    (u->assignee ? cJSON_AddStringToObject(o, "assignee", u->assignee)
			 : cJSON_AddNullToObject(o, "assignee")) &&
	    cJSON_AddStringToObject(o, "waiting_since", since) &&
	    cJSON_AddNumberToObject(o, "waited_s", (double)((u->at - u->waiting_since) / 1000)) &&
	    cJSON_AddNumberToObject(o, "level", u->level) &&
	    cJSON_AddStringToObject(o, "at", at))
		out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}
