/*
 * `parley stats`: the figures of issue 7 (store_stats.h says what each one
 * means) over a period ending now: a table for people, or with --json the
 * very payload parleyd publishes as retained stats (mqtt_stats_json).
 * Reads the store directly, like `parley consent`: no daemon needed.
 *
 * --since takes a duration back from now ("90s", "30m", "24h", "7d", "2w")
 * or a date ("YYYY-MM-DD", its midnight in local time, as the table's times
 * are local). The default is the last 24 hours.
 */
#define _DEFAULT_SOURCE /* localtime_r, mktime's tm_isdst */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_daemon.h"
#include "cli_stats.h"
#include "parley/mqtt_stats.h"
#include "parley/store_stats.h"

#define DEFAULT_PERIOD_MS (INT64_C(24) * 3600 * 1000)

static const char usage_text[] =
	"usage: parley stats [--since DURATION|YYYY-MM-DD] [--json]\n"
	"  DURATION: a number and a unit, s m h d w (e.g. 30m, 24h, 7d); default 24h.\n"
	"  A date means its midnight, local time.\n"
	"  Common: -c FILE | --store PATH --socket PATH\n";

enum { OPT_STORE = 256, OPT_SOCKET, OPT_JSON, OPT_SINCE };

static const struct option opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *what)
{
	if (what)
		fprintf(stderr, "parley stats: %s\n", what);
	fputs(usage_text, stderr);
	return CLI_EXIT_USAGE;
}

/* "24h" and the like in ms; -1 when it is not one. */
static int64_t parse_duration(const char *s)
{
	static const struct { char unit; int64_t ms; } units[] = {
		{ 's', 1000 }, { 'm', 60000 }, { 'h', 3600000 }, { 'd', 86400000 },
		{ 'w', 604800000 },
	};
	char *end;
	long long n;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || end[0] == '\0' || end[1] != '\0')
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (*end == units[i].unit)
			/* more than a century back is a typo, not a period */
			return n <= INT64_C(3155760000000) / units[i].ms ? n * units[i].ms : -1;
	return -1;
}

/* "YYYY-MM-DD" as its local midnight in ms; -1 when it is not a real date. */
static int64_t parse_date(const char *s)
{
	struct tm tm = { 0 };
	int y, m, d, used = 0;
	time_t t;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	/* mktime normalises 2026-02-31 to March: a changed day means no such date */
	if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != m - 1 || t < 0)
		return -1;
	return (int64_t)t * 1000;
}

/* A response time for people: "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min", "-" for none. */
static const char *duration_text(int64_t ms, char *buf, size_t size)
{
	if (ms < 0)
		snprintf(buf, size, "-");
	else if (ms < 1000)
		snprintf(buf, size, "%" PRId64 " ms", ms);
	else if (ms < 60000)
		snprintf(buf, size, "%" PRId64 ".%" PRId64 " s", ms / 1000, ms % 1000 / 100);
	else if (ms < 3600000)
		snprintf(buf, size, "%" PRId64 " min %02" PRId64 " s", ms / 60000, ms / 1000 % 60);
	else
		snprintf(buf, size, "%" PRId64 " h %02" PRId64 " min", ms / 3600000,
			 ms / 60000 % 60);
	return buf;
}

static void print_table(const struct store_stats *s, int64_t since, int64_t now)
{
	char from[32], to[32], med[32], rate[48];

	printf("Figures from %s to %s (local time)\n\n", cli_time(since, from, sizeof(from)),
	       cli_time(now, to, sizeof(to)));
	if (s->nlines == 0) {
		puts("No line had messages in the period or has a customer waiting.");
	} else {
		printf("%-16s %7s %7s %9s %14s %10s  %s\n", "LINE", "IN", "OUT", "ANSWERED",
		       "MEDIAN 1ST", "UNANSWERED", "OPT-OUT RATE");
		for (size_t i = 0; i < s->nlines; i++) {
			const struct store_stats_line *l = &s->lines[i];

			if (l->opt_out_rate < 0)
				snprintf(rate, sizeof(rate), "-");
			else
				snprintf(rate, sizeof(rate), "%.1f%% (%" PRId64 " of %" PRId64 ")",
					 l->opt_out_rate * 100, l->opt_outs, l->customers);
			printf("%-16s %7" PRId64 " %7" PRId64 " %9" PRId64 " %14s %10" PRId64 "  %s\n",
			       l->line, l->in, l->out, l->responses,
			       duration_text(l->median_first_response_ms, med, sizeof(med)),
			       l->unanswered, rate);
		}
	}
	if (s->lines_omitted)
		printf("(%zu more line%s not shown)\n", s->lines_omitted,
		       s->lines_omitted == 1 ? "" : "s");
	putchar('\n');
	if (s->nagents == 0) {
		puts("No agent replied in the period or holds a conversation.");
	} else {
		printf("%-20s %7s %9s %14s %9s %8s\n", "AGENT", "REPLIES", "ANSWERED", "MEDIAN 1ST",
		       "ASSIGNED", "WAITING");
		for (size_t i = 0; i < s->nagents; i++) {
			const struct store_stats_agent *a = &s->agents[i];

			printf("%-20s %7" PRId64 " %9" PRId64 " %14s %9" PRId64 " %8" PRId64 "\n",
			       a->agent, a->replies, a->responses,
			       duration_text(a->median_first_response_ms, med, sizeof(med)),
			       a->assigned, a->waiting);
		}
	}
	if (s->agents_omitted)
		printf("(%zu more agent%s not shown)\n", s->agents_omitted,
		       s->agents_omitted == 1 ? "" : "s");
}

int cli_stats_main(int argc, char **argv)
{
	static struct store_stats stats;   /* 25 KiB: static rather than on the stack */
	struct cli_target target = { 0 };
	const char *since_arg = NULL;
	struct store *st;
	int64_t now = cli_now_ms(), since;
	bool json = false;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': target.config = optarg; break;
		case OPT_STORE: target.store = optarg; break;
		case OPT_SOCKET: target.socket = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_SINCE: since_arg = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_EXIT_OK;
		default: return usage_error(NULL);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument");
	since = now - DEFAULT_PERIOD_MS;
	if (since_arg) {
		int64_t back = parse_duration(since_arg);

		since = back >= 0 ? now - back : parse_date(since_arg);
		if (since < 0)
			return usage_error("--since takes a duration (30m, 24h, 7d) or YYYY-MM-DD");
		if (since > now)
			return usage_error("--since is in the future");
	}
	if ((rc = cli_target_open(&target, &st)) != 0)
		return rc;
	rc = store_stats(st, since, now, &stats);
	if (rc < 0) {
		fprintf(stderr, "parley stats: %s\n", store_error(st));
		store_close(st);
		return CLI_EXIT_FAIL;
	}
	store_close(st);
	if (json) {
		char *text = mqtt_stats_json(&stats, since, now);

		if (!text) {
			fputs("parley stats: out of memory\n", stderr);
			return CLI_EXIT_FAIL;
		}
		puts(text);
		free(text);
	} else {
		print_table(&stats, since, now);
	}
	return CLI_EXIT_OK;
}
