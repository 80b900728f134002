/*
 * Address fields: TP addresses (TS 23.040 9.1.2.5) whose length counts
 * semi-octets, and the SMSC's RP address (TS 24.011 8.2.5.1) whose length
 * counts octets. Digits are swapped BCD with '*', '#', 'a', 'b', 'c' for
 * 0xA-0xE (TS 24.008 10.5.4.7); alphanumeric addresses are packed GSM 7-bit.
 */
#include <errno.h>
#include <string.h>

#include "parley/gsm7.h"
#include "parley/sms_submit.h"
#include "parley/utf8.h"
#include "pdu_fields.h"

#define TP_ADDRESS_DIGITS_MAX 20
#define RP_ADDRESS_OCTETS_MAX 11 /* TOA and 10 octets of digits */

static const char bcd_digits[16] = "0123456789*#abc";

static void toa_split(uint8_t toa, struct sms_address *addr)
{
	addr->toa = toa;
	addr->type = (enum sms_number_type)((toa >> 4) & 0x7);
	addr->npi = toa & 0xF;
}

/* Digits of n semi-octets; a 0xF nibble is filler and skipped. */
static void bcd_read(const uint8_t *p, size_t n, struct sms_address *addr)
{
	size_t out = 0;

	if (addr->type == SMS_NUMBER_INTERNATIONAL)
		addr->number[out++] = '+';
	for (size_t i = 0; i < n; i++) {
		unsigned nib = i % 2 ? p[i / 2] >> 4 : p[i / 2] & 0xF;
		if (nib != 0xF)
			addr->number[out++] = bcd_digits[nib];
	}
	addr->number[out] = '\0';
}

int pdu_address_read(const uint8_t *pdu, size_t len, size_t *pos, bool smsc,
		     struct sms_address *addr, const char **reason)
{
	size_t p = *pos, digits, octets;

	memset(addr, 0, sizeof(*addr));
	if (p >= len)
		return pdu_fail(reason, smsc ? "missing SMSC length" : "missing address length");
	if (smsc) {
		octets = pdu[p++];
		if (octets == 0) {
			*pos = p;
			return 0;
		}
		if (octets > RP_ADDRESS_OCTETS_MAX)
			return pdu_fail(reason, "SMSC address longer than 11 octets");
		if (len - p < octets)
			return pdu_fail(reason, "SMSC address runs past the end");
		toa_split(pdu[p], addr);
		digits = (octets - 1) * 2;
		bcd_read(pdu + p + 1, digits, addr);
		*pos = p + octets;
		return 0;
	}
	digits = pdu[p++];
	if (digits > TP_ADDRESS_DIGITS_MAX)
		return pdu_fail(reason, "address longer than 20 digits");
	octets = (digits + 1) / 2;
	if (len - p < 1 + octets)
		return pdu_fail(reason, "address runs past the end");
	toa_split(pdu[p], addr);
	if (addr->type == SMS_NUMBER_ALPHANUMERIC) {
		/* 23.040 9.1.2.5: the length counts the semi-octets the septets fill */
		uint8_t septets[TP_ADDRESS_DIGITS_MAX * 4 / 7 + 1];
		size_t n = digits * 4 / 7;

		if (gsm7_unpack(pdu + p + 1, octets, 0, n, septets) < 0 ||
		    gsm7_decode(septets, n, 0, 0, addr->number, sizeof(addr->number)) < 0)
			return pdu_fail(reason, "bad alphanumeric address");
	} else {
		bcd_read(pdu + p + 1, digits, addr);
	}
	*pos = p + 1 + octets;
	return 0;
}

/* ---- writing ---- */

#define ALNUM_SEPTETS_MAX 11
#define TOA_INTERNATIONAL 0x91
#define TOA_UNKNOWN 0x81
#define TOA_ALPHANUMERIC 0xD0

static int fail(const char **reason, const char *why)
{
	if (reason)
		*reason = why;
	return -EINVAL;
}

/* Swapped BCD digits with an 0xF filler; returns octets written. */
static size_t bcd_write(const char *digits, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i += 2) {
		unsigned lo = (unsigned)(digits[i] - '0');
		unsigned hi = i + 1 < n ? (unsigned)(digits[i + 1] - '0') : 0xF;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (n + 1) / 2;
}

static int alnum_write(const char *name, uint8_t out[SMS_SMSC_MAX], const char **reason)
{
	uint8_t septets[ALNUM_SEPTETS_MAX + 1];
	size_t n = 0, pos = 0, len = strlen(name);

	while (pos < len) {
		uint8_t s[2];
		int32_t cp = utf8_next(name, len, &pos);
		int k;

		if (cp < 0)
			return fail(reason, "destination is not valid UTF-8");
		k = gsm7_encode_char((uint32_t)cp, 0, 0, s);
		if (k == 0)
			return fail(reason, "alphanumeric destination has a character outside GSM 7-bit");
		if (n + (size_t)k > ALNUM_SEPTETS_MAX)
			return fail(reason, "alphanumeric destination longer than 11 characters");
		memcpy(septets + n, s, (size_t)k);
		n += (size_t)k;
	}
	/* 9.1.2.5: the length counts the semi-octets the packed septets use */
	out[0] = (uint8_t)((n * 7 + 3) / 4);
	out[1] = TOA_ALPHANUMERIC;
	return 2 + (int)gsm7_pack(septets, n, 0, out + 2);
}

int sms_address_encode(const char *number, bool smsc, uint8_t out[SMS_SMSC_MAX],
		       const char **reason)
{
	const char *digits = number;
	uint8_t toa = TOA_UNKNOWN;
	size_t n;

	if (!number || !*number)
		return fail(reason, smsc ? "empty SMSC number" : "empty destination");
	if (*digits == '+') {
		toa = TOA_INTERNATIONAL;
		digits++;
	} else if (!(*digits >= '0' && *digits <= '9')) {
		if (smsc)
			return fail(reason, "SMSC number must be digits, optionally after '+'");
		return alnum_write(number, out, reason);
	}
	n = strlen(digits);
	if (n == 0)
		return fail(reason, "number has no digits after '+'");
	if (n > TP_ADDRESS_DIGITS_MAX)
		return fail(reason, "number longer than 20 digits");
	if (strspn(digits, "0123456789") != n)
		return fail(reason, "number may hold only digits after an optional '+'");
	/* TP addresses count digits (23.040 9.1.2.5); the SMSC's RP address counts octets (24.011 8.2.5.1) */
	out[0] = smsc ? (uint8_t)(1 + (n + 1) / 2) : (uint8_t)n;
	out[1] = toa;
	return 2 + (int)bcd_write(digits, n, out + 2);
}
