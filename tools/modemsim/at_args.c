/*
 * Splitting extended command parameters (ITU-T V.250 5.4.2). Commas inside
 * a string constant do not split; spaces around values are ignored, as
 * modems ignore them. No escapes: PDU mode never needs them.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "at_args.h"

static bool all_digits(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int value_finish(struct at_arg *a, size_t len)
{
	char *end;

	while (len > 0 && !a->quoted && a->str[len - 1] == ' ')
		len--;
	a->str[len] = '\0';
	a->present = a->quoted || len > 0;
	if (a->quoted || !all_digits(a->str))
		return 0;
	errno = 0;
	a->num = strtol(a->str, &end, 10);
	if (errno || *end)
		return -EINVAL;
	a->numeric = true;
	return 0;
}

int at_args_parse(const char *s, struct at_args *out)
{
	struct at_arg *a;
	size_t len;

	memset(out, 0, sizeof(*out));
	for (;;) {
		if (out->count == AT_ARGS_MAX)
			return -EINVAL;
		a = &out->v[out->count++];
		len = 0;
		while (*s == ' ')
			s++;
		if (*s == '"') {
			a->quoted = true;
			for (s++; *s && *s != '"'; s++) {
				if (len == AT_ARG_STR_MAX - 1)
					return -EINVAL;
				a->str[len++] = *s;
			}
			if (*s != '"')
				return -EINVAL;
			s++;
			while (*s == ' ')
				s++;
			if (*s && *s != ',')
				return -EINVAL;
		} else {
			for (; *s && *s != ','; s++) {
				if (len == AT_ARG_STR_MAX - 1)
					return -EINVAL;
				a->str[len++] = *s;
			}
		}
		if (value_finish(a, len) < 0)
			return -EINVAL;
		if (*s != ',')
			break;
		s++;
	}
	/* "AT+X=" has one empty value; report it as none. */
	if (out->count == 1 && !out->v[0].present)
		out->count = 0;
	return 0;
}

bool at_args_int(const struct at_args *a, unsigned i, long min, long max, long *v)
{
	if (i >= a->count || !a->v[i].present || !a->v[i].numeric)
		return false;
	if (a->v[i].num < min || a->v[i].num > max)
		return false;
	*v = a->v[i].num;
	return true;
}

const char *at_args_str(const struct at_args *a, unsigned i)
{
	if (i >= a->count || !a->v[i].present)
		return NULL;
	return a->v[i].str;
}
