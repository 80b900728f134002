/*
 * Inbound flow: what a modem hands over is committed to the store before
 * the modem may delete it; status reports update the messages they concern.
 * A PDU that does not decode is kept too, as its hex, so nothing is lost.
 */
#define _DEFAULT_SOURCE /* timegm */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "log.h"
#include "parley/phone_number.h"

static int64_t sms_time_ms(const struct sms_time *t)
{
	struct tm tm = {
		.tm_year = t->year - 1900, .tm_mon = t->month - 1, .tm_mday = t->day,
		.tm_hour = t->hour, .tm_min = t->minute, .tm_sec = t->second,
	};
	time_t utc = timegm(&tm);

	if (utc == (time_t)-1)
		return 0;
	return ((int64_t)utc - (int64_t)t->utc_offset_min * 60) * 1000;
}

/*
 * Numbers are compared in E.164, so that a customer writing from
 * "07700900123" and one sent to "+447700900123" are one person. What cannot
 * be normalised (an alphanumeric sender such as "AMAZON") is kept as
 * written: nobody can reply to it anyway.
 */
static void number_as_stored(const struct daemon *d, const char *number, char *out, size_t size)
{
	const char *why;

	if (phone_normalise(number, d->conf.policy.default_country, out, size, &why) < 0)
		snprintf(out, size, "%s", number);
}

int inbound_commit(void *ctx, const struct modem_inbound *in)
{
	struct line *l = ctx;
	struct daemon *d = l->d;
	int64_t now = daemon_now(), id = 0;
	char text[128];

	if (in->sms && in->status_report) {
		char recipient[sizeof(in->sms->addr.number)];
		int r;

		number_as_stored(d, in->sms->addr.number, recipient, sizeof(recipient));
		r = store_status_report(d->store, l->conf->line, in->sms->mr, recipient,
					    (int)in->sms->status_class, in->sms->status, now,
					    (int64_t)d->conf.report_window * 1000, &id);
		if (r == 0)
			log_info("status report for message %lld: %s (TP-ST 0x%02X)", (long long)id,
				 sms_status_class_name(in->sms->status_class), in->sms->status);
		else
			log_info("status report from %s (MR %d) matches no message sent via %s",
				 in->sms->addr.number, in->sms->mr, l->conf->name);
		/* unmatched reports are not worth keeping on the SIM either */
		if (r == 0)
			store_sync(d->store);
		return r == 0 || r == -ENOENT ? 0 : -1;
	}

	struct store_inbound_part p = { .line = l->conf->line, .pdu_hex = in->pdu_hex };
	char sender[sizeof(in->sms->addr.number)];
	if (in->sms) {
		number_as_stored(d, in->sms->addr.number, sender, sizeof(sender));
		p.sender = sender;
		p.text = in->sms->text;
		p.concat = in->sms->udh.has_concat;
		p.ref = in->sms->udh.concat_ref;
		p.total = in->sms->udh.concat_total;
		p.seq = in->sms->udh.concat_seq;
		p.sent_at = sms_time_ms(&in->sms->scts);
	} else {
		snprintf(text, sizeof(text), "[undecodable PDU: %s]", in->decode_error);
		p.sender = "unknown"; /* the hex is kept: a person or a later version can read it */
		p.text = text;
	}
	/* durable before the modem deletes it: a power cut must not lose it */
	if (store_inbound(d->store, &p, now, &id) < 0 || store_sync(d->store) < 0) {
		log_error("cannot store a message from %s: %s", p.sender, store_error(d->store));
		return -1; /* stays on the SIM; the next sweep tries again */
	}
	if (id) {
		log_info("message %lld from %s on %s", (long long)id, p.sender, l->conf->name);
		d->consent_pending = true;
	}
	return 0;
}

void inbound_call(void *ctx, const char *number)
{
	struct line *l = ctx;
	log_info("call from %s on %s%s", *number ? number : "(number withheld)", l->conf->name,
		 l->conf->hangup_calls ? ", hung up" : "");
}
