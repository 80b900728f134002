/*
 * The send guard: policy's gate over the store (store_set_gate), the one
 * place where consent, quiet hours and frequency caps are asked about a
 * message. parleyd and the command line install the same guard, so a
 * message is judged the same way whoever queues it.
 *
 * For each message it reads the recipient's consent ledger and recent
 * sends from the store and asks the pure policies (consent.h,
 * quiet_hours.h, send_caps.h), in that order:
 *   consent       refused: blocked (opted_out, no_consent);
 *   quiet hours   categories the config names: held until the window
 *                 opens in every time zone the number may be in (the box's
 *                 own zone when the number says none);
 *   caps          held until the oldest counted send leaves the window.
 * The consent flow's own replies never reach it (the store lets them
 * through: see store_set_gate).
 */
#ifndef PARLEY_SEND_GUARD_H
#define PARLEY_SEND_GUARD_H

#include "parley/config.h"
#include "parley/store.h"

struct send_guard;

/* A guard for configuration c (copied: c may go). NULL when out of memory. */
struct send_guard *send_guard_new(const struct conf *c);
void send_guard_free(struct send_guard *g);

/* The store_gate_fn: install with store_set_gate(st, send_guard_gate, g). */
void send_guard_gate(void *ctx, struct store *st, const struct store_message *m, const char *line,
		     int64_t now, struct store_gate_verdict *v);

/* The group of one of our lines in c, NULL when it has none or is not ours. */
const char *send_guard_line_group(const struct conf *c, const char *line);

#endif
