/*
 * AT+CMGS in PDU mode (TS 27.005 3.5.1, 4.3): "AT+CMGS=<length>", the
 * "\r\n> " prompt, the PDU in hex (SMSC part first) ended by Ctrl-Z or
 * abandoned by ESC, then "+CMGS: <mr>" and OK.
 *
 * Like real modems, the simulator checks <length> against the TPDU
 * (+CMS ERROR: 304 when they differ, or when the PDU does not decode as an
 * SMS-SUBMIT) and answers with its own TP-MR counter rather than the one
 * in the PDU (TS 23.040 9.2.3.6: the MS increments TP-MR per SUBMIT).
 */
#include <errno.h>
#include <stdlib.h>

#include "at_cmds.h"
#include "clock.h"
#include "modem.h"
#include "parley/hex.h"
#include "sim.h"

enum at_status at_cmgs(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long len;

	if (c->type == AT_TEST)
		return AT_CONTINUE;
	if (c->type != AT_SET)
		return at_error(r);
	if (sim->modem.pin != PIN_READY)
		return at_cms(sim, r, sim->modem.pin == PIN_SIM_PIN ? 311 : 316);
	if (sim->modem.cmgf != 0)
		return at_cms(sim, r, 303); /* text mode sending is not simulated */
	if (!at_args_int(&c->args, 0, 1, 255, &len))
		return at_cms(sim, r, sim->profile->bad_pdu_cms);
	sim->at.cmgs_len = len;
	return AT_PROMPT;
}

static void log_pdu(struct sim *sim, bool send)
{
	cJSON *ev = simlog_event(&sim->log, "pdu");

	cJSON_AddStringToObject(ev, "hex", sim->at.pdu);
	cJSON_AddStringToObject(ev, "end", send ? "ctrl-z" : "esc");
	simlog_commit(&sim->log, ev);
}

static void log_submit(struct sim *sim, const struct sms *sms, uint8_t mr)
{
	cJSON *ev = simlog_event(&sim->log, "submit"), *cc;

	cJSON_AddStringToObject(ev, "to", sms->addr.number);
	cJSON_AddStringToObject(ev, "text", sms->text);
	cJSON_AddNumberToObject(ev, "mr", mr);
	cJSON_AddNumberToObject(ev, "pdu_mr", sms->mr);
	cJSON_AddBoolToObject(ev, "report", sms->status_report);
	cJSON_AddStringToObject(ev, "coding", sms_coding_name(sms->dcs.coding));
	if (sms->udh.has_concat) {
		cc = cJSON_AddObjectToObject(ev, "concat");
		cJSON_AddNumberToObject(cc, "ref", sms->udh.concat_ref);
		cJSON_AddNumberToObject(cc, "seq", sms->udh.concat_seq);
		cJSON_AddNumberToObject(cc, "total", sms->udh.concat_total);
	}
	cJSON_AddStringToObject(ev, "pdu", sim->at.pdu);
	simlog_commit(&sim->log, ev);
}

/* Decodes the collected PDU; returns 0 or the +CMS ERROR code. */
static int pdu_check(struct sim *sim, struct sms *sms)
{
	struct at_interp *a = &sim->at;
	uint8_t bytes[SMS_PDU_MAX];
	const char *reason = NULL;
	int n;

	if (a->pdu_bad || a->pdu_len == 0)
		return sim->profile->bad_pdu_cms;
	n = hex_decode(a->pdu, a->pdu_len, bytes, sizeof(bytes));
	if (n < 1 || bytes[0] + 1 > n)
		return sim->profile->bad_pdu_cms;
	if (n - 1 - bytes[0] != a->cmgs_len)
		return sim->profile->bad_pdu_cms;
	if (sms_decode(bytes, (size_t)n, SMS_DECODE_SMSC, sms, &reason) < 0 ||
	    sms->type != SMS_TYPE_SUBMIT) {
		simlog_str(&sim->log, "bad_pdu", "reason", reason ? reason : "not an SMS-SUBMIT");
		return sim->profile->bad_pdu_cms;
	}
	if (sim->modem.cfun != 1 || !modem_registered(sim))
		return 331; /* no network service */
	if (sim->faults.cms_count > 0) {
		sim->faults.cms_count--;
		simlog_str(&sim->log, "fault", "applied", "cms_error");
		return sim->faults.cms_code;
	}
	return 0;
}

static void submitted_after(struct sim *sim)
{
	customers_after_submit(sim);
}

static void submit(struct sim *sim, struct resp *r)
{
	struct sms *sms = malloc(sizeof(*sms));
	struct sent_msg *msg = NULL;
	uint8_t mr;
	int code, done;

	if (!sms) {
		at_cms(sim, r, 300);
		return;
	}
	code = pdu_check(sim, sms);
	if (code) {
		at_cms(sim, r, code);
		free(sms);
		return;
	}
	mr = sim->modem.next_mr++;
	done = sent_add(&sim->sent, sms, sim->at.pdu, mr, clock_now_ns() / NS_PER_MS, &msg);
	if (done < 0) {
		at_cms(sim, r, 300);
		free(sms);
		return;
	}
	log_submit(sim, sms, mr);
	customers_submitted(sim, sms, mr, done == 1 ? msg : NULL);
	out_after_response(sim, submitted_after);
	resp_add(r, "+CMGS: %u", mr);
	resp_final(r, "OK");
	free(sms);
}

void at_cmgs_finish(struct sim *sim, bool send)
{
	struct resp r;

	out_prompt_end(sim);
	log_pdu(sim, send);
	resp_init(&r);
	if (send)
		submit(sim, &r);
	else
		resp_final(&r, "OK"); /* ESC: nothing sent (27.005 3.5.1) */
	out_response(sim, &r, send ? sim->at.latency_ms : sim->cfg.latency_ms);
}
