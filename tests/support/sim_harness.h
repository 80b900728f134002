/* Test support: tools/modemsim as a child process, and the modem driver in a poll loop against it. */
#ifndef PARLEY_SIM_HARNESS_H
#define PARLEY_SIM_HARNESS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "parley/modem.h"
#include "parley/modem_link.h"

struct sim {
	pid_t pid;
	int out;
	char dir[32], control[64], link[64], log[64], pty[128];
};

/* A driver on the simulator's port, and what its events said so far. */
struct link {
	struct modem_link *ml;
	struct modem *m;
	int inbound_commit;         /* what the inbound callback returns */
	int inbound, reports, calls, sent_ok, sent_fail;
	int last_class, last_mr, report_mr;
	bool last_maybe_sent;
	char last_text[SMS_TEXT_MAX + 1], last_call[64], last_state_why[160];
	unsigned bytes_out, bytes_in;
};

int harness_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t now_ms(void);

/* Starts $MODEMSIM (build/modemsim) with a profile and up to two more arguments (NULL). */
int sim_start(struct sim *s, const char *profile, const char *extra1, const char *extra2);
void sim_stop(struct sim *s);
void sim_stop_all(void);
/* A control command; the parsed reply (cJSON_Delete it), NULL when not ok. */
cJSON *sim_ctl(struct sim *s, const char *json);
int sim_do(struct sim *s, const char *json);

int link_start(struct link *l, struct sim *s, const char *profile, const char *pin);
void link_stop(struct link *l);
/* Runs the loop until done(l, arg) or ms pass; false on timeout. */
bool link_pump(struct link *l, bool (*done)(struct link *l, long arg), long arg, int ms);
bool link_wait_ready(struct link *l, int ms);
/* Encodes text and queues its segments; their count, or -1. */
int link_send_text(struct link *l, const char *to, const char *text, bool report, uint16_t ref);

bool link_is_state(struct link *l, long state);
bool link_got_inbound(struct link *l, long n);
bool link_got_sent(struct link *l, long n);
bool link_got_reports(struct link *l, long n);
bool link_got_calls(struct link *l, long n);
bool link_never(struct link *l, long unused);

#endif
