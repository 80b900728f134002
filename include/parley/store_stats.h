/*
 * Figures (issue 7): per line and per agent, over a period [since, now],
 * read from the store in one snapshot. For the retained MQTT stats
 * (mqtt_stats.h) and `parley stats`.
 *
 * What each figure means, exactly. "In the period" is a message whose
 * created_at (received, or queued) lies in [since, now]; "sent" is an
 * outbound message now in state sent or delivered.
 *
 * Per line (the line a message came to or went through):
 *   in          inbound messages (received or partial) in the period.
 *   out         outbound messages in the period, sent.
 *   responses, median_first_response_ms
 *               a customer waits from the first message they write after an
 *               agent's last reply (or from their first message) until the
 *               next agent's reply in the same conversation (automated
 *               messages do not end a wait, a keyword rule's answer neither:
 *               the figure measures people, so it can differ from the
 *               conversation's waiting_since, which such an answer ends).
 *               Each wait that started in the period and was
 *               ended by a reply created at or before now is one response;
 *               its time is the reply's created_at minus the waiting
 *               message's created_at (a reply counts whatever became of it:
 *               the figure measures the agent, not the network). The median
 *               of an even count is the mean of the middle two, rounded down;
 *               -1 when there are no responses. A conversation closed without
 *               a reply is not seen by this walk (closing leaves no message):
 *               its wait runs to the next agent's reply, if any.
 *   unanswered  conversations of the line waiting for a person now
 *               (waiting_since > 0): a snapshot, not bounded by the period.
 *   customers   distinct numbers written to from the line in the period (sent).
 *   opt_outs    of those, how many sent an opt-out keyword (messages.keyword
 *               "opt-out", as the consent flow records it) to the line in the
 *               period. Repeated STOPs from one number count once; a STOP from
 *               a number not written to in the period is not counted, so that
 *               the rate stays a share.
 *   opt_out_rate  opt_outs / customers, 0..1; -1 when customers is 0.
 *
 * Per agent (messages.agent, conversations.assignee):
 *   replies     outbound messages by the agent in the period, sent.
 *   responses, median_first_response_ms
 *               the waits (as above) that the agent's reply ended.
 *   assigned    conversations assigned to the agent now, closed ones left out
 *               (closing keeps the assignee for the record).
 *   waiting     of those, how many are in state waiting_agent now.
 *
 * Which rows appear: a line with any message in the period (either way, any
 * state) that came to it, went through it or is queued for it alone (an
 * asked or sticky line), or with an unanswered conversation now; an agent
 * with any outbound message in the period (any state) or an assigned
 * conversation now. Both sorted by name (bytewise).
 */
#ifndef PARLEY_STORE_STATS_H
#define PARLEY_STORE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "parley/store.h"

/* Bounds: lines and agents past them are left out and counted (*_omitted). */
#define STORE_STATS_LINES_MAX 16
#define STORE_STATS_AGENTS_MAX 256
/* The longest line name kept, in bytes; longer names are left out (counted in lines_omitted). */
#define STORE_STATS_LINE_MAX 63

struct store_stats_line {
	char line[STORE_STATS_LINE_MAX + 1];
	int64_t in, out;
	int64_t responses;
	int64_t median_first_response_ms;   /* -1: no responses */
	int64_t unanswered;
	int64_t customers, opt_outs;
	double opt_out_rate;                /* -1: no customers */
};

struct store_stats_agent {
	char agent[STORE_AGENT_MAX + 1];
	int64_t replies;
	int64_t responses;
	int64_t median_first_response_ms;   /* -1: no responses */
	int64_t assigned, waiting;
};

/* About 25 KiB: the caller's storage, zeroed by store_stats. */
struct store_stats {
	size_t nlines, lines_omitted;
	struct store_stats_line lines[STORE_STATS_LINES_MAX];
	size_t nagents, agents_omitted;
	struct store_stats_agent agents[STORE_STATS_AGENTS_MAX];
};

/*
 * Fills out with the figures of the period [since, now] (ms since the
 * epoch), read in one read transaction, so the figures agree with each
 * other even while the daemon writes.
 * Returns 0; -EINVAL (st or out NULL, since negative or after now: the
 * store's error says which), -ENOMEM, -EIO (SQLite failed, including the
 * database staying locked). On error out is zeroed.
 */
int store_stats(struct store *st, int64_t since, int64_t now, struct store_stats *out);

#endif
