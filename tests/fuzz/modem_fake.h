/*
 * A pretend modem for the driver's fuzz targets (fuzz_modem_*.c): it reads
 * what the driver writes, answers each command as a SIM800 (or the
 * profile's family) would, or with bytes the fuzzer chose, keeps the clock,
 * and checks what must hold whatever a modem says:
 *
 * - the driver writes printable commands, storage indexes never negative,
 *   and deletes (AT+CMGD) or acknowledges (AT+CNMA) nothing before the
 *   owner has committed something;
 * - inbound PDUs are hex, decoded or with a reason, a committed one never
 *   handed over twice (while the driver's memory of 32 lasts);
 * - every send gets exactly one result, with a TP-MR 0..255 or an error;
 *   every `parley at` command exactly one answer;
 * - the health it reports is in range (+CSQ 0..31 or 99, +CREG stat 0..11
 *   or -1), the ICCID without its F padding;
 * - after a tick the next deadline is in the future (no busy loop).
 *
 * FUZZ_TRACE=1 in the environment prints the dialogue, to read a crash.
 */
#ifndef PARLEY_FUZZ_MODEM_FAKE_H
#define PARLEY_FUZZ_MODEM_FAKE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parley/at_tokenizer.h"
#include "parley/modem.h"
#include "parley/sms.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s\n", #c); abort(); } } while (0)

#define FAKE_SENDS_MAX 64
#define FAKE_COMMITTED_MAX 32 /* the driver remembers the last 32 */
#define FAKE_DAY_MS (24ull * 3600 * 1000)

/* Real PDUs: a SUBMIT parley encodes, DELIVERs and a STATUS-REPORT from phones' captures. */
#define FAKE_SUBMIT "0021000C9144770009103200000CD37219947FD741613AC806"
#define FAKE_SUBMIT_TPDU_LEN 24
#define FAKE_DELIVER_STORED "0791198948004544040C9119894882006200007050307040042206CF35689E9603"
#define FAKE_DELIVER_READ "07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07"
#define FAKE_DELIVER_DIRECT "0791447758100650040DD0F334FC1CA6970100008080312170224008D4F29CDE0EA7D9"
#define FAKE_STATUS_REPORT "0006D60B911326880736F4111011719551401110117195714000"
#define FAKE_ICCID "8944110012345678901"

struct fake {
	struct modem *m;
	const struct modem_profile *profile;
	uint64_t now;
	char last[700];          /* the last command or PDU the driver wrote */
	bool last_is_pdu;
	bool answered;           /* the canned answer to it went out */
	bool commit;             /* the owner commits what arrives */
	bool committed_any;
	char committed[FAKE_COMMITTED_MAX][AT_LINE_MAX + 1];
	uint64_t committed_at[FAKE_COMMITTED_MAX];
	unsigned ncommitted;
	unsigned sends, results[FAKE_SENDS_MAX];
	unsigned asked, answers;
};

static inline void fake_trace(const char *what, const void *bytes, size_t n)
{
	static int on = -1;

	if (on < 0)
		on = getenv("FUZZ_TRACE") != NULL;
	if (!on)
		return;
	fprintf(stderr, "%s ", what);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = ((const unsigned char *)bytes)[i];
		if (c >= 0x20 && c < 0x7F && c != '\\')
			fputc(c, stderr);
		else if (c == '\r')
			fputs("\\r", stderr);
		else
			fprintf(stderr, "\\x%02X", c);
	}
	fputc('\n', stderr);
}

static const char *const fake_profiles[] = { "sim800", "sim7600", "ec25", "e3372", "ublox", "telit", "generic" };

static inline bool fake_is_hex(const char *s)
{
	return s[0] && strspn(s, "0123456789ABCDEFabcdef") == strlen(s);
}

static inline bool fake_pdu_equal(const char *a, const char *b)
{
	return strlen(a) == strlen(b) && strncasecmp(a, b, strlen(a)) == 0;
}

static inline void fake_ev_state(void *ctx, enum modem_state from, enum modem_state to, const char *why)
{
	struct fake *f = ctx;
	char line[160];
	snprintf(line, sizeof(line), "(%s -> %s: %s)", modem_state_name(from), modem_state_name(to), why ? why : "");
	fake_trace("  ", line, strlen(line));
	CHECK(from != to && why != NULL);
	CHECK(modem_state(f->m) == to);
}

static inline int fake_ev_inbound(void *ctx, const struct modem_inbound *in)
{
	struct fake *f = ctx;

	CHECK(in->pdu_hex != NULL && fake_is_hex(in->pdu_hex));
	CHECK((in->sms != NULL) != (in->decode_error != NULL));
	CHECK(in->index >= -1);
	if (in->sms)
		CHECK(in->status_report == (in->sms->type == SMS_TYPE_STATUS_REPORT));
	/* a committed PDU is not handed over again while the driver remembers it */
	if (f->ncommitted < FAKE_COMMITTED_MAX)
		for (unsigned i = 0; i < f->ncommitted; i++)
			CHECK(!fake_pdu_equal(f->committed[i], in->pdu_hex) ||
			      f->now - f->committed_at[i] >= FAKE_DAY_MS);
	if (!f->commit)
		return -1;
	f->committed_any = true;
	/* past the driver's memory the duplicate check stops */
	if (f->ncommitted < FAKE_COMMITTED_MAX) {
		snprintf(f->committed[f->ncommitted], sizeof(f->committed[0]), "%s", in->pdu_hex);
		f->committed_at[f->ncommitted] = f->now;
		f->ncommitted++;
	}
	return 0;
}

static inline void fake_ev_sent(void *ctx, uint64_t token, const struct modem_send_result *r)
{
	struct fake *f = ctx;

	CHECK(token < f->sends);
	CHECK(f->results[token]++ == 0);
	CHECK(r->mr >= -1 && r->mr <= 255);
	CHECK((r->mr < 0) == (r->error != NULL));
	CHECK(r->mr < 0 || !r->maybe_sent);
	CHECK(r->cms_error >= -1);
	CHECK(r->error_class == AT_ERROR_TEMPORARY || r->error_class == AT_ERROR_PERMANENT);
}

static inline void fake_ev_call(void *ctx, const char *number)
{
	(void)ctx;
	CHECK(number != NULL && strlen(number) < 40);
}

static const struct modem_events fake_events = {
	.state = fake_ev_state, .inbound = fake_ev_inbound, .sent = fake_ev_sent, .call = fake_ev_call,
};

static inline void fake_at_done(void *ctx, const struct at_response *r)
{
	struct fake *f = ctx;
	CHECK(r->final != AT_FINAL_NONE);
	f->answers++;
	CHECK(f->answers <= f->asked);
}

static inline bool fake_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A command's argument after prefix must be a plain non-negative number. */
static inline void fake_check_index(const char *cmd, const char *prefix)
{
	if (fake_starts(cmd, prefix)) {
		const char *n = cmd + strlen(prefix);
		CHECK(n[0] >= '0' && n[0] <= '9' && strspn(n, "0123456789") == strlen(n));
	}
}

static inline void fake_check_command(struct fake *f, const char *cmd, bool pdu)
{
	for (const char *p = cmd; *p; p++)
		CHECK(*p >= 0x20 && *p < 0x7F);
	if (pdu) {
		CHECK(fake_is_hex(cmd));
		return;
	}
	CHECK(fake_starts(cmd, "AT"));
	fake_check_index(cmd, "AT+CMGR=");
	fake_check_index(cmd, "AT+CMGD=");
	/* nothing is deleted or acknowledged that the owner did not commit */
	if (fake_starts(cmd, "AT+CMGD") || fake_starts(cmd, "AT+CNMA"))
		CHECK(f->committed_any);
}

/* Reads what the driver wrote; the last command becomes the one to answer. */
static inline void fake_take_output(struct fake *f)
{
	const uint8_t *out;
	size_t n = modem_output(f->m, &out);
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (out[i] == 0x1B && i == start) {
			start++; /* the ESC before every probe */
			continue;
		}
		if (out[i] != '\r' && out[i] != 0x1A)
			continue;
		size_t len = i - start;
		CHECK(len > 0 && len < sizeof(f->last));
		memcpy(f->last, out + start, len);
		f->last[len] = '\0';
		f->last_is_pdu = out[i] == 0x1A;
		f->answered = false;
		fake_trace(">>", f->last, len);
		fake_check_command(f, f->last, f->last_is_pdu);
		start = i + 1;
	}
	/* the driver writes whole commands */
	CHECK(start == n);
	modem_output_done(f->m, n);
}

static inline void fake_check_health(struct fake *f)
{
	const struct modem_health *h = modem_health(f->m);
	const struct modem_identity *id = modem_identity(f->m);

	CHECK((h->rssi >= 0 && h->rssi <= 31) || h->rssi == 99);
	CHECK(h->registration >= -1 && h->registration <= 11);
	CHECK(memchr(h->operator_name, '\0', sizeof(h->operator_name)) != NULL);
	CHECK(memchr(h->last_error, '\0', sizeof(h->last_error)) != NULL);
	CHECK(memchr(id->iccid, '\0', sizeof(id->iccid)) != NULL);
	CHECK(strpbrk(id->iccid, "Ff") == NULL);
	CHECK(memchr(id->imei, '\0', sizeof(id->imei)) != NULL);
	CHECK(memchr(id->number, '\0', sizeof(id->number)) != NULL);
}

/* After every input: what went out is read and checked. */
static inline void fake_settle(struct fake *f)
{
	fake_take_output(f);
	fake_check_health(f);
}

static inline void fake_feed(struct fake *f, const void *bytes, size_t n)
{
	fake_trace("<<", bytes, n);
	modem_feed(f->m, bytes, n, f->now);
	fake_settle(f);
}

static inline void fake_feed_str(struct fake *f, const char *s)
{
	fake_feed(f, s, strlen(s));
}

/* Time passes to the driver's next deadline (an hour at most), and it ticks. */
static inline void fake_advance(struct fake *f)
{
	uint64_t d = modem_deadline(f->m);

	f->now = d == UINT64_MAX || d > f->now + 3600000 ? f->now + 60000 : (d > f->now ? d : f->now);
	fake_trace("..", "tick", 4);
	modem_tick(f->m, f->now);
	/* a deadline left at or before now would spin the daemon's poll loop */
	for (int i = 0; i < 3 && modem_deadline(f->m) <= f->now; i++)
		modem_tick(f->m, f->now);
	CHECK(modem_deadline(f->m) > f->now);
	fake_settle(f);
}

/* What this family prints for its ICCID command: prefix, digits swapped on Huawei. */
static inline void fake_iccid_answer(const struct fake *f, char *buf, size_t size)
{
	char digits[] = FAKE_ICCID "F";

	if (f->profile->iccid_swapped)
		for (char *p = digits; p[0] && p[1]; p += 2) {
			char t = p[0];
			p[0] = p[1];
			p[1] = t;
		}
	snprintf(buf, size, "\r\n%s%s%s\r\n\r\nOK\r\n", f->profile->iccid_prefix ? f->profile->iccid_prefix : "",
		 f->profile->iccid_prefix ? " " : "", digits);
}

/* What a working modem answers to cmd; never NULL. */
static inline const char *fake_canned(const struct fake *f, const char *cmd, bool pdu)
{
	static const struct {
		const char *prefix, *answer;
	} table[] = {
		{ "AT+CGMI", "\r\nSIMCOM_Ltd\r\n\r\nOK\r\n" },
		{ "AT+CGMM", "\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n" },
		{ "AT+CGMR", "\r\nRevision:1418B04SIM800L24\r\n\r\nOK\r\n" },
		{ "AT+CGSN", "\r\n861234567890123\r\n\r\nOK\r\n" },
		{ "AT+CFUN?", "\r\n+CFUN: 1\r\n\r\nOK\r\n" },
		{ "AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n" },
		{ "AT+CIMI", "\r\n234150123456789\r\n\r\nOK\r\n" },
		{ "AT+CNUM", "\r\n+CNUM: \"\",\"+447700900001\",145\r\n\r\nOK\r\n" },
		{ "AT+CPMS=", "\r\n+CPMS: 0,30,0,30,0,30\r\n\r\nOK\r\n" },
		{ "AT+CREG?", "\r\n+CREG: 2,1,\"1A2B\",\"00C3\"\r\n\r\nOK\r\n" },
		{ "AT+CEREG?", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n" },
		{ "AT+CSQ", "\r\n+CSQ: 21,99\r\n\r\nOK\r\n" },
		{ "AT+COPS?", "\r\n+COPS: 0,0,\"EE\",7\r\n\r\nOK\r\n" },
		{ "AT+CMGL=", "\r\n+CMGL: 1,1,,25\r\n" FAKE_DELIVER_STORED "\r\n\r\nOK\r\n" },
		{ "AT+CMGR=", "\r\n+CMGR: 1,,30\r\n" FAKE_DELIVER_READ "\r\n\r\nOK\r\n" },
		{ "AT+CMGS=", "\r\n> " },
	};
	static char iccid[128];

	if (pdu)
		return "\r\n+CMGS: 42\r\n\r\nOK\r\n";
	if (strcmp(cmd, f->profile->iccid_cmd) == 0) {
		fake_iccid_answer(f, iccid, sizeof(iccid));
		return iccid;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (fake_starts(cmd, table[i].prefix))
			return table[i].answer;
	return "\r\nOK\r\n";
}

/* The canned answer to the last command, once; false when there was none to give. */
static inline bool fake_answer_canned(struct fake *f)
{
	if (f->answered || !f->last[0])
		return false;
	f->answered = true;
	fake_feed_str(f, fake_canned(f, f->last, f->last_is_pdu));
	return true;
}

/*
 * config: bits 0-2 the profile, 3 the owner commits, 4 a PIN is set,
 * 5 the SIM's ICCID and 6 the IMEI are checked, 7 calls are hung up.
 */
static inline void fake_start(struct fake *f, uint8_t config)
{
	struct modem_config cfg = {
		.profile = modem_profile_find(fake_profiles[(config & 7) % 7]),
		.pin = config & 0x10 ? "1234" : NULL,
		.expected_iccid = config & 0x20 ? FAKE_ICCID : NULL,
		.expected_imei = config & 0x40 ? "861234567890123" : NULL,
		.hangup_calls = config & 0x80,
	};

	memset(f, 0, sizeof(*f));
	f->profile = cfg.profile;
	f->commit = config & 8;
	f->now = 1000;
	f->m = modem_new(&cfg, &fake_events, f);
	CHECK(f->m != NULL);
	modem_port_opened(f->m, f->now);
	fake_advance(f); /* the quiet period, then the probe */
}

static inline void fake_send(struct fake *f, bool more)
{
	int rc;

	if (f->sends == FAKE_SENDS_MAX)
		return;
	rc = modem_send(f->m, FAKE_SUBMIT, FAKE_SUBMIT_TPDU_LEN, more, f->sends, f->now);
	CHECK(rc == 0 || rc == -EAGAIN);
	if (rc == 0)
		f->sends++;
	fake_settle(f);
}

static inline void fake_person_command(struct fake *f)
{
	const char *reason = NULL;
	int rc = modem_at(f->m, "AT+CSQ", 0, fake_at_done, f, &reason);

	CHECK(rc == 0 || (rc == -EAGAIN && reason != NULL));
	if (rc == 0)
		f->asked++;
	fake_settle(f);
}

static inline void fake_replug(struct fake *f)
{
	modem_port_lost(f->m, f->now);
	CHECK(modem_state(f->m) == MODEM_STATE_CLOSED);
	CHECK(modem_send_queue_length(f->m) == 0);
	fake_settle(f);
	modem_port_opened(f->m, f->now);
	fake_advance(f);
}

/* Gone: every send has had its one result, every person's command its answer. */
static inline void fake_finish(struct fake *f)
{
	modem_free(f->m);
	for (unsigned i = 0; i < f->sends; i++)
		CHECK(f->results[i] == 1);
	CHECK(f->answers == f->asked);
}

#endif
