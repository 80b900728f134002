/*
 * The send guard (include/parley/send_guard.h): reads what the store knows
 * about a recipient and asks the pure policies about one message.
 * Everything here runs inside the store's claim transaction: keep it to
 * reads and arithmetic.
 */
#define _DEFAULT_SOURCE /* tm_gmtoff */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley/consent.h"
#include "parley/consent_view.h"
#include "parley/phone_number.h"
#include "parley/quiet_hours.h"
#include "parley/send_caps.h"
#include "parley/send_guard.h"
#include "parley/store_consent.h"
#include "parley/zone_clock.h"

#define RETRY_MS 60000 /* when the store cannot answer: ask again, never send blind */

struct send_guard {
	struct conf conf;
};

struct send_guard *send_guard_new(const struct conf *c)
{
	struct send_guard *g = malloc(sizeof(*g));

	if (g)
		g->conf = *c;
	return g;
}

void send_guard_free(struct send_guard *g)
{
	free(g);
}

const char *send_guard_line_group(const struct conf *c, const char *line)
{
	for (size_t i = 0; line && i < c->nmodems; i++)
		if (strcmp(c->modems[i].line, line) == 0)
			return c->modems[i].group[0] ? c->modems[i].group : NULL;
	return NULL;
}

static void undecided(struct store_gate_verdict *v, int64_t now, const char *what)
{
	v->action = STORE_GATE_DEFER;
	v->code = POLICY_UNDECIDED;
	v->code_name = policy_code_name(POLICY_UNDECIDED);
	v->until = now + RETRY_MS;
	snprintf(v->reason, sizeof(v->reason), "%s; asking again in a minute", what);
}

static void utc_words(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(out, size, "%lld ms", (long long)ms);
}

/* Consent: false when the verdict is made (blocked or undecided). */
static bool consent_ok(const struct send_guard *g, struct store *st,
		       const struct store_message *m, const char *line, int64_t now,
		       struct store_gate_verdict *v)
{
	struct consent_view l;
	struct consent_query q = {
		.category = m->category ? m->category : "transactional",
		.line = line, .group = send_guard_line_group(&g->conf, line),
	};
	struct consent_verdict cv;
	char when[40];
	int rc = consent_view_load(st, m->peer, &l);

	if (rc < 0) {
		consent_view_free(&l);
		undecided(v, now, rc == -ENOMEM ? "out of memory reading the consent ledger"
						: "cannot read the consent ledger");
		return false;
	}
	consent_decide(l.records, l.n, &q, &cv);
	if (!cv.allowed) {
		v->action = STORE_GATE_BLOCK;
		v->code = cv.code;
		v->code_name = policy_code_name(cv.code);
		if (cv.code == POLICY_OPTED_OUT) {
			utc_words(l.at[cv.record_id], when, sizeof(when));
			snprintf(v->reason, sizeof(v->reason), "%s opted out (%s scope, %s) on %s",
				 m->peer, l.records[cv.record_id].scope,
				 l.records[cv.record_id].category, when);
		} else {
			snprintf(v->reason, sizeof(v->reason),
				 "no marketing consent is recorded for %s", m->peer);
		}
	}
	consent_view_free(&l);
	return cv.allowed;
}

/* The box's own offset, for numbers whose zone is unknown. */
static int local_offset(int64_t now)
{
	time_t t = (time_t)(now / 1000);
	struct tm tm;

	return localtime_r(&t, &tm) ? (int)(tm.tm_gmtoff / 60) : 0;
}

static bool quiet_ok(const struct send_guard *g, const struct store_message *m, int64_t now,
		     struct store_gate_verdict *v)
{
	static const char *const cats[] = { "transactional", "conversational", "marketing" };
	struct quiet_window w = { (int)g->conf.policy.quiet_start, (int)g->conf.policy.quiet_end };
	const char *category = m->category ? m->category : "transactional";
	struct phone_zones z = { 0 };
	struct quiet_week week;
	int offsets[PHONE_ZONES_MAX];
	size_t n = 0;
	bool applies = false;
	int64_t open;
	char when[40];

	for (unsigned i = 0; i < 3; i++)
		if ((g->conf.policy.quiet_categories & (1u << i)) && strcmp(category, cats[i]) == 0)
			applies = true;
	if (!applies)
		return true;
	if (phone_zones(m->peer, &z) == 0) {
		for (size_t i = 0; i < z.n; i++)
			if (zone_clock_offset(z.zones[i], now, &offsets[n]) == 0)
				n++;
	}
	if (n == 0) {
		offsets[0] = local_offset(now);
		n = 1;
	}
	if (quiet_rules_for(z.region, &w, &week) < 0)
		return true; /* only a malformed window fails, and the config checks it */
	open = quiet_next_open(&week, offsets, n, now);
	if (open == -ERANGE) /* zones too far apart to share a window: the main one decides */
		open = quiet_next_open(&week, offsets, 1, now);
	if (open <= now)
		return true;
	v->action = STORE_GATE_DEFER;
	v->code = POLICY_QUIET_HOURS;
	v->code_name = policy_code_name(POLICY_QUIET_HOURS);
	v->until = open;
	utc_words(open, when, sizeof(when));
	snprintf(v->reason, sizeof(v->reason), "quiet hours for %s (%s%s%s) until %s", m->peer,
		 z.region[0] ? z.region : "local", z.n ? ", " : "", z.n ? z.zones[0] : "", when);
	return false;
}

static bool caps_ok(const struct send_guard *g, struct store *st, const struct store_message *m,
		    int64_t now, struct store_gate_verdict *v)
{
	const char *category = m->category ? m->category : "transactional";

	for (size_t i = 0; i < g->conf.policy.ncaps; i++) {
		const struct conf_cap *c = &g->conf.policy.caps[i];
		int64_t window = (int64_t)c->per * 1000, count, oldest, next;
		char when[40];

		if (strcmp(c->category, category) != 0)
			continue;
		if (store_sent_count(st, m->peer, category, now - window + 1, &count, &oldest) < 0) {
			undecided(v, now, "cannot count recent sends");
			return false;
		}
		next = send_caps_next_allowed(c->max, window, count, oldest, now);
		if (next <= now)
			continue;
		v->action = STORE_GATE_DEFER;
		v->code = POLICY_FREQUENCY_CAP;
		v->code_name = policy_code_name(POLICY_FREQUENCY_CAP);
		v->until = next;
		utc_words(next, when, sizeof(when));
		snprintf(v->reason, sizeof(v->reason), "%s got %lld %s texts in %us; next at %s",
			 m->peer, (long long)count, category, c->per, when);
		return false;
	}
	return true;
}

void send_guard_gate(void *ctx, struct store *st, const struct store_message *m, const char *line,
		     int64_t now, struct store_gate_verdict *v)
{
	const struct send_guard *g = ctx;

	v->action = STORE_GATE_SEND;
	if (!g || !m || !m->peer)
		return;
	if (consent_ok(g, st, m, line, now, v) && quiet_ok(g, m, now, v))
		(void)caps_ok(g, st, m, now, v);
}
