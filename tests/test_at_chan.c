/*
 * The AT channel fed transcripts of modem sessions: whole, byte by byte and
 * split at every offset, the events must be the same. Transcripts follow
 * what SIM800, Quectel EC25 and Huawei firmwares print (27.005, 27.007).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/at_chan.h"
#include "parley/at_result.h"
#include "parley/at_tokenizer.h"

/* Everything the channel reported, as text, so runs can be compared. */
struct recorder {
	char log[8192];
	size_t len;
	int destroyed;
};

static void rec_printf(struct recorder *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->len += (size_t)vsnprintf(r->log + r->len, sizeof(r->log) - r->len, fmt, ap);
	va_end(ap);
}

static void on_done(void *user, const struct at_response *resp)
{
	struct recorder *r = user;
	rec_printf(r, "[%s %d '%s'", at_final_name(resp->final), resp->code, resp->final_line);
	for (size_t i = 0; i < resp->nlines; i++)
		rec_printf(r, " |%s", resp->lines[i]);
	rec_printf(r, "]");
}

static void on_destroy(void *user)
{
	((struct recorder *)user)->destroyed++;
}

static void on_urc(void *ctx, const char *line, const char *pdu, bool known)
{
	rec_printf(ctx, "{%s%s%s%s}", known ? "" : "?", line, pdu ? " pdu=" : "", pdu ? pdu : "");
}

static struct at_chan *chan_with_urcs(struct recorder *r)
{
	struct at_chan *c = at_chan_new(on_urc, r);
	assert_non_null(c);
	assert_int_equal(at_chan_register_urc(c, "+CMTI:", false), 0);
	assert_int_equal(at_chan_register_urc(c, "+CMT:", true), 0);
	assert_int_equal(at_chan_register_urc(c, "+CDS:", true), 0);
	assert_int_equal(at_chan_register_urc(c, "RING", false), 0);
	assert_int_equal(at_chan_register_urc(c, "+CREG:", false), 0);
	return c;
}

static void send(struct at_chan *c, struct recorder *r, const char *text, const char *prefix,
		 bool pdu_lines, const char *pdu)
{
	struct at_cmd cmd = {
		.text = text, .prefix = prefix, .pdu_lines = pdu_lines, .pdu = pdu,
		.timeout_ms = 5000, .done = on_done, .user = r, .destroy = on_destroy,
	};
	assert_int_equal(at_chan_send(c, &cmd, 0), 0);
}

static void take_output(struct at_chan *c, struct recorder *r)
{
	const uint8_t *data;
	size_t n = at_chan_output(c, &data);
	if (n) {
		rec_printf(r, "<<");
		for (size_t i = 0; i < n; i++)
			rec_printf(r, data[i] == '\r' ? "\\r" : data[i] == 0x1A ? "^Z" : "%c", data[i]);
		rec_printf(r, ">>");
		at_chan_output_done(c, n);
	}
}

struct step {
	const char *send;     /* command to queue, or NULL */
	const char *prefix;
	bool pdu_lines;
	const char *pdu;
	const char *modem;    /* bytes the modem answers */
	size_t modem_len;     /* when they hold NUL bytes; else 0 */
};

static size_t modem_len(const struct step *s)
{
	return s->modem_len ? s->modem_len : strlen(s->modem);
}

/* Runs a session, feeding each step's bytes in chunks of at most chunk (0: one piece, or a cut at split). */
static void run(const struct step *steps, size_t nsteps, size_t chunk, size_t split, struct recorder *r)
{
	struct at_chan *c = chan_with_urcs(r);
	memset(r, 0, sizeof(*r));
	for (size_t s = 0; s < nsteps; s++) {
		if (steps[s].send)
			send(c, r, steps[s].send, steps[s].prefix, steps[s].pdu_lines, steps[s].pdu);
		take_output(c, r);
		const uint8_t *b = (const uint8_t *)steps[s].modem;
		size_t n = modem_len(&steps[s]);
		for (size_t off = 0; off < n;) {
			size_t k = chunk ? chunk : (split && off < split && split < n ? split - off : n - off);
			if (k > n - off)
				k = n - off;
			at_chan_feed(c, b + off, k, 1);
			take_output(c, r);
			off += k;
		}
	}
	at_chan_free(c);
}

/* Every way of cutting the bytes gives the same events as feeding them whole. */
static void check_all_splits(const struct step *steps, size_t nsteps, const char *expected)
{
	static struct recorder whole, other;
	run(steps, nsteps, 0, 0, &whole);
	if (strcmp(whole.log, expected) != 0)
		fprintf(stderr, "got:  %s\nwant: %s\n", whole.log, expected);
	assert_string_equal(whole.log, expected);
	run(steps, nsteps, 1, 0, &other);
	assert_string_equal(other.log, expected);
	size_t longest = 0;
	for (size_t s = 0; s < nsteps; s++)
		if (modem_len(&steps[s]) > longest)
			longest = modem_len(&steps[s]);
	for (size_t split = 1; split < longest; split++) {
		run(steps, nsteps, 0, split, &other);
		assert_string_equal(other.log, expected);
	}
}

/* Echo on (the power-on default): the command comes back before its answer. */
static void echo_then_ok(void **state)
{
	static const struct step s[] = {
		{ "ATE0", NULL, false, NULL, "ATE0\r\r\nOK\r\n" },
		{ "AT+CGSN", NULL, false, NULL, "\r\n861234567890123\r\n\r\nOK\r\n" },
	};
	(void)state;
	check_all_splits(s, 2, "<<ATE0\\r>>[OK 0 'OK']<<AT+CGSN\\r>>[OK 0 'OK' |861234567890123]");
}

/* A listing with a new-message URC between its entries (seen on SIM800 firmware 1418B04). */
static void cmgl_with_urc_inside(void **state)
{
	static const struct step s[] = {
		{ "AT+CMGL=4", "+CMGL:", true, NULL,
		  "\r\n+CMGL: 1,1,,23\r\n0791447758100650040C9144\r\n"
		  "+CMTI: \"SM\",3\r\n"
		  "+CMGL: 2,0,,25\r\n0791447758100650040C9155\r\n\r\nOK\r\n" },
	};
	(void)state;
	check_all_splits(s, 1,
		"<<AT+CMGL=4\\r>>{+CMTI: \"SM\",3}"
		"[OK 0 'OK' |+CMGL: 1,1,,23 |0791447758100650040C9144 |+CMGL: 2,0,,25 |0791447758100650040C9155]");
}

/* AT+CMGS: the PDU goes out only after "> ", with Ctrl-Z (27.005 3.5.1). */
static void cmgs_prompt(void **state)
{
	static const struct step s[] = {
		{ "AT+CMGS=18", "+CMGS:", false, "0021000C914477000921320000", "\r\n> " },
		{ NULL, NULL, false, NULL, "\r\n+CMGS: 42\r\n\r\nOK\r\n" },
	};
	(void)state;
	check_all_splits(s, 2,
		"<<AT+CMGS=18\\r>><<0021000C914477000921320000^Z>>[OK 0 'OK' |+CMGS: 42]");
}

/* With echo on, SIM800 echoes the PDU and its Ctrl-Z after the prompt. */
static void cmgs_echoed(void **state)
{
	static const struct step s[] = {
		{ "AT+CMGS=13", "+CMGS:", false, "0011000B91", "AT+CMGS=13\r\r\n> " },
		{ NULL, NULL, false, NULL, "0011000B91\x1A\r\n+CMGS: 7\r\n\r\nOK\r\n" },
	};
	(void)state;
	check_all_splits(s, 2, "<<AT+CMGS=13\\r>><<0011000B91^Z>>[OK 0 'OK' |+CMGS: 7]");
}

static void cmgs_refused_before_prompt(void **state)
{
	static const struct step s[] = {
		{ "AT+CMGS=18", "+CMGS:", false, "00", "\r\n+CMS ERROR: 331\r\n" },
		{ "AT+CPIN?", "+CPIN:", false, NULL, "\r\n+CME ERROR: SIM PIN required\r\n" },
		{ "AT+CMGS=18", "+CMGS:", false, "00", "\r\n> " },
		{ NULL, NULL, false, NULL, "\r\n+CMS ERROR: 500\r\n" },
	};
	(void)state;
	check_all_splits(s, 4,
		"<<AT+CMGS=18\\r>>[+CMS ERROR 331 '+CMS ERROR: 331']"
		"<<AT+CPIN?\\r>>[+CME ERROR 11 '+CME ERROR: SIM PIN required']"
		"<<AT+CMGS=18\\r>><<00^Z>>[+CMS ERROR 500 '+CMS ERROR: 500']");
}

/* +CMT and +CDS carry their PDU on the next line; RING and unknown noise pass as URCs. */
static void urcs_with_pdus(void **state)
{
	static const struct step s[] = {
		{ NULL, NULL, false, NULL,
		  "\r\n+CMT: ,24\r\n07911326040000F0040B91\r\n"
		  "\r\nRING\r\n\r\n+CLIP: \"+447700900123\",145,\"\",0,\"\",0\r\n"
		  "\r\n+CDS: 25\r\n00061C0B91\r\n"
		  "\r\n^RSSI: 17\r\n" },
		{ "AT+CSQ", "+CSQ:", false, NULL, "\r\n+CREG: 5\r\n+CSQ: 17,99\r\n\r\nOK\r\n" },
	};
	(void)state;
	check_all_splits(s, 2,
		"{+CMT: ,24 pdu=07911326040000F0040B91}{RING}"
		"{?+CLIP: \"+447700900123\",145,\"\",0,\"\",0}{+CDS: 25 pdu=00061C0B91}{?^RSSI: 17}"
		"<<AT+CSQ\\r>>{+CREG: 5}[OK 0 'OK' |+CSQ: 17,99]");
}

/* Garbage and NUL bytes (seen around USB resets) do not derail a command. */
static void garbage(void **state)
{
	static const char bytes[] = "\x00\xff\xfe\x01junk\r\n\x00+CSQ: 9,0\r\nOK\r\n";
	static const struct step s[] = {
		{ "AT+CSQ", "+CSQ:", false, NULL, bytes, sizeof(bytes) - 1 },
	};
	(void)state;
	check_all_splits(s, 1, "<<AT+CSQ\\r>>{?\xff\xfe\x01junk}[OK 0 'OK' |+CSQ: 9,0]");
}

/* A line past AT_LINE_MAX is cut and reported as noise, never taken as the answer. */
static void overlong_line(void **state)
{
	static char filler[AT_LINE_MAX + 100], bytes[AT_LINE_MAX + 200], want[AT_LINE_MAX + 200];
	struct recorder *r = calloc(1, sizeof(*r));
	struct at_chan *c;
	(void)state;
	memset(filler, 'A', sizeof(filler) - 1);
	snprintf(bytes, sizeof(bytes), "\r\n+CSQ: %s\r\n+CSQ: 9,0\r\n\r\nOK\r\n", filler);
	c = chan_with_urcs(r);
	send(c, r, "AT+CSQ", "+CSQ:", false, NULL);
	take_output(c, r);
	for (size_t i = 0; bytes[i]; i += 7)
		at_chan_feed(c, (const uint8_t *)bytes + i, strnlen(bytes + i, 7), 1);
	snprintf(want, sizeof(want), "<<AT+CSQ\\r>>{?%.*s}[OK 0 'OK' |+CSQ: 9,0]", AT_LINE_MAX, bytes + 2);
	assert_string_equal(r->log, want);
	at_chan_free(c);
	free(r);
}

static void timeout_and_queue(void **state)
{
	struct recorder r;
	struct at_chan *c;
	(void)state;
	memset(&r, 0, sizeof(r));
	c = chan_with_urcs(&r);
	send(c, &r, "AT", NULL, false, NULL);
	send(c, &r, "AT+CSQ", "+CSQ:", false, NULL);
	assert_int_equal(at_chan_pending(c), 2);
	assert_int_equal(at_chan_deadline(c), 5000);
	take_output(c, &r);
	at_chan_tick(c, 4999);
	assert_string_equal(r.log, "<<AT\\r>>");
	at_chan_tick(c, 5000);
	take_output(c, &r);
	assert_string_equal(r.log, "<<AT\\r>>[timeout 0 '']<<AT+CSQ\\r>>");
	assert_int_equal(r.destroyed, 1);
	assert_int_equal(at_chan_deadline(c), 10000);
	/* a reset cancels what is left; every destroy runs once */
	at_chan_reset(c);
	assert_string_equal(r.log, "<<AT\\r>>[timeout 0 '']<<AT+CSQ\\r>>[cancelled 0 '']");
	assert_int_equal(r.destroyed, 2);
	assert_int_equal(at_chan_pending(c), 0);
	assert_int_equal(at_chan_deadline(c), UINT64_MAX);
	at_chan_free(c);
}

static void bad_commands(void **state)
{
	struct recorder r;
	struct at_chan *c = chan_with_urcs(&r);
	struct at_cmd cmd = { .text = "AT\r", .done = on_done, .user = &r };
	(void)state;
	assert_int_equal(at_chan_send(c, &cmd, 0), -22);
	cmd.text = "AT";
	cmd.done = NULL;
	assert_int_equal(at_chan_send(c, &cmd, 0), -22);
	cmd.done = on_done;
	cmd.pdu = "00\x1A";
	assert_int_equal(at_chan_send(c, &cmd, 0), -22);
	assert_int_equal(at_chan_register_urc(c, "", false), -22);
	at_chan_free(c);
}

/* Freeing with commands queued cancels them. */
static void free_cancels(void **state)
{
	struct recorder r;
	struct at_chan *c;
	(void)state;
	memset(&r, 0, sizeof(r));
	c = chan_with_urcs(&r);
	send(c, &r, "AT", NULL, false, NULL);
	send(c, &r, "ATI", NULL, false, NULL);
	at_chan_free(c);
	assert_int_equal(r.destroyed, 2);
	assert_non_null(strstr(r.log, "[cancelled 0 ''][cancelled 0 '']"));
}

struct resetting {
	struct at_chan *chan;
	struct recorder *r;
};

/* The driver's recovery: a reset from inside an answer, which still reads its lines after. */
static void on_done_reset(void *user, const struct at_response *resp)
{
	struct resetting *x = user;
	on_done(x->r, resp);
	at_chan_reset(x->chan);
	for (size_t i = 0; i < resp->nlines; i++)
		rec_printf(x->r, " after reset |%s", resp->lines[i]);
}

/*
 * Found by fuzz_at_chan: the commands a reset cancelled were handed the
 * lines of the answer being delivered, and the reset freed those lines
 * under the callback still reading them.
 */
static void reset_inside_an_answer(void **state)
{
	struct recorder r;
	struct at_chan *c;
	struct resetting x;
	struct at_cmd cmd = { .text = "AT+CGMI", .timeout_ms = 5000, .done = on_done_reset, .user = &x };
	static const char answer[] = "\r\nSIMCOM_Ltd\r\n\r\nERROR\r\n";
	(void)state;
	memset(&r, 0, sizeof(r));
	c = chan_with_urcs(&r);
	x = (struct resetting){ c, &r };
	assert_int_equal(at_chan_send(c, &cmd, 0), 0);
	send(c, &r, "AT+CSQ", "+CSQ:", false, NULL);
	at_chan_feed(c, (const uint8_t *)answer, strlen(answer), 1);
	assert_string_equal(r.log, "[ERROR 0 'ERROR' |SIMCOM_Ltd][cancelled 0 ''] after reset |SIMCOM_Ltd");
	assert_int_equal(r.destroyed, 1);
	assert_int_equal(at_chan_pending(c), 0);
	at_chan_free(c);
}

static void final_results(void **state)
{
	int code;
	(void)state;
	assert_int_equal(at_final_parse("OK", &code), AT_FINAL_OK);
	assert_int_equal(at_final_parse("OKAY", &code), AT_FINAL_NONE);
	assert_int_equal(at_final_parse("+CMS ERROR: 304", &code), AT_FINAL_CMS_ERROR);
	assert_int_equal(code, 304);
	assert_int_equal(at_final_parse("+CMS ERROR: network timeout", &code), AT_FINAL_CMS_ERROR);
	assert_int_equal(code, 332);
	assert_int_equal(at_final_parse("+CME ERROR: something new", &code), AT_FINAL_CME_ERROR);
	assert_int_equal(code, -1);
	assert_int_equal(at_final_parse("NO CARRIER", &code), AT_FINAL_NO_CARRIER);
	assert_int_equal(at_final_parse("COMMAND NOT SUPPORT", &code), AT_FINAL_ERROR);
}

/* Found by fuzz_at_errors: garbled numbers were cut to int, 4294967317 became 21 (permanent). */
static void error_codes_that_are_noise(void **state)
{
	int code;
	(void)state;
	assert_int_equal(at_final_parse("+CMS ERROR: 4294967317", &code), AT_FINAL_CMS_ERROR);
	assert_int_equal(code, -1);
	assert_int_equal(at_final_parse("+CMS ERROR: -110", &code), AT_FINAL_CMS_ERROR);
	assert_int_equal(code, -1);
	assert_int_equal(at_final_parse("+CME ERROR:  5555555555555555", &code), AT_FINAL_CME_ERROR);
	assert_int_equal(code, -1);
	assert_int_equal(at_final_parse("+CMS ERROR: 2147483647", &code), AT_FINAL_CMS_ERROR);
	assert_int_equal(code, 2147483647);
	assert_int_equal(at_final_parse("+CMS ERROR: 0", &code), AT_FINAL_CMS_ERROR);
	assert_int_equal(code, 0);
}

static void iterator(void **state)
{
	struct at_iter it;
	char s[32];
	long n;
	(void)state;
	assert_true(at_iter_begin(&it, "+COPS: 0,0,\"Vodafone, UK\",7", "+COPS:"));
	assert_true(at_iter_next_number(&it, &n));
	assert_int_equal(n, 0);
	assert_true(at_iter_skip(&it));
	assert_true(at_iter_next_string(&it, s, sizeof(s)));
	assert_string_equal(s, "Vodafone, UK");
	assert_true(at_iter_next_number(&it, &n));
	assert_int_equal(n, 7);
	assert_false(at_iter_skip(&it));

	assert_true(at_iter_begin(&it, "+CMGL: 3,1,,23", "+CMGL:"));
	assert_true(at_iter_next_number(&it, &n));
	assert_true(at_iter_next_number(&it, &n));
	assert_int_equal(n, 1);
	assert_false(at_iter_next_number(&it, &n)); /* empty <alpha> */
	assert_true(at_iter_next_number(&it, &n));
	assert_int_equal(n, 23);

	assert_false(at_iter_begin(&it, "+CMGR: 1", "+CMGL:"));
	assert_true(at_iter_begin(&it, "+CSQ: x,99", "+CSQ:"));
	assert_false(at_iter_next_number(&it, &n));
	assert_true(at_iter_begin(&it, "+CPMS: \"SM\",3,30", "+CPMS:"));
	assert_false(at_iter_next_string(&it, s, 2)); /* does not fit */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(echo_then_ok),
		cmocka_unit_test(cmgl_with_urc_inside),
		cmocka_unit_test(cmgs_prompt),
		cmocka_unit_test(cmgs_echoed),
		cmocka_unit_test(cmgs_refused_before_prompt),
		cmocka_unit_test(urcs_with_pdus),
		cmocka_unit_test(garbage),
		cmocka_unit_test(overlong_line),
		cmocka_unit_test(timeout_and_queue),
		cmocka_unit_test(bad_commands),
		cmocka_unit_test(free_cancels),
		cmocka_unit_test(reset_inside_an_answer),
		cmocka_unit_test(final_results),
		cmocka_unit_test(error_codes_that_are_noise),
		cmocka_unit_test(iterator),
	};
	return cmocka_run_group_tests_name("at_chan", tests, NULL, NULL);
}
