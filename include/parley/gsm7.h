/*
 * GSM 7-bit alphabets: the default alphabet, its extension table and the
 * national language locking and single shift tables (3GPP TS 23.038 6.2.1,
 * Annex A), and septet packing (TS 23.038 6.1.2.1, TS 23.040 9.2.3.24).
 *
 * Pure functions: no allocation, no I/O. Code points are Unicode scalar
 * values; every table entry lies in the Basic Multilingual Plane.
 */
#ifndef PARLEY_GSM7_H
#define PARLEY_GSM7_H

#include <stddef.h>
#include <stdint.h>

/* National language identifiers as carried in the UDH (TS 23.038 6.2.1.2.4). */
enum gsm7_lang {
	GSM7_LANG_DEFAULT = 0,
	GSM7_LANG_TURKISH = 1,
	GSM7_LANG_SPANISH = 2,
	GSM7_LANG_PORTUGUESE = 3,
	GSM7_LANG_BENGALI = 4,
	GSM7_LANG_GUJARATI = 5,
	GSM7_LANG_HINDI = 6,
	GSM7_LANG_KANNADA = 7,
	GSM7_LANG_MALAYALAM = 8,
	GSM7_LANG_ORIYA = 9,
	GSM7_LANG_PUNJABI = 10,
	GSM7_LANG_TAMIL = 11,
	GSM7_LANG_TELUGU = 12,
	GSM7_LANG_URDU = 13,
};
#define GSM7_LANG_COUNT 14
#define GSM7_LANG_BIT(lang) (1u << (lang))
#define GSM7_LANG_ALL ((1u << GSM7_LANG_COUNT) - 2u) /* every national language */

#define GSM7_ESCAPE 0x1B
#define GSM7_TABLE_SIZE 128

/*
 * The locking shift table of a language: 128 code points indexed by septet.
 * Entry 0x1B (the escape) is 0 and entries the spec leaves undefined are 0.
 * Returns NULL when the language has no locking shift table (Spanish) or
 * lang is out of range. GSM7_LANG_DEFAULT gives the default alphabet.
 */
const uint16_t *gsm7_locking_table(unsigned lang);

/*
 * The single shift table of a language: the code point reached by
 * ESC + septet, 0 where undefined. GSM7_LANG_DEFAULT gives the default
 * extension table. Returns NULL when lang is out of range.
 */
const uint16_t *gsm7_single_table(unsigned lang);

/* Lower-case English name of a language ("turkish"), NULL when out of range. */
const char *gsm7_lang_name(unsigned lang);

/* The language with that name (case-insensitive), or -EINVAL. */
int gsm7_lang_from_name(const char *name);

/*
 * Septets for one code point under a table pair: writes 1 septet, or
 * ESC + septet, to out. Returns the count (1 or 2), or 0 when the code point
 * is in neither table. Languages out of range count as absent tables.
 */
int gsm7_encode_char(uint32_t cp, unsigned locking, unsigned single, uint8_t out[2]);

/*
 * Decodes unpacked septets (one per byte, values 0..127) to UTF-8.
 * An escape followed by a septet the single shift table lacks shows the
 * locking table's character, and a trailing escape shows a space, as
 * TS 23.038 6.2.1.1 tells receivers to do.
 * Returns bytes written (out is NUL-terminated), or -EMSGSIZE when outsz is
 * too small, -EINVAL when a septet is above 127.
 */
int gsm7_decode(const uint8_t *septets, size_t n, unsigned locking, unsigned single,
		char *out, size_t outsz);

/*
 * Packs n septets into octets, starting fill_bits (0..6) bits into the
 * first octet, as user data does after a header (TS 23.040 9.2.3.24).
 * out must hold gsm7_packed_len(n, fill_bits) octets. Returns octets written.
 */
size_t gsm7_pack(const uint8_t *septets, size_t n, unsigned fill_bits, uint8_t *out);

/* Octets that n septets take after fill_bits fill bits. */
size_t gsm7_packed_len(size_t n, unsigned fill_bits);

/*
 * Unpacks n septets from octets, skipping fill_bits leading bits.
 * Returns n, or -EBADMSG when the octets are too few to hold them.
 */
int gsm7_unpack(const uint8_t *octets, size_t octets_len, unsigned fill_bits, size_t n,
		uint8_t *septets);

#endif
