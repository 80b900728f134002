/*
 * Control commands (see docs/modemsim.md for each one's fields). They
 * check their fields, call the module that does the work and describe the
 * result; none of them touches the AT side directly.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "ctl_cmds.h"
#include "json_args.h"
#include "modem.h"
#include "parley/hex.h"
#include "parley/sms_deliver.h"
#include "sim.h"

#define GARBAGE_MAX 4096
#define FILLER_FROM "+447700900999"

typedef int (*ctl_fn)(struct sim *sim, const cJSON *req, cJSON *reply, const char **err);

static int fault_cms(struct sim *sim, const cJSON *req, const char **err)
{
	unsigned long count = 1, code = 500;

	if (jarg_uint(req, "count", false, 1000000, &count, err) ||
	    jarg_uint(req, "code", false, 511, &code, err))
		return -EINVAL;
	sim->faults.cms_count = (unsigned)count;
	sim->faults.cms_code = (int)code;
	return 0;
}

static int fault_garbage(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	unsigned long count = 16;
	uint8_t bytes[GARBAGE_MAX];
	const char *hex = NULL;
	int n;

	if (jarg_str(req, "hex", false, &hex, err) ||
	    jarg_uint(req, "count", false, GARBAGE_MAX, &count, err))
		return -EINVAL;
	if (hex) {
		n = hex_decode(hex, strlen(hex), bytes, sizeof(bytes));
		if (n < 0) {
			*err = "\"hex\" must be pairs of hex digits, at most 4096 bytes";
			return -EINVAL;
		}
	} else {
		for (n = 0; n < (int)count; n++)
			bytes[n] = (uint8_t)sim_rand(sim);
	}
	out_garbage(sim, bytes, (size_t)n);
	cJSON_AddNumberToObject(reply, "bytes", n);
	return 0;
}

/* Fills the free slots of a storage with read messages, as an old SIM would be. */
static int fault_storage_full(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	enum storage_mem mem = sim->modem.mem[2];
	struct sms_deliver_opts o = { .from = FILLER_FROM, .smsc = sim->modem.csca };
	char hex[2 * SMS_PDU_MAX + 1], text[32];
	const char *name = NULL;
	struct sms_pdu pdu;
	unsigned filled = 0;

	if (jarg_str(req, "mem", false, &name, err))
		return -EINVAL;
	if (name && storage_mem_parse(name, &mem) < 0) {
		*err = "\"mem\" must be SM, ME or MT";
		return -EINVAL;
	}
	customers_now(&o.scts);
	while (storage_used(&sim->store, mem) < storage_total(&sim->store, mem)) {
		snprintf(text, sizeof(text), "old message %u", ++filled);
		if (sms_deliver_encode(text, strlen(text), &o, &pdu, 1, NULL, err) != 1)
			return -EINVAL;
		hex_encode(pdu.data, pdu.len, hex);
		if (storage_put(&sim->store, mem, hex, pdu.tpdu_len, STORAGE_REC_READ, false) < 0)
			break;
	}
	cJSON_AddNumberToObject(reply, "filled", filled);
	return 0;
}

static int fault_line(struct sim *sim, const cJSON *req, const char *type, const char **err)
{
	struct faults *f = &sim->faults;
	unsigned long count = 1, delay = 200;
	const char *urc = "RING";
	long at = -1, line = -1, after = 2;

	if (!strcmp(type, "no_answer")) {
		if (jarg_uint(req, "count", false, 1000000, &count, err))
			return -EINVAL;
		f->no_answer = (unsigned)count;
	} else if (!strcmp(type, "split")) {
		if (jarg_uint(req, "delay_ms", false, 600000, &delay, err) ||
		    jarg_int(req, "at", false, -1, 100000, &at, err))
			return -EINVAL;
		f->split = true;
		f->split_delay_ms = (unsigned)delay;
		f->split_at = at;
	} else if (!strcmp(type, "drop_line")) {
		if (jarg_int(req, "line", false, -1000, 1000, &line, err))
			return -EINVAL;
		f->drop = true;
		f->drop_line = line;
	} else {
		if (jarg_str(req, "urc", false, &urc, err) ||
		    jarg_int(req, "after", false, 1, 100000, &after, err))
			return -EINVAL;
		f->interleave = true;
		f->interleave_after = after;
		snprintf(f->interleave_urc, sizeof(f->interleave_urc), "%s", urc);
	}
	return 0;
}

static int cmd_fault(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	const char *type = NULL;
	cJSON *ev;

	if (jarg_str(req, "type", true, &type, err))
		return -EINVAL;
	ev = simlog_event(&sim->log, "fault");
	cJSON_AddStringToObject(ev, "armed", type);
	simlog_commit(&sim->log, ev);
	if (!strcmp(type, "cms_error"))
		return fault_cms(sim, req, err);
	if (!strcmp(type, "garbage"))
		return fault_garbage(sim, req, reply, err);
	if (!strcmp(type, "storage_full"))
		return fault_storage_full(sim, req, reply, err);
	if (!strcmp(type, "no_answer") || !strcmp(type, "split") || !strcmp(type, "drop_line") ||
	    !strcmp(type, "interleave"))
		return fault_line(sim, req, type, err);
	if (!strcmp(type, "clear")) {
		memset(&sim->faults, 0, sizeof(sim->faults));
		return 0;
	}
	*err = "\"type\" must be cms_error, no_answer, garbage, split, drop_line, interleave, "
	       "storage_full or clear";
	return -EINVAL;
}

static int cmd_unplug(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	(void)req;
	(void)reply;
	if (!pty_is_open(&sim->pty)) {
		*err = "already unplugged";
		return -EINVAL;
	}
	sim_unplug(sim);
	return 0;
}

static int cmd_replug(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	(void)req;
	if (pty_is_open(&sim->pty)) {
		*err = "not unplugged";
		return -EINVAL;
	}
	sched_cancel(&sim->sched, SCHED_TAG_REPLUG);
	if (sim_replug(sim) < 0) {
		*err = "cannot open a new pseudo-terminal";
		return -EIO;
	}
	cJSON_AddStringToObject(reply, "path", sim->pty.path);
	return 0;
}

static int cmd_registration(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	long stat = 0, eps = -2;

	(void)reply;
	if (jarg_int(req, "stat", true, 0, 5, &stat, err) ||
	    jarg_int(req, "eps_stat", false, 0, 5, &eps, err))
		return -EINVAL;
	sched_cancel(&sim->sched, SCHED_TAG_REGISTER);
	modem_set_registration(sim, (int)stat, (int)(eps == -2 ? stat : eps));
	return 0;
}

static int cmd_signal(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	long rssi = sim->modem.rssi, ber = sim->modem.ber;

	(void)reply;
	if (jarg_int(req, "rssi", false, 0, 99, &rssi, err) || jarg_int(req, "ber", false, 0, 99, &ber, err))
		return -EINVAL;
	if ((rssi > 31 && rssi != 99) || (ber > 7 && ber != 99)) {
		*err = "27.007 8.5: rssi is 0..31 or 99, ber 0..7 or 99";
		return -EINVAL;
	}
	sim->modem.rssi = (int)rssi;
	sim->modem.ber = (int)ber;
	return 0;
}

static int cmd_ring(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	unsigned long interval = 3000, rings = 0;
	const char *number = "+447700900123";

	(void)reply;
	if (jarg_str(req, "number", false, &number, err) ||
	    jarg_uint(req, "interval_ms", false, 600000, &interval, err) ||
	    jarg_uint(req, "rings", false, 1000000, &rings, err))
		return -EINVAL;
	modem_ring_start(sim, number, (unsigned)interval, (unsigned)rings);
	return 0;
}

static int cmd_hangup(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	(void)req;
	(void)reply;
	if (!sim->modem.call.active) {
		*err = "no call is ringing";
		return -EINVAL;
	}
	modem_ring_stop(sim, true);
	return 0;
}

static int cmd_inject(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	return customers_inject(sim, req, reply, err);
}

static int cmd_reply_rule(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	return customers_rule_add(sim, req, reply, err);
}

static int cmd_status_report(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	return customers_report(sim, req, reply, err);
}

static int cmd_sent(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	(void)req;
	(void)err;
	cJSON_AddItemToObject(reply, "messages", sent_json(&sim->sent));
	return 0;
}

static cJSON *slot_json(struct stored_msg *m, long idx)
{
	cJSON *o = cJSON_CreateObject();
	struct sms *sms = malloc(sizeof(*sms));

	cJSON_AddNumberToObject(o, "index", (double)idx);
	cJSON_AddNumberToObject(o, "stat", (int)m->stat);
	cJSON_AddNumberToObject(o, "length", m->tpdu_len);
	cJSON_AddStringToObject(o, "pdu", m->hex);
	if (sms && sms_decode_hex(m->hex, SMS_DECODE_SMSC, sms, NULL) == 0) {
		cJSON_AddStringToObject(o, "type", sms_type_name(sms->type));
		cJSON_AddStringToObject(o, sms->type == SMS_TYPE_DELIVER ? "from" : "to",
					sms->addr.number);
		if (sms->type == SMS_TYPE_STATUS_REPORT) {
			cJSON_AddNumberToObject(o, "mr", sms->mr);
			cJSON_AddNumberToObject(o, "status", sms->status);
		} else {
			cJSON_AddStringToObject(o, "text", sms->text);
		}
	}
	free(sms);
	return o;
}

static cJSON *mem_json(struct sim *sim, enum storage_mem mem)
{
	cJSON *o = cJSON_CreateObject(), *list;
	struct stored_msg *m;

	cJSON_AddNumberToObject(o, "used", storage_used(&sim->store, mem));
	cJSON_AddNumberToObject(o, "total", storage_total(&sim->store, mem));
	list = cJSON_AddArrayToObject(o, "messages");
	for (unsigned i = 0; i < storage_total(&sim->store, mem); i++) {
		long idx = (long)(sim->store.base + i);

		m = storage_slot(&sim->store, mem, idx);
		if (m->used)
			cJSON_AddItemToArray(list, slot_json(m, idx));
	}
	return o;
}

static int cmd_stored(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	(void)req;
	(void)err;
	cJSON_AddItemToObject(reply, "SM", mem_json(sim, STORAGE_SM));
	if (storage_total(&sim->store, STORAGE_ME))
		cJSON_AddItemToObject(reply, "ME", mem_json(sim, STORAGE_ME));
	cJSON_AddNumberToObject(reply, "waiting", route_waiting_count(&sim->route));
	cJSON_AddBoolToObject(reply, "unacked", sim->route.unacked != NULL);
	return 0;
}

static cJSON *int_array(const int *v, unsigned n)
{
	return cJSON_CreateIntArray(v, (int)n);
}

static void state_registration(const struct sim *sim, cJSON *reply)
{
	const struct modem *md = &sim->modem;
	cJSON *o = cJSON_AddObjectToObject(reply, "creg");

	cJSON_AddNumberToObject(o, "n", md->creg_n);
	cJSON_AddNumberToObject(o, "stat", md->stat);
	if (!sim->profile->eps)
		return;
	o = cJSON_AddObjectToObject(reply, "cereg");
	cJSON_AddNumberToObject(o, "n", md->cereg_n);
	cJSON_AddNumberToObject(o, "stat", md->eps_stat);
}

static int cmd_state(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	static const char *const pins[] = {
		[PIN_READY] = "READY", [PIN_SIM_PIN] = "SIM PIN", [PIN_SIM_PUK] = "SIM PUK",
	};
	const struct modem *md = &sim->modem;
	cJSON *mem, *call;

	(void)req;
	(void)err;
	cJSON_AddStringToObject(reply, "profile", sim->profile->name);
	cJSON_AddBoolToObject(reply, "plugged", pty_is_open(&sim->pty));
	cJSON_AddStringToObject(reply, "path", sim->pty.path);
	cJSON_AddBoolToObject(reply, "port_open", sim->pty.reader);
	cJSON_AddBoolToObject(reply, "booting", md->booting);
	cJSON_AddBoolToObject(reply, "echo", md->echo);
	cJSON_AddNumberToObject(reply, "cmee", md->cmee);
	cJSON_AddNumberToObject(reply, "cfun", md->cfun);
	cJSON_AddStringToObject(reply, "pin", pins[md->pin]);
	state_registration(sim, reply);
	cJSON_AddNumberToObject(reply, "rssi", md->rssi);
	cJSON_AddNumberToObject(reply, "ber", md->ber);
	cJSON_AddItemToObject(reply, "cnmi", int_array(md->cnmi, PROFILE_CNMI_FIELDS));
	cJSON_AddNumberToObject(reply, "csms", md->csms);
	cJSON_AddNumberToObject(reply, "cmgf", md->cmgf);
	cJSON_AddNumberToObject(reply, "cmms", md->cmms);
	cJSON_AddBoolToObject(reply, "clip", md->clip);
	cJSON_AddStringToObject(reply, "cscs", md->cscs);
	cJSON_AddStringToObject(reply, "csca", md->csca);
	mem = cJSON_AddArrayToObject(reply, "cpms");
	for (int i = 0; i < 3; i++)
		cJSON_AddItemToArray(mem, cJSON_CreateString(storage_mem_name(md->mem[i])));
	cJSON_AddNumberToObject(reply, "next_mr", md->next_mr);
	cJSON_AddBoolToObject(reply, "prompt", sim->out.prompt);
	call = cJSON_AddObjectToObject(reply, "call");
	cJSON_AddBoolToObject(call, "active", md->call.active);
	cJSON_AddStringToObject(call, "number", md->call.number);
	cJSON_AddNumberToObject(call, "rings", md->call.rings);
	cJSON_AddNumberToObject(reply, "waiting", route_waiting_count(&sim->route));
	cJSON_AddNumberToObject(reply, "redeliveries", sim->route.redeliveries);
	cJSON_AddBoolToObject(reply, "unacked", sim->route.unacked != NULL);
	cJSON_AddNumberToObject(reply, "latency_ms", sim->cfg.latency_ms);
	cJSON_AddNumberToObject(reply, "baud", sim->opt.baud);
	return 0;
}

static int cmd_latency(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	unsigned long ms = 0;
	const char *name = NULL;
	unsigned i;

	(void)reply;
	if (jarg_uint(req, "ms", true, 600000, &ms, err) || jarg_str(req, "command", false, &name, err))
		return -EINVAL;
	if (!name) {
		sim->cfg.latency_ms = (unsigned)ms;
		return 0;
	}
	if (strlen(name) >= sizeof(sim->lat[0].name)) {
		*err = "\"command\" is a command name such as +CMGS";
		return -EINVAL;
	}
	for (i = 0; i < sim->nlat && strcasecmp(sim->lat[i].name, name); i++)
		;
	if (i == SIM_LATENCY_OVERRIDES) {
		*err = "too many per-command latencies";
		return -EINVAL;
	}
	if (i == sim->nlat)
		sim->nlat++;
	snprintf(sim->lat[i].name, sizeof(sim->lat[i].name), "%s", name);
	for (char *p = sim->lat[i].name; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	sim->lat[i].ms = (unsigned)ms;
	return 0;
}

static int cmd_set(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	struct sim_config *c = &sim->cfg;
	unsigned long v[7] = { c->cnma_timeout_ms, c->redeliver_ms, c->report_status,
			       c->report_delay_ms, c->noise_ms, c->reboot_ms, sim->opt.baud };

	(void)reply;
	if (jarg_uint(req, "cnma_timeout_ms", false, 86400000, &v[0], err) ||
	    jarg_uint(req, "redeliver_ms", false, 86400000, &v[1], err) ||
	    jarg_uint(req, "report_status", false, 255, &v[2], err) ||
	    jarg_uint(req, "report_delay_ms", false, 86400000, &v[3], err) ||
	    jarg_uint(req, "noise_ms", false, 86400000, &v[4], err) ||
	    jarg_uint(req, "reboot_ms", false, 600000, &v[5], err) ||
	    jarg_uint(req, "baud", false, 4000000, &v[6], err) ||
	    jarg_bool(req, "report_auto", &c->report_auto, err))
		return -EINVAL;
	c->cnma_timeout_ms = (unsigned)v[0];
	c->redeliver_ms = (unsigned)v[1];
	c->report_status = (unsigned)v[2];
	c->report_delay_ms = (unsigned)v[3];
	c->reboot_ms = (unsigned)v[5];
	sim->opt.baud = (unsigned)v[6];
	pty_set_baud(&sim->pty, sim->opt.baud);
	if (c->noise_ms != v[4]) {
		c->noise_ms = (unsigned)v[4];
		modem_noise_update(sim);
	}
	return 0;
}

static int cmd_urc(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	const char *line = NULL;

	(void)reply;
	if (jarg_str(req, "line", true, &line, err))
		return -EINVAL;
	out_urc(sim, line);
	return 0;
}

static int cmd_quit(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	(void)req;
	(void)reply;
	(void)err;
	sim->quit = true;
	return 0;
}

static int cmd_help(struct sim *sim, const cJSON *req, cJSON *reply, const char **err);

static const struct {
	const char *name;
	ctl_fn fn;
} commands[] = {
	{ "inject", cmd_inject },
	{ "reply_rule", cmd_reply_rule },
	{ "status_report", cmd_status_report },
	{ "fault", cmd_fault },
	{ "unplug", cmd_unplug },
	{ "replug", cmd_replug },
	{ "registration", cmd_registration },
	{ "signal", cmd_signal },
	{ "ring", cmd_ring },
	{ "hangup", cmd_hangup },
	{ "sent", cmd_sent },
	{ "stored", cmd_stored },
	{ "state", cmd_state },
	{ "status", cmd_state },
	{ "latency", cmd_latency },
	{ "set", cmd_set },
	{ "urc", cmd_urc },
	{ "quit", cmd_quit },
	{ "help", cmd_help },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static int cmd_help(struct sim *sim, const cJSON *req, cJSON *reply, const char **err)
{
	cJSON *list = cJSON_AddArrayToObject(reply, "commands");

	(void)sim;
	(void)req;
	(void)err;
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(commands[i].name));
	return 0;
}

static char *error_reply(const char *err)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	cJSON_AddFalseToObject(o, "ok");
	cJSON_AddStringToObject(o, "error", err);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

static ctl_fn command_find(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].fn;
	return NULL;
}

char *ctl_dispatch(void *ctx, const char *line)
{
	struct sim *sim = ctx;
	cJSON *req = cJSON_Parse(line), *reply, *ev;
	const char *name = NULL, *err = NULL;
	char msg[160], *text;
	ctl_fn fn;
	int rc;

	if (!cJSON_IsObject(req)) {
		cJSON_Delete(req);
		return error_reply("invalid JSON: send one object per line, such as {\"cmd\":\"state\"}");
	}
	if (jarg_str(req, "cmd", true, &name, &err) < 0) {
		cJSON_Delete(req);
		return error_reply(err);
	}
	if (!(fn = command_find(name))) {
		snprintf(msg, sizeof(msg), "unknown command \"%.40s\"; {\"cmd\":\"help\"} lists them", name);
		cJSON_Delete(req);
		return error_reply(msg);
	}
	reply = cJSON_CreateObject();
	cJSON_AddTrueToObject(reply, "ok");
	rc = fn(sim, req, reply, &err);
	ev = simlog_event(&sim->log, "control");
	cJSON_AddStringToObject(ev, "cmd", name);
	cJSON_AddBoolToObject(ev, "ok", rc == 0);
	if (rc < 0)
		cJSON_AddStringToObject(ev, "error", err ? err : "failed");
	simlog_commit(&sim->log, ev);
	text = rc < 0 ? error_reply(err ? err : "failed") : cJSON_PrintUnformatted(reply);
	cJSON_Delete(reply);
	cJSON_Delete(req);
	return text;
}
