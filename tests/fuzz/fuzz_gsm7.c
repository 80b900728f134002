/*
 * libFuzzer target: GSM 7-bit unpacking, packing and decoding
 * (TS 23.038 6.1.2.1, 6.2.1; TS 23.040 9.2.3.24).
 *
 * Input: octet 0 picks the fill bits (0..6), octets 1 and 2 the locking and
 * single shift languages (a few out of range), octet 3 the septet count and
 * octet 4 a short output buffer size; the rest are packed octets. Checks
 * that unpacking fails exactly when the octets are too few, that packing
 * gives the same bits back, that decoding gives NUL-terminated UTF-8 (the
 * same in a short buffer or -EMSGSIZE), rejects septets above 127, and that
 * decoding what gsm7_encode_char() makes of the decoded text gives it back.
 */
#include <stddef.h>
#include <stdint.h>

#include "sms_check.h"

#define LANG_CHOICES (GSM7_LANG_COUNT + 2)
#define SEPTETS_MAX 255
#define TEXT_MAX (3 * SEPTETS_MAX + 1) /* every table entry is in the BMP */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned bit_at(const uint8_t *octets, size_t bit)
{
	return (unsigned)(octets[bit / 8] >> (bit % 8)) & 1u;
}

/* Decoding the septets that encode the decoded text must give that text again. */
static void check_reencode(const char *text, size_t len, unsigned locking, unsigned single)
{
	static uint8_t septets[2 * TEXT_MAX];
	static char again[TEXT_MAX * 2];
	size_t pos = 0, n = 0;
	int rc;

	while (pos < len) {
		int32_t cp = utf8_next(text, len, &pos);
		int k;

		CHECK(cp >= 0);
		k = gsm7_encode_char((uint32_t)cp, locking, single, septets + n);
		if (k == 0)
			return; /* shown for an undefined entry; not ours to judge */
		CHECK(k == 1 || (k == 2 && septets[n] == GSM7_ESCAPE));
		CHECK(septets[n + (size_t)k - 1] <= 0x7F);
		n += (size_t)k;
	}
	rc = gsm7_decode(septets, n, locking, single, again, sizeof(again));
	CHECK(rc >= 0);
	CHECK((size_t)rc == len && memcmp(again, text, len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t septets[SEPTETS_MAX], septets2[SEPTETS_MAX];
	static uint8_t packed[SEPTETS_MAX];
	static char text[TEXT_MAX], small[TEXT_MAX];
	unsigned fill, locking, single;
	size_t n, octets_len, small_size, plen, bits;
	const uint8_t *octets;
	int rc, len;
	bool above_127 = false;

	if (size < 5)
		return 0;
	fill = data[0] % 7;
	locking = data[1] % LANG_CHOICES;
	single = data[2] % LANG_CHOICES;
	n = data[3];
	small_size = data[4];
	octets = data + 5;
	octets_len = size - 5;

	/* TS 23.040 9.2.3.24: n septets after fill bits take ceil((fill + 7n) / 8) octets. */
	plen = gsm7_packed_len(n, fill);
	CHECK(plen == (fill + 7 * n + 7) / 8);
	rc = gsm7_unpack(octets, octets_len, fill, n, septets);
	if (plen > octets_len) {
		CHECK(rc == -EBADMSG);
		/* Then as many septets as there are: none if even the fill bits are missing. */
		if (octets_len * 8 < fill)
			return 0;
		n = (octets_len * 8 - fill) / 7;
		if (n > SEPTETS_MAX)
			n = SEPTETS_MAX;
		rc = gsm7_unpack(octets, octets_len, fill, n, septets);
	}
	CHECK(rc >= 0 && (size_t)rc == n);

	/* The septets are the input's bits from fill on, 7 at a time, LSB first. */
	for (size_t i = 0; i < n; i++) {
		CHECK(septets[i] <= 0x7F);
		for (unsigned b = 0; b < 7; b++)
			CHECK(((septets[i] >> b) & 1u) == bit_at(octets, fill + 7 * i + b));
	}

	/* Packing gives those bits back, at the same place. */
	memset(packed, 0xFF, sizeof(packed));
	plen = gsm7_packed_len(n, fill);
	CHECK(gsm7_pack(septets, n, fill, packed) == plen);
	bits = fill + 7 * n;
	for (size_t b = fill; b < bits; b++)
		CHECK(bit_at(packed, b) == bit_at(octets, b));
	CHECK(gsm7_unpack(packed, plen, fill, n, septets2) == (int)n);
	CHECK(memcmp(septets, septets2, n) == 0);

	/* Decoding to UTF-8. */
	len = gsm7_decode(septets, n, locking, single, text, sizeof(text));
	if (len < 0) {
		/* Only a language without a table may be refused. */
		CHECK(len == -EINVAL);
		CHECK(gsm7_locking_table(locking) == NULL || gsm7_single_table(single) == NULL);
		return 0;
	}
	CHECK((size_t)len < sizeof(text) && text[len] == '\0');
	CHECK(utf8_validate(text, (size_t)len) == 0);

	/* In a short buffer: the same text or -EMSGSIZE. */
	rc = gsm7_decode(septets, n, locking, single, small, small_size);
	if ((size_t)len < small_size) {
		CHECK(rc == len && memcmp(small, text, (size_t)len + 1) == 0);
	} else {
		CHECK(rc == -EMSGSIZE);
	}

	check_reencode(text, (size_t)len, locking, single);

	/* The raw octets as septets: anything above 127 is refused. */
	if (octets_len > SEPTETS_MAX)
		octets_len = SEPTETS_MAX;
	for (size_t i = 0; i < octets_len; i++)
		above_127 |= octets[i] > 0x7F;
	rc = gsm7_decode(octets, octets_len, locking, single, text, sizeof(text));
	if (above_127)
		CHECK(rc == -EINVAL);
	else
		CHECK(rc >= 0 && (size_t)rc < sizeof(text) && text[rc] == '\0');
	return 0;
}
