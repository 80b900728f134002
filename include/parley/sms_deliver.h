/*
 * What a service centre sends a phone: SMS-DELIVER (TS 23.040 9.2.2.1) and
 * SMS-STATUS-REPORT (9.2.2.3) encoding. parley itself only receives these;
 * the modem simulator and the tests build them with this.
 *
 * Pure functions: no allocation, no I/O. Text is UTF-8. Splitting follows
 * the same plan as SMS-SUBMIT (sms_plan_text), so segment counts agree.
 */
#ifndef PARLEY_SMS_DELIVER_H
#define PARLEY_SMS_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/sms.h"
#include "parley/sms_submit.h"

struct sms_deliver_opts {
	const char *from;          /* "+4478...", "0712...", or an alphanumeric sender */
	const char *smsc;          /* NULL or "": SMSC part "00" */
	struct sms_time scts;      /* service centre time stamp */
	bool status_report_indication; /* TP-SRI */
	bool flash;                /* class 0 */
	enum sms_encoding_choice encoding;
	uint32_t allowed_langs;    /* GSM7_LANG_BIT()s */
	uint16_t concat_ref;
	bool concat16;
};

/*
 * Encodes a text as SMS-DELIVER PDUs, one per segment, into pdus[0..max),
 * each with its SMSC part first as +CMT and +CMGR show them; tpdu_len is
 * the length those responses print. plan may be NULL.
 * Returns the number of segments; -EINVAL with *reason for bad UTF-8 or a
 * bad originator or SMSC; -EMSGSIZE when more than max segments are needed.
 */
int sms_deliver_encode(const char *text, size_t len, const struct sms_deliver_opts *opts,
		       struct sms_pdu *pdus, size_t max, struct sms_plan *plan,
		       const char **reason);

struct sms_status_report_opts {
	const char *smsc;          /* NULL or "": SMSC part "00" */
	uint8_t mr;                /* the TP-MR of the SUBMIT it reports on */
	const char *recipient;     /* the SUBMIT's destination */
	struct sms_time scts;      /* when the SC received the SUBMIT */
	struct sms_time discharge; /* when it was delivered, or failed */
	uint8_t status;            /* TP-ST, 9.2.3.15 */
};

/*
 * Encodes one SMS-STATUS-REPORT, without optional parameters, as +CDS and
 * +CMGR show it (SMSC part first).
 * Returns 0, or -EINVAL with *reason for a bad recipient or SMSC.
 */
int sms_status_report_encode(const struct sms_status_report_opts *opts, struct sms_pdu *out,
			     const char **reason);

#endif
