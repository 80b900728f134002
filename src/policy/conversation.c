/*
 * A conversation's states and the events that move them
 * (include/parley/conversation.h): a table, so that every (state, event)
 * pair is written down once and the tests can check it cell by cell.
 * What a change does to the assignee, unread and waiting_since is the
 * store's business (store_conversation.c); this only names the next state.
 */
#include <errno.h>
#include <string.h>

#include "parley/conversation.h"

#define STATES (CONV_CLOSED + 1)
#define EVENTS (CONV_EV_REOPEN + 1)

/*
 * next[state][event]. Rows follow the diagram in conversation.h; the cells
 * it leaves open are decided here:
 *   - an agent writing moves any state to waiting_customer, a closed one too
 *     (an agent does not write to a conversation that is over);
 *   - automation writing to a closed conversation opens it as a new one
 *     would be (open): a fresh order update is a new exchange;
 *   - an automated answer (a keyword rule's reply) ends a wait and nothing
 *     else: it answers a message of the exchange an agent may have closed
 *     meanwhile, so closed stays closed, and open stays open;
 *   - reopen only acts on a closed conversation; close on any.
 */
static const enum conv_state next[STATES][EVENTS] = {
	[CONV_OPEN] = {
		[CONV_EV_CUSTOMER_MESSAGE] = CONV_WAITING_AGENT,
		[CONV_EV_AGENT_MESSAGE] = CONV_WAITING_CUSTOMER,
		[CONV_EV_AUTO_MESSAGE] = CONV_OPEN,
		[CONV_EV_AUTO_ANSWER] = CONV_OPEN,
		[CONV_EV_CLOSE] = CONV_CLOSED,
		[CONV_EV_REOPEN] = CONV_OPEN,
	},
	[CONV_WAITING_CUSTOMER] = {
		[CONV_EV_CUSTOMER_MESSAGE] = CONV_WAITING_AGENT,
		[CONV_EV_AGENT_MESSAGE] = CONV_WAITING_CUSTOMER,
		[CONV_EV_AUTO_MESSAGE] = CONV_WAITING_CUSTOMER,
		[CONV_EV_AUTO_ANSWER] = CONV_WAITING_CUSTOMER,
		[CONV_EV_CLOSE] = CONV_CLOSED,
		[CONV_EV_REOPEN] = CONV_WAITING_CUSTOMER,
	},
	[CONV_WAITING_AGENT] = {
		[CONV_EV_CUSTOMER_MESSAGE] = CONV_WAITING_AGENT,
		[CONV_EV_AGENT_MESSAGE] = CONV_WAITING_CUSTOMER,
		/* a customer still waits for a person */
		[CONV_EV_AUTO_MESSAGE] = CONV_WAITING_AGENT,
		/* the customer's question has its answer: now we wait for them */
		[CONV_EV_AUTO_ANSWER] = CONV_WAITING_CUSTOMER,
		[CONV_EV_CLOSE] = CONV_CLOSED,
		[CONV_EV_REOPEN] = CONV_WAITING_AGENT,
	},
	[CONV_CLOSED] = {
		[CONV_EV_CUSTOMER_MESSAGE] = CONV_WAITING_AGENT,
		[CONV_EV_AGENT_MESSAGE] = CONV_WAITING_CUSTOMER,
		[CONV_EV_AUTO_MESSAGE] = CONV_OPEN,
		[CONV_EV_AUTO_ANSWER] = CONV_CLOSED,
		[CONV_EV_CLOSE] = CONV_CLOSED,
		/* back in the agents' queue: someone reopened it to deal with it */
		[CONV_EV_REOPEN] = CONV_WAITING_AGENT,
	},
};

enum conv_state conversation_next(enum conv_state s, enum conv_event e)
{
	/* out-of-range input is a caller bug: leave the state as it was */
	if ((unsigned)s >= STATES || (unsigned)e >= EVENTS)
		return s;
	return next[s][e];
}

enum conv_state conversation_first(enum conv_event e)
{
	switch (e) {
	case CONV_EV_CUSTOMER_MESSAGE:
		return CONV_WAITING_AGENT;
	case CONV_EV_AGENT_MESSAGE:
		/* an agent who writes first waits for the answer like after a reply */
		return CONV_WAITING_CUSTOMER;
	case CONV_EV_AUTO_MESSAGE:
	case CONV_EV_AUTO_ANSWER: /* never first (the store refuses it): as automation */
		return CONV_OPEN;
	case CONV_EV_CLOSE:
		return CONV_CLOSED;
	case CONV_EV_REOPEN:
		return CONV_WAITING_AGENT;
	}
	return CONV_OPEN;
}

static const char *const names[STATES] = {
	[CONV_OPEN] = "open",
	[CONV_WAITING_CUSTOMER] = "waiting_customer",
	[CONV_WAITING_AGENT] = "waiting_agent",
	[CONV_CLOSED] = "closed",
};

const char *conversation_state_name(enum conv_state s)
{
	if ((unsigned)s >= STATES)
		return "?";
	return names[s];
}

int conversation_state_from_name(const char *name)
{
	if (!name)
		return -EINVAL;
	for (int i = 0; i < STATES; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -EINVAL;
}
