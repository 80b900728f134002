/* Consent decisions over ledger records: scopes, categories, order, the careful unknown line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parley/consent.h"

#define LA "+447700900001"
#define LB "+447700900002"

#define REC(i, a, s, n, c) { .id = (i), .action = (a), .scope = (s), .scope_name = (n), .category = (c) }

static enum policy_code judge(const struct consent_record *r, size_t n, const char *category,
			      const char *line, const char *group, int64_t *decider)
{
	struct consent_query q = { .category = category, .line = line, .group = group };
	struct consent_verdict v;

	memset(&v, 0xA5, sizeof(v));
	consent_decide(r, n, &q, &v);
	assert_true(v.allowed == (v.code == POLICY_OK));
	if (decider)
		*decider = v.record_id;
	return v.code;
}

static void no_records(void **state)
{
	(void)state;
	assert_int_equal(judge(NULL, 0, "transactional", LA, NULL, NULL), POLICY_OK);
	assert_int_equal(judge(NULL, 0, "conversational", NULL, NULL, NULL), POLICY_OK);
	/* marketing needs a recorded consent */
	assert_int_equal(judge(NULL, 0, "marketing", LA, NULL, NULL), POLICY_NO_CONSENT);
}

static void newest_record_wins(void **state)
{
	const struct consent_record r[] = {
		REC(1, "grant", "all", "", "marketing"),
		REC(2, "revoke", "all", "", "all"),
		REC(3, "grant", "all", "", "all"),
	};
	int64_t id;

	(void)state;
	assert_int_equal(judge(r, 1, "marketing", LA, NULL, &id), POLICY_OK);
	assert_int_equal(id, 1);
	assert_int_equal(judge(r, 2, "marketing", LA, NULL, &id), POLICY_OPTED_OUT);
	assert_int_equal(id, 2);
	assert_int_equal(judge(r, 2, "transactional", LA, NULL, NULL), POLICY_OPTED_OUT);
	assert_int_equal(judge(r, 3, "marketing", LA, NULL, &id), POLICY_OK);
	assert_int_equal(id, 3);
}

static void line_scope(void **state)
{
	const struct consent_record r[] = { REC(7, "revoke", "line", LA, "all") };

	(void)state;
	assert_int_equal(judge(r, 1, "transactional", LA, NULL, NULL), POLICY_OPTED_OUT);
	assert_int_equal(judge(r, 1, "transactional", LB, NULL, NULL), POLICY_OK);
	/* not yet tied to a line: a revocation on any line counts */
	assert_int_equal(judge(r, 1, "transactional", NULL, NULL, NULL), POLICY_OPTED_OUT);
}

static void group_scope(void **state)
{
	const struct consent_record r[] = {
		REC(1, "grant", "group", "shop", "marketing"),
		REC(2, "revoke", "group", "support", "all"),
	};

	(void)state;
	assert_int_equal(judge(r, 2, "marketing", LA, "shop", NULL), POLICY_OK);
	assert_int_equal(judge(r, 2, "transactional", LB, "support", NULL), POLICY_OPTED_OUT);
	assert_int_equal(judge(r, 2, "marketing", LB, "support", NULL), POLICY_OPTED_OUT);
	/* a line outside both groups: no consent, no revocation */
	assert_int_equal(judge(r, 2, "marketing", LB, NULL, NULL), POLICY_NO_CONSENT);
	assert_int_equal(judge(r, 2, "transactional", LB, NULL, NULL), POLICY_OK);
	/* line unknown: the group's grant does not count, the revocation does */
	assert_int_equal(judge(r, 1, "marketing", NULL, NULL, NULL), POLICY_NO_CONSENT);
	assert_int_equal(judge(r, 2, "transactional", NULL, NULL, NULL), POLICY_OPTED_OUT);
}

static void marketing_only_stop(void **state)
{
	const struct consent_record r[] = {
		REC(1, "grant", "all", "", "marketing"),
		REC(2, "revoke", "all", "", "marketing"),
	};

	(void)state;
	assert_int_equal(judge(r, 2, "marketing", LA, NULL, NULL), POLICY_OPTED_OUT);
	assert_int_equal(judge(r, 2, "transactional", LA, NULL, NULL), POLICY_OK);
	assert_int_equal(judge(r, 2, "conversational", LA, NULL, NULL), POLICY_OK);
}

static void start_after_line_stop(void **state)
{
	const struct consent_record r[] = {
		REC(1, "grant", "all", "", "marketing"),
		REC(2, "revoke", "line", LA, "all"),
		REC(3, "grant", "line", LA, "all"),
	};

	(void)state;
	assert_int_equal(judge(r, 2, "marketing", LA, NULL, NULL), POLICY_OPTED_OUT);
	assert_int_equal(judge(r, 2, "marketing", LB, NULL, NULL), POLICY_OK);
	assert_int_equal(judge(r, 3, "marketing", LA, NULL, NULL), POLICY_OK);
}

static void unknown_words(void **state)
{
	const struct consent_record r[] = {
		REC(1, "maybe", "all", "", "all"),        /* an action this build does not know */
		REC(2, "revoke", "planet", "x", "all"),   /* a scope it does not know: the widest */
	};

	(void)state;
	assert_int_equal(judge(r, 1, "transactional", LA, NULL, NULL), POLICY_OK);
	assert_int_equal(judge(r, 2, "transactional", LA, NULL, NULL), POLICY_OPTED_OUT);
	assert_string_equal(policy_code_name(POLICY_OPTED_OUT), "opted_out");
	assert_string_equal(policy_code_name(POLICY_QUIET_HOURS), "quiet_hours");
	assert_string_equal(policy_code_name((enum policy_code)1), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_records),
		cmocka_unit_test(newest_record_wins),
		cmocka_unit_test(line_scope),
		cmocka_unit_test(group_scope),
		cmocka_unit_test(marketing_only_stop),
		cmocka_unit_test(start_after_line_stop),
		cmocka_unit_test(unknown_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
