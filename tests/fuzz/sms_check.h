/*
 * Invariants of a decoded struct sms, shared by the decoder fuzzers.
 *
 * What a successful sms_decode() must promise whatever the input: strings
 * NUL-terminated inside their arrays and valid UTF-8, lengths within the
 * limits of TS 23.040 9.2.3.16 (UDL) and 9.2.3.24 (UDH), enums in range, the
 * DCS and TP-ST fields equal to what their own parsers say, times that
 * format. A broken invariant prints what broke and aborts, which libFuzzer
 * reports as a crash. Included by one fuzzer .c file each: static inline functions.
 */
#ifndef PARLEY_FUZZ_SMS_CHECK_H
#define PARLEY_FUZZ_SMS_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/gsm7.h"
#include "parley/sms.h"
#include "parley/utf8.h"

_Noreturn static inline void check_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			check_fail(#cond, __FILE__, __LINE__); \
	} while (0)

static inline void check_string(const char *s, size_t size)
{
	const char *nul = memchr(s, '\0', size);

	CHECK(nul != NULL);
	CHECK(utf8_validate(s, (size_t)(nul - s)) == 0);
}

static inline void check_address(const struct sms_address *a)
{
	CHECK((unsigned)a->type <= SMS_NUMBER_RESERVED);
	CHECK(a->npi <= 0x0F);
	check_string(a->number, sizeof(a->number));
	CHECK(sms_number_type_name(a->type) != NULL);
}

/* TS 23.040 9.2.3.11: BCD digits, two-digit year read as 20xx. */
static inline void check_time(const struct sms_time *t)
{
	char buf[32];

	CHECK(t->year >= 2000 && t->year <= 2099);
	CHECK(t->month <= 99 && t->day <= 99 && t->hour <= 99);
	CHECK(t->minute <= 99 && t->second <= 99);
	CHECK(t->utc_offset_min % 15 == 0);
	CHECK(t->utc_offset_min >= -79 * 15 && t->utc_offset_min <= 79 * 15);
	CHECK(sms_time_format(t, buf, sizeof(buf)) == 25);
	CHECK(strlen(buf) == 25);
	CHECK(sms_time_format(t, buf, 25) == -EMSGSIZE);
}

static inline void check_dcs(const struct sms_dcs *d)
{
	struct sms_dcs again;

	CHECK((unsigned)d->coding <= SMS_CODING_UCS2);
	CHECK(d->msg_class >= -1 && d->msg_class <= 3);
	CHECK(d->mwi_kind <= 3);
	CHECK(sms_coding_name(d->coding) != NULL);
	/* The decoder must read the DCS exactly as sms_dcs_parse() does. */
	memset(&again, 0xA5, sizeof(again));
	sms_dcs_parse(d->raw, &again);
	CHECK(again.raw == d->raw);
	/*
	 * Except one quirk of sms_decode.c: a reserved DCS 0xF8-0xFB whose UDL
	 * only makes sense in octets is read as UCS-2 (a phone in Gammu's tests).
	 */
	CHECK(again.coding == d->coding ||
	      ((d->raw & 0xFC) == 0xF8 && again.coding == SMS_CODING_GSM7 &&
	       d->coding == SMS_CODING_UCS2));
	CHECK(again.msg_class == d->msg_class);
	CHECK(again.compressed == d->compressed);
	CHECK(again.auto_delete == d->auto_delete);
	CHECK(again.mwi == d->mwi);
	CHECK(again.mwi_active == d->mwi_active);
	CHECK(again.mwi_store == d->mwi_store);
	CHECK(again.mwi_kind == d->mwi_kind);
}

/* TS 23.040 9.2.3.24: the header lies inside the user data. */
static inline void check_udh(const struct sms *m)
{
	const struct sms_udh *h = &m->udh;

	if (!h->present) {
		CHECK(!h->has_concat && !h->has_ports);
		CHECK(h->ie_count == 0);
		return;
	}
	CHECK((unsigned)h->len + 1 <= m->ud_len);
	CHECK(m->ud[0] == h->len);
	CHECK((unsigned)h->ie_count * 2 <= h->len);
	if (h->has_concat) {
		/* 9.2.3.24.1: zero total or sequence, or sequence past total: ignore the IE. */
		CHECK(h->concat_total >= 1);
		CHECK(h->concat_seq >= 1);
		CHECK(h->concat_seq <= h->concat_total);
		if (!h->concat16)
			CHECK(h->concat_ref <= 0xFF);
	}
	if (h->has_ports && !h->ports16)
		CHECK(h->dst_port <= 0xFF && h->src_port <= 0xFF);
}

/* 8-bit data shows as Latin-1: every octet after the header is one code point. */
static inline void check_latin1_text(const struct sms *m)
{
	size_t start = m->udh.present ? (size_t)m->udh.len + 1 : 0, pos = 0;
	char want[2 * SMS_UD_MAX + 1];

	for (size_t i = start; i < m->ud_len; i++)
		CHECK(utf8_put(want, sizeof(want), &pos, m->ud[i]) == 0);
	CHECK(pos == m->text_len);
	CHECK(memcmp(want, m->text, pos) == 0);
}

/* Everything a successful decode promises; flags as given to sms_decode. */
static inline void check_sms(const struct sms *m, unsigned flags)
{
	CHECK((unsigned)m->type <= SMS_TYPE_STATUS_REPORT);
	CHECK(sms_type_name(m->type) != NULL);
	if (!(flags & SMS_DECODE_SMSC))
		CHECK(!m->has_smsc);
	if (m->has_smsc)
		check_address(&m->smsc);
	check_address(&m->addr);
	check_dcs(&m->dcs);

	switch (m->type) {
	case SMS_TYPE_DELIVER:
		check_time(&m->scts);
		break;
	case SMS_TYPE_SUBMIT:
		CHECK((unsigned)m->validity.format <= SMS_VALIDITY_ABSOLUTE);
		if (m->validity.format == SMS_VALIDITY_RELATIVE)
			CHECK(m->validity.seconds ==
			      sms_validity_relative_seconds(m->validity.relative));
		if (m->validity.format == SMS_VALIDITY_ABSOLUTE)
			check_time(&m->validity.absolute);
		break;
	case SMS_TYPE_STATUS_REPORT:
		check_time(&m->scts);
		check_time(&m->discharge);
		CHECK(m->status_class == sms_status_classify(m->status));
		CHECK(sms_status_class_name(m->status_class) != NULL);
		break;
	}

	/* TS 23.040 9.2.3.16: UDL counts septets for uncompressed 7-bit text, else octets. */
	CHECK(m->ud_len <= SMS_UD_MAX);
	if (m->dcs.coding == SMS_CODING_GSM7 && !m->dcs.compressed) {
		CHECK(m->udl <= 160);
		CHECK(m->ud_len == gsm7_packed_len(m->udl, 0));
	} else {
		CHECK(m->udl <= SMS_UD_MAX);
		CHECK(m->ud_len == m->udl);
	}
	check_udh(m);

	CHECK(m->text_len < SMS_TEXT_MAX);
	CHECK(m->text[m->text_len] == '\0');
	CHECK(utf8_validate(m->text, m->text_len) == 0);
	if (m->dcs.coding == SMS_CODING_8BIT && !m->dcs.compressed)
		check_latin1_text(m);
}

/* The fields two decodes of the same TPDU must agree on. */
static inline void check_same_tpdu(const struct sms *a, const struct sms *b)
{
	CHECK(a->type == b->type);
	CHECK(a->first_octet == b->first_octet);
	CHECK(a->mr == b->mr);
	CHECK(strcmp(a->addr.number, b->addr.number) == 0);
	CHECK(a->pid == b->pid);
	CHECK(a->dcs.raw == b->dcs.raw);
	CHECK(a->udl == b->udl);
	CHECK(a->ud_len == b->ud_len);
	CHECK(memcmp(a->ud, b->ud, a->ud_len) == 0);
	CHECK(a->text_len == b->text_len);
	CHECK(memcmp(a->text, b->text, a->text_len) == 0);
}

#endif
