/*
 * Matching received texts against the operator's keyword rules, and the
 * check that keeps rules away from consent keywords (see
 * include/parley/keyword_rules.h). Normalising is keywords_normalise's, so
 * a rule reads a text exactly as the consent keywords do. Does not decide
 * what a match causes, and never looks at consent: the caller asks
 * keywords_classify first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parley/keyword_rules.h"
#include "parley/keywords.h"

/*
 * The normalised text is compared with keywords of at most 63 bytes, so
 * only its start matters. keywords_normalise stops at a character that
 * does not fit (at most a space and 4 bytes), so anything shorter than
 * NORM_SIZE - 6 bytes is the whole text, and a longer one can equal no
 * keyword: a cut never makes a text match.
 */
#define NORM_SIZE (2 * KEYWORD_RULE_KEYWORD_MAX)

/* Whether norm is words, or starts with words followed by a space. */
static bool starts_with_words(const char *norm, const char *words)
{
	size_t n = strlen(words);

	return strncmp(norm, words, n) == 0 && (norm[n] == '\0' || norm[n] == ' ');
}

const struct keyword_rule *keyword_rules_match(const struct keyword_rule *rules, size_t n,
					       const char *text)
{
	char norm[NORM_SIZE];

	if (!rules || !text)
		return NULL;
	keywords_normalise(text, norm, sizeof(norm));
	for (size_t i = 0; i < n; i++) {
		const struct keyword_rule *r = &rules[i];

		/* "" would match every text of emoji or punctuation alone */
		if (!r->keyword[0])
			continue;
		if (r->first_word ? starts_with_words(norm, r->keyword) : strcmp(norm, r->keyword) == 0)
			return r;
	}
	return NULL;
}

static void set_why(struct keyword_rule_why *why, size_t index, size_t other, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_why(struct keyword_rule_why *why, size_t index, size_t other, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return;
	why->index = index;
	why->other = other;
	va_start(ap, fmt);
	vsnprintf(why->what, sizeof(why->what), fmt, ap);
	va_end(ap);
}

#define CONSENT_FIRST "consent keywords always come before rules"

/*
 * -EEXIST with *why filled when words (the rule's keyword, or its first
 * words: prefix true) read as a consent keyword or a request to stop.
 */
static int consent_clash(const struct keywords *kw, const char *keyword, const char *words,
			 bool prefix, size_t index, struct keyword_rule_why *why)
{
	struct keyword_match m;
	enum keyword_kind kind = keywords_classify(kw, words, &m);

	switch (kind) {
	case KEYWORD_NONE:
		return 0;
	case KEYWORD_SUSPECTED_OPT_OUT:
		if (prefix)
			set_why(why, index, SIZE_MAX, "\"%s\" starts with \"%s\", a request to stop; "
				CONSENT_FIRST, keyword, words);
		else
			set_why(why, index, SIZE_MAX, "\"%s\" reads as a request to stop (%s); "
				CONSENT_FIRST, keyword, m.keyword);
		return -EEXIST;
	case KEYWORD_OPT_OUT:
	case KEYWORD_OPT_IN:
	case KEYWORD_HELP:
		if (prefix)
			set_why(why, index, SIZE_MAX, "\"%s\" starts with the %s keyword %s; "
				CONSENT_FIRST, keyword, keyword_kind_name(kind), m.keyword);
		else
			set_why(why, index, SIZE_MAX, "\"%s\" is the %s keyword %s; " CONSENT_FIRST,
				keyword, keyword_kind_name(kind), m.keyword);
		return -EEXIST;
	}
	return 0;
}

/* One rule alone: well formed, and no consent keyword in the way. */
static int check_rule(const struct keyword_rule *r, size_t index, const struct keywords *kw,
		      struct keyword_rule_why *why)
{
	char norm[NORM_SIZE];
	int ret;

	if (!memchr(r->keyword, '\0', sizeof(r->keyword))) {
		set_why(why, index, SIZE_MAX, "keyword without its NUL");
		return -EINVAL;
	}
	if (!r->keyword[0]) {
		set_why(why, index, SIZE_MAX, "empty keyword");
		return -EINVAL;
	}
	keywords_normalise(r->keyword, norm, sizeof(norm));
	if (strcmp(norm, r->keyword) != 0) {
		set_why(why, index, SIZE_MAX, "\"%s\" is not normalised (\"%s\")", r->keyword, norm);
		return -EINVAL;
	}
	if (!r->reply[0] && !r->event) {
		set_why(why, index, SIZE_MAX, "neither a reply nor an event");
		return -EINVAL;
	}
	if ((ret = consent_clash(kw, r->keyword, r->keyword, false, index, why)))
		return ret;
	/* a first-word rule answers every text that starts with its words: try each start */
	for (const char *sp = r->first_word ? strchr(r->keyword, ' ') : NULL; sp;
	     sp = strchr(sp + 1, ' ')) {
		char words[KEYWORD_RULE_KEYWORD_MAX];
		size_t len = (size_t)(sp - r->keyword);

		memcpy(words, r->keyword, len);
		words[len] = '\0';
		if ((ret = consent_clash(kw, r->keyword, words, true, index, why)))
			return ret;
	}
	return 0;
}

int keyword_rules_check(const struct keyword_rule *rules, size_t n, const struct keywords *kw,
			struct keyword_rule_why *why)
{
	if (!rules && n) {
		set_why(why, 0, SIZE_MAX, "no rules given");
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct keyword_rule *r = &rules[i];
		int ret = check_rule(r, i, kw, why);

		if (ret)
			return ret;
		for (size_t j = 0; j < i; j++) {
			const struct keyword_rule *o = &rules[j];

			if (strcmp(o->keyword, r->keyword) == 0) {
				set_why(why, i, j, "\"%s\" is already the keyword of rule \"%s\"",
					r->keyword, o->name);
				return -EEXIST;
			}
			if (o->first_word && starts_with_words(r->keyword, o->keyword)) {
				set_why(why, i, j, "\"%s\" could never match: the first-word rule "
					"\"%s\" (%s) answers its texts first", r->keyword, o->name,
					o->keyword);
				return -EEXIST;
			}
		}
	}
	return 0;
}
