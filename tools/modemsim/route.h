/*
 * What happens to a message the network brings (SMS-DELIVER or
 * SMS-STATUS-REPORT): routed by +CNMI (TS 27.005 3.4.1) to storage with a
 * +CMTI/+CDSI indication, or straight to the gateway as +CMT/+CDS awaiting
 * +CNMA (3.4.4, 4.7) when +CSMS is 1. The network holds messages while the
 * modem cannot take them (off, unregistered, storage full) and tries
 * again; an unacknowledged one comes back later, as SMSCs retry.
 */
#ifndef MODEMSIM_ROUTE_H
#define MODEMSIM_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

struct sim;
struct inbound;

struct route {
	struct inbound *waiting;  /* at the network, oldest first */
	struct inbound *direct;   /* +CMT/+CDS queued behind the unacknowledged one */
	struct inbound *unacked;  /* shown, +CNMA awaited */
	char **buffered;          /* +CNMI <mode> 0 indications kept in the TA */
	unsigned nbuffered, capbuffered;
	bool memfull_told;
	unsigned redeliveries;
};

void route_init(struct route *r);
void route_fini(struct route *r);

/*
 * The network delivers a PDU (hex, SMSC part first). class is the DCS
 * message class, -1 for none. Returns 0 or -ENOMEM.
 */
int route_deliver(struct sim *sim, const char *hex, unsigned tpdu_len, bool report, int msg_class);

/*
 * +CNMA: ok is RP-ACK, !ok RP-ERROR (the network will try again).
 * Returns 0; -ENOENT when no acknowledgement is expected (+CMS ERROR: 340).
 */
int route_cnma(struct sim *sim, bool ok);

/*
 * +CNMI was set: when <mode> is 1..3, mode 0's buffer is flushed (<bfr> 0)
 * or dropped (<bfr> 1), and held messages are tried again.
 */
void route_cnmi_set(struct sim *sim);

/* The modem may take messages again (registered, space freed): retry now. */
void route_retry(struct sim *sim);

/* The modem restarted or vanished: what it had not handed over goes back to the network. */
void route_reset(struct sim *sim);

unsigned route_waiting_count(const struct route *r);

#endif
