/*
 * The consent flow: reads every inbound message for keywords once it is
 * stored, and does what the keyword asks in one store transaction with
 * marking the message read (store_inbound_settle): a revocation or a
 * consent in the ledger, and the one reply. A crash between storing a STOP
 * and acting on it loses nothing: the message stays pending and is read at
 * the next start.
 *
 *   STOP (and strict-mode suspected)  revoke, confirm once per period
 *   START                             grant, confirm once per period
 *   HELP                              the help text (not twice a minute)
 *   suspected opt-out                 marked for an agent, nothing sent
 * Replies go from the line the customer wrote to, first in its queue, and
 * pass the block they answer (an opt-out confirms even to a number that
 * was never subscribed).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "parley/keyword_rules.h"
#include "parley/keywords.h"
#include "parley/send_guard.h"
#include "parley/store_consent.h"

#define PENDING_BATCH 32
#define REPLY_PRIORITY 1000
#define HELP_PERIOD_MS 60000  /* an autoresponder answering our HELP text must not loop */

int consent_flow_setup(struct daemon *d)
{
	struct keywords *kw = keywords_new();

	if (!kw)
		return -ENOMEM;
	for (size_t i = 0; i < d->conf.policy.nkeywords; i++) {
		const struct conf_keyword *k = &d->conf.policy.keywords[i];
		int rc = keywords_add(kw, (enum keyword_kind)k->kind, k->word);

		if (rc < 0) { /* the config loader tried the same words: only ENOMEM is left */
			keywords_free(kw);
			return rc;
		}
	}
	keywords_free(d->keywords);
	d->keywords = kw;
	return 0;
}

void consent_flow_teardown(struct daemon *d)
{
	keywords_free(d->keywords);
	d->keywords = NULL;
}

/* The scope an opt-out or opt-in on line takes, by config. */
static void record_scope(const struct daemon *d, const char *line, struct store_consent_record *r)
{
	const struct conf_policy *p = &d->conf.policy;
	const char *group = send_guard_line_group(&d->conf, line);

	r->scope = "all";
	r->scope_name = "";
	if (p->revoke_all || p->optout_scope == CONF_SCOPE_ALL || !line)
		return;
	if (p->optout_scope == CONF_SCOPE_GROUP && group) {
		r->scope = "group";
		r->scope_name = group;
	} else {
		/* a line in no group stands for its own group */
		r->scope = "line";
		r->scope_name = line;
	}
}

/* Whether a reply of purpose went to peer within period_ms: once is enough. */
static bool replied_lately(struct daemon *d, const char *peer, const char *purpose,
			   int64_t period_ms, int64_t now)
{
	int64_t at = 0;

	if (store_purpose_last(d->store, peer, purpose, &at) < 0)
		return false; /* a confirmation too many beats none */
	return at > 0 && now - at < period_ms;
}

struct settle_plan {
	const char *keyword;
	struct store_consent_record record;
	bool has_record;
	struct store_new_message reply;
	bool has_reply;
};

static void plan_reply(struct daemon *d, const struct store_message *m, const char *purpose,
		       const char *text, int64_t period_ms, int64_t now, struct settle_plan *p)
{
	if (!text[0] || replied_lately(d, m->peer, purpose, period_ms, now))
		return;
	p->reply = (struct store_new_message){
		.to = m->peer, .text = text, .line = m->line, .priority = REPLY_PRIORITY,
		.purpose = purpose,
	};
	p->has_reply = true;
}

static void plan(struct daemon *d, const struct store_message *m, enum keyword_kind kind,
		 int64_t now, struct settle_plan *p)
{
	const struct conf_policy *pol = &d->conf.policy;
	int64_t period = (int64_t)pol->confirm_period * 1000;

	memset(p, 0, sizeof(*p));
	if (kind == KEYWORD_SUSPECTED_OPT_OUT && pol->strict)
		kind = KEYWORD_OPT_OUT;
	p->keyword = kind == KEYWORD_NONE ? NULL : keyword_kind_name(kind);
	p->record = (struct store_consent_record){
		.number = m->peer, .category = "all", .method = "keyword", .disclosure = m->text,
		.recorded_by = "parleyd", .at = now,
	};
	switch (kind) {
	case KEYWORD_OPT_OUT:
		p->record.action = "revoke";
		if (pol->stop_marketing_only && !pol->revoke_all)
			p->record.category = "marketing";
		record_scope(d, m->line, &p->record);
		p->has_record = true;
		plan_reply(d, m, "opt_out_confirmation", pol->optout_reply, period, now, p);
		break;
	case KEYWORD_OPT_IN:
		p->record.action = "grant";
		record_scope(d, m->line, &p->record);
		p->has_record = true;
		plan_reply(d, m, "opt_in_confirmation", pol->optin_reply, period, now, p);
		break;
	case KEYWORD_HELP:
		plan_reply(d, m, "help", pol->help_reply, HELP_PERIOD_MS, now, p);
		break;
	case KEYWORD_SUSPECTED_OPT_OUT:
	case KEYWORD_NONE:
		break;
	}
}

/*
 * A rule's automatic reply, queued before the message is marked read: a
 * crash in between reads the message again, and the key (the rule and the
 * message) makes the second queueing a no-op. An ordinary conversational
 * message: it passes the consent checks like any other. It answers the
 * message, so in the same transaction its conversation stops waiting for an
 * agent (no unanswered alert) unless an earlier message of the customer's
 * is still unanswered. A rule with only an event answers nothing: a person
 * still has to.
 */
static int rule_reply(struct daemon *d, const struct store_message *m,
		      const struct keyword_rule *rule, int64_t now)
{
	char key[80];
	bool existing = false;
	int rc;

	snprintf(key, sizeof(key), "rule:%s:%lld", rule->name, (long long)m->id);
	struct store_new_message r = {
		.to = m->peer, .text = rule->reply, .line = m->line, .category = "conversational",
		.key = key, .priority = 5, .answers = m->id,
	};
	rc = store_enqueue(d->store, &r, now, NULL, &existing);
	if (rc == -EACCES) {
		log_info("rule %s: no reply to %s: %s", rule->name, m->peer, store_error(d->store));
		return 0;
	}
	if (rc < 0) {
		log_error("rule %s: cannot queue the reply to %s: %s", rule->name, m->peer,
			  store_error(d->store));
		return rc;
	}
	d->wake = true;
	return 0;
}

static int settle_one(void *ctx, const struct store_message *m)
{
	struct daemon *d = ctx;
	struct keyword_match match = { 0 };
	enum keyword_kind kind = KEYWORD_NONE;
	struct settle_plan p;
	int64_t now = daemon_now(), reply = 0;
	int rc;

	const struct keyword_rule *rule = NULL;
	char rule_keyword[48];

	/* a partial message is judged on what arrived; an opt-out in it still counts */
	if (m->text && m->peer && m->line)
		kind = keywords_classify(d->keywords, m->text, &match);
	plan(d, m, kind, now, &p);
	/* the operator's rules only see what is no consent keyword: STOP always wins */
	if (kind == KEYWORD_NONE && m->text && m->peer && m->line &&
	    (rule = keyword_rules_match(d->conf.rules, d->conf.nrules, m->text))) {
		snprintf(rule_keyword, sizeof(rule_keyword), "rule:%s", rule->name);
		p.keyword = rule_keyword;
		if (rule->reply[0] && rule_reply(d, m, rule, now) < 0) {
			d->consent_retry = true;
			return 1;
		}
	}
	rc = store_inbound_settle(d->store, m->id, p.keyword, p.has_record ? &p.record : NULL,
				  p.has_reply ? &p.reply : NULL, now, &reply);
	if (rc < 0 && rc != -EALREADY) {
		log_error("message %lld from %s: cannot act on it (%s); trying again later",
			  (long long)m->id, m->peer, store_error(d->store));
		d->consent_retry = true;
		return 1;
	}
	/* a person should answer it: say so when nobody can (a rule's reply has answered) */
	if ((kind == KEYWORD_NONE || kind == KEYWORD_SUSPECTED_OPT_OUT) && rc == 0 &&
	    !(rule && rule->reply[0]))
		attention_customer_wrote(d, m);
	if (rule)
		log_info("message %lld from %s on %s: rule %s%s%s", (long long)m->id, m->peer,
			 m->line, rule->name, rule->reply[0] ? ", reply queued" : "",
			 rule->event ? ", event for the consoles" : "");
	if (kind == KEYWORD_NONE)
		return 0;
	if (kind == KEYWORD_SUSPECTED_OPT_OUT && !d->conf.policy.strict)
		log_warning("message %lld from %s reads like a request to stop (\"%s\"): "
			    "an agent should confirm it", (long long)m->id, m->peer, match.keyword);
	else
		log_info("message %lld from %s on %s: %s (%s)%s%s", (long long)m->id, m->peer, m->line,
			 keyword_kind_name(kind), match.keyword,
			 p.has_record ? (strcmp(p.record.action, "revoke") ? ", consent recorded"
								   : ", consent revoked")
				      : "",
			 p.has_reply ? ", reply queued" : "");
	if (reply)
		d->wake = true;
	return 0;
}

void consent_flow_run(struct daemon *d)
{
	int n;

	d->consent_retry = false;
	do {
		n = store_inbound_pending(d->store, PENDING_BATCH, settle_one, d);
	} while (n == PENDING_BATCH && !d->consent_retry);
	if (n < 0)
		log_error("cannot read new messages for keywords: %s", store_error(d->store));
	else if (n > 0 && !d->consent_retry)
		store_sync(d->store);
}
