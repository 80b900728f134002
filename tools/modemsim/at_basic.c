/*
 * V.250 basic commands (E, V, Q, Z, I, H, &F, S registers), identity
 * (TS 27.007 5.1-5.6), the SIM (8.3 +CPIN, +CNUM 7.1, the vendor ICCID
 * command) and error reporting (+CMEE 9.1).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "at_cmds.h"
#include "modem.h"
#include "sim.h"

#define PIN_TRIES 3
#define SIM_PUK "12345678"

/* A command that only executes: "=?" says OK, other forms are errors. */
static enum at_status exec_only(const struct at_cmd *c, struct resp *r, bool *run)
{
	*run = false;
	if (c->type == AT_TEST)
		return AT_CONTINUE;
	if (c->type != AT_EXEC)
		return at_error(r);
	*run = true;
	return AT_CONTINUE;
}

static enum at_status ident(const struct at_cmd *c, struct resp *r, const char *text)
{
	bool run;
	enum at_status st = exec_only(c, r, &run);

	if (run)
		resp_add(r, "%s", text);
	return st;
}

static enum at_status basic_s(const struct at_cmd *c, struct resp *r)
{
	/* S3 CR, S4 LF, S5 BS (V.250 6.2.1-6.2.3); S0 auto-answer off */
	static const int values[] = { [0] = 0, [3] = 13, [4] = 10, [5] = 8, [7] = 60, [10] = 15 };

	if (c->num < 0 || c->num > 255)
		return at_error(r);
	if (c->type == AT_READ)
		resp_add(r, "%03d", c->num < (long)(sizeof(values) / sizeof(values[0])) ?
				 values[c->num] : 0);
	return AT_CONTINUE;
}

static void settings_restore(struct sim *sim)
{
	int cfun = sim->modem.cfun;

	modem_defaults(sim);
	sim->modem.cfun = cfun;
}

static enum at_status basic_i(struct sim *sim, struct resp *r)
{
	char line[256];

	for (const char *const *l = sim->profile->ati; *l; l++) {
		modem_expand(sim, *l, line, sizeof(line));
		resp_add(r, "%s", line);
	}
	return AT_CONTINUE;
}

enum at_status at_basic(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long n = c->num < 0 ? 0 : c->num;

	if (!strcmp(c->name, "E")) {
		if (n > 1)
			return at_error(r);
		sim->modem.echo = n == 1;
		return AT_CONTINUE;
	}
	/* Numeric results (V0) and quiet mode (Q1) are not simulated. */
	if (!strcmp(c->name, "V"))
		return n == 1 ? AT_CONTINUE : at_error(r);
	if (!strcmp(c->name, "Q"))
		return n == 0 ? AT_CONTINUE : at_error(r);
	if (!strcmp(c->name, "Z") || !strcmp(c->name, "&F")) {
		settings_restore(sim);
		return AT_CONTINUE;
	}
	if (!strcmp(c->name, "I"))
		return basic_i(sim, r);
	if (!strcmp(c->name, "H"))
		return at_chup(sim, c, r);
	if (!strcmp(c->name, "S"))
		return basic_s(c, r);
	if (!strcmp(c->name, "&W") || !strcmp(c->name, "&C") || !strcmp(c->name, "&D") ||
	    !strcmp(c->name, "X") || !strcmp(c->name, "L") || !strcmp(c->name, "M"))
		return AT_CONTINUE;
	return at_error(r);
}

enum at_status at_cgmi(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	return ident(c, r, sim->profile->manufacturer);
}

enum at_status at_cgmm(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	return ident(c, r, sim->profile->model);
}

enum at_status at_cgmr(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	return ident(c, r, sim->profile->revision);
}

enum at_status at_cgsn(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	return ident(c, r, sim->opt.imei);
}

enum at_status at_cimi(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	if (c->type == AT_EXEC && at_need_sim(sim, r) == AT_FAILED)
		return AT_FAILED;
	return ident(c, r, sim->opt.imsi);
}

/* The ICCID as EF_ICCID holds it: each pair of digits swapped (ETSI TS 102 221 13.2). */
static void iccid_swap(const char *in, char *out, size_t size)
{
	size_t len = strlen(in), i;

	for (i = 0; i + 1 < size && i < len; i++)
		out[i] = (i % 2 == 0) ? (i + 1 < len ? in[i + 1] : 'F') : in[i - 1];
	if (len % 2 && i + 1 < size)
		out[i++] = in[len - 1];
	out[i] = '\0';
}

enum at_status at_iccid(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	char digits[48];

	/* Read and execute forms both answer: vendors differ (AT+CCID, AT^ICCID?). */
	if (c->type == AT_TEST)
		return AT_CONTINUE;
	if (c->type == AT_SET)
		return at_error(r);
	if (sim->profile->iccid_swapped)
		iccid_swap(sim->opt.iccid, digits, sizeof(digits));
	else
		snprintf(digits, sizeof(digits), "%s", sim->opt.iccid);
	resp_add(r, "%s%s", sim->profile->iccid_prefix, digits);
	return AT_CONTINUE;
}

enum at_status at_cnum(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	const char *num = sim->opt.number;
	bool run;
	enum at_status st = exec_only(c, r, &run);

	if (!run)
		return st;
	if (at_need_sim(sim, r) == AT_FAILED)
		return AT_FAILED;
	/* 27.007 7.1; many SIMs do not hold their own number: then no line at all. */
	if (num && num[0])
		resp_add(r, "+CNUM: \"\",\"%s\",%d", num, num[0] == '+' ? 145 : 129);
	return AT_CONTINUE;
}

static void pin_ok_after(struct sim *sim)
{
	modem_pin_ok(sim);
}

static enum at_status cpin_set(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	struct modem *md = &sim->modem;
	const char *code = at_args_str(&c->args, 0), *newpin = at_args_str(&c->args, 1);

	if (!code)
		return at_cme(sim, r, 50);
	if (md->pin == PIN_READY)
		return at_cme(sim, r, 3);
	if (md->pin == PIN_SIM_PUK) {
		if (!newpin || strlen(newpin) >= sizeof(md->pin_code))
			return at_cme(sim, r, 50);
		if (strcmp(code, SIM_PUK) != 0)
			return at_cme(sim, r, 16);
		snprintf(md->pin_code, sizeof(md->pin_code), "%s", newpin);
	} else if (strcmp(code, md->pin_code) != 0) {
		if (++md->pin_tries >= PIN_TRIES)
			md->pin = PIN_SIM_PUK;
		return at_cme(sim, r, 16);
	}
	/* +CPIN: READY and the rest of the boot chatter come after the OK. */
	out_after_response(sim, pin_ok_after);
	return AT_CONTINUE;
}

enum at_status at_cpin(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	static const char *const names[] = {
		[PIN_READY] = "READY", [PIN_SIM_PIN] = "SIM PIN", [PIN_SIM_PUK] = "SIM PUK",
	};

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CPIN: %s", names[sim->modem.pin]);
		return AT_CONTINUE;
	case AT_TEST:
		return AT_CONTINUE;
	case AT_SET:
		return cpin_set(sim, c, r);
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

enum at_status at_cmee(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long n;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CMEE: %d", sim->modem.cmee);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "+CMEE: (0-2)");
		return AT_CONTINUE;
	case AT_SET:
		if (!at_args_int(&c->args, 0, 0, 2, &n))
			return at_error(r);
		sim->modem.cmee = (int)n;
		return AT_CONTINUE;
	case AT_EXEC:
		sim->modem.cmee = 0;
		return AT_CONTINUE;
	}
	return at_error(r);
}

enum at_status at_cscs(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	static const char *const sets[] = { "GSM", "IRA", "UCS2", "HEX", "8859-1", "PCCP437" };
	const char *want;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CSCS: \"%s\"", sim->modem.cscs);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "+CSCS: (\"IRA\",\"GSM\",\"UCS2\",\"HEX\")");
		return AT_CONTINUE;
	case AT_SET:
		want = at_args_str(&c->args, 0);
		for (size_t i = 0; want && i < sizeof(sets) / sizeof(sets[0]); i++) {
			if (!strcasecmp(want, sets[i])) {
				snprintf(sim->modem.cscs, sizeof(sim->modem.cscs), "%s", sets[i]);
				return AT_CONTINUE;
			}
		}
		return at_cme(sim, r, 4);
	case AT_EXEC:
		break;
	}
	return at_error(r);
}
