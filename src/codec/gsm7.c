/*
 * GSM 7-bit characters: code point <-> septet lookups under a locking and a
 * single shift table (TS 23.038 6.2.1, 6.2.1.1, 6.2.1.2), and decoding of
 * unpacked septets to UTF-8. The tables themselves are in gsm7_tables.c,
 * packing in gsm7_pack.c.
 */
#include <errno.h>

#include "parley/gsm7.h"
#include "parley/utf8.h"

#define REPLACEMENT_CHAR 0xFFFD

/*
 * The default alphabet inverted. Almost every message is plain default
 * alphabet text, so this path avoids scanning the table: ASCII through a
 * small table, the rest through a switch the compiler turns into a search.
 */
#define NOT_IN_DEFAULT 0xFF
static const uint8_t ascii_septet[128] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  /* U+0000 */
	0xFF, 0xFF, 0x0A, 0xFF, 0xFF, 0x0D, 0xFF, 0xFF,  /* U+0008 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  /* U+0010 */
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  /* U+0018 */
	0x20, 0x21, 0x22, 0x23, 0x02, 0x25, 0x26, 0x27,  /* U+0020 */
	0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F,  /* U+0028 */
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,  /* U+0030 */
	0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,  /* U+0038 */
	0x00, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,  /* U+0040 */
	0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F,  /* U+0048 */
	0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,  /* U+0050 */
	0x58, 0x59, 0x5A, 0xFF, 0xFF, 0xFF, 0xFF, 0x11,  /* U+0058 */
	0xFF, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,  /* U+0060 */
	0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F,  /* U+0068 */
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,  /* U+0070 */
	0x78, 0x79, 0x7A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  /* U+0078 */
};

static int default_septet(uint32_t cp)
{
	if (cp < 0x80)
		return ascii_septet[cp] == NOT_IN_DEFAULT ? -1 : ascii_septet[cp];
	switch (cp) {
	case 0xA3: return 0x01; /* £ */
	case 0xA5: return 0x03; /* ¥ */
	case 0xE8: return 0x04; /* è */
	case 0xE9: return 0x05; /* é */
	case 0xF9: return 0x06; /* ù */
	case 0xEC: return 0x07; /* ì */
	case 0xF2: return 0x08; /* ò */
	case 0xC7: return 0x09; /* Ç */
	case 0xD8: return 0x0B; /* Ø */
	case 0xF8: return 0x0C; /* ø */
	case 0xC5: return 0x0E; /* Å */
	case 0xE5: return 0x0F; /* å */
	case 0x394: return 0x10; /* Δ */
	case 0x3A6: return 0x12; /* Φ */
	case 0x393: return 0x13; /* Γ */
	case 0x39B: return 0x14; /* Λ */
	case 0x3A9: return 0x15; /* Ω */
	case 0x3A0: return 0x16; /* Π */
	case 0x3A8: return 0x17; /* Ψ */
	case 0x3A3: return 0x18; /* Σ */
	case 0x398: return 0x19; /* Θ */
	case 0x39E: return 0x1A; /* Ξ */
	case 0xC6: return 0x1C; /* Æ */
	case 0xE6: return 0x1D; /* æ */
	case 0xDF: return 0x1E; /* ß */
	case 0xC9: return 0x1F; /* É */
	case 0xA4: return 0x24; /* ¤ */
	case 0xA1: return 0x40; /* ¡ */
	case 0xC4: return 0x5B; /* Ä */
	case 0xD6: return 0x5C; /* Ö */
	case 0xD1: return 0x5D; /* Ñ */
	case 0xDC: return 0x5E; /* Ü */
	case 0xA7: return 0x5F; /* § */
	case 0xBF: return 0x60; /* ¿ */
	case 0xE4: return 0x7B; /* ä */
	case 0xF6: return 0x7C; /* ö */
	case 0xF1: return 0x7D; /* ñ */
	case 0xFC: return 0x7E; /* ü */
	case 0xE0: return 0x7F; /* à */
	}
	return -1;
}

static int default_extension_septet(uint32_t cp)
{
	switch (cp) {
	case 0x0C: return 0x0A;   /* form feed */
	case 0x5E: return 0x14;   /* ^ */
	case 0x7B: return 0x28;   /* { */
	case 0x7D: return 0x29;   /* } */
	case 0x5C: return 0x2F;   /* \ */
	case 0x5B: return 0x3C;   /* [ */
	case 0x7E: return 0x3D;   /* ~ */
	case 0x5D: return 0x3E;   /* ] */
	case 0x7C: return 0x40;   /* | */
	case 0x20AC: return 0x65; /* € */
	}
	return -1;
}

static int table_septet(const uint16_t *table, uint32_t cp)
{
	/* 0 marks undefined entries, so U+0000 must never match one */
	if (!table || cp == 0 || cp > 0xFFFF)
		return -1;
	/*
	 * Downwards, so that where Annex A prints a character twice the later
	 * position wins: the Kannada locking table has PA at 0x24 (Android
	 * reads that position as DDA) and again at 0x3D, which every phone
	 * shows as PA. The other duplicates ('*', inverted '!') decode alike.
	 */
	for (int i = GSM7_TABLE_SIZE - 1; i >= 0; i--)
		if (table[i] == cp && i != GSM7_ESCAPE)
			return i;
	return -1;
}

/* Spanish has no locking shift table: the default alphabet stays in force. */
static const uint16_t *locking_or_default(unsigned lang)
{
	const uint16_t *t = gsm7_locking_table(lang);
	return t ? t : gsm7_locking_table(GSM7_LANG_DEFAULT);
}

int gsm7_encode_char(uint32_t cp, unsigned locking, unsigned single, uint8_t out[2])
{
	int s;

	if (locking == GSM7_LANG_DEFAULT)
		s = default_septet(cp);
	else if (locking < GSM7_LANG_COUNT)
		s = table_septet(locking_or_default(locking), cp);
	else
		s = -1;
	if (s >= 0) {
		out[0] = (uint8_t)s;
		return 1;
	}
	if (single == GSM7_LANG_DEFAULT)
		s = default_extension_septet(cp);
	else if (single < GSM7_LANG_COUNT)
		s = table_septet(gsm7_single_table(single), cp);
	if (s < 0)
		return 0;
	out[0] = GSM7_ESCAPE;
	out[1] = (uint8_t)s;
	return 2;
}

int gsm7_decode(const uint8_t *septets, size_t n, unsigned locking, unsigned single,
		char *out, size_t outsz)
{
	const uint16_t *lock = locking_or_default(locking < GSM7_LANG_COUNT ? locking : 0);
	const uint16_t *shift = gsm7_single_table(single < GSM7_LANG_COUNT ? single : 0);
	size_t pos = 0;

	if (outsz == 0)
		return -EMSGSIZE;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp;

		if (septets[i] > 0x7F)
			return -EINVAL;
		if (septets[i] != GSM7_ESCAPE) {
			cp = lock[septets[i]];
		} else if (i + 1 == n) {
			cp = ' ';
		} else {
			uint8_t next = septets[++i];
			if (next > 0x7F)
				return -EINVAL;
			/*
			 * 23.038 6.2.1.1: ESC ESC is reserved for a further table
			 * and shows as a space; an undefined extension shows the
			 * main table's character.
			 */
			if (next == GSM7_ESCAPE)
				cp = ' ';
			else
				cp = shift[next] ? shift[next] : lock[next];
		}
		if (cp == 0)
			cp = REPLACEMENT_CHAR;
		/* keep one byte for the NUL */
		if (utf8_put(out, outsz - 1, &pos, cp) < 0)
			return -EMSGSIZE;
	}
	out[pos] = '\0';
	return (int)pos;
}
