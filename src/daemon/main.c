/*
 * parleyd: the configuration read and checked, the store opened, one line
 * per modem, and one poll loop for the modems, the control socket, signals
 * (through a signalfd), timers and the systemd watchdog.
 */
#define _GNU_SOURCE /* signalfd */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bridge.h"
#include "daemon.h"
#include "parley/send_guard.h"
#include "parley/store_consent.h"
#include "log.h"
#include "notify.h"

#define POLL_MAX (CONF_MODEMS_MAX + 21)
#define HOUSEKEEPING_MS 10000

static const char usage[] =
	"usage: parleyd [-c FILE] [--check-config]\n"
	"  -c, --config FILE   configuration (default /etc/parley/parley.conf)\n"
	"      --check-config  read and check the configuration, then exit\n";

int64_t daemon_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Monotonic time for the modems' timers: wall-clock jumps must not fire them. */
uint64_t daemon_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_state(void *ctx, enum modem_state from, enum modem_state to, const char *why)
{
	struct line *l = ctx;
	(void)from;
	if (to == MODEM_STATE_SENDING || from == MODEM_STATE_SENDING)
		return; /* every message would log twice */
	log_info("%s: %s%s%s", l->conf->name, modem_state_name(to), *why ? ": " : "", why);
	if (to == MODEM_STATE_READY)
		l->d->wake = true;
}

static void on_trace(void *ctx, char dir, const char *data, size_t len)
{
	struct line *l = ctx;
	if (log_debug_enabled())
		log_debug("%s %c %.*s", l->conf->name, dir, (int)len, data);
}

static const struct modem_events events = {
	.state = on_state,
	.inbound = inbound_commit,
	.sent = outbound_sent,
	.call = inbound_call,
	.trace = on_trace,
};

static int lines_start(struct daemon *d)
{
	for (size_t i = 0; i < d->conf.nmodems; i++) {
		const struct conf_modem *cm = &d->conf.modems[i];
		struct line *l = &d->lines[d->nlines];
		struct modem_config mc = {
			.profile = modem_profile_find(cm->profile),
			.pin = cm->pin[0] ? cm->pin : NULL,
			.expected_imei = cm->imei[0] ? cm->imei : NULL,
			.expected_iccid = cm->iccid[0] ? cm->iccid : NULL,
			.hangup_calls = cm->hangup_calls,
			.send_timeout_ms = cm->send_timeout * 1000,
		};

		l->d = d;
		l->conf = cm;
		l->modem = modem_new(&mc, &events, l);
		l->link = l->modem ? modem_link_new(l->modem, cm->device, cm->baud) : NULL;
		if (!l->link) {
			log_error("out of memory starting %s", cm->name);
			return -ENOMEM;
		}
		d->nlines++;
		log_info("%s: line %s on %s (%s)", cm->name, cm->line, cm->device, cm->profile);
	}
	return 0;
}

static void lines_stop(struct daemon *d)
{
	for (unsigned i = 0; i < d->nlines; i++) {
		modem_link_free(d->lines[i].link);
		modem_free(d->lines[i].modem);
	}
	d->nlines = 0;
}

static int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void housekeeping(struct daemon *d, int64_t now)
{
	int n = store_expire(d->store, now);
	if (n > 0)
		log_info("%d queued message%s expired", n, n == 1 ? "" : "s");
	n = store_flush_parts(d->store, now, (int64_t)d->conf.reassembly_timeout * 1000, NULL, NULL);
	if (n > 0) {
		log_warning("%d message%s delivered incomplete: parts missing after %u s", n,
			    n == 1 ? "" : "s", d->conf.reassembly_timeout);
		d->consent_pending = true;
	}
	if (d->conf.retention_days && now >= d->next_purge) {
		store_purge_bodies(d->store, now - (int64_t)d->conf.retention_days * 86400000);
		d->next_purge = now + 3600 * 1000;
	}
	if (now >= d->next_consent_purge) {
		int gone = store_consent_purge(d->store,
					       (int64_t)d->conf.policy.retention_days * 86400000, now);
		if (gone > 0)
			log_info("%d consent record%s older than %u days deleted", gone,
				 gone == 1 ? "" : "s", d->conf.policy.retention_days);
		d->next_consent_purge = now + 86400 * 1000;
	}
	if (d->conf.metrics_file[0] && now >= d->next_metrics) {
		metrics_write(d);
		d->next_metrics = now + (int64_t)d->conf.metrics_interval * 1000;
	}
	d->next_housekeeping = now + HOUSEKEEPING_MS;
}

/*
 * Policy takes effect for the next message claimed: a new guard on the
 * store and the operator's keywords rebuilt. On failure nothing changes.
 */
static int apply_policy(struct daemon *d, const struct conf_policy *policy)
{
	struct conf_policy old = d->conf.policy;
	struct send_guard *guard;

	d->conf.policy = *policy;
	guard = send_guard_new(&d->conf);
	if (!guard || consent_flow_setup(d) < 0) {
		send_guard_free(guard);
		d->conf.policy = old;
		return -1;
	}
	send_guard_free(d->guard);
	d->guard = guard;
	store_set_gate(d->store, send_guard_gate, d->guard);
	d->consent_pending = true;
	return 0;
}

/*
 * SIGHUP: what can change live does (log level, queue settings, metrics,
 * each modem's rate and cap); modems added, removed or moved need a restart,
 * and a configuration that does not load changes nothing.
 */
static void reload(struct daemon *d)
{
	static struct conf next;
	char err[512];

	if (conf_load(d->config_path, &next, err, sizeof(err)) < 0) {
		log_error("SIGHUP: %s; keeping the running configuration", err);
		return;
	}
	bool same_modems = next.nmodems == d->conf.nmodems;
	for (size_t i = 0; same_modems && i < next.nmodems; i++)
		same_modems = !strcmp(next.modems[i].name, d->conf.modems[i].name) &&
			      !strcmp(next.modems[i].device, d->conf.modems[i].device) &&
			      !strcmp(next.modems[i].line, d->conf.modems[i].line);
	if (strcmp(next.store, d->conf.store) || strcmp(next.control_socket, d->conf.control_socket) ||
	    !same_modems)
		log_warning("SIGHUP: the store, the control socket or the modems changed: restart parleyd to apply that");
	for (size_t i = 0; same_modems && i < next.nmodems; i++) {
		d->conf.modems[i].rate_per_minute = next.modems[i].rate_per_minute;
		d->conf.modems[i].daily_cap = next.modems[i].daily_cap;
	}
	for (size_t i = 0; same_modems && i < next.nmodems; i++)
		memcpy(d->conf.modems[i].group, next.modems[i].group, sizeof(next.modems[i].group));
	if (apply_policy(d, &next.policy) < 0)
		log_error("SIGHUP: out of memory applying the policy section; keeping the old one");
	/* automation takes effect at once: rules, templates, acknowledgements, alerts */
	d->conf.nrules = next.nrules;
	memcpy(d->conf.rules, next.rules, sizeof(next.rules));
	d->conf.templates = next.templates;
	d->conf.automation = next.automation;
	d->conf.log_level = next.log_level;
	d->conf.retries = next.retries;
	d->conf.retry_base = next.retry_base;
	d->conf.unknown_requeue = next.unknown_requeue;
	d->conf.reassembly_timeout = next.reassembly_timeout;
	d->conf.retention_days = next.retention_days;
	d->conf.report_window = next.report_window;
	memcpy(d->conf.metrics_file, next.metrics_file, sizeof(d->conf.metrics_file));
	d->conf.metrics_interval = next.metrics_interval;
	log_set_level(d->conf.log_level);
	log_info("SIGHUP: configuration reloaded from %s", d->config_path);
	d->wake = true;
}

/*
 * One daemon per store: a second one would mark the first one's messages
 * unknown at start-up and drive the same modems. The lock lives as long as
 * the process (the kernel drops it however the process ends).
 */
static int lock_store(const struct daemon *d)
{
	char path[CONF_PATH_MAX + 8];
	int fd;

	snprintf(path, sizeof(path), "%s.lock", d->conf.store);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		log_error("another parleyd is running with the store %s (it holds %s)", d->conf.store, path);
		close(fd);
		return -1;
	}
	return fd; /* kept open on purpose */
}

/*
 * A store made by an older parley, or copied in with a loose umask, keeps
 * its mode (and SQLite gives the same to the -wal and -shm it creates).
 * Changing an administrator's choice silently would be rude: say it.
 */
static void warn_if_readable(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && (st.st_mode & 077))
		log_warning("store %s has mode %04o: others may read message bodies and numbers"
			    " (chmod 600 %s)", path, (unsigned)(st.st_mode & 07777), path);
}

struct id_list {
	int64_t ids[1024];
	int n;
};

static int collect_id(void *ctx, const struct store_message *m)
{
	struct id_list *l = ctx;
	l->ids[l->n++] = m->id;
	return l->n == (int)(sizeof(l->ids) / sizeof(l->ids[0]));
}

/* unknown = "hold": what the daemon died with waits for a person, marked so. */
static void hold_unknown(struct daemon *d)
{
	static struct id_list l;
	int64_t now = daemon_now();

	do {
		l.n = 0;
		store_list(d->store, STORE_UNKNOWN, 0, 1024, collect_id, &l);
		for (int i = 0; i < l.n; i++)
			store_hold(d->store, l.ids[i], now);
	} while (l.n == 1024);
}

static int run(struct daemon *d, int sfd)
{
	uint64_t watchdog = notify_watchdog_ms(), next_watchdog = 0;
	bool stopping = false;

	notify_send("READY=1\nSTATUS=running");
	d->wake = true;
	while (!stopping) {
		struct pollfd pfd[POLL_MAX];
		int kind[POLL_MAX]; /* -1 signal, -2 control, -3 MQTT, else line index */
		int n = 0;
		uint64_t mono = daemon_mono_ms();
		int64_t now = daemon_now();

		if (d->consent_pending || d->consent_retry) {
			d->consent_pending = false;
			consent_flow_run(d);
		}
		if (d->wake || (d->next_due != INT64_MAX && now >= d->next_due)) {
			d->wake = false;
			outbound_run(d, now);
		}
		if (now >= d->next_housekeeping)
			housekeeping(d, now);
		if (watchdog && mono >= next_watchdog) {
			notify_send("WATCHDOG=1");
			next_watchdog = mono + watchdog / 2;
		}

		/* the poll timeout is the nearest deadline of everything */
		uint64_t until = mono + 60000;
		if (watchdog && next_watchdog < until)
			until = next_watchdog;
		if (d->next_due != INT64_MAX) {
			int64_t wait = d->next_due - now;
			if (mono + (uint64_t)(wait > 0 ? wait : 0) < until)
				until = mono + (uint64_t)(wait > 0 ? wait : 0);
		}
		if ((uint64_t)(d->next_housekeeping - now) + mono < until)
			until = mono + (uint64_t)(d->next_housekeeping - now);
		attention_tick(d, now);
		/* after the flows above: the events they committed go out in this turn */
		int64_t bridge_at = bridge_tick(d);
		if (bridge_at >= 0 && (uint64_t)bridge_at < until)
			until = (uint64_t)bridge_at;

		pfd[n] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		kind[n++] = -1;
		int cfds[CONF_MODEMS_MAX + 17];
		short cev[CONF_MODEMS_MAX + 17];
		int nc = control_fds(cfds, cev, 17);
		for (int i = 0; i < nc; i++) {
			pfd[n] = (struct pollfd){ .fd = cfds[i], .events = cev[i] };
			kind[n++] = -2;
		}
		short bev = 0;
		int bfd = bridge_fd(&bev);
		if (bfd >= 0) {
			pfd[n] = (struct pollfd){ .fd = bfd, .events = bev };
			kind[n++] = -3;
		}
		for (unsigned i = 0; i < d->nlines; i++) {
			uint64_t dl = modem_link_deadline(d->lines[i].link);
			if (dl < until)
				until = dl;
			int fd = modem_link_fd(d->lines[i].link);
			if (fd >= 0) {
				pfd[n] = (struct pollfd){ .fd = fd, .events = modem_link_events(d->lines[i].link) };
				kind[n++] = (int)i;
			}
		}
		int timeout = until <= mono ? 0 : until - mono > 60000 ? 60000 : (int)(until - mono);
		if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if (kind[i] == -1) {
				struct signalfd_siginfo si;
				while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
					if (si.ssi_signo == SIGHUP) {
						reload(d);
					} else {
						log_info("signal %u: stopping", si.ssi_signo);
						stopping = true;
					}
				}
			} else if (kind[i] == -2) {
				control_handle(d, pfd[i].fd, pfd[i].revents);
			} else if (kind[i] == -3) {
				bridge_handle(d, pfd[i].revents);
			} else {
				modem_link_handle(d->lines[kind[i]].link, pfd[i].revents, daemon_mono_ms());
			}
		}
		for (unsigned i = 0; i < d->nlines; i++)
			modem_link_tick(d->lines[i].link, daemon_mono_ms());
	}
	notify_send("STOPPING=1");
	metrics_write(d);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct daemon d;
	const char *path = "/etc/parley/parley.conf";
	bool check_only = false;
	char err[512];
	int c, sfd, rc;

	/*
	 * The store, its -wal and -shm (SQLite gives them the database's mode)
	 * and the lock hold message bodies and phone numbers: parleyd's user's
	 * alone, also when it is started by hand or by another init than
	 * systemd (whose unit says UMask=0077 too). The control socket and the
	 * metrics file set their own modes.
	 */
	umask(077);
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'C': check_only = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	d.config_path = path;
	if (conf_load(path, &d.conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "<3>%s\n", err);
		return 1;
	}
	if (check_only) {
		printf("%s: OK, %zu modem%s\n", path, d.conf.nmodems, d.conf.nmodems == 1 ? "" : "s");
		return 0;
	}
	log_set_level(d.conf.log_level);
	if (lock_store(&d) < 0)
		return 1;
	if (store_open(d.conf.store, &d.store, err, sizeof(err)) < 0) {
		log_error("store %s: %s", d.conf.store, err);
		return 1;
	}
	warn_if_readable(d.conf.store);
	if (apply_policy(&d, &d.conf.policy) < 0) {
		log_error("out of memory");
		store_close(d.store);
		return 1;
	}
	rc = store_recover(d.store, d.conf.unknown_requeue, daemon_now());
	if (rc > 0 && !d.conf.unknown_requeue)
		hold_unknown(&d);
	if (rc > 0)
		log_warning("%d message%s were at a modem when parleyd last stopped: marked %s", rc,
			    rc == 1 ? "" : "s", d.conf.unknown_requeue ? "unknown and queued again" : "held for a person (parley show ID, then parley retry ID or parley cancel ID)");
	if (d.conf.nmodems == 0)
		log_warning("no modems configured: messages will queue until one is");
	sfd = signals_open();
	if (sfd < 0 || control_open(&d, d.conf.control_socket) < 0 || lines_start(&d) < 0) {
		lines_stop(&d);
		control_close();
		store_close(d.store);
		send_guard_free(d.guard);
		consent_flow_teardown(&d);
		return 1;
	}
	if (bridge_start(&d) < 0) {
		lines_stop(&d);
		control_close();
		store_close(d.store);
		send_guard_free(d.guard);
		consent_flow_teardown(&d);
		return 1;
	}
	log_info("parleyd started: store %s, control %s", d.conf.store, d.conf.control_socket);
	d.next_due = INT64_MAX;
	rc = run(&d, sfd);
	bridge_stop(&d);
	lines_stop(&d);
	control_close();
	store_close(d.store);
	send_guard_free(d.guard);
	consent_flow_teardown(&d);
	close(sfd);
	log_info("parleyd stopped");
	return rc;
}
