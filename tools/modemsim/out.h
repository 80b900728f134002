/*
 * Everything the modem says, on its way to the line: responses framed as
 * V.250 5.7 frames them ("\r\n" around each result), with their latency
 * and the response faults (split, dropped line, URC between lines); the
 * "> " prompt; URCs, held back while the prompt is up; echo; garbage.
 * Each line is logged when it reaches the port.
 */
#ifndef MODEMSIM_OUT_H
#define MODEMSIM_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim;
struct out_item;

struct out {
	struct out_item *delayed; /* by due time */
	struct out_item *held;    /* URCs waiting for the prompt to end, in order */
	bool busy;                /* a response is on its way: the next command waits */
	bool partial;             /* half a split response is out: URCs wait */
	bool prompt;              /* the "> " prompt is up: URCs wait */
	void (*after)(struct sim *sim); /* runs once the next response is out */
};

/* A response being built: information lines, then a final result code. */
struct resp {
	char **lines;
	unsigned n, cap;
	char final[96];           /* "" : none (yet) */
};

void resp_init(struct resp *r);
void resp_fini(struct resp *r);

/* Adds an information line. Returns 0 or -ENOMEM. */
int resp_add(struct resp *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void resp_final(struct resp *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void out_init(struct out *o);
void out_fini(struct out *o);

/*
 * Sends a response after latency_ms, applying any armed response fault.
 * The out is busy until its last byte is queued. r is left empty.
 */
void out_response(struct sim *sim, struct resp *r, unsigned latency_ms);

/*
 * Runs fn once the response being built now is on the port: what a modem
 * does after its OK (a reset, flushing buffered indications).
 */
void out_after_response(struct sim *sim, void (*fn)(struct sim *sim));

/* Sends "\r\n> " (TS 27.005 3.5.1) and holds URCs until out_prompt_end(). */
void out_prompt(struct sim *sim);
void out_prompt_end(struct sim *sim);

/* An unsolicited result code; held while the prompt or a split response is out. */
void out_urc(struct sim *sim, const char *line);

/* A URC with a second line (+CMT, +CDS: the PDU), held likewise. */
void out_urc2(struct sim *sim, const char *line, const char *pdu);

/* The same, sent even while the prompt is up (+CNMI <mode> 3). */
void out_urc2_now(struct sim *sim, const char *line, const char *pdu);

void out_echo(struct sim *sim, const void *data, size_t n);

/* Raw bytes, logged as garbage. */
void out_garbage(struct sim *sim, const void *data, size_t n);

/* Queues what is due by now on the port. */
void out_run(struct sim *sim, uint64_t now);
uint64_t out_deadline(const struct sim *sim);

/* Forgets everything not yet on the port (reset, unplug). */
void out_reset(struct sim *sim);

#endif
