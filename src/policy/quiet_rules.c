/*
 * Quiet-hours rules as data: the US federal window and the states whose
 * telephone-solicitation laws are stricter, and the choice of week for a
 * region (quiet_rules_for).
 *
 * Most of these laws speak of "telephone solicitation" or "telephonic sales
 * calls"; several now name text messages, and regulators and plaintiffs
 * read the others as covering them, so marketing texts follow them all.
 * Checked in November 2026 against the statute text where it could be
 * read (FL 501.616, WA 19.158.040, RI 5-61-3.6, MS 77-3-723) and otherwise
 * against published compliance summaries that name the statute (CT, KY,
 * LA, MD, OK, TX): a lawyer should confirm those before relying on them.
 * A state not listed falls back to the federal window; erring strict only
 * delays a text. Holidays are not modelled (quiet_hours.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "parley/quiet_hours.h"

#define HM(h, m) ((h) * 60 + (m))
#define WIN(h1, h2) { HM(h1, 0), HM(h2, 0) }
#define CLOSED { 0, 0 }
#define EVERY_DAY(h1, h2) { { WIN(h1, h2), WIN(h1, h2), WIN(h1, h2), WIN(h1, h2), \
			      WIN(h1, h2), WIN(h1, h2), WIN(h1, h2) } }

/* TCPA rules, 47 CFR 64.1200(c)(1): not before 8 a.m. or after 9 p.m. at the called party's location. */
static const struct quiet_window federal_window = WIN(8, 21);

struct state_rule {
	char code[3];             /* USPS state code */
	struct quiet_week week;   /* day[0] is Sunday */
	const char *source;
};

static const struct state_rule state_rules[] = {
	/* Connecticut: telephonic sales calls 9 a.m. to 8 p.m. (2023 amendment). */
	{ "CT", EVERY_DAY(9, 20), "Conn. Gen. Stat. 42-288a" },
	/* Florida Telephone Solicitation Act (2021) and Florida Telemarketing Act: 8 a.m. to 8 p.m. */
	{ "FL", EVERY_DAY(8, 20), "Fla. Stat. 501.059(8)(a), 501.616(6)(a)" },
	/* Kentucky telephone solicitation law: 10 a.m. to 9 p.m. */
	{ "KY", EVERY_DAY(10, 21), "KRS 367.46955" },
	/*
	 * Louisiana: no calls on Sundays or legal holidays, none between 8 p.m.
	 * and 8 a.m. Monday to Saturday.
	 */
	{ "LA", { { CLOSED, WIN(8, 20), WIN(8, 20), WIN(8, 20), WIN(8, 20), WIN(8, 20), WIN(8, 20) } },
	  "La. R.S. 45:811; La. PSC General Order R-29617" },
	/* Maryland Stop the Spam Calls Act of 2023: 8 a.m. to 8 p.m. */
	{ "MD", EVERY_DAY(8, 20), "Md. Code, Com. Law 14-4501 et seq. (Stop the Spam Calls Act)" },
	/*
	 * Mississippi Telephone Solicitation Act: no solicitation on Sunday.
	 * Its hours are stated in Central Standard Time and summaries disagree
	 * on 8 or 9 p.m.: 9 a.m. to 8 p.m. local holds in daylight time as well
	 * (8 a.m. CST is 9 a.m. CDT), at the cost of an hour in winter mornings.
	 */
	{ "MS", { { CLOSED, WIN(9, 20), WIN(9, 20), WIN(9, 20), WIN(9, 20), WIN(9, 20), WIN(9, 20) } },
	  "Miss. Code Ann. 77-3-723, 77-3-603" },
	/* Oklahoma Telephone Solicitation Act of 2022: 8 a.m. to 8 p.m. */
	{ "OK", EVERY_DAY(8, 20), "Okla. Stat. tit. 15, 775C.4" },
	/*
	 * Rhode Island Telephone Sales Solicitation Act, "hours of operation":
	 * weekdays 9 a.m. to 6 p.m., Saturdays 10 a.m. to 5 p.m., never on
	 * Sundays (nor holidays).
	 */
	{ "RI", { { CLOSED, WIN(9, 18), WIN(9, 18), WIN(9, 18), WIN(9, 18), WIN(9, 18), WIN(10, 17) } },
	  "R.I. Gen. Laws 5-61-2(9), 5-61-3.6" },
	/* Texas: 9 a.m. to 9 p.m. Monday to Saturday, noon to 9 p.m. on Sunday. */
	{ "TX", { { WIN(12, 21), WIN(9, 21), WIN(9, 21), WIN(9, 21), WIN(9, 21), WIN(9, 21), WIN(9, 21) } },
	  "Tex. Bus. & Com. Code 301.051" },
	/* Washington commercial telephone solicitation: not before 8 a.m. or after 8 p.m. */
	{ "WA", EVERY_DAY(8, 20), "RCW 19.158.040(2), 80.36.390" },
};

/* NANP territories under US law, given either as a country or as US-xx. */
static const char *const us_territories[] = { "PR", "VI", "GU", "AS", "MP" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* Whether s begins with the upper-case letters of word followed by end or '-'. */
static bool is_code(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i < n; i++)
		if (upper(s[i]) != word[i])
			return false;
	return s[n] == '\0' || s[n] == '-';
}

/* The two-letter subdivision after "XX-", upper-cased into out; false if there is none. */
static bool subdivision(const char *region, char out[3])
{
	if (region[0] == '\0' || region[1] == '\0' || region[2] != '-')
		return false;
	if (region[3] == '\0' || region[4] == '\0' || region[5] != '\0')
		return false;
	out[0] = upper(region[3]);
	out[1] = upper(region[4]);
	out[2] = '\0';
	return true;
}

static const struct state_rule *state_rule_for(const char *region)
{
	char sub[3];
	if (!region || !is_code(region, "US") || !subdivision(region, sub))
		return NULL;
	for (size_t i = 0; i < COUNT(state_rules); i++)
		if (strcmp(state_rules[i].code, sub) == 0)
			return &state_rules[i];
	return NULL;
}

static bool is_us(const char *region)
{
	if (is_code(region, "US"))
		return true;
	for (size_t i = 0; i < COUNT(us_territories); i++)
		if (is_code(region, us_territories[i]))
			return true;
	return false;
}

int quiet_rules_for(const char *region, const struct quiet_window *default_window,
		    struct quiet_week *out)
{
	if (!region || !default_window || !out)
		return -EINVAL;
	struct quiet_window op = *default_window;
	if (op.start_min < 0 || op.end_min > QUIET_MIN_PER_DAY || op.start_min > op.end_min)
		return -EINVAL;

	struct quiet_week week;
	const struct state_rule *state = state_rule_for(region);
	bool us = is_us(region);
	for (int d = 0; d < 7; d++) {
		struct quiet_window w = op;
		if (us)
			w = quiet_window_intersect(w, federal_window);
		if (state)
			w = quiet_window_intersect(w, state->week.day[d]);
		if (w.start_min >= w.end_min)
			w = (struct quiet_window){ 0, 0 };
		week.day[d] = w;
	}
	*out = week;
	return 0;
}

const char *quiet_rules_source(const char *region)
{
	const struct state_rule *state = state_rule_for(region);
	return state ? state->source : NULL;
}
