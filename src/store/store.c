/*
 * The store's handle: opening the database with its settings, closing it,
 * the error sentence, the cache of prepared statements, transactions and
 * making commits durable. What the tables hold is in the other store_*.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static void set_err(char *err, size_t err_size, const char *text)
{
	if (err && err_size)
		snprintf(err, err_size, "%s", text);
}

int store_fail(struct store *st, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->error, sizeof(st->error), fmt, ap);
	va_end(ap);
	return err;
}

int store_db_fail(struct store *st, const char *what)
{
	int code = sqlite3_errcode(st->db) & 0xff;     /* the primary code of an extended one */

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return store_fail(st, -EIO,
				  "%s: the database stayed locked by another process for %d ms",
				  what, STORE_BUSY_TIMEOUT_MS);
	return store_fail(st, -EIO, "%s: %s", what, sqlite3_errmsg(st->db));
}

sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id, const char *sql)
{
	sqlite3_stmt *s = st->stmt[id];

	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		store_db_fail(st, "preparing a statement");
		return NULL;
	}
	st->stmt[id] = s;
	return s;
}

int store_bind_text(sqlite3_stmt *s, int col, const char *text)
{
	if (!text)
		return sqlite3_bind_null(s, col);
	return sqlite3_bind_text(s, col, text, -1, SQLITE_STATIC);
}

/* Runs a statement that returns no rows we want. */
static int run(struct store *st, enum store_stmt id, const char *sql, const char *what)
{
	sqlite3_stmt *s = store_stmt(st, id, sql);
	int rc;

	if (!s)
		return -EIO;
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_db_fail(st, what);
		sqlite3_reset(s);
		return -EIO;
	}
	sqlite3_reset(s);
	return 0;
}

int store_begin(struct store *st)
{
	return run(st, STMT_BEGIN, "BEGIN IMMEDIATE", "starting a transaction");
}

int store_end(struct store *st, int rc)
{
	if (rc < 0) {
		/* keep the first error's sentence, not the rollback's */
		char keep[STORE_ERROR_MAX];

		memcpy(keep, st->error, sizeof(keep));
		if (sqlite3_get_autocommit(st->db) == 0)
			run(st, STMT_ROLLBACK, "ROLLBACK", "rolling back");
		memcpy(st->error, keep, sizeof(keep));
		return rc;
	}
	if (run(st, STMT_COMMIT, "COMMIT", "committing") < 0) {
		if (sqlite3_get_autocommit(st->db) == 0)
			run(st, STMT_ROLLBACK, "ROLLBACK", "rolling back");
		return -EIO;
	}
	return rc;
}

/* One PRAGMA (constant text, no data in it); its first column into out when given. */
static int pragma(struct store *st, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_db_fail(st, sql);
	rc = sqlite3_step(s);
	if (out && size) {
		const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;

		snprintf(out, size, "%s", v ? (const char *)v : "");
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_db_fail(st, sql);
		sqlite3_finalize(s);
		return -EIO;
	}
	sqlite3_finalize(s);
	return 0;
}

/*
 * Durability. In WAL mode synchronous=NORMAL writes each commit to the WAL
 * before COMMIT returns, so a commit survives the process dying at any
 * moment (kill -9, a crash); the database is never corrupted by a power cut
 * either, but the commits since the WAL was last fsynced (at a checkpoint)
 * may be rolled back by one. FULL would fsync at every commit: on an SD card
 * that is a few hundred commits a second, far below the 20,000 enqueues a
 * second the queue is meant to take. So: NORMAL, plus store_sync(), which
 * fsyncs the WAL once for every commit before it and is called where a
 * commit is about to have effects outside the store (a PDU to the modem, a
 * message deleted from the SIM, an "accepted" to a client). The daemon pays
 * one fsync per loop turn rather than one per commit.
 */
static int configure(struct store *st)
{
	char mode[16];
	int rc;

	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	/*
	 * Small pages for small transactions: an enqueue dirties about five
	 * pages (row, two queue indexes, history, counts), each copied whole
	 * into the WAL and later fsynced by the checkpoint. At 1 KiB that is
	 * 5 KiB a message instead of 20: measured, 16-19,000 enqueues/s at
	 * 4 KiB against 25-30,000 at 1 KiB, and a quarter of the flash wear.
	 * Rows are a few hundred bytes; texts past ~990 bytes take an overflow
	 * page. Only a new file takes it: it must come before the first write.
	 */
	if ((rc = pragma(st, "PRAGMA page_size = 1024", NULL, 0)) < 0)
		return rc;
	if (!st->memory) {
		if ((rc = pragma(st, "PRAGMA journal_mode = WAL", mode, sizeof(mode))) < 0)
			return rc;
		if (strcmp(mode, "wal") != 0)
			return store_fail(st, -EIO, "the database would not switch to WAL"
					  " mode (it says %s)", mode);
	}
	if ((rc = pragma(st, "PRAGMA synchronous = NORMAL", NULL, 0)) < 0)
		return rc;
	if ((rc = pragma(st, "PRAGMA foreign_keys = ON", NULL, 0)) < 0)
		return rc;
	/* a burst can grow the WAL; give the space back to the flash after checkpoints */
	return pragma(st, "PRAGMA journal_size_limit = 4194304", NULL, 0);
}

int store_open(const char *path, struct store **out, char *err, size_t err_size)
{
	struct store *st;
	int rc;

	if (out)
		*out = NULL;
	if (!store_str_ok(path) || !out) {
		set_err(err, err_size, "store_open needs a path and somewhere to put the store");
		return -EINVAL;
	}
	if (!(st = calloc(1, sizeof(*st)))) {
		set_err(err, err_size, "out of memory opening the store");
		return -ENOMEM;
	}
	st->memory = strcmp(path, ":memory:") == 0;
	/* one thread per handle (the daemon's loop), so no SQLite mutexes */
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (st->db)
			snprintf(st->error, sizeof(st->error), "cannot open %s: %s", path,
				 sqlite3_errmsg(st->db));
		else
			snprintf(st->error, sizeof(st->error), "cannot open %s: out of memory",
				 path);
		rc = st->db ? -EIO : -ENOMEM;
		goto fail;
	}
	if ((rc = configure(st)) < 0 || (rc = store_migrate(st)) < 0) {
		char why[STORE_ERROR_MAX];

		memcpy(why, st->error, sizeof(why));
		store_fail(st, rc, "%s: %s", path, why);
		goto fail;
	}
	*out = st;
	return 0;
fail:
	set_err(err, err_size, st->error);
	store_close(st);
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	/* a closed store is a durable one: the CLI's "queued" holds after a power cut */
	store_sync(st);
	for (int i = 0; i < STORE_STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	free(st);
}

const char *store_error(const struct store *st)
{
	return st ? st->error : "no store (NULL handle)";
}

int store_sync(struct store *st)
{
	sqlite3_file *wal = NULL;
	int rc;

	if (!st)
		return -EINVAL;
	if (st->memory || !st->db)
		return 0;
	rc = sqlite3_file_control(st->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
	/* no WAL open yet: nothing was written through this handle */
	if (rc != SQLITE_OK || !wal || !wal->pMethods)
		return 0;
	if (wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL) != SQLITE_OK)
		return store_fail(st, -EIO, "could not flush the write-ahead log to disk");
	return 0;
}

int store_row_int64(struct store *st, sqlite3_stmt *s, int64_t *out, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : store_db_fail(st, what);
	}
	sqlite3_reset(s);
	return rc;
}

int store_run_int64(struct store *st, sqlite3_stmt *s, int64_t v, const char *what)
{
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, v);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, what);
}

void store_set_gate(struct store *st, store_gate_fn *fn, void *ctx)
{
	if (!st)
		return;
	st->gate = fn;
	st->gate_ctx = fn ? ctx : NULL;
}

int store_refusal(const struct store *st, struct store_gate_verdict *v)
{
	if (!st || !v)
		return -EINVAL;
	if (!st->refused)
		return -ENOENT;
	*v = st->refusal;
	return 0;
}
