/* GSM 7-bit alphabet lookups, decoding and septet packing (TS 23.038). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parley/gsm7.h"
#include "parley/hex.h"

/* Every default-alphabet entry encodes back to its own septet. */
static void default_table_inverts(void **state)
{
	const uint16_t *t = gsm7_locking_table(GSM7_LANG_DEFAULT);
	(void)state;
	for (unsigned s = 0; s < 128; s++) {
		uint8_t out[2];
		if (s == GSM7_ESCAPE)
			continue;
		assert_int_equal(gsm7_encode_char(t[s], 0, 0, out), 1);
		assert_int_equal(out[0], s);
	}
}

/*
 * The fast lookup must agree with a plain scan of the tables for every BMP
 * code point: nothing encodes that the tables lack, nothing is missed.
 */
static void default_lookup_matches_tables(void **state)
{
	const uint16_t *lock = gsm7_locking_table(0), *ext = gsm7_single_table(0);
	(void)state;
	for (uint32_t cp = 1; cp <= 0xFFFF; cp++) {
		int want = 0, s_lock = -1, s_ext = -1;
		uint8_t out[2];
		for (int i = 0; i < 128; i++) {
			if (i != GSM7_ESCAPE && lock[i] == cp && s_lock < 0)
				s_lock = i;
			if (ext[i] == cp && s_ext < 0)
				s_ext = i;
		}
		want = s_lock >= 0 ? 1 : s_ext >= 0 ? 2 : 0;
		int got = gsm7_encode_char(cp, 0, 0, out);
		assert_int_equal(got, want);
		if (got == 1)
			assert_int_equal(out[0], s_lock);
		if (got == 2) {
			assert_int_equal(out[0], GSM7_ESCAPE);
			assert_int_equal(out[1], s_ext);
		}
	}
	uint8_t out[2];
	assert_int_equal(gsm7_encode_char(0, 0, 0, out), 0);
	assert_int_equal(gsm7_encode_char(0x1F600, 0, 0, out), 0);
}

/* TS 23.038 6.2.1.1: the ten extension characters cost two septets. */
static void extension_characters(void **state)
{
	static const struct { uint32_t cp; uint8_t septet; } ext[] = {
		{ 0x0C, 0x0A }, { '^', 0x14 }, { '{', 0x28 }, { '}', 0x29 }, { '\\', 0x2F },
		{ '[', 0x3C }, { '~', 0x3D }, { ']', 0x3E }, { '|', 0x40 }, { 0x20AC, 0x65 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		uint8_t out[2];
		assert_int_equal(gsm7_encode_char(ext[i].cp, 0, 0, out), 2);
		assert_int_equal(out[0], GSM7_ESCAPE);
		assert_int_equal(out[1], ext[i].septet);
	}
}

static void decode_escapes(void **state)
{
	char out[64];
	(void)state;
	/* "€5" */
	assert_int_equal(gsm7_decode((const uint8_t[]){ 0x1B, 0x65, 0x35 }, 3, 0, 0, out, sizeof(out)), 4);
	assert_string_equal(out, "\xE2\x82\xAC" "5");
	/* an undefined extension shows the main table's character: ESC 'A' -> 'A' */
	assert_int_equal(gsm7_decode((const uint8_t[]){ 0x1B, 0x41 }, 2, 0, 0, out, sizeof(out)), 1);
	assert_string_equal(out, "A");
	/* ESC ESC is reserved and shows a space; a trailing ESC too */
	gsm7_decode((const uint8_t[]){ 0x1B, 0x1B, 0x41, 0x1B }, 4, 0, 0, out, sizeof(out));
	assert_string_equal(out, " A ");
	/* '@' is septet 0 and must not end the string */
	assert_int_equal(gsm7_decode((const uint8_t[]){ 0x00, 0x00 }, 2, 0, 0, out, sizeof(out)), 2);
	assert_string_equal(out, "@@");
	/* no room: an error, never a silent cut */
	assert_int_equal(gsm7_decode((const uint8_t[]){ 0x41, 0x42 }, 2, 0, 0, out, 2), -EMSGSIZE);
	assert_int_equal(gsm7_decode((const uint8_t[]){ 0x80 }, 1, 0, 0, out, sizeof(out)), -EINVAL);
}

/*
 * TS 23.038 6.1.2.1.1 example: "hellohello" packs to E8329BFD4697D9EC37
 * (also oFono's simple_submit vector).
 */
static void pack_spec_example(void **state)
{
	const char *text = "hellohello";
	uint8_t septets[10], packed[16];
	char hex[40];
	(void)state;
	for (int i = 0; i < 10; i++)
		septets[i] = (uint8_t)text[i];
	assert_int_equal(gsm7_packed_len(10, 0), 9);
	assert_int_equal(gsm7_pack(septets, 10, 0, packed), 9);
	hex_encode(packed, 9, hex);
	assert_string_equal(hex, "E8329BFD4697D9EC37");
}

/*
 * With a 6-octet header (48 bits), the text starts at bit 49: one fill bit.
 * Packing "A" (0x41) with 1 fill bit gives 0x82 in the first octet.
 */
static void pack_fill_bits(void **state)
{
	uint8_t out[4];
	(void)state;
	assert_int_equal(gsm7_pack((const uint8_t[]){ 0x41 }, 1, 1, out), 1);
	assert_int_equal(out[0], 0x82);
	assert_int_equal(gsm7_packed_len(153, 1), 134);
	assert_int_equal(gsm7_packed_len(160, 0), 140);
}

static void pack_unpack_roundtrip(void **state)
{
	uint8_t in[160], packed[141], out[160];
	(void)state;
	srand(7);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand() % 161);
		unsigned fill = (unsigned)(rand() % 7);
		if (n * 7 + fill > 140 * 8)
			n = (140 * 8 - fill) / 7;
		for (size_t i = 0; i < n; i++)
			in[i] = (uint8_t)(rand() & 0x7F);
		size_t len = gsm7_pack(in, n, fill, packed);
		assert_int_equal(len, gsm7_packed_len(n, fill));
		assert_int_equal(gsm7_unpack(packed, len, fill, n, out), (int)n);
		assert_memory_equal(in, out, n);
	}
}

static void unpack_refuses_short_input(void **state)
{
	uint8_t octets[8] = { 0 }, out[16];
	(void)state;
	/* 8 octets hold 9 septets (63 bits) but not 10 */
	assert_int_equal(gsm7_unpack(octets, 8, 0, 9, out), 9);
	assert_int_equal(gsm7_unpack(octets, 8, 0, 10, out), -EBADMSG);
	/* one fill bit: 9 septets still fit in 64 bits, with 1 fill not */
	assert_int_equal(gsm7_unpack(octets, 8, 1, 9, out), 9);
	assert_int_equal(gsm7_unpack(octets, 8, 2, 9, out), -EBADMSG);
}

static void lang_names(void **state)
{
	(void)state;
	assert_int_equal(gsm7_lang_from_name("Turkish"), GSM7_LANG_TURKISH);
	assert_int_equal(gsm7_lang_from_name("urdu"), GSM7_LANG_URDU);
	assert_int_equal(gsm7_lang_from_name("klingon"), -EINVAL);
	assert_null(gsm7_lang_name(GSM7_LANG_COUNT));
	assert_null(gsm7_locking_table(GSM7_LANG_SPANISH));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_table_inverts),
		cmocka_unit_test(default_lookup_matches_tables),
		cmocka_unit_test(extension_characters),
		cmocka_unit_test(decode_escapes),
		cmocka_unit_test(pack_spec_example),
		cmocka_unit_test(pack_fill_bits),
		cmocka_unit_test(pack_unpack_roundtrip),
		cmocka_unit_test(unpack_refuses_short_input),
		cmocka_unit_test(lang_names),
	};
	return cmocka_run_group_tests_name("gsm7", tests, NULL, NULL);
}
