/*
 * The event outbox: changes MQTT consumers are told about, written by
 * triggers in the same transaction as the change (so no change is ever
 * committed without its event, and no event without its change), read in
 * order by the bridge and deleted once the broker acknowledged them. A
 * broker outage or a restart delays events; it loses none.
 *
 * A row names what changed (kind and ref); the bridge reads the message or
 * ledger record it names to render the event. Same error conventions as
 * store.h.
 */
#ifndef PARLEY_STORE_OUTBOX_H
#define PARLEY_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/store.h"
#include "parley/store_consent.h"

struct store_outbox_row {
	int64_t id;             /* the order of events; with the instance, their unique id */
	const char *kind;       /* "message", "received", "consent" */
	int64_t ref;            /* the message's id, or the ledger record's */
	const char *state;      /* message, received: the state entered; else NULL */
	const char *detail;     /* message: the change's detail, may be NULL */
	int64_t at;
};

/*
 * Starts (on) or stops writing events. Off by default: a gateway without a
 * broker must not collect events nobody will read. Returns 0, -EINVAL, -EIO.
 */
int store_outbox_enable(struct store *st, bool on);

/*
 * Rows with id > after, oldest first, at most limit; cb as in store_list
 * (borrowed for the call; non-zero stops). Returns how many, -EINVAL, -EIO.
 */
int store_outbox_list(struct store *st, int64_t after, int limit,
		      int (*cb)(void *ctx, const struct store_outbox_row *r), void *ctx);

/* The broker has row id: deletes it. Returns 0 (also when already gone), -EINVAL, -EIO. */
int store_outbox_done(struct store *st, int64_t id);

/* How many events wait. Returns 0, -EINVAL, -EIO. */
int store_outbox_pending(struct store *st, int64_t *count);

/* This store's instance id (16 hex digits, made once at creation). 0, -EINVAL, -EMSGSIZE, -EIO. */
int store_instance(struct store *st, char *out, size_t size);

/*
 * Ledger record id, for rendering its event (cb gets it borrowed). Returns
 * 0, -ENOENT, -EINVAL, -EIO.
 */
int store_consent_get(struct store *st, int64_t id,
		      int (*cb)(void *ctx, const struct store_consent_record *r), void *ctx);

/*
 * A record replicated from another gateway (origin: its store instance,
 * origin_id: its ledger id). A record seen before changes nothing and
 * returns 1; a new one is appended (with the outbox off for it: it is not
 * ours to announce) and returns 0. -EINVAL, -EIO.
 */
int store_consent_replicate(struct store *st, const struct store_consent_record *r,
			    const char *origin, int64_t origin_id);

#endif
