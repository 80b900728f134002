/*
 * Whether a number may be sent a message, from its consent ledger: pure
 * reading of records, oldest first, with no I/O (the store keeps the
 * records; store_consent.h).
 *
 * Each record grants or revokes consent for a scope (one line, a named
 * group of lines, or all) and a category ("all" or one outbound category).
 * A record counts for a message when its scope covers the message's line
 * and its category is "all" or the message's. The newest record that
 * counts wins:
 *   - transactional and conversational messages are allowed unless it is
 *     a revocation (no record at all: allowed);
 *   - marketing needs it to be a grant: no record means no consent.
 * A message not yet tied to a line (line NULL) is judged the careful way:
 * revocations of any line or group count, grants of one line or group do
 * not.
 */
#ifndef PARLEY_CONSENT_H
#define PARLEY_CONSENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/policy_codes.h"

struct consent_record {
	int64_t id;
	const char *action;       /* "grant" | "revoke" */
	const char *scope;        /* "line" | "group" | "all" */
	const char *scope_name;   /* the line's number or the group's name */
	const char *category;     /* "all", "transactional", "conversational", "marketing" */
};

struct consent_query {
	const char *category;     /* the message's: "transactional", "conversational", "marketing" */
	const char *line;         /* the line it leaves from, NULL not yet known */
	const char *group;        /* that line's group, NULL none */
};

struct consent_verdict {
	bool allowed;
	enum policy_code code;    /* POLICY_OK, POLICY_OPTED_OUT, POLICY_NO_CONSENT */
	int64_t record_id;        /* the record that decided, 0 when none did */
};

/* Judges q against records (oldest first; n may be 0). */
void consent_decide(const struct consent_record *records, size_t n,
		    const struct consent_query *q, struct consent_verdict *v);

/* Whether record r counts for q (its scope and category cover the message). */
bool consent_record_applies(const struct consent_record *r, const struct consent_query *q);

#endif
