/*
 * SMS-DELIVER (TS 23.040 9.2.2.1) and SMS-STATUS-REPORT (9.2.2.3)
 * encoding, as a service centre sends them: for the modem simulator and
 * the tests. sms_segments.c splits the text.
 */
#include <errno.h>
#include <string.h>

#include "parley/sms_deliver.h"
#include "pdu_fields.h"
#include "sms_segments.h"

#define TP_MTI_DELIVER 0x00
#define TP_MTI_STATUS_REPORT 0x02
#define TP_MMS 0x04 /* set: no more messages are waiting */
#define TP_SRI 0x20

int sms_deliver_encode(const char *text, size_t len, const struct sms_deliver_opts *opts,
		       struct sms_pdu *pdus, size_t max, struct sms_plan *plan_out,
		       const char **reason)
{
	struct sms_submit_opts planning = {
		.encoding = opts->encoding,
		.allowed_langs = opts->allowed_langs,
		.concat16 = opts->concat16,
	};
	struct sms_plan plan;
	struct pdu_head head;
	uint8_t *p;
	int r;

	r = sms_segments_plan(text, len, &planning, max, &plan, plan_out, reason);
	if (r < 0)
		return r;
	if ((r = pdu_head_smsc(&head, opts->smsc, reason)) < 0)
		return r;
	p = head.bytes + head.len;
	*p++ = TP_MTI_DELIVER | TP_MMS | (opts->status_report_indication ? TP_SRI : 0);
	r = sms_address_encode(opts->from, false, p, reason);
	if (r < 0)
		return r;
	p += r;
	*p++ = 0x00; /* TP-PID */
	*p++ = sms_segments_dcs(&plan, opts->flash);
	p += pdu_time_write(&opts->scts, p);
	head.len = (size_t)(p - head.bytes);
	return sms_segments_encode(text, len, &plan, &head, opts->concat_ref, opts->concat16, pdus);
}

int sms_status_report_encode(const struct sms_status_report_opts *opts, struct sms_pdu *out,
			     const char **reason)
{
	struct pdu_head head;
	uint8_t *p;
	int r;

	if ((r = pdu_head_smsc(&head, opts->smsc, reason)) < 0)
		return r;
	memcpy(out->data, head.bytes, head.len);
	p = out->data + head.len;
	*p++ = TP_MTI_STATUS_REPORT | TP_MMS;
	*p++ = opts->mr;
	r = sms_address_encode(opts->recipient, false, p, reason);
	if (r < 0)
		return r;
	p += r;
	p += pdu_time_write(&opts->scts, p);
	p += pdu_time_write(&opts->discharge, p);
	*p++ = opts->status;
	out->len = (uint16_t)(p - out->data);
	out->tpdu_len = (uint16_t)(out->len - head.smsc_len);
	return 0;
}
