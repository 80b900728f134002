/*
 * The store's consent side on a real SQLite file: the ledger is append-only
 * even against raw SQL, retention, the gate refusing at enqueue and blocking
 * or deferring inside the claim, the consent flow's replies passing the gate,
 * settling an inbound message atomically, counts for caps, and an old
 * database's messages not re-read for keywords after the migration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parley/store.h"
#include "support/store_files.h"
#include "parley/store_consent.h"

#define T0 1700000000000LL
#define L1 "+447700900001"
#define L2 "+447700900002"
#define P1 "+447700900101"
#define P2 "+447700900102"
#define DAY 86400000LL

struct fixture {
	char path[64];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	store_file_new(f->path, sizeof(f->path), "consent");
	f->st = store_file_open(f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	store_file_remove(f->path);
	free(f);
	return 0;
}

static struct store_consent_record rec(const char *number, const char *action,
				       const char *scope, const char *name, int64_t at)
{
	struct store_consent_record r = {
		.number = number, .action = action, .scope = scope, .scope_name = name,
		.category = "all", .method = "keyword", .disclosure = "STOP", .recorded_by = "test",
		.at = at,
	};
	return r;
}

struct rows {
	int n;
	char actions[8][8];
	int64_t ids[8], message_ids[8];
};

static int collect(void *ctx, const struct store_consent_record *r)
{
	struct rows *rows = ctx;

	if (rows->n < 8) {
		snprintf(rows->actions[rows->n], sizeof(rows->actions[0]), "%s", r->action);
		rows->ids[rows->n] = r->id;
		rows->message_ids[rows->n] = r->message_id;
	}
	rows->n++;
	return 0;
}

/* An SQL statement run straight on the file, as a person with the sqlite3 shell would. */
static int raw_sql(const char *path, const char *sql, char *err, size_t size)
{
	sqlite3 *db;
	char *msg = NULL;
	int rc;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	snprintf(err, size, "%s", msg ? msg : "");
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc;
}

static void ledger_append_only(void **state)
{
	struct fixture *f = *state;
	struct store_consent_record r = rec(P1, "revoke", "all", "", T0);
	struct rows rows = { 0 };
	char err[256];
	int64_t id1, id2;

	assert_int_equal(store_consent_add(f->st, &r, &id1), 0);
	r = rec(P1, "grant", "line", L1, T0 + 1000);
	assert_int_equal(store_consent_add(f->st, &r, &id2), 0);
	r = rec(P2, "revoke", "all", "", T0);
	assert_int_equal(store_consent_add(f->st, &r, NULL), 0);
	assert_true(id2 > id1);
	assert_int_equal(store_consent_list(f->st, P1, collect, &rows), 2);
	assert_string_equal(rows.actions[0], "revoke");
	assert_string_equal(rows.actions[1], "grant");
	assert_int_equal(rows.ids[0], id1);

	/* not through the store, not through SQL either */
	assert_int_not_equal(raw_sql(f->path, "UPDATE consent_ledger SET action = 'grant'", err,
				     sizeof(err)), SQLITE_OK);
	assert_non_null(strstr(err, "append-only"));
	assert_int_not_equal(raw_sql(f->path, "DELETE FROM consent_ledger", err, sizeof(err)),
			     SQLITE_OK);
	assert_non_null(strstr(err, "retention"));
	memset(&rows, 0, sizeof(rows));
	assert_int_equal(store_consent_list(f->st, NULL, collect, &rows), 3);
}

static void ledger_bad_records(void **state)
{
	struct fixture *f = *state;
	struct store_consent_record r = rec(P1, "revoke", "line", "", T0);

	assert_int_equal(store_consent_add(f->st, &r, NULL), -EINVAL);   /* a line needs its name */
	r = rec(P1, "delete", "all", "", T0);
	assert_int_equal(store_consent_add(f->st, &r, NULL), -EINVAL);
	r = rec("", "revoke", "all", "", T0);
	assert_int_equal(store_consent_add(f->st, &r, NULL), -EINVAL);
	r = rec(P1, "revoke", "all", "", T0);
	r.method = "telepathy";
	assert_int_equal(store_consent_add(f->st, &r, NULL), -EINVAL);
	r.method = "web";
	r.recorded_by = NULL;
	assert_int_equal(store_consent_add(f->st, &r, NULL), -EINVAL);
	assert_int_equal(store_consent_add(NULL, &r, NULL), -EINVAL);
}

static void retention(void **state)
{
	struct fixture *f = *state;
	/* the ledger's guard reads the wall clock, so that no caller's "now" can shorten it */
	int64_t now = (int64_t)time(NULL) * 1000;
	struct store_consent_record r = rec(P1, "revoke", "all", "", now - 10 * 365 * DAY);
	struct rows rows = { 0 };

	assert_int_equal(store_consent_add(f->st, &r, NULL), 0);
	r = rec(P1, "grant", "all", "", now - 100 * DAY);
	assert_int_equal(store_consent_add(f->st, &r, NULL), 0);
	assert_int_equal(store_consent_purge(f->st, 1000, now), -EINVAL);
	/* the ten-year-old record goes; the recent one stays */
	assert_int_equal(store_consent_purge(f->st, 5 * 365 * DAY, now), 1);
	assert_int_equal(store_consent_list(f->st, P1, collect, &rows), 1);
	assert_string_equal(rows.actions[0], "grant");
	/* a caller's clock ten years ahead still cannot delete last year's records */
	assert_int_equal(store_consent_purge(f->st, 5 * 365 * DAY, now + 10 * 365 * DAY), -EIO);
	assert_non_null(strstr(store_error(f->st), "retention"));
	assert_int_equal(store_consent_list(f->st, P1, collect, &rows), 1);
	assert_int_equal(store_consent_audit(f->st, "export", "alice", "all numbers", now), 0);
	assert_int_equal(store_consent_audit(f->st, "", "alice", NULL, now), -EINVAL);
}

/* A gate refusing P1 outright and holding P2 for an hour. */
struct gate_log {
	int asked;
	char last_line[32];
};

static void test_gate(void *ctx, struct store *st, const struct store_message *m,
		      const char *line, int64_t now, struct store_gate_verdict *v)
{
	struct gate_log *log = ctx;

	(void)st;
	log->asked++;
	snprintf(log->last_line, sizeof(log->last_line), "%s", line ? line : "(any)");
	if (strcmp(m->peer, P1) == 0) {
		v->action = STORE_GATE_BLOCK;
		v->code = 4001;
		v->code_name = "opted_out";
		snprintf(v->reason, sizeof(v->reason), "the recipient replied STOP");
	} else if (strcmp(m->peer, P2) == 0 && strcmp(m->category, "marketing") == 0) {
		v->action = STORE_GATE_DEFER;
		v->code = 4101;
		v->code_name = "quiet_hours";
		v->until = now + 3600000;
		snprintf(v->reason, sizeof(v->reason), "21:30 in Europe/London");
	}
}

static void gate_at_enqueue(void **state)
{
	struct fixture *f = *state;
	struct gate_log log = { 0 };
	struct store_new_message m = { .to = P1, .text = "Sale!", .line = L1 };
	struct store_gate_verdict v;
	int64_t id = 99, counts[STORE_PARTIAL + 1];

	store_set_gate(f->st, test_gate, &log);
	assert_int_equal(store_enqueue(f->st, &m, T0, &id, NULL), -EACCES);
	assert_int_equal(id, 0);
	assert_int_equal(log.asked, 1);
	assert_string_equal(log.last_line, L1);
	assert_int_equal(store_refusal(f->st, &v), 0);
	assert_int_equal(v.code, 4001);
	assert_string_equal(v.code_name, "opted_out");
	assert_non_null(strstr(store_error(f->st), "the recipient replied STOP"));
	assert_int_equal(store_counts(f->st, counts), 0);
	assert_int_equal(counts[STORE_QUEUED], 0); /* nothing queued */

	/* a deferral at enqueue is the claim's business: queued */
	m.to = P2;
	m.category = "marketing";
	assert_int_equal(store_enqueue(f->st, &m, T0, &id, NULL), 0);
	assert_true(id > 0);
	assert_int_equal(store_refusal(f->st, &v), -ENOENT);

	/* the consent flow's own replies are not asked about */
	m.to = P1;
	m.category = NULL;
	m.purpose = "opt_out_confirmation";
	log.asked = 0;
	assert_int_equal(store_enqueue(f->st, &m, T0, &id, NULL), 0);
	assert_int_equal(log.asked, 0);
	m.purpose = "advert";
	assert_int_equal(store_enqueue(f->st, &m, T0, &id, NULL), -EINVAL);
}

static void gate_at_claim(void **state)
{
	struct fixture *f = *state;
	struct gate_log log = { 0 };
	struct store_new_message m = { .to = P1, .text = "queued before the STOP" };
	struct store_message out = { 0 };
	int64_t blocked, deferred, confirm, fine;

	/* queued while nothing was refused */
	assert_int_equal(store_enqueue(f->st, &m, T0, &blocked, NULL), 0);
	m.to = P2;
	m.category = "marketing";
	assert_int_equal(store_enqueue(f->st, &m, T0 + 1, &deferred, NULL), 0);
	m.to = P1;
	m.category = NULL;
	m.purpose = "opt_out_confirmation";
	m.text = "You are unsubscribed.";
	assert_int_equal(store_enqueue(f->st, &m, T0 + 2, &confirm, NULL), 0);
	m.to = P2;
	m.purpose = NULL;
	m.text = "Your order shipped";
	assert_int_equal(store_enqueue(f->st, &m, T0 + 3, &fine, NULL), 0);

	/* now the gate says no to P1 and not yet to P2's marketing */
	store_set_gate(f->st, test_gate, &log);
	assert_int_equal(store_claim(f->st, L1, T0 + 10, &out), 0);
	assert_int_equal(out.id, confirm);          /* the reply passes its own block */
	assert_string_equal(log.last_line, L1);
	store_message_free(&out);
	assert_int_equal(store_claim(f->st, L1, T0 + 10, &out), 0);
	assert_int_equal(out.id, fine);
	store_message_free(&out);
	assert_int_equal(store_claim(f->st, L1, T0 + 10, &out), -ENOENT);

	assert_int_equal(store_get(f->st, blocked, &out), 0);
	assert_int_equal(out.state, STORE_BLOCKED);
	assert_string_equal(out.policy, "opted_out");
	assert_string_equal(out.error, "the recipient replied STOP");
	assert_int_equal(out.attempts, 0);
	store_message_free(&out);
	assert_int_equal(store_get(f->st, deferred, &out), 0);
	assert_int_equal(out.state, STORE_QUEUED);
	assert_string_equal(out.policy, "quiet_hours");
	assert_int_equal(out.send_at, T0 + 10 + 3600000);
	store_message_free(&out);
	assert_int_equal(store_next_due(f->st), T0 + 10 + 3600000);

	/* without the gate the held message goes when due; the blocked one never does */
	store_set_gate(f->st, NULL, NULL);
	assert_int_equal(store_claim(f->st, L2, T0 + 3600010, &out), 0);
	assert_int_equal(out.id, deferred);
	store_message_free(&out);
	assert_int_equal(store_claim(f->st, L2, T0 + 3600010, &out), -ENOENT);
}

static int64_t inbound(struct store *st, const char *from, const char *text, int64_t now)
{
	struct store_inbound_part p = { .line = L1, .sender = from, .text = text, .sent_at = now };
	int64_t id = 0;

	assert_int_equal(store_inbound(st, &p, now, &id), 0);
	assert_true(id > 0);
	return id;
}

struct pending {
	int n;
	int64_t ids[8];
};

static int note_pending(void *ctx, const struct store_message *m)
{
	struct pending *p = ctx;

	if (p->n < 8)
		p->ids[p->n] = m->id;
	p->n++;
	return 0;
}

static void settle_inbound(void **state)
{
	struct fixture *f = *state;
	struct store_consent_record r = rec(P1, "revoke", "all", "", T0);
	struct store_new_message reply = { .to = P1, .text = "You are unsubscribed.", .line = L1,
					   .priority = 100, .purpose = "opt_out_confirmation" };
	struct store_message m = { 0 };
	struct pending pend = { 0 };
	struct rows rows = { 0 };
	int64_t stop, hello, reply_id, at;

	stop = inbound(f->st, P1, "Stop.", T0);
	hello = inbound(f->st, P2, "hello", T0 + 1);
	assert_int_equal(store_inbound_pending(f->st, 10, note_pending, &pend), 2);
	assert_int_equal(pend.ids[0], stop);
	assert_int_equal(pend.ids[1], hello);

	/* a bad reply rolls everything back: the message stays pending */
	reply.purpose = NULL;
	assert_int_equal(store_inbound_settle(f->st, stop, "opt_out", &r, &reply, T0 + 5, NULL),
			 -EINVAL);
	reply.purpose = "opt_out_confirmation";
	assert_int_equal(store_inbound_settle(f->st, stop, "opt_out", &r, &reply, T0 + 5,
					      &reply_id), 0);
	assert_true(reply_id > 0);
	assert_int_equal(store_inbound_settle(f->st, stop, "opt_out", &r, &reply, T0 + 6, NULL),
			 -EALREADY);
	assert_int_equal(store_inbound_settle(f->st, 9999, NULL, NULL, NULL, T0, NULL), -ENOENT);
	assert_int_equal(store_inbound_settle(f->st, hello, NULL, NULL, NULL, T0 + 7, NULL), 0);
	pend.n = 0;
	assert_int_equal(store_inbound_pending(f->st, 10, note_pending, &pend), 0);

	assert_int_equal(store_get(f->st, stop, &m), 0);
	assert_string_equal(m.keyword, "opt_out");
	store_message_free(&m);
	assert_int_equal(store_get(f->st, hello, &m), 0);
	assert_null(m.keyword);
	store_message_free(&m);
	assert_int_equal(store_consent_list(f->st, P1, collect, &rows), 1);
	assert_int_equal(rows.message_ids[0], stop);   /* the record names the message */
	assert_int_equal(store_get(f->st, reply_id, &m), 0);
	assert_string_equal(m.purpose, "opt_out_confirmation");
	assert_string_equal(m.want_line, L1);
	store_message_free(&m);
	assert_int_equal(store_purpose_last(f->st, P1, "opt_out_confirmation", &at), 0);
	assert_int_equal(at, T0 + 5);
	assert_int_equal(store_purpose_last(f->st, P2, "opt_out_confirmation", &at), 0);
	assert_int_equal(at, 0);
}

static void sent_counts(void **state)
{
	struct fixture *f = *state;
	struct store_new_message m = { .to = P1, .text = "promo", .category = "marketing" };
	struct store_message out = { 0 };
	int64_t count, oldest;

	for (int i = 0; i < 3; i++) {
		int64_t id;

		assert_int_equal(store_enqueue(f->st, &m, T0 + i * 1000, &id, NULL), 0);
		assert_int_equal(store_claim(f->st, L1, T0 + i * 1000, &out), 0);
		store_message_free(&out);
		assert_int_equal(store_set_segments(f->st, id, 1), 0);
		assert_int_equal(store_segment_sent(f->st, id, 1, i, T0 + i * 1000 + 500), 0);
	}
	m.category = "transactional";
	assert_int_equal(store_enqueue(f->st, &m, T0, NULL, NULL), 0);
	assert_int_equal(store_sent_count(f->st, P1, "marketing", T0, &count, &oldest), 0);
	assert_int_equal(count, 3);
	assert_int_equal(oldest, T0 + 500);
	assert_int_equal(store_sent_count(f->st, P1, "marketing", T0 + 1000, &count, &oldest), 0);
	assert_int_equal(count, 2);
	assert_int_equal(store_sent_count(f->st, P1, "transactional", T0, &count, &oldest), 0);
	assert_int_equal(count, 0);
	assert_int_equal(oldest, 0);
	assert_int_equal(store_sent_count(f->st, P2, "marketing", T0, &count, &oldest), 0);
	assert_int_equal(count, 0);
}

/*
 * What schema steps 5 (conversations), 6 (follow-ups), 7 (campaigns) and 8
 * (the period index) added, dropped to make an older file.
 */
#define V5_OBJECTS \
	"DROP INDEX messages_created;" \
	" DROP TRIGGER outbox_campaign_done; DROP INDEX messages_campaign;" \
	" ALTER TABLE messages DROP COLUMN campaign_id; DROP TABLE campaigns;" \
	" DROP INDEX messages_follow_ups; ALTER TABLE messages DROP COLUMN cancel_on_reply;" \
	" DROP TRIGGER outbox_conversation_new; DROP TRIGGER outbox_conversation;" \
	" DROP TABLE conversation_notes; DROP TABLE conversation_tags;" \
	" DROP TABLE conversations; DROP INDEX messages_conversation;" \
	" ALTER TABLE messages DROP COLUMN conversation_id;" \
	" ALTER TABLE messages DROP COLUMN agent;"

/* A version-2 file with a received message: after the migration nothing is pending. */
static void migration_keeps_history_read(void **state)
{
	struct fixture *f = *state;
	struct pending pend = { 0 };
	char err[256];

	(void)inbound(f->st, P1, "STOP", T0);
	store_close(f->st);
	/* make the file look as a version-2 build left it */
	assert_int_equal(raw_sql(f->path,
				 V5_OBJECTS
				 "DROP TRIGGER outbox_message; DROP TRIGGER outbox_received;"
				 " DROP TABLE outbox; DROP TABLE outbox_switch; DROP TABLE store_identity;"
				 " DROP TABLE consent_ledger; DROP TABLE consent_retention;"
				 " DROP TABLE consent_audit; DROP INDEX messages_purpose;"
				 " DROP INDEX messages_policy_todo;"
				 " ALTER TABLE messages DROP COLUMN purpose;"
				 " ALTER TABLE messages DROP COLUMN keyword;"
				 " ALTER TABLE messages DROP COLUMN policy;"
				 " ALTER TABLE messages DROP COLUMN policy_done;"
				 " PRAGMA user_version = 2;", err, sizeof(err)), SQLITE_OK);
	assert_int_equal(store_open(f->path, &f->st, err, sizeof(err)), 0);
	assert_int_equal(store_inbound_pending(f->st, 10, note_pending, &pend), 0);
	(void)inbound(f->st, P2, "new after the upgrade", T0 + 1);
	assert_int_equal(store_inbound_pending(f->st, 10, note_pending, &pend), 1);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(ledger_append_only),
		T(ledger_bad_records),
		T(retention),
		T(gate_at_enqueue),
		T(gate_at_claim),
		T(settle_inbound),
		T(sent_counts),
		T(migration_keeps_history_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
