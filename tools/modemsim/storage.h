/*
 * Message storage as TS 27.005 3.1 describes it: "SM" (the SIM), "ME" (the
 * modem's memory) and "MT" (both, SM first, numbered on from SM's end).
 * Each slot holds a PDU in hex with its SMSC part, its TPDU length and its
 * <stat>. Pure: no I/O, no knowledge of AT.
 */
#ifndef MODEMSIM_STORAGE_H
#define MODEMSIM_STORAGE_H

#include <stdbool.h>
#include <stdint.h>

enum storage_mem {
	STORAGE_SM,
	STORAGE_ME,
	STORAGE_MT,
};
#define STORAGE_MEM_COUNT 3

/* <stat> in PDU mode, TS 27.005 3.1. */
enum storage_stat {
	STORAGE_REC_UNREAD = 0,
	STORAGE_REC_READ = 1,
	STORAGE_STO_UNSENT = 2,
	STORAGE_STO_SENT = 3,
};

struct stored_msg {
	bool used;
	enum storage_stat stat;
	bool report;        /* an SMS-STATUS-REPORT rather than a DELIVER */
	uint16_t tpdu_len;
	char *hex;          /* owned */
};

struct storage {
	struct stored_msg *slots; /* SM's, then ME's */
	unsigned sm_cap, me_cap;
	unsigned base;            /* the first index: 1, or 0 on some modems */
};

/* Returns 0 or -ENOMEM. */
int storage_init(struct storage *s, unsigned sm_cap, unsigned me_cap, unsigned base);
void storage_fini(struct storage *s);

const char *storage_mem_name(enum storage_mem m);

/* "SM", "ME", "MT" (any case) to mem; -EINVAL for other names. */
int storage_mem_parse(const char *name, enum storage_mem *m);

unsigned storage_total(const struct storage *s, enum storage_mem m);
unsigned storage_used(const struct storage *s, enum storage_mem m);

/* The slot at a mem's index (used or not), or NULL when out of range. */
struct stored_msg *storage_slot(struct storage *s, enum storage_mem m, long index);

/*
 * Stores a copy of hex in the first free slot. Returns the index in m's
 * numbering; -ENOSPC when m is full, -ENOMEM.
 */
long storage_put(struct storage *s, enum storage_mem m, const char *hex, uint16_t tpdu_len,
		 enum storage_stat stat, bool report);

/* Empties a slot (a no-op on an empty one). */
void storage_clear(struct stored_msg *slot);

#endif
