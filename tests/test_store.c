/*
 * The store on a temporary file and on ":memory:": every edge of the
 * queued message's state diagram, idempotency keys, claim order, the
 * sticky line, status reports, reassembly of parts and their timeout,
 * retention, migrations, and claims from two handles and two processes on
 * one file, including a claimer killed mid-send.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parley/sms.h"
#include "parley/store.h"
#include "support/store_files.h"

#define T0 1700000000000LL      /* 2023-11-14, in ms */
#define L1 "+447700900001"
#define L2 "+447700900002"
#define L3 "+447700900003"
#define P1 "+447700900101"
#define P2 "+447700900102"
#define P3 "+447700900103"
#define GAP STORE_GAP_MARKER

struct fixture {
	char path[64];          /* "" for :memory: */
	struct store *st;
};

static int setup_file(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	store_file_new(f->path, sizeof(f->path), "store");
	f->st = store_file_open(f->path);
	*state = f;
	return 0;
}

static int setup_memory(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->st = store_file_open(":memory:");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	if (f->path[0])
		store_file_remove(f->path);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static int64_t enqueue_full(struct store *st, const struct store_new_message *m, int64_t now)
{
	int64_t id = 0;
	bool existing = true;

	if (store_enqueue(st, m, now, &id, &existing) != 0)
		fail_msg("store_enqueue: %s", store_error(st));
	assert_false(existing);
	assert_true(id > 0);
	return id;
}

static int64_t enqueue(struct store *st, const char *to, const char *text, int64_t now)
{
	struct store_new_message m = { .to = to, .text = text };

	return enqueue_full(st, &m, now);
}

/* The claimed id, 0 when nothing is due. */
static int64_t claim(struct store *st, const char *line, int64_t now)
{
	struct store_message m = { 0 };
	int64_t id;
	int rc = store_claim(st, line, now, &m);

	if (rc == -ENOENT) {
		assert_null(m.peer);
		return 0;
	}
	if (rc != 0)
		fail_msg("store_claim: %s", store_error(st));
	assert_int_equal(m.state, STORE_SENDING);
	assert_string_equal(m.line, line);
	id = m.id;
	store_message_free(&m);
	return id;
}

static enum store_state state_of(struct store *st, int64_t id)
{
	struct store_message m = { 0 };
	enum store_state s;

	if (store_get(st, id, &m) != 0)
		fail_msg("store_get(%lld): %s", (long long)id, store_error(st));
	s = m.state;
	store_message_free(&m);
	return s;
}

static void send_segments(struct store *st, int64_t id, int segments, int mr0, int64_t now)
{
	assert_int_equal(store_set_segments(st, id, segments), 0);
	for (int i = 1; i <= segments; i++)
		if (store_segment_sent(st, id, i, (mr0 + i - 1) & 0xff, now) != 0)
			fail_msg("store_segment_sent: %s", store_error(st));
}

struct history {
	char text[512];
	char detail[512];
	int64_t last_at;
};

static int on_history(void *ctx, enum store_state state, int64_t at, const char *detail)
{
	struct history *h = ctx;
	size_t n = strlen(h->text);

	snprintf(h->text + n, sizeof(h->text) - n, "%s%s", n ? " " : "", store_state_name(state));
	n = strlen(h->detail);
	snprintf(h->detail + n, sizeof(h->detail) - n, "%s%s", n ? "|" : "", detail ? detail : "");
	h->last_at = at;
	return 0;
}

/* The states of a message's history, space-separated: "queued sending sent". */
static const char *history(struct store *st, int64_t id, struct history *h)
{
	memset(h, 0, sizeof(*h));
	if (store_history(st, id, on_history, h) < 0)
		fail_msg("store_history: %s", store_error(st));
	return h->text;
}

#define assert_history(st, id, expected) do { \
		struct history h_; \
		assert_string_equal(history((st), (id), &h_), (expected)); \
	} while (0)

/* ---- names and arguments ---- */

static void test_state_names(void **state)
{
	(void)state;
	for (int s = 0; s <= STORE_PARTIAL; s++) {
		const char *name = store_state_name((enum store_state)s);

		assert_string_not_equal(name, "?");
		assert_int_equal(store_state_from_name(name), s);
	}
	assert_string_equal(store_state_name(STORE_QUEUED), "queued");
	assert_string_equal(store_state_name(STORE_PARTIAL), "partial");
	assert_int_equal(store_state_from_name("nonsense"), -EINVAL);
	assert_int_equal(store_state_from_name(NULL), -EINVAL);
	assert_int_equal(store_schema_version(), 8);
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	struct store_message m = { 0 };
	struct store_new_message nm = { .to = P1, .text = "hi" };
	struct store_inbound_part part = { .line = L1, .sender = P1, .text = "x" };
	int64_t counts[STORE_PARTIAL + 1], id = 5;
	bool existing = true;
	char err[128] = "", line[32];

	/* a NULL store everywhere */
	assert_int_equal(store_enqueue(NULL, &nm, T0, &id, &existing), -EINVAL);
	assert_int_equal(id, 0);
	assert_false(existing);
	assert_int_equal(store_claim(NULL, L1, T0, &m), -EINVAL);
	assert_int_equal(store_next_due(NULL), INT64_MAX);
	assert_int_equal(store_set_segments(NULL, 1, 1), -EINVAL);
	assert_int_equal(store_segment_sent(NULL, 1, 1, 1, T0), -EINVAL);
	assert_int_equal(store_send_failed(NULL, 1, true, false, 0, NULL, T0), -EINVAL);
	assert_int_equal(store_status_report(NULL, L1, 1, P1, 0, 0, T0, 1, &id), -EINVAL);
	assert_int_equal(store_expire(NULL, T0), -EINVAL);
	assert_int_equal(store_recover(NULL, false, T0), -EINVAL);
	assert_int_equal(store_cancel(NULL, 1, T0), -EINVAL);
	assert_int_equal(store_block(NULL, 1, NULL, T0), -EINVAL);
	assert_int_equal(store_hold(NULL, 1, T0), -EINVAL);
	assert_int_equal(store_retry(NULL, 1, T0), -EINVAL);
	assert_int_equal(store_inbound(NULL, &part, T0, &id), -EINVAL);
	assert_int_equal(store_flush_parts(NULL, T0, 1, NULL, NULL), -EINVAL);
	assert_int_equal(store_get(NULL, 1, &m), -EINVAL);
	assert_int_equal(store_list(NULL, -1, -1, 0, NULL, NULL), -EINVAL);
	assert_int_equal(store_history(NULL, 1, NULL, NULL), -EINVAL);
	assert_int_equal(store_counts(NULL, counts), -EINVAL);
	assert_int_equal(store_sticky_line(NULL, P1, line, sizeof(line)), -EINVAL);
	assert_int_equal(store_purge_bodies(NULL, T0), -EINVAL);
	assert_int_equal(store_sync(NULL), -EINVAL);
	assert_true(strlen(store_error(NULL)) > 0);
	store_close(NULL);
	store_message_free(NULL);

	/* open */
	assert_int_equal(store_open(NULL, NULL, err, sizeof(err)), -EINVAL);
	assert_true(strlen(err) > 0);
	assert_int_equal(store_open("", NULL, NULL, 0), -EINVAL);

	/* bad messages, each with a sentence */
	assert_string_equal(store_error(st), "");
	assert_int_equal(store_enqueue(st, NULL, T0, &id, &existing), -EINVAL);
	assert_true(strlen(store_error(st)) > 0);
	nm.to = "";
	assert_int_equal(store_enqueue(st, &nm, T0, &id, NULL), -EINVAL);
	nm.to = NULL;
	assert_int_equal(store_enqueue(st, &nm, T0, NULL, NULL), -EINVAL);
	nm.to = P1;
	nm.text = "";
	assert_int_equal(store_enqueue(st, &nm, T0, &id, NULL), -EINVAL);
	nm.text = NULL;
	assert_int_equal(store_enqueue(st, &nm, T0, &id, NULL), -EINVAL);
	nm.text = "bad \xC3\x28 utf-8";
	assert_int_equal(store_enqueue(st, &nm, T0, &id, NULL), -EINVAL);
	assert_non_null(strstr(store_error(st), "UTF-8"));
	nm.text = "fine";
	nm.line = "";
	assert_int_equal(store_enqueue(st, &nm, T0, &id, NULL), -EINVAL);
	nm.line = NULL;
	nm.key = "";
	assert_int_equal(store_enqueue(st, &nm, T0, &id, NULL), -EINVAL);
	nm.key = NULL;
	nm.category = "spam";
	assert_int_equal(store_enqueue(st, &nm, T0, &id, NULL), -EINVAL);
	assert_non_null(strstr(store_error(st), "spam"));
	nm.category = NULL;
	nm.send_at = -1;
	assert_int_equal(store_enqueue(st, &nm, T0, &id, NULL), -EINVAL);
	nm.send_at = 0;

	/* other calls */
	assert_int_equal(store_claim(st, NULL, T0, &m), -EINVAL);
	assert_int_equal(store_claim(st, "", T0, &m), -EINVAL);
	assert_int_equal(store_claim(st, L1, T0, NULL), -EINVAL);
	assert_int_equal(store_set_segments(st, 1, 0), -EINVAL);
	assert_int_equal(store_set_segments(st, 1, 256), -EINVAL);
	assert_int_equal(store_segment_sent(st, 1, 0, 1, T0), -EINVAL);
	assert_int_equal(store_segment_sent(st, 1, 1, 256, T0), -EINVAL);
	assert_int_equal(store_segment_sent(st, 1, 1, -1, T0), -EINVAL);
	assert_int_equal(store_send_failed(st, 1, true, false, -5, NULL, T0), -EINVAL);
	assert_int_equal(store_status_report(st, NULL, 1, P1, 0, 0, T0, 1, &id), -EINVAL);
	assert_int_equal(store_status_report(st, L1, 1, "", 0, 0, T0, 1, &id), -EINVAL);
	assert_int_equal(store_status_report(st, L1, 1, P1, 3, 0, T0, 1, &id), -EINVAL);
	assert_int_equal(store_status_report(st, L1, 1, P1, -1, 0, T0, 1, &id), -EINVAL);
	assert_int_equal(store_status_report(st, L1, 300, P1, 0, 0, T0, 1, &id), -EINVAL);
	assert_int_equal(store_status_report(st, L1, 1, P1, 0, 0, T0, -1, &id), -EINVAL);
	assert_int_equal(store_inbound(st, NULL, T0, &id), -EINVAL);
	part.line = "";
	assert_int_equal(store_inbound(st, &part, T0, &id), -EINVAL);
	part.line = L1;
	part.sender = NULL;
	assert_int_equal(store_inbound(st, &part, T0, &id), -EINVAL);
	part.sender = P1;
	part.text = NULL;
	assert_int_equal(store_inbound(st, &part, T0, &id), -EINVAL);
	part.text = "x";
	part.concat = true;
	part.total = 3;
	part.seq = 4;
	assert_int_equal(store_inbound(st, &part, T0, &id), -EINVAL);
	part.seq = 0;
	assert_int_equal(store_inbound(st, &part, T0, &id), -EINVAL);
	part.seq = 1;
	part.total = 256;
	assert_int_equal(store_inbound(st, &part, T0, &id), -EINVAL);
	part.total = 2;
	part.ref = 70000;
	assert_int_equal(store_inbound(st, &part, T0, &id), -EINVAL);
	assert_int_equal(store_flush_parts(st, T0, -1, NULL, NULL), -EINVAL);
	assert_int_equal(store_get(st, 1, NULL), -EINVAL);
	assert_int_equal(store_get(st, 12345, &m), -ENOENT);
	assert_non_null(strstr(store_error(st), "12345"));
	assert_int_equal(store_list(st, -1, -1, 0, NULL, NULL), -EINVAL);
	assert_int_equal(store_history(st, 1, NULL, NULL), -EINVAL);
	assert_int_equal(store_counts(st, NULL), -EINVAL);
	assert_int_equal(store_sticky_line(st, NULL, line, sizeof(line)), -EINVAL);
	assert_int_equal(store_sticky_line(st, P1, NULL, 0), -EINVAL);
	assert_int_equal(store_cancel(st, 999, T0), -ENOENT);
	assert_int_equal(store_block(st, 999, "x", T0), -ENOENT);
	assert_int_equal(store_hold(st, 999, T0), -ENOENT);
	assert_int_equal(store_retry(st, 999, T0), -ENOENT);
	assert_int_equal(store_set_segments(st, 999, 1), -ENOENT);
	assert_int_equal(store_segment_sent(st, 999, 1, 1, T0), -ENOENT);
	assert_int_equal(store_send_failed(st, 999, false, false, 0, "x", T0), -ENOENT);
	/* nothing above wrote anything */
	assert_int_equal(store_counts(st, counts), 0);
	for (int s = 0; s <= STORE_PARTIAL; s++)
		assert_int_equal(counts[s], 0);
}

static void test_message_free_reusable(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	int64_t a = enqueue(f->st, P1, "first", T0);
	int64_t b = enqueue(f->st, P2, "second", T0);

	assert_int_equal(store_get(f->st, a, &m), 0);
	assert_string_equal(m.text, "first");
	store_message_free(&m);
	assert_null(m.text);
	assert_int_equal(m.id, 0);
	store_message_free(&m);         /* twice is fine */
	assert_int_equal(store_get(f->st, b, &m), 0);
	assert_string_equal(m.text, "second");
	store_message_free(&m);
	/* a failed read leaves it zeroed */
	assert_int_equal(store_get(f->st, 777, &m), -ENOENT);
	assert_null(m.peer);
	store_message_free(&m);
}

/* ---- enqueue ---- */

static void test_enqueue_fields(void **state)
{
	struct fixture *f = *state;
	struct store_new_message nm = {
		.to = P1, .text = "Ünïcödé ✓", .line = L2, .send_at = T0 + 5000,
		.expire_at = T0 + 60000, .priority = 7, .key = "order-1042", .report = true,
		.category = "marketing",
	};
	struct store_message m = { 0 };
	int64_t id = enqueue_full(f->st, &nm, T0);
	struct history h;

	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_int_equal(m.id, id);
	assert_false(m.inbound);
	assert_int_equal(m.state, STORE_QUEUED);
	assert_string_equal(m.peer, P1);
	assert_string_equal(m.want_line, L2);
	assert_null(m.line);
	assert_string_equal(m.text, "Ünïcödé ✓");
	assert_string_equal(m.key, "order-1042");
	assert_string_equal(m.category, "marketing");
	assert_null(m.error);
	assert_int_equal(m.priority, 7);
	assert_true(m.report);
	assert_int_equal(m.attempts, 0);
	assert_int_equal(m.segments, 0);
	assert_int_equal(m.created_at, T0);
	assert_int_equal(m.send_at, T0 + 5000);
	assert_int_equal(m.expire_at, T0 + 60000);
	assert_int_equal(m.updated_at, T0);
	store_message_free(&m);

	/* defaults: due now, transactional, any line */
	id = enqueue(f->st, P2, "plain", T0 + 1);
	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_int_equal(m.send_at, T0 + 1);
	assert_int_equal(m.expire_at, 0);
	assert_string_equal(m.category, "transactional");
	assert_null(m.want_line);
	assert_null(m.key);
	assert_false(m.report);
	store_message_free(&m);
	assert_string_equal(history(f->st, id, &h), "queued");
	assert_int_equal(h.last_at, T0 + 1);
}

static void test_long_text(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	char text[4000];
	int64_t id;

	/* longer than a page: the row spills to overflow pages */
	for (size_t i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char)('a' + i % 26);
	text[sizeof(text) - 1] = '\0';
	id = enqueue(f->st, P1, text, T0);
	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_string_equal(m.text, text);
	store_message_free(&m);
}

static void test_idempotency(void **state)
{
	struct fixture *f = *state;
	struct store_new_message nm = { .to = P1, .text = "once", .key = "k-1" };
	struct store_new_message other = { .to = P2, .text = "different", .key = "k-1",
					   .priority = 9 };
	struct store_message m = { 0 };
	int64_t id, again = 0, counts[STORE_PARTIAL + 1];
	bool existing = false;

	id = enqueue_full(f->st, &nm, T0);
	assert_int_equal(store_enqueue(f->st, &nm, T0 + 1, &again, &existing), 0);
	assert_int_equal(again, id);
	assert_true(existing);
	/* the same key with other content still changes nothing */
	existing = false;
	assert_int_equal(store_enqueue(f->st, &other, T0 + 2, &again, &existing), 0);
	assert_int_equal(again, id);
	assert_true(existing);
	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_string_equal(m.text, "once");
	assert_int_equal(m.priority, 0);
	store_message_free(&m);
	assert_history(f->st, id, "queued");
	assert_int_equal(store_counts(f->st, counts), 0);
	assert_int_equal(counts[STORE_QUEUED], 1);

	/* still the same once it has been sent */
	assert_int_equal(claim(f->st, L1, T0 + 3), id);
	send_segments(f->st, id, 1, 1, T0 + 4);
	assert_int_equal(store_enqueue(f->st, &nm, T0 + 5, &again, &existing), 0);
	assert_int_equal(again, id);
	assert_true(existing);

	/* another key, or none, is another message */
	nm.key = "k-2";
	again = enqueue_full(f->st, &nm, T0 + 6);
	assert_true(again != id);
	nm.key = NULL;
	assert_true(enqueue_full(f->st, &nm, T0 + 7) != again);
	assert_true(enqueue_full(f->st, &nm, T0 + 8) != again);
}

/* ---- claim ---- */

static void test_claim_order(void **state)
{
	struct fixture *f = *state;
	struct store_new_message nm = { .to = P1, .text = "x" };
	int64_t low_old, high_new, high_old, mid_a, mid_b, later, negative;

	nm.priority = -3;
	nm.send_at = T0 - 9000;
	negative = enqueue_full(f->st, &nm, T0 - 9000);
	nm.priority = 0;
	nm.send_at = T0 - 3000;
	low_old = enqueue_full(f->st, &nm, T0 - 3000);
	nm.priority = 5;
	nm.send_at = T0 - 1000;
	high_new = enqueue_full(f->st, &nm, T0 - 1000);
	nm.send_at = T0 - 2000;         /* enqueued after, due before */
	high_old = enqueue_full(f->st, &nm, T0 - 500);
	nm.priority = 1;
	nm.send_at = T0 - 100;
	mid_a = enqueue_full(f->st, &nm, T0 - 100);
	mid_b = enqueue_full(f->st, &nm, T0 - 100);     /* same time: by id */
	nm.priority = 99;
	nm.send_at = T0 + 60000;        /* not due yet, whatever its priority */
	later = enqueue_full(f->st, &nm, T0);

	assert_int_equal(store_next_due(f->st), T0 - 9000);
	assert_int_equal(claim(f->st, L1, T0), high_old);
	assert_int_equal(claim(f->st, L2, T0), high_new);
	assert_int_equal(claim(f->st, L1, T0), mid_a);
	assert_int_equal(claim(f->st, L1, T0), mid_b);
	assert_int_equal(claim(f->st, L1, T0), low_old);
	assert_int_equal(claim(f->st, L1, T0), negative);
	assert_int_equal(claim(f->st, L1, T0), 0);
	assert_int_equal(store_claim(f->st, L1, T0, &(struct store_message){ 0 }), -ENOENT);
	assert_non_null(strstr(store_error(f->st), "nothing is due"));
	assert_int_equal(store_next_due(f->st), T0 + 60000);
	assert_int_equal(claim(f->st, L1, T0 + 59999), 0);
	assert_int_equal(claim(f->st, L1, T0 + 60000), later);
	assert_int_equal(store_next_due(f->st), INT64_MAX);
}

static void test_claim_buckets(void **state)
{
	struct fixture *f = *state;
	struct store_new_message any = { .to = P1, .text = "any line" };
	struct store_new_message mine = { .to = P2, .text = "L1 only", .line = L1 };
	int64_t any_low, mine_mid, any_high, mine_old;

	/* the line's own and any line's queues, merged by the same order */
	any.priority = 0;
	any_low = enqueue_full(f->st, &any, T0);
	mine.priority = 1;
	mine_mid = enqueue_full(f->st, &mine, T0 + 1);
	any.priority = 2;
	any_high = enqueue_full(f->st, &any, T0 + 2);
	mine.priority = 0;
	mine.send_at = T0 - 50;         /* same priority as any_low, due earlier */
	mine_old = enqueue_full(f->st, &mine, T0 + 3);

	assert_int_equal(claim(f->st, L2, T0 + 10), any_high);
	assert_int_equal(claim(f->st, L1, T0 + 10), mine_mid);
	assert_int_equal(claim(f->st, L1, T0 + 10), mine_old);
	assert_int_equal(claim(f->st, L2, T0 + 10), any_low);
	assert_int_equal(claim(f->st, L2, T0 + 10), 0);
}

static void test_claim_fills_message(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	struct history h;
	int64_t id = enqueue(f->st, P1, "hello", T0);

	assert_int_equal(store_claim(f->st, L2, T0 + 10, &m), 0);
	assert_int_equal(m.id, id);
	assert_int_equal(m.state, STORE_SENDING);
	assert_string_equal(m.line, L2);
	assert_string_equal(m.text, "hello");
	assert_int_equal(m.attempts, 1);
	assert_int_equal(m.updated_at, T0 + 10);
	store_message_free(&m);
	history(f->st, id, &h);
	assert_string_equal(h.text, "queued sending");
	assert_non_null(strstr(h.detail, "line " L2 ", attempt 1"));
}

/* ---- the state diagram, edge by edge ---- */

static void test_send_to_sent(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	struct history h;
	int64_t id = enqueue(f->st, P1, "one", T0), id3 = enqueue(f->st, P1, "three", T0 + 1);

	/* queued -> sending -> sent, one segment */
	assert_int_equal(claim(f->st, L1, T0 + 10), id);
	/* store_set_segments comes first */
	assert_int_equal(store_segment_sent(f->st, id, 1, 7, T0 + 11), -EINVAL);
	send_segments(f->st, id, 1, 42, T0 + 20);
	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_int_equal(m.state, STORE_SENT);
	assert_int_equal(m.segments, 1);
	assert_int_equal(m.updated_at, T0 + 20);
	store_message_free(&m);
	history(f->st, id, &h);
	assert_string_equal(h.text, "queued sending sent");
	assert_non_null(strstr(h.detail, "line " L1 ", mr 42"));
	/* not sending any more */
	assert_int_equal(store_segment_sent(f->st, id, 1, 43, T0 + 21), -EPERM);
	assert_int_equal(store_set_segments(f->st, id, 2), -EPERM);
	assert_int_equal(store_send_failed(f->st, id, true, false, T0, "x", T0 + 21), -EPERM);

	/* three segments: sent only after the last, whatever the order */
	assert_int_equal(claim(f->st, L1, T0 + 30), id3);
	assert_int_equal(store_set_segments(f->st, id3, 3), 0);
	assert_int_equal(store_segment_sent(f->st, id3, 4, 1, T0 + 31), -EINVAL);
	assert_int_equal(store_segment_sent(f->st, id3, 2, 101, T0 + 31), 0);
	assert_int_equal(state_of(f->st, id3), STORE_SENDING);
	assert_int_equal(store_segment_sent(f->st, id3, 1, 100, T0 + 32), 0);
	assert_int_equal(store_segment_sent(f->st, id3, 1, 100, T0 + 32), 0); /* repeated */
	assert_int_equal(state_of(f->st, id3), STORE_SENDING);
	assert_int_equal(store_segment_sent(f->st, id3, 3, 102, T0 + 33), 0);
	assert_int_equal(state_of(f->st, id3), STORE_SENT);
	history(f->st, id3, &h);
	assert_string_equal(h.text, "queued sending sent");
	assert_non_null(strstr(h.detail, "3 segments, mr 100,101,102"));
}

static void test_failures(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	int64_t retry = enqueue(f->st, P1, "retry me", T0);
	int64_t done = enqueue(f->st, P1, "no retries left", T0 + 1);
	int64_t perm = enqueue(f->st, P1, "permanent", T0 + 2);

	/* sending -> queued (temporary, with a retry time) */
	assert_int_equal(claim(f->st, L1, T0 + 10), retry);
	assert_int_equal(store_send_failed(f->st, retry, true, false, T0 + 5000, "+CMS ERROR: 500",
					   T0 + 11), 0);
	assert_int_equal(store_get(f->st, retry, &m), 0);
	assert_int_equal(m.state, STORE_QUEUED);
	assert_int_equal(m.send_at, T0 + 5000);
	assert_string_equal(m.error, "+CMS ERROR: 500");
	store_message_free(&m);
	/* not due before its retry time: the others go first */
	assert_int_equal(claim(f->st, L1, T0 + 20), done);
	assert_int_equal(claim(f->st, L1, T0 + 21), perm);
	assert_int_equal(claim(f->st, L1, T0 + 4999), 0);
	assert_int_equal(claim(f->st, L2, T0 + 5000), retry);
	assert_int_equal(store_get(f->st, retry, &m), 0);
	assert_int_equal(m.attempts, 2);
	assert_string_equal(m.line, L2);
	store_message_free(&m);
	send_segments(f->st, retry, 1, 9, T0 + 5001);
	assert_history(f->st, retry, "queued sending queued sending sent");
	/* the last error stays readable */
	assert_int_equal(store_get(f->st, retry, &m), 0);
	assert_string_equal(m.error, "+CMS ERROR: 500");
	store_message_free(&m);

	/* sending -> failed: temporary with no retries left */
	assert_int_equal(store_send_failed(f->st, done, true, false, 0, "network busy", T0 + 30),
			 0);
	assert_int_equal(state_of(f->st, done), STORE_FAILED);
	assert_history(f->st, done, "queued sending failed");

	/* sending -> failed: permanent (error words may be NULL) */
	assert_int_equal(store_send_failed(f->st, perm, false, false, T0 + 99999, NULL, T0 + 31),
			 0);
	assert_int_equal(store_get(f->st, perm, &m), 0);
	assert_int_equal(m.state, STORE_FAILED);
	assert_non_null(m.error);
	store_message_free(&m);
	assert_history(f->st, perm, "queued sending failed");
	assert_int_equal(store_cancel(f->st, perm, T0 + 32), -EPERM);
}

static void test_unknown_held(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	int64_t a = enqueue(f->st, P1, "lost answer, held", T0);
	int64_t b = enqueue(f->st, P1, "lost answer, retried", T0 + 1);
	int64_t c = enqueue(f->st, P1, "held, cancelled", T0 + 2);

	assert_int_equal(claim(f->st, L1, T0 + 10), a);
	assert_int_equal(claim(f->st, L1, T0 + 10), b);
	assert_int_equal(claim(f->st, L1, T0 + 10), c);
	/* sending -> unknown: maybe_sent wins over temporary */
	for (int64_t id = a; id <= c; id++)
		assert_int_equal(store_send_failed(f->st, id, true, true, T0 + 100, "timeout",
						   T0 + 20), 0);
	assert_int_equal(state_of(f->st, a), STORE_UNKNOWN);
	assert_int_equal(claim(f->st, L1, T0 + 1000), 0);     /* unknown is not retried by itself */

	/* unknown -> held, and a person sends it again: held -> queued */
	assert_int_equal(store_hold(f->st, a, T0 + 30), 0);
	assert_int_equal(state_of(f->st, a), STORE_HELD);
	assert_int_equal(store_hold(f->st, a, T0 + 31), -EPERM);
	assert_int_equal(claim(f->st, L1, T0 + 1000), 0);
	assert_int_equal(store_retry(f->st, a, T0 + 2000), 0);
	assert_int_equal(store_get(f->st, a, &m), 0);
	assert_int_equal(m.state, STORE_QUEUED);
	assert_int_equal(m.send_at, T0 + 2000);
	store_message_free(&m);
	assert_history(f->st, a, "queued sending unknown held queued");

	/* unknown -> queued by policy */
	assert_int_equal(store_retry(f->st, b, T0 + 40), 0);
	assert_history(f->st, b, "queued sending unknown queued");
	assert_int_equal(claim(f->st, L2, T0 + 3000), b);  /* due earlier than a */
	assert_int_equal(claim(f->st, L2, T0 + 3000), a);

	/* held -> cancelled */
	assert_int_equal(store_hold(f->st, c, T0 + 50), 0);
	assert_int_equal(store_cancel(f->st, c, T0 + 51), 0);
	assert_history(f->st, c, "queued sending unknown held cancelled");
	assert_int_equal(store_retry(f->st, c, T0 + 52), -EPERM);
	assert_non_null(strstr(store_error(f->st), "cancelled"));
}

static void test_expire_block_cancel(void **state)
{
	struct fixture *f = *state;
	struct store_new_message nm = { .to = P1, .text = "x" };
	int64_t e1, e2, e3, keep, blocked, cancelled, sblocked, sent;

	nm.expire_at = T0 + 100;
	e1 = enqueue_full(f->st, &nm, T0);
	e2 = enqueue_full(f->st, &nm, T0);
	nm.send_at = T0 + 50;
	e3 = enqueue_full(f->st, &nm, T0);
	nm.expire_at = T0 + 10000;
	nm.send_at = 0;
	keep = enqueue_full(f->st, &nm, T0);
	nm.expire_at = 0;
	blocked = enqueue_full(f->st, &nm, T0);
	cancelled = enqueue_full(f->st, &nm, T0);
	sblocked = enqueue_full(f->st, &nm, T0);
	sent = enqueue_full(f->st, &nm, T0);

	/* queued -> expired by store_expire */
	assert_int_equal(store_expire(f->st, T0 + 99), 0);
	assert_int_equal(store_expire(f->st, T0 + 100), 3);
	assert_int_equal(state_of(f->st, e1), STORE_EXPIRED);
	assert_int_equal(state_of(f->st, e3), STORE_EXPIRED);
	assert_history(f->st, e2, "queued expired");
	assert_int_equal(state_of(f->st, keep), STORE_QUEUED);
	assert_int_equal(store_expire(f->st, T0 + 200), 0);

	/* queued -> expired by the claim that finds it due */
	assert_int_equal(claim(f->st, L1, T0 + 10000), blocked);
	assert_int_equal(state_of(f->st, keep), STORE_EXPIRED);
	assert_history(f->st, keep, "queued expired");

	/* sending -> blocked (the pre-send check) */
	assert_int_equal(store_block(f->st, blocked, "opted out", T0 + 10001), 0);
	assert_history(f->st, blocked, "queued sending blocked");

	/* queued -> blocked, with the reason kept */
	{
		struct store_message m = { 0 };

		assert_int_equal(store_block(f->st, sblocked, "quiet hours", T0 + 10002), 0);
		assert_int_equal(store_get(f->st, sblocked, &m), 0);
		assert_int_equal(m.state, STORE_BLOCKED);
		assert_string_equal(m.error, "quiet hours");
		store_message_free(&m);
		assert_history(f->st, sblocked, "queued blocked");
	}

	/* queued -> cancelled; then nothing else */
	assert_int_equal(store_cancel(f->st, cancelled, T0 + 10003), 0);
	assert_history(f->st, cancelled, "queued cancelled");
	assert_int_equal(store_cancel(f->st, cancelled, T0 + 10004), -EPERM);
	assert_int_equal(store_block(f->st, cancelled, NULL, T0 + 10004), -EPERM);

	/* past sending, neither cancel nor block */
	assert_int_equal(claim(f->st, L1, T0 + 10005), sent);
	send_segments(f->st, sent, 1, 1, T0 + 10006);
	assert_int_equal(store_cancel(f->st, sent, T0 + 10007), -EPERM);
	assert_int_equal(store_block(f->st, sent, "late", T0 + 10007), -EPERM);
	assert_int_equal(store_hold(f->st, sent, T0 + 10007), -EPERM);
	assert_int_equal(store_retry(f->st, sent, T0 + 10007), -EPERM);
	assert_int_equal(claim(f->st, L1, T0 + 20000), 0);
}

/* ---- sticky line ---- */

static void test_sticky_line(void **state)
{
	struct fixture *f = *state;
	struct store_inbound_part in = { .line = L2, .sender = P1, .text = "hi, it's me",
					 .sent_at = T0 };
	struct store_new_message nm = { .to = P1, .text = "reply" };
	struct store_message m = { 0 };
	char line[32];
	int64_t id, any, pinned, in_id;

	/* P1 wrote to L2: a reply without a line waits for L2 */
	assert_int_equal(store_inbound(f->st, &in, T0, &in_id), 0);
	assert_true(in_id > 0);
	assert_int_equal(store_sticky_line(f->st, P1, line, sizeof(line)), 0);
	assert_string_equal(line, L2);
	id = enqueue_full(f->st, &nm, T0 + 10);
	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_string_equal(m.want_line, L2);
	assert_null(m.line);
	store_message_free(&m);
	{
		struct history h;

		history(f->st, id, &h);
		assert_non_null(strstr(h.detail, "sticky line " L2));
	}
	/* P3 never talked to us: any line */
	any = enqueue(f->st, P3, "cold", T0 + 11);
	assert_int_equal(store_sticky_line(f->st, P3, line, sizeof(line)), 0);
	assert_string_equal(line, "");
	/* an explicit line beats the sticky one */
	nm.line = L3;
	pinned = enqueue_full(f->st, &nm, T0 + 12);
	nm.line = NULL;

	/* L1 gets the one for any line and waits rather than take the others */
	assert_int_equal(claim(f->st, L1, T0 + 20), any);
	assert_int_equal(claim(f->st, L1, T0 + 20), 0);
	assert_int_equal(claim(f->st, L3, T0 + 20), pinned);
	assert_int_equal(claim(f->st, L2, T0 + 20), id);
	send_segments(f->st, id, 1, 1, T0 + 30);

	/* the line of the last message sent counts too, and the latest wins */
	send_segments(f->st, pinned, 1, 2, T0 + 40);     /* to P1 via L3, after the inbound */
	assert_int_equal(store_sticky_line(f->st, P1, line, sizeof(line)), 0);
	assert_string_equal(line, L3);
	in.line = L1;
	assert_int_equal(store_inbound(f->st, &in, T0 + 50, &in_id), 0);
	assert_int_equal(store_sticky_line(f->st, P1, line, sizeof(line)), 0);
	assert_string_equal(line, L1);
	/* P3's message went through L1: now sticky too */
	send_segments(f->st, any, 1, 3, T0 + 60);
	assert_int_equal(store_sticky_line(f->st, P3, line, sizeof(line)), 0);
	assert_string_equal(line, L1);
	/* too small a buffer */
	assert_int_equal(store_sticky_line(f->st, P3, line, 4), -EMSGSIZE);
	assert_string_equal(line, "");
}

/* ---- status reports ---- */

static int64_t sent_message(struct store *st, const char *to, const char *line, int segments,
			    int mr0, bool report, int64_t now)
{
	struct store_new_message nm = { .to = to, .text = "x", .line = line, .report = report };
	int64_t id = enqueue_full(st, &nm, now);

	assert_int_equal(claim(st, line, now), id);
	send_segments(st, id, segments, mr0, now);
	assert_int_equal(state_of(st, id), STORE_SENT);
	return id;
}

static void test_status_reports(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	const int64_t W = 60000;
	int64_t a, b, c, d, multi, failed, id = -1;
	struct store_message m = { 0 };
	struct history h;

	/* one segment, delivered */
	a = sent_message(st, P1, L1, 1, 5, true, T0);
	assert_int_equal(store_status_report(st, L1, 5, P1, SMS_STATUS_DELIVERED, 0x00, T0 + 1000,
					     W, &id), 0);
	assert_int_equal(id, a);
	assert_int_equal(state_of(st, a), STORE_DELIVERED);
	history(st, a, &h);
	assert_string_equal(h.text, "queued sending sent delivered");
	assert_non_null(strstr(h.detail, "segment 1 of 1: delivered, TP-ST 0x00"));
	/* a second report for it only records */
	assert_int_equal(store_status_report(st, L1, 5, P1, SMS_STATUS_FAILED, 0x41, T0 + 1001, W,
					     &id), 0);
	assert_int_equal(state_of(st, a), STORE_DELIVERED);

	/* the window: too late is no match; the mismatches are no match */
	b = sent_message(st, P1, L1, 1, 6, true, T0);
	assert_int_equal(store_status_report(st, L1, 6, P1, 0, 0, T0 + W + 1, W, &id), -ENOENT);
	assert_int_equal(id, 0);
	assert_true(strlen(store_error(st)) > 0);
	assert_int_equal(store_status_report(st, L2, 6, P1, 0, 0, T0 + 1, W, &id), -ENOENT);
	assert_int_equal(store_status_report(st, L1, 6, P2, 0, 0, T0 + 1, W, &id), -ENOENT);
	assert_int_equal(store_status_report(st, L1, 7, P1, 0, 0, T0 + 1, W, &id), -ENOENT);
	assert_int_equal(state_of(st, b), STORE_SENT);
	assert_int_equal(store_status_report(st, L1, 6, P1, 0, 0, T0 + W, W, &id), 0);
	assert_int_equal(id, b);

	/* TP-MR came round: the newest segment with it wins */
	c = sent_message(st, P2, L1, 1, 8, true, T0 + 100);
	d = sent_message(st, P2, L1, 1, 8, true, T0 + 200);
	assert_int_equal(store_status_report(st, L1, 8, P2, 0, 0, T0 + 300, W, &id), 0);
	assert_int_equal(id, d);
	assert_int_equal(state_of(st, c), STORE_SENT);
	assert_int_equal(state_of(st, d), STORE_DELIVERED);

	/* three segments: delivered once all three are, pending only records */
	multi = sent_message(st, P3, L2, 3, 254, true, T0);      /* mr 254, 255, 0 */
	assert_int_equal(store_status_report(st, L2, 254, P3, 0, 0x00, T0 + 10, W, &id), 0);
	assert_int_equal(id, multi);
	assert_int_equal(state_of(st, multi), STORE_SENT);
	assert_int_equal(store_status_report(st, L2, 255, P3, SMS_STATUS_PENDING, 0x20, T0 + 11, W,
					     &id), 0);
	assert_int_equal(state_of(st, multi), STORE_SENT);
	assert_int_equal(store_status_report(st, L2, 0, P3, 0, 0x00, T0 + 12, W, &id), 0);
	assert_int_equal(state_of(st, multi), STORE_SENT);
	assert_int_equal(store_status_report(st, L2, 255, P3, 0, 0x00, T0 + 13, W, &id), 0);
	assert_int_equal(state_of(st, multi), STORE_DELIVERED);
	assert_history(st, multi, "queued sending sent delivered");

	/* one failed segment fails the message */
	failed = sent_message(st, P3, L3, 2, 30, true, T0);
	assert_int_equal(store_status_report(st, L3, 31, P3, SMS_STATUS_FAILED, 0x41, T0 + 5, W,
					     &id), 0);
	assert_int_equal(store_get(st, failed, &m), 0);
	assert_int_equal(m.state, STORE_FAILED);
	assert_non_null(m.error);
	store_message_free(&m);
	history(st, failed, &h);
	assert_string_equal(h.text, "queued sending sent failed");
	assert_non_null(strstr(h.detail, "segment 2 of 2: failed, TP-ST 0x41"));
}

static void test_early_reports(void **state)
{
	struct fixture *f = *state;
	struct store *st = f->st;
	struct store_new_message nm = { .to = P1, .text = "x", .report = true };
	int64_t ok, bad, id;

	/* the SC answers segment 1 before the modem accepted segment 2 */
	ok = enqueue_full(st, &nm, T0);
	bad = enqueue_full(st, &nm, T0);
	assert_int_equal(claim(st, L1, T0), ok);
	assert_int_equal(store_set_segments(st, ok, 2), 0);
	assert_int_equal(store_segment_sent(st, ok, 1, 20, T0 + 1), 0);
	assert_int_equal(store_status_report(st, L1, 20, P1, 0, 0, T0 + 2, 60000, &id), 0);
	assert_int_equal(id, ok);
	assert_int_equal(state_of(st, ok), STORE_SENDING);
	assert_int_equal(store_segment_sent(st, ok, 2, 21, T0 + 3), 0);
	assert_int_equal(state_of(st, ok), STORE_SENT);
	assert_int_equal(store_status_report(st, L1, 21, P1, 0, 0, T0 + 4, 60000, &id), 0);
	assert_int_equal(state_of(st, ok), STORE_DELIVERED);

	assert_int_equal(claim(st, L1, T0), bad);
	assert_int_equal(store_set_segments(st, bad, 2), 0);
	assert_int_equal(store_segment_sent(st, bad, 1, 22, T0 + 1), 0);
	assert_int_equal(store_status_report(st, L1, 22, P1, SMS_STATUS_FAILED, 0x45, T0 + 2, 60000,
					     &id), 0);
	assert_int_equal(state_of(st, bad), STORE_SENDING);
	assert_int_equal(store_segment_sent(st, bad, 2, 23, T0 + 3), 0);
	assert_int_equal(state_of(st, bad), STORE_FAILED);
	assert_history(st, bad, "queued sending sent failed");
}

/* ---- inbound ---- */

static void test_inbound_single(void **state)
{
	struct fixture *f = *state;
	struct store_inbound_part p = { .line = L1, .sender = P1, .text = "Yes please",
					.pdu_hex = "07911326040000F0040B91", .sent_at = T0 - 5000 };
	struct store_message m = { 0 };
	int64_t id = 0, one = 0;

	assert_int_equal(store_inbound(f->st, &p, T0, &id), 0);
	assert_true(id > 0);
	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_true(m.inbound);
	assert_int_equal(m.state, STORE_RECEIVED);
	assert_string_equal(m.peer, P1);
	assert_string_equal(m.line, L1);
	assert_string_equal(m.text, "Yes please");
	assert_null(m.category);
	assert_int_equal(m.segments, 1);
	assert_int_equal(m.send_at, T0 - 5000);
	assert_int_equal(m.created_at, T0);
	store_message_free(&m);
	assert_history(f->st, id, "received");
	/* the same PDU handed over again (a crash between commit and AT+CMGD): nothing new */
	int64_t again = -1;
	assert_int_equal(store_inbound(f->st, &p, T0 + 10, &again), 0);
	assert_int_equal(again, 0);
	/* a "set" of one part is a message at once; so is an empty text */
	p.pdu_hex = "07911326040000F0040B92";
	p.concat = true;
	p.total = 1;
	p.seq = 1;
	p.text = "";
	assert_int_equal(store_inbound(f->st, &p, T0, &one), 0);
	assert_true(one > id);
	/* received messages are never claimed */
	assert_int_equal(claim(f->st, L1, T0 + 1), 0);
}

static void add_part(struct store *st, const char *line, const char *sender, int ref, int total,
		     int seq, const char *text, int64_t now, int64_t *id)
{
	char pdu[160];
	struct store_inbound_part p = {
		.line = line, .sender = sender, .text = text, .pdu_hex = pdu, .concat = true,
		.ref = ref, .total = total, .seq = seq, .sent_at = T0 - 1000 * seq,
	};

	/* distinct parts are distinct PDUs; the same PDU twice is a re-read */
	snprintf(pdu, sizeof(pdu), "PDU-%s-%s-%d-%d-%d-%s", line, sender, ref, total, seq, text);
	if (store_inbound(st, &p, now, id) != 0)
		fail_msg("store_inbound: %s", store_error(st));
}

static void test_reassembly(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	int64_t id = -1, other = -1;
	int64_t counts[STORE_PARTIAL + 1];

	/* out of order, a repeat, and an unrelated set with the same reference */
	add_part(f->st, L1, P1, 42, 3, 3, "ccc.", T0, &id);
	assert_int_equal(id, 0);
	add_part(f->st, L1, P2, 42, 3, 1, "other ", T0, &other);
	assert_int_equal(other, 0);
	add_part(f->st, L1, P1, 42, 3, 1, "aaa ", T0 + 1, &id);
	assert_int_equal(id, 0);
	add_part(f->st, L1, P1, 42, 3, 1, "AAA REPEAT ", T0 + 2, &id);
	assert_int_equal(id, 0);
	add_part(f->st, L1, P1, 42, 2, 2, "a different set: other total", T0 + 2, &id);
	assert_int_equal(id, 0);
	add_part(f->st, L2, P1, 42, 3, 2, "a different set: other line", T0 + 2, &id);
	assert_int_equal(id, 0);
	add_part(f->st, L1, P1, 42, 3, 2, "bbb ", T0 + 3, &id);
	assert_true(id > 0);

	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_true(m.inbound);
	assert_int_equal(m.state, STORE_RECEIVED);
	assert_string_equal(m.text, "aaa bbb ccc.");
	assert_int_equal(m.segments, 3);
	assert_int_equal(m.send_at, T0 - 1000);        /* part 1's timestamp */
	assert_int_equal(m.created_at, T0 + 3);
	store_message_free(&m);
	assert_history(f->st, id, "received");
	assert_int_equal(store_counts(f->st, counts), 0);
	assert_int_equal(counts[STORE_RECEIVED], 1);

	/* the set's parts are gone: its part seen again starts a new set */
	add_part(f->st, L1, P1, 42, 3, 3, "ccc.", T0 + 4, &id);
	assert_int_equal(id, 0);
}

static void test_parts_survive_reopen(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	int64_t id = -1;

	add_part(f->st, L1, P1, 300, 2, 2, "world", T0, &id);
	assert_int_equal(id, 0);
	store_close(f->st);
	f->st = store_file_open(f->path);
	add_part(f->st, L1, P1, 300, 2, 2, "world", T0 + 1, &id);   /* still a repeat */
	assert_int_equal(id, 0);
	add_part(f->st, L1, P1, 300, 2, 1, "hello ", T0 + 2, &id);
	assert_true(id > 0);
	assert_int_equal(store_get(f->st, id, &m), 0);
	assert_string_equal(m.text, "hello world");
	store_message_free(&m);
}

struct flushed {
	int64_t ids[8];
	int n;
};

static void on_flushed(void *ctx, int64_t id)
{
	struct flushed *fl = ctx;

	if (fl->n < 8)
		fl->ids[fl->n] = id;
	fl->n++;
}

static void test_flush_parts(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	struct flushed fl = { 0 };
	struct history h;
	int64_t id = -1;

	/* parts 1 and 3 of 5; part 2 of 2 alone; a fresh set */
	add_part(f->st, L1, P1, 7, 5, 3, "three", T0 + 10, &id);
	add_part(f->st, L1, P1, 7, 5, 1, "one", T0, &id);
	add_part(f->st, L1, P2, 8, 2, 2, "two", T0, &id);
	add_part(f->st, L1, P3, 9, 2, 1, "fresh", T0 + 50000, &id);

	assert_int_equal(store_flush_parts(f->st, T0 + 30000, 30000, on_flushed, &fl), 0);
	assert_int_equal(fl.n, 0);
	assert_int_equal(store_flush_parts(f->st, T0 + 30001, 30000, on_flushed, &fl), 2);
	assert_int_equal(fl.n, 2);

	for (int i = 0; i < 2; i++) {
		assert_int_equal(store_get(f->st, fl.ids[i], &m), 0);
		assert_true(m.inbound);
		assert_int_equal(m.state, STORE_PARTIAL);
		if (strcmp(m.peer, P1) == 0) {
			assert_string_equal(m.text, "one" GAP "three" GAP);
			assert_int_equal(m.segments, 2);
			history(f->st, m.id, &h);
			assert_string_equal(h.text, "partial");
			assert_string_equal(h.detail, "parts 1,3 of 5");
		} else {
			assert_string_equal(m.peer, P2);
			assert_string_equal(m.text, GAP "two");
		}
		store_message_free(&m);
	}
	/* the fresh set waits for its own timeout; a NULL cb is fine */
	assert_int_equal(store_flush_parts(f->st, T0 + 60000, 30000, NULL, NULL), 0);
	assert_int_equal(store_flush_parts(f->st, T0 + 80001, 30000, NULL, NULL), 1);
	assert_int_equal(store_flush_parts(f->st, T0 + 999999, 30000, NULL, NULL), 0);
}

/* ---- reading, counting, purging ---- */

struct listing {
	struct store *st;
	int64_t ids[16];
	int n;
	int stop_after;
	int histories;
};

static int on_list(void *ctx, const struct store_message *m)
{
	struct listing *l = ctx;
	struct history h;

	if (l->n < 16)
		l->ids[l->n] = m->id;
	l->n++;
	/* reading the store from inside the callback works */
	if (l->st && strlen(history(l->st, m->id, &h)) > 0)
		l->histories++;
	return l->stop_after && l->n >= l->stop_after;
}

static void test_list_and_counts(void **state)
{
	struct fixture *f = *state;
	struct store_inbound_part in = { .line = L1, .sender = P2, .text = "in" };
	struct listing l = { .st = f->st };
	int64_t counts[STORE_PARTIAL + 1];
	int64_t a = enqueue(f->st, P1, "a", T0), b = enqueue(f->st, P1, "b", T0);
	int64_t c = enqueue(f->st, P1, "c", T0), in_id;

	assert_int_equal(store_inbound(f->st, &in, T0, &in_id), 0);
	assert_int_equal(claim(f->st, L1, T0), a);
	assert_int_equal(store_cancel(f->st, c, T0), 0);

	assert_int_equal(store_list(f->st, -1, -1, 0, on_list, &l), 4);
	assert_int_equal(l.ids[0], in_id);              /* newest first */
	assert_int_equal(l.ids[3], a);
	assert_int_equal(l.histories, 4);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_list(f->st, STORE_QUEUED, -1, 0, on_list, &l), 1);
	assert_int_equal(l.ids[0], b);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_list(f->st, -1, 1, 0, on_list, &l), 1);
	assert_int_equal(l.ids[0], in_id);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_list(f->st, -1, 0, 2, on_list, &l), 2);
	assert_int_equal(l.ids[0], c);
	memset(&l, 0, sizeof(l));
	l.stop_after = 1;
	assert_int_equal(store_list(f->st, -1, -1, 0, on_list, &l), 1);
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_list(f->st, STORE_DELIVERED, -1, 0, on_list, &l), 0);
	assert_int_equal(store_list(f->st, 99, -1, 0, on_list, &l), -EINVAL);
	assert_int_equal(store_list(f->st, -1, 2, 0, on_list, &l), -EINVAL);
	assert_int_equal(store_list(f->st, -1, -1, -1, on_list, &l), -EINVAL);

	assert_int_equal(store_counts(f->st, counts), 0);
	assert_int_equal(counts[STORE_QUEUED], 1);
	assert_int_equal(counts[STORE_SENDING], 1);
	assert_int_equal(counts[STORE_CANCELLED], 1);
	assert_int_equal(counts[STORE_RECEIVED], 1);
	assert_int_equal(counts[STORE_SENT], 0);
	assert_int_equal(store_history(f->st, 4242, on_history, &(struct history){ 0 }), -ENOENT);
}

static void test_purge(void **state)
{
	struct fixture *f = *state;
	struct store_inbound_part in = { .line = L1, .sender = P2, .text = "secret reply",
					 .pdu_hex = "0011AA" };
	struct store_message m = { 0 };
	int64_t old_sent, queued, recent, in_id;

	old_sent = sent_message(f->st, P1, L1, 1, 1, true, T0);
	assert_int_equal(store_status_report(f->st, L1, 1, P1, 0, 0, T0 + 10, 60000, NULL), 0);
	queued = enqueue_full(f->st, &(struct store_new_message){ .to = P3, .text = "still waiting",
								  .line = L2 }, T0);
	assert_int_equal(store_inbound(f->st, &in, T0, &in_id), 0);
	recent = sent_message(f->st, P1, L1, 1, 2, false, T0 + 100000);

	assert_int_equal(store_purge_bodies(f->st, T0 + 50000), 2);
	assert_int_equal(store_purge_bodies(f->st, T0 + 50000), 0);     /* nothing left to purge */
	assert_int_equal(store_get(f->st, old_sent, &m), 0);
	assert_null(m.text);
	assert_int_equal(m.state, STORE_DELIVERED);
	assert_string_equal(m.peer, P1);
	store_message_free(&m);
	assert_history(f->st, old_sent, "queued sending sent delivered");
	assert_int_equal(store_get(f->st, in_id, &m), 0);
	assert_null(m.text);
	store_message_free(&m);
	assert_history(f->st, in_id, "received");
	assert_int_equal(store_get(f->st, queued, &m), 0);
	assert_string_equal(m.text, "still waiting");
	store_message_free(&m);
	assert_int_equal(store_get(f->st, recent, &m), 0);
	assert_string_equal(m.text, "x");
	store_message_free(&m);
}

static void test_sync(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_sync(f->st), 0);
	enqueue(f->st, P1, "durable", T0);
	assert_int_equal(store_sync(f->st), 0);
}

/* ---- two claimers ---- */

static void mark_seen(char *seen, int64_t id, int max, int *claimed)
{
	if (!id)
		return;
	assert_in_range(id, 1, max);
	assert_int_equal(seen[id], 0);  /* never claimed twice */
	seen[id] = 1;
	++*claimed;
}

static void test_two_handles(void **state)
{
	struct fixture *f = *state;
	struct store *other = store_file_open(f->path);
	char seen[201] = { 0 };
	int claimed = 0;

	for (int i = 0; i < 200; i++)
		enqueue(i % 2 ? other : f->st, P1, "x", T0 + i);
	/* interleaved: each sees the other's claims at once */
	for (;;) {
		int64_t a = claim(f->st, L1, T0 + 1000);
		int64_t b = claim(other, L2, T0 + 1000);

		if (!a && !b)
			break;
		mark_seen(seen, a, 200, &claimed);
		mark_seen(seen, b, 200, &claimed);
	}
	assert_int_equal(claimed, 200);
	store_close(other);
}

/* Claims until nothing is due, writing each id to fd; -1 if a claim failed otherwise. */
static int claim_all(struct store *st, const char *line, int fd)
{
	struct store_message m = { 0 };
	int n = 0, rc;

	while ((rc = store_claim(st, line, T0 + 10000, &m)) == 0) {
		if (write(fd, &m.id, sizeof(m.id)) != (ssize_t)sizeof(m.id))
			return -1;
		store_message_free(&m);
		n++;
	}
	return rc == -ENOENT ? n : -1;
}

static void test_two_processes(void **state)
{
	struct fixture *f = *state;
	enum { N = 1000 };
	char seen[N + 1] = { 0 };
	int fds[2], ready[2], parent_fds[2], status, total = 0, mine;
	int64_t id;
	pid_t pid;
	char go;

	for (int i = 0; i < N; i++)
		enqueue(f->st, P1, "x", T0 + i);
	/*
	 * No handle open across fork(): the child would inherit SQLite's
	 * per-process lock bookkeeping for the file without the locks.
	 */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* the child opens its own handle, says so, and claims */
		struct store *st = NULL;
		int rc = 1;

		close(fds[0]);
		close(ready[0]);
		if (store_open(f->path, &st, NULL, 0) == 0) {
			rc = write(ready[1], "r", 1) == 1 && claim_all(st, L2, fds[1]) >= 0 ? 0 : 1;
			store_close(st);
		}
		close(fds[1]);
		close(ready[1]);
		_exit(rc);
	}
	close(fds[1]);
	close(ready[1]);
	/* the parent claims at the same time, through its own handle */
	f->st = store_file_open(f->path);
	assert_int_equal(read(ready[0], &go, 1), 1);
	close(ready[0]);
	assert_int_equal(pipe(parent_fds), 0);
	mine = claim_all(f->st, L1, parent_fds[1]);
	close(parent_fds[1]);
	assert_true(mine >= 0);
	while (read(parent_fds[0], &id, sizeof(id)) == (ssize_t)sizeof(id))
		mark_seen(seen, id, N, &total);
	close(parent_fds[0]);
	while (read(fds[0], &id, sizeof(id)) == (ssize_t)sizeof(id))
		mark_seen(seen, id, N, &total);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(total, N);
}

/*
 * A child that claims two messages, sends one, is in the middle of the
 * other when it is killed: no close, no cleanup, as in a crash.
 */
static void crash_while_sending(const char *path)
{
	int ready[2], status;
	pid_t pid;
	char c = 0;

	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st = NULL;
		struct store_message m = { 0 };

		close(ready[0]);
		if (store_open(path, &st, NULL, 0) != 0 || store_claim(st, L1, T0 + 1, &m) != 0 ||
		    store_set_segments(st, m.id, 1) != 0 ||
		    store_segment_sent(st, m.id, 1, 9, T0 + 2) != 0)
			_exit(1);
		store_message_free(&m);
		if (store_claim(st, L1, T0 + 3, &m) != 0 || store_set_segments(st, m.id, 2) != 0 ||
		    store_segment_sent(st, m.id, 1, 10, T0 + 4) != 0)
			_exit(1);
		if (write(ready[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

static void test_recover_after_crash(void **state)
{
	struct fixture *f = *state;
	struct store_message m = { 0 };
	struct history h;
	int64_t a, b, c;

	a = enqueue(f->st, P1, "sent before the crash", T0);
	b = enqueue(f->st, P1, "at the modem in the crash", T0);
	c = enqueue(f->st, P1, "untouched", T0);
	store_close(f->st);
	f->st = NULL;
	crash_while_sending(f->path);

	f->st = store_file_open(f->path);
	assert_int_equal(state_of(f->st, a), STORE_SENT);
	assert_int_equal(state_of(f->st, b), STORE_SENDING);
	assert_int_equal(store_recover(f->st, false, T0 + 100), 1);
	assert_int_equal(store_get(f->st, b, &m), 0);
	assert_int_equal(m.state, STORE_UNKNOWN);
	assert_int_equal(m.attempts, 1);
	store_message_free(&m);
	history(f->st, b, &h);
	assert_string_equal(h.text, "queued sending unknown");
	assert_int_equal(h.last_at, T0 + 100);
	assert_int_equal(state_of(f->st, c), STORE_QUEUED);
	assert_int_equal(store_recover(f->st, false, T0 + 101), 0);
	/* and the daemon goes on: c is next, b waits for a decision */
	assert_int_equal(claim(f->st, L1, T0 + 200), c);
	assert_int_equal(claim(f->st, L1, T0 + 200), 0);

	/* again, with requeue: straight back to the queue */
	store_close(f->st);
	f->st = NULL;
	store_file_remove(f->path);
	f->st = store_file_open(f->path);
	a = enqueue(f->st, P1, "sent before the crash", T0);
	b = enqueue(f->st, P1, "at the modem in the crash", T0);
	store_close(f->st);
	f->st = NULL;
	crash_while_sending(f->path);
	f->st = store_file_open(f->path);
	assert_int_equal(store_recover(f->st, true, T0 + 100), 1);
	assert_history(f->st, b, "queued sending unknown queued");
	assert_int_equal(claim(f->st, L1, T0 + 200), b);
	assert_int_equal(store_get(f->st, b, &m), 0);
	assert_int_equal(m.attempts, 2);
	store_message_free(&m);
	assert_int_equal(state_of(f->st, a), STORE_SENT);
}

/* ---- files and migrations ---- */

static int64_t pragma_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void pragma_text(const char *path, const char *sql, char *out, size_t size)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	out[0] = '\0';
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_file_settings(void **state)
{
	struct fixture *f = *state;
	char wal[80];
	struct stat sb;

	enqueue(f->st, P1, "x", T0);
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_string_equal(store_error(f->st), "");
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(pragma_int(f->path, "PRAGMA user_version"), store_schema_version());
	f->st = store_file_open(f->path);
}

static void test_migrate_empty_file(void **state)
{
	char path[64];
	struct store *st;
	struct stat sb;
	int64_t id;

	(void)state;
	/* mkstemp's empty file: user_version 0, no tables */
	store_file_new(path, sizeof(path), "store");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	st = store_file_open(path);
	id = enqueue(st, P1, "kept across opens", T0);
	store_close(st);
	assert_int_equal(pragma_int(path, "PRAGMA user_version"), store_schema_version());
	{
		char mode[16];

		pragma_text(path, "PRAGMA journal_mode", mode, sizeof(mode));
		assert_string_equal(mode, "wal");
	}
	assert_int_equal(pragma_int(path, "SELECT count(*) FROM sqlite_schema"
				    " WHERE name = 'parts'"), 1);

	/* a file at the current version opens as it is */
	st = store_file_open(path);
	assert_int_equal(state_of(st, id), STORE_QUEUED);
	store_close(st);
	assert_int_equal(pragma_int(path, "PRAGMA user_version"), store_schema_version());
	store_file_remove(path);
}

static void test_refuse_files(void **state)
{
	static char sentinel;
	char path[64], err[256];
	struct store *st;
	FILE *fp;

	(void)state;
	/* a schema newer than this build */
	store_file_new(path, sizeof(path), "store");
	st = store_file_open(path);
	store_close(st);
	exec_sql(path, "PRAGMA user_version = 99");
	st = (struct store *)(void *)&sentinel;        /* must come back NULL */
	assert_int_equal(store_open(path, &st, err, sizeof(err)), -EPROTO);
	assert_null(st);
	assert_non_null(strstr(err, "newer"));
	assert_non_null(strstr(err, "99"));
	assert_int_equal(pragma_int(path, "PRAGMA user_version"), 99);  /* untouched */
	store_file_remove(path);

	/* somebody else's database */
	store_file_new(path, sizeof(path), "store");
	exec_sql(path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
	assert_int_equal(store_open(path, &st, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "not parley's"));
	assert_int_equal(pragma_int(path, "SELECT count(*) FROM sqlite_schema"), 1);
	store_file_remove(path);

	/* not a database at all */
	store_file_new(path, sizeof(path), "store");
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (int i = 0; i < 200; i++)
		fputs("this is not an SQLite file. ", fp);
	fclose(fp);
	assert_int_equal(store_open(path, &st, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, path));
	store_file_remove(path);

	/* a directory that does not exist */
	assert_int_equal(store_open("/nonexistent-parley-dir/x.db", &st, err, sizeof(err)), -EIO);
	assert_true(strlen(err) > 0);
}

#define BOTH(t) \
	cmocka_unit_test_setup_teardown(t, setup_file, teardown), \
	cmocka_unit_test_setup_teardown(t, setup_memory, teardown)
#define FILE_ONLY(t) cmocka_unit_test_setup_teardown(t, setup_file, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names),
		BOTH(test_bad_arguments),
		BOTH(test_message_free_reusable),
		BOTH(test_enqueue_fields),
		BOTH(test_long_text),
		BOTH(test_idempotency),
		BOTH(test_claim_order),
		BOTH(test_claim_buckets),
		BOTH(test_claim_fills_message),
		BOTH(test_send_to_sent),
		BOTH(test_failures),
		BOTH(test_unknown_held),
		BOTH(test_expire_block_cancel),
		BOTH(test_sticky_line),
		BOTH(test_status_reports),
		BOTH(test_early_reports),
		BOTH(test_inbound_single),
		BOTH(test_reassembly),
		FILE_ONLY(test_parts_survive_reopen),
		BOTH(test_flush_parts),
		BOTH(test_list_and_counts),
		BOTH(test_purge),
		BOTH(test_sync),
		FILE_ONLY(test_two_handles),
		FILE_ONLY(test_two_processes),
		FILE_ONLY(test_recover_after_crash),
		FILE_ONLY(test_file_settings),
		cmocka_unit_test(test_migrate_empty_file),
		cmocka_unit_test(test_refuse_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
