/*
 * UTF-8 and UTF-16 helpers for the codec: strict decoding (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF) and encoding.
 * Pure functions, no allocation.
 */
#ifndef PARLEY_UTF8_H
#define PARLEY_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the code point at s[*pos], advancing *pos past it.
 * Returns the code point, or -EINVAL for a malformed sequence (then *pos is
 * left where it was).
 */
int32_t utf8_next(const char *s, size_t len, size_t *pos);

/* Bytes the code point takes in UTF-8 (1..4); 0 for a surrogate or above U+10FFFF. */
size_t utf8_width(uint32_t cp);

/*
 * Writes cp as UTF-8 at out[*pos], advancing *pos. Returns 0, -EMSGSIZE when
 * it does not fit, -EINVAL for a code point UTF-8 cannot carry.
 */
int utf8_put(char *out, size_t size, size_t *pos, uint32_t cp);

/* 0 when the whole text is valid UTF-8, else -EINVAL. */
int utf8_validate(const char *s, size_t len);

/* UTF-16 code units the code point takes: 2 above U+FFFF, else 1. */
static inline unsigned utf16_units(uint32_t cp) { return cp > 0xFFFF ? 2u : 1u; }

#endif
