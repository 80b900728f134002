/*
 * The rules section of parley.conf: the operator's keyword rules (a
 * keyword, whole message or first words, an automatic reply and/or an
 * event). Each rule is read and checked alone here; what needs the whole
 * file (unique keywords, no rule hidden by another, none on a consent
 * keyword, including the policy section's, which may come later in the
 * file) is checked by conf_rules_check once everything is read. The
 * matching itself is src/policy/keyword_rules.c's.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parley/config.h"
#include "parley/keyword_rules.h"
#include "parley/keywords.h"
#include "parley/utf8.h"

#include "conf_reader.h"

/*
 * A keyword is read raw up to this many bytes. keywords_normalise writes
 * at most two bytes for one it reads (a stray Latin-1 ß is SS), so the
 * buffer below holds any such keyword whole and a cut never hides a
 * keyword that is too long.
 */
#define KEYWORD_RAW_MAX 255

static int read_keyword(struct conf_reader *r, const config_setting_t *s,
			const struct conf_key *k, void *base)
{
	struct keyword_rule *rule = base;
	char norm[2 * KEYWORD_RAW_MAX + 1];
	const char *v = NULL;
	size_t len;
	int ret = conf_get_string(r, s, &v);

	(void)k;
	if (ret)
		return ret;
	if (!*v)
		return conf_error(r, s, NULL, "must not be empty");
	if (strlen(v) > KEYWORD_RAW_MAX)
		return conf_error(r, s, NULL, "longer than %d bytes", KEYWORD_RAW_MAX);
	len = keywords_normalise(v, norm, sizeof(norm));
	if (len == 0)
		return conf_error(r, s, NULL, "\"%.40s\" has no letters or digits (texts are "
				  "compared without case, accents, punctuation or emoji)", v);
	if (len >= sizeof(rule->keyword))
		return conf_error(r, s, NULL, "\"%.40s...\" is longer than %zu characters once "
				  "normalised", norm, sizeof(rule->keyword) - 1);
	memcpy(rule->keyword, norm, len + 1);
	return 0;
}

static int read_match(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		      void *base)
{
	struct keyword_rule *rule = base;
	const char *v = NULL;
	int ret = conf_get_string(r, s, &v);

	(void)k;
	if (ret)
		return ret;
	if (strcmp(v, "whole") == 0)
		rule->first_word = false;
	else if (strcmp(v, "first_word") == 0)
		rule->first_word = true;
	else
		return conf_error(r, s, NULL, "\"%.40s\" is not one of whole, first_word", v);
	return 0;
}

static int read_reply(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		      void *base)
{
	struct keyword_rule *rule = base;
	const char *v = NULL;
	size_t len;
	int ret = conf_get_string(r, s, &v);

	(void)k;
	if (ret)
		return ret;
	len = strlen(v);
	/* the reply goes out as an SMS: the codec takes UTF-8, never guesses */
	if (utf8_validate(v, len) < 0)
		return conf_error(r, s, NULL, "not valid UTF-8");
	if (len >= sizeof(rule->reply))
		return conf_error(r, s, NULL, "longer than %zu bytes", sizeof(rule->reply) - 1);
	memcpy(rule->reply, v, len + 1);
	return 0;
}

static const struct conf_key rule_keys[] = {
	{ .name = "keyword", .read = read_keyword },
	{ .name = "match", .read = read_match },
	{ .name = "reply", .read = read_reply },
	{ .name = "event", .read = conf_read_bool, .offset = offsetof(struct keyword_rule, event) },
	{ .name = "name", .read = conf_read_string, .offset = offsetof(struct keyword_rule, name),
	  .size = sizeof(((struct keyword_rule *)0)->name), .check = conf_check_name,
	  .quote = true },
	{ .name = NULL },
};

/*
 * A name for a rule that has none, from its normalised keyword: "OPENING
 * HOURS" is opening_hours. Letters outside ASCII are left out; with none
 * left the rule is named after its place in the list.
 */
static void default_name(struct keyword_rule *rule, size_t index)
{
	size_t n = 0;

	for (const char *p = rule->keyword; *p && n + 1 < sizeof(rule->name); p++) {
		if (*p >= 'A' && *p <= 'Z')
			rule->name[n++] = (char)(*p - 'A' + 'a');
		else if (*p >= '0' && *p <= '9')
			rule->name[n++] = *p;
		else if (*p == ' ' && n && rule->name[n - 1] != '_')
			rule->name[n++] = '_';
	}
	while (n && rule->name[n - 1] == '_')
		n--;
	rule->name[n] = '\0';
	if (!n)
		snprintf(rule->name, sizeof(rule->name), "rule%zu", index);
}

/* The setting of key in rule group e, or e itself when the key was left out. */
static const config_setting_t *member_or_group(const config_setting_t *e, const char *key,
					       const char **suffix)
{
	const config_setting_t *s = config_setting_get_member(e, key);

	*suffix = s ? NULL : key;
	return s ? s : e;
}

int conf_read_rules(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		    void *base)
{
	struct conf *c = base;

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_error(r, s, NULL, "expected a list ( ... ) of rule groups, got %s",
				  conf_type_words(s));
	c->nrules = 0;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i), *at;
		struct keyword_rule *rule;
		const char *suffix;
		int ret;

		if (i >= CONF_RULES_MAX)
			return conf_error(r, e, NULL, "more than %d rules", CONF_RULES_MAX);
		if (config_setting_type(e) != CONFIG_TYPE_GROUP)
			return conf_error(r, e, NULL, "expected a group { ... }, got %s",
					  conf_type_words(e));
		rule = &c->rules[i];
		memset(rule, 0, sizeof(*rule));
		if ((ret = conf_read_members(r, e, rule_keys, rule)))
			return ret;
		if (!rule->keyword[0])
			return conf_error(r, e, "keyword", "missing: the text the rule answers, "
					  "e.g. \"CONFIRM\"");
		if (!rule->reply[0] && !rule->event)
			return conf_error(r, e, NULL, "a rule needs a reply, event = true, or both");
		if (!rule->name[0])
			default_name(rule, (size_t)i);
		for (int j = 0; j < i; j++)
			if (strcmp(c->rules[j].name, rule->name) == 0) {
				at = member_or_group(e, "name", &suffix);
				return conf_error(r, at, suffix, "\"%s\" is already the name of "
						  "rules.[%d]", rule->name, j);
			}
		c->nrules = (size_t)i + 1;
	}
	return 0;
}

/* The operator's consent keywords from the policy section, as the daemon builds them. */
static struct keywords *consent_keywords(const struct conf_policy *p, int *err)
{
	struct keywords *kw = keywords_new();

	*err = 0;
	if (!kw) {
		*err = -ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < p->nkeywords; i++) {
		int ret = keywords_add(kw, (enum keyword_kind)p->keywords[i].kind, p->keywords[i].word);

		/* the policy reader added the same words: only ENOMEM is left */
		if (ret < 0 && ret != -EEXIST) {
			keywords_free(kw);
			*err = ret;
			return NULL;
		}
	}
	return kw;
}

int conf_rules_check(struct conf_reader *r, const config_setting_t *root, const struct conf *c)
{
	const config_setting_t *list = config_setting_get_member(root, "rules"), *e, *at;
	struct keyword_rule_why why;
	struct keywords *kw;
	const char *suffix;
	int ret;

	if (!list || !c->nrules)
		return 0;
	if (!(kw = consent_keywords(&c->policy, &ret)))
		return conf_error(r, list, NULL, "%s", strerror(-ret));
	ret = keyword_rules_check(c->rules, c->nrules, kw, &why);
	keywords_free(kw);
	if (!ret)
		return 0;
	e = config_setting_get_elem(list, (unsigned)why.index);
	if (!e)
		return conf_error(r, list, NULL, "%s", why.what); /* cannot happen: one rule a group */
	at = member_or_group(e, "keyword", &suffix);
	/* the rule named by place, as the other errors of this file do */
	if (why.other != SIZE_MAX) {
		const struct keyword_rule *o = &c->rules[why.other];

		if (strcmp(o->keyword, c->rules[why.index].keyword) == 0)
			return conf_error(r, at, suffix, "\"%s\" is already the keyword of rules.[%zu]",
					  o->keyword, why.other);
		return conf_error(r, at, suffix, "\"%s\" could never match: rules.[%zu] "
				  "(first_word \"%s\") answers its texts first",
				  c->rules[why.index].keyword, why.other, o->keyword);
	}
	return conf_error(r, at, suffix, "%s", why.what);
}
