/*
 * Figures per line and per agent over a period (include/parley/store_stats.h
 * says what each one means). Counting is SQL; first-response times are
 * worked out here from each conversation's messages in order, because a
 * wait is a walk (the first customer message after a reply, up to the next
 * reply) that aggregate SQL says less clearly than a loop.
 *
 * Does not write, and does not render: mqtt_stats.c and cli_stats.c do.
 * The statements are prepared on each call rather than cached: the figures
 * are asked for once a period, and the cache's slots belong to store.c.
 * Every statement bounded by the period reads messages through
 * messages_created (schema step 8), so the cost follows the period's
 * messages, not the table's (test_store_stats checks the query plans).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parley/store_stats.h"
#include "store_internal.h"

/* What the consent flow records for a STOP (policy's keyword_kind_name(KEYWORD_OPT_OUT)). */
#define OPT_OUT_KEYWORD "opt-out"
/* Outbound messages that left: the figures' "sent". */
#define SENT_STATES "('sent', 'delivered')"

/* ---- the statements: the period is ?1..?2, the STOP keyword ?3, where they are used ---- */

/* The rows: lines and agents with anything in the period, or waiting or assigned now. */
static const char lines_sql[] =
	"SELECT coalesce(line, want_line) FROM messages"
	" WHERE coalesce(line, want_line) IS NOT NULL AND created_at BETWEEN ?1 AND ?2"
	" UNION SELECT line FROM conversations WHERE waiting_since > 0 ORDER BY 1";

static const char agents_sql[] =
	"SELECT agent FROM messages WHERE inbound = 0 AND agent IS NOT NULL"
	" AND created_at BETWEEN ?1 AND ?2"
	" UNION SELECT assignee FROM conversations WHERE assignee IS NOT NULL"
	" AND state <> 'closed' ORDER BY 1";

/* Per line: traffic in the period, conversations waiting now, opt-outs. */
static const char traffic_sql[] =
	"SELECT line,"
	" sum(CASE WHEN inbound = 1 AND state IN ('received', 'partial') THEN 1 ELSE 0 END),"
	" sum(CASE WHEN inbound = 0 AND state IN " SENT_STATES " THEN 1 ELSE 0 END)"
	" FROM messages WHERE line IS NOT NULL AND created_at BETWEEN ?1 AND ?2"
	" GROUP BY line";

static const char unanswered_sql[] =
	"SELECT line, count(*) FROM conversations WHERE waiting_since > 0 GROUP BY line";

/*
 * Customers written to, and of those the ones who sent a STOP to the
 * same line in the period: two sets of (line, peer) from the period's
 * messages, matched once per customer rather than once per message
 * (a STOP looked up for each of 100,000 messages took seconds).
 */
static const char opt_out_sql[] =
	"WITH written AS (SELECT DISTINCT line, peer FROM messages"
	"  WHERE created_at BETWEEN ?1 AND ?2 AND inbound = 0 AND state IN " SENT_STATES
	"  AND line IS NOT NULL),"
	" stopped AS (SELECT DISTINCT line, peer FROM messages"
	"  WHERE created_at BETWEEN ?1 AND ?2 AND inbound = 1 AND keyword = ?3)"
	" SELECT w.line, count(*), count(s.peer) FROM written w"
	" LEFT JOIN stopped s ON s.line = w.line AND s.peer = w.peer GROUP BY w.line";

/* Per agent: replies in the period, conversations held now. */
static const char replies_sql[] =
	"SELECT agent, count(*) FROM messages WHERE inbound = 0 AND agent IS NOT NULL"
	" AND state IN " SENT_STATES " AND created_at BETWEEN ?1 AND ?2 GROUP BY agent";

static const char assigned_sql[] =
	"SELECT assignee, count(*), sum(CASE WHEN state = 'waiting_agent' THEN 1 ELSE 0 END)"
	" FROM conversations WHERE assignee IS NOT NULL AND state <> 'closed'"
	" GROUP BY assignee";

/*
 * The customer and agent messages of every conversation that has a
 * customer message in the period, in order, from the last agent's reply
 * before the period (so a customer already waiting when it began is not
 * taken for one starting to wait in it) up to now. That reply is looked up
 * once per conversation (one backward seek in messages_conversation), not
 * once per message read.
 */
static const char waits_sql[] =
	"WITH talked AS (SELECT DISTINCT conversation_id AS id FROM messages"
	"  WHERE created_at BETWEEN ?1 AND ?2 AND inbound = 1 AND conversation_id IS NOT NULL),"
	" walks AS (SELECT t.id, coalesce((SELECT a.created_at FROM messages a"
	"  WHERE a.conversation_id = t.id AND a.created_at < ?1 AND a.inbound = 0"
	"  AND a.agent IS NOT NULL ORDER BY a.created_at DESC LIMIT 1), 0) AS from_at"
	"  FROM talked t)"
	" SELECT m.conversation_id, c.line, m.inbound, m.agent, m.created_at"
	" FROM walks w JOIN conversations c ON c.id = w.id"
	" JOIN messages m ON m.conversation_id = w.id AND m.created_at BETWEEN w.from_at AND ?2"
	" WHERE m.inbound = 1 OR m.agent IS NOT NULL"
	" ORDER BY m.conversation_id, m.created_at, m.id";

/* All of them, for the test that reads their query plans (store_internal.h). */
const char *const store_stats_statements[] = {
	lines_sql, agents_sql, traffic_sql, unanswered_sql, opt_out_sql, replies_sql, assigned_sql,
	waits_sql, NULL,
};

/* One answered wait: whose line, whose reply, how long. */
struct sample {
	int line, agent;      /* indexes into the stats' arrays, -1 when left out */
	int64_t ms;
};

struct samples {
	struct sample *v;
	size_t n, cap;
};

static int samples_add(struct samples *s, int line, int agent, int64_t ms)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct sample *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct sample){ .line = line, .agent = agent, .ms = ms };
	return 0;
}

static int cmp_ms(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int by_line(const void *pa, const void *pb)
{
	const struct sample *a = pa, *b = pb;

	return a->line != b->line ? (a->line > b->line) - (a->line < b->line) : cmp_ms(a->ms, b->ms);
}

static int by_agent(const void *pa, const void *pb)
{
	const struct sample *a = pa, *b = pb;

	return a->agent != b->agent ? (a->agent > b->agent) - (a->agent < b->agent)
				    : cmp_ms(a->ms, b->ms);
}

/*
 * For samples sorted by key (their line's or their agent's index) then ms:
 * each run of one key gives that row its count and median. Samples whose
 * row was left out (-1) are skipped.
 */
static void medians(const struct samples *s, bool agent_key, struct store_stats *out)
{
	for (size_t i = 0; i < s->n;) {
		int key = agent_key ? s->v[i].agent : s->v[i].line;
		size_t j = i;

		while (j < s->n && (agent_key ? s->v[j].agent : s->v[j].line) == key)
			j++;
		if (key >= 0) {
			size_t n = j - i, mid = i + n / 2;
			/* even: the mean of the middle two, rounded down (both are >= 0) */
			int64_t median = n % 2 ? s->v[mid].ms
				: s->v[mid - 1].ms + (s->v[mid].ms - s->v[mid - 1].ms) / 2;

			if (agent_key) {
				out->agents[key].responses = (int64_t)n;
				out->agents[key].median_first_response_ms = median;
			} else {
				out->lines[key].responses = (int64_t)n;
				out->lines[key].median_first_response_ms = median;
			}
		}
		i = j;
	}
}

/* ---- rows ---- */

static int line_index(const struct store_stats *out, const char *line)
{
	for (size_t i = 0; line && i < out->nlines; i++)
		if (strcmp(out->lines[i].line, line) == 0)
			return (int)i;
	return -1;
}

/* Agents are many (256) and sorted: a binary search. */
static int agent_index(const struct store_stats *out, const char *agent)
{
	size_t lo = 0, hi = out->nagents;

	while (agent && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(out->agents[mid].agent, agent);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, int64_t since,
		   int64_t now, const char *what)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
		return store_db_fail(st, what);
	/* every statement names the period ?1..?2, most the keyword ?3 or not at all */
	if (sqlite3_bind_parameter_count(*s) >= 2) {
		sqlite3_bind_int64(*s, 1, since);
		sqlite3_bind_int64(*s, 2, now);
	}
	if (sqlite3_bind_parameter_count(*s) >= 3)
		sqlite3_bind_text(*s, 3, OPT_OUT_KEYWORD, -1, SQLITE_STATIC);
	return 0;
}

/* Finalizes s; rc as the step loop left it: SQLITE_DONE is 0, anything else -EIO. */
static int finish(struct store *st, sqlite3_stmt *s, int rc, const char *what)
{
	int ret = rc == SQLITE_DONE ? 0 : store_db_fail(st, what);

	sqlite3_finalize(s);
	return ret;
}

/* The rows: lines and agents, sorted, bounded, their figures -1 where "none" is not 0. */
static int list_rows(struct store *st, int64_t since, int64_t now, struct store_stats *out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, lines_sql, &s, since, now, "listing the lines")) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(s, 0);
		struct store_stats_line *l;

		if (!line || strlen(line) > STORE_STATS_LINE_MAX ||
		    out->nlines == STORE_STATS_LINES_MAX) {
			out->lines_omitted++;
			continue;
		}
		l = &out->lines[out->nlines++];
		strcpy(l->line, line);  /* length checked above */
		l->median_first_response_ms = -1;
		l->opt_out_rate = -1;
	}
	if ((rc = finish(st, s, rc, "listing the lines")) < 0)
		return rc;

	if ((rc = prepare(st, agents_sql, &s, since, now, "listing the agents")) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *agent = (const char *)sqlite3_column_text(s, 0);
		struct store_stats_agent *a;

		/* the store takes no longer names (store_conversation.c's agent_ok) */
		if (!agent || strlen(agent) > STORE_AGENT_MAX ||
		    out->nagents == STORE_STATS_AGENTS_MAX) {
			out->agents_omitted++;
			continue;
		}
		a = &out->agents[out->nagents++];
		strcpy(a->agent, agent);
		a->median_first_response_ms = -1;
	}
	return finish(st, s, rc, "listing the agents");
}

/* ---- counts ---- */

static int line_counts(struct store *st, int64_t since, int64_t now, struct store_stats *out)
{
	sqlite3_stmt *s;
	int rc, i;

	if ((rc = prepare(st, traffic_sql, &s, since, now, "counting messages by line")) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((i = line_index(out, (const char *)sqlite3_column_text(s, 0))) >= 0) {
			out->lines[i].in = sqlite3_column_int64(s, 1);
			out->lines[i].out = sqlite3_column_int64(s, 2);
		}
	if ((rc = finish(st, s, rc, "counting messages by line")) < 0)
		return rc;

	if ((rc = prepare(st, unanswered_sql, &s, since, now, "counting unanswered conversations")) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((i = line_index(out, (const char *)sqlite3_column_text(s, 0))) >= 0)
			out->lines[i].unanswered = sqlite3_column_int64(s, 1);
	if ((rc = finish(st, s, rc, "counting unanswered conversations")) < 0)
		return rc;

	if ((rc = prepare(st, opt_out_sql, &s, since, now, "counting opt-outs")) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((i = line_index(out, (const char *)sqlite3_column_text(s, 0))) >= 0) {
			struct store_stats_line *l = &out->lines[i];

			l->customers = sqlite3_column_int64(s, 1);
			l->opt_outs = sqlite3_column_int64(s, 2);
			if (l->customers > 0)
				l->opt_out_rate = (double)l->opt_outs / (double)l->customers;
		}
	return finish(st, s, rc, "counting opt-outs");
}

static int agent_counts(struct store *st, int64_t since, int64_t now, struct store_stats *out)
{
	sqlite3_stmt *s;
	int rc, i;

	if ((rc = prepare(st, replies_sql, &s, since, now, "counting agents' replies")) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((i = agent_index(out, (const char *)sqlite3_column_text(s, 0))) >= 0)
			out->agents[i].replies = sqlite3_column_int64(s, 1);
	if ((rc = finish(st, s, rc, "counting agents' replies")) < 0)
		return rc;

	if ((rc = prepare(st, assigned_sql, &s, since, now, "counting assigned conversations")) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((i = agent_index(out, (const char *)sqlite3_column_text(s, 0))) >= 0) {
			out->agents[i].assigned = sqlite3_column_int64(s, 1);
			out->agents[i].waiting = sqlite3_column_int64(s, 2);
		}
	return finish(st, s, rc, "counting assigned conversations");
}

/* ---- first responses ---- */


static int first_responses(struct store *st, int64_t since, int64_t now, struct store_stats *out)
{
	struct samples samples = { 0 };
	int64_t conversation = 0, waiting_since = -1;
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, waits_sql, &s, since, now, "reading conversations' waits")) < 0)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0), at = sqlite3_column_int64(s, 4);

		if (id != conversation) {
			conversation = id;
			waiting_since = -1;
		}
		if (sqlite3_column_int(s, 2)) {
			if (waiting_since < 0)
				waiting_since = at;    /* the first unanswered message */
			continue;
		}
		/* an agent's reply: it ends the wait, if there was one */
		if (waiting_since >= since &&
		    samples_add(&samples, line_index(out, (const char *)sqlite3_column_text(s, 1)),
				agent_index(out, (const char *)sqlite3_column_text(s, 3)),
				at - waiting_since) < 0) {
			sqlite3_finalize(s);
			free(samples.v);
			return store_fail(st, -ENOMEM, "out of memory collecting response times");
		}
		waiting_since = -1;
	}
	if ((rc = finish(st, s, rc, "reading conversations' waits")) < 0) {
		free(samples.v);
		return rc;
	}
	if (samples.n) {
		qsort(samples.v, samples.n, sizeof(*samples.v), by_line);
		medians(&samples, false, out);
		qsort(samples.v, samples.n, sizeof(*samples.v), by_agent);
		medians(&samples, true, out);
	}
	free(samples.v);
	return 0;
}

/* ---- the whole ---- */

static int gather(struct store *st, int64_t since, int64_t now, struct store_stats *out)
{
	int rc;

	if ((rc = list_rows(st, since, now, out)) < 0 ||
	    (rc = line_counts(st, since, now, out)) < 0 ||
	    (rc = agent_counts(st, since, now, out)) < 0)
		return rc;
	return first_responses(st, since, now, out);
}

int store_stats(struct store *st, int64_t since, int64_t now, struct store_stats *out)
{
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if (!st)
		return -EINVAL;
	if (!out)
		return store_fail(st, -EINVAL, "store_stats needs figures to fill");
	if (since < 0 || since > now)
		return store_fail(st, -EINVAL, "a period from %lld to %lld: it must not end before"
				  " it starts, nor start before 1970", (long long)since,
				  (long long)now);
	/* one read transaction: a snapshot, so that the counts agree with each other */
	if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return store_db_fail(st, "starting to read the figures");
	rc = gather(st, since, now, out);
	if (sqlite3_exec(st->db, rc < 0 ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK &&
	    rc == 0)
		rc = store_db_fail(st, "finishing reading the figures");
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
