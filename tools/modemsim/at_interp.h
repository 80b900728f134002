/*
 * The modem's AT command interpreter: assembles command lines from the
 * bytes the gateway sends (ITU-T V.250 5.1-5.2: "AT" prefix, CR ends the
 * line, BS edits it), echoes them, splits a line into its commands and runs
 * each through the table in at_interp.c; after AT+CMGS it collects the PDU
 * up to Ctrl-Z or ESC (TS 27.005 3.5.1, 4.3).
 */
#ifndef MODEMSIM_AT_INTERP_H
#define MODEMSIM_AT_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/sms_submit.h"

struct sim;

/* V.250 wants room for at least 40 characters; the SIM800 takes 556. */
#define AT_LINE_MAX 556
#define AT_PDU_HEX_MAX (2 * SMS_PDU_MAX)

enum at_mode {
	AT_MODE_COMMAND,
	AT_MODE_PROMPT, /* after "> ": a PDU until Ctrl-Z */
};

struct at_interp {
	enum at_mode mode;
	char line[AT_LINE_MAX + 1];
	size_t len;
	bool overflow;
	char pdu[AT_PDU_HEX_MAX + 1];
	size_t pdu_len;
	bool pdu_bad;          /* too long, or not hex */
	long cmgs_len;         /* the <length> AT+CMGS announced */
	unsigned latency_ms;   /* for the answer after the prompt */
};

void at_interp_init(struct at_interp *a);

/*
 * Feeds bytes from the line until a response is under way (sim->out.busy).
 * Returns how many were taken; the rest waits, as in a modem's UART buffer.
 */
size_t at_interp_feed(struct sim *sim, const uint8_t *data, size_t n);

/* Forgets a half-typed line and leaves the prompt (reset, unplug). */
void at_interp_reset(struct sim *sim);

#endif
