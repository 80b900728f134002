/*
 * The modem's life: power-up settings, resets and their boot chatter,
 * the SIM PIN, network registration with its URCs (TS 27.007 7.2,
 * +CEREG), incoming calls (RING, +CLIP: 27.007 7.6) and random URC
 * noise. AT handlers and control commands call these; the state itself is
 * struct modem in sim.h.
 */
#ifndef MODEMSIM_MODEM_H
#define MODEMSIM_MODEM_H

#include <stdbool.h>
#include <stddef.h>

struct sim;

/* Settings as after power-up: echo on, +CMEE, +CNMI and +CSMS as the profile has them. */
void modem_defaults(struct sim *sim);

/* The first start: already up and registered (unless a PIN is wanted), no chatter. */
void modem_start(struct sim *sim);

/* Power just came (a replug): boot chatter, then registration. */
void modem_boot(struct sim *sim);

/* A reset (AT+CFUN=1,1): silent for the reboot delay, then as modem_boot. */
void modem_reboot(struct sim *sim);

/* +CFUN=0/1/4: radio off drops registration, on starts it. */
void modem_set_cfun(struct sim *sim, int fun);

/* The right PIN was entered: the SIM is ready and the rest of the chatter follows. */
void modem_pin_ok(struct sim *sim);

/* Sets the registration states (-1 keeps one) and sends URCs where enabled. */
void modem_set_registration(struct sim *sim, int stat, int eps_stat);

bool modem_registered(const struct sim *sim);

/*
 * Writes the +CREG (eps false) or +CEREG answer or URC: "+CREG: 2,1,..."
 * when read is true, "+CREG: 1,..." as a URC.
 */
void modem_reg_format(const struct sim *sim, bool eps, bool read, char *buf, size_t size);

/* An incoming call: RING (and +CLIP when enabled) every interval_ms. */
void modem_ring_start(struct sim *sim, const char *number, unsigned interval_ms, unsigned max_rings);

/* The call ends: hung up here (ATH), or by the caller (then the profile's call_end URC). */
void modem_ring_stop(struct sim *sim, bool by_caller);

/* (Re)starts or stops the random URC noise after sim->cfg.noise_ms changed. */
void modem_noise_update(struct sim *sim);

/* Replaces {imei}, {rssi}, {ber} in a profile template. */
void modem_expand(const struct sim *sim, const char *tmpl, char *out, size_t size);

#endif
