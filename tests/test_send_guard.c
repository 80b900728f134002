/*
 * The send guard over a real store with a controllable clock: consent
 * refusals at enqueue and blocks at claim, quiet hours in the recipient's
 * zones (a Florida number at 20:30 local is held until 08:00; a number in
 * two zones waits for the later one), an operator window stricter than the
 * law, frequency caps holding the fourth marketing text until the first
 * leaves the window, and the consent flow's replies passing all of it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/config.h"
#include "parley/policy_codes.h"
#include "parley/send_guard.h"
#include "parley/store.h"
#include "parley/store_consent.h"

#define LINE "+447700900001"
#define UK "+447700900123"
#define FLORIDA "+13055550123"      /* Miami: America/New_York, Florida's 08:00-20:00 */
#define PANHANDLE "+18505550123"    /* 850: America/Chicago and America/New_York */
#define HOUR 3600000LL
#define MIN 60000LL

/* 2026-01-14 (a Wednesday) at hh:mm UTC, in ms */
static int64_t utc(int hh, int mm)
{
	return 1768348800000LL + hh * HOUR + mm * MIN;
}

struct fixture {
	struct store *st;
	struct send_guard *g;
	struct conf conf;
};

static int setup(void **state)
{
	static struct fixture f;
	char err[128];

	memset(&f, 0, sizeof(f));
	conf_defaults(&f.conf);
	strcpy(f.conf.policy.default_country, "GB");
	f.conf.nmodems = 1;
	strcpy(f.conf.modems[0].line, LINE);
	f.conf.policy.ncaps = 1;
	strcpy(f.conf.policy.caps[0].category, "marketing");
	f.conf.policy.caps[0].max = 3;
	f.conf.policy.caps[0].per = 86400;
	if (store_open(":memory:", &f.st, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	f.g = send_guard_new(&f.conf);
	assert_non_null(f.g);
	store_set_gate(f.st, send_guard_gate, f.g);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	send_guard_free(f->g);
	return 0;
}

static void grant_marketing(struct store *st, const char *number, int64_t at)
{
	struct store_consent_record r = {
		.number = number, .action = "grant", .scope = "all", .category = "marketing",
		.method = "web", .disclosure = "form v1", .recorded_by = "test", .at = at,
	};
	assert_int_equal(store_consent_add(st, &r, NULL), 0);
}

static int64_t enqueue(struct store *st, const char *to, const char *category, int64_t now)
{
	struct store_new_message m = { .to = to, .text = "hello", .category = category };
	int64_t id = 0;
	int rc = store_enqueue(st, &m, now, &id, NULL);

	if (rc != 0)
		fail_msg("enqueue to %s: %s", to, store_error(st));
	return id;
}

/* Claims at now: the id claimed, or 0 when nothing was due. */
static int64_t claim(struct store *st, int64_t now)
{
	struct store_message m = { 0 };
	int64_t id;

	if (store_claim(st, LINE, now, &m) != 0)
		return 0;
	id = m.id;
	store_message_free(&m);
	return id;
}

static void sent(struct store *st, int64_t id, int64_t now)
{
	assert_int_equal(store_set_segments(st, id, 1), 0);
	assert_int_equal(store_segment_sent(st, id, 1, (int)(id & 0xff), now), 0);
}

static void field(struct store *st, int64_t id, int64_t *send_at, char *policy, size_t size)
{
	struct store_message m = { 0 };

	assert_int_equal(store_get(st, id, &m), 0);
	*send_at = m.send_at;
	snprintf(policy, size, "%s", m.policy ? m.policy : "");
	store_message_free(&m);
}

static void marketing_needs_consent(void **state)
{
	struct fixture *f = *state;
	struct store_new_message m = { .to = UK, .text = "20% off", .category = "marketing" };
	struct store_gate_verdict v;

	assert_int_equal(store_enqueue(f->st, &m, utc(12, 0), NULL, NULL), -EACCES);
	assert_int_equal(store_refusal(f->st, &v), 0);
	assert_int_equal(v.code, POLICY_NO_CONSENT);
	/* transactional needs none */
	assert_true(enqueue(f->st, UK, "transactional", utc(12, 0)) > 0);
	grant_marketing(f->st, UK, utc(12, 1));
	assert_int_equal(store_enqueue(f->st, &m, utc(12, 2), NULL, NULL), 0);
}

static void opt_out_blocks_queued(void **state)
{
	struct fixture *f = *state;
	struct store_consent_record stop = {
		.number = UK, .action = "revoke", .scope = "all", .category = "all",
		.method = "keyword", .disclosure = "STOP", .recorded_by = "parleyd", .at = utc(12, 5),
	};
	struct store_new_message confirm = { .to = UK, .text = "Unsubscribed.", .line = LINE,
					     .priority = 1000, .purpose = "opt_out_confirmation" };
	struct store_new_message again = { .to = UK, .text = "hello again" };
	struct store_gate_verdict v;
	struct store_message m = { 0 };
	int64_t queued = enqueue(f->st, UK, "transactional", utc(12, 0)), cid;

	assert_int_equal(store_consent_add(f->st, &stop, NULL), 0);
	assert_int_equal(store_enqueue(f->st, &confirm, utc(12, 5), &cid, NULL), 0);
	assert_int_equal(store_enqueue(f->st, &again, utc(12, 6), NULL, NULL), -EACCES);
	assert_int_equal(store_refusal(f->st, &v), 0);
	assert_int_equal(v.code, POLICY_OPTED_OUT);
	assert_string_equal(v.code_name, "opted_out");
	assert_non_null(strstr(v.reason, "2026-01-14 12:05 UTC"));

	assert_int_equal(claim(f->st, utc(12, 7)), cid);    /* the confirmation passes */
	assert_int_equal(claim(f->st, utc(12, 7)), 0);      /* the queued one is blocked */
	assert_int_equal(store_get(f->st, queued, &m), 0);
	assert_int_equal(m.state, STORE_BLOCKED);
	assert_string_equal(m.policy, "opted_out");
	store_message_free(&m);
}

static void quiet_hours_florida(void **state)
{
	struct fixture *f = *state;
	int64_t id, at;
	char policy[32];

	grant_marketing(f->st, FLORIDA, utc(0, 0));
	/* 01:30 UTC = 20:30 in Miami (EST): past Florida's 20:00 */
	id = enqueue(f->st, FLORIDA, "marketing", utc(1, 30));
	assert_int_equal(claim(f->st, utc(1, 30)), 0);
	field(f->st, id, &at, policy, sizeof(policy));
	assert_string_equal(policy, "quiet_hours");
	assert_int_equal(at, utc(13, 0));                    /* 08:00 EST */
	assert_int_equal(claim(f->st, utc(12, 59)), 0);
	assert_int_equal(claim(f->st, utc(13, 0)), id);
	/* a transactional text is not held (quiet hours cover marketing by default) */
	id = enqueue(f->st, FLORIDA, "transactional", utc(2, 0));
	assert_int_equal(claim(f->st, utc(2, 0)), id);
}

static void quiet_hours_two_zones(void **state)
{
	struct fixture *f = *state;
	int64_t id, at;
	char policy[32];

	grant_marketing(f->st, PANHANDLE, utc(0, 0));
	/* 13:30 UTC: 08:30 in New York but 07:30 in Chicago: wait for Chicago's 08:00 */
	id = enqueue(f->st, PANHANDLE, "marketing", utc(13, 30));
	assert_int_equal(claim(f->st, utc(13, 30)), 0);
	field(f->st, id, &at, policy, sizeof(policy));
	assert_int_equal(at, utc(14, 0));
	assert_int_equal(claim(f->st, utc(14, 0)), id);
}

static void operator_window(void **state)
{
	struct fixture *f = *state;
	int64_t id, at;
	char policy[32];

	/* an operator window of 10:00-17:00 for everything, UK number */
	f->conf.policy.quiet_start = 10 * 60;
	f->conf.policy.quiet_end = 17 * 60;
	f->conf.policy.quiet_categories = CONF_CAT_MARKETING | CONF_CAT_TRANSACTIONAL;
	send_guard_free(f->g);
	f->g = send_guard_new(&f->conf);
	store_set_gate(f->st, send_guard_gate, f->g);
	id = enqueue(f->st, UK, "transactional", utc(9, 0));  /* London is UTC in January */
	assert_int_equal(claim(f->st, utc(9, 0)), 0);
	field(f->st, id, &at, policy, sizeof(policy));
	assert_string_equal(policy, "quiet_hours");
	assert_int_equal(at, utc(10, 0));
	/* an opt-out confirmation is not held */
	struct store_new_message c = { .to = UK, .text = "Unsubscribed.", .line = LINE,
				       .purpose = "opt_out_confirmation" };
	assert_int_equal(store_enqueue(f->st, &c, utc(9, 1), &id, NULL), 0);
	assert_int_equal(claim(f->st, utc(9, 1)), id);
}

static void frequency_cap(void **state)
{
	struct fixture *f = *state;
	int64_t ids[4], at;
	char policy[32];

	grant_marketing(f->st, UK, utc(0, 0));
	for (int i = 0; i < 3; i++) {
		ids[i] = enqueue(f->st, UK, "marketing", utc(12, i));
		assert_int_equal(claim(f->st, utc(12, i)), ids[i]);
		sent(f->st, ids[i], utc(12, i));
	}
	ids[3] = enqueue(f->st, UK, "marketing", utc(15, 0));
	assert_int_equal(claim(f->st, utc(15, 0)), 0);
	field(f->st, ids[3], &at, policy, sizeof(policy));
	assert_string_equal(policy, "frequency_cap");
	assert_int_equal(at, utc(12, 0) + 24 * HOUR);       /* when the first leaves the window */
	/* transactional texts are not counted against the marketing cap */
	int64_t t = enqueue(f->st, UK, "transactional", utc(15, 1));
	assert_int_equal(claim(f->st, utc(15, 1)), t);
	assert_int_equal(claim(f->st, utc(12, 0) + 24 * HOUR), ids[3]);
}

int main(void)
{
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(marketing_needs_consent),
		T(opt_out_blocks_queued),
		T(quiet_hours_florida),
		T(quiet_hours_two_zones),
		T(operator_window),
		T(frequency_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
