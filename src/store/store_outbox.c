/*
 * The event outbox (include/parley/store_outbox.h): the rows the schema's
 * triggers write, read in order and deleted once published; the store's
 * instance id; and the consent records other gateways replicate to us.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/store_outbox.h"
#include "store_internal.h"

int store_outbox_enable(struct store *st, bool on)
{
	sqlite3_stmt *s;

	if (!st)
		return -EINVAL;
	s = store_stmt(st, STMT_OUTBOX_SWITCH, "UPDATE outbox_switch SET on_ = ?1");
	return store_run_int64(st, s, on ? 1 : 0, "switching the event outbox");
}

int store_outbox_list(struct store *st, int64_t after, int limit,
		      int (*cb)(void *ctx, const struct store_outbox_row *r), void *ctx)
{
	sqlite3_stmt *s;
	int rc, n = 0;

	if (!st)
		return -EINVAL;
	if (!cb || limit <= 0)
		return store_fail(st, -EINVAL, "store_outbox_list needs a callback and a limit");
	if (!(s = store_stmt(st, STMT_OUTBOX_LIST, "SELECT id, kind, ref, state, detail, at"
			     " FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2")))
		return -EIO;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_outbox_row r = {
			.id = sqlite3_column_int64(s, 0),
			.kind = (const char *)sqlite3_column_text(s, 1),
			.ref = sqlite3_column_int64(s, 2),
			.state = (const char *)sqlite3_column_text(s, 3),
			.detail = (const char *)sqlite3_column_text(s, 4),
			.at = sqlite3_column_int64(s, 5),
		};

		n++;
		if (cb(ctx, &r))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		n = store_db_fail(st, "reading the event outbox");
	sqlite3_reset(s);
	return n;
}

int store_outbox_done(struct store *st, int64_t id)
{
	if (!st)
		return -EINVAL;
	return store_run_int64(st, store_stmt(st, STMT_OUTBOX_DONE, "DELETE FROM outbox WHERE id = ?1"),
			       id, "removing a published event");
}

int store_outbox_pending(struct store *st, int64_t *count)
{
	sqlite3_stmt *s;

	if (!st)
		return -EINVAL;
	if (!count)
		return store_fail(st, -EINVAL, "store_outbox_pending needs somewhere to count");
	*count = 0;
	if (!(s = store_stmt(st, STMT_OUTBOX_COUNT, "SELECT count(*) FROM outbox")))
		return -EIO;
	return store_row_int64(st, s, count, "counting waiting events") < 0 ? -EIO : 0;
}

int store_instance(struct store *st, char *out, size_t size)
{
	sqlite3_stmt *s;
	int rc;

	if (!st)
		return -EINVAL;
	if (!out || !size)
		return store_fail(st, -EINVAL, "store_instance needs somewhere to write");
	out[0] = '\0';
	if (!(s = store_stmt(st, STMT_INSTANCE, "SELECT instance FROM store_identity")))
		return -EIO;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);

		rc = (size_t)snprintf(out, size, "%s", v ? v : "") < size ? 0
			: store_fail(st, -EMSGSIZE, "no room for the store's instance id");
	} else {
		rc = store_db_fail(st, "reading the store's instance id");
	}
	sqlite3_reset(s);
	return rc;
}

struct first {
	int (*cb)(void *ctx, const struct store_consent_record *r);
	void *ctx;
	bool found;
};

static int first_record(void *ctx, const struct store_consent_record *r)
{
	struct first *f = ctx;

	f->found = true;
	f->cb(f->ctx, r);
	return 1;
}

int store_consent_get(struct store *st, int64_t id,
		      int (*cb)(void *ctx, const struct store_consent_record *r), void *ctx)
{
	struct first f = { .cb = cb, .ctx = ctx };
	int rc;

	if (!st)
		return -EINVAL;
	if (!cb)
		return store_fail(st, -EINVAL, "store_consent_get needs a callback");
	rc = store_consent_each_by_id(st, id, first_record, &f);
	if (rc < 0)
		return rc;
	return f.found ? 0 : store_fail(st, -ENOENT, "there is no consent record %lld", (long long)id);
}

int store_consent_replicate(struct store *st, const struct store_consent_record *r,
			    const char *origin, int64_t origin_id)
{
	sqlite3_stmt *s;
	int rc;

	if (!st)
		return -EINVAL;
	if ((rc = store_consent_check(st, r)) < 0)
		return rc;
	if (!store_str_ok(origin) || origin_id <= 0)
		return store_fail(st, -EINVAL, "a replicated record needs its origin and its id there");
	if (!(s = store_stmt(st, STMT_CONSENT_REPLICA,
			     "INSERT OR IGNORE INTO consent_ledger (number, action, scope,"
			     " scope_name, category, method, disclosure, recorded_by, at, origin,"
			     " origin_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")))
		return -EIO;
	sqlite3_bind_text(s, 1, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, strcmp(r->scope, "all") == 0 ? "" : r->scope_name, -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(s, 5, r->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, r->method, -1, SQLITE_STATIC);
	store_bind_text(s, 7, r->disclosure);
	sqlite3_bind_text(s, 8, r->recorded_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, r->at);
	sqlite3_bind_text(s, 10, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 11, origin_id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "recording a replicated consent record");
	return sqlite3_changes(st->db) == 1 ? 0 : 1;
}
