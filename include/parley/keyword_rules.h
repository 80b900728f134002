/*
 * The operator's keyword rules (parley.conf's rules section): a received
 * text that is a keyword ("CONFIRM"), or that starts with one for a
 * first-word rule ("CONFIRM 14:30"), gets the rule's automatic reply and/or
 * an event for a console. Texts are compared after keywords_normalise (case
 * and accents folded, punctuation and emoji ignored): "confirm!" and
 * "Confirm 👍" are CONFIRM, "réserver" is RESERVER.
 *
 * Consent comes first, always. The caller asks keyword_rules_match only for
 * a text that keywords_classify read as KEYWORD_NONE: an opt-out, opt-in,
 * help or suspected opt-out text never reaches the rules, so no rule can
 * answer a STOP. keyword_rules_check refuses at configuration time any rule
 * that could only ever meet such texts (its keyword is, or starts with, a
 * consent keyword), so an operator learns of it before a customer does.
 *
 * Pure functions over the caller's table; no allocation, no I/O. What the
 * reply or event does is the daemon's business, not this module's.
 */
#ifndef PARLEY_KEYWORD_RULES_H
#define PARLEY_KEYWORD_RULES_H

#include <stdbool.h>
#include <stddef.h>

#define KEYWORD_RULE_KEYWORD_MAX 64   /* bytes of a normalised keyword, with its NUL */
#define KEYWORD_RULE_REPLY_MAX 481    /* bytes of a reply (UTF-8), with its NUL */
#define KEYWORD_RULE_NAME_MAX 32      /* bytes of a name, with its NUL */

struct keywords;

struct keyword_rule {
	/* normalised (keywords_normalise): "CONFIRM", "BOOK TABLE"; never "" */
	char keyword[KEYWORD_RULE_KEYWORD_MAX];
	bool first_word;      /* also matches texts that start with the keyword's words */
	char reply[KEYWORD_RULE_REPLY_MAX]; /* "" none */
	bool event;           /* tell the consoles */
	char name[KEYWORD_RULE_NAME_MAX];   /* [A-Za-z0-9_-]+, for events and logs */
};

/*
 * The first rule of rules[0..n) whose keyword equals the whole normalised
 * text, or, for a first_word rule, the text's first words (as many as the
 * keyword has): "CONFIRM" matches "Confirm, thanks!" but not "CONFIRMED"
 * nor "I confirm". A rule with an empty keyword never matches.
 *
 * Only for texts keywords_classify reads as KEYWORD_NONE (see above).
 * Returns a pointer into rules (borrowed), or NULL when no rule matches or
 * text or rules is NULL.
 */
const struct keyword_rule *keyword_rules_match(const struct keyword_rule *rules, size_t n,
					       const char *text);

/* Why keyword_rules_check refused a table. */
struct keyword_rule_why {
	size_t index;         /* the rule refused */
	size_t other;         /* the earlier rule it clashes with; (size_t)-1 none */
	char what[200];       /* in words, e.g. "\"STOP\" is the opt-out keyword STOP" */
};

/*
 * Whether the table may be used, rule by rule in order. kw holds the
 * operator's consent keywords (keywords_new() plus keywords_add()); NULL
 * means the built-in ones only. why may be NULL.
 *
 * Returns 0; or, for the first rule at fault, with *why filled:
 * -EINVAL when its keyword is empty or not in normalised form, or it has
 * neither a reply nor an event (and when rules is NULL with n not 0);
 * -EEXIST when its keyword reads as a consent keyword or a request to stop
 * (keywords_classify is not KEYWORD_NONE), or, for a first_word rule, when
 * its first word or words do ("YES PLEASE" starts with the opt-in YES);
 * also when an earlier rule has the same keyword, or is a first_word rule
 * whose keyword starts this one's (the earlier rule answers first, so this
 * one could never match); why->other is then that rule.
 */
int keyword_rules_check(const struct keyword_rule *rules, size_t n, const struct keywords *kw,
			struct keyword_rule_why *why);

#endif
