/*
 * Simulated customers and the service centre's reports.
 *
 * Inbound texts are split and encoded by the codec (sms_deliver_encode),
 * one SMS-DELIVER per segment with a shared concatenation reference
 * (TS 23.040 9.2.3.24.1), and handed to route.c in the order asked for, so
 * tests can deliver segments out of order. Status reports are
 * SMS-STATUS-REPORTs (9.2.2.3) built by sms_status_report_encode.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "customers.h"
#include "json_args.h"
#include "parley/hex.h"
#include "parley/sms_deliver.h"
#include "sim.h"

#define REPLY_DELAY_MS 500

struct reply_rule {
	unsigned id;
	long nth;              /* 0: any message */
	char *to;              /* NULL: any destination */
	char *contains;        /* NULL: any text */
	char *reply;
	char *from;            /* NULL: the number the message went to */
	unsigned delay_ms;
	bool once;
	bool fired;
	enum sms_encoding_choice encoding;
	struct reply_rule *next;
};

/* One inbound text as the simulator will deliver it. */
struct inbound_text {
	const char *from;
	const char *text;
	const char *smsc;
	enum sms_encoding_choice encoding;
	struct sms_time scts;
	bool flash;
	bool concat16;
	long ref;              /* -1: the next of the simulator's own */
	unsigned delay_ms;
	unsigned gap_ms;
	unsigned order[SMS_SEGMENTS_MAX];
	unsigned norder;
};

struct delivery {
	unsigned tpdu_len;
	int msg_class;
	char hex[];
};

void customers_init(struct customers *c, uint16_t first_ref)
{
	memset(c, 0, sizeof(*c));
	c->next_rule_id = 1;
	c->next_ref = first_ref;
}

static void rule_free(struct reply_rule *r)
{
	free(r->to);
	free(r->contains);
	free(r->reply);
	free(r->from);
	free(r);
}

static void rules_clear(struct customers *c)
{
	struct reply_rule *r;

	while ((r = c->rules)) {
		c->rules = r->next;
		rule_free(r);
	}
}

void customers_fini(struct customers *c)
{
	rules_clear(c);
}

void customers_now(struct sms_time *t)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	memset(t, 0, sizeof(*t));
	t->year = (uint16_t)(tm.tm_year + 1900);
	if (t->year < 2000 || t->year > 2099)
		t->year = 2000 + (uint16_t)(t->year % 100);
	t->month = (uint8_t)(tm.tm_mon + 1);
	t->day = (uint8_t)tm.tm_mday;
	t->hour = (uint8_t)tm.tm_hour;
	t->minute = (uint8_t)tm.tm_min;
	t->second = (uint8_t)tm.tm_sec;
}

/* "2024-05-01T12:00:00+02:00" (or Z, or no zone: UTC) */
static int scts_parse(const char *s, struct sms_time *t)
{
	unsigned y, mo, d, h, mi, se, oh = 0, om = 0;
	int used = 0;
	char sign;

	if (sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &se, &used) != 6)
		return -EINVAL;
	s += used;
	sign = *s;
	if (sign == '+' || sign == '-') {
		if (sscanf(s + 1, "%2u:%2u%n", &oh, &om, &used) != 2 || s[1 + used] != '\0')
			return -EINVAL;
	} else if (!(sign == '\0' || (sign == 'Z' && s[1] == '\0'))) {
		return -EINVAL;
	}
	if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 59 || oh > 15 || om % 15 || om > 45)
		return -EINVAL;
	*t = (struct sms_time){
		.year = (uint16_t)y, .month = (uint8_t)mo, .day = (uint8_t)d, .hour = (uint8_t)h,
		.minute = (uint8_t)mi, .second = (uint8_t)se,
		.utc_offset_min = (int16_t)((sign == '-' ? -1 : 1) * (int)(oh * 60 + om)),
	};
	return 0;
}

static void delivery_job(void *ctx, void *arg)
{
	struct delivery *d = arg;

	route_deliver(ctx, d->hex, d->tpdu_len, false, d->msg_class);
}

static int delivery_add(struct sim *sim, const struct sms_pdu *pdu, int msg_class,
			uint64_t due, cJSON *pdus)
{
	struct delivery *d = malloc(sizeof(*d) + 2 * (size_t)pdu->len + 1);

	if (!d)
		return -ENOMEM;
	hex_encode(pdu->data, pdu->len, d->hex);
	d->tpdu_len = pdu->tpdu_len;
	d->msg_class = msg_class;
	cJSON_AddItemToArray(pdus, cJSON_CreateString(d->hex));
	if (due <= clock_now_ns()) {
		route_deliver(sim, d->hex, d->tpdu_len, false, d->msg_class);
		free(d);
		return 0;
	}
	return sched_add(&sim->sched, due, SCHED_TAG_NETWORK, delivery_job, d, free);
}

static void log_inject(struct sim *sim, const struct inbound_text *in, int n, uint16_t ref)
{
	cJSON *ev = simlog_event(&sim->log, "inject"), *order;

	cJSON_AddStringToObject(ev, "from", in->from);
	cJSON_AddStringToObject(ev, "text", in->text);
	cJSON_AddNumberToObject(ev, "segments", n);
	cJSON_AddNumberToObject(ev, "ref", ref);
	order = cJSON_AddArrayToObject(ev, "order");
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(order, cJSON_CreateNumber(in->norder ? (double)in->order[i] : (double)(i + 1)));
	simlog_commit(&sim->log, ev);
}

/* Encodes and delivers a text; fills reply's "segments", "ref" and "pdus". */
static int text_deliver(struct sim *sim, const struct inbound_text *in, cJSON *reply,
			const char **err)
{
	struct sms_pdu *pdus = calloc(SMS_SEGMENTS_MAX, sizeof(*pdus));
	struct customers *c = &sim->cust;
	uint16_t ref = in->ref >= 0 ? (uint16_t)in->ref : c->next_ref++;
	struct sms_deliver_opts o = {
		.from = in->from,
		.smsc = in->smsc ? in->smsc : sim->modem.csca,
		.scts = in->scts,
		.flash = in->flash,
		.encoding = in->encoding,
		.concat_ref = in->concat16 ? ref : (uint16_t)(ref & 0xFF),
		.concat16 = in->concat16,
	};
	uint64_t due = clock_after_ms(clock_now_ns(), in->delay_ms);
	cJSON *list = cJSON_CreateArray();
	int n, rc = 0;

	if (!pdus || !list) {
		free(pdus);
		cJSON_Delete(list);
		*err = "out of memory";
		return -ENOMEM;
	}
	n = sms_deliver_encode(in->text, strlen(in->text), &o, pdus, SMS_SEGMENTS_MAX, NULL, err);
	if (n > 0 && in->norder && in->norder != (unsigned)n) {
		*err = "\"segments_order\" must list each segment once";
		n = -EINVAL;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		unsigned seg = in->norder ? in->order[i] : (unsigned)i + 1;

		rc = delivery_add(sim, &pdus[seg - 1], in->flash ? 0 : -1,
				  due + (uint64_t)i * in->gap_ms * NS_PER_MS, list);
	}
	if (n > 0) {
		log_inject(sim, in, n, o.concat_ref);
		cJSON_AddNumberToObject(reply, "segments", n);
		cJSON_AddNumberToObject(reply, "ref", o.concat_ref);
	}
	cJSON_AddItemToObject(reply, "pdus", list);
	free(pdus);
	if (n < 0)
		return -EINVAL;
	return rc;
}

static int encoding_parse(const char *name, enum sms_encoding_choice *e)
{
	if (!strcmp(name, "auto") || !strcmp(name, "gsm7"))
		*e = SMS_ENCODING_AUTO;
	else if (!strcmp(name, "ucs2"))
		*e = SMS_ENCODING_UCS2;
	else if (!strcmp(name, "8bit"))
		*e = SMS_ENCODING_8BIT;
	else
		return -EINVAL;
	return 0;
}

static int order_parse(const cJSON *req, struct inbound_text *in, const char **err)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(req, "segments_order"), *v;
	bool seen[SMS_SEGMENTS_MAX + 1] = { false };
	unsigned n;

	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr) || (n = (unsigned)cJSON_GetArraySize(arr)) == 0 ||
	    n > SMS_SEGMENTS_MAX) {
		*err = "\"segments_order\" must be a list of segment numbers";
		return -EINVAL;
	}
	cJSON_ArrayForEach(v, arr) {
		double d = cJSON_IsNumber(v) ? v->valuedouble : 0;

		if (d < 1 || d > n || d != (double)(unsigned)d || seen[(unsigned)d]) {
			*err = "\"segments_order\" must list each segment 1..N once";
			return -EINVAL;
		}
		seen[(unsigned)d] = true;
		in->order[in->norder++] = (unsigned)d;
	}
	return 0;
}

static int inject_parse(const cJSON *req, struct inbound_text *in, const char **err)
{
	const char *enc = "auto", *scts = NULL;
	unsigned long delay = 0, gap = 0;

	memset(in, 0, sizeof(*in));
	in->ref = -1;
	if (jarg_str(req, "from", true, &in->from, err) || jarg_str(req, "text", true, &in->text, err) ||
	    jarg_str(req, "smsc", false, &in->smsc, err) || jarg_str(req, "encoding", false, &enc, err) ||
	    jarg_str(req, "scts", false, &scts, err) || jarg_bool(req, "flash", &in->flash, err) ||
	    jarg_bool(req, "concat16", &in->concat16, err) ||
	    jarg_int(req, "ref", false, 0, 65535, &in->ref, err) ||
	    jarg_uint(req, "delay_ms", false, 86400000, &delay, err) ||
	    jarg_uint(req, "gap_ms", false, 86400000, &gap, err) || order_parse(req, in, err))
		return -EINVAL;
	if (encoding_parse(enc, &in->encoding) < 0) {
		*err = "\"encoding\" must be auto, ucs2 or 8bit";
		return -EINVAL;
	}
	if (scts && scts_parse(scts, &in->scts) < 0) {
		*err = "\"scts\" must look like 2024-05-01T12:00:00+02:00 (2000-2099)";
		return -EINVAL;
	}
	if (!scts)
		customers_now(&in->scts);
	in->delay_ms = (unsigned)delay;
	in->gap_ms = (unsigned)gap;
	return 0;
}

int customers_inject(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	struct inbound_text *in = malloc(sizeof(*in));
	int rc;

	if (!in) {
		*err = "out of memory";
		return -ENOMEM;
	}
	rc = inject_parse(req, in, err);
	if (rc == 0)
		rc = text_deliver(sim, in, reply, err);
	free(in);
	return rc;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int customers_rule_add(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	const char *to = NULL, *contains = NULL, *text = NULL, *from = NULL, *enc = "auto";
	unsigned long delay = REPLY_DELAY_MS;
	struct reply_rule *r, **pp;
	bool clear = false, once = true;
	long nth = 0;

	if (jarg_bool(req, "clear", &clear, err))
		return -EINVAL;
	if (clear) {
		rules_clear(&sim->cust);
		return 0;
	}
	if (jarg_int(req, "nth", false, 1, 1000000, &nth, err) ||
	    jarg_str(req, "to", false, &to, err) || jarg_str(req, "contains", false, &contains, err) ||
	    jarg_str(req, "reply", true, &text, err) || jarg_str(req, "from", false, &from, err) ||
	    jarg_str(req, "encoding", false, &enc, err) ||
	    jarg_uint(req, "delay_ms", false, 86400000, &delay, err) || jarg_bool(req, "once", &once, err))
		return -EINVAL;
	if (!(r = calloc(1, sizeof(*r)))) {
		*err = "out of memory";
		return -ENOMEM;
	}
	if (encoding_parse(enc, &r->encoding) < 0) {
		free(r);
		*err = "\"encoding\" must be auto, ucs2 or 8bit";
		return -EINVAL;
	}
	r->id = sim->cust.next_rule_id++;
	r->nth = nth;
	r->to = dup_or_null(to);
	r->contains = dup_or_null(contains);
	r->reply = strdup(text);
	r->from = dup_or_null(from);
	r->delay_ms = (unsigned)delay;
	r->once = once;
	for (pp = &sim->cust.rules; *pp; pp = &(*pp)->next)
		;
	*pp = r;
	cJSON_AddNumberToObject(reply, "id", r->id);
	return 0;
}

/* Case-insensitive (ASCII) substring test. */
static bool text_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		size_t i = 0;

		while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return n == 0;
}

static bool rule_matches(const struct reply_rule *r, const struct sent_msg *m)
{
	if (!r->reply || (r->once && r->fired))
		return false;
	if (r->nth && (unsigned long)r->nth != m->n)
		return false;
	if (r->to && strcmp(r->to, m->to) != 0)
		return false;
	return !r->contains || (m->text && text_contains(m->text, r->contains));
}

struct pending_reply {
	char *from;
	char *text;
	enum sms_encoding_choice encoding;
	unsigned rule;
};

static void pending_free(void *p)
{
	struct pending_reply *pr = p;

	free(pr->from);
	free(pr->text);
	free(pr);
}

static void reply_job(void *ctx, void *arg)
{
	struct sim *sim = ctx;
	struct pending_reply *pr = arg;
	struct inbound_text *in = calloc(1, sizeof(*in));
	cJSON *scratch = cJSON_CreateObject();
	const char *err = NULL;
	cJSON *ev;

	if (in && scratch) {
		in->from = pr->from;
		in->text = pr->text;
		in->encoding = pr->encoding;
		in->ref = -1;
		customers_now(&in->scts);
		ev = simlog_event(&sim->log, "reply");
		cJSON_AddNumberToObject(ev, "rule", pr->rule);
		cJSON_AddStringToObject(ev, "from", pr->from);
		cJSON_AddStringToObject(ev, "text", pr->text);
		simlog_commit(&sim->log, ev);
		if (text_deliver(sim, in, scratch, &err) < 0)
			simlog_str(&sim->log, "reply_failed", "error", err ? err : "?");
	}
	free(in);
	cJSON_Delete(scratch);
}

static void rules_fire(struct sim *sim, const struct sent_msg *m)
{
	struct pending_reply *pr;

	for (struct reply_rule *r = sim->cust.rules; r; r = r->next) {
		if (!rule_matches(r, m))
			continue;
		r->fired = true;
		pr = calloc(1, sizeof(*pr));
		if (!pr)
			return;
		pr->from = strdup(r->from ? r->from : m->to);
		pr->text = strdup(r->reply);
		pr->encoding = r->encoding;
		pr->rule = r->id;
		if (!pr->from || !pr->text) {
			pending_free(pr);
			return;
		}
		sched_add(&sim->sched, clock_after_ms(clock_now_ns(), r->delay_ms), SCHED_TAG_NETWORK,
			  reply_job, pr, pending_free);
	}
}

struct report_job {
	uint8_t mr;
	uint8_t status;
	char to[SMS_ADDR_MAX];
	struct sms_time scts;
};

static void report_job_run(void *ctx, void *arg)
{
	struct sim *sim = ctx;
	struct report_job *j = arg;
	struct sms_status_report_opts o = {
		.smsc = sim->modem.csca, .mr = j->mr, .recipient = j->to, .scts = j->scts,
		.status = j->status,
	};
	char hex[2 * SMS_PDU_MAX + 1];
	const char *reason = NULL;
	struct sms_pdu pdu;
	cJSON *ev;

	customers_now(&o.discharge);
	if (sms_status_report_encode(&o, &pdu, &reason) < 0) {
		simlog_str(&sim->log, "status_report_failed", "error", reason ? reason : "?");
		return;
	}
	hex_encode(pdu.data, pdu.len, hex);
	ev = simlog_event(&sim->log, "status_report");
	cJSON_AddNumberToObject(ev, "mr", j->mr);
	cJSON_AddNumberToObject(ev, "status", j->status);
	cJSON_AddStringToObject(ev, "to", j->to);
	cJSON_AddStringToObject(ev, "pdu", hex);
	simlog_commit(&sim->log, ev);
	route_deliver(sim, hex, pdu.tpdu_len, true, -1);
}

static int report_schedule(struct sim *sim, uint8_t mr, const char *to, const struct sms_time *scts,
			   uint8_t status, unsigned delay_ms)
{
	struct report_job *j = calloc(1, sizeof(*j));

	if (!j)
		return -ENOMEM;
	j->mr = mr;
	j->status = status;
	snprintf(j->to, sizeof(j->to), "%s", to);
	j->scts = *scts;
	return sched_add(&sim->sched, clock_after_ms(clock_now_ns(), delay_ms), SCHED_TAG_NETWORK,
			 report_job_run, j, free);
}

int customers_report(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	unsigned long mr = 0, status = 0, delay = 0;
	const struct sent_msg *m = NULL;
	const char *to = NULL;
	struct sms_time scts;

	if (jarg_uint(req, "mr", true, 255, &mr, err) || jarg_uint(req, "status", false, 255, &status, err) ||
	    jarg_uint(req, "delay_ms", false, 86400000, &delay, err) || jarg_str(req, "to", false, &to, err))
		return -EINVAL;
	if (!to && sent_find_mr(&sim->sent, (uint8_t)mr, &m))
		to = m->to;
	if (!to) {
		*err = "no sent message has that mr; give \"to\"";
		return -EINVAL;
	}
	customers_now(&scts);
	cJSON_AddStringToObject(reply, "to", to);
	if (report_schedule(sim, (uint8_t)mr, to, &scts, (uint8_t)status, (unsigned)delay) < 0) {
		*err = "out of memory";
		return -ENOMEM;
	}
	return 0;
}

void customers_submitted(struct sim *sim, const struct sms *sms, uint8_t mr,
			 struct sent_msg *completed)
{
	struct submitted *s = &sim->cust.just;

	s->valid = true;
	s->mr = mr;
	s->report = sms->status_report;
	memcpy(s->to, sms->addr.number, sizeof(s->to));
	customers_now(&s->when);
	s->completed = completed;
}

void customers_after_submit(struct sim *sim)
{
	struct submitted *s = &sim->cust.just;

	if (!s->valid)
		return;
	s->valid = false;
	if (s->report && sim->cfg.report_auto)
		report_schedule(sim, s->mr, s->to, &s->when, (uint8_t)sim->cfg.report_status,
				sim->cfg.report_delay_ms);
	if (s->completed)
		rules_fire(sim, s->completed);
}
