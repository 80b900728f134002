/*
 * A growable byte FIFO with a hard cap: bytes are appended at the tail and
 * consumed from the head. Used for the pty's paced queues and the control
 * sockets' buffers. No I/O.
 */
#ifndef MODEMSIM_BYTEBUF_H
#define MODEMSIM_BYTEBUF_H

#include <stddef.h>
#include <stdint.h>

struct bytebuf {
	uint8_t *data;
	size_t head;  /* first unconsumed byte */
	size_t len;   /* bytes after head */
	size_t alloc;
	size_t cap;   /* most bytes it will ever hold */
};

void bytebuf_init(struct bytebuf *b, size_t cap);
void bytebuf_fini(struct bytebuf *b);

/*
 * Appends n bytes. Returns 0; -ENOSPC when they would pass the cap (nothing
 * is appended), -ENOMEM.
 */
int bytebuf_append(struct bytebuf *b, const void *p, size_t n);

/* The unconsumed bytes: bytebuf_len() of them from bytebuf_peek(). */
const uint8_t *bytebuf_peek(const struct bytebuf *b);
size_t bytebuf_len(const struct bytebuf *b);
size_t bytebuf_room(const struct bytebuf *b);

/* Drops n bytes (at most what is there) from the head. */
void bytebuf_consume(struct bytebuf *b, size_t n);
void bytebuf_clear(struct bytebuf *b);

#endif
