/*
 * Field access for control commands. The error sentence lives in one
 * static buffer: the simulator is single-threaded and answers one command
 * before reading the next.
 */
#include <errno.h>
#include <stdio.h>

#include "json_args.h"

static char message[160];

static int fail(const char **err, const char *key, const char *what)
{
	snprintf(message, sizeof(message), "\"%s\" %s", key, what);
	*err = message;
	return -EINVAL;
}

int jarg_str(const cJSON *o, const char *key, bool required, const char **out, const char **err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v || cJSON_IsNull(v))
		return required ? fail(err, key, "is required") : 0;
	if (!cJSON_IsString(v))
		return fail(err, key, "must be a string");
	*out = v->valuestring;
	return 0;
}

int jarg_int(const cJSON *o, const char *key, bool required, long min, long max, long *out,
	     const char **err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	double d;

	if (!v || cJSON_IsNull(v))
		return required ? fail(err, key, "is required") : 0;
	if (!cJSON_IsNumber(v))
		return fail(err, key, "must be a number");
	d = v->valuedouble;
	if (!(d >= (double)min && d <= (double)max) || d != (double)(long)d) {
		snprintf(message, sizeof(message), "\"%s\" must be a whole number from %ld to %ld",
			 key, min, max);
		*err = message;
		return -EINVAL;
	}
	*out = (long)d;
	return 0;
}

int jarg_uint(const cJSON *o, const char *key, bool required, unsigned long max, unsigned long *out,
	      const char **err)
{
	long v = (long)*out;
	int rc = jarg_int(o, key, required, 0, (long)max, &v, err);

	if (rc == 0)
		*out = (unsigned long)v;
	return rc;
}

int jarg_bool(const cJSON *o, const char *key, bool *out, const char **err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return fail(err, key, "must be true or false");
	*out = cJSON_IsTrue(v);
	return 0;
}
