/*
 * The strict JSON scan: a table of texts it refuses (with the sentence and
 * the byte offset it gives), a table of texts it accepts with the verdict
 * of every string, the limits at their edges, and truncation.
 *
 * Texts are written with ' for " and converted before scanning (a string
 * needing an apostrophe would write \u0027). Raw bytes that are not UTF-8
 * are C escapes; rows holding a NUL byte give their length. Every text is
 * scanned from a heap copy of exactly its length, so a read past the end
 * shows under ASan and valgrind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/json_strict.h"

#define C JSON_STRICT_CLEAN
#define U JSON_STRICT_NOT_UTF8
#define Z JSON_STRICT_NUL
#define S JSON_STRICT_SURROGATE

/* A copy of text (len bytes, 0: strlen) with ' turned into ", exactly len bytes long. */
static char *exact_copy(const char *text, size_t *len)
{
	if (*len == 0)
		*len = strlen(text);
	char *copy = malloc(*len ? *len : 1);
	assert_non_null(copy);
	for (size_t i = 0; i < *len; i++)
		copy[i] = text[i] == '\'' ? '"' : text[i];
	return copy;
}

static int scan(struct json_strict *js, const char *text, size_t len)
{
	char *copy = exact_copy(text, &len);
	int rc = json_strict_scan(js, copy, len);
	free(copy);
	return rc;
}

struct refusal {
	const char *text;
	size_t len;        /* 0: strlen */
	const char *says;  /* a part of the sentence */
	size_t at;         /* the byte offset given */
};

static const struct refusal refusals[] = {
	/* nothing there */
	{ "", 0, "ends where a value", 0 },
	{ " \t\r\n", 0, "ends where a value", 4 },
	/* only the four white-space characters of RFC 8259 section 2 */
	{ "\f{}", 0, "expected a value", 0 },
	{ "\xEF\xBB\xBF{}", 0, "expected a value", 0 },  /* a byte order mark */
	{ "{} x", 0, "more after", 3 },
	{ "{}{}", 0, "more after", 2 },
	{ "[1]\0", 4, "more after", 3 },
	/* objects and arrays */
	{ "{", 0, "field name in quotes", 1 },
	{ "{'a'", 0, "':' after a field name", 4 },
	{ "{'a' 1}", 0, "':' after a field name", 5 },
	{ "{a:1}", 0, "field name in quotes", 1 },
	{ "{'a':}", 0, "expected a value", 5 },
	{ "{'a':1,}", 0, "field name in quotes", 7 },
	{ "{'a':1 'b':2}", 0, "expected ',' or '}'", 7 },
	{ "{'a':1]", 0, "expected ',' or '}'", 6 },
	{ "[1,]", 0, "expected a value", 3 },
	{ "[1 2]", 0, "expected ',' or ']'", 3 },
	{ "[1}", 0, "expected ',' or ']'", 2 },
	{ "[,1]", 0, "expected a value", 1 },
	/* literals are lower case and whole; no NaN or Infinity */
	{ "tru", 0, "expected a value", 0 },
	{ "True", 0, "expected a value", 0 },
	{ "[nul]", 0, "expected a value", 1 },
	{ "[falsey]", 0, "expected ',' or ']'", 6 },
	{ "[NaN]", 0, "expected a value", 1 },
	{ "[Infinity]", 0, "expected a value", 1 },
	/* numbers, RFC 8259 section 6 */
	{ "[01]", 0, "starts with 0", 2 },
	{ "[-01]", 0, "starts with 0", 3 },
	{ "[-]", 0, "no digits", 2 },
	{ "[-a]", 0, "no digits", 2 },
	{ "[+1]", 0, "expected a value", 1 },
	{ "[.5]", 0, "expected a value", 1 },
	{ "[1.]", 0, "after its '.'", 3 },
	{ "[1.e5]", 0, "after its '.'", 3 },
	{ "[1e]", 0, "exponent", 3 },
	{ "[1e+]", 0, "exponent", 4 },
	{ "[0x10]", 0, "expected ',' or ']'", 2 },
	/* strings, RFC 8259 section 7 */
	{ "['abc", 0, "not closed", 5 },
	{ "['abc\\", 0, "not closed", 5 },
	{ "['a\tb']", 0, "control character", 3 },
	{ "['a\nb']", 0, "control character", 3 },
	{ "['a\0b']", 7, "control character", 3 },
	{ "['\x1f']", 0, "control character", 2 },
	{ "['\\x41']", 0, "unknown escape", 2 },
	{ "['\\a']", 0, "unknown escape", 2 },
	{ "['\\U0041']", 0, "unknown escape", 2 },
	{ "['\\u12G4']", 0, "four hex digits", 2 },
	{ "['\\u12']", 0, "four hex digits", 2 },
	{ "['\\u", 0, "four hex digits", 2 },
	{ "['\\ud800\\u12", 0, "four hex digits", 8 },
	{ "'single'x", 0, "more after", 8 },
	/* the error of a field name, too */
	{ "{'a\x01':1}", 0, "control character", 3 },
};

static void refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		const struct refusal *r = &refusals[i];
		struct json_strict js;
		int rc = scan(&js, r->text, r->len);
		if (rc != -EBADMSG || !js.error || !strstr(js.error, r->says) || js.error_at != r->at)
			fail_msg("row %zu: rc %d, \"%s\" at %zu; wanted \"%s\" at %zu", i, rc,
				 js.error ? js.error : "(none)", js.error_at, r->says, r->at);
		json_strict_fini(&js);
	}
}

#define VERDICTS_MAX 6

struct acceptance {
	const char *text;
	size_t len;
	char root;
	size_t nstrings;
	enum json_strict_verdict verdicts[VERDICTS_MAX];
	size_t surrogate_at;  /* 0: no lone surrogate */
};

static const struct acceptance acceptances[] = {
	{ "{}", 0, '{', 0, { C }, 0 },
	{ " \t\r\n[ ] \n", 0, '[', 0, { C }, 0 },
	{ "'text'", 0, '"', 1, { C }, 0 },
	{ "7", 0, '7', 0, { C }, 0 },
	{ "-0.5e-7", 0, '-', 0, { C }, 0 },
	{ "true", 0, 't', 0, { C }, 0 },
	{ "null", 0, 'n', 0, { C }, 0 },
	{ "[0,-0,1.25,1E+2,3e-0,true,false,null,{},[]]", 0, '[', 0, { C }, 0 },
	{ "{'a':'b','c':{'d':['e',1]}}", 0, '{', 5, { C, C, C, C, C }, 0 },
	/* every escape RFC 8259 knows */
	{ "['\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC']", 0, '[', 1, { C }, 0 },
	{ "['caf\xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBF']", 0, '[', 1, { C }, 0 },
	{ "['\\ud83d\\ude00','\\uDBFF\\uDFFF']", 0, '[', 2, { C, C }, 0 },
	/* not UTF-8 (RFC 3629): stray, overlong, an encoded surrogate, above U+10FFFF, cut short */
	{ "['\xC3\x28','ok']", 0, '[', 2, { U, C }, 0 },
	{ "['\xFF']", 0, '[', 1, { U }, 0 },
	{ "['\xC0\xAF']", 0, '[', 1, { U }, 0 },
	{ "['\xE0\x80\xAF']", 0, '[', 1, { U }, 0 },
	{ "['\xED\xA0\x80']", 0, '[', 1, { U }, 0 },
	{ "['\xF4\x90\x80\x80']", 0, '[', 1, { U }, 0 },
	{ "['\xE2\x82']", 0, '[', 1, { U }, 0 },
	{ "['\xF0\x9F\x98']", 0, '[', 1, { U }, 0 },
	/* a NUL, escaped; raw it is a control character (refused above) */
	{ "['\\u0000']", 0, '[', 1, { Z }, 0 },
	{ "['a\\u0000b','\\u0001']", 0, '[', 2, { Z, C }, 0 },
	/* lone surrogates: high alone, high at the end, low first, high then not a low */
	{ "['\\ud83d']", 0, '[', 1, { S }, 2 },
	{ "['x\\ud83d','\\ud800']", 0, '[', 2, { S, S }, 3 },
	{ "['\\ude00\\ud83d']", 0, '[', 1, { S }, 2 },
	{ "['ab\\ud83dx']", 0, '[', 1, { S }, 4 },
	{ "['\\ud83d\\u0041']", 0, '[', 1, { S }, 2 },
	{ "['\\ud83d\\ud83d\\ude00']", 0, '[', 1, { S }, 2 },
	{ "['\\ud83d\\n']", 0, '[', 1, { S }, 2 },
	/* a string's first fault is its verdict */
	{ "['\\u0000\\ud800\xFF']", 0, '[', 1, { Z }, 8 },
	{ "['\xFF\\u0000']", 0, '[', 1, { U }, 0 },
	/* keys have verdicts too, in document order */
	{ "{'\xFF':'ok','k':'\\u0000','\\udc00':['\xC3']}", 0, '{', 6, { U, C, C, Z, S, U }, 24 },
};

static void accepted(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof acceptances / sizeof acceptances[0]; i++) {
		const struct acceptance *a = &acceptances[i];
		struct json_strict js;
		int rc = scan(&js, a->text, a->len);
		if (rc != 0)
			fail_msg("row %zu: rc %d (%s at %zu)", i, rc, js.error ? js.error : "", js.error_at);
		if (js.root != a->root || js.nstrings != a->nstrings)
			fail_msg("row %zu: root '%c', %zu strings; wanted '%c', %zu", i, js.root,
				 js.nstrings, a->root, a->nstrings);
		for (size_t s = 0; s < a->nstrings; s++)
			if (json_strict_verdict(&js, s) != a->verdicts[s])
				fail_msg("row %zu string %zu: verdict %d, wanted %d", i, s,
					 json_strict_verdict(&js, s), a->verdicts[s]);
		/* past the last string: nothing to say */
		assert_int_equal(json_strict_verdict(&js, a->nstrings), JSON_STRICT_CLEAN);
		if (js.surrogate != (a->surrogate_at != 0) || js.surrogate_at != a->surrogate_at)
			fail_msg("row %zu: lone surrogate %d at %zu; wanted at %zu", i, js.surrogate,
				 js.surrogate_at, a->surrogate_at);
		assert_null(js.error);
		json_strict_fini(&js);
		assert_null(js.verdicts);
	}
}

/* n arrays, one inside the other, around a 0 */
static char *nested(int n)
{
	char *s = malloc((size_t)n * 2 + 2);
	assert_non_null(s);
	memset(s, '[', (size_t)n);
	s[n] = '0';
	memset(s + n + 1, ']', (size_t)n);
	s[2 * n + 1] = '\0';
	return s;
}

static void nesting_limit(void **state)
{
	struct json_strict js;
	char *deepest = nested(JSON_STRICT_DEPTH_MAX), *deeper = nested(JSON_STRICT_DEPTH_MAX + 1);

	(void)state;
	assert_int_equal(scan(&js, deepest, 0), 0);
	json_strict_fini(&js);
	assert_int_equal(scan(&js, deeper, 0), -EBADMSG);
	assert_non_null(strstr(js.error, "nested more than 32"));
	assert_int_equal(js.error_at, JSON_STRICT_DEPTH_MAX);
	json_strict_fini(&js);
	/* objects count the same as arrays */
	char objects[8 * (JSON_STRICT_DEPTH_MAX + 1) + 8] = "", *p = objects;
	for (int i = 0; i <= JSON_STRICT_DEPTH_MAX; i++)
		p += sprintf(p, "{'a':");
	p += sprintf(p, "1");
	for (int i = 0; i <= JSON_STRICT_DEPTH_MAX; i++)
		*p++ = '}';
	*p = '\0';
	assert_int_equal(scan(&js, objects, 0), -EBADMSG);
	assert_non_null(strstr(js.error, "nested"));
	json_strict_fini(&js);
	free(deepest);
	free(deeper);
}

static void number_length_limit(void **state)
{
	char text[JSON_STRICT_NUMBER_CHARS_MAX + 8];
	struct json_strict js;

	(void)state;
	/* [-1.000...0] written with exactly the limit's characters, then one more */
	text[0] = '[';
	memcpy(text + 1, "-1.", 3);
	memset(text + 4, '0', JSON_STRICT_NUMBER_CHARS_MAX - 3);
	strcpy(text + 1 + JSON_STRICT_NUMBER_CHARS_MAX, "]");
	assert_int_equal(scan(&js, text, 0), 0);
	json_strict_fini(&js);
	text[1 + JSON_STRICT_NUMBER_CHARS_MAX] = '0';
	strcpy(text + 2 + JSON_STRICT_NUMBER_CHARS_MAX, "]");
	assert_int_equal(scan(&js, text, 0), -EBADMSG);
	assert_non_null(strstr(js.error, "more than 63 characters"));
	assert_int_equal(js.error_at, 1);  /* where the number starts */
	json_strict_fini(&js);
}

/* Every proper prefix of a document is refused, and never read past (exact copies). */
static void every_prefix_refused(void **state)
{
	static const char doc[] = "{'id':'r\\u00e91','n':[1,-2.5e+3,true,null],"
				  "'t':'\\ud83d\\ude00 caf\xC3\xA9','o':{'k':false}}";
	struct json_strict js;

	(void)state;
	assert_int_equal(scan(&js, doc, 0), 0);
	json_strict_fini(&js);
	for (size_t len = 1; len < strlen(doc); len++) {
		int rc = scan(&js, doc, len);
		if (rc != -EBADMSG || !js.error || js.error_at > len)
			fail_msg("prefix of %zu bytes: rc %d, error at %zu", len, rc, js.error_at);
		json_strict_fini(&js);
	}
}

static void null_text(void **state)
{
	struct json_strict js;

	(void)state;
	assert_int_equal(json_strict_scan(&js, NULL, 10), -EBADMSG);
	assert_int_equal(js.error_at, 0);
	assert_int_equal(js.root, '\0');
	json_strict_fini(&js);
	json_strict_fini(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refused),
		cmocka_unit_test(accepted),
		cmocka_unit_test(nesting_limit),
		cmocka_unit_test(number_length_limit),
		cmocka_unit_test(every_prefix_refused),
		cmocka_unit_test(null_text),
	};
	return cmocka_run_group_tests_name("json_strict", tests, NULL, NULL);
}
