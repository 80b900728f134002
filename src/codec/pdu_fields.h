/*
 * Internal to the codec: readers and writers of the TPDU fields that both
 * the decoder and the encoder use. Every reader is bounds-checked against
 * len and advances *pos only on success.
 */
#ifndef PARLEY_PDU_FIELDS_H
#define PARLEY_PDU_FIELDS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/sms.h"

/*
 * Reads an address: the TP form (length in semi-octets, TS 23.040 9.1.2.5)
 * or, when smsc, the RP form (length in octets, TS 24.011 8.2.5.1), where a
 * zero length means no address.
 */
int pdu_address_read(const uint8_t *pdu, size_t len, size_t *pos, bool smsc,
		     struct sms_address *addr, const char **reason);

/* Reads a 7-octet timestamp (TS 23.040 9.2.3.11). */
int pdu_time_read(const uint8_t *pdu, size_t len, size_t *pos, struct sms_time *t,
		  const char **reason);

/* Writes a 7-octet timestamp; returns 7. */
size_t pdu_time_write(const struct sms_time *t, uint8_t *out);

/*
 * Parses the user data header at the start of ud (TS 23.040 9.2.3.24).
 * Elements with a wrong length or impossible values are skipped, as the spec
 * asks receivers to do; a header that overruns the user data is an error.
 */
int pdu_udh_parse(const uint8_t *ud, size_t ud_len, struct sms_udh *udh,
		  const char **reason);

static inline int pdu_fail(const char **reason, const char *why)
{
	if (reason)
		*reason = why;
	return -EBADMSG;
}

#endif
