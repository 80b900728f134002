/*
 * Figures per line and per agent (store_stats) on a real SQLite file: a
 * scenario of two lines, four customers and five agents at known times,
 * with automated messages that do not end a wait, a wait that began before
 * the period, a reply still queued, STOPs (one from a customer written to,
 * one not), a closed conversation's assignee, and every figure checked
 * exactly. Also an empty store, a period holding nothing but what is
 * waiting now, the bounds on lines, and bad arguments; the query plans
 * (every statement bounded by the period reads messages through
 * messages_created, none reads the whole table) and schema step 8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <regex.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parley/store.h"
#include "support/store_files.h"
#include "parley/store_consent.h"
#include "parley/store_conversation.h"
#include "parley/store_stats.h"
#include "../src/store/store_internal.h"   /* store_stats_statements */

#define T0 1700000000000LL
#define NOW (T0 + 100000)
#define L1 "+447700900001"
#define L2 "+447700900002"
#define P1 "+447700900101"
#define P2 "+447700900102"
#define P3 "+447700900103"
#define P4 "+447700900104"

struct fixture {
	char path[64];
	struct store *st;
	struct store_stats stats;   /* 25 KiB: kept off cmocka's stack */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	store_file_new(f->path, sizeof(f->path), "stats");
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

/* ---- helpers ---- */

static int64_t inbound(struct store *st, const char *line, const char *peer, int64_t at)
{
	struct store_inbound_part p = { .line = line, .sender = peer, .text = "hi", .sent_at = at };
	int64_t id = 0;

	if (store_inbound(st, &p, at, &id) != 0)
		fail_msg("inbound: %s", store_error(st));
	assert_true(id > 0);
	return id;
}

/* A STOP, read by the consent flow as an opt-out (no ledger record needed here). */
static void stop(struct store *st, const char *line, const char *peer, int64_t at)
{
	int64_t id = inbound(st, line, peer, at);

	if (store_inbound_settle(st, id, "opt-out", NULL, NULL, at, NULL) != 0)
		fail_msg("settle: %s", store_error(st));
}

/* Queues a text from line (agent NULL: automated) at `at`; sent at once unless queued_only. */
static int64_t reply(struct store *st, const char *line, const char *peer, const char *agent,
		     int64_t at, bool queued_only)
{
	struct store_new_message m = { .to = peer, .text = "hello", .line = line, .agent = agent };
	struct store_message c = { 0 };
	int64_t id = 0;

	if (store_enqueue(st, &m, at, &id, NULL) != 0)
		fail_msg("enqueue: %s", store_error(st));
	if (queued_only)
		return id;
	if (store_claim(st, line, at, &c) != 0)
		fail_msg("claim: %s", store_error(st));
	assert_int_equal(c.id, id);
	store_message_free(&c);
	assert_int_equal(store_set_segments(st, id, 1), 0);
	assert_int_equal(store_segment_sent(st, id, 1, 1, at), 0);
	return id;
}

static int64_t conv(struct store *st, const char *line, const char *peer)
{
	struct store_conversation c;
	int64_t id;

	if (store_conversation_find(st, line, peer, &c) != 0)
		fail_msg("find: %s", store_error(st));
	id = c.id;
	store_conversation_free(&c);
	return id;
}

/*
 * The scenario, times in ms after T0 (the period is [T0, T0 + 100 s]):
 *
 * L1, P1: -2000 in, -1500 dave replies, -1000 in (waits from before the
 *         period), +1000 in, +5000 alice replies: no response counted.
 * L1, P2: +10000 in (waits), +12000 automated (does not end it), +13000 in,
 *         +40000 alice replies (30 s), +50000 in, +52000 bob replies (2 s).
 * L1, P3: +20000 in, +30000 alice replies (10 s), +60000 STOP (waits now).
 * L1, P4: +15000 automated only.
 * L2, P1: +65000 in, +70000 carol replies, still queued (5 s).
 * L2, P4: +80000 STOP (waits now; never written to from L2).
 * At +90000 alice claims L1/P3, bob L1/P2; erin claims L2/P1 and closes it.
 */
static void scenario(struct store *st)
{
	inbound(st, L1, P1, T0 - 2000);
	reply(st, L1, P1, "dave", T0 - 1500, false);
	inbound(st, L1, P1, T0 - 1000);
	inbound(st, L1, P1, T0 + 1000);
	reply(st, L1, P1, "alice", T0 + 5000, false);

	inbound(st, L1, P2, T0 + 10000);
	reply(st, L1, P2, NULL, T0 + 12000, false);
	inbound(st, L1, P2, T0 + 13000);
	reply(st, L1, P4, NULL, T0 + 15000, false);
	inbound(st, L1, P3, T0 + 20000);
	reply(st, L1, P3, "alice", T0 + 30000, false);
	reply(st, L1, P2, "alice", T0 + 40000, false);
	inbound(st, L1, P2, T0 + 50000);
	reply(st, L1, P2, "bob", T0 + 52000, false);
	stop(st, L1, P3, T0 + 60000);

	inbound(st, L2, P1, T0 + 65000);
	reply(st, L2, P1, "carol", T0 + 70000, true);
	stop(st, L2, P4, T0 + 80000);

	assert_int_equal(store_conversation_claim(st, conv(st, L1, P3), "alice", T0 + 90000), 0);
	assert_int_equal(store_conversation_claim(st, conv(st, L1, P2), "bob", T0 + 90000), 0);
	assert_int_equal(store_conversation_claim(st, conv(st, L2, P1), "erin", T0 + 90000), 0);
	assert_int_equal(store_conversation_close(st, conv(st, L2, P1), "erin", T0 + 90000), 0);
}

static void check_line(const struct store_stats_line *l, const char *line, int64_t in, int64_t out,
		       int64_t responses, int64_t median, int64_t unanswered, int64_t customers,
		       int64_t opt_outs, double rate)
{
	assert_string_equal(l->line, line);
	assert_int_equal(l->in, in);
	assert_int_equal(l->out, out);
	assert_int_equal(l->responses, responses);
	assert_int_equal(l->median_first_response_ms, median);
	assert_int_equal(l->unanswered, unanswered);
	assert_int_equal(l->customers, customers);
	assert_int_equal(l->opt_outs, opt_outs);
	assert_true(l->opt_out_rate == rate);   /* exact: n / m of small integers */
}

static void check_agent(const struct store_stats_agent *a, const char *agent, int64_t replies,
			int64_t responses, int64_t median, int64_t assigned, int64_t waiting)
{
	assert_string_equal(a->agent, agent);
	assert_int_equal(a->replies, replies);
	assert_int_equal(a->responses, responses);
	assert_int_equal(a->median_first_response_ms, median);
	assert_int_equal(a->assigned, assigned);
	assert_int_equal(a->waiting, waiting);
}

/* ---- tests ---- */

static void every_figure(void **state)
{
	struct fixture *f = *state;
	struct store_stats *s = &f->stats;

	scenario(f->st);
	if (store_stats(f->st, T0, NOW, s) != 0)
		fail_msg("%s", store_error(f->st));

	assert_int_equal(s->nlines, 2);
	assert_int_equal(s->lines_omitted, 0);
	/*
	 * L1: in 6 (the -2000 and -1000 messages are before the period); out 6
	 * (dave's at -1500 is before it); responses 2 s, 10 s, 30 s; P3 waits;
	 * customers P1..P4, of whom P3 opted out.
	 */
	check_line(&s->lines[0], L1, 6, 6, 3, 10000, 1, 4, 1, 0.25);
	/* L2: carol's reply is queued, so nobody was written to: no rate */
	check_line(&s->lines[1], L2, 2, 0, 1, 5000, 1, 0, 0, -1);

	/* dave's only message is before the period; erin's conversation is closed */
	assert_int_equal(s->nagents, 3);
	assert_int_equal(s->agents_omitted, 0);
	check_agent(&s->agents[0], "alice", 3, 2, 20000, 1, 1);   /* median of 10 s and 30 s */
	check_agent(&s->agents[1], "bob", 1, 1, 2000, 1, 0);
	check_agent(&s->agents[2], "carol", 0, 1, 5000, 0, 0);
}

/* A period after everything: only what is true now (waiting, assigned) shows. */
static void only_the_present(void **state)
{
	struct fixture *f = *state;
	struct store_stats *s = &f->stats;

	scenario(f->st);
	assert_int_equal(store_stats(f->st, T0 + 95000, NOW, s), 0);
	assert_int_equal(s->nlines, 2);
	check_line(&s->lines[0], L1, 0, 0, 0, -1, 1, 0, 0, -1);
	check_line(&s->lines[1], L2, 0, 0, 0, -1, 1, 0, 0, -1);
	assert_int_equal(s->nagents, 2);
	check_agent(&s->agents[0], "alice", 0, 0, -1, 1, 1);
	check_agent(&s->agents[1], "bob", 0, 0, -1, 1, 0);

	/* a period starting mid-wait: P2's +13000 message did not start a wait */
	assert_int_equal(store_stats(f->st, T0 + 11000, T0 + 45000, s), 0);
	check_line(&s->lines[0], L1, 2, 4, 1, 10000, 1, 3, 0, 0);
	assert_int_equal(s->nagents, 2);
	check_agent(&s->agents[0], "alice", 2, 1, 10000, 1, 1);
}

static void empty_store(void **state)
{
	struct fixture *f = *state;
	struct store_stats *s = &f->stats;

	memset(s, 0xff, sizeof(*s));
	assert_int_equal(store_stats(f->st, 0, NOW, s), 0);
	assert_int_equal(s->nlines, 0);
	assert_int_equal(s->nagents, 0);
	assert_int_equal(s->lines_omitted, 0);
	assert_int_equal(s->agents_omitted, 0);

	/* a message queued for one line names it; one any line may take does not */
	reply(f->st, L2, P1, NULL, T0, true);
	reply(f->st, NULL, P2, NULL, T0, true);
	assert_int_equal(store_stats(f->st, 0, NOW, s), 0);
	assert_int_equal(s->nlines, 1);
	check_line(&s->lines[0], L2, 0, 0, 0, -1, 0, 0, 0, -1);
	assert_int_equal(s->nagents, 0);
}

/* 20 lines and one name too long: the first 16 by name, the rest counted. */
static void bounded(void **state)
{
	struct fixture *f = *state;
	struct store_stats *s = &f->stats;
	char line[80], longname[80];

	for (int i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "+4477009%05d", 99 - i);
		inbound(f->st, line, P1, T0 + i);
	}
	memset(longname, 'x', 64);
	longname[64] = '\0';
	inbound(f->st, longname, P1, T0 + 30);
	assert_int_equal(store_stats(f->st, T0, NOW, s), 0);
	assert_int_equal(s->nlines, STORE_STATS_LINES_MAX);
	assert_int_equal(s->lines_omitted, 5);
	assert_string_equal(s->lines[0].line, "+447700900080");
	assert_string_equal(s->lines[15].line, "+447700900095");
	for (size_t i = 0; i < s->nlines; i++) {
		assert_int_equal(s->lines[i].in, 1);
		assert_int_equal(s->lines[i].unanswered, 1);
	}
}

static void bad_arguments(void **state)
{
	struct fixture *f = *state;
	struct store_stats *s = &f->stats;

	assert_int_equal(store_stats(NULL, T0, NOW, s), -EINVAL);
	assert_int_equal(store_stats(f->st, T0, NOW, NULL), -EINVAL);
	assert_int_equal(store_stats(f->st, NOW + 1, NOW, s), -EINVAL);
	assert_non_null(strstr(store_error(f->st), "must not end before"));
	assert_int_equal(store_stats(f->st, -1, NOW, s), -EINVAL);
	/* a period of one instant is fine */
	assert_int_equal(store_stats(f->st, NOW, NOW, s), 0);
}

/* The plan's lines (EXPLAIN QUERY PLAN's detail column) for sql, run on the file at path. */
static void plan_of(const char *path, const char *sql, char *out, size_t size)
{
	char *explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *s;
	sqlite3 *db;
	size_t n = 0;

	assert_non_null(explain);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, explain, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW && n < size)
		n += (size_t)snprintf(out + n, size - n, "%s\n", (const char *)sqlite3_column_text(s, 3));
	sqlite3_finalize(s);
	sqlite3_close(db);
	sqlite3_free(explain);
}

/* Whether pattern (an extended regex) matches some line of text. */
static bool matches(const char *text, const char *pattern)
{
	regex_t re;
	bool found;

	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE), 0);
	found = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return found;
}

/*
 * Every statement store_stats runs, as SQLite plans it on a store with
 * data: one bounded by the period reads messages through messages_created,
 * and none scans messages whole (under its name or an alias: "messages m").
 */
static void queries_use_the_period_index(void **state)
{
	struct fixture *f = *state;
	char plan[4096], scan[256];
	int bounded = 0;

	scenario(f->st);
	for (size_t i = 0; store_stats_statements[i]; i++) {
		const char *sql = store_stats_statements[i];

		plan_of(f->path, sql, plan, sizeof(plan));
		if (strstr(sql, "created_at BETWEEN ?1 AND ?2")) {
			bounded++;
			if (!strstr(plan, "INDEX messages_created ("))
				fail_msg("statement %zu does not use messages_created:\n%s\n%s", i, sql, plan);
		}
		/* the names messages goes by in this statement */
		snprintf(scan, sizeof(scan), "^SCAN (messages");
		for (const char *p = sql; (p = strstr(p, "messages ")); p += 9) {
			char alias[16] = "";

			/* keywords are upper case in store_stats.c: a lower-case word is an alias */
			if (sscanf(p + 9, "%15[a-z]", alias) == 1)
				snprintf(scan + strlen(scan), sizeof(scan) - strlen(scan), "|%s", alias);
		}
		snprintf(scan + strlen(scan), sizeof(scan) - strlen(scan), ")( |$)");
		if (matches(plan, scan))
			fail_msg("statement %zu reads the whole messages table:\n%s\n%s", i, sql, plan);
	}
	/* all but the two about now (unanswered, assigned) */
	assert_int_equal(bounded, 6);
}

/* A version-7 file gets the index, and keeps its messages. */
static void migration_to_v8(void **state)
{
	struct fixture *f = *state;
	struct store_stats *s = &f->stats;
	const char *bounded = NULL;
	char plan[4096];
	sqlite3 *db;

	for (size_t i = 0; store_stats_statements[i] && !bounded; i++)
		if (strstr(store_stats_statements[i], "created_at BETWEEN ?1 AND ?2"))
			bounded = store_stats_statements[i];
	assert_non_null(bounded);

	scenario(f->st);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP INDEX messages_created; PRAGMA user_version = 7;",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	plan_of(f->path, bounded, plan, sizeof(plan));
	assert_true(matches(plan, "^SCAN messages"));   /* what version 7 did */

	f->st = store_file_open(f->path);
	plan_of(f->path, bounded, plan, sizeof(plan));
	assert_non_null(strstr(plan, "INDEX messages_created ("));
	assert_int_equal(store_stats(f->st, T0, NOW, s), 0);
	check_line(&s->lines[0], L1, 6, 6, 3, 10000, 1, 4, 1, 0.25);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(every_figure),
		T(only_the_present),
		T(empty_store),
		T(bounded),
		T(bad_arguments),
		T(queries_use_the_period_index),
		T(migration_to_v8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
