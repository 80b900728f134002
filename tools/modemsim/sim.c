/*
 * What acts on the simulator as a whole: its random numbers, per-command
 * latency, and the port vanishing and coming back (a USB unplug).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "modem.h"
#include "sim.h"

uint64_t sim_rand(struct sim *sim)
{
	/* xorshift64* (Vigna): reproducible from --seed, never stuck at 0 */
	uint64_t x = sim->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	sim->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

unsigned sim_latency_ms(const struct sim *sim, const char *name)
{
	for (unsigned i = 0; i < sim->nlat; i++)
		if (!strcasecmp(sim->lat[i].name, name))
			return sim->lat[i].ms;
	return sim->cfg.latency_ms;
}

void sim_unplug(struct sim *sim)
{
	simlog_str(&sim->log, "unplug", "path", sim->pty.path);
	out_reset(sim);
	at_interp_reset(sim);
	route_reset(sim);
	sched_cancel(&sim->sched, SCHED_TAG_BOOT);
	sched_cancel(&sim->sched, SCHED_TAG_REGISTER);
	sim->modem.booting = false;
	sim->modem.stat = 0;
	sim->modem.eps_stat = 0;
	pty_close(&sim->pty);
}

int sim_replug(struct sim *sim)
{
	int rc = pty_open(&sim->pty);

	if (rc < 0) {
		simlog_str(&sim->log, "replug_failed", "error", strerror(-rc));
		return rc;
	}
	/* The new path on stdout, as at start, for whoever follows our output. */
	printf("%s\n", sim->pty.path);
	fflush(stdout);
	simlog_str(&sim->log, "replug", "path", sim->pty.path);
	modem_boot(sim);
	return 0;
}
