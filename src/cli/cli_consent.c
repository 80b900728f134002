/*
 * `parley consent`: the consent ledger from the command line, for people
 * and audits. show a number's history and what it allows now; record a
 * consent (grant) or an opt-out (revoke); export the whole ledger as CSV
 * and import one. Records are appended, never changed; reads and exports
 * are written to the audit log, so every operation leaves a trace.
 *
 * CSV columns (RFC 4180, header line first):
 *   number,action,scope,scope_name,category,method,disclosure,recorded_by,message_id,at
 * at is UTC "YYYY-MM-DDTHH:MM:SSZ". An import checks every row before it
 * appends any, and takes each number through E.164 normalisation.
 */
#define _DEFAULT_SOURCE /* timegm */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_consent.h"
#include "cli_csv.h"
#include "cli_daemon.h"
#include "cli_json.h"
#include "parley/consent.h"
#include "parley/consent_view.h"
#include "parley/phone_number.h"
#include "parley/send_guard.h"
#include "parley/store_consent.h"

static const char usage_text[] =
	"usage: parley consent show NUMBER [--json]\n"
	"       parley consent grant NUMBER [--category marketing|all|...] [--disclosure TEXT]\n"
	"       parley consent revoke NUMBER [--category all|marketing]\n"
	"       parley consent export [FILE]        (CSV on stdout without FILE)\n"
	"       parley consent import FILE\n"
	"  grant and revoke take [--scope all|line:NUMBER|group:NAME] (default all),\n"
	"  [--method cli|web|agent|api|keyword] (default cli), [--by NAME] (default $USER).\n"
	"  Common: -c FILE | --store PATH --socket PATH\n";

enum { OPT_STORE = 256, OPT_SOCKET, OPT_JSON, OPT_CATEGORY, OPT_DISCLOSURE, OPT_SCOPE, OPT_METHOD,
       OPT_BY };

static const struct option opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "category", required_argument, NULL, OPT_CATEGORY },
	{ "disclosure", required_argument, NULL, OPT_DISCLOSURE },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "by", required_argument, NULL, OPT_BY },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct cli_target target;
	bool json;
	const char *category, *disclosure, *scope, *method, *by;
	int first;
};

static int usage_error(const char *what)
{
	if (what)
		fprintf(stderr, "parley consent: %s\n", what);
	fputs(usage_text, stderr);
	return CLI_EXIT_USAGE;
}

static int parse(int argc, char **argv, struct args *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->method = "cli";
	a->scope = "all";
	a->by = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER");
	if (!a->by || !*a->by)
		a->by = "cli";
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->target.config = optarg; break;
		case OPT_STORE: a->target.store = optarg; break;
		case OPT_SOCKET: a->target.socket = optarg; break;
		case OPT_JSON: a->json = true; break;
		case OPT_CATEGORY: a->category = optarg; break;
		case OPT_DISCLOSURE: a->disclosure = optarg; break;
		case OPT_SCOPE: a->scope = optarg; break;
		case OPT_METHOD: a->method = optarg; break;
		case OPT_BY: a->by = optarg; break;
		case 'h': fputs(usage_text, stdout); return -1;
		default: return usage_error(NULL);
		}
	}
	a->first = optind;
	return 0;
}

static void iso_time(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, size, "?");
}

static int64_t parse_iso(const char *s)
{
	struct tm tm = { 0 };
	char z = 0;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 || z != 'Z')
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	return t == (time_t)-1 || t <= 0 ? -1 : (int64_t)t * 1000;
}

/* --scope all | line:NUMBER | group:NAME into the record. */
static bool scope_arg(const char *arg, struct store_consent_record *r, char *name, size_t size)
{
	if (strcmp(arg, "all") == 0) {
		r->scope = "all";
		r->scope_name = "";
		return true;
	}
	if (strncmp(arg, "line:", 5) == 0 && arg[5]) {
		r->scope = "line";
		snprintf(name, size, "%s", arg + 5);
	} else if (strncmp(arg, "group:", 6) == 0 && arg[6]) {
		r->scope = "group";
		snprintf(name, size, "%s", arg + 6);
	} else {
		return false;
	}
	r->scope_name = name;
	return true;
}

static int open_store(struct args *a, struct store **st)
{
	return cli_target_open(&a->target, st);
}

/* The number argument in E.164, or prints why and returns false. */
static bool number_arg(const struct args *a, const char *arg, char *out, size_t size)
{
	const char *why = NULL;

	if (phone_normalise(arg, a->target.conf->policy.default_country, out, size, &why) == 0)
		return true;
	fprintf(stderr, "parley consent: %s is not a phone number: %s\n", arg, why);
	return false;
}

/* ---- show ---- */

struct history {
	bool json;
	cJSON *array;
};

static int show_one(void *ctx, const struct store_consent_record *r)
{
	struct history *h = ctx;
	char when[32];

	iso_time(r->at, when, sizeof(when));
	if (h->json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "id", (double)r->id);
		cJSON_AddStringToObject(o, "action", r->action);
		cJSON_AddStringToObject(o, "scope", r->scope);
		cJSON_AddStringToObject(o, "scope_name", r->scope_name);
		cJSON_AddStringToObject(o, "category", r->category);
		cJSON_AddStringToObject(o, "method", r->method);
		cli_json_add_str_or_null(o, "disclosure", r->disclosure);
		cJSON_AddStringToObject(o, "recorded_by", r->recorded_by);
		cJSON_AddNumberToObject(o, "message_id", (double)r->message_id);
		cJSON_AddStringToObject(o, "at", when);
		/* a record another gateway took and shared through the broker */
		cli_json_add_str_or_null(o, "origin", r->origin);
		cJSON_AddItemToArray(h->array, o);
		return 0;
	}
	printf("%6lld  %s  %-6s  %-5s %-14s  %-13s  %-7s  by %s%s%s%s\n", (long long)r->id, when,
	       r->action, r->scope, r->scope_name, r->category, r->method, r->recorded_by,
	       r->disclosure ? "  \"" : "", r->disclosure ? r->disclosure : "",
	       r->disclosure ? "\"" : "");
	return 0;
}

static int cmd_show(struct args *a, int argc, char **argv)
{
	struct history h = { .json = a->json };
	enum policy_code now_codes[CONSENT_VIEW_CATEGORIES];
	struct consent_view view;
	char number[PHONE_E164_SIZE];
	struct store *st;
	cJSON *root = NULL, *now_obj = NULL;
	int r, n;

	if (argc - a->first != 2)
		return usage_error("show takes one NUMBER");
	if ((r = open_store(a, &st)))
		return r;
	if (!number_arg(a, argv[a->first + 1], number, sizeof(number))) {
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	if (a->json) {
		root = cJSON_CreateObject();
		cJSON_AddStringToObject(root, "number", number);
		h.array = cJSON_AddArrayToObject(root, "records");
		now_obj = cJSON_AddObjectToObject(root, "now");
	} else {
		printf("%s\n", number);
	}
	n = r = store_consent_list(st, number, show_one, &h);
	if (r >= 0)
		r = consent_view_load(st, number, &view);
	if (r >= 0)
		r = store_consent_audit(st, "show", a->by, number, cli_now_ms());
	if (r < 0) {
		fprintf(stderr, "parley consent: %s\n", r == -ENOMEM ? "out of memory" : store_error(st));
		consent_view_free(&view);
		cJSON_Delete(root);
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	if (!a->json && n == 0)
		printf("  no records: transactional texts allowed, marketing needs a consent\n");
	consent_view_now(&view, NULL, NULL, now_codes);
	for (size_t i = 0; i < CONSENT_VIEW_CATEGORIES; i++) {
		if (a->json)
			cJSON_AddStringToObject(now_obj, consent_view_categories[i],
						policy_code_name(now_codes[i]));
		else
			printf("  %-14s %s (any line)\n", consent_view_categories[i],
			       now_codes[i] == POLICY_OK ? "allowed" : policy_code_name(now_codes[i]));
	}
	consent_view_free(&view);
	store_close(st);
	return a->json && cli_json_print(root) < 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* ---- grant / revoke ---- */

static int cmd_record(struct args *a, int argc, char **argv, const char *action)
{
	char number[PHONE_E164_SIZE], scope_name[64];
	struct store_consent_record rec = {
		.action = action, .method = a->method, .disclosure = a->disclosure,
		.recorded_by = a->by, .at = cli_now_ms(),
		.category = a->category ? a->category : strcmp(action, "grant") ? "all" : "marketing",
	};
	struct store *st;
	int64_t id = 0;
	int r;

	if (argc - a->first != 2)
		return usage_error("takes one NUMBER");
	if (!scope_arg(a->scope, &rec, scope_name, sizeof(scope_name)))
		return usage_error("--scope is all, line:NUMBER or group:NAME");
	if ((r = open_store(a, &st)))
		return r;
	if (!number_arg(a, argv[a->first + 1], number, sizeof(number))) {
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	rec.number = number;
	if (store_consent_add(st, &rec, &id) < 0) {
		fprintf(stderr, "parley consent: %s\n", store_error(st));
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	store_sync(st);
	store_close(st);
	if (a->json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "id", (double)id);
		cJSON_AddStringToObject(o, "number", number);
		return cli_json_print(o) < 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	}
	printf("recorded %s #%lld for %s (%s, %s)\n", action, (long long)id, number, rec.scope,
	       rec.category);
	return CLI_EXIT_OK;
}

/* ---- export / import ---- */

static const char *const columns[] = { "number", "action", "scope", "scope_name", "category",
				       "method", "disclosure", "recorded_by", "message_id", "at" };
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static int export_one(void *ctx, const struct store_consent_record *r)
{
	FILE *f = ctx;
	char when[32], msg[24];
	const char *fields[NCOLUMNS];

	iso_time(r->at, when, sizeof(when));
	snprintf(msg, sizeof(msg), "%lld", (long long)r->message_id);
	fields[0] = r->number;
	fields[1] = r->action;
	fields[2] = r->scope;
	fields[3] = r->scope_name;
	fields[4] = r->category;
	fields[5] = r->method;
	fields[6] = r->disclosure ? r->disclosure : "";
	fields[7] = r->recorded_by;
	fields[8] = r->message_id ? msg : "";
	fields[9] = when;
	return cli_csv_write_row(f, fields, NCOLUMNS) < 0;
}

static int cmd_export(struct args *a, int argc, char **argv)
{
	const char *path = argc - a->first == 2 ? argv[a->first + 1] : NULL;
	struct store *st;
	FILE *f = stdout;
	int r, n;

	if (argc - a->first > 2)
		return usage_error("export takes at most one FILE");
	if ((r = open_store(a, &st)))
		return r;
	if (path && !(f = fopen(path, "w"))) {
		fprintf(stderr, "parley consent: %s: %s\n", path, strerror(errno));
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	cli_csv_write_row(f, columns, NCOLUMNS);
	n = store_consent_list(st, NULL, export_one, f);
	if (n >= 0)
		store_consent_audit(st, "export", a->by, path ? path : "(stdout)", cli_now_ms());
	if ((path && fclose(f) != 0) || (!path && fflush(f) != 0) || n < 0) {
		fprintf(stderr, "parley consent: export failed: %s\n",
			n < 0 ? store_error(st) : strerror(errno));
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	store_close(st);
	if (path)
		fprintf(stderr, "exported %d record%s to %s\n", n, n == 1 ? "" : "s", path);
	return CLI_EXIT_OK;
}

struct import_row {
	char number[PHONE_E164_SIZE];
	char *fields[NCOLUMNS];
	int64_t at, message_id;
};

/* Checks one row into out; a sentence in why on failure. */
static bool import_check(const struct args *a, char **fields, struct import_row *out,
			 char *why, size_t size)
{
	const char *nwhy = NULL;
	char *end;

	if (phone_normalise(fields[0], a->target.conf->policy.default_country, out->number,
			    sizeof(out->number), &nwhy) < 0) {
		snprintf(why, size, "number \"%.40s\": %s", fields[0], nwhy);
		return false;
	}
	if ((out->at = parse_iso(fields[9])) < 0) {
		snprintf(why, size, "at \"%.40s\" is not YYYY-MM-DDTHH:MM:SSZ", fields[9]);
		return false;
	}
	out->message_id = 0;
	if (fields[8][0]) {
		out->message_id = strtoll(fields[8], &end, 10);
		if (*end || out->message_id < 0) {
			snprintf(why, size, "message_id \"%.20s\" is not a number", fields[8]);
			return false;
		}
	}
	memcpy(out->fields, fields, sizeof(out->fields));
	return true;
}

static struct store_consent_record import_record(const struct args *a,
						 const struct import_row *row)
{
	return (struct store_consent_record){
		.number = row->number, .action = row->fields[1], .scope = row->fields[2],
		.scope_name = row->fields[3], .category = row->fields[4],
		/* the ledger says how the consent came; the import is the audit log's */
		.method = row->fields[5],
		.disclosure = row->fields[6][0] ? row->fields[6] : NULL,
		.recorded_by = row->fields[7][0] ? row->fields[7] : a->by,
		.message_id = row->message_id, .at = row->at,
	};
}

static int cmd_import(struct args *a, int argc, char **argv)
{
	const char *path;
	struct cli_csv *csv;
	struct import_row *rows = NULL;
	size_t n = 0, cap = 0;
	char why[200], detail[300];
	struct store *st;
	char **fields;
	int nf, r, line, ret = CLI_EXIT_FAIL;

	if (argc - a->first != 2)
		return usage_error("import takes one FILE");
	path = argv[a->first + 1];
	if (!(csv = cli_csv_open(path))) {
		fprintf(stderr, "parley consent: %s: %s\n", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	if ((r = open_store(a, &st))) {
		cli_csv_close(csv);
		return r;
	}
	nf = cli_csv_next(csv, &fields, &line);
	if (nf != (int)NCOLUMNS || strcmp(fields[0], "number") != 0) {
		fprintf(stderr, "parley consent: %s:1: the header must be: number,action,scope,"
			"scope_name,category,method,disclosure,recorded_by,message_id,at\n", path);
		goto out;
	}
	/* every row is checked, by the same rules as the store's, before any goes in */
	while ((nf = cli_csv_next(csv, &fields, &line)) > 0) {
		struct store_consent_record rec;

		if (nf != (int)NCOLUMNS) {
			fprintf(stderr, "parley consent: %s:%d: %d fields, want %zu\n", path, line, nf,
				NCOLUMNS);
			goto out;
		}
		if (n == cap) {
			struct import_row *more = realloc(rows, (cap = cap ? cap * 2 : 64) *
							  sizeof(*rows));
			if (!more) {
				fprintf(stderr, "parley consent: out of memory\n");
				goto out;
			}
			rows = more;
		}
		for (size_t i = 0; i < NCOLUMNS; i++)
			fields[i] = strdup(fields[i]);
		for (size_t i = 0; i < NCOLUMNS; i++)
			if (!fields[i]) {
				fprintf(stderr, "parley consent: out of memory\n");
				for (size_t j = 0; j < NCOLUMNS; j++)
					free(fields[j]);
				goto out;
			}
		if (!import_check(a, fields, &rows[n], why, sizeof(why))) {
			fprintf(stderr, "parley consent: %s:%d: %s\n", path, line, why);
			for (size_t j = 0; j < NCOLUMNS; j++)
				free(fields[j]);
			goto out;
		}
		n++;
		rec = import_record(a, &rows[n - 1]);
		if (store_consent_check(st, &rec) < 0) {
			fprintf(stderr, "parley consent: %s:%d: %s\n", path, line, store_error(st));
			goto out;
		}
	}
	if (nf < 0) {
		fprintf(stderr, "parley consent: %s:%d: %s\n", path, line, cli_csv_error(csv));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct store_consent_record rec = import_record(a, &rows[i]);

		if (store_consent_add(st, &rec, NULL) < 0) {
			fprintf(stderr, "parley consent: row %zu: %s (%zu rows imported before it)\n",
				i + 1, store_error(st), i);
			goto out;
		}
	}
	snprintf(detail, sizeof(detail), "%zu records from %.250s", n, path);
	store_consent_audit(st, "import", a->by, detail, cli_now_ms());
	store_sync(st);
	printf("imported %zu record%s from %s\n", n, n == 1 ? "" : "s", path);
	ret = CLI_EXIT_OK;
out:
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < NCOLUMNS; j++)
			free(rows[i].fields[j]);
	free(rows);
	cli_csv_close(csv);
	store_close(st);
	return ret;
}

int cli_consent_main(int argc, char **argv)
{
	struct args a;
	const char *cmd;
	int r = parse(argc, argv, &a);

	if (r)
		return r < 0 ? CLI_EXIT_OK : r;
	if (a.first >= argc)
		return usage_error("which: show, grant, revoke, export or import?");
	cmd = argv[a.first];
	if (strcmp(cmd, "show") == 0)
		return cmd_show(&a, argc, argv);
	if (strcmp(cmd, "grant") == 0)
		return cmd_record(&a, argc, argv, "grant");
	if (strcmp(cmd, "revoke") == 0 || strcmp(cmd, "optout") == 0)
		return cmd_record(&a, argc, argv, "revoke");
	if (strcmp(cmd, "export") == 0)
		return cmd_export(&a, argc, argv);
	if (strcmp(cmd, "import") == 0)
		return cmd_import(&a, argc, argv);
	return usage_error("unknown consent command");
}
