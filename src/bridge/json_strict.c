/*
 * The strict JSON scan (include/parley/json_strict.h): RFC 8259's grammar
 * by recursive descent over a length-bounded buffer, one verdict per string.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parley/json_strict.h"
#include "parley/utf8.h"

struct scan {
	const char *s;
	size_t len, pos;
	struct json_strict *js;
};

static bool scan_fail(struct scan *sc, const char *what)
{
	if (!sc->js->error) {
		sc->js->error = what;
		sc->js->error_at = sc->pos;
	}
	return false;
}

/* RFC 8259 section 2: the four white-space characters, nothing else */
static void scan_ws(struct scan *sc)
{
	while (sc->pos < sc->len && (sc->s[sc->pos] == ' ' || sc->s[sc->pos] == '\t' ||
				     sc->s[sc->pos] == '\n' || sc->s[sc->pos] == '\r'))
		sc->pos++;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* A \uXXXX escape at pos (the backslash); -1 when malformed. */
static int scan_u_escape(const struct scan *sc, size_t pos)
{
	if (sc->len - pos < 6 || sc->s[pos + 1] != 'u')
		return -1;
	return hex4(sc->s + pos + 2);
}

/* RFC 8259 section 7 */
static bool scan_string(struct scan *sc)
{
	enum json_strict_verdict v = JSON_STRICT_CLEAN;
	size_t index = sc->js->nstrings++;

	sc->pos++; /* the opening quote */
	for (;;) {
		if (sc->pos >= sc->len)
			return scan_fail(sc, "a string is not closed");
		unsigned char c = (unsigned char)sc->s[sc->pos];
		if (c == '"') {
			sc->pos++;
			break;
		}
		if (c < 0x20)
			return scan_fail(sc, "a control character inside a string is not escaped");
		if (c >= 0x80) {
			size_t p = sc->pos;
			if (utf8_next(sc->s, sc->len, &p) < 0) {
				if (v == JSON_STRICT_CLEAN)
					v = JSON_STRICT_NOT_UTF8;
				p = sc->pos + 1;
			}
			sc->pos = p;
			continue;
		}
		if (c != '\\') {
			sc->pos++;
			continue;
		}
		if (sc->pos + 1 >= sc->len)
			return scan_fail(sc, "a string is not closed");
		char e = sc->s[sc->pos + 1];
		if (e != 'u') {
			if (!strchr("\"\\/bfnrt", e) || e == '\0')
				return scan_fail(sc, "a string holds an unknown escape");
			sc->pos += 2;
			continue;
		}
		int u = scan_u_escape(sc, sc->pos);
		if (u < 0)
			return scan_fail(sc, "a \\u escape needs four hex digits");
		size_t at = sc->pos;
		sc->pos += 6;
		if (u == 0 && v == JSON_STRICT_CLEAN)
			v = JSON_STRICT_NUL;
		if (u >= 0xD800 && u <= 0xDFFF) {
			/* a high surrogate must be followed at once by a low one */
			/* the text is len bytes, not a C string: nothing is read past it */
			int low = u <= 0xDBFF && sc->pos < sc->len && sc->s[sc->pos] == '\\'
				  ? scan_u_escape(sc, sc->pos) : -1;
			if (low >= 0xDC00 && low <= 0xDFFF) {
				sc->pos += 6;
			} else {
				if (v == JSON_STRICT_CLEAN)
					v = JSON_STRICT_SURROGATE;
				if (!sc->js->surrogate) {
					sc->js->surrogate = true;
					sc->js->surrogate_at = at;
				}
			}
		}
	}
	sc->js->verdicts[index] = (unsigned char)v;
	return true;
}

static bool digits(struct scan *sc)
{
	size_t start = sc->pos;
	while (sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')
		sc->pos++;
	return sc->pos > start;
}

/* RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool scan_number(struct scan *sc)
{
	size_t start = sc->pos;
	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (sc->pos < sc->len && sc->s[sc->pos] == '0')
		sc->pos++;
	else if (!digits(sc))
		return scan_fail(sc, "a number has no digits");
	if (sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')
		return scan_fail(sc, "a number starts with 0");
	if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
		sc->pos++;
		if (!digits(sc))
			return scan_fail(sc, "a number has no digits after its '.'");
	}
	if (sc->pos < sc->len && (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
		sc->pos++;
		if (sc->pos < sc->len && (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
			sc->pos++;
		if (!digits(sc))
			return scan_fail(sc, "a number has no digits in its exponent");
	}
	if (sc->pos - start > JSON_STRICT_NUMBER_CHARS_MAX) {
		sc->pos = start;
		return scan_fail(sc, "a number is written with more than 63 characters");
	}
	return true;
}

static bool scan_literal(struct scan *sc, const char *word)
{
	size_t n = strlen(word);
	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
		return scan_fail(sc, "expected a value");
	sc->pos += n;
	return true;
}

static bool scan_value(struct scan *sc, int depth);

/* RFC 8259 sections 4 and 5: an object (close '}') or an array (close ']') */
static bool scan_container(struct scan *sc, int depth, char close)
{
	if (depth >= JSON_STRICT_DEPTH_MAX)
		return scan_fail(sc, "values are nested more than 32 levels deep");
	sc->pos++;
	scan_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == close) {
		sc->pos++;
		return true;
	}
	for (;;) {
		scan_ws(sc);
		if (close == '}') {
			if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
				return scan_fail(sc, "expected a field name in quotes");
			if (!scan_string(sc))
				return false;
			scan_ws(sc);
			if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
				return scan_fail(sc, "expected ':' after a field name");
			sc->pos++;
		}
		if (!scan_value(sc, depth + 1))
			return false;
		scan_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
			sc->pos++;
			continue;
		}
		if (sc->pos < sc->len && sc->s[sc->pos] == close) {
			sc->pos++;
			return true;
		}
		return scan_fail(sc, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool scan_value(struct scan *sc, int depth)
{
	scan_ws(sc);
	if (sc->pos >= sc->len)
		return scan_fail(sc, "the text ends where a value should be");
	switch (sc->s[sc->pos]) {
	case '{': return scan_container(sc, depth, '}');
	case '[': return scan_container(sc, depth, ']');
	case '"': return scan_string(sc);
	case 't': return scan_literal(sc, "true");
	case 'f': return scan_literal(sc, "false");
	case 'n': return scan_literal(sc, "null");
	default:
		if (sc->s[sc->pos] == '-' || (sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9'))
			return scan_number(sc);
		return scan_fail(sc, "expected a value");
	}
}

int json_strict_scan(struct json_strict *js, const char *text, size_t len)
{
	struct scan sc = { .s = text ? text : "", .len = text ? len : 0, .js = js };

	memset(js, 0, sizeof *js);
	/* every string takes at least its two quotes */
	js->verdicts = calloc(sc.len / 2 + 1, 1);
	if (!js->verdicts)
		return -ENOMEM;
	scan_ws(&sc);
	if (sc.pos < sc.len)
		js->root = sc.s[sc.pos];
	if (!scan_value(&sc, 0))
		return -EBADMSG;
	scan_ws(&sc);
	if (sc.pos != sc.len) {
		scan_fail(&sc, "there is more after the JSON value");
		return -EBADMSG;
	}
	return 0;
}

enum json_strict_verdict json_strict_verdict(const struct json_strict *js, size_t i)
{
	return i < js->nstrings ? (enum json_strict_verdict)js->verdicts[i] : JSON_STRICT_CLEAN;
}

void json_strict_fini(struct json_strict *js)
{
	if (!js)
		return;
	free(js->verdicts);
	memset(js, 0, sizeof *js);
}
