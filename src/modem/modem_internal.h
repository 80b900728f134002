/*
 * Internal to the modem driver: the state shared by modem.c (life cycle,
 * initialisation, health, recovery) and modem_sms.c (sending, reading and
 * deleting messages).
 */
#ifndef PARLEY_MODEM_INTERNAL_H
#define PARLEY_MODEM_INTERNAL_H

#include "parley/at_chan.h"
#include "parley/modem.h"

#define MODEM_RECENT_PDUS 32

struct pending_send {
	struct pending_send *next;
	char *pdu;
	unsigned tpdu_len;
	bool more;
	uint64_t token;
};

struct modem {
	struct modem_config cfg;
	char *pin, *expected_imei, *expected_iccid;
	const struct modem_events *ev;
	void *ctx;
	struct at_chan *chan;
	enum modem_state state;
	uint64_t now;
	unsigned generation;       /* bumped when the stream is reset: stale answers are dropped */

	struct modem_identity id;
	struct modem_health health;

	unsigned init_step;
	bool pin_tried;
	unsigned probe_failures;
	unsigned recover_level;    /* 0 probe, 1 radio off/on, 2 profile reset */
	uint64_t timer_at;         /* the state's own timer, UINT64_MAX for none */
	uint64_t registration_deadline;
	uint64_t next_poll_at, next_sweep_at;
	uint64_t last_call_at;
	uint64_t ring_at;          /* a RING waiting for its +CLIP, 0 when none */
	uint64_t drain_until;      /* bytes before this are a previous owner's answers */
	unsigned cpin_unreadable;  /* +CPIN? answers without a +CPIN line, in a row */
	bool trace_hidden;         /* a command with a SIM secret awaits its answer: not traced */

	struct pending_send *sends, *sends_tail;
	bool send_in_flight;
	bool cmms_on;
	bool sweeping;
	/* mem1 is the SIM ("SM") for a moment of the sweep, not the profile's storage */
	bool reading_sim;
	/* a +CMTI/+CDSI for another memory came while reading_sim: sweep again after */
	bool sweep_again;
	/* the owner could not take a stored message (its disk full): look again soon */
	bool owner_refused;
	/* storage indexes with an AT+CMGD written and not yet answered (below 256) */
	uint8_t delete_pending[32];

	uint64_t recent_pdu[MODEM_RECENT_PDUS]; /* hashes of committed PDUs, newest at recent_next-1 */
	uint64_t recent_at[MODEM_RECENT_PDUS];
	unsigned recent_next;
};

/* A command whose answer goes to handler, unless the stream was reset since. */
typedef void (*modem_handler)(struct modem *m, const struct at_response *r, long arg);
int modem_cmd(struct modem *m, const char *text, const char *prefix, bool pdu_lines,
	      const char *pdu, unsigned timeout_ms, modem_handler handler, long arg);

void modem_set_state(struct modem *m, enum modem_state to, const char *why);
/* Something went wrong talking to the modem: start or escalate recovery. */
void modem_recover(struct modem *m, const char *why);

/* modem_sms.c */
void modem_sms_kick(struct modem *m);              /* start the next send if idle and ready */
void modem_sms_sweep(struct modem *m);             /* list and read every stored message */
void modem_sms_check_storage(struct modem *m);     /* sweep if anything waits in storage */
/* +CPMS: answer to a query: messages stored over the three memories, or -1 */
long modem_sms_cpms_used(const char *line);
void modem_sms_read(struct modem *m, int index);   /* +CMTI / +CDSI */
void modem_sms_direct(struct modem *m, const char *pdu, bool status_report); /* +CMT / +CDS */
void modem_sms_fail_all(struct modem *m, const char *why, bool in_flight_maybe_sent);

#endif
