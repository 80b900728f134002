/*
 * Outbound flow: the store's due messages to the modems. Each line sends
 * one message at a time (its segments back to back, +CMMS keeping the link
 * up), within its rate per minute and daily cap. The store's claim is the
 * single place a message leaves the queue.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "log.h"
#include "parley/hex.h"
#include "parley/sms_submit.h"

#define RETRY_MAX_MS (3600 * 1000)
#define DAY_MS (86400 * 1000)

static int64_t retry_delay(const struct daemon *d, int attempts)
{
	int64_t ms = (int64_t)d->conf.retry_base * 1000;

	for (int i = 1; i < attempts && ms < RETRY_MAX_MS; i++)
		ms *= 2;
	return ms < RETRY_MAX_MS ? ms : RETRY_MAX_MS;
}

/* 0 when the store has it; 1 when it should be tried again later */
static int record(struct line *l, const struct unrecorded *u)
{
	struct daemon *d = l->d;
	int rc;

	if (u->mr >= 0) {
		rc = store_segment_sent(d->store, u->id, u->seq, u->mr, u->at);
	} else {
		rc = store_send_failed(d->store, u->id, u->temporary, u->maybe_sent, u->retry_at,
				       u->error, u->at);
		/* unknown: the customer may have it; the configuration says whether to send again */
		if (rc == 0 && u->maybe_sent)
			rc = d->conf.unknown_requeue ? store_retry(d->store, u->id, u->at)
						     : store_hold(d->store, u->id, u->at);
	}
	/* a message no longer sending (cancelled meanwhile) has nothing left to record */
	return rc == 0 || rc == -EPERM || rc == -ENOENT || rc == -EINVAL ? 0 : 1;
}

/* Records an outcome now, or keeps it for later when the store cannot take it. */
static void record_or_keep(struct line *l, const struct unrecorded *u)
{
	if (l->nunrecorded == 0 && record(l, u) == 0)
		return;
	if (l->nunrecorded == UNRECORDED_MAX) {
		/* never reached: a line with anything unrecorded sends nothing more */
		log_error("message %lld: outcome lost, the store refused it: %s", (long long)u->id,
			  store_error(l->d->store));
		return;
	}
	if (l->nunrecorded == 0)
		log_error("message %lld via %s: the store cannot record what the modem said (%s); "
			  "kept, and nothing more goes out on this line until it can",
			  (long long)u->id, l->conf->name, store_error(l->d->store));
	l->unrecorded[l->nunrecorded++] = *u;
}

/* Writes what was kept, oldest first; true when nothing is left. */
static bool record_kept(struct line *l)
{
	unsigned done = 0;

	while (done < l->nunrecorded && record(l, &l->unrecorded[done]) == 0)
		done++;
	if (done) {
		memmove(l->unrecorded, l->unrecorded + done,
			(l->nunrecorded - done) * sizeof(l->unrecorded[0]));
		l->nunrecorded -= done;
		if (!l->nunrecorded)
			log_info("%s: the store took what the modem said; sending again", l->conf->name);
	}
	return l->nunrecorded == 0;
}

static bool may_send(struct line *l, int64_t now)
{
	if (!record_kept(l))
		return false;
	if (modem_state(l->modem) != MODEM_STATE_READY || l->msg_id || now < l->next_send_at)
		return false;
	if (now / DAY_MS != l->day) {
		l->day = now / DAY_MS;
		l->sent_today = 0;
	}
	return !l->conf->daily_cap || l->sent_today < l->conf->daily_cap;
}

static void start_message(struct line *l, const struct store_message *m, int64_t now)
{
	static struct sms_pdu pdus[SMS_SEGMENTS_MAX];
	struct sms_submit_opts o = {
		.to = m->peer, .status_report = m->report, .concat_ref = (uint16_t)m->id,
	};
	char hex[2 * SMS_PDU_MAX + 1];
	const char *why = NULL;
	int n = sms_submit_encode(m->text, strlen(m->text), &o, pdus, SMS_SEGMENTS_MAX, NULL, &why);

	if (n < 0) {
		/* the text or number can never go out as it is */
		log_warning("message %lld to %s cannot be encoded: %s", (long long)m->id, m->peer, why);
		store_send_failed(l->d->store, m->id, false, false, 0, why, now);
		return;
	}
	store_set_segments(l->d->store, m->id, n);
	/* the claim is on disk before the modem has the PDU: after a power cut it reads as unknown, not queued */
	store_sync(l->d->store);
	l->msg_id = m->id;
	l->segments = n;
	l->segments_sent = 0;
	l->msg_failed = false;
	for (int i = 0; i < n; i++) {
		hex_encode(pdus[i].data, pdus[i].len, hex);
		uint64_t token = (uint64_t)m->id << 8 | (uint64_t)(i + 1);
		if (modem_send(l->modem, hex, pdus[i].tpdu_len, i + 1 < n, token, daemon_mono_ms()) < 0) {
			store_send_failed(l->d->store, m->id, true, i > 0, now + retry_delay(l->d, m->attempts),
					  "the modem refused the segment", now);
			/* earlier segments are on their way: the customer may get part of it */
			if (i > 0)
				l->d->conf.unknown_requeue ? store_retry(l->d->store, m->id, now)
							   : store_hold(l->d->store, m->id, now);
			l->msg_id = 0;
			return;
		}
	}
	log_info("message %lld to %s: %d segment%s via %s", (long long)m->id, m->peer, n,
		 n == 1 ? "" : "s", l->conf->name);
}

void outbound_run(struct daemon *d, int64_t now)
{
	for (unsigned i = 0; i < d->nlines; i++) {
		struct line *l = &d->lines[i];
		struct store_message m;

		if (!may_send(l, now))
			continue;
		memset(&m, 0, sizeof(m));
		if (store_claim(d->store, l->conf->line, now, &m) == 0) {
			start_message(l, &m, now);
			store_message_free(&m);
		}
	}
	d->next_due = store_next_due(d->store);
	/*
	 * Due but not claimable (its line is down, busy or at its cap): look
	 * again in a second rather than spin; events wake the loop sooner.
	 */
	if (d->next_due <= now) {
		int64_t soonest = now + 1000;
		for (unsigned i = 0; i < d->nlines; i++)
			if (d->lines[i].next_send_at > now && d->lines[i].next_send_at < soonest)
				soonest = d->lines[i].next_send_at; /* a rate slot opens sooner */
		d->next_due = soonest;
	}
	/* what a line could not record is tried again each second, due messages or not */
	for (unsigned i = 0; i < d->nlines; i++)
		if (d->lines[i].nunrecorded && d->next_due > now + 1000)
			d->next_due = now + 1000;
}

static struct line *line_of(struct daemon *d, int64_t id)
{
	for (unsigned i = 0; i < d->nlines; i++)
		if (d->lines[i].msg_id == id)
			return &d->lines[i];
	return NULL;
}

void outbound_sent(void *ctx, uint64_t token, const struct modem_send_result *r)
{
	struct line *self = ctx;
	struct daemon *d = self->d;
	int64_t id = (int64_t)(token >> 8), now = daemon_now();
	int seq = (int)(token & 0xFF);
	struct line *l = line_of(d, id);
	struct store_message m;

	if (!l || l->msg_failed)
		return;
	if (r->mr >= 0) {
		struct unrecorded u = { .id = id, .seq = seq, .mr = r->mr, .at = now };
		record_or_keep(l, &u);
		if (++l->segments_sent == l->segments) {
			l->msg_id = 0;
			l->sent_today++;
			l->next_send_at = now + 60000 / (l->conf->rate_per_minute ? l->conf->rate_per_minute : 1);
			d->wake = true;
		}
		return;
	}
	/* one segment failed: the message fails or retries as a whole */
	l->msg_failed = true;
	l->msg_id = 0;
	memset(&m, 0, sizeof(m));
	int attempts = store_get(d->store, id, &m) == 0 ? m.attempts : 1;
	store_message_free(&m);
	bool temporary = r->error_class == AT_ERROR_TEMPORARY;
	int64_t retry_at = temporary && attempts <= (int)d->conf.retries ? now + retry_delay(d, attempts) : 0;
	struct unrecorded u = {
		.id = id, .seq = seq, .mr = -1, .at = now, .retry_at = retry_at,
		.temporary = temporary, .maybe_sent = r->maybe_sent || seq > 1,
	};
	snprintf(u.error, sizeof(u.error), "%s", r->error ? r->error : "error");
	record_or_keep(l, &u);
	log_warning("message %lld segment %d via %s failed: %s%s", (long long)id, seq, l->conf->name,
		    r->error ? r->error : "error", r->maybe_sent ? " (it may have gone out)" : "");
	d->wake = true;
}
