/*
 * A conversation's states and what moves them, as pure rules (the store
 * applies them; store_conversation.h).
 *
 *              customer writes                 agent replies
 *   (new) ---> waiting_agent <----------------> waiting_customer
 *     |            ^    |   customer writes          |
 *     | we write   |    +--------- close ------------+----> closed
 *     v            |                                          |
 *    open ---------+ customer writes        customer writes / reopen
 *
 * open: started by us (an order update) and not answered yet.
 * An automated message (no agent) does not change waiting_agent: a
 * customer still waits for a person. An automated answer does: a keyword
 * rule's reply to the customer's message ("CONFIRM" -> "Your appointment is
 * confirmed") answers it, so the conversation waits for the customer
 * (waiting_agent -> waiting_customer). The store calls a rule's reply an
 * answer only when no other message of the customer's still waits for a
 * person; otherwise it is an automated message like any other. A customer
 * writing to a closed conversation opens it again, waiting for an agent,
 * unassigned.
 *
 * The cells the drawing leaves out (src/policy/conversation.c has the table):
 * an agent's message moves every state to waiting_customer; automation
 * leaves open, waiting_customer and waiting_agent as they are and opens a
 * closed conversation as a new one (open); an automated answer only ends a
 * wait (the other states stay: it reopens nothing an agent closed); close
 * moves every state to closed; reopen moves closed to waiting_agent (back in
 * the agents' queue) and leaves the others as they are. Leaving closed also
 * drops the assignee (the store does that).
 */
#ifndef PARLEY_CONVERSATION_H
#define PARLEY_CONVERSATION_H

enum conv_state { CONV_OPEN, CONV_WAITING_CUSTOMER, CONV_WAITING_AGENT, CONV_CLOSED };

enum conv_event {
	CONV_EV_CUSTOMER_MESSAGE,  /* an inbound message (complete or partial) */
	CONV_EV_AGENT_MESSAGE,     /* an outbound message an agent sent (reply) */
	CONV_EV_AUTO_MESSAGE,      /* an outbound message automation or an API sent */
	CONV_EV_AUTO_ANSWER,       /* automation answered the customer's waiting message */
	CONV_EV_CLOSE,
	CONV_EV_REOPEN,
};

/* The state after event in state s; s itself for a state or event out of range. */
enum conv_state conversation_next(enum conv_state s, enum conv_event e);

/*
 * The state a conversation starts in when event opens it: waiting_agent
 * (customer), waiting_customer (agent), open (automation). AUTO_ANSWER,
 * CLOSE and REOPEN never open one (an answer needs the customer's message
 * first); they give open, closed and waiting_agent.
 */
enum conv_state conversation_first(enum conv_event e);

/* "open", "waiting_customer", "waiting_agent", "closed"; "?" for others. */
const char *conversation_state_name(enum conv_state s);
/* The state with that name, or -EINVAL. */
int conversation_state_from_name(const char *name);

#endif
