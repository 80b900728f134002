/*
 * Decoding of SMS-DELIVER (TS 23.040 9.2.2.1), SMS-SUBMIT (9.2.2.2) and
 * SMS-STATUS-REPORT (9.2.2.3) TPDUs, optionally preceded by the SMSC
 * address as modems print them. Every field is read through bounds checks;
 * nothing is allocated.
 */
#include <errno.h>
#include <string.h>

#include "parley/gsm7.h"
#include "parley/hex.h"
#include "parley/sms.h"
#include "parley/utf8.h"
#include "pdu_fields.h"

#define GSM7_SEPTETS_MAX 160
#define REPLACEMENT_CHAR 0xFFFD

static int octet_read(const uint8_t *pdu, size_t len, size_t *pos, uint8_t *out,
		      const char **reason, const char *what)
{
	if (*pos >= len)
		return pdu_fail(reason, what);
	*out = pdu[(*pos)++];
	return 0;
}

/* 23.040 9.2.3.12.3: the enhanced format's first octet says which kind follows. */
static int validity_enhanced(const uint8_t *vp, struct sms_validity *v)
{
	v->format = SMS_VALIDITY_ENHANCED;
	switch (vp[0] & 0x7) {
	case 0:
		v->seconds = 0;
		return 0;
	case 1:
		v->relative = vp[1];
		v->seconds = sms_validity_relative_seconds(vp[1]);
		return 0;
	case 2:
		v->seconds = vp[1];
		return 0;
	case 3: {
		int h = (vp[1] & 0xF) * 10 + (vp[1] >> 4);
		int m = (vp[2] & 0xF) * 10 + (vp[2] >> 4);
		int s = (vp[3] & 0xF) * 10 + (vp[3] >> 4);
		v->seconds = (uint32_t)(h * 3600 + m * 60 + s);
		return 0;
	}
	default:
		return -1;
	}
}

static int validity_read(const uint8_t *pdu, size_t len, size_t *pos, unsigned vpf,
			 struct sms_validity *v, const char **reason)
{
	memset(v, 0, sizeof(*v));
	switch (vpf) {
	case 0:
		v->format = SMS_VALIDITY_NONE;
		return 0;
	case 2:
		if (*pos >= len)
			return pdu_fail(reason, "validity period runs past the end");
		v->format = SMS_VALIDITY_RELATIVE;
		v->relative = pdu[*pos];
		v->seconds = sms_validity_relative_seconds(pdu[*pos]);
		(*pos)++;
		return 0;
	case 1:
		if (len - *pos < 7)
			return pdu_fail(reason, "validity period runs past the end");
		if (validity_enhanced(pdu + *pos, v) < 0)
			return pdu_fail(reason, "reserved enhanced validity format");
		*pos += 7;
		return 0;
	default:
		v->format = SMS_VALIDITY_ABSOLUTE;
		return pdu_time_read(pdu, len, pos, &v->absolute, reason);
	}
}

static int ucs2_text(struct sms *sms, const uint8_t *p, size_t n, const char **reason)
{
	size_t pos = 0;

	if (n % 2)
		return pdu_fail(reason, "UCS-2 text has an odd number of octets");
	for (size_t i = 0; i < n; i += 2) {
		uint32_t cp = (uint32_t)p[i] << 8 | p[i + 1];

		if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < n) {
			uint32_t lo = (uint32_t)p[i + 2] << 8 | p[i + 3];
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		/*
		 * A surrogate left alone, as when a sender splits a pair across
		 * segments, cannot be UTF-8; show the replacement character.
		 */
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = REPLACEMENT_CHAR;
		if (utf8_put(sms->text, sizeof(sms->text) - 1, &pos, cp) < 0)
			return pdu_fail(reason, "text too long");
	}
	sms->text[pos] = '\0';
	sms->text_len = (uint16_t)pos;
	return 0;
}

static void latin1_text(struct sms *sms, const uint8_t *p, size_t n)
{
	size_t pos = 0;

	/* at most 140 octets of two UTF-8 bytes: always fits */
	for (size_t i = 0; i < n; i++)
		utf8_put(sms->text, sizeof(sms->text) - 1, &pos, p[i]);
	sms->text[pos] = '\0';
	sms->text_len = (uint16_t)pos;
}

static int user_data_read(const uint8_t *pdu, size_t len, size_t *pos, bool udhi,
			  struct sms *sms, const char **reason)
{
	size_t octets, header = 0;
	bool septets = sms->dcs.coding == SMS_CODING_GSM7;

	if (*pos >= len)
		return pdu_fail(reason, "missing user data length");
	sms->udl = pdu[(*pos)++];
	/* 9.2.3.16: compressed user data is counted in octets, whatever the alphabet */
	if (sms->dcs.compressed)
		septets = false;
	/*
	 * DCS 0xF8-0xFB sets a reserved bit. A phone in Gammu's captures
	 * (DCS 0xF9) stores UCS-2 text that way, with the UDL counting octets;
	 * another (0xFB) stores GSM 7-bit. Only the length tells them apart.
	 */
	if (septets && (sms->dcs.raw & 0xFC) == 0xF8 && len - *pos == sms->udl &&
	    sms->udl % 2 == 0 && ((size_t)sms->udl * 7 + 7) / 8 != sms->udl) {
		sms->dcs.coding = SMS_CODING_UCS2;
		septets = false;
	}
	if (septets) {
		if (sms->udl > GSM7_SEPTETS_MAX)
			return pdu_fail(reason, "user data longer than 160 septets");
		octets = ((size_t)sms->udl * 7 + 7) / 8;
	} else {
		if (sms->udl > SMS_UD_MAX)
			return pdu_fail(reason, "user data longer than 140 octets");
		octets = sms->udl;
	}
	if (len - *pos < octets)
		return pdu_fail(reason, "user data runs past the end");
	if (len - *pos > octets)
		return pdu_fail(reason, "bytes left after the user data");
	memcpy(sms->ud, pdu + *pos, octets);
	sms->ud_len = (uint8_t)octets;
	*pos += octets;

	/* some phones store SUBMITs with TP-UDHI set and no user data at all */
	if (udhi && octets > 0) {
		if (pdu_udh_parse(sms->ud, octets, &sms->udh, reason) < 0)
			return -EBADMSG;
		header = 1 + (size_t)sms->udh.len;
	}
	if (sms->dcs.compressed)
		return 0; /* TS 23.042 compression: parley keeps the octets, shows no text */

	switch (sms->dcs.coding) {
	case SMS_CODING_GSM7: {
		/* 9.2.3.24: text starts at the first septet boundary after the header */
		size_t header_septets = (header * 8 + 6) / 7;
		unsigned fill = (unsigned)(header_septets * 7 - header * 8);
		uint8_t buf[GSM7_SEPTETS_MAX];
		size_t n;
		int r;

		if (header_septets > sms->udl)
			return pdu_fail(reason, "user data header longer than the user data");
		n = sms->udl - header_septets;
		if (gsm7_unpack(sms->ud + header, octets - header, fill, n, buf) < 0)
			return pdu_fail(reason, "user data runs past the end");
		r = gsm7_decode(buf, n, sms->udh.locking_lang, sms->udh.single_lang, sms->text,
				sizeof(sms->text));
		if (r < 0)
			return pdu_fail(reason, "text does not decode");
		sms->text_len = (uint16_t)r;
		return 0;
	}
	case SMS_CODING_UCS2:
		return ucs2_text(sms, sms->ud + header, octets - header, reason);
	case SMS_CODING_8BIT:
		latin1_text(sms, sms->ud + header, octets - header);
		return 0;
	}
	return 0;
}

static int deliver_read(const uint8_t *pdu, size_t len, size_t *pos, struct sms *sms,
			const char **reason)
{
	uint8_t dcs;

	sms->type = SMS_TYPE_DELIVER;
	sms->more_to_send = !(sms->first_octet & 0x04);
	sms->status_report = sms->first_octet & 0x20;
	if (pdu_address_read(pdu, len, pos, false, &sms->addr, reason) < 0 ||
	    octet_read(pdu, len, pos, &sms->pid, reason, "missing TP-PID") < 0 ||
	    octet_read(pdu, len, pos, &dcs, reason, "missing TP-DCS") < 0)
		return -EBADMSG;
	sms_dcs_parse(dcs, &sms->dcs);
	if (pdu_time_read(pdu, len, pos, &sms->scts, reason) < 0)
		return -EBADMSG;
	return user_data_read(pdu, len, pos, sms->first_octet & 0x40, sms, reason);
}

static int submit_read(const uint8_t *pdu, size_t len, size_t *pos, struct sms *sms,
		       const char **reason)
{
	uint8_t dcs;

	sms->type = SMS_TYPE_SUBMIT;
	sms->reject_duplicates = sms->first_octet & 0x04;
	sms->status_report = sms->first_octet & 0x20;
	if (octet_read(pdu, len, pos, &sms->mr, reason, "missing TP-MR") < 0 ||
	    pdu_address_read(pdu, len, pos, false, &sms->addr, reason) < 0 ||
	    octet_read(pdu, len, pos, &sms->pid, reason, "missing TP-PID") < 0 ||
	    octet_read(pdu, len, pos, &dcs, reason, "missing TP-DCS") < 0)
		return -EBADMSG;
	sms_dcs_parse(dcs, &sms->dcs);
	if (validity_read(pdu, len, pos, (sms->first_octet >> 3) & 0x3, &sms->validity,
			  reason) < 0)
		return -EBADMSG;
	return user_data_read(pdu, len, pos, sms->first_octet & 0x40, sms, reason);
}

static int status_report_read(const uint8_t *pdu, size_t len, size_t *pos, struct sms *sms,
			      const char **reason)
{
	uint8_t pi, dcs = 0;

	sms->type = SMS_TYPE_STATUS_REPORT;
	sms->more_to_send = !(sms->first_octet & 0x04);
	sms->status_report = sms->first_octet & 0x20;
	sms_dcs_parse(0, &sms->dcs);
	if (octet_read(pdu, len, pos, &sms->mr, reason, "missing TP-MR") < 0 ||
	    pdu_address_read(pdu, len, pos, false, &sms->addr, reason) < 0 ||
	    pdu_time_read(pdu, len, pos, &sms->scts, reason) < 0 ||
	    pdu_time_read(pdu, len, pos, &sms->discharge, reason) < 0 ||
	    octet_read(pdu, len, pos, &sms->status, reason, "missing TP-ST") < 0)
		return -EBADMSG;
	sms->status_class = sms_status_classify(sms->status);
	if (*pos == len)
		return 0;

	/* 9.2.3.27: optional parameter indicator; bit 7 says another PI octet follows */
	pi = pdu[(*pos)++];
	/*
	 * Reserved bits set mean padding, not parameters: modems fill the
	 * rest of a stored status report with 0xFF (Gammu's test 27).
	 */
	if (pi & 0x78) {
		*pos = len;
		return 0;
	}
	for (uint8_t ext = pi; ext & 0x80;)
		if (octet_read(pdu, len, pos, &ext, reason, "truncated TP-PI extension") < 0)
			return -EBADMSG;
	if ((pi & 0x01) &&
	    octet_read(pdu, len, pos, &sms->pid, reason, "missing TP-PID") < 0)
		return -EBADMSG;
	if ((pi & 0x02) && octet_read(pdu, len, pos, &dcs, reason, "missing TP-DCS") < 0)
		return -EBADMSG;
	sms_dcs_parse(dcs, &sms->dcs);
	if (pi & 0x04)
		return user_data_read(pdu, len, pos, sms->first_octet & 0x40, sms, reason);
	if (*pos != len)
		return pdu_fail(reason, "bytes left after the status report");
	return 0;
}

int sms_decode(const uint8_t *pdu, size_t len, unsigned flags, struct sms *out,
	       const char **reason)
{
	size_t pos = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (len > SMS_PDU_INPUT_MAX)
		return pdu_fail(reason, "PDU longer than any SMS");
	if (flags & SMS_DECODE_SMSC) {
		if (pdu_address_read(pdu, len, &pos, true, &out->smsc, reason) < 0)
			return -EBADMSG;
		out->has_smsc = out->smsc.toa != 0;
	}
	if (octet_read(pdu, len, &pos, &out->first_octet, reason, "missing first octet") < 0)
		return -EBADMSG;
	out->reply_path = out->first_octet & 0x80;

	/* 9.2.3.1: the MTI read as the MS receives (deliver, status) or stores (submit) */
	switch (out->first_octet & 0x3) {
	case 0:
		r = deliver_read(pdu, len, &pos, out, reason);
		break;
	case 1:
		r = submit_read(pdu, len, &pos, out, reason);
		break;
	case 2:
		r = status_report_read(pdu, len, &pos, out, reason);
		break;
	default:
		return pdu_fail(reason, "reserved message type (TP-MTI 3)");
	}
	return r < 0 ? -EBADMSG : 0;
}

int sms_decode_hex(const char *hex, unsigned flags, struct sms *out, const char **reason)
{
	uint8_t buf[SMS_PDU_INPUT_MAX];
	size_t n = strlen(hex);
	int len;

	len = hex_decode(hex, n, buf, sizeof(buf));
	if (len == -EMSGSIZE)
		return pdu_fail(reason, "PDU longer than any SMS");
	if (len < 0)
		return pdu_fail(reason, n % 2 ? "odd number of hex digits" : "not hexadecimal");
	return sms_decode(buf, (size_t)len, flags, out, reason);
}
