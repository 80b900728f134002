/*
 * Splitting a planned text into PDUs (TS 23.040 9.2.3.24): the
 * concatenation element (8-bit reference 9.2.3.24.1, 16-bit 9.2.3.24.8) and
 * the language shift elements (9.2.3.24.15, .24.16) in each header, GSM
 * 7-bit text packed after the header's fill bits, and never an escape
 * sequence or a surrogate pair cut in two.
 */
#include <errno.h>
#include <string.h>

#include "parley/gsm7.h"
#include "sms_layout.h"
#include "sms_segments.h"
#include "text_chars.h"

#define TP_UDHI 0x40

int pdu_head_smsc(struct pdu_head *h, const char *smsc, const char **reason)
{
	int n;

	if (smsc && *smsc) {
		n = sms_address_encode(smsc, true, h->bytes, reason);
		if (n < 0)
			return n;
		h->smsc_len = (size_t)n;
	} else {
		/* a lone 00: the modem uses the SMSC stored on the SIM */
		h->bytes[0] = 0x00;
		h->smsc_len = 1;
	}
	h->len = h->smsc_len;
	h->mr_offset = -1;
	return 0;
}

int sms_segments_plan(const char *text, size_t len, const struct sms_submit_opts *planning,
		      size_t max, struct sms_plan *plan, struct sms_plan *plan_out,
		      const char **reason)
{
	int r = sms_plan_text(text, len, planning, plan, reason);

	if (r < 0)
		return r;
	if (plan_out)
		*plan_out = *plan;
	if (plan->segments > max) {
		if (reason)
			*reason = "more segments than the caller has room for";
		return -EMSGSIZE;
	}
	return 0;
}

uint8_t sms_segments_dcs(const struct sms_plan *plan, bool flash)
{
	uint8_t dcs = 0x00;

	switch (plan->coding) {
	case SMS_CODING_GSM7:
		dcs = 0x00;
		break;
	case SMS_CODING_8BIT:
		dcs = 0x04;
		break;
	case SMS_CODING_UCS2:
		dcs = 0x08;
		break;
	}
	/* bit 4: the class bits mean something; class 0 is flash */
	return flash ? (uint8_t)(dcs | 0x10) : dcs;
}

struct splitter {
	const struct sms_plan *plan;
	const struct pdu_head *head;
	uint16_t concat_ref;
	bool concat16;
	bool udh;
	struct sms_pdu *pdus;
};

static size_t udh_write(uint8_t *p, const struct splitter *s, unsigned seq)
{
	size_t n = 1;

	if (s->plan->segments > 1) {
		if (s->concat16) {
			p[n++] = 0x08;
			p[n++] = 4;
			p[n++] = (uint8_t)(s->concat_ref >> 8);
		} else {
			p[n++] = 0x00;
			p[n++] = 3;
		}
		p[n++] = (uint8_t)s->concat_ref;
		p[n++] = (uint8_t)s->plan->segments;
		p[n++] = (uint8_t)seq;
	}
	if (s->plan->locking_lang) {
		p[n++] = 0x24;
		p[n++] = 1;
		p[n++] = s->plan->locking_lang;
	}
	if (s->plan->single_lang) {
		p[n++] = 0x25;
		p[n++] = 1;
		p[n++] = s->plan->single_lang;
	}
	p[0] = (uint8_t)(n - 1);
	return n;
}

/* Segment seq (1-based) with units of body: septets, or octets for UCS-2 and 8-bit. */
static void segment_write(const struct splitter *s, unsigned seq, const uint8_t *body,
			  size_t units)
{
	struct sms_pdu *pdu = &s->pdus[seq - 1];
	const struct pdu_head *h = s->head;
	uint8_t *p = pdu->data, *udl;
	size_t n = h->len, udh_len = 0;

	memcpy(p, h->bytes, h->len);
	if (h->mr_offset >= 0)
		p[h->mr_offset] = (uint8_t)(p[h->mr_offset] + seq - 1);
	udl = p + n++;
	if (s->udh) {
		p[h->smsc_len] |= TP_UDHI;
		udh_len = udh_write(p + n, s, seq);
		n += udh_len;
	}
	if (s->plan->coding == SMS_CODING_GSM7) {
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

static int split_octets(const struct splitter *s, const uint8_t *data, size_t len)
{
	unsigned seq = 1, cap = s->plan->per_segment;

	for (size_t off = 0; seq <= s->plan->segments; seq++, off += cap)
		segment_write(s, seq, data + off, len - off < cap ? len - off : cap);
	return (int)s->plan->segments;
}

static int split_gsm7(const struct splitter *s, struct text_chars *it)
{
	uint8_t body[UD_SEPTETS];
	unsigned seq = 1, cap = s->plan->per_segment;
	size_t used = 0;
	uint32_t cp;

	while (text_chars_next(it, &cp) > 0) {
		uint8_t septets[2];
		int k = gsm7_encode_char(cp, s->plan->locking_lang, s->plan->single_lang, septets);

		if (used + (size_t)k > cap) {
			segment_write(s, seq, body, used);
			seq++;
			used = 0;
		}
		body[used] = septets[0];
		if (k == 2)
			body[used + 1] = septets[1];
		used += (size_t)k;
	}
	segment_write(s, seq, body, used);
	return (int)seq;
}

static int split_ucs2(const struct splitter *s, struct text_chars *it)
{
	uint8_t body[UD_OCTETS];
	unsigned seq = 1, cap = s->plan->per_segment;
	size_t used = 0; /* UTF-16 code units */
	uint32_t cp;

	while (text_chars_next(it, &cp) > 0) {
		size_t units = utf16_units(cp);
		uint8_t *p;

		if (used + units > cap) {
			segment_write(s, seq, body, used * 2);
			seq++;
			used = 0;
		}
		p = body + used * 2;
		if (units == 2) {
			uint32_t v = cp - 0x10000, hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
			p[0] = (uint8_t)(hi >> 8), p[1] = (uint8_t)hi;
			p[2] = (uint8_t)(lo >> 8), p[3] = (uint8_t)lo;
		} else {
			p[0] = (uint8_t)(cp >> 8), p[1] = (uint8_t)cp;
		}
		used += units;
	}
	segment_write(s, seq, body, used * 2);
	return (int)seq;
}

int sms_segments_encode(const char *text, size_t len, const struct sms_plan *plan,
			const struct pdu_head *head, uint16_t concat_ref, bool concat16,
			struct sms_pdu *pdus)
{
	struct splitter s = {
		.plan = plan,
		.head = head,
		.concat_ref = concat_ref,
		.concat16 = concat16,
		.udh = plan->segments > 1 || plan->locking_lang || plan->single_lang,
		.pdus = pdus,
	};
	struct text_chars it;

	switch (plan->coding) {
	case SMS_CODING_8BIT:
		return split_octets(&s, (const uint8_t *)text, len);
	case SMS_CODING_GSM7:
		text_chars_init(&it, text, len, plan->smart_used);
		return split_gsm7(&s, &it);
	case SMS_CODING_UCS2:
		text_chars_init(&it, text, len, plan->smart_used);
		return split_ucs2(&s, &it);
	}
	return 0;
}
