/*
 * libFuzzer target: the AT command channel with commands in flight, fed any
 * bytes as if from the modem. Four control bytes come first: which commands
 * are queued, the size of each read, the time between reads, and what the
 * callbacks do (queue the next command, reset the channel as the driver's
 * recovery does, write an ESC first). The rest is the modem's bytes.
 *
 * What must hold whatever the modem says: every command is answered once
 * and destroyed once after that, in the order queued; an answer's lines
 * carry the command's prefix (or are the PDU line after one), are never its
 * echo, a final result or a URC; a final line reads back as its result; URCs
 * are only lines nobody's command wanted, PDUs only after +CMT/+CDS; the
 * channel writes each command once, in order, its PDU right after it; and
 * the events are the same when the bytes come whole.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/at_chan.h"
#include "parley/at_result.h"
#include "parley/at_tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s\n", #c); abort(); } } while (0)

#define COMMANDS_MAX 24
#define TIMEOUT_MS 5000

/* What the driver queues, with their prefixes and a real SUBMIT for the prompt. */
static const struct at_cmd table[] = {
	{ .text = "AT" },
	{ .text = "AT+CSQ", .prefix = "+CSQ:" },
	{ .text = "AT+CMGL=4", .prefix = "+CMGL:", .pdu_lines = true },
	{ .text = "AT+CMGS=24", .prefix = "+CMGS:",
	  .pdu = "0021000C9144770009103200000CD37219947FD741613AC806" },
	{ .text = "AT+CMGR=3", .prefix = "+CMGR:", .pdu_lines = true },
	{ .text = "AT+CGMI" },
	{ .text = "AT+CREG?", .prefix = "+CREG:" },
	{ .text = "AT+CPIN?", .prefix = "+CPIN:" },
};
#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

static const struct {
	const char *prefix;
	bool pdu;
} urcs[] = {
	{ "+CMTI:", false }, { "+CDSI:", false }, { "+CREG:", false }, { "+CEREG:", false },
	{ "+CLIP:", false }, { "RING", false },   { "+CMT:", true },   { "+CDS:", true },
};
#define URCS (sizeof(urcs) / sizeof(urcs[0]))

struct text {
	char *p;
	size_t len, cap;
};

struct session;

struct tracked {
	struct session *s;
	const struct at_cmd *cmd;
	unsigned done, destroyed;
};

struct session {
	struct at_chan *chan;
	uint64_t now;
	bool requeue, reset_on_failure, esc_first;
	unsigned resets;
	struct tracked cmds[COMMANDS_MAX];
	size_t ncmds, ndone;
	struct text events, output;
};

static void add(struct text *t, const void *p, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		CHECK(t->p != NULL);
	}
	memcpy(t->p + t->len, p, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void add_str(struct text *t, const char *s)
{
	add(t, s, strlen(s) + 1); /* the NUL keeps fields apart */
}

static bool is_hex(const char *s)
{
	size_t n = strspn(s, "0123456789ABCDEFabcdef");
	return n >= 2 && s[n] == '\0';
}

static const char *urc_of(const char *line)
{
	for (size_t i = 0; i < URCS; i++)
		if (strncmp(line, urcs[i].prefix, strlen(urcs[i].prefix)) == 0)
			return urcs[i].prefix;
	return NULL;
}

static void queue(struct session *s, const struct at_cmd *cmd);

static void check_response(const struct tracked *t, const struct at_response *r)
{
	const struct at_cmd *cmd = t->cmd;
	int code;

	CHECK(r->final != AT_FINAL_NONE);
	CHECK(r->final_line != NULL);
	if (r->final == AT_FINAL_TIMEOUT || r->final == AT_FINAL_CANCELLED) {
		CHECK(r->final_line[0] == '\0' && r->code == 0);
	} else {
		CHECK(at_final_parse(r->final_line, &code) == r->final && code == r->code);
	}
	CHECK(r->nlines == 0 || r->lines != NULL);
	for (size_t i = 0; i < r->nlines; i++) {
		const char *l = r->lines[i];
		CHECK(l != NULL && l[0] != '\0' && strlen(l) <= AT_LINE_MAX);
		CHECK(strcmp(l, cmd->text) != 0);
		CHECK(at_final_parse(l, &code) == AT_FINAL_NONE);
		if (cmd->prefix) {
			bool own = strncmp(l, cmd->prefix, strlen(cmd->prefix)) == 0;
			bool pdu_line = cmd->pdu_lines && i > 0 && is_hex(l) &&
					strncmp(r->lines[i - 1], cmd->prefix, strlen(cmd->prefix)) == 0;
			CHECK(own || pdu_line);
		} else {
			CHECK(urc_of(l) == NULL);
		}
	}
}

static void on_done(void *user, const struct at_response *r)
{
	struct tracked *t = user;
	struct session *s = t->s;
	char head[64];

	CHECK(t->done == 0 && t->destroyed == 0);
	/* answered in the order queued */
	CHECK((size_t)(t - s->cmds) == s->ndone);
	t->done++;
	s->ndone++;
	check_response(t, r);
	snprintf(head, sizeof(head), "[%zu %s %d", (size_t)(t - s->cmds), at_final_name(r->final), r->code);
	add_str(&s->events, head);
	add_str(&s->events, r->final_line);
	for (size_t i = 0; i < r->nlines; i++)
		add_str(&s->events, r->lines[i]);
	if (r->final == AT_FINAL_CANCELLED)
		return;
	/* the driver's recovery: a reset from inside the answer, then a probe */
	if (s->reset_on_failure && (r->final == AT_FINAL_TIMEOUT || r->final == AT_FINAL_ERROR)) {
		s->resets++;
		at_chan_reset(s->chan);
		if (s->esc_first)
			CHECK(at_chan_write_raw(s->chan, "\x1B", 1) == 0);
		queue(s, &table[0]);
	}
	if (s->requeue)
		queue(s, &table[(size_t)(t - s->cmds) % TABLE_SIZE]);
}

static void on_destroy(void *user)
{
	struct tracked *t = user;
	CHECK(t->done == 1 && t->destroyed == 0);
	t->destroyed++;
}

static void on_urc(void *ctx, const char *line, const char *pdu, bool known)
{
	struct session *s = ctx;
	const char *prefix = urc_of(line);
	int code;

	CHECK(line != NULL && line[0] != '\0');
	if (known) {
		CHECK(prefix != NULL);
	} else {
		/* a line too long for the tokenizer arrives as it was cut, whatever it starts with */
		bool overflow = strlen(line) == AT_LINE_MAX;
		enum at_final f = at_final_parse(line, &code);
		CHECK(prefix == NULL || overflow);
		CHECK((f != AT_FINAL_OK && f != AT_FINAL_ERROR) || overflow);
	}
	if (pdu) {
		CHECK(known && is_hex(pdu));
		CHECK(strcmp(prefix, "+CMT:") == 0 || strcmp(prefix, "+CDS:") == 0);
	}
	add_str(&s->events, known ? "{" : "{?");
	add_str(&s->events, line);
	add_str(&s->events, pdu ? pdu : "-");
}

static void queue(struct session *s, const struct at_cmd *cmd)
{
	struct tracked *t;
	struct at_cmd c = *cmd;

	if (s->ncmds == COMMANDS_MAX)
		return;
	t = &s->cmds[s->ncmds++];
	*t = (struct tracked){ .s = s, .cmd = cmd };
	c.timeout_ms = TIMEOUT_MS;
	c.done = on_done;
	c.destroy = on_destroy;
	c.user = t;
	CHECK(at_chan_send(s->chan, &c, s->now) == 0);
}

static void take_output(struct session *s)
{
	const uint8_t *out;
	size_t n = at_chan_output(s->chan, &out);

	if (n) {
		add(&s->output, out, n);
		at_chan_output_done(s->chan, n);
	}
	CHECK(at_chan_output(s->chan, &out) == 0);
}

static void check_pending(const struct session *s)
{
	size_t pending = s->ncmds - s->ndone;

	CHECK(at_chan_pending(s->chan) == pending);
	CHECK((at_chan_deadline(s->chan) == UINT64_MAX) == (pending == 0));
}

/*
 * What went out: ESCs, and each command's text with CR, then its PDU with
 * Ctrl-Z, in the order queued, none twice. Only a reset (which drops what
 * the owner has not taken yet) may leave a command out.
 */
static bool same_text(const char *p, size_t n, const char *text)
{
	return text && strlen(text) == n && memcmp(p, text, n) == 0;
}

static void check_output(const struct session *s)
{
	const char *p = s->output.p ? s->output.p : "";
	const char *end = p + s->output.len;
	size_t next = 0;       /* the commands before this one have gone out */
	bool pdu_due = false;  /* the last text out was a command with a PDU */

	while (p < end) {
		if (*p == 0x1B) {
			p++;
			continue;
		}
		size_t n = strcspn(p, "\r\x1A");
		CHECK(p + n < end);
		if (p[n] == '\r') {
			size_t i = next;
			while (i < s->ncmds && !same_text(p, n, s->cmds[i].cmd->text)) {
				CHECK(s->resets > 0);
				i++;
			}
			CHECK(i < s->ncmds);
			next = i + 1;
			pdu_due = s->cmds[i].cmd->pdu != NULL;
		} else {
			CHECK(pdu_due && same_text(p, n, s->cmds[next - 1].cmd->pdu));
			pdu_due = false;
		}
		p += n + 1;
	}
	if (s->resets == 0)
		CHECK(next == s->ncmds);
}

static void session_run(struct session *s, const uint8_t *ctl, const uint8_t *bytes, size_t n,
			bool whole)
{
	size_t chunk = whole || ctl[1] == 0 ? n : ctl[1];
	uint64_t step_ms = whole ? 0 : (uint64_t)ctl[2] * 50;

	memset(s, 0, sizeof(*s));
	s->now = 1000;
	s->requeue = ctl[3] & 1;
	s->reset_on_failure = ctl[3] & 2;
	s->esc_first = ctl[3] & 4;
	s->chan = at_chan_new(on_urc, s);
	CHECK(s->chan != NULL);
	for (size_t i = 0; i < URCS; i++)
		CHECK(at_chan_register_urc(s->chan, urcs[i].prefix, urcs[i].pdu) == 0);
	if (s->esc_first)
		CHECK(at_chan_write_raw(s->chan, "\x1B", 1) == 0);
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (ctl[0] & (1u << i))
			queue(s, &table[i]);
	take_output(s);
	check_pending(s);

	for (size_t off = 0; off < n;) {
		size_t k = chunk && chunk < n - off ? chunk : n - off;
		at_chan_feed(s->chan, bytes + off, k, s->now);
		off += k;
		take_output(s);
		check_pending(s);
		if (step_ms) {
			s->now += step_ms;
			at_chan_tick(s->chan, s->now);
			take_output(s);
			check_pending(s);
		}
	}
	/* silence: whatever is left times out, one command after the other */
	for (unsigned i = 0; i <= COMMANDS_MAX && s->ndone < s->ncmds; i++) {
		CHECK(at_chan_deadline(s->chan) != UINT64_MAX);
		s->now = at_chan_deadline(s->chan);
		at_chan_tick(s->chan, s->now);
		take_output(s);
		check_pending(s);
	}
	CHECK(s->ndone == s->ncmds);
	check_output(s);
	at_chan_free(s->chan);
	for (size_t i = 0; i < s->ncmds; i++)
		CHECK(s->cmds[i].done == 1 && s->cmds[i].destroyed == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct session cut, whole;
	const uint8_t *ctl = data;

	if (size < 4)
		return 0;
	data += 4;
	size -= 4;
	session_run(&cut, ctl, data, size, false);
	/* the same bytes in one read, with no time passing, give the same events */
	if (ctl[2] == 0) {
		session_run(&whole, ctl, data, size, true);
		CHECK(whole.events.len == cut.events.len);
		CHECK(whole.events.len == 0 || memcmp(whole.events.p, cut.events.p, cut.events.len) == 0);
		if (whole.resets == 0 && cut.resets == 0)
			CHECK(whole.output.len == cut.output.len &&
			      (whole.output.len == 0 || memcmp(whole.output.p, cut.output.p, cut.output.len) == 0));
		free(whole.events.p);
		free(whole.output.p);
	}
	free(cut.events.p);
	free(cut.output.p);
	return 0;
}
