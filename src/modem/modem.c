/*
 * The modem's life cycle (see the diagram in parley/modem.h): probing,
 * initialisation (TS 27.007 for identity, PIN and registration, TS 27.005
 * for SMS settings), health polls, URC dispatch and gentle recovery.
 * Sending and reading messages are in modem_sms.c. No I/O here.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "modem_internal.h"
#include "parley/at_result.h"

#define PROBE_TIMEOUT_MS 1000
#define PROBE_RETRY_MS 1000
#define PROBE_ATTEMPTS 5
#define PIN_SETTLE_MS 3000     /* SIMs answer SIM busy for a moment after the PIN */
#define SIM_BUSY_RETRY_MS 2000
#define REGISTRATION_POLL_MS 2000
#define CALL_REPORT_GAP_MS 15000 /* RING repeats every few seconds for one call */
#define RING_WITHOUT_CLIP_MS 1500
#define PORT_DRAIN_MS 300      /* silence wanted on a freshly opened port before the probe */
#define CPIN_UNREADABLE_MAX 3

const char *modem_state_name(enum modem_state s)
{
	switch (s) {
	case MODEM_STATE_CLOSED: return "closed";
	case MODEM_STATE_PROBE: return "probe";
	case MODEM_STATE_INIT: return "init";
	case MODEM_STATE_SIM: return "sim";
	case MODEM_STATE_REGISTRATION: return "registration";
	case MODEM_STATE_READY: return "ready";
	case MODEM_STATE_SENDING: return "sending";
	case MODEM_STATE_RECOVERING: return "recovering";
	case MODEM_STATE_FAILED: return "failed";
	}
	return "unknown";
}

/* ---- commands ---- */

struct cmd_ctx {
	struct modem *m;
	modem_handler handler;
	long arg;
	unsigned generation;
};

static void cmd_done(void *user, const struct at_response *r)
{
	struct cmd_ctx *c = user;

	c->m->trace_hidden = false; /* answered (or cancelled): see on_trace */
	/* answers to a stream since reset, or cancelled with it, concern nobody */
	if (r->final == AT_FINAL_CANCELLED || c->generation != c->m->generation || !c->handler)
		return;
	c->handler(c->m, r, c->arg);
}

int modem_cmd(struct modem *m, const char *text, const char *prefix, bool pdu_lines,
	      const char *pdu, unsigned timeout_ms, modem_handler handler, long arg)
{
	struct cmd_ctx *c = malloc(sizeof(*c));
	struct at_cmd cmd = {
		.text = text, .prefix = prefix, .pdu_lines = pdu_lines, .pdu = pdu,
		.timeout_ms = timeout_ms ? timeout_ms : m->cfg.command_timeout_ms,
		.done = cmd_done, .user = c, .destroy = free,
	};
	int r;

	if (!c)
		return -ENOMEM;
	*c = (struct cmd_ctx){ .m = m, .handler = handler, .arg = arg, .generation = m->generation };
	r = at_chan_send(m->chan, &cmd, m->now);
	if (r < 0)
		free(c);
	return r;
}

void modem_set_state(struct modem *m, enum modem_state to, const char *why)
{
	enum modem_state from = m->state;

	if (from == to)
		return;
	m->state = to;
	if (m->ev->state)
		m->ev->state(m->ctx, from, to, why ? why : "");
}

static void fail_for_good(struct modem *m, const char *why)
{
	snprintf(m->health.last_error, sizeof(m->health.last_error), "%s", why);
	m->timer_at = UINT64_MAX;
	/* the state first: a send queued again from a callback must not start */
	modem_set_state(m, MODEM_STATE_FAILED, why);
	modem_sms_fail_all(m, why, false);
}

/* ---- probing ---- */

static void probe_send(struct modem *m);
static void modem_init_next(struct modem *m);

static void on_probe(struct modem *m, const struct at_response *r, long arg)
{
	(void)arg;
	if (r->final == AT_FINAL_OK) {
		m->probe_failures = 0;
		m->init_step = 0;
		m->pin_tried = false;
		modem_set_state(m, MODEM_STATE_INIT, "modem answers");
		modem_init_next(m);
		return;
	}
	if (++m->probe_failures >= PROBE_ATTEMPTS) {
		m->probe_failures = 0;
		modem_recover(m, "no answer to AT");
		return;
	}
	m->timer_at = m->now + PROBE_RETRY_MS;
}

static void probe_send(struct modem *m)
{
	/*
	 * A modem left at the CMGS prompt (parley died, or the port closed,
	 * mid-send) reads everything as PDU until ESC, which cancels the send.
	 */
	static const char esc = 0x1B;

	m->timer_at = UINT64_MAX;
	at_chan_write_raw(m->chan, &esc, 1);
	if (modem_cmd(m, "AT", NULL, false, NULL, PROBE_TIMEOUT_MS, on_probe, 0) < 0)
		m->timer_at = m->now + PROBE_RETRY_MS;
}

/* ---- initialisation ---- */

enum step_result { STEP_NEXT, STEP_WAIT, STEP_FAIL };

struct init_step {
	const char *text;          /* or NULL: built by build() */
	void (*build)(struct modem *m, char *buf, size_t size);
	const char *prefix;
	bool optional;             /* a refusal is fine: not every modem has it */
	enum modem_state state;
	enum step_result (*on_ok)(struct modem *m, const struct at_response *r);
};

/*
 * Both empty dst first: a value read before a recovery must not stand in
 * for an answer without one (a stale ICCID would pass the SIM check, and on
 * Huawei be swapped a second time).
 */
static void copy_line(char *dst, size_t size, const struct at_response *r)
{
	dst[0] = '\0';
	if (r->nlines > 0)
		snprintf(dst, size, "%s", r->lines[0]);
}

static void copy_field(char *dst, size_t size, const struct at_response *r, const char *prefix)
{
	struct at_iter it;
	dst[0] = '\0';
	if (r->nlines > 0) {
		if (prefix && at_iter_begin(&it, r->lines[0], prefix))
			at_iter_next_string(&it, dst, size);
		else if (!prefix)
			copy_line(dst, size, r);
	}
}

static enum step_result got_manufacturer(struct modem *m, const struct at_response *r)
{
	copy_line(m->id.manufacturer, sizeof(m->id.manufacturer), r);
	return STEP_NEXT;
}

static enum step_result got_model(struct modem *m, const struct at_response *r)
{
	copy_line(m->id.model, sizeof(m->id.model), r);
	return STEP_NEXT;
}

static enum step_result got_revision(struct modem *m, const struct at_response *r)
{
	copy_line(m->id.revision, sizeof(m->id.revision), r);
	return STEP_NEXT;
}

static enum step_result got_imei(struct modem *m, const struct at_response *r)
{
	/* some firmwares prefix the number with "+CGSN: " */
	copy_line(m->id.imei, sizeof(m->id.imei), r);
	if (strncmp(m->id.imei, "+CGSN:", 6) == 0)
		copy_field(m->id.imei, sizeof(m->id.imei), r, "+CGSN:");
	if (m->expected_imei && strcmp(m->expected_imei, m->id.imei) != 0) {
		char why[128];
		snprintf(why, sizeof(why), "device has IMEI %s, configured for %s", m->id.imei,
			 m->expected_imei);
		fail_for_good(m, why);
		return STEP_WAIT;
	}
	return STEP_NEXT;
}

static enum step_result got_cfun(struct modem *m, const struct at_response *r)
{
	struct at_iter it;
	long fun;

	/* a modem left with its radio off (CFUN=0/4) by a reset or a person */
	if (r->nlines && at_iter_begin(&it, r->lines[0], "+CFUN:") &&
	    at_iter_next_number(&it, &fun) && fun != 1)
		modem_cmd(m, "AT+CFUN=1", NULL, false, NULL, 15000, NULL, 0);
	return STEP_NEXT;
}

static void on_pin_entered(struct modem *m, const struct at_response *r, long step)
{
	if (r->final != AT_FINAL_OK) {
		/* never a second guess: three wrong PINs lock the SIM behind a PUK */
		fail_for_good(m, r->code == 16 ? "SIM PIN refused (incorrect password); not retrying"
						 : "SIM PIN refused; not retrying");
		return;
	}
	m->init_step = (unsigned)step; /* ask +CPIN? again once the SIM settles */
	m->timer_at = m->now + PIN_SETTLE_MS;
}

static enum step_result got_cpin(struct modem *m, const struct at_response *r)
{
	char state[32] = "";
	char cmd[64];

	copy_field(state, sizeof(state), r, "+CPIN:");
	if (strcmp(state, "READY") == 0)
		return STEP_NEXT;
	if (strcmp(state, "SIM PIN") == 0) {
		if (!m->pin) {
			fail_for_good(m, "SIM PIN required and no pin configured");
			return STEP_WAIT;
		}
		if (m->pin_tried) {
			fail_for_good(m, "SIM still asks for its PIN after it was given");
			return STEP_WAIT;
		}
		m->pin_tried = true;
		snprintf(cmd, sizeof(cmd), "AT+CPIN=\"%s\"", m->pin);
		modem_cmd(m, cmd, NULL, false, NULL, 0, on_pin_entered, (long)m->init_step);
		return STEP_WAIT;
	}
	if (!state[0]) {
		/* no +CPIN line: a garbled answer, not a verdict on the SIM */
		if (++m->cpin_unreadable > CPIN_UNREADABLE_MAX) {
			modem_recover(m, "no readable answer to AT+CPIN?");
			return STEP_WAIT;
		}
		m->timer_at = m->now + SIM_BUSY_RETRY_MS;
		return STEP_WAIT;
	}
	char why[96];
	snprintf(why, sizeof(why), "SIM not usable: +CPIN: %s", state);
	fail_for_good(m, why);
	return STEP_WAIT;
}

static enum step_result got_imsi(struct modem *m, const struct at_response *r)
{
	copy_line(m->id.imsi, sizeof(m->id.imsi), r);
	return STEP_NEXT;
}

static void build_iccid(struct modem *m, char *buf, size_t size)
{
	snprintf(buf, size, "%s", m->cfg.profile->iccid_cmd);
}

static enum step_result got_iccid(struct modem *m, const struct at_response *r)
{
	const char *prefix = m->cfg.profile->iccid_prefix;
	char *p;

	copy_field(m->id.iccid, sizeof(m->id.iccid), r, prefix);
	/* Huawei prints the ICCID as stored on the SIM, each digit pair swapped */
	if (m->cfg.profile->iccid_swapped)
		for (p = m->id.iccid; p[0] && p[1]; p += 2) {
			char t = p[0];
			p[0] = p[1];
			p[1] = t;
		}
	/* ICCIDs may end in F padding; compare the digits */
	for (p = m->id.iccid; *p && *p != 'F' && *p != 'f'; p++)
		;
	*p = '\0';
	if (m->expected_iccid && strcmp(m->expected_iccid, m->id.iccid) != 0) {
		char why[128];
		snprintf(why, sizeof(why), "SIM has ICCID %s, configured for %s",
			 m->id.iccid[0] ? m->id.iccid : "(unreadable)", m->expected_iccid);
		fail_for_good(m, why);
		return STEP_WAIT;
	}
	return STEP_NEXT;
}

static enum step_result got_number(struct modem *m, const struct at_response *r)
{
	struct at_iter it;
	/* +CNUM: "alpha","+number",145 */
	if (r->nlines && at_iter_begin(&it, r->lines[0], "+CNUM:") && at_iter_skip(&it))
		at_iter_next_string(&it, m->id.number, sizeof(m->id.number));
	return STEP_NEXT;
}

static void build_cpms(struct modem *m, char *buf, size_t size)
{
	const char *s = m->cfg.profile->storage;
	snprintf(buf, size, "AT+CPMS=\"%s\",\"%s\",\"%s\"", s, s, s);
}

static void build_cnmi(struct modem *m, char *buf, size_t size)
{
	snprintf(buf, size, "%s", m->cfg.profile->cnmi);
}

static void registration_query(struct modem *m);

static enum step_result init_done(struct modem *m, const struct at_response *r)
{
	(void)r;
	m->recover_level = 0;
	m->registration_deadline = m->now + m->cfg.registration_timeout_ms;
	modem_set_state(m, MODEM_STATE_REGISTRATION, "initialised");
	registration_query(m);
	return STEP_WAIT;
}

static const struct init_step init_steps[] = {
	{ "ATE0", NULL, NULL, false, MODEM_STATE_INIT, NULL },
	{ "AT+CMEE=1", NULL, NULL, true, MODEM_STATE_INIT, NULL },
	{ "AT+CGMI", NULL, NULL, true, MODEM_STATE_INIT, got_manufacturer },
	{ "AT+CGMM", NULL, NULL, true, MODEM_STATE_INIT, got_model },
	{ "AT+CGMR", NULL, NULL, true, MODEM_STATE_INIT, got_revision },
	{ "AT+CGSN", NULL, NULL, false, MODEM_STATE_INIT, got_imei },
	{ "AT+CFUN?", NULL, "+CFUN:", true, MODEM_STATE_INIT, got_cfun },
	{ "AT+CPIN?", NULL, "+CPIN:", false, MODEM_STATE_SIM, got_cpin },
	{ "AT+CIMI", NULL, NULL, true, MODEM_STATE_SIM, got_imsi },
	{ NULL, build_iccid, NULL, true, MODEM_STATE_SIM, got_iccid },
	{ "AT+CNUM", NULL, "+CNUM:", true, MODEM_STATE_SIM, got_number },
	{ "AT+CMGF=0", NULL, NULL, false, MODEM_STATE_SIM, NULL },
	{ NULL, build_cpms, "+CPMS:", true, MODEM_STATE_SIM, NULL },
	{ NULL, build_cnmi, NULL, true, MODEM_STATE_SIM, NULL },
	{ "AT+CLIP=1", NULL, NULL, true, MODEM_STATE_SIM, NULL },
	{ "AT+CREG=2", NULL, NULL, true, MODEM_STATE_SIM, init_done },
};
#define INIT_STEPS (sizeof(init_steps) / sizeof(init_steps[0]))

static void on_init_step(struct modem *m, const struct at_response *r, long idx)
{
	const struct init_step *s = &init_steps[idx];
	enum step_result res = STEP_NEXT;

	if (r->final == AT_FINAL_TIMEOUT) {
		modem_recover(m, "no answer during initialisation");
		return;
	}
	if (r->final != AT_FINAL_OK) {
		/* the ICCID may be missing, but the identity check then cannot pass */
		if (s->on_ok == got_iccid && m->expected_iccid) {
			got_iccid(m, r);
			return;
		}
		if (s->on_ok == got_cpin && r->final == AT_FINAL_CME_ERROR && r->code == 14) {
			m->timer_at = m->now + SIM_BUSY_RETRY_MS; /* SIM busy: ask again */
			return;
		}
		if (s->on_ok == got_cpin && r->final == AT_FINAL_CME_ERROR &&
		    (r->code == 10 || r->code == 13)) {
			fail_for_good(m, at_cme_error_text(r->code));
			return;
		}
		if (!s->optional) {
			char why[160];
			snprintf(why, sizeof(why), "%s refused: %s", s->text ? s->text : "init step",
				 r->final_line);
			modem_recover(m, why);
			return;
		}
		if (s->on_ok == init_done)
			res = init_done(m, r);
	} else if (s->on_ok) {
		res = s->on_ok(m, r);
	}
	if (res == STEP_NEXT) {
		m->init_step = (unsigned)idx + 1;
		modem_init_next(m);
	}
}

static void modem_init_next(struct modem *m)
{
	const struct init_step *s;
	char buf[96];

	m->timer_at = UINT64_MAX;
	if (m->init_step >= INIT_STEPS)
		return;
	s = &init_steps[m->init_step];
	modem_set_state(m, s->state, NULL);
	if (s->build)
		s->build(m, buf, sizeof(buf));
	if (modem_cmd(m, s->build ? buf : s->text, s->prefix, false, NULL, 0, on_init_step,
		      (long)m->init_step) < 0)
		modem_recover(m, "out of memory");
}

/* ---- registration and health ---- */

/* +CREG: [<n>,]<stat>[,...]: a query answer has n first, a URC not. */
static int creg_stat(const char *line, const char *prefix, bool answer)
{
	struct at_iter it;
	long a;

	if (!at_iter_begin(&it, line, prefix) || !at_iter_next_number(&it, &a))
		return -1;
	if (answer && !at_iter_next_number(&it, &a))
		return -1;
	/* 27.007 7.2 names 0..11; anything else (4294967297 cut to int is 1) is noise */
	return a >= 0 && a <= 11 ? (int)a : -1;
}

static bool registered(int stat)
{
	return stat == 1 || stat == 5;
}

static void became_registered(struct modem *m)
{
	m->timer_at = UINT64_MAX;
	/* signal and operator are wanted at once, not a poll interval later */
	m->next_poll_at = m->now;
	modem_set_state(m, MODEM_STATE_READY, "registered");
	/* messages that arrived while parley was away are on the SIM */
	modem_sms_sweep(m);
	modem_sms_kick(m);
}

static void on_cereg(struct modem *m, const struct at_response *r, long arg)
{
	int stat = -1;

	(void)arg;
	if (r->final == AT_FINAL_OK && r->nlines)
		stat = creg_stat(r->lines[0], "+CEREG:", true);
	if (registered(stat))
		m->health.registration = stat;
	if (m->state != MODEM_STATE_REGISTRATION)
		return;
	if (registered(m->health.registration)) {
		became_registered(m);
	} else if (m->now >= m->registration_deadline) {
		modem_recover(m, "not registered to a network");
	} else {
		m->timer_at = m->now + REGISTRATION_POLL_MS;
	}
}

static void on_creg(struct modem *m, const struct at_response *r, long arg)
{
	(void)arg;
	if (r->final == AT_FINAL_TIMEOUT) {
		modem_recover(m, "no answer to AT+CREG?");
		return;
	}
	if (r->final == AT_FINAL_OK && r->nlines)
		m->health.registration = creg_stat(r->lines[0], "+CREG:", true);
	/* LTE-only modems register in EPS (+CEREG) and leave +CREG at 0 */
	if (!registered(m->health.registration))
		modem_cmd(m, "AT+CEREG?", "+CEREG:", false, NULL, 0, on_cereg, 0);
	else if (m->state == MODEM_STATE_REGISTRATION)
		became_registered(m);
}

static void registration_query(struct modem *m)
{
	m->timer_at = UINT64_MAX;
	modem_cmd(m, "AT+CREG?", "+CREG:", false, NULL, 0, on_creg, 0);
}

static void on_csq(struct modem *m, const struct at_response *r, long arg)
{
	struct at_iter it;
	long rssi;

	(void)arg;
	if (r->final == AT_FINAL_TIMEOUT) {
		modem_recover(m, "no answer to AT+CSQ");
		return;
	}
	/* 27.007 8.5: 0..31, or 99 for unknown; anything else is unknown too */
	if (r->final == AT_FINAL_OK && r->nlines && at_iter_begin(&it, r->lines[0], "+CSQ:") &&
	    at_iter_next_number(&it, &rssi))
		m->health.rssi = rssi >= 0 && rssi <= 31 ? (int)rssi : 99;
}

static void on_cops(struct modem *m, const struct at_response *r, long arg)
{
	struct at_iter it;
	(void)arg;
	/* +COPS: <mode>[,<format>,"<oper>"[,<AcT>]] */
	if (r->final == AT_FINAL_OK && r->nlines && at_iter_begin(&it, r->lines[0], "+COPS:") &&
	    at_iter_skip(&it) && at_iter_skip(&it))
		at_iter_next_string(&it, m->health.operator_name, sizeof(m->health.operator_name));
}

static void health_poll(struct modem *m)
{
	m->next_poll_at = m->now + m->cfg.poll_interval_ms;
	modem_cmd(m, "AT+CSQ", "+CSQ:", false, NULL, 0, on_csq, 0);
	modem_cmd(m, "AT+CREG?", "+CREG:", false, NULL, 0, on_creg, 0);
	modem_cmd(m, "AT+COPS?", "+COPS:", false, NULL, 0, on_cops, 0);
	modem_sms_check_storage(m);
}

/* ---- recovery ---- */

static void restart_stream(struct modem *m)
{
	/* answers still on their way belong to the old stream */
	m->generation++;
	at_chan_reset(m->chan);
	m->cmms_on = false;
	m->sweeping = false;
	m->reading_sim = false;
	m->sweep_again = false;
	memset(m->delete_pending, 0, sizeof(m->delete_pending));
}

static void on_radio_off(struct modem *m, const struct at_response *r, long arg);

void modem_recover(struct modem *m, const char *why)
{
	char cmd[64];

	snprintf(m->health.last_error, sizeof(m->health.last_error), "%s", why);
	restart_stream(m);
	modem_set_state(m, MODEM_STATE_RECOVERING, why);
	modem_sms_fail_all(m, why, true);
	m->probe_failures = 0;
	switch (m->recover_level++) {
	case 0:
		/* often a glitch: probe again */
		m->timer_at = m->now;
		break;
	case 1:
		/* then a radio restart, which keeps USB enumeration */
		modem_cmd(m, "AT+CFUN=4", NULL, false, NULL, 15000, on_radio_off, 0);
		break;
	default:
		/* last the profile's reset, and the silence of a reboot */
		snprintf(cmd, sizeof(cmd), "%s", m->cfg.profile->reset_cmd);
		modem_cmd(m, cmd, NULL, false, NULL, 5000, NULL, 0);
		m->timer_at = m->now + m->cfg.profile->reboot_ms;
		m->recover_level = 1; /* after a reset, the next trouble starts with a radio restart */
		break;
	}
}

static void on_radio_on(struct modem *m, const struct at_response *r, long arg)
{
	(void)r, (void)arg;
	m->timer_at = m->now;
}

static void on_radio_off(struct modem *m, const struct at_response *r, long arg)
{
	(void)arg;
	if (r->final == AT_FINAL_TIMEOUT) {
		m->timer_at = m->now;
		return;
	}
	modem_cmd(m, "AT+CFUN=1", NULL, false, NULL, 15000, on_radio_on, 0);
}

/* ---- unsolicited results ---- */

static void on_hangup(struct modem *m, const struct at_response *r, long arg)
{
	(void)m, (void)r, (void)arg;
}

static void incoming_call(struct modem *m, const char *number)
{
	m->ring_at = 0;
	if (m->last_call_at && m->now - m->last_call_at < CALL_REPORT_GAP_MS) {
		m->last_call_at = m->now;
		return;
	}
	m->last_call_at = m->now;
	if (m->ev->call)
		m->ev->call(m->ctx, number);
	if (m->cfg.hangup_calls)
		modem_cmd(m, "ATH", NULL, false, NULL, 0, on_hangup, 0);
}

static void on_urc(void *ctx, const char *line, const char *pdu, bool known)
{
	struct modem *m = ctx;
	struct at_iter it;
	long idx;
	char number[40] = "";

	(void)known;
	if (m->state == MODEM_STATE_CLOSED)
		return;
	if (at_iter_begin(&it, line, "+CMTI:") || at_iter_begin(&it, line, "+CDSI:")) {
		if (m->reading_sim)
			m->sweep_again = true; /* its index is in another memory than mem1 now */
		else if (at_iter_skip(&it) && at_iter_next_number(&it, &idx) && idx >= 0 &&
			 idx <= INT_MAX)
			modem_sms_read(m, (int)idx);
	} else if (strncmp(line, "+CMT:", 5) == 0 && pdu) {
		modem_sms_direct(m, pdu, false);
	} else if (strncmp(line, "+CDS:", 5) == 0 && pdu) {
		modem_sms_direct(m, pdu, true);
	} else if (at_iter_begin(&it, line, "+CREG:")) {
		int stat = creg_stat(line, "+CREG:", false);
		m->health.registration = stat;
		if (m->state == MODEM_STATE_REGISTRATION && registered(stat))
			became_registered(m);
	} else if (at_iter_begin(&it, line, "+CLIP:")) {
		at_iter_next_string(&it, number, sizeof(number));
		incoming_call(m, number);
	} else if (strncmp(line, "^SMMEMFULL", 10) == 0) {
		/* Huawei: the SIM is full and the network holds messages back until it is emptied */
		modem_sms_sweep(m);
	} else if (strcmp(line, "RING") == 0) {
		/* +CLIP follows with the number when caller id works; wait a moment for it */
		if (!m->ring_at)
			m->ring_at = m->now;
	}
}

/*
 * Commands that carry a SIM secret: TS 27.007 8.3 +CPIN (and the +CPIN2 of
 * some firmware), 7.4 +CLCK, 7.5 +CPWD. The trace ends up in logs, so it
 * names them without their arguments, and shows nothing the modem says
 * until they are answered: a modem that ignored ATE0 echoes the PIN.
 */
static size_t secret_command(const char *data, size_t len)
{
	static const char *const secret[] = { "AT+CPIN=", "AT+CPIN2=", "AT+CLCK=", "AT+CPWD=" };

	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		size_t n = strlen(secret[i]);

		if (len >= n && strncasecmp(data, secret[i], n) == 0)
			return n;
	}
	return 0;
}

static void on_trace(void *ctx, char dir, const char *data, size_t len)
{
	struct modem *m = ctx;
	size_t name = dir == '>' ? secret_command(data, len) : 0;
	char shown[80];

	if (!m->ev->trace)
		return;
	if (name) {
		m->trace_hidden = true;
		snprintf(shown, sizeof(shown), "%.*s<hidden>", (int)name, data);
	} else if (dir == '<' && m->trace_hidden) {
		snprintf(shown, sizeof(shown), "<%zu bytes hidden: the answer to a secret>", len);
	} else {
		m->ev->trace(m->ctx, dir, data, len);
		return;
	}
	m->ev->trace(m->ctx, dir, shown, strlen(shown));
}

/* ---- the owner's interface ---- */

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

struct modem *modem_new(const struct modem_config *cfg, const struct modem_events *ev, void *ctx)
{
	struct modem *m = calloc(1, sizeof(*m));
	static const char *const urcs[] = { "+CMTI:", "+CDSI:", "+CREG:", "+CEREG:", "+CLIP:", "RING",
					    "^SMMEMFULL" };

	if (!m)
		return NULL;
	m->cfg = *cfg;
	if (!m->cfg.profile)
		m->cfg.profile = modem_profile_find("generic");
	if (!m->cfg.command_timeout_ms)
		m->cfg.command_timeout_ms = 5000;
	if (!m->cfg.send_timeout_ms)
		m->cfg.send_timeout_ms = 60000;
	if (!m->cfg.poll_interval_ms)
		m->cfg.poll_interval_ms = 60000;
	if (!m->cfg.sweep_interval_ms)
		m->cfg.sweep_interval_ms = 300000;
	if (!m->cfg.registration_timeout_ms)
		m->cfg.registration_timeout_ms = 180000;
	m->pin = dup_or_null(cfg->pin);
	m->expected_imei = dup_or_null(cfg->expected_imei);
	m->expected_iccid = dup_or_null(cfg->expected_iccid);
	m->cfg.pin = m->cfg.expected_imei = m->cfg.expected_iccid = NULL;
	m->ev = ev;
	m->ctx = ctx;
	m->state = MODEM_STATE_CLOSED;
	m->timer_at = m->next_poll_at = m->next_sweep_at = UINT64_MAX;
	m->health.registration = -1;
	m->health.rssi = 99;
	m->chan = at_chan_new(on_urc, m);
	if (!m->chan || (cfg->pin && !m->pin) || (cfg->expected_imei && !m->expected_imei) ||
	    (cfg->expected_iccid && !m->expected_iccid)) {
		modem_free(m);
		return NULL;
	}
	at_chan_set_trace(m->chan, on_trace, m);
	for (size_t i = 0; i < sizeof(urcs) / sizeof(urcs[0]); i++)
		at_chan_register_urc(m->chan, urcs[i], false);
	at_chan_register_urc(m->chan, "+CMT:", true);
	at_chan_register_urc(m->chan, "+CDS:", true);
	return m;
}

void modem_free(struct modem *m)
{
	if (!m)
		return;
	m->generation++;
	m->state = MODEM_STATE_CLOSED;
	modem_sms_fail_all(m, "modem removed", true);
	at_chan_free(m->chan);
	free(m->pin);
	free(m->expected_imei);
	free(m->expected_iccid);
	free(m);
}

void modem_port_opened(struct modem *m, uint64_t now_ms)
{
	m->now = now_ms;
	restart_stream(m);
	m->recover_level = 0;
	m->probe_failures = 0;
	m->cpin_unreadable = 0;
	modem_set_state(m, MODEM_STATE_PROBE, "port opened");
	/*
	 * Answers to a previous owner's commands (a parleyd killed a moment
	 * ago) may still be on their way; taken for ours they would be off by
	 * one for the whole dialogue. Let the line go quiet first.
	 */
	m->drain_until = now_ms + PORT_DRAIN_MS;
	m->timer_at = m->drain_until;
}

void modem_port_lost(struct modem *m, uint64_t now_ms)
{
	m->now = now_ms;
	restart_stream(m);
	m->timer_at = m->next_poll_at = m->next_sweep_at = UINT64_MAX;
	modem_set_state(m, MODEM_STATE_CLOSED, "port lost");
	modem_sms_fail_all(m, "modem port lost", true);
}

void modem_feed(struct modem *m, const uint8_t *data, size_t len, uint64_t now_ms)
{
	m->now = now_ms;
	if (now_ms < m->drain_until) {
		/* still answering someone else: dropped, and the quiet period starts again */
		on_trace(m, '<', (const char *)data, len);
		m->drain_until = now_ms + PORT_DRAIN_MS;
		m->timer_at = m->drain_until;
		return;
	}
	at_chan_feed(m->chan, data, len, now_ms);
}

size_t modem_output(struct modem *m, const uint8_t **data)
{
	return at_chan_output(m->chan, data);
}

void modem_output_done(struct modem *m, size_t n)
{
	at_chan_output_done(m->chan, n);
}

void modem_tick(struct modem *m, uint64_t now_ms)
{
	m->now = now_ms;
	at_chan_tick(m->chan, now_ms);
	if (now_ms >= m->timer_at) {
		m->timer_at = UINT64_MAX;
		switch (m->state) {
		case MODEM_STATE_PROBE:
		case MODEM_STATE_RECOVERING:
			if (m->state == MODEM_STATE_RECOVERING)
				modem_set_state(m, MODEM_STATE_PROBE, "probing after recovery");
			probe_send(m);
			break;
		case MODEM_STATE_INIT:
		case MODEM_STATE_SIM:
			modem_init_next(m);
			break;
		case MODEM_STATE_REGISTRATION:
			registration_query(m);
			break;
		case MODEM_STATE_CLOSED:
		case MODEM_STATE_READY:
		case MODEM_STATE_SENDING:
		case MODEM_STATE_FAILED:
			break;
		}
	}
	if (m->ring_at && now_ms >= m->ring_at + RING_WITHOUT_CLIP_MS)
		incoming_call(m, "");
	if ((m->state == MODEM_STATE_READY || m->state == MODEM_STATE_SENDING)) {
		if (now_ms >= m->next_poll_at)
			health_poll(m);
		if (now_ms >= m->next_sweep_at)
			modem_sms_sweep(m);
	}
}

uint64_t modem_deadline(const struct modem *m)
{
	uint64_t d = at_chan_deadline(m->chan);

	if (m->timer_at < d)
		d = m->timer_at;
	if (m->ring_at && m->ring_at + RING_WITHOUT_CLIP_MS < d)
		d = m->ring_at + RING_WITHOUT_CLIP_MS;
	if (m->state == MODEM_STATE_READY || m->state == MODEM_STATE_SENDING) {
		if (m->next_poll_at < d)
			d = m->next_poll_at;
		if (m->next_sweep_at < d)
			d = m->next_sweep_at;
	}
	return d;
}

struct person_cmd {
	struct modem *m;
	modem_at_cb cb;
	void *ctx;
};

static void person_done(void *user, const struct at_response *r)
{
	struct person_cmd *p = user;

	p->m->trace_hidden = false; /* answered (or cancelled): see on_trace */
	p->cb(p->ctx, r);
}

int modem_at(struct modem *m, const char *text, unsigned timeout_ms, modem_at_cb cb, void *ctx,
	     const char **reason)
{
	/* what the driver relies on staying as it set it (and the prompt it drives) */
	static const char *const refused[] = {
		"ATE1", "ATZ", "AT&F", "AT+CMGF=1", "AT+CMEE=0", "AT+CMEE=2", "AT+CNMI", "AT+CMGS",
		"AT+CMGW", "AT+CFUN", "AT+CPIN=", "AT+CSCS", "ATV0", "ATQ1",
	};
	struct person_cmd *p;
	int r;

	if (!text || !*text || strpbrk(text, "\r\n\x1A\x1B") || !cb)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strncasecmp(text, refused[i], strlen(refused[i])) == 0) {
			if (reason)
				*reason = "refused: it would change a setting the driver depends on";
			return -EPERM;
		}
	if (m->state == MODEM_STATE_CLOSED || m->state == MODEM_STATE_FAILED) {
		if (reason)
			*reason = "the modem's port is not open";
		return -EAGAIN;
	}
	p = malloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->m = m;
	p->cb = cb;
	p->ctx = ctx;
	struct at_cmd cmd = {
		.text = text, .timeout_ms = timeout_ms ? timeout_ms : m->cfg.command_timeout_ms,
		.done = person_done, .user = p, .destroy = free,
	};
	r = at_chan_send(m->chan, &cmd, m->now);
	if (r < 0)
		free(p);
	return r;
}

enum modem_state modem_state(const struct modem *m)
{
	return m->state;
}

const struct modem_identity *modem_identity(const struct modem *m)
{
	return &m->id;
}

const struct modem_health *modem_health(const struct modem *m)
{
	return &m->health;
}
