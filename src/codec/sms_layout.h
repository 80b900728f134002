/*
 * Internal to the codec: how much text a segment holds once its user data
 * header is in (TS 23.040 9.2.3.24). Shared by the planner and the encoder.
 */
#ifndef PARLEY_SMS_LAYOUT_H
#define PARLEY_SMS_LAYOUT_H

#include <stdbool.h>

#include "parley/sms_submit.h"

#define UD_OCTETS 140u
#define UD_SEPTETS 160u

/* Header octets, UDHL included: concatenation and language elements. 0 when none. */
static inline unsigned sms_layout_udh_octets(bool concat, bool concat16, unsigned locking,
					     unsigned single)
{
	unsigned n = 0;
	if (concat)
		n += concat16 ? 6 : 5; /* IEI, IEL, reference (1 or 2), total, sequence */
	if (locking)
		n += 3;                /* IEI 0x24, IEL, language */
	if (single)
		n += 3;                /* IEI 0x25, IEL, language */
	return n ? n + 1 : 0;
}

/* Septets a header of that many octets takes, fill bits included. */
static inline unsigned sms_layout_header_septets(unsigned udh_octets)
{
	return (udh_octets * 8 + 6) / 7;
}

/* Units of text a segment holds: septets, UTF-16 code units or octets. */
static inline unsigned sms_layout_capacity(enum sms_coding coding, unsigned udh_octets)
{
	switch (coding) {
	case SMS_CODING_GSM7:
		return UD_SEPTETS - sms_layout_header_septets(udh_octets);
	case SMS_CODING_UCS2:
		return (UD_OCTETS - udh_octets) / 2;
	case SMS_CODING_8BIT:
		return UD_OCTETS - udh_octets;
	}
	return 0;
}

#endif
