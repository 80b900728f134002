/*
 * The outbound queue: enqueueing (idempotency keys, the sticky line),
 * claiming the next due message for a line, expiry, recovery after a crash
 * and the edges a person or policy moves (cancel, block, hold, retry).
 * What happens once a message is at a modem is in store_delivery.c.
 *
 * Sticky line: a message enqueued without a line is tied to the line the
 * recipient last wrote to, or was last sent from, so that a conversation
 * keeps one number. It waits for that line (down, capped, busy) rather than
 * leave from another number; with no conversation yet, any line takes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/utf8.h"
#include "store_internal.h"

#define LINE_MAX_LEN 64
#define STATE_BIT(s) (1u << (s))

/*
 * One side of the sticky lookup: 1 with the line and its time, 0 when none.
 * Two statements rather than one UNION: a compound with ORDER BY builds a
 * temporary b-tree on every run, which cost more than the rest of an enqueue.
 */
static int sticky_side(struct store *st, sqlite3_stmt *s, const char *peer, char *line,
		       size_t size, int64_t *at)
{
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, peer, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);

		*at = sqlite3_column_int64(s, 1);
		rc = 1;
		if ((size_t)snprintf(line, size, "%s", v ? v : "") >= size) {
			line[0] = '\0';
			rc = store_fail(st, -EMSGSIZE,
					"the line %s is too long for the space given", v);
		}
	} else {
		rc = rc == SQLITE_DONE ? 0 : store_db_fail(st, "looking up the sticky line");
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * The peer's line: from their newest inbound message or our newest sent one,
 * whichever is later; each is one seek in its partial index.
 */
static int sticky_lookup(struct store *st, const char *peer, char *line, size_t size)
{
	char out[LINE_MAX_LEN];
	int64_t in_at = 0, out_at = 0;
	int in, sent;

	line[0] = '\0';
	in = sticky_side(st, store_stmt(st, STMT_STICKY_IN,
					"SELECT line, created_at FROM messages WHERE inbound = 1"
					" AND peer = ?1 ORDER BY created_at DESC LIMIT 1"),
			 peer, line, size, &in_at);
	if (in < 0)
		return in;
	sent = sticky_side(st, store_stmt(st, STMT_STICKY_OUT,
					  "SELECT line, sent_at FROM messages"
					  " WHERE sent_at IS NOT NULL AND peer = ?1"
					  " ORDER BY sent_at DESC LIMIT 1"),
			   peer, out, sizeof(out), &out_at);
	if (sent < 0)
		return sent;
	if (sent && (!in || out_at > in_at) &&
	    (size_t)snprintf(line, size, "%s", out) >= size) {
		line[0] = '\0';
		return store_fail(st, -EMSGSIZE, "the line %s is too long for the space given",
				  out);
	}
	return 0;
}

int store_sticky_line(struct store *st, const char *peer, char *line, size_t size)
{
	if (line && size)
		line[0] = '\0';
	if (!st)
		return -EINVAL;
	if (!store_str_ok(peer) || !line || !size)
		return store_fail(st, -EINVAL,
				  "store_sticky_line needs a peer and room for the line");
	return sticky_lookup(st, peer, line, size);
}

/* The message already queued under key: 1 with *id, 0 when none. */
static int key_find(struct store *st, const char *key, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st, STMT_KEY_FIND,
				     "SELECT id FROM messages WHERE idem_key = ?1");

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	return store_row_int64(st, s, id, "looking up an idempotency key");
}

int store_enqueue_locked(struct store *st, const struct store_new_message *m,
			 const char *category, int64_t now, int64_t *id, bool *existing)
{
	char sticky[LINE_MAX_LEN], detail[STORE_DETAIL_MAX];
	const char *want = m->line;
	sqlite3_stmt *s;
	int rc;

	if (m->key) {
		rc = key_find(st, m->key, id);
		if (rc != 0) {
			*existing = rc > 0;
			return rc < 0 ? rc : 0;
		}
	}
	detail[0] = '\0';
	if (want) {
		snprintf(detail, sizeof(detail), "for line %s", want);
	} else {
		if ((rc = sticky_lookup(st, m->to, sticky, sizeof(sticky))) < 0)
			return rc;
		if (sticky[0]) {
			want = sticky;
			snprintf(detail, sizeof(detail), "sticky line %s", want);
		}
	}
	if (st->gate && !m->purpose) {
		/* the gate reads it through a const pointer: the casts only fit the struct */
		struct store_message probe = {
			.peer = (char *)(uintptr_t)m->to, .want_line = (char *)(uintptr_t)want,
			.text = (char *)(uintptr_t)m->text, .category = (char *)(uintptr_t)category,
			.agent = (char *)(uintptr_t)m->agent,
			.priority = m->priority, .report = m->report,
			.send_at = m->send_at ? m->send_at : now, .expire_at = m->expire_at,
			.created_at = now, .updated_at = now,
		};
		struct store_gate_verdict v = { .action = STORE_GATE_SEND };

		st->gate(st->gate_ctx, st, &probe, want, now, &v);
		if (v.action == STORE_GATE_BLOCK) {
			st->refusal = v;
			st->refused = true;
			return store_fail(st, -EACCES, "refused: %s (%s)", v.reason,
					  v.code_name ? v.code_name : "policy");
		}
	}
	s = store_stmt(st, STMT_ENQUEUE,
		       "INSERT INTO messages (inbound, state, peer, want_line, text, idem_key,"
		       " category, priority, report, created_at, send_at, expire_at, updated_at,"
		       " purpose, agent, cancel_on_reply)"
		       " VALUES (0, 'queued', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?8, ?11, ?12, ?13)");
	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, m->to, -1, SQLITE_STATIC);
	store_bind_text(s, 2, want);
	sqlite3_bind_text(s, 3, m->text, -1, SQLITE_STATIC);
	store_bind_text(s, 4, m->key);
	sqlite3_bind_text(s, 5, category, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, m->priority);
	sqlite3_bind_int(s, 7, m->report);
	sqlite3_bind_int64(s, 8, now);
	sqlite3_bind_int64(s, 9, m->send_at ? m->send_at : now);
	sqlite3_bind_int64(s, 10, m->expire_at);
	store_bind_text(s, 11, m->purpose);
	store_bind_text(s, 12, m->agent);
	sqlite3_bind_int(s, 13, m->cancel_on_reply);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "queueing a message");
	*id = sqlite3_last_insert_rowid(st->db);
	*existing = false;
	if ((rc = store_event(st, *id, STORE_QUEUED, now, detail[0] ? detail : NULL)) < 0)
		return rc;
	/* its line is known already (asked for, sticky): it joins its conversation now */
	if (want)
		return store_conversation_touch(st, want, m->to, *id, false, m->agent, m->answers,
						 now, NULL);
	return 0;
}

int store_enqueue_check(struct store *st, const struct store_new_message *m,
			const char **category)
{
	*category = "transactional";
	if (!m)
		return store_fail(st, -EINVAL, "store_enqueue needs a message");
	if (!store_str_ok(m->to))
		return store_fail(st, -EINVAL, "a message needs a recipient");
	if (!m->text || !*m->text)
		return store_fail(st, -EINVAL, "a message needs some text");
	if (utf8_validate(m->text, strlen(m->text)) < 0)
		return store_fail(st, -EINVAL, "the text is not valid UTF-8");
	if (m->line && !*m->line)
		return store_fail(st, -EINVAL, "the line is empty (NULL means any line)");
	if (m->key && !*m->key)
		return store_fail(st, -EINVAL, "the idempotency key is empty (NULL means none)");
	if (m->category) {
		if (!store_category_valid(m->category))
			return store_fail(st, -EINVAL, "unknown category \"%s\" (transactional,"
					  " conversational or marketing)", m->category);
		*category = m->category;
	}
	if (m->purpose && !store_purpose_valid(m->purpose))
		return store_fail(st, -EINVAL, "unknown purpose \"%s\"", m->purpose);
	if (m->agent && (!*m->agent || strlen(m->agent) > STORE_AGENT_MAX))
		return store_fail(st, -EINVAL, "an agent's name is 1 to %d bytes (NULL means"
				  " automation)", STORE_AGENT_MAX);
	if (m->send_at < 0 || m->expire_at < 0)
		return store_fail(st, -EINVAL, "a time is negative");
	/* an answer joins the answered message's conversation at once: its line is needed */
	if (m->answers < 0 || (m->answers && (!m->line || m->agent)))
		return store_fail(st, -EINVAL, "an automated answer names the customer's message"
				  " and the line it came to (and no agent)");
	return 0;
}

int store_enqueue(struct store *st, const struct store_new_message *m, int64_t now, int64_t *id,
		  bool *existing)
{
	const char *category;
	int64_t new_id = 0;
	bool old = false;
	int rc;

	if (id)
		*id = 0;
	if (existing)
		*existing = false;
	if (!st)
		return -EINVAL;
	st->refused = false;
	if ((rc = store_enqueue_check(st, m, &category)) < 0)
		return rc;
	if (now < 0)
		return store_fail(st, -EINVAL, "a time is negative");
	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = store_end(st, store_enqueue_locked(st, m, category, now, &new_id, &old));
	if (rc < 0)
		return rc;
	if (id)
		*id = new_id;
	if (existing)
		*existing = old;
	return 0;
}

/* A candidate for store_claim, with the keys that order candidates. */
struct pick {
	int64_t id, expire_at, send_at;
	int64_t priority;
};

/* The highest priority level below `below` with queued messages in the bucket: 1, or 0 none. */
static int pick_level(struct store *st, const char *line, int64_t below, int64_t *level)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CLAIM_LEVEL,
				     "SELECT priority FROM messages WHERE state = 'queued'"
				     " AND want_line IS ?1 AND priority < ?2"
				     " ORDER BY priority DESC LIMIT 1");

	if (!s)
		return -EIO;
	store_bind_text(s, 1, line);
	sqlite3_bind_int64(s, 2, below);
	return store_row_int64(st, s, level, "finding the next message");
}

/* The oldest due message of one priority level in the bucket: 1 with it, 0 none. */
static int pick_due(struct store *st, const char *line, int64_t level, int64_t now, struct pick *p)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CLAIM_DUE,
				     "SELECT id, expire_at, send_at FROM messages"
				     " WHERE state = 'queued' AND want_line IS ?1"
				     " AND priority = ?2 AND send_at <= ?3"
				     " ORDER BY send_at, id LIMIT 1");
	int rc;

	if (!s)
		return -EIO;
	store_bind_text(s, 1, line);
	sqlite3_bind_int64(s, 2, level);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		p->id = sqlite3_column_int64(s, 0);
		p->expire_at = sqlite3_column_int64(s, 1);
		p->send_at = sqlite3_column_int64(s, 2);
		p->priority = level;
		rc = 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : store_db_fail(st, "finding the next message");
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * The best due message of one bucket of messages_due: those for any line
 * (line NULL) or those for this line only. Level by level from the highest
 * priority, one seek each: messages scheduled for later at a higher
 * priority are stepped over by the index, not read one by one, so the cost
 * grows with the number of priority levels in use, not with the queue.
 */
static int pick_bucket(struct store *st, const char *line, int64_t now, struct pick *p)
{
	int64_t level = 0, below = INT64_MAX;
	int rc;

	while ((rc = pick_level(st, line, below, &level)) > 0) {
		if ((rc = pick_due(st, line, level, now, p)) != 0)
			return rc;
		below = level;
	}
	return rc;
}

/* Whether a goes before b: priority, then due time, then age. */
static bool pick_before(const struct pick *a, const struct pick *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	if (a->send_at != b->send_at)
		return a->send_at < b->send_at;
	return a->id < b->id;
}

/*
 * The best due message for line, among those for any line and those for
 * this line only (two buckets looked at apart rather than in one query:
 * see sticky_side). 1 with the pick, 0 when none is due.
 */
static int claim_pick(struct store *st, const char *line, int64_t now, struct pick *best)
{
	struct pick mine;
	int any, own;

	if ((any = pick_bucket(st, NULL, now, best)) < 0)
		return any;
	if ((own = pick_bucket(st, line, now, &mine)) < 0)
		return own;
	if (own && (!any || pick_before(&mine, best)))
		*best = mine;
	return any || own;
}

/*
 * Gives a message policy's reason and the rule's name, and records the
 * change. A message deferred to or past its expiry expires now: it could
 * never go, and waiting would only keep its sender (a campaign) from
 * knowing; its policy still names the rule that held it.
 */
static int policy_mark(struct store *st, int64_t id, const struct store_gate_verdict *v,
		       int64_t expire_at, int64_t now)
{
	char detail[STORE_DETAIL_MAX];
	const char *rule = v->code_name ? v->code_name : "policy";
	bool block = v->action == STORE_GATE_BLOCK;
	/* a gate deferring to now would have the claim spin on the same message */
	int64_t until = v->until > now ? v->until : now + 60000;
	sqlite3_stmt *s = store_stmt(st, STMT_POLICY_MARK,
				     "UPDATE messages SET policy = ?2, send_at = ?3 WHERE id = ?1");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, rule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, block ? now : until);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_fail(st, "marking a message for policy");
	sqlite3_reset(s);
	if (rc < 0)
		return rc;
	if (block) {
		snprintf(detail, sizeof(detail), "%.32s: %.120s", rule, v->reason);
		return store_move(st, id, STORE_BLOCKED, v->reason, detail, now);
	}
	snprintf(detail, sizeof(detail), "%.32s until %lld: %.96s", rule, (long long)until,
		 v->reason);
	if (expire_at != 0 && until >= expire_at)
		return store_move(st, id, STORE_EXPIRED, v->reason, detail, now);
	return store_event(st, id, STORE_QUEUED, now, detail);
}

/*
 * The gate's word on a picked message, in the claim's transaction: 0 send
 * it, 1 it was blocked or deferred (try the next), or a negative errno.
 * The consent flow's own replies (purpose set) pass: an opt-out's
 * confirmation must reach the number that just opted out.
 */
static int ask_gate(struct store *st, int64_t id, int64_t expire_at, const char *line,
		    int64_t now)
{
	struct store_gate_verdict v = { .action = STORE_GATE_SEND };
	struct store_message m;
	int rc;

	if (!st->gate)
		return 0;
	if ((rc = store_load(st, id, &m)) < 0)
		return rc;
	if (!m.purpose)
		st->gate(st->gate_ctx, st, &m, line, now, &v);
	store_message_free(&m);
	if (v.action == STORE_GATE_SEND)
		return 0;
	return (rc = policy_mark(st, id, &v, expire_at, now)) < 0 ? rc : 1;
}

/* 0 with out filled, 1 when nothing is due (expiries made on the way still commit). */
static int claim_locked(struct store *st, const char *line, int64_t now, struct store_message *out)
{
	char detail[STORE_DETAIL_MAX];
	struct pick p = { 0 };
	int64_t id;
	sqlite3_stmt *s;
	int rc;

	for (;;) {
		if ((rc = claim_pick(st, line, now, &p)) <= 0)
			return rc < 0 ? rc : 1;
		if (p.expire_at != 0 && p.expire_at <= now)
			rc = store_move(st, p.id, STORE_EXPIRED, NULL, "past its expiry when due", now);
		else if ((rc = ask_gate(st, p.id, p.expire_at, line, now)) == 0)
			break;
		if (rc < 0)
			return rc;
	}
	id = p.id;
	s = store_stmt(st, STMT_CLAIM_MARK,
		       "UPDATE messages SET state = 'sending', line = ?2, attempts = attempts + 1,"
		       " updated_at = ?3 WHERE id = ?1");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, line, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "claiming a message");
	if ((rc = store_load(st, id, out)) < 0)
		return rc;
	snprintf(detail, sizeof(detail), "line %s, attempt %d", line, out->attempts);
	if ((rc = store_event(st, id, STORE_SENDING, now, detail)) < 0)
		return rc;
	/* queued for any line: its conversation is known only now */
	if (out->conversation_id == 0)
		return store_conversation_touch(st, line, out->peer, id, false, out->agent, 0, now,
						&out->conversation_id);
	return 0;
}

int store_claim(struct store *st, const char *line, int64_t now, struct store_message *out)
{
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!st)
		return -EINVAL;
	if (!store_str_ok(line) || !out)
		return store_fail(st, -EINVAL, "store_claim needs a line and a message to fill");
	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = store_end(st, claim_locked(st, line, now, out));
	if (rc != 0)
		store_message_free(out);
	if (rc == 1)
		return store_fail(st, -ENOENT, "nothing is due for line %s", line);
	return rc;
}

int64_t store_next_due(struct store *st)
{
	sqlite3_stmt *s;
	int64_t due = INT64_MAX;
	int rc;

	if (!st)
		return INT64_MAX;
	s = store_stmt(st, STMT_NEXT_DUE,
		       "SELECT min(send_at) FROM messages WHERE state = 'queued'");
	if (!s)
		return INT64_MAX;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		due = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		store_db_fail(st, "finding the next due time");
	sqlite3_reset(s);
	return due;
}

static int expire_locked(struct store *st, int64_t now)
{
	/* the same condition twice in one transaction: the same rows */
	int rc = store_run_int64(st, store_stmt(st, STMT_EXPIRE_EVENTS,
		       "INSERT INTO message_events (message_id, seq, state, at, detail)"
		       " SELECT id, events + 1, 'expired', ?1, 'past its expiry' FROM messages"
		       " WHERE state = 'queued' AND expire_at > 0 AND expire_at <= ?1"),
		       now, "expiring messages");
	if (rc == 0)
		rc = store_run_int64(st, store_stmt(st, STMT_EXPIRE,
		       "UPDATE messages SET state = 'expired', updated_at = ?1, events = events + 1"
		       " WHERE state = 'queued' AND expire_at > 0 AND expire_at <= ?1"),
		       now, "expiring messages");
	return rc < 0 ? rc : sqlite3_changes(st->db);
}

int store_expire(struct store *st, int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if ((rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, expire_locked(st, now));
}

static int recover_locked(struct store *st, bool requeue, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SENDING_LIST,
				     "SELECT id FROM messages WHERE state = 'sending' ORDER BY id");
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (!s)
		return -EIO;
	/* collect first: the rows change under the loop below */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			int64_t *more = realloc(ids, (cap ? cap * 2 : 16) * sizeof(*ids));

			if (!more) {
				sqlite3_reset(s);
				free(ids);
				return store_fail(st, -ENOMEM, "out of memory recovering messages");
			}
			ids = more;
			cap = cap ? cap * 2 : 16;
		}
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_db_fail(st, "finding messages left in sending");
	}
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = store_move(st, ids[i], STORE_UNKNOWN, NULL,
				"the daemon stopped while a modem had it", now);
		if (rc == 0 && requeue)
			rc = store_move(st, ids[i], STORE_QUEUED, NULL, "requeued at start-up",
					now);
	}
	free(ids);
	return rc < 0 ? rc : (int)n;
}

int store_recover(struct store *st, bool requeue, int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if ((rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, recover_locked(st, requeue, now));
}

/* Moves id to state when it is in one of the states in from (STATE_BIT mask). */
static int transition(struct store *st, int64_t id, unsigned from, enum store_state to,
		      const char *error, const char *detail, const char *verb, int64_t now)
{
	enum store_state cur;
	int rc;

	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = store_state_of(st, id, &cur);
	if (rc == 0 && !(from & STATE_BIT(cur)))
		rc = store_fail(st, -EPERM, "message %lld is %s: it cannot be %s", (long long)id,
				store_state_name(cur), verb);
	if (rc == 0 && to == STORE_QUEUED) {
		/* back in the queue: due now, whatever it was due at before */
		sqlite3_stmt *s = store_stmt(st, STMT_RETRY,
					     "UPDATE messages SET send_at = ?2 WHERE id = ?1");

		if (!s) {
			rc = -EIO;
		} else {
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int64(s, 2, now);
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = store_db_fail(st, "requeueing a message");
			sqlite3_reset(s);
		}
	}
	if (rc == 0)
		rc = store_move(st, id, to, error, detail, now);
	return store_end(st, rc);
}

int store_cancel(struct store *st, int64_t id, int64_t now)
{
	if (!st)
		return -EINVAL;
	return transition(st, id, STATE_BIT(STORE_QUEUED) | STATE_BIT(STORE_HELD), STORE_CANCELLED,
			  NULL, NULL, "cancelled", now);
}

int store_cancel_key(struct store *st, const char *key, int64_t now, int64_t *id)
{
	int64_t found = 0;
	int rc;

	if (id)
		*id = 0;
	if (!st)
		return -EINVAL;
	if (!store_str_ok(key))
		return store_fail(st, -EINVAL, "store_cancel_key needs a key");
	if ((rc = key_find(st, key, &found)) < 0)
		return rc;
	if (rc == 0)
		return store_fail(st, -ENOENT, "no message was queued with the key \"%.60s\"", key);
	if (id)
		*id = found;
	return store_cancel(st, found, now);
}

int store_block(struct store *st, int64_t id, const char *reason, int64_t now)
{
	if (!st)
		return -EINVAL;
	return transition(st, id, STATE_BIT(STORE_QUEUED) | STATE_BIT(STORE_SENDING), STORE_BLOCKED,
			  reason, reason, "blocked", now);
}

int store_hold(struct store *st, int64_t id, int64_t now)
{
	if (!st)
		return -EINVAL;
	return transition(st, id, STATE_BIT(STORE_UNKNOWN), STORE_HELD, NULL,
			  "held for a person: it may have gone out already", "held", now);
}

int store_retry(struct store *st, int64_t id, int64_t now)
{
	if (!st)
		return -EINVAL;
	return transition(st, id, STATE_BIT(STORE_UNKNOWN) | STATE_BIT(STORE_HELD), STORE_QUEUED,
			  NULL, "sent again", "retried", now);
}
