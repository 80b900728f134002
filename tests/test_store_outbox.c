/*
 * The event outbox on a real store: off until enabled; an event for each
 * outbound state change, for an inbound message only once the consent flow
 * has read it (so it carries the keyword), for each of our ledger records
 * and none for a replicated one; nothing for a change that was rolled back;
 * order, deletion once published, the instance id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/store.h"
#include "parley/store_consent.h"
#include "parley/store_outbox.h"

#define T0 1700000000000LL
#define LINE "+447700900001"
#define P1 "+447700900101"

struct rows {
	int n;
	int64_t id[32], ref[32];
	char kind[32][16], state[32][20];
};

static int collect(void *ctx, const struct store_outbox_row *r)
{
	struct rows *rows = ctx;

	if (rows->n < 32) {
		rows->id[rows->n] = r->id;
		rows->ref[rows->n] = r->ref;
		snprintf(rows->kind[rows->n], 16, "%s", r->kind);
		snprintf(rows->state[rows->n], 20, "%s", r->state ? r->state : "");
	}
	rows->n++;
	return 0;
}

static struct rows read_all(struct store *st)
{
	struct rows rows;

	memset(&rows, 0, sizeof(rows));
	assert_true(store_outbox_list(st, 0, 100, collect, &rows) >= 0);
	return rows;
}

static struct store *open_mem(void)
{
	struct store *st;
	char err[128];

	if (store_open(":memory:", &st, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return st;
}

static void off_by_default(void **state)
{
	struct store *st = open_mem();
	struct store_new_message m = { .to = P1, .text = "hi" };
	int64_t n = -1;

	(void)state;
	assert_int_equal(store_enqueue(st, &m, T0, NULL, NULL), 0);
	assert_int_equal(store_outbox_pending(st, &n), 0);
	assert_int_equal(n, 0);
	store_close(st);
}

static void outbound_changes(void **state)
{
	struct store *st = open_mem();
	struct store_new_message m = { .to = P1, .text = "hi" };
	struct store_message out = { 0 };
	struct rows rows;
	int64_t id, n;

	(void)state;
	assert_int_equal(store_outbox_enable(st, true), 0);
	assert_int_equal(store_enqueue(st, &m, T0, &id, NULL), 0);
	assert_int_equal(store_claim(st, LINE, T0, &out), 0);
	store_message_free(&out);
	assert_int_equal(store_set_segments(st, id, 1), 0);
	assert_int_equal(store_segment_sent(st, id, 1, 7, T0 + 1), 0);
	rows = read_all(st);
	/* the claim gave it a line: it opened its conversation (store_conversation.h) */
	assert_int_equal(rows.n, 4);
	assert_string_equal(rows.kind[0], "message");
	assert_string_equal(rows.state[0], "queued");
	assert_string_equal(rows.state[1], "sending");
	assert_string_equal(rows.kind[2], "conversation");
	assert_string_equal(rows.state[2], "open");
	assert_string_equal(rows.state[3], "sent");
	assert_int_equal(rows.ref[3], id);
	assert_true(rows.id[0] < rows.id[1] && rows.id[1] < rows.id[2] && rows.id[2] < rows.id[3]);

	/* published: gone, the rest stays in order */
	assert_int_equal(store_outbox_done(st, rows.id[0]), 0);
	assert_int_equal(store_outbox_done(st, rows.id[0]), 0);
	assert_int_equal(store_outbox_pending(st, &n), 0);
	assert_int_equal(n, 3);
	memset(&rows, 0, sizeof(rows));
	assert_int_equal(store_outbox_list(st, 0, 1, collect, &rows), 1);
	assert_string_equal(rows.state[0], "sending");
	store_close(st);
}

static void refused_change_has_no_event(void **state)
{
	struct store *st = open_mem();
	struct store_new_message m = { .to = P1, .text = "hi", .category = "nonsense" };
	int64_t n;

	(void)state;
	assert_int_equal(store_outbox_enable(st, true), 0);
	assert_int_equal(store_enqueue(st, &m, T0, NULL, NULL), -EINVAL);
	assert_int_equal(store_cancel(st, 12345, T0), -ENOENT);
	assert_int_equal(store_outbox_pending(st, &n), 0);
	assert_int_equal(n, 0);
	store_close(st);
}

static void inbound_after_the_consent_flow(void **state)
{
	struct store *st = open_mem();
	struct store_inbound_part p = { .line = LINE, .sender = P1, .text = "STOP", .sent_at = T0 };
	struct store_consent_record r = {
		.number = P1, .action = "revoke", .scope = "all", .category = "all",
		.method = "keyword", .disclosure = "STOP", .recorded_by = "parleyd", .at = T0,
	};
	struct rows rows;
	int64_t id;

	(void)state;
	assert_int_equal(store_outbox_enable(st, true), 0);
	assert_int_equal(store_inbound(st, &p, T0, &id), 0);
	rows = read_all(st);
	/* not before its keyword is known; its conversation is told at once */
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.kind[0], "conversation");
	assert_int_equal(store_inbound_settle(st, id, "opt-out", &r, NULL, T0 + 1, NULL), 0);
	rows = read_all(st);
	assert_int_equal(rows.n, 3);
	assert_string_equal(rows.kind[1], "received");
	assert_int_equal(rows.ref[1], id);
	assert_string_equal(rows.state[1], "received");
	assert_string_equal(rows.kind[2], "consent");
	store_close(st);
}

static int keep_origin(void *ctx, const struct store_consent_record *r)
{
	snprintf(ctx, 32, "%s/%lld", r->origin ? r->origin : "-", (long long)r->origin_id);
	return 0;
}

static void replicas_are_not_announced(void **state)
{
	struct store *st = open_mem();
	struct store_consent_record r = {
		.number = P1, .action = "revoke", .scope = "all", .category = "all",
		.method = "keyword", .disclosure = "STOP", .recorded_by = "gw-b", .at = T0,
	};
	char instance[32], origin[32] = "";
	struct rows rows;
	int n = 0;

	(void)state;
	assert_int_equal(store_outbox_enable(st, true), 0);
	assert_int_equal(store_consent_replicate(st, &r, "00aa11bb22cc33dd", 7), 0);
	assert_int_equal(store_consent_replicate(st, &r, "00aa11bb22cc33dd", 7), 1);
	assert_int_equal(store_consent_replicate(st, &r, "", 7), -EINVAL);
	rows = read_all(st);
	assert_int_equal(rows.n, 0);
	n = store_consent_list(st, P1, keep_origin, origin);
	assert_int_equal(n, 1);
	assert_string_equal(origin, "00aa11bb22cc33dd/7");
	assert_int_equal(store_consent_get(st, 1, keep_origin, origin), 0);
	assert_int_equal(store_consent_get(st, 99, keep_origin, origin), -ENOENT);

	assert_int_equal(store_instance(st, instance, sizeof(instance)), 0);
	assert_int_equal(strlen(instance), 16);
	for (size_t i = 0; i < 16; i++)
		assert_true(isxdigit((unsigned char)instance[i]));
	assert_int_equal(store_instance(st, instance, 8), -EMSGSIZE);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(off_by_default),
		cmocka_unit_test(outbound_changes),
		cmocka_unit_test(refused_change_has_no_event),
		cmocka_unit_test(inbound_after_the_consent_flow),
		cmocka_unit_test(replicas_are_not_announced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
