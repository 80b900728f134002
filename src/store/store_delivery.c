/*
 * A claimed message at the modem: its segments as the modem accepts them
 * (TP-MR), the failures that send it back to the queue or end it, and the
 * status reports that find their segment and settle the message
 * (TS 23.040 9.2.2.3 SMS-STATUS-REPORT, 9.2.3.15 TP-ST).
 *
 * A report is matched by line, TP-MR and recipient among segments sent
 * within a window: TP-MR is one octet per line, so it comes round again
 * after 256 sends, and the newest match is the one the SC is answering.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/sms.h"
#include "store_internal.h"

#define SEGMENTS_MAX 255
#define MR_MAX 255

int store_set_segments(struct store *st, int64_t id, int segments)
{
	sqlite3_stmt *s;
	enum store_state state;
	int rc;

	if (!st)
		return -EINVAL;
	if (segments < 1 || segments > SEGMENTS_MAX)
		return store_fail(st, -EINVAL, "%d segments: a message has 1 to %d", segments,
				  SEGMENTS_MAX);
	s = store_stmt(st, STMT_SET_SEGMENTS,
		       "UPDATE messages SET segments = ?2 WHERE id = ?1 AND state = 'sending'");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, segments);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "recording the number of segments");
	if (sqlite3_changes(st->db) == 1)
		return 0;
	if ((rc = store_state_of(st, id, &state)) < 0)
		return rc;
	return store_fail(st, -EPERM, "message %lld is %s, not sending", (long long)id,
			  store_state_name(state));
}

/* What segment_sent and reports need to know of a message. */
struct seg_info {
	enum store_state state;
	int segments;
	int attempt;
	bool report;
	char line[64];          /* for the history's words only: may be cut short */
};

static int seg_info(struct store *st, int64_t id, struct seg_info *si)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SEG_INFO,
				     "SELECT state, segments, attempts, report, line"
				     " FROM messages WHERE id = ?1");
	int rc, v;

	memset(si, 0, sizeof(*si));
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(s, 4);

		v = store_state_from_name((const char *)sqlite3_column_text(s, 0));
		si->state = v < 0 ? STORE_UNKNOWN : (enum store_state)v;
		si->segments = sqlite3_column_int(s, 1);
		si->attempt = sqlite3_column_int(s, 2);
		si->report = sqlite3_column_int(s, 3) != 0;
		snprintf(si->line, sizeof(si->line), "%s", line ? line : "");
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = store_fail(st, -ENOENT, "there is no message %lld", (long long)id);
	} else {
		rc = store_db_fail(st, "reading a message");
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * A sent message whose segments all have reports: delivered when every one
 * is, failed as soon as one failed. Anything else waits.
 */
static int settle(struct store *st, int64_t id, const struct seg_info *si, const char *detail,
		  int64_t now)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SETTLE,
				     "SELECT coalesce(sum(status = 'delivered'), 0),"
				     " coalesce(sum(status = 'failed'), 0) FROM segments"
				     " WHERE message_id = ?1 AND attempt = ?2 AND seq <= ?3");
	int rc, delivered = 0, failed = 0;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, si->attempt);
	sqlite3_bind_int(s, 3, si->segments);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		delivered = sqlite3_column_int(s, 0);
		failed = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_db_fail(st, "reading status reports");
	if (failed)
		return store_move(st, id, STORE_FAILED, "the network could not deliver it", detail,
				  now);
	if (delivered == si->segments)
		return store_move(st, id, STORE_DELIVERED, NULL, detail, now);
	return 0;
}

/* The segments' references in order, for the history: "mr 12" or "mr 12,13,14". */
static int sent_detail(struct store *st, int64_t id, const struct seg_info *si, char *out,
		       size_t size)
{
	sqlite3_stmt *s = store_stmt(st, STMT_SEG_MRS,
				     "SELECT mr FROM segments WHERE message_id = ?1"
				     " AND attempt = ?2 ORDER BY seq");
	size_t len;
	int rc;

	len = (size_t)snprintf(out, size, "line %s, %d segment%s, mr ", si->line, si->segments,
			       si->segments == 1 ? "" : "s");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, si->attempt);
	for (int i = 0; (rc = sqlite3_step(s)) == SQLITE_ROW; i++)
		if (len < size)
			len += (size_t)snprintf(out + len, size - len, "%s%d", i ? "," : "",
						sqlite3_column_int(s, 0));
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, "reading segment references");
}

static int segment_sent_locked(struct store *st, int64_t id, int seq, int mr, int64_t now)
{
	char detail[STORE_DETAIL_MAX];
	struct seg_info si;
	sqlite3_stmt *s;
	int rc, count = 0;

	if ((rc = seg_info(st, id, &si)) < 0)
		return rc;
	if (si.state != STORE_SENDING)
		return store_fail(st, -EPERM, "message %lld is %s, not sending", (long long)id,
				  store_state_name(si.state));
	if (si.segments < 1)
		return store_fail(st, -EINVAL, "message %lld: store_set_segments first",
				  (long long)id);
	if (seq > si.segments)
		return store_fail(st, -EINVAL, "segment %d of a message of %d", seq, si.segments);
	s = store_stmt(st, STMT_SEG_UPSERT,
		       "INSERT INTO segments (message_id, seq, attempt, mr, line, recipient,"
		       " sent_at) SELECT id, ?2, attempts, ?3, line, peer, ?4 FROM messages"
		       " WHERE id = ?1 ON CONFLICT (message_id, seq) DO UPDATE SET"
		       " attempt = excluded.attempt, mr = excluded.mr, line = excluded.line,"
		       " recipient = excluded.recipient, sent_at = excluded.sent_at,"
		       " status = NULL, raw_status = NULL, status_at = NULL");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, seq);
	sqlite3_bind_int(s, 3, mr);
	sqlite3_bind_int64(s, 4, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "recording a sent segment");
	if (si.segments > 1) {
		s = store_stmt(st, STMT_SEG_COUNT,
			       "SELECT count(*) FROM segments WHERE message_id = ?1"
			       " AND attempt = ?2 AND seq <= ?3");
		if (!s)
			return -EIO;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, si.attempt);
		sqlite3_bind_int(s, 3, si.segments);
		rc = sqlite3_step(s);
		count = sqlite3_column_int(s, 0);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW)
			return store_db_fail(st, "counting sent segments");
		if (count < si.segments)
			return 0;
	}
	s = store_stmt(st, STMT_MARK_SENT,
		       "UPDATE messages SET state = 'sent', sent_at = ?2, updated_at = ?2"
		       " WHERE id = ?1");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "marking a message sent");
	if (si.segments == 1)
		snprintf(detail, sizeof(detail), "line %s, mr %d", si.line, mr);
	else if ((rc = sent_detail(st, id, &si, detail, sizeof(detail))) < 0)
		return rc;
	if ((rc = store_event(st, id, STORE_SENT, now, detail)) < 0 ||
	    (rc = store_conversation_sent(st, id, now)) < 0)
		return rc;
	si.state = STORE_SENT;
	/* reports for the first segments can beat the modem's answer for the last */
	if (si.report && si.segments > 1)
		return settle(st, id, &si, "status reports arrived before the last segment went",
			      now);
	return 0;
}

int store_segment_sent(struct store *st, int64_t id, int seq, int mr, int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if (seq < 1 || mr < 0 || mr > MR_MAX)
		return store_fail(st, -EINVAL, "segment %d, reference %d: out of range", seq, mr);
	if ((rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, segment_sent_locked(st, id, seq, mr, now));
}

static int send_failed_locked(struct store *st, int64_t id, bool temporary, bool maybe_sent,
			      int64_t retry_at, const char *error, int64_t now)
{
	char detail[STORE_DETAIL_MAX];
	enum store_state state;
	const char *words = error ? error : "no reason given";
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_state_of(st, id, &state)) < 0)
		return rc;
	if (state != STORE_SENDING)
		return store_fail(st, -EPERM, "message %lld is %s, not sending", (long long)id,
				  store_state_name(state));
	if (maybe_sent) {
		snprintf(detail, sizeof(detail), "the modem may have sent it: %s", words);
		return store_move(st, id, STORE_UNKNOWN, words, detail, now);
	}
	if (!temporary) {
		snprintf(detail, sizeof(detail), "permanent error: %s", words);
		return store_move(st, id, STORE_FAILED, words, detail, now);
	}
	if (retry_at == 0) {
		snprintf(detail, sizeof(detail), "temporary error, no retries left: %s", words);
		return store_move(st, id, STORE_FAILED, words, detail, now);
	}
	s = store_stmt(st, STMT_REQUEUE, "UPDATE messages SET send_at = ?2 WHERE id = ?1");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, retry_at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "scheduling a retry");
	snprintf(detail, sizeof(detail), "temporary error, retry at %lld: %s", (long long)retry_at,
		 words);
	return store_move(st, id, STORE_QUEUED, words, detail, now);
}

int store_send_failed(struct store *st, int64_t id, bool temporary, bool maybe_sent,
		      int64_t retry_at, const char *error, int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if (retry_at < 0)
		return store_fail(st, -EINVAL, "the retry time is negative");
	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = send_failed_locked(st, id, temporary, maybe_sent, retry_at, error, now);
	return store_end(st, rc);
}

static const char *class_name(int status_class)
{
	switch ((enum sms_status_class)status_class) {
	case SMS_STATUS_DELIVERED:
		return "delivered";
	case SMS_STATUS_PENDING:
		return "pending";
	case SMS_STATUS_FAILED:
		return "failed";
	}
	return NULL;
}

static int report_locked(struct store *st, const char *line, int mr, const char *recipient,
			 int status_class, int raw_status, int64_t now, int64_t window_ms,
			 int64_t *id)
{
	char detail[STORE_DETAIL_MAX];
	struct seg_info si;
	sqlite3_stmt *s;
	int rc, seq;

	s = store_stmt(st, STMT_REPORT_FIND,
		       "SELECT message_id, seq FROM segments WHERE line = ?1 AND mr = ?2"
		       " AND recipient = ?3 AND sent_at >= ?4"
		       " ORDER BY sent_at DESC, message_id DESC LIMIT 1");
	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, line, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, mr);
	sqlite3_bind_text(s, 3, recipient, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now - window_ms);
	rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	seq = rc == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return store_fail(st, -ENOENT, "no segment sent from %s to %s with reference %d"
				  " in the window", line, recipient, mr);
	if (rc != SQLITE_ROW)
		return store_db_fail(st, "matching a status report");
	s = store_stmt(st, STMT_REPORT_SET,
		       "UPDATE segments SET status = ?3, raw_status = ?4, status_at = ?5"
		       " WHERE message_id = ?1 AND seq = ?2");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, *id);
	sqlite3_bind_int(s, 2, seq);
	sqlite3_bind_text(s, 3, class_name(status_class), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, raw_status);
	sqlite3_bind_int64(s, 5, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "recording a status report");
	if (status_class == SMS_STATUS_PENDING)
		return 0;
	if ((rc = seg_info(st, *id, &si)) < 0)
		return rc;
	if (si.state != STORE_SENT)
		return 0;
	snprintf(detail, sizeof(detail), "status report for segment %d of %d: %s, TP-ST 0x%02x",
		 seq, si.segments, class_name(status_class), (unsigned)raw_status & 0xffu);
	return settle(st, *id, &si, detail, now);
}

int store_status_report(struct store *st, const char *line, int mr, const char *recipient,
			int status_class, int raw_status, int64_t now, int64_t window_ms,
			int64_t *id)
{
	int64_t found = 0;
	int rc;

	if (id)
		*id = 0;
	if (!st)
		return -EINVAL;
	if (!store_str_ok(line) || !store_str_ok(recipient))
		return store_fail(st, -EINVAL, "a status report needs a line and a recipient");
	if (mr < 0 || mr > MR_MAX || !class_name(status_class) || window_ms < 0)
		return store_fail(st, -EINVAL,
				  "a status report with reference %d, class %d, window %lld ms",
				  mr, status_class, (long long)window_ms);
	if ((rc = store_begin(st)) < 0)
		return rc;
	rc = store_end(st, report_locked(st, line, mr, recipient, status_class, raw_status, now,
					 window_ms, &found));
	if (rc == 0 && id)
		*id = found;
	return rc;
}
