/*
 * Septet packing (TS 23.038 6.1.2.1.1). User data that follows a header
 * starts on a septet boundary counted from the start of the user data, so
 * the first septet may sit fill_bits into its octet (TS 23.040 9.2.3.24).
 */
#include <errno.h>

#include "parley/gsm7.h"

size_t gsm7_packed_len(size_t n, unsigned fill_bits)
{
	return (n * 7 + fill_bits + 7) / 8;
}

size_t gsm7_pack(const uint8_t *septets, size_t n, unsigned fill_bits, uint8_t *out)
{
	uint8_t *start = out;
	uint32_t acc = 0;        /* bits not yet written, lowest first */
	unsigned bits = fill_bits;

	for (size_t i = 0; i < n; i++) {
		acc |= (uint32_t)(septets[i] & 0x7F) << bits;
		bits += 7;
		if (bits >= 8) {
			*out++ = (uint8_t)acc;
			acc >>= 8;
			bits -= 8;
		}
	}
	if (bits > 0)
		*out++ = (uint8_t)acc;
	return (size_t)(out - start);
}

int gsm7_unpack(const uint8_t *octets, size_t octets_len, unsigned fill_bits, size_t n,
		uint8_t *septets)
{
	uint32_t acc;
	unsigned bits;

	if (fill_bits > 7 || n * 7 + fill_bits > octets_len * 8)
		return -EBADMSG;
	if (n == 0)
		return 0;
	acc = (uint32_t)*octets++ >> fill_bits;
	bits = 8 - fill_bits;
	for (size_t i = 0; i < n; i++) {
		if (bits < 7) {
			/* the check above guarantees this octet exists */
			acc |= (uint32_t)*octets++ << bits;
			bits += 8;
		}
		septets[i] = (uint8_t)(acc & 0x7F);
		acc >>= 7;
		bits -= 7;
	}
	return (int)n;
}
