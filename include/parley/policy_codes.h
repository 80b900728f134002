/*
 * Why policy refused or held a message: stable numbers and names that
 * callers (the CLI, MQTT clients) can act on without parsing sentences.
 * Never renumber one; add new ones at the end of their block.
 *   40xx: refused (the message is not sent)
 *   41xx: held (the message waits and goes later)
 */
#ifndef PARLEY_POLICY_CODES_H
#define PARLEY_POLICY_CODES_H

enum policy_code {
	POLICY_OK = 0,
	POLICY_OPTED_OUT = 4001,        /* the recipient revoked consent (texted STOP, ...) */
	POLICY_NO_CONSENT = 4002,       /* marketing to a number with no recorded consent */
	POLICY_INVALID_NUMBER = 4003,   /* not a phone number parley can normalise */
	POLICY_QUIET_HOURS = 4101,      /* outside the recipient's allowed hours */
	POLICY_FREQUENCY_CAP = 4102,    /* the recipient got enough of this category lately */
	POLICY_UNDECIDED = 4103,        /* policy could not decide (the store failed): ask again */
};

/* "opted_out", "no_consent", ...; "ok" for POLICY_OK, "unknown" for others. */
const char *policy_code_name(enum policy_code code);

#endif
