/*
 * The consent ledger and what the consent flow reads and writes: records
 * appended (never changed), a number's records for the gate, the audit log
 * of reads and exports, retention, the counts frequency caps need, and the
 * inbound messages still to be read for keywords.
 *
 * What the records mean is decided in policy/consent.c, not here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/store_consent.h"
#include "store_internal.h"

#define DAY_MS INT64_C(86400000)

static bool word_in(const char *v, const char *const *words, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, words[i]) == 0)
			return true;
	return false;
}

#define WORD_IN(v, ...) \
	word_in((v), (const char *const[]){ __VA_ARGS__ }, \
		sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

static int record_check(struct store *st, const struct store_consent_record *r)
{
	if (!r)
		return store_fail(st, -EINVAL, "no consent record given");
	if (!store_str_ok(r->number))
		return store_fail(st, -EINVAL, "a consent record needs a number");
	if (!WORD_IN(r->action, "grant", "revoke"))
		return store_fail(st, -EINVAL, "a consent record's action is grant or revoke");
	if (!WORD_IN(r->scope, "line", "group", "all"))
		return store_fail(st, -EINVAL, "a consent record's scope is line, group or all");
	if (strcmp(r->scope, "all") != 0 && !store_str_ok(r->scope_name))
		return store_fail(st, -EINVAL, "a %s-scoped consent record needs the %s's name",
				  r->scope, r->scope);
	if (!WORD_IN(r->category, "all", "transactional", "conversational", "marketing"))
		return store_fail(st, -EINVAL, "a consent record's category is all, transactional,"
				  " conversational or marketing");
	if (!WORD_IN(r->method, "keyword", "web", "agent", "import", "cli", "api"))
		return store_fail(st, -EINVAL, "a consent record's method is keyword, web, agent,"
				  " import, cli or api");
	if (!store_str_ok(r->recorded_by))
		return store_fail(st, -EINVAL, "a consent record needs who recorded it");
	if (r->at <= 0 || r->message_id < 0)
		return store_fail(st, -EINVAL, "a consent record needs the time it was given");
	return 0;
}

int store_consent_check(struct store *st, const struct store_consent_record *r)
{
	return st ? record_check(st, r) : -EINVAL;
}

static int consent_add_locked(struct store *st, const struct store_consent_record *r,
			      int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CONSENT_ADD,
				     "INSERT INTO consent_ledger (number, action, scope, scope_name,"
				     " category, method, disclosure, recorded_by, message_id, at)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	int rc;

	if (!s)
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
	if (r->message_id)
		sqlite3_bind_int64(s, 9, r->message_id);
	sqlite3_bind_int64(s, 10, r->at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "recording consent");
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_consent_add(struct store *st, const struct store_consent_record *r, int64_t *id)
{
	int rc;

	if (id)
		*id = 0;
	if (!st)
		return -EINVAL;
	if ((rc = record_check(st, r)) < 0 || (rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, consent_add_locked(st, r, id));
}

static const char *column_text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

#define CONSENT_COLUMNS \
	"id, number, action, scope, scope_name, category, method, disclosure, recorded_by," \
	" coalesce(message_id, 0), at, origin, coalesce(origin_id, 0)"

/* Hands every row of s (CONSENT_COLUMNS) to cb; how many, or store_db_fail. */
static int each_record(struct store *st, sqlite3_stmt *s,
		       int (*cb)(void *ctx, const struct store_consent_record *r), void *ctx)
{
	int rc, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_consent_record r = {
			.id = sqlite3_column_int64(s, 0),
			.number = column_text(s, 1),
			.action = column_text(s, 2),
			.scope = column_text(s, 3),
			.scope_name = column_text(s, 4),
			.category = column_text(s, 5),
			.method = column_text(s, 6),
			.disclosure = column_text(s, 7),
			.recorded_by = column_text(s, 8),
			.message_id = sqlite3_column_int64(s, 9),
			.at = sqlite3_column_int64(s, 10),
			.origin = column_text(s, 11),
			.origin_id = sqlite3_column_int64(s, 12),
		};

		n++;
		if (cb(ctx, &r))
			return n;
	}
	return rc == SQLITE_DONE ? n : store_db_fail(st, "reading the consent ledger");
}

int store_consent_list(struct store *st, const char *number,
		       int (*cb)(void *ctx, const struct store_consent_record *r), void *ctx)
{
	sqlite3_stmt *s, *own = NULL;
	int n;

	if (!st)
		return -EINVAL;
	if (!cb || (number && !*number))
		return store_fail(st, -EINVAL, "store_consent_list needs a callback");
	if (number) {
		s = store_stmt(st, STMT_CONSENT_LIST, "SELECT " CONSENT_COLUMNS
			       " FROM consent_ledger WHERE number = ?1 ORDER BY id");
		if (!s)
			return -EIO;
		sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
	} else {
		/* a whole export is rare: prepared for the call, not kept */
		if (sqlite3_prepare_v2(st->db, "SELECT " CONSENT_COLUMNS " FROM consent_ledger"
				       " ORDER BY number, id", -1, &own, NULL) != SQLITE_OK)
			return store_db_fail(st, "reading the consent ledger");
		s = own;
	}
	n = each_record(st, s, cb, ctx);
	if (own)
		sqlite3_finalize(own);
	else
		sqlite3_reset(s);
	return n;
}

int store_consent_each_by_id(struct store *st, int64_t id,
			     int (*cb)(void *ctx, const struct store_consent_record *r), void *ctx)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CONSENT_GET, "SELECT " CONSENT_COLUMNS
				     " FROM consent_ledger WHERE id = ?1");
	int n;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	n = each_record(st, s, cb, ctx);
	sqlite3_reset(s);
	return n;
}

int store_consent_audit(struct store *st, const char *operation, const char *who,
			const char *detail, int64_t now)
{
	sqlite3_stmt *s;
	int rc;

	if (!st)
		return -EINVAL;
	if (!store_str_ok(operation) || !store_str_ok(who))
		return store_fail(st, -EINVAL, "an audit entry needs an operation and who did it");
	if (!(s = store_stmt(st, STMT_AUDIT_ADD, "INSERT INTO consent_audit (at, operation, who,"
			     " detail) VALUES (?1, ?2, ?3, ?4)")))
		return -EIO;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_text(s, 2, operation, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, who, -1, SQLITE_STATIC);
	store_bind_text(s, 4, detail);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_fail(st, "recording an audit entry");
	sqlite3_reset(s);
	return rc;
}

/* One-off statements of the purge: rare, so not kept prepared. */
static int exec_int64(struct store *st, const char *sql, int64_t v, const char *what)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_db_fail(st, what);
	sqlite3_bind_int64(s, 1, v);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_fail(st, what);
	sqlite3_finalize(s);
	return rc;
}

static int purge_locked(struct store *st, int64_t retention_ms, int64_t now)
{
	int rc = exec_int64(st, "UPDATE consent_retention SET ms = ?1", retention_ms,
			    "setting the consent retention");

	if (rc < 0)
		return rc;
	rc = exec_int64(st, "DELETE FROM consent_ledger WHERE at < ?1", now - retention_ms,
			"deleting consent records past their retention");
	return rc < 0 ? rc : sqlite3_changes(st->db);
}

int store_consent_purge(struct store *st, int64_t retention_ms, int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if (retention_ms < DAY_MS)
		return store_fail(st, -EINVAL, "consent records are kept for a day at least");
	if ((rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, purge_locked(st, retention_ms, now));
}

int store_sent_count(struct store *st, const char *number, const char *category, int64_t since,
		     int64_t *count, int64_t *oldest)
{
	sqlite3_stmt *s;
	int rc;

	if (!st)
		return -EINVAL;
	if (!store_str_ok(number) || !store_str_ok(category) || !count || !oldest)
		return store_fail(st, -EINVAL, "store_sent_count needs a number and a category");
	/* messages_peer_out serves it: the recipient's recent sends, filtered by category */
	if (!(s = store_stmt(st, STMT_SENT_COUNT,
			     "SELECT count(*), coalesce(min(sent_at), 0) FROM messages"
			     " WHERE peer = ?1 AND sent_at IS NOT NULL AND sent_at >= ?2"
			     " AND category = ?3")))
		return -EIO;
	sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_text(s, 3, category, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(s, 0);
		*oldest = sqlite3_column_int64(s, 1);
		rc = 0;
	} else {
		rc = store_db_fail(st, "counting recent sends");
	}
	sqlite3_reset(s);
	return rc;
}

int store_purpose_last(struct store *st, const char *number, const char *purpose, int64_t *at)
{
	sqlite3_stmt *s;
	int rc;

	if (!st)
		return -EINVAL;
	if (!store_str_ok(number) || !store_str_ok(purpose) || !at)
		return store_fail(st, -EINVAL, "store_purpose_last needs a number and a purpose");
	*at = 0;
	if (!(s = store_stmt(st, STMT_PURPOSE_LAST,
			     "SELECT created_at FROM messages WHERE peer = ?1 AND purpose = ?2"
			     " ORDER BY created_at DESC LIMIT 1")))
		return -EIO;
	sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, purpose, -1, SQLITE_STATIC);
	rc = store_row_int64(st, s, at, "looking up the last reply");
	return rc < 0 ? rc : 0;
}

int store_inbound_pending(struct store *st, int limit,
			  int (*cb)(void *ctx, const struct store_message *m), void *ctx)
{
	sqlite3_stmt *s;
	int n;

	if (!st)
		return -EINVAL;
	if (!cb || limit <= 0)
		return store_fail(st, -EINVAL, "store_inbound_pending needs a callback and a limit");
	if (!(s = store_stmt(st, STMT_POLICY_TODO, "SELECT " STORE_MESSAGE_COLUMNS
			     " FROM messages WHERE policy_done = 0 ORDER BY id LIMIT ?1")))
		return -EIO;
	sqlite3_bind_int(s, 1, limit);
	n = store_each_message(st, s, cb, ctx, "reading messages to check for keywords");
	sqlite3_reset(s);
	return n;
}

static int settle_locked(struct store *st, int64_t id, const char *keyword,
			 const struct store_consent_record *record,
			 const struct store_new_message *reply, const char *category, int64_t now,
			 int64_t *reply_id)
{
	sqlite3_stmt *s = store_stmt(st, STMT_POLICY_DONE,
				     "UPDATE messages SET policy_done = 1, keyword = ?2"
				     " WHERE id = ?1 AND inbound = 1 AND policy_done = 0");
	bool existing = false;
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, keyword);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_fail(st, "settling a message");
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	if (sqlite3_changes(st->db) != 1) {
		enum store_state state;

		if (store_state_of(st, id, &state) < 0)
			return store_fail(st, -ENOENT, "there is no inbound message %lld",
					  (long long)id);
		return store_fail(st, -EALREADY, "message %lld was settled already",
				  (long long)id);
	}
	if (record) {
		struct store_consent_record r = *record;

		r.message_id = id;
		if ((rc = consent_add_locked(st, &r, NULL)) < 0)
			return rc;
	}
	if (reply)
		return store_enqueue_locked(st, reply, category, now, reply_id, &existing);
	return 0;
}

int store_inbound_settle(struct store *st, int64_t id, const char *keyword,
			 const struct store_consent_record *record,
			 const struct store_new_message *reply, int64_t now, int64_t *reply_id)
{
	const char *category = NULL;
	int64_t rid = 0;
	int rc;

	if (reply_id)
		*reply_id = 0;
	if (!st)
		return -EINVAL;
	if (keyword && !*keyword)
		return store_fail(st, -EINVAL, "an empty keyword (NULL means none)");
	if (record && (rc = record_check(st, record)) < 0)
		return rc;
	if (reply && (rc = store_enqueue_check(st, reply, &category)) < 0)
		return rc;
	if (reply && !reply->purpose)
		return store_fail(st, -EINVAL, "the consent flow's reply needs its purpose");
	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = store_end(st, settle_locked(st, id, keyword, record, reply, category, now, &rid));
	if (rc == 0 && reply_id)
		*reply_id = rid;
	return rc;
}
