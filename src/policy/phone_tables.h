/*
 * The numbering tables behind phone_number.c, shared with its unit test:
 * countries by ISO code (phone_countries.c) and North American area codes
 * (phone_nanp.c). Constant data only.
 */
#ifndef PARLEY_PHONE_TABLES_H
#define PARLEY_PHONE_TABLES_H

#include <stddef.h>

#include "parley/phone_number.h"

/* Used for countries whose plan parley does not know: a national number of 4 (Niue) to 15 - cc digits. */
#define PHONE_NSN_MIN_GENERAL 4

struct phone_country {
	char iso[3];
	char cc[4];             /* calling code, digits */
	/*
	 * For a calling code shared by several countries: NULL for the main
	 * owner; a space-separated list of national-number prefixes that
	 * belong to this country instead ("6 7" for KZ under +7); "" when no
	 * prefix tells it apart (the country is only ever a default).
	 */
	const char *within;
	const char *trunk;      /* national trunk prefixes, space-separated; "" for none */
	const char *intl;       /* international prefixes besides 00, space-separated */
	unsigned char nsn_min;  /* national significant number length; 0 when unknown */
	unsigned char nsn_max;
	unsigned char carrier;  /* digits of a carrier code after the trunk or 00 (Brazil) */
	const char *too_short;  /* why sentences, static because they are built by the table's macro */
	const char *too_long;
	const char *zones[PHONE_ZONES_MAX]; /* NULL after the last */
};

extern const struct phone_country phone_countries[];   /* sorted by iso, unique */
extern const size_t phone_countries_count;

/* Calling codes of global services (+800 freephone, +881 satellite): numbers, but no country. */
extern const char *const phone_global_codes[];
extern const size_t phone_global_codes_count;

/* "unknown country code +NNN" for a spare three-digit code, NULL when cc3 is not one listed. */
const char *phone_spare_why(const char *cc3);

struct phone_nanp {
	unsigned short npa;
	char region[6];  /* "US-FL", "CA-ON"; a country code for members with their own ("JM", "PR") */
	const char *zones[PHONE_ZONES_MAX]; /* NULL after the last; none for non-geographic codes */
};

extern const struct phone_nanp phone_nanp[];   /* sorted by npa, unique */
extern const size_t phone_nanp_count;

#endif
