/*
 * Septet packing (TS 23.038 6.1.2.1.1). User data that follows a header
 * starts on a septet boundary counted from the start of the user data, so
 * the first septet may sit fill_bits into its octet (TS 23.040 9.2.3.24).
 */
#include <errno.h>
#include <string.h>

#include "parley/gsm7.h"

size_t gsm7_packed_len(size_t n, unsigned fill_bits)
{
	return (n * 7 + fill_bits + 7) / 8;
}

size_t gsm7_pack(const uint8_t *septets, size_t n, unsigned fill_bits, uint8_t *out)
{
	size_t len = gsm7_packed_len(n, fill_bits);
	size_t bit = fill_bits;

	memset(out, 0, len);
	for (size_t i = 0; i < n; i++, bit += 7) {
		unsigned v = septets[i] & 0x7F;
		size_t byte = bit / 8;
		unsigned shift = bit % 8;

		out[byte] |= (uint8_t)(v << shift);
		if (shift > 1)
			out[byte + 1] |= (uint8_t)(v >> (8 - shift));
	}
	return len;
}

int gsm7_unpack(const uint8_t *octets, size_t octets_len, unsigned fill_bits, size_t n,
		uint8_t *septets)
{
	size_t bit = fill_bits;

	if (fill_bits > 7 || n * 7 + fill_bits > octets_len * 8)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++, bit += 7) {
		size_t byte = bit / 8;
		unsigned shift = bit % 8;
		unsigned v = octets[byte] >> shift;

		if (shift > 1)
			v |= (unsigned)octets[byte + 1] << (8 - shift);
		septets[i] = (uint8_t)(v & 0x7F);
	}
	return (int)n;
}
