/*
 * The conversation state machine (policy/conversation.c): every (state,
 * event) pair against the diagram in conversation.h, the first state for
 * each event, names both ways, and input out of range.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "parley/conversation.h"

#define O CONV_OPEN
#define WC CONV_WAITING_CUSTOMER
#define WA CONV_WAITING_AGENT
#define C CONV_CLOSED

/* The diagram, one row per state, columns in enum conv_event order. */
static const struct {
	enum conv_state from;
	enum conv_state to[6];   /* customer, agent, auto, auto answer, close, reopen */
} table[] = {
	{ O, { WA, WC, O, O, C, O } },
	{ WC, { WA, WC, WC, WC, C, WC } },
	{ WA, { WA, WC, WA, WC, C, WA } },
	{ C, { WA, WC, O, C, C, WA } },
};

static const enum conv_event events[] = {
	CONV_EV_CUSTOMER_MESSAGE, CONV_EV_AGENT_MESSAGE, CONV_EV_AUTO_MESSAGE, CONV_EV_AUTO_ANSWER,
	CONV_EV_CLOSE, CONV_EV_REOPEN,
};

static void every_pair(void **state)
{
	int cells = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		for (size_t j = 0; j < 6; j++) {
			enum conv_state got = conversation_next(table[i].from, events[j]);

			if (got != table[i].to[j])
				fail_msg("%s + event %d: %s, expected %s",
					 conversation_state_name(table[i].from), (int)events[j],
					 conversation_state_name(got),
					 conversation_state_name(table[i].to[j]));
			cells++;
		}
	assert_int_equal(cells, 4 * 6);
}

/* The lines of the drawing, read as sentences. */
static void the_diagram_in_words(void **state)
{
	(void)state;
	/* a customer writes: an agent is wanted, whatever the state was */
	for (int s = O; s <= C; s++)
		assert_int_equal(conversation_next((enum conv_state)s, CONV_EV_CUSTOMER_MESSAGE), WA);
	/* agent replies and customer writes go back and forth */
	assert_int_equal(conversation_next(WA, CONV_EV_AGENT_MESSAGE), WC);
	assert_int_equal(conversation_next(WC, CONV_EV_CUSTOMER_MESSAGE), WA);
	/* automation does not answer a customer waiting for a person */
	assert_int_equal(conversation_next(WA, CONV_EV_AUTO_MESSAGE), WA);
	/* unless it answers the customer's message (a keyword rule's reply) */
	assert_int_equal(conversation_next(WA, CONV_EV_AUTO_ANSWER), WC);
	/* which reopens nothing an agent closed */
	assert_int_equal(conversation_next(C, CONV_EV_AUTO_ANSWER), C);
	/* both waiting states close; a closed one reopens waiting for an agent */
	assert_int_equal(conversation_next(WA, CONV_EV_CLOSE), C);
	assert_int_equal(conversation_next(WC, CONV_EV_CLOSE), C);
	assert_int_equal(conversation_next(C, CONV_EV_REOPEN), WA);
}

static void first_states(void **state)
{
	(void)state;
	assert_int_equal(conversation_first(CONV_EV_CUSTOMER_MESSAGE), WA);
	assert_int_equal(conversation_first(CONV_EV_AGENT_MESSAGE), WC);
	assert_int_equal(conversation_first(CONV_EV_AUTO_MESSAGE), O);
	assert_int_equal(conversation_first(CONV_EV_AUTO_ANSWER), O);
	assert_int_equal(conversation_first(CONV_EV_CLOSE), C);
	assert_int_equal(conversation_first(CONV_EV_REOPEN), WA);
}

static void names(void **state)
{
	static const char *const want[] = { "open", "waiting_customer", "waiting_agent", "closed" };

	(void)state;
	for (int s = O; s <= C; s++) {
		assert_string_equal(conversation_state_name((enum conv_state)s), want[s]);
		assert_int_equal(conversation_state_from_name(want[s]), s);
	}
	assert_string_equal(conversation_state_name((enum conv_state)4), "?");
	assert_string_equal(conversation_state_name((enum conv_state)-1), "?");
	assert_int_equal(conversation_state_from_name("Open"), -EINVAL);
	assert_int_equal(conversation_state_from_name(""), -EINVAL);
	assert_int_equal(conversation_state_from_name("waiting"), -EINVAL);
	assert_int_equal(conversation_state_from_name(NULL), -EINVAL);
}

static void out_of_range(void **state)
{
	(void)state;
	assert_int_equal(conversation_next(WA, (enum conv_event)6), WA);
	assert_int_equal(conversation_next(WA, (enum conv_event)-1), WA);
	assert_int_equal(conversation_next((enum conv_state)7, CONV_EV_CLOSE), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pair),
		cmocka_unit_test(the_diagram_in_words),
		cmocka_unit_test(first_states),
		cmocka_unit_test(names),
		cmocka_unit_test(out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
