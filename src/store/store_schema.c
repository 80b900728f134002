/*
 * The store's schema and its migrations. PRAGMA user_version says which
 * version a file holds; each step below takes it one version further, and
 * every step a file lacks runs in one transaction, so a file is at one
 * version or the next, never between. A file newer than this build is
 * refused rather than guessed at. Never edit a released step: add one.
 *
 * States are stored by name ('queued', ...), not by enum value, so that the
 * file does not depend on the order of enum store_state and a person can
 * read it with the sqlite3 shell.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

/* "prly": marks the file as parley's, so a wrong path is not migrated into */
#define STORE_APPLICATION_ID 0x70726c79

struct migration {
	int version;            /* user_version once the step has run */
	const char *sql;        /* constant DDL, one or more statements */
};

static const struct migration migrations[] = {
	{ 1,
	/*
	 * messages: both directions. want_line is the line an outbound message
	 * must leave through (asked for, or sticky), NULL for any; line is the
	 * one it did use or arrived on. text and pdu become NULL when purged.
	 * For inbound messages send_at holds the sender's SC timestamp.
	 */
	"CREATE TABLE messages ("
	" id INTEGER PRIMARY KEY,"
	" inbound INTEGER NOT NULL,"
	" state TEXT NOT NULL,"
	" peer TEXT NOT NULL,"
	" want_line TEXT,"
	" line TEXT,"
	" text TEXT,"
	" pdu TEXT,"
	" idem_key TEXT,"
	" category TEXT,"
	" error TEXT,"
	" priority INTEGER NOT NULL DEFAULT 0,"
	" report INTEGER NOT NULL DEFAULT 0,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" segments INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" send_at INTEGER NOT NULL,"
	" expire_at INTEGER NOT NULL DEFAULT 0,"
	" sent_at INTEGER,"
	" updated_at INTEGER NOT NULL,"
	" events INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX messages_key ON messages (idem_key) WHERE idem_key IS NOT NULL;"
	/*
	 * store_claim: in each line bucket (NULL, and the claimer's own), one
	 * seek per priority level down to the first with a message due
	 */
	"CREATE INDEX messages_due ON messages (want_line, priority DESC, send_at, id)"
	" WHERE state = 'queued';"
	/* store_next_due, store_expire, store_recover: no scan of the table */
	"CREATE INDEX messages_next ON messages (send_at) WHERE state = 'queued';"
	"CREATE INDEX messages_expiry ON messages (expire_at)"
	" WHERE state = 'queued' AND expire_at > 0;"
	"CREATE INDEX messages_sending ON messages (id) WHERE state = 'sending';"
	/* the sticky line: the peer's last inbound, and last sent */
	"CREATE INDEX messages_peer_in ON messages (peer, created_at) WHERE inbound = 1;"
	"CREATE INDEX messages_peer_out ON messages (peer, sent_at) WHERE sent_at IS NOT NULL;"
	/*
	 * A message's history, kept together by its key: seq counts the
	 * message's events (messages.events), so no second index is needed.
	 */
	"CREATE TABLE message_events ("
	" message_id INTEGER NOT NULL REFERENCES messages (id),"
	" seq INTEGER NOT NULL,"
	" state TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" detail TEXT,"
	" PRIMARY KEY (message_id, seq)) WITHOUT ROWID;"
	/*
	 * One row per segment of the latest attempt (a resend replaces the row):
	 * status reports find theirs by (line, mr, recipient, sent_at).
	 */
	"CREATE TABLE segments ("
	" message_id INTEGER NOT NULL REFERENCES messages (id),"
	" seq INTEGER NOT NULL,"
	" attempt INTEGER NOT NULL,"
	" mr INTEGER NOT NULL,"
	" line TEXT NOT NULL,"
	" recipient TEXT NOT NULL,"
	" sent_at INTEGER NOT NULL,"
	" status TEXT,"
	" raw_status INTEGER,"
	" status_at INTEGER,"
	" PRIMARY KEY (message_id, seq)) WITHOUT ROWID;"
	"CREATE INDEX segments_report ON segments (line, mr, recipient, sent_at);"
	/*
	 * Inbound parts waiting for their siblings; a repeat hits the key. Only
	 * waiting parts live here, so store_flush_parts reads it whole.
	 */
	"CREATE TABLE parts ("
	" line TEXT NOT NULL,"
	" sender TEXT NOT NULL,"
	" ref INTEGER NOT NULL,"
	" total INTEGER NOT NULL,"
	" seq INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" pdu TEXT,"
	" sent_at INTEGER NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" PRIMARY KEY (line, sender, ref, total, seq)) WITHOUT ROWID;"
	/*
	 * Messages by state, kept by triggers so that status and metrics read
	 * a dozen rows instead of counting a million. One row per state,
	 * seeded here: a step adding a state adds its row.
	 */
	"CREATE TABLE state_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO state_counts (state, n) VALUES ('queued', 0), ('sending', 0), ('sent', 0),"
	" ('delivered', 0), ('failed', 0), ('expired', 0), ('blocked', 0), ('unknown', 0),"
	" ('held', 0), ('cancelled', 0), ('received', 0), ('partial', 0);"
	"CREATE TRIGGER messages_count_new AFTER INSERT ON messages BEGIN"
	" UPDATE state_counts SET n = n + 1 WHERE state = NEW.state;"
	" END;"
	"CREATE TRIGGER messages_count_move AFTER UPDATE OF state ON messages"
	" WHEN OLD.state IS NOT NEW.state BEGIN"
	" UPDATE state_counts SET n = n - 1 WHERE state = OLD.state;"
	" UPDATE state_counts SET n = n + 1 WHERE state = NEW.state;"
	" END;"
	/* STORE_APPLICATION_ID in decimal */
	"PRAGMA application_id = 1886547065;"
	"PRAGMA user_version = 1;" },
	{ 2,
	/*
	 * seen_pdus: every inbound PDU committed in the last week, by line. A
	 * modem can hand the same PDU over again when parleyd dies between the
	 * commit and AT+CMGD; this is what recognises it across restarts.
	 */
	"CREATE TABLE seen_pdus ("
	" line TEXT NOT NULL,"
	" pdu TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (line, pdu)) WITHOUT ROWID;"
	"CREATE INDEX seen_pdus_age ON seen_pdus (at);"
	"PRAGMA user_version = 2;" },
	{ 3,
	/*
	 * Consent (issue 5). purpose marks the replies the consent flow sends
	 * itself (an opt-out's confirmation, the help text): they pass the
	 * block they answer, and a second one within a period is not sent.
	 * keyword is what an inbound text meant; policy_done says the consent
	 * flow has acted on it (0 only for inbound messages still to read, so
	 * a crash between storing a STOP and recording it loses nothing).
	 * policy names the rule that blocked or held an outbound message.
	 */
	"ALTER TABLE messages ADD COLUMN purpose TEXT;"
	"ALTER TABLE messages ADD COLUMN keyword TEXT;"
	"ALTER TABLE messages ADD COLUMN policy TEXT;"
	"ALTER TABLE messages ADD COLUMN policy_done INTEGER NOT NULL DEFAULT 1;"
	"CREATE INDEX messages_purpose ON messages (peer, purpose, created_at)"
	" WHERE purpose IS NOT NULL;"
	"CREATE INDEX messages_policy_todo ON messages (id) WHERE policy_done = 0;"
	/*
	 * The consent ledger: append-only. Whether a number may be texted is
	 * worked out from all of its rows, oldest first (policy/consent.c), so
	 * no row is ever changed; one is deleted only once the retention
	 * period (consent_retention, set by store_consent_purge) has passed.
	 * The triggers hold against any code path, not only this build's.
	 */
	"CREATE TABLE consent_ledger ("
	" id INTEGER PRIMARY KEY,"
	" number TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK (action IN ('grant', 'revoke')),"
	" scope TEXT NOT NULL CHECK (scope IN ('line', 'group', 'all')),"
	" scope_name TEXT NOT NULL DEFAULT '',"
	" category TEXT NOT NULL,"
	" method TEXT NOT NULL,"
	" disclosure TEXT,"
	" recorded_by TEXT NOT NULL,"
	" message_id INTEGER,"
	" at INTEGER NOT NULL);"
	"CREATE INDEX consent_number ON consent_ledger (number, id);"
	"CREATE TABLE consent_retention (ms INTEGER NOT NULL);"
	"INSERT INTO consent_retention (ms) VALUES (157680000000);" /* 5 x 365 days */
	"CREATE TRIGGER consent_append_only BEFORE UPDATE ON consent_ledger BEGIN"
	" SELECT RAISE(ABORT, 'the consent ledger is append-only');"
	" END;"
	"CREATE TRIGGER consent_retained BEFORE DELETE ON consent_ledger"
	" WHEN OLD.at > CAST(strftime('%s', 'now') AS INTEGER) * 1000"
	" - (SELECT ms FROM consent_retention) BEGIN"
	" SELECT RAISE(ABORT, 'consent records are kept for the whole retention period');"
	" END;"
	/* who read or exported the ledger, and when: audits ask */
	"CREATE TABLE consent_audit ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" operation TEXT NOT NULL,"
	" who TEXT NOT NULL,"
	" detail TEXT);"
	"CREATE TRIGGER consent_audit_append_only BEFORE UPDATE ON consent_audit BEGIN"
	" SELECT RAISE(ABORT, 'the consent audit log is append-only');"
	" END;"
	"PRAGMA user_version = 3;" },
	{ 4,
	/*
	 * The event outbox (issue 6): every change worth telling MQTT
	 * consumers about is written here by triggers, in the transaction
	 * that makes the change, and deleted once the broker acknowledged it.
	 * kind: 'message' (an outbound message's state change, from
	 * message_events), 'received' (an inbound message once the consent
	 * flow has read it, so the event carries its keyword), 'consent' (a
	 * ledger record). Off (outbox_switch.on = 0) when no broker is
	 * configured, so that nothing piles up for nobody.
	 */
	/* AUTOINCREMENT: ids never come back after the newest rows are deleted, so an
	 * event's id (its uid, and the bridge's place in the queue) is never reused */
	"CREATE TABLE outbox ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" kind TEXT NOT NULL,"
	" ref INTEGER NOT NULL,"
	" state TEXT,"
	" detail TEXT,"
	" at INTEGER NOT NULL);"
	"CREATE TABLE outbox_switch (on_ INTEGER NOT NULL);"
	"INSERT INTO outbox_switch (on_) VALUES (0);"
	"CREATE TRIGGER outbox_message AFTER INSERT ON message_events"
	" WHEN (SELECT on_ FROM outbox_switch) AND"
	" (SELECT inbound FROM messages WHERE id = NEW.message_id) = 0 BEGIN"
	" INSERT INTO outbox (kind, ref, state, detail, at)"
	" VALUES ('message', NEW.message_id, NEW.state, NEW.detail, NEW.at);"
	" END;"
	"CREATE TRIGGER outbox_received AFTER UPDATE OF policy_done ON messages"
	" WHEN (SELECT on_ FROM outbox_switch) AND NEW.inbound = 1"
	" AND NEW.policy_done = 1 AND OLD.policy_done = 0 BEGIN"
	" INSERT INTO outbox (kind, ref, state, at) VALUES ('received', NEW.id, NEW.state,"
	" NEW.updated_at);"
	" END;"
	/* a record replicated from another gateway was announced there */
	"CREATE TRIGGER outbox_consent AFTER INSERT ON consent_ledger"
	" WHEN (SELECT on_ FROM outbox_switch) AND NEW.origin IS NULL BEGIN"
	" INSERT INTO outbox (kind, ref, at) VALUES ('consent', NEW.id, NEW.at);"
	" END;"
	/*
	 * Which store this is, for event ids unique across gateways and for
	 * telling our own replicated consent records from others'.
	 */
	"CREATE TABLE store_identity (instance TEXT NOT NULL);"
	"INSERT INTO store_identity (instance) VALUES (lower(hex(randomblob(8))));"
	/*
	 * Consent records replicated from other gateways through the broker:
	 * origin is the other store's instance, origin_id its ledger id; one
	 * copy each however often the broker delivers it.
	 */
	"ALTER TABLE consent_ledger ADD COLUMN origin TEXT;"
	"ALTER TABLE consent_ledger ADD COLUMN origin_id INTEGER;"
	"CREATE UNIQUE INDEX consent_replicas ON consent_ledger (origin, origin_id)"
	" WHERE origin IS NOT NULL;"
	"PRAGMA user_version = 4;" },
	{ 5,
	/*
	 * Conversations (issue 7): one customer number with one of our lines.
	 * The state rules are policy/conversation.c's; the store applies them in
	 * the transaction that stores, queues or claims a message. unread counts
	 * customer messages since an agent last read or replied; waiting_since
	 * is the oldest customer message no person has answered (0 none).
	 * last_change is the last change in words ("claimed by alice"), written
	 * with each change so that the outbox trigger can copy it.
	 * UNIQUE (peer, line) rather than (line, peer): the same constraint, and
	 * its index also serves the list filtered by peer.
	 */
	"CREATE TABLE conversations ("
	" id INTEGER PRIMARY KEY,"
	" line TEXT NOT NULL,"
	" peer TEXT NOT NULL,"
	" state TEXT NOT NULL"
	" CHECK (state IN ('open', 'waiting_customer', 'waiting_agent', 'closed')),"
	" assignee TEXT,"
	" unread INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" last_in_at INTEGER NOT NULL DEFAULT 0,"
	" last_out_at INTEGER NOT NULL DEFAULT 0,"
	" waiting_since INTEGER NOT NULL DEFAULT 0,"
	" last_change TEXT,"
	" UNIQUE (peer, line));"
	/* the agents' lists: by state and by assignee, newest activity first */
	"CREATE INDEX conversations_state ON conversations (state, updated_at);"
	"CREATE INDEX conversations_assignee ON conversations (assignee, updated_at);"
	"CREATE INDEX conversations_recent ON conversations (updated_at);"
	"CREATE TABLE conversation_tags ("
	" conversation_id INTEGER NOT NULL REFERENCES conversations (id),"
	" tag TEXT NOT NULL,"
	" PRIMARY KEY (conversation_id, tag)) WITHOUT ROWID;"
	/* agents' internal notes: never sent, part of the history */
	"CREATE TABLE conversation_notes ("
	" id INTEGER PRIMARY KEY,"
	" conversation_id INTEGER NOT NULL REFERENCES conversations (id),"
	" author TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" at INTEGER NOT NULL);"
	"CREATE INDEX conversation_notes_order ON conversation_notes (conversation_id, at);"
	/*
	 * A message's conversation (NULL until its line is known) and, for an
	 * outbound reply, the agent who sent it (NULL: automation). No
	 * REFERENCES on conversation_id: SQLite cannot DROP such a column, and
	 * the migration tests rebuild older files by dropping this step's
	 * objects; the store sets it in the transaction creating the row.
	 */
	"ALTER TABLE messages ADD COLUMN conversation_id INTEGER;"
	"ALTER TABLE messages ADD COLUMN agent TEXT;"
	"CREATE INDEX messages_conversation ON messages (conversation_id, created_at)"
	" WHERE conversation_id IS NOT NULL;"
	/*
	 * Messages of older files: one conversation for each (line, peer) of
	 * the messages with a line, waiting for an agent when the newest is
	 * from the customer (waiting since the oldest of the customer's
	 * messages after our last one), else for the customer. Nothing is
	 * unread: nobody can say what was read before conversations existed.
	 * "Newest" by id: ids grow in the order rows were written.
	 */
	"INSERT INTO conversations (line, peer, state, created_at, updated_at, last_in_at,"
	" last_out_at, waiting_since, last_change)"
	" SELECT line, peer,"
	" CASE WHEN last_in_id > last_out_id THEN 'waiting_agent' ELSE 'waiting_customer' END,"
	" first_at, max(last_at, last_sent), last_in, last_sent,"
	" CASE WHEN last_in_id > last_out_id THEN (SELECT min(i.created_at) FROM messages i"
	"  WHERE i.inbound = 1 AND i.peer = g.peer AND i.line = g.line AND i.id > g.last_out_id)"
	"  ELSE 0 END,"
	" 'opened by the upgrade to schema 5'"
	" FROM (SELECT line, peer, min(created_at) AS first_at, max(created_at) AS last_at,"
	"  coalesce(max(CASE WHEN inbound = 1 THEN id END), 0) AS last_in_id,"
	"  coalesce(max(CASE WHEN inbound = 0 THEN id END), 0) AS last_out_id,"
	"  coalesce(max(CASE WHEN inbound = 1 THEN created_at END), 0) AS last_in,"
	"  coalesce(max(sent_at), 0) AS last_sent"
	"  FROM messages WHERE line IS NOT NULL GROUP BY line, peer) AS g;"
	"UPDATE messages SET conversation_id = (SELECT c.id FROM conversations c"
	" WHERE c.peer = messages.peer AND c.line = messages.line) WHERE line IS NOT NULL;"
	/*
	 * Every change of a conversation is an event (kind 'conversation'):
	 * the store's code sets updated_at and last_change in the one UPDATE
	 * that makes a change (tags and notes included), so each change writes
	 * one row. Recording a send (last_out_at alone) is not an event: the
	 * message's own event tells it. Created after the upgrade's rows above,
	 * so an upgrade does not announce every old conversation.
	 */
	"CREATE TRIGGER outbox_conversation_new AFTER INSERT ON conversations"
	" WHEN (SELECT on_ FROM outbox_switch) BEGIN"
	" INSERT INTO outbox (kind, ref, state, detail, at)"
	" VALUES ('conversation', NEW.id, NEW.state, NEW.last_change, NEW.updated_at);"
	" END;"
	"CREATE TRIGGER outbox_conversation AFTER UPDATE OF state, assignee, unread, updated_at"
	" ON conversations WHEN (SELECT on_ FROM outbox_switch) BEGIN"
	" INSERT INTO outbox (kind, ref, state, detail, at)"
	" VALUES ('conversation', NEW.id, NEW.state, NEW.last_change, NEW.updated_at);"
	" END;"
	"PRAGMA user_version = 5;" },
	{ 6,
	/*
	 * Follow-ups (issue 7): a message sent some time after an event that a
	 * customer's own message makes moot ("we saved your cart" after they
	 * wrote to us). Queued ones are cancelled in the transaction that
	 * stores the customer's message.
	 */
	"ALTER TABLE messages ADD COLUMN cancel_on_reply INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX messages_follow_ups ON messages (peer)"
	" WHERE state = 'queued' AND cancel_on_reply = 1;"
	"PRAGMA user_version = 6;" },
	{ 7,
	/*
	 * Campaigns (issue 7): one text or template sent to a list. Each
	 * recipient is a message of the campaign (messages.campaign_id), for
	 * any line, so the lines share them at their own rates; recipients
	 * refused at once (opted out, no consent, not a number) are kept as
	 * blocked messages of the campaign, so the counts add up to total.
	 * The counts are computed from the messages, never kept twice.
	 * state goes 'running' -> 'done' once, when nothing of the campaign is
	 * left to send; that UPDATE's trigger writes the summary's outbox row
	 * in the same transaction, so the summary is told exactly once.
	 * No REFERENCES on campaign_id, for the reason given in step 5.
	 */
	"CREATE TABLE campaigns ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" category TEXT NOT NULL DEFAULT 'marketing',"
	" template TEXT,"
	" text TEXT,"
	" total INTEGER NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),"
	" created_at INTEGER NOT NULL,"
	" done_at INTEGER);"
	"CREATE INDEX campaigns_running ON campaigns (state) WHERE state = 'running';"
	"ALTER TABLE messages ADD COLUMN campaign_id INTEGER;"
	"CREATE INDEX messages_campaign ON messages (campaign_id, state)"
	" WHERE campaign_id IS NOT NULL;"
	"CREATE TRIGGER outbox_campaign_done AFTER UPDATE OF state ON campaigns"
	" WHEN (SELECT on_ FROM outbox_switch) AND NEW.state = 'done' AND OLD.state = 'running'"
	" BEGIN"
	" INSERT INTO outbox (kind, ref, state, at) VALUES ('campaign', NEW.id, 'done', NEW.done_at);"
	" END;"
	"PRAGMA user_version = 7;" },
	{ 8,
	/*
	 * Figures over a period (store_stats.c): every count there is bounded
	 * by messages.created_at, which no index served, so each one read the
	 * whole table (0.44 s for the last day of 200,000 messages).
	 */
	"CREATE INDEX messages_created ON messages (created_at);"
	"PRAGMA user_version = 8;" },
};

#define MIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

int store_schema_version(void)
{
	return migrations[MIGRATIONS - 1].version;
}

/* An integer from a statement without parameters (a PRAGMA or a count). */
static int query_int(struct store *st, const char *sql, int64_t *v)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_db_fail(st, "reading the schema version");
	rc = sqlite3_step(s);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_fail(st, "reading the schema version");
	return 0;
}

/* Runs every statement of a constant script, each prepared in turn. */
static int run_script(struct store *st, const char *sql, int version)
{
	while (sql && *sql) {
		sqlite3_stmt *s;
		const char *tail;
		int rc;

		if (sqlite3_prepare_v2(st->db, sql, -1, &s, &tail) != SQLITE_OK)
			return store_fail(st, -EIO, "migrating to schema version %d: %s", version,
					  sqlite3_errmsg(st->db));
		if (!s)         /* only whitespace left */
			break;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			;
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, -EIO, "migrating to schema version %d: %s", version,
					  sqlite3_errmsg(st->db));
		sql = tail;
	}
	return 0;
}

static int migrate_locked(struct store *st)
{
	int64_t version, app, objects;
	int rc;

	if ((rc = query_int(st, "PRAGMA user_version", &version)) < 0 ||
	    (rc = query_int(st, "PRAGMA application_id", &app)) < 0 ||
	    (rc = query_int(st, "SELECT count(*) FROM sqlite_schema", &objects)) < 0)
		return rc;
	if (version > store_schema_version())
		return store_fail(st, -EPROTO,
				  "the database is at schema version %lld, newer than this build"
				  " knows (%d): use a newer parley, or another file",
				  (long long)version, store_schema_version());
	if ((version == 0 && objects > 0) ||
	    (version > 0 && app != STORE_APPLICATION_ID))
		return store_fail(st, -EPROTO, "the file is an SQLite database, but not parley's");
	for (size_t i = 0; i < MIGRATIONS; i++) {
		if (migrations[i].version <= version)
			continue;
		if ((rc = run_script(st, migrations[i].sql, migrations[i].version)) < 0)
			return rc;
		if ((rc = query_int(st, "PRAGMA user_version", &version)) < 0)
			return rc;
		if (version != migrations[i].version)
			return store_fail(st, -EIO, "schema step %d left user_version at %lld",
					  migrations[i].version, (long long)version);
	}
	return 0;
}

int store_migrate(struct store *st)
{
	int rc = store_begin(st);

	if (rc < 0)
		return rc;
	return store_end(st, migrate_locked(st));
}
