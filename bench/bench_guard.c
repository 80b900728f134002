/*
 * What the send guard adds to a claim: store_claim on a file store, with
 * and without the guard, for transactional texts to numbers with a short
 * consent ledger, and for marketing texts that also pay for quiet hours
 * (time zones of a US number from tzdata) and a frequency cap count.
 * Goal: the guard keeps a claim well under a millisecond (a modem sends a
 * segment in ~1 s; the claim must never be what limits it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parley/config.h"
#include "parley/send_guard.h"
#include "parley/store.h"
#include "parley/store_consent.h"

#define N 1000
#define LINE "+447700900001"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void die(const char *what, struct store *st)
{
	fprintf(stderr, "bench_guard: %s: %s\n", what, st ? store_error(st) : "");
	exit(1);
}

/* Fills a fresh store: N messages of category, each to its own number with a short ledger. */
static struct store *fill(const char *path, const char *category, const char *prefix,
			  int64_t now)
{
	struct store *st;
	char err[128];

	unlink(path);
	if (store_open(path, &st, err, sizeof(err)) != 0)
		die(err, NULL);
	for (int i = 0; i < N; i++) {
		char number[24];
		struct store_consent_record r = {
			.number = number, .action = "grant", .scope = "all", .category = "marketing",
			.method = "web", .disclosure = "form v1", .recorded_by = "bench", .at = now - 2000,
		};
		struct store_new_message m = { .to = number, .text = "Hello", .category = category };

		snprintf(number, sizeof(number), "%s%04d", prefix, i);
		if (store_consent_add(st, &r, NULL) < 0)
			die("consent", st);
		r.action = "revoke";
		r.scope = "line";
		r.scope_name = "+447700900002";  /* another line's STOP: read, does not apply */
		r.at = now - 1000;
		if (store_consent_add(st, &r, NULL) < 0)
			die("consent", st);
		if (store_enqueue(st, &m, now, NULL, NULL) < 0)
			die("enqueue", st);
	}
	return st;
}

static double claims(struct store *st, int64_t now)
{
	static double t[N];

	for (int i = 0; i < N; i++) {
		struct store_message m = { 0 };
		double t0 = now_us();

		if (store_claim(st, LINE, now, &m) != 0)
			die("claim", st);
		t[i] = now_us() - t0;
		store_message_free(&m);
	}
	qsort(t, N, sizeof(t[0]), cmp);
	return t[N / 2];
}

int main(void)
{
	static struct conf c;
	char path[] = "/tmp/parley-bench-guard.db";
	/* 2026-01-14 17:00 UTC: noon in New York, inside every window */
	int64_t now = 1768410000000LL;
	struct send_guard *g;
	struct store *st;
	double bare, guarded, marketing;

	conf_defaults(&c);
	c.nmodems = 1;
	strcpy(c.modems[0].line, LINE);
	c.policy.ncaps = 1;
	strcpy(c.policy.caps[0].category, "marketing");
	c.policy.caps[0].max = 3;
	c.policy.caps[0].per = 86400;
	if (!(g = send_guard_new(&c)))
		die("out of memory", NULL);

	st = fill(path, "transactional", "+44770090", now);
	bare = claims(st, now);
	store_close(st);

	st = fill(path, "transactional", "+44770090", now);
	store_set_gate(st, send_guard_gate, g);
	guarded = claims(st, now);
	store_close(st);

	/* 850: two zones (Chicago, New York), the Florida rule, the cap's count */
	st = fill(path, "marketing", "+1850555", now);
	store_set_gate(st, send_guard_gate, g);
	marketing = claims(st, now);
	store_close(st);

	printf("store_claim without the guard: median %.1f us\n", bare);
	printf("store_claim with the guard, transactional (2 ledger records): median %.1f us"
	       " (+%.1f us)\n", guarded, guarded - bare);
	printf("store_claim with the guard, marketing to a 2-zone US number (quiet hours, cap):"
	       " median %.1f us (+%.1f us)%s\n", marketing, marketing - bare,
	       marketing < 1000 ? "" : "  ** over the 1 ms goal **");
	send_guard_free(g);
	unlink(path);
	strcat(path, "-wal");
	unlink(path);
	path[strlen(path) - 4] = '\0';
	strcat(path, "-shm");
	unlink(path);
	return 0;
}
