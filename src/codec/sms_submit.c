/*
 * SMS-SUBMIT encoding (TS 23.040 9.2.2.2): the fields every segment shares,
 * with the SMSC part AT+CMGS expects first; sms_segments.c splits the text.
 */
#include <errno.h>
#include <string.h>

#include "parley/sms_submit.h"
#include "sms_segments.h"

#define TP_MTI_SUBMIT 0x01
#define TP_VPF_RELATIVE 0x10
#define TP_SRR 0x20

uint8_t sms_validity_relative_from_minutes(uint32_t minutes)
{
	/* 23.040 9.2.3.12.1, inverted: the smallest TP-VP lasting at least that long */
	if (minutes <= 12 * 60)
		return (uint8_t)(minutes <= 5 ? 0 : (minutes + 4) / 5 - 1);
	if (minutes <= 24 * 60)
		return (uint8_t)(143 + (minutes - 12 * 60 + 29) / 30);
	if (minutes <= 30 * 24 * 60)
		return (uint8_t)(166 + (minutes + 24 * 60 - 1) / (24 * 60));
	if (minutes <= 63u * 7 * 24 * 60)
		return (uint8_t)(192 + (minutes + 7 * 24 * 60 - 1) / (7 * 24 * 60));
	return 255;
}

static int head_build(const struct sms_submit_opts *o, const struct sms_plan *plan,
		      struct pdu_head *h, const char **reason)
{
	uint8_t *p;
	int n;

	if ((n = pdu_head_smsc(h, o->smsc, reason)) < 0)
		return n;
	p = h->bytes + h->len;
	*p++ = TP_MTI_SUBMIT | (o->validity_minutes ? TP_VPF_RELATIVE : 0) |
	       (o->status_report ? TP_SRR : 0);
	h->mr_offset = (int)(p - h->bytes);
	*p++ = o->mr;
	n = sms_address_encode(o->to, false, p, reason);
	if (n < 0)
		return n;
	p += n;
	*p++ = 0x00; /* TP-PID: plain short message */
	*p++ = sms_segments_dcs(plan, o->flash);
	if (o->validity_minutes)
		*p++ = sms_validity_relative_from_minutes(o->validity_minutes);
	h->len = (size_t)(p - h->bytes);
	return 0;
}

int sms_submit_encode(const char *text, size_t len, const struct sms_submit_opts *opts,
		      struct sms_pdu *pdus, size_t max, struct sms_plan *plan_out,
		      const char **reason)
{
	struct sms_plan plan;
	struct pdu_head head;
	int r;

	r = sms_segments_plan(text, len, opts, max, &plan, plan_out, reason);
	if (r < 0)
		return r;
	r = head_build(opts, &plan, &head, reason);
	if (r < 0)
		return r;
	return sms_segments_encode(text, len, &plan, &head, opts->concat_ref, opts->concat16, pdus);
}
