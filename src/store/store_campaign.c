/*
 * Campaigns (include/parley/store_campaign.h): creating one with all its
 * messages in one transaction, its counts by state and policy code, and
 * marking it done once nothing is left to send. Rendering texts, checking
 * numbers and publishing events are the daemon's; the gate is policy's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/store_campaign.h"
#include "store_internal.h"

/* Ties message id to the campaign (store_enqueue_locked knows nothing of campaigns). */
static int link_message(struct store *st, int64_t campaign, int64_t id)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CAMPAIGN_LINK,
				     "UPDATE messages SET campaign_id = ?1 WHERE id = ?2");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, campaign);
	sqlite3_bind_int64(s, 2, id);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_db_fail(st, "linking a message to its campaign");
	sqlite3_reset(s);
	return rc;
}

/* A recipient refused before queueing: a blocked message of the campaign, with its history. */
static int add_blocked(struct store *st, int64_t campaign, const struct store_campaign_recipient *r,
		       const char *text, const char *category, const char *code, const char *reason,
		       int64_t now)
{
	char detail[STORE_DETAIL_MAX];
	sqlite3_stmt *s = store_stmt(st, STMT_CAMPAIGN_BLOCKED,
				     "INSERT INTO messages (inbound, state, peer, text, category,"
				     " policy, error, created_at, send_at, updated_at, campaign_id)"
				     " VALUES (0, 'blocked', ?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6, ?7)");
	int64_t id;
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, r->to, -1, SQLITE_STATIC);
	store_bind_text(s, 2, text);
	sqlite3_bind_text(s, 3, category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, code, -1, SQLITE_STATIC);
	store_bind_text(s, 5, reason);
	sqlite3_bind_int64(s, 6, now);
	sqlite3_bind_int64(s, 7, campaign);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "recording a refused recipient");
	id = sqlite3_last_insert_rowid(st->db);
	snprintf(detail, sizeof(detail), "%.32s: %.120s", code, reason ? reason : "refused");
	return store_event(st, id, STORE_BLOCKED, now, detail);
}

static int add_recipient(struct store *st, int64_t campaign, const struct store_new_campaign *c,
			 const char *category, const struct store_campaign_recipient *r, int64_t now)
{
	struct store_new_message m = {
		.to = r->to, .text = r->text, .category = category, .expire_at = c->expire_at,
		.priority = c->priority,
	};
	int64_t id = 0;
	bool existing = false;
	int rc;

	if (r->refused)
		return add_blocked(st, campaign, r, r->text, category, r->refused, r->refused_reason,
				   now);
	/* the checks store_enqueue makes (UTF-8 text, ...): one bad recipient undoes it all */
	if ((rc = store_enqueue_check(st, &m, &category)) < 0)
		return rc;
	st->refused = false;
	rc = store_enqueue_locked(st, &m, category, now, &id, &existing);
	if (rc == -EACCES && st->refused) {
		st->refused = false;
		return add_blocked(st, campaign, r, r->text, category,
				   st->refusal.code_name ? st->refusal.code_name : "policy",
				   st->refusal.reason, now);
	}
	return rc < 0 ? rc : link_message(st, campaign, id);
}

static int create_locked(struct store *st, const struct store_new_campaign *c, const char *category,
			 int64_t now, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st, STMT_CAMPAIGN_NEW,
				     "INSERT INTO campaigns (name, category, template, text, total,"
				     " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, category, -1, SQLITE_STATIC);
	store_bind_text(s, 3, c->template_name);
	store_bind_text(s, 4, c->text);
	sqlite3_bind_int64(s, 5, (int64_t)c->n);
	sqlite3_bind_int64(s, 6, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "creating a campaign");
	*id = sqlite3_last_insert_rowid(st->db);
	for (size_t i = 0; i < c->n; i++)
		if ((rc = add_recipient(st, *id, c, category, &c->recipients[i], now)) < 0)
			return rc;
	return 0;
}

static int create_check(struct store *st, const struct store_new_campaign *c)
{
	if (!c || !store_str_ok(c->name) || strlen(c->name) > STORE_CAMPAIGN_NAME_MAX)
		return store_fail(st, -EINVAL, "a campaign needs a name of 1 to %d bytes",
				  STORE_CAMPAIGN_NAME_MAX);
	if (c->n == 0 || c->n > STORE_CAMPAIGN_MAX || !c->recipients)
		return store_fail(st, -EINVAL, "a campaign has 1 to %d recipients",
				  STORE_CAMPAIGN_MAX);
	if (c->category && !store_category_valid(c->category))
		return store_fail(st, -EINVAL, "unknown category \"%s\"", c->category);
	if (c->expire_at < 0)
		return store_fail(st, -EINVAL, "a time is negative");
	for (size_t i = 0; i < c->n; i++) {
		const struct store_campaign_recipient *r = &c->recipients[i];

		if (!store_str_ok(r->to) || (!r->refused && !store_str_ok(r->text)))
			return store_fail(st, -EINVAL, "recipient %zu has no number or no text", i + 1);
		if (r->refused && !*r->refused)
			return store_fail(st, -EINVAL, "recipient %zu: an empty refusal code", i + 1);
	}
	return 0;
}

int store_campaign_create(struct store *st, const struct store_new_campaign *c, int64_t now,
			  int64_t *id)
{
	const char *category;
	int64_t new_id = 0;
	int rc;

	if (id)
		*id = 0;
	if (!st)
		return -EINVAL;
	if ((rc = create_check(st, c)) < 0)
		return rc;
	if (now < 0)
		return store_fail(st, -EINVAL, "a time is negative");
	category = c->category ? c->category : "marketing";
	if ((rc = store_begin(st)) < 0)
		return rc;
	if ((rc = store_end(st, create_locked(st, c, category, now, &new_id))) < 0)
		return rc;
	if (id)
		*id = new_id;
	return 0;
}

int store_campaign_get(struct store *st, int64_t id, struct store_campaign *out)
{
	sqlite3_stmt *s;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!st)
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "store_campaign_get needs somewhere to write");
	if (!(s = store_stmt(st, STMT_CAMPAIGN_GET,
			     "SELECT name, category, state, created_at, coalesce(done_at, 0), total"
			     " FROM campaigns WHERE id = ?1")))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = id;
		snprintf(out->name, sizeof(out->name), "%s", (const char *)sqlite3_column_text(s, 0));
		snprintf(out->category, sizeof(out->category), "%s",
			 (const char *)sqlite3_column_text(s, 1));
		out->done = strcmp((const char *)sqlite3_column_text(s, 2), "done") == 0;
		out->created_at = sqlite3_column_int64(s, 3);
		out->done_at = sqlite3_column_int64(s, 4);
		out->total = sqlite3_column_int64(s, 5);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = store_fail(st, -ENOENT, "there is no campaign %lld", (long long)id);
	} else {
		rc = store_db_fail(st, "reading a campaign");
	}
	sqlite3_reset(s);
	return rc;
}

/* Adds n to code's count in the list (codes beyond the list's room are lumped as "other"). */
static void reason_add(struct store_campaign_reason *list, size_t *len, const char *code, int64_t n)
{
	size_t i;

	for (i = 0; i < *len; i++)
		if (strcmp(list[i].code, code) == 0)
			break;
	if (i == *len) {
		if (*len == STORE_CAMPAIGN_REASONS) {
			i = STORE_CAMPAIGN_REASONS - 1;
			snprintf(list[i].code, sizeof(list[i].code), "other");
		} else {
			snprintf(list[i].code, sizeof(list[i].code), "%s", code);
			list[i].n = 0;
			(*len)++;
		}
	}
	list[i].n += n;
}

static void count_row(struct store_campaign_counts *c, enum store_state state, const char *policy,
		      int64_t n)
{
	switch (state) {
	case STORE_QUEUED:
		/* a deferral leaves the rule's name on a queued message: held by policy */
		if (policy) {
			c->held += n;
			reason_add(c->held_by, &c->nheld_by, policy, n);
		} else {
			c->queued += n;
		}
		break;
	case STORE_SENDING: c->sending += n; break;
	case STORE_SENT: c->sent += n; break;
	case STORE_DELIVERED:
		c->sent += n;
		c->delivered += n;
		break;
	case STORE_FAILED: c->failed += n; break;
	case STORE_EXPIRED:
		c->expired += n;
		if (policy)
			reason_add(c->expired_by, &c->nexpired_by, policy, n);
		break;
	case STORE_BLOCKED:
		c->blocked += n;
		reason_add(c->blocked_by, &c->nblocked_by, policy ? policy : "policy", n);
		break;
	case STORE_UNKNOWN:
	case STORE_HELD: c->unknown += n; break;
	case STORE_CANCELLED: c->cancelled += n; break;
	case STORE_RECEIVED:
	case STORE_PARTIAL: break;
	}
}

static int counts_locked(struct store *st, int64_t id, struct store_campaign_counts *out)
{
	struct store_campaign camp;
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_campaign_get(st, id, &camp)) < 0)
		return rc;
	out->total = camp.total;
	if (!(s = store_stmt(st, STMT_CAMPAIGN_COUNTS,
			     "SELECT state, policy, count(*) FROM messages WHERE campaign_id = ?1"
			     " GROUP BY state, policy")))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int state = store_state_from_name((const char *)sqlite3_column_text(s, 0));

		if (state >= 0)
			count_row(out, (enum store_state)state,
				  (const char *)sqlite3_column_text(s, 1), sqlite3_column_int64(s, 2));
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, "counting a campaign's messages");
}

int store_campaign_counts(struct store *st, int64_t id, struct store_campaign_counts *out)
{
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!st)
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "store_campaign_counts needs somewhere to write");
	if ((rc = counts_locked(st, id, out)) < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

bool store_campaign_counts_finished(const struct store_campaign_counts *c)
{
	return c && c->queued == 0 && c->held == 0 && c->sending == 0 && c->unknown == 0;
}

static int finish_locked(struct store *st, int64_t id, int64_t now)
{
	struct store_campaign_counts c;
	sqlite3_stmt *s;
	int rc;

	memset(&c, 0, sizeof(c));
	/* counted inside the write transaction: no message can settle or requeue meanwhile */
	if ((rc = counts_locked(st, id, &c)) < 0)
		return rc;
	if (!store_campaign_counts_finished(&c))
		return 0;
	if (!(s = store_stmt(st, STMT_CAMPAIGN_DONE,
			     "UPDATE campaigns SET state = 'done', done_at = ?2"
			     " WHERE id = ?1 AND state = 'running'")))
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, "marking a campaign done");
	return sqlite3_changes(st->db) == 1 ? 1 : 0;
}

int store_campaign_finish(struct store *st, int64_t id, int64_t now)
{
	int rc;

	if (!st)
		return -EINVAL;
	if ((rc = store_begin(st)) < 0)
		return rc;
	return store_end(st, finish_locked(st, id, now));
}

int store_campaign_running(struct store *st, int64_t *ids, size_t max)
{
	sqlite3_stmt *s;
	size_t n = 0;
	int rc = SQLITE_DONE;

	if (!st)
		return -EINVAL;
	if (!ids && max)
		return store_fail(st, -EINVAL, "store_campaign_running needs room for the ids");
	if (!(s = store_stmt(st, STMT_CAMPAIGN_RUNNING,
			     "SELECT id FROM campaigns WHERE state = 'running' ORDER BY id")))
		return -EIO;
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	if (n < max && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return store_db_fail(st, "listing running campaigns");
	}
	sqlite3_reset(s);
	return (int)n;
}
