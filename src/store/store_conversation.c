/*
 * Conversations (include/parley/store_conversation.h): messages linked to
 * their (line, peer) conversation in the transaction that stores, queues or
 * claims them; agents' actions (claim, release, transfer, close, reopen,
 * read, tags, notes), each one transaction; reading conversations and their
 * history back.
 *
 * Which state follows which event is policy/conversation.c's rule; this
 * file applies it and keeps the counters beside it (unread, waiting_since,
 * last_in_at, last_out_at). Every change is one UPDATE (or INSERT) of the
 * conversation's row that sets updated_at and last_change, so the schema's
 * trigger writes exactly one outbox event for it; an action that changes
 * nothing writes nothing.
 *
 * Claims are first come, first served across processes: every write here
 * runs in a BEGIN IMMEDIATE transaction (store_begin), so the assignee a
 * claim reads cannot change before it writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/store_conversation.h"
#include "parley/utf8.h"
#include "store_internal.h"

#define TAG_MAX_LEN 32
#define STATES_ALL ((1u << (CONV_CLOSED + 1)) - 1)

#define CONV_COLUMNS \
	"id, line, peer, state, assignee, unread, created_at, updated_at, last_in_at," \
	" last_out_at, waiting_since"

/* ---- checks ---- */

/* An agent's name: 1..STORE_AGENT_MAX bytes of UTF-8 without control characters. */
static bool agent_ok(const char *name)
{
	size_t n;

	if (!name || !*name || (n = strlen(name)) > STORE_AGENT_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return utf8_validate(name, n) == 0;
}

static int agent_check(struct store *st, const char *name, const char *who)
{
	if (agent_ok(name))
		return 0;
	return store_fail(st, -EINVAL, "%s must be an agent's name: 1 to %d bytes of UTF-8"
			  " without control characters", who, STORE_AGENT_MAX);
}

static bool tag_ok(const char *tag)
{
	size_t n = tag ? strlen(tag) : 0;

	if (n < 1 || n > TAG_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = tag[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* ---- linking messages ---- */

/* The conversation of (line, peer): 1 with its id, state, unread and waiting_since, 0 none. */
struct found {
	int64_t id;
	enum conv_state state;
	int unread;
	int64_t waiting_since;
};

static enum conv_state state_of_column(sqlite3_stmt *s, int col)
{
	int v = conversation_state_from_name((const char *)sqlite3_column_text(s, col));

	/* the CHECK constraint admits the four names only */
	return v < 0 ? CONV_OPEN : (enum conv_state)v;
}

static sqlite3_stmt *find_stmt(struct store *st)
{
	return store_stmt(st, STMT_CONV_FIND, "SELECT " CONV_COLUMNS " FROM conversations"
			  " WHERE peer = ?1 AND line = ?2");
}

static int find_pair(struct store *st, const char *line, const char *peer, struct found *f)
{
	sqlite3_stmt *s = find_stmt(st);
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, line, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		f->id = sqlite3_column_int64(s, 0);
		f->state = state_of_column(s, 3);
		f->unread = sqlite3_column_int(s, 5);
		f->waiting_since = sqlite3_column_int64(s, 10);
		rc = 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : store_db_fail(st, "finding a conversation");
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * What automated message answering customer message `answers` does to f: it
 * ends the wait (AUTO_ANSWER, waiting_since 0) unless another customer
 * message of the same wait is still unanswered (one that came before it, or
 * after it and not read by the consent flow yet); then it is an ordinary
 * automated message and the wait counts from the oldest message left.
 * 0 with *ev, -EINVAL when answers is not a customer's message in f, -EIO.
 */
static int answer_event(struct store *st, struct found *f, int64_t answers, enum conv_event *ev)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CONV_ANSWERED, "SELECT created_at FROM messages"
				     " WHERE id = ?1 AND inbound = 1 AND conversation_id = ?2");
	int64_t at, oldest = 0;
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, answers);
	sqlite3_bind_int64(s, 2, f->id);
	if ((rc = store_row_int64(st, s, &at, "finding the message answered")) < 0)
		return rc;
	if (rc == 0)
		return store_fail(st, -EINVAL, "message %lld is not a customer's message in"
				  " conversation %lld", (long long)answers, (long long)f->id);
	if (f->waiting_since) {
		/* messages_conversation (conversation_id, created_at): one seek */
		s = store_stmt(st, STMT_CONV_STILL_WAITING, "SELECT created_at FROM messages"
			       " WHERE conversation_id = ?1 AND created_at >= ?2 AND inbound = 1"
			       " AND id <> ?3 ORDER BY created_at LIMIT 1");
		if (!s)
			return -EIO;
		sqlite3_bind_int64(s, 1, f->id);
		sqlite3_bind_int64(s, 2, f->waiting_since);
		sqlite3_bind_int64(s, 3, answers);
		if ((rc = store_row_int64(st, s, &oldest, "looking for unanswered messages")) < 0)
			return rc;
	}
	*ev = oldest ? CONV_EV_AUTO_MESSAGE : CONV_EV_AUTO_ANSWER;
	f->waiting_since = oldest;
	return 0;
}

/* The change in words, for the event: who wrote, and whether it opened the conversation. */
static void touch_detail(char *out, size_t size, enum conv_event ev, const char *agent,
			 int64_t message_id, int64_t answers, const char *opened)
{
	long long mid = (long long)message_id;

	switch (ev) {
	case CONV_EV_CUSTOMER_MESSAGE:
		snprintf(out, size, "%sthe customer wrote (message %lld)", opened, mid);
		return;
	case CONV_EV_AGENT_MESSAGE:
		snprintf(out, size, "%s%s replied (message %lld)", opened, agent, mid);
		return;
	case CONV_EV_AUTO_ANSWER:
		snprintf(out, size, "%sanswered automatically (message %lld to message %lld)",
			 opened, mid, (long long)answers);
		return;
	case CONV_EV_AUTO_MESSAGE:
	case CONV_EV_CLOSE:
	case CONV_EV_REOPEN:
		break;
	}
	snprintf(out, size, "%sautomated message %lld", opened, mid);
}

static int open_conversation(struct store *st, const char *line, const char *peer,
			     enum conv_event ev, const char *detail, int64_t now, int64_t *id)
{
	bool in = ev == CONV_EV_CUSTOMER_MESSAGE;
	sqlite3_stmt *s = store_stmt(st, STMT_CONV_NEW,
				     "INSERT INTO conversations (line, peer, state, unread,"
				     " created_at, updated_at, last_in_at, waiting_since, last_change)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?6, ?7)");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, line, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, peer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, conversation_state_name(conversation_first(ev)), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(s, 4, in ? 1 : 0);
	sqlite3_bind_int64(s, 5, now);
	sqlite3_bind_int64(s, 6, in ? now : 0);
	sqlite3_bind_text(s, 7, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "opening a conversation");
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Applies ev to an existing conversation: state, counters, and the assignee leaving closed. */
static int advance(struct store *st, const struct found *f, enum conv_event ev,
		   const char *detail, int64_t now)
{
	enum conv_state next = conversation_next(f->state, ev);
	int unread = f->unread;
	int64_t waiting = f->waiting_since;
	sqlite3_stmt *s;
	int rc;

	if (ev == CONV_EV_CUSTOMER_MESSAGE) {
		unread++;
		if (!waiting)
			waiting = now;
	} else if (ev == CONV_EV_AGENT_MESSAGE) {
		/* a person answered: nothing is unread or waiting any more */
		unread = 0;
		waiting = 0;
	} else if (ev == CONV_EV_AUTO_ANSWER) {
		/* answered, but no person has read it: unread stays for the agents */
		waiting = 0;
	}
	s = store_stmt(st, STMT_CONV_TOUCH,
		       "UPDATE conversations SET state = ?2, unread = ?3, waiting_since = ?4,"
		       " last_in_at = CASE WHEN ?5 THEN ?6 ELSE last_in_at END,"
		       " assignee = CASE WHEN ?7 THEN NULL ELSE assignee END,"
		       " updated_at = ?6, last_change = ?8 WHERE id = ?1");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, f->id);
	sqlite3_bind_text(s, 2, conversation_state_name(next), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, unread);
	sqlite3_bind_int64(s, 4, waiting);
	sqlite3_bind_int(s, 5, ev == CONV_EV_CUSTOMER_MESSAGE);
	sqlite3_bind_int64(s, 6, now);
	/* a conversation that comes back from closed is nobody's: the queue takes it */
	sqlite3_bind_int(s, 7, f->state == CONV_CLOSED && next != CONV_CLOSED);
	sqlite3_bind_text(s, 8, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, "updating a conversation");
}

int store_conversation_touch(struct store *st, const char *line, const char *peer,
			     int64_t message_id, bool inbound, const char *agent, int64_t answers,
			     int64_t now, int64_t *conversation_id)
{
	enum conv_event ev = inbound ? CONV_EV_CUSTOMER_MESSAGE
			     : agent ? CONV_EV_AGENT_MESSAGE : CONV_EV_AUTO_MESSAGE;
	char detail[STORE_DETAIL_MAX];
	struct found f = { 0 };
	sqlite3_stmt *s;
	int rc;

	if ((rc = find_pair(st, line, peer, &f)) < 0)
		return rc;
	if (rc == 0 && answers)
		return store_fail(st, -EINVAL, "message %lld is not a customer's message on %s",
				  (long long)answers, line);
	if (rc == 0) {
		touch_detail(detail, sizeof(detail), ev, agent, message_id, 0, "opened: ");
		rc = open_conversation(st, line, peer, ev, detail, now, &f.id);
	} else {
		bool back;

		if (!inbound && !agent && answers && (rc = answer_event(st, &f, answers, &ev)) < 0)
			return rc;
		back = f.state == CONV_CLOSED && conversation_next(f.state, ev) != CONV_CLOSED;
		touch_detail(detail, sizeof(detail), ev, agent, message_id, answers,
			     back ? "reopened: " : "");
		rc = advance(st, &f, ev, detail, now);
	}
	if (rc < 0)
		return rc;
	s = store_stmt(st, STMT_CONV_LINK, "UPDATE messages SET conversation_id = ?2 WHERE id = ?1");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, message_id);
	sqlite3_bind_int64(s, 2, f.id);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "linking a message to its conversation");
	if (conversation_id)
		*conversation_id = f.id;
	return 0;
}

int store_conversation_sent(struct store *st, int64_t message_id, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CONV_SENT,
				     "UPDATE conversations SET last_out_at = ?2"
				     " WHERE id = (SELECT conversation_id FROM messages WHERE id = ?1)");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, message_id);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, "recording a send in its conversation");
}

/* ---- reading ---- */

void store_conversation_free(struct store_conversation *c)
{
	if (!c)
		return;
	free(c->line);
	free(c->peer);
	free(c->assignee);
	for (size_t i = 0; i < c->ntags && i < STORE_TAGS_MAX; i++)
		free(c->tags[i]);
	memset(c, 0, sizeof(*c));
}

static bool dup_column(sqlite3_stmt *s, int col, char **out)
{
	const char *v = (const char *)sqlite3_column_text(s, col);

	*out = v ? strdup(v) : NULL;
	return !v || *out;
}

/* The conversation's tags, in name order, into c. 0, -ENOMEM, -EIO. */
static int read_tags(struct store *st, struct store_conversation *c)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CONV_TAGS, "SELECT tag FROM conversation_tags"
				     " WHERE conversation_id = ?1 ORDER BY tag");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, c->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && c->ntags < STORE_TAGS_MAX) {
		if (!dup_column(s, 0, &c->tags[c->ntags])) {
			sqlite3_reset(s);
			return store_fail(st, -ENOMEM, "out of memory reading tags");
		}
		c->ntags++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_fail(st, "reading a conversation's tags");
	return 0;
}

/* Fills c (zeroed first) from a row of CONV_COLUMNS, tags included; freed on failure. */
static int conv_row(struct store *st, sqlite3_stmt *s, struct store_conversation *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->state = state_of_column(s, 3);
	c->unread = sqlite3_column_int(s, 5);
	c->created_at = sqlite3_column_int64(s, 6);
	c->updated_at = sqlite3_column_int64(s, 7);
	c->last_in_at = sqlite3_column_int64(s, 8);
	c->last_out_at = sqlite3_column_int64(s, 9);
	c->waiting_since = sqlite3_column_int64(s, 10);
	if (!dup_column(s, 1, &c->line) || !dup_column(s, 2, &c->peer) ||
	    !dup_column(s, 4, &c->assignee)) {
		store_conversation_free(c);
		return store_fail(st, -ENOMEM, "out of memory reading a conversation");
	}
	return 0;
}

/* Steps s (one row of CONV_COLUMNS wanted) into out, tags read after s is reset. */
static int read_one(struct store *st, sqlite3_stmt *s, struct store_conversation *out,
		    const char *missing)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		rc = conv_row(st, s, out);
	else if (rc == SQLITE_DONE)
		rc = store_fail(st, -ENOENT, "there is no conversation %s", missing);
	else
		rc = store_db_fail(st, "reading a conversation");
	/* reset before reading tags: no read stays open across statements */
	sqlite3_reset(s);
	if (rc == 0 && (rc = read_tags(st, out)) < 0)
		store_conversation_free(out);
	return rc;
}

int store_conversation_get(struct store *st, int64_t id, struct store_conversation *out)
{
	char what[32];
	sqlite3_stmt *s;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!st)
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "store_conversation_get needs a conversation to fill");
	if (!(s = store_stmt(st, STMT_CONV_GET, "SELECT " CONV_COLUMNS " FROM conversations"
			     " WHERE id = ?1")))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	snprintf(what, sizeof(what), "%lld", (long long)id);
	return read_one(st, s, out, what);
}

int store_conversation_find(struct store *st, const char *line, const char *peer,
			    struct store_conversation *out)
{
	char what[STORE_DETAIL_MAX];
	sqlite3_stmt *s;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!st)
		return -EINVAL;
	if (!store_str_ok(line) || !store_str_ok(peer) || !out)
		return store_fail(st, -EINVAL, "store_conversation_find needs a line, a peer and a"
				  " conversation to fill");
	if (!(s = find_stmt(st)))
		return -EIO;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, line, -1, SQLITE_STATIC);
	snprintf(what, sizeof(what), "between %.64s and %.64s", line, peer);
	return read_one(st, s, out, what);
}

/*
 * Prepared for each call, not cached: its callback may read the store,
 * even list again (as store_list). The SQL is assembled from constant
 * pieces; every value is bound.
 */
int store_conversation_list(struct store *st, const struct store_conversation_filter *f,
			    int (*cb)(void *ctx, const struct store_conversation *c), void *ctx)
{
	char sql[512];
	size_t len;
	sqlite3_stmt *s;
	int rc, n = 0, col = 1;

	if (!st)
		return -EINVAL;
	if (!cb || (f && (f->limit < 0 || (f->states & ~STATES_ALL) ||
			  (f->peer && !*f->peer))))
		return store_fail(st, -EINVAL, "store_conversation_list needs a callback, and"
				  " known states, a peer or NULL, a limit >= 0 in its filter");
	len = (size_t)snprintf(sql, sizeof(sql), "SELECT " CONV_COLUMNS
			       " FROM conversations WHERE 1");
	if (f && f->states) {
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND state IN (");
		for (int i = 0; i <= CONV_CLOSED; i++)
			if (f->states & (1u << i))
				len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s?",
							sql[len - 1] == '(' ? "" : ", ");
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, ")");
	}
	if (f && f->assignee)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, *f->assignee
					? " AND assignee = ?" : " AND assignee IS NULL");
	if (f && f->peer)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, " AND peer = ?");
	snprintf(sql + len, sizeof(sql) - len, " ORDER BY updated_at DESC, id DESC LIMIT ?");
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_db_fail(st, "listing conversations");
	for (int i = 0; f && f->states && i <= CONV_CLOSED; i++)
		if (f->states & (1u << i))
			sqlite3_bind_text(s, col++, conversation_state_name((enum conv_state)i), -1,
					  SQLITE_STATIC);
	if (f && f->assignee && *f->assignee)
		sqlite3_bind_text(s, col++, f->assignee, -1, SQLITE_STATIC);
	if (f && f->peer)
		sqlite3_bind_text(s, col++, f->peer, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, col, f && f->limit ? f->limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_conversation c;
		int stop;

		if ((rc = conv_row(st, s, &c)) < 0 || (rc = read_tags(st, &c)) < 0) {
			store_conversation_free(&c);
			sqlite3_finalize(s);
			return rc;
		}
		n++;
		stop = cb(ctx, &c);
		store_conversation_free(&c);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		n = store_db_fail(st, "listing conversations");
	sqlite3_finalize(s);
	return n;
}

/* ---- agents' actions ---- */

/* What the actions look at before they change a conversation. */
struct head {
	enum conv_state state;
	bool assigned;
	char assignee[STORE_AGENT_MAX + 1];
	int unread;
};

static int head_of(struct store *st, int64_t id, struct head *h)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CONV_HEAD, "SELECT state, assignee, unread"
				     " FROM conversations WHERE id = ?1");
	int rc;

	memset(h, 0, sizeof(*h));
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *who = (const char *)sqlite3_column_text(s, 1);

		h->state = state_of_column(s, 0);
		h->assigned = who != NULL;
		snprintf(h->assignee, sizeof(h->assignee), "%s", who ? who : "");
		h->unread = sqlite3_column_int(s, 2);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = store_fail(st, -ENOENT, "there is no conversation %lld", (long long)id);
	} else {
		rc = store_db_fail(st, "reading a conversation");
	}
	sqlite3_reset(s);
	return rc;
}

/* Runs s, a change of conversation ?1 already bound but for its values; resets it. */
static int run_change(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, what);
}

static int set_assignee(struct store *st, int64_t id, const char *agent, const char *detail,
			int64_t now)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CONV_ASSIGN,
				     "UPDATE conversations SET assignee = ?2, updated_at = ?3,"
				     " last_change = ?4 WHERE id = ?1");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, agent);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_text(s, 4, detail, -1, SQLITE_STATIC);
	return run_change(st, s, "assigning a conversation");
}

/* Only updated_at and the words: tags and notes, which live in their own tables. */
static int stamp(struct store *st, int64_t id, const char *detail, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CONV_STAMP, "UPDATE conversations SET"
				     " updated_at = ?2, last_change = ?3 WHERE id = ?1");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, detail, -1, SQLITE_STATIC);
	return run_change(st, s, "updating a conversation");
}

/* The actions, each given the conversation's head inside the transaction. */
enum action { ACT_CLAIM, ACT_RELEASE, ACT_TRANSFER, ACT_CLOSE, ACT_REOPEN, ACT_READ };

static int act_locked(struct store *st, enum action act, int64_t id, const char *agent,
		      const char *to, int64_t now)
{
	char detail[STORE_DETAIL_MAX];
	struct head h;
	sqlite3_stmt *s;
	int rc;

	if ((rc = head_of(st, id, &h)) < 0)
		return rc;
	switch (act) {
	case ACT_CLAIM:
		if (h.state == CONV_CLOSED)
			return store_fail(st, -EPERM, "conversation %lld is closed: reopen it first",
					  (long long)id);
		if (h.assigned && strcmp(h.assignee, agent) == 0)
			return 0;
		if (h.assigned)
			return store_fail(st, -EBUSY, "conversation %lld is held by %s",
					  (long long)id, h.assignee);
		snprintf(detail, sizeof(detail), "claimed by %s", agent);
		return set_assignee(st, id, agent, detail, now);
	case ACT_RELEASE:
	case ACT_TRANSFER:
		if (!h.assigned)
			return store_fail(st, -EPERM, "conversation %lld is not held by anyone",
					  (long long)id);
		if (strcmp(h.assignee, agent) != 0)
			return store_fail(st, -EPERM, "conversation %lld is held by %s, not by %s",
					  (long long)id, h.assignee, agent);
		if (act == ACT_RELEASE) {
			snprintf(detail, sizeof(detail), "released by %s", agent);
			return set_assignee(st, id, NULL, detail, now);
		}
		if (h.state == CONV_CLOSED)
			return store_fail(st, -EPERM, "conversation %lld is closed: reopen it first",
					  (long long)id);
		if (strcmp(agent, to) == 0)
			return 0;
		snprintf(detail, sizeof(detail), "transferred from %s to %s", agent, to);
		return set_assignee(st, id, to, detail, now);
	case ACT_CLOSE:
	case ACT_REOPEN:
		if ((h.state == CONV_CLOSED) == (act == ACT_CLOSE))
			return 0;       /* closed already, or not closed: nothing to reopen */
		snprintf(detail, sizeof(detail), "%s by %s", act == ACT_CLOSE ? "closed" : "reopened",
			 agent);
		/*
		 * Closing stops the clock (nobody waits for an answer to a closed
		 * conversation) and keeps the assignee for the record; reopening
		 * puts it back in the queue.
		 */
		s = store_stmt(st, STMT_CONV_STATE,
			       "UPDATE conversations SET state = ?2,"
			       " waiting_since = CASE WHEN ?5 THEN 0 ELSE waiting_since END,"
			       " assignee = CASE WHEN ?5 THEN assignee ELSE NULL END,"
			       " updated_at = ?3, last_change = ?4 WHERE id = ?1");
		if (!s)
			return -EIO;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, conversation_state_name(conversation_next(h.state,
			act == ACT_CLOSE ? CONV_EV_CLOSE : CONV_EV_REOPEN)), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, now);
		sqlite3_bind_text(s, 4, detail, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, act == ACT_CLOSE);
		return run_change(st, s, "changing a conversation's state");
	case ACT_READ:
		if (h.unread == 0)
			return 0;
		snprintf(detail, sizeof(detail), "read by %s", agent);
		s = store_stmt(st, STMT_CONV_READ, "UPDATE conversations SET unread = 0,"
			       " updated_at = ?2, last_change = ?3 WHERE id = ?1");
		if (!s)
			return -EIO;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, now);
		sqlite3_bind_text(s, 3, detail, -1, SQLITE_STATIC);
		return run_change(st, s, "marking a conversation read");
	}
	return store_fail(st, -EINVAL, "unknown conversation action %d", (int)act);
}

static int act(struct store *st, enum action a, int64_t id, const char *agent, const char *to,
	       int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if ((rc = agent_check(st, agent, a == ACT_TRANSFER ? "from" : "the agent")) < 0 ||
	    (a == ACT_TRANSFER && (rc = agent_check(st, to, "to")) < 0))
		return rc;
	if ((rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, act_locked(st, a, id, agent, to, now));
}

int store_conversation_claim(struct store *st, int64_t id, const char *agent, int64_t now)
{
	return act(st, ACT_CLAIM, id, agent, NULL, now);
}

int store_conversation_release(struct store *st, int64_t id, const char *agent, int64_t now)
{
	return act(st, ACT_RELEASE, id, agent, NULL, now);
}

int store_conversation_transfer(struct store *st, int64_t id, const char *from, const char *to,
				int64_t now)
{
	return act(st, ACT_TRANSFER, id, from, to, now);
}

int store_conversation_close(struct store *st, int64_t id, const char *agent, int64_t now)
{
	return act(st, ACT_CLOSE, id, agent, NULL, now);
}

int store_conversation_reopen(struct store *st, int64_t id, const char *agent, int64_t now)
{
	return act(st, ACT_REOPEN, id, agent, NULL, now);
}

int store_conversation_read(struct store *st, int64_t id, const char *agent, int64_t now)
{
	return act(st, ACT_READ, id, agent, NULL, now);
}

static int tag_locked(struct store *st, int64_t id, const char *tag, bool add, int64_t now)
{
	char detail[STORE_DETAIL_MAX];
	struct head h;
	sqlite3_stmt *s;
	int64_t count = 0;
	int rc;

	if ((rc = head_of(st, id, &h)) < 0)
		return rc;
	s = add ? store_stmt(st, STMT_CONV_TAG_ADD, "INSERT OR IGNORE INTO conversation_tags"
			     " (conversation_id, tag) VALUES (?1, ?2)")
		: store_stmt(st, STMT_CONV_TAG_DEL, "DELETE FROM conversation_tags"
			     " WHERE conversation_id = ?1 AND tag = ?2");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, tag, -1, SQLITE_STATIC);
	if ((rc = run_change(st, s, add ? "adding a tag" : "removing a tag")) < 0)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return 0;       /* had it already, or never had it */
	if (add) {
		/* counted after the insert: the transaction rolls the one too many back */
		if (!(s = store_stmt(st, STMT_CONV_TAG_COUNT, "SELECT count(*) FROM"
				     " conversation_tags WHERE conversation_id = ?1")))
			return -EIO;
		sqlite3_bind_int64(s, 1, id);
		if ((rc = store_row_int64(st, s, &count, "counting tags")) < 0)
			return rc;
		if (count > STORE_TAGS_MAX)
			return store_fail(st, -ENOSPC, "conversation %lld has %d tags already",
					  (long long)id, STORE_TAGS_MAX);
	}
	snprintf(detail, sizeof(detail), "%s %s", add ? "tagged" : "untagged", tag);
	return stamp(st, id, detail, now);
}

int store_conversation_tag(struct store *st, int64_t id, const char *tag, bool add, int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if (!tag_ok(tag))
		return store_fail(st, -EINVAL, "a tag is 1 to %d of A-Z, a-z, 0-9, _ and -",
				  TAG_MAX_LEN);
	if ((rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, tag_locked(st, id, tag, add, now));
}

static int note_locked(struct store *st, int64_t id, const char *author, const char *text,
		       int64_t now, int64_t *note_id)
{
	char detail[STORE_DETAIL_MAX];
	struct head h;
	sqlite3_stmt *s;
	int rc;

	if ((rc = head_of(st, id, &h)) < 0)
		return rc;
	if (!(s = store_stmt(st, STMT_CONV_NOTE, "INSERT INTO conversation_notes"
			     " (conversation_id, author, text, at) VALUES (?1, ?2, ?3, ?4)")))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, author, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	if ((rc = run_change(st, s, "adding a note")) < 0)
		return rc;
	*note_id = sqlite3_last_insert_rowid(st->db);
	snprintf(detail, sizeof(detail), "note %lld by %s", (long long)*note_id, author);
	return stamp(st, id, detail, now);
}

int store_conversation_note(struct store *st, int64_t id, const char *author, const char *text,
			    int64_t now, int64_t *note_id)
{
	int64_t nid = 0;
	size_t n;
	int rc;

	if (note_id)
		*note_id = 0;
	if (!st)
		return -EINVAL;
	if ((rc = agent_check(st, author, "a note's author")) < 0)
		return rc;
	if (!text || !*text || (n = strlen(text)) > STORE_NOTE_MAX || utf8_validate(text, n) < 0)
		return store_fail(st, -EINVAL, "a note is 1 to %d bytes of UTF-8", STORE_NOTE_MAX);
	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = store_end(st, note_locked(st, id, author, text, now, &nid));
	if (rc == 0 && note_id)
		*note_id = nid;
	return rc;
}

static int release_all_locked(struct store *st, const char *agent, int64_t now)
{
	char detail[STORE_DETAIL_MAX];
	sqlite3_stmt *s = store_stmt(st, STMT_CONV_RELEASE_ALL,
				     "UPDATE conversations SET assignee = NULL, updated_at = ?2,"
				     " last_change = ?3 WHERE assignee = ?1 AND state != 'closed'");
	int rc;

	if (!s)
		return -EIO;
	/* one statement, one event per row: the trigger runs for each */
	snprintf(detail, sizeof(detail), "released: %s went offline", agent);
	sqlite3_bind_text(s, 1, agent, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, detail, -1, SQLITE_STATIC);
	if ((rc = run_change(st, s, "releasing an agent's conversations")) < 0)
		return rc;
	return sqlite3_changes(st->db);
}

int store_conversation_release_agent(struct store *st, const char *agent, int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if ((rc = agent_check(st, agent, "the agent")) < 0 || (rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, release_all_locked(st, agent, now));
}

/* ---- history ---- */

/*
 * Messages and notes in one order: by time (a message's created_at: when it
 * was received or queued), a message before a note of the same
 * millisecond, then by id. The newest limit are picked, then turned oldest
 * first. Prepared per call, like the list, so the callback may read the store.
 */
int store_conversation_history(struct store *st, int64_t id, int limit,
			       int (*cb)(void *ctx, const struct store_conversation_item *it),
			       void *ctx)
{
	struct head h;
	sqlite3_stmt *s;
	int rc, n = 0;

	if (!st)
		return -EINVAL;
	if (!cb || limit < 0)
		return store_fail(st, -EINVAL, "store_conversation_history needs a callback and a"
				  " limit >= 0");
	if ((rc = head_of(st, id, &h)) < 0)
		return rc;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT note, id, inbound, state, text, author, at FROM ("
			       " SELECT 0 AS note, id, inbound, state, text, agent AS author,"
			       " created_at AS at FROM messages WHERE conversation_id = ?1"
			       " UNION ALL"
			       " SELECT 1, id, 0, NULL, text, author, at FROM conversation_notes"
			       " WHERE conversation_id = ?1"
			       " ORDER BY at DESC, note DESC, id DESC LIMIT ?2)"
			       " ORDER BY at, note, id", -1, &s, NULL) != SQLITE_OK)
		return store_db_fail(st, "reading a conversation's history");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, limit ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_conversation_item it = {
			.note = sqlite3_column_int(s, 0) != 0,
			.id = sqlite3_column_int64(s, 1),
			.inbound = sqlite3_column_int(s, 2) != 0,
			.state = (const char *)sqlite3_column_text(s, 3),
			.text = (const char *)sqlite3_column_text(s, 4),
			.author = (const char *)sqlite3_column_text(s, 5),
			.at = sqlite3_column_int64(s, 6),
		};

		n++;
		if (cb(ctx, &it)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		n = store_db_fail(st, "reading a conversation's history");
	sqlite3_finalize(s);
	return n;
}
