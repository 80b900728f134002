/*
 * libFuzzer target: sms_submit_encode() and back through sms_decode()
 * (TS 23.040 9.2.2.2, 9.2.3.24.1, 9.2.3.24.8; TS 23.038).
 *
 * Input: 7 octets of options, then the text.
 *   0: bit 0 UCS-2 (else auto), 1 16-bit concat reference, 2 flash, 3 status
 *      report, 4 SMSC, 5-6 destination (international, national,
 *      alphanumeric), 7 smart look-alikes
 *   1-2: allowed national languages (GSM7_LANG_BIT mask)
 *   3: TP-MR   4-5: concat reference   6: validity in steps of 2490 minutes
 * Text that is not UTF-8 must be refused with -EINVAL. Otherwise the text
 * either needs too many segments (-EMSGSIZE) or every segment decodes as a
 * SUBMIT carrying the options and the right concat header, and the decoded
 * texts, joined, give the input back (unless a look-alike was replaced).
 */
#include <stddef.h>
#include <stdint.h>

#include "parley/sms_submit.h"
#include "sms_check.h"

#define OPT_BYTES 7
#define VALIDITY_STEP_MIN 2490u /* 255 steps stay under 63 weeks */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const destinations[] = { "+447700900123", "07700900123", "Parley",
					    "+12025550143" };

static void read_opts(const uint8_t *o, struct sms_submit_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->encoding = (o[0] & 0x01) ? SMS_ENCODING_UCS2 : SMS_ENCODING_AUTO;
	opts->concat16 = o[0] & 0x02;
	opts->flash = o[0] & 0x04;
	opts->status_report = o[0] & 0x08;
	opts->smsc = (o[0] & 0x10) ? "+447785016005" : NULL;
	opts->to = destinations[(o[0] >> 5) & 0x03];
	opts->smart = o[0] & 0x80;
	opts->allowed_langs = ((unsigned)o[1] | (unsigned)o[2] << 8) &
			      ((1u << GSM7_LANG_COUNT) - 1u);
	opts->mr = o[3];
	opts->concat_ref = (uint16_t)(o[4] | o[5] << 8);
	opts->validity_minutes = o[6] * VALIDITY_STEP_MIN;
}

static size_t count_chars(const char *text, size_t len)
{
	size_t pos = 0, n = 0;

	while (pos < len) {
		CHECK(utf8_next(text, len, &pos) >= 0);
		n++;
	}
	return n;
}

/* Units of text in one decoded segment: septets or UTF-16 code units after the header. */
static unsigned segment_units(const struct sms *m)
{
	unsigned hdr = m->udh.present ? m->udh.len + 1u : 0;

	if (m->dcs.coding == SMS_CODING_GSM7)
		return m->udl - (hdr * 8 + 6) / 7;
	return (m->udl - hdr) / 2;
}

static void check_segment(const struct sms *m, const struct sms_submit_opts *opts,
			  const struct sms_plan *plan, unsigned i, unsigned count)
{
	CHECK(m->type == SMS_TYPE_SUBMIT);
	CHECK(m->mr == (uint8_t)(opts->mr + i));
	CHECK(m->status_report == opts->status_report);
	CHECK(strcmp(m->addr.number, opts->to) == 0);
	CHECK(m->has_smsc == (opts->smsc != NULL));
	if (opts->smsc)
		CHECK(strcmp(m->smsc.number, opts->smsc) == 0);
	CHECK(m->dcs.coding == plan->coding);
	CHECK(m->dcs.msg_class == (opts->flash ? 0 : -1));
	if (opts->validity_minutes) {
		CHECK(m->validity.format == SMS_VALIDITY_RELATIVE);
		CHECK(m->validity.relative ==
		      sms_validity_relative_from_minutes(opts->validity_minutes));
		CHECK(m->validity.seconds >= opts->validity_minutes * 60u);
	} else {
		CHECK(m->validity.format == SMS_VALIDITY_NONE);
	}
	CHECK(m->udh.locking_lang == plan->locking_lang);
	CHECK(m->udh.single_lang == plan->single_lang);
	if (count > 1) {
		CHECK(m->udh.has_concat);
		CHECK(m->udh.concat16 == opts->concat16);
		CHECK(m->udh.concat_ref ==
		      (opts->concat16 ? opts->concat_ref : (opts->concat_ref & 0xFF)));
		CHECK(m->udh.concat_total == count);
		CHECK(m->udh.concat_seq == i + 1);
	} else {
		CHECK(!m->udh.has_concat);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sms_pdu pdus[SMS_SEGMENTS_MAX];
	static struct sms seg;
	static char joined[SMS_SEGMENTS_MAX * SMS_TEXT_MAX];
	struct sms_submit_opts opts;
	struct sms_plan plan, plan2;
	const char *text, *reason = NULL;
	size_t len, joined_len = 0;
	unsigned units = 0, last_units = 0;
	int count, rc;

	if (size < OPT_BYTES)
		return 0;
	read_opts(data, &opts);
	text = (const char *)data + OPT_BYTES;
	len = size - OPT_BYTES;

	count = sms_submit_encode(text, len, &opts, pdus, SMS_SEGMENTS_MAX, &plan, &reason);
	rc = sms_plan_text(text, len, &opts, &plan2, NULL);
	if (utf8_validate(text, len) != 0) {
		CHECK(count == -EINVAL && reason != NULL);
		CHECK(rc == -EINVAL);
		return 0;
	}
	if (count == -EMSGSIZE) {
		CHECK(rc == -EMSGSIZE);
		return 0;
	}
	CHECK(count >= 1 && count <= SMS_SEGMENTS_MAX);
	CHECK(rc == 0);

	/* The plan is the one sms_plan_text() makes, and describes what was sent. */
	CHECK(plan.segments == (unsigned)count);
	CHECK(plan2.segments == plan.segments && plan2.coding == plan.coding);
	CHECK(plan2.locking_lang == plan.locking_lang && plan2.single_lang == plan.single_lang);
	CHECK(plan2.units == plan.units && plan2.per_segment == plan.per_segment);
	CHECK(plan2.left == plan.left && plan2.chars == plan.chars);
	CHECK(plan2.smart_used == plan.smart_used);
	CHECK(opts.smart || !plan.smart_used);
	CHECK(plan.coding != SMS_CODING_8BIT);
	if (opts.encoding == SMS_ENCODING_UCS2)
		CHECK(plan.coding == SMS_CODING_UCS2);
	if (!plan.smart_used)
		CHECK(plan.chars == count_chars(text, len));

	for (int i = 0; i < count; i++) {
		const struct sms_pdu *p = &pdus[i];
		unsigned u;

		CHECK(p->len <= SMS_PDU_MAX && p->tpdu_len <= SMS_TPDU_MAX);
		CHECK(p->len >= 1 && p->len == 1u + p->data[0] + p->tpdu_len);
		rc = sms_decode(p->data, p->len, SMS_DECODE_SMSC, &seg, &reason);
		if (rc != 0) {
			fprintf(stderr, "segment %d of %d: %s\n", i + 1, count, reason);
			CHECK(rc == 0);
		}
		check_sms(&seg, SMS_DECODE_SMSC);
		check_segment(&seg, &opts, &plan, (unsigned)i, (unsigned)count);

		/* No segment overfull; only an escape or a surrogate pair left room behind. */
		u = segment_units(&seg);
		CHECK(u <= plan.per_segment);
		if (i + 1 < count)
			CHECK(u + 1 >= plan.per_segment);
		units += u;
		last_units = u;

		memcpy(joined + joined_len, seg.text, seg.text_len);
		joined_len += seg.text_len;
	}
	CHECK(units == plan.units);
	CHECK(plan.left == plan.per_segment - last_units);
	if (!plan.smart_used)
		CHECK(joined_len == len && memcmp(joined, text, len) == 0);

	/* One slot short of what it needs: -EMSGSIZE. */
	if (count > 1)
		CHECK(sms_submit_encode(text, len, &opts, pdus, (size_t)count - 1, NULL, NULL) ==
		      -EMSGSIZE);
	return 0;
}
