/*
 * libFuzzer target: the AT tokenizer on any bytes a modem may send. The
 * first byte says whether a "> " prompt is expected and how the rest is cut
 * into reads; the tokens must be the same whether the bytes come whole, one
 * at a time or in those reads, and each token must be well formed: a line
 * is non-empty, holds no CR, LF or NUL, does not start with a space and
 * fits AT_LINE_MAX; an overflow is reported with exactly AT_LINE_MAX bytes;
 * at most one prompt per expectation.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/at_tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s\n", #c); abort(); } } while (0)

/* The tokens of one run, as one byte string: kind, then the line, then NUL. */
struct tokens {
	char *log;
	size_t len, cap;
	size_t line_bytes;
	unsigned prompts;
};

static void log_add(struct tokens *t, const void *p, size_t n)
{
	if (t->len + n > t->cap) {
		t->cap = (t->len + n) * 2;
		t->log = realloc(t->log, t->cap);
		CHECK(t->log != NULL);
	}
	memcpy(t->log + t->len, p, n);
	t->len += n;
}

static bool same(const struct tokens *a, const struct tokens *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->log, b->log, a->len) == 0);
}

static void on_token(void *ctx, enum at_token kind, const char *line, size_t len)
{
	struct tokens *t = ctx;
	char k = (char)('0' + kind);

	CHECK(line != NULL && line[len] == '\0');
	switch (kind) {
	case AT_TOKEN_LINE:
		CHECK(len >= 1 && len <= AT_LINE_MAX);
		CHECK(strlen(line) == len);
		CHECK(strpbrk(line, "\r\n") == NULL);
		CHECK(line[0] != ' ');
		t->line_bytes += len;
		break;
	case AT_TOKEN_PROMPT:
		CHECK(len == 1 && strcmp(line, ">") == 0);
		t->prompts++;
		break;
	case AT_TOKEN_OVERFLOW:
		CHECK(len == AT_LINE_MAX && strlen(line) == len);
		t->line_bytes += len;
		break;
	}
	log_add(t, &k, 1);
	log_add(t, line, len + 1);
}

/* Feeds bytes in reads of at most chunk (0: all at once); the tokens go to out. */
static void run(const uint8_t *bytes, size_t n, bool prompt, size_t chunk, struct tokens *out)
{
	struct at_tokenizer tok;

	memset(out, 0, sizeof(*out));
	at_tokenizer_init(&tok);
	tok.expect_prompt = prompt;
	for (size_t off = 0; off < n;) {
		size_t k = chunk && chunk < n - off ? chunk : n - off;
		at_tokenizer_feed(&tok, bytes + off, k, on_token, out);
		off += k;
	}
	CHECK(out->prompts <= (prompt ? 1u : 0u));
	/* every byte of a line came from the input */
	CHECK(out->line_bytes <= n);
	CHECK(tok.len <= AT_LINE_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tokens whole, other;
	bool prompt;
	size_t chunk;

	if (size == 0)
		return 0;
	prompt = data[0] & 1;
	chunk = (size_t)(data[0] >> 1) + 1;
	data++;
	size--;

	run(data, size, prompt, 0, &whole);
	run(data, size, prompt, chunk, &other);
	CHECK(same(&whole, &other));
	free(other.log);
	run(data, size, prompt, 1, &other);
	CHECK(same(&whole, &other));
	free(other.log);
	free(whole.log);
	return 0;
}
