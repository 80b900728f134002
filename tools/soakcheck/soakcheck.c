/*
 * soakcheck: reconciles a fault-suite run (tests/soak.sh) after the fact,
 * from four independent records of what happened:
 *   - the store itself (read-only SQLite: messages, their history, the
 *     consent ledger);
 *   - what the soak's senders were told: "N KEY TO accepted ID" or
 *     "N KEY TO refused CODE" per outbound message N (text tagged "oN");
 *   - what customers wrote through the simulated network: "N FROM SIM"
 *     (text tagged "iN") and the STOPs, "FROM SIM";
 *   - what the simulated network received (modemsim's `sent` answers) and
 *     every event an MQTT recorder got ("TOPIC PAYLOAD" lines, duplicates
 *     included: publication is at least once).
 * It prints "ok - " / "not ok - " lines and the counts, and exits 1 when a
 * check fails. The checks are the promises of the gateway: every accepted
 * message in exactly one final state, and on the network exactly once when
 * sent (twice or in halves only when the store says it may have gone out);
 * every customer's message stored once, whole, and published once; every
 * change of every message published, in order, per conversation too; no
 * opt-out lost, and nothing claimed for a number after it opted out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#define TAGS_MAX 200000
#define NETS_MAX 8

struct outbound {
	bool accepted, refused;
	long long id;
	char key[32], to[24], code[32];
};

static struct outbound *outs;   /* by N of "oN" */
static long long *inbound_from; /* by N of "iN": index into injected, 0 = none */
static int failures;

static void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
}

/* A failure's detail: the first few of each kind, so a log stays readable. */
static void detail(int *budget, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void detail(int *budget, const char *fmt, ...)
{
	va_list ap;

	if ((*budget)-- <= 0)
		return;
	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1))) {
		buf[fread(buf, 1, (size_t)n, f)] = '\0';
	}
	fclose(f);
	return buf;
}

/* The N of the first "<prefix>N" token in text (at the start or after a space), or -1. */
static long tag_of(const char *text, char prefix)
{
	for (const char *p = text; p && *p; p++) {
		if (*p == prefix && (p == text || p[-1] == ' ') && p[1] >= '0' && p[1] <= '9') {
			char *end;
			long n = strtol(p + 1, &end, 10);
			if ((*end == ' ' || *end == '\0' || *end == '.') && n > 0 && n < TAGS_MAX)
				return n;
		}
	}
	return -1;
}

/* ---- the senders' record ------------------------------------------------------ */

static int read_sent(const char *path, long *accepted, long *refused)
{
	FILE *f = fopen(path, "r");
	char line[256], key[32], to[24], verdict[16], arg[32];
	long n;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%ld %31s %23s %15s %31s", &n, key, to, verdict, arg) != 5 || n <= 0 ||
		    n >= TAGS_MAX)
			continue;
		struct outbound *o = &outs[n];
		snprintf(o->key, sizeof(o->key), "%s", key);
		snprintf(o->to, sizeof(o->to), "%s", to);
		if (!strcmp(verdict, "accepted")) {
			o->accepted = true;
			o->id = atoll(arg);
			(*accepted)++;
		} else {
			o->refused = true;
			snprintf(o->code, sizeof(o->code), "%s", arg);
			(*refused)++;
		}
	}
	fclose(f);
	return 0;
}

/* ---- the store --------------------------------------------------------------------- */

static sqlite3 *db;

static sqlite3_stmt *prepare(const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "soakcheck: %s: %s\n", sql, sqlite3_errmsg(db));
		exit(2);
	}
	return s;
}

static const char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

static bool is_final(const char *state)
{
	static const char *const finals[] = { "sent", "delivered", "failed", "expired", "blocked",
					      "unknown", "held", "cancelled" };
	for (size_t i = 0; i < sizeof(finals) / sizeof(finals[0]); i++)
		if (!strcmp(state, finals[i]))
			return true;
	return false;
}

static bool maybe_out(const char *state)
{
	return !strcmp(state, "unknown") || !strcmp(state, "held");
}

static bool is_stopper(char stops[][24], int nstops, const char *number)
{
	for (int i = 0; i < nstops; i++)
		if (!strcmp(stops[i], number))
			return true;
	return false;
}

/* Every accepted message: stored under its key, to its number, with its tag, in a final state. */
static void check_outbound(char stops[][24], int nstops)
{
	sqlite3_stmt *s = prepare("SELECT id, state, peer, idem_key, text, COALESCE(policy, '')"
				  " FROM messages WHERE inbound = 0 AND purpose IS NULL ORDER BY id");
	long seen = 0, not_final = 0, mismatched = 0, unaccepted = 0, blocked_wrongly = 0;
	long by_state[9] = { 0 };
	static const char *const names[] = { "sent", "delivered", "failed", "expired", "blocked",
					     "unknown", "held", "cancelled", "other" };
	int budget = 5;

	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		const char *state = col_text(s, 1), *peer = col_text(s, 2), *key = col_text(s, 3);
		long n = tag_of(col_text(s, 4), 'o');
		size_t k;

		for (k = 0; k < 8 && strcmp(state, names[k]); k++)
			;
		by_state[k]++;
		seen++;
		if (!is_final(state)) {
			not_final++;
			detail(&budget, "message %lld (%s) is %s", id, key, state);
		}
		if (!strcmp(state, "blocked") && !is_stopper(stops, nstops, peer)) {
			blocked_wrongly++;
			detail(&budget, "message %lld to %s blocked (%s), yet it never opted out", id,
			       peer, col_text(s, 5));
		}
		if (n < 0 || !outs[n].accepted) {
			/* stored, but its sender was never told so: only a lost reply explains it */
			if (n < 0 || !outs[n].refused)
				unaccepted++;
			continue;
		}
		if (outs[n].id != id || strcmp(outs[n].key, key) || strcmp(outs[n].to, peer)) {
			mismatched++;
			detail(&budget, "o%ld: accepted as %lld %s to %s, stored as %lld %s to %s", n,
			       outs[n].id, outs[n].key, outs[n].to, id, key, peer);
		}
	}
	sqlite3_finalize(s);

	long accepted = 0, missing = 0;
	for (long n = 1; n < TAGS_MAX; n++) {
		if (!outs[n].accepted)
			continue;
		accepted++;
		sqlite3_stmt *q = prepare("SELECT 1 FROM messages WHERE id = ?1 AND idem_key = ?2");
		sqlite3_bind_int64(q, 1, outs[n].id);
		sqlite3_bind_text(q, 2, outs[n].key, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_ROW) {
			missing++;
			detail(&budget, "o%ld accepted as message %lld is not in the store", n, outs[n].id);
		}
		sqlite3_finalize(q);
	}
	printf("# outbound: %ld stored;", seen);
	for (size_t k = 0; k < 9; k++)
		if (by_state[k])
			printf(" %s %ld", names[k], by_state[k]);
	printf("\n");
	report(missing == 0 && mismatched == 0,
	       "every accepted message is in the store under its key, number and id (%ld accepted, %ld missing, %ld mismatched)",
	       accepted, missing, mismatched);
	report(not_final == 0, "every outbound message is in a final state (%ld not)", not_final);
	report(blocked_wrongly == 0, "only numbers that opted out were blocked (%ld others)",
	       blocked_wrongly);
	report(unaccepted == 0,
	       "the store holds no outbound message its sender was not told about (%ld)", unaccepted);
}

/* ---- the network ------------------------------------------------------------------ */

struct net_count {
	int whole, halves;
};

static void check_network(char **nets, int nnets)
{
	static struct net_count got[TAGS_MAX];
	long untagged = 0, total = 0, unexpected = 0, dup = 0, halves = 0, lost = 0, dup_ok = 0;
	int budget = 5;

	for (int i = 0; i < nnets; i++) {
		char *text = read_file(nets[i]);
		cJSON *j = text ? cJSON_Parse(text) : NULL, *msg;

		free(text);
		if (!j || !cJSON_IsArray(cJSON_GetObjectItem(j, "messages"))) {
			report(false, "%s holds the simulated network's messages", nets[i]);
			cJSON_Delete(j);
			continue;
		}
		cJSON_ArrayForEach(msg, cJSON_GetObjectItem(j, "messages"))
		{
			const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(msg, "text"));
			long n = t ? tag_of(t, 'o') : -1;

			total++;
			if (n < 0) {
				untagged++; /* the consent flow's confirmations */
				continue;
			}
			if (cJSON_IsTrue(cJSON_GetObjectItem(msg, "complete")))
				got[n].whole++;
			else
				got[n].halves++;
		}
		cJSON_Delete(j);
	}

	sqlite3_stmt *s = prepare("SELECT id, state, text FROM messages WHERE inbound = 0 AND purpose IS NULL");
	static bool known[TAGS_MAX];
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *state = col_text(s, 1);
		long n = tag_of(col_text(s, 2), 'o');
		bool out = !strcmp(state, "sent") || !strcmp(state, "delivered");

		if (n < 0)
			continue;
		known[n] = true;
		if (out && got[n].whole == 0) {
			lost++;
			detail(&budget, "o%ld (message %lld) is %s but never reached the network", n,
			       (long long)sqlite3_column_int64(s, 0), state);
		} else if (out && (got[n].whole > 1 || got[n].halves)) {
			dup++;
			detail(&budget, "o%ld is %s and reached the network %d times whole, %d in part",
			       n, state, got[n].whole, got[n].halves);
		} else if (!out && !maybe_out(state) && (got[n].whole || got[n].halves)) {
			unexpected++;
			detail(&budget, "o%ld is %s but reached the network (%d whole, %d in part)", n,
			       state, got[n].whole, got[n].halves);
		} else if (maybe_out(state) && (got[n].whole > 1 || got[n].halves)) {
			dup_ok++;
		}
		if (got[n].halves)
			halves++;
	}
	sqlite3_finalize(s);
	for (long n = 1; n < TAGS_MAX; n++)
		if ((got[n].whole || got[n].halves) && !known[n]) {
			unexpected++;
			detail(&budget, "o%ld reached the network but the store has no such message", n);
		}
	printf("# network: %ld messages received (%ld replies of the gateway's own); %ld with parts missing; %ld repeated or partial among unknown/held\n",
	       total, untagged, halves, dup_ok);
	report(lost == 0, "every sent message reached the network (%ld did not)", lost);
	report(dup == 0, "every sent message reached it exactly once, whole (%ld did not)", dup);
	report(unexpected == 0,
	       "nothing reached it that the store says never went out (%ld messages)", unexpected);
}

/* ---- the customers ------------------------------------------------------------ */

static int read_lines(const char *path, char lines[][48], int max)
{
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return 0; /* none written (no STOP in a short run) */
	while (n < max && fgets(lines[n], 48, f))
		lines[n][strcspn(lines[n], "\n")] = '\0', n++;
	fclose(f);
	return n;
}

static const char *const soak_lines[] = { "+447700900100", "+447700900200", "+447700900300" };

static void check_inbound(const char *injected_path, int nstops)
{
	static char injected[TAGS_MAX / 4][48];
	static int stored[TAGS_MAX];
	int ninj = read_lines(injected_path, injected, TAGS_MAX / 4);
	long bad = 0, missing = 0, twice = 0, foreign = 0, partial = 0;
	int budget = 5;

	inbound_from = calloc(TAGS_MAX, sizeof(*inbound_from));
	for (int i = 0; i < ninj; i++) {
		long n = atol(injected[i]);
		if (n > 0 && n < TAGS_MAX)
			inbound_from[n] = i + 1;
	}
	sqlite3_stmt *s = prepare("SELECT id, state, peer, COALESCE(line, ''), text FROM messages WHERE inbound = 1");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *state = col_text(s, 1), *peer = col_text(s, 2), *line = col_text(s, 3);
		const char *text = col_text(s, 4);
		long n = tag_of(text, 'i');
		char from[24], end[32];
		int sim;

		if (strcmp(state, "received")) {
			partial++;
			detail(&budget, "inbound message %lld is %s: %.40s", (long long)sqlite3_column_int64(s, 0), state, text);
		}
		if (n < 0 || !inbound_from[n]) {
			if (strcmp(text, "STOP"))
				foreign++; /* what a full SIM held, written by the simulator */
			continue;
		}
		stored[n]++;
		if (sscanf(injected[inbound_from[n] - 1], "%*d %23s %d", from, &sim) != 2 || sim < 0 ||
		    sim > 2)
			continue;
		snprintf(end, sizeof(end), "end of i%ld", n);
		bool whole = n % 8 ? strstr(text, "when does it arrive?") != NULL
				   : strlen(text) > strlen(end) && !strcmp(text + strlen(text) - strlen(end), end);
		if (strcmp(peer, from) || strcmp(line, soak_lines[sim]) || !whole) {
			bad++;
			detail(&budget, "i%ld: from %s via %s stored as from %s via %s: %.50s...", n, from,
			       soak_lines[sim], peer, line, text);
		}
	}
	sqlite3_finalize(s);
	for (long n = 1; n < TAGS_MAX; n++) {
		if (!inbound_from[n])
			continue;
		if (stored[n] == 0) {
			missing++;
			detail(&budget, "i%ld (%s) was never stored", n, injected[inbound_from[n] - 1]);
		} else if (stored[n] > 1) {
			twice++;
			detail(&budget, "i%ld was stored %d times", n, stored[n]);
		}
	}
	printf("# inbound: %d customers' messages written, %d STOPs; %ld other messages stored (a full SIM's old ones)\n",
	       ninj, nstops, foreign);
	report(missing == 0 && twice == 0,
	       "every customer's message is stored exactly once (%ld missing, %ld more than once)",
	       missing, twice);
	report(bad == 0 && partial == 0,
	       "each whole, from its sender, on the line it was written to (%ld wrong, %ld incomplete)",
	       bad, partial);
}

/* ---- events ------------------------------------------------------------------- */

struct event {
	long long outbox_id;
	char kind[16];
	long long ref; /* message_id, ledger_id or conversation id */
	char state[16];
	char conv[48]; /* line + peer */
};

static struct event *events;
static long nevents, ndup, nbad;
static char instance[32];

static long long *first_arrival; /* outbox id -> index + 1 */

static void read_events(const char *path, const char *base)
{
	FILE *f = fopen(path, "r");
	static char line[1 << 16];
	size_t blen = strlen(base);
	int budget = 3;

	events = calloc(TAGS_MAX * 8, sizeof(*events));
	first_arrival = calloc(TAGS_MAX * 8, sizeof(*first_arrival));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *payload = strchr(line, ' ');
		cJSON *j;
		const char *uid, *dash;

		if (!payload || strncmp(line, base, blen) || strncmp(line + blen, "/event/", 7))
			continue;
		if (!strncmp(line + blen, "/event/unanswered", 17) || !strncmp(line + blen, "/event/campaign", 15))
			continue; /* derived alerts, not outbox events */
		j = cJSON_Parse(payload + 1);
		uid = j ? cJSON_GetStringValue(cJSON_GetObjectItem(j, "uid")) : NULL;
		dash = uid ? strrchr(uid, '-') : NULL;
		if (!dash) {
			nbad++;
			detail(&budget, "an event without a uid: %.80s", payload + 1);
			cJSON_Delete(j);
			continue;
		}
		if (!instance[0])
			snprintf(instance, sizeof(instance), "%.*s", (int)(dash - uid), uid);
		else if (strncmp(instance, uid, (size_t)(dash - uid)))
			nbad++;
		long long oid = atoll(dash + 1);
		if (oid <= 0 || oid >= TAGS_MAX * 8) {
			nbad++;
			cJSON_Delete(j);
			continue;
		}
		if (first_arrival[oid]) {
			ndup++;
			cJSON_Delete(j);
			continue;
		}
		struct event *e = &events[nevents];
		e->outbox_id = oid;
		snprintf(e->kind, sizeof(e->kind), "%s", cJSON_GetStringValue(cJSON_GetObjectItem(j, "kind")) ?: "");
		cJSON *conv = cJSON_GetObjectItem(j, "conversation");
		if (!strcmp(e->kind, "conversation")) {
			e->ref = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "id"));
			snprintf(e->conv, sizeof(e->conv), "%s %s",
				 cJSON_GetStringValue(cJSON_GetObjectItem(j, "line")) ?: "",
				 cJSON_GetStringValue(cJSON_GetObjectItem(j, "peer")) ?: "");
		} else if (!strcmp(e->kind, "consent")) {
			e->ref = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "ledger_id"));
		} else {
			e->ref = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(j, "message_id"));
			if (cJSON_IsObject(conv))
				snprintf(e->conv, sizeof(e->conv), "%s %s",
					 cJSON_GetStringValue(cJSON_GetObjectItem(conv, "line")) ?: "",
					 cJSON_GetStringValue(cJSON_GetObjectItem(conv, "peer")) ?: "");
		}
		snprintf(e->state, sizeof(e->state), "%s", cJSON_GetStringValue(cJSON_GetObjectItem(j, "state")) ?: "");
		first_arrival[oid] = ++nevents;
		cJSON_Delete(j);
	}
	fclose(f);
}

/* by conversation, then in arrival order (the events array is in arrival order) */
static int cmp_conv(const void *a, const void *b)
{
	const struct event *x = *(struct event *const *)a, *y = *(struct event *const *)b;
	int c = strcmp(x->conv, y->conv);

	return c ? c : (x > y) - (x < y);
}

static void check_events(void)
{
	long unordered = 0, state_mismatch = 0, received_missing = 0, received_twice = 0;
	int budget = 5;

	/* every outbound message's history, as published, equals its history in the store */
	sqlite3_stmt *s = prepare("SELECT m.id, group_concat(e.state, ' ') FROM messages m"
				  " JOIN (SELECT message_id, state FROM message_events ORDER BY message_id, seq) e"
				  " ON e.message_id = m.id WHERE m.inbound = 0 GROUP BY m.id");
	/* published states per message, in arrival order */
	long long maxref = 0;
	for (long i = 0; i < nevents; i++)
		if (!strcmp(events[i].kind, "message") && events[i].ref > maxref)
			maxref = events[i].ref;
	char **published = calloc((size_t)maxref + 2, sizeof(*published));
	for (long i = 0; i < nevents; i++) {
		struct event *e = &events[i];
		if (strcmp(e->kind, "message") || e->ref <= 0)
			continue;
		char **p = &published[e->ref];
		size_t len = *p ? strlen(*p) : 0;
		*p = realloc(*p, len + strlen(e->state) + 2);
		sprintf(*p + len, "%s%s", len ? " " : "", e->state);
	}
	long messages = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		const char *history = col_text(s, 1);
		const char *got = id <= maxref && published[id] ? published[id] : "";

		messages++;
		if (strcmp(history, got)) {
			state_mismatch++;
			detail(&budget, "message %lld: stored history \"%s\", published \"%s\"", id, history, got);
		}
	}
	sqlite3_finalize(s);
	for (long long i = 0; i <= maxref; i++)
		free(published[i]);
	free(published);

	/* every inbound message published once, as received */
	s = prepare("SELECT id FROM messages WHERE inbound = 1 AND state = 'received'");
	long inbound = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		int n = 0;
		for (long i = 0; i < nevents; i++)
			if (!strcmp(events[i].kind, "received") && events[i].ref == id)
				n++;
		inbound++;
		if (n == 0) {
			received_missing++;
			detail(&budget, "inbound message %lld was never published", id);
		} else if (n > 1) {
			received_twice++;
			detail(&budget, "inbound message %lld was published as %d events", id, n);
		}
	}
	sqlite3_finalize(s);

	/* per conversation, the first arrivals come in the order they were written */
	struct event **by = malloc((size_t)nevents * sizeof(*by) + 1);
	long nby = 0;
	for (long i = 0; i < nevents; i++)
		if (events[i].conv[0])
			by[nby++] = &events[i];
	qsort(by, (size_t)nby, sizeof(*by), cmp_conv);
	long conversations = 0;
	for (long i = 0; i < nby; i++) {
		if (i == 0 || strcmp(by[i]->conv, by[i - 1]->conv)) {
			conversations++;
			continue;
		}
		if (by[i]->outbox_id < by[i - 1]->outbox_id) {
			unordered++;
			detail(&budget, "conversation %s: event %lld arrived after %lld", by[i]->conv,
			       by[i]->outbox_id, by[i - 1]->outbox_id);
		}
	}
	free(by);
	printf("# events: %ld distinct (+%ld repeats, at least once), %ld conversations, instance %s\n",
	       nevents, ndup, conversations, instance[0] ? instance : "?");
	report(nbad == 0, "every event carries a uid of this store (%ld do not)", nbad);
	report(state_mismatch == 0,
	       "every outbound message's published history is its stored history (%ld messages, %ld differ)",
	       messages, state_mismatch);
	report(received_missing == 0 && received_twice == 0,
	       "every stored customer message was published exactly once (%ld messages, %ld never, %ld as two events)",
	       inbound, received_missing, received_twice);
	report(unordered == 0, "events arrive in order within each conversation (%ld out of order)",
	       unordered);
}

/* ---- opt-outs ------------------------------------------------------------------ */

static void check_stops(char stops[][24], int nstops)
{
	long lost = 0, after = 0, unpublished = 0, confirmations_wrong = 0, refused_wrongly = 0;
	int budget = 5;

	for (int i = 0; i < nstops; i++) {
		sqlite3_stmt *s = prepare("SELECT l.id, l.at FROM consent_ledger l JOIN messages m ON m.id = l.message_id"
					  " WHERE l.number = ?1 AND l.action = 'revoke' AND m.text = 'STOP'");
		sqlite3_bind_text(s, 1, stops[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW) {
			lost++;
			detail(&budget, "%s wrote STOP but no revocation names that message", stops[i]);
			sqlite3_finalize(s);
			continue;
		}
		long long ledger = sqlite3_column_int64(s, 0), at = sqlite3_column_int64(s, 1);
		sqlite3_finalize(s);

		bool published = false;
		for (long k = 0; k < nevents; k++)
			if (!strcmp(events[k].kind, "consent") && events[k].ref == ledger)
				published = true;
		if (!published) {
			unpublished++;
			detail(&budget, "the revocation of %s (ledger %lld) was never published", stops[i], ledger);
		}
		/* a claim is the moment a message leaves the queue: none after the STOP */
		s = prepare("SELECT m.id, e.at FROM messages m JOIN message_events e ON e.message_id = m.id"
			    " WHERE m.inbound = 0 AND m.purpose IS NULL AND m.peer = ?1"
			    " AND e.state = 'sending' AND e.at > ?2");
		sqlite3_bind_text(s, 1, stops[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, at);
		while (sqlite3_step(s) == SQLITE_ROW) {
			after++;
			detail(&budget, "message %lld to %s was claimed %lld ms after its STOP",
			       (long long)sqlite3_column_int64(s, 0), stops[i],
			       (long long)(sqlite3_column_int64(s, 1) - at));
		}
		sqlite3_finalize(s);
		s = prepare("SELECT count(*) FROM messages WHERE inbound = 0 AND purpose IS NOT NULL AND peer = ?1");
		sqlite3_bind_text(s, 1, stops[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) != 1) {
			confirmations_wrong++;
			detail(&budget, "%s got %d confirmations", stops[i], sqlite3_column_int(s, 0));
		}
		sqlite3_finalize(s);
	}
	for (long n = 1; n < TAGS_MAX; n++)
		if (outs[n].refused && (!is_stopper(stops, nstops, outs[n].to) || strcmp(outs[n].code, "opted_out"))) {
			refused_wrongly++;
			detail(&budget, "o%ld to %s was refused (%s)", n, outs[n].to, outs[n].code);
		}
	report(lost == 0, "every STOP is in the consent ledger, tied to its message (%ld lost)", lost);
	report(unpublished == 0, "every revocation was published (%ld were not)", unpublished);
	report(after == 0, "no message was claimed for a number after its STOP (%ld were)", after);
	report(confirmations_wrong == 0, "each STOP got exactly one confirmation (%ld did not)",
	       confirmations_wrong);
	report(refused_wrongly == 0,
	       "sends were refused only to numbers that opted out, as opted_out (%ld others)",
	       refused_wrongly);
}

static int usage(void)
{
	fprintf(stderr, "usage: soakcheck --store DB --events FILE --base TOPIC --sent FILE"
			" --injected FILE --stops FILE --net FILE [--net FILE...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *store = NULL, *events_path = NULL, *base = NULL, *sent = NULL, *injected = NULL,
		   *stops_path = NULL;
	char *nets[NETS_MAX];
	int nnets = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *o = argv[i], *v = argv[i + 1];
		if (!strcmp(o, "--store")) store = v;
		else if (!strcmp(o, "--events")) events_path = v;
		else if (!strcmp(o, "--base")) base = v;
		else if (!strcmp(o, "--sent")) sent = v;
		else if (!strcmp(o, "--injected")) injected = v;
		else if (!strcmp(o, "--stops")) stops_path = v;
		else if (!strcmp(o, "--net") && nnets < NETS_MAX) nets[nnets++] = argv[i + 1];
		else return usage();
	}
	if (!store || !events_path || !base || !sent || !injected || !stops_path || !nnets || argc % 2 == 0)
		return usage();
	if (sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "soakcheck: cannot open %s: %s\n", store, sqlite3_errmsg(db));
		return 2;
	}
	outs = calloc(TAGS_MAX, sizeof(*outs));
	long accepted = 0, refused = 0;
	if (read_sent(sent, &accepted, &refused) < 0) {
		fprintf(stderr, "soakcheck: cannot read %s\n", sent);
		return 2;
	}
	static char stop_lines[64][48], stops[64][24];
	int nstops = read_lines(stops_path, stop_lines, 64);
	for (int i = 0; i < nstops; i++)
		sscanf(stop_lines[i], "%23s", stops[i]);
	printf("# senders: %ld accepted, %ld refused\n", accepted, refused);

	check_outbound(stops, nstops);
	check_network(nets, nnets);
	check_inbound(injected, nstops);
	read_events(events_path, base);
	check_events();
	check_stops(stops, nstops);

	sqlite3_close(db);
	free(outs);
	free(inbound_from);
	free(events);
	free(first_arrival);
	printf("# soakcheck: %d check%s failed\n", failures, failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
