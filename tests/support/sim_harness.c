/*
 * Test support: runs tools/modemsim as a child process on a pseudo-terminal
 * and drives the real modem driver against it through a real serial port
 * and a poll loop, as the daemon will. Used by tests/test_modem_sim.c and
 * bench/bench_modem.c. Every simulator started is stopped by sim_stop or
 * sim_stop_all. Failures print a sentence on stderr and return -1/false/NULL.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parley/hex.h"
#include "parley/sms_submit.h"
#include "sim_harness.h"

int harness_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}


/* Simulators still running, so that a failed test still stops its own. */
static struct sim *running[4];

uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A line from the simulator's stdout, waiting up to ms. */
static bool read_line(int fd, char *buf, size_t size, int ms)
{
	size_t n = 0;
	uint64_t end = now_ms() + (uint64_t)ms;

	while (n + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left = (int)(end - now_ms());
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return false;
		if (read(fd, buf + n, 1) != 1)
			return false;
		if (buf[n] == '\n') {
			buf[n] = '\0';
			return true;
		}
		n++;
	}
	return false;
}

int sim_start(struct sim *s, const char *profile, const char *extra1, const char *extra2)
{
	const char *bin = getenv("MODEMSIM");
	int pipefd[2];

	if (!bin || !*bin)
		bin = "build/modemsim";
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/parley-sim-XXXXXX");
	if (!mkdtemp(s->dir))
		return harness_fail("mkdtemp: %s", strerror(errno));
	snprintf(s->control, sizeof(s->control), "%s/control", s->dir);
	snprintf(s->link, sizeof(s->link), "%s/tty", s->dir);
	snprintf(s->log, sizeof(s->log), "%s/log", s->dir);
	if (pipe(pipefd) < 0)
		return harness_fail("pipe: %s", strerror(errno));
	s->pid = fork();
	if (s->pid < 0)
		return harness_fail("fork: %s", strerror(errno));
	if (s->pid == 0) {
		char *argv[16] = { strdup(bin), "--profile", strdup(profile), "--control",
				   s->control, "--link", s->link, "--log", s->log, "--imei",
				   "860000000000042", "--reboot-ms", "300" };
		int argc = 13;
		if (extra1)
			argv[argc++] = strdup(extra1);
		if (extra2)
			argv[argc++] = strdup(extra2);
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		execv(bin, argv);
		_exit(127);
	}
	close(pipefd[1]);
	s->out = pipefd[0];
	for (size_t i = 0; i < 4; i++)
		if (!running[i]) {
			running[i] = s;
			break;
		}
	if (!read_line(s->out, s->pty, sizeof(s->pty), 5000))
		return harness_fail("%s did not print its pty", bin);
	return 0;
}

void sim_stop(struct sim *s)
{
	int status;
	char cmd[256];

	for (size_t i = 0; i < 4; i++)
		if (running[i] == s)
			running[i] = NULL;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &status, 0);
	close(s->out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", s->dir);
}

cJSON *sim_ctl(struct sim *s, const char *json)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char reply[65536];
	size_t n = 0;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return NULL;
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", s->control);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    write(fd, json, strlen(json)) != (ssize_t)strlen(json) || write(fd, "\n", 1) != 1) {
		close(fd);
		harness_fail("control %s: %s", json, strerror(errno));
		return NULL;
	}
	while (n + 1 < sizeof(reply)) {
		ssize_t k = read(fd, reply + n, sizeof(reply) - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		if (reply[n - 1] == '\n')
			break;
	}
	reply[n] = '\0';
	close(fd);
	cJSON *r = cJSON_Parse(reply);
	if (!r || !cJSON_IsTrue(cJSON_GetObjectItem(r, "ok"))) {
		harness_fail("control %s answered %s", json, reply);
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

int sim_do(struct sim *s, const char *json)
{
	cJSON *r = sim_ctl(s, json);
	cJSON_Delete(r);
	return r ? 0 : -1;
}

void sim_stop_all(void)
{
	for (size_t i = 0; i < 4; i++)
		if (running[i])
			sim_stop(running[i]);
}

/* ---- the driver side: a port, a modem and a poll loop ---- */


static void ev_state(void *ctx, enum modem_state from, enum modem_state to, const char *why)
{
	struct link *l = ctx;
	(void)from, (void)to;
	snprintf(l->last_state_why, sizeof(l->last_state_why), "%s", why);
}

static int ev_inbound(void *ctx, const struct modem_inbound *in)
{
	struct link *l = ctx;
	if (l->inbound_commit != 0)
		return l->inbound_commit;
	if (in->status_report && in->sms) {
		l->reports++;
		l->report_mr = in->sms->mr;
	} else if (in->sms) {
		l->inbound++;
		snprintf(l->last_text, sizeof(l->last_text), "%s", in->sms->text);
	}
	return 0;
}

static void ev_sent(void *ctx, uint64_t token, const struct modem_send_result *r)
{
	struct link *l = ctx;
	(void)token;
	if (r->mr >= 0) {
		l->sent_ok++;
		l->last_mr = r->mr;
	} else {
		l->sent_fail++;
		l->last_class = r->error_class;
		l->last_maybe_sent = r->maybe_sent;
	}
}

static void ev_call(void *ctx, const char *number)
{
	struct link *l = ctx;
	l->calls++;
	snprintf(l->last_call, sizeof(l->last_call), "%s", number);
}

static void ev_trace(void *ctx, char dir, const char *data, size_t len)
{
	struct link *l = ctx;
	if (getenv("PARLEY_TRACE"))
		fprintf(stderr, "%c %.*s\n", dir, (int)len, data);
	if (dir == '>')
		l->bytes_out += (unsigned)len;
	else
		l->bytes_in += (unsigned)len;
}

static const struct modem_events events = {
	.state = ev_state, .inbound = ev_inbound, .sent = ev_sent, .call = ev_call,
	.trace = ev_trace,
};

int link_start(struct link *l, struct sim *s, const char *profile, const char *pin)
{
	struct modem_config cfg = {
		.profile = modem_profile_find(profile), .pin = pin, .hangup_calls = true,
		.expected_imei = "860000000000042", .sweep_interval_ms = 1500,
		.command_timeout_ms = 2000, .send_timeout_ms = 3000,
	};
	memset(l, 0, sizeof(*l));
	if (!cfg.profile)
		return harness_fail("no profile %s", profile);
	l->m = modem_new(&cfg, &events, l);
	if (!l->m)
		return harness_fail("modem_new failed");
	l->ml = modem_link_new(l->m, s->link, 115200);
	if (!l->ml)
		return harness_fail("modem_link_new failed");
	modem_link_tick(l->ml, now_ms());
	if (modem_link_fd(l->ml) < 0)
		return harness_fail("%s", modem_link_error(l->ml));
	return 0;
}

void link_stop(struct link *l)
{
	modem_link_free(l->ml);
	modem_free(l->m);
}

bool link_pump(struct link *l, bool (*done)(struct link *l, long arg), long arg, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	while (!done(l, arg)) {
		uint64_t now = now_ms(), deadline = modem_link_deadline(l->ml);
		struct pollfd p = { .fd = modem_link_fd(l->ml), .events = modem_link_events(l->ml) };
		int wait;

		if (now >= end)
			return false;
		wait = deadline <= now ? 0 : deadline - now > 50 ? 50 : (int)(deadline - now);
		if (poll(&p, p.fd >= 0 ? 1 : 0, wait) > 0)
			modem_link_handle(l->ml, p.revents, now_ms());
		modem_link_tick(l->ml, now_ms());
	}
	return true;
}

bool link_is_state(struct link *l, long s)
{
	return modem_state(l->m) == (enum modem_state)s;
}

bool link_got_inbound(struct link *l, long n)
{
	return l->inbound >= n;
}

bool link_got_sent(struct link *l, long n)
{
	return l->sent_ok + l->sent_fail >= n;
}

bool link_got_reports(struct link *l, long n)
{
	return l->reports >= n;
}

bool link_got_calls(struct link *l, long n)
{
	return l->calls >= n;
}

bool link_never(struct link *l, long arg)
{
	(void)l, (void)arg;
	return false;
}

bool link_wait_ready(struct link *l, int ms)
{
	if (!link_pump(l, link_is_state, MODEM_STATE_READY, ms)) {
		harness_fail("not ready: %s (%s)", modem_state_name(modem_state(l->m)),
			     modem_health(l->m)->last_error);
		return false;
	}
	link_pump(l, link_never, 0, 300);
	return true;
}

int link_send_text(struct link *l, const char *to, const char *text, bool report, uint16_t ref)
{
	static struct sms_pdu pdus[8];
	struct sms_submit_opts o = { .to = to, .status_report = report, .concat_ref = ref };
	char hex[2 * SMS_PDU_MAX + 1];
	int n = sms_submit_encode(text, strlen(text), &o, pdus, 8, NULL, NULL);

	if (n <= 0)
		return harness_fail("encode failed");
	for (int i = 0; i < n; i++) {
		hex_encode(pdus[i].data, pdus[i].len, hex);
		if (modem_send(l->m, hex, pdus[i].tpdu_len, i + 1 < n, (uint64_t)i, now_ms()) < 0)
			return harness_fail("modem_send refused");
	}
	return n;
}

