/*
 * `parley send | queue | inbox | show`: the message store from the command
 * line. They write and read the store directly (SQLite serialises them
 * with the daemon) and wake a running daemon through its control socket,
 * so a message sent goes out at once, not at the next poll.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_daemon.h"
#include "cli_json.h"
#include "cli_queue.h"
#include "parley/consent.h"
#include "parley/phone_number.h"
#include "parley/send_guard.h"

enum {
	OPT_CONFIG = 'c',
	OPT_STORE = 256,
	OPT_SOCKET,
	OPT_JSON,
	OPT_TO,
	OPT_LINE,
	OPT_AT,
	OPT_KEY,
	OPT_REPORT,
	OPT_PRIORITY,
	OPT_EXPIRE,
	OPT_STATE,
	OPT_LIMIT,
	OPT_MARKETING,
	OPT_HELP,
};

static const struct option common_opts[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "to", required_argument, NULL, OPT_TO },
	{ "line", required_argument, NULL, OPT_LINE },
	{ "at", required_argument, NULL, OPT_AT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "report", no_argument, NULL, OPT_REPORT },
	{ "priority", required_argument, NULL, OPT_PRIORITY },
	{ "expire", required_argument, NULL, OPT_EXPIRE },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "marketing", no_argument, NULL, OPT_MARKETING },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"usage: parley send --to NUMBER [--line LINE] [--at TIME] [--key KEY] [--report]\n"
	"                   [--priority N] [--expire SECONDS] [--marketing] TEXT\n"
	"       parley queue [--state STATE] [--limit N]\n"
	"       parley inbox [--limit N]\n"
	"       parley show ID | cancel ID | retry ID\n"
	"       parley status\n"
	"       parley at MODEM COMMAND   (a person's AT command, through the running daemon)\n"
	"common: -c FILE (default /etc/parley/parley.conf), --store DB, --socket PATH, --json\n"
	"TIME is \"YYYY-MM-DD HH:MM[:SS]\" in local time, or +SECONDS from now.\n";

struct args {
	struct cli_target target;
	bool json, report, marketing;
	const char *to, *line, *at, *key, *state;
	long priority, expire, limit;
	int first; /* index of the first operand */
};

static int usage_error(const char *what)
{
	if (what)
		fprintf(stderr, "parley: %s\n", what);
	fputs(usage_text, stderr);
	return CLI_EXIT_USAGE;
}

static bool number_arg(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int parse(int argc, char **argv, struct args *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->limit = 20;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", common_opts, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG: a->target.config = optarg; break;
		case OPT_STORE: a->target.store = optarg; break;
		case OPT_SOCKET: a->target.socket = optarg; break;
		case OPT_JSON: a->json = true; break;
		case OPT_TO: a->to = optarg; break;
		case OPT_LINE: a->line = optarg; break;
		case OPT_AT: a->at = optarg; break;
		case OPT_KEY: a->key = optarg; break;
		case OPT_REPORT: a->report = true; break;
		case OPT_MARKETING: a->marketing = true; break;
		case OPT_STATE: a->state = optarg; break;
		case OPT_PRIORITY:
			if (!number_arg(optarg, -100, 100, &a->priority))
				return usage_error("--priority takes -100..100");
			break;
		case OPT_EXPIRE:
			if (!number_arg(optarg, 1, 366L * 86400, &a->expire))
				return usage_error("--expire takes 1..31622400 seconds");
			break;
		case OPT_LIMIT:
			if (!number_arg(optarg, 1, 100000, &a->limit))
				return usage_error("--limit takes 1..100000");
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			return -1;
		default:
			return usage_error(NULL);
		}
	}
	a->first = optind;
	return 0;
}

/* "+SECONDS" or "YYYY-MM-DD HH:MM[:SS]" local time; -1 when neither. */
static int64_t parse_time(const char *s, int64_t now)
{
	struct tm tm = { 0 };
	long secs;

	if (s[0] == '+')
		return number_arg(s + 1, 0, 366L * 86400, &secs) ? now + (int64_t)secs * 1000 : -1;
	if (sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec) < 5)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	return t == (time_t)-1 ? -1 : (int64_t)t * 1000;
}

static cJSON *message_json(const struct store_message *m)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", (double)m->id);
	cJSON_AddStringToObject(o, "direction", m->inbound ? "in" : "out");
	cJSON_AddStringToObject(o, "state", store_state_name(m->state));
	cli_json_add_str_or_null(o, m->inbound ? "from" : "to", m->peer);
	cli_json_add_str_or_null(o, "line", m->line);
	cli_json_add_str_or_null(o, "text", m->text);
	cli_json_add_str_or_null(o, "key", m->key);
	cli_json_add_str_or_null(o, "error", m->error);
	cli_json_add_str_or_null(o, m->inbound ? "keyword" : "policy", m->inbound ? m->keyword : m->policy);
	if (!m->inbound) {
		cli_json_add_str_or_null(o, "category", m->category);
		cli_json_add_str_or_null(o, "purpose", m->purpose);
	}
	cJSON_AddNumberToObject(o, "attempts", m->attempts);
	cJSON_AddNumberToObject(o, "segments", m->segments);
	cJSON_AddNumberToObject(o, "created_at", (double)m->created_at);
	cJSON_AddNumberToObject(o, "send_at", (double)m->send_at);
	cJSON_AddNumberToObject(o, "expire_at", (double)m->expire_at);
	return o;
}

static void wake_daemon(const struct cli_target *t, bool quiet)
{
	cJSON *r = cli_daemon_request(t, "{\"cmd\":\"wake\"}");

	if (!r && !quiet)
		fprintf(stderr, "parley: parleyd is not running (no answer on %s); the message waits in the queue\n",
			t->socket_path);
	cJSON_Delete(r);
}

int cli_send_main(int argc, char **argv)
{
	struct args a;
	struct store *st;
	struct send_guard *guard;
	int64_t now = cli_now_ms(), id = 0;
	bool existing = false;
	char to[PHONE_E164_SIZE];
	const char *why = NULL;
	int r = parse(argc, argv, &a);

	if (r)
		return r < 0 ? CLI_EXIT_OK : r;
	if (!a.to)
		return usage_error("send needs --to NUMBER");
	if (argc - a.first != 1)
		return usage_error("send takes exactly one TEXT (quote it)");
	struct store_new_message m = {
		.to = a.to, .text = argv[a.first], .line = a.line, .key = a.key, .report = a.report,
		.priority = (int)a.priority, .category = a.marketing ? "marketing" : "transactional",
	};
	if (a.at && (m.send_at = parse_time(a.at, now)) < 0)
		return usage_error("--at takes \"YYYY-MM-DD HH:MM[:SS]\" or +SECONDS");
	if (a.expire)
		m.expire_at = (m.send_at ? m.send_at : now) + (int64_t)a.expire * 1000;
	if ((r = cli_target_open(&a.target, &st)))
		return r;
	if (phone_normalise(a.to, a.target.conf->policy.default_country, to, sizeof(to), &why) < 0) {
		char what[160];

		snprintf(what, sizeof(what), "not queued: %s is not a phone number: %s", a.to, why);
		if (a.json)
			cli_json_print_refusal(what, POLICY_INVALID_NUMBER,
					       policy_code_name(POLICY_INVALID_NUMBER));
		else
			fprintf(stderr, "parley: %s\n", what);
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	m.to = to;
	/* the same guard as parleyd's: a refusal comes now, not at send time */
	if (!(guard = send_guard_new(a.target.conf))) {
		store_close(st);
		fprintf(stderr, "parley: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	store_set_gate(st, send_guard_gate, guard);
	r = store_enqueue(st, &m, now, &id, &existing);
	if (r < 0) {
		struct store_gate_verdict v;
		bool refused = store_refusal(st, &v) == 0;

		if (a.json && refused)
			cli_json_print_refusal(v.reason, v.code, v.code_name);
		else if (a.json)
			cli_json_print_error(store_error(st));
		else if (refused)
			fprintf(stderr, "parley: not queued: refused %d %s: %s\n", v.code, v.code_name,
				v.reason);
		else
			fprintf(stderr, "parley: not queued: %s\n", store_error(st));
		store_close(st);
		send_guard_free(guard);
		return refused ? CLI_EXIT_REFUSED : CLI_EXIT_FAIL;
	}
	store_close(st);
	send_guard_free(guard);
	if (a.json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "id", (double)id);
		cJSON_AddBoolToObject(o, "existing", existing);
		cli_json_print(o);
	} else if (existing) {
		printf("message %lld was already queued with key %s\n", (long long)id, a.key);
	} else {
		printf("queued message %lld to %s\n", (long long)id, to);
	}
	wake_daemon(&a.target, a.json);
	return CLI_EXIT_OK;
}

struct lister {
	bool json;
	cJSON *array;
};

static int list_one(void *ctx, const struct store_message *m)
{
	struct lister *l = ctx;
	char when[32];

	if (l->json) {
		cJSON_AddItemToArray(l->array, message_json(m));
		return 0;
	}
	printf("%6lld  %-9s  %-16s  %-19s  %.50s%s\n", (long long)m->id, store_state_name(m->state),
	       m->peer ? m->peer : "", cli_time(m->inbound ? m->created_at : m->send_at, when, sizeof(when)),
	       m->text ? m->text : "", m->text && strlen(m->text) > 50 ? "..." : "");
	return 0;
}

static int list_main(int argc, char **argv, bool inbound)
{
	struct args a;
	struct store *st;
	struct lister l = { 0 };
	int state = -1, r = parse(argc, argv, &a);

	if (r)
		return r < 0 ? CLI_EXIT_OK : r;
	if (argc != a.first)
		return usage_error("this command takes no operands");
	if (a.state && (state = store_state_from_name(a.state)) < 0)
		return usage_error("unknown --state (queued, sending, sent, delivered, failed, expired, blocked, unknown, held, cancelled)");
	if ((r = cli_target_open(&a.target, &st)))
		return r;
	l.json = a.json;
	l.array = a.json ? cJSON_CreateArray() : NULL;
	if (!a.json)
		printf("%6s  %-9s  %-16s  %-19s  %s\n", "ID", "STATE", inbound ? "FROM" : "TO",
		       inbound ? "RECEIVED" : "SEND AT", "TEXT");
	r = store_list(st, state, inbound ? 1 : 0, (int)a.limit, list_one, &l);
	store_close(st);
	if (r < 0) {
		cJSON_Delete(l.array);
		fprintf(stderr, "parley: cannot list: %d\n", r);
		return CLI_EXIT_FAIL;
	}
	if (a.json)
		cli_json_print(l.array);
	return CLI_EXIT_OK;
}

int cli_queue_main(int argc, char **argv)
{
	return list_main(argc, argv, false);
}

int cli_inbox_main(int argc, char **argv)
{
	return list_main(argc, argv, true);
}

struct history {
	bool json;
	cJSON *array;
};

static int history_one(void *ctx, enum store_state state, int64_t at, const char *detail)
{
	struct history *h = ctx;
	char when[32];

	if (h->json) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "state", store_state_name(state));
		cJSON_AddNumberToObject(e, "at", (double)at);
		cli_json_add_str_or_null(e, "detail", detail);
		cJSON_AddItemToArray(h->array, e);
	} else {
		printf("  %s  %-9s %s\n", cli_time(at, when, sizeof(when)), store_state_name(state),
		       detail ? detail : "");
	}
	return 0;
}

int cli_show_main(int argc, char **argv)
{
	struct args a;
	struct store *st;
	struct store_message m = { 0 };
	struct history h = { 0 };
	long id;
	int r = parse(argc, argv, &a);

	if (r)
		return r < 0 ? CLI_EXIT_OK : r;
	if (argc - a.first != 1 || !number_arg(argv[a.first], 1, INT32_MAX, &id))
		return usage_error("show takes one message ID");
	if ((r = cli_target_open(&a.target, &st)))
		return r;
	if (store_get(st, id, &m) < 0) {
		store_close(st);
		if (a.json)
			cli_json_print_error("no such message");
		else
			fprintf(stderr, "parley: no message %ld\n", id);
		return CLI_EXIT_FAIL;
	}
	h.json = a.json;
	if (a.json) {
		cJSON *o = message_json(&m);
		h.array = cJSON_AddArrayToObject(o, "history");
		store_history(st, id, history_one, &h);
		cli_json_print(o);
	} else {
		printf("message %lld (%s), %s %s via %s\n", (long long)m.id, m.inbound ? "in" : "out",
		       m.inbound ? "from" : "to", m.peer ? m.peer : "?", m.line ? m.line : "any line");
		printf("state: %s, attempts %d, segments %d%s%s\n", store_state_name(m.state), m.attempts,
		       m.segments, m.error ? ", last error: " : "", m.error ? m.error : "");
		if (m.keyword)
			printf("keyword: %s\n", m.keyword);
		if (m.purpose)
			printf("purpose: %s (passes consent, quiet hours and caps)\n", m.purpose);
		if (m.policy)
			printf("policy: %s\n", m.policy);
		printf("text: %s\nhistory:\n", m.text ? m.text : "(purged)");
		store_history(st, id, history_one, &h);
	}
	store_message_free(&m);
	store_close(st);
	return CLI_EXIT_OK;
}

int cli_status_main(int argc, char **argv)
{
	struct args a;
	int r = parse(argc, argv, &a);

	if (r)
		return r < 0 ? CLI_EXIT_OK : r;
	if ((r = cli_target_open(&a.target, NULL)))
		return r;
	cJSON *s = cli_daemon_request(&a.target, "{\"cmd\":\"status\"}");
	if (!s) {
		if (a.json)
			cli_json_print_error("parleyd is not running");
		else
			fprintf(stderr, "parley: parleyd is not running (no answer on %s)\n", a.target.socket_path);
		return CLI_EXIT_FAIL;
	}
	if (a.json) {
		cli_json_print(s);
		return CLI_EXIT_OK;
	}
	const cJSON *line;
	cJSON_ArrayForEach(line, cJSON_GetObjectItem(s, "lines")) {
		const char *err = cJSON_GetStringValue(cJSON_GetObjectItem(line, "last_error"));
		const char *port = cJSON_GetStringValue(cJSON_GetObjectItem(line, "port_error"));
		printf("%s  %s  %s  %s  signal %d/31  %s  sent today %d%s%s%s%s\n",
		       cJSON_GetStringValue(cJSON_GetObjectItem(line, "name")),
		       cJSON_GetStringValue(cJSON_GetObjectItem(line, "line")),
		       cJSON_GetStringValue(cJSON_GetObjectItem(line, "state")),
		       cJSON_GetStringValue(cJSON_GetObjectItem(line, "operator")),
		       (int)cJSON_GetNumberValue(cJSON_GetObjectItem(line, "signal")),
		       cJSON_GetStringValue(cJSON_GetObjectItem(line, "device")),
		       (int)cJSON_GetNumberValue(cJSON_GetObjectItem(line, "sent_today")),
		       err && *err ? "  last error: " : "", err && *err ? err : "",
		       port && *port ? "  port: " : "", port && *port ? port : "");
	}
	const cJSON *counts = cJSON_GetObjectItem(s, "messages"), *c;
	int shown = 0;
	printf("messages:");
	cJSON_ArrayForEach(c, counts)
		if (c->valuedouble > 0)
			shown += printf(" %s %d", c->string, (int)c->valuedouble) > 0;
	printf("%s\n", shown ? "" : " none yet");
	const cJSON *waiting = cJSON_GetObjectItem(s, "events_waiting");
	if (cJSON_IsNumber(waiting))
		printf("MQTT events waiting for the broker: %d\n", (int)waiting->valuedouble);
	cJSON_Delete(s);
	return CLI_EXIT_OK;
}

int cli_at_main(int argc, char **argv)
{
	struct args a;
	int r = parse(argc, argv, &a);

	if (r)
		return r < 0 ? CLI_EXIT_OK : r;
	if (argc - a.first != 2)
		return usage_error("at takes a modem name and one AT command (quote it)");
	if ((r = cli_target_open(&a.target, NULL)))
		return r;
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "cmd", "at");
	cJSON_AddStringToObject(req, "modem", argv[a.first]);
	cJSON_AddStringToObject(req, "text", argv[a.first + 1]);
	char *json = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	cJSON *reply = json ? cli_daemon_request(&a.target, json) : NULL;
	free(json);
	if (!reply) {
		fprintf(stderr, "parley: parleyd is not running (no answer on %s)\n", a.target.socket_path);
		return CLI_EXIT_FAIL;
	}
	bool ok = cJSON_IsTrue(cJSON_GetObjectItem(reply, "ok"));
	if (a.json) {
		cli_json_print(reply);
		return ok ? CLI_EXIT_OK : CLI_EXIT_FAIL;
	}
	const char *error = cJSON_GetStringValue(cJSON_GetObjectItem(reply, "error"));
	const char *final = cJSON_GetStringValue(cJSON_GetObjectItem(reply, "final"));
	const char *meaning = cJSON_GetStringValue(cJSON_GetObjectItem(reply, "meaning"));
	const cJSON *line;
	cJSON_ArrayForEach(line, cJSON_GetObjectItem(reply, "lines"))
		printf("%s\n", cJSON_GetStringValue(line));
	if (error)
		fprintf(stderr, "parley: %s\n", error);
	else
		printf("%s%s%s%s\n", final ? final : "", meaning ? "  (" : "", meaning ? meaning : "",
		       meaning ? ")" : "");
	cJSON_Delete(reply);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

/* cancel and retry: one message id, one store call, the daemon woken. */
static int one_id_main(int argc, char **argv, bool retry)
{
	struct args a;
	struct store *st;
	long id;
	int r = parse(argc, argv, &a);

	if (r)
		return r < 0 ? CLI_EXIT_OK : r;
	if (argc - a.first != 1 || !number_arg(argv[a.first], 1, INT32_MAX, &id))
		return usage_error(retry ? "retry takes one message ID" : "cancel takes one message ID");
	if ((r = cli_target_open(&a.target, &st)))
		return r;
	r = retry ? store_retry(st, id, cli_now_ms()) : store_cancel(st, id, cli_now_ms());
	if (r < 0) {
		const char *why = r == -ENOENT ? "no such message"
				  : r == -EPERM ? (retry ? "only unknown or held messages can be sent again"
						         : "only queued or held messages can be cancelled")
				  : store_error(st);
		if (a.json)
			cli_json_print_error(why);
		else
			fprintf(stderr, "parley: message %ld: %s\n", id, why);
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	store_close(st);
	if (a.json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "id", (double)id);
		cJSON_AddStringToObject(o, "state", retry ? "queued" : "cancelled");
		cli_json_print(o);
	} else {
		printf("message %ld %s\n", id, retry ? "queued again" : "cancelled");
	}
	if (retry)
		wake_daemon(&a.target, true);
	return CLI_EXIT_OK;
}

int cli_cancel_main(int argc, char **argv)
{
	return one_id_main(argc, argv, false);
}

int cli_retry_main(int argc, char **argv)
{
	return one_id_main(argc, argv, true);
}
