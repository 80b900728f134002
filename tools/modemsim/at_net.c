/*
 * The network side of the modem as AT shows it: registration (TS 27.007
 * 7.2 +CREG, +CEREG), signal (8.5 +CSQ), operator (7.3 +COPS), functionality
 * and resets (8.2 +CFUN and the vendors' own reset commands), calls
 * (7.6 +CLIP, 6.5 +CHUP, V.250 6.3.6 H).
 */
#include <stdio.h>
#include <string.h>

#include "at_cmds.h"
#include "modem.h"
#include "sim.h"

#define OPERATOR_NAME "MODEMSIM"

static enum at_status reg_cmd(struct sim *sim, const struct at_cmd *c, struct resp *r, bool eps)
{
	char line[96];
	long n;

	switch (c->type) {
	case AT_READ:
		modem_reg_format(sim, eps, true, line, sizeof(line));
		resp_add(r, "%s", line);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "%s: (0-2)", eps ? "+CEREG" : "+CREG");
		return AT_CONTINUE;
	case AT_SET:
		if (!at_args_int(&c->args, 0, 0, 2, &n))
			return at_cme(sim, r, 50);
		if (eps)
			sim->modem.cereg_n = (int)n;
		else
			sim->modem.creg_n = (int)n;
		return AT_CONTINUE;
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

enum at_status at_creg(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	return reg_cmd(sim, c, r, false);
}

enum at_status at_cereg(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	if (!sim->profile->eps)
		return at_error(r);
	return reg_cmd(sim, c, r, true);
}

enum at_status at_csq(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	bool radio = sim->modem.cfun == 1;

	switch (c->type) {
	case AT_EXEC:
		/* 99,99: not known, as with the radio off */
		resp_add(r, "+CSQ: %d,%d", radio ? sim->modem.rssi : 99, radio ? sim->modem.ber : 99);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "+CSQ: (0-31,99),(0-7,99)");
		return AT_CONTINUE;
	case AT_READ:
	case AT_SET:
		break;
	}
	return at_error(r);
}

static void operator_numeric(const struct sim *sim, char *out, size_t size)
{
	/* MCC and a two-digit MNC from the IMSI (TS 23.003 2.2) */
	snprintf(out, size, "%.5s", sim->opt.imsi);
}

enum at_status at_cops(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	char num[8];
	int act = sim->profile->act;

	switch (c->type) {
	case AT_READ:
		if (!modem_registered(sim))
			resp_add(r, "+COPS: 0");
		else if (act < 0)
			resp_add(r, "+COPS: 0,0,\"%s\"", OPERATOR_NAME);
		else
			resp_add(r, "+COPS: 0,0,\"%s\",%d", OPERATOR_NAME, act);
		return AT_CONTINUE;
	case AT_TEST:
		operator_numeric(sim, num, sizeof(num));
		resp_add(r, "+COPS: (2,\"%s\",\"%s\",\"%s\"%s%d),,(0-4),(0-2)", OPERATOR_NAME,
			 OPERATOR_NAME, num, act < 0 ? "" : ",", act < 0 ? 0 : act);
		return AT_CONTINUE;
	case AT_SET:
		/* Automatic or manual selection both end on the one simulated network. */
		return AT_CONTINUE;
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

static void reboot_after(struct sim *sim)
{
	modem_reboot(sim);
}

enum at_status at_cfun(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long fun, rst = 0;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CFUN: %d", sim->modem.cfun);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "+CFUN: (0,1,4),(0-1)");
		return AT_CONTINUE;
	case AT_SET:
		if (!at_args_int(&c->args, 0, 0, 4, &fun) || fun == 2 || fun == 3)
			return at_cme(sim, r, 50);
		if (c->args.count > 1 && !at_args_int(&c->args, 1, 0, 1, &rst))
			return at_cme(sim, r, 50);
		if (rst) {
			/* 27.007 8.2 <rst> 1: reset before setting <fun>; the OK comes first. */
			out_after_response(sim, reboot_after);
			return AT_CONTINUE;
		}
		modem_set_cfun(sim, (int)fun);
		return AT_CONTINUE;
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

enum at_status at_reset_cmd(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	if (c->type == AT_TEST)
		return AT_CONTINUE;
	if (c->type != AT_EXEC)
		return at_error(r);
	out_after_response(sim, reboot_after);
	return AT_CONTINUE;
}

enum at_status at_clip(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	long n;

	switch (c->type) {
	case AT_READ:
		resp_add(r, "+CLIP: %d,1", sim->modem.clip ? 1 : 0);
		return AT_CONTINUE;
	case AT_TEST:
		resp_add(r, "+CLIP: (0,1)");
		return AT_CONTINUE;
	case AT_SET:
		if (!at_args_int(&c->args, 0, 0, 1, &n))
			return at_cme(sim, r, 50);
		sim->modem.clip = n == 1;
		return AT_CONTINUE;
	case AT_EXEC:
		break;
	}
	return at_error(r);
}

enum at_status at_chup(struct sim *sim, const struct at_cmd *c, struct resp *r)
{
	if (c->type == AT_TEST)
		return AT_CONTINUE;
	if (c->type != AT_EXEC)
		return at_error(r);
	modem_ring_stop(sim, false);
	return AT_CONTINUE;
}
