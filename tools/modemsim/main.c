/*
 * modemsim: a simulated GSM/LTE modem on a pseudo-terminal, for parley's
 * tests and for anyone without a modem at hand. This file reads options,
 * wires the modules together and runs the one poll loop; signals only set
 * a flag. See docs/modemsim.md.
 */
#define _GNU_SOURCE /* ppoll: the line pacing needs sub-millisecond sleeps */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "clock.h"
#include "control.h"
#include "ctl_cmds.h"
#include "modem.h"
#include "sim.h"

#define POLLFDS_MAX (2 + CONTROL_CLIENTS_MAX)

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static const char usage_text[] =
	"usage: modemsim [OPTIONS]\n"
	"       modemsim --control PATH --send JSON\n"
	"\n"
	"A simulated GSM/LTE modem on a pseudo-terminal. Prints the port's path\n"
	"as its first line, then serves AT commands until SIGTERM or SIGINT.\n"
	"\n"
	"  --profile NAME      modem dialect (default generic; --profile list)\n"
	"  --link PATH         symlink to the port, kept pointing at it across replugs\n"
	"  --control PATH      control socket (JSON lines)\n"
	"  --send JSON         with --control: send one command, print the answer, exit\n"
	"  --log FILE          JSON-lines log of everything\n"
	"  --baud N            emulated line rate, 10 bits a byte (0: unlimited, default)\n"
	"  --latency-ms N      delay before each final response (default 0)\n"
	"  --imei DIGITS       (default 490154203237518)\n"
	"  --imsi DIGITS       (default 001010123456789)\n"
	"  --iccid DIGITS      (default 8900101234567890127)\n"
	"  --number NUMBER     the SIM's own number for AT+CNUM; \"\" for none\n"
	"                      (default +447700900100)\n"
	"  --pin PIN           the SIM wants this PIN (AT+CPIN) before it works\n"
	"  --storage-size N    SIM message capacity (default: the profile's)\n"
	"  --reboot-ms N       silence after AT+CFUN=1,1 (default 2000)\n"
	"  --noise-ms N        mean gap between random URCs (default 0: none)\n"
	"  --seed N            for everything random (default 1)\n"
	"  --help\n"
	"\n"
	"Exit status of --send: 0 ok, 1 the simulator said no, 2 no answer.\n";

enum {
	OPT_PROFILE = 256, OPT_LINK, OPT_CONTROL, OPT_LOG, OPT_BAUD, OPT_LATENCY, OPT_IMEI,
	OPT_IMSI, OPT_ICCID, OPT_NUMBER, OPT_PIN, OPT_STORAGE, OPT_REBOOT, OPT_SEED, OPT_NOISE,
	OPT_SEND, OPT_HELP,
};

static const struct option long_opts[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "link", required_argument, NULL, OPT_LINK },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "baud", required_argument, NULL, OPT_BAUD },
	{ "latency-ms", required_argument, NULL, OPT_LATENCY },
	{ "imei", required_argument, NULL, OPT_IMEI },
	{ "imsi", required_argument, NULL, OPT_IMSI },
	{ "iccid", required_argument, NULL, OPT_ICCID },
	{ "number", required_argument, NULL, OPT_NUMBER },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "storage-size", required_argument, NULL, OPT_STORAGE },
	{ "reboot-ms", required_argument, NULL, OPT_REBOOT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "noise-ms", required_argument, NULL, OPT_NOISE },
	{ "send", required_argument, NULL, OPT_SEND },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int number_arg(const char *name, const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *out > max || s[0] == '-') {
		fprintf(stderr, "modemsim: --%s wants a number up to %lu\n", name, max);
		return -EINVAL;
	}
	return 0;
}

static int digits_arg(const char *name, const char *s, size_t min, size_t max, bool plus)
{
	size_t n = strlen(s) - (plus && s[0] == '+');

	for (const char *p = s + (plus && s[0] == '+'); *p; p++)
		if (*p < '0' || *p > '9')
			n = 0;
	if (n < min || n > max) {
		fprintf(stderr, "modemsim: --%s wants %zu to %zu digits\n", name, min, max);
		return -EINVAL;
	}
	return 0;
}

static void profiles_list(FILE *f)
{
	const struct modem_profile *p;

	for (unsigned i = 0; (p = profile_at(i)); i++)
		fprintf(f, "  %-8s %s\n", p->name, p->summary);
}

static int option_number(int opt, const char *arg, struct sim_options *o)
{
	unsigned long v;
	int rc;

	switch (opt) {
	case OPT_BAUD:
		rc = number_arg("baud", arg, 4000000, &v);
		o->baud = (unsigned)v;
		return rc;
	case OPT_LATENCY:
		rc = number_arg("latency-ms", arg, 600000, &v);
		o->latency_ms = (unsigned)v;
		return rc;
	case OPT_STORAGE:
		rc = number_arg("storage-size", arg, 1000, &v);
		o->storage_size = (unsigned)v;
		return rc;
	case OPT_REBOOT:
		rc = number_arg("reboot-ms", arg, 600000, &v);
		o->reboot_ms = (unsigned)v;
		return rc;
	case OPT_NOISE:
		rc = number_arg("noise-ms", arg, 86400000, &v);
		o->noise_ms = (unsigned)v;
		return rc;
	default:
		rc = number_arg("seed", arg, (unsigned long)-1, &v);
		o->seed = v;
		return rc;
	}
}

/* Returns 0 to run, 1 to exit 0 (--help), -EINVAL to exit 2. */
static int options_parse(int argc, char **argv, struct sim_options *o)
{
	int opt;

	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_PROFILE: o->profile = optarg; break;
		case OPT_LINK: o->link = optarg; break;
		case OPT_CONTROL: o->control = optarg; break;
		case OPT_LOG: o->log = optarg; break;
		case OPT_IMEI: o->imei = optarg; break;
		case OPT_IMSI: o->imsi = optarg; break;
		case OPT_ICCID: o->iccid = optarg; break;
		case OPT_NUMBER: o->number = optarg; break;
		case OPT_PIN: o->pin = optarg; break;
		case OPT_SEND: o->send = optarg; break;
		case 'h':
		case OPT_HELP:
			fputs(usage_text, stdout);
			return 1;
		case OPT_BAUD: case OPT_LATENCY: case OPT_STORAGE: case OPT_REBOOT:
		case OPT_NOISE: case OPT_SEED:
			if (option_number(opt, optarg, o) < 0)
				return -EINVAL;
			break;
		default:
			fputs(usage_text, stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "modemsim: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (digits_arg("imei", o->imei, 15, 15, false) || digits_arg("imsi", o->imsi, 6, 15, false) ||
	    digits_arg("iccid", o->iccid, 18, 20, false) ||
	    (o->number[0] && digits_arg("number", o->number, 1, 20, true)) ||
	    (o->pin && digits_arg("pin", o->pin, 4, 8, false)))
		return -EINVAL;
	return 0;
}

static void defaults_set(struct sim *sim)
{
	struct sim_options *o = &sim->opt;

	o->profile = "generic";
	o->imei = "490154203237518";
	o->imsi = "001010123456789";
	o->iccid = "8900101234567890127";
	o->number = "+447700900100";
	o->reboot_ms = 2000;
	o->seed = 1;
	/* The SC waits TR1M (TS 24.011 10: 35-45 s) for the RP-ACK a +CNMA makes. */
	sim->cfg.cnma_timeout_ms = 35000;
	sim->cfg.redeliver_ms = 30000;
	sim->cfg.report_auto = true;
	sim->cfg.report_status = 0;
	sim->cfg.report_delay_ms = 1000;
}

static int sim_setup(struct sim *sim)
{
	const struct modem_profile *p = sim->profile;
	int rc;

	sim->cfg.latency_ms = sim->opt.latency_ms;
	sim->cfg.reboot_ms = sim->opt.reboot_ms;
	sim->cfg.noise_ms = sim->opt.noise_ms;
	sim->rng = sim->opt.seed * 0x9E3779B97F4A7C15ULL + 1;
	sched_init(&sim->sched, sim);
	out_init(&sim->out);
	at_interp_init(&sim->at);
	route_init(&sim->route);
	sent_init(&sim->sent);
	customers_init(&sim->cust, (uint16_t)sim_rand(sim));
	control_init(&sim->ctl, ctl_dispatch, sim);
	pty_init(&sim->pty, sim->opt.link, sim->opt.baud);
	snprintf(sim->modem.csca, sizeof(sim->modem.csca), "+447700900000");
	sim->modem.csca_toa = 145;
	sim->modem.next_mr = (uint8_t)sim_rand(sim);
	if (sim->opt.log && (rc = simlog_open(&sim->log, sim->opt.log)) < 0) {
		fprintf(stderr, "modemsim: cannot open log %s: %s\n", sim->opt.log, strerror(-rc));
		return rc;
	}
	rc = storage_init(&sim->store, sim->opt.storage_size ? sim->opt.storage_size : p->sm_capacity,
			  p->me_capacity, p->index_base);
	if (rc < 0)
		return rc;
	if ((rc = pty_open(&sim->pty)) < 0) {
		fprintf(stderr, "modemsim: cannot open a pseudo-terminal%s%s: %s\n",
			sim->opt.link ? " or link " : "", sim->opt.link ? sim->opt.link : "",
			strerror(-rc));
		return rc;
	}
	if (sim->opt.control && (rc = control_open(&sim->ctl, sim->opt.control)) < 0) {
		fprintf(stderr, "modemsim: cannot listen on %s: %s\n", sim->opt.control, strerror(-rc));
		return rc;
	}
	modem_start(sim);
	return 0;
}

static void sim_teardown(struct sim *sim)
{
	control_close(&sim->ctl);
	pty_fini(&sim->pty);
	sched_fini(&sim->sched);
	out_fini(&sim->out);
	route_fini(&sim->route);
	sent_fini(&sim->sent);
	customers_fini(&sim->cust);
	storage_fini(&sim->store);
	simlog_close(&sim->log);
}

static void signals_setup(sigset_t *run_mask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Blocked except inside ppoll, so a signal can never slip past the sleep. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, run_mask);
}

static void input_feed(struct sim *sim, uint64_t now)
{
	size_t ready = pty_rx_ready(&sim->pty, now), used;

	if (ready == 0 || sim->out.busy)
		return;
	used = at_interp_feed(sim, pty_rx_data(&sim->pty), ready);
	pty_rx_consume(&sim->pty, used);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void loop_once(struct sim *sim, const sigset_t *run_mask)
{
	struct pollfd pfd[POLLFDS_MAX];
	struct timespec ts, *tsp = NULL;
	unsigned n = 0, nctl;
	uint64_t now = clock_now_ns(), deadline;
	short ev;
	bool port;

	sched_run_due(&sim->sched, now);
	out_run(sim, now);
	input_feed(sim, now);
	pty_flush(&sim->pty, now);
	ev = pty_poll_events(&sim->pty);
	port = ev != 0;
	if (port)
		pfd[n++] = (struct pollfd){ .fd = sim->pty.master, .events = ev };
	nctl = control_pollfds(&sim->ctl, pfd + n, POLLFDS_MAX - n);
	deadline = min_u64(sched_deadline(&sim->sched), out_deadline(sim));
	deadline = min_u64(deadline, pty_deadline(&sim->pty, now, !sim->out.busy));
	if (deadline != CLOCK_NEVER) {
		uint64_t wait = deadline > now ? deadline - now : 0;

		ts.tv_sec = (time_t)(wait / NS_PER_S);
		ts.tv_nsec = (long)(wait % NS_PER_S);
		tsp = &ts;
	}
	if (ppoll(pfd, n + nctl, tsp, run_mask) < 0)
		return; /* EINTR: a signal; the caller looks at the flag */
	now = clock_now_ns();
	if (port)
		pty_handle(&sim->pty, pfd[0].revents, now);
	control_handle(&sim->ctl, pfd + n, nctl);
}

/* The port's path is the first line on stdout: scripts wait for it. */
static void started(struct sim *sim)
{
	cJSON *ev;

	printf("%s\n", sim->pty.path);
	fflush(stdout);
	ev = simlog_event(&sim->log, "start");
	cJSON_AddStringToObject(ev, "profile", sim->profile->name);
	cJSON_AddStringToObject(ev, "path", sim->pty.path);
	simlog_commit(&sim->log, ev);
}

int main(int argc, char **argv)
{
	static struct sim sim;
	sigset_t run_mask;
	int rc;

	defaults_set(&sim);
	rc = options_parse(argc, argv, &sim.opt);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (sim.opt.send) {
		if (!sim.opt.control) {
			fputs("modemsim: --send needs --control PATH\n", stderr);
			return 2;
		}
		return control_send(sim.opt.control, sim.opt.send);
	}
	if (!strcmp(sim.opt.profile, "list")) {
		profiles_list(stdout);
		return 0;
	}
	if (!(sim.profile = profile_find(sim.opt.profile))) {
		fprintf(stderr, "modemsim: no profile '%s'; there are:\n", sim.opt.profile);
		profiles_list(stderr);
		return 2;
	}
	signals_setup(&run_mask);
	/* Line pacing wakes every few tens of microseconds; ask the kernel to be exact. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	rc = sim_setup(&sim);
	if (rc == 0) {
		started(&sim);
		while (!stop_signal && !sim.quit)
			loop_once(&sim, &run_mask);
		simlog_str(&sim.log, "stop", "reason", sim.quit ? "quit" : "signal");
	}
	sim_teardown(&sim);
	return rc == 0 ? 0 : 1;
}
