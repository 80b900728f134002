/*
 * The policy section of parley.conf: consent and opt-out (scope, replies,
 * strict mode, the operator's keywords), quiet hours and frequency caps.
 * Keys, defaults and the checks that need more than a range; the meaning
 * of each is in include/parley/config.h and docs/consent.md.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "parley/config.h"
#include "parley/keywords.h"

#include "conf_reader.h"

#define DEFAULT_OPTOUT_REPLY \
	"You are unsubscribed and will get no more messages from this number. " \
	"Reply START to subscribe again."
#define DEFAULT_OPTIN_REPLY \
	"You are subscribed again. Reply HELP for help, STOP to unsubscribe."
#define DEFAULT_HELP_REPLY \
	"Reply STOP to unsubscribe, START to subscribe again. Msg & data rates may apply."

void conf_policy_defaults(struct conf_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->optout_scope = CONF_SCOPE_ALL;
	p->confirm_period = 86400;
	strcpy(p->optout_reply, DEFAULT_OPTOUT_REPLY);
	strcpy(p->optin_reply, DEFAULT_OPTIN_REPLY);
	strcpy(p->help_reply, DEFAULT_HELP_REPLY);
	p->retention_days = 1825;
	p->quiet_start = 8 * 60;
	p->quiet_end = 21 * 60;
	p->quiet_categories = CONF_CAT_MARKETING;
}

/* A string that must be one of words; *idx its position. */
static int read_choice(struct conf_reader *r, const config_setting_t *s, const char *const *words,
		       size_t n, size_t *idx)
{
	const char *v = NULL;
	int ret = conf_get_string(r, s, &v);

	if (ret)
		return ret;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, words[i]) == 0) {
			*idx = i;
			return 0;
		}
	return conf_error(r, s, NULL, "\"%.40s\" is not one of %s%s%s%s%s", v, words[0],
			  n > 1 ? ", " : "", n > 1 ? words[1] : "", n > 2 ? ", " : "",
			  n > 2 ? words[2] : "");
}

static int read_scope(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		      void *base)
{
	static const char *const words[] = { "line", "group", "all" }; /* enum order */
	struct conf_policy *p = base;
	size_t i = 0;
	int ret = read_choice(r, s, words, 3, &i);

	(void)k;
	if (!ret)
		p->optout_scope = (enum conf_optout_scope)i;
	return ret;
}

static int read_stop_category(struct conf_reader *r, const config_setting_t *s,
			      const struct conf_key *k, void *base)
{
	static const char *const words[] = { "all", "marketing" };
	struct conf_policy *p = base;
	size_t i = 0;
	int ret = read_choice(r, s, words, 2, &i);

	(void)k;
	if (!ret)
		p->stop_marketing_only = i == 1;
	return ret;
}

static int read_country(struct conf_reader *r, const config_setting_t *s,
			const struct conf_key *k, void *base)
{
	struct conf_policy *p = base;
	const char *v = NULL;
	int ret = conf_get_string(r, s, &v);

	(void)k;
	if (ret)
		return ret;
	if (*v && !(strlen(v) == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z'))
		return conf_error(r, s, NULL, "\"%.20s\" is not an ISO 3166 country code "
				  "(two capital letters, e.g. \"GB\")", v);
	strcpy(p->default_country, v);
	return 0;
}

/* "HH:MM" into minutes of the day; 24:00 is the end of the day. */
static int read_clock(struct conf_reader *r, const config_setting_t *s, unsigned *minutes)
{
	const char *v = NULL;
	unsigned h, m;
	char tail;
	int ret = conf_get_string(r, s, &v);

	if (ret)
		return ret;
	if (sscanf(v, "%2u:%2u%c", &h, &m, &tail) != 2 || strlen(v) != 5 || m > 59 ||
	    h * 60 + m > 24 * 60)
		return conf_error(r, s, NULL, "\"%.20s\" is not a time of day \"HH:MM\"", v);
	*minutes = h * 60 + m;
	return 0;
}

static int read_quiet_start(struct conf_reader *r, const config_setting_t *s,
			    const struct conf_key *k, void *base)
{
	(void)k;
	return read_clock(r, s, &((struct conf_policy *)base)->quiet_start);
}

static int read_quiet_end(struct conf_reader *r, const config_setting_t *s,
			  const struct conf_key *k, void *base)
{
	(void)k;
	return read_clock(r, s, &((struct conf_policy *)base)->quiet_end);
}

static const char *const category_words[] = { "transactional", "conversational", "marketing" };

static int read_categories(struct conf_reader *r, const config_setting_t *s,
			   const struct conf_key *k, void *base)
{
	struct conf_policy *p = base;
	unsigned bits = 0;

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_error(r, s, NULL, "expected an array [ ... ] of categories, got %s",
				  conf_type_words(s));
	for (int i = 0; i < config_setting_length(s); i++) {
		size_t idx = 0;
		int ret = read_choice(r, config_setting_get_elem(s, (unsigned)i), category_words, 3,
				      &idx);

		if (ret)
			return ret;
		bits |= 1u << idx;
	}
	p->quiet_categories = bits;
	return 0;
}

static const struct conf_key quiet_keys[] = {
	{ .name = "start", .read = read_quiet_start },
	{ .name = "end", .read = read_quiet_end },
	{ .name = "categories", .read = read_categories },
	{ .name = NULL },
};

static int read_cap_category(struct conf_reader *r, const config_setting_t *s,
			     const struct conf_key *k, void *base)
{
	struct conf_cap *c = base;
	size_t idx = 0;
	int ret = read_choice(r, s, category_words, 3, &idx);

	(void)k;
	if (!ret)
		strcpy(c->category, category_words[idx]);
	return ret;
}

static const struct conf_key cap_keys[] = {
	{ .name = "category", .read = read_cap_category },
	{ .name = "max", .read = conf_read_uint, .offset = offsetof(struct conf_cap, max),
	  .min = 1, .max = 10000 },
	{ .name = "per", .read = conf_read_uint, .offset = offsetof(struct conf_cap, per),
	  .min = 60, .max = 31 * 86400 },
	{ .name = NULL },
};

static int read_caps(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		     void *base)
{
	struct conf_policy *p = base;

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_error(r, s, NULL, "expected a list ( ... ) of cap groups, got %s",
				  conf_type_words(s));
	p->ncaps = 0;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		struct conf_cap *c;
		int ret;

		if (i >= CONF_CAPS_MAX)
			return conf_error(r, e, NULL, "more than %d caps", CONF_CAPS_MAX);
		if (config_setting_type(e) != CONFIG_TYPE_GROUP)
			return conf_error(r, e, NULL, "expected a group { ... }, got %s",
					  conf_type_words(e));
		c = &p->caps[i];
		memset(c, 0, sizeof(*c));
		if ((ret = conf_read_members(r, e, cap_keys, c)))
			return ret;
		if (!c->category[0] || !c->max || !c->per)
			return conf_error(r, e, NULL, "a cap needs category, max and per");
		for (int j = 0; j < i; j++)
			if (strcmp(p->caps[j].category, c->category) == 0)
				return conf_error(r, e, "category", "\"%s\" has a cap already",
						  c->category);
		p->ncaps = (size_t)i + 1;
	}
	return 0;
}

/*
 * One language's words of one kind. They are tried against the built-in
 * lists here, so a word that would shadow STOP, START or HELP (or one
 * another entry gave another meaning) is an error naming its line.
 */
static int read_words(struct conf_reader *r, const config_setting_t *e, const char *key,
		      enum keyword_kind kind, const char *language, struct conf_policy *p,
		      struct keywords *kw)
{
	const config_setting_t *s = config_setting_get_member(e, key);

	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_error(r, s, NULL, "expected an array [ ... ] of words, got %s",
				  conf_type_words(s));
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *w = config_setting_get_elem(s, (unsigned)i);
		const char *v = NULL;
		struct conf_keyword *out;
		int ret = conf_get_string(r, w, &v);

		if (ret)
			return ret;
		if (p->nkeywords >= CONF_KEYWORDS_MAX)
			return conf_error(r, w, NULL, "more than %d keywords", CONF_KEYWORDS_MAX);
		ret = keywords_add(kw, kind, v);
		if (ret == -EEXIST)
			return conf_error(r, w, NULL, "\"%.40s\" already means something else "
					  "(the built-in STOP, START and HELP words cannot change)", v);
		if (ret == -ENOMEM)
			return conf_error(r, w, NULL, "out of memory");
		if (ret < 0)
			return conf_error(r, w, NULL, "\"%.40s\" is not a keyword (empty, only "
					  "punctuation, or longer than %d characters)", v,
					  KEYWORD_TEXT_MAX - 1);
		out = &p->keywords[p->nkeywords++];
		out->kind = (int)kind;
		snprintf(out->word, sizeof(out->word), "%s", v);
		snprintf(out->language, sizeof(out->language), "%s", language);
	}
	return 0;
}

static int read_keyword_groups(struct conf_reader *r, const config_setting_t *s,
			       struct conf_policy *p, struct keywords *kw)
{
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *language = "";
		int ret;

		if (config_setting_type(e) != CONFIG_TYPE_GROUP)
			return conf_error(r, e, NULL, "expected a group { ... }, got %s",
					  conf_type_words(e));
		for (int j = 0; j < config_setting_length(e); j++) {
			const config_setting_t *m = config_setting_get_elem(e, (unsigned)j);
			const char *name = config_setting_name(m);

			if (strcmp(name, "language") && strcmp(name, "opt_out") &&
			    strcmp(name, "opt_in") && strcmp(name, "help"))
				return conf_error(r, m, NULL, "unknown key (language, opt_out, "
						  "opt_in, help)");
			if (strcmp(name, "language") == 0 &&
			    ((ret = conf_get_string(r, m, &language)) ||
			     strlen(language) >= sizeof(p->keywords[0].language)))
				return ret ? ret : conf_error(r, m, NULL, "too long");
		}
		if ((ret = read_words(r, e, "opt_out", KEYWORD_OPT_OUT, language, p, kw)) ||
		    (ret = read_words(r, e, "opt_in", KEYWORD_OPT_IN, language, p, kw)) ||
		    (ret = read_words(r, e, "help", KEYWORD_HELP, language, p, kw)))
			return ret;
	}
	return 0;
}

static int read_keywords(struct conf_reader *r, const config_setting_t *s,
			 const struct conf_key *k, void *base)
{
	struct conf_policy *p = base;
	struct keywords *kw;
	int ret;

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_error(r, s, NULL, "expected a list ( ... ) of keyword groups, got %s",
				  conf_type_words(s));
	if (!(kw = keywords_new()))
		return conf_error(r, s, NULL, "out of memory");
	p->nkeywords = 0;
	ret = read_keyword_groups(r, s, p, kw);
	keywords_free(kw);
	return ret;
}

#define REPLY_KEY(field) \
	{ .name = #field, .read = conf_read_string, .offset = offsetof(struct conf_policy, field), \
	  .size = CONF_REPLY_MAX }

static const struct conf_key policy_keys[] = {
	{ .name = "default_country", .read = read_country },
	{ .name = "optout_scope", .read = read_scope },
	{ .name = "revoke_all", .read = conf_read_bool,
	  .offset = offsetof(struct conf_policy, revoke_all) },
	{ .name = "stop_category", .read = read_stop_category },
	{ .name = "strict", .read = conf_read_bool, .offset = offsetof(struct conf_policy, strict) },
	{ .name = "confirm_period", .read = conf_read_uint,
	  .offset = offsetof(struct conf_policy, confirm_period), .min = 0, .max = 31 * 86400 },
	REPLY_KEY(optout_reply),
	REPLY_KEY(optin_reply),
	REPLY_KEY(help_reply),
	/* at least a year: regulators ask for years of records, not days */
	{ .name = "retention_days", .read = conf_read_uint,
	  .offset = offsetof(struct conf_policy, retention_days), .min = 365, .max = 36500 },
	{ .name = "quiet_hours", .read = conf_read_group, .keys = quiet_keys },
	{ .name = "caps", .read = read_caps },
	{ .name = "keywords", .read = read_keywords },
	{ .name = NULL },
};

int conf_read_policy(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		     void *base)
{
	struct conf_policy *p = (struct conf_policy *)((char *)base + k->offset);
	int ret;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return conf_error(r, s, NULL, "expected a group { ... }, got %s",
				  conf_type_words(s));
	if ((ret = conf_read_members(r, s, policy_keys, p)))
		return ret;
	if (p->quiet_start >= p->quiet_end)
		return conf_error(r, s, "quiet_hours", "the allowed window must start before it "
				  "ends, within one day (e.g. start = \"08:00\"; end = \"21:00\")");
	return 0;
}
