/*
 * libFuzzer target: sms_decode_hex() on arbitrary text, with and without the
 * SMSC address in front.
 *
 * The input is copied into a NUL-terminated string. Every input must give 0
 * or -EBADMSG with a reason; a success must satisfy the invariants of
 * sms_check.h and agree with hex_decode() followed by sms_decode(), and
 * text that is not an even run of hex digits must fail.
 */
#include <stddef.h>
#include <stdint.h>

#include "parley/hex.h"
#include "sms_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flag_sets[] = { 0, SMS_DECODE_SMSC };
	static struct sms from_hex, from_bin;
	char *hex = malloc(size + 1);
	uint8_t *bin = malloc(size / 2 + 1);
	size_t hexlen;
	int binlen;

	CHECK(hex != NULL && bin != NULL);
	memcpy(hex, data, size);
	hex[size] = '\0';
	hexlen = strlen(hex);
	binlen = hex_decode(hex, hexlen, bin, size / 2 + 1);
	CHECK(binlen >= 0 || binlen == -EINVAL);

	for (size_t i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
		unsigned flags = flag_sets[i];
		const char *reason = NULL;
		int rc = sms_decode_hex(hex, flags, &from_hex, &reason);

		if (rc != 0) {
			CHECK(rc == -EBADMSG);
			CHECK(reason != NULL && reason[0] != '\0');
			if (binlen >= 0)
				CHECK(sms_decode(bin, (size_t)binlen, flags, &from_bin, NULL) != 0);
			continue;
		}
		check_sms(&from_hex, flags);
		CHECK(binlen >= 0);
		CHECK(sms_decode(bin, (size_t)binlen, flags, &from_bin, NULL) == 0);
		check_same_tpdu(&from_hex, &from_bin);
		CHECK(from_hex.has_smsc == from_bin.has_smsc);
		CHECK(strcmp(from_hex.smsc.number, from_bin.smsc.number) == 0);
	}
	free(bin);
	free(hex);
	return 0;
}
