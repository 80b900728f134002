/* Phone numbers: E.164 normalisation by country, refusals and their reasons, owners, zones, tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parley/phone_number.h"
#include "../src/policy/phone_tables.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct accept {
	const char *country;
	const char *input;
	const char *e164;
};

static const struct accept accepted[] = {
	/* GB: every common way of writing the same mobile number */
	{ "GB", "07700 900123", "+447700900123" },
	{ "GB", "+44 7700 900123", "+447700900123" },
	{ "GB", "447700900123", "+447700900123" },
	{ "GB", "0044 7700 900123", "+447700900123" },
	{ "GB", "+44 (0)7700 900123", "+447700900123" },
	{ "GB", "+44 07700 900123", "+447700900123" },
	{ "GB", "7700 900123", "+447700900123" },
	{ "GB", "(020) 7946-0958", "+442079460958" },
	{ "GB", "020.7946.0958", "+442079460958" },
	{ "GB", " 0800 1111 ", "+448001111" },
	{ "GB", "+1 415 555 0123", "+14155550123" },
	{ "GB", "00 33 6 12 34 56 78", "+33612345678" },
	{ "gb", "07700900123", "+447700900123" },
	/* US and Canada */
	{ "US", "(415) 555-0123", "+14155550123" },
	{ "US", "415-555-0123", "+14155550123" },
	{ "US", "415.555.0123", "+14155550123" },
	{ "US", "1 (415) 555-0123", "+14155550123" },
	{ "US", "14155550123", "+14155550123" },
	{ "US", "+1-415-555-0123", "+14155550123" },
	{ "US", "+1 1 415 555 0123", "+14155550123" },
	{ "US", "011 44 7700 900123", "+447700900123" },
	{ "US", "00 44 7700 900123", "+447700900123" },
	{ "US", "800-555-0199", "+18005550199" },
	{ "CA", "(416) 555-0123", "+14165550123" },
	{ "CA", "1-604-555-0199", "+16045550199" },
	{ "CA", "011 33 1 23 45 67 89", "+33123456789" },
	/* France */
	{ "FR", "06 12 34 56 78", "+33612345678" },
	{ "FR", "+33 (0)6 12 34 56 78", "+33612345678" },
	{ "FR", "33612345678", "+33612345678" },
	{ "FR", "0033 1 23 45 67 89", "+33123456789" },
	{ "FR", "612345678", "+33612345678" },
	/* Germany: numbers of many lengths */
	{ "DE", "030 123456", "+4930123456" },
	{ "DE", "0151 23456789", "+4915123456789" },
	{ "DE", "+49 (0)30 1234567", "+49301234567" },
	{ "DE", "0049 89 1234567", "+49891234567" },
	{ "DE", "04721 12345", "+49472112345" },
	/* Italy keeps the leading 0 of fixed numbers, from abroad too */
	{ "IT", "06 1234 5678", "+390612345678" },
	{ "IT", "+39 06 1234 5678", "+390612345678" },
	{ "IT", "0039 06 1234 5678", "+390612345678" },
	{ "IT", "333 123 4567", "+393331234567" },
	{ "IT", "393331234567", "+393331234567" },
	{ "IT", "02 1234567", "+39021234567" },
	{ "GB", "+39 06 1234 5678", "+390612345678" },
	/* Spain */
	{ "ES", "612 34 56 78", "+34612345678" },
	{ "ES", "91 123 45 67", "+34911234567" },
	{ "ES", "34612345678", "+34612345678" },
	{ "ES", "+34 612 345 678", "+34612345678" },
	/* India */
	{ "IN", "098765 43210", "+919876543210" },
	{ "IN", "98765 43210", "+919876543210" },
	{ "IN", "919876543210", "+919876543210" },
	{ "IN", "+91-98765-43210", "+919876543210" },
	{ "IN", "011 2345 6789", "+911123456789" },
	/* Australia: 0011 is its international prefix */
	{ "AU", "0412 345 678", "+61412345678" },
	{ "AU", "(02) 9876 5432", "+61298765432" },
	{ "AU", "61412345678", "+61412345678" },
	{ "AU", "0011 44 7700 900123", "+447700900123" },
	{ "AU", "+61 (0)412 345 678", "+61412345678" },
	/* Brazil: two-digit area codes, 9-digit mobiles, carrier codes */
	{ "BR", "(11) 91234-5678", "+5511912345678" },
	{ "BR", "011 91234-5678", "+5511912345678" },
	{ "BR", "0 21 11 91234 5678", "+5511912345678" },
	{ "BR", "(21) 2345-6789", "+552123456789" },
	{ "BR", "55 11 91234 5678", "+5511912345678" },
	{ "BR", "00 21 44 7700 900123", "+447700900123" },
	{ "BR", "+55 11 91234-5678", "+5511912345678" },
	/* Mexico: no trunk prefix since 2019, and the old mobile 1 dropped */
	{ "MX", "55 1234 5678", "+525512345678" },
	{ "MX", "+52 1 55 1234 5678", "+525512345678" },
	{ "MX", "52 55 1234 5678", "+525512345678" },
	{ "MX", "00 1 415 555 0123", "+14155550123" },
	/* Russia: trunk 8, international 810 */
	{ "RU", "8 (916) 123-45-67", "+79161234567" },
	{ "RU", "+7 916 123-45-67", "+79161234567" },
	{ "RU", "79161234567", "+79161234567" },
	{ "RU", "810 44 7700 900123", "+447700900123" },
	{ "RU", "8 812 123 45 67", "+78121234567" },
	{ "RU", "+7 8 916 123 45 67", "+79161234567" },
	{ "KZ", "8 701 123 4567", "+77011234567" },
	/* others */
	{ "NL", "06 12345678", "+31612345678" },
	{ "HU", "06 1 234 5678", "+3612345678" },
	{ "JP", "090-1234-5678", "+819012345678" },
	{ "JP", "010 44 7700 900123", "+447700900123" },
	{ "BY", "8 029 123-45-67", "+375291234567" },
	{ "NZ", "021 123 4567", "+64211234567" },
	{ "CO", "005 44 7700 900123", "+447700900123" },
	{ "CO", "300 123 4567", "+573001234567" },
	{ "LT", "8 612 34567", "+37061234567" },
	{ "LT", "0 612 34567", "+37061234567" },
	/* no default country: only international forms */
	{ NULL, "+44 7700 900123", "+447700900123" },
	{ "", "0044 7700 900123", "+447700900123" },
	{ NULL, "447700900123", "+447700900123" },
	{ NULL, "+1 876 555 0123", "+18765550123" },
	{ NULL, "+881 6 1234 5678", "+881612345678" },
	{ NULL, "+376 712 345", "+376712345" },
	{ NULL, "+682 12345", "+68212345" },
	{ NULL, "+850 2 123 4567", "+85021234567" },  /* lengths not known: E.164's limits */
};

struct refuse {
	const char *country;
	const char *input;
	const char *why;
};

static const struct refuse refused[] = {
	{ "GB", "", "no digits" },
	{ "GB", "   ", "no digits" },
	{ "GB", "+", "no digits" },
	{ "GB", "(-)", "no digits" },
	{ "GB", "AMAZON", "a name, not a number" },
	{ "GB", "Vodafone", "a name, not a number" },
	{ "GB", "0770O 900123", "letters in the number" },
	{ "US", "1-800-FLOWERS", "letters in the number" },
	{ "GB", "07700 900123 ext 5", "letters in the number" },
	{ "GB", "++44 7700 900123", "more than one '+'" },
	{ "GB", "+44 +7700 900123", "more than one '+'" },
	{ "GB", "44+7700900123", "'+' after the first digit" },
	{ "GB", "07700#900123", "unexpected character in the number" },
	{ "GB", "07700_900123", "unexpected character in the number" },
	{ "GB", "+999 1234 5678", "unknown country code +999" },
	{ NULL, "+210 123 4567", "unknown country code +210" },
	{ "US", "011 969 1234567", "unknown country code +969" },
	{ "GB", "+0 123", "no country code starts with 0" },
	{ "GB", "+42", "too short for E.164" },
	{ "GB", "07700 90", "too short for GB" },
	{ "GB", "+44 7700", "too short for GB" },
	{ "GB", "07700 900123 45", "too long for GB" },
	{ "GB", "+44 7700 900123 4", "too long for GB" },
	{ "GB", "+44 7700 900123 456789", "too long for E.164" },
	{ "GB", "0044 7700 900123 456789 0123", "too long for E.164" },
	{ "GB", "1234567890123456789012345678", "too long for E.164" },
	{ "US", "415-555-012", "too short for US" },
	{ "US", "415-555-01234", "too long for US" },
	{ "US", "(015) 555-0123", "area code cannot start with 0 or 1" },
	{ "US", "415-055-0123", "exchange code cannot start with 0 or 1" },
	{ "US", "+1 876 555 012", "too short for JM" },
	{ "FR", "06 12 34 56", "too short for FR" },
	{ "FR", "06 12 34 56 78 9", "too long for FR" },
	{ "IN", "98765 4321", "too short for IN" },
	{ "AU", "0412 345 67", "too short for AU" },
	{ "RU", "8 916 123 45", "too short for RU" },
	{ "BR", "(11) 1234-567", "too short for BR" },
	{ "MX", "55 1234 567", "too short for MX" },
	{ "ES", "612 34 56 7", "too short for ES" },
	{ "IT", "12345", "too short for IT" },
	{ NULL, "07700 900123", "a national number needs a default country" },
	{ "ZZ", "07700 900123", "unknown default country" },
	{ "GBR", "07700 900123", "unknown default country" },
};

static void normalising(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(accepted); i++) {
		const struct accept *a = &accepted[i];
		char out[PHONE_E164_SIZE];
		const char *why = "unset";
		int r = phone_normalise(a->input, a->country, out, sizeof(out), &why);
		if (r != 0 || strcmp(out, a->e164) != 0)
			fprintf(stderr, "%s '%s': %d '%s' (%s), want %s\n", a->country ? a->country : "-",
				a->input, r, out, why ? why : "", a->e164);
		assert_int_equal(r, 0);
		assert_string_equal(out, a->e164);
		assert_null(why);
	}
}

static void refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(refused); i++) {
		const struct refuse *f = &refused[i];
		char out[PHONE_E164_SIZE] = "junk";
		const char *why = NULL;
		int r = phone_normalise(f->input, f->country, out, sizeof(out), &why);
		if (r != -EINVAL || !why || strcmp(why, f->why) != 0)
			fprintf(stderr, "%s '%s': %d '%s' (%s), want '%s'\n", f->country ? f->country : "-",
				f->input, r, out, why ? why : "", f->why);
		assert_int_equal(r, -EINVAL);
		assert_non_null(why);
		assert_string_equal(why, f->why);
		assert_string_equal(out, "");
	}
}

static void buffers(void **state)
{
	char small[13], exact[14];
	const char *why = NULL;
	(void)state;
	/* "+447700900123" is 13 characters: 14 bytes with the NUL */
	assert_int_equal(phone_normalise("07700 900123", "GB", small, sizeof(small), &why), -EMSGSIZE);
	assert_non_null(why);
	assert_string_equal(small, "");
	assert_int_equal(phone_normalise("07700 900123", "GB", exact, sizeof(exact), &why), 0);
	assert_string_equal(exact, "+447700900123");
	assert_int_equal(phone_normalise("07700 900123", "GB", NULL, 0, NULL), -EMSGSIZE);
	/* an invalid number says so before the buffer is considered */
	assert_int_equal(phone_normalise("AMAZON", "GB", NULL, 0, &why), -EINVAL);
	assert_int_equal(phone_normalise(NULL, "GB", exact, sizeof(exact), &why), -EINVAL);
	assert_int_equal(phone_normalise("07700 900123", "GB", exact, sizeof(exact), NULL), 0);
}

static void expect_country(const char *e164, int want_r, const char *want_iso)
{
	char iso[3] = "??";
	int r = phone_country(e164, iso);
	if (r != want_r || (want_r == 0 && strcmp(iso, want_iso) != 0))
		fprintf(stderr, "%s: %d %s, want %d %s\n", e164 ? e164 : "NULL", r, iso, want_r,
			want_iso ? want_iso : "");
	assert_int_equal(r, want_r);
	if (want_r == 0)
		assert_string_equal(iso, want_iso);
}

static void countries(void **state)
{
	(void)state;
	expect_country("+447700900123", 0, "GB");
	expect_country("+14155550123", 0, "US");
	expect_country("+14165550123", 0, "CA");
	expect_country("+16045550199", 0, "CA");
	expect_country("+15145550199", 0, "CA");
	expect_country("+18675550199", 0, "CA");
	expect_country("+18765550123", 0, "JM");
	expect_country("+16585550123", 0, "JM");
	expect_country("+17875550123", 0, "PR");
	expect_country("+18095550123", 0, "DO");
	expect_country("+12425550123", 0, "BS");
	expect_country("+16715550123", 0, "GU");
	expect_country("+18005550199", 0, "US"); /* toll-free: still the US */
	expect_country("+16005550199", 0, "CA");
	expect_country("+79161234567", 0, "RU");
	expect_country("+78121234567", 0, "RU");
	expect_country("+77011234567", 0, "KZ");
	expect_country("+77272123456", 0, "KZ");
	expect_country("+76123456789", 0, "KZ");
	expect_country("+33612345678", 0, "FR");
	expect_country("+390612345678", 0, "IT");
	expect_country("+3906698123456", 0, "VA");
	expect_country("+4915123456789", 0, "DE");
	expect_country("+441534123456", 0, "JE");
	expect_country("+441481123456", 0, "GG");
	expect_country("+441624123456", 0, "IM");
	expect_country("+35818123456", 0, "AX");
	expect_country("+358401234567", 0, "FI");
	expect_country("+4779123456", 0, "SJ");
	expect_country("+4791234567", 0, "NO");
	expect_country("+262269123456", 0, "YT");
	expect_country("+262692123456", 0, "RE");
	expect_country("+5999123456", 0, "CW");
	expect_country("+5997123456", 0, "BQ");
	expect_country("+61412345678", 0, "AU");
	expect_country("+61891621234", 0, "CC");
	expect_country("+212612345678", 0, "MA");
	expect_country("+590690123456", 0, "GP");
	expect_country("+3801234567", 0, "UA");
	expect_country("+35312345678", 0, "IE");
	expect_country("+9999", -ENOENT, NULL);
	expect_country("+2101234567", -ENOENT, NULL);
	expect_country("+80012345678", -ENOENT, NULL); /* global freephone */
	expect_country("+19995550123", -ENOENT, NULL); /* area code not assigned */
	expect_country("+1", -ENOENT, NULL);
	expect_country("447700900123", -EINVAL, NULL);
	expect_country("+44 7700 900123", -EINVAL, NULL);
	expect_country("+", -EINVAL, NULL);
	expect_country("+1234567890123456", -EINVAL, NULL);
	expect_country(NULL, -EINVAL, NULL);
}

static bool has_zone(const struct phone_zones *z, const char *name)
{
	for (size_t i = 0; i < z->n; i++)
		if (strcmp(z->zones[i], name) == 0)
			return true;
	return false;
}

static void expect_zones(const char *e164, const char *region, const char *const *want, size_t nwant)
{
	struct phone_zones z;
	int r = phone_zones(e164, &z);
	if (r != 0)
		fprintf(stderr, "%s: %d\n", e164, r);
	assert_int_equal(r, 0);
	assert_string_equal(z.region, region);
	assert_true(z.n >= 1 && z.n <= PHONE_ZONES_MAX);
	assert_string_equal(z.zones[0], want[0]); /* the main zone first */
	for (size_t i = 0; i < nwant; i++) {
		if (!has_zone(&z, want[i]))
			fprintf(stderr, "%s: no %s\n", e164, want[i]);
		assert_true(has_zone(&z, want[i]));
	}
}

#define ZONES(e164, region, ...)                                                      \
	do {                                                                          \
		static const char *const want_[] = { __VA_ARGS__ };                   \
		expect_zones(e164, region, want_, sizeof(want_) / sizeof(want_[0])); \
	} while (0)

static void zones(void **state)
{
	struct phone_zones z;
	(void)state;
	ZONES("+13055550123", "US-FL", "America/New_York");
	ZONES("+18505550123", "US-FL", "America/Chicago", "America/New_York");
	ZONES("+14485550123", "US-FL", "America/Chicago", "America/New_York");
	ZONES("+12125550123", "US-NY", "America/New_York");
	ZONES("+13125550123", "US-IL", "America/Chicago");
	ZONES("+17135550123", "US-TX", "America/Chicago");
	ZONES("+19155550123", "US-TX", "America/Denver");
	ZONES("+14155550123", "US-CA", "America/Los_Angeles");
	ZONES("+16025550123", "US-AZ", "America/Phoenix");
	ZONES("+19285550123", "US-AZ", "America/Phoenix", "America/Denver");
	ZONES("+12085550123", "US-ID", "America/Boise", "America/Los_Angeles");
	ZONES("+19075550123", "US-AK", "America/Anchorage", "America/Adak");
	ZONES("+18085550123", "US-HI", "Pacific/Honolulu");
	ZONES("+12025550123", "US-DC", "America/New_York");
	ZONES("+19065550123", "US-MI", "America/Detroit", "America/Menominee");
	ZONES("+16045550199", "CA-BC", "America/Vancouver");
	ZONES("+12505550199", "CA-BC", "America/Vancouver", "America/Edmonton", "America/Dawson_Creek");
	ZONES("+14165550123", "CA-ON", "America/Toronto");
	ZONES("+18075550123", "CA-ON", "America/Toronto", "America/Winnipeg");
	ZONES("+15145550123", "CA-QC", "America/Toronto");
	ZONES("+17095550123", "CA-NL", "America/St_Johns");
	ZONES("+13065550123", "CA-SK", "America/Regina");
	ZONES("+18675550123", "CA", "America/Whitehorse", "America/Yellowknife", "America/Iqaluit");
	ZONES("+18765550123", "JM", "America/Jamaica");
	ZONES("+17875550123", "PR", "America/Puerto_Rico");
	ZONES("+447700900123", "GB", "Europe/London");
	ZONES("+33612345678", "FR", "Europe/Paris");
	ZONES("+61412345678", "AU", "Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane",
	      "Australia/Adelaide", "Australia/Perth", "Australia/Darwin");
	ZONES("+79161234567", "RU", "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk",
	      "Asia/Vladivostok");
	ZONES("+77011234567", "KZ", "Asia/Almaty", "Asia/Aqtobe");
	ZONES("+5511912345678", "BR", "America/Sao_Paulo", "America/Manaus", "America/Rio_Branco",
	      "America/Noronha");
	ZONES("+525512345678", "MX", "America/Mexico_City", "America/Tijuana", "America/Cancun");
	ZONES("+6281234567890", "ID", "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura");
	ZONES("+34612345678", "ES", "Europe/Madrid", "Atlantic/Canary");
	ZONES("+919876543210", "IN", "Asia/Kolkata");
	ZONES("+441534123456", "JE", "Europe/Jersey");

	/* non-geographic area codes own no zone; they are still North American */
	assert_int_equal(phone_zones("+18005550199", &z), -ENOENT);
	assert_int_equal(z.n, 0);
	assert_string_equal(z.region, "");
	assert_int_equal(phone_zones("+18885550199", &z), -ENOENT);
	assert_int_equal(phone_zones("+19005550199", &z), -ENOENT);
	assert_int_equal(phone_zones("+15005550199", &z), -ENOENT);
	assert_int_equal(phone_zones("+16225550199", &z), -ENOENT);
	assert_int_equal(phone_zones("+19995550199", &z), -ENOENT);
	assert_int_equal(phone_zones("+80012345678", &z), -ENOENT);
	assert_int_equal(phone_zones("+9991234", &z), -ENOENT);
	assert_int_equal(phone_zones("447700900123", &z), -EINVAL);
	assert_int_equal(phone_zones(NULL, &z), -EINVAL);
	assert_int_equal(phone_zones("+447700900123", NULL), -EINVAL);
}

/* What phone_normalise gives back it reads back the same, and the tables agree with the lookups. */
static void round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(accepted); i++) {
		char again[PHONE_E164_SIZE];
		assert_int_equal(phone_normalise(accepted[i].e164, NULL, again, sizeof(again), NULL), 0);
		assert_string_equal(again, accepted[i].e164);
		assert_int_equal(phone_normalise(accepted[i].e164, "GB", again, sizeof(again), NULL), 0);
		assert_string_equal(again, accepted[i].e164);
	}
	/* every geographic area code: a valid number, owned by the region's country, with zones */
	for (size_t i = 0; i < phone_nanp_count; i++) {
		char e164[PHONE_E164_SIZE], out[PHONE_E164_SIZE], iso[3];
		struct phone_zones z;
		snprintf(e164, sizeof(e164), "+1%03u5550123", phone_nanp[i].npa);
		assert_int_equal(phone_normalise(e164, "US", out, sizeof(out), NULL), 0);
		assert_int_equal(phone_country(e164, iso), 0);
		assert_memory_equal(iso, phone_nanp[i].region, 2);
		if (phone_nanp[i].zones[0]) {
			assert_int_equal(phone_zones(e164, &z), 0);
			assert_string_equal(z.region, phone_nanp[i].region);
		} else {
			assert_int_equal(phone_zones(e164, &z), -ENOENT);
		}
	}
}

static void tables_sorted(void **state)
{
	(void)state;
	for (size_t i = 1; i < phone_nanp_count; i++) {
		if (phone_nanp[i - 1].npa >= phone_nanp[i].npa)
			fprintf(stderr, "nanp: %u before %u\n", phone_nanp[i - 1].npa, phone_nanp[i].npa);
		assert_true(phone_nanp[i - 1].npa < phone_nanp[i].npa);
	}
	for (size_t i = 0; i < phone_nanp_count; i++) {
		const char *r = phone_nanp[i].region;
		assert_true(phone_nanp[i].npa >= 200 && phone_nanp[i].npa <= 999);
		/* NANP codes never have 9 as their middle digit */
		assert_true(phone_nanp[i].npa / 10 % 10 != 9);
		assert_true(strlen(r) == 2 || (strlen(r) == 5 && r[2] == '-'));
	}
	for (size_t i = 1; i < phone_countries_count; i++) {
		if (strcmp(phone_countries[i - 1].iso, phone_countries[i].iso) >= 0)
			fprintf(stderr, "countries: %s before %s\n", phone_countries[i - 1].iso,
				phone_countries[i].iso);
		assert_true(strcmp(phone_countries[i - 1].iso, phone_countries[i].iso) < 0);
	}
	for (size_t i = 0; i < phone_countries_count; i++) {
		const struct phone_country *c = &phone_countries[i];
		size_t cl = strlen(c->cc);
		assert_true(cl >= 1 && cl <= 3);
		assert_true(strspn(c->cc, "0123456789") == cl && c->cc[0] != '0');
		assert_true(c->nsn_min <= c->nsn_max);
		assert_true(cl + c->nsn_max <= 15);
		assert_non_null(c->zones[0]);
		assert_non_null(strstr(c->too_short, c->iso));
	}
	/* each calling code has one main owner */
	for (size_t i = 0; i < phone_countries_count; i++) {
		size_t mains = 0;
		for (size_t j = 0; j < phone_countries_count; j++)
			if (!phone_countries[j].within && strcmp(phone_countries[i].cc, phone_countries[j].cc) == 0)
				mains++;
		if (mains != 1)
			fprintf(stderr, "+%s: %zu main owners\n", phone_countries[i].cc, mains);
		assert_int_equal(mains, 1);
	}
}

/* Every three-digit start from 100 to 999 is a country, a service, or a spare code with its sentence. */
static void spare_codes(void **state)
{
	size_t spares = 0;
	(void)state;
	for (unsigned cc = 100; cc <= 999; cc++) {
		char num[24], out[PHONE_E164_SIZE], iso[3];
		const char *why = NULL;
		snprintf(num, sizeof(num), "+%u1234567", cc);
		if (phone_normalise(num, NULL, out, sizeof(out), &why) == 0)
			continue;
		if (phone_country(num, iso) == -ENOENT && strncmp(why, "unknown country code +", 22) == 0) {
			assert_int_equal(atoi(why + 22), (int)cc);
			spares++;
			continue;
		}
		/* otherwise a known code refusing this length */
		assert_null(strstr(why, "unknown"));
	}
	assert_true(spares > 80);
}

static void zone_names_exist(void **state)
{
	struct stat st;
	char path[256];
	size_t checked = 0;
	(void)state;
	if (stat("/usr/share/zoneinfo", &st) != 0)
		skip();
	for (size_t i = 0; i < phone_countries_count; i++)
		for (size_t k = 0; k < PHONE_ZONES_MAX && phone_countries[i].zones[k]; k++) {
			snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", phone_countries[i].zones[k]);
			if (stat(path, &st) != 0)
				fprintf(stderr, "%s: no zone %s\n", phone_countries[i].iso, phone_countries[i].zones[k]);
			assert_int_equal(stat(path, &st), 0);
			checked++;
		}
	for (size_t i = 0; i < phone_nanp_count; i++)
		for (size_t k = 0; k < PHONE_ZONES_MAX && phone_nanp[i].zones[k]; k++) {
			snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", phone_nanp[i].zones[k]);
			if (stat(path, &st) != 0)
				fprintf(stderr, "%u: no zone %s\n", phone_nanp[i].npa, phone_nanp[i].zones[k]);
			assert_int_equal(stat(path, &st), 0);
			checked++;
		}
	assert_true(checked > 600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalising),
		cmocka_unit_test(refusals),
		cmocka_unit_test(buffers),
		cmocka_unit_test(countries),
		cmocka_unit_test(zones),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(tables_sorted),
		cmocka_unit_test(spare_codes),
		cmocka_unit_test(zone_names_exist),
	};
	return cmocka_run_group_tests_name("phone_number", tests, NULL, NULL);
}
