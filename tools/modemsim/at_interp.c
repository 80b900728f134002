/*
 * Command lines in, commands dispatched.
 *
 * A line is everything up to CR (S3, V.250 6.2.1); LF is ignored and BS
 * (S5) deletes. Characters before "AT" are ignored and a line without it
 * gets no answer, as V.250 5.2 has it. Basic commands may follow one
 * another directly (ATE0V1), extended ones are separated by ';'
 * (V.250 5.4). The first failing command ends the line with its error.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "at_cmds.h"
#include "clock.h"
#include "sim.h"

#define CTRL_Z 0x1A
#define ESC 0x1B
#define BS 0x08

struct at_entry {
	const char *name;
	at_handler fn;
};

static const struct at_entry table[] = {
	{ "+CGMI", at_cgmi },   { "+GMI", at_cgmi },    { "+CGMM", at_cgmm },
	{ "+GMM", at_cgmm },    { "+CGMR", at_cgmr },   { "+GMR", at_cgmr },
	{ "+CGSN", at_cgsn },   { "+GSN", at_cgsn },    { "+CIMI", at_cimi },
	{ "+CNUM", at_cnum },   { "+CPIN", at_cpin },   { "+CMEE", at_cmee },
	{ "+CSCS", at_cscs },   { "+CREG", at_creg },   { "+CEREG", at_cereg },
	{ "+CSQ", at_csq },     { "+COPS", at_cops },   { "+CFUN", at_cfun },
	{ "+CLIP", at_clip },   { "+CHUP", at_chup },   { "+CSMS", at_csms },
	{ "+CMGF", at_cmgf },   { "+CPMS", at_cpms },   { "+CSCA", at_csca },
	{ "+CNMI", at_cnmi },   { "+CNMA", at_cnma },   { "+CMGL", at_cmgl },
	{ "+CMGR", at_cmgr },   { "+CMGD", at_cmgd },   { "+CMMS", at_cmms },
	{ "+CMGS", at_cmgs },   { "+CSDH", at_accept }, { "+CSMP", at_accept },
};

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

void at_interp_init(struct at_interp *a)
{
	memset(a, 0, sizeof(*a));
}

void at_interp_reset(struct sim *sim)
{
	struct at_interp *a = &sim->at;

	a->mode = AT_MODE_COMMAND;
	a->len = 0;
	a->overflow = false;
	a->pdu_len = 0;
	a->pdu_bad = false;
}

static bool is_ext_prefix(char c)
{
	return c == '+' || c == '^' || c == '#' || c == '$' || c == '%';
}

static at_handler lookup(const struct sim *sim, const char *name)
{
	const struct modem_profile *p = sim->profile;

	if (!strcmp(name, p->iccid_cmd))
		return at_iccid;
	if (p->reset_cmd && !strcmp(name, p->reset_cmd))
		return at_reset_cmd;
	if (!is_ext_prefix(name[0]))
		return at_basic;
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (!strcmp(name, table[i].name))
			return table[i].fn;
	return NULL;
}

/* Copies the parameters up to an unquoted ';' into c->raw. */
static const char *params_take(const char *p, struct at_cmd *c)
{
	bool quoted = false;
	size_t len = 0;

	for (; *p && (quoted || *p != ';'); p++) {
		if (*p == '"')
			quoted = !quoted;
		if (len < sizeof(c->raw) - 1)
			c->raw[len++] = *p;
	}
	c->raw[len] = '\0';
	return p;
}

static const char *ext_parse(const char *p, struct at_cmd *c)
{
	size_t len = 0;

	c->name[len++] = *p++;
	while (isalnum((unsigned char)*p) || *p == '_') {
		if (len == sizeof(c->name) - 1)
			return NULL;
		c->name[len++] = (char)toupper((unsigned char)*p++);
	}
	c->name[len] = '\0';
	if (*p == '?') {
		c->type = AT_READ;
		p++;
	} else if (*p == '=' && p[1] == '?') {
		c->type = AT_TEST;
		p += 2;
	} else if (*p == '=') {
		c->type = AT_SET;
		p = params_take(p + 1, c);
		if (at_args_parse(c->raw, &c->args) < 0)
			return NULL;
	}
	while (*p == ' ')
		p++;
	if (*p == ';')
		p++;
	else if (*p)
		return NULL;
	return p;
}

static const char *number_take(const char *p, long *num)
{
	if (!isdigit((unsigned char)*p))
		return p;
	*num = 0;
	while (isdigit((unsigned char)*p)) {
		if (*num < 100000)
			*num = *num * 10 + (*p - '0');
		p++;
	}
	return p;
}

/* E0, &F, S7=30, S3? (V.250 5.3) */
static const char *basic_parse(const char *p, struct at_cmd *c)
{
	size_t len = 0;

	if (*p == '&')
		c->name[len++] = *p++;
	if (!isalpha((unsigned char)*p))
		return NULL;
	c->name[len++] = (char)toupper((unsigned char)*p++);
	c->name[len] = '\0';
	p = number_take(p, &c->num);
	if (c->name[0] != 'S' || c->num < 0) {
		if (*p == ';')
			p++;
		return p;
	}
	if (*p == '?') {
		c->type = AT_READ;
		return p + 1;
	}
	if (*p != '=')
		return NULL;
	c->type = AT_SET;
	c->args.count = 1;
	c->args.v[0].present = true;
	c->args.v[0].numeric = true;
	c->args.v[0].num = 0;
	return number_take(p + 1, &c->args.v[0].num);
}

static const char *cmd_parse(const char *p, struct at_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->num = -1;
	c->type = AT_EXEC;
	while (*p == ' ')
		p++;
	return is_ext_prefix(*p) ? ext_parse(p, c) : basic_parse(p, c);
}


/* Runs the commands after "AT" and answers. */
static void commands_run(struct sim *sim, const char *p)
{
	enum at_status st = AT_CONTINUE;
	unsigned latency = 0, ms;
	bool any = false;
	struct at_cmd *c = malloc(sizeof(*c));
	struct resp r;
	at_handler fn;

	resp_init(&r);
	while (c && *p && st == AT_CONTINUE) {
		p = cmd_parse(p, c);
		if (!p || !(fn = lookup(sim, c->name))) {
			st = at_error(&r);
			break;
		}
		/* The slowest command sets the line's latency. */
		ms = sim_latency_ms(sim, c->name);
		latency = !any || ms > latency ? ms : latency;
		any = true;
		st = fn(sim, c, &r);
	}
	free(c);
	if (!any)
		latency = sim->cfg.latency_ms;
	if (st == AT_PROMPT) {
		resp_fini(&r);
		sim->at.latency_ms = latency;
		sim->at.mode = AT_MODE_PROMPT;
		sim->at.pdu_len = 0;
		sim->at.pdu_bad = false;
		out_prompt(sim);
		return;
	}
	if (st == AT_CONTINUE)
		resp_final(&r, "OK");
	out_response(sim, &r, latency);
}

static const char *at_prefix(const char *line)
{
	for (; line[0] && line[1]; line++)
		if (toupper((unsigned char)line[0]) == 'A' && toupper((unsigned char)line[1]) == 'T')
			return line;
	return NULL;
}

static void line_end(struct sim *sim)
{
	struct at_interp *a = &sim->at;
	const char *at;
	struct resp r;

	a->line[a->len] = '\0';
	if (sim->faults.no_answer > 0) {
		sim->faults.no_answer--;
		simlog_str(&sim->log, "no_answer", "line", a->line);
		goto done;
	}
	if (a->overflow) {
		simlog_str(&sim->log, "overlong", "line", a->line);
		resp_init(&r);
		at_error(&r);
		out_response(sim, &r, sim->cfg.latency_ms);
		goto done;
	}
	at = at_prefix(a->line);
	if (!at) {
		if (a->len)
			simlog_str(&sim->log, "ignored", "line", a->line);
		goto done;
	}
	simlog_str(&sim->log, "at", "line", at);
	commands_run(sim, at + 2);
done:
	a->len = 0;
	a->overflow = false;
}

static void command_byte(struct sim *sim, uint8_t ch)
{
	struct at_interp *a = &sim->at;

	if (sim->modem.echo && sim->faults.no_answer == 0)
		out_echo(sim, &ch, 1);
	if (ch == '\r') {
		line_end(sim);
	} else if (ch == BS) {
		if (a->len > 0)
			a->len--;
	} else if (ch < 0x20 || ch == 0x7F) {
		return; /* LF and other controls: ignored */
	} else if (a->len < AT_LINE_MAX) {
		a->line[a->len++] = (char)ch;
	} else {
		a->overflow = true;
	}
}

static void prompt_byte(struct sim *sim, uint8_t ch)
{
	struct at_interp *a = &sim->at;

	if (ch == CTRL_Z || ch == ESC) {
		a->pdu[a->pdu_len] = '\0';
		a->mode = AT_MODE_COMMAND;
		at_cmgs_finish(sim, ch == CTRL_Z);
		return;
	}
	if (sim->modem.echo)
		out_echo(sim, &ch, 1);
	if (ch == '\r' || ch == '\n' || ch == ' ')
		return;
	if (!isxdigit(ch) || a->pdu_len == AT_PDU_HEX_MAX) {
		a->pdu_bad = true;
		return;
	}
	a->pdu[a->pdu_len++] = (char)ch;
}

size_t at_interp_feed(struct sim *sim, const uint8_t *data, size_t n)
{
	size_t i;

	for (i = 0; i < n && !sim->out.busy && pty_is_open(&sim->pty); i++) {
		if (sim->modem.booting)
			continue; /* a rebooting modem hears nothing */
		if (sim->at.mode == AT_MODE_PROMPT)
			prompt_byte(sim, data[i]);
		else
			command_byte(sim, data[i]);
	}
	return i;
}
