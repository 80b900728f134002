/* Consent records as shared between gateways (include/parley/mqtt_replica.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_replica.h"
#include "parley/utf8.h"

char *mqtt_replica_json(const struct mqtt_replica *r)
{
	cJSON *o = cJSON_CreateObject();
	char *out = NULL;

	if (o && cJSON_AddStringToObject(o, "origin", r->origin) &&
	    cJSON_AddNumberToObject(o, "origin_id", (double)r->origin_id) &&
	    cJSON_AddStringToObject(o, "number", r->number) &&
	    cJSON_AddStringToObject(o, "action", r->action) &&
	    cJSON_AddStringToObject(o, "scope", r->scope) &&
	    cJSON_AddStringToObject(o, "scope_name", r->scope_name) &&
	    cJSON_AddStringToObject(o, "category", r->category) &&
	    cJSON_AddStringToObject(o, "method", r->method) &&
	    cJSON_AddStringToObject(o, "disclosure", r->disclosure) &&
	    cJSON_AddStringToObject(o, "recorded_by", r->recorded_by) &&
	    cJSON_AddNumberToObject(o, "at", (double)r->at))
		out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}

/* Copies string field name of o into out; false when absent, not a string, too long or bad UTF-8. */
static bool field(const cJSON *o, const char *name, char *out, size_t size, bool may_be_empty)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	size_t len;

	if (!cJSON_IsString(v) || !v->valuestring)
		return false;
	len = strlen(v->valuestring);
	if (len >= size || (!len && !may_be_empty) || utf8_validate(v->valuestring, len) < 0)
		return false;
	memcpy(out, v->valuestring, len + 1);
	return true;
}

static bool number(const cJSON *o, const char *name, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	/* ms and ids fit a double exactly up to 2^53 */
	if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 9007199254740992.0)
		return false;
	*out = (int64_t)v->valuedouble;
	return (double)*out == v->valuedouble;
}

static bool one_of(const char *v, const char *a, const char *b, const char *c, const char *d)
{
	return !strcmp(v, a) || !strcmp(v, b) || (c && !strcmp(v, c)) || (d && !strcmp(v, d));
}

int mqtt_replica_parse(const char *payload, size_t len, struct mqtt_replica *out)
{
	cJSON *o = payload ? cJSON_ParseWithLength(payload, len) : NULL;
	bool ok;

	memset(out, 0, sizeof(*out));
	ok = cJSON_IsObject(o) &&
	     field(o, "origin", out->origin, sizeof(out->origin), false) &&
	     number(o, "origin_id", &out->origin_id) &&
	     field(o, "number", out->number, sizeof(out->number), false) &&
	     out->number[0] == '+' &&
	     field(o, "action", out->action, sizeof(out->action), false) &&
	     one_of(out->action, "grant", "revoke", NULL, NULL) &&
	     field(o, "scope", out->scope, sizeof(out->scope), false) &&
	     one_of(out->scope, "line", "group", "all", NULL) &&
	     field(o, "scope_name", out->scope_name, sizeof(out->scope_name), true) &&
	     field(o, "category", out->category, sizeof(out->category), false) &&
	     one_of(out->category, "all", "transactional", "conversational", "marketing") &&
	     field(o, "method", out->method, sizeof(out->method), false) &&
	     field(o, "disclosure", out->disclosure, sizeof(out->disclosure), true) &&
	     field(o, "recorded_by", out->recorded_by, sizeof(out->recorded_by), false) &&
	     number(o, "at", &out->at);
	cJSON_Delete(o);
	if (!ok)
		memset(out, 0, sizeof(*out));
	return ok ? 0 : -EINVAL;
}

/* A topic level from a value: '+' dropped (numbers), nothing else that MQTT forbids may stay. */
static bool level(const char *v, char *out, size_t size)
{
	size_t n = 0;

	for (; *v; v++) {
		if (*v == '+')
			continue;
		if (*v == '/' || *v == '#' || n + 1 >= size)
			return false;
		out[n++] = *v;
	}
	out[n] = '\0';
	return n > 0;
}

int mqtt_replica_topic(char *out, size_t size, const char *cluster, const struct mqtt_replica *r)
{
	char digits[24], name[64];
	int n;

	if (!level(r->number, digits, sizeof(digits)))
		return -EINVAL;
	if (!r->scope_name[0])
		strcpy(name, "_");
	else if (!level(r->scope_name, name, sizeof(name)))
		return -EINVAL;
	n = snprintf(out, size, "%s/consent/%s/%s/%s/%s", cluster, digits, r->scope, name,
		     r->category);
	return n < 0 || (size_t)n >= size ? -EMSGSIZE : n;
}
