/*
 * The AT byte tokenizer: bytes from a modem in, whole lines and the "> "
 * prompt of AT+CMGS out (3GPP TS 27.005 3.5.1, V.250 5.7). Pure: no I/O,
 * no allocation; partial reads are assembled across calls.
 */
#ifndef PARLEY_AT_TOKENIZER_H
#define PARLEY_AT_TOKENIZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest line kept: a +CMGL header or a 176-octet PDU in hex fits with room. */
#define AT_LINE_MAX 1024

enum at_token {
	AT_TOKEN_LINE,     /* a non-empty line, without its CR/LF */
	AT_TOKEN_PROMPT,   /* "> " at the start of a line, while a prompt is expected */
	AT_TOKEN_OVERFLOW, /* a line longer than AT_LINE_MAX, dropped; line holds its start */
};

typedef void (*at_token_cb)(void *ctx, enum at_token kind, const char *line, size_t len);

struct at_tokenizer {
	char buf[AT_LINE_MAX + 1];
	size_t len;
	bool overflow;      /* dropping bytes until the end of an overlong line */
	bool expect_prompt; /* set by the caller while AT+CMGS waits for "> " */
};

void at_tokenizer_init(struct at_tokenizer *t);

/*
 * Feeds n bytes; calls cb for every token they complete, in order. CR and
 * LF both end lines, empty lines vanish, NUL bytes are dropped (some
 * modems send them around resets). The line passed to cb is NUL-terminated
 * and valid only during the call.
 */
void at_tokenizer_feed(struct at_tokenizer *t, const uint8_t *data, size_t n, at_token_cb cb,
		       void *ctx);

#endif
