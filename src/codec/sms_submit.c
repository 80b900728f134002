/*
 * SMS-SUBMIT encoding (TS 23.040 9.2.2.2): one PDU per segment, each with
 * the SMSC part AT+CMGS expects first, concatenation and language shift
 * elements in the header (9.2.3.24.1, .24.8, .24.15, .24.16), and the text
 * split where the plan says, never inside an escape or a surrogate pair.
 */
#include <errno.h>
#include <string.h>

#include "parley/gsm7.h"
#include "parley/sms_submit.h"
#include "sms_layout.h"
#include "text_chars.h"

#define ADDRESS_DIGITS_MAX 20
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
	if (n > ADDRESS_DIGITS_MAX)
		return fail(reason, "number longer than 20 digits");
	if (strspn(digits, "0123456789") != n)
		return fail(reason, "number may hold only digits after an optional '+'");
	/* TP addresses count digits (23.040 9.1.2.5); the SMSC's RP address counts octets (24.011 8.2.5.1) */
	out[0] = smsc ? (uint8_t)(1 + (n + 1) / 2) : (uint8_t)n;
	out[1] = toa;
	return 2 + (int)bcd_write(digits, n, out + 2);
}

uint8_t sms_validity_relative_from_minutes(uint32_t minutes)
{
	/* 23.040 9.2.3.12.1, inverted: the smallest TP-VP lasting at least that long */
	if (minutes <= 12 * 60)
		return (uint8_t)(minutes <= 5 ? 0 : (minutes + 4) / 5 - 1);
	if (minutes <= 24 * 60)
		return (uint8_t)(143 + (minutes - 12 * 60 + 29) / 30);
	if (minutes <= 30 * 24 * 60)
		return (uint8_t)(166 + (minutes + 24 * 60 - 1) / (24 * 60));
	if (minutes <= 63u * 7 * 24 * 60)
		return (uint8_t)(192 + (minutes + 7 * 24 * 60 - 1) / (7 * 24 * 60));
	return 255;
}

/* What every segment shares: SMSC, first octet..DCS, validity. */
struct submit_head {
	uint8_t smsc[SMS_SMSC_MAX];
	size_t smsc_len;
	uint8_t dest[SMS_SMSC_MAX];
	size_t dest_len;
	uint8_t first_octet;
	uint8_t dcs;
	bool has_vp;
	uint8_t vp;
};

static int head_build(const struct sms_submit_opts *o, const struct sms_plan *plan,
		      bool udh, struct submit_head *h, const char **reason)
{
	int n;

	if (o->smsc && *o->smsc) {
		n = sms_address_encode(o->smsc, true, h->smsc, reason);
		if (n < 0)
			return n;
		h->smsc_len = (size_t)n;
	} else {
		h->smsc[0] = 0x00;
		h->smsc_len = 1;
	}
	n = sms_address_encode(o->to, false, h->dest, reason);
	if (n < 0)
		return n;
	h->dest_len = (size_t)n;

	h->has_vp = o->validity_minutes > 0;
	h->vp = sms_validity_relative_from_minutes(o->validity_minutes);
	/* 9.2.3.1-9.2.3.23: MTI SUBMIT, VPF relative, SRR, UDHI */
	h->first_octet = 0x01 | (h->has_vp ? 0x10 : 0) | (o->status_report ? 0x20 : 0) |
			 (udh ? 0x40 : 0);

	/* 23.038 4: general data coding group, class 0 when flashing */
	switch (plan->coding) {
	case SMS_CODING_GSM7:
		h->dcs = 0x00;
		break;
	case SMS_CODING_8BIT:
		h->dcs = 0x04;
		break;
	case SMS_CODING_UCS2:
		h->dcs = 0x08;
		break;
	}
	if (o->flash)
		h->dcs |= 0x10;
	return 0;
}

static size_t udh_write(uint8_t *p, const struct sms_submit_opts *o, const struct sms_plan *plan,
			unsigned seq)
{
	size_t n = 1;

	if (plan->segments > 1) {
		if (o->concat16) {
			p[n++] = 0x08;
			p[n++] = 4;
			p[n++] = (uint8_t)(o->concat_ref >> 8);
		} else {
			p[n++] = 0x00;
			p[n++] = 3;
		}
		p[n++] = (uint8_t)o->concat_ref;
		p[n++] = (uint8_t)plan->segments;
		p[n++] = (uint8_t)seq;
	}
	if (plan->locking_lang) {
		p[n++] = 0x24;
		p[n++] = 1;
		p[n++] = plan->locking_lang;
	}
	if (plan->single_lang) {
		p[n++] = 0x25;
		p[n++] = 1;
		p[n++] = plan->single_lang;
	}
	p[0] = (uint8_t)(n - 1);
	return n;
}

/* Writes segment seq (1-based) holding units of text (septets, or octets for UCS-2/8-bit). */
static void pdu_write(struct sms_pdu *pdu, const struct submit_head *h,
		      const struct sms_submit_opts *o, const struct sms_plan *plan, unsigned seq,
		      const uint8_t *body, size_t units)
{
	uint8_t *p = pdu->data;
	size_t n = 0, udh_len = 0;
	uint8_t *udl;

	memcpy(p, h->smsc, h->smsc_len);
	n = h->smsc_len;
	p[n++] = h->first_octet;
	p[n++] = (uint8_t)(o->mr + seq - 1);
	memcpy(p + n, h->dest, h->dest_len);
	n += h->dest_len;
	p[n++] = 0x00; /* TP-PID: plain short message */
	p[n++] = h->dcs;
	if (h->has_vp)
		p[n++] = h->vp;
	udl = p + n++;
	if (h->first_octet & 0x40)
		udh_len = udh_write(p + n, o, plan, seq);
	n += udh_len;

	if (plan->coding == SMS_CODING_GSM7) {
		unsigned header_septets = sms_layout_header_septets((unsigned)udh_len);
		unsigned fill = header_septets * 7 - (unsigned)udh_len * 8;
		*udl = (uint8_t)(header_septets + units);
		n += gsm7_pack(body, units, fill, p + n);
	} else {
		*udl = (uint8_t)(udh_len + units);
		memcpy(p + n, body, units);
		n += units;
	}
	pdu->len = (uint16_t)n;
	pdu->tpdu_len = (uint16_t)(n - h->smsc_len);
}

int sms_submit_encode(const char *text, size_t len, const struct sms_submit_opts *opts,
		      struct sms_pdu *pdus, size_t max, struct sms_plan *plan_out,
		      const char **reason)
{
	struct sms_plan plan;
	struct submit_head head;
	struct text_chars it;
	uint8_t body[UD_SEPTETS];
	size_t used = 0;
	unsigned seq = 1, cap;
	uint32_t cp;
	int r;

	r = sms_plan_text(text, len, opts, &plan, reason);
	if (r < 0)
		return r;
	if (plan_out)
		*plan_out = plan;
	if (plan.segments > max) {
		if (reason)
			*reason = "more segments than the caller has room for";
		return -EMSGSIZE;
	}
	bool udh = plan.segments > 1 || plan.locking_lang || plan.single_lang;
	r = head_build(opts, &plan, udh, &head, reason);
	if (r < 0)
		return r;
	cap = plan.per_segment;

	if (plan.coding == SMS_CODING_8BIT) {
		for (size_t off = 0; seq <= plan.segments; seq++, off += cap) {
			size_t n = len - off < cap ? len - off : cap;
			pdu_write(&pdus[seq - 1], &head, opts, &plan, seq, (const uint8_t *)text + off, n);
		}
		return (int)plan.segments;
	}

	text_chars_init(&it, text, len, plan.smart_used);
	if (plan.coding == SMS_CODING_GSM7) {
		while ((r = text_chars_next(&it, &cp)) > 0) {
			uint8_t septets[2];
			int k = gsm7_encode_char(cp, plan.locking_lang, plan.single_lang, septets);

			if (used + (size_t)k > cap) {
				pdu_write(&pdus[seq - 1], &head, opts, &plan, seq, body, used);
				seq++;
				used = 0;
			}
			body[used] = septets[0];
			if (k == 2)
				body[used + 1] = septets[1];
			used += (size_t)k;
		}
		pdu_write(&pdus[seq - 1], &head, opts, &plan, seq, body, used);
		return (int)seq;
	}

	/* UCS-2: capacity counts UTF-16 code units, the body holds two octets each */
	while ((r = text_chars_next(&it, &cp)) > 0) {
		size_t units = utf16_units(cp);

		if (used + units > cap) {
			pdu_write(&pdus[seq - 1], &head, opts, &plan, seq, body, used * 2);
			seq++;
			used = 0;
		}
		uint8_t *p = body + used * 2;
		if (units == 2) {
			uint32_t v = cp - 0x10000, hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
			p[0] = (uint8_t)(hi >> 8), p[1] = (uint8_t)hi;
			p[2] = (uint8_t)(lo >> 8), p[3] = (uint8_t)lo;
		} else {
			p[0] = (uint8_t)(cp >> 8), p[1] = (uint8_t)cp;
		}
		used += units;
	}
	pdu_write(&pdus[seq - 1], &head, opts, &plan, seq, body, used * 2);
	return (int)seq;
}
