/*
 * Smart encoding: punctuation and spaces that word processors and phones
 * put in texts (curly quotes, dashes, non-breaking spaces, ellipses) have
 * plain look-alikes in the GSM default alphabet. One such character would
 * otherwise force the whole message into UCS-2, cutting a segment from 160
 * characters to 70. Letters are never changed: folding accents alters words.
 */
#include "parley/sms_submit.h"

int sms_smart_replace(uint32_t cp, uint32_t out[3])
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: /* single quotes */
	case 0x2032: case 0x00B4: case 0x0060: case 0x02BC: /* prime, acute, grave, apostrophe */
		out[0] = '\'';
		return 1;
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: /* double quotes */
	case 0x2033: case 0x00AB: case 0x00BB:               /* double prime, guillemets */
		out[0] = '"';
		return 1;
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: /* hyphens, figure and en dash */
	case 0x2014: case 0x2015: case 0x2212: case 0x2022: /* em dash, bar, minus, bullet */
	case 0x00AD:                                        /* soft hyphen */
		out[0] = '-';
		return 1;
	case 0x00A0: case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004:
	case 0x2005: case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A:
	case 0x202F: case 0x205F: case 0x3000: /* spaces of every width */
		out[0] = ' ';
		return 1;
	case 0x2026: /* ellipsis */
		out[0] = out[1] = out[2] = '.';
		return 3;
	case 0x2039:
		out[0] = '<';
		return 1;
	case 0x203A:
		out[0] = '>';
		return 1;
	case 0x02C6:
		out[0] = '^';
		return 1;
	case 0x02DC:
		out[0] = '~';
		return 1;
	case 0x2044: case 0x2215: /* fraction and division slash */
		out[0] = '/';
		return 1;
	}
	return 0;
}
