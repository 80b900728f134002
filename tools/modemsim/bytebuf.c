/*
 * Byte FIFO: a flat array, moved back to its start when an append would
 * otherwise run off its end.
 * It knows nothing of what the bytes mean.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"

void bytebuf_init(struct bytebuf *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
}

void bytebuf_fini(struct bytebuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void compact(struct bytebuf *b)
{
	if (b->head == 0)
		return;
	memmove(b->data, b->data + b->head, b->len);
	b->head = 0;
}

int bytebuf_append(struct bytebuf *b, const void *p, size_t n)
{
	size_t want;
	uint8_t *grown;

	if (n == 0)
		return 0;
	if (n > b->cap - b->len)
		return -ENOSPC;
	if (b->head + b->len + n > b->alloc)
		compact(b);
	if (b->len + n > b->alloc) {
		want = b->alloc ? b->alloc : 256;
		while (want < b->len + n)
			want *= 2;
		grown = realloc(b->data, want);
		if (!grown)
			return -ENOMEM;
		b->data = grown;
		b->alloc = want;
	}
	memcpy(b->data + b->head + b->len, p, n);
	b->len += n;
	return 0;
}

const uint8_t *bytebuf_peek(const struct bytebuf *b)
{
	return b->data ? b->data + b->head : (const uint8_t *)"";
}

size_t bytebuf_len(const struct bytebuf *b)
{
	return b->len;
}

size_t bytebuf_room(const struct bytebuf *b)
{
	return b->cap - b->len;
}

void bytebuf_consume(struct bytebuf *b, size_t n)
{
	if (n > b->len)
		n = b->len;
	b->head += n;
	b->len -= n;
	if (b->len == 0)
		b->head = 0;
}

void bytebuf_clear(struct bytebuf *b)
{
	b->head = 0;
	b->len = 0;
}
