/*
 * Conversations (issue 7): one customer number with one of our lines,
 * opened by the first message either way, holding the ordered history of
 * its messages and agents' internal notes, a state, an assignee, tags and
 * an unread count. The store links every message to its conversation in
 * the transaction that stores or claims it; the state changes follow the
 * pure rules of policy/conversation.h. Every change of a conversation is an
 * event in the outbox (kind "conversation").
 *
 * Same conventions as store.h: 0 or a negative errno, times in ms given by
 * the caller, the store's error sentence on failure.
 */
#ifndef PARLEY_STORE_CONVERSATION_H
#define PARLEY_STORE_CONVERSATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/conversation.h"
#include "parley/store.h"

#define STORE_TAGS_MAX 16

/* A conversation as read back; strings owned (store_conversation_free). */
struct store_conversation {
	int64_t id;
	char *line, *peer;
	enum conv_state state;
	char *assignee;              /* NULL: in the queue */
	int unread;                  /* customer messages since an agent last read or replied */
	int64_t created_at, updated_at;
	int64_t last_in_at, last_out_at;   /* 0 none */
	int64_t waiting_since;       /* the oldest customer message no human has answered, 0 none */
	char *tags[STORE_TAGS_MAX];
	size_t ntags;
};

void store_conversation_free(struct store_conversation *c);

/* By id, or by (line, peer). -ENOENT when there is none. */
int store_conversation_get(struct store *st, int64_t id, struct store_conversation *out);
int store_conversation_find(struct store *st, const char *line, const char *peer,
			    struct store_conversation *out);

struct store_conversation_filter {
	unsigned states;             /* bits (1u << enum conv_state); 0 any */
	const char *assignee;        /* NULL any; "" unassigned only */
	const char *peer;            /* NULL any */
	int limit;                   /* 0 no limit */
};

/* Newest activity first. cb as in store_list. Returns how many, -EINVAL, -ENOMEM, -EIO. */
int store_conversation_list(struct store *st, const struct store_conversation_filter *f,
			    int (*cb)(void *ctx, const struct store_conversation *c), void *ctx);

/*
 * Agents' actions, each one transaction and one event:
 * claim      first come: -EBUSY when another agent holds it (the error names who);
 *            claiming one's own again is 0.
 * release    back to the queue; -EPERM when agent is not the assignee.
 * transfer   from the assignee to another agent; -EPERM when from is not the assignee.
 * close      any agent (or "parleyd"); closing a closed one is 0.
 * reopen     a closed conversation opens again (unassigned).
 * read       unread back to 0.
 * Returns 0, -ENOENT (no such conversation), -EBUSY, -EPERM, -EINVAL, -EIO.
 */
int store_conversation_claim(struct store *st, int64_t id, const char *agent, int64_t now);
int store_conversation_release(struct store *st, int64_t id, const char *agent, int64_t now);
int store_conversation_transfer(struct store *st, int64_t id, const char *from, const char *to,
				int64_t now);
int store_conversation_close(struct store *st, int64_t id, const char *agent, int64_t now);
int store_conversation_reopen(struct store *st, int64_t id, const char *agent, int64_t now);
int store_conversation_read(struct store *st, int64_t id, const char *agent, int64_t now);

/* Adds (add true) or removes a tag ([A-Za-z0-9_-], 1..32). -ENOSPC past STORE_TAGS_MAX. */
int store_conversation_tag(struct store *st, int64_t id, const char *tag, bool add, int64_t now);

/* An internal note (never sent). Returns 0 with *note_id, -ENOENT, -EINVAL, -EIO. */
int store_conversation_note(struct store *st, int64_t id, const char *author, const char *text,
			    int64_t now, int64_t *note_id);

/*
 * Returns every conversation agent holds to the queue (the agent went
 * offline and the grace period passed). Returns how many, -EINVAL, -EIO.
 */
int store_conversation_release_agent(struct store *st, const char *agent, int64_t now);

/* One item of a conversation's history: a message or a note. Strings borrowed. */
struct store_conversation_item {
	bool note;
	int64_t id;                  /* the message's or the note's */
	bool inbound;                /* messages */
	const char *state;           /* messages: their state */
	const char *text;            /* NULL once purged */
	const char *author;          /* notes: the agent; outbound messages: the agent who
					replied, NULL for automation */
	int64_t at;
};

/*
 * The history, oldest first, the newest limit items (0: all). Returns how
 * many, -ENOENT, -EINVAL, -EIO.
 */
int store_conversation_history(struct store *st, int64_t id, int limit,
			       int (*cb)(void *ctx, const struct store_conversation_item *it),
			       void *ctx);

#endif
