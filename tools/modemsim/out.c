/*
 * Composition and timing of what the modem says.
 *
 * Framing (ITU-T V.250 5.7, with ATV1): information text is sent as
 * "\r\n" line ("\r\n" line)* "\r\n", a result code as "\r\n" code "\r\n",
 * a URC as a result code. So "AT+CSQ" gets "\r\n+CSQ: 20,99\r\n\r\nOK\r\n",
 * as SIMCom, Quectel and Huawei modems answer it.
 *
 * Responses wait in a list sorted by due time, so URCs raised meanwhile go
 * out first: the gateway sees them between a command and its answer, as it
 * does on real modems.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "parley/hex.h"
#include "sim.h"

enum line_kind {
	LINE_INFO,
	LINE_FINAL,
	LINE_URC,
};

struct out_item {
	uint64_t due_ns;
	char *bytes;
	size_t len;
	char *log;         /* lines to log, each "I|F|U<text>\n"; NULL: none */
	bool last;         /* ends a response */
	bool partial;      /* first half of a split response */
	bool garbage;
	void (*after)(struct sim *sim);
	struct out_item *next;
};

void resp_init(struct resp *r)
{
	memset(r, 0, sizeof(*r));
}

void resp_fini(struct resp *r)
{
	for (unsigned i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	memset(r, 0, sizeof(*r));
}

int resp_add(struct resp *r, const char *fmt, ...)
{
	char **grown, *line;
	va_list ap;
	int len;

	if (r->n == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 8;

		grown = realloc(r->lines, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		r->lines = grown;
		r->cap = cap;
	}
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(line = malloc((size_t)len + 1)))
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(line, (size_t)len + 1, fmt, ap);
	va_end(ap);
	r->lines[r->n++] = line;
	return 0;
}

void resp_final(struct resp *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->final, sizeof(r->final), fmt, ap);
	va_end(ap);
}

void out_init(struct out *o)
{
	memset(o, 0, sizeof(*o));
}

static void item_free(struct out_item *it)
{
	free(it->bytes);
	free(it->log);
	free(it);
}

static void list_free(struct out_item **head)
{
	struct out_item *it;

	while ((it = *head)) {
		*head = it->next;
		item_free(it);
	}
}

void out_fini(struct out *o)
{
	list_free(&o->delayed);
	list_free(&o->held);
}

/* A growing string; on allocation failure it stays NULL and every add is a no-op. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void sb_add(struct sbuf *b, const char *p, size_t n)
{
	char *grown;
	size_t cap;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		grown = realloc(b->s, cap);
		if (!grown) {
			b->failed = true;
			free(b->s);
			b->s = NULL;
			return;
		}
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static struct out_item *item_new(void)
{
	return calloc(1, sizeof(struct out_item));
}

/* Frames one line after a line of kind prev (-1: none) into bytes and log. */
static void frame_line(struct sbuf *bytes, struct sbuf *log, enum line_kind kind, int prev,
		       const char *text)
{
	static const char tag[] = { 'I', 'F', 'U' };

	if (kind != LINE_INFO || prev != LINE_INFO)
		sb_str(bytes, "\r\n");
	sb_str(bytes, text);
	sb_str(bytes, "\r\n");
	sb_add(log, &tag[kind], 1);
	sb_str(log, text);
	sb_str(log, "\n");
}

static void emit_item(struct sim *sim, struct out_item *it, uint64_t now);

static void delayed_insert(struct out *o, struct out_item *it)
{
	struct out_item **pp;

	for (pp = &o->delayed; *pp && (*pp)->due_ns <= it->due_ns; pp = &(*pp)->next)
		;
	it->next = *pp;
	*pp = it;
}

/* The lines a response will show, after the line faults. */
struct plan {
	const char **text;
	enum line_kind *kind;
	unsigned n;
};

static void fault_logged(struct sim *sim, const char *what, long value)
{
	cJSON *ev = simlog_event(&sim->log, "fault");

	cJSON_AddStringToObject(ev, "applied", what);
	cJSON_AddNumberToObject(ev, "value", (double)value);
	simlog_commit(&sim->log, ev);
}

static int plan_build(struct sim *sim, struct resp *r, struct plan *p)
{
	struct faults *f = &sim->faults;
	unsigned total = r->n + (r->final[0] ? 1 : 0), skip = total, after = total;
	long k;

	p->n = 0;
	p->text = calloc(total + 2, sizeof(*p->text));
	p->kind = calloc(total + 2, sizeof(*p->kind));
	if (!p->text || !p->kind)
		return -ENOMEM;
	if (f->drop && total > 0) {
		k = f->drop_line < 0 ? (long)total + f->drop_line : f->drop_line;
		skip = k >= 0 && k < (long)total ? (unsigned)k : total - 1;
		f->drop = false;
		fault_logged(sim, "drop_line", skip);
	}
	if (f->interleave && total > 1) {
		after = f->interleave_after < 1 ? 1 : (unsigned)f->interleave_after;
		if (after >= total)
			after = total - 1;
		f->interleave = false;
		fault_logged(sim, "interleave", after);
	}
	for (unsigned i = 0; i < total; i++) {
		if (i == after) {
			p->text[p->n] = f->interleave_urc;
			p->kind[p->n++] = LINE_URC;
		}
		if (i == skip)
			continue;
		p->text[p->n] = i < r->n ? r->lines[i] : r->final;
		p->kind[p->n++] = i < r->n ? LINE_INFO : LINE_FINAL;
	}
	return 0;
}

static struct out_item *item_split(struct sim *sim, struct out_item *it)
{
	struct faults *f = &sim->faults;
	struct out_item *second;
	size_t at;

	f->split = false;
	if (it->len < 2 || !(second = item_new()))
		return NULL;
	at = f->split_at < 0 || (size_t)f->split_at >= it->len ? it->len / 2 : (size_t)f->split_at;
	if (at == 0)
		at = 1;
	second->bytes = malloc(it->len - at);
	if (!second->bytes) {
		free(second);
		return NULL;
	}
	memcpy(second->bytes, it->bytes + at, it->len - at);
	second->len = it->len - at;
	second->log = it->log;
	second->last = true;
	second->due_ns = it->due_ns + (uint64_t)f->split_delay_ms * NS_PER_MS;
	it->log = NULL;
	it->len = at;
	it->last = false;
	it->partial = true;
	return second;
}

void out_response(struct sim *sim, struct resp *r, unsigned latency_ms)
{
	struct sbuf bytes = { 0 }, log = { 0 };
	struct out_item *it, *second = NULL;
	struct plan p = { 0 };
	int prev = -1;

	it = item_new();
	if (!it || plan_build(sim, r, &p) < 0) {
		free(it);
		free(p.text);
		free(p.kind);
		resp_fini(r);
		return;
	}
	for (unsigned i = 0; i < p.n; i++) {
		frame_line(&bytes, &log, p.kind[i], prev, p.text[i]);
		prev = (int)p.kind[i];
	}
	free(p.text);
	free(p.kind);
	resp_fini(r);
	it->bytes = bytes.s;
	it->len = bytes.len;
	it->log = log.s;
	it->last = true;
	it->due_ns = clock_after_ms(clock_now_ns(), latency_ms);
	if (sim->faults.split) {
		second = item_split(sim, it);
		fault_logged(sim, "split", (long)it->len);
	}
	(second ? second : it)->after = sim->out.after;
	sim->out.after = NULL;
	sim->out.busy = true;
	delayed_insert(&sim->out, it);
	if (second)
		delayed_insert(&sim->out, second);
	out_run(sim, clock_now_ns());
}

static void log_lines(struct sim *sim, const char *log, bool dropped)
{
	const char *nl;
	char line[1024];
	size_t len;
	cJSON *ev;

	for (; log && *log; log = nl + 1) {
		nl = strchr(log, '\n');
		if (!nl)
			break;
		len = (size_t)(nl - log - 1);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, log + 1, len);
		line[len] = '\0';
		ev = simlog_event(&sim->log, *log == 'U' ? "urc" : "tx");
		cJSON_AddStringToObject(ev, "line", line);
		if (*log == 'F')
			cJSON_AddBoolToObject(ev, "final", true);
		if (dropped)
			cJSON_AddBoolToObject(ev, "dropped", true);
		simlog_commit(&sim->log, ev);
	}
}

static void emit_item(struct sim *sim, struct out_item *it, uint64_t now)
{
	void (*after)(struct sim *sim);
	int rc = pty_write(&sim->pty, it->bytes, it->len, now);

	if (it->garbage) {
		char *hex = malloc(2 * it->len + 1);

		if (hex) {
			cJSON *ev = simlog_event(&sim->log, "garbage");

			hex_encode((const uint8_t *)it->bytes, it->len, hex);
			cJSON_AddStringToObject(ev, "hex", hex);
			simlog_commit(&sim->log, ev);
			free(hex);
		}
	}
	log_lines(sim, it->log, rc < 0);
	if (it->partial)
		sim->out.partial = true;
	if (it->last) {
		sim->out.busy = false;
		sim->out.partial = false;
	}
	after = it->after;
	item_free(it);
	if (after)
		after(sim);
}

/* A URC now, or held while the prompt or a split response is out. */
static void urc_send(struct sim *sim, const char *line, const char *pdu, bool force)
{
	struct sbuf bytes = { 0 }, log = { 0 };
	struct out_item *it, **pp;

	if (sim->modem.booting || !(it = item_new()))
		return;
	frame_line(&bytes, &log, LINE_URC, -1, line);
	if (pdu) {
		/* 27.005 3.4.1: +CMT: [<alpha>],<length><CR><LF><pdu> */
		sb_str(&bytes, pdu);
		sb_str(&bytes, "\r\n");
		sb_str(&log, "U");
		sb_str(&log, pdu);
		sb_str(&log, "\n");
	}
	it->bytes = bytes.s;
	it->len = bytes.len;
	it->log = log.s;
	if (!force && (sim->out.prompt || sim->out.partial)) {
		for (pp = &sim->out.held; *pp; pp = &(*pp)->next)
			;
		*pp = it;
		return;
	}
	emit_item(sim, it, clock_now_ns());
}

void out_urc(struct sim *sim, const char *line)
{
	urc_send(sim, line, NULL, false);
}

void out_urc2(struct sim *sim, const char *line, const char *pdu)
{
	urc_send(sim, line, pdu, false);
}

void out_urc2_now(struct sim *sim, const char *line, const char *pdu)
{
	urc_send(sim, line, pdu, true);
}

static void held_release(struct sim *sim)
{
	struct out_item *it;

	while (!sim->out.prompt && !sim->out.partial && (it = sim->out.held)) {
		sim->out.held = it->next;
		emit_item(sim, it, clock_now_ns());
	}
}

void out_prompt(struct sim *sim)
{
	static const char prompt[] = "\r\n> ";
	cJSON *ev;

	/* Exactly CR LF '>' ' ' (27.005 3.5.1), with no line end after it. */
	pty_write(&sim->pty, prompt, sizeof(prompt) - 1, clock_now_ns());
	ev = simlog_event(&sim->log, "tx");
	cJSON_AddStringToObject(ev, "line", "> ");
	cJSON_AddBoolToObject(ev, "prompt", true);
	simlog_commit(&sim->log, ev);
	sim->out.prompt = true;
}

void out_prompt_end(struct sim *sim)
{
	sim->out.prompt = false;
	held_release(sim);
}

void out_echo(struct sim *sim, const void *data, size_t n)
{
	pty_write(&sim->pty, data, n, clock_now_ns());
}

void out_garbage(struct sim *sim, const void *data, size_t n)
{
	struct out_item *it = item_new();

	if (!it || !(it->bytes = malloc(n ? n : 1))) {
		free(it);
		return;
	}
	memcpy(it->bytes, data, n);
	it->len = n;
	it->garbage = true;
	emit_item(sim, it, clock_now_ns());
}

void out_run(struct sim *sim, uint64_t now)
{
	struct out_item *it;

	while ((it = sim->out.delayed) && it->due_ns <= now) {
		sim->out.delayed = it->next;
		emit_item(sim, it, now);
	}
	held_release(sim);
}

void out_after_response(struct sim *sim, void (*fn)(struct sim *sim))
{
	sim->out.after = fn;
}

uint64_t out_deadline(const struct sim *sim)
{
	return sim->out.delayed ? sim->out.delayed->due_ns : CLOCK_NEVER;
}

void out_reset(struct sim *sim)
{
	list_free(&sim->out.delayed);
	list_free(&sim->out.held);
	sim->out.busy = false;
	sim->out.partial = false;
	sim->out.prompt = false;
	sim->out.after = NULL;
}
