/*
 * SMS-SUBMIT encoding, planning and segment counting (TS 23.040 9.2.2.2,
 * 9.2.3.24; TS 23.038). Expected PDUs are built octet by octet in comments
 * from the spec; round trips go back through the decoder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/gsm7.h"
#include "parley/hex.h"
#include "parley/sms.h"
#include "parley/sms_submit.h"
#include "parley/utf8.h"

static struct sms_pdu pdus[SMS_SEGMENTS_MAX];

static struct sms_submit_opts opts_to(const char *to)
{
	struct sms_submit_opts o;
	memset(&o, 0, sizeof(o));
	o.to = to;
	return o;
}

static const char *pdu_hex(const struct sms_pdu *p)
{
	static char hex[2 * SMS_PDU_MAX + 1];
	hex_encode(p->data, p->len, hex);
	return hex;
}

/*
 * "hellohello" to +46708251358, valid 4 days:
 * 00 no SMSC | 11 SUBMIT, VPF relative | 00 MR | 0B 91 6407281553F8 the number |
 * 00 PID | 00 DCS GSM 7-bit | AA VP: 170 = 4 days (9.2.3.12.1: (170-166) days) |
 * 0A ten septets | E8329BFD4697D9EC37 packed (23.038 6.1.2.1.1)
 */
static void encode_hellohello(void **state)
{
	struct sms_submit_opts o = opts_to("+46708251358");
	(void)state;
	o.validity_minutes = 4 * 24 * 60;
	assert_int_equal(sms_submit_encode("hellohello", 10, &o, pdus, 1, NULL, NULL), 1);
	assert_string_equal(pdu_hex(&pdus[0]), "0011000B916407281553F80000AA0AE8329BFD4697D9EC37");
	assert_int_equal(pdus[0].tpdu_len, pdus[0].len - 1);
}

/*
 * With an SMSC (+358405202090: 07 octets, 91, 5348502020 90 swapped), a
 * status report request (SRR, 0x20) and MR 13:
 * 07915348502020 90 | 31 SUBMIT+VPF+SRR | 0D | 0C 91 534887042014 | 00 00 | A7 (24 h) | ...
 */
static void encode_with_smsc_and_report(void **state)
{
	struct sms_submit_opts o = opts_to("+358478400241");
	struct sms s;
	(void)state;
	o.smsc = "+358405202090";
	o.status_report = true;
	o.mr = 13;
	o.validity_minutes = 24 * 60;
	assert_int_equal(sms_submit_encode("Hi", 2, &o, pdus, 1, NULL, NULL), 1);
	assert_memory_equal(pdu_hex(&pdus[0]), "079153485002020931" "0D" "0C91534887042014" "0000A7", 40);
	assert_int_equal(pdus[0].tpdu_len, pdus[0].len - 8);
	assert_int_equal(sms_decode(pdus[0].data, pdus[0].len, SMS_DECODE_SMSC, &s, NULL), 0);
	assert_string_equal(s.smsc.number, "+358405202090");
	assert_true(s.status_report);
	assert_int_equal(s.mr, 13);
	assert_int_equal(s.validity.seconds, 24 * 3600);
	assert_string_equal(s.text, "Hi");
}

/* Class 0 sets DCS bit 4 with class bits 00 (23.038 4): 0x10 for GSM, 0x18 for UCS-2. */
static void encode_flash(void **state)
{
	struct sms_submit_opts o = opts_to("+15551234567");
	struct sms s;
	(void)state;
	o.flash = true;
	assert_int_equal(sms_submit_encode("Alert", 5, &o, pdus, 1, NULL, NULL), 1);
	assert_int_equal(sms_decode(pdus[0].data, pdus[0].len, SMS_DECODE_SMSC, &s, NULL), 0);
	assert_int_equal(s.dcs.raw, 0x10);
	assert_int_equal(s.dcs.msg_class, 0);
	o.encoding = SMS_ENCODING_UCS2;
	assert_int_equal(sms_submit_encode("Alert", 5, &o, pdus, 1, NULL, NULL), 1);
	assert_int_equal(sms_decode(pdus[0].data, pdus[0].len, SMS_DECODE_SMSC, &s, NULL), 0);
	assert_int_equal(s.dcs.raw, 0x18);
	assert_string_equal(s.text, "Alert");
}

/*
 * Destinations: national digits go out as type unknown/ISDN (0x81), which
 * SMSCs read with national dialling rules; names as alphanumeric (0xD0) with
 * the length in semi-octets: "Parley" is 6 septets = 42 bits = 11 semi-octets.
 */
static void encode_addresses(void **state)
{
	uint8_t out[SMS_SMSC_MAX];
	char hex[64];
	const char *why = NULL;
	(void)state;

	assert_int_equal(sms_address_encode("0712345678", false, out, NULL), 7);
	hex_encode(out, 7, hex);
	assert_string_equal(hex, "0A817021436587");
	assert_int_equal(sms_address_encode("+123", false, out, NULL), 4);
	hex_encode(out, 4, hex);
	assert_string_equal(hex, "039121F3");
	/* SMSC form: length counts octets (TOA + 2) */
	assert_int_equal(sms_address_encode("+123", true, out, NULL), 4);
	hex_encode(out, 4, hex);
	assert_string_equal(hex, "039121F3");
	assert_int_equal(sms_address_encode("+4478", true, out, NULL), 4);
	hex_encode(out, 4, hex);
	assert_string_equal(hex, "03914487");

	/* "Parley": septets 50 61 72 6C 65 79, packed little-end first: D0 B0 9C 5D CE 03 */
	assert_int_equal(sms_address_encode("Parley", false, out, NULL), 8);
	hex_encode(out, 8, hex);
	assert_string_equal(hex, "0BD0D0B09C5DCE03");

	assert_int_equal(sms_address_encode("", false, out, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(sms_address_encode("+44 7700", false, out, &why), -EINVAL);
	assert_int_equal(sms_address_encode("+", false, out, &why), -EINVAL);
	assert_int_equal(sms_address_encode("+123456789012345678901", false, out, &why), -EINVAL);
	assert_int_equal(sms_address_encode("07700-900", false, out, &why), -EINVAL);
	assert_int_equal(sms_address_encode("TwelveChars!", false, out, &why), -EINVAL);
	assert_int_equal(sms_address_encode("Caf\xC3\xA9\xE2\x9C\x93", false, out, &why), -EINVAL);
	assert_int_equal(sms_address_encode("Shop", true, out, &why), -EINVAL);
}

/* Decoding what we encoded gives the destination back, for every address form. */
static void address_roundtrip(void **state)
{
	static const char *const to[] = { "+447700900123", "0712345678", "12345", "Parley",
					  "Shop{}", "ABCDEFGHIJK", "+1", "911" };
	struct sms s;
	(void)state;
	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++) {
		struct sms_submit_opts o = opts_to(to[i]);
		assert_int_equal(sms_submit_encode("x", 1, &o, pdus, 1, NULL, NULL), 1);
		assert_int_equal(sms_decode(pdus[0].data, pdus[0].len, SMS_DECODE_SMSC, &s, NULL), 0);
		assert_string_equal(s.addr.number, to[i]);
	}
}

/* 9.2.3.12.1 inverted: the smallest period that lasts at least as asked. */
static void validity_rounding(void **state)
{
	static const struct { uint32_t minutes; uint8_t vp; } v[] = {
		{ 1, 0 }, { 5, 0 }, { 6, 1 }, { 60, 11 }, { 720, 143 }, { 721, 144 },
		{ 1440, 167 }, { 1441, 168 }, { 2 * 1440, 168 }, { 3 * 1440, 169 },
		{ 30 * 1440, 196 }, { 30 * 1440 + 1, 197 }, { 5 * 7 * 1440, 197 },
		{ 52 * 7 * 1440, 244 }, { 63 * 7 * 1440, 255 }, { 100 * 7 * 1440, 255 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t vp = sms_validity_relative_from_minutes(v[i].minutes);
		assert_int_equal(vp, v[i].vp);
		if (v[i].minutes <= 63u * 7 * 1440)
			assert_true(sms_validity_relative_seconds(vp) >= v[i].minutes * 60);
		if (vp > 0 && v[i].minutes <= 63u * 7 * 1440)
			assert_true(sms_validity_relative_seconds((uint8_t)(vp - 1)) < v[i].minutes * 60);
	}
}

/* Encodes, decodes every segment, checks the headers and gives the joined text. */
static int roundtrip(const char *text, const struct sms_submit_opts *o, char *joined,
		     size_t joined_size, struct sms_plan *plan)
{
	const char *why = NULL;
	size_t pos = 0;
	int n = sms_submit_encode(text, strlen(text), o, pdus, SMS_SEGMENTS_MAX, plan, &why);
	if (n < 0) {
		fprintf(stderr, "encode failed: %s\n", why);
		return n;
	}
	assert_int_equal((unsigned)n, plan->segments);
	for (int i = 0; i < n; i++) {
		struct sms s;
		assert_true(pdus[i].tpdu_len <= SMS_TPDU_MAX);
		if (sms_decode(pdus[i].data, pdus[i].len, SMS_DECODE_SMSC, &s, &why) != 0) {
			fprintf(stderr, "segment %d does not decode: %s\n", i + 1, why);
			fail();
		}
		assert_int_equal(s.type, SMS_TYPE_SUBMIT);
		assert_int_equal(s.mr, (uint8_t)(o->mr + i));
		if (n > 1) {
			assert_true(s.udh.has_concat);
			assert_int_equal(s.udh.concat16, o->concat16);
			assert_int_equal(s.udh.concat_ref, o->concat16 ? o->concat_ref : (o->concat_ref & 0xFF));
			assert_int_equal(s.udh.concat_total, n);
			assert_int_equal(s.udh.concat_seq, i + 1);
		} else {
			assert_false(s.udh.has_concat);
		}
		assert_int_equal(s.udh.locking_lang, plan->locking_lang);
		assert_int_equal(s.udh.single_lang, plan->single_lang);
		assert_true(pos + s.text_len < joined_size);
		memcpy(joined + pos, s.text, s.text_len);
		pos += s.text_len;
	}
	joined[pos] = '\0';
	return n;
}

static void append_cp(char *buf, size_t size, size_t *pos, uint32_t cp)
{
	assert_int_equal(utf8_put(buf, size, pos, cp), 0);
}

/* Texts drawn from every GSM character, every extension character and non-BMP code points. */
static void random_roundtrips(void **state)
{
	static char text[4096], joined[4096];
	const uint16_t *lock = gsm7_locking_table(0), *ext = gsm7_single_table(0);
	uint32_t pool[256];
	size_t npool = 0;
	(void)state;

	for (int i = 0; i < 128; i++) {
		if (i != GSM7_ESCAPE)
			pool[npool++] = lock[i];
		if (ext[i])
			pool[npool++] = ext[i];
	}
	srand(42);
	for (int round = 0; round < 600; round++) {
		struct sms_submit_opts o = opts_to("+447700900123");
		struct sms_plan plan;
		size_t pos = 0, chars = (size_t)(rand() % 700);
		int kind = round % 3; /* GSM only, GSM with emoji, any BMP and astral */

		o.concat_ref = (uint16_t)rand();
		o.concat16 = rand() % 2;
		o.mr = (uint8_t)rand();
		for (size_t i = 0; i < chars; i++) {
			uint32_t cp = pool[(size_t)rand() % npool];
			if (kind == 1 && rand() % 20 == 0)
				cp = 0x1F600 + (uint32_t)(rand() % 80);
			if (kind == 2 && rand() % 3 == 0) {
				cp = (uint32_t)(rand() % 0x10FFFF) + 1;
				if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
					cp = 0x10348;
			}
			append_cp(text, sizeof(text), &pos, cp);
		}
		text[pos] = '\0';
		int n = roundtrip(text, &o, joined, sizeof(joined), &plan);
		assert_true(n >= 1);
		assert_string_equal(joined, text);
		if (kind == 0)
			assert_int_equal(plan.coding, SMS_CODING_GSM7);
	}
}

static void repeat(char *buf, size_t *pos, const char *s, int times)
{
	for (int i = 0; i < times; i++) {
		memcpy(buf + *pos, s, strlen(s));
		*pos += strlen(s);
	}
	buf[*pos] = '\0';
}

static unsigned segments_of(const char *text, bool concat16)
{
	struct sms_submit_opts o = opts_to("+1");
	struct sms_plan plan;
	o.concat16 = concat16;
	assert_int_equal(sms_plan_text(text, strlen(text), &o, &plan, NULL), 0);
	return plan.segments;
}

/*
 * Carrier limits: 160 septets alone; 153 a segment with the 6-octet header
 * (48 bits + 1 fill = 7 septets); 152 with the 7-octet 16-bit-reference
 * header. UCS-2: 70 units alone, 67 with 6 header octets, 66 with 7.
 */
static void segment_boundaries(void **state)
{
	static char t[2048];
	size_t pos;
	(void)state;

	for (int n = 150; n <= 310; n++) {
		pos = 0;
		repeat(t, &pos, "a", n);
		unsigned want = n <= 160 ? 1 : (unsigned)((n + 152) / 153);
		assert_int_equal(segments_of(t, false), want);
		unsigned want16 = n <= 160 ? 1 : (unsigned)((n + 151) / 152);
		assert_int_equal(segments_of(t, true), want16);
	}
	/* escapes count two: 80 euros = 160 septets, 81 do not fit */
	pos = 0;
	repeat(t, &pos, "\xE2\x82\xAC", 80);
	assert_int_equal(segments_of(t, false), 1);
	repeat(t, &pos, "\xE2\x82\xAC", 1);
	assert_int_equal(segments_of(t, false), 2);

	/* UCS-2 */
	for (int n = 60; n <= 140; n++) {
		pos = 0;
		repeat(t, &pos, "\xD0\x96", n); /* Cyrillic Zhe */
		unsigned want = n <= 70 ? 1 : (unsigned)((n + 66) / 67);
		assert_int_equal(segments_of(t, false), want);
		unsigned want16 = n <= 70 ? 1 : (unsigned)((n + 65) / 66);
		assert_int_equal(segments_of(t, true), want16);
	}
}

/* Splits and where they fall: 152/153/154 septets with an escape at the edge. */
static void escape_never_split(void **state)
{
	static char t[1024], joined[1024];
	struct sms_submit_opts o = opts_to("+1");
	struct sms_plan plan;
	struct sms s;
	size_t pos;
	(void)state;

	for (int before = 150; before <= 154; before++) {
		pos = 0;
		repeat(t, &pos, "a", before);
		repeat(t, &pos, "\xE2\x82\xAC", 1);
		repeat(t, &pos, "b", 20);
		assert_int_equal(roundtrip(t, &o, joined, sizeof(joined), &plan), 2);
		assert_string_equal(joined, t);
		assert_int_equal(sms_decode(pdus[0].data, pdus[0].len, SMS_DECODE_SMSC, &s, NULL), 0);
		/*
		 * 'b's fill segment 1 to its 153 septets, except when the euro's
		 * two septets would straddle the edge: then it holds only 152.
		 */
		int first_septets = before == 152 ? 152 : 153;
		assert_int_equal(s.udl, 7 + first_septets);
		if (before + 2 <= 153)
			assert_non_null(strstr(s.text, "\xE2\x82\xAC"));
		else
			assert_null(strstr(s.text, "\xE2\x82\xAC"));
	}
}

/* 66/67/68 UCS-2 units with a surrogate pair at the edge of the 67-unit segment. */
static void surrogate_never_split(void **state)
{
	static char t[1024], joined[1024];
	struct sms_submit_opts o = opts_to("+1");
	struct sms_plan plan;
	struct sms s;
	size_t pos;
	(void)state;

	for (int before = 64; before <= 67; before++) {
		pos = 0;
		repeat(t, &pos, "\xD0\x96", before);
		repeat(t, &pos, "\xF0\x9F\x98\x80", 1); /* U+1F600, two UTF-16 units */
		repeat(t, &pos, "\xD0\x96", 10);
		assert_int_equal(roundtrip(t, &o, joined, sizeof(joined), &plan), 2);
		assert_int_equal(plan.coding, SMS_CODING_UCS2);
		assert_string_equal(joined, t);
		assert_int_equal(sms_decode(pdus[0].data, pdus[0].len, SMS_DECODE_SMSC, &s, NULL), 0);
		/* the pair would straddle the 67-unit edge only after 66 units */
		int units = before == 66 ? 66 : 67;
		assert_int_equal(s.udl, 6 + 2 * units);
		/* no lone surrogate: the decoder would have shown U+FFFD */
		assert_null(strstr(s.text, "\xEF\xBF\xBD"));
	}
	/* 68 units fit alone in 70: one segment */
	pos = 0;
	repeat(t, &pos, "\xD0\x96", 68);
	repeat(t, &pos, "\xF0\x9F\x98\x80", 1);
	assert_int_equal(segments_of(t, false), 1);
}

/* A text beyond 255 segments is refused with a reason, never cut. */
static void too_long(void **state)
{
	static char t[40000];
	struct sms_submit_opts o = opts_to("+1");
	struct sms_plan plan;
	const char *why = NULL;
	size_t pos = 0;
	(void)state;
	repeat(t, &pos, "a", 255 * 153);
	assert_int_equal(sms_plan_text(t, pos, &o, &plan, &why), 0);
	assert_int_equal(plan.segments, 255);
	repeat(t, &pos, "a", 1);
	assert_int_equal(sms_plan_text(t, pos, &o, &plan, &why), -EMSGSIZE);
	assert_non_null(why);
	assert_int_equal(sms_submit_encode(t, pos, &o, pdus, SMS_SEGMENTS_MAX, NULL, &why), -EMSGSIZE);
	/* 5,000 characters: 33 segments, fine */
	pos = 0;
	repeat(t, &pos, "a", 5000);
	assert_int_equal(sms_submit_encode(t, pos, &o, pdus, SMS_SEGMENTS_MAX, NULL, NULL), 33);
	/* room for fewer segments than needed */
	assert_int_equal(sms_submit_encode(t, pos, &o, pdus, 10, NULL, &why), -EMSGSIZE);
}

static void invalid_utf8(void **state)
{
	struct sms_submit_opts o = opts_to("+1");
	const char *why = NULL;
	(void)state;
	assert_int_equal(sms_submit_encode("a\xC3", 2, &o, pdus, 1, NULL, &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(sms_submit_encode("\xED\xA0\x80", 3, &o, pdus, 1, NULL, &why), -EINVAL);
	assert_int_equal(sms_submit_encode("\xC0\x80", 2, &o, pdus, 1, NULL, &why), -EINVAL);
	o.to = "+12a";
	assert_int_equal(sms_submit_encode("hi", 2, &o, pdus, 1, NULL, &why), -EINVAL);
	assert_non_null(strstr(why, "digit"));
}

/* Counting: encoding, segments and characters left, as a carrier bills. */
static void plan_counts(void **state)
{
	struct sms_submit_opts o = opts_to("+1");
	struct sms_plan p;
	(void)state;

	assert_int_equal(sms_plan_text("Hello", 5, &o, &p, NULL), 0);
	assert_int_equal(p.coding, SMS_CODING_GSM7);
	assert_int_equal(p.segments, 1);
	assert_int_equal(p.units, 5);
	assert_int_equal(p.left, 155);
	assert_int_equal(p.chars, 5);

	assert_int_equal(sms_plan_text("[x]", 3, &o, &p, NULL), 0);
	assert_int_equal(p.units, 5);
	assert_int_equal(p.left, 155);

	assert_int_equal(sms_plan_text("Hi \xF0\x9F\x98\x80", 7, &o, &p, NULL), 0);
	assert_int_equal(p.coding, SMS_CODING_UCS2);
	assert_int_equal(p.units, 5);
	assert_int_equal(p.left, 65);
	assert_int_equal(p.chars, 4);

	o.encoding = SMS_ENCODING_UCS2;
	assert_int_equal(sms_plan_text("Hello", 5, &o, &p, NULL), 0);
	assert_int_equal(p.coding, SMS_CODING_UCS2);
	assert_int_equal(p.left, 65);
}

/* Smart encoding: off by default; on, it keeps a text GSM 7-bit and says so. */
static void smart_encoding(void **state)
{
	static const char text[] = "It\xE2\x80\x99s \xE2\x80\x9C" "done\xE2\x80\x9D \xE2\x80\x93 ok\xC2\xA0now\xE2\x80\xA6";
	static char joined[256];
	struct sms_submit_opts o = opts_to("+1");
	struct sms_plan p;
	(void)state;

	assert_int_equal(sms_plan_text(text, strlen(text), &o, &p, NULL), 0);
	assert_int_equal(p.coding, SMS_CODING_UCS2);
	assert_false(p.smart_used);

	o.smart = true;
	assert_int_equal(roundtrip(text, &o, joined, sizeof(joined), &p), 1);
	assert_int_equal(p.coding, SMS_CODING_GSM7);
	assert_true(p.smart_used);
	assert_string_equal(joined, "It's \"done\" - ok now...");

	/* an emoji keeps the text UCS-2 anyway: then nothing is replaced */
	static const char emoji[] = "\xE2\x80\x9CHi\xE2\x80\x9D \xF0\x9F\x98\x80";
	assert_int_equal(roundtrip(emoji, &o, joined, sizeof(joined), &p), 1);
	assert_int_equal(p.coding, SMS_CODING_UCS2);
	assert_false(p.smart_used);
	assert_string_equal(joined, emoji);

	/* plain GSM text: smart has nothing to do */
	assert_int_equal(sms_plan_text("plain", 5, &o, &p, NULL), 0);
	assert_false(p.smart_used);
}

static void eight_bit(void **state)
{
	static uint8_t data[300];
	struct sms_submit_opts o = opts_to("+1");
	struct sms s;
	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	o.encoding = SMS_ENCODING_8BIT;
	o.concat_ref = 9;
	int n = sms_submit_encode((const char *)data, sizeof(data), &o, pdus, SMS_SEGMENTS_MAX, NULL, NULL);
	assert_int_equal(n, 3); /* 134 + 134 + 32 */
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		assert_int_equal(sms_decode(pdus[i].data, pdus[i].len, SMS_DECODE_SMSC, &s, NULL), 0);
		assert_int_equal(s.dcs.coding, SMS_CODING_8BIT);
		size_t body = s.ud_len - 6u;
		assert_memory_equal(s.ud + 6, data + off, body);
		off += body;
	}
	assert_int_equal(off, sizeof(data));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_hellohello),
		cmocka_unit_test(encode_with_smsc_and_report),
		cmocka_unit_test(encode_flash),
		cmocka_unit_test(encode_addresses),
		cmocka_unit_test(address_roundtrip),
		cmocka_unit_test(validity_rounding),
		cmocka_unit_test(random_roundtrips),
		cmocka_unit_test(segment_boundaries),
		cmocka_unit_test(escape_never_split),
		cmocka_unit_test(surrogate_never_split),
		cmocka_unit_test(too_long),
		cmocka_unit_test(invalid_utf8),
		cmocka_unit_test(plan_counts),
		cmocka_unit_test(smart_encoding),
		cmocka_unit_test(eight_bit),
	};
	return cmocka_run_group_tests_name("sms_submit", tests, NULL, NULL);
}
