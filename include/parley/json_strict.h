/*
 * A strict reading of JSON text (RFC 8259) before it is handed to cJSON.
 *
 * cJSON is lenient where a gateway must not be: it accepts "01" and raw
 * control characters, ignores what follows the value, passes invalid UTF-8
 * through, and cuts a string at "\u0000" without saying so. The scan
 * refuses what RFC 8259's grammar refuses, limits nesting and the length of
 * a number, and gives every string (in document order, keys included) a
 * verdict, so the caller can name the field at fault once cJSON has built
 * the tree: cJSON lists the same strings in the same order.
 *
 * What the scan does not judge: duplicate names (RFC 8259 leaves them to
 * the reader; the command parser refuses them where they matter), what the
 * values mean, or sizes beyond the nesting and number limits below.
 * Pure: no I/O; the only allocation is the verdict list.
 */
#ifndef PARLEY_JSON_STRICT_H
#define PARLEY_JSON_STRICT_H

#include <stdbool.h>
#include <stddef.h>

/* containers inside containers: the 33rd level is refused */
#define JSON_STRICT_DEPTH_MAX 32
/* cJSON reads no more of a number than this, so a longer one would be misread */
#define JSON_STRICT_NUMBER_CHARS_MAX 63

/* What a string holds, beyond being well formed. */
enum json_strict_verdict {
	JSON_STRICT_CLEAN,      /* valid UTF-8, no NUL, surrogate escapes paired */
	JSON_STRICT_NOT_UTF8,   /* a raw byte sequence that is not UTF-8 (RFC 3629) */
	JSON_STRICT_NUL,        /* a \u0000 escape: C strings would end there */
	JSON_STRICT_SURROGATE,  /* a \uD800-\uDFFF escape without its other half */
};

/* The scan's findings; fill with json_strict_scan, release with json_strict_fini. */
struct json_strict {
	unsigned char *verdicts;  /* an enum json_strict_verdict per string, document order; owned */
	size_t nstrings;
	char root;                /* the value's first character: '{' for an object, '\0' if none */
	bool surrogate;           /* some string holds a lone surrogate ... */
	size_t surrogate_at;      /* ... the first one's byte offset (its backslash) */
	const char *error;        /* after -EBADMSG: what is wrong, a static sentence ... */
	size_t error_at;          /* ... and its byte offset */
};

/*
 * Scans text[0..len) (not a C string: nothing at or past len is read) as
 * one JSON value with optional white space around it. The first string
 * verdict that is not CLEAN does not stop the scan: every string gets one.
 * Returns 0, or:
 *   -EBADMSG  not JSON per RFC 8259 (empty text included), nested deeper
 *             than JSON_STRICT_DEPTH_MAX, or a number longer than
 *             JSON_STRICT_NUMBER_CHARS_MAX characters: error and error_at
 *             say what and where; root, nstrings and the verdicts so far
 *             stay readable.
 *   -ENOMEM   the verdict list could not be allocated.
 * Either way js must be released with json_strict_fini.
 */
int json_strict_scan(struct json_strict *js, const char *text, size_t len);

/* The verdict of string i (document order); CLEAN past the last one. */
enum json_strict_verdict json_strict_verdict(const struct json_strict *js, size_t i);

/* Frees the verdict list and clears js; NULL is a no-op. */
void json_strict_fini(struct json_strict *js);

#endif
