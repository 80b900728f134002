/*
 * The whole simulator in one struct: the modules below each own a part of
 * it, and the functions that act on the modem as a whole (AT handlers,
 * control commands, routing) take a struct sim. Only main.c creates one.
 */
#ifndef MODEMSIM_SIM_H
#define MODEMSIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "parley/sms.h"

#include "at_interp.h"
#include "control.h"
#include "customers.h"
#include "out.h"
#include "profiles.h"
#include "pty.h"
#include "route.h"
#include "sched.h"
#include "sent.h"
#include "simlog.h"
#include "storage.h"

struct sim_options {
	const char *profile;
	const char *link;
	const char *control;
	const char *log;
	const char *imei;
	const char *imsi;
	const char *iccid;
	const char *number;       /* "" : the SIM does not know its number */
	const char *pin;          /* NULL: no PIN */
	const char *send;         /* client mode: the JSON to send */
	unsigned baud;
	unsigned latency_ms;
	unsigned storage_size;    /* 0: the profile's */
	unsigned reboot_ms;
	unsigned noise_ms;        /* mean gap between noise URCs; 0: none */
	unsigned long seed;
};

/* Things that can be changed while running ("set" on the control socket). */
struct sim_config {
	unsigned latency_ms;
	unsigned cnma_timeout_ms;   /* how long a +CMT/+CDS waits for +CNMA */
	unsigned redeliver_ms;      /* when the network tries an unacknowledged message again */
	bool report_auto;           /* answer TP-SRR with a status report */
	unsigned report_status;     /* its TP-ST */
	unsigned report_delay_ms;
	unsigned noise_ms;
	unsigned reboot_ms;
};

#define SIM_LATENCY_OVERRIDES 16

struct latency_override {
	char name[16];              /* "+CMGS", "E", ... as at_interp names commands */
	unsigned ms;
};

/* Faults armed from the control socket; each applies to the next N events. */
struct faults {
	unsigned cms_count;         /* the next +CMGS answer +CMS ERROR: cms_code */
	int cms_code;
	unsigned no_answer;         /* command lines to swallow whole */
	bool split;                 /* the next response in two writes */
	unsigned split_delay_ms;
	long split_at;              /* byte offset; -1: half way */
	bool drop;                  /* the next response loses a line */
	long drop_line;             /* index, negative from the end (-1: the final result) */
	bool interleave;            /* a URC between the lines of the next response */
	long interleave_after;
	char interleave_urc[128];
};

enum pin_state {
	PIN_READY,
	PIN_SIM_PIN,
	PIN_SIM_PUK,
};

struct call {
	bool active;
	char number[SMS_ADDR_MAX];
	unsigned interval_ms;
	unsigned rings;             /* RINGs so far */
	unsigned max_rings;         /* 0: until someone hangs up */
};

/* What the modem's settings are now; a reset returns them to the profile's. */
struct modem {
	bool echo;                  /* ATE (V.250 6.2.4) */
	int cmee;                   /* +CMEE (27.007 9.1) */
	int cfun;                   /* +CFUN (27.007 8.2) */
	bool booting;               /* silent: a reset is under way */
	enum pin_state pin;
	unsigned pin_tries;
	char pin_code[16];          /* the PIN the SIM wants; changed by a PUK unlock */
	int boot_held;              /* index of boot lines held back until the PIN; -1: none */
	int creg_n, cereg_n;        /* +CREG / +CEREG URC modes */
	int stat, eps_stat;         /* registration states, 27.007 7.2 */
	int rssi, ber;              /* +CSQ (27.007 8.5) */
	int cnmi[PROFILE_CNMI_FIELDS];
	int csms;
	int cmgf;
	int cmms;
	bool clip;
	char cscs[16];
	char csca[SMS_ADDR_MAX];
	int csca_toa;
	enum storage_mem mem[3];    /* +CPMS mem1 (read, delete), mem2 (write), mem3 (receive) */
	uint8_t next_mr;
	struct call call;
};

struct sim {
	struct sim_options opt;
	struct sim_config cfg;
	const struct modem_profile *profile;
	struct simlog log;
	struct sched sched;
	struct pty pty;
	struct out out;
	struct at_interp at;
	struct modem modem;
	struct storage store;
	struct route route;
	struct sent sent;
	struct customers cust;
	struct control ctl;
	struct faults faults;
	struct latency_override lat[SIM_LATENCY_OVERRIDES];
	unsigned nlat;
	uint64_t rng;
	bool quit;
};

/* A pseudo-random number from the --seed sequence (xorshift64*). */
uint64_t sim_rand(struct sim *sim);

/* The response latency for a command name: its override or the default. */
unsigned sim_latency_ms(const struct sim *sim, const char *name);

/* Unplugs the port: pending output is lost, the modem loses power. */
void sim_unplug(struct sim *sim);

/* Plugs in a new port, prints its path on stdout. Returns 0 or -errno. */
int sim_replug(struct sim *sim);

#endif
