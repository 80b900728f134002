/*
 * libFuzzer target: sms_decode() on arbitrary octets, with and without the
 * SMSC address in front (TS 23.040 9.2, TS 24.011 8.2.5.2).
 *
 * Every input must give 0 or -EBADMSG with a reason; a success must satisfy
 * the invariants of sms_check.h, and the TPDU behind a decoded SMSC address
 * must decode alone to the same message.
 */
#include <stddef.h>
#include <stdint.h>

#include "sms_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int decode_checked(const uint8_t *data, size_t size, unsigned flags, struct sms *out)
{
	const char *reason = NULL;
	int rc = sms_decode(data, size, flags, out, &reason);

	if (rc == 0) {
		check_sms(out, flags);
	} else {
		CHECK(rc == -EBADMSG);
		CHECK(reason != NULL && reason[0] != '\0');
	}
	/* reason is optional. */
	CHECK(sms_decode(data, size, flags, out, NULL) == rc);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sms plain, with_smsc;
	size_t skip;

	decode_checked(data, size, 0, &plain);
	if (decode_checked(data, size, SMS_DECODE_SMSC, &with_smsc) != 0)
		return 0;

	/* TS 24.011 8.2.5.2: a length octet, then that many octets of address. */
	CHECK(size >= 1);
	skip = 1 + (size_t)data[0];
	CHECK(skip <= size);
	if (data[0] == 0)
		CHECK(!with_smsc.has_smsc);
	CHECK(decode_checked(data + skip, size - skip, 0, &plain) == 0);
	check_same_tpdu(&plain, &with_smsc);
	return 0;
}
