/*
 * Campaigns: one text (or one template, rendered per recipient by the
 * caller) sent to a list of numbers. Each recipient becomes a message of the
 * campaign, queued for any line, so every line takes them at its own rate;
 * each goes through the gate like any other message (consent at enqueue,
 * consent, quiet hours and caps again at claim). A recipient refused at
 * once is not dropped: it is stored as a blocked message of the campaign,
 * with the refusal's code as its policy, so that the campaign's counts
 * always add up to the number of recipients given.
 *
 * A campaign is running until none of its messages is left to go (none
 * queued, sending, unknown or held); store_campaign_finish then marks it
 * done, once, and the schema's trigger writes its summary to the event
 * outbox (kind "campaign") in that same transaction: the summary is told
 * exactly once, even across restarts.
 *
 * Counts are computed from the messages (an index on campaign_id), never
 * kept twice. Same error conventions as store.h.
 */
#ifndef PARLEY_STORE_CAMPAIGN_H
#define PARLEY_STORE_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/store.h"

#define STORE_CAMPAIGN_NAME_MAX 100     /* bytes of a campaign's name */
#define STORE_CAMPAIGN_MAX 10000        /* recipients in one campaign */
#define STORE_CAMPAIGN_REASONS 16       /* distinct policy codes counted per group */

struct store_campaign_recipient {
	const char *to;             /* E.164 when valid; as given when refused below */
	const char *text;           /* its text (the template rendered with its variables);
				       may be NULL only when refused */
	const char *refused;        /* NULL, or why the caller refused it already: a code
				       name ("invalid_number", "missing_variable", ...) */
	const char *refused_reason; /* words for the refusal, may be NULL */
};

struct store_new_campaign {
	const char *name;           /* 1..STORE_CAMPAIGN_NAME_MAX bytes */
	const char *category;       /* NULL: "marketing" */
	const char *template_name;  /* kept for people reading it later, may be NULL */
	const char *text;           /* the text when no template, may be NULL */
	int64_t expire_at;          /* 0 never: its messages expire then, and one deferred
				       (quiet hours, caps) past it expires at once */
	int priority;
	const struct store_campaign_recipient *recipients; /* borrowed */
	size_t n;                   /* 1..STORE_CAMPAIGN_MAX */
};

/* A count per policy code ("opted_out": 50). */
struct store_campaign_reason {
	char code[32];
	int64_t n;
};

struct store_campaign_counts {
	int64_t total;              /* recipients given */
	int64_t queued;             /* waiting for a line, not held by policy */
	int64_t held;               /* queued, deferred by policy (quiet hours, caps) */
	int64_t sending, unknown;   /* unknown: also a message held for a person */
	int64_t sent;               /* went out: sent or delivered */
	int64_t delivered;          /* of those, delivery reported */
	int64_t failed, expired, blocked, cancelled;
	/* the policy codes behind held, blocked and expired (expired while deferred) */
	struct store_campaign_reason held_by[STORE_CAMPAIGN_REASONS];
	struct store_campaign_reason blocked_by[STORE_CAMPAIGN_REASONS];
	struct store_campaign_reason expired_by[STORE_CAMPAIGN_REASONS];
	size_t nheld_by, nblocked_by, nexpired_by;
};

struct store_campaign {
	int64_t id;
	char name[STORE_CAMPAIGN_NAME_MAX + 1];
	char category[32];
	bool done;
	int64_t created_at, done_at;   /* done_at 0 while running */
	int64_t total;
};

/*
 * Creates the campaign and queues (or records as blocked) every recipient,
 * all in one transaction: a campaign is stored whole or not at all, so an
 * "accepted" answer never stands for half a list. Recipients the gate
 * refuses at enqueue, and those given with refused set, become blocked
 * messages of the campaign (policy = the code, error = the reason).
 * Returns 0 with *id, -EINVAL (no name, a name too long, no recipients or
 * more than STORE_CAMPAIGN_MAX, a recipient without a number or text, an
 * unknown category), -EIO.
 */
int store_campaign_create(struct store *st, const struct store_new_campaign *c, int64_t now,
			  int64_t *id);

/* The campaign's row. Returns 0, -ENOENT, -EINVAL, -EIO. */
int store_campaign_get(struct store *st, int64_t id, struct store_campaign *out);

/* The campaign's counts by state and policy code. Returns 0, -ENOENT, -EINVAL, -EIO. */
int store_campaign_counts(struct store *st, int64_t id, struct store_campaign_counts *out);

/* Whether nothing of it is left to send (nothing queued, held, sending or unknown). */
bool store_campaign_counts_finished(const struct store_campaign_counts *c);

/*
 * Marks the campaign done when it is finished and still running, in one
 * transaction with its summary's outbox row. Returns 1 when it was marked
 * now, 0 when it is not finished or was done already, -ENOENT, -EINVAL, -EIO.
 */
int store_campaign_finish(struct store *st, int64_t id, int64_t now);

/*
 * The running campaigns' ids, oldest first, at most max into ids.
 * Returns how many, -EINVAL, -EIO.
 */
int store_campaign_running(struct store *st, int64_t *ids, size_t max);

#endif
