/*
 * Timers as a sorted singly linked list: the simulator holds a handful at a
 * time, so insertion by walking is plenty.
 */
#include <errno.h>
#include <stdlib.h>

#include "clock.h"
#include "sched.h"

struct sched_job {
	uint64_t due_ns;
	enum sched_tag tag;
	sched_fn fn;
	void *arg;
	void (*free_arg)(void *);
	struct sched_job *next;
};

void sched_init(struct sched *s, void *ctx)
{
	s->head = NULL;
	s->ctx = ctx;
}

static void job_free(struct sched_job *j)
{
	if (j->free_arg)
		j->free_arg(j->arg);
	free(j);
}

void sched_fini(struct sched *s)
{
	struct sched_job *j;

	while ((j = s->head)) {
		s->head = j->next;
		job_free(j);
	}
}

int sched_add(struct sched *s, uint64_t due_ns, enum sched_tag tag, sched_fn fn, void *arg,
	      void (*free_arg)(void *))
{
	struct sched_job *j = malloc(sizeof(*j)), **pp;

	if (!j) {
		if (free_arg)
			free_arg(arg);
		return -ENOMEM;
	}
	j->due_ns = due_ns;
	j->tag = tag;
	j->fn = fn;
	j->arg = arg;
	j->free_arg = free_arg;
	for (pp = &s->head; *pp && (*pp)->due_ns <= due_ns; pp = &(*pp)->next)
		;
	j->next = *pp;
	*pp = j;
	return 0;
}

void sched_cancel(struct sched *s, enum sched_tag tag)
{
	struct sched_job **pp = &s->head, *j;

	while ((j = *pp)) {
		if (j->tag == tag) {
			*pp = j->next;
			job_free(j);
		} else {
			pp = &j->next;
		}
	}
}

bool sched_pending(const struct sched *s, enum sched_tag tag)
{
	for (const struct sched_job *j = s->head; j; j = j->next)
		if (j->tag == tag)
			return true;
	return false;
}

uint64_t sched_deadline(const struct sched *s)
{
	return s->head ? s->head->due_ns : CLOCK_NEVER;
}

void sched_run_due(struct sched *s, uint64_t now)
{
	struct sched_job *j;

	while ((j = s->head) && j->due_ns <= now) {
		s->head = j->next;
		j->fn(s->ctx, j->arg);
		job_free(j);
	}
}
