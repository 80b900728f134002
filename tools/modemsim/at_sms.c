/*
 * TS 27.005 in PDU mode, except sending: message service (3.2.1 +CSMS),
 * format (3.2.3 +CMGF), storages (3.2.2 +CPMS), service centre (3.3.1
 * +CSCA), routing (3.4.1 +CNMI, 4.7 +CNMA), listing, reading and deleting
 * (4.1 +CMGL, 4.2 +CMGR, 3.5.4 +CMGD), and 3.5.6 +CMMS.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "at_cmds.h"
#include "sim.h"

/* +CMS ERROR: 311/316 while the SIM is locked. */
static enum at_status sms_need_sim(struct sim *sim, struct resp *r)
{
	switch (sim->modem.pin) {
	case PIN_READY:
		return AT_CONTINUE;
	case PIN_SIM_PIN:
		return at_cms(sim, r, 311);
	case PIN_SIM_PUK:
		return at_cms(sim, r, 316);
	}
	return AT_CONTINUE;
}

/* Reading and sending are simulated in PDU mode only. */
static enum at_status sms_need_pdu(struct sim *sim, struct resp *r)
{
	if (sms_need_sim(sim, r) == AT_FAILED)
		return AT_FAILED;
	return sim->modem.cmgf == 0 ? AT_CONTINUE : at_cms(sim, r, 303);
}

enum at_status at_csms(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long n;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CSMS: %d,1,1,1", sim->modem.csms);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "+CSMS: (0,1)");
		return AT_CONTINUE;
	case AT_SET:
		if (!at_args_int(&c->args, 0, 0, 1, &n))
			return at_cms(sim, r, 303);
		sim->modem.csms = (int)n;
		resp_add(r, "+CSMS: 1,1,1");
		return AT_CONTINUE;
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

enum at_status at_cmgf(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long n;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CMGF: %d", sim->modem.cmgf);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, sim->profile->text_mode ? "+CMGF: (0,1)" : "+CMGF: (0)");
		return AT_CONTINUE;
	case AT_SET:
		if (!at_args_int(&c->args, 0, 0, sim->profile->text_mode ? 1 : 0, &n))
			return at_error(r);
		sim->modem.cmgf = (int)n;
		return AT_CONTINUE;
	case AT_EXEC:
		sim->modem.cmgf = 0;
		return AT_CONTINUE;
	}
	return at_error(r);
}

static bool mem_supported(const struct sim *sim, enum storage_mem m)
{
	return storage_total(&sim->store, m) > 0;
}

static void cpms_test(struct sim *sim, struct resp *r)
{
	char list[32] = "";
	size_t len = 0;

	for (unsigned i = 0; i < STORAGE_MEM_COUNT; i++) {
		if (!mem_supported(sim, (enum storage_mem)i))
			continue;
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s\"%s\"", len ? "," : "",
					storage_mem_name((enum storage_mem)i));
	}
	resp_add(r, "+CPMS: (%s),(%s),(%s)", list, list, list);
}

static enum at_status cpms_set(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	enum storage_mem want[3], *mem = sim->modem.mem;
	const char *name;
	unsigned n = c->args.count < 3 ? c->args.count : 3;

	if (n == 0)
		return at_cms(sim, r, 302);
	for (unsigned i = 0; i < 3; i++) {
		want[i] = mem[i];
		name = i < n ? at_args_str(&c->args, i) : NULL;
		if (!name)
			continue;
		if (storage_mem_parse(name, &want[i]) < 0 || !mem_supported(sim, want[i]))
			return at_cms(sim, r, 302);
	}
	memcpy(mem, want, sizeof(want));
	resp_add(r, "+CPMS: %u,%u,%u,%u,%u,%u", storage_used(&sim->store, mem[0]),
		 storage_total(&sim->store, mem[0]), storage_used(&sim->store, mem[1]),
		 storage_total(&sim->store, mem[1]), storage_used(&sim->store, mem[2]),
		 storage_total(&sim->store, mem[2]));
	return AT_CONTINUE;
}

enum at_status at_cpms(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	const enum storage_mem *mem = sim->modem.mem;
	const struct storage *s = &sim->store;

	if (c->type != AT_TEST && sms_need_sim(sim, r) == AT_FAILED)
		return AT_FAILED;
	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CPMS: \"%s\",%u,%u,\"%s\",%u,%u,\"%s\",%u,%u",
			 storage_mem_name(mem[0]), storage_used(s, mem[0]), storage_total(s, mem[0]),
			 storage_mem_name(mem[1]), storage_used(s, mem[1]), storage_total(s, mem[1]),
			 storage_mem_name(mem[2]), storage_used(s, mem[2]), storage_total(s, mem[2]));
		return AT_CONTINUE;
	case AT_TEST:
		cpms_test(sim, r);
		return AT_CONTINUE;
	case AT_SET:
		return cpms_set(sim, c, r);
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

static bool sca_valid(const char *s)
{
	size_t digits = 0;

	if (*s == '+')
		s++;
	for (; *s; s++, digits++)
		if (!isdigit((unsigned char)*s))
			return false;
	return digits > 0 && digits <= 20;
}

enum at_status at_csca(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	const char *sca;
	long toa;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CSCA: \"%s\",%d", sim->modem.csca, sim->modem.csca_toa);
		return AT_CONTINUE;
	case AT_TEST:
		return AT_CONTINUE;
	case AT_SET:
		sca = at_args_str(&c->args, 0);
		if (!sca || !sca_valid(sca) || strlen(sca) >= sizeof(sim->modem.csca))
			return at_cms(sim, r, 304);
		if (!at_args_int(&c->args, 1, 0, 255, &toa))
			toa = sca[0] == '+' ? 145 : 129;
		snprintf(sim->modem.csca, sizeof(sim->modem.csca), "%s", sca);
		sim->modem.csca_toa = (int)toa;
		return AT_CONTINUE;
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

static void cnmi_after(struct sim *sim)
{
	route_cnmi_set(sim);
}

static enum at_status cnmi_set(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	static const long max[PROFILE_CNMI_FIELDS] = { 3, 3, 3, 2, 1 };
	int v[PROFILE_CNMI_FIELDS];
	long n;

	memcpy(v, sim->modem.cnmi, sizeof(v));
	if (c->args.count == 0 || c->args.count > PROFILE_CNMI_FIELDS)
		return at_cms(sim, r, 303);
	for (unsigned i = 0; i < c->args.count; i++) {
		if (!c->args.v[i].present)
			continue; /* omitted: the previous value stays (V.250 5.4.2) */
		if (!at_args_int(&c->args, i, 0, max[i], &n))
			return at_cms(sim, r, 303);
		v[i] = (int)n;
	}
	memcpy(sim->modem.cnmi, v, sizeof(v));
	out_after_response(sim, cnmi_after);
	return AT_CONTINUE;
}

enum at_status at_cnmi(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	const int *v = sim->modem.cnmi;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CNMI: %d,%d,%d,%d,%d", v[0], v[1], v[2], v[3], v[4]);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)");
		return AT_CONTINUE;
	case AT_SET:
		return cnmi_set(sim, c, r);
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

enum at_status at_cnma(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long n = 0;

	switch (c->type) {
	case AT_TEST:
		resp_add(r, "+CNMA: (0-2)");
		return AT_CONTINUE;
	case AT_SET:
		if (!at_args_int(&c->args, 0, 0, 2, &n))
			return at_cms(sim, r, 304);
		/* An RP-ACK/RP-ERROR PDU after a prompt (27.005 4.7) is not simulated. */
		if (c->args.count > 1)
			return at_cms(sim, r, 303);
		break;
	case AT_EXEC:
		break;
	case AT_READ:
		return at_error(r);
	}
	if (route_cnma(sim, n != 2) < 0)
		return at_cms(sim, r, 340);
	return AT_CONTINUE;
}

static void show_slot(struct resp *r, const char *cmd, long idx, const struct stored_msg *m)
{
	if (idx >= 0)
		resp_add(r, "%s: %ld,%d,,%u", cmd, idx, (int)m->stat, m->tpdu_len);
	else
		resp_add(r, "%s: %d,,%u", cmd, (int)m->stat, m->tpdu_len);
	resp_add(r, "%s", m->hex);
}

enum at_status at_cmgl(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	enum storage_mem mem = sim->modem.mem[0];
	struct stored_msg *m;
	long stat = 0;

	if (c->type == AT_TEST) {
		resp_add(r, "+CMGL: (0-4)");
		return AT_CONTINUE;
	}
	if (c->type == AT_READ)
		return at_error(r);
	if (sms_need_pdu(sim, r) == AT_FAILED)
		return AT_FAILED;
	/* 27.005 4.1: without <stat>, received unread messages */
	if (c->type == AT_SET && !at_args_int(&c->args, 0, 0, 4, &stat))
		return at_cms(sim, r, 304);
	for (unsigned i = 0; i < storage_total(&sim->store, mem); i++) {
		long idx = (long)(sim->store.base + i);

		m = storage_slot(&sim->store, mem, idx);
		if (!m->used || (stat != 4 && (long)m->stat != stat))
			continue;
		show_slot(r, "+CMGL", idx, m);
		if (m->stat == STORAGE_REC_UNREAD)
			m->stat = STORAGE_REC_READ; /* 27.005 3.4.2 */
	}
	return AT_CONTINUE;
}

enum at_status at_cmgr(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	struct stored_msg *m;
	long idx;

	if (c->type == AT_TEST)
		return AT_CONTINUE;
	if (c->type != AT_SET)
		return at_error(r);
	if (sms_need_pdu(sim, r) == AT_FAILED)
		return AT_FAILED;
	if (!at_args_int(&c->args, 0, 0, 100000, &idx) ||
	    !(m = storage_slot(&sim->store, sim->modem.mem[0], idx)))
		return at_cms(sim, r, 321);
	if (!m->used)
		return sim->profile->cmgr_empty_ok ? AT_CONTINUE : at_cms(sim, r, 321);
	show_slot(r, "+CMGR", -1, m);
	if (m->stat == STORAGE_REC_UNREAD)
		m->stat = STORAGE_REC_READ; /* 27.005 3.4.3 */
	return AT_CONTINUE;
}

static bool delflag_matches(long flag, enum storage_stat st)
{
	/* 27.005 3.5.4 <delflag> 1..4: ever wider sets of statuses */
	switch (st) {
	case STORAGE_REC_READ:
		return flag >= 1;
	case STORAGE_STO_SENT:
		return flag >= 2;
	case STORAGE_STO_UNSENT:
		return flag >= 3;
	case STORAGE_REC_UNREAD:
		return flag >= 4;
	}
	return false;
}

static void freed_after(struct sim *sim)
{
	route_retry(sim); /* a full SIM's held messages arrive once there is room */
}

static void cmgd_test(struct sim *sim, struct resp *r)
{
	enum storage_mem mem = sim->modem.mem[0];
	char list[1024] = "";
	size_t len = 0;

	for (unsigned i = 0; i < storage_total(&sim->store, mem) && len < sizeof(list) - 16; i++) {
		long idx = (long)(sim->store.base + i);

		if (storage_slot(&sim->store, mem, idx)->used)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%ld", len ? "," : "",
						idx);
	}
	resp_add(r, "+CMGD: (%s),(0-4)", list);
}

enum at_status at_cmgd(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	enum storage_mem mem = sim->modem.mem[0];
	struct stored_msg *m;
	long idx, flag = 0;

	if (c->type == AT_TEST) {
		cmgd_test(sim, r);
		return AT_CONTINUE;
	}
	if (c->type != AT_SET)
		return at_error(r);
	if (sms_need_sim(sim, r) == AT_FAILED)
		return AT_FAILED;
	if (c->args.count > 1 && !at_args_int(&c->args, 1, 0, 4, &flag))
		return at_cms(sim, r, 304);
	if (!at_args_int(&c->args, 0, 0, 100000, &idx))
		return at_cms(sim, r, 321);
	if (flag == 0) {
		if (!(m = storage_slot(&sim->store, mem, idx)))
			return at_cms(sim, r, 321);
		storage_clear(m);
	} else {
		for (unsigned i = 0; i < storage_total(&sim->store, mem); i++) {
			m = storage_slot(&sim->store, mem, (long)(sim->store.base + i));
			if (m->used && delflag_matches(flag, m->stat))
				storage_clear(m);
		}
	}
	out_after_response(sim, freed_after);
	return AT_CONTINUE;
}

enum at_status at_cmms(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long n;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CMMS: %d", sim->modem.cmms);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "+CMMS: (0-2)");
		return AT_CONTINUE;
	case AT_SET:
		if (!at_args_int(&c->args, 0, 0, 2, &n))
			return at_cms(sim, r, 303);
		sim->modem.cmms = (int)n;
		return AT_CONTINUE;
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

enum at_status at_accept(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	(void)sim;
	/* Text mode parameters: taken and ignored, as PDU mode does not use them. */
	if (c->type == AT_READ)
		resp_add(r, !strcmp(c->name, "+CSDH") ? "+CSDH: 0" : "+CSMP: 17,167,0,0");
	return AT_CONTINUE;
}
