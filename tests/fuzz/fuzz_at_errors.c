/*
 * libFuzzer target: what a modem writes after "+CMS ERROR: " or
 * "+CME ERROR: " (the first input byte picks which), numbers (CMEE=1) or
 * words (CMEE=2), and the words and retry class parley gives the code.
 * A code is -1 or what the line says; it has words and a class; the words
 * read back give the same words (or -1: not every sentence is one a modem
 * prints), and the number printed back gives the same code. The next four
 * bytes, as any int, must have words and a class too.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/at_errors.h"
#include "parley/at_result.h"
#include "parley/at_tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s\n", #c); abort(); } } while (0)

static const char *words(bool cms, int code)
{
	const char *w = cms ? at_cms_error_text(code) : at_cme_error_text(code);

	CHECK(w != NULL && w[0] != '\0');
	if (cms) {
		enum at_error_class c = at_cms_error_class(code);
		CHECK(c == AT_ERROR_TEMPORARY || c == AT_ERROR_PERMANENT);
	}
	return w;
}

static int parse(bool cms, const char *rest, enum at_final *final)
{
	char line[AT_LINE_MAX + 32];
	int code;

	snprintf(line, sizeof(line), "%s ERROR: %s", cms ? "+CMS" : "+CME", rest);
	*final = at_final_parse(line, &code);
	return code;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char rest[AT_LINE_MAX + 1];
	enum at_final f;
	bool cms;
	int code, again;

	if (size == 0)
		return 0;
	cms = data[0] & 1;
	if (size >= 5) {
		int any;
		memcpy(&any, data + 1, sizeof(any));
		words(cms, any);
	}
	size = size - 1 > AT_LINE_MAX - 12 ? AT_LINE_MAX - 12 : size - 1;
	memcpy(rest, data + 1, size);
	rest[size] = '\0';
	/* a line as the channel hands it over ends at CR or LF */
	rest[strcspn(rest, "\r\n")] = '\0';

	code = parse(cms, rest, &f);
	CHECK(f == (cms ? AT_FINAL_CMS_ERROR : AT_FINAL_CME_ERROR));
	CHECK(code >= -1);
	const char *w = words(cms, code);
	if (code >= 0) {
		char number[16];
		snprintf(number, sizeof(number), "%d", code);
		CHECK(parse(cms, number, &f) == code);
	}
	again = parse(cms, w, &f);
	if (again != -1)
		CHECK(strcmp(words(cms, again), w) == 0);
	return 0;
}
