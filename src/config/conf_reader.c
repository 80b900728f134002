/*
 * Walks a libconfig group against a table of known keys and reads each
 * value with its type and range checked. Every error it finds becomes one
 * line "FILE:LINE: KEY: what is wrong" and the walk stops there: a person
 * fixes one thing at a time, and the first is the one that is certain.
 *
 * libconfig 1.5 (Debian 12) quietly wraps a decimal integer beyond
 * 2147483647 into an int unless it carries an L suffix; such a value
 * arrives here already wrong, usually negative, and fails its range check.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf_reader.h"

/* Writes s's path into buf; returns its length, which may exceed size (buf then holds it cut). */
static size_t path_put(const config_setting_t *s, char *buf, size_t size)
{
	const config_setting_t *parent = config_setting_parent(s);
	const char *name = config_setting_name(s);
	size_t n;
	int w;

	if (!parent)
		return 0;
	n = path_put(parent, buf, size);
	if (n >= size)
		return n;
	if (name)
		w = snprintf(buf + n, size - n, "%s%s", n ? "." : "", name);
	else
		w = snprintf(buf + n, size - n, "%s[%d]", n ? "." : "", config_setting_index(s));
	return w < 0 ? size : n + (size_t)w;
}

const char *conf_file_name(const struct conf_reader *r, const char *file, char *buf, size_t size)
{
	/* a setting from the main file has no file of its own: config_read() was given a stream */
	if (!file)
		return r->name;
	if (file[0] == '/' || !r->dir)
		return file;
	snprintf(buf, size, "%s/%s", r->dir, file);
	return buf;
}

int conf_error(struct conf_reader *r, const config_setting_t *s, const char *suffix,
	       const char *fmt, ...)
{
	const char *file;
	char file_buf[512];
	unsigned line = config_setting_source_line(s);
	char key[128] = "";
	char what[256];
	size_t n;
	va_list ap;

	if (!r->err || !r->err_size)
		return -EINVAL;
	n = path_put(s, key, sizeof(key));
	if (suffix && n < sizeof(key))
		snprintf(key + n, sizeof(key) - n, "%s%s", n ? "." : "", suffix);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	file = conf_file_name(r, config_setting_source_file(s), file_buf, sizeof(file_buf));
	if (line)
		snprintf(r->err, r->err_size, "%s:%u: %s: %s", file, line, key, what);
	else
		snprintf(r->err, r->err_size, "%s: %s: %s", file, key, what);
	return -EINVAL;
}

const char *conf_type_words(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return "a group { ... }";
	case CONFIG_TYPE_LIST:
		return "a list ( ... )";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ... ]";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a float";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "true or false";
	}
	return "nothing";
}

int conf_get_integer(struct conf_reader *r, const config_setting_t *s, long long *v)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*v = config_setting_get_int(s);
		return 0;
	case CONFIG_TYPE_INT64:
		*v = config_setting_get_int64(s);
		return 0;
	}
	/* a float is refused rather than rounded: 2.5 retries means a typo */
	return conf_error(r, s, NULL, "expected an integer, got %s", conf_type_words(s));
}

int conf_get_string(struct conf_reader *r, const config_setting_t *s, const char **v)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_error(r, s, NULL, "expected a string, got %s", conf_type_words(s));
	*v = config_setting_get_string(s);
	return 0;
}

int conf_read_uint(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		   void *base)
{
	long long v = 0;
	int ret = conf_get_integer(r, s, &v);

	if (ret)
		return ret;
	if (v < k->min || v > k->max)
		return conf_error(r, s, NULL, "must be %lld to %lld, got %lld", k->min, k->max, v);
	*(unsigned *)((char *)base + k->offset) = (unsigned)v;
	return 0;
}

int conf_read_bool(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		   void *base)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return conf_error(r, s, NULL, "expected true or false, got %s", conf_type_words(s));
	*(bool *)((char *)base + k->offset) = config_setting_get_bool(s) != 0;
	return 0;
}

/* The value for an error line: control bytes escaped, long ones cut. */
static void quote(char *out, size_t size, const char *v)
{
	size_t n = 0;

	for (; *v && n + 5 < size; v++) {
		unsigned char ch = (unsigned char)*v;

		if (n >= 40) {
			snprintf(out + n, size - n, "...");
			return;
		}
		if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", ch);
		else
			out[n++] = (char)ch;
	}
	out[n] = '\0';
}

int conf_read_string(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		     void *base)
{
	char *dst = (char *)base + k->offset;
	size_t max_len = k->max_len ? k->max_len : k->size - 1;
	const char *v = NULL, *wrong;
	size_t len;
	int ret = conf_get_string(r, s, &v);

	if (ret)
		return ret;
	len = strlen(v);
	if (!len && !k->allow_empty)
		return conf_error(r, s, NULL, "must not be empty");
	if (len && k->check && (wrong = k->check(v))) {
		char shown[64];

		/* a PIN is a secret: the journal must not learn it from a typo */
		if (!k->quote)
			return conf_error(r, s, NULL, "must be %s", wrong);
		quote(shown, sizeof(shown), v);
		return conf_error(r, s, NULL, "\"%s\" is not %s", shown, wrong);
	}
	if (len > max_len)
		return conf_error(r, s, NULL, "longer than %zu characters", max_len);
	memcpy(dst, v, len + 1);
	return 0;
}

int conf_read_group(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		    void *base)
{
	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return conf_error(r, s, NULL, "expected a group { ... }, got %s",
				  conf_type_words(s));
	return conf_read_members(r, s, k->keys, base);
}

int conf_read_unsupported(struct conf_reader *r, const config_setting_t *s,
			  const struct conf_key *k, void *base)
{
	(void)base;
	return conf_error(r, s, NULL, "%s", k->why);
}

int conf_read_members(struct conf_reader *r, const config_setting_t *group,
		      const struct conf_key *keys, void *base)
{
	int n = config_setting_length(group);

	for (int i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(m);
		const struct conf_key *k = keys;
		int ret;

		while (k->name && (!name || strcmp(k->name, name) != 0))
			k++;
		if (!k->name)
			return conf_error(r, m, NULL, "unknown setting");
		ret = k->read(r, m, k, base);
		if (ret)
			return ret;
	}
	return 0;
}
