/*
 * Conversations (issue 7): one customer number with one of our lines,
 * opened by the first message either way, holding the ordered history of
 * its messages and agents' internal notes, a state, an assignee, tags and
 * an unread count. The store links every message to its conversation in
 * the transaction that stores or claims it; the state changes follow the
 * pure rules of policy/conversation.h. Every change of a conversation is an
 * event in the outbox (kind "conversation").
 *
 * Linking: an inbound message (complete or partial) joins its conversation
 * when it is stored; an outbound one when its line is known: at enqueue
 * when it has one (asked for, sticky), else when a line claims it. The
 * event it counts as: CUSTOMER_MESSAGE (unread + 1, waiting_since set if
 * 0, last_in_at), AGENT_MESSAGE when store_new_message.agent is set
 * (unread and waiting_since back to 0), AUTO_ANSWER when automation answers
 * a customer's message (store_new_message.answers) and no other one of the
 * wait is left unanswered (waiting_since back to 0, unread kept: no person
 * has read it), or AUTO_MESSAGE (neither changes; an answer that leaves
 * another message waiting moves waiting_since to the oldest such message).
 * last_out_at is set when an outbound message is sent.
 *
 * Agents are named by strings of 1..STORE_AGENT_MAX bytes of UTF-8 without
 * control characters (anything else is -EINVAL). An action that changes
 * nothing (claiming one's own, closing a closed one) returns 0 and writes
 * no event. The outbox row of a change: kind "conversation", ref the id,
 * state the state after it, detail the change in words ("claimed by
 * alice", "closed by bob", "the customer wrote (message 12)").
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
#define STORE_NOTE_MAX 4000   /* bytes of a note's text */

/* A conversation as read back; strings owned (store_conversation_free). */
struct store_conversation {
	int64_t id;
	char *line, *peer;
	enum conv_state state;
	char *assignee;              /* NULL: in the queue */
	int unread;                  /* customer messages since an agent last read or replied */
	int64_t created_at, updated_at;    /* updated_at: its last change of any kind */
	int64_t last_in_at, last_out_at;   /* 0 none */
	int64_t waiting_since;       /* the oldest customer message nobody (an agent, a keyword
					rule's reply) has answered, 0 none */
	char *tags[STORE_TAGS_MAX];  /* in name order */
	size_t ntags;
};

/* Frees the strings and zeroes the struct; NULL is a no-op. */
void store_conversation_free(struct store_conversation *c);

/*
 * By id, or by (line, peer), into out (overwritten, not freed; zeroed on
 * error). Returns 0, -ENOENT when there is none, -EINVAL (no out; no line
 * or peer), -ENOMEM, -EIO.
 */
int store_conversation_get(struct store *st, int64_t id, struct store_conversation *out);
int store_conversation_find(struct store *st, const char *line, const char *peer,
			    struct store_conversation *out);

struct store_conversation_filter {
	unsigned states;             /* bits (1u << enum conv_state); 0 any */
	const char *assignee;        /* NULL any; "" unassigned only */
	const char *peer;            /* NULL any */
	int limit;                   /* 0 no limit */
};

/*
 * Newest change first (updated_at), f NULL for all. cb as in store_list (the
 * conversation borrowed for the call; non-zero stops; it may read the
 * store). Returns how many, -EINVAL (no cb, unknown state bits, an empty
 * peer, a negative limit), -ENOMEM, -EIO.
 */
int store_conversation_list(struct store *st, const struct store_conversation_filter *f,
			    int (*cb)(void *ctx, const struct store_conversation *c), void *ctx);

/*
 * Agents' actions, each one transaction and one event:
 * claim      first come: -EBUSY when another agent holds it (the error names who;
 *            store_conversation_get tells it too); claiming one's own again is 0;
 *            -EPERM when it is closed (reopen it first).
 * release    back to the queue; -EPERM when agent is not the assignee.
 * transfer   from the assignee to another agent; -EPERM when from is not the
 *            assignee or it is closed; to oneself is 0.
 * close      any agent (or "parleyd"); closing a closed one is 0. The assignee
 *            stays (who had it), waiting_since goes to 0 (nobody waits on it).
 * reopen     a closed conversation opens again (waiting_agent, unassigned);
 *            reopening one that is not closed is 0.
 * read       unread back to 0 (0 already: nothing to do).
 * Returns 0, -ENOENT (no such conversation), -EBUSY, -EPERM, -EINVAL (a bad
 * agent's name), -EIO.
 */
int store_conversation_claim(struct store *st, int64_t id, const char *agent, int64_t now);
int store_conversation_release(struct store *st, int64_t id, const char *agent, int64_t now);
int store_conversation_transfer(struct store *st, int64_t id, const char *from, const char *to,
				int64_t now);
int store_conversation_close(struct store *st, int64_t id, const char *agent, int64_t now);
int store_conversation_reopen(struct store *st, int64_t id, const char *agent, int64_t now);
int store_conversation_read(struct store *st, int64_t id, const char *agent, int64_t now);

/*
 * Adds (add true) or removes a tag ([A-Za-z0-9_-], 1..32). Adding one it
 * has, or removing one it has not, is 0 and no event. Returns 0, -ENOENT,
 * -EINVAL (a bad tag), -ENOSPC (past STORE_TAGS_MAX), -EIO.
 */
int store_conversation_tag(struct store *st, int64_t id, const char *tag, bool add, int64_t now);

/*
 * An internal note (never sent), 1..STORE_NOTE_MAX bytes of UTF-8; an
 * event like any change. note_id may be NULL. Returns 0 with *note_id,
 * -ENOENT, -EINVAL, -EIO.
 */
int store_conversation_note(struct store *st, int64_t id, const char *author, const char *text,
			    int64_t now, int64_t *note_id);

/*
 * Returns every conversation agent holds to the queue (the agent went
 * offline and the grace period passed), one event each; closed ones keep
 * their assignee (for the record). Returns how many, -EINVAL, -EIO.
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
	int64_t at;                  /* messages: created_at (received, queued); notes: written */
};

/*
 * The history, oldest first, the newest limit items (0: all); a message
 * comes before a note of the same millisecond. cb as in store_list (it may
 * read the store). Returns how many, -ENOENT, -EINVAL, -EIO.
 */
int store_conversation_history(struct store *st, int64_t id, int limit,
			       int (*cb)(void *ctx, const struct store_conversation_item *it),
			       void *ctx);

#endif
