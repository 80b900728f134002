/*
 * Follow-ups: a message queued with cancel_on_reply is cancelled, in the
 * transaction that stores it, when the recipient writes to us first; other
 * messages to them stay queued; a follow-up can be cancelled by its key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/store.h"

#define T0 1700000000000LL
#define LINE "+447700900001"
#define P1 "+447700900101"
#define P2 "+447700900102"

static int64_t queue(struct store *st, const char *to, bool follow_up, const char *key)
{
	struct store_new_message m = { .to = to, .text = "Still thinking about your cart?",
				       .send_at = T0 + 1800000, .cancel_on_reply = follow_up,
				       .key = key };
	int64_t id = 0;

	assert_int_equal(store_enqueue(st, &m, T0, &id, NULL), 0);
	return id;
}

static enum store_state state(struct store *st, int64_t id, char *error, size_t size)
{
	struct store_message m = { 0 };
	enum store_state s;

	assert_int_equal(store_get(st, id, &m), 0);
	s = m.state;
	if (error)
		snprintf(error, size, "%s", m.error ? m.error : "");
	store_message_free(&m);
	return s;
}

static void customer_writes_first(void **state_)
{
	struct store *st;
	char err[128];
	int64_t follow, other, stranger, in = 0;
	struct store_inbound_part p = { .line = LINE, .sender = P1, .text = "I bought it already",
					.sent_at = T0 };

	(void)state_;
	assert_int_equal(store_open(":memory:", &st, err, sizeof(err)), 0);
	follow = queue(st, P1, true, "cart-1");
	other = queue(st, P1, false, NULL);
	stranger = queue(st, P2, true, NULL);
	assert_int_equal(store_inbound(st, &p, T0 + 60000, &in), 0);
	assert_true(in > 0);
	assert_int_equal(state(st, follow, err, sizeof(err)), STORE_CANCELLED);
	assert_string_equal(err, "the customer wrote first");
	assert_int_equal(state(st, other, NULL, 0), STORE_QUEUED);     /* not a follow-up */
	assert_int_equal(state(st, stranger, NULL, 0), STORE_QUEUED);  /* someone else's */
	store_close(st);
}

static void cancelled_by_key(void **state_)
{
	struct store *st;
	char err[128];
	int64_t id, found = 0;

	(void)state_;
	assert_int_equal(store_open(":memory:", &st, err, sizeof(err)), 0);
	id = queue(st, P1, true, "cart-2");
	assert_int_equal(store_cancel_key(st, "cart-2", T0 + 1000, &found), 0);
	assert_int_equal(found, id);
	assert_int_equal(state(st, id, NULL, 0), STORE_CANCELLED);
	assert_int_equal(store_cancel_key(st, "cart-2", T0 + 2000, NULL), -EPERM);
	assert_int_equal(store_cancel_key(st, "no-such-key", T0, NULL), -ENOENT);
	assert_int_equal(store_cancel_key(st, "", T0, NULL), -EINVAL);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(customer_writes_first),
		cmocka_unit_test(cancelled_by_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
