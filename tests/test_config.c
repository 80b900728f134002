/*
 * The configuration loader: a full file, the defaults, every kind of error
 * with its exact message and line (the keyword rules' too), files that
 * cannot be read, @include, and every ready configuration under boards/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parley/config.h"
#include "parley/keyword_rules.h"
#include "parley/keywords.h"

#define NOBODY_ID 65534

static const char full_text[] =
	"# everything set\n"
	"store = \"/srv/parley/db.sqlite\";\n"
	"control_socket = \"/run/parley/ctl.sock\";\n"
	"log_level = \"debug\";\n"
	"metrics = { file = \"/var/lib/node_exporter/parley.prom\"; interval = 15; };\n"
	"queue = {\n"
	"  retries = 7;\n"
	"  retry_base = 60L;\n"
	"  unknown = \"retry\";\n"
	"  reassembly_timeout = 7200;\n"
	"  retention_days = 90;\n"
	"  report_window = 86400;\n"
	"};\n"
	"modems = (\n"
	"  { name = \"hat\"; device = \"/dev/serial0\"; baud = 115200; profile = \"SIM7600\";\n"
	"    line = \"+447700900001\"; pin = \"1234\"; rate_per_minute = 20; daily_cap = 500;\n"
	"    imei = \"356938035643809\"; iccid = \"8944110068012345678\"; hangup_calls = false; },\n"
	"  { name = \"usb-2\"; device = \"/dev/ttyUSB2\"; line = \"+15005550006\"; }\n"
	");\n";

/* Loads text named "t.conf"; returns what conf_load_string returns. */
static int load(const char *text, struct conf *c, char *err, size_t err_size)
{
	return conf_load_string(text, "t.conf", c, err, err_size);
}

static void full_config(void **state)
{
	struct conf c;
	char err[256] = "x";

	(void)state;
	assert_int_equal(load(full_text, &c, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_string_equal(c.store, "/srv/parley/db.sqlite");
	assert_string_equal(c.control_socket, "/run/parley/ctl.sock");
	assert_int_equal(c.log_level, CONF_LOG_DEBUG);
	assert_string_equal(c.metrics_file, "/var/lib/node_exporter/parley.prom");
	assert_int_equal(c.metrics_interval, 15);
	assert_int_equal(c.retries, 7);
	assert_int_equal(c.retry_base, 60);
	assert_true(c.unknown_requeue);
	assert_int_equal(c.reassembly_timeout, 7200);
	assert_int_equal(c.retention_days, 90);
	assert_int_equal(c.report_window, 86400);
	assert_int_equal(c.nmodems, 2);

	assert_string_equal(c.modems[0].name, "hat");
	assert_string_equal(c.modems[0].device, "/dev/serial0");
	assert_int_equal(c.modems[0].baud, 115200);
	/* the profile's own spelling, whatever the file's */
	assert_string_equal(c.modems[0].profile, "sim7600");
	assert_string_equal(c.modems[0].line, "+447700900001");
	assert_string_equal(c.modems[0].pin, "1234");
	assert_string_equal(c.modems[0].imei, "356938035643809");
	assert_string_equal(c.modems[0].iccid, "8944110068012345678");
	assert_int_equal(c.modems[0].rate_per_minute, 20);
	assert_int_equal(c.modems[0].daily_cap, 500);
	assert_false(c.modems[0].hangup_calls);

	/* a modem with only what it must have */
	assert_string_equal(c.modems[1].name, "usb-2");
	assert_string_equal(c.modems[1].device, "/dev/ttyUSB2");
	assert_string_equal(c.modems[1].line, "+15005550006");
	assert_int_equal(c.modems[1].baud, 115200);
	assert_string_equal(c.modems[1].profile, "generic");
	assert_string_equal(c.modems[1].pin, "");
	assert_string_equal(c.modems[1].imei, "");
	assert_string_equal(c.modems[1].iccid, "");
	assert_int_equal(c.modems[1].rate_per_minute, 10);
	assert_int_equal(c.modems[1].daily_cap, 0);
	assert_true(c.modems[1].hangup_calls);
}

static void check_defaults(const struct conf *c)
{
	assert_string_equal(c->store, "/var/lib/parley/parley.db");
	assert_string_equal(c->control_socket, "/run/parley/parley.sock");
	assert_int_equal(c->log_level, CONF_LOG_INFO);
	assert_string_equal(c->metrics_file, "");
	assert_int_equal(c->metrics_interval, 30);
	assert_int_equal(c->retries, 5);
	assert_int_equal(c->retry_base, 30);
	assert_false(c->unknown_requeue);
	assert_int_equal(c->reassembly_timeout, 3600);
	assert_int_equal(c->retention_days, 0);
	assert_int_equal(c->report_window, 259200);
	assert_int_equal(c->nmodems, 0);
	assert_int_equal(c->nrules, 0);
}

static void defaults(void **state)
{
	struct conf c;
	char err[256];

	(void)state;
	memset(&c, 0x5a, sizeof(c));
	conf_defaults(&c);
	check_defaults(&c);

	/* an empty file, and one with empty sections, mean the defaults and no modems */
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(load("", &c, err, sizeof(err)), 0);
	check_defaults(&c);
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(load("# nothing yet\nqueue = {};\nmetrics = {};\nmodems = ();\n", &c, err,
			      sizeof(err)), 0);
	check_defaults(&c);

	/* the daemon's own choices for a nameless modem: its place in the list */
	assert_int_equal(load("modems = ({ device = \"/dev/ttyACM0\"; line = \"+4915112345678\"; });",
			      &c, err, sizeof(err)), 0);
	assert_int_equal(c.nmodems, 1);
	assert_string_equal(c.modems[0].name, "modem0");
	assert_string_equal(c.modems[0].profile, "generic");
	assert_int_equal(c.modems[0].baud, 115200);
}

static void values_at_the_limits(void **state)
{
	struct conf c;
	char err[256];

	(void)state;
	assert_int_equal(load("queue = { retries = 0; retry_base = 3600; reassembly_timeout = 60;\n"
			      "  retention_days = 36500; report_window = 2592000; };\n"
			      "metrics = { file = \"\"; interval = 3600; };\n"
			      "modems = ({ name = \"Aa0_-aaaaaaaaaaaaaaaaaaaaaaaaaa\"; device = \"/dev/ttyS0\";\n"
			      "  line = \"+1234567\"; pin = \"12345678\"; iccid = \"123456789012345678\";\n"
			      "  baud = 9600; rate_per_minute = 600; daily_cap = 1000000; },\n"
			      " { name = \"b\"; device = \"/dev/ttyS1\"; line = \"+123456789012345\";\n"
			      "  pin = \"\"; imei = \"\"; iccid = \"1234567890123456789012\"; baud = 921600L;\n"
			      "  profile = \"e3372\"; });\n",
			      &c, err, sizeof(err)), 0);
	assert_int_equal(c.retries, 0);
	assert_int_equal(c.report_window, 2592000);
	assert_int_equal(c.nmodems, 2);
	assert_string_equal(c.modems[0].name, "Aa0_-aaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(c.modems[0].baud, 9600);
	assert_int_equal(c.modems[1].baud, 921600);
	assert_int_equal(c.modems[0].daily_cap, 1000000);
	assert_string_equal(c.modems[1].iccid, "1234567890123456789012");
}

/* Two modems that are fine, then the text under test as a third member of the list. */
#define TWO_MODEMS \
	"modems = (\n" \
	"  { name = \"a\"; device = \"/dev/ttyUSB2\"; line = \"+447700900001\"; },\n" \
	"  { name = \"b\"; device = \"/dev/ttyUSB6\"; line = \"+447700900002\"; },\n"

/* modems.[2] starts on line 4; its settings are on lines 5... */
#define THIRD(body) TWO_MODEMS "  {\n" body "  }\n);\n"
#define OK_MODEM "    device = \"/dev/ttyACM0\";\n    line = \"+447700900003\";\n"

/* 64 letters: one more than a rule's keyword holds */
#define A64 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

struct bad {
	const char *text;
	const char *err;
};

static const struct bad bad_configs[] = {
	/* unknown keys, at every level */
	{ "store = \"/x\";\nfrobnicate = 1;\n", "t.conf:2: frobnicate: unknown setting" },
	{ "queue = {\n  retries = 3;\n  retires = 4;\n};\n",
	  "t.conf:3: queue.retires: unknown setting" },
	{ "metrics = { file = \"/m\"; every = 5; };\n", "t.conf:1: metrics.every: unknown setting" },
	{ THIRD(OK_MODEM "    bauds = 9600;\n"), "t.conf:7: modems.[2].bauds: unknown setting" },
	{ THIRD(OK_MODEM "    extra = { a = 1; };\n"), "t.conf:7: modems.[2].extra: unknown setting" },

	/* wrong types */
	{ "store = 5;\n", "t.conf:1: store: expected a string, got an integer" },
	{ "store = [\"a\"];\n", "t.conf:1: store: expected a string, got an array [ ... ]" },
	{ "log_level = 3;\n", "t.conf:1: log_level: expected a string, got an integer" },
	{ "queue = { retries = 2.5; };\n", "t.conf:1: queue.retries: expected an integer, got a float" },
	{ "queue = { retries = 2.0; };\n", "t.conf:1: queue.retries: expected an integer, got a float" },
	{ "queue = { retries = \"5\"; };\n",
	  "t.conf:1: queue.retries: expected an integer, got a string" },
	{ "queue = { retries = true; };\n",
	  "t.conf:1: queue.retries: expected an integer, got true or false" },
	{ "queue = 5;\n", "t.conf:1: queue: expected a group { ... }, got an integer" },
	{ "metrics = ( 1 );\n", "t.conf:1: metrics: expected a group { ... }, got a list ( ... )" },
	{ "modems = { };\n",
	  "t.conf:1: modems: expected a list ( ... ) of modem groups, got a group { ... }" },
	/* libconfig dates a bare value in a list by the token after it: keep them on one line */
	{ "modems = (\n  \"/dev/ttyUSB2\", 1 );\n",
	  "t.conf:2: modems.[0]: expected a group { ... }, got a string" },
	{ THIRD(OK_MODEM "    hangup_calls = \"yes\";\n"),
	  "t.conf:7: modems.[2].hangup_calls: expected true or false, got a string" },
	{ THIRD(OK_MODEM "    baud = \"115200\";\n"),
	  "t.conf:7: modems.[2].baud: expected an integer, got a string" },
	{ THIRD(OK_MODEM "    daily_cap = 10.0;\n"),
	  "t.conf:7: modems.[2].daily_cap: expected an integer, got a float" },

	/* out of range */
	{ "queue = { retries = 101; };\n", "t.conf:1: queue.retries: must be 0 to 100, got 101" },
	{ "queue = { retries = -1; };\n", "t.conf:1: queue.retries: must be 0 to 100, got -1" },
	{ "queue = { retries = 3000000000L; };\n",
	  "t.conf:1: queue.retries: must be 0 to 100, got 3000000000" },
	{ "queue = { retry_base = 0; };\n", "t.conf:1: queue.retry_base: must be 1 to 3600, got 0" },
	{ "queue = { reassembly_timeout = 59; };\n",
	  "t.conf:1: queue.reassembly_timeout: must be 60 to 604800, got 59" },
	{ "queue = { retention_days = 36501; };\n",
	  "t.conf:1: queue.retention_days: must be 0 to 36500, got 36501" },
	{ "queue = { report_window = 2592001; };\n",
	  "t.conf:1: queue.report_window: must be 60 to 2592000, got 2592001" },
	{ "metrics = { interval = 4; };\n", "t.conf:1: metrics.interval: must be 5 to 3600, got 4" },
	{ THIRD(OK_MODEM "    rate_per_minute = 0;\n"),
	  "t.conf:7: modems.[2].rate_per_minute: must be 1 to 600, got 0" },
	{ THIRD(OK_MODEM "    rate_per_minute = 601;\n"),
	  "t.conf:7: modems.[2].rate_per_minute: must be 1 to 600, got 601" },
	{ THIRD(OK_MODEM "    daily_cap = 1000001;\n"),
	  "t.conf:7: modems.[2].daily_cap: must be 0 to 1000000, got 1000001" },

	/* malformed values */
	{ THIRD(OK_MODEM "    baud = 100000;\n"),
	  "t.conf:7: modems.[2].baud: 100000 is not a standard rate (9600, 19200, 38400, 57600, "
	  "115200, 230400, 460800, 921600)" },
	{ THIRD(OK_MODEM "    baud = 4800;\n"),
	  "t.conf:7: modems.[2].baud: 4800 is not a standard rate (9600, 19200, 38400, 57600, "
	  "115200, 230400, 460800, 921600)" },
	{ THIRD("    device = \"/dev/ttyACM0\";\n    line = \"07700900003\";\n"),
	  "t.conf:6: modems.[2].line: \"07700900003\" is not an international number "
	  "('+' then 7 to 15 digits)" },
	{ THIRD("    device = \"/dev/ttyACM0\";\n    line = \"+123456\";\n"),
	  "t.conf:6: modems.[2].line: \"+123456\" is not an international number "
	  "('+' then 7 to 15 digits)" },
	{ THIRD("    device = \"/dev/ttyACM0\";\n    line = \"+1234567890123456\";\n"),
	  "t.conf:6: modems.[2].line: \"+1234567890123456\" is not an international number "
	  "('+' then 7 to 15 digits)" },
	{ THIRD("    device = \"/dev/ttyACM0\";\n    line = \"+44 7700 900003\";\n"),
	  "t.conf:6: modems.[2].line: \"+44 7700 900003\" is not an international number "
	  "('+' then 7 to 15 digits)" },
	/* a PIN is never repeated in an error */
	{ THIRD(OK_MODEM "    pin = \"12a4\";\n"), "t.conf:7: modems.[2].pin: must be 4 to 8 digits" },
	{ THIRD(OK_MODEM "    pin = \"123\";\n"), "t.conf:7: modems.[2].pin: must be 4 to 8 digits" },
	{ THIRD(OK_MODEM "    pin = \"123456789\";\n"),
	  "t.conf:7: modems.[2].pin: must be 4 to 8 digits" },
	{ THIRD(OK_MODEM "    imei = \"35693803564380\";\n"),
	  "t.conf:7: modems.[2].imei: \"35693803564380\" is not 15 digits" },
	{ THIRD(OK_MODEM "    imei = \"35693803564380X\";\n"),
	  "t.conf:7: modems.[2].imei: \"35693803564380X\" is not 15 digits" },
	{ THIRD(OK_MODEM "    iccid = \"89441100680123456\";\n"),
	  "t.conf:7: modems.[2].iccid: \"89441100680123456\" is not 18 to 22 digits" },
	{ THIRD(OK_MODEM "    iccid = \"89441100680123456789012\";\n"),
	  "t.conf:7: modems.[2].iccid: \"89441100680123456789012\" is not 18 to 22 digits" },
	{ THIRD(OK_MODEM "    iccid = \"8944110068012345678F\";\n"),
	  "t.conf:7: modems.[2].iccid: \"8944110068012345678F\" is not 18 to 22 digits" },
	{ THIRD(OK_MODEM "    name = \"my modem\";\n"),
	  "t.conf:7: modems.[2].name: \"my modem\" is not a name of 1 to 31 ASCII letters, "
	  "digits, '_' or '-'" },
	{ THIRD(OK_MODEM "    name = \"\";\n"), "t.conf:7: modems.[2].name: must not be empty" },
	{ THIRD(OK_MODEM "    name = \"a23456789012345678901234567890123\";\n"),
	  "t.conf:7: modems.[2].name: \"a23456789012345678901234567890123\" is not a name of "
	  "1 to 31 ASCII letters, digits, '_' or '-'" },
	/* control bytes are shown escaped, long values cut */
	{ THIRD(OK_MODEM "    name = \"tab\\there-and-then-a-very-long-tail-indeed\";\n"),
	  "t.conf:7: modems.[2].name: \"tab\\x09here-and-then-a-very-long-tail-in...\" is not a "
	  "name of 1 to 31 ASCII letters, digits, '_' or '-'" },
	{ THIRD(OK_MODEM "    profile = \"sim900\";\n"),
	  "t.conf:7: modems.[2].profile: unknown modem profile \"sim900\"" },
	{ "log_level = \"verbose\";\n",
	  "t.conf:1: log_level: \"verbose\" is not one of error, warning, info, debug" },
	{ "log_level = \"INFO\";\n",
	  "t.conf:1: log_level: \"INFO\" is not one of error, warning, info, debug" },
	{ "queue = {\n  unknown = \"drop\";\n};\n",
	  "t.conf:2: queue.unknown: \"drop\" is not one of hold, retry" },
	{ "store = \"\";\n", "t.conf:1: store: must not be empty" },
	{ THIRD("    device = \"\";\n    line = \"+447700900003\";\n"),
	  "t.conf:5: modems.[2].device: must not be empty" },

	/* required and unique */
	{ THIRD("    line = \"+447700900003\";\n"),
	  "t.conf:4: modems.[2].device: missing: the modem's serial port, e.g. \"/dev/ttyUSB2\"" },
	{ THIRD("    device = \"/dev/ttyACM0\";\n"),
	  "t.conf:4: modems.[2].line: missing: the SIM's number, e.g. \"+447700900001\"" },
	{ THIRD(OK_MODEM "    name = \"a\";\n"),
	  "t.conf:7: modems.[2].name: \"a\" is already the name of modems.[0]" },
	{ "modems = (\n  { device = \"/dev/ttyUSB2\"; line = \"+447700900001\"; },\n"
	  "  { name = \"modem0\"; device = \"/dev/ttyUSB6\"; line = \"+447700900002\"; }\n);\n",
	  "t.conf:3: modems.[1].name: \"modem0\" is already the name of modems.[0]" },
	{ "modems = (\n  { name = \"modem1\"; device = \"/dev/ttyUSB2\"; line = \"+447700900001\"; },\n"
	  "  { device = \"/dev/ttyUSB6\"; line = \"+447700900002\"; }\n);\n",
	  "t.conf:3: modems.[1].name: \"modem1\" is already the name of modems.[0]" },
	{ THIRD("    device = \"/dev/ttyACM0\";\n    line = \"+447700900002\";\n"),
	  "t.conf:6: modems.[2].line: \"+447700900002\" is already the line of modems.[1] (b)" },
	{ THIRD("    device = \"/dev/ttyUSB2\";\n    line = \"+447700900003\";\n"),
	  "t.conf:5: modems.[2].device: \"/dev/ttyUSB2\" is already the device of modems.[0] (a)" },

	/* policy */
	{ "policy = { quiet_hours = \"21:00-08:00\"; };\n",
	  "t.conf:1: policy.quiet_hours: expected a group { ... }, got a string" },
	{ "policy = {\n  quiet_hours = { start = \"21:00\"; end = \"08:00\"; };\n};\n",
	  "t.conf:1: policy.quiet_hours: the allowed window must start before it ends, within one "
	  "day (e.g. start = \"08:00\"; end = \"21:00\")" },
	{ "policy = { quiet_hours = { start = \"8am\"; }; };\n",
	  "t.conf:1: policy.quiet_hours.start: \"8am\" is not a time of day \"HH:MM\"" },
	{ "policy = { default_country = \"UK1\"; };\n",
	  "t.conf:1: policy.default_country: \"UK1\" is not an ISO 3166 country code (two capital "
	  "letters, e.g. \"GB\")" },
	{ "policy = { optout_scope = \"sim\"; };\n",
	  "t.conf:1: policy.optout_scope: \"sim\" is not one of line, group, all" },
	{ "policy = { retention_days = 30; };\n",
	  "t.conf:1: policy.retention_days: must be 365 to 36500, got 30" },
	{ "policy = {\n  keywords = (\n    { language = \"de\"; opt_in = [\"STOP\"]; }\n  );\n};\n",
	  "t.conf:3: policy.keywords.[0].opt_in.[0]: \"STOP\" already means something else (the "
	  "built-in STOP, START and HELP words cannot change)" },
	{ "policy = { keywords = ( { language = \"de\"; stop = [\"STOPP\"]; } ); };\n",
	  "t.conf:1: policy.keywords.[0].stop: unknown key (language, opt_out, opt_in, help)" },
	{ "policy = {\n  caps = ( { category = \"marketing\"; max = 3; per = 86400; },\n"
	  "    { category = \"marketing\"; max = 5; per = 604800; } );\n};\n",
	  "t.conf:3: policy.caps.[1].category: \"marketing\" has a cap already" },
	{ "policy = { caps = ( { category = \"promo\"; max = 3; per = 86400; } ); };\n",
	  "t.conf:1: policy.caps.[0].category: \"promo\" is not one of transactional, "
	  "conversational, marketing" },
	{ "policy = { strict = \"yes\"; };\n",
	  "t.conf:1: policy.strict: expected true or false, got a string" },

	/* sections of later issues */
	/* mqtt */
	{ "store = \"/x\";\n\nmqtt = { port = 1883; };\n",
	  "t.conf:3: mqtt.host: missing: the broker's address, e.g. \"127.0.0.1\"" },
	{ "mqtt = { host = \"h\"; base_topic = \"a/+/b\"; };\n",
	  "t.conf:1: mqtt.base_topic: \"a/+/b\" is not a topic without wildcards, $ or empty levels" },
	{ "mqtt = { host = \"h\"; gateway_id = \"a/b\"; };\n",
	  "t.conf:1: mqtt.gateway_id: \"a/b\" is not a name without '/', '+', '#' or '$'" },
	{ "mqtt = { host = \"h\"; tls = { cert_file = \"c\"; }; };\n",
	  "t.conf:1: mqtt.tls: cert_file and key_file go together" },
	{ "mqtt = { host = \"h\"; protocol = \"4\"; };\n",
	  "t.conf:1: mqtt.protocol: \"4\" is not one of auto, 5, 3.1.1" },
	{ "mqtt = { host = \"h\"; password_file = \"/nonexistent/pw\"; };\n",
	  "t.conf:1: mqtt.password_file: /nonexistent/pw: No such file or directory" },
	{ "mqtt = { host = \"h\"; max_segments = 0; };\n",
	  "t.conf:1: mqtt.max_segments: must be 1 to 255, got 0" },
	{ "templates = { hello = 5; };\n",
	  "t.conf:1: templates.hello: expected a string, got an integer" },

	/* rules: each alone */
	{ "rules = { };\n",
	  "t.conf:1: rules: expected a list ( ... ) of rule groups, got a group { ... }" },
	{ "rules = (\n  \"CONFIRM\", 1 );\n",
	  "t.conf:2: rules.[0]: expected a group { ... }, got a string" },
	{ "rules = (\n  { keyword = \"CONFIRM\"; event = true;\n    answer = \"x\"; }\n);\n",
	  "t.conf:3: rules.[0].answer: unknown setting" },
	{ "rules = (\n  { reply = \"Hi\"; }\n);\n",
	  "t.conf:2: rules.[0].keyword: missing: the text the rule answers, e.g. \"CONFIRM\"" },
	{ "rules = ( { keyword = \"\"; event = true; } );\n",
	  "t.conf:1: rules.[0].keyword: must not be empty" },
	{ "rules = ( { keyword = 5; event = true; } );\n",
	  "t.conf:1: rules.[0].keyword: expected a string, got an integer" },
	{ "rules = ( { keyword = \"!!! \xf0\x9f\x91\x8d\"; event = true; } );\n",
	  "t.conf:1: rules.[0].keyword: \"!!! \xf0\x9f\x91\x8d\" has no letters or digits (texts "
	  "are compared without case, accents, punctuation or emoji)" },
	{ "rules = ( { keyword = \"" A64 "\"; event = true; } );\n",
	  "t.conf:1: rules.[0].keyword: \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...\" is longer "
	  "than 63 characters once normalised" },
	{ "rules = (\n  { keyword = \"BOOK\";\n    match = \"first\"; event = true; }\n);\n",
	  "t.conf:3: rules.[0].match: \"first\" is not one of whole, first_word" },
	{ "rules = (\n  { keyword = \"THANKS\"; event = false; }\n);\n",
	  "t.conf:2: rules.[0]: a rule needs a reply, event = true, or both" },
	{ "rules = (\n  { keyword = \"THANKS\"; reply = \"\"; }\n);\n",
	  "t.conf:2: rules.[0]: a rule needs a reply, event = true, or both" },
	{ "rules = ( { keyword = \"CAFE\"; reply = \"caf\xe9\"; } );\n",
	  "t.conf:1: rules.[0].reply: not valid UTF-8" },
	{ "rules = ( { keyword = \"CAFE\"; event = \"yes\"; } );\n",
	  "t.conf:1: rules.[0].event: expected true or false, got a string" },
	{ "rules = ( { keyword = \"CAFE\"; event = true; name = \"my rule\"; } );\n",
	  "t.conf:1: rules.[0].name: \"my rule\" is not a name of 1 to 31 ASCII letters, digits, "
	  "'_' or '-'" },
	{ "rules = (\n  { keyword = \"CONFIRM\"; event = true; name = \"x\"; },\n"
	  "  { keyword = \"BOOK\"; event = true; name = \"x\"; }\n);\n",
	  "t.conf:3: rules.[1].name: \"x\" is already the name of rules.[0]" },
	/* a name from the keyword, taken already */
	{ "rules = (\n  { keyword = \"CONFIRM\"; event = true; name = \"book\"; },\n"
	  "  { keyword = \"Book\"; event = true; }\n);\n",
	  "t.conf:3: rules.[1].name: \"book\" is already the name of rules.[0]" },

	/* rules: together, and against the consent keywords */
	{ "rules = (\n  { keyword = \"CONFIRM\"; event = true; },\n"
	  "  { keyword = \"confirm!\"; reply = \"x\"; name = \"c2\"; }\n);\n",
	  "t.conf:3: rules.[1].keyword: \"CONFIRM\" is already the keyword of rules.[0]" },
	{ "rules = (\n  { keyword = \"BOOK\"; match = \"first_word\"; event = true; },\n"
	  "  { keyword = \"Book table\"; event = true; }\n);\n",
	  "t.conf:3: rules.[1].keyword: \"BOOK TABLE\" could never match: rules.[0] "
	  "(first_word \"BOOK\") answers its texts first" },
	{ "rules = (\n  { keyword = \"Stop\"; reply = \"x\"; }\n);\n",
	  "t.conf:2: rules.[0].keyword: \"STOP\" is the opt-out keyword STOP; consent keywords "
	  "always come before rules" },
	{ "rules = (\n  { event = true;\n    keyword = \"Arr\xc3\xaat\"; }\n);\n",
	  "t.conf:3: rules.[0].keyword: \"ARRET\" is the opt-out keyword ARRET; consent keywords "
	  "always come before rules" },
	{ "rules = ( { keyword = \"HELP\"; match = \"first_word\"; event = true; } );\n",
	  "t.conf:1: rules.[0].keyword: \"HELP\" is the help keyword HELP; consent keywords "
	  "always come before rules" },
	{ "rules = ( { keyword = \"yes please\"; match = \"first_word\"; event = true; } );\n",
	  "t.conf:1: rules.[0].keyword: \"YES PLEASE\" starts with the opt-in keyword YES; "
	  "consent keywords always come before rules" },
	{ "rules = ( { keyword = \"please stop\"; reply = \"OK\"; } );\n",
	  "t.conf:1: rules.[0].keyword: \"PLEASE STOP\" reads as a request to stop (PLEASE STOP); "
	  "consent keywords always come before rules" },
	/* the operator's keywords, whether the policy section comes after the rules or before */
	{ "rules = (\n  { keyword = \"CONFIRM\"; event = true; },\n"
	  "  { keyword = \"Hilfe\"; reply = \"x\"; }\n);\n"
	  "policy = { keywords = ( { language = \"de\"; help = [\"HILFE\"]; } ); };\n",
	  "t.conf:3: rules.[1].keyword: \"HILFE\" is the help keyword HILFE; consent keywords "
	  "always come before rules" },
	{ "policy = { keywords = ( { language = \"de\"; opt_out = [\"STOPP\"]; } ); };\n"
	  "rules = ( { keyword = \"stopp bitte\"; match = \"first_word\"; event = true; } );\n",
	  "t.conf:2: rules.[0].keyword: \"STOPP BITTE\" starts with the opt-out keyword STOPP; "
	  "consent keywords always come before rules" },

	/* what libconfig itself refuses */
	{ "store = \"/x\"\nlog_level = ;\n", "t.conf:2: syntax error" },
	{ "store = \"/x\";\nstore = \"/y\";\n", "t.conf:2: duplicate setting name" },
	{ "queue = {\n  retries = 1;\n", "t.conf:3: syntax error" },
};

static void errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]); i++) {
		struct conf c, before;
		char err[512] = "";

		conf_defaults(&c);
		c.retries = 42;
		before = c;
		if (load(bad_configs[i].text, &c, err, sizeof(err)) != -EINVAL ||
		    strcmp(err, bad_configs[i].err) != 0)
			fail_msg("case %zu:\n%s\nwant: %s\ngot:  %s", i, bad_configs[i].text,
				 bad_configs[i].err, err);
		/* a failed load leaves the running configuration alone */
		assert_memory_equal(&c, &before, sizeof(c));
	}
}

static void policy_values(void **state)
{
	static const char text[] =
		"modems = ( { device = \"/dev/ttyUSB2\"; line = \"+447700900001\";"
		" group = \"support\"; } );\n"
		"policy = {\n"
		"  default_country = \"GB\"; optout_scope = \"group\"; revoke_all = true;\n"
		"  stop_category = \"marketing\"; strict = true; confirm_period = 3600;\n"
		"  optout_reply = \"Bye\"; optin_reply = \"Hi\"; help_reply = \"Call 0800\";\n"
		"  retention_days = 3650;\n"
		"  quiet_hours = { start = \"09:30\"; end = \"20:00\";"
		" categories = [\"marketing\", \"transactional\"]; };\n"
		"  caps = ( { category = \"marketing\"; max = 3; per = 86400; } );\n"
		"  keywords = ( { language = \"de\"; opt_out = [\"STOPP\", \"ABMELDEN\"];"
		" opt_in = [\"ANMELDEN\"]; help = [\"HILFE\"]; } );\n"
		"};\n";
	struct conf c;
	char err[256] = "";

	(void)state;
	conf_defaults(&c);
	assert_int_equal(c.policy.optout_scope, CONF_SCOPE_ALL);
	assert_int_equal(c.policy.quiet_start, 8 * 60);
	assert_int_equal(c.policy.quiet_end, 21 * 60);
	assert_int_equal(c.policy.quiet_categories, CONF_CAT_MARKETING);
	assert_int_equal(c.policy.retention_days, 1825);
	assert_true(strstr(c.policy.optout_reply, "START") != NULL);
	if (conf_load_string(text, "t.conf", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(c.modems[0].group, "support");
	assert_string_equal(c.policy.default_country, "GB");
	assert_int_equal(c.policy.optout_scope, CONF_SCOPE_GROUP);
	assert_true(c.policy.revoke_all && c.policy.stop_marketing_only && c.policy.strict);
	assert_int_equal(c.policy.confirm_period, 3600);
	assert_string_equal(c.policy.optout_reply, "Bye");
	assert_string_equal(c.policy.help_reply, "Call 0800");
	assert_int_equal(c.policy.quiet_start, 9 * 60 + 30);
	assert_int_equal(c.policy.quiet_end, 20 * 60);
	assert_int_equal(c.policy.quiet_categories, CONF_CAT_MARKETING | CONF_CAT_TRANSACTIONAL);
	assert_int_equal(c.policy.ncaps, 1);
	assert_int_equal(c.policy.caps[0].max, 3);
	assert_int_equal(c.policy.nkeywords, 4);
	assert_string_equal(c.policy.keywords[1].word, "ABMELDEN");
	assert_string_equal(c.policy.keywords[1].language, "de");
	assert_int_equal(c.policy.keywords[3].kind, KEYWORD_HELP);
}

static void mqtt_values(void **state)
{
	struct conf c;
	char err[256] = "";

	(void)state;
	if (conf_load_string("mqtt = { host = \"broker.lan\"; gateway_id = \"shop-1\";"
			     " tls = { ca_file = \"/etc/ca.pem\"; }; };\n"
			     "templates = { order = \"Hi {name}, order {order} shipped\"; };\n",
			     "t.conf", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(c.mqtt.host, "broker.lan");
	assert_int_equal(c.mqtt.port, 8883);              /* TLS: the TLS port */
	assert_string_equal(c.mqtt.base_topic, "parley/shop-1");
	assert_string_equal(c.mqtt.client_id, "parleyd-shop-1");
	assert_string_equal(c.mqtt.shared_group, "parley");
	assert_int_equal(c.mqtt.protocol, CONF_MQTT_AUTO);
	assert_int_equal(c.mqtt.max_segments, 10);
	assert_true(c.mqtt.replicate_consent);
	assert_int_equal(c.templates.n, 1);
	assert_string_equal(c.templates.list[0].name, "order");
	conf_defaults(&c);
	assert_string_equal(c.mqtt.host, "");             /* no section: no bridge */
}

static void rules_values(void **state)
{
	static const char text[] =
		"rules = (\n"
		"  { keyword = \"Confirm\"; reply = \"Thanks, your appointment is confirmed.\";\n"
		"    event = true; name = \"confirm\"; },\n"
		"  { keyword = \"Opening hours?\"; reply = \"9 to 5\"; },\n"
		"  { keyword = \"book\"; match = \"first_word\"; event = true; },\n"
		"  { keyword = \"R\xc3\xa9server\"; match = \"whole\"; reply = \"Merci \xe2\x9c\x93\"; },\n"
		"  { keyword = \"\xd0\xb4\xd0\xb0\"; event = true; },\n"   /* да */
		"  { keyword = \"  Table -- for two! \"; event = true; }\n"
		");\n"
		"policy = { keywords = ( { language = \"de\"; opt_out = [\"STOPP\"]; } ); };\n";
	struct conf c;
	char err[256] = "";

	(void)state;
	if (conf_load_string(text, "t.conf", &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.nrules, 6);
	assert_string_equal(c.rules[0].keyword, "CONFIRM");
	assert_false(c.rules[0].first_word);
	assert_string_equal(c.rules[0].reply, "Thanks, your appointment is confirmed.");
	assert_true(c.rules[0].event);
	assert_string_equal(c.rules[0].name, "confirm");
	/* stored normalised; a name made from the keyword; no event unless asked */
	assert_string_equal(c.rules[1].keyword, "OPENING HOURS");
	assert_string_equal(c.rules[1].name, "opening_hours");
	assert_false(c.rules[1].event);
	assert_true(c.rules[2].first_word);
	assert_string_equal(c.rules[2].reply, "");
	assert_string_equal(c.rules[2].name, "book");
	assert_string_equal(c.rules[3].keyword, "RESERVER");
	assert_string_equal(c.rules[3].reply, "Merci \xe2\x9c\x93");
	assert_false(c.rules[3].first_word);
	assert_string_equal(c.rules[4].keyword, "\xd0\x94\xd0\x90");  /* ДА */
	assert_string_equal(c.rules[4].name, "rule4");           /* no ASCII to name it by */
	assert_string_equal(c.rules[5].keyword, "TABLE FOR TWO");
	assert_string_equal(c.rules[5].name, "table_for_two");

	/* what the daemon will ask */
	assert_ptr_equal(keyword_rules_match(c.rules, c.nrules, "Book a table for 4"), &c.rules[2]);
	assert_ptr_equal(keyword_rules_match(c.rules, c.nrules, "opening-hours"), &c.rules[1]);
	assert_ptr_equal(keyword_rules_match(c.rules, c.nrules, "reserver!"), &c.rules[3]);
	assert_null(keyword_rules_match(c.rules, c.nrules, "hello"));

	/* a reload without the section drops the rules */
	assert_int_equal(conf_load_string("store = \"/x\";\n", "t.conf", &c, err, sizeof(err)), 0);
	assert_int_equal(c.nrules, 0);
	assert_int_equal(conf_load_string("rules = ();\n", "t.conf", &c, err, sizeof(err)), 0);
	assert_int_equal(c.nrules, 0);
}

static void rules_limits(void **state)
{
	char text[8192], reply[600], err[512];
	size_t n = 0;
	struct conf c;

	(void)state;
	/* a reply of 480 bytes, in three-byte characters too; 481 is one too many */
	memset(reply, 'r', 480);
	reply[480] = '\0';
	snprintf(text, sizeof(text), "rules = ( { keyword = \"A\"; reply = \"%s\"; } );\n", reply);
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	assert_int_equal(strlen(c.rules[0].reply), 480);
	for (size_t i = 0; i < 160; i++)
		memcpy(reply + 3 * i, "\xe2\x82\xac", 3); /* € */
	reply[480] = '\0';
	snprintf(text, sizeof(text), "rules = ( { keyword = \"A\"; reply = \"%s\"; } );\n", reply);
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	assert_string_equal(c.rules[0].reply, reply);
	reply[480] = 'r';
	reply[481] = '\0';
	snprintf(text, sizeof(text), "rules = (\n  { keyword = \"A\";\n    reply = \"%s\"; }\n);\n",
		 reply);
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf:3: rules.[0].reply: longer than 480 bytes");

	/* a keyword of 63 letters, and one that normalises to 63 from many more bytes */
	snprintf(text, sizeof(text), "rules = ( { keyword = \"%.63s\"; event = true; } );\n", A64);
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	assert_int_equal(strlen(c.rules[0].keyword), 63);
	assert_int_equal(strlen(c.rules[0].name), 31);           /* the name cut to fit */
	n = (size_t)snprintf(text, sizeof(text), "rules = ( { keyword = \"");
	for (int i = 0; i < 63; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\xc3\xa0"); /* à */
	snprintf(text + n, sizeof(text) - n, "\"; event = true; } );\n");
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	assert_int_equal(strlen(c.rules[0].keyword), 63);
	/* past 255 raw bytes a keyword is refused before it is read */
	n = (size_t)snprintf(text, sizeof(text), "rules = ( { keyword = \"");
	for (int i = 0; i < 128; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\xc3\xa0");
	snprintf(text + n, sizeof(text) - n, "\"; event = true; } );\n");
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf:1: rules.[0].keyword: longer than 255 bytes");

	/* 32 rules, then 33 */
	n = (size_t)snprintf(text, sizeof(text), "rules = (\n");
	for (int i = 0; i < CONF_RULES_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "  { keyword = \"K%d\"; event = true; },\n",
				      i);
	snprintf(text + n, sizeof(text) - n, "  { keyword = \"LAST\"; event = true; }\n);\n");
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf:34: rules.[32]: more than 32 rules");
	snprintf(text + n - 2, sizeof(text) - (n - 2), "\n);\n");
	if (load(text, &c, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.nrules, CONF_RULES_MAX);
	assert_string_equal(c.rules[31].keyword, "K31");
	assert_string_equal(c.rules[31].name, "k31");
}

static void too_long(void **state)
{
	char text[1024], want[256], err[512];
	char path[300];
	struct conf c;

	(void)state;
	/* CONF_PATH_MAX holds 255 characters and the NUL */
	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[255] = '\0';
	snprintf(text, sizeof(text), "store = \"%s\";\n", path);
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	assert_int_equal(strlen(c.store), 255);
	path[255] = 'a';
	path[256] = '\0';
	snprintf(text, sizeof(text), "store = \"%s\";\n", path);
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf:1: store: longer than 255 characters");

	snprintf(text, sizeof(text), "metrics = {\n  file = \"%s\";\n};\n", path);
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf:2: metrics.file: longer than 255 characters");

	snprintf(text, sizeof(text), "modems = ({ device = \"%s\"; line = \"+447700900001\"; });\n",
		 path);
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf:1: modems.[0].device: longer than 255 characters");

	/* a unix socket's path must fit sun_path: 107 characters and the NUL */
	path[107] = '\0';
	snprintf(text, sizeof(text), "control_socket = \"%s\";\n", path);
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	path[107] = 'a';
	path[108] = '\0';
	snprintf(text, sizeof(text), "control_socket = \"%s\";\n", path);
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "t.conf:1: control_socket: longer than 107 characters");
	assert_string_equal(err, want);
}

static void too_many_modems(void **state)
{
	char text[4096], err[256];
	size_t n = 0;
	struct conf c;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "modems = (\n");
	for (int i = 0; i <= CONF_MODEMS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "  { device = \"/dev/ttyUSB%d\"; line = \"+4477009000%02d\"; }%s\n",
				      i, i, i < CONF_MODEMS_MAX ? "," : "");
	snprintf(text + n, sizeof(text) - n, ");\n");
	assert_int_equal(load(text, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "t.conf:18: modems.[16]: more than 16 modems");
}

static void sixteen_modems(void **state)
{
	char text[4096], err[256];
	size_t n = 0;
	struct conf c;

	(void)state;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "modems = (\n");
	for (int i = 0; i < CONF_MODEMS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "  { device = \"/dev/ttyUSB%d\"; line = \"+4477009000%02d\"; }%s\n",
				      i, i, i < CONF_MODEMS_MAX - 1 ? "," : "");
	snprintf(text + n, sizeof(text) - n, ");\n");
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nmodems, CONF_MODEMS_MAX);
	assert_string_equal(c.modems[15].name, "modem15");
	assert_string_equal(c.modems[15].line, "+447700900015");
}

/* Writes text to a new file under dir and returns its path in buf. */
static void write_file(const char *dir, const char *name, const char *text, char *buf, size_t size)
{
	FILE *f;

	snprintf(buf, size, "%s/%s", dir, name);
	f = fopen(buf, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void files(void **state)
{
	char dir[] = "/tmp/parley-conf-XXXXXX";
	char path[256], inc[256], want[512], err[512];
	struct conf c;

	(void)state;
	assert_non_null(mkdtemp(dir));

	write_file(dir, "parley.conf", full_text, path, sizeof(path));
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nmodems, 2);

	/* errors name the file as given */
	write_file(dir, "bad.conf", "store = \"/x\";\nqueue = { retries = 1000; };\n", path,
		   sizeof(path));
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: queue.retries: must be 0 to 100, got 1000", path);
	assert_string_equal(err, want);

	write_file(dir, "syntax.conf", "store = \"/x\";\n\nqueue = { retries = = 1; };\n", path,
		   sizeof(path));
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:3: syntax error", path);
	assert_string_equal(err, want);

	/* @include is relative to the including file, and errors name the included one */
	write_file(dir, "modems.inc", "modems = (\n  { device = \"/dev/ttyUSB2\"; bad = 1; }\n);\n",
		   inc, sizeof(inc));
	write_file(dir, "main.conf", "store = \"/x\";\n@include \"modems.inc\"\n", path, sizeof(path));
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: modems.[0].bad: unknown setting", inc);
	assert_string_equal(err, want);
	write_file(dir, "modems.inc", "modems = (\n  { device = = 1; }\n);\n", inc, sizeof(inc));
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: syntax error", inc);
	assert_string_equal(err, want);
	write_file(dir, "modems.inc", "modems = (\n  { device = \"/dev/ttyUSB2\"; line = \"+447700900001\"; }\n);\n",
		   inc, sizeof(inc));
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nmodems, 1);

	/* a file that is not there */
	snprintf(path, sizeof(path), "%s/absent.conf", dir);
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);
	assert_int_equal(conf_load("/nonexistent-parley/parley.conf", &c, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "/nonexistent-parley/parley.conf: No such file or directory");

	/* a directory */
	assert_int_equal(conf_load(dir, &c, err, sizeof(err)), -EISDIR);
	snprintf(want, sizeof(want), "%s: Is a directory", dir);
	assert_string_equal(err, want);

	/* no room for the error is no reason to crash */
	assert_int_equal(conf_load(path, &c, NULL, 0), -ENOENT);
	assert_int_equal(load("queue = 1;", &c, NULL, 0), -EINVAL);
	assert_int_equal(load("queue = ", &c, err, 8), -EINVAL);
	assert_string_equal(err, "t.conf:");

	unlink(inc);
	snprintf(path, sizeof(path), "%s/parley.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/syntax.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/main.conf", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * A file parleyd may not read. Root reads anything, so as root the check
 * runs in a child that has become nobody first.
 */
static void unreadable(void **state)
{
	char path[] = "/tmp/parley-conf-XXXXXX";
	char want[256];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "store = \"/x\";\n", 14), 14);
	close(fd);
	assert_int_equal(chmod(path, 0), 0);
	snprintf(want, sizeof(want), "%s: Permission denied", path);

	if (geteuid() == 0) {
		pid_t pid = fork();
		int status;

		assert_true(pid >= 0);
		if (pid == 0) {
			struct conf c;
			char err[256] = "";

			if (setgid(NOBODY_ID) || setuid(NOBODY_ID))
				_exit(2);
			_exit(conf_load(path, &c, err, sizeof(err)) == -EACCES &&
			      strcmp(err, want) == 0 ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	} else {
		struct conf c;
		char err[256];

		assert_int_equal(conf_load(path, &c, err, sizeof(err)), -EACCES);
		assert_string_equal(err, want);
	}
	unlink(path);
}

/* Every ready configuration under boards/ loads as it is. */
static void boards(void **state)
{
	const char *dir = getenv("PARLEY_BOARDS") ? getenv("PARLEY_BOARDS") : "boards";
	char pattern[256];
	glob_t g;

	(void)state;
	snprintf(pattern, sizeof(pattern), "%s/*.conf", dir);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 4);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct conf c;
		char err[512] = "";

		if (conf_load(g.gl_pathv[i], &c, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		if (c.nmodems < 1)
			fail_msg("%s: no modems", g.gl_pathv[i]);
	}
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_config),
		cmocka_unit_test(defaults),
		cmocka_unit_test(values_at_the_limits),
		cmocka_unit_test(errors),
		cmocka_unit_test(policy_values),
		cmocka_unit_test(mqtt_values),
		cmocka_unit_test(rules_values),
		cmocka_unit_test(rules_limits),
		cmocka_unit_test(too_long),
		cmocka_unit_test(too_many_modems),
		cmocka_unit_test(sixteen_modems),
		cmocka_unit_test(files),
		cmocka_unit_test(unreadable),
		cmocka_unit_test(boards),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
