/*
 * mqttc: a small MQTT console for parley's tests and demo (publish,
 * subscribe, v5 request/response), because Debian's mosquitto-clients is
 * not among our dependencies. This file reads the command line, checks it
 * whole before any connection is tried, and hands over to a subcommand.
 * See docs/mqttc.md.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mosquitto.h>

#include "mqttc.h"

#define CORRELATION_MAX 1024

static const char usage_text[] =
	"usage: mqttc [OPTIONS] sub -t TOPIC [-t TOPIC...] [-C COUNT] [-v] [--props]\n"
	"                           [--retained] [--ready FILE]\n"
	"       mqttc [OPTIONS] pub -t TOPIC (-m MESSAGE | -n) [-r] [--response-topic TOPIC]\n"
	"                           [--correlation DATA | --correlation-hex HEX]\n"
	"       mqttc [OPTIONS] request -t TOPIC -m MESSAGE [--reply-topic TOPIC] [-v] [--props]\n"
	"\n"
	"A small MQTT console. sub prints each message's payload on a line (-v: the\n"
	"topic first; --props: v5 correlation data in hex and response topic after);\n"
	"pub publishes once and waits for the acknowledgement; request publishes with\n"
	"a response topic and prints the matching reply.\n"
	"\n"
	"  -h HOST            broker (default 127.0.0.1)\n"
	"  -p PORT            broker port (required)\n"
	"  -V 5|311           protocol version (default 5)\n"
	"  -i ID              client id (default: made up)\n"
	"  -u USER -P PASS    credentials\n"
	"  --cafile FILE      TLS, trusting this CA; --cert FILE --key FILE: client certificate\n"
	"  -q 0|1|2           QoS of subscriptions, messages and will (default 1)\n"
	"  -W SECONDS         give up after this long, 0 never (default 10)\n"
	"  --session SECONDS  keep the session (with -i ID) this long after a disconnect:\n"
	"                     the broker queues QoS 1/2 messages for us meanwhile\n"
	"  --will-topic TOPIC --will-message TEXT [--will-retain]\n"
	"                     a will the broker publishes if we vanish\n"
	"  sub: -C COUNT      done after COUNT messages\n"
	"       --retained    print only retained messages; done after 500 ms without one\n"
	"       --ready FILE  create FILE once subscribed\n"
	"  pub: -r retained; -n empty payload (with -r: deletes the retained message)\n"
	"  request: --reply-topic TOPIC (required with -V 311)\n"
	"  --help\n"
	"\n"
	"Exit status: 0 done, 1 timed out, 2 bad arguments, 3 cannot connect or refused.\n";

enum {
	OPT_HELP = 256, OPT_CAFILE, OPT_CERT, OPT_KEY, OPT_PROPS, OPT_RETAINED, OPT_READY,
	OPT_RESPONSE_TOPIC, OPT_CORRELATION, OPT_CORRELATION_HEX, OPT_REPLY_TOPIC, OPT_WILL_TOPIC,
	OPT_WILL_MESSAGE, OPT_WILL_RETAIN, OPT_SESSION,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "cafile", required_argument, NULL, OPT_CAFILE },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "props", no_argument, NULL, OPT_PROPS },
	{ "retained", no_argument, NULL, OPT_RETAINED },
	{ "ready", required_argument, NULL, OPT_READY },
	{ "response-topic", required_argument, NULL, OPT_RESPONSE_TOPIC },
	{ "correlation", required_argument, NULL, OPT_CORRELATION },
	{ "correlation-hex", required_argument, NULL, OPT_CORRELATION_HEX },
	{ "reply-topic", required_argument, NULL, OPT_REPLY_TOPIC },
	{ "will-topic", required_argument, NULL, OPT_WILL_TOPIC },
	{ "will-message", required_argument, NULL, OPT_WILL_MESSAGE },
	{ "will-retain", no_argument, NULL, OPT_WILL_RETAIN },
	{ "session", required_argument, NULL, OPT_SESSION },
	{ NULL, 0, NULL, 0 },
};

#define FOR_SUB (1u << MQTTC_CMD_SUB)
#define FOR_PUB (1u << MQTTC_CMD_PUB)
#define FOR_REQUEST (1u << MQTTC_CMD_REQUEST)

/* Options that belong to some subcommands only: given to another, they are
 * a mistake worth a usage error rather than silence. */
static const struct {
	int opt;
	const char *name;
	unsigned cmds;
} scoped[] = {
	{ 'C', "-C", FOR_SUB },
	{ 'v', "-v", FOR_SUB | FOR_REQUEST },
	{ OPT_PROPS, "--props", FOR_SUB | FOR_REQUEST },
	{ OPT_RETAINED, "--retained", FOR_SUB },
	{ OPT_READY, "--ready", FOR_SUB },
	{ 'm', "-m", FOR_PUB | FOR_REQUEST },
	{ 'r', "-r", FOR_PUB },
	{ 'n', "-n", FOR_PUB },
	{ OPT_RESPONSE_TOPIC, "--response-topic", FOR_PUB },
	{ OPT_CORRELATION, "--correlation", FOR_PUB },
	{ OPT_CORRELATION_HEX, "--correlation-hex", FOR_PUB },
	{ OPT_REPLY_TOPIC, "--reply-topic", FOR_REQUEST },
};
#define SCOPED_N (sizeof(scoped) / sizeof(scoped[0]))

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mqttc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (mqttc --help)\n", stderr);
	return -EINVAL;
}

static int number_arg(const char *name, const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < min || *out > max) {
		fprintf(stderr, "mqttc: %s wants a number from %ld to %ld (mqttc --help)\n", name,
			min, max);
		return -EINVAL;
	}
	return 0;
}

static int hex_nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int correlation_hex(const char *hex, struct mqttc_opts *o)
{
	static unsigned char buf[CORRELATION_MAX];
	size_t n = strlen(hex);

	if (n == 0 || n % 2 || n / 2 > sizeof(buf))
		return usage_error("--correlation-hex wants 1 to 1024 bytes in hex, not '%s'", hex);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_nibble(hex[2 * i]), lo = hex_nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return usage_error("--correlation-hex wants hex digits, not '%s'", hex);
		buf[i] = (unsigned char)(hi << 4 | lo);
	}
	o->correlation = buf;
	o->correlation_len = (int)(n / 2);
	return 0;
}

static int option_string(int opt, const char *arg, struct mqttc_opts *o)
{
	switch (opt) {
	case 'h': o->host = arg; break;
	case 'i': o->id = arg; break;
	case 'u': o->user = arg; break;
	case 'P': o->password = arg; break;
	case 'm': o->message = arg; break;
	case OPT_CAFILE: o->cafile = arg; break;
	case OPT_CERT: o->cert = arg; break;
	case OPT_KEY: o->key = arg; break;
	case OPT_READY: o->ready = arg; break;
	case OPT_RESPONSE_TOPIC: o->response_topic = arg; break;
	case OPT_REPLY_TOPIC: o->reply_topic = arg; break;
	case OPT_WILL_TOPIC: o->will_topic = arg; break;
	case OPT_WILL_MESSAGE: o->will_message = arg; break;
	case OPT_CORRELATION:
		if (strlen(arg) > CORRELATION_MAX)
			return usage_error("--correlation wants at most 1024 bytes");
		/* the bytes as given; --correlation-hex for binary data */
		o->correlation = (const unsigned char *)arg;
		o->correlation_len = (int)strlen(arg);
		break;
	case OPT_CORRELATION_HEX:
		return correlation_hex(arg, o);
	case 't':
		if (o->ntopics == MQTTC_TOPICS_MAX)
			return usage_error("at most 16 topics");
		o->topics[o->ntopics++] = arg;
		break;
	default:
		return usage_error("unknown option");
	}
	return 0;
}

static int option_number(int opt, const char *arg, struct mqttc_opts *o)
{
	long v;

	switch (opt) {
	case 'p':
		if (number_arg("-p", arg, 1, 65535, &v))
			return -EINVAL;
		o->port = (int)v;
		return 0;
	case 'q':
		if (number_arg("-q", arg, 0, 2, &v))
			return -EINVAL;
		o->qos = (int)v;
		return 0;
	case 'W':
		if (number_arg("-W", arg, 0, 86400, &v))
			return -EINVAL;
		o->timeout_s = (unsigned)v;
		return 0;
	case OPT_SESSION:
		if (number_arg("--session", arg, 1, 86400 * 7, &v))
			return -EINVAL;
		o->session_s = (unsigned)v;
		return 0;
	case 'C':
		if (number_arg("-C", arg, 1, LONG_MAX, &v))
			return -EINVAL;
		o->count = v;
		return 0;
	default: /* 'V' */
		if (!strcmp(arg, "5"))
			o->protocol = MQTT_PROTOCOL_V5;
		else if (!strcmp(arg, "311"))
			o->protocol = MQTT_PROTOCOL_V311;
		else
			return usage_error("-V wants 5 or 311, not '%s'", arg);
		return 0;
	}
}

static const char *const command_names[] = {
	[MQTTC_CMD_SUB] = "sub",
	[MQTTC_CMD_PUB] = "pub",
	[MQTTC_CMD_REQUEST] = "request",
};

static int command_find(const char *name, struct mqttc_opts *o)
{
	for (unsigned i = 0; i < sizeof(command_names) / sizeof(command_names[0]); i++)
		if (!strcmp(name, command_names[i])) {
			o->cmd = (enum mqttc_cmd)i;
			return 0;
		}
	return usage_error("no subcommand '%s': sub, pub or request", name);
}

/* What no single option can check: combinations, and what each subcommand needs. */
static int options_check(const struct mqttc_opts *o, const bool *given)
{
	for (size_t i = 0; i < SCOPED_N; i++)
		if (given[i] && !(scoped[i].cmds & (1u << o->cmd)))
			return usage_error("%s does not apply to %s", scoped[i].name,
					   command_names[o->cmd]);
	if (!o->port)
		return usage_error("-p PORT is required");
	if (o->password && !o->user)
		return usage_error("-P needs -u");
	if ((o->cert || o->key) && !(o->cert && o->key && o->cafile))
		return usage_error("--cert and --key go together, with --cafile");
	if (!o->will_topic != !o->will_message)
		return usage_error("--will-topic and --will-message go together");
	if (o->will_retain && !o->will_topic)
		return usage_error("--will-retain needs --will-topic");
	if (o->session_s && !o->id)
		return usage_error("--session needs -i ID: the broker finds a session by its client id");
	if (o->ntopics == 0)
		return usage_error("-t TOPIC is required");
	if (o->cmd != MQTTC_CMD_SUB && o->ntopics > 1)
		return usage_error("one -t only, except with sub");
	if (o->cmd == MQTTC_CMD_PUB && !o->message == !o->null_message)
		return usage_error("pub wants one of -m MESSAGE and -n");
	if (o->cmd == MQTTC_CMD_REQUEST && !o->message)
		return usage_error("request wants -m MESSAGE");
	if (o->protocol == MQTT_PROTOCOL_V311) {
		if (o->response_topic || o->correlation)
			return usage_error("MQTT 3.1.1 has no properties: drop -V 311 or %s",
					   o->response_topic ? "--response-topic" : "--correlation");
		if (o->cmd == MQTTC_CMD_REQUEST && !o->reply_topic)
			return usage_error("request with -V 311 needs --reply-topic");
	}
	return 0;
}

static void scoped_note(int opt, bool *given)
{
	for (size_t i = 0; i < SCOPED_N; i++)
		if (scoped[i].opt == opt)
			given[i] = true;
}

/* Returns 0 to run, 1 to exit 0 (--help), -EINVAL to exit 2. Options may
 * come before or after the subcommand (getopt moves it to the end). */
static int options_parse(int argc, char **argv, struct mqttc_opts *o)
{
	bool given[SCOPED_N] = { false };
	int opt;

	/* -h is the host, as with mosquitto's own clients; alone it can only mean help */
	if (argc == 2 && !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return 1;
	}
	while ((opt = getopt_long(argc, argv, "h:p:V:i:u:P:q:W:t:C:vm:rn", long_opts, NULL)) != -1) {
		scoped_note(opt, given);
		switch (opt) {
		case OPT_HELP:
			fputs(usage_text, stdout);
			return 1;
		case 'v': o->verbose = true; break;
		case 'r': o->retain = true; break;
		case 'n': o->null_message = true; break;
		case OPT_PROPS: o->props = true; break;
		case OPT_RETAINED: o->retained = true; break;
		case OPT_WILL_RETAIN: o->will_retain = true; break;
		case 'p': case 'q': case 'W': case 'C': case 'V': case OPT_SESSION:
			if (option_number(opt, optarg, o))
				return -EINVAL;
			break;
		case '?':
			fputs(usage_text, stderr);
			return -EINVAL;
		default:
			if (option_string(opt, optarg, o))
				return -EINVAL;
			break;
		}
	}
	if (optind >= argc)
		return usage_error("which subcommand? sub, pub or request");
	if (optind + 1 < argc)
		return usage_error("unexpected argument '%s'", argv[optind + 1]);
	if (command_find(argv[optind], o))
		return -EINVAL;
	return options_check(o, given);
}

int main(int argc, char **argv)
{
	struct mqttc_opts o = {
		.host = "127.0.0.1",
		.protocol = MQTT_PROTOCOL_V5,
		.qos = 1,
		.timeout_s = 10,
	};
	int rc = options_parse(argc, argv, &o);

	if (rc)
		return rc > 0 ? MQTTC_EXIT_OK : MQTTC_EXIT_USAGE;
	switch (o.cmd) {
	case MQTTC_CMD_SUB: return sub_run(&o);
	case MQTTC_CMD_PUB: return pub_run(&o);
	case MQTTC_CMD_REQUEST: return request_run(&o);
	}
	return MQTTC_EXIT_USAGE;
}
