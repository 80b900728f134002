/*
 * Template rendering (template.h). One pass over the template: syntax is
 * checked throughout, the first missing value remembered, and output that
 * does not fit still counted, so the error reported does not depend on
 * the size of the caller's buffer.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parley/template.h"

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool template_name_ok(const char *name, size_t len)
{
	if (!name || len == 0 || len > TEMPLATE_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!name_char(name[i]))
			return false;
	return true;
}

__attribute__((format(printf, 3, 4)))
static void say(char *missing, size_t missing_size, const char *fmt, ...)
{
	if (!missing || missing_size == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(missing, missing_size, fmt, ap);
	va_end(ap);
}

static const char *lookup(const struct template_var *vars, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (vars[i].name && strlen(vars[i].name) == len && memcmp(vars[i].name, name, len) == 0)
			return vars[i].value; /* the first wins, even when its value is NULL */
	return NULL;
}

struct sink {
	char *out;
	size_t size, len; /* len counts everything, including what did not fit */
};

static void put(struct sink *s, const char *p, size_t n)
{
	if (s->len < s->size && s->size - s->len > n)
		memcpy(s->out + s->len, p, n);
	else if (s->len < s->size)
		s->size = s->len; /* nothing more is copied once something did not fit */
	s->len += n;
}

int template_render(const char *tmpl, const struct template_var *vars, size_t n, char *out,
		    size_t size, char *missing, size_t missing_size)
{
	struct sink s = { .out = out, .size = out ? size : 0, .len = 0 };
	const char *first_missing = NULL;
	size_t first_missing_len = 0;
	int rc;

	if (out && size)
		out[0] = '\0';
	if (missing && missing_size)
		missing[0] = '\0';
	if (!tmpl) {
		say(missing, missing_size, "no template");
		return -EINVAL;
	}
	if (!vars)
		n = 0;
	for (size_t i = 0; tmpl[i];) {
		if (tmpl[i] == '{' && tmpl[i + 1] == '{') {
			put(&s, "{", 1);
			i += 2;
		} else if (tmpl[i] == '}' && tmpl[i + 1] == '}') {
			put(&s, "}", 1);
			i += 2;
		} else if (tmpl[i] == '}') {
			say(missing, missing_size, "lone '}' at byte %zu (write '}}' for a brace)", i);
			rc = -EINVAL;
			goto fail;
		} else if (tmpl[i] == '{') {
			size_t start = i + 1, end = start;
			while (tmpl[end] && tmpl[end] != '}' && tmpl[end] != '{')
				end++;
			if (tmpl[end] != '}') {
				say(missing, missing_size, "'{' at byte %zu is not closed", i);
				rc = -EINVAL;
				goto fail;
			}
			if (!template_name_ok(tmpl + start, end - start)) {
				say(missing, missing_size,
				    "bad placeholder name at byte %zu (1 to %d of A-Z a-z 0-9 _)", i,
				    TEMPLATE_NAME_MAX);
				rc = -EINVAL;
				goto fail;
			}
			const char *v = lookup(vars, n, tmpl + start, end - start);
			if (v)
				put(&s, v, strlen(v));
			else if (!first_missing) {
				first_missing = tmpl + start;
				first_missing_len = end - start;
			}
			i = end + 1;
		} else {
			size_t run = strcspn(tmpl + i, "{}");
			put(&s, tmpl + i, run);
			i += run;
		}
	}
	if (first_missing) {
		say(missing, missing_size, "%.*s", (int)first_missing_len, first_missing);
		rc = -ENOENT;
		goto fail;
	}
	if (s.len >= s.size || s.len > INT_MAX) {
		rc = -EMSGSIZE;
		goto fail;
	}
	out[s.len] = '\0';
	return (int)s.len;

fail:
	if (out && size)
		out[0] = '\0';
	return rc;
}
