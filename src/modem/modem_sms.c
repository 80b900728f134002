/*
 * Messages through the modem (TS 27.005 3.5): sending with AT+CMGS (and
 * AT+CMMS=2 between the segments of one message), and reading stored
 * messages with AT+CMGL/AT+CMGR, deleting each with AT+CMGD only after the
 * owner has committed it. A PDU read twice (a sweep crossing a +CMTI, a
 * network redelivering an unacknowledged +CMT) is handed over once.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modem_internal.h"
#include "parley/at_result.h"

#define LIST_TIMEOUT_MS 30000    /* a full SIM lists slowly on SIM800 */
#define RECENT_WINDOW_MS (24u * 3600 * 1000)
#define TPDU_MAX_OCTETS 164
/* a message the owner could not take stays stored; it is offered again this soon */
#define REFUSED_RETRY_MS 5000

/* ---- sending ---- */

static void on_cmms(struct modem *m, const struct at_response *r, long arg)
{
	(void)arg;
	m->cmms_on = r->final == AT_FINAL_OK;
}

static void send_finished(struct modem *m, const struct modem_send_result *res)
{
	struct pending_send *p = m->sends;

	m->sends = p->next;
	if (!m->sends)
		m->sends_tail = NULL;
	m->send_in_flight = false;
	if (m->state == MODEM_STATE_SENDING)
		modem_set_state(m, MODEM_STATE_READY, NULL);
	if (res->mr >= 0) {
		m->health.sends++;
	} else {
		m->health.failures++;
		snprintf(m->health.last_error, sizeof(m->health.last_error), "%s", res->error);
	}
	if (m->ev->sent)
		m->ev->sent(m->ctx, p->token, res);
	free(p->pdu);
	free(p);
}

static void on_cmgs(struct modem *m, const struct at_response *r, long arg)
{
	struct modem_send_result res = { .mr = -1, .cms_error = -1 };
	struct at_iter it;
	long mr;
	char words[96];

	(void)arg;
	if (!m->sends || !m->send_in_flight)
		return;
	switch (r->final) {
	case AT_FINAL_OK:
		if (r->nlines && at_iter_begin(&it, r->lines[0], "+CMGS:") &&
		    at_iter_next_number(&it, &mr) && mr >= 0 && mr <= 255) {
			res.mr = (int)mr;
		} else {
			/* sent, but without a reference no status report can be matched */
			res.mr = 0;
		}
		break;
	case AT_FINAL_CMS_ERROR:
	case AT_FINAL_CME_ERROR:
		res.cms_error = r->final == AT_FINAL_CMS_ERROR ? r->code : -1;
		res.error_class = r->final == AT_FINAL_CMS_ERROR ? at_cms_error_class(r->code)
								 : AT_ERROR_TEMPORARY;
		snprintf(words, sizeof(words), "%s: %s", r->final_line,
			 r->final == AT_FINAL_CMS_ERROR ? at_cms_error_text(r->code)
							: at_cme_error_text(r->code));
		res.error = words;
		break;
	case AT_FINAL_TIMEOUT:
		res.error_class = AT_ERROR_TEMPORARY;
		res.error = "no answer to AT+CMGS";
		res.maybe_sent = true;
		send_finished(m, &res);
		modem_recover(m, "no answer to AT+CMGS");
		return;
	case AT_FINAL_NONE:
	case AT_FINAL_ERROR:
	case AT_FINAL_NO_CARRIER:
	case AT_FINAL_BUSY:
	case AT_FINAL_NO_ANSWER:
	case AT_FINAL_NO_DIALTONE:
	case AT_FINAL_CANCELLED:
		res.error_class = AT_ERROR_TEMPORARY;
		res.error = "the modem answered ERROR to AT+CMGS";
		break;
	}
	send_finished(m, &res);
	modem_sms_kick(m);
}

void modem_sms_kick(struct modem *m)
{
	struct pending_send *p = m->sends;
	char cmd[32];

	if (m->state != MODEM_STATE_READY || m->send_in_flight || !p)
		return;
	m->send_in_flight = true;
	modem_set_state(m, MODEM_STATE_SENDING, NULL);
	if (m->cfg.profile->cmms && p->more && !m->cmms_on)
		modem_cmd(m, "AT+CMMS=2", NULL, false, NULL, 0, on_cmms, 0);
	snprintf(cmd, sizeof(cmd), "AT+CMGS=%u", p->tpdu_len);
	if (modem_cmd(m, cmd, "+CMGS:", false, p->pdu, m->cfg.send_timeout_ms, on_cmgs, 0) < 0) {
		struct modem_send_result res = {
			.mr = -1, .cms_error = -1, .error_class = AT_ERROR_TEMPORARY,
			.error = "out of memory",
		};
		send_finished(m, &res);
	}
}

int modem_send(struct modem *m, const char *pdu_hex, unsigned tpdu_len, bool more,
	       uint64_t token, uint64_t now_ms)
{
	struct pending_send *p;
	size_t n = pdu_hex ? strlen(pdu_hex) : 0;

	m->now = now_ms;
	/* the hex holds the SMSC part and then tpdu_len octets */
	if (n == 0 || n % 2 || strspn(pdu_hex, "0123456789ABCDEFabcdef") != n || tpdu_len == 0 ||
	    tpdu_len > TPDU_MAX_OCTETS || n / 2 <= tpdu_len)
		return -EINVAL;
	if (m->state == MODEM_STATE_CLOSED || m->state == MODEM_STATE_FAILED)
		return -EAGAIN;
	p = calloc(1, sizeof(*p));
	if (!p || !(p->pdu = strdup(pdu_hex))) {
		free(p);
		return -ENOMEM;
	}
	p->tpdu_len = tpdu_len;
	p->more = more;
	p->token = token;
	if (m->sends_tail)
		m->sends_tail->next = p;
	else
		m->sends = p;
	m->sends_tail = p;
	modem_sms_kick(m);
	return 0;
}

void modem_sms_fail_all(struct modem *m, const char *why, bool in_flight_maybe_sent)
{
	struct pending_send *list = m->sends;
	bool first_in_flight = m->send_in_flight;

	/* detached first: a callback may queue the message again */
	m->sends = m->sends_tail = NULL;
	m->send_in_flight = false;
	while (list) {
		struct pending_send *p = list;
		struct modem_send_result res = {
			.mr = -1, .cms_error = -1, .error_class = AT_ERROR_TEMPORARY, .error = why,
			.maybe_sent = first_in_flight && in_flight_maybe_sent,
		};
		list = p->next;
		first_in_flight = false;
		if (m->ev->sent)
			m->ev->sent(m->ctx, p->token, &res);
		free(p->pdu);
		free(p);
	}
}

size_t modem_send_queue_length(const struct modem *m)
{
	size_t n = 0;
	for (const struct pending_send *p = m->sends; p; p = p->next)
		n++;
	return n;
}

/* ---- receiving ---- */

static uint64_t pdu_hash(const char *hex)
{
	/* FNV-1a over the hex, upper-cased: modems differ in case */
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *hex; hex++) {
		char c = *hex >= 'a' && *hex <= 'f' ? (char)(*hex - 32) : *hex;
		h = (h ^ (uint8_t)c) * 0x100000001b3ull;
	}
	return h;
}

static bool recently_committed(const struct modem *m, uint64_t h)
{
	for (unsigned i = 0; i < MODEM_RECENT_PDUS; i++)
		if (m->recent_at[i] && m->recent_pdu[i] == h && m->now - m->recent_at[i] < RECENT_WINDOW_MS)
			return true;
	return false;
}

static void remember(struct modem *m, uint64_t h)
{
	unsigned i = m->recent_next++ % MODEM_RECENT_PDUS;
	m->recent_pdu[i] = h;
	m->recent_at[i] = m->now ? m->now : 1;
}

#define PENDING_BITS (8 * sizeof(((struct modem *)0)->delete_pending))

static void on_cmgd(struct modem *m, const struct at_response *r, long index)
{
	if (index >= 0 && (size_t)index < PENDING_BITS)
		m->delete_pending[index / 8] &= (uint8_t)~(1u << (index % 8));
	if (r->final == AT_FINAL_TIMEOUT)
		modem_recover(m, "no answer to AT+CMGD");
}

/* Hands a PDU over; true once the owner has committed it (or did before). */
static bool deliver(struct modem *m, const char *pdu_hex, int index, bool status_report)
{
	struct sms sms;
	const char *why = NULL;
	uint64_t h = pdu_hash(pdu_hex);
	struct modem_inbound in = { .pdu_hex = pdu_hex, .index = index, .status_report = status_report };

	if (recently_committed(m, h))
		return true;
	if (sms_decode_hex(pdu_hex, SMS_DECODE_SMSC, &sms, &why) == 0) {
		in.sms = &sms;
		in.status_report = sms.type == SMS_TYPE_STATUS_REPORT;
	} else {
		in.decode_error = why;
	}
	if (!m->ev->inbound || m->ev->inbound(m->ctx, &in) != 0) {
		m->owner_refused = true;
		if (!m->sweeping && m->next_sweep_at > m->now + REFUSED_RETRY_MS)
			m->next_sweep_at = m->now + REFUSED_RETRY_MS;
		return false;
	}
	remember(m, h);
	return true;
}

/*
 * A slot read while its delete is still on the way holds what that delete
 * removes: a second AT+CMGD for it would run after the first, when the
 * network may have put a new message there (a full SIM refills at once),
 * and delete that one unread. So one delete per slot at a time.
 */
static void delete_index(struct modem *m, int index)
{
	char cmd[32];

	if ((size_t)index < PENDING_BITS) {
		if (m->delete_pending[index / 8] & (1u << (index % 8)))
			return;
		m->delete_pending[index / 8] |= (uint8_t)(1u << (index % 8));
	}
	snprintf(cmd, sizeof(cmd), "AT+CMGD=%d", index);
	modem_cmd(m, cmd, NULL, false, NULL, 0, on_cmgd, index);
}

static void sweep_done(struct modem *m)
{
	m->sweeping = false;
	if (m->sweep_again)
		m->next_sweep_at = m->now;
	else if (m->owner_refused)
		m->next_sweep_at = m->now + REFUSED_RETRY_MS;
	else
		m->next_sweep_at = m->now + m->cfg.sweep_interval_ms;
	m->sweep_again = false;
	m->owner_refused = false;
}

/* Hands over every listed message; the deletes go out after the list, in order. */
static bool take_listed(struct modem *m, const struct at_response *r, const char *what)
{
	struct at_iter it;
	long index;

	if (r->final == AT_FINAL_TIMEOUT) {
		m->reading_sim = false;
		sweep_done(m);
		modem_recover(m, what);
		return false;
	}
	/* +CMGL: <index>,<stat>,[<alpha>],<length> then the PDU line */
	for (size_t i = 0; i + 1 < r->nlines; i++) {
		if (!at_iter_begin(&it, r->lines[i], "+CMGL:") || !at_iter_next_number(&it, &index) ||
		    index < 0 || index > INT_MAX)
			continue;
		if (!at_iter_begin(&it, r->lines[i + 1], "+CMGL:")) {
			if (deliver(m, r->lines[i + 1], (int)index, false))
				delete_index(m, (int)index);
			i++;
		}
	}
	return true;
}

static void on_mem1_restored(struct modem *m, const struct at_response *r, long arg)
{
	(void)arg;
	m->reading_sim = false;
	sweep_done(m);
	/* left reading the SIM, a +CMTI index would be looked up in the wrong memory */
	if (r->final != AT_FINAL_OK)
		modem_recover(m, "cannot select the message storage again");
}

static void on_cmgl_sim(struct modem *m, const struct at_response *r, long arg)
{
	char cmd[64];
	const char *s = m->cfg.profile->storage;

	(void)arg;
	if (!take_listed(m, r, "no answer to AT+CMGL"))
		return;
	/* after the deletes (queued above), reading goes back to the profile's memory */
	snprintf(cmd, sizeof(cmd), "AT+CPMS=\"%s\",\"%s\",\"%s\"", s, s, s);
	modem_cmd(m, cmd, "+CPMS:", false, NULL, 0, on_mem1_restored, 0);
}

static void on_sim_selected(struct modem *m, const struct at_response *r, long arg)
{
	(void)arg;
	if (r->final != AT_FINAL_OK) {
		/* no SIM storage to read (or the modem refuses): nothing more to find */
		m->reading_sim = false;
		sweep_done(m);
		/* unless it did switch and its answer was lost */
		if (r->final == AT_FINAL_TIMEOUT)
			modem_recover(m, "no answer to AT+CPMS");
		return;
	}
	modem_cmd(m, "AT+CMGL=4", "+CMGL:", true, NULL, LIST_TIMEOUT_MS, on_cmgl_sim, 0);
}

/*
 * A modem whose profile keeps messages in its own memory ("ME") still
 * powers up with the SIM as the store, and whatever arrives between its
 * boot and our AT+CPMS lands on the SIM where the profile's sweep never
 * looks. So the sweep reads the SIM too: mem1 alone (the memory that
 * AT+CMGL, AT+CMGR and AT+CMGD use) is switched for the moment; new
 * messages keep going to mem3.
 */
static void on_cmgl(struct modem *m, const struct at_response *r, long arg)
{
	const char *s = m->cfg.profile->storage;
	char cmd[64];

	(void)arg;
	if (!take_listed(m, r, "no answer to AT+CMGL"))
		return;
	if (!strcmp(s, "SM")) {
		sweep_done(m);
		return;
	}
	m->reading_sim = true;
	snprintf(cmd, sizeof(cmd), "AT+CPMS=\"SM\",\"%s\",\"%s\"", s, s);
	modem_cmd(m, cmd, "+CPMS:", false, NULL, 0, on_sim_selected, 0);
}

void modem_sms_sweep(struct modem *m)
{
	if (m->sweeping)
		return;
	m->sweeping = true;
	m->owner_refused = false;
	m->next_sweep_at = UINT64_MAX;
	if (modem_cmd(m, "AT+CMGL=4", "+CMGL:", true, NULL, LIST_TIMEOUT_MS, on_cmgl, 0) < 0) {
		m->sweeping = false;
		m->next_sweep_at = m->now + m->cfg.sweep_interval_ms;
	}
}

/*
 * +CPMS: "SM",3,30,"SM",3,30,"SM",3,30 (memory, used, total for each of
 * mem1..mem3). The same memory counted twice only makes the sum bigger,
 * and all that matters is whether it is zero.
 */
long modem_sms_cpms_used(const char *line)
{
	struct at_iter it;
	long used, total, sum = 0;
	int mems = 0;

	if (!at_iter_begin(&it, line, "+CPMS:"))
		return -1;
	while (mems < 3 && at_iter_skip(&it) && at_iter_next_number(&it, &used) &&
	       at_iter_next_number(&it, &total)) {
		if (used < 0 || total < 0 || used > total)
			return -1;
		sum += used;
		mems++;
	}
	return mems ? sum : -1;
}

static void on_cpms_query(struct modem *m, const struct at_response *r, long arg)
{
	(void)arg;
	if (r->final == AT_FINAL_OK && r->nlines && modem_sms_cpms_used(r->lines[0]) > 0)
		modem_sms_sweep(m);
}

/*
 * Every message we take is deleted once its owner has it, so anything in
 * storage was never announced to us: a +CMTI lost in a reset or a reconnect,
 * or a SIM that filled up (the network then holds new messages back and
 * sends no indication at all). Asked with every health poll, so that such a
 * SIM is emptied within a poll interval rather than at the next sweep.
 */
void modem_sms_check_storage(struct modem *m)
{
	if (!m->sweeping)
		modem_cmd(m, "AT+CPMS?", "+CPMS:", false, NULL, 0, on_cpms_query, 0);
}

static void on_cmgr(struct modem *m, const struct at_response *r, long index)
{
	if (r->final == AT_FINAL_TIMEOUT) {
		modem_recover(m, "no answer to AT+CMGR");
		return;
	}
	/*
	 * An empty slot answers OK alone, a bogus +CMTI index +CMS ERROR 321:
	 * nothing to hand over either way; the sweep would find anything missed.
	 * The PDU is the line after the header: a second header there is none.
	 */
	if (r->final == AT_FINAL_OK && r->nlines >= 2 && strncmp(r->lines[1], "+CMGR:", 6) != 0 &&
	    deliver(m, r->lines[1], (int)index, false))
		delete_index(m, (int)index);
}

void modem_sms_read(struct modem *m, int index)
{
	char cmd[32];
	snprintf(cmd, sizeof(cmd), "AT+CMGR=%d", index);
	modem_cmd(m, cmd, "+CMGR:", true, NULL, 0, on_cmgr, index);
}

void modem_sms_direct(struct modem *m, const char *pdu, bool status_report)
{
	/* 27.005 3.4.4: acknowledge only what is committed; otherwise the network redelivers */
	if (deliver(m, pdu, -1, status_report))
		modem_cmd(m, "AT+CNMA", NULL, false, NULL, 0, NULL, 0);
}
