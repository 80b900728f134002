/*
 * Modem life cycle and network-side events. Timed steps run from the
 * scheduler, tagged so that a reset can cancel what an earlier power-up
 * started.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "modem.h"
#include "sim.h"

#define BOOT_LINE_GAP_MS 20
#define LAC "1A2B"
#define CELL_2G "3C4D"
#define CELL_4G "01C3D4E5"

void modem_defaults(struct sim *sim)
{
	const struct modem_profile *p = sim->profile;
	struct modem *md = &sim->modem;

	md->echo = true;
	md->cmee = p->cmee_default;
	memcpy(md->cnmi, p->cnmi_default, sizeof(md->cnmi));
	md->csms = p->csms_default;
	md->cmgf = 0;
	md->cmms = 0;
	md->clip = false;
	md->creg_n = 0;
	md->cereg_n = 0;
	md->cfun = 1;
	snprintf(md->cscs, sizeof(md->cscs), "IRA");
	for (int i = 0; i < 3; i++)
		md->mem[i] = STORAGE_SM;
}

void modem_expand(const struct sim *sim, const char *tmpl, char *out, size_t size)
{
	size_t len = 0;
	char val[32];
	const char *v;

	while (*tmpl && len + 1 < size) {
		v = NULL;
		if (!strncmp(tmpl, "{imei}", 6)) {
			v = sim->opt.imei;
			tmpl += 6;
		} else if (!strncmp(tmpl, "{rssi}", 6)) {
			snprintf(val, sizeof(val), "%d", sim->modem.rssi);
			v = val;
			tmpl += 6;
		} else if (!strncmp(tmpl, "{ber}", 5)) {
			snprintf(val, sizeof(val), "%d", sim->modem.ber);
			v = val;
			tmpl += 5;
		}
		if (!v) {
			out[len++] = *tmpl++;
			continue;
		}
		while (*v && len + 1 < size)
			out[len++] = *v++;
	}
	out[len] = '\0';
}

bool modem_registered(const struct sim *sim)
{
	const struct modem *md = &sim->modem;

	return md->stat == 1 || md->stat == 5 || md->eps_stat == 1 || md->eps_stat == 5;
}

static bool stat_registered(int stat)
{
	return stat == 1 || stat == 5;
}

void modem_reg_format(const struct sim *sim, bool eps, bool read, char *buf, size_t size)
{
	const struct modem *md = &sim->modem;
	int n = eps ? md->cereg_n : md->creg_n, stat = eps ? md->eps_stat : md->stat;
	const char *name = eps ? "+CEREG" : "+CREG";
	int act = eps ? 7 : sim->profile->act;
	size_t len;

	/* 27.007 7.2: read "+CREG: <n>,<stat>[,<lac>,<ci>[,<AcT>]]", URC without <n> */
	if (read)
		len = (size_t)snprintf(buf, size, "%s: %d,%d", name, n, stat);
	else
		len = (size_t)snprintf(buf, size, "%s: %d", name, stat);
	if (n < 2 || !stat_registered(stat) || len >= size)
		return;
	len += (size_t)snprintf(buf + len, size - len, ",\"%s\",\"%s\"", LAC,
				act < 0 ? CELL_2G : CELL_4G);
	if (act >= 0 && len < size)
		snprintf(buf + len, size - len, ",%d", act);
}

static void reg_urc(struct sim *sim, bool eps)
{
	char line[96];

	if ((eps ? sim->modem.cereg_n : sim->modem.creg_n) == 0)
		return;
	modem_reg_format(sim, eps, false, line, sizeof(line));
	out_urc(sim, line);
}

void modem_set_registration(struct sim *sim, int stat, int eps_stat)
{
	struct modem *md = &sim->modem;
	cJSON *ev;

	if (stat >= 0 && stat != md->stat) {
		md->stat = stat;
		reg_urc(sim, false);
	}
	if (sim->profile->eps && eps_stat >= 0 && eps_stat != md->eps_stat) {
		md->eps_stat = eps_stat;
		reg_urc(sim, true);
	}
	ev = simlog_event(&sim->log, "registration");
	cJSON_AddNumberToObject(ev, "stat", md->stat);
	cJSON_AddNumberToObject(ev, "eps_stat", md->eps_stat);
	simlog_commit(&sim->log, ev);
	if (modem_registered(sim))
		route_retry(sim);
}

static void registered_job(void *ctx, void *arg)
{
	(void)arg;
	modem_set_registration(ctx, 1, 1);
}

static void registration_start(struct sim *sim)
{
	sched_cancel(&sim->sched, SCHED_TAG_REGISTER);
	if (sim->modem.cfun != 1 || sim->modem.pin != PIN_READY || sim->modem.booting)
		return;
	modem_set_registration(sim, 2, 2); /* searching */
	sched_add(&sim->sched, clock_after_ms(clock_now_ns(), sim->profile->register_ms),
		  SCHED_TAG_REGISTER, registered_job, NULL, NULL);
}

static void pin_reset(struct sim *sim)
{
	sim->modem.pin = sim->opt.pin ? PIN_SIM_PIN : PIN_READY;
	sim->modem.pin_tries = 0;
}

void modem_start(struct sim *sim)
{
	modem_defaults(sim);
	snprintf(sim->modem.pin_code, sizeof(sim->modem.pin_code), "%s",
		 sim->opt.pin ? sim->opt.pin : "");
	pin_reset(sim);
	sim->modem.booting = false;
	sim->modem.boot_held = -1;
	sim->modem.rssi = 20;
	sim->modem.ber = 99;
	if (sim->modem.pin == PIN_READY) {
		sim->modem.stat = 1;
		sim->modem.eps_stat = sim->profile->eps ? 1 : 0;
	} else {
		/* As if it had booted up to the SIM line: the rest waits for the PIN. */
		for (int i = 0; sim->profile->boot[i]; i++)
			if (!strcmp(sim->profile->boot[i], "{cpin}"))
				sim->modem.boot_held = i + 1;
	}
	modem_noise_update(sim);
}

static void boot_line_job(void *ctx, void *arg);

/*
 * Sends boot line i and schedules the next; a locked SIM holds the rest
 * back. Registration starts with the last line.
 */
static void boot_from(struct sim *sim, int i)
{
	const char *line = sim->profile->boot[i];
	bool locked = sim->modem.pin != PIN_READY;

	if (line && !strcmp(line, "{cpin}")) {
		out_urc(sim, locked ? (sim->modem.pin == PIN_SIM_PUK ? "+CPIN: SIM PUK" :
				       "+CPIN: SIM PIN") : "+CPIN: READY");
		if (locked) {
			sim->modem.boot_held = i + 1;
			return;
		}
	} else if (line) {
		out_urc(sim, line);
	}
	if (!line || !sim->profile->boot[i + 1]) {
		sim->modem.boot_held = -1;
		registration_start(sim);
		return;
	}
	sched_add(&sim->sched, clock_after_ms(clock_now_ns(), BOOT_LINE_GAP_MS), SCHED_TAG_BOOT,
		  boot_line_job, (void *)(intptr_t)(i + 1), NULL);
}

static void boot_line_job(void *ctx, void *arg)
{
	boot_from(ctx, (int)(intptr_t)arg);
}

void modem_boot(struct sim *sim)
{
	sched_cancel(&sim->sched, SCHED_TAG_BOOT);
	sched_cancel(&sim->sched, SCHED_TAG_REGISTER);
	modem_defaults(sim);
	pin_reset(sim);
	sim->modem.booting = false;
	sim->modem.stat = 0;
	sim->modem.eps_stat = 0;
	simlog_str(&sim->log, "boot", "profile", sim->profile->name);
	boot_from(sim, 0);
}

static void boot_job(void *ctx, void *arg)
{
	(void)arg;
	modem_boot(ctx);
}

static void replug_job(void *ctx, void *arg)
{
	(void)arg;
	sim_replug(ctx);
}

#define UNPLUG_POLL_MS 2

/* A USB-only stick leaves the bus once its OK is on the line, and comes back later. */
static void unplug_job(void *ctx, void *arg)
{
	struct sim *sim = ctx;

	(void)arg;
	if (pty_tx_pending(&sim->pty) > 0) {
		sched_add(&sim->sched, clock_after_ms(clock_now_ns(), UNPLUG_POLL_MS),
			  SCHED_TAG_REPLUG, unplug_job, NULL, NULL);
		return;
	}
	sim_unplug(sim);
	sched_add(&sim->sched, clock_after_ms(clock_now_ns(), sim->cfg.reboot_ms),
		  SCHED_TAG_REPLUG, replug_job, NULL, NULL);
}

void modem_reboot(struct sim *sim)
{
	uint64_t due = clock_after_ms(clock_now_ns(), sim->cfg.reboot_ms);

	simlog_str(&sim->log, "reset", "profile", sim->profile->name);
	sched_cancel(&sim->sched, SCHED_TAG_BOOT);
	sched_cancel(&sim->sched, SCHED_TAG_REGISTER);
	out_reset(sim);
	at_interp_reset(sim);
	route_reset(sim);
	sim->modem.stat = 0;
	sim->modem.eps_stat = 0;
	sim->modem.booting = true;
	if (sim->profile->reset_reenumerates) {
		unplug_job(sim, NULL);
		return;
	}
	sched_add(&sim->sched, due, SCHED_TAG_BOOT, boot_job, NULL, NULL);
}

void modem_set_cfun(struct sim *sim, int fun)
{
	sim->modem.cfun = fun;
	if (fun == 1) {
		if (!modem_registered(sim))
			registration_start(sim);
		return;
	}
	sched_cancel(&sim->sched, SCHED_TAG_REGISTER);
	modem_set_registration(sim, 0, 0);
}

void modem_pin_ok(struct sim *sim)
{
	sim->modem.pin = PIN_READY;
	sim->modem.pin_tries = 0;
	if (sim->modem.boot_held >= 0) {
		/* The SIM800 sends +CPIN: READY, then the rest of its boot lines. */
		out_urc(sim, "+CPIN: READY");
		boot_from(sim, sim->modem.boot_held);
		return;
	}
	out_urc(sim, "+CPIN: READY");
	registration_start(sim);
}

static void ring_job(void *ctx, void *arg)
{
	struct sim *sim = ctx;
	struct call *c = &sim->modem.call;
	char line[SMS_ADDR_MAX + 64];

	(void)arg;
	if (!c->active)
		return;
	out_urc(sim, "RING");
	if (sim->modem.clip) {
		/* 27.007 7.6: +CLIP: <number>,<type>[,<subaddr>,<satype>[,<alpha>[,<CLI validity>]]] */
		snprintf(line, sizeof(line), "+CLIP: \"%s\",%d%s", c->number,
			 c->number[0] == '+' ? 145 : 129, sim->profile->clip_tail);
		out_urc(sim, line);
	}
	c->rings++;
	if (c->max_rings && c->rings >= c->max_rings) {
		modem_ring_stop(sim, true);
		return;
	}
	sched_add(&sim->sched, clock_after_ms(clock_now_ns(), c->interval_ms), SCHED_TAG_RING,
		  ring_job, NULL, NULL);
}

void modem_ring_start(struct sim *sim, const char *number, unsigned interval_ms, unsigned max_rings)
{
	struct call *c = &sim->modem.call;

	sched_cancel(&sim->sched, SCHED_TAG_RING);
	memset(c, 0, sizeof(*c));
	c->active = true;
	snprintf(c->number, sizeof(c->number), "%s", number);
	c->interval_ms = interval_ms ? interval_ms : 1;
	c->max_rings = max_rings;
	simlog_str(&sim->log, "call", "from", c->number);
	ring_job(sim, NULL);
}

void modem_ring_stop(struct sim *sim, bool by_caller)
{
	struct call *c = &sim->modem.call;
	cJSON *ev;

	if (!c->active)
		return;
	c->active = false;
	sched_cancel(&sim->sched, SCHED_TAG_RING);
	ev = simlog_event(&sim->log, "call_end");
	cJSON_AddStringToObject(ev, "by", by_caller ? "caller" : "modem");
	cJSON_AddNumberToObject(ev, "rings", c->rings);
	simlog_commit(&sim->log, ev);
	if (by_caller && sim->profile->call_end)
		out_urc(sim, sim->profile->call_end);
}

static unsigned noise_count(const struct sim *sim)
{
	unsigned n = 0;

	while (sim->profile->noise[n])
		n++;
	return n;
}

static void noise_job(void *ctx, void *arg);

static void noise_schedule(struct sim *sim)
{
	uint64_t gap = sim->cfg.noise_ms / 2 + sim_rand(sim) % (sim->cfg.noise_ms + 1);

	sched_add(&sim->sched, clock_after_ms(clock_now_ns(), gap), SCHED_TAG_NOISE, noise_job,
		  NULL, NULL);
}

static void noise_job(void *ctx, void *arg)
{
	struct sim *sim = ctx;
	char line[256];
	unsigned n = noise_count(sim);

	(void)arg;
	if (n == 0 || sim->cfg.noise_ms == 0)
		return;
	modem_expand(sim, sim->profile->noise[sim_rand(sim) % n], line, sizeof(line));
	out_urc(sim, line);
	noise_schedule(sim);
}

void modem_noise_update(struct sim *sim)
{
	sched_cancel(&sim->sched, SCHED_TAG_NOISE);
	if (sim->cfg.noise_ms && noise_count(sim))
		noise_schedule(sim);
}
