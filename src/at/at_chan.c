/*
 * The AT command queue (V.250, TS 27.007, TS 27.005): one command in flight,
 * its information lines collected until a final result, URCs routed out of
 * the middle of responses. No I/O: bytes come in through at_chan_feed and
 * go out through at_chan_output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parley/at_chan.h"
#include "parley/at_tokenizer.h"

#define URC_PREFIXES_MAX 32
#define CTRL_Z 0x1A

struct queued {
	struct queued *next;
	char *text;
	char *prefix;
	char *pdu;
	bool pdu_lines;
	unsigned timeout_ms;
	at_done_cb done;
	void *user;
	void (*destroy)(void *user);
};

struct urc_prefix {
	char *prefix;
	size_t len;
	bool pdu_follows;
};

enum chan_state {
	CHAN_IDLE,
	CHAN_WAIT_PROMPT, /* AT+CMGS written, the PDU waits for "> " */
	CHAN_WAIT_FINAL,
};

struct at_chan {
	struct at_tokenizer tok;
	struct queued *head, *tail; /* head is in flight when state != CHAN_IDLE */
	enum chan_state state;
	uint64_t deadline;
	uint64_t now;

	uint8_t *out;
	size_t out_len, out_cap;

	char **lines;
	size_t nlines, lines_cap;
	bool want_pdu_line;  /* the command's last line was a +CMGL/+CMGR header */
	char *urc_waiting;   /* a +CMT/+CDS header whose PDU line is next */

	struct urc_prefix urcs[URC_PREFIXES_MAX];
	size_t nurcs;
	at_urc_cb urc;
	void *urc_ctx;
	at_trace_cb trace;
	void *trace_ctx;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int out_append(struct at_chan *c, const void *data, size_t n)
{
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 256;
		while (cap < c->out_len + n)
			cap *= 2;
		uint8_t *p = realloc(c->out, cap);
		if (!p)
			return -ENOMEM;
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, data, n);
	c->out_len += n;
	if (c->trace)
		c->trace(c->trace_ctx, '>', data, n);
	return 0;
}

static void lines_clear(struct at_chan *c)
{
	for (size_t i = 0; i < c->nlines; i++)
		free(c->lines[i]);
	c->nlines = 0;
	c->want_pdu_line = false;
}

static void lines_add(struct at_chan *c, const char *line)
{
	if (c->nlines == c->lines_cap) {
		size_t cap = c->lines_cap ? c->lines_cap * 2 : 8;
		char **p = realloc(c->lines, cap * sizeof(*p));
		if (!p)
			return; /* the command still completes; the caller sees fewer lines */
		c->lines = p;
		c->lines_cap = cap;
	}
	char *copy = strdup(line);
	if (copy)
		c->lines[c->nlines++] = copy;
}

static void queued_free(struct queued *q)
{
	if (q->destroy)
		q->destroy(q->user);
	free(q->text);
	free(q->prefix);
	free(q->pdu);
	free(q);
}

static void start_next(struct at_chan *c)
{
	struct queued *q = c->head;

	if (c->state != CHAN_IDLE || !q)
		return;
	/* a failed append leaves the command to time out, which the owner handles */
	if (out_append(c, q->text, strlen(q->text)) == 0)
		out_append(c, "\r", 1);
	c->state = q->pdu ? CHAN_WAIT_PROMPT : CHAN_WAIT_FINAL;
	c->tok.expect_prompt = q->pdu != NULL;
	c->deadline = c->now + q->timeout_ms;
}

static void complete(struct at_chan *c, enum at_final final, int code, const char *line)
{
	struct queued *q = c->head;
	/*
	 * The lines leave the channel with the answer: a callback that resets
	 * the channel (the driver's recovery does) must neither free them under
	 * it nor hand them to the commands it cancels.
	 */
	char **lines = c->lines;
	size_t nlines = c->nlines, cap = c->lines_cap;
	struct at_response r = {
		.final = final,
		.code = code,
		.final_line = line ? line : "",
		.nlines = nlines,
		.lines = (const char *const *)lines,
	};

	if (!q)
		return;
	c->lines = NULL;
	c->nlines = c->lines_cap = 0;
	c->want_pdu_line = false;
	c->head = q->next;
	if (!c->head)
		c->tail = NULL;
	c->state = CHAN_IDLE;
	c->tok.expect_prompt = false;
	q->done(q->user, &r);
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	if (c->lines) {
		free(lines);
	} else {
		c->lines = lines; /* kept for the next answer */
		c->lines_cap = cap;
	}
	queued_free(q);
	start_next(c);
}

static const struct urc_prefix *urc_match(const struct at_chan *c, const char *line)
{
	for (size_t i = 0; i < c->nurcs; i++)
		if (strncmp(line, c->urcs[i].prefix, c->urcs[i].len) == 0)
			return &c->urcs[i];
	return NULL;
}

static bool is_hex_line(const char *line)
{
	size_t n = strspn(line, "0123456789ABCDEFabcdef");
	return n >= 2 && line[n] == '\0';
}

static void urc_deliver(struct at_chan *c, const char *line, const char *pdu, bool known)
{
	if (c->urc)
		c->urc(c->urc_ctx, line, pdu, known);
}

/* The PDU a modem echoes after the prompt may end with the Ctrl-Z it got. */
static bool is_pdu_echo(const struct queued *q, const char *line)
{
	size_t n = strlen(line);

	if (!q->pdu)
		return false;
	if (n > 0 && line[n - 1] == CTRL_Z)
		n--;
	return n == strlen(q->pdu) && strncmp(line, q->pdu, n) == 0;
}

static void on_line(struct at_chan *c, const char *line)
{
	struct queued *q = c->state != CHAN_IDLE ? c->head : NULL;
	const struct urc_prefix *u;
	enum at_final final;
	int code;

	if (c->urc_waiting) {
		char *header = c->urc_waiting;
		c->urc_waiting = NULL;
		if (is_hex_line(line)) {
			urc_deliver(c, header, line, true);
			free(header);
			return;
		}
		/* the PDU never came: report the header alone, then read this line afresh */
		urc_deliver(c, header, NULL, true);
		free(header);
	}
	if (q && c->want_pdu_line && is_hex_line(line)) {
		lines_add(c, line);
		c->want_pdu_line = false;
		return;
	}
	if (q && (strcmp(line, q->text) == 0 || is_pdu_echo(q, line)))
		return; /* echo (ATE1) */

	final = at_final_parse(line, &code);
	if (q && final != AT_FINAL_NONE) {
		complete(c, final, code, line);
		return;
	}
	if (q && c->state == CHAN_WAIT_FINAL && q->prefix &&
	    strncmp(line, q->prefix, strlen(q->prefix)) == 0) {
		lines_add(c, line);
		c->want_pdu_line = q->pdu_lines;
		return;
	}
	u = urc_match(c, line);
	if (u) {
		if (u->pdu_follows) {
			c->urc_waiting = strdup(line);
			if (!c->urc_waiting)
				urc_deliver(c, line, NULL, true);
		} else {
			urc_deliver(c, line, NULL, true);
		}
		return;
	}
	if (q && c->state == CHAN_WAIT_FINAL && !q->prefix) {
		lines_add(c, line);
		return;
	}
	/* a stray OK or ERROR after a timeout belongs to nobody */
	if (final == AT_FINAL_OK || final == AT_FINAL_ERROR)
		return;
	urc_deliver(c, line, NULL, false);
}

static void on_token(void *ctx, enum at_token kind, const char *line, size_t len)
{
	struct at_chan *c = ctx;
	(void)len;

	switch (kind) {
	case AT_TOKEN_LINE:
		on_line(c, line);
		break;
	case AT_TOKEN_PROMPT:
		if (c->state == CHAN_WAIT_PROMPT && c->head) {
			char ctrl_z = CTRL_Z;
			out_append(c, c->head->pdu, strlen(c->head->pdu));
			out_append(c, &ctrl_z, 1);
			c->state = CHAN_WAIT_FINAL;
		}
		break;
	case AT_TOKEN_OVERFLOW:
		urc_deliver(c, line, NULL, false);
		break;
	}
}

struct at_chan *at_chan_new(at_urc_cb urc, void *ctx)
{
	struct at_chan *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	at_tokenizer_init(&c->tok);
	c->urc = urc;
	c->urc_ctx = ctx;
	return c;
}

void at_chan_free(struct at_chan *c)
{
	if (!c)
		return;
	at_chan_reset(c);
	for (size_t i = 0; i < c->nurcs; i++)
		free(c->urcs[i].prefix);
	free(c->lines);
	free(c->out);
	free(c);
}

void at_chan_set_trace(struct at_chan *c, at_trace_cb trace, void *ctx)
{
	c->trace = trace;
	c->trace_ctx = ctx;
}

int at_chan_register_urc(struct at_chan *c, const char *prefix, bool pdu_follows)
{
	if (!prefix || !*prefix)
		return -EINVAL;
	if (c->nurcs == URC_PREFIXES_MAX)
		return -E2BIG;
	c->urcs[c->nurcs].prefix = strdup(prefix);
	if (!c->urcs[c->nurcs].prefix)
		return -ENOMEM;
	c->urcs[c->nurcs].len = strlen(prefix);
	c->urcs[c->nurcs].pdu_follows = pdu_follows;
	c->nurcs++;
	return 0;
}

int at_chan_send(struct at_chan *c, const struct at_cmd *cmd, uint64_t now_ms)
{
	struct queued *q;

	if (!cmd->text || !cmd->done || strpbrk(cmd->text, "\r\n") ||
	    (cmd->pdu && strpbrk(cmd->pdu, "\r\n\x1A\x1B")))
		return -EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->text = strdup(cmd->text);
	q->prefix = dup_or_null(cmd->prefix);
	q->pdu = dup_or_null(cmd->pdu);
	if (!q->text || (cmd->prefix && !q->prefix) || (cmd->pdu && !q->pdu)) {
		free(q->text);
		free(q->prefix);
		free(q->pdu);
		free(q);
		return -ENOMEM;
	}
	q->pdu_lines = cmd->pdu_lines;
	q->timeout_ms = cmd->timeout_ms;
	q->done = cmd->done;
	q->user = cmd->user;
	q->destroy = cmd->destroy;
	if (c->tail)
		c->tail->next = q;
	else
		c->head = q;
	c->tail = q;
	c->now = now_ms;
	start_next(c);
	return 0;
}

int at_chan_write_raw(struct at_chan *c, const void *data, size_t len)
{
	return out_append(c, data, len);
}

void at_chan_feed(struct at_chan *c, const uint8_t *data, size_t len, uint64_t now_ms)
{
	c->now = now_ms;
	if (c->trace && len)
		c->trace(c->trace_ctx, '<', (const char *)data, len);
	at_tokenizer_feed(&c->tok, data, len, on_token, c);
}

size_t at_chan_output(struct at_chan *c, const uint8_t **data)
{
	*data = c->out;
	return c->out_len;
}

void at_chan_output_done(struct at_chan *c, size_t n)
{
	if (n >= c->out_len) {
		c->out_len = 0;
		return;
	}
	memmove(c->out, c->out + n, c->out_len - n);
	c->out_len -= n;
}

void at_chan_tick(struct at_chan *c, uint64_t now_ms)
{
	c->now = now_ms;
	if (c->state != CHAN_IDLE && now_ms >= c->deadline)
		complete(c, AT_FINAL_TIMEOUT, 0, NULL);
}

uint64_t at_chan_deadline(const struct at_chan *c)
{
	return c->state != CHAN_IDLE ? c->deadline : UINT64_MAX;
}

size_t at_chan_pending(const struct at_chan *c)
{
	size_t n = 0;
	for (const struct queued *q = c->head; q; q = q->next)
		n++;
	return n;
}

void at_chan_reset(struct at_chan *c)
{
	/* callbacks may queue new commands; those are cancelled too */
	while (c->head) {
		if (c->state == CHAN_IDLE)
			c->state = CHAN_WAIT_FINAL;
		complete(c, AT_FINAL_CANCELLED, 0, NULL);
	}
	lines_clear(c);
	free(c->urc_waiting);
	c->urc_waiting = NULL;
	c->out_len = 0;
	c->state = CHAN_IDLE;
	at_tokenizer_init(&c->tok);
}
