/*
 * Template rendering: a table of templates with their values and the
 * result each must give (text, or the error and what it names), then the
 * output buffer's edges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/template.h"

static const struct template_var vars[] = {
	{ "name", "Ana" },
	{ "order", "A-1042" },
	{ "n", "3" },
	{ "braces", "{name}" },         /* a value is never read as template text */
	{ "empty", "" },
	{ "emoji", "\xF0\x9F\x93\xA6" }, /* 📦 */
	{ "name", "second" },           /* the first of two wins */
	{ "gone", NULL },               /* a NULL value is not given */
	{ "A_b_9", "mixed" },
	{ "x32xxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "thirty-two" },
};
#define NVARS (sizeof(vars) / sizeof(vars[0]))

struct row {
	const char *tmpl;
	int want;                /* >= 0: the text below, else the error */
	const char *text;        /* the rendered text, or what "missing" must hold (prefix) */
};

static const struct row rows[] = {
	{ "", 0, "" },
	{ "plain text", 0, "plain text" },
	{ "Hello {name}", 0, "Hello Ana" },
	{ "{name}", 0, "Ana" },
	{ "{name}{name}", 0, "AnaAna" },
	{ "Order {order} for {name}: {n} items", 0, "Order A-1042 for Ana: 3 items" },
	{ "{braces}", 0, "{name}" },
	{ "[{empty}]", 0, "[]" },
	{ "box {emoji} ok", 0, "box \xF0\x9F\x93\xA6 ok" },
	{ "caf\xC3\xA9 {name}", 0, "caf\xC3\xA9 Ana" },
	{ "{A_b_9}", 0, "mixed" },
	{ "{x32xxxxxxxxxxxxxxxxxxxxxxxxxxxxx}", 0, "thirty-two" },
	{ "{{", 0, "{" },
	{ "}}", 0, "}" },
	{ "{{name}}", 0, "{name}" },
	{ "{{{name}}}", 0, "{Ana}" },
	{ "a {{ b }} c", 0, "a { b } c" },
	{ "json: {{\"k\": \"{name}\"}}", 0, "json: {\"k\": \"Ana\"}" },
	/* missing values: the first named, never an empty string */
	{ "Hi {who}", -ENOENT, "who" },
	{ "{name} {who} {what}", -ENOENT, "who" },
	{ "{gone}", -ENOENT, "gone" },
	{ "{Name}", -ENOENT, "Name" },      /* names are case-sensitive */
	/* malformed: wins over a missing value anywhere */
	{ "{", -EINVAL, "'{' at byte 0 is not closed" },
	{ "Hi {name", -EINVAL, "'{' at byte 3 is not closed" },
	{ "{who} then {", -EINVAL, "'{' at byte 11" },
	{ "{}", -EINVAL, "bad placeholder name at byte 0" },
	{ "{ name }", -EINVAL, "bad placeholder name" },
	{ "{first-name}", -EINVAL, "bad placeholder name" },
	{ "{na{me}", -EINVAL, "'{' at byte 0 is not closed" },
	{ "{x33xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}", -EINVAL, "bad placeholder name" },
	{ "{caf\xC3\xA9}", -EINVAL, "bad placeholder name" },
	{ "a } b", -EINVAL, "lone '}' at byte 2" },
	{ "{name}}", -EINVAL, "lone '}' at byte 6" },
};

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[128], missing[96];
		memset(out, 'X', sizeof out);
		int rc = template_render(rows[i].tmpl, vars, NVARS, out, sizeof out, missing, sizeof missing);
		if (rows[i].want == 0) {
			if (rc != (int)strlen(rows[i].text) || strcmp(out, rows[i].text) != 0)
				fail_msg("row %zu \"%s\": rc %d \"%s\", want \"%s\"", i, rows[i].tmpl, rc, out,
					 rows[i].text);
			assert_string_equal(missing, "");
		} else {
			if (rc != rows[i].want || strncmp(missing, rows[i].text, strlen(rows[i].text)) != 0)
				fail_msg("row %zu \"%s\": rc %d missing \"%s\", want %d \"%s\"", i, rows[i].tmpl,
					 rc, missing, rows[i].want, rows[i].text);
			if (rows[i].want == -ENOENT)
				assert_string_equal(missing, rows[i].text);
			assert_string_equal(out, ""); /* nothing half-made to send */
		}
	}
}

static void buffer_edges(void **state)
{
	(void)state;
	char out[16], missing[8];
	/* "Hello Ana" is 9 bytes: 10 fit exactly, 9 do not */
	assert_int_equal(template_render("Hello {name}", vars, NVARS, out, 10, NULL, 0), 9);
	assert_string_equal(out, "Hello Ana");
	assert_int_equal(template_render("Hello {name}", vars, NVARS, out, 9, missing, sizeof missing), -EMSGSIZE);
	assert_string_equal(out, "");
	assert_int_equal(template_render("Hello {name}", vars, NVARS, NULL, 0, NULL, 0), -EMSGSIZE);
	assert_int_equal(template_render("", vars, NVARS, out, 0, NULL, 0), -EMSGSIZE);
	assert_int_equal(template_render("", vars, NVARS, out, 1, NULL, 0), 0);
	/* a value overflowing out: still -EMSGSIZE, and a later missing name still wins */
	assert_int_equal(template_render("{order}{order}{order}", vars, NVARS, out, sizeof out, NULL, 0),
			 -EMSGSIZE);
	assert_int_equal(template_render("{order}{order}{order}{who}", vars, NVARS, out, sizeof out,
					 missing, sizeof missing), -ENOENT);
	assert_string_equal(missing, "who");
	/* a long missing name is cut to the caller's buffer, NUL-terminated */
	assert_int_equal(template_render("{abcdefghijkl}", vars, NVARS, out, sizeof out, missing,
					 sizeof missing), -ENOENT);
	assert_string_equal(missing, "abcdefg");
	/* no values at all */
	assert_int_equal(template_render("{name}", NULL, 5, out, sizeof out, missing, sizeof missing), -ENOENT);
	assert_int_equal(template_render("no vars", NULL, 0, out, sizeof out, NULL, 0), 7);
	assert_int_equal(template_render(NULL, vars, NVARS, out, sizeof out, missing, sizeof missing), -EINVAL);
	/* a NULL name in the table is skipped */
	const struct template_var odd[] = { { NULL, "x" }, { "a", "y" } };
	assert_int_equal(template_render("{a}", odd, 2, out, sizeof out, NULL, 0), 1);
	assert_string_equal(out, "y");
}

static void names(void **state)
{
	(void)state;
	assert_true(template_name_ok("a", 1));
	assert_true(template_name_ok("Order_ID_2", 10));
	assert_true(template_name_ok("abcdefghijklmnopqrstuvwxyz012345", 32));
	assert_false(template_name_ok("abcdefghijklmnopqrstuvwxyz0123456", 33));
	assert_false(template_name_ok("", 0));
	assert_false(template_name_ok(NULL, 1));
	assert_false(template_name_ok("a b", 3));
	assert_false(template_name_ok("a-b", 3));
	assert_false(template_name_ok("\xC3\xA9", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(buffer_edges),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
