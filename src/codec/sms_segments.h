/*
 * Internal to the codec: turning a planned text into PDUs, one per segment,
 * whatever the TPDU type. The caller builds the octets before TP-UDL once
 * (struct pdu_head); each segment gets a copy, its TP-MR counted up where
 * the type has one, TP-UDHI set when a header is needed, then the header
 * (9.2.3.24) and its share of the text.
 */
#ifndef PARLEY_SMS_SEGMENTS_H
#define PARLEY_SMS_SEGMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/sms_submit.h"

#define PDU_HEAD_MAX 40 /* SMSC 12, first octet, MR, address 12, PID, DCS, 7 for VP or SCTS */

struct pdu_head {
	uint8_t bytes[PDU_HEAD_MAX];
	size_t len;        /* octets before TP-UDL, SMSC part included */
	size_t smsc_len;   /* the first octet follows the SMSC part */
	int mr_offset;     /* where TP-MR sits, or -1 when the type has none */
};

/* Starts a head with the SMSC part; -EINVAL with *reason for a bad SMSC. */
int pdu_head_smsc(struct pdu_head *h, const char *smsc, const char **reason);

/*
 * Plans text with the planning options and checks that max PDUs hold it;
 * copies the plan to plan_out when not NULL. Returns 0 or sms_plan_text's
 * errors, or -EMSGSIZE when more than max segments are needed.
 */
int sms_segments_plan(const char *text, size_t len, const struct sms_submit_opts *planning,
		      size_t max, struct sms_plan *plan, struct sms_plan *plan_out,
		      const char **reason);

/* The DCS octet for a plan (23.038 4, general data coding group). */
uint8_t sms_segments_dcs(const struct sms_plan *plan, bool flash);

/*
 * Splits text as plan says (plan from sms_plan_text with the same smart
 * setting) into pdus[0..plan->segments). Returns the number of segments.
 */
int sms_segments_encode(const char *text, size_t len, const struct sms_plan *plan,
			const struct pdu_head *head, uint16_t concat_ref, bool concat16,
			struct sms_pdu *pdus);

#endif
