/*
 * What the store's files share and nobody else sees: the handle, its cache
 * of prepared statements, transactions, errors, and the message record
 * helpers. Not installed; include only from src/store/ (and the store's
 * tests, which read store_stats_statements).
 */
#ifndef PARLEY_STORE_INTERNAL_H
#define PARLEY_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "parley/store.h"

#define STORE_ERROR_MAX 256
#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_DETAIL_MAX 160

/*
 * One slot per statement kept prepared for the life of the handle. The SQL
 * stays beside the code that runs it; the slot only names the cache entry.
 */
enum store_stmt {
	STMT_SEEN_ADD,
	STMT_SEEN_PRUNE,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_EVENT,
	STMT_EVENT_COUNT,
	STMT_MOVE,
	STMT_STATE_OF,
	STMT_LOAD,
	STMT_KEY_FIND,
	STMT_STICKY_IN,
	STMT_STICKY_OUT,
	STMT_ENQUEUE,
	STMT_CLAIM_LEVEL,
	STMT_CLAIM_DUE,
	STMT_CLAIM_MARK,
	STMT_POLICY_MARK,
	STMT_CONSENT_ADD,
	STMT_CONSENT_LIST,
	STMT_SENT_COUNT,
	STMT_PURPOSE_LAST,
	STMT_POLICY_TODO,
	STMT_POLICY_DONE,
	STMT_AUDIT_ADD,
	STMT_CONSENT_GET,
	STMT_CONSENT_REPLICA,
	STMT_OUTBOX_SWITCH,
	STMT_OUTBOX_LIST,
	STMT_OUTBOX_DONE,
	STMT_OUTBOX_COUNT,
	STMT_INSTANCE,
	STMT_QUEUED_LINE,
	STMT_KEY_LAST,
	STMT_FOLLOW_UPS,
	STMT_NEXT_DUE,
	STMT_SET_SEGMENTS,
	STMT_SEG_INFO,
	STMT_SEG_UPSERT,
	STMT_SEG_COUNT,
	STMT_SEG_MRS,
	STMT_MARK_SENT,
	STMT_SETTLE,
	STMT_REQUEUE,
	STMT_REPORT_FIND,
	STMT_REPORT_SET,
	STMT_EXPIRE_EVENTS,
	STMT_EXPIRE,
	STMT_SENDING_LIST,
	STMT_RETRY,
	STMT_PART_ADD,
	STMT_PART_COUNT,
	STMT_PART_READ,
	STMT_PART_DROP,
	STMT_PART_OLD,
	STMT_INBOUND_ADD,
	STMT_COUNTS,
	STMT_PURGE,
	STMT_CONV_FIND,
	STMT_CONV_NEW,
	STMT_CONV_TOUCH,
	STMT_CONV_LINK,
	STMT_CONV_SENT,
	STMT_CONV_GET,
	STMT_CONV_TAGS,
	STMT_CONV_HEAD,
	STMT_CONV_ASSIGN,
	STMT_CONV_STATE,
	STMT_CONV_READ,
	STMT_CONV_STAMP,
	STMT_CONV_TAG_ADD,
	STMT_CONV_TAG_DEL,
	STMT_CONV_TAG_COUNT,
	STMT_CONV_NOTE,
	STMT_CONV_RELEASE_ALL,
	STMT_CONV_ANSWERED,
	STMT_CONV_STILL_WAITING,
	STMT_CAMPAIGN_NEW,
	STMT_CAMPAIGN_LINK,
	STMT_CAMPAIGN_BLOCKED,
	STMT_CAMPAIGN_GET,
	STMT_CAMPAIGN_COUNTS,
	STMT_CAMPAIGN_DONE,
	STMT_CAMPAIGN_RUNNING,
	STORE_STMT_COUNT
};

struct store {
	sqlite3 *db;
	bool memory;
	char error[STORE_ERROR_MAX];
	store_gate_fn *gate;
	void *gate_ctx;
	bool refused;                     /* the last enqueue was refused: refusal holds why */
	struct store_gate_verdict refusal;
	sqlite3_stmt *stmt[STORE_STMT_COUNT];
};

/* ---- store.c: the handle ---- */

/*
 * The statement in slot id, prepared from sql on first use and reset with
 * its bindings cleared; NULL (and the store's error set) when SQLite
 * refuses it. Callers sqlite3_reset() it when done so that no read stays
 * open between calls (an open read would pin the WAL and stop checkpoints).
 */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id, const char *sql);

/* Sets the store's error sentence and returns err (a negative errno). */
int store_fail(struct store *st, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The store's error as "what: SQLite's words"; returns -EIO. */
int store_db_fail(struct store *st, const char *what);

/*
 * Steps a bound query whose answer is one integer: 1 with *out set when a
 * row came, 0 when none did, or store_db_fail(what). Resets the statement.
 */
int store_row_int64(struct store *st, sqlite3_stmt *s, int64_t *out, const char *what);

/* Runs a statement whose only parameter ?1 is v: 0, -EIO when s is NULL, or store_db_fail(what). */
int store_run_int64(struct store *st, sqlite3_stmt *s, int64_t v, const char *what);

/*
 * BEGIN IMMEDIATE: every write transaction takes the write lock before it
 * reads, so a read-then-write can never be overtaken by another process
 * (which in WAL would fail at once with SQLITE_BUSY_SNAPSHOT, no retry).
 */
int store_begin(struct store *st);

/* Commits when rc >= 0, rolls back otherwise; returns rc, or -EIO if COMMIT failed. */
int store_end(struct store *st, int rc);

/* Binds text, or NULL for a NULL pointer. */
int store_bind_text(sqlite3_stmt *s, int col, const char *text);

/* ---- store_schema.c ---- */

/* Brings the schema to the current version in one transaction; 0 or a negative errno. */
int store_migrate(struct store *st);

/* ---- store_message.c: the message record and its state changes ---- */

/* The columns store_row_message reads, in its order. */
#define STORE_MESSAGE_COLUMNS \
	"id, inbound, state, peer, want_line, line, text, idem_key, category, error, " \
	"priority, report, attempts, segments, created_at, send_at, expire_at, updated_at, " \
	"purpose, keyword, policy, agent, coalesce(conversation_id, 0)"

/* Fills m (overwritten, not freed) from a row of STORE_MESSAGE_COLUMNS. 0 or -ENOMEM. */
int store_row_message(sqlite3_stmt *s, struct store_message *m);

/*
 * Steps s (selecting STORE_MESSAGE_COLUMNS) and hands each row to cb until
 * cb returns non-zero; the caller resets or finalizes s. Returns how many
 * rows cb saw, -ENOMEM, or store_db_fail(what).
 */
int store_each_message(struct store *st, sqlite3_stmt *s,
		       int (*cb)(void *ctx, const struct store_message *m), void *ctx,
		       const char *what);

/* Reads message id into m. 0, -ENOENT, -ENOMEM, -EIO. */
int store_load(struct store *st, int64_t id, struct store_message *m);

/* The message's state. 0, -ENOENT, -EIO. */
int store_state_of(struct store *st, int64_t id, enum store_state *state);

/* Appends a row to message_events. Call inside the transaction making the change. */
int store_event(struct store *st, int64_t id, enum store_state state, int64_t at,
		const char *detail);

/*
 * Moves the message to state (error words set when error is not NULL) and
 * records the event with detail, in the caller's transaction.
 */
int store_move(struct store *st, int64_t id, enum store_state state, const char *error,
	       const char *detail, int64_t now);

/* ---- store_outbound.c ---- */

/* Checks a message to enqueue; *category is its category or the default. 0 or -EINVAL. */
int store_enqueue_check(struct store *st, const struct store_new_message *m,
			const char **category);

/* Queues a checked message in the caller's transaction (the gate asked unless m->purpose). */
int store_enqueue_locked(struct store *st, const struct store_new_message *m,
			 const char *category, int64_t now, int64_t *id, bool *existing);

/* ---- store_conversation.c ---- */

/*
 * Links message id (just stored, queued or claimed: its line is now known)
 * to the conversation of (line, peer), opening one if there is none, and
 * applies the message to it: inbound is CUSTOMER_MESSAGE, outbound with an
 * agent AGENT_MESSAGE, without AUTO_MESSAGE (policy/conversation.h), in
 * the caller's transaction. answers (0 none) is the customer's message an
 * automated outbound one answers (store_new_message.answers): AUTO_ANSWER
 * when no other customer message of the wait is left unanswered.
 * *conversation_id (may be NULL) gets its id.
 * 0, -EINVAL (answers is not a customer's message in this conversation),
 * -ENOMEM, -EIO.
 */
int store_conversation_touch(struct store *st, const char *line, const char *peer,
			     int64_t message_id, bool inbound, const char *agent, int64_t answers,
			     int64_t now, int64_t *conversation_id);

/*
 * Message id went out: its conversation's last_out_at, in the caller's
 * transaction (no event: the message's own tells it). 0 or -EIO.
 */
int store_conversation_sent(struct store *st, int64_t message_id, int64_t now);

/* ---- store_consent.c ---- */

/* Ledger record id to cb (CONSENT_COLUMNS); how many (0 or 1), or -EIO. */
struct store_consent_record;
int store_consent_each_by_id(struct store *st, int64_t id,
			     int (*cb)(void *ctx, const struct store_consent_record *r), void *ctx);

/* The outbound categories and the consent flow's purposes the store accepts. */
bool store_category_valid(const char *category);
bool store_purpose_valid(const char *purpose);

/* ---- store_stats.c ---- */

/*
 * Every statement store_stats runs, NULL-terminated, as SQL text: the test
 * that checks their query plans reads them here, so it checks what runs.
 */
extern const char *const store_stats_statements[];

/* Validates a caller's string: non-NULL and non-empty. */
static inline bool store_str_ok(const char *s)
{
	return s && *s;
}

#endif
