/*
 * User data header (TS 23.040 9.2.3.24): concatenation (9.2.3.24.1 and
 * .24.8), application ports (.24.3, .24.4) and national language shifts
 * (.24.15, .24.16). Other elements are counted and skipped.
 */
#include <string.h>

#include "pdu_fields.h"

enum {
	IEI_CONCAT_8 = 0x00,
	IEI_PORTS_8 = 0x04,
	IEI_PORTS_16 = 0x05,
	IEI_CONCAT_16 = 0x08,
	IEI_LOCKING_SHIFT = 0x24,
	IEI_SINGLE_SHIFT = 0x25,
};

static void concat_set(struct sms_udh *udh, bool wide, unsigned ref, uint8_t total,
		       uint8_t seq)
{
	/* 9.2.3.24.1: a zero or out-of-range sequence makes the element void */
	if (total == 0 || seq == 0 || seq > total)
		return;
	udh->has_concat = true;
	udh->concat16 = wide;
	udh->concat_ref = (uint16_t)ref;
	udh->concat_total = total;
	udh->concat_seq = seq;
}

int pdu_udh_parse(const uint8_t *ud, size_t ud_len, struct sms_udh *udh, const char **reason)
{
	size_t end, p = 1;

	memset(udh, 0, sizeof(*udh));
	if (ud_len < 1)
		return pdu_fail(reason, "user data header flagged but user data is empty");
	udh->present = true;
	udh->len = ud[0];
	end = 1 + (size_t)ud[0];
	if (end > ud_len)
		return pdu_fail(reason, "user data header longer than the user data");

	/* 9.2.3.24: where an element repeats, the last one counts */
	while (p < end) {
		uint8_t iei, iel;
		const uint8_t *v;

		if (end - p < 2)
			return pdu_fail(reason, "truncated element in user data header");
		iei = ud[p];
		iel = ud[p + 1];
		v = ud + p + 2;
		if ((size_t)iel > end - p - 2)
			return pdu_fail(reason, "element overruns the user data header");
		udh->ie_count++;
		switch (iei) {
		case IEI_CONCAT_8:
			if (iel == 3)
				concat_set(udh, false, v[0], v[1], v[2]);
			break;
		case IEI_CONCAT_16:
			if (iel == 4)
				concat_set(udh, true, (unsigned)v[0] << 8 | v[1], v[2], v[3]);
			break;
		case IEI_PORTS_8:
			if (iel == 2) {
				udh->has_ports = true;
				udh->ports16 = false;
				udh->dst_port = v[0];
				udh->src_port = v[1];
			}
			break;
		case IEI_PORTS_16:
			if (iel == 4) {
				udh->has_ports = true;
				udh->ports16 = true;
				udh->dst_port = (uint16_t)(v[0] << 8 | v[1]);
				udh->src_port = (uint16_t)(v[2] << 8 | v[3]);
			}
			break;
		case IEI_LOCKING_SHIFT:
			if (iel == 1)
				udh->locking_lang = v[0];
			break;
		case IEI_SINGLE_SHIFT:
			if (iel == 1)
				udh->single_lang = v[0];
			break;
		default:
			break;
		}
		p += 2 + (size_t)iel;
	}
	return 0;
}
