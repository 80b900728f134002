/*
 * libFuzzer target: one line from a modem through the result parser, as the
 * channel hands lines over (no CR, LF or NUL; the input is cut at its first
 * NUL). A final result must be one of the words it stands for, with a code
 * only for +CME/+CMS ERROR (-1 or a number the line holds); the field
 * iterator, started after the line's own "+XXX:" prefix, must end, see the
 * same fields whether it reads them as strings, numbers or skips them, and
 * read a field as a number exactly when it is written as one.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/at_result.h"
#include "parley/at_tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s\n", #c); abort(); } } while (0)

#define FIELDS_MAX (AT_LINE_MAX + 2)

static void check_final(const char *line)
{
	static const char *const plain[] = {
		"OK", "ERROR", "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE", "NO DIAL TONE",
		"COMMAND NOT SUPPORT",
	};
	int code = 12345;
	enum at_final f = at_final_parse(line, &code);
	bool known = false;

	CHECK(f != AT_FINAL_TIMEOUT && f != AT_FINAL_CANCELLED);
	CHECK(strcmp(at_final_name(f), "unknown") != 0);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		known |= strcmp(line, plain[i]) == 0;
	switch (f) {
	case AT_FINAL_NONE:
		CHECK(!known && code == 0);
		CHECK(strncmp(line, "+CME ERROR:", 11) != 0 && strncmp(line, "+CMS ERROR:", 11) != 0);
		break;
	case AT_FINAL_CME_ERROR:
	case AT_FINAL_CMS_ERROR:
		CHECK(strncmp(line, f == AT_FINAL_CME_ERROR ? "+CME ERROR:" : "+CMS ERROR:", 11) == 0);
		CHECK(code >= -1);
		{
			/* a plain number up to 9 digits is the code, whatever follows a space */
			const char *rest = line + 11;
			size_t digits;
			while (*rest == ' ')
				rest++;
			digits = strspn(rest, "0123456789");
			if (digits >= 1 && digits <= 9 && (rest[digits] == '\0' || rest[digits] == ' '))
				CHECK(code == atoi(rest));
		}
		break;
	case AT_FINAL_OK:
	case AT_FINAL_ERROR:
	case AT_FINAL_NO_CARRIER:
	case AT_FINAL_BUSY:
	case AT_FINAL_NO_ANSWER:
	case AT_FINAL_NO_DIALTONE:
		CHECK(known && code == 0);
		break;
	case AT_FINAL_TIMEOUT:
	case AT_FINAL_CANCELLED:
		break;
	}
}

/* Whether a field's text is a decimal number as strtol reads it, and nothing more. */
static bool looks_numeric(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '\0';
}

static void check_fields(const char *line, size_t line_len)
{
	static char strings[FIELDS_MAX][AT_LINE_MAX + 1];
	const char *colon = memchr(line, ':', line_len);
	char prefix[AT_LINE_MAX + 1];
	struct at_iter it;
	size_t nfields = 0, n;
	char small[8];
	long number;

	/* the line's own prefix, as the driver passes "+CSQ:" for "+CSQ: 20,99" */
	n = colon ? (size_t)(colon - line) + 1 : 0;
	memcpy(prefix, line, n);
	prefix[n] = '\0';
	CHECK(at_iter_begin(&it, line, prefix));
	while (at_iter_skip(&it))
		CHECK(++nfields <= line_len + 1);
	CHECK(nfields >= 1);
	CHECK(!at_iter_skip(&it));

	/* as strings in a buffer big enough for any field: each one fits */
	CHECK(at_iter_begin(&it, line, prefix));
	for (size_t i = 0; i < nfields; i++) {
		CHECK(at_iter_next_string(&it, strings[i], sizeof(strings[i])));
		CHECK(strlen(strings[i]) <= line_len);
		CHECK(strstr(line, strings[i]) != NULL);
	}
	CHECK(!at_iter_next_string(&it, strings[0], sizeof(strings[0])));

	/* in a small buffer: what fits is the same text, what does not is refused */
	CHECK(at_iter_begin(&it, line, prefix));
	for (size_t i = 0; i < nfields; i++) {
		bool fits = strlen(strings[i]) < sizeof(small);
		CHECK(at_iter_next_string(&it, small, sizeof(small)) == fits);
		if (fits)
			CHECK(strcmp(small, strings[i]) == 0);
	}
	CHECK(!at_iter_next_string(&it, small, sizeof(small)));

	/* as numbers: exactly the fields written as one */
	CHECK(at_iter_begin(&it, line, prefix));
	for (size_t i = 0; i < nfields; i++) {
		bool is_number = at_iter_next_number(&it, &number);
		const char *s = strings[i];

		if (is_number) {
			CHECK(looks_numeric(s));
			CHECK(number == strtol(s, NULL, 10));
		} else if (strlen(s) <= 9 && strspn(s, "0123456789") == strlen(s) && s[0]) {
			/* next_string takes quotes off: a quoted run of digits is no number */
			CHECK(strchr(line, '"') != NULL);
		}
	}
	CHECK(!at_iter_next_number(&it, &number));

	/* a prefix the line does not start with is refused */
	CHECK(!at_iter_begin(&it, line, "+FUZZ-NEVER:") || strncmp(line, "+FUZZ-NEVER:", 12) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[AT_LINE_MAX + 1];
	size_t len;

	/* the channel never hands over more than AT_LINE_MAX bytes */
	if (size > AT_LINE_MAX)
		size = AT_LINE_MAX;
	memcpy(line, data, size);
	line[size] = '\0';
	len = strlen(line);
	check_final(line);
	check_fields(line, len);
	return 0;
}
