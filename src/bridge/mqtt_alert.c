/* The unanswered-customer alert as JSON (include/parley/mqtt_alert.h). */

#include <cjson/cJSON.h>

#include "parley/mqtt_alert.h"

#include "json_text.h"

char *mqtt_unanswered_json(const struct mqtt_unanswered *u)
{
	cJSON *o = cJSON_CreateObject();
	char since[JSON_TIME_BUF], at[JSON_TIME_BUF], *out = NULL;

	json_time(u->waiting_since, since);
	json_time(u->at, at);
	if (o && cJSON_AddStringToObject(o, "kind", "unanswered") &&
	    cJSON_AddNumberToObject(o, "conversation", (double)u->conversation_id) &&
	    cJSON_AddItemToObject(o, "line", json_string(u->line)) &&
	    cJSON_AddItemToObject(o, "peer", json_string(u->peer)) &&
	    (u->assignee ? cJSON_AddItemToObject(o, "assignee", json_string(u->assignee))
			 : cJSON_AddNullToObject(o, "assignee") != NULL) &&
	    cJSON_AddStringToObject(o, "waiting_since", since) &&
	    cJSON_AddNumberToObject(o, "waited_s", (double)((u->at - u->waiting_since) / 1000)) &&
	    cJSON_AddNumberToObject(o, "level", u->level) &&
	    cJSON_AddStringToObject(o, "at", at))
		out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}
