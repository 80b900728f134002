/*
 * One-shot timers for everything the simulator does later: a reply from a
 * simulated customer, a status report, the next RING, the end of a reboot,
 * a +CNMA deadline. The poll loop sleeps until sched_deadline() and then
 * calls sched_run_due(). No I/O.
 */
#ifndef MODEMSIM_SCHED_H
#define MODEMSIM_SCHED_H

#include <stdbool.h>
#include <stdint.h>

/* What a job is for, so a whole kind can be cancelled (a reset, a hang-up). */
enum sched_tag {
	SCHED_TAG_MISC,
	SCHED_TAG_BOOT,       /* end of a reboot and the boot chatter */
	SCHED_TAG_REGISTER,   /* network registration after power-up */
	SCHED_TAG_RING,
	SCHED_TAG_NOISE,
	SCHED_TAG_CNMA,       /* deadline for +CNMA after +CMT / +CDS */
	SCHED_TAG_NETWORK,    /* inbound messages, reports, redeliveries */
	SCHED_TAG_REPLUG,     /* a USB stick coming back after its reset */
	SCHED_TAG_RETRY,      /* the network trying held messages again */
};

/* A job: called with the context given to sched_init and its own arg. */
typedef void (*sched_fn)(void *ctx, void *arg);

struct sched_job;

struct sched {
	struct sched_job *head; /* sorted by due time; equal times keep their order */
	void *ctx;
};

void sched_init(struct sched *s, void *ctx);

/* Frees every pending job (and its arg, through its free function) unrun. */
void sched_fini(struct sched *s);

/*
 * Runs fn(ctx, arg) at due_ns. free_arg (may be NULL) releases arg after the
 * job runs or when it is cancelled: the job owns arg from here on, even on
 * failure. Returns 0 or -ENOMEM.
 */
int sched_add(struct sched *s, uint64_t due_ns, enum sched_tag tag, sched_fn fn, void *arg,
	      void (*free_arg)(void *));

/* Cancels every job with that tag. */
void sched_cancel(struct sched *s, enum sched_tag tag);

bool sched_pending(const struct sched *s, enum sched_tag tag);

/* The earliest due time, or CLOCK_NEVER. */
uint64_t sched_deadline(const struct sched *s);

/* Runs the jobs due at now, in order; jobs they add for now run too. */
void sched_run_due(struct sched *s, uint64_t now);

#endif
