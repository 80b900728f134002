/* Strict UTF-8 (RFC 3629) decoding and encoding for the codec. */
#include <errno.h>

#include "parley/utf8.h"

int32_t utf8_next(const char *s, size_t len, size_t *pos)
{
	const unsigned char *p = (const unsigned char *)s + *pos;
	size_t avail = len - *pos;
	uint32_t cp, min;
	size_t n;

	if (avail == 0)
		return -EINVAL;
	if (p[0] < 0x80) {
		*pos += 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2, cp = p[0] & 0x1F, min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3, cp = p[0] & 0x0F, min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	} else {
		return -EINVAL;
	}
	if (avail < n)
		return -EINVAL;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -EINVAL;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -EINVAL;
	*pos += n;
	return (int32_t)cp;
}

size_t utf8_width(uint32_t cp)
{
	if (cp < 0x80)
		return 1;
	if (cp < 0x800)
		return 2;
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000)
		return 3;
	if (cp <= 0x10FFFF)
		return 4;
	return 0;
}

int utf8_put(char *out, size_t size, size_t *pos, uint32_t cp)
{
	size_t n = utf8_width(cp);
	unsigned char *p;

	if (n == 0)
		return -EINVAL;
	if (*pos > size || size - *pos < n)
		return -EMSGSIZE;
	p = (unsigned char *)out + *pos;
	switch (n) {
	case 1:
		p[0] = (unsigned char)cp;
		break;
	case 2:
		p[0] = (unsigned char)(0xC0 | cp >> 6);
		p[1] = (unsigned char)(0x80 | (cp & 0x3F));
		break;
	case 3:
		p[0] = (unsigned char)(0xE0 | cp >> 12);
		p[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		p[2] = (unsigned char)(0x80 | (cp & 0x3F));
		break;
	default:
		p[0] = (unsigned char)(0xF0 | cp >> 18);
		p[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		p[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		p[3] = (unsigned char)(0x80 | (cp & 0x3F));
		break;
	}
	*pos += n;
	return 0;
}

int utf8_validate(const char *s, size_t len)
{
	size_t pos = 0;
	while (pos < len)
		if (utf8_next(s, len, &pos) < 0)
			return -EINVAL;
	return 0;
}
