/*
 * The modem driver against scripted exchanges: each step expects the exact
 * command the driver writes and answers with what a modem would print.
 * The clock is the test's. Real-modem behaviour through a pty is covered by
 * tests/modem_pty.sh with the simulator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/modem.h"
#include "parley/sms_deliver.h"

struct harness {
	struct modem *m;
	uint64_t now;
	char events[4096];
	size_t len;
	int inbound_result;
	int inbound_calls;
	char last_inbound_text[SMS_TEXT_MAX + 1];
	int last_mr;
	bool last_maybe_sent;
	int last_class;
	char trace[8192];
	size_t trace_len;
};

static void note(struct harness *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	h->len += (size_t)vsnprintf(h->events + h->len, sizeof(h->events) - h->len, fmt, ap);
	va_end(ap);
}

static void ev_state(void *ctx, enum modem_state from, enum modem_state to, const char *why)
{
	(void)from, (void)why;
	note(ctx, "(%s)", modem_state_name(to));
}

static int ev_inbound(void *ctx, const struct modem_inbound *in)
{
	struct harness *h = ctx;
	h->inbound_calls++;
	if (in->sms)
		snprintf(h->last_inbound_text, sizeof(h->last_inbound_text), "%s", in->sms->text);
	else
		snprintf(h->last_inbound_text, sizeof(h->last_inbound_text), "!%s", in->decode_error);
	note(h, "(in %d %s)", in->index, in->status_report ? "report" : h->last_inbound_text);
	return h->inbound_result;
}

static void ev_sent(void *ctx, uint64_t token, const struct modem_send_result *r)
{
	struct harness *h = ctx;
	h->last_mr = r->mr;
	h->last_maybe_sent = r->maybe_sent;
	h->last_class = r->error_class;
	note(h, "(sent %llu mr=%d%s%s)", (unsigned long long)token, r->mr, r->error ? " " : "",
	     r->error ? r->error : "");
}

static void ev_call(void *ctx, const char *number)
{
	note(ctx, "(call %s)", number);
}

/* What parleyd would log at debug level: "dir bytes" for each chunk. */
static void ev_trace(void *ctx, char dir, const char *data, size_t len)
{
	struct harness *h = ctx;

	h->trace_len += (size_t)snprintf(h->trace + h->trace_len, sizeof(h->trace) - h->trace_len,
					 "%c %.*s\n", dir, (int)len, data);
	if (h->trace_len >= sizeof(h->trace))
		h->trace_len = sizeof(h->trace) - 1;
}

static const struct modem_events events = {
	.state = ev_state, .inbound = ev_inbound, .sent = ev_sent, .call = ev_call,
	.trace = ev_trace,
};

/* The command the driver wrote, without its CR; "" when none. */
static const char *written(struct harness *h)
{
	static char buf[1024];
	const uint8_t *data;
	size_t n = modem_output(h->m, &data);

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (n)
		memcpy(buf, data, n);
	buf[n] = '\0';
	modem_output_done(h->m, n);
	if (n && (buf[n - 1] == '\r' || buf[n - 1] == 0x1A))
		buf[n - 1] = '\0';
	return buf;
}

static void modem_says(struct harness *h, const char *bytes)
{
	modem_feed(h->m, (const uint8_t *)bytes, strlen(bytes), h->now);
}

/* Expects cmd to have been written, then answers. */
static void expect(struct harness *h, const char *cmd, const char *answer)
{
	const char *got = written(h);
	if (strcmp(got, cmd) != 0)
		fprintf(stderr, "expected '%s', driver wrote '%s'\nevents: %s\n", cmd, got, h->events);
	assert_string_equal(got, cmd);
	if (answer)
		modem_says(h, answer);
}

static void advance(struct harness *h, uint64_t ms)
{
	h->now += ms;
	modem_tick(h->m, h->now);
}

static struct harness *harness_with(const struct modem_config *cfg)
{
	struct harness *h = calloc(1, sizeof(*h));
	h->now = 1000;
	h->m = modem_new(cfg, &events, h);
	assert_non_null(h->m);
	return h;
}

static struct harness *harness_new(const char *pin, const char *imei)
{
	struct modem_config cfg = {
		.profile = modem_profile_find("sim800"), .pin = pin, .expected_imei = imei,
		.hangup_calls = true,
	};
	return harness_with(&cfg);
}

static void harness_free(struct harness *h)
{
	modem_free(h->m);
	free(h);
}

#define OK "\r\nOK\r\n"
/* every probe starts with ESC, which cancels a send a modem may still be waiting on */
#define PROBE "\x1B" "AT"

static void init_until_sim(struct harness *h)
{
	modem_port_opened(h->m, h->now);
	advance(h, 300); /* the quiet period before the probe */
	expect(h, PROBE, "AT\r" OK);             /* echo still on */
	expect(h, "ATE0", "ATE0\r" OK);
	expect(h, "AT+CMEE=1", OK);
	expect(h, "AT+CGMI", "\r\nSIMCOM_Ltd\r\n" OK);
	expect(h, "AT+CGMM", "\r\nSIMCOM_SIM800L\r\n" OK);
	expect(h, "AT+CGMR", "\r\nRevision:1418B04SIM800L24\r\n" OK);
	expect(h, "AT+CGSN", "\r\n861234567890123\r\n" OK);
	expect(h, "AT+CFUN?", "\r\n+CFUN: 1\r\n" OK);
}

static void init_after_pin(struct harness *h, const char *sweep_answer)
{
	expect(h, "AT+CIMI", "\r\n234150123456789\r\n" OK);
	expect(h, "AT+CCID", "\r\n8944110012345678901F\r\n" OK);
	expect(h, "AT+CNUM", "\r\n+CNUM: \"\",\"+447700900001\",145\r\n" OK);
	expect(h, "AT+CMGF=0", OK);
	expect(h, "AT+CPMS=\"SM\",\"SM\",\"SM\"", "\r\n+CPMS: 0,30,0,30,0,30\r\n" OK);
	expect(h, "AT+CNMI=2,1,0,1,0", OK);
	expect(h, "AT+CLIP=1", OK);
	expect(h, "AT+CREG=2", OK);
	expect(h, "AT+CREG?", "\r\n+CREG: 2,1,\"1A2B\",\"00C3\"\r\n" OK);
	expect(h, "AT+CMGL=4", sweep_answer);
}

#define CPMS_EMPTY "\r\n+CPMS: \"SM\",0,30,\"SM\",0,30,\"SM\",0,30\r\n" OK

/* A health poll answered by a registered modem, storage as cpms_answer says. */
static void health_poll_answered(struct harness *h, const char *cpms_answer)
{
	expect(h, "AT+CSQ", "\r\n+CSQ: 21,99\r\n" OK);
	expect(h, "AT+CREG?", "\r\n+CREG: 2,1\r\n" OK);
	expect(h, "AT+COPS?", "\r\n+COPS: 0,0,\"EE\",7\r\n" OK);
	expect(h, "AT+CPMS?", cpms_answer);
}

static struct harness *ready_modem(void)
{
	struct harness *h = harness_new(NULL, "861234567890123");
	init_until_sim(h);
	expect(h, "AT+CPIN?", "\r\n+CPIN: READY\r\n" OK);
	init_after_pin(h, OK);
	assert_int_equal(modem_state(h->m), MODEM_STATE_READY);
	/* signal and operator right away */
	advance(h, 0);
	health_poll_answered(h, CPMS_EMPTY);
	assert_int_equal(modem_health(h->m)->rssi, 21);
	assert_string_equal(modem_health(h->m)->operator_name, "EE");
	return h;
}

/* A killed daemon's answers still arriving are dropped, and the probe waits for quiet. */
static void stale_answers_drained(void **state)
{
	struct harness *h = harness_new(NULL, NULL);
	(void)state;
	modem_port_opened(h->m, h->now);
	advance(h, 200);
	modem_says(h, "\r\n+CPIN: READY\r\n\r\nOK\r\n"); /* for a command we never sent */
	advance(h, 200);
	assert_string_equal(written(h), ""); /* not quiet long enough yet */
	advance(h, 100);
	expect(h, PROBE, OK);
	expect(h, "ATE0", OK);
	harness_free(h);
}

static void initialises_to_ready(void **state)
{
	struct harness *h = ready_modem();
	const struct modem_identity *id = modem_identity(h->m);
	(void)state;
	assert_string_equal(id->imei, "861234567890123");
	assert_string_equal(id->imsi, "234150123456789");
	assert_string_equal(id->iccid, "8944110012345678901");
	assert_string_equal(id->number, "+447700900001");
	assert_string_equal(id->model, "SIMCOM_SIM800L");
	assert_int_equal(modem_health(h->m)->registration, 1);
	assert_string_equal(h->events, "(probe)(init)(sim)(registration)(ready)");
	harness_free(h);
}

static void pin_entered_once(void **state)
{
	struct harness *h = harness_new("1234", NULL);
	(void)state;
	init_until_sim(h);
	expect(h, "AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n" OK);
	expect(h, "AT+CPIN=\"1234\"", OK);
	assert_string_equal(written(h), ""); /* waits for the SIM to settle */
	advance(h, 3000);
	expect(h, "AT+CPIN?", "\r\n+CPIN: READY\r\n" OK);
	init_after_pin(h, OK);
	assert_int_equal(modem_state(h->m), MODEM_STATE_READY);
	harness_free(h);
}

static void person_answered(void *ctx, const struct at_response *r)
{
	*(enum at_final *)ctx = r->final;
}

/*
 * The PIN reaches the modem, never the trace (parleyd logs it at debug
 * level): not in the command, not in the echo of a modem that ignored ATE0,
 * not in a person's AT+CLCK. The trace resumes once the answer is in.
 */
static void pin_never_traced(void **state)
{
	struct harness *h = harness_new("4862", NULL);
	enum at_final person = AT_FINAL_TIMEOUT;
	(void)state;
	init_until_sim(h);
	expect(h, "AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n" OK);
	expect(h, "AT+CPIN=\"4862\"", "AT+CPIN=\"4862\"\r" OK);
	advance(h, 3000);
	expect(h, "AT+CPIN?", "\r\n+CPIN: READY\r\n" OK);
	init_after_pin(h, OK);
	assert_int_equal(modem_state(h->m), MODEM_STATE_READY);
	assert_int_equal(modem_at(h->m, "AT+CLCK=\"SC\",0,\"4862\"", 0, person_answered, &person, NULL), 0);
	expect(h, "AT+CLCK=\"SC\",0,\"4862\"", "AT+CLCK=\"SC\",0,\"4862\"\r" OK);
	assert_int_equal(person, AT_FINAL_OK);
	if (strstr(h->trace, "4862"))
		fprintf(stderr, "trace:\n%s", h->trace);
	assert_null(strstr(h->trace, "4862"));
	assert_non_null(strstr(h->trace, "> AT+CPIN=<hidden>\n"));
	assert_non_null(strstr(h->trace, "> AT+CLCK=<hidden>\n"));
	assert_non_null(strstr(h->trace, "< <21 bytes hidden: the answer to a secret>\n"));
	assert_non_null(strstr(h->trace, "+CPIN: READY"));
	assert_non_null(strstr(h->trace, "> AT+CPIN?\n"));
	harness_free(h);
}

static void wrong_pin_is_not_retried(void **state)
{
	struct harness *h = harness_new("0000", NULL);
	(void)state;
	init_until_sim(h);
	expect(h, "AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n" OK);
	expect(h, "AT+CPIN=\"0000\"", "\r\n+CME ERROR: 16\r\n");
	assert_int_equal(modem_state(h->m), MODEM_STATE_FAILED);
	assert_non_null(strstr(modem_health(h->m)->last_error, "incorrect password"));
	advance(h, 60000);
	assert_string_equal(written(h), "");
	harness_free(h);
}

static void missing_pin_fails(void **state)
{
	struct harness *h = harness_new(NULL, NULL);
	(void)state;
	init_until_sim(h);
	expect(h, "AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n" OK);
	assert_int_equal(modem_state(h->m), MODEM_STATE_FAILED);
	assert_string_equal(modem_health(h->m)->last_error, "SIM PIN required and no pin configured");
	harness_free(h);
}

/* A USB re-enumeration put another modem at this path: never send from it. */
static void other_imei_refused(void **state)
{
	struct harness *h = harness_new(NULL, "869999999999999");
	(void)state;
	modem_port_opened(h->m, h->now);
	advance(h, 300); /* the quiet period before the probe */
	expect(h, PROBE, OK);
	expect(h, "ATE0", OK);
	expect(h, "AT+CMEE=1", OK);
	expect(h, "AT+CGMI", OK);
	expect(h, "AT+CGMM", OK);
	expect(h, "AT+CGMR", OK);
	expect(h, "AT+CGSN", "\r\n861234567890123\r\n" OK);
	assert_int_equal(modem_state(h->m), MODEM_STATE_FAILED);
	assert_int_equal(modem_send(h->m, "0001000B91", 4, false, 1, h->now), -11);
	harness_free(h);
}

static const char *deliver_hex(const char *text)
{
	static char hex[2 * SMS_PDU_MAX + 1];
	static struct sms_pdu pdu;
	struct sms_deliver_opts o = {
		.from = "+447700900123", .smsc = "+447785016005",
		.scts = { 2026, 11, 22, 12, 0, 0, 0 },
	};
	assert_int_equal(sms_deliver_encode(text, strlen(text), &o, &pdu, 1, NULL, NULL), 1);
	for (size_t i = 0; i < pdu.len; i++)
		sprintf(hex + 2 * i, "%02X", pdu.data[i]);
	return hex;
}

static void inbound_deleted_after_commit(void **state)
{
	struct harness *h = ready_modem();
	char answer[600];
	(void)state;

	h->inbound_result = 0;
	modem_says(h, "\r\n+CMTI: \"SM\",3\r\n");
	snprintf(answer, sizeof(answer), "\r\n+CMGR: 0,,30\r\n%s\r\n" OK, deliver_hex("Yes please"));
	expect(h, "AT+CMGR=3", answer);
	assert_string_equal(h->last_inbound_text, "Yes please");
	expect(h, "AT+CMGD=3", OK);

	/* the owner could not commit: the message stays on the SIM */
	h->inbound_result = -1;
	modem_says(h, "\r\n+CMTI: \"SM\",4\r\n");
	snprintf(answer, sizeof(answer), "\r\n+CMGR: 0,,30\r\n%s\r\n" OK, deliver_hex("Later"));
	expect(h, "AT+CMGR=4", answer);
	assert_string_equal(written(h), "");

	/* a bogus index and an empty slot are nothing to hand over */
	modem_says(h, "\r\n+CMTI: \"SM\",99\r\n");
	expect(h, "AT+CMGR=99", "\r\n+CMS ERROR: 321\r\n");
	modem_says(h, "\r\n+CMTI: \"SM\",5\r\n");
	expect(h, "AT+CMGR=5", OK);
	assert_string_equal(written(h), "");
	assert_int_equal(h->inbound_calls, 2);
	harness_free(h);
}

/* The sweep hands over every stored message, undecodable ones too, each once. */
static void sweep_and_duplicates(void **state)
{
	struct harness *h = harness_new(NULL, NULL);
	char answer[1200];
	const char *stop = deliver_hex("STOP");
	char stop_copy[400];
	(void)state;

	snprintf(stop_copy, sizeof(stop_copy), "%s", stop);
	h->inbound_result = 0;
	init_until_sim(h);
	expect(h, "AT+CPIN?", "\r\n+CPIN: READY\r\n" OK);
	snprintf(answer, sizeof(answer),
		 "\r\n+CMGL: 1,1,,20\r\n%s\r\n+CMGL: 2,1,,3\r\n0004FF\r\n" OK, stop_copy);
	init_after_pin(h, answer);
	assert_int_equal(h->inbound_calls, 2);
	expect(h, "AT+CMGD=1", OK);
	expect(h, "AT+CMGD=2", OK);
	assert_non_null(strstr(h->events, "(in 1 STOP)(in 2 !"));

	/* the same PDU again (a +CMTI the sweep already covered): deleted, not handed over */
	modem_says(h, "\r\n+CMTI: \"SM\",7\r\n");
	snprintf(answer, sizeof(answer), "\r\n+CMGR: 0,,20\r\n%s\r\n" OK, stop_copy);
	expect(h, "AT+CMGR=7", answer);
	expect(h, "AT+CMGD=7", OK);
	assert_int_equal(h->inbound_calls, 2);
	harness_free(h);
}

/*
 * A SIM that filled up while nobody looked (the network then holds new
 * messages back without a word): the health poll sees messages in storage
 * and sweeps, instead of waiting for the five-minute sweep.
 */
static void full_storage_swept_at_poll(void **state)
{
	struct harness *h = ready_modem();
	char answer[600];
	(void)state;
	h->inbound_result = 0;
	/* a garbled answer, then an empty SIM: no sweep */
	advance(h, 60000);
	health_poll_answered(h, "\r\n+CPMS: \"SM\",31,30\r\n" OK);
	assert_string_equal(written(h), "");
	advance(h, 60000);
	health_poll_answered(h, CPMS_EMPTY);
	assert_string_equal(written(h), "");
	/* a full one */
	advance(h, 60000);
	health_poll_answered(h, "\r\n+CPMS: \"SM\",30,30,\"SM\",30,30,\"SM\",30,30\r\n" OK);
	snprintf(answer, sizeof(answer), "\r\n+CMGL: 4,1,,20\r\n%s\r\n" OK, deliver_hex("old one"));
	expect(h, "AT+CMGL=4", answer);
	expect(h, "AT+CMGD=4", OK);
	assert_string_equal(h->last_inbound_text, "old one");
	harness_free(h);
}

/* The owner cannot take a message (its disk is full): it stays stored and is offered again soon. */
static void refused_message_offered_again(void **state)
{
	struct harness *h = ready_modem();
	char answer[600];
	(void)state;
	h->inbound_result = -1;
	modem_says(h, "\r\n+CMTI: \"SM\",3\r\n");
	snprintf(answer, sizeof(answer), "\r\n+CMGR: 0,,20\r\n%s\r\n" OK, deliver_hex("full disk"));
	expect(h, "AT+CMGR=3", answer);
	assert_string_equal(written(h), ""); /* not deleted */
	advance(h, 4000);
	assert_string_equal(written(h), "");
	advance(h, 1000);
	snprintf(answer, sizeof(answer), "\r\n+CMGL: 3,1,,20\r\n%s\r\n" OK, deliver_hex("full disk"));
	expect(h, "AT+CMGL=4", answer); /* still refused: again in five seconds */
	assert_string_equal(written(h), "");
	h->inbound_result = 0;
	advance(h, 5000);
	expect(h, "AT+CMGL=4", answer);
	expect(h, "AT+CMGD=3", OK);
	assert_int_equal(h->inbound_calls, 3);
	/* taken: the next sweep is the usual one, minutes away */
	advance(h, 10000);
	assert_string_equal(written(h), "");
	harness_free(h);
}

/*
 * A slot read twice before its delete has run (a +CMTI's read and a sweep's
 * list) is deleted once: a full SIM refills a freed slot at once, and a
 * second AT+CMGD would delete the new message unread (the soak lost
 * customers' texts that way on the E3372).
 */
static void slot_deleted_once(void **state)
{
	struct harness *h = ready_modem();
	char answer[600];
	(void)state;
	h->inbound_result = 0;
	modem_says(h, "\r\n+CMTI: \"SM\",3\r\n");
	modem_says(h, "\r\n^SMMEMFULL: \"SM\"\r\n"); /* a sweep, queued behind the read */
	snprintf(answer, sizeof(answer), "\r\n+CMGR: 0,,20\r\n%s\r\n" OK, deliver_hex("first"));
	expect(h, "AT+CMGR=3", answer);
	snprintf(answer, sizeof(answer), "\r\n+CMGL: 3,1,,20\r\n%s\r\n" OK, deliver_hex("first"));
	expect(h, "AT+CMGL=4", answer);
	expect(h, "AT+CMGD=3", OK);
	assert_string_equal(written(h), ""); /* not a second time */
	assert_int_equal(h->inbound_calls, 1);
	/* the network fills the slot again: the new message is read, then deleted */
	modem_says(h, "\r\n+CMTI: \"SM\",3\r\n");
	snprintf(answer, sizeof(answer), "\r\n+CMGR: 0,,20\r\n%s\r\n" OK, deliver_hex("second"));
	expect(h, "AT+CMGR=3", answer);
	expect(h, "AT+CMGD=3", OK);
	assert_string_equal(h->last_inbound_text, "second");
	harness_free(h);
}

/* Huawei says so itself: ^SMMEMFULL sweeps at once. */
static void memfull_indication_sweeps(void **state)
{
	struct harness *h = ready_modem();
	(void)state;
	modem_says(h, "\r\n^SMMEMFULL: \"SM\"\r\n");
	expect(h, "AT+CMGL=4", OK);
	harness_free(h);
}

static void direct_delivery_acknowledged(void **state)
{
	struct harness *h = ready_modem();
	char urc[600];
	(void)state;
	h->inbound_result = 0;
	snprintf(urc, sizeof(urc), "\r\n+CMT: ,30\r\n%s\r\n", deliver_hex("direct"));
	modem_says(h, urc);
	assert_string_equal(h->last_inbound_text, "direct");
	expect(h, "AT+CNMA", OK);
	harness_free(h);
}

static void sends_and_classifies(void **state)
{
	struct harness *h = ready_modem();
	(void)state;

	assert_int_equal(modem_send(h->m, "0001000B914477009001F20000054C6F6E6701", 18, true, 1, h->now), 0);
	assert_int_equal(modem_send(h->m, "0001000B914477009001F20000054C6F6E6702", 18, false, 2, h->now), 0);
	assert_int_equal(modem_send_queue_length(h->m), 2);
	/* the link stays up between the segments of one message */
	expect(h, "AT+CMMS=2", OK);
	expect(h, "AT+CMGS=18", "\r\n> ");
	expect(h, "0001000B914477009001F20000054C6F6E6701", "\r\n+CMGS: 41\r\n" OK);
	assert_int_equal(h->last_mr, 41);
	expect(h, "AT+CMGS=18", "\r\n> ");
	expect(h, "0001000B914477009001F20000054C6F6E6702", "\r\n+CMGS: 42\r\n" OK);
	assert_int_equal(h->last_mr, 42);

	/* a permanent refusal and a temporary one, with words */
	modem_send(h->m, "0001000B914477009001F20000054C6F6E6703", 18, false, 3, h->now);
	expect(h, "AT+CMGS=18", "\r\n> ");
	expect(h, "0001000B914477009001F20000054C6F6E6703", "\r\n+CMS ERROR: 21\r\n");
	assert_int_equal(h->last_class, AT_ERROR_PERMANENT);
	assert_non_null(strstr(h->events, "(sent 3 mr=-1 +CMS ERROR: 21: short message transfer rejected)"));
	modem_send(h->m, "0001000B914477009001F20000054C6F6E6704", 18, false, 4, h->now);
	expect(h, "AT+CMGS=18", "\r\n+CMS ERROR: 332\r\n");
	assert_int_equal(h->last_class, AT_ERROR_TEMPORARY);
	assert_int_equal(modem_health(h->m)->sends, 2);
	assert_int_equal(modem_health(h->m)->failures, 2);

	assert_int_equal(modem_send(h->m, "zz", 1, false, 5, h->now), -22);
	assert_int_equal(modem_send(h->m, "0001", 2, false, 5, h->now), -22);
	harness_free(h);
}

/* No answer to +CMGS: maybe sent, recover by probing; queued sends come back. */
static void send_timeout_recovers(void **state)
{
	struct harness *h = ready_modem();
	(void)state;
	modem_send(h->m, "0001000B914477009001F20000054C6F6E6701", 18, false, 1, h->now);
	modem_send(h->m, "0001000B914477009001F20000054C6F6E6702", 18, false, 2, h->now);
	expect(h, "AT+CMGS=18", "\r\n> ");
	expect(h, "0001000B914477009001F20000054C6F6E6701", NULL);
	advance(h, 60000);
	assert_non_null(strstr(h->events, "(sent 1 mr=-1 no answer to AT+CMGS)(recovering)(sent 2 mr=-1 no answer to AT+CMGS)"));
	assert_false(h->last_maybe_sent); /* only the one in flight may have gone */
	advance(h, 0);
	expect(h, PROBE, OK);
	expect(h, "ATE0", OK);
	assert_int_equal(modem_state(h->m), MODEM_STATE_INIT);
	harness_free(h);
}

static void recovery_escalates(void **state)
{
	struct harness *h = ready_modem();
	(void)state;
	advance(h, 60000); /* health poll */
	expect(h, "AT+CSQ", NULL);
	advance(h, 5000); /* no answer: probe at once */
	assert_non_null(strstr(h->events, "(ready)(recovering)(probe)"));
	for (int i = 0; i < 5; i++) {
		expect(h, PROBE, NULL);
		advance(h, 1000); /* probe timeout */
		advance(h, 1000); /* retry gap */
	}
	/* five silent probes: restart the radio */
	expect(h, "AT+CFUN=4", OK);
	expect(h, "AT+CFUN=1", OK);
	advance(h, 0);
	for (int i = 0; i < 5; i++) {
		expect(h, PROBE, NULL);
		advance(h, 1000);
		advance(h, 1000);
	}
	/* then the profile's reset and the reboot's silence: 8 s on SIM800, 1 s gone already */
	expect(h, "AT+CFUN=1,1", NULL);
	advance(h, 6999);
	assert_string_equal(written(h), "");
	advance(h, 1);
	expect(h, PROBE, OK);
	harness_free(h);
}

static void port_lost_returns_sends(void **state)
{
	struct harness *h = ready_modem();
	(void)state;
	modem_send(h->m, "0001000B914477009001F20000054C6F6E6701", 18, false, 1, h->now);
	expect(h, "AT+CMGS=18", "\r\n> ");
	modem_port_lost(h->m, h->now);
	assert_int_equal(modem_state(h->m), MODEM_STATE_CLOSED);
	assert_true(h->last_maybe_sent);
	assert_non_null(strstr(h->events, "(closed)(sent 1 mr=-1 modem port lost)"));
	assert_int_equal(modem_send(h->m, "0001000B914477009001F20000054C6F6E6701", 18, false, 2, h->now), -11);
	/* a late answer from the old stream does nothing */
	modem_says(h, "\r\n+CMGS: 9\r\n" OK);
	assert_int_equal(modem_deadline(h->m), UINT64_MAX);
	harness_free(h);
}

static void calls_reported_and_hung_up(void **state)
{
	struct harness *h = ready_modem();
	(void)state;
	modem_says(h, "\r\nRING\r\n\r\n+CLIP: \"+447700900123\",145,\"\",0,\"\",0\r\n");
	expect(h, "ATH", OK);
	modem_says(h, "\r\nRING\r\n");
	advance(h, 2000);
	/* the same call ringing again is not a new call */
	assert_string_equal(written(h), "");
	assert_non_null(strstr(h->events, "(call +447700900123)"));
	advance(h, 20000);
	modem_says(h, "\r\nRING\r\n");
	advance(h, 1500);
	assert_non_null(strstr(h->events, "(call )"));
	expect(h, "ATH", OK);
	harness_free(h);
}

/* LTE-only registration shows in +CEREG; a URC ends the wait. */
static void registration_wait(void **state)
{
	struct harness *h = harness_new(NULL, NULL);
	(void)state;
	init_until_sim(h);
	expect(h, "AT+CPIN?", "\r\n+CPIN: READY\r\n" OK);
	expect(h, "AT+CIMI", OK);
	expect(h, "AT+CCID", OK);
	expect(h, "AT+CNUM", OK);
	expect(h, "AT+CMGF=0", OK);
	expect(h, "AT+CPMS=\"SM\",\"SM\",\"SM\"", OK);
	expect(h, "AT+CNMI=2,1,0,1,0", OK);
	expect(h, "AT+CLIP=1", OK);
	expect(h, "AT+CREG=2", OK);
	expect(h, "AT+CREG?", "\r\n+CREG: 2,2\r\n" OK);
	expect(h, "AT+CEREG?", "\r\n+CEREG: 0,2\r\n" OK);
	advance(h, 2000);
	expect(h, "AT+CREG?", "\r\n+CREG: 2,0\r\n" OK);
	expect(h, "AT+CEREG?", "\r\n+CEREG: 0,1\r\n" OK);
	expect(h, "AT+CMGL=4", OK);
	assert_int_equal(modem_state(h->m), MODEM_STATE_READY);
	harness_free(h);
}

/*
 * Found by fuzz_modem_session (+CSQ: 94) and fuzz_modem_answers (+CREG: 2,-2):
 * numbers out of their range were stored as they came, or cut to int
 * (+CREG stat 4294967297 read as 1, registered); they read as unknown now.
 */
static void health_out_of_range_is_unknown(void **state)
{
	struct harness *h = ready_modem();
	(void)state;
	advance(h, 60000);
	expect(h, "AT+CSQ", "\r\n+CSQ: 255,99\r\n" OK);
	expect(h, "AT+CREG?", "\r\n+CREG: 2,4294967297\r\n" OK);
	assert_int_equal(modem_health(h->m)->rssi, 99);
	assert_int_equal(modem_health(h->m)->registration, -1);
	expect(h, "AT+COPS?", "\r\n+COPS: 0,0,\"EE\",7\r\n" OK);
	expect(h, "AT+CPMS?", "\r\n+CPMS: \"SM\",0,30,\"SM\",0,30,\"SM\",0,30\r\n" OK);
	expect(h, "AT+CEREG?", "\r\n+CEREG: 0,-2\r\n" OK);
	assert_int_equal(modem_health(h->m)->registration, -1);
	advance(h, 60000);
	expect(h, "AT+CSQ", "\r\n+CSQ: -1,99\r\n" OK);
	assert_int_equal(modem_health(h->m)->rssi, 99);
	modem_says(h, "\r\n+CREG: 12\r\n");
	assert_int_equal(modem_health(h->m)->registration, -1);
	harness_free(h);
}

/*
 * Storage indexes that are negative, or cut to a negative int, are neither
 * read nor deleted (AT+CMGR=-1 went out); the fuzz targets check every
 * index the driver writes.
 */
static void storage_index_out_of_range_ignored(void **state)
{
	struct harness *h = ready_modem();
	char answer[600];
	(void)state;
	h->inbound_result = 0;
	modem_says(h, "\r\n+CMTI: \"SM\",4294967295\r\n");
	assert_string_equal(written(h), "");
	advance(h, 300000); /* the sweep, with the polls */
	health_poll_answered(h, CPMS_EMPTY);
	snprintf(answer, sizeof(answer), "\r\n+CMGL: -3,1,,30\r\n%s\r\n" OK, deliver_hex("kept"));
	expect(h, "AT+CMGL=4", answer);
	assert_string_equal(written(h), "");
	assert_int_equal(h->inbound_calls, 0);
	harness_free(h);
}

/*
 * A +CMGR answer with a second header where the PDU belongs handed that
 * header over as an undecodable PDU and, once committed, deleted the
 * message it never read (fuzz_modem_answers checks inbound PDUs are hex).
 */
static void cmgr_second_header_is_no_pdu(void **state)
{
	struct harness *h = ready_modem();
	char answer[600];
	(void)state;
	h->inbound_result = 0;
	modem_says(h, "\r\n+CMTI: \"SM\",3\r\n");
	snprintf(answer, sizeof(answer), "\r\n+CMGR: 0,,30\r\n+CMGR: 1,,30\r\n%s\r\n" OK,
		 deliver_hex("not lost"));
	expect(h, "AT+CMGR=3", answer);
	assert_int_equal(h->inbound_calls, 0);
	assert_string_equal(written(h), ""); /* not deleted: the sweep reads it again */
	harness_free(h);
}

/*
 * An ICCID read before a recovery must not stand in for one the SIM does
 * not give after it: the check fails as unreadable instead of passing on
 * the old value (or, on Huawei, on the old value swapped once more).
 */
static void iccid_not_kept_across_recovery(void **state)
{
	struct modem_config cfg = {
		.profile = modem_profile_find("sim800"), .expected_iccid = "8944110012345678901",
	};
	struct harness *h = harness_with(&cfg);
	(void)state;
	init_until_sim(h);
	expect(h, "AT+CPIN?", "\r\n+CPIN: READY\r\n" OK);
	init_after_pin(h, OK);
	assert_int_equal(modem_state(h->m), MODEM_STATE_READY);
	assert_string_equal(modem_identity(h->m)->iccid, "8944110012345678901");
	advance(h, 0);
	expect(h, "AT+CSQ", NULL);
	advance(h, 5000); /* no answer: recover by probing */
	expect(h, PROBE, OK);
	expect(h, "ATE0", OK);
	expect(h, "AT+CMEE=1", OK);
	expect(h, "AT+CGMI", OK);
	expect(h, "AT+CGMM", OK);
	expect(h, "AT+CGMR", OK);
	expect(h, "AT+CGSN", "\r\n861234567890123\r\n" OK);
	expect(h, "AT+CFUN?", "\r\n+CFUN: 1\r\n" OK);
	expect(h, "AT+CPIN?", "\r\n+CPIN: READY\r\n" OK);
	expect(h, "AT+CIMI", OK);
	expect(h, "AT+CCID", "\r\nERROR\r\n");
	assert_int_equal(modem_state(h->m), MODEM_STATE_FAILED);
	assert_string_equal(modem_health(h->m)->last_error,
			    "SIM has ICCID (unreadable), configured for 8944110012345678901");
	harness_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(initialises_to_ready),
		cmocka_unit_test(stale_answers_drained),
		cmocka_unit_test(pin_entered_once),
		cmocka_unit_test(pin_never_traced),
		cmocka_unit_test(wrong_pin_is_not_retried),
		cmocka_unit_test(missing_pin_fails),
		cmocka_unit_test(other_imei_refused),
		cmocka_unit_test(inbound_deleted_after_commit),
		cmocka_unit_test(sweep_and_duplicates),
		cmocka_unit_test(full_storage_swept_at_poll),
		cmocka_unit_test(memfull_indication_sweeps),
		cmocka_unit_test(slot_deleted_once),
		cmocka_unit_test(refused_message_offered_again),
		cmocka_unit_test(direct_delivery_acknowledged),
		cmocka_unit_test(sends_and_classifies),
		cmocka_unit_test(send_timeout_recovers),
		cmocka_unit_test(recovery_escalates),
		cmocka_unit_test(port_lost_returns_sends),
		cmocka_unit_test(calls_reported_and_hung_up),
		cmocka_unit_test(registration_wait),
		cmocka_unit_test(health_out_of_range_is_unknown),
		cmocka_unit_test(storage_index_out_of_range_ignored),
		cmocka_unit_test(cmgr_second_header_is_no_pdu),
		cmocka_unit_test(iccid_not_kept_across_recovery),
	};
	return cmocka_run_group_tests_name("modem", tests, NULL, NULL);
}
