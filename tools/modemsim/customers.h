/*
 * The people and the network on the other side: inbound messages built as
 * SMS-DELIVER PDUs (TS 23.040 9.2.2.1) and handed to route.c, scripted
 * replies to what the gateway sends, and status reports (9.2.2.3) for
 * submitted messages, automatic when TP-SRR asked for one or on demand.
 */
#ifndef MODEMSIM_CUSTOMERS_H
#define MODEMSIM_CUSTOMERS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "parley/sms.h"

struct sim;
struct sent_msg;
struct reply_rule;

/* One SUBMIT just answered with +CMGS, for what follows once that answer is out. */
struct submitted {
	bool valid;
	uint8_t mr;
	bool report;
	char to[SMS_ADDR_MAX];
	struct sms_time when;
	struct sent_msg *completed; /* the message this segment completed, or NULL */
};

struct customers {
	struct reply_rule *rules;
	unsigned next_rule_id;
	uint16_t next_ref;          /* concatenation reference for the next inbound message */
	struct submitted just;
};

void customers_init(struct customers *c, uint16_t first_ref);
void customers_fini(struct customers *c);

/*
 * "inject": a message from a customer. Adds "segments", "ref" and "pdus" to
 * reply. Returns 0, or -EINVAL with *err saying what is wrong.
 */
int customers_inject(struct sim *sim, const cJSON *req, cJSON *reply, const char **err);

/* "reply_rule": adds a rule (or clears them all); "id" goes to reply. */
int customers_rule_add(struct sim *sim, const cJSON *req, cJSON *reply, const char **err);

/* "status_report": a report for the segment sent with mr, now or after delay_ms. */
int customers_report(struct sim *sim, const cJSON *req, cJSON *reply, const char **err);

/*
 * A SUBMIT was accepted: remembers it in c->just; once its +CMGS answer is
 * on the line, customers_after_submit() fires reply rules and the
 * automatic status report.
 */
void customers_submitted(struct sim *sim, const struct sms *sms, uint8_t mr,
			 struct sent_msg *completed);
void customers_after_submit(struct sim *sim);

/* The wall clock as a service centre time stamp (UTC). */
void customers_now(struct sms_time *t);

#endif
