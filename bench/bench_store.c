/*
 * Queue benchmarks (issue 4's figures), each on a store in a temporary
 * directory (TMPDIR, else /tmp), removed afterwards:
 *  - enqueues per second through store_enqueue, one transaction each, as
 *    the daemon and the CLI do it, without and with an idempotency key
 *    (goal: 20,000/s);
 *  - the cost of store_claim with 1,000 and with 1,000,000 messages queued
 *    (it must not grow with the backlog);
 *  - this process's RSS with the million queued and the store open, and,
 *    when build/parleyd (or $PARLEYD) exists, the daemon's RSS idle on an
 *    empty store and on the million (goal: under 8 MB).
 * The backlog mixes what a claim must step over: a tenth scheduled a day
 * ahead, a tenth tied to another line, the rest for any line. The first
 * 1,000 go through store_enqueue; the million is those rows copied (every
 * column, new ids, their history too) in bulk through SQLite, since a
 * million store_enqueue calls would take most of a minute. One line a figure.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parley/store.h"

#define ENQUEUE_SECONDS 1.5
#define BACKLOG_SMALL 1000
#define BACKLOG_LARGE 1000000
#define CLAIMS 200
#define GOAL_ENQUEUES_PER_S 20000.0
#define GOAL_RSS_KB 8192
#define DAEMON_SETTLE_MS 1500
#define LINE "+447700900100"
#define OTHER_LINE "+447700900200"

static char dir[256];

_Noreturn static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, why && *why ? why : "failed");
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void path_in_dir(char *out, size_t size, const char *name)
{
	if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size)
		die(name, "path too long");
}

static void remove_db(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".lock" };
	char p[512];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		unlink(p);
	}
}

static struct store *open_store(const char *path)
{
	struct store *st;
	char err[256];

	if (store_open(path, &st, err, sizeof(err)) < 0)
		die(path, err);
	return st;
}

/* VmRSS of /proc/PID/status ("self" for this process) in kB, or -1. */
static long rss_kb(const char *pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * Private_Clean + Private_Dirty of /proc/PID/smaps_rollup in kB, or -1: the
 * memory that is this process's alone. RSS also counts the pages of shared
 * libraries (libcrypto alone is megabytes), which every process using them
 * shares and which a second daemon would not add again.
 */
static long private_kb(const char *pid)
{
	char path[64], line[256];
	long kb, sum = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/smaps_rollup", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Private_Clean: %ld", &kb) == 1 ||
		    sscanf(line, "Private_Dirty: %ld", &kb) == 1)
			sum = (sum < 0 ? 0 : sum) + kb;
	fclose(f);
	return sum;
}

/* Enqueues for ENQUEUE_SECONDS on a new store; with_key gives each its own key. */
static void bench_enqueue(bool with_key)
{
	char path[320], to[32], key[32], text[64];
	struct store *st;
	long n = 0;
	double t0, t;

	path_in_dir(path, sizeof(path), with_key ? "enqueue-key.db" : "enqueue.db");
	st = open_store(path);
	t0 = now_s();
	do {
		for (int i = 0; i < 500; i++, n++) {
			struct store_new_message m = { .to = to, .text = text, .key = with_key ? key : NULL };

			snprintf(to, sizeof(to), "+4477009%05ld", n % 100000);
			snprintf(key, sizeof(key), "order-%ld", n);
			snprintf(text, sizeof(text), "Your order %ld has shipped.", n);
			if (store_enqueue(st, &m, wall_ms(), NULL, NULL) < 0)
				die("store_enqueue", store_error(st));
		}
		t = now_s() - t0;
	} while (t < ENQUEUE_SECONDS);
	store_close(st);
	remove_db(path);
	double rate = (double)n / t;
	printf("store_enqueue%s: %.0f enqueues/s (%ld in %.2f s, file store, one transaction each)%s\n",
	       with_key ? " with an idempotency key" : "", rate, n, t,
	       rate < GOAL_ENQUEUES_PER_S ? " BELOW GOAL 20000/s" : "");
}

/* The small backlog: n messages through store_enqueue, mixed as the header says. */
static void enqueue_backlog(struct store *st, int n, int64_t now)
{
	char to[32], text[64];

	for (int i = 0; i < n; i++) {
		struct store_new_message m = { .to = to, .text = text };

		snprintf(to, sizeof(to), "+4477009%05d", i);
		snprintf(text, sizeof(text), "Backlog message %d: your order has shipped.", i);
		if (i % 10 == 3)
			m.send_at = now + 86400 * 1000;
		else if (i % 10 == 7)
			m.line = OTHER_LINE;
		if (store_enqueue(st, &m, now, NULL, NULL) < 0)
			die("store_enqueue", store_error(st));
	}
}

static void exec_sql(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die(sql, err);
}

/*
 * "INSERT INTO table (c1, c2, ...) SELECT <c1 or expr>, ... FROM table" over
 * every column SQLite reports, with the id column shifted by `off` rows and
 * the idempotency key dropped (it is unique).
 */
static void copy_sql(sqlite3 *db, const char *table, const char *id_col, int64_t off, char *sql,
		     size_t size)
{
	char pragma[96], cols[2048] = "", exprs[2048] = "";
	sqlite3_stmt *s;

	snprintf(pragma, sizeof(pragma), "PRAGMA table_info(%s)", table);
	if (sqlite3_prepare_v2(db, pragma, -1, &s, NULL) != SQLITE_OK)
		die(pragma, sqlite3_errmsg(db));
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 1);
		size_t lc = strlen(cols), le = strlen(exprs);

		if (strcmp(c, id_col) == 0)
			snprintf(exprs + le, sizeof(exprs) - le, "%s%s + %lld", le ? ", " : "", c,
				 (long long)off);
		else if (strcmp(c, "idem_key") == 0)
			snprintf(exprs + le, sizeof(exprs) - le, "%sNULL", le ? ", " : "");
		else
			snprintf(exprs + le, sizeof(exprs) - le, "%s%s", le ? ", " : "", c);
		snprintf(cols + lc, sizeof(cols) - lc, "%s%s", lc ? ", " : "", c);
	}
	sqlite3_finalize(s);
	if ((size_t)snprintf(sql, size, "INSERT INTO %s (%s) SELECT %s FROM %s", table, cols, exprs,
			     table) >= size)
		die(table, "too many columns");
}

/* Doubles the queue (rows and their history) until it holds at least target messages. */
static void grow_backlog(const char *path, int64_t have, int64_t target)
{
	char sql[4200];
	sqlite3 *db;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	/* one bulk writer and nothing to survive: no journal while copying, WAL again after */
	exec_sql(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536");
	exec_sql(db, "BEGIN");
	while (have < target) {
		copy_sql(db, "message_events", "message_id", have, sql, sizeof(sql));
		exec_sql(db, sql);
		copy_sql(db, "messages", "id", have, sql, sizeof(sql));
		exec_sql(db, sql);
		have *= 2;
	}
	exec_sql(db, "COMMIT");
	exec_sql(db, "PRAGMA journal_mode = WAL");
	sqlite3_close(db);
	/* written without syncs: flush it now, not in the first checkpoint a claim runs */
	int fd = open(path, O_RDWR);
	if (fd < 0 || fsync(fd) < 0)
		die(path, strerror(errno));
	close(fd);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * CLAIMS store_claim calls, each of which must find a message it may send:
 * their median and mean in µs (the mean includes the WAL checkpoints that
 * some commits run).
 */
static void bench_claims(struct store *st, int64_t now, double *median_us, double *mean_us)
{
	struct store_message m = { 0 };
	double us[CLAIMS], sum = 0;

	for (int i = 0; i < CLAIMS; i++) {
		double t0 = now_s();
		int rc = store_claim(st, LINE, now, &m);

		us[i] = (now_s() - t0) * 1e6;
		sum += us[i];
		if (rc < 0)
			die("store_claim", rc == -ENOENT ? "nothing due" : store_error(st));
		if (m.state != STORE_SENDING || (m.want_line && strcmp(m.want_line, LINE) != 0))
			die("store_claim", "claimed a message it may not send");
		store_message_free(&m);
	}
	qsort(us, CLAIMS, sizeof(us[0]), cmp_double);
	*median_us = us[CLAIMS / 2];
	*mean_us = sum / CLAIMS;
}

static int64_t queued(struct store *st)
{
	int64_t counts[STORE_PARTIAL + 1];

	if (store_counts(st, counts) < 0)
		die("store_counts", store_error(st));
	return counts[STORE_QUEUED];
}

/*
 * The daemon's VmRSS after DAEMON_SETTLE_MS on store db (no modems: it opens
 * the store, recovers, runs its housekeeping and waits), or -1 when it cannot run.
 */
static long daemon_rss_kb(const char *parleyd, const char *db, const char *name, long *private)
{
	char conf[320], sock[320], pid_s[24];
	FILE *f;
	pid_t pid;
	long kb;

	path_in_dir(conf, sizeof(conf), name);
	path_in_dir(sock, sizeof(sock), "parleyd.sock");
	if (!(f = fopen(conf, "w")))
		return -1;
	fprintf(f, "store = \"%s\";\ncontrol_socket = \"%s\";\nlog_level = \"error\";\nmodems = ();\n",
		db, sock);
	fclose(f);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		execl(parleyd, parleyd, "-c", conf, (char *)NULL);
		_exit(127);
	}
	struct timespec ts = { DAEMON_SETTLE_MS / 1000, (DAEMON_SETTLE_MS % 1000) * 1000000L };
	nanosleep(&ts, NULL);
	snprintf(pid_s, sizeof(pid_s), "%d", (int)pid);
	kb = rss_kb(pid_s);
	*private = private_kb(pid_s);
	if (waitpid(pid, NULL, WNOHANG) == pid)
		kb = -1; /* it died: no figure */
	else {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	unlink(conf);
	return kb;
}

static void print_daemon_rss(const char *what, long kb, long private)
{
	if (kb < 0)
		printf("parleyd RSS %s: not measured (the daemon did not stay up)\n", what);
	else
		printf("parleyd RSS %s: %ld kB%s (private: %ld kB; the rest is shared libraries)\n",
		       what, kb, kb > GOAL_RSS_KB ? " OVER GOAL 8 MB" : "", private);
}

/*
 * In a fresh process (this program again, so that the bulk build's memory
 * does not count): opens the store, finds the next due time, claims
 * CLAIMS/10 messages, and prints its VmRSS.
 */
static int rss_child(const char *path)
{
	struct store *st = open_store(path);
	struct store_message m = { 0 };
	int64_t now = wall_ms();

	store_next_due(st);
	for (int i = 0; i < CLAIMS / 10; i++) {
		if (store_claim(st, LINE, now, &m) < 0)
			die("store_claim", store_error(st));
		store_message_free(&m);
	}
	printf("%ld\n", rss_kb("self"));
	store_close(st);
	return 0;
}

static void print_store_rss(const char *path, int64_t n)
{
	char self[512], out[64] = "";
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int fds[2];
	pid_t pid;

	if (len < 0 || pipe(fds) < 0 || (pid = fork()) < 0)
		die("a child for the RSS figure", strerror(errno));
	self[len] = '\0';
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl(self, self, "--rss-child", path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	ssize_t got = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	long kb = got > 0 ? atol(out) : -1;
	if (kb <= 0)
		die("the RSS child", "gave no figure");
	printf("RSS of a process with the store open and %lld queued (next due, claims): %ld kB%s\n",
	       (long long)n, kb, kb > GOAL_RSS_KB ? " OVER GOAL 8 MB" : "");
}

int main(int argc, char **argv)
{
	const char *tmpdir = getenv("TMPDIR");
	const char *parleyd = getenv("PARLEYD");
	char path[320], empty[320];
	struct store *st;
	int64_t now = wall_ms();
	double t0, small_med, small_mean, large_med, large_mean;

	if (argc == 3 && strcmp(argv[1], "--rss-child") == 0)
		return rss_child(argv[2]);
	if (!parleyd)
		parleyd = "build/parleyd";
	snprintf(dir, sizeof(dir), "%s/parley-bench-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir))
		die(dir, strerror(errno));

	bench_enqueue(false);
	bench_enqueue(true);

	path_in_dir(path, sizeof(path), "small.db");
	st = open_store(path);
	enqueue_backlog(st, BACKLOG_SMALL, now);
	int64_t small_q = queued(st);
	bench_claims(st, now, &small_med, &small_mean);
	store_close(st);
	remove_db(path);

	/* the same 1,000 again, copied up to a million before any is claimed */
	path_in_dir(path, sizeof(path), "large.db");
	st = open_store(path);
	enqueue_backlog(st, BACKLOG_SMALL, now);
	store_close(st);
	t0 = now_s();
	grow_backlog(path, BACKLOG_SMALL, BACKLOG_LARGE);
	double build_s = now_s() - t0;
	st = open_store(path);
	int64_t large_q = queued(st);
	bench_claims(st, now, &large_med, &large_mean);
	printf("store_claim with %lld queued: median %.1f us, mean %.1f us\n", (long long)small_q,
	       small_med, small_mean);
	printf("store_claim with %lld queued: median %.1f us, mean %.1f us (median x%.2f)%s\n",
	       (long long)large_q, large_med, large_mean, large_med / small_med,
	       large_med > 3 * small_med ? " GROWS WITH THE BACKLOG" : "");
	int64_t next = store_next_due(st);
	t0 = now_s();
	for (int i = 0; i < CLAIMS; i++)
		next = store_next_due(st);
	double next_us = (now_s() - t0) / CLAIMS * 1e6;
	printf("store_next_due with %lld queued: %.1f us%s\n", (long long)large_q, next_us,
	       next > now ? " (wrong answer: messages are due)" : "");
	store_close(st);
	printf("backlog of %lld built in %.1f s\n", (long long)large_q, build_s);
	fflush(stdout);
	print_store_rss(path, large_q);

	if (access(parleyd, X_OK) == 0) {
		path_in_dir(empty, sizeof(empty), "empty.db");
		long kb, private = -1;

		kb = daemon_rss_kb(parleyd, empty, "empty.conf", &private);
		print_daemon_rss("idle, empty store", kb, private);
		remove_db(empty);
		kb = daemon_rss_kb(parleyd, path, "large.conf", &private);
		print_daemon_rss("idle, 1,000,000 queued", kb, private);
	} else {
		printf("parleyd RSS: not measured (no %s; set PARLEYD)\n", parleyd);
	}
	remove_db(path);
	if (rmdir(dir) < 0)
		fprintf(stderr, "bench_store: %s: %s\n", dir, strerror(errno));
	return 0;
}
