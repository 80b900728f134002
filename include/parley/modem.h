/*
 * The modem driver: one GSM/LTE modem's life from probe to ready, sending
 * SMS-SUBMIT PDUs, reading and deleting inbound messages only once the owner
 * has committed them, status reports, calls, health polls and recovery.
 *
 * Like the AT channel under it, it does no I/O: the owner opens the port,
 * feeds the bytes it reads (modem_feed), writes modem_output, tells it when
 * the port opens or is lost, and calls modem_tick at modem_deadline.
 *
 *   CLOSED --port_opened--> PROBE --AT ok--> INIT --identity, CPIN--> SIM
 *      ^                      |                                      |
 *      |                  no answer                        PIN ok / READY
 *      |                      v                                      v
 *   port_lost <------- RECOVERING <--timeouts-- READY <--CREG 1|5-- REGISTRATION
 *                    (probe, CFUN 4/1,          ^  |
 *                     then profile reset)       |  v send
 *                                               SENDING
 *   FAILED: wrong SIM/IMEI, PIN refused or missing: a person must act.
 */
#ifndef PARLEY_MODEM_H
#define PARLEY_MODEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/at_chan.h"
#include "parley/at_errors.h"
#include "parley/sms.h"

enum modem_state {
	MODEM_STATE_CLOSED,
	MODEM_STATE_PROBE,
	MODEM_STATE_INIT,
	MODEM_STATE_SIM,
	MODEM_STATE_REGISTRATION,
	MODEM_STATE_READY,
	MODEM_STATE_SENDING,
	MODEM_STATE_RECOVERING,
	MODEM_STATE_FAILED,
};

const char *modem_state_name(enum modem_state s);

/* A modem family's dialect, as data (modem_profile.c). */
struct modem_profile {
	const char *name;          /* "sim800", "sim7600", "ec25", "e3372", "ublox", "telit", "generic" */
	const char *iccid_cmd;     /* "AT+CCID", "AT+QCCID", "AT^ICCID?" */
	const char *iccid_prefix;  /* its answer's prefix, NULL when the answer is bare */
	bool iccid_swapped;        /* digits come in swapped pairs, as stored on the SIM */
	const char *storage;       /* "SM", "ME" or "MT" for +CPMS */
	const char *cnmi;          /* new-message routing: +CMTI (stored) preferred */
	const char *reset_cmd;     /* full reset; some sticks must not get AT+CFUN=1,1 */
	unsigned reboot_ms;        /* silence to expect after a reset */
	bool cmms;                 /* AT+CMMS=2 keeps the link between segments */
	bool creg_urc;             /* AT+CREG=2 gives unsolicited registration changes */
};

/* The profile with that name, or NULL. */
const struct modem_profile *modem_profile_find(const char *name);

struct modem_identity {
	char manufacturer[64], model[64], revision[64];
	char imei[32], imsi[32], iccid[32], number[32];
};

struct modem_health {
	int registration;          /* +CREG stat: 1 home, 5 roaming, 2 searching... -1 unknown */
	int rssi;                  /* +CSQ 0..31, 99 unknown */
	char operator_name[64];
	unsigned sends, failures;
	char last_error[128];
};

struct modem_send_result {
	int mr;                    /* TP-MR from +CMGS, or -1 on failure */
	enum at_error_class error_class; /* when mr < 0 */
	int cms_error;             /* +CMS ERROR code, -1 when there was none (timeout, ERROR) */
	const char *error;         /* words, NULL on success */
	bool maybe_sent;           /* the modem had the PDU when the answer was lost */
};

/* What arrived: the PDU as the modem gave it (SMSC part first), and its decoding. */
struct modem_inbound {
	const char *pdu_hex;
	const struct sms *sms;     /* NULL when the PDU does not decode: keep the hex anyway */
	const char *decode_error;  /* why, when sms is NULL */
	int index;                 /* storage index, -1 for +CMT/+CDS direct delivery */
	bool status_report;
};

struct modem_events {
	void (*state)(void *ctx, enum modem_state from, enum modem_state to, const char *why);
	/*
	 * A message or status report. Return 0 once it is durably committed:
	 * only then does the driver delete it from the SIM (or acknowledge
	 * +CMT with +CNMA). Any other value leaves it there to be read again.
	 */
	int (*inbound)(void *ctx, const struct modem_inbound *in);
	/* A send finished; token is the caller's from modem_send. */
	void (*sent)(void *ctx, uint64_t token, const struct modem_send_result *r);
	/* An incoming call (number may be ""), after which the driver hangs up if told to. */
	void (*call)(void *ctx, const char *number);
	/* Optional: every AT byte both ways, for debugging. */
	void (*trace)(void *ctx, char dir, const char *data, size_t len);
};

struct modem_config {
	const struct modem_profile *profile;
	const char *pin;               /* NULL: none configured */
	const char *expected_imei;     /* NULL: any; else refuse another device */
	const char *expected_iccid;    /* NULL: any; else refuse another SIM */
	bool hangup_calls;
	unsigned command_timeout_ms;   /* 0: 5000 */
	unsigned send_timeout_ms;      /* 0: 60000 (the network answers +CMGS) */
	unsigned poll_interval_ms;     /* 0: 60000, signal and registration */
	unsigned sweep_interval_ms;    /* 0: 300000, re-list stored messages */
	unsigned registration_timeout_ms; /* 0: 180000, then recover */
};

struct modem;

/* Returns NULL when out of memory. cfg and the profile are copied/borrowed: the profile must outlive the modem. */
struct modem *modem_new(const struct modem_config *cfg, const struct modem_events *ev, void *ctx);
void modem_free(struct modem *m);

void modem_port_opened(struct modem *m, uint64_t now_ms);
/* The port failed (EIO, HUP): everything in flight is cancelled, sends come back as temporary failures. */
void modem_port_lost(struct modem *m, uint64_t now_ms);

void modem_feed(struct modem *m, const uint8_t *data, size_t len, uint64_t now_ms);
size_t modem_output(struct modem *m, const uint8_t **data);
void modem_output_done(struct modem *m, size_t n);
void modem_tick(struct modem *m, uint64_t now_ms);
uint64_t modem_deadline(const struct modem *m);

/*
 * Queues one segment: its PDU hex with SMSC part first and its TPDU length,
 * as sms_submit_encode gives them. more says another segment of the same
 * message follows at once (AT+CMMS=2 keeps the link open). The result comes
 * through events->sent with token. Returns 0, -EINVAL, -ENOMEM, or -EAGAIN
 * when the modem is not ready.
 */
int modem_send(struct modem *m, const char *pdu_hex, unsigned tpdu_len, bool more,
	       uint64_t token, uint64_t now_ms);

/*
 * A person's AT command for debugging (`parley at`), queued with the
 * driver's own. cb gets the answer exactly once (a timeout or a reset
 * answers too). Commands that would break the driver's assumptions (echo,
 * text mode, verbose errors, message routing, resets, the CMGS prompt) are
 * refused. Returns 0; -EPERM with *reason for a refused command; -EAGAIN
 * when the port is closed; -EINVAL for an empty or multi-line text; -ENOMEM.
 */
typedef void (*modem_at_cb)(void *ctx, const struct at_response *r);
int modem_at(struct modem *m, const char *text, unsigned timeout_ms, modem_at_cb cb, void *ctx,
	     const char **reason);

enum modem_state modem_state(const struct modem *m);
const struct modem_identity *modem_identity(const struct modem *m);
const struct modem_health *modem_health(const struct modem *m);
/* Segments queued or in flight. */
size_t modem_send_queue_length(const struct modem *m);

#endif
