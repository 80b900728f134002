/*
 * Received messages: a single PDU is a message at once; the parts of a
 * concatenated one (TS 23.040 9.2.3.24.1 and .8, 8- and 16-bit references)
 * wait in the parts table, surviving restarts, until the set is complete
 * or too old. The modem layer deletes a PDU from the SIM only after this
 * has committed it. Decoding is the codec's job: parts arrive as text.
 *
 * A set is (line, sender, ref, total): the reference alone repeats, and a
 * sender's phone numbers its own messages. A part already held (same set,
 * same seq) is a repeat from the modem and changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/utf8.h"
#include "store_internal.h"

#define SEEN_PDUS_KEEP_MS (7LL * 86400 * 1000)

#define PARTS_MAX 255
#define REF_MAX 0xffff

struct buf {
	char *p;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static int buf_str(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

struct set_key {
	const char *line;
	const char *sender;
	int ref;
	int total;
	char *owned;            /* "line\0sender\0" when the key holds its own copies */
};

/* A whole or partial message, ready to insert. */
struct assembled {
	struct buf text;
	struct buf pdus;        /* each part's PDU, one a line, in order */
	int64_t sent_at;        /* the lowest part's SC timestamp */
	int parts;
	char detail[STORE_DETAIL_MAX];
};

static void assembled_fini(struct assembled *a)
{
	free(a->text.p);
	free(a->pdus.p);
}

/*
 * Joins the set's parts in sequence order, STORE_GAP_MARKER standing for
 * each run of missing ones, and lists the parts present in the detail.
 */
static int assemble(struct store *st, const struct set_key *k, struct assembled *a)
{
	sqlite3_stmt *s = store_stmt(st, STMT_PART_READ,
				     "SELECT seq, text, pdu, sent_at FROM parts WHERE line = ?1"
				     " AND sender = ?2 AND ref = ?3 AND total = ?4 ORDER BY seq");
	size_t dlen;
	int rc, step = SQLITE_DONE, next = 1;

	memset(a, 0, sizeof(*a));
	if (!s)
		return -EIO;
	dlen = (size_t)snprintf(a->detail, sizeof(a->detail), "parts ");
	sqlite3_bind_text(s, 1, k->line, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, k->sender, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, k->ref);
	sqlite3_bind_int(s, 4, k->total);
	rc = 0;
	while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		int seq = sqlite3_column_int(s, 0);
		const char *text = (const char *)sqlite3_column_text(s, 1);
		const char *pdu = (const char *)sqlite3_column_text(s, 2);

		if (a->parts == 0)
			a->sent_at = sqlite3_column_int64(s, 3);
		if (seq > next)
			rc = buf_str(&a->text, STORE_GAP_MARKER);
		if (rc == 0)
			rc = buf_str(&a->text, text ? text : "");
		if (rc == 0 && a->parts)
			rc = buf_str(&a->pdus, "\n");
		if (rc == 0)
			rc = buf_str(&a->pdus, pdu ? pdu : "");
		if (dlen < sizeof(a->detail))
			dlen += (size_t)snprintf(a->detail + dlen, sizeof(a->detail) - dlen, "%s%d",
						 a->parts ? "," : "", seq);
		a->parts++;
		next = seq + 1;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_db_fail(st, "reading parts");
	if (rc == 0 && next <= k->total)
		rc = buf_str(&a->text, STORE_GAP_MARKER);
	sqlite3_reset(s);
	if (rc == -ENOMEM)
		rc = store_fail(st, -ENOMEM, "out of memory joining parts");
	if (rc == 0 && !a->text.p)
		rc = buf_str(&a->text, "");
	if (dlen < sizeof(a->detail))
		snprintf(a->detail + dlen, sizeof(a->detail) - dlen, " of %d", k->total);
	if (rc < 0)
		assembled_fini(a);
	return rc;
}


/*
 * Follow-ups to sender still queued are moot now that the customer wrote:
 * cancelled in this transaction, each with its reason in its history.
 */
static int cancel_follow_ups(struct store *st, const char *sender, int64_t now)
{
	int64_t ids[64];
	int n = 0, rc;
	sqlite3_stmt *s = store_stmt(st, STMT_FOLLOW_UPS,
				     "SELECT id FROM messages WHERE peer = ?1 AND state = 'queued'"
				     " AND cancel_on_reply = 1 LIMIT 64");

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, sender, -1, SQLITE_STATIC);
	while (n < 64 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	for (int i = 0; i < n; i++)
		if ((rc = store_move(st, ids[i], STORE_CANCELLED, "the customer wrote first",
				     "follow-up cancelled: the customer wrote first", now)) < 0)
			return rc;
	return 0;
}

static int insert_message(struct store *st, enum store_state state, const char *line,
			  const char *sender, const char *text, const char *pdu, int segments,
			  int64_t sent_at, const char *detail, int64_t now, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st, STMT_INBOUND_ADD,
				     "INSERT INTO messages (inbound, state, peer, line, text, pdu,"
				     " segments, created_at, send_at, updated_at, policy_done)"
				     " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, 0)");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, store_state_name(state), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, sender, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, line, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, text, -1, SQLITE_STATIC);
	store_bind_text(s, 5, pdu);
	sqlite3_bind_int(s, 6, segments);
	sqlite3_bind_int64(s, 7, now);
	sqlite3_bind_int64(s, 8, sent_at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "storing a received message");
	*id = sqlite3_last_insert_rowid(st->db);
	if ((rc = store_event(st, *id, state, now, detail)) < 0)
		return rc;
	/* complete or partial, a customer wrote: their conversation hears of it */
	if ((rc = store_conversation_touch(st, line, sender, *id, true, NULL, 0, now, NULL)) < 0)
		return rc;
	return cancel_follow_ups(st, sender, now);
}

static int bind_set(sqlite3_stmt *s, const struct set_key *k)
{
	sqlite3_bind_text(s, 1, k->line, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, k->sender, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, k->ref);
	return sqlite3_bind_int(s, 4, k->total);
}

/* The set becomes one message (state received or partial) and its parts go. */
static int deliver_set(struct store *st, const struct set_key *k, enum store_state state,
		       int64_t now, int64_t *id)
{
	struct assembled a;
	sqlite3_stmt *s;
	int rc;

	if ((rc = assemble(st, k, &a)) < 0)
		return rc;
	rc = insert_message(st, state, k->line, k->sender, a.text.p, a.pdus.p, a.parts, a.sent_at,
			    a.detail, now, id);
	assembled_fini(&a);
	if (rc < 0)
		return rc;
	s = store_stmt(st, STMT_PART_DROP,
		       "DELETE FROM parts WHERE line = ?1 AND sender = ?2 AND ref = ?3"
		       " AND total = ?4");
	if (!s)
		return -EIO;
	bind_set(s, k);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, "dropping joined parts");
}

static int part_locked(struct store *st, const struct store_inbound_part *p, int64_t now,
		       int64_t *id)
{
	struct set_key k = { .line = p->line, .sender = p->sender, .ref = p->ref,
			     .total = p->total };
	sqlite3_stmt *s = store_stmt(st, STMT_PART_ADD,
				     "INSERT INTO parts (line, sender, ref, total, seq, text, pdu,"
				     " sent_at, received_at)"
				     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
				     " ON CONFLICT DO NOTHING");
	int rc, count;

	if (!s)
		return -EIO;
	bind_set(s, &k);
	sqlite3_bind_int(s, 5, p->seq);
	sqlite3_bind_text(s, 6, p->text, -1, SQLITE_STATIC);
	store_bind_text(s, 7, p->pdu_hex);
	sqlite3_bind_int64(s, 8, p->sent_at);
	sqlite3_bind_int64(s, 9, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "keeping a part");
	if (sqlite3_changes(st->db) == 0)
		return 0;       /* a repeat */
	s = store_stmt(st, STMT_PART_COUNT,
		       "SELECT count(*) FROM parts WHERE line = ?1 AND sender = ?2 AND ref = ?3"
		       " AND total = ?4");
	if (!s)
		return -EIO;
	bind_set(s, &k);
	rc = sqlite3_step(s);
	count = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_db_fail(st, "counting parts");
	if (count < k.total)
		return 0;
	return deliver_set(st, &k, STORE_RECEIVED, now, id);
}

/*
 * Records the PDU as committed on its line: 1 when it already was (the
 * modem read it again after a crash), 0 when new, or an error.
 */
static int seen_before(struct store *st, const struct store_inbound_part *p, int64_t now)
{
	sqlite3_stmt *s;
	int rc;

	if (!p->pdu_hex || !*p->pdu_hex)
		return 0;
	s = store_stmt(st, STMT_SEEN_ADD,
		       "INSERT OR IGNORE INTO seen_pdus (line, pdu, at) VALUES (?1, ?2, ?3)");
	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, p->line, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, p->pdu_hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "remembering a received PDU");
	return sqlite3_changes(st->db) == 0 ? 1 : 0;
}

int store_inbound(struct store *st, const struct store_inbound_part *p, int64_t now, int64_t *id)
{
	int64_t new_id = 0;
	int rc;

	if (id)
		*id = 0;
	if (!st)
		return -EINVAL;
	if (!p || !store_str_ok(p->line) || !store_str_ok(p->sender) || !p->text)
		return store_fail(st, -EINVAL,
				  "a received message needs a line, a sender and text");
	if (utf8_validate(p->text, strlen(p->text)) < 0)
		return store_fail(st, -EINVAL, "the received text is not valid UTF-8");
	if (p->concat && (p->total < 1 || p->total > PARTS_MAX || p->seq < 1 ||
			  p->seq > p->total || p->ref < 0 || p->ref > REF_MAX))
		return store_fail(st, -EINVAL, "part %d of %d with reference %d is out of range",
				  p->seq, p->total, p->ref);
	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = seen_before(st, p, now);
	if (rc == 1)
		rc = 0; /* handed over again after a crash: already committed, nothing to do */
	else if (rc == 0 && (!p->concat || p->total == 1))
		rc = insert_message(st, STORE_RECEIVED, p->line, p->sender, p->text, p->pdu_hex, 1,
				    p->sent_at, NULL, now, &new_id);
	else if (rc == 0)
		rc = part_locked(st, p, now, &new_id);
	rc = store_end(st, rc);
	if (rc == 0 && id)
		*id = new_id;
	return rc;
}

static void keys_free(struct set_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(keys[i].owned);
	free(keys);
}

/* The sets with a part older than cutoff, copied out before they change. */
static int old_sets(struct store *st, int64_t cutoff, struct set_key **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, STMT_PART_OLD,
				     "SELECT line, sender, ref, total FROM parts"
				     " WHERE received_at < ?1 GROUP BY line, sender, ref, total");
	struct set_key *keys = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, cutoff);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(s, 0);
		const char *sender = (const char *)sqlite3_column_text(s, 1);
		size_t ll = strlen(line), sl = strlen(sender);
		struct set_key *k;

		if (*n == cap) {
			struct set_key *more = realloc(keys, (cap ? cap * 2 : 8) * sizeof(*keys));

			if (!more)
				break;
			keys = more;
			cap = cap ? cap * 2 : 8;
		}
		k = &keys[*n];
		if (!(k->owned = malloc(ll + sl + 2)))
			break;
		memcpy(k->owned, line, ll + 1);
		memcpy(k->owned + ll + 1, sender, sl + 1);
		k->line = k->owned;
		k->sender = k->owned + ll + 1;
		k->ref = sqlite3_column_int(s, 2);
		k->total = sqlite3_column_int(s, 3);
		++*n;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW) {
		keys_free(keys, *n);
		*n = 0;
		return store_fail(st, -ENOMEM, "out of memory flushing parts");
	}
	if (rc != SQLITE_DONE) {
		keys_free(keys, *n);
		*n = 0;
		return store_db_fail(st, "finding old parts");
	}
	*out = keys;
	return 0;
}

int store_flush_parts(struct store *st, int64_t now, int64_t timeout_ms,
		      void (*cb)(void *ctx, int64_t id), void *ctx)
{
	struct set_key *keys = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	if (!st)
		return -EINVAL;
	if (timeout_ms < 0)
		return store_fail(st, -EINVAL, "the reassembly timeout is negative");
	/* a modem hands a PDU over again within minutes, not weeks */
	store_run_int64(st, store_stmt(st, STMT_SEEN_PRUNE, "DELETE FROM seen_pdus WHERE at < ?1"),
			now - SEEN_PDUS_KEEP_MS, "forgetting old received PDUs");
	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = old_sets(st, now - timeout_ms, &keys, &n);
	if (rc == 0 && n && !(ids = calloc(n, sizeof(*ids))))
		rc = store_fail(st, -ENOMEM, "out of memory flushing parts");
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = deliver_set(st, &keys[i], STORE_PARTIAL, now, &ids[i]);
	keys_free(keys, n);
	rc = store_end(st, rc);
	/* after the commit: what cb sees, or does with the store, is settled */
	for (size_t i = 0; i < n && rc == 0 && cb; i++)
		cb(ctx, ids[i]);
	free(ids);
	return rc < 0 ? rc : (int)n;
}
