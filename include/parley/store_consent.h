/*
 * The store's side of consent: the append-only consent ledger, its audit
 * log, and the reads the send gate needs (a number's ledger, how many texts
 * it got lately, when the consent flow last answered it), plus the queue of
 * inbound messages the consent flow has still to read.
 *
 * The store keeps records; deciding what they mean (whether a number may
 * be texted) is policy's job (policy/consent.h). Numbers are stored as
 * given: callers normalise them (E.164) first. Same error conventions as
 * store.h.
 */
#ifndef PARLEY_STORE_CONSENT_H
#define PARLEY_STORE_CONSENT_H

#include <stdint.h>

#include "parley/store.h"

/* One ledger record, as written and as read back (strings borrowed). */
struct store_consent_record {
	int64_t id;                 /* read back: its place in the ledger */
	const char *number;
	const char *action;         /* "grant" | "revoke" */
	const char *scope;          /* "line" | "group" | "all" */
	const char *scope_name;     /* the line's number or the group's name; "" for all */
	const char *category;       /* "all" or an outbound category */
	const char *method;         /* how: "keyword", "web", "agent", "import", "cli", "api" */
	const char *disclosure;     /* the words the customer saw, or their version; may be NULL */
	const char *recorded_by;    /* who: "parleyd", an agent's or operator's name */
	int64_t message_id;         /* the message that carried it, 0 none */
	int64_t at;                 /* when it was given (ms) */
	const char *origin;         /* read back: the gateway (store instance) it was replicated
				       from, NULL for our own records */
	int64_t origin_id;          /* read back: its id there */
};

/*
 * Appends a record in its own transaction (inside store_inbound_settle it
 * joins that one). Returns 0 with *id (may be NULL), -EINVAL (a field
 * missing or not one of its words), -EIO.
 */
int store_consent_add(struct store *st, const struct store_consent_record *r, int64_t *id);

/* Whether store_consent_add would take r: 0, or -EINVAL with the store's error saying why. */
int store_consent_check(struct store *st, const struct store_consent_record *r);

/*
 * A number's records, oldest first (number NULL: every record, by number
 * then age, for exports). cb gets each, borrowed for the call; a non-zero
 * return stops. Usable from a gate. Returns how many, -EINVAL, -EIO.
 */
int store_consent_list(struct store *st, const char *number,
		       int (*cb)(void *ctx, const struct store_consent_record *r), void *ctx);

/* Records who read or exported the ledger. Returns 0, -EINVAL, -EIO. */
int store_consent_audit(struct store *st, const char *operation, const char *who,
			const char *detail, int64_t now);

/*
 * Deletes ledger records older than retention_ms before now (after
 * recording retention_ms as the period the ledger's guard enforces).
 * Returns how many went, -EINVAL (retention under a day), -EIO.
 */
int store_consent_purge(struct store *st, int64_t retention_ms, int64_t now);

/*
 * Texts of category sent to number since since (ms): how many, and the
 * oldest's send time (0 when none), for frequency caps. Usable from a gate.
 * Returns 0, -EINVAL, -EIO.
 */
int store_sent_count(struct store *st, const char *number, const char *category, int64_t since,
		     int64_t *count, int64_t *oldest);

/*
 * When the consent flow last queued a reply of purpose to number: *at, or
 * 0 when never. Returns 0, -EINVAL, -EIO.
 */
int store_purpose_last(struct store *st, const char *number, const char *purpose, int64_t *at);

/*
 * Inbound messages (received or partial) the consent flow has not read
 * yet, oldest first, at most limit. cb as in store_list; it may not write.
 * Returns how many, -EINVAL, -ENOMEM, -EIO.
 */
int store_inbound_pending(struct store *st, int limit,
			  int (*cb)(void *ctx, const struct store_message *m), void *ctx);

/*
 * What the consent flow made of inbound message id, in one transaction:
 * the keyword it meant (NULL none), a ledger record (NULL none; its
 * message_id is set to id) and a reply to queue (NULL none; its purpose
 * lets it pass the gate). Once settled a message is not pending any more;
 * settling it again changes nothing and returns -EALREADY.
 * Returns 0 with *reply_id (may be NULL; 0 when no reply), -EINVAL,
 * -ENOENT (no such inbound message), -EALREADY, -EIO.
 */
int store_inbound_settle(struct store *st, int64_t id, const char *keyword,
			 const struct store_consent_record *record,
			 const struct store_new_message *reply, int64_t now, int64_t *reply_id);

#endif
