/*
 * What the gateway has sent: every SMS-SUBMIT that got a +CMGS answer,
 * decoded, grouped into messages by their concatenation header
 * (TS 23.040 9.2.3.24.1). Message numbers (1, 2, ...) follow the order of
 * each message's first segment; reply rules ("the 2nd message") use them.
 * No I/O.
 */
#ifndef MODEMSIM_SENT_H
#define MODEMSIM_SENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "parley/sms.h"

struct sent_part {
	bool present;
	uint8_t mr;           /* what +CMGS answered */
	uint8_t pdu_mr;       /* TP-MR in the PDU, which modems overwrite */
	bool report;          /* TP-SRR */
	enum sms_coding coding;
	char *text;           /* owned, UTF-8 */
	char *hex;            /* owned, SMSC part first */
	uint64_t t_ms;
};

struct sent_msg {
	unsigned n;
	char to[SMS_ADDR_MAX];
	bool concat;
	bool concat16;
	uint16_t ref;
	unsigned total;       /* segments announced (1 without a header) */
	unsigned have;
	struct sent_part *parts; /* [total], by sequence number - 1 */
	bool complete;
	char *text;           /* owned; the parts joined once complete */
};

struct sent {
	struct sent_msg **v;
	size_t count, cap;
};

void sent_init(struct sent *s);
void sent_fini(struct sent *s);

/*
 * Records one SUBMIT (decoded from hex) answered with mr, into the message
 * it belongs to (*msg_out). Returns 1 when it completed that message, 0 when
 * parts are still missing, -ENOMEM.
 */
int sent_add(struct sent *s, const struct sms *sms, const char *hex, uint8_t mr, uint64_t t_ms,
	     struct sent_msg **msg_out);

/* The newest part answered with mr, and its message; NULL when none. */
const struct sent_part *sent_find_mr(const struct sent *s, uint8_t mr,
				     const struct sent_msg **msg_out);

/* [{"n":1,"to":...,"text":...,"complete":true,"report":false,"segments":[...]}] */
cJSON *sent_json(const struct sent *s);

#endif
