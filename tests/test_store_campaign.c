/*
 * Campaigns in the store: created whole in one transaction, recipients the
 * gate refuses kept as blocked messages with their code, counts by state
 * and code (held by quiet hours, blocked by opt-out, expired while held),
 * messages for any line, and the campaign marked done exactly once, with
 * one outbox row for its summary, only when nothing is left to send.
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
#include "parley/store_campaign.h"
#include "parley/store_outbox.h"

#define T0 1700000000000LL
#define HOUR 3600000LL
#define L1 "+447700900001"
#define L2 "+447700900002"
#define OPTED "+447700900666"
#define NIGHT "+81312345678"

/* Refuses OPTED at once; defers NIGHT by an hour (quiet hours); lets the rest go. */
static void gate(void *ctx, struct store *st, const struct store_message *m, const char *line,
		 int64_t now, struct store_gate_verdict *v)
{
	(void)ctx;
	(void)st;
	(void)line;
	if (strcmp(m->peer, OPTED) == 0) {
		v->action = STORE_GATE_BLOCK;
		v->code = 4001;
		v->code_name = "opted_out";
		snprintf(v->reason, sizeof(v->reason), "the recipient opted out");
	} else if (strcmp(m->peer, NIGHT) == 0) {
		v->action = STORE_GATE_DEFER;
		v->code = 4101;
		v->code_name = "quiet_hours";
		v->until = now + HOUR;
		snprintf(v->reason, sizeof(v->reason), "night there");
	}
}

static int setup(void **state)
{
	struct store *st;
	char err[128];

	assert_int_equal(store_open(":memory:", &st, err, sizeof(err)), 0);
	store_set_gate(st, gate, NULL);
	assert_int_equal(store_outbox_enable(st, true), 0);
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return 0;
}

static int count_campaign_rows(void *ctx, const struct store_outbox_row *r)
{
	int *n = ctx;

	if (strcmp(r->kind, "campaign") == 0)
		(*n)++;
	return 0;
}

static int summaries(struct store *st)
{
	int n = 0;

	assert_true(store_outbox_list(st, 0, 100000, count_campaign_rows, &n) >= 0);
	return n;
}

static int64_t reason(const struct store_campaign_reason *list, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].code, code) == 0)
			return list[i].n;
	return 0;
}

/* Claims and sends everything due on the line, alternating with another line. */
static int send_all(struct store *st, int64_t now, int *per_line)
{
	const char *lines[2] = { L1, L2 };
	struct store_message m;
	int n = 0;

	for (int i = 0;; i++) {
		memset(&m, 0, sizeof(m));
		if (store_claim(st, lines[i % 2], now, &m) != 0)
			break;
		assert_null(m.want_line);
		per_line[i % 2]++;
		assert_int_equal(store_set_segments(st, m.id, 1), 0);
		assert_int_equal(store_segment_sent(st, m.id, 1, n & 0xff, now), 0);
		store_message_free(&m);
		n++;
	}
	return n;
}

static void campaign_counts_and_summary(void **state)
{
	struct store *st = *state;
	struct store_campaign_recipient r[40];
	char numbers[40][20];
	struct store_campaign_counts c;
	struct store_campaign camp;
	int64_t id = 0, ids[4];
	int per_line[2] = { 0, 0 };

	for (int i = 0; i < 36; i++) {
		snprintf(numbers[i], sizeof(numbers[i]), "+4477009%05d", 1000 + i);
		r[i] = (struct store_campaign_recipient){ .to = numbers[i], .text = "Sale today" };
	}
	r[36] = (struct store_campaign_recipient){ .to = OPTED, .text = "Sale today" };
	r[37] = (struct store_campaign_recipient){ .to = NIGHT, .text = "Sale today" };
	r[38] = (struct store_campaign_recipient){ .to = "07-not", .refused = "invalid_number",
						   .refused_reason = "not a number" };
	r[39] = (struct store_campaign_recipient){ .to = NIGHT, .text = "Sale today" };
	struct store_new_campaign nc = { .name = "black-friday", .text = "Sale today",
					 .recipients = r, .n = 40 };

	assert_int_equal(store_campaign_create(st, &nc, T0, &id), 0);
	assert_true(id > 0);
	assert_int_equal(store_campaign_get(st, id, &camp), 0);
	assert_string_equal(camp.name, "black-friday");
	assert_string_equal(camp.category, "marketing");
	assert_false(camp.done);
	assert_int_equal(camp.total, 40);

	assert_int_equal(store_campaign_counts(st, id, &c), 0);
	assert_int_equal(c.total, 40);
	assert_int_equal(c.queued, 38);
	assert_int_equal(c.blocked, 2);
	assert_int_equal(reason(c.blocked_by, c.nblocked_by, "opted_out"), 1);
	assert_int_equal(reason(c.blocked_by, c.nblocked_by, "invalid_number"), 1);
	assert_int_equal(store_campaign_running(st, ids, 4), 1);
	assert_int_equal(ids[0], id);

	/* the lines share them; the night numbers are held, not sent */
	assert_int_equal(send_all(st, T0 + 1000, per_line), 36);
	assert_int_equal(per_line[0], 18);
	assert_int_equal(per_line[1], 18);
	assert_int_equal(store_campaign_counts(st, id, &c), 0);
	assert_int_equal(c.sent, 36);
	assert_int_equal(c.held, 2);
	assert_int_equal(reason(c.held_by, c.nheld_by, "quiet_hours"), 2);
	assert_int_equal(c.queued, 0);
	assert_false(store_campaign_counts_finished(&c));
	assert_int_equal(store_campaign_finish(st, id, T0 + 2000), 0);
	assert_int_equal(summaries(st), 0);

	/* the night ends: they go, and then the campaign is done, once */
	assert_int_equal(send_all(st, T0 + HOUR + 2000, per_line), 0); /* the gate defers again */
	store_set_gate(st, NULL, NULL);
	assert_int_equal(send_all(st, T0 + 3 * HOUR, per_line), 2);
	assert_int_equal(store_campaign_counts(st, id, &c), 0);
	assert_int_equal(c.sent, 38);
	assert_int_equal(c.held, 0);
	assert_true(store_campaign_counts_finished(&c));
	assert_int_equal(store_campaign_finish(st, id, T0 + 3 * HOUR), 1);
	assert_int_equal(store_campaign_finish(st, id, T0 + 3 * HOUR + 1), 0);
	assert_int_equal(summaries(st), 1);
	assert_int_equal(store_campaign_get(st, id, &camp), 0);
	assert_true(camp.done);
	assert_int_equal(camp.done_at, T0 + 3 * HOUR);
	assert_int_equal(store_campaign_running(st, ids, 4), 0);
}

/* A campaign with an end: a message deferred past it expires at once, naming the rule. */
static void deferred_past_expiry_expires(void **state)
{
	struct store *st = *state;
	struct store_campaign_recipient r[2] = {
		{ .to = NIGHT, .text = "Sale" }, { .to = "+447700900123", .text = "Sale" },
	};
	struct store_new_campaign nc = { .name = "flash", .category = "transactional",
					 .expire_at = T0 + HOUR / 2, .recipients = r, .n = 2 };
	struct store_campaign_counts c;
	struct store_message m = { 0 };
	int per_line[2] = { 0, 0 };
	int64_t id;

	assert_int_equal(store_campaign_create(st, &nc, T0, &id), 0);
	assert_int_equal(send_all(st, T0 + 1000, per_line), 1);
	assert_int_equal(store_campaign_counts(st, id, &c), 0);
	assert_int_equal(c.sent, 1);
	assert_int_equal(c.expired, 1);
	assert_int_equal(reason(c.expired_by, c.nexpired_by, "quiet_hours"), 1);
	assert_int_equal(store_campaign_finish(st, id, T0 + 2000), 1);
	assert_int_equal(summaries(st), 1);
	assert_int_equal(store_get(st, 1, &m), 0);
	assert_int_equal(m.state, STORE_EXPIRED);
	assert_string_equal(m.policy, "quiet_hours");
	store_message_free(&m);
}

static void bad_arguments(void **state)
{
	struct store *st = *state;
	struct store_campaign_recipient r = { .to = "+447700900123", .text = "x" }, none = { 0 };
	struct store_new_campaign nc = { .name = "", .recipients = &r, .n = 1 };
	struct store_campaign_counts c;
	struct store_campaign camp;
	int64_t id = 5;

	assert_int_equal(store_campaign_create(NULL, &nc, T0, &id), -EINVAL);
	assert_int_equal(id, 0);
	assert_int_equal(store_campaign_create(st, NULL, T0, &id), -EINVAL);
	assert_int_equal(store_campaign_create(st, &nc, T0, &id), -EINVAL);
	nc.name = "x";
	nc.n = 0;
	assert_int_equal(store_campaign_create(st, &nc, T0, &id), -EINVAL);
	nc.n = STORE_CAMPAIGN_MAX + 1;
	assert_int_equal(store_campaign_create(st, &nc, T0, &id), -EINVAL);
	nc.n = 1;
	nc.category = "spam";
	assert_int_equal(store_campaign_create(st, &nc, T0, &id), -EINVAL);
	nc.category = NULL;
	nc.recipients = &none;
	assert_int_equal(store_campaign_create(st, &nc, T0, &id), -EINVAL);
	assert_int_equal(store_campaign_get(st, 99, &camp), -ENOENT);
	assert_int_equal(store_campaign_counts(st, 99, &c), -ENOENT);
	assert_int_equal(store_campaign_finish(st, 99, T0), -ENOENT);
	assert_int_equal(store_campaign_running(st, NULL, 0), 0);
}

/* A failure inside the transaction leaves no campaign and no message behind. */
static void all_or_nothing(void **state)
{
	struct store *st = *state;
	struct store_campaign_recipient r[2] = {
		{ .to = "+447700900123", .text = "ok" }, { .to = "+447700900124", .text = "\xff" },
	};
	struct store_new_campaign nc = { .name = "broken", .recipients = r, .n = 2 };
	int64_t counts[STORE_PARTIAL + 1], ids[2];

	assert_int_equal(store_campaign_create(st, &nc, T0, NULL), -EINVAL);
	assert_int_equal(store_counts(st, counts), 0);
	assert_int_equal(counts[STORE_QUEUED], 0);
	assert_int_equal(store_campaign_running(st, ids, 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(campaign_counts_and_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(deferred_past_expiry_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(all_or_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
