/*
 * The AT command channel: a queue of commands over a modem's byte stream,
 * one in flight at a time, with per-command timeouts, the "> " prompt of
 * AT+CMGS, echo tolerance, and unsolicited result codes (URCs) told apart
 * from responses even when they arrive in the middle of one.
 *
 * It does no I/O: the owner feeds it the bytes read from the modem
 * (at_chan_feed), writes out what at_chan_output returns, and calls
 * at_chan_tick at at_chan_deadline. Time is milliseconds from any
 * monotonic origin the owner chooses.
 */
#ifndef PARLEY_AT_CHAN_H
#define PARLEY_AT_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/at_result.h"

struct at_chan;

/* What a command got back. Lines and final_line are valid only during the callback. */
struct at_response {
	enum at_final final;
	int code;                /* +CME/+CMS ERROR number, -1 when unknown */
	const char *final_line;  /* as the modem sent it; "" for timeout and cancel */
	size_t nlines;
	const char *const *lines; /* information lines, in order, without echo or URCs */
};

typedef void (*at_done_cb)(void *user, const struct at_response *r);

struct at_cmd {
	const char *text;        /* "AT+CMGS=23", without CR; copied */
	const char *prefix;      /* information lines start with it ("+CMGS:"), or NULL:
				    then any line that is not a known URC belongs to the command */
	bool pdu_lines;          /* each prefixed line is followed by a PDU line (+CMGL, +CMGR) */
	const char *pdu;         /* hex sent after the "> " prompt, or NULL; copied */
	unsigned timeout_ms;
	at_done_cb done;         /* called exactly once: answer, timeout or cancel */
	void *user;
	void (*destroy)(void *user); /* called exactly once after done, may be NULL */
};

/*
 * URC delivery: line is the URC ("+CMTI: \"SM\",3", "RING"); pdu is the
 * line after it for URCs registered with pdu_follows (+CMT, +CDS), else
 * NULL. Lines nobody registered arrive here too, with known == false.
 */
typedef void (*at_urc_cb)(void *ctx, const char *line, const char *pdu, bool known);

/* Traffic hook for debugging: dir is '>' for bytes to the modem, '<' from it. */
typedef void (*at_trace_cb)(void *ctx, char dir, const char *data, size_t len);

/* Returns NULL when out of memory. urc may be NULL. */
struct at_chan *at_chan_new(at_urc_cb urc, void *ctx);

/* Cancels every queued command (their callbacks run) and frees. NULL is a no-op. */
void at_chan_free(struct at_chan *chan);

void at_chan_set_trace(struct at_chan *chan, at_trace_cb trace, void *ctx);

/*
 * Registers a URC prefix. Lines starting with it are unsolicited even while
 * a command without a prefix is in flight; with pdu_follows the next line is
 * taken as its PDU. Returns 0, -ENOMEM, or -E2BIG past 32 prefixes.
 */
int at_chan_register_urc(struct at_chan *chan, const char *prefix, bool pdu_follows);

/*
 * Queues a command. Returns 0, -EINVAL for a missing text or callback or a
 * text with CR/LF in it, -ENOMEM. On error nothing is called.
 */
int at_chan_send(struct at_chan *chan, const struct at_cmd *cmd, uint64_t now_ms);

/*
 * Queues raw bytes ahead of any command not yet written, such as the ESC
 * that releases a modem still waiting for a PDU after the "> " prompt.
 * Returns 0 or -ENOMEM.
 */
int at_chan_write_raw(struct at_chan *chan, const void *data, size_t len);

/* Bytes read from the modem. */
void at_chan_feed(struct at_chan *chan, const uint8_t *data, size_t len, uint64_t now_ms);

/* Bytes waiting to go to the modem: *data and the count, 0 when none. */
size_t at_chan_output(struct at_chan *chan, const uint8_t **data);

/* The owner wrote n of those bytes. */
void at_chan_output_done(struct at_chan *chan, size_t n);

/* Expires the command in flight when its time is up. */
void at_chan_tick(struct at_chan *chan, uint64_t now_ms);

/* When at_chan_tick next has work: a time in ms, or UINT64_MAX for never. */
uint64_t at_chan_deadline(const struct at_chan *chan);

/* Commands queued or in flight. */
size_t at_chan_pending(const struct at_chan *chan);

/*
 * Forgets the stream (after the port was closed and reopened): cancels
 * every command with AT_FINAL_CANCELLED and drops buffered bytes both ways.
 */
void at_chan_reset(struct at_chan *chan);

#endif
