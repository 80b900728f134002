/*
 * Keyword rules: which rule a text meets (whole message or first words,
 * after the consent keywords' normalising), and the check that refuses
 * malformed rules, rules that meet consent keywords and rules that an
 * earlier one hides. Tables of texts with their outcome.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/keyword_rules.h"
#include "parley/keywords.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static struct keyword_rule rule(const char *keyword, bool first_word, const char *name)
{
	struct keyword_rule r;

	memset(&r, 0, sizeof(r));
	snprintf(r.keyword, sizeof(r.keyword), "%s", keyword);
	r.first_word = first_word;
	snprintf(r.reply, sizeof(r.reply), "reply to %s", name);
	r.event = true;
	snprintf(r.name, sizeof(r.name), "%s", name);
	return r;
}

struct match_case {
	const char *text;
	const char *name; /* the rule that answers, NULL none */
};

static const struct match_case match_cases[] = {
	/* whole message */
	{ "CONFIRM", "confirm" },
	{ "confirm", "confirm" },
	{ "  Confirm!! ", "confirm" },
	{ "Confirm.", "confirm" },
	{ "confirm 👍", "confirm" },
	{ "👍 confirm", "confirm" },
	{ "ＣＯＮＦＩＲＭ", "confirm" },            /* full-width */
	{ "CON\u00ADFIRM", "confirm" },             /* soft hyphen joins */
	{ "confirm please", NULL },                 /* whole only */
	{ "I confirm", NULL },
	{ "confirmed", NULL },
	{ "confirm-ation", NULL },                  /* the hyphen makes two words */
	/* accents folded both ways */
	{ "Réserver", "reserve" },
	{ "RESERVER", "reserve" },
	{ "re\xcc\x81server", "reserve" },          /* decomposed: e + U+0301 */
	{ "r\xe9server", "reserve" },               /* Latin-1, not UTF-8 */
	/* first word */
	{ "BOOK", "book" },
	{ "book", "book" },
	{ "Book a table for 4", "book" },
	{ "book, 7pm", "book" },
	{ "book.", "book" },
	{ "booking", NULL },
	{ "I want to book", NULL },
	{ "bookbook", NULL },
	/* multi-word keywords, whole and first words */
	{ "opening hours", "hours" },
	{ "Opening   hours?", "hours" },
	{ "opening-hours", "hours" },               /* hyphens read as spaces */
	{ "opening hours today", NULL },            /* whole only */
	{ "opening", NULL },
	{ "cancel order 1234", "cancel_order" },
	{ "Cancel order", "cancel_order" },
	{ "cancel orders", NULL },
	{ "cancel", NULL },                         /* never reaches rules in the daemon anyway */
	/* the first rule that matches wins */
	{ "win", "win_whole" },
	{ "win big", "win_first" },
	/* nothing to match */
	{ "", NULL },
	{ "👍", NULL },                              /* normalises to "": never the empty rule */
	{ "!!!", NULL },
	{ "hello", NULL },
};

static void matching(void **state)
{
	struct keyword_rule rules[8];
	size_t n = 0;

	(void)state;
	rules[n++] = rule("CONFIRM", false, "confirm");
	rules[n++] = rule("RESERVER", false, "reserve");
	rules[n++] = rule("BOOK", true, "book");
	rules[n++] = rule("OPENING HOURS", false, "hours");
	rules[n++] = rule("CANCEL ORDER", true, "cancel_order");
	rules[n++] = rule("WIN", false, "win_whole");
	rules[n++] = rule("WIN", true, "win_first");
	rules[n++] = rule("", false, "empty");
	for (size_t i = 0; i < COUNT(match_cases); i++) {
		const struct keyword_rule *r = keyword_rules_match(rules, n, match_cases[i].text);
		const char *got = r ? r->name : "(none)";
		const char *want = match_cases[i].name ? match_cases[i].name : "(none)";

		if (strcmp(got, want) != 0)
			fail_msg("case %zu \"%s\": want %s, got %s", i, match_cases[i].text, want, got);
		if (r)
			assert_true(r >= rules && r < rules + n);
	}
}

static void match_edges(void **state)
{
	struct keyword_rule rules[2];
	char text[2048];

	(void)state;
	rules[0] = rule("CONFIRM", true, "confirm");
	rules[1] = rule("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false, "long");
	assert_int_equal(strlen(rules[1].keyword), 63);
	assert_null(keyword_rules_match(NULL, 2, "confirm"));
	assert_null(keyword_rules_match(rules, 2, NULL));
	assert_null(keyword_rules_match(rules, 0, "confirm"));

	/* a long text: the first words still count, whatever follows */
	memset(text, 'x', sizeof(text));
	memcpy(text, "confirm ", 8);
	text[sizeof(text) - 1] = '\0';
	assert_ptr_equal(keyword_rules_match(rules, 2, text), &rules[0]);

	/* a keyword of the greatest length, and texts a letter longer or shorter */
	memset(text, 'a', 63);
	text[63] = '\0';
	assert_ptr_equal(keyword_rules_match(rules, 2, text), &rules[1]);
	text[63] = 'a';
	text[64] = '\0';
	assert_null(keyword_rules_match(rules, 2, text));
	text[62] = '\0';
	assert_null(keyword_rules_match(rules, 2, text));
	/* accented letters that fold to it, two bytes each in the text */
	for (size_t i = 0; i < 63; i++)
		memcpy(text + 2 * i, "\xc3\xa0", 2); /* à */
	text[126] = '\0';
	assert_ptr_equal(keyword_rules_match(rules, 2, text), &rules[1]);
	/* and a text longer than the buffer that starts with those 63 letters */
	memset(text, 'a', 63);
	memset(text + 63, 'b', 200);
	text[263] = '\0';
	assert_null(keyword_rules_match(rules, 2, text));
}

struct check_case {
	const char *keyword;
	bool first_word;
	bool operator_words;  /* with the operator's STOPP (opt-out) and HILFE (help) */
	int ret;
	const char *what; /* NULL: 0 expected */
};

static const struct check_case check_cases[] = {
	/* fine */
	{ "CONFIRM", false, false, 0, NULL },
	{ "CONFIRM", true, false, 0, NULL },
	{ "BOOK TABLE", true, false, 0, NULL },
	{ "YES PLEASE", false, false, 0, NULL },          /* whole: "yes" alone is still YES */
	{ "STOPP", false, false, 0, NULL },         /* not STOP, without the operator's word */
	{ "CANCEL ORDER", false, false, 0, NULL },         /* "cancel my order" is no request to stop */
	{ "HELPFUL", true, false, 0, NULL },
	{ "ДА", false, false, 0, NULL },
	/* built-in consent keywords, whole */
	{ "STOP", false, false, -EEXIST,
	  "\"STOP\" is the opt-out keyword STOP; consent keywords always come before rules" },
	{ "STOP", true, false, -EEXIST,
	  "\"STOP\" is the opt-out keyword STOP; consent keywords always come before rules" },
	{ "STOP ALL", false, false, -EEXIST,
	  "\"STOP ALL\" is the opt-out keyword STOP ALL; consent keywords always come before rules" },
	{ "ARRET", false, false, -EEXIST,
	  "\"ARRET\" is the opt-out keyword ARRET; consent keywords always come before rules" },
	{ "START", false, false, -EEXIST,
	  "\"START\" is the opt-in keyword START; consent keywords always come before rules" },
	{ "YES", true, false, -EEXIST,
	  "\"YES\" is the opt-in keyword YES; consent keywords always come before rules" },
	{ "HELP", false, false, -EEXIST,
	  "\"HELP\" is the help keyword HELP; consent keywords always come before rules" },
	{ "AYUDA", false, false, -EEXIST,
	  "\"AYUDA\" is the help keyword AYUDA; consent keywords always come before rules" },
	/* requests to stop */
	{ "STOP NOW", false, false, -EEXIST,
	  "\"STOP NOW\" reads as a request to stop (STOP NOW); consent keywords always come "
	  "before rules" },
	{ "PLEASE STOP TEXTING", true, false, -EEXIST,
	  "\"PLEASE STOP TEXTING\" reads as a request to stop (STOP TEXTING); consent keywords "
	  "always come before rules" },
	{ "STOP THANKS", false, false, -EEXIST,
	  "\"STOP THANKS\" reads as a request to stop (STOP); consent keywords always come "
	  "before rules" },
	/* first words of a first-word rule */
	{ "YES PLEASE", true, false, -EEXIST,
	  "\"YES PLEASE\" starts with the opt-in keyword YES; consent keywords always come "
	  "before rules" },
	{ "INFO HOURS", true, false, -EEXIST,
	  "\"INFO HOURS\" starts with the help keyword INFO; consent keywords always come "
	  "before rules" },
	{ "CANCEL MY ORDER", true, false, -EEXIST,
	  "\"CANCEL MY ORDER\" starts with the opt-out keyword CANCEL; consent keywords always "
	  "come before rules" },
	{ "OPT OUT OF PROMOS AND OFFERS", true, false, -EEXIST,
	  "\"OPT OUT OF PROMOS AND OFFERS\" starts with the opt-out keyword OPT OUT; consent "
	  "keywords always come before rules" },
	/* "stop by" is no request, but its first word is STOP */
	{ "STOP BY THE SHOP", false, false, 0, NULL },
	{ "STOP BY THE SHOP", true, false, -EEXIST,
	  "\"STOP BY THE SHOP\" starts with the opt-out keyword STOP; consent keywords always "
	  "come before rules" },
	/* an operator's words count like the built-in ones */
	{ "STOPP", true, true, -EEXIST,
	  "\"STOPP\" is the opt-out keyword STOPP; consent keywords always come before rules" },
	{ "HILFE BITTE", true, true, -EEXIST,
	  "\"HILFE BITTE\" starts with the help keyword HILFE; consent keywords always come "
	  "before rules" },
	/* malformed */
	{ "", false, false, -EINVAL, "empty keyword" },
	{ "confirm", false, false, -EINVAL, "\"confirm\" is not normalised (\"CONFIRM\")" },
	{ " CONFIRM", false, false, -EINVAL, "\" CONFIRM\" is not normalised (\"CONFIRM\")" },
	{ "CONFIRM!", true, false, -EINVAL, "\"CONFIRM!\" is not normalised (\"CONFIRM\")" },
	{ "RÉSERVER", false, false, -EINVAL, "\"RÉSERVER\" is not normalised (\"RESERVER\")" },
};

static void checks(void **state)
{
	struct keywords *kw = keywords_new();

	(void)state;
	assert_non_null(kw);
	assert_int_equal(keywords_add(kw, KEYWORD_OPT_OUT, "Stopp"), 0);
	assert_int_equal(keywords_add(kw, KEYWORD_HELP, "hilfe"), 0);
	for (size_t i = 0; i < COUNT(check_cases); i++) {
		const struct check_case *t = &check_cases[i];
		struct keyword_rule r = rule(t->keyword, t->first_word, "r");
		struct keyword_rule_why why;
		int ret;

		memset(&why, 0x5a, sizeof(why));
		ret = keyword_rules_check(&r, 1, t->operator_words ? kw : NULL, &why);
		if (ret != t->ret || (t->what && strcmp(why.what, t->what) != 0))
			fail_msg("case %zu \"%s\"%s: want %d \"%s\", got %d \"%s\"", i, t->keyword,
				 t->first_word ? " (first word)" : "", t->ret, t->what ? t->what : "",
				 ret, ret ? why.what : "");
		if (ret) {
			assert_int_equal(why.index, 0);
			assert_true(why.other == SIZE_MAX);
		}
	}
	keywords_free(kw);
}

static void check_tables(void **state)
{
	struct keyword_rule rules[4];
	struct keyword_rule_why why;

	(void)state;
	/* nothing to check is fine; NULL with rules is not */
	assert_int_equal(keyword_rules_check(NULL, 0, NULL, NULL), 0);
	assert_int_equal(keyword_rules_check(NULL, 1, NULL, &why), -EINVAL);

	rules[0] = rule("CONFIRM", false, "confirm");
	rules[1] = rule("BOOK", true, "book");
	rules[2] = rule("BOOK TABLE", false, "table");
	assert_int_equal(keyword_rules_check(rules, 2, NULL, &why), 0);

	/* a rule under an earlier first-word rule could never match */
	assert_int_equal(keyword_rules_check(rules, 3, NULL, &why), -EEXIST);
	assert_int_equal(why.index, 2);
	assert_int_equal(why.other, 1);
	assert_string_equal(why.what, "\"BOOK TABLE\" could never match: the first-word rule "
			    "\"book\" (BOOK) answers its texts first");
	/* the other way round both can match: "book table" the first, "book a room" the second */
	rules[2] = rule("BOOK", true, "book");
	rules[1] = rule("BOOK TABLE", false, "table");
	assert_int_equal(keyword_rules_check(rules, 3, NULL, &why), 0);
	/* "BOOKS" does not start with the word BOOK */
	rules[3] = rule("BOOKS", false, "books");
	assert_int_equal(keyword_rules_check(rules, 4, NULL, NULL), 0);

	/* the same keyword twice, whatever the match */
	rules[3] = rule("CONFIRM", true, "confirm2");
	assert_int_equal(keyword_rules_check(rules, 4, NULL, &why), -EEXIST);
	assert_int_equal(why.index, 3);
	assert_int_equal(why.other, 0);
	assert_string_equal(why.what, "\"CONFIRM\" is already the keyword of rule \"confirm\"");

	/* a rule that does nothing */
	rules[3] = rule("THANKS", false, "thanks");
	rules[3].reply[0] = '\0';
	rules[3].event = false;
	assert_int_equal(keyword_rules_check(rules, 4, NULL, &why), -EINVAL);
	assert_int_equal(why.index, 3);
	assert_string_equal(why.what, "neither a reply nor an event");
	rules[3].event = true;
	assert_int_equal(keyword_rules_check(rules, 4, NULL, &why), 0);
	rules[3].event = false;
	strcpy(rules[3].reply, "You're welcome");
	assert_int_equal(keyword_rules_check(rules, 4, NULL, &why), 0);

	/* the first fault is the one reported, and a NULL why is allowed */
	rules[0] = rule("STOP", false, "stop");
	assert_int_equal(keyword_rules_check(rules, 4, NULL, NULL), -EEXIST);
	assert_int_equal(keyword_rules_check(rules, 4, NULL, &why), -EEXIST);
	assert_int_equal(why.index, 0);

	/* a keyword that fills its buffer with no NUL is refused, not read past */
	memset(rules[0].keyword, 'A', sizeof(rules[0].keyword));
	assert_int_equal(keyword_rules_check(rules, 1, NULL, &why), -EINVAL);
	assert_string_equal(why.what, "keyword without its NUL");
}

/*
 * The contract with the daemon: a text that reaches the rules is one
 * keywords_classify read as nothing, so even a table nobody checked never
 * answers STOP. Here a checked table and consent texts: none of them would
 * match a rule, had the daemon asked.
 */
static void consent_texts_meet_no_checked_rule(void **state)
{
	static const char *const texts[] = {
		"STOP", "stop", "Stop.", "STOP 🛑", "Stop all", "unsubscribe", "Arrêt", "START",
		"yes", "HELP", "info", "stop thanks", "please stop texting me", "CANCEL",
	};
	struct keyword_rule rules[3];

	(void)state;
	rules[0] = rule("CONFIRM", true, "confirm");
	rules[1] = rule("BOOK", true, "book");
	rules[2] = rule("WHERE ARE YOU", false, "where");
	assert_int_equal(keyword_rules_check(rules, 3, NULL, NULL), 0);
	for (size_t i = 0; i < COUNT(texts); i++) {
		assert_int_not_equal(keywords_classify(NULL, texts[i], NULL), KEYWORD_NONE);
		assert_null(keyword_rules_match(rules, 3, texts[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matching),
		cmocka_unit_test(match_edges),
		cmocka_unit_test(checks),
		cmocka_unit_test(check_tables),
		cmocka_unit_test(consent_texts_meet_no_checked_rule),
	};
	return cmocka_run_group_tests_name("keyword_rules", tests, NULL, NULL);
}
