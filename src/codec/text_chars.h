/*
 * Internal to the codec: walks a UTF-8 text one code point at a time, and
 * with smart encoding on, yields each look-alike's replacement instead of
 * the character itself. The planner and the encoder walk texts the same way
 * through this, so their segment counts always agree.
 */
#ifndef PARLEY_TEXT_CHARS_H
#define PARLEY_TEXT_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/sms_submit.h"
#include "parley/utf8.h"

struct text_chars {
	const char *s;
	size_t len, pos;
	bool smart;
	bool replaced;        /* a look-alike was replaced so far */
	uint32_t pending[3];
	unsigned npending, next;
};

static inline void text_chars_init(struct text_chars *c, const char *s, size_t len, bool smart)
{
	c->s = s;
	c->len = len;
	c->pos = 0;
	c->smart = smart;
	c->replaced = false;
	c->npending = c->next = 0;
}

/* 1 with *cp set, 0 at the end, -EINVAL on malformed UTF-8. */
static inline int text_chars_next(struct text_chars *c, uint32_t *cp)
{
	int32_t v;

	if (c->next < c->npending) {
		*cp = c->pending[c->next++];
		return 1;
	}
	if (c->pos >= c->len)
		return 0;
	if ((unsigned char)c->s[c->pos] < 0x80) {
		*cp = (unsigned char)c->s[c->pos++];
		return 1;
	}
	v = utf8_next(c->s, c->len, &c->pos);
	if (v < 0)
		return (int)v;
	if (c->smart) {
		int n = sms_smart_replace((uint32_t)v, c->pending);
		if (n > 0) {
			c->replaced = true;
			c->npending = (unsigned)n;
			c->next = 1;
			*cp = c->pending[0];
			return 1;
		}
	}
	*cp = (uint32_t)v;
	return 1;
}

#endif
