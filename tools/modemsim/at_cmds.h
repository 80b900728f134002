/*
 * The AT command handlers and what they share. Each handler gets one
 * parsed command and adds to the response; at_interp.c holds the table
 * that names them.
 */
#ifndef MODEMSIM_AT_CMDS_H
#define MODEMSIM_AT_CMDS_H

#include "at_args.h"
#include "at_interp.h"
#include "out.h"

struct sim;

/* V.250 5.4: "AT+X" execute, "AT+X?" read, "AT+X=?" test, "AT+X=..." set. */
enum at_type {
	AT_EXEC,
	AT_READ,
	AT_TEST,
	AT_SET,
};

struct at_cmd {
	char name[16];         /* upper case: "+CMGS", "^ICCID", "E", "&F", "S0" */
	enum at_type type;
	char raw[AT_LINE_MAX + 1]; /* the text after '=' (AT_SET), or "" */
	struct at_args args;
	long num;              /* basic commands: the number after the letter, -1: none */
};

enum at_status {
	AT_CONTINUE,   /* done; the next command on the line runs */
	AT_FAILED,     /* the final result is set; the rest of the line is skipped */
	AT_PROMPT,     /* the "> " prompt follows; nothing else on the line runs */
};

typedef enum at_status (*at_handler)(struct sim *sim, const struct at_cmd *c, struct resp *r);

/* Final results: ERROR; +CME ERROR or +CMS ERROR as +CMEE says (27.007 9.1, 27.005 3.2.5). */
enum at_status at_error(struct resp *r);
enum at_status at_cme(struct sim *sim, struct resp *r, int code);
enum at_status at_cms(struct sim *sim, struct resp *r, int code);

/* Verbose texts (27.007 9.2, 27.005 3.2.5); "unknown error" when not listed. */
const char *at_cme_text(int code);
const char *at_cms_text(int code);

/* +CME ERROR: 11/12 when the SIM is locked, else AT_CONTINUE. */
enum at_status at_need_sim(struct sim *sim, struct resp *r);

/* at_basic.c: V.250 basics, identity (27.007 5), SIM (8.3), +CMEE */
enum at_status at_basic(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cgmi(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cgmm(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cgmr(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cgsn(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cimi(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_iccid(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cnum(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cpin(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cmee(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cscs(struct sim *sim, const struct at_cmd *c, struct resp *r);

/* at_net.c: registration, signal, operator, CFUN, calls */
enum at_status at_creg(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cereg(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_csq(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cops(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cfun(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_reset_cmd(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_clip(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_chup(struct sim *sim, const struct at_cmd *c, struct resp *r);

/* at_sms.c: 27.005 configuration, storage and reading */
enum at_status at_csms(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cmgf(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cpms(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_csca(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cnmi(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cnma(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cmgl(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cmgr(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cmgd(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_cmms(struct sim *sim, const struct at_cmd *c, struct resp *r);
enum at_status at_accept(struct sim *sim, const struct at_cmd *c, struct resp *r);

/* at_cmgs.c: sending (27.005 3.5.1, 4.3) */
enum at_status at_cmgs(struct sim *sim, const struct at_cmd *c, struct resp *r);

/* The PDU after the prompt ended with Ctrl-Z (send) or ESC (cancel). */
void at_cmgs_finish(struct sim *sim, bool send);

#endif
