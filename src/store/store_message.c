/*
 * The message record: state names as stored, a row read into struct
 * store_message, and the one way a state changes (the row and its
 * message_events entry, in the caller's transaction).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

static const char *const state_names[] = {
	[STORE_QUEUED] = "queued",
	[STORE_SENDING] = "sending",
	[STORE_SENT] = "sent",
	[STORE_DELIVERED] = "delivered",
	[STORE_FAILED] = "failed",
	[STORE_EXPIRED] = "expired",
	[STORE_BLOCKED] = "blocked",
	[STORE_UNKNOWN] = "unknown",
	[STORE_HELD] = "held",
	[STORE_CANCELLED] = "cancelled",
	[STORE_RECEIVED] = "received",
	[STORE_PARTIAL] = "partial",
};

_Static_assert(sizeof(state_names) / sizeof(state_names[0]) == STORE_PARTIAL + 1,
	       "every store state needs its stored name");

const char *store_state_name(enum store_state s)
{
	if ((unsigned)s > STORE_PARTIAL)
		return "?";
	return state_names[s];
}

int store_state_from_name(const char *name)
{
	if (!name)
		return -EINVAL;
	for (int i = 0; i <= STORE_PARTIAL; i++)
		if (strcmp(state_names[i], name) == 0)
			return i;
	return -EINVAL;
}

static bool one_of(const char *v, const char *const *words, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, words[i]) == 0)
			return true;
	return false;
}

bool store_category_valid(const char *category)
{
	static const char *const words[] = { "transactional", "conversational", "marketing" };

	return one_of(category, words, sizeof(words) / sizeof(words[0]));
}

bool store_purpose_valid(const char *purpose)
{
	static const char *const words[] = { "opt_out_confirmation", "opt_in_confirmation",
					     "help" };

	return one_of(purpose, words, sizeof(words) / sizeof(words[0]));
}

void store_message_free(struct store_message *m)
{
	if (!m)
		return;
	free(m->peer);
	free(m->want_line);
	free(m->line);
	free(m->text);
	free(m->key);
	free(m->category);
	free(m->error);
	free(m->purpose);
	free(m->keyword);
	free(m->policy);
	free(m->agent);
	memset(m, 0, sizeof(*m));
}

/* A copy of column col, NULL for NULL; false only when out of memory. */
static bool column_dup(sqlite3_stmt *s, int col, char **out)
{
	const unsigned char *v = sqlite3_column_text(s, col);

	*out = NULL;
	if (!v)
		return sqlite3_column_type(s, col) == SQLITE_NULL;
	*out = strdup((const char *)v);
	return *out != NULL;
}

int store_row_message(sqlite3_stmt *s, struct store_message *m)
{
	int state;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, 0);
	m->inbound = sqlite3_column_int(s, 1) != 0;
	state = store_state_from_name((const char *)sqlite3_column_text(s, 2));
	/* a name from a newer build cannot be here: the schema version guards it */
	m->state = state < 0 ? STORE_UNKNOWN : (enum store_state)state;
	if (!column_dup(s, 3, &m->peer) || !column_dup(s, 4, &m->want_line) ||
	    !column_dup(s, 5, &m->line) || !column_dup(s, 6, &m->text) ||
	    !column_dup(s, 7, &m->key) || !column_dup(s, 8, &m->category) ||
	    !column_dup(s, 9, &m->error) || !column_dup(s, 18, &m->purpose) ||
	    !column_dup(s, 19, &m->keyword) || !column_dup(s, 20, &m->policy) ||
	    !column_dup(s, 21, &m->agent)) {
		store_message_free(m);
		return -ENOMEM;
	}
	m->priority = sqlite3_column_int(s, 10);
	m->report = sqlite3_column_int(s, 11) != 0;
	m->attempts = sqlite3_column_int(s, 12);
	m->segments = sqlite3_column_int(s, 13);
	m->created_at = sqlite3_column_int64(s, 14);
	m->send_at = sqlite3_column_int64(s, 15);
	m->expire_at = sqlite3_column_int64(s, 16);
	m->updated_at = sqlite3_column_int64(s, 17);
	m->conversation_id = sqlite3_column_int64(s, 22);
	return 0;
}

int store_load(struct store *st, int64_t id, struct store_message *m)
{
	sqlite3_stmt *s = store_stmt(st, STMT_LOAD, "SELECT " STORE_MESSAGE_COLUMNS
				     " FROM messages WHERE id = ?1");
	int rc;

	memset(m, 0, sizeof(*m));
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		rc = store_row_message(s, m);
		if (rc < 0)
			store_fail(st, rc, "out of memory reading message %lld", (long long)id);
	} else if (rc == SQLITE_DONE) {
		rc = store_fail(st, -ENOENT, "there is no message %lld", (long long)id);
	} else {
		rc = store_db_fail(st, "reading a message");
	}
	sqlite3_reset(s);
	return rc;
}

int store_state_of(struct store *st, int64_t id, enum store_state *state)
{
	sqlite3_stmt *s = store_stmt(st, STMT_STATE_OF, "SELECT state FROM messages WHERE id = ?1");
	int rc, v;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		v = store_state_from_name((const char *)sqlite3_column_text(s, 0));
		*state = v < 0 ? STORE_UNKNOWN : (enum store_state)v;
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = store_fail(st, -ENOENT, "there is no message %lld", (long long)id);
	} else {
		rc = store_db_fail(st, "reading a message's state");
	}
	sqlite3_reset(s);
	return rc;
}

int store_event(struct store *st, int64_t id, enum store_state state, int64_t at,
		const char *detail)
{
	sqlite3_stmt *s = store_stmt(st, STMT_EVENT,
				     "INSERT INTO message_events (message_id, seq, state, at,"
				     " detail) SELECT id, events + 1, ?2, ?3, ?4 FROM messages"
				     " WHERE id = ?1");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, store_state_name(state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, at);
	store_bind_text(s, 4, detail);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_fail(st, "recording a state change");
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	if (sqlite3_changes(st->db) != 1)
		return store_fail(st, -ENOENT, "there is no message %lld", (long long)id);
	if (!(s = store_stmt(st, STMT_EVENT_COUNT,
			     "UPDATE messages SET events = events + 1 WHERE id = ?1")))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_fail(st, "recording a state change");
	sqlite3_reset(s);
	return rc;
}

int store_move(struct store *st, int64_t id, enum store_state state, const char *error,
	       const char *detail, int64_t now)
{
	/* error is kept when NULL: the last error stays readable after a retry */
	sqlite3_stmt *s = store_stmt(st, STMT_MOVE,
				     "UPDATE messages SET state = ?2, updated_at = ?3,"
				     " error = coalesce(?4, error) WHERE id = ?1");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, store_state_name(state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	store_bind_text(s, 4, error);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_fail(st, "changing a message's state");
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return store_fail(st, -ENOENT, "there is no message %lld", (long long)id);
	return store_event(st, id, state, now, detail);
}
