/*
 * Cutting a modem's byte stream into lines (V.250 5.7.1: responses are
 * framed by CR LF) and spotting the SMS prompt, which is the one token that
 * ends without a line break (27.005 3.5.1: "<CR><LF><greater_than><space>").
 */
#include <string.h>

#include "parley/at_tokenizer.h"

void at_tokenizer_init(struct at_tokenizer *t)
{
	memset(t, 0, sizeof(*t));
}

static void line_end(struct at_tokenizer *t, at_token_cb cb, void *ctx)
{
	if (t->overflow) {
		t->buf[t->len] = '\0';
		cb(ctx, AT_TOKEN_OVERFLOW, t->buf, t->len);
	} else if (t->len > 0) {
		t->buf[t->len] = '\0';
		cb(ctx, AT_TOKEN_LINE, t->buf, t->len);
	}
	t->len = 0;
	t->overflow = false;
}

void at_tokenizer_feed(struct at_tokenizer *t, const uint8_t *data, size_t n, at_token_cb cb,
		       void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = data[i];

		if (c == '\r' || c == '\n') {
			line_end(t, cb, ctx);
			continue;
		}
		if (c == '\0')
			continue;
		if (t->expect_prompt && t->len == 0 && c == '>') {
			/* the space after '>' may come in the next read; it is not part of anything */
			t->expect_prompt = false;
			cb(ctx, AT_TOKEN_PROMPT, ">", 1);
			if (i + 1 < n && data[i + 1] == ' ')
				i++;
			continue;
		}
		if (t->len == 0 && c == ' ' && !t->overflow)
			continue; /* the prompt's trailing space, or padding before a line */
		if (t->len == AT_LINE_MAX) {
			t->overflow = true;
			continue;
		}
		t->buf[t->len++] = (char)c;
	}
}
