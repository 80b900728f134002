/* Consent keywords: exact matches, suspected requests, and the false positives that matter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/keywords.h"

static struct keywords *kw;

static void expect(const char *text, enum keyword_kind want)
{
	struct keyword_match m;
	enum keyword_kind got = keywords_classify(kw, text, &m);
	if (got != want)
		fprintf(stderr, "'%s': got %s (%s), want %s\n", text, keyword_kind_name(got), m.keyword,
			keyword_kind_name(want));
	assert_int_equal(got, want);
	assert_int_equal(m.kind, got);
}

static void normalising(void **state)
{
	char out[64];
	(void)state;
	keywords_normalise("  Stop!! ", out, sizeof(out));
	assert_string_equal(out, "STOP");
	keywords_normalise("ARR\xC3\x8AT", out, sizeof(out)); /* ARRÊT */
	assert_string_equal(out, "ARRET");
	keywords_normalise("Opt-Out.", out, sizeof(out));
	assert_string_equal(out, "OPT OUT");
	keywords_normalise("don\xE2\x80\x99t stop \xF0\x9F\x9B\x91", out, sizeof(out)); /* don’t stop 🛑 */
	assert_string_equal(out, "DONT STOP");
	keywords_normalise("\xC5\x81\xC3\xB3" "d\xC5\xBA stra\xC3\x9F" "e", out, sizeof(out)); /* Łódź straße */
	assert_string_equal(out, "LODZ STRASSE");
	keywords_normalise("\xD0\xA1\xD1\x82\xD0\xBE\xD0\xBF", out, sizeof(out)); /* Стоп: upper case */
	assert_string_equal(out, "\xD0\xA1\xD0\xA2\xD0\x9E\xD0\x9F");
	keywords_normalise("caf\xE9 STOP", out, sizeof(out)); /* Latin-1, not UTF-8 */
	assert_string_equal(out, "CAFE STOP");
	assert_int_equal(keywords_normalise("!!! ...", out, sizeof(out)), 0);
	assert_int_equal(keywords_normalise("STOP", out, 3), 2); /* cut to the buffer, NUL kept */
	assert_string_equal(out, "ST");
}

static void exact_keywords(void **state)
{
	static const char *const opt_out[] = {
		"STOP", "Stop.", " stop!! ", "STOP \xF0\x9F\x9B\x91", "stop all", "STOPALL", "Opt-Out",
		"opt out", "OPTOUT", "ARR\xC3\x8AT", "arret", "Alto", "BAJA", "parar", "Cancelar",
		"UNSUBSCRIBE", "unsub", "cancel", "END", "quit", "revoke", "remove",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(opt_out) / sizeof(opt_out[0]); i++)
		expect(opt_out[i], KEYWORD_OPT_OUT);
	expect("START", KEYWORD_OPT_IN);
	expect("unstop", KEYWORD_OPT_IN);
	expect("Yes!", KEYWORD_OPT_IN);
	expect("HELP", KEYWORD_HELP);
	expect("info?", KEYWORD_HELP);
	expect("Aide", KEYWORD_HELP);
	expect("ayuda", KEYWORD_HELP);
	/* ALTA subscribes in Spanish: never an opt-out */
	expect("ALTA", KEYWORD_NONE);
	expect("alta!", KEYWORD_NONE);
	expect("\xEF\xBC\xB3\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0", KEYWORD_OPT_OUT); /* ＳＴＯＰ */
	expect("Sto\xCC\x81p", KEYWORD_OPT_OUT); /* Stóp, decomposed */
	expect("\xEF\xBB\xBFSTOP", KEYWORD_OPT_OUT); /* after a byte order mark */
}

static void suspected_requests(void **state)
{
	static const char *const texts[] = {
		"please stop texting me", "Remove me from your list", "no more texts", "unsubscribe me",
		"Stop sending me these", "STOP thanks", "Unsubscribe please", "take me off your list",
		"Do not text me again", "I want to unsubscribe", "leave me alone",
		"Dejen de enviar mensajes", "STOP IT", "Opt out please", "Dejen de enviarme mensajes",
		"Quiero darme de baja", "Je veux me d\xC3\xA9sabonner",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		expect(texts[i], KEYWORD_SUSPECTED_OPT_OUT);
}

/* A request at the end of a text longer than the normalising buffer. */
static void long_texts(void **state)
{
	static char text[5001];
	(void)state;
	memset(text, 'x', 5000);
	for (size_t i = 7; i < 5000; i += 8)
		text[i] = ' ';
	memcpy(text + 5000 - 23, " please stop texting me", 24);
	expect(text, KEYWORD_SUSPECTED_OPT_OUT);
	memcpy(text + 5000 - 23, " don't stop texting me ", 24);
	expect(text, KEYWORD_NONE);
}

/* Messages that must not be read as a wish to stop. */
static void false_positives(void **state)
{
	static const char *const texts[] = {
		"don't stop", "Don\xE2\x80\x99t stop texting me, I love the deals", "stop by the store",
		"Please stop by tomorrow", "is my order cancelled?", "Can you cancel my order?",
		"I'll stop in later", "the end", "Yes please, Tuesday works", "Thanks!",
		"Stop worrying, I got the package, it arrived this morning and all is well",
		"never stop sending me coupons",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		expect(texts[i], KEYWORD_NONE);
}

static void operator_keywords(void **state)
{
	struct keywords *mine = keywords_new();
	struct keyword_match m;
	(void)state;
	assert_non_null(mine);
	assert_int_equal(keywords_add(mine, KEYWORD_OPT_OUT, "Basta"), 0);
	assert_int_equal(keywords_add(mine, KEYWORD_OPT_IN, "Empezar"), 0);
	assert_int_equal(keywords_classify(mine, "basta!", &m), KEYWORD_OPT_OUT);
	assert_string_equal(m.keyword, "BASTA");
	assert_int_equal(keywords_classify(mine, "EMPEZAR", &m), KEYWORD_OPT_IN);
	/* the built-in words keep their meaning */
	assert_int_equal(keywords_add(mine, KEYWORD_OPT_IN, "stop"), -EEXIST);
	assert_int_equal(keywords_add(mine, KEYWORD_HELP, "Basta"), -EEXIST);
	/* nor may an opt-in or help word be what reads as a request to stop */
	assert_int_equal(keywords_add(mine, KEYWORD_OPT_IN, "stop now"), -EEXIST);
	assert_int_equal(keywords_add(mine, KEYWORD_HELP, "unsubscribe me"), -EEXIST);
	assert_int_equal(keywords_add(mine, KEYWORD_OPT_OUT, "STOP"), 0); /* already so */
	assert_int_equal(keywords_add(mine, KEYWORD_OPT_OUT, "!!!"), -EINVAL);
	assert_int_equal(keywords_add(mine, KEYWORD_SUSPECTED_OPT_OUT, "x"), -EINVAL);
	assert_int_equal(keywords_classify(mine, "STOP", &m), KEYWORD_OPT_OUT);
	keywords_free(mine);
	assert_int_equal(keywords_classify(NULL, "stop", NULL), KEYWORD_OPT_OUT);
	assert_int_equal(keywords_classify(NULL, NULL, NULL), KEYWORD_NONE);
}

static int setup(void **state)
{
	(void)state;
	kw = keywords_new();
	return kw ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	keywords_free(kw);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalising),
		cmocka_unit_test(exact_keywords),
		cmocka_unit_test(suspected_requests),
		cmocka_unit_test(long_texts),
		cmocka_unit_test(false_positives),
		cmocka_unit_test(operator_keywords),
	};
	return cmocka_run_group_tests_name("keywords", tests, setup, teardown);
}
