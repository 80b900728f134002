/*
 * Reading the fields of a control command: type-checked, with a sentence
 * naming the field when it is wrong. Absent optional fields leave *out as
 * it was, so callers set defaults first.
 */
#ifndef MODEMSIM_JSON_ARGS_H
#define MODEMSIM_JSON_ARGS_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/*
 * Each returns 0 (present and valid, or absent and optional) or -EINVAL
 * with *err set to a sentence that stays valid until the next call.
 */
int jarg_str(const cJSON *o, const char *key, bool required, const char **out, const char **err);
int jarg_uint(const cJSON *o, const char *key, bool required, unsigned long max, unsigned long *out,
	      const char **err);
int jarg_int(const cJSON *o, const char *key, bool required, long min, long max, long *out,
	     const char **err);
int jarg_bool(const cJSON *o, const char *key, bool *out, const char **err);

#endif
