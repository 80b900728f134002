/*
 * The store: one SQLite database holding every message in and out, its
 * state history, inbound parts awaiting reassembly, and (later issues)
 * conversations, consent and the event outbox. Nothing accepted is lost:
 * every change is one transaction, written before anything acts on it.
 *
 * A queued message's states (each change recorded in message_events):
 *
 *   queued --claim--> sending --all segments +CMGS--> sent --reports--> delivered
 *     ^  |              |  |                            \--report failed--> failed
 *     |  |              |  +--temporary error--> queued (send_at = next retry) or failed
 *     |  |              |  +--permanent error--> failed
 *     |  |              +----answer lost / daemon died--> unknown --policy--> queued | held
 *     |  +--expire_at passed--> expired
 *     |  +--policy refused (consent, later issues)--> blocked
 *     +--cancel--> cancelled
 *
 * Who moves each edge: claim store_claim; segments store_segment_sent;
 * reports store_status_report; errors and a lost answer store_send_failed;
 * daemon died store_recover; policy on unknown store_retry (queued) or
 * store_hold (held); held back to queued store_retry (a person); expiry
 * store_expire or store_claim; blocked store_block (also from sending, when
 * the pre-send check refuses a claimed message); cancel store_cancel (from
 * queued or held).
 *
 * Durability: a commit survives the process dying at any moment. After a
 * power cut the database is intact but may have lost the last commits,
 * unless store_sync() ran after them: call it before a commit has effects
 * outside the store (a PDU handed to the modem, a message deleted from the
 * SIM, "accepted" answered to a client). One call covers every commit
 * before it, so a loop turn's worth of work pays one fsync.
 *
 * Times are milliseconds since the Unix epoch, passed in by the caller.
 * Numbers (recipients, senders, lines) are compared exactly as given:
 * normalising them (E.164) is policy's job, before they reach the store.
 * Functions return 0 or a negative errno: -EINVAL (bad argument, with a
 * sentence in the store's last error), -ENOENT (no such message / nothing
 * due), -EPERM (the message is in a state that does not allow it), -EIO
 * (SQLite failed, including the database staying locked by another process
 * for 5 s: the store's last error says how). A NULL store gives -EINVAL.
 */
#ifndef PARLEY_STORE_H
#define PARLEY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

enum store_state {
	STORE_QUEUED,
	STORE_SENDING,
	STORE_SENT,
	STORE_DELIVERED,
	STORE_FAILED,
	STORE_EXPIRED,
	STORE_BLOCKED,
	STORE_UNKNOWN,
	STORE_HELD,
	STORE_CANCELLED,
	STORE_RECEIVED,  /* inbound, complete */
	STORE_PARTIAL,   /* inbound, delivered incomplete after the reassembly timeout */
};

const char *store_state_name(enum store_state s);
/* The state with that name, or -EINVAL. */
int store_state_from_name(const char *name);

/*
 * Opens (creating) the database: WAL, a busy timeout, foreign keys, and the
 * schema migrated to the current version from any earlier one (PRAGMA
 * user_version). ":memory:" works for tests.
 * Returns 0 and *out, or a negative errno with a sentence in err (which may
 * be NULL): -EINVAL (no path), -ENOMEM, -EIO (cannot open or write it, not
 * a database), -EPROTO (a database this build must not touch: its schema is
 * newer than this build's, or it is not parley's).
 */
int store_open(const char *path, struct store **out, char *err, size_t err_size);

/* Makes the commits durable (store_sync), then closes; NULL is a no-op. */
void store_close(struct store *st);

/* The last error's sentence ("" when none). */
const char *store_error(const struct store *st);

/* The schema version this build writes. */
int store_schema_version(void);

/*
 * Makes every commit so far survive a power cut (fsyncs the write-ahead
 * log). A no-op for ":memory:". Returns 0, -EINVAL, -EIO.
 */
int store_sync(struct store *st);

/* ---- outbound ---- */

/* The longest agent's name, in bytes (store_new_message.agent, store_conversation.h). */
#define STORE_AGENT_MAX 64

struct store_new_message {
	const char *to;          /* the recipient, as given (E.164 checks are policy's job) */
	const char *text;        /* UTF-8 */
	const char *line;        /* send from this line only, or NULL: any (sticky when the
				    recipient has written to one of ours before) */
	int64_t send_at;         /* 0: now */
	int64_t expire_at;       /* 0: never */
	int priority;            /* higher first */
	const char *key;         /* caller's idempotency key, or NULL */
	bool report;             /* ask for status reports */
	const char *category;    /* "transactional" (default when NULL), "conversational" or
				    "marketing" */
	bool cancel_on_reply;    /* a follow-up: cancelled if the recipient writes to us
				    while it is still queued */
	const char *purpose;     /* NULL for every caller but the consent flow: its own
				    replies ("opt_out_confirmation", "opt_in_confirmation",
				    "help"), which the gate lets through (see store_set_gate) */
	const char *agent;       /* the agent replying (1..64 bytes), NULL for automation:
				    it decides what the message does to its conversation
				    (store_conversation.h) */
	int64_t answers;         /* automation only (a keyword rule's reply): the customer's
				    message this answers, 0 none. Needs line (the one that
				    message came to); its conversation stops waiting for an
				    agent unless another message still does */
};

/*
 * Queues a message in one transaction. A key already used returns that
 * message's id with *existing set, changing nothing.
 * Sticky line: with m->line NULL, the message is tied to the line the
 * recipient last wrote to or was last sent from (store_sticky_line), and
 * waits for that line rather than leaving from another number; with no
 * earlier conversation, any line takes it. id and existing may be NULL.
 * Returns 0, -EINVAL (empty recipient or text, text not UTF-8, an empty
 * line, key or agent, an unknown category or purpose, a negative time; an
 * answer without its line, with an agent, or to what is not an inbound
 * message of that conversation), -EACCES (the gate refused it:
 * store_refusal says why; nothing was queued), -EIO.
 */
int store_enqueue(struct store *st, const struct store_new_message *m, int64_t now, int64_t *id,
		  bool *existing);

/* A message as read back. Strings are owned by the struct: store_message_free. */
struct store_message {
	int64_t id;
	bool inbound;
	enum store_state state;
	char *peer;              /* recipient (out) or sender (in) */
	char *want_line;         /* out: the only line that may send it (asked, sticky), NULL any */
	char *line;              /* our line it went through / came to, NULL if not yet */
	char *text;              /* NULL once purged */
	char *key;
	char *category;          /* NULL for inbound */
	char *error;             /* last error in words, NULL when none */
	char *purpose;           /* out: the consent flow's own reply, NULL otherwise */
	char *keyword;           /* in: what the text meant ("opt_out", ...), NULL if nothing */
	char *policy;            /* out: the rule that blocked or last held it, NULL none */
	char *agent;             /* out: the agent who sent it, NULL for automation and inbound */
	int64_t conversation_id; /* its conversation (store_conversation.h), 0 while its line
				    is not known */
	int priority;
	bool report;
	int attempts;
	int segments;            /* out: segments once encoded; in: parts */
	int64_t created_at, send_at, expire_at, updated_at; /* in: send_at is the SC timestamp */
};
/*
 * Frees the strings and zeroes the struct, ready for reuse; NULL is a no-op.
 * Functions filling a struct store_message overwrite it without freeing:
 * pass a zeroed or freed one. On error they leave it zeroed.
 */
void store_message_free(struct store_message *m);

/*
 * The gate: policy's say over every outbound message, asked at enqueue and
 * again inside the claim's transaction, just before a message is marked
 * sending, so nothing that policy refuses reaches a modem and no change
 * committed before the claim (an opt-out) can be overtaken by it.
 *
 * At enqueue line is the line the message is tied to (asked for, sticky)
 * or NULL for any; at claim, the claiming line. The gate may read the store
 * (store_consent_list, store_sent_count, store_purpose_last) but not write
 * it. Its verdict:
 *   SEND   go on;
 *   BLOCK  refused: at enqueue nothing is queued and store_enqueue returns
 *          -EACCES with code and reason (store_refusal); at claim the
 *          message becomes blocked with policy = code name, error = reason;
 *   DEFER  not now (quiet hours, caps): at claim send_at moves to until and
 *          the message stays queued (its history says why), or expires at
 *          once when until is at or past its expire_at (policy still names
 *          the rule); at enqueue it is queued as usual and the claim decides.
 * Without a gate every message is sent.
 */
enum store_gate_action { STORE_GATE_SEND, STORE_GATE_BLOCK, STORE_GATE_DEFER };

#define STORE_REASON_MAX 160

struct store_gate_verdict {
	enum store_gate_action action;
	int code;                       /* BLOCK, DEFER: a stable number for callers */
	const char *code_name;          /* BLOCK, DEFER: static, e.g. "opted_out" */
	int64_t until;                  /* DEFER: when to ask again (> now) */
	char reason[STORE_REASON_MAX];  /* words for people */
};

typedef void store_gate_fn(void *ctx, struct store *st, const struct store_message *m,
			   const char *line, int64_t now, struct store_gate_verdict *v);

/* Installs the gate (fn NULL removes it); ctx is passed back to it. */
void store_set_gate(struct store *st, store_gate_fn *fn, void *ctx);

/*
 * After store_enqueue returned -EACCES: the gate's verdict (code, code_name,
 * reason). Returns 0, -ENOENT when the last enqueue was not refused.
 */
int store_refusal(const struct store *st, struct store_gate_verdict *v);

/*
 * Claims the next due message that line may send (queued, send_at <= now,
 * for this line or for any line), highest priority first, then oldest:
 * marks it sending with line set and attempts counted, in one BEGIN
 * IMMEDIATE transaction, so no two claimers get the same message.
 * Due messages past their expiry are marked expired instead; those the gate
 * (store_set_gate) blocks or defers are marked so, and the next is tried.
 * Returns 0 with *out filled, -ENOENT when nothing is due, -EINVAL (no
 * line or no out), -EIO.
 * The cost does not grow with the number of queued messages (an index
 * serves it).
 */
int store_claim(struct store *st, const char *line, int64_t now, struct store_message *out);

/* The earliest send_at among queued messages, or INT64_MAX: for the daemon's timer. */
int64_t store_next_due(struct store *st);

/*
 * How many segments (1..255) the claimed message was encoded into, before
 * sending them. Returns 0, -EINVAL, -ENOENT, -EPERM (not sending), -EIO.
 */
int store_set_segments(struct store *st, int64_t id, int segments);

/*
 * Segment seq (1-based) was accepted by the modem with reference mr (0..255);
 * after the last, sent. A resend of a segment replaces its record.
 * Returns 0, -EINVAL (seq outside 1..segments, or segments not set),
 * -ENOENT, -EPERM (not sending), -EIO.
 */
int store_segment_sent(struct store *st, int64_t id, int seq, int mr, int64_t now);

/*
 * A send failed. temporary: back to queued with send_at = retry_at, or
 * failed when retry_at is 0 (no retries left). Otherwise failed.
 * maybe_sent (the modem had it when the answer was lost) makes it unknown.
 * error (words, may be NULL) is kept in the message and its history.
 * Returns 0, -EINVAL, -ENOENT, -EPERM (not sending), -EIO.
 */
int store_send_failed(struct store *st, int64_t id, bool temporary, bool maybe_sent,
		      int64_t retry_at, const char *error, int64_t now);

/*
 * A status report: finds the segment sent from line with reference mr to
 * recipient within window_ms before now (the newest such), records its
 * outcome, and moves the message to delivered when every segment is
 * delivered, failed when one failed. status is the TP-ST class:
 * 0 delivered, 1 pending, 2 failed (enum sms_status_class), raw kept.
 * A pending report, or one for a message no longer sent, only records.
 * A report arriving before the last segment was accepted is kept and
 * counted when it is. id may be NULL.
 * Returns 0 with *id of the message, -ENOENT when nothing matches, -EINVAL, -EIO.
 */
int store_status_report(struct store *st, const char *line, int mr, const char *recipient,
			int status_class, int raw_status, int64_t now, int64_t window_ms,
			int64_t *id);

/* Marks queued messages whose expire_at passed as expired; returns how many (>= 0). */
int store_expire(struct store *st, int64_t now);

/*
 * At start-up: messages left in sending (the daemon died with them at a
 * modem) become unknown; with requeue they go straight back to queued
 * (both steps in their history). Call it only while no other process
 * sends from this database. Returns how many were found.
 */
int store_recover(struct store *st, bool requeue, int64_t now);

/* Cancels a queued (or held) message. -ENOENT when there is none, -EPERM when it is past that. */
int store_cancel(struct store *st, int64_t id, int64_t now);

/* The same for the message queued with idempotency key; *id (may be NULL) names it. */
int store_cancel_key(struct store *st, const char *key, int64_t now, int64_t *id);

/*
 * Policy refused a queued message, or a claimed one before any PDU went
 * out (sending): blocked, with reason (words, may be NULL) as its error.
 * Returns 0, -ENOENT, -EPERM (in another state), -EIO.
 */
int store_block(struct store *st, int64_t id, const char *reason, int64_t now);

/*
 * An unknown message (it may have gone out) is held for a person to decide.
 * Returns 0, -ENOENT, -EPERM (not unknown), -EIO.
 */
int store_hold(struct store *st, int64_t id, int64_t now);

/*
 * Sends an unknown or held message again: back to queued, due now.
 * Returns 0, -ENOENT, -EPERM (in another state), -EIO.
 */
int store_retry(struct store *st, int64_t id, int64_t now);

/* ---- inbound ---- */

struct store_inbound_part {
	const char *line;        /* our line it arrived on */
	const char *sender;
	const char *text;        /* this part's decoded text */
	const char *pdu_hex;     /* as the modem gave it, kept for audit */
	bool concat;             /* the rest is meaningful only then */
	int ref;                 /* concatenation reference (8 or 16 bit) */
	int total, seq;
	int64_t sent_at;         /* SCTS, ms since the epoch */
};

/*
 * Commits one received PDU. A single message is stored as received at once
 * (*id set). A part is kept until its siblings arrive (*id = 0), surviving
 * restarts; the part completing the set stores the whole message in
 * sequence order (*id set) and drops the parts. A part seen before (same
 * line, sender, ref, total, seq) changes nothing.
 * Returns 0, -EINVAL, -EIO.
 */
int store_inbound(struct store *st, const struct store_inbound_part *p, int64_t now, int64_t *id);

/* Stands for each run of missing parts in a partial message's text. */
#define STORE_GAP_MARKER "[\xE2\x80\xA6]" /* "[…]", U+2026 */

/*
 * Parts waiting longer than timeout_ms (counted from the set's first part)
 * are delivered as partial messages (what arrived, in order, with
 * STORE_GAP_MARKER where parts are missing) rather than dropped. Calls cb
 * (may be NULL) for each message created, after the commit; returns how
 * many, or -EINVAL, -ENOMEM, -EIO.
 */
int store_flush_parts(struct store *st, int64_t now, int64_t timeout_ms,
		      void (*cb)(void *ctx, int64_t id), void *ctx);

/* ---- reading ---- */

/* One message with its id. -ENOENT when there is none. */
int store_get(struct store *st, int64_t id, struct store_message *out);

/*
 * Lists messages, newest first: state (-1 any), inbound (-1 any, 0 out,
 * 1 in), at most limit (0: no limit). cb gets each (borrowed for the call);
 * a non-zero return from cb stops. cb may read the store, not write it.
 * Returns how many were listed, -EINVAL, -ENOMEM, -EIO.
 */
int store_list(struct store *st, int state, int inbound, int limit,
	       int (*cb)(void *ctx, const struct store_message *m), void *ctx);

/* A message's state history, oldest first. Returns how many entries, -ENOENT, -EINVAL, -EIO. */
int store_history(struct store *st, int64_t id,
		  int (*cb)(void *ctx, enum store_state state, int64_t at, const char *detail),
		  void *ctx);

/* Messages by state, for status and metrics: counts[state] for every enum store_state. */
int store_counts(struct store *st, int64_t counts[STORE_PARTIAL + 1]);

/*
 * When the newest message whose idempotency key starts with prefix was
 * queued: *at, 0 when none. For automation that must not repeat itself
 * (one acknowledgement per conversation per period). 0, -EINVAL, -EIO.
 */
int store_key_last(struct store *st, const char *prefix, int64_t *at);

/* Queued messages tied to line (not those any line may take); negative errno on failure. */
int64_t store_queued_for_line(struct store *st, const char *line);

/*
 * The recipient's most recent line: the line they last wrote to or were
 * written from. NULL-free: "" when none.
 * Returns 0, -EINVAL, -EMSGSIZE (line too small for it), -EIO.
 */
int store_sticky_line(struct store *st, const char *peer, char *line, size_t size);

/*
 * Deletes bodies (text, PDUs) of final messages older than before; keeps the
 * rows and history. Final: sent, delivered, failed, expired, blocked,
 * cancelled, received, partial; "older" by the time of their last change.
 * Returns how many were purged, -EINVAL, -EIO.
 */
int store_purge_bodies(struct store *st, int64_t before);

#endif
