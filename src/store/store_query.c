/*
 * Reading the store for people and metrics: one message, lists, a
 * message's history, counts by state; and retention (purging bodies while
 * the rows and their history stay for audit).
 *
 * The listing functions prepare their statement on each call instead of
 * using the cache, so that a callback may itself read the store (a list
 * whose callback asks for each message's history) without reusing a
 * statement that is still stepping.
 */
#include <errno.h>
#include <string.h>

#include "store_internal.h"

int store_get(struct store *st, int64_t id, struct store_message *out)
{
	if (out)
		memset(out, 0, sizeof(*out));
	if (!st)
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "store_get needs a message to fill");
	return store_load(st, id, out);
}

int store_list(struct store *st, int state, int inbound, int limit,
	       int (*cb)(void *ctx, const struct store_message *m), void *ctx)
{
	sqlite3_stmt *s;
	int n;

	if (!st)
		return -EINVAL;
	if (!cb || state < -1 || state > STORE_PARTIAL || inbound < -1 || inbound > 1 || limit < 0)
		return store_fail(st, -EINVAL, "store_list: state %d, inbound %d, limit %d", state,
				  inbound, limit);
	if (sqlite3_prepare_v2(st->db,
			       "SELECT " STORE_MESSAGE_COLUMNS " FROM messages"
			       " WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR inbound = ?2)"
			       " ORDER BY id DESC LIMIT ?3", -1, &s, NULL) != SQLITE_OK)
		return store_db_fail(st, "listing messages");
	if (state >= 0)
		sqlite3_bind_text(s, 1, store_state_name((enum store_state)state), -1,
				  SQLITE_STATIC);
	if (inbound >= 0)
		sqlite3_bind_int(s, 2, inbound);
	sqlite3_bind_int(s, 3, limit ? limit : -1);
	n = store_each_message(st, s, cb, ctx, "listing messages");
	sqlite3_finalize(s);
	return n;
}

int store_each_message(struct store *st, sqlite3_stmt *s,
		       int (*cb)(void *ctx, const struct store_message *m), void *ctx,
		       const char *what)
{
	int rc, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_message m;
		int stop;

		if (store_row_message(s, &m) < 0)
			return store_fail(st, -ENOMEM, "out of memory %s", what);
		n++;
		stop = cb(ctx, &m);
		store_message_free(&m);
		if (stop)
			return n;
	}
	return rc == SQLITE_DONE ? n : store_db_fail(st, what);
}

int store_history(struct store *st, int64_t id,
		  int (*cb)(void *ctx, enum store_state state, int64_t at, const char *detail),
		  void *ctx)
{
	sqlite3_stmt *s;
	enum store_state state;
	int rc, n = 0;

	if (!st)
		return -EINVAL;
	if (!cb)
		return store_fail(st, -EINVAL, "store_history needs a callback");
	if ((rc = store_state_of(st, id, &state)) < 0)
		return rc;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT state, at, detail FROM message_events WHERE message_id = ?1"
			       " ORDER BY seq", -1, &s, NULL) != SQLITE_OK)
		return store_db_fail(st, "reading a message's history");
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int v = store_state_from_name((const char *)sqlite3_column_text(s, 0));

		n++;
		if (cb(ctx, v < 0 ? STORE_UNKNOWN : (enum store_state)v, sqlite3_column_int64(s, 1),
		       (const char *)sqlite3_column_text(s, 2)))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		n = store_db_fail(st, "reading a message's history");
	sqlite3_finalize(s);
	return n;
}

int store_counts(struct store *st, int64_t counts[STORE_PARTIAL + 1])
{
	sqlite3_stmt *s;
	int rc;

	if (!st)
		return -EINVAL;
	if (!counts)
		return store_fail(st, -EINVAL, "store_counts needs an array");
	memset(counts, 0, sizeof(int64_t) * (STORE_PARTIAL + 1));
	if (!(s = store_stmt(st, STMT_COUNTS, "SELECT state, n FROM state_counts")))
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int v = store_state_from_name((const char *)sqlite3_column_text(s, 0));

		if (v >= 0)
			counts[v] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, "counting messages");
}

int store_purge_bodies(struct store *st, int64_t before)
{
	sqlite3_stmt *s;
	int rc;

	if (!st)
		return -EINVAL;
	s = store_stmt(st, STMT_PURGE,
		       "UPDATE messages SET text = NULL, pdu = NULL WHERE updated_at < ?1"
		       " AND (text IS NOT NULL OR pdu IS NOT NULL)"
		       " AND state IN ('sent', 'delivered', 'failed', 'expired', 'blocked',"
		       " 'cancelled', 'received', 'partial')");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, before);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "purging old bodies");
	return sqlite3_changes(st->db);
}

int64_t store_queued_for_line(struct store *st, const char *line)
{
	sqlite3_stmt *s;
	int64_t n = 0;
	int rc;

	if (!st)
		return -EINVAL;
	if (!store_str_ok(line))
		return store_fail(st, -EINVAL, "store_queued_for_line needs a line");
	/* messages_due serves it: the line's bucket of queued messages */
	if (!(s = store_stmt(st, STMT_QUEUED_LINE, "SELECT count(*) FROM messages"
			     " WHERE state = 'queued' AND want_line = ?1")))
		return -EIO;
	sqlite3_bind_text(s, 1, line, -1, SQLITE_STATIC);
	rc = store_row_int64(st, s, &n, "counting a line's queue");
	return rc < 0 ? rc : n;
}

int store_key_last(struct store *st, const char *prefix, int64_t *at)
{
	sqlite3_stmt *s;
	size_t n;
	int rc;

	if (!st)
		return -EINVAL;
	if (!store_str_ok(prefix) || !at || (n = strlen(prefix)) > 200)
		return store_fail(st, -EINVAL, "store_key_last needs a key prefix");
	*at = 0;
	/* a range on the unique index of keys: every key that starts with the prefix */
	if (!(s = store_stmt(st, STMT_KEY_LAST, "SELECT max(created_at) FROM messages"
			     " WHERE idem_key >= ?1 AND idem_key < ?1 || x'ff'")))
		return -EIO;
	sqlite3_bind_text(s, 1, prefix, (int)n, SQLITE_STATIC);
	rc = store_row_int64(st, s, at, "looking up a key");
	return rc < 0 ? rc : 0;
}
