/*
 * The modem driver against tools/modemsim through a real pseudo-terminal:
 * every profile from probe to ready, sending and receiving, status
 * reports, calls, and the faults of real modems (CMS errors, silence,
 * garbage, a full SIM, the device unplugged and back). Each test starts its
 * own simulator and stops it. $MODEMSIM names the binary (build/modemsim).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "parley/serial_port.h"
#include "support/sim_harness.h"

#define STEP_TIMEOUT_MS 15000

/* A simulator, and a driver on it that has reached ready. */
static void up(struct sim *s, struct link *l, const char *profile, const char *x1,
	       const char *x2, const char *pin)
{
	assert_int_equal(sim_start(s, profile, x1, x2), 0);
	assert_int_equal(link_start(l, s, profile, pin), 0);
	assert_true(link_wait_ready(l, STEP_TIMEOUT_MS));
}

static void down(struct sim *s, struct link *l)
{
	link_stop(l);
	sim_stop(s);
}

static const char *const profiles[] = { "sim800", "sim7600", "ec25", "e3372", "ublox", "telit", "generic" };

/* Every profile: ready, identity, a two-part send, a message in and deleted. */
static void every_profile(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		static const char long_text[] =
			"Your order 1042 has shipped and will arrive on Tuesday between 9 and 12. "
			"Reply HELP for help or STOP to opt out. Thank you for shopping with us, "
			"we hope to see you again soon!";
		struct sim s;
		struct link l;

		up(&s, &l, profiles[i], NULL, NULL, NULL);
		assert_string_equal(modem_identity(l.m)->imei, "860000000000042");
		assert_string_equal(modem_identity(l.m)->iccid, "8900101234567890127");

		int n = link_send_text(&l, "+447700900123", long_text, false, 77);
		assert_int_equal(n, 2);
		assert_true(link_pump(&l, link_got_sent, n, STEP_TIMEOUT_MS));
		assert_int_equal(l.sent_ok, 2);
		cJSON *sent = sim_ctl(&s, "{\"cmd\":\"sent\"}");
		char *dump = cJSON_PrintUnformatted(sent);
		assert_non_null(strstr(dump, "Thank you for shopping"));
		free(dump);
		cJSON_Delete(sent);

		assert_int_equal(sim_do(&s, "{\"cmd\":\"inject\",\"from\":\"+447700900123\",\"text\":\"Yes, Tuesday is fine \xF0\x9F\x91\x8D\"}"), 0);
		assert_true(link_pump(&l, link_got_inbound, 1, STEP_TIMEOUT_MS));
		assert_string_equal(l.last_text, "Yes, Tuesday is fine \xF0\x9F\x91\x8D");
		/* committed, so deleted: the SIM is empty again */
		link_pump(&l, link_got_inbound, 99, 500);
		cJSON *stored = sim_ctl(&s, "{\"cmd\":\"stored\"}");
		dump = cJSON_PrintUnformatted(stored);
		if (strstr(dump, "Tuesday is fine"))
			fail_msg("%s: message still stored after commit: %s", profiles[i], dump);
		free(dump);
		cJSON_Delete(stored);

		down(&s, &l);
	}
}

/* Not committed: the message stays on the SIM and comes again at the next sweep. */
static void uncommitted_stays(void **state)
{
	struct sim s;
	struct link l;
	(void)state;
	up(&s, &l, "sim800", NULL, NULL, NULL);
	l.inbound_commit = -1;
	assert_int_equal(sim_do(&s, "{\"cmd\":\"inject\",\"from\":\"+447700900123\",\"text\":\"keep me\"}"), 0);
	link_pump(&l, link_got_inbound, 99, 2000);
	assert_int_equal(l.inbound, 0);
	l.inbound_commit = 0;
	assert_true(link_pump(&l, link_got_inbound, 1, STEP_TIMEOUT_MS)); /* the sweep finds it */
	assert_string_equal(l.last_text, "keep me");
	down(&s, &l);
}

static void errors_classified(void **state)
{
	struct sim s;
	struct link l;
	(void)state;
	up(&s, &l, "sim800", NULL, NULL, NULL);

	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"cms_error\",\"code\":332}"), 0);
	assert_true(link_send_text(&l, "+447700900123", "one", false, 1) > 0);
	assert_true(link_pump(&l, link_got_sent, 1, STEP_TIMEOUT_MS));
	assert_int_equal(l.sent_fail, 1);
	assert_int_equal(l.last_class, AT_ERROR_TEMPORARY);

	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"cms_error\",\"code\":21}"), 0);
	assert_true(link_send_text(&l, "+447700900123", "two", false, 2) > 0);
	assert_true(link_pump(&l, link_got_sent, 2, STEP_TIMEOUT_MS));
	assert_int_equal(l.sent_fail, 2);
	assert_int_equal(l.last_class, AT_ERROR_PERMANENT);

	/* garbage on the line does not derail the next send */
	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"garbage\",\"count\":64}"), 0);
	assert_true(link_send_text(&l, "+447700900123", "three", false, 3) > 0);
	assert_true(link_pump(&l, link_got_sent, 3, STEP_TIMEOUT_MS));
	assert_int_equal(l.sent_ok, 1);
	down(&s, &l);
}

/* Silence after the PDU: maybe sent, recovery, ready again, and sending works. */
static void silence_recovers(void **state)
{
	struct sim s;
	struct link l;
	(void)state;
	up(&s, &l, "ec25", NULL, NULL, NULL);
	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"no_answer\",\"count\":1}"), 0);
	assert_true(link_send_text(&l, "+447700900123", "into the void", false, 4) > 0);
	assert_true(link_pump(&l, link_got_sent, 1, STEP_TIMEOUT_MS));
	assert_int_equal(l.sent_fail, 1);
	assert_true(link_wait_ready(&l, STEP_TIMEOUT_MS));
	assert_true(link_send_text(&l, "+447700900123", "after recovery", false, 5) > 0);
	assert_true(link_pump(&l, link_got_sent, 2, STEP_TIMEOUT_MS));
	assert_int_equal(l.sent_ok, 1);
	down(&s, &l);
}

/* Answers cut in two, a lost final result, a URC inside a listing. */
static void line_faults(void **state)
{
	struct sim s;
	struct link l;
	(void)state;
	up(&s, &l, "sim800", NULL, NULL, NULL);

	/* the +CMGS answer arrives in two reads 300 ms apart: assembled, not misread */
	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"split\",\"delay_ms\":300}"), 0);
	assert_true(link_send_text(&l, "+447700900123", "split answer", false, 1) > 0);
	assert_true(link_pump(&l, link_got_sent, 1, STEP_TIMEOUT_MS));
	assert_int_equal(l.sent_ok, 1);

	/* two messages wait on the SIM; the listing carries a RING between them */
	l.inbound_commit = -1;
	assert_int_equal(sim_do(&s, "{\"cmd\":\"inject\",\"from\":\"+447700900123\",\"text\":\"first\"}"), 0);
	assert_int_equal(sim_do(&s, "{\"cmd\":\"inject\",\"from\":\"+447700900124\",\"text\":\"second\"}"), 0);
	link_pump(&l, link_never, 0, 500);
	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"interleave\",\"after\":2}"), 0);
	l.inbound_commit = 0;
	assert_true(link_pump(&l, link_got_inbound, 2, STEP_TIMEOUT_MS));

	/* the OK after +CMGS is lost: maybe sent, and the driver recovers */
	assert_true(link_wait_ready(&l, STEP_TIMEOUT_MS));
	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"drop_line\",\"line\":-1}"), 0);
	assert_true(link_send_text(&l, "+447700900123", "lost ok", false, 2) > 0);
	assert_true(link_pump(&l, link_got_sent, 2, STEP_TIMEOUT_MS));
	assert_int_equal(l.sent_fail, 1);
	assert_true(l.last_maybe_sent);
	assert_true(link_wait_ready(&l, STEP_TIMEOUT_MS));
	down(&s, &l);
}

/* Another process holds the port (ModemManager, a terminal): said clearly, retried. */
static void port_held_elsewhere(void **state)
{
	struct sim s;
	struct serial_port *other;
	struct modem_config cfg = { .profile = modem_profile_find("generic") };
	struct modem_events none = { 0 };
	char err[256];
	(void)state;
	assert_int_equal(sim_start(&s, "generic", NULL, NULL), 0);
	assert_int_equal(serial_port_open(s.link, 115200, &other, err, sizeof(err)), 0);
	struct modem *m = modem_new(&cfg, &none, NULL);
	struct modem_link *ml = modem_link_new(m, s.link, 115200);
	modem_link_tick(ml, now_ms());
	assert_int_equal(modem_link_fd(ml), -1);
	assert_non_null(strstr(modem_link_error(ml), "in use by another process"));
	assert_non_null(strstr(modem_link_error(ml), "ModemManager"));
	/* let go: the next attempt after the backoff opens it */
	serial_port_close(other);
	uint64_t t = now_ms() + MODEM_LINK_BACKOFF_MIN_MS;
	modem_link_tick(ml, t);
	assert_true(modem_link_fd(ml) >= 0);
	assert_int_equal(modem_state(m), MODEM_STATE_PROBE);
	modem_link_free(ml);
	modem_free(m);
	sim_stop(&s);
}

/* The device vanishes (USB unplug) and comes back at the same link. */
static void unplug_and_back(void **state)
{
	struct sim s;
	struct link l;
	(void)state;
	up(&s, &l, "sim7600", NULL, NULL, NULL);
	assert_int_equal(sim_do(&s, "{\"cmd\":\"unplug\"}"), 0);
	assert_true(link_pump(&l, link_is_state, MODEM_STATE_CLOSED, STEP_TIMEOUT_MS));
	assert_int_equal(sim_do(&s, "{\"cmd\":\"replug\"}"), 0);
	assert_true(link_wait_ready(&l, STEP_TIMEOUT_MS));
	assert_int_equal(sim_do(&s, "{\"cmd\":\"inject\",\"from\":\"+447700900123\",\"text\":\"still there?\"}"), 0);
	assert_true(link_pump(&l, link_got_inbound, 1, STEP_TIMEOUT_MS));
	down(&s, &l);
}

/* A full SIM holds new messages back; reading and deleting lets them in, none lost. */
static void full_sim_loses_nothing(void **state)
{
	struct sim s;
	struct link l;
	(void)state;
	up(&s, &l, "sim800", "--storage-size", "5", NULL);
	l.inbound_commit = -1; /* the owner is slow: nothing gets deleted */
	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"storage_full\"}"), 0);
	assert_int_equal(sim_do(&s, "{\"cmd\":\"inject\",\"from\":\"+447700900123\",\"text\":\"waiting outside\"}"), 0);
	link_pump(&l, link_got_inbound, 99, 1000);
	l.inbound_commit = 0;
	/* five old messages, then the one that waited */
	assert_true(link_pump(&l, link_got_inbound, 6, STEP_TIMEOUT_MS));
	assert_string_equal(l.last_text, "waiting outside");
	down(&s, &l);
}

/*
 * A modem that keeps messages in its own memory (EC25: "ME") powers up with
 * the SIM as its store: what arrived before the driver chose the memory is
 * on the SIM, and the sweep must read it there too.
 */
static void messages_on_the_sim_read_too(void **state)
{
	struct sim s;
	struct link l;
	(void)state;
	assert_int_equal(sim_start(&s, "ec25", "--storage-size", "3"), 0);
	assert_int_equal(sim_do(&s, "{\"cmd\":\"fault\",\"type\":\"storage_full\",\"mem\":\"SM\"}"), 0);
	assert_int_equal(link_start(&l, &s, "ec25", NULL), 0);
	assert_true(link_wait_ready(&l, STEP_TIMEOUT_MS));
	assert_true(link_pump(&l, link_got_inbound, 3, STEP_TIMEOUT_MS));
	assert_string_equal(l.last_text, "old message 3");
	/* deleted from the SIM, and reading is back on the modem's memory */
	cJSON *st = NULL;
	for (int i = 0; i < 50; i++) {
		link_pump(&l, link_never, 0, 100);
		cJSON_Delete(st);
		st = sim_ctl(&s, "{\"cmd\":\"stored\"}");
		if (st && cJSON_GetObjectItem(cJSON_GetObjectItem(st, "SM"), "used")->valueint == 0)
			break;
	}
	assert_non_null(st);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "SM"), "used")->valueint, 0);
	cJSON_Delete(st);
	st = sim_ctl(&s, "{\"cmd\":\"state\"}");
	assert_non_null(st);
	char *text = cJSON_PrintUnformatted(st);
	assert_non_null(strstr(text, "\"cpms\":[\"ME\",\"ME\",\"ME\"]"));
	free(text);
	cJSON_Delete(st);
	assert_int_equal(sim_do(&s, "{\"cmd\":\"inject\",\"from\":\"+447700900123\",\"text\":\"after the sweep\"}"), 0);
	assert_true(link_pump(&l, link_got_inbound, 4, STEP_TIMEOUT_MS));
	assert_string_equal(l.last_text, "after the sweep");
	down(&s, &l);
}

static void pin_reports_and_calls(void **state)
{
	struct sim s;
	struct link l;
	(void)state;
	up(&s, &l, "telit", "--pin", "4321", "4321");

	assert_true(link_send_text(&l, "+447700900123", "report back", true, 6) > 0);
	assert_true(link_pump(&l, link_got_sent, 1, STEP_TIMEOUT_MS));
	assert_true(link_pump(&l, link_got_reports, 1, STEP_TIMEOUT_MS));
	assert_int_equal(l.report_mr, l.last_mr);

	assert_int_equal(sim_do(&s, "{\"cmd\":\"ring\",\"number\":\"+447700900555\"}"), 0);
	assert_true(link_pump(&l, link_got_calls, 1, STEP_TIMEOUT_MS));
	assert_string_equal(l.last_call, "+447700900555");
	down(&s, &l);
}

static int stop_leftovers(void **state)
{
	(void)state;
	sim_stop_all();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(every_profile, stop_leftovers),
		cmocka_unit_test_teardown(uncommitted_stays, stop_leftovers),
		cmocka_unit_test_teardown(errors_classified, stop_leftovers),
		cmocka_unit_test_teardown(silence_recovers, stop_leftovers),
		cmocka_unit_test_teardown(line_faults, stop_leftovers),
		cmocka_unit_test_teardown(port_held_elsewhere, stop_leftovers),
		cmocka_unit_test_teardown(unplug_and_back, stop_leftovers),
		cmocka_unit_test_teardown(full_sim_loses_nothing, stop_leftovers),
		cmocka_unit_test_teardown(messages_on_the_sim_read_too, stop_leftovers),
		cmocka_unit_test_teardown(pin_reports_and_calls, stop_leftovers),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("modem_sim", tests, NULL, NULL);
}
