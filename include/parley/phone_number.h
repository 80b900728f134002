/*
 * Phone numbers as people and modems write them, brought to E.164
 * ("+447700900123"), and what a number tells about where its owner is: the
 * country, and for quiet hours every time zone the owner may be in.
 *
 * Normalising accepts the forms in daily use: separators, a leading '+',
 * the international prefix 00 or the default country's own (011 in North
 * America, 810 in Russia, 0011 in Australia), national numbers with the
 * trunk prefix (07700 900123 in GB, 1 415 555 0123 in the US), national
 * numbers without it, and international digits without the '+'. The
 * national significant number's length is checked against the country's
 * plan where parley knows it (ITU-T E.164 and the national plans); other
 * countries get E.164's general limit of 15 digits.
 *
 * What a number says about time zones is a guess on purpose made wide:
 * every zone a number with that prefix may be in, so that quiet hours can be
 * kept in all of them. In the North American plan the area code gives a
 * state or province; elsewhere the country. Mobile numbers are rarely tied
 * to a place, so countries spanning zones list them all, the capital's or
 * most populous first; past PHONE_ZONES_MAX the least populous are left out
 * (Russia's eleven, Australia's Eucla).
 *
 * Pure functions over constant tables: no allocation, no I/O, thread-safe.
 */
#ifndef PARLEY_PHONE_NUMBER_H
#define PARLEY_PHONE_NUMBER_H

#include <stddef.h>

/* E.164 allows 15 digits; with the '+' and the NUL a buffer of this size always fits. */
#define PHONE_E164_SIZE 17
#define PHONE_ZONES_MAX 6

/*
 * Normalises input to E.164 in out ("+" and up to 15 digits, NUL-terminated).
 * default_country is an ISO 3166 alpha-2 code ("GB", "US") used for national
 * forms; NULL or "" accepts international forms only ('+', 00, or bare
 * digits starting with a country code). why may be NULL; on success it is
 * set to NULL, on failure to a short static English sentence for logs and
 * replies ("letters in the number", "too short for GB").
 * Returns 0; -EINVAL when input is not a number parley can place (why says
 * which rule failed) or default_country is not a known code; -EMSGSIZE when
 * the number is valid but out cannot hold it (PHONE_E164_SIZE always can).
 * out is "" on failure when size > 0.
 */
int phone_normalise(const char *input, const char *default_country, char *out, size_t size,
		    const char **why);

/*
 * The ISO 3166 alpha-2 code of the country owning an E.164 number, in iso
 * (NUL-terminated). The longest calling-code prefix decides, then for a
 * shared code the digits after it: the area code for +1 (US, CA, the
 * Caribbean and Pacific members), 6 and 7 after +7 for KZ, and the like for
 * Jersey, Guernsey, the Isle of Man, Åland and others.
 * Returns 0; -EINVAL when e164 is not '+' and 1 to 15 digits; -ENOENT when
 * no country owns the code (spare codes, global services such as +800 and
 * +881, and unassigned North American area codes).
 */
int phone_country(const char *e164, char iso[3]);

struct phone_zones {
	char region[8];                      /* "US-FL", "CA-ON" (ISO 3166-2); else the country, "GB" */
	const char *zones[PHONE_ZONES_MAX];  /* IANA names, static; the main one first */
	size_t n;
};

/*
 * The region of an E.164 number and every IANA time zone its owner may be
 * in. For +1 the region comes from the area code (an area code serving
 * several provinces, 867, gives "CA"); elsewhere it is the country.
 * Returns 0 with out->n >= 1; -EINVAL when out is NULL or e164 is not '+'
 * and 1 to 15 digits; -ENOENT when the number's prefix is unknown or not tied to a place
 * (North American toll-free and other non-geographic area codes, +800).
 * out is emptied on failure.
 */
int phone_zones(const char *e164, struct phone_zones *out);

#endif
