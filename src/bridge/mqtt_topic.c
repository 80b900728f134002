/*
 * MQTT topic names for the bridge (MQTT 3.1.1 section 4.7, 5.0 section
 * 4.7): checking the operator's base topic once, and joining levels under
 * it. Names only; subscribing and publishing are the glue's business.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "parley/mqtt_payload.h"
#include "parley/utf8.h"

#define BASE_MAX 200

const char *mqtt_topic_base_problem(const char *base)
{
	if (!base || !*base)
		return "the base topic is empty";
	size_t len = strlen(base);
	if (len > BASE_MAX)
		return "the base topic is longer than 200 bytes";
	if (utf8_validate(base, len) != 0)
		return "the base topic is not valid UTF-8";
	if (strpbrk(base, "+#"))
		return "the base topic holds a wildcard ('+' or '#')";
	/* 4.7.2: brokers keep "$" topics for themselves ($SYS) */
	if (base[0] == '$')
		return "the base topic starts with '$', which brokers reserve";
	/* a leading '/' makes an empty first level, a classic cause of topics that never match */
	if (base[0] == '/')
		return "the base topic starts with '/'";
	if (base[len - 1] == '/')
		return "the base topic ends with '/'";
	if (strstr(base, "//"))
		return "the base topic has an empty level ('//')";
	return NULL;
}

/* Appends n bytes at out[*pos], keeping room for the NUL; false when they do not fit. */
static bool append(char *out, size_t size, size_t *pos, const char *p, size_t n)
{
	if (*pos >= size || size - *pos <= n)
		return false;
	memcpy(out + *pos, p, n);
	*pos += n;
	return true;
}

int mqtt_topic_join(char *out, size_t size, const char *base, ...)
{
	size_t pos = 0;
	bool fits;
	va_list ap;

	if (mqtt_topic_base_problem(base))
		return -EINVAL;
	fits = out && append(out, size, &pos, base, strlen(base));
	/* every part is checked even once out is full: -EINVAL is the caller's bug and wins */
	va_start(ap, base);
	for (const char *part = va_arg(ap, const char *); part; part = va_arg(ap, const char *)) {
		size_t n = strlen(part);
		if (n == 0 || strpbrk(part, "/+#") || utf8_validate(part, n) != 0) {
			va_end(ap);
			return -EINVAL;
		}
		fits = fits && append(out, size, &pos, "/", 1) && append(out, size, &pos, part, n);
	}
	va_end(ap);
	if (!fits)
		return -EMSGSIZE;
	out[pos] = '\0';
	return (int)pos;
}
