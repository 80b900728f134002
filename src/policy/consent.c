/*
 * Reading a number's consent ledger for one message (include/parley/consent.h).
 * Also the names of policy's refusal codes, which every policy shares.
 */
#include <string.h>

#include "parley/consent.h"

const char *policy_code_name(enum policy_code code)
{
	switch (code) {
	case POLICY_OK: return "ok";
	case POLICY_OPTED_OUT: return "opted_out";
	case POLICY_NO_CONSENT: return "no_consent";
	case POLICY_INVALID_NUMBER: return "invalid_number";
	case POLICY_QUIET_HOURS: return "quiet_hours";
	case POLICY_FREQUENCY_CAP: return "frequency_cap";
	case POLICY_UNDECIDED: return "undecided";
	}
	return "unknown";
}

static bool same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/*
 * Scope: with the line (or its group) unknown, a revocation anywhere must
 * count, a grant somewhere must not: both err towards not sending.
 */
static bool scope_covers(const struct consent_record *r, const struct consent_query *q,
			 bool revoke)
{
	if (same(r->scope, "all"))
		return true;
	if (same(r->scope, "line"))
		return q->line ? same(r->scope_name, q->line) : revoke;
	if (same(r->scope, "group"))
		return q->line ? same(r->scope_name, q->group) : revoke;
	return revoke; /* a scope this build does not know: read as widely as possible */
}

bool consent_record_applies(const struct consent_record *r, const struct consent_query *q)
{
	bool revoke = same(r->action, "revoke");

	if (!revoke && !same(r->action, "grant"))
		return false;
	if (!same(r->category, "all") && !same(r->category, q->category))
		return false;
	return scope_covers(r, q, revoke);
}

void consent_decide(const struct consent_record *records, size_t n,
		    const struct consent_query *q, struct consent_verdict *v)
{
	const struct consent_record *last = NULL;
	bool marketing = same(q->category, "marketing");

	for (size_t i = 0; i < n; i++)
		if (consent_record_applies(&records[i], q))
			last = &records[i];
	v->record_id = last ? last->id : 0;
	if (last && same(last->action, "revoke")) {
		v->allowed = false;
		v->code = POLICY_OPTED_OUT;
	} else if (marketing && !last) {
		v->allowed = false;
		v->code = POLICY_NO_CONSENT;
	} else {
		v->allowed = true;
		v->code = POLICY_OK;
	}
}
