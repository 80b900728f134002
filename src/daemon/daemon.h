/*
 * parleyd's state shared by its parts: the configuration, the store, one
 * line per modem, the control socket. main.c runs the loop; outbound.c and
 * inbound.c are the flows between the store and the modems; control.c
 * answers the command line.
 */
#ifndef PARLEYD_DAEMON_H
#define PARLEYD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "parley/config.h"
#include "parley/modem.h"
#include "parley/modem_link.h"
#include "parley/store.h"

struct daemon;
struct keywords;
struct send_guard;

/* One modem and the line (SIM) it serves. */
/*
 * What a modem said about a message that the store could not take at once
 * (a full disk, a locked database): kept here and written before the line
 * sends anything else, so that a sent message never stays "sending".
 */
struct unrecorded {
	int64_t id, at, retry_at;
	int seq, mr;                 /* mr >= 0: the segment went out */
	bool temporary, maybe_sent;
	char error[96];
};
#define UNRECORDED_MAX 8

struct line {
	struct daemon *d;
	const struct conf_modem *conf;
	struct modem *modem;
	struct modem_link *link;
	int64_t msg_id;          /* the message being sent, 0 when idle */
	int segments;            /* of that message */
	int segments_sent;
	bool msg_failed;         /* a segment failed: the rest of its answers are ignored */
	int64_t next_send_at;    /* the rate limit's next slot */
	int64_t day;             /* the day sent_today counts, in days since the epoch */
	unsigned sent_today;
	struct unrecorded unrecorded[UNRECORDED_MAX];
	unsigned nunrecorded;
};

struct daemon {
	struct conf conf;
	struct store *store;
	struct line lines[CONF_MODEMS_MAX];
	unsigned nlines;
	bool wake;               /* look at the queue now */
	int64_t next_due;        /* the queue's earliest send_at */
	int64_t next_housekeeping;
	int64_t next_metrics;
	int64_t next_purge;
	int64_t next_consent_purge;
	const char *config_path;
	struct keywords *keywords;       /* built-in and the operator's (consent_flow.c) */
	struct send_guard *guard;        /* policy's gate on the store */
	bool consent_pending;            /* inbound messages wait for the consent flow */
	bool consent_retry;              /* the flow failed on one: try again next turn */
};

int64_t daemon_now(void);
/* Monotonic milliseconds: the only clock the modem layer's timeouts are measured on */
uint64_t daemon_mono_ms(void);

/* outbound.c */
void outbound_run(struct daemon *d, int64_t now);
void outbound_sent(void *ctx, uint64_t token, const struct modem_send_result *r);

/* inbound.c */
int inbound_commit(void *ctx, const struct modem_inbound *in);
void inbound_call(void *ctx, const char *number);

/* consent_flow.c: keywords in inbound messages, acted on once each */
int consent_flow_setup(struct daemon *d);
void consent_flow_teardown(struct daemon *d);
void consent_flow_run(struct daemon *d);

/* attention.c: the acknowledgement when nobody can answer, and unanswered alerts */
void attention_customer_wrote(struct daemon *d, const struct store_message *m);
void attention_tick(struct daemon *d, int64_t now);

/* metrics.c: writes the textfile when one is configured; 0 or -1 */
int metrics_write(struct daemon *d);

/* control.c */
int control_open(struct daemon *d, const char *path);
void control_close(void);
/* The fds to poll (listener and clients): writes at most max, returns the count. */
int control_fds(int *fds, short *events, int max);
void control_handle(struct daemon *d, int fd, short revents);

#endif
