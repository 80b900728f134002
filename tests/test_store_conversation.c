/*
 * Conversations on a real SQLite file: opened by either direction, linked
 * when a message's line is known (stored, queued for a line, claimed), the
 * state, unread and waiting_since through customer, automated and agent
 * messages and automated answers (a keyword rule's reply), first-come claims between two processes, release and transfer
 * permissions, close and reopen, tags, notes merged into the history, an
 * agent's conversations released, list filters, one outbox event per
 * change, and a version-4 file's messages linked by the migration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parley/store.h"
#include "support/store_files.h"
#include "parley/store_conversation.h"
#include "parley/store_outbox.h"

#define T0 1700000000000LL
#define L1 "+447700900001"
#define L2 "+447700900002"
#define P1 "+447700900101"
#define P2 "+447700900102"
#define P3 "+447700900103"

struct fixture {
	char path[64];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	store_file_new(f->path, sizeof(f->path), "conv");
	f->st = store_file_open(f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	store_file_remove(f->path);
	free(f);
	return 0;
}

/* ---- helpers ---- */

static int64_t inbound(struct store *st, const char *line, const char *peer, const char *text,
		       int64_t now)
{
	struct store_inbound_part p = { .line = line, .sender = peer, .text = text, .sent_at = now };
	int64_t id = 0;

	if (store_inbound(st, &p, now, &id) != 0)
		fail_msg("inbound: %s", store_error(st));
	assert_true(id > 0);
	return id;
}

static int64_t enqueue(struct store *st, const char *to, const char *line, const char *agent,
		       int64_t now)
{
	struct store_new_message m = { .to = to, .text = "hello", .line = line, .agent = agent };
	int64_t id = 0;

	if (store_enqueue(st, &m, now, &id, NULL) != 0)
		fail_msg("enqueue: %s", store_error(st));
	return id;
}

/* Claims the next message for line and sends it (one segment) at now. */
static int64_t claim_send(struct store *st, const char *line, int64_t now)
{
	struct store_message m = { 0 };
	int64_t id;

	if (store_claim(st, line, now, &m) != 0)
		fail_msg("claim: %s", store_error(st));
	id = m.id;
	store_message_free(&m);
	assert_int_equal(store_set_segments(st, id, 1), 0);
	assert_int_equal(store_segment_sent(st, id, 1, 1, now), 0);
	return id;
}

static struct store_conversation find(struct store *st, const char *line, const char *peer)
{
	struct store_conversation c;

	if (store_conversation_find(st, line, peer, &c) != 0)
		fail_msg("find %s %s: %s", line, peer, store_error(st));
	return c;
}

static int64_t conv_of(struct store *st, int64_t message_id)
{
	struct store_message m;
	int64_t id;

	assert_int_equal(store_get(st, message_id, &m), 0);
	id = m.conversation_id;
	store_message_free(&m);
	return id;
}

/* The assignee, "" when none. */
static const char *assignee_of(struct store *st, int64_t id)
{
	static char who[80];
	struct store_conversation c;

	assert_int_equal(store_conversation_get(st, id, &c), 0);
	snprintf(who, sizeof(who), "%s", c.assignee ? c.assignee : "");
	store_conversation_free(&c);
	return who;
}

static enum conv_state state_of(struct store *st, int64_t id)
{
	struct store_conversation c;
	enum conv_state s;

	assert_int_equal(store_conversation_get(st, id, &c), 0);
	s = c.state;
	store_conversation_free(&c);
	return s;
}

/* Automation's answer (a keyword rule's reply) to customer message answered, from line. */
static int answer(struct store *st, const char *to, const char *line, int64_t answered,
		  int64_t now, int64_t *id)
{
	struct store_new_message m = { .to = to, .text = "Confirmed, see you at 10.", .line = line,
				       .category = "conversational", .answers = answered };

	return store_enqueue(st, &m, now, id, NULL);
}

/* Messages in every state. */
static int64_t messages_stored(struct store *st)
{
	int64_t counts[STORE_PARTIAL + 1] = { 0 }, n = 0;

	assert_int_equal(store_counts(st, counts), 0);
	for (int i = 0; i <= STORE_PARTIAL; i++)
		n += counts[i];
	return n;
}

/* The conversation's (state, waiting_since, unread) after a step, in one check. */
static void expect(struct store *st, int64_t id, enum conv_state state, int64_t waiting_since,
		   int unread)
{
	struct store_conversation c;

	assert_int_equal(store_conversation_get(st, id, &c), 0);
	if (c.state != state || c.waiting_since != waiting_since || c.unread != unread)
		fail_msg("conversation %lld: %s since %lld, %d unread; expected %s since %lld, %d",
			 (long long)id, conversation_state_name(c.state), (long long)c.waiting_since,
			 c.unread, conversation_state_name(state), (long long)waiting_since, unread);
	store_conversation_free(&c);
}

/* An SQL script run straight on the file, as a person with the sqlite3 shell would. */
static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
	sqlite3_close(db);
}

/* ---- tests ---- */

static void opened_by_either_direction(void **state)
{
	struct fixture *f = *state;
	struct store_conversation c, by_id;
	struct store_message m = { 0 };
	int64_t in, asked, any, reply;

	/* a customer writes first: waiting for an agent */
	in = inbound(f->st, L1, P1, "hello?", T0);
	c = find(f->st, L1, P1);
	assert_int_equal(c.state, CONV_WAITING_AGENT);
	assert_string_equal(c.line, L1);
	assert_string_equal(c.peer, P1);
	assert_null(c.assignee);
	assert_int_equal(c.unread, 1);
	assert_int_equal(c.created_at, T0);
	assert_int_equal(c.last_in_at, T0);
	assert_int_equal(c.waiting_since, T0);
	assert_int_equal(c.last_out_at, 0);
	assert_int_equal(c.ntags, 0);
	assert_int_equal(conv_of(f->st, in), c.id);
	assert_int_equal(store_conversation_get(f->st, c.id, &by_id), 0);
	assert_string_equal(by_id.peer, P1);
	assert_int_equal(by_id.state, c.state);
	store_conversation_free(&by_id);
	store_conversation_free(&c);

	/* we write first, on a line asked for: open, linked at enqueue */
	asked = enqueue(f->st, P2, L1, NULL, T0 + 1);
	c = find(f->st, L1, P2);
	assert_int_equal(c.state, CONV_OPEN);
	assert_int_equal(c.unread, 0);
	assert_int_equal(c.waiting_since, 0);
	assert_int_equal(conv_of(f->st, asked), c.id);
	store_conversation_free(&c);

	/* for any line: no conversation until a line claims it */
	any = enqueue(f->st, P3, NULL, NULL, T0 + 2);
	assert_int_equal(conv_of(f->st, any), 0);
	assert_int_equal(store_conversation_find(f->st, L2, P3, &c), -ENOENT);
	assert_null(c.line);
	assert_int_equal(store_claim(f->st, L2, T0 + 3, &m), 0);   /* P2's waits for L1 */
	assert_int_equal(m.id, any);
	c = find(f->st, L2, P3);
	assert_int_equal(m.conversation_id, c.id);
	assert_int_equal(c.state, CONV_OPEN);
	assert_int_equal(c.created_at, T0 + 3);
	store_message_free(&m);
	store_conversation_free(&c);

	/* an agent writing first waits for the customer */
	reply = enqueue(f->st, P1, L2, "alice", T0 + 4);
	c = find(f->st, L2, P1);
	assert_int_equal(c.state, CONV_WAITING_CUSTOMER);
	assert_int_equal(conv_of(f->st, reply), c.id);
	store_conversation_free(&c);
	assert_int_equal(store_get(f->st, reply, &m), 0);
	assert_string_equal(m.agent, "alice");
	store_message_free(&m);
	assert_int_equal(store_get(f->st, in, &m), 0);
	assert_null(m.agent);
	store_message_free(&m);

	/* one per (line, peer), however many messages */
	(void)inbound(f->st, L1, P1, "again", T0 + 5);
	assert_int_equal(store_conversation_list(f->st, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(store_conversation_get(f->st, 999, &c), -ENOENT);
	assert_int_equal(store_conversation_get(NULL, 1, &c), -EINVAL);
	assert_int_equal(store_conversation_find(f->st, "", P1, &c), -EINVAL);
}

static int count_cb(void *ctx, const struct store_conversation *c)
{
	(void)c;
	++*(int *)ctx;
	return 0;
}

static void unread_and_waiting(void **state)
{
	struct fixture *f = *state;
	struct store_conversation c;
	int64_t id, reply;
	int count = 0;

	/* an order update opens it; the customer answers twice */
	(void)enqueue(f->st, P1, L1, NULL, T0);
	(void)claim_send(f->st, L1, T0 + 10);
	c = find(f->st, L1, P1);
	id = c.id;
	assert_int_equal(c.state, CONV_OPEN);
	assert_int_equal(c.last_out_at, T0 + 10);
	store_conversation_free(&c);
	(void)inbound(f->st, L1, P1, "where is it?", T0 + 100);
	(void)inbound(f->st, L1, P1, "hello??", T0 + 200);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.state, CONV_WAITING_AGENT);
	assert_int_equal(c.unread, 2);
	assert_int_equal(c.waiting_since, T0 + 100);
	assert_int_equal(c.last_in_at, T0 + 200);
	store_conversation_free(&c);

	/* automation answers (sticky line): the customer still waits for a person */
	(void)enqueue(f->st, P1, NULL, NULL, T0 + 300);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.state, CONV_WAITING_AGENT);
	assert_int_equal(c.unread, 2);
	assert_int_equal(c.waiting_since, T0 + 100);
	assert_int_equal(c.updated_at, T0 + 300);
	store_conversation_free(&c);

	/* reading clears unread, not the wait */
	assert_int_equal(store_conversation_read(f->st, id, "alice", T0 + 350), 0);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.unread, 0);
	assert_int_equal(c.waiting_since, T0 + 100);
	store_conversation_free(&c);
	(void)inbound(f->st, L1, P1, "???", T0 + 360);

	/* an agent replies (sticky line, linked at enqueue): waiting for the customer */
	reply = enqueue(f->st, P1, NULL, "alice", T0 + 400);
	assert_int_equal(conv_of(f->st, reply), id);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.state, CONV_WAITING_CUSTOMER);
	assert_int_equal(c.unread, 0);
	assert_int_equal(c.waiting_since, 0);
	assert_int_equal(c.last_out_at, T0 + 10);       /* not sent yet */
	store_conversation_free(&c);
	(void)claim_send(f->st, L1, T0 + 500);          /* the automated one */
	(void)claim_send(f->st, L1, T0 + 600);          /* the reply */
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.last_out_at, T0 + 600);
	assert_int_equal(c.state, CONV_WAITING_CUSTOMER);
	store_conversation_free(&c);

	/* the customer again: a new wait starts */
	(void)inbound(f->st, L1, P1, "thanks, but", T0 + 700);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.state, CONV_WAITING_AGENT);
	assert_int_equal(c.unread, 1);
	assert_int_equal(c.waiting_since, T0 + 700);
	store_conversation_free(&c);

	/* a partial message counts as the customer writing; a lone part does not yet */
	{
		struct store_inbound_part p = { .line = L1, .sender = P1, .text = "part one ",
						.concat = true, .ref = 7, .total = 2, .seq = 1,
						.sent_at = T0 };
		int64_t mid = -1;

		assert_int_equal(store_inbound(f->st, &p, T0 + 800, &mid), 0);
		assert_int_equal(mid, 0);
		assert_int_equal(store_conversation_get(f->st, id, &c), 0);
		assert_int_equal(c.unread, 1);
		store_conversation_free(&c);
		assert_int_equal(store_flush_parts(f->st, T0 + 900000, 1000, NULL, NULL), 1);
		assert_int_equal(store_conversation_get(f->st, id, &c), 0);
		assert_int_equal(c.unread, 2);
		assert_int_equal(c.last_in_at, T0 + 900000);
		assert_int_equal(c.waiting_since, T0 + 700);
		store_conversation_free(&c);
	}
	assert_int_equal(store_conversation_list(f->st, NULL, count_cb, &count), 1);
	assert_int_equal(count, 1);
}

struct result {
	int child;
	int conv;
	int rc;
	char err[120];
};

#define RACE_CONVS 12

/* Two processes claim the same conversations in opposite orders: one wins each. */
static void first_come_claims(void **state)
{
	struct fixture *f = *state;
	static const char *const agents[2] = { "alice", "bob" };
	int64_t ids[RACE_CONVS];
	int go[2], res[2], wins[RACE_CONVS] = { 0 }, busy[RACE_CONVS] = { 0 };
	char winner[RACE_CONVS][16];
	pid_t pids[2];

	for (int i = 0; i < RACE_CONVS; i++) {
		char peer[32];

		snprintf(peer, sizeof(peer), "+4477009002%02d", i);
		ids[i] = conv_of(f->st, inbound(f->st, L1, peer, "help", T0 + i));
	}
	store_close(f->st);         /* no handle crosses a fork */
	f->st = NULL;
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(res), 0);
	for (int c = 0; c < 2; c++) {
		pids[c] = fork();
		assert_true(pids[c] >= 0);
		if (pids[c] == 0) {
			struct store *st;
			char err[256], b;

			close(go[1]);
			close(res[0]);
			if (store_open(f->path, &st, err, sizeof(err)) != 0)
				_exit(2);
			(void)!read(go[0], &b, 1);      /* returns when the parent closes go */
			for (int k = 0; k < RACE_CONVS; k++) {
				int i = c == 0 ? k : RACE_CONVS - 1 - k;
				struct result r = { .child = c, .conv = i };

				r.rc = store_conversation_claim(st, ids[i], agents[c], T0 + 1000);
				snprintf(r.err, sizeof(r.err), "%s", r.rc ? store_error(st) : "");
				/* smaller than PIPE_BUF: each write arrives whole */
				if (write(res[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
					_exit(3);
			}
			store_close(st);
			_exit(0);
		}
	}
	close(go[0]);
	close(res[1]);
	close(go[1]);               /* both start now */
	for (int k = 0; k < 2 * RACE_CONVS; k++) {
		struct result r;

		assert_int_equal(read(res[0], &r, sizeof(r)), sizeof(r));
		if (r.rc == 0) {
			wins[r.conv]++;
			snprintf(winner[r.conv], sizeof(winner[0]), "%s", agents[r.child]);
		} else {
			assert_int_equal(r.rc, -EBUSY);
			/* the loser is told who has it */
			assert_non_null(strstr(r.err, agents[1 - r.child]));
			busy[r.conv]++;
		}
	}
	close(res[0]);
	for (int c = 0; c < 2; c++) {
		int status;

		assert_int_equal(waitpid(pids[c], &status, 0), pids[c]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	f->st = store_file_open(f->path);
	for (int i = 0; i < RACE_CONVS; i++) {
		assert_int_equal(wins[i], 1);
		assert_int_equal(busy[i], 1);
		assert_string_equal(assignee_of(f->st, ids[i]), winner[i]);
	}
	/* claiming one's own again changes nothing */
	assert_int_equal(store_conversation_claim(f->st, ids[0], winner[0], T0 + 2000), 0);
	assert_int_equal(store_conversation_claim(f->st, 999, "alice", T0), -ENOENT);
}

static void release_and_transfer(void **state)
{
	struct fixture *f = *state;
	int64_t id = conv_of(f->st, inbound(f->st, L1, P1, "hi", T0));

	assert_int_equal(store_conversation_release(f->st, id, "alice", T0), -EPERM);
	assert_int_equal(store_conversation_transfer(f->st, id, "alice", "bob", T0), -EPERM);
	assert_int_equal(store_conversation_claim(f->st, id, "alice", T0 + 1), 0);
	assert_int_equal(store_conversation_claim(f->st, id, "bob", T0 + 2), -EBUSY);
	assert_non_null(strstr(store_error(f->st), "alice"));
	assert_int_equal(store_conversation_release(f->st, id, "bob", T0 + 3), -EPERM);
	assert_int_equal(store_conversation_transfer(f->st, id, "bob", "carol", T0 + 3), -EPERM);
	assert_string_equal(assignee_of(f->st, id), "alice");
	assert_int_equal(store_conversation_transfer(f->st, id, "alice", "bob", T0 + 4), 0);
	assert_string_equal(assignee_of(f->st, id), "bob");
	assert_int_equal(store_conversation_transfer(f->st, id, "bob", "bob", T0 + 5), 0);
	assert_int_equal(store_conversation_release(f->st, id, "alice", T0 + 6), -EPERM);
	assert_int_equal(store_conversation_release(f->st, id, "bob", T0 + 6), 0);
	assert_string_equal(assignee_of(f->st, id), "");
	assert_int_equal(store_conversation_claim(f->st, id, "carol", T0 + 7), 0);

	/* names: 1..STORE_AGENT_MAX bytes, no control characters */
	{
		char long_name[STORE_AGENT_MAX + 2];

		memset(long_name, 'a', sizeof(long_name) - 1);
		long_name[sizeof(long_name) - 1] = '\0';
		assert_int_equal(store_conversation_claim(f->st, id, long_name, T0), -EINVAL);
		long_name[STORE_AGENT_MAX] = '\0';
		assert_int_equal(store_conversation_claim(f->st, id, long_name, T0), -EBUSY);
	}
	assert_int_equal(store_conversation_claim(f->st, id, "", T0), -EINVAL);
	assert_int_equal(store_conversation_claim(f->st, id, NULL, T0), -EINVAL);
	assert_int_equal(store_conversation_claim(f->st, id, "a\nb", T0), -EINVAL);
	assert_int_equal(store_conversation_transfer(f->st, id, "carol", "", T0), -EINVAL);
	assert_int_equal(store_conversation_release(NULL, id, "carol", T0), -EINVAL);
	{
		struct store_new_message m = { .to = P1, .text = "x", .agent = "" };

		assert_int_equal(store_enqueue(f->st, &m, T0, NULL, NULL), -EINVAL);
	}
}

static void close_and_reopen(void **state)
{
	struct fixture *f = *state;
	struct store_conversation c;
	int64_t id = conv_of(f->st, inbound(f->st, L1, P1, "hi", T0));

	assert_int_equal(store_conversation_claim(f->st, id, "alice", T0 + 1), 0);
	assert_int_equal(store_conversation_close(f->st, id, "bob", T0 + 2), 0);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.state, CONV_CLOSED);
	assert_string_equal(c.assignee, "alice");       /* who had it, for the record */
	assert_int_equal(c.waiting_since, 0);
	assert_int_equal(c.updated_at, T0 + 2);
	store_conversation_free(&c);
	assert_int_equal(store_conversation_close(f->st, id, "parleyd", T0 + 3), 0);
	assert_int_equal(store_conversation_claim(f->st, id, "bob", T0 + 3), -EPERM);
	assert_int_equal(store_conversation_transfer(f->st, id, "alice", "bob", T0 + 3), -EPERM);

	assert_int_equal(store_conversation_reopen(f->st, id, "bob", T0 + 4), 0);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.state, CONV_WAITING_AGENT);
	assert_null(c.assignee);
	store_conversation_free(&c);
	assert_int_equal(store_conversation_reopen(f->st, id, "bob", T0 + 5), 0);
	assert_int_equal(state_of(f->st, id), CONV_WAITING_AGENT);
	assert_int_equal(store_conversation_reopen(f->st, 999, "bob", T0 + 5), -ENOENT);
	assert_int_equal(store_conversation_close(f->st, 999, "bob", T0 + 5), -ENOENT);

	/* a customer writing to a closed conversation opens it, unassigned */
	assert_int_equal(store_conversation_claim(f->st, id, "carol", T0 + 6), 0);
	assert_int_equal(store_conversation_close(f->st, id, "carol", T0 + 7), 0);
	(void)inbound(f->st, L1, P1, "one more thing", T0 + 8);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.state, CONV_WAITING_AGENT);
	assert_null(c.assignee);
	assert_int_equal(c.waiting_since, T0 + 8);
	store_conversation_free(&c);

	/* automation writing to a closed one opens it as a new exchange */
	assert_int_equal(store_conversation_close(f->st, id, "carol", T0 + 9), 0);
	(void)enqueue(f->st, P1, L1, NULL, T0 + 10);
	assert_int_equal(state_of(f->st, id), CONV_OPEN);
}

static void tags(void **state)
{
	struct fixture *f = *state;
	struct store_conversation c;
	int64_t id = conv_of(f->st, inbound(f->st, L1, P1, "hi", T0));
	char tag[16];

	assert_int_equal(store_conversation_tag(f->st, id, "vip", true, T0 + 1), 0);
	assert_int_equal(store_conversation_tag(f->st, id, "billing-2", true, T0 + 2), 0);
	assert_int_equal(store_conversation_tag(f->st, id, "vip", true, T0 + 3), 0);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.ntags, 2);
	assert_string_equal(c.tags[0], "billing-2");
	assert_string_equal(c.tags[1], "vip");
	assert_int_equal(c.updated_at, T0 + 2);         /* the repeat changed nothing */
	store_conversation_free(&c);
	assert_int_equal(store_conversation_tag(f->st, id, "vip", false, T0 + 4), 0);
	assert_int_equal(store_conversation_tag(f->st, id, "vip", false, T0 + 5), 0);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.ntags, 1);
	assert_int_equal(c.updated_at, T0 + 4);
	store_conversation_free(&c);

	/* bad tags */
	assert_int_equal(store_conversation_tag(f->st, id, "", true, T0), -EINVAL);
	assert_int_equal(store_conversation_tag(f->st, id, NULL, true, T0), -EINVAL);
	assert_int_equal(store_conversation_tag(f->st, id, "two words", true, T0), -EINVAL);
	assert_int_equal(store_conversation_tag(f->st, id, "x'; DROP TABLE x", true, T0), -EINVAL);
	assert_int_equal(store_conversation_tag(f->st, id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true,
						T0), -EINVAL);      /* 33 */
	assert_int_equal(store_conversation_tag(f->st, id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true,
						T0), 0);            /* 32 */
	assert_int_equal(store_conversation_tag(f->st, 999, "vip", true, T0), -ENOENT);

	/* the limit: 16, the 17th refused and nothing kept of it */
	for (int i = 0; i < STORE_TAGS_MAX - 2; i++) {
		snprintf(tag, sizeof(tag), "t%02d", i);
		assert_int_equal(store_conversation_tag(f->st, id, tag, true, T0 + 10), 0);
	}
	assert_int_equal(store_conversation_tag(f->st, id, "one-too-many", true, T0 + 11), -ENOSPC);
	assert_int_equal(store_conversation_get(f->st, id, &c), 0);
	assert_int_equal(c.ntags, STORE_TAGS_MAX);
	assert_int_equal(c.updated_at, T0 + 10);
	store_conversation_free(&c);
	assert_int_equal(store_conversation_tag(f->st, id, "t00", true, T0 + 12), 0);   /* has it */
	assert_int_equal(store_conversation_tag(f->st, id, "t00", false, T0 + 12), 0);
	assert_int_equal(store_conversation_tag(f->st, id, "one-too-many", true, T0 + 13), 0);
}

struct items {
	int n;
	bool note[16], inbound[16];
	int64_t id[16], at[16];
	char text[16][32], author[16][16], state[16][16];
};

static int collect_item(void *ctx, const struct store_conversation_item *it)
{
	struct items *x = ctx;

	if (x->n < 16) {
		x->note[x->n] = it->note;
		x->inbound[x->n] = it->inbound;
		x->id[x->n] = it->id;
		x->at[x->n] = it->at;
		snprintf(x->text[x->n], 32, "%s", it->text ? it->text : "(purged)");
		snprintf(x->author[x->n], 16, "%s", it->author ? it->author : "");
		snprintf(x->state[x->n], 16, "%s", it->state ? it->state : "");
	}
	x->n++;
	return 0;
}

static void notes_in_the_history(void **state)
{
	struct fixture *f = *state;
	struct items x;
	int64_t in, note1, note2, reply, id;

	(void)enqueue(f->st, P1, L1, NULL, T0);                         /* "hello" */
	in = inbound(f->st, L1, P1, "where is my order", T0 + 100);
	id = conv_of(f->st, in);
	assert_int_equal(store_conversation_note(f->st, id, "alice", "customer called too",
						 T0 + 150, &note1), 0);
	assert_true(note1 > 0);
	reply = enqueue(f->st, P1, NULL, "alice", T0 + 200);            /* "hello" too */
	/* a note in the same millisecond as a message comes after it */
	assert_int_equal(store_conversation_note(f->st, id, "bob", "checked the warehouse",
						 T0 + 200, &note2), 0);

	memset(&x, 0, sizeof(x));
	assert_int_equal(store_conversation_history(f->st, id, 0, collect_item, &x), 5);
	assert_false(x.note[0]);
	assert_false(x.inbound[0]);
	assert_string_equal(x.state[0], "queued");
	assert_string_equal(x.author[0], "");
	assert_true(x.inbound[1]);
	assert_string_equal(x.text[1], "where is my order");
	assert_string_equal(x.state[1], "received");
	assert_int_equal(x.id[1], in);
	assert_true(x.note[2]);
	assert_int_equal(x.id[2], note1);
	assert_string_equal(x.author[2], "alice");
	assert_string_equal(x.text[2], "customer called too");
	assert_int_equal(x.at[2], T0 + 150);
	assert_int_equal(x.id[3], reply);
	assert_string_equal(x.author[3], "alice");
	assert_true(x.note[4]);
	assert_string_equal(x.text[4], "checked the warehouse");

	/* the newest two, still oldest first */
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_conversation_history(f->st, id, 2, collect_item, &x), 2);
	assert_int_equal(x.id[0], reply);
	assert_int_equal(x.id[1], note2);

	/* notes are never sent: the queue holds the two messages only */
	assert_int_equal(store_conversation_note(f->st, 999, "alice", "x", T0, NULL), -ENOENT);
	assert_int_equal(store_conversation_note(f->st, id, "alice", "", T0, NULL), -EINVAL);
	assert_int_equal(store_conversation_note(f->st, id, "alice", NULL, T0, NULL), -EINVAL);
	assert_int_equal(store_conversation_note(f->st, id, "alice", "bad \xff", T0, NULL), -EINVAL);
	assert_int_equal(store_conversation_note(f->st, id, "", "x", T0, NULL), -EINVAL);
	{
		char *big = malloc(STORE_NOTE_MAX + 2);

		assert_non_null(big);
		memset(big, 'n', STORE_NOTE_MAX + 1);
		big[STORE_NOTE_MAX + 1] = '\0';
		assert_int_equal(store_conversation_note(f->st, id, "alice", big, T0, NULL), -EINVAL);
		big[STORE_NOTE_MAX] = '\0';
		assert_int_equal(store_conversation_note(f->st, id, "alice", big, T0 + 300, NULL), 0);
		free(big);
	}
	assert_int_equal(store_conversation_history(f->st, 999, 0, collect_item, &x), -ENOENT);
	assert_int_equal(store_conversation_history(f->st, id, -1, collect_item, &x), -EINVAL);
	assert_int_equal(store_conversation_history(f->st, id, 0, NULL, NULL), -EINVAL);
}

static void release_agent(void **state)
{
	struct fixture *f = *state;
	int64_t a = conv_of(f->st, inbound(f->st, L1, P1, "a", T0));
	int64_t b = conv_of(f->st, inbound(f->st, L1, P2, "b", T0));
	int64_t c = conv_of(f->st, inbound(f->st, L1, P3, "c", T0));
	int64_t d = conv_of(f->st, inbound(f->st, L2, P1, "d", T0));

	assert_int_equal(store_conversation_claim(f->st, a, "alice", T0 + 1), 0);
	assert_int_equal(store_conversation_claim(f->st, b, "alice", T0 + 1), 0);
	assert_int_equal(store_conversation_claim(f->st, c, "alice", T0 + 1), 0);
	assert_int_equal(store_conversation_close(f->st, c, "alice", T0 + 2), 0);
	assert_int_equal(store_conversation_claim(f->st, d, "bob", T0 + 1), 0);
	assert_int_equal(store_conversation_release_agent(f->st, "alice", T0 + 3), 2);
	assert_string_equal(assignee_of(f->st, a), "");
	assert_string_equal(assignee_of(f->st, b), "");
	assert_string_equal(assignee_of(f->st, c), "alice");    /* closed: kept for the record */
	assert_string_equal(assignee_of(f->st, d), "bob");
	assert_int_equal(store_conversation_release_agent(f->st, "alice", T0 + 4), 0);
	assert_int_equal(store_conversation_release_agent(f->st, "", T0 + 4), -EINVAL);
	assert_int_equal(store_conversation_release_agent(NULL, "alice", T0 + 4), -EINVAL);
}

struct listed {
	int n;
	int64_t id[8];
};

static int collect_id(void *ctx, const struct store_conversation *c)
{
	struct listed *l = ctx;

	if (l->n < 8)
		l->id[l->n] = c->id;
	l->n++;
	return 0;
}

static struct listed list(struct store *st, unsigned states, const char *assignee,
			  const char *peer, int limit)
{
	struct store_conversation_filter flt = { .states = states, .assignee = assignee,
						 .peer = peer, .limit = limit };
	struct listed l;
	int n;

	memset(&l, 0, sizeof(l));
	n = store_conversation_list(st, &flt, collect_id, &l);
	if (n < 0)
		fail_msg("list: %s", store_error(st));
	assert_int_equal(n, l.n);
	return l;
}

#define BIT(s) (1u << (s))

static void list_filters(void **state)
{
	struct fixture *f = *state;
	struct store_conversation_filter bad = { .states = 1u << 4 };
	struct listed l;
	int64_t a = conv_of(f->st, inbound(f->st, L1, P1, "a", T0));          /* waiting_agent */
	int64_t b = conv_of(f->st, enqueue(f->st, P2, L1, NULL, T0 + 1));     /* open */
	int64_t c = conv_of(f->st, enqueue(f->st, P3, L1, "bob", T0 + 2));    /* waiting_customer */
	int64_t d = conv_of(f->st, inbound(f->st, L2, P1, "d", T0 + 3));      /* closed below */

	assert_int_equal(store_conversation_claim(f->st, a, "alice", T0 + 4), 0);
	assert_int_equal(store_conversation_claim(f->st, c, "bob", T0 + 5), 0);
	assert_int_equal(store_conversation_close(f->st, d, "bob", T0 + 6), 0);

	l = list(f->st, 0, NULL, NULL, 0);                      /* newest change first */
	assert_int_equal(l.n, 4);
	assert_int_equal(l.id[0], d);
	assert_int_equal(l.id[1], c);
	assert_int_equal(l.id[2], a);
	assert_int_equal(l.id[3], b);
	l = list(f->st, 0, NULL, NULL, 2);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[1], c);
	l = list(f->st, BIT(CONV_WAITING_AGENT) | BIT(CONV_OPEN), NULL, NULL, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], a);
	assert_int_equal(l.id[1], b);
	l = list(f->st, BIT(CONV_CLOSED), NULL, NULL, 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], d);
	l = list(f->st, 0, "alice", NULL, 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], a);
	l = list(f->st, 0, "", NULL, 0);                        /* unassigned: b and d */
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], d);
	assert_int_equal(l.id[1], b);
	l = list(f->st, 0, NULL, P1, 0);
	assert_int_equal(l.n, 2);
	l = list(f->st, BIT(CONV_CLOSED), "", P1, 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], d);
	l = list(f->st, BIT(CONV_WAITING_CUSTOMER), "bob", P3, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], c);
	l = list(f->st, BIT(CONV_OPEN), "bob", NULL, 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(store_conversation_list(f->st, &bad, collect_id, &l), -EINVAL);
	bad.states = 0;
	bad.limit = -1;
	assert_int_equal(store_conversation_list(f->st, &bad, collect_id, &l), -EINVAL);
	bad.limit = 0;
	bad.peer = "";
	assert_int_equal(store_conversation_list(f->st, &bad, collect_id, &l), -EINVAL);
}

struct events {
	int n;
	int64_t ref[48];
	char state[48][20], detail[48][80];
};

static int collect_event(void *ctx, const struct store_outbox_row *r)
{
	struct events *e = ctx;

	if (strcmp(r->kind, "conversation") != 0)
		return 0;
	if (e->n < 48) {
		e->ref[e->n] = r->ref;
		snprintf(e->state[e->n], 20, "%s", r->state ? r->state : "");
		snprintf(e->detail[e->n], 80, "%s", r->detail ? r->detail : "");
	}
	e->n++;
	return 0;
}

static void outbox_events(void **state)
{
	struct fixture *f = *state;
	static const char *const want[][2] = {
		{ "waiting_agent", "opened: the customer wrote (message 1)" },
		{ "waiting_agent", "claimed by alice" },
		{ "waiting_agent", "read by alice" },
		{ "waiting_agent", "automated message 2" },
		{ "waiting_customer", "alice replied (message 3)" },
		{ "waiting_customer", "tagged vip" },
		{ "waiting_customer", "untagged vip" },
		{ "waiting_customer", "note 1 by alice" },
		{ "waiting_customer", "transferred from alice to bob" },
		{ "waiting_customer", "released by bob" },
		{ "waiting_customer", "claimed by carol" },
		{ "closed", "closed by carol" },
		{ "waiting_agent", "reopened by dave" },
		{ "closed", "closed by dave" },
		{ "waiting_agent", "reopened: the customer wrote (message 4)" },
		{ "waiting_agent", "claimed by erin" },
		{ "waiting_agent", "released: erin went offline" },
	};
	struct events e;
	int64_t id, n = 0;

	assert_int_equal(store_outbox_enable(f->st, true), 0);
	id = conv_of(f->st, inbound(f->st, L1, P1, "hi", T0));
	assert_int_equal(store_conversation_claim(f->st, id, "alice", T0 + 1), 0);
	assert_int_equal(store_conversation_claim(f->st, id, "alice", T0 + 1), 0);     /* no event */
	assert_int_equal(store_conversation_read(f->st, id, "alice", T0 + 2), 0);
	assert_int_equal(store_conversation_read(f->st, id, "alice", T0 + 2), 0);      /* no event */
	(void)enqueue(f->st, P1, NULL, NULL, T0 + 3);
	(void)enqueue(f->st, P1, NULL, "alice", T0 + 4);
	assert_int_equal(store_conversation_tag(f->st, id, "vip", true, T0 + 5), 0);
	assert_int_equal(store_conversation_tag(f->st, id, "vip", true, T0 + 5), 0);   /* no event */
	assert_int_equal(store_conversation_tag(f->st, id, "vip", false, T0 + 6), 0);
	assert_int_equal(store_conversation_note(f->st, id, "alice", "n", T0 + 7, NULL), 0);
	assert_int_equal(store_conversation_transfer(f->st, id, "alice", "bob", T0 + 8), 0);
	assert_int_equal(store_conversation_release(f->st, id, "bob", T0 + 9), 0);
	assert_int_equal(store_conversation_claim(f->st, id, "carol", T0 + 10), 0);
	assert_int_equal(store_conversation_close(f->st, id, "carol", T0 + 11), 0);
	assert_int_equal(store_conversation_close(f->st, id, "carol", T0 + 11), 0);    /* no event */
	assert_int_equal(store_conversation_reopen(f->st, id, "dave", T0 + 12), 0);
	assert_int_equal(store_conversation_close(f->st, id, "dave", T0 + 13), 0);
	(void)inbound(f->st, L1, P1, "back", T0 + 14);
	assert_int_equal(store_conversation_claim(f->st, id, "erin", T0 + 15), 0);
	assert_int_equal(store_conversation_release_agent(f->st, "erin", T0 + 16), 1);
	/* refused changes leave no event */
	assert_int_equal(store_conversation_claim(f->st, id, "", T0 + 17), -EINVAL);
	assert_int_equal(store_conversation_release(f->st, id, "zed", T0 + 17), -EPERM);

	memset(&e, 0, sizeof(e));
	assert_true(store_outbox_list(f->st, 0, 1000, collect_event, &e) > 0);
	for (int i = 0; i < e.n && i < (int)(sizeof(want) / sizeof(want[0])); i++) {
		assert_int_equal(e.ref[i], id);
		if (strcmp(e.state[i], want[i][0]) != 0 || strcmp(e.detail[i], want[i][1]) != 0)
			fail_msg("event %d: %s \"%s\", expected %s \"%s\"", i, e.state[i], e.detail[i],
				 want[i][0], want[i][1]);
	}
	assert_int_equal(e.n, sizeof(want) / sizeof(want[0]));

	/* recording a send is not a conversation event */
	assert_int_equal(store_outbox_pending(f->st, &n), 0);
	(void)claim_send(f->st, L1, T0 + 20);
	memset(&e, 0, sizeof(e));
	assert_true(store_outbox_list(f->st, 0, 1000, collect_event, &e) > 0);
	assert_int_equal(e.n, sizeof(want) / sizeof(want[0]));
}

/*
 * A keyword rule's reply answers the customer's message: the conversation
 * waits for the customer (no unanswered alert) unless another message of
 * the customer's is still unanswered; unread stays for the agents.
 */
static void automated_answers(void **state)
{
	struct fixture *f = *state;
	struct store_message m;
	int64_t id, in, q, c1, c2, reply = 0, n0 = 0, n1 = 0;
	struct events e = { 0 };

	assert_int_equal(store_outbox_enable(f->st, true), 0);

	/* the only message waiting, answered */
	in = inbound(f->st, L1, P1, "CONFIRM", T0);
	id = conv_of(f->st, in);
	expect(f->st, id, CONV_WAITING_AGENT, T0, 1);
	assert_int_equal(answer(f->st, P1, L1, in, T0 + 10, &reply), 0);
	assert_int_equal(conv_of(f->st, reply), id);
	expect(f->st, id, CONV_WAITING_CUSTOMER, 0, 1);
	assert_int_equal(store_get(f->st, reply, &m), 0);
	assert_null(m.agent);
	store_message_free(&m);
	assert_true(store_outbox_list(f->st, 0, 1000, collect_event, &e) > 0);
	assert_int_equal(e.ref[e.n - 1], id);
	assert_string_equal(e.state[e.n - 1], "waiting_customer");
	char want[80];
	snprintf(want, sizeof(want), "answered automatically (message %lld to message %lld)",
		 (long long)reply, (long long)in);
	assert_string_equal(e.detail[e.n - 1], want);
	/* the customer writes again: a new wait */
	q = inbound(f->st, L1, P1, "and parking?", T0 + 20);
	expect(f->st, id, CONV_WAITING_AGENT, T0 + 20, 2);

	/* an earlier question is still unanswered: the conversation still waits from it */
	q = inbound(f->st, L1, P2, "where is my parcel?", T0);
	c1 = inbound(f->st, L1, P2, "CONFIRM", T0 + 5);
	id = conv_of(f->st, q);
	assert_int_equal(answer(f->st, P2, L1, c1, T0 + 10, NULL), 0);
	expect(f->st, id, CONV_WAITING_AGENT, T0, 2);

	/* answered first, a question after it (not read by the consent flow yet): the wait moves to it */
	c1 = inbound(f->st, L2, P1, "CONFIRM", T0);
	q = inbound(f->st, L2, P1, "also, can I bring a friend?", T0 + 5);
	id = conv_of(f->st, c1);
	assert_int_equal(answer(f->st, P1, L2, c1, T0 + 10, NULL), 0);
	expect(f->st, id, CONV_WAITING_AGENT, T0 + 5, 2);

	/* two rule keywords in a row, each answered in turn */
	c1 = inbound(f->st, L2, P2, "CONFIRM", T0);
	c2 = inbound(f->st, L2, P2, "HOURS", T0 + 5);
	id = conv_of(f->st, c1);
	assert_int_equal(answer(f->st, P2, L2, c1, T0 + 10, NULL), 0);
	expect(f->st, id, CONV_WAITING_AGENT, T0 + 5, 2);
	assert_int_equal(answer(f->st, P2, L2, c2, T0 + 11, NULL), 0);
	expect(f->st, id, CONV_WAITING_CUSTOMER, 0, 2);

	/* an agent closed it before the rule answered: it stays closed, the assignee kept */
	in = inbound(f->st, L1, P3, "CONFIRM", T0);
	id = conv_of(f->st, in);
	assert_int_equal(store_conversation_claim(f->st, id, "alice", T0 + 1), 0);
	assert_int_equal(store_conversation_close(f->st, id, "alice", T0 + 2), 0);
	assert_int_equal(answer(f->st, P3, L1, in, T0 + 10, NULL), 0);
	expect(f->st, id, CONV_CLOSED, 0, 1);
	assert_string_equal(assignee_of(f->st, id), "alice");
	/* an agent answered first: still waiting for the customer */
	in = inbound(f->st, L1, P3, "CONFIRM", T0 + 20);
	(void)enqueue(f->st, P3, L1, "alice", T0 + 21);
	assert_int_equal(answer(f->st, P3, L1, in, T0 + 22, NULL), 0);
	expect(f->st, id, CONV_WAITING_CUSTOMER, 0, 0);

	/* refused, and nothing queued: not a customer's message of this conversation, no line, an agent */
	in = inbound(f->st, L2, P3, "CONFIRM", T0);
	id = conv_of(f->st, in);
	n0 = messages_stored(f->st);
	assert_int_equal(answer(f->st, P1, L2, in, T0 + 10, NULL), -EINVAL);  /* P1's is not it */
	assert_int_equal(answer(f->st, P3, L1, in, T0 + 10, NULL), -EINVAL);  /* another line */
	assert_int_equal(answer(f->st, P3, L2, reply, T0 + 10, NULL), -EINVAL); /* ours */
	assert_int_equal(answer(f->st, P3, L2, 999999, T0 + 10, NULL), -EINVAL);
	assert_int_equal(answer(f->st, P3, NULL, in, T0 + 10, NULL), -EINVAL);
	assert_int_equal(answer(f->st, P3, L2, -1, T0 + 10, NULL), -EINVAL);
	assert_int_equal(answer(f->st, "+447700900199", L2, in, T0 + 10, NULL), -EINVAL); /* no conversation */
	{
		struct store_new_message m2 = { .to = P3, .text = "x", .line = L2, .agent = "bob",
						.answers = in };

		assert_int_equal(store_enqueue(f->st, &m2, T0 + 10, NULL, NULL), -EINVAL);
	}
	n1 = messages_stored(f->st);
	assert_int_equal(n1, n0);
	assert_int_equal(store_conversation_find(f->st, L2, "+447700900199", &(struct store_conversation){ 0 }),
			 -ENOENT);
	expect(f->st, id, CONV_WAITING_AGENT, T0, 1);
}

/* A version-4 file's messages are linked to conversations by the migration. */
static void migration_from_v4(void **state)
{
	struct fixture *f = *state;
	struct store_conversation c;
	struct store_message m = { 0 };
	struct items x;
	int64_t out1, in1, in2, in3, in4, queued, n_before = 0, n_after = 0;

	/* pair (L1, P1): we wrote, the customer answered twice */
	out1 = enqueue(f->st, P1, L1, NULL, T0);
	(void)claim_send(f->st, L1, T0 + 10);
	in1 = inbound(f->st, L1, P1, "a", T0 + 100);
	in2 = inbound(f->st, L1, P1, "b", T0 + 200);
	/* pair (L2, P2): the customer wrote, we answered */
	in3 = inbound(f->st, L2, P2, "c", T0 + 300);
	(void)enqueue(f->st, P2, L2, NULL, T0 + 400);
	(void)claim_send(f->st, L2, T0 + 500);
	/* pair (L2, P1): the customer only */
	in4 = inbound(f->st, L2, P1, "d", T0 + 600);
	/* no line yet: linked when claimed */
	queued = enqueue(f->st, P3, NULL, NULL, T0 + 700);
	assert_int_equal(store_outbox_enable(f->st, true), 0);
	store_close(f->st);
	f->st = NULL;
	raw_sql(f->path,
		"DROP INDEX messages_created;"
		" DROP TRIGGER outbox_campaign_done; DROP INDEX messages_campaign;"
		" ALTER TABLE messages DROP COLUMN campaign_id; DROP TABLE campaigns;"
		" DROP INDEX messages_follow_ups; ALTER TABLE messages DROP COLUMN cancel_on_reply;"
		" DROP TRIGGER outbox_conversation_new; DROP TRIGGER outbox_conversation;"
		" DROP TABLE conversation_notes; DROP TABLE conversation_tags;"
		" DROP TABLE conversations; DROP INDEX messages_conversation;"
		" ALTER TABLE messages DROP COLUMN conversation_id;"
		" ALTER TABLE messages DROP COLUMN agent;"
		" DELETE FROM outbox;"
		" PRAGMA user_version = 4;");

	f->st = store_file_open(f->path);
	/* the upgrade announces nothing */
	assert_int_equal(store_outbox_pending(f->st, &n_before), 0);
	assert_int_equal(n_before, 0);

	c = find(f->st, L1, P1);
	assert_int_equal(c.state, CONV_WAITING_AGENT);
	assert_int_equal(c.waiting_since, T0 + 100);     /* the first answer after ours */
	assert_int_equal(c.unread, 0);
	assert_int_equal(c.created_at, T0);
	assert_int_equal(c.last_in_at, T0 + 200);
	assert_int_equal(c.last_out_at, T0 + 10);
	assert_int_equal(c.updated_at, T0 + 200);
	assert_null(c.assignee);
	assert_int_equal(conv_of(f->st, out1), c.id);
	assert_int_equal(conv_of(f->st, in1), c.id);
	assert_int_equal(conv_of(f->st, in2), c.id);
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_conversation_history(f->st, c.id, 0, collect_item, &x), 3);
	assert_int_equal(x.id[0], out1);
	assert_int_equal(x.id[2], in2);
	store_conversation_free(&c);

	c = find(f->st, L2, P2);
	assert_int_equal(c.state, CONV_WAITING_CUSTOMER);
	assert_int_equal(c.waiting_since, 0);
	assert_int_equal(c.last_out_at, T0 + 500);
	assert_int_equal(conv_of(f->st, in3), c.id);
	store_conversation_free(&c);

	c = find(f->st, L2, P1);
	assert_int_equal(c.state, CONV_WAITING_AGENT);
	assert_int_equal(c.waiting_since, T0 + 600);
	assert_int_equal(conv_of(f->st, in4), c.id);
	store_conversation_free(&c);

	assert_int_equal(conv_of(f->st, queued), 0);
	assert_int_equal(store_conversation_find(f->st, L1, P3, &c), -ENOENT);

	/* after the upgrade, new messages join the same conversations, with events */
	(void)inbound(f->st, L1, P1, "e", T0 + 800);
	c = find(f->st, L1, P1);
	assert_int_equal(c.unread, 1);
	assert_int_equal(c.waiting_since, T0 + 100);
	store_conversation_free(&c);
	assert_int_equal(store_claim(f->st, L1, T0 + 900, &m), 0);
	assert_int_equal(m.id, queued);
	assert_true(m.conversation_id > 0);
	store_message_free(&m);
	c = find(f->st, L1, P3);
	assert_int_equal(c.state, CONV_OPEN);
	store_conversation_free(&c);
	assert_int_equal(store_outbox_pending(f->st, &n_after), 0);
	assert_true(n_after >= 2);
	assert_int_equal(store_conversation_list(f->st, NULL, count_cb, &(int){ 0 }), 4);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(opened_by_either_direction),
		T(unread_and_waiting),
		T(first_come_claims),
		T(release_and_transfer),
		T(close_and_reopen),
		T(tags),
		T(notes_in_the_history),
		T(release_agent),
		T(list_filters),
		T(outbox_events),
		T(automated_answers),
		T(migration_from_v4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
