/*
 * E.164 normalisation, and the country and time zones of a number, over the
 * tables in phone_countries.c and phone_nanp.c.
 *
 * Reading a number is done in two steps. The characters are checked and
 * the digits collected (separators dropped, one leading '+'). Then the
 * digits are placed: after a '+' they are international; without one they
 * may start with an international prefix, be a national number of the
 * default country with or without its trunk prefix, or be its international
 * digits without the '+'. Every reading ends in resolve(), which checks the
 * calling code and the national number's length against the owning
 * country's plan (ITU-T E.164 section 6: at most 15 digits).
 *
 * Does not: tell mobile from fixed numbers, follow number portability, or
 * accept vanity letters (1-800-FLOWERS): letters are refused.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "parley/phone_number.h"
#include "phone_tables.h"

#define E164_DIGITS_MAX 15
/* Digits read from input: the longest prefix (00700) and 15 digits, with room to tell "too long". */
#define SCAN_DIGITS_MAX 24

static int fail(const char **why, const char *sentence)
{
	if (why)
		*why = sentence;
	return -EINVAL;
}

/* The next item of a space-separated list; returns its length, 0 at the end. */
static size_t list_next(const char **pos, const char **item)
{
	const char *p = *pos;
	size_t len;

	while (*p == ' ')
		p++;
	len = strcspn(p, " ");
	*item = p;
	*pos = p + len;
	return len;
}

static bool starts_with(const char *d, size_t n, const char *prefix, size_t len)
{
	return len <= n && memcmp(d, prefix, len) == 0;
}

/* ---- tables ---- */

static const struct phone_country *country_by_iso(const char *iso)
{
	size_t lo = 0, hi = phone_countries_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(iso, phone_countries[mid].iso);
		if (c == 0)
			return &phone_countries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const struct phone_nanp *nanp_by_npa(unsigned npa)
{
	size_t lo = 0, hi = phone_nanp_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (phone_nanp[mid].npa == npa)
			return &phone_nanp[mid];
		if (npa < phone_nanp[mid].npa)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool is_global_code(const char *d, size_t len)
{
	for (size_t i = 0; i < phone_global_codes_count; i++)
		if (strlen(phone_global_codes[i]) == len && memcmp(d, phone_global_codes[i], len) == 0)
			return true;
	return false;
}

/* The row of a calling code's main owner (within NULL), or NULL. */
static const struct phone_country *main_owner(const char *d, size_t len)
{
	for (size_t i = 0; i < phone_countries_count; i++) {
		const struct phone_country *c = &phone_countries[i];
		if (!c->within && strlen(c->cc) == len && memcmp(d, c->cc, len) == 0)
			return c;
	}
	return NULL;
}

/*
 * The length of the calling code starting d (1 to 3 digits), 0 when no
 * country or global service holds one. E.164 codes are prefix-free, so at
 * most one length matches.
 */
static size_t cc_length(const char *d, size_t n)
{
	for (size_t len = 1; len <= 3 && len <= n; len++)
		if (main_owner(d, len) || is_global_code(d, len))
			return len;
	return 0;
}

/*
 * The country owning a national number under the calling code d[0..cl):
 * for +1 the area code's (NULL for an area code not in the table), else a
 * country listing a prefix of nsn in within, else the main owner. *area is
 * set for +1 numbers whose area code is known.
 */
static const struct phone_country *owner(const char *d, size_t cl, const char *nsn, size_t nn,
					 const struct phone_nanp **area)
{
	*area = NULL;
	if (cl == 1 && d[0] == '1') {
		char iso[3];

		if (nn < 3)
			return NULL;
		*area = nanp_by_npa((unsigned)((nsn[0] - '0') * 100 + (nsn[1] - '0') * 10 + (nsn[2] - '0')));
		if (!*area)
			return NULL;
		/* "US-FL" and "CA-ON" begin with their country; members' regions are their country */
		memcpy(iso, (*area)->region, 2);
		iso[2] = '\0';
		return country_by_iso(iso);
	}
	for (size_t i = 0; i < phone_countries_count; i++) {
		const struct phone_country *c = &phone_countries[i];
		const char *pos = c->within, *item;
		size_t len;

		if (!pos || strlen(c->cc) != cl || memcmp(d, c->cc, cl) != 0)
			continue;
		while ((len = list_next(&pos, &item)) > 0)
			if (starts_with(nsn, nn, item, len))
				return c;
	}
	return main_owner(d, cl);
}

static void nsn_limits(const struct phone_country *c, size_t cl, size_t *min, size_t *max)
{
	*min = c && c->nsn_min ? c->nsn_min : PHONE_NSN_MIN_GENERAL;
	*max = c && c->nsn_max ? c->nsn_max : E164_DIGITS_MAX - cl;
}

/* ---- placing digits ---- */

/*
 * Checks the international digits d[0..n) (no prefix, no '+') and writes
 * "+<digits>" to e164 (PHONE_E164_SIZE). Returns 0 or -EINVAL with *why.
 */
static int resolve(const char *d, size_t n, char *e164, const char **why)
{
	const struct phone_country *c;
	const struct phone_nanp *area;
	const char *nsn;
	size_t cl, nn, min, max;

	if (n == 0)
		return fail(why, "no digits");
	if (d[0] == '0')
		return fail(why, "no country code starts with 0");
	cl = cc_length(d, n);
	if (cl == 0) {
		const char *spare = n >= 3 ? phone_spare_why(d) : NULL;
		if (n < 3)
			return fail(why, "too short for E.164");
		return fail(why, spare ? spare : "unknown country code");
	}
	nsn = d + cl;
	nn = n - cl;
	c = owner(d, cl, nsn, nn, &area);
	if (!c)
		c = main_owner(d, cl); /* an unknown area code still follows the plan of +1 */
	nsn_limits(c, cl, &min, &max);
	if (c) {
		const char *pos = c->trunk, *t;
		size_t tl;

		/*
		 * A trunk prefix written after the country code ("+44 (0)20 ...",
		 * "+7 8 916 ..."): dropped when the rest fits, always for a 0,
		 * which starts no national number where it is the trunk prefix.
		 */
		while ((tl = list_next(&pos, &t)) > 0) {
			if (!starts_with(nsn, nn, t, tl))
				continue;
			if (nn - tl >= min && nn - tl <= max && (t[0] == '0' || nn > max)) {
				nsn += tl;
				nn -= tl;
				break;
			}
			/* a 0 left in front cannot be part of the number: measure without it */
			if (t[0] == '0')
				return fail(why, nn - tl < min ? c->too_short : c->too_long);
		}
		/* Mexican mobile numbers carried a 1 after +52 until 2019-2020 */
		if (strcmp(c->cc, "52") == 0 && nn == 11 && nsn[0] == '1') {
			nsn++;
			nn--;
		}
	}
	if (cl + nn > E164_DIGITS_MAX)
		return fail(why, "too long for E.164");
	if (nn > max)
		return fail(why, c ? c->too_long : "too long for E.164");
	if (nn < min)
		return fail(why, c ? c->too_short : "too short for E.164");
	if (cl == 1 && d[0] == '1') {
		/* NANP numbers are NXX NXX XXXX: N is 2 to 9 */
		if (nsn[0] < '2')
			return fail(why, "area code cannot start with 0 or 1");
		if (nsn[3] < '2')
			return fail(why, "exchange code cannot start with 0 or 1");
	}
	e164[0] = '+';
	memcpy(e164 + 1, d, cl);
	memcpy(e164 + 1 + cl, nsn, nn);
	e164[1 + cl + nn] = '\0';
	return 0;
}

/* A national number of home: its calling code and nsn, checked by resolve(). */
static int national(const struct phone_country *home, const char *nsn, size_t nn, char *e164,
		    const char **why)
{
	char d[E164_DIGITS_MAX + 1];
	size_t cl = strlen(home->cc);

	if (cl + nn > E164_DIGITS_MAX)
		return fail(why, "too long for E.164");
	memcpy(d, home->cc, cl);
	memcpy(d + cl, nsn, nn);
	return resolve(d, cl + nn, e164, why);
}

/* After an international prefix: the rest, or for Brazil the rest after a carrier code. */
static int after_prefix(const struct phone_country *home, const char *d, size_t n, char *e164,
			const char **why)
{
	const char *first;

	if (resolve(d, n, e164, &first) == 0)
		return 0;
	if (home && home->carrier && n > home->carrier && resolve(d + home->carrier, n - home->carrier, e164, why) == 0)
		return 0;
	return fail(why, first);
}

/*
 * Digits written without '+': an international prefix (home's own, then
 * 00), home's national forms, or international digits. A reading through
 * an international prefix that fails gives the reason unless a national
 * reading works.
 */
static int dialled(const struct phone_country *home, const char *d, size_t n, char *e164,
		   const char **why)
{
	const char *intl_why = NULL, *pos, *item;
	size_t len, min, max, cl;

	pos = home ? home->intl : "";
	for (bool plain = false; !plain;) {
		len = list_next(&pos, &item);
		if (len == 0) {
			item = "00";
			len = 2;
			plain = true;
		}
		if (n > len && memcmp(d, item, len) == 0) {
			const char *w;
			if (after_prefix(home, d + len, n - len, e164, &w) == 0)
				return 0;
			if (!intl_why)
				intl_why = w;
		}
	}
	if (!home) {
		if (intl_why)
			return fail(why, intl_why);
		if (d[0] == '0')
			return fail(why, "a national number needs a default country");
		return resolve(d, n, e164, why);
	}

	cl = strlen(home->cc);
	nsn_limits(home, cl, &min, &max);
	/* with the trunk prefix, and in Brazil perhaps a carrier code after it */
	pos = home->trunk;
	while ((len = list_next(&pos, &item)) > 0) {
		if (n <= len || memcmp(d, item, len) != 0)
			continue;
		if (n - len >= min && n - len <= max)
			return national(home, d + len, n - len, e164, why);
		if (home->carrier && n - len > home->carrier && n - len - home->carrier >= min &&
		    n - len - home->carrier <= max)
			return national(home, d + len + home->carrier, n - len - home->carrier, e164, why);
	}
	/* a country without a trunk prefix: national first, since +39 06... and 39... can look alike */
	if (home->trunk[0] == '\0' && n >= min && n <= max)
		return national(home, d, n, e164, why);
	/* the home country's international digits without the '+' */
	if (n > cl && memcmp(d, home->cc, cl) == 0 && n - cl >= min && n - cl <= max)
		return resolve(d, n, e164, why);
	/* a national number with its trunk prefix left off */
	if (n >= min && n <= max)
		return national(home, d, n, e164, why);
	if (intl_why)
		return fail(why, intl_why);
	/* measure what was written without a trunk prefix, if it has one */
	pos = home->trunk;
	len = n;
	while ((cl = list_next(&pos, &item)) > 0) {
		if (n > cl && memcmp(d, item, cl) == 0) {
			len = n - cl;
			break;
		}
	}
	if (n > E164_DIGITS_MAX)
		return fail(why, "too long for E.164");
	return fail(why, len < min ? home->too_short : home->too_long);
}

int phone_normalise(const char *input, const char *default_country, char *out, size_t size,
		    const char **why)
{
	char d[SCAN_DIGITS_MAX], e164[PHONE_E164_SIZE];
	const struct phone_country *home = NULL;
	bool plus = false, two_plus = false, late_plus = false, letters = false, other = false;
	bool overflow = false;
	size_t n = 0, len;
	int r;

	if (why)
		*why = NULL;
	if (out && size > 0)
		out[0] = '\0';
	if (!input)
		return fail(why, "no number");
	if (default_country && default_country[0]) {
		char iso[3] = { 0 };
		for (size_t i = 0; i < 2 && default_country[i]; i++) {
			char ch = default_country[i];
			iso[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
		}
		home = strlen(default_country) == 2 ? country_by_iso(iso) : NULL;
		if (!home)
			return fail(why, "unknown default country");
	}
	for (const char *p = input; *p; p++) {
		char ch = *p;

		if (ch >= '0' && ch <= '9') {
			if (n < sizeof(d))
				d[n++] = ch;
			else
				overflow = true;
		} else if (ch == '+') {
			if (plus)
				two_plus = true;
			else if (n > 0)
				late_plus = true;
			plus = true;
		} else if (ch == ' ' || ch == '\t' || ch == '-' || ch == '.' || ch == '(' || ch == ')' ||
			   ch == '/') {
			continue;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
			letters = true;
		} else {
			other = true;
		}
	}
	/* a sender with no digits at all is an alphanumeric name ("AMAZON"), never a number */
	if (letters)
		return fail(why, n > 0 ? "letters in the number" : "a name, not a number");
	if (other)
		return fail(why, "unexpected character in the number");
	if (two_plus)
		return fail(why, "more than one '+'");
	if (late_plus)
		return fail(why, "'+' after the first digit");
	if (n == 0)
		return fail(why, "no digits");
	if (overflow)
		return fail(why, "too long for E.164");

	r = plus ? resolve(d, n, e164, why) : dialled(home, d, n, e164, why);
	if (r < 0)
		return r;
	len = strlen(e164);
	if (!out || size < len + 1) {
		if (why)
			*why = "no room for the number";
		return -EMSGSIZE;
	}
	memcpy(out, e164, len + 1);
	if (why)
		*why = NULL;
	return 0;
}

/* ---- what a number says ---- */

/* The country and, for +1, the area of e164. Returns 0, -EINVAL or -ENOENT. */
static int lookup(const char *e164, const struct phone_country **country, const struct phone_nanp **area)
{
	const char *d;
	size_t n, cl;

	*country = NULL;
	*area = NULL;
	if (!e164 || e164[0] != '+')
		return -EINVAL;
	d = e164 + 1;
	n = strlen(d);
	if (n < 1 || n > E164_DIGITS_MAX || strspn(d, "0123456789") != n)
		return -EINVAL;
	cl = cc_length(d, n);
	if (cl == 0)
		return -ENOENT;
	*country = owner(d, cl, d + cl, n - cl, area);
	return *country ? 0 : -ENOENT;
}

int phone_country(const char *e164, char iso[3])
{
	const struct phone_country *c;
	const struct phone_nanp *area;
	int r = lookup(e164, &c, &area);

	if (iso)
		iso[0] = '\0';
	if (r < 0)
		return r;
	if (iso)
		memcpy(iso, c->iso, 3);
	return 0;
}

int phone_zones(const char *e164, struct phone_zones *out)
{
	const struct phone_country *c;
	const struct phone_nanp *area;
	const char *const *zones;
	const char *region;
	int r = lookup(e164, &c, &area);

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (r < 0)
		return r;
	region = area ? area->region : c->iso;
	zones = area ? area->zones : c->zones;
	for (size_t i = 0; i < PHONE_ZONES_MAX && zones[i]; i++)
		out->zones[out->n++] = zones[i];
	if (out->n == 0)
		return -ENOENT; /* toll-free and other non-geographic area codes */
	strncpy(out->region, region, sizeof(out->region) - 1);
	return 0;
}
