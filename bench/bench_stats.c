/*
 * store_stats on a big store: what the daemon pays for its retained figures
 * (the last 24 h, every mqtt.stats_interval) and `parley stats --since 30d`
 * pays once, with 200,000 messages over 30 days (BENCH_STATS_MESSAGES
 * overrides the count), then the same with the period index dropped, so one
 * run shows what the index buys.
 *
 * The store is filled through the store's own calls with their times spread
 * over the 30 days: customers on four lines, each message answered by one of
 * eight agents (one reply in ten automated), so conversations, waits and
 * replies are what the daemon would have left. Sending is then marked in
 * bulk through SQLite (sent two seconds after queueing) and one customer
 * message in 97 becomes a STOP, since claiming and sending 100,000 messages
 * one by one would measure the queue, not the figures. One line a figure.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parley/store.h"
#include "parley/store_stats.h"

#define MESSAGES_DEFAULT 200000
#define DAYS 30
#define DAY_MS (86400 * 1000LL)
#define LINES 4
#define CUSTOMERS 4000
#define AGENTS 8
#define RUNS 15
#define PERIOD_INDEX "messages_created"

static char dir[256], path[320];

_Noreturn static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_stats: %s: %s\n", what, why && *why ? why : "failed");
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct store *open_store(void)
{
	struct store *st;
	char err[256];

	if (store_open(path, &st, err, sizeof(err)) < 0)
		die(path, err);
	return st;
}

static void remove_db(void)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".lock" };
	char p[400];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* SQL straight on the file, with the store closed. */
static void exec_sql(const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die(sql, err);
	sqlite3_close(db);
}

static int64_t count_sql(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK || sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* messages / 2 exchanges: a customer writes, an agent (or automation) answers. */
static void fill(struct store *st, long messages, int64_t start)
{
	int64_t step = DAYS * DAY_MS / messages;

	for (long i = 0; i + 1 < messages; i += 2) {
		long exchange = i / 2;
		int customer = (int)(exchange * 7919 % CUSTOMERS);
		char line[32], peer[32], agent[16], text[64];
		int64_t at = start + i * step, id;

		snprintf(line, sizeof(line), "+4477009001%02d", customer % LINES);
		snprintf(peer, sizeof(peer), "+4477009%05d", customer);
		snprintf(agent, sizeof(agent), "agent%d", (int)(exchange % AGENTS));
		snprintf(text, sizeof(text), "Question %ld about my order", exchange);
		struct store_inbound_part in = { .line = line, .sender = peer, .text = text,
						 .sent_at = at };
		if (store_inbound(st, &in, at, &id) < 0)
			die("store_inbound", store_error(st));
		struct store_new_message reply = {
			.to = peer, .text = "Thanks, it leaves today.", .line = line,
			.category = "conversational", .agent = exchange % 10 == 9 ? NULL : agent,
		};
		if (store_enqueue(st, &reply, at + step, NULL, NULL) < 0)
			die("store_enqueue", store_error(st));
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of RUNS calls over [since, now], in ms; *lines gets a figure to check it read. */
static double time_stats(int64_t since, int64_t now, int64_t *in)
{
	struct store *st = open_store();
	struct store_stats stats;
	double t[RUNS];

	for (int r = 0; r < RUNS; r++) {
		double t0 = now_s();

		if (store_stats(st, since, now, &stats) < 0)
			die("store_stats", store_error(st));
		t[r] = (now_s() - t0) * 1000.0;
	}
	*in = 0;
	for (size_t i = 0; i < stats.nlines; i++)
		*in += stats.lines[i].in;
	store_close(st);
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

int main(void)
{
	const char *tmp = getenv("TMPDIR"), *want = getenv("BENCH_STATS_MESSAGES");
	long messages = want ? strtol(want, NULL, 10) : MESSAGES_DEFAULT;
	int64_t now, start, in_day, in_month;
	double t0, day_with, month_with, day_without, month_without;
	bool indexed;
	struct store *st;

	if (messages < 2)
		die("BENCH_STATS_MESSAGES", "at least 2");
	snprintf(dir, sizeof(dir), "%s/parley-bench-stats-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die(dir, "cannot create");
	snprintf(path, sizeof(path), "%s/stats.db", dir);

	now = (int64_t)time(NULL) * 1000;
	start = now - DAYS * DAY_MS;
	t0 = now_s();
	st = open_store();
	fill(st, messages, start);
	store_close(st);
	exec_sql("UPDATE messages SET state = 'sent', line = want_line, sent_at = created_at + 2000"
		 " WHERE inbound = 0;"
		 "UPDATE messages SET keyword = 'opt-out' WHERE inbound = 1 AND id % 97 = 1;");
	printf("store_stats: %lld messages over %d days in %lld conversations (filled in %.1f s)\n",
	       (long long)count_sql("SELECT count(*) FROM messages"), DAYS,
	       (long long)count_sql("SELECT count(*) FROM conversations"), now_s() - t0);

	indexed = count_sql("SELECT count(*) FROM sqlite_schema WHERE name = '" PERIOD_INDEX "'") == 1;
	day_with = time_stats(now - DAY_MS, now, &in_day);
	month_with = time_stats(start, now, &in_month);
	printf("store_stats, last 24 h (%lld received): %.2f ms median of %d%s\n",
	       (long long)in_day, day_with, RUNS, indexed ? " (" PERIOD_INDEX ")" : " (no period index)");
	printf("store_stats, last %d days (%lld received): %.2f ms median of %d%s\n", DAYS,
	       (long long)in_month, month_with, RUNS, indexed ? " (" PERIOD_INDEX ")" : " (no period index)");
	if (indexed) {
		exec_sql("DROP INDEX " PERIOD_INDEX);
		day_without = time_stats(now - DAY_MS, now, &in_day);
		month_without = time_stats(start, now, &in_month);
		printf("store_stats without " PERIOD_INDEX ": last 24 h %.2f ms (%.0fx), last %d days"
		       " %.2f ms (%.2fx)\n", day_without, day_without / day_with, DAYS, month_without,
		       month_without / month_with);
	}
	remove_db();
	return 0;
}
