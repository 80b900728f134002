/*
 * The storages as one array of slots: SM's first, then ME's, so that MT
 * (TS 27.005 3.1: "any of the storages associated with ME") is simply all
 * of it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "storage.h"

int storage_init(struct storage *s, unsigned sm_cap, unsigned me_cap, unsigned base)
{
	s->sm_cap = sm_cap;
	s->me_cap = me_cap;
	s->base = base;
	s->slots = calloc(sm_cap + me_cap ? sm_cap + me_cap : 1, sizeof(*s->slots));
	return s->slots ? 0 : -ENOMEM;
}

void storage_fini(struct storage *s)
{
	if (!s->slots)
		return;
	for (unsigned i = 0; i < s->sm_cap + s->me_cap; i++)
		storage_clear(&s->slots[i]);
	free(s->slots);
	s->slots = NULL;
}

static const char *const mem_names[STORAGE_MEM_COUNT] = { "SM", "ME", "MT" };

const char *storage_mem_name(enum storage_mem m)
{
	return mem_names[m];
}

int storage_mem_parse(const char *name, enum storage_mem *m)
{
	for (unsigned i = 0; i < STORAGE_MEM_COUNT; i++) {
		if (!strcasecmp(name, mem_names[i])) {
			*m = (enum storage_mem)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* The first slot of a mem and how many it has. */
static unsigned mem_first(const struct storage *s, enum storage_mem m)
{
	return m == STORAGE_ME ? s->sm_cap : 0;
}

unsigned storage_total(const struct storage *s, enum storage_mem m)
{
	switch (m) {
	case STORAGE_SM:
		return s->sm_cap;
	case STORAGE_ME:
		return s->me_cap;
	case STORAGE_MT:
		return s->sm_cap + s->me_cap;
	}
	return 0;
}

unsigned storage_used(const struct storage *s, enum storage_mem m)
{
	unsigned first = mem_first(s, m), n = 0;

	for (unsigned i = 0; i < storage_total(s, m); i++)
		n += s->slots[first + i].used;
	return n;
}

struct stored_msg *storage_slot(struct storage *s, enum storage_mem m, long index)
{
	long i = index - (long)s->base;

	if (i < 0 || i >= (long)storage_total(s, m))
		return NULL;
	return &s->slots[mem_first(s, m) + (unsigned)i];
}

long storage_put(struct storage *s, enum storage_mem m, const char *hex, uint16_t tpdu_len,
		 enum storage_stat stat, bool report)
{
	unsigned first = mem_first(s, m);
	struct stored_msg *slot;

	for (unsigned i = 0; i < storage_total(s, m); i++) {
		slot = &s->slots[first + i];
		if (slot->used)
			continue;
		slot->hex = strdup(hex);
		if (!slot->hex)
			return -ENOMEM;
		slot->used = true;
		slot->stat = stat;
		slot->report = report;
		slot->tpdu_len = tpdu_len;
		return (long)(s->base + i);
	}
	return -ENOSPC;
}

void storage_clear(struct stored_msg *slot)
{
	free(slot->hex);
	memset(slot, 0, sizeof(*slot));
}
