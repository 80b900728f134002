/*
 * Opt-out, opt-in and help keywords in customers' messages (CTIA's list,
 * Canadian French, Spanish), matched after normalising the text: case and
 * accents folded (ARRÊT = ARRET), hyphens read as spaces, surrounding
 * spaces, punctuation and emoji ignored ("Stop.", " stop!! ", "STOP 🛑").
 *
 * A whole-message keyword acts at once. A message that reads like a request
 * to stop ("please stop texting me", "remove me from your list") is only a
 * suspected opt-out, for an agent to confirm (or acted on in strict mode,
 * the caller's choice). The phrase lists are data in keywords.c, with tests
 * for the false positives that matter ("don't stop", "stop by the store",
 * "is my order cancelled?").
 *
 * Pure functions over data; no allocation except in keywords_new.
 */
#ifndef PARLEY_KEYWORDS_H
#define PARLEY_KEYWORDS_H

#include <stddef.h>

enum keyword_kind {
	KEYWORD_NONE,
	KEYWORD_OPT_OUT,
	KEYWORD_OPT_IN,
	KEYWORD_HELP,
	KEYWORD_SUSPECTED_OPT_OUT,
};

const char *keyword_kind_name(enum keyword_kind k);

#define KEYWORD_TEXT_MAX 64

struct keyword_match {
	enum keyword_kind kind;
	char keyword[KEYWORD_TEXT_MAX]; /* the keyword or phrase that matched, normalised */
};

struct keywords;

/* The built-in lists; NULL when out of memory. */
struct keywords *keywords_new(void);
void keywords_free(struct keywords *kw);

/*
 * Adds an operator's keyword (any language). The built-in STOP, START and
 * HELP words cannot be removed: there is no call for it. Returns 0,
 * -EINVAL for an empty word or one that normalises to nothing or is longer
 * than KEYWORD_TEXT_MAX - 1, -EEXIST when the word already has another
 * meaning (an opt-in word can never shadow an opt-out one) or, for an
 * opt-in or help word, when the built-in rules read it as a request to stop
 * ("stop now"), -ENOMEM.
 */
int keywords_add(struct keywords *kw, enum keyword_kind kind, const char *word);

/* What a received text means. Invalid UTF-8 is read byte by byte as Latin-1. */
enum keyword_kind keywords_classify(const struct keywords *kw, const char *text,
				    struct keyword_match *match);

/*
 * The normalised form of text into out (NUL-terminated, cut to size):
 * upper case, accents folded, every run of non-letters and non-digits one
 * space, nothing at either end. Returns its length.
 */
size_t keywords_normalise(const char *text, char *out, size_t size);

#endif
