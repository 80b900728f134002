/*
 * The MQTT bridge over loopback (issue 6's figures): a private mosquitto on
 * 127.0.0.1 at a free port, the real parleyd (build/parleyd, or $PARLEYD)
 * with no modems, and this process as the consumer, a libmosquitto MQTT 5
 * client, all in a temporary directory (TMPDIR, else /tmp):
 *  - events per second from parleyd's outbox through the broker: a store
 *    holding 20,000 'queued' events (one store_enqueue each, outbox on)
 *    before parleyd starts, timed from the first event received to the
 *    last; each must arrive once, in uid order, naming its message (goal:
 *    5,000/s, a day's events of a busy gateway drained in minutes after an
 *    outage), with the CPU each process spent meanwhile, to show which one
 *    limits it;
 *  - command to reply: 2,000 "send" commands one at a time, as MQTT 5
 *    requests (response topic, correlation data), each timed to its
 *    "accepted" (the daemon's fsync included);
 *  - command to queued event: 2,000 more, each timed to the "queued" event
 *    of its message on <base>/event/message (goal for both: p99 under 10 ms,
 *    instant for an agent console and far below a modem's second a segment).
 * The broker runs with Nagle off (set_tcp_nodelay): with mosquitto's
 * default each round trip costs ~44 ms of delayed ACK, whatever parleyd does.
 * A lost, repeated or reordered event, a command unanswered, refused or
 * answered twice, is an error (exit 1): a bench that measured garbage would
 * be worse than none. A slow figure only says so. Without mosquitto or
 * parleyd nothing is measured (exit 0). Every process started is stopped
 * and the directory removed, on failure and on SIGINT/SIGTERM too. One line
 * a figure.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "parley/store.h"
#include "parley/store_outbox.h"

#define N_EVENTS 20000
#define M_COMMANDS 2000
#define GATEWAY "bench"
#define BASE "parley/" GATEWAY
#define STALL_S 10.0          /* no event for this long: the rest are lost */
#define ANSWER_S 5.0          /* a command unanswered this long is unanswered */
#define DRAIN_S 0.3           /* after the last command: time for a reply twice */
#define GOAL_EVENTS_PER_S 5000.0
#define GOAL_P99_US 10000.0

static const char *const mosquitto_bins[] = { "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto",
					       "/usr/bin/mosquitto" };

static char dir[256];
static char reply_topic[64];
static pid_t broker_pid, daemon_pid;
static struct mosquitto *client;
static volatile sig_atomic_t interrupted;

/* what the consumer saw */
static char instance[32];
static int64_t *backlog_row;  /* the outbox rows waiting before parleyd starts, in order */
static int64_t *backlog_ref;  /* and the message each names */
static int nbacklog;
static int backlog_got;       /* distinct backlog events received */
static uint8_t *row_seen;     /* indexed by outbox row */
static int64_t row_cap;
static int64_t last_row;
static long bad_order, bad_twice, bad_other;
static char bad_example[200];
static double t_first, t_last;
static long cpu_first[3];     /* clock ticks: parleyd, mosquitto, this process */
static long cpu_last[3];

/* per message id: when its queued event came, and how many came */
static double *queued_at;
static uint8_t *queued_count;
static int64_t msg_cap;

/* the command in flight */
static uint32_t cmd_seq;
static bool cmd_answered;
static int64_t cmd_message_id;
static double cmd_reply_at;
static long replies, stray_replies;
static int64_t await_msg;     /* the message whose queued event is awaited */
static bool await_got;
static char refusal[300];
static bool connected, subscribed;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void path_in_dir(char *out, size_t size, const char *name)
{
	if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size) {
		fprintf(stderr, "bench_mqtt: %s: path too long\n", name);
		exit(1);
	}
}

/* The last lines of a log in the directory, on stderr, before it goes. */
static void show_tail(const char *name, int lines)
{
	char path[320], buf[16384];
	ssize_t n;
	int fd, seen = 0;

	path_in_dir(path, sizeof(path), name);
	if ((fd = open(path, O_RDONLY)) < 0)
		return;
	off_t end = lseek(fd, 0, SEEK_END);
	off_t from = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
	n = pread(fd, buf, sizeof(buf) - 1, from);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	char *p = buf + n;
	while (p > buf && seen <= lines)
		if (*--p == '\n')
			seen++;
	fprintf(stderr, "--- %s (tail)\n%s", name, p == buf ? p : p + 1);
}

_Noreturn static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_mqtt: %s: %s\n", what, why && *why ? why : "failed");
	if (daemon_pid > 0)
		show_tail("parleyd.log", 20);
	exit(1);
}

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* ---- processes ---- */

static void stop_child(pid_t *pid)
{
	int status;

	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	for (int i = 0; i < 300; i++) {
		if (waitpid(*pid, &status, WNOHANG) == *pid) {
			*pid = 0;
			return;
		}
		usleep(10000);
	}
	kill(*pid, SIGKILL);
	waitpid(*pid, &status, 0);
	*pid = 0;
}

/* Forks and execs "prog -c conf" with stdout and stderr appended to log (in the directory). */
static pid_t spawn(const char *prog, const char *conf, const char *log)
{
	char path[320];
	pid_t pid;

	path_in_dir(path, sizeof(path), log);
	fflush(NULL);
	if ((pid = fork()) < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execl(prog, prog, "-c", conf, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static bool alive(pid_t pid)
{
	int status;

	return pid > 0 && waitpid(pid, &status, WNOHANG) == 0;
}

/* utime + stime of a process in clock ticks ("self" for this one), or -1. */
static long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024];
	unsigned long ut, st;
	FILE *f;
	char *p;

	if (pid == 0) {
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		return (long)((ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * sysconf(_SC_CLK_TCK) +
			      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * sysconf(_SC_CLK_TCK) / 1000000);
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	/* fields 14 and 15, counted after the command name's closing parenthesis */
	if (!p || !(p = strrchr(buf, ')')) ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

static void cpu_sample(long out[3])
{
	out[0] = cpu_ticks(daemon_pid);
	out[1] = cpu_ticks(broker_pid);
	out[2] = cpu_ticks(0);
}

static void cleanup(void)
{
	DIR *d;
	struct dirent *e;
	char path[600];

	if (client) {
		mosquitto_disconnect(client);
		mosquitto_destroy(client);
		client = NULL;
		mosquitto_lib_cleanup();
	}
	stop_child(&daemon_pid);
	stop_child(&broker_pid);
	if (!dir[0])
		return;
	if ((d = opendir(dir))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
				unlink(path);
			}
		closedir(d);
	}
	if (rmdir(dir) < 0)
		fprintf(stderr, "bench_mqtt: %s: %s\n", dir, strerror(errno));
	dir[0] = '\0';
}

/* ---- the store with its backlog of events ---- */

static int keep_row(void *ctx, const struct store_outbox_row *r)
{
	(void)ctx;
	if (nbacklog >= N_EVENTS || strcmp(r->kind, "message") || !r->state ||
	    strcmp(r->state, "queued"))
		return 1;
	backlog_row[nbacklog] = r->id;
	backlog_ref[nbacklog++] = r->ref;
	return 0;
}

static void build_store(const char *path)
{
	char err[256], to[32], text[64];
	struct store *st;
	int64_t now = wall_ms(), pending = 0;

	if (store_open(path, &st, err, sizeof(err)) < 0)
		die(path, err);
	if (store_outbox_enable(st, true) < 0)
		die("store_outbox_enable", store_error(st));
	for (int i = 0; i < N_EVENTS && !interrupted; i++) {
		struct store_new_message m = { .to = to, .text = text };

		snprintf(to, sizeof(to), "+447700900%03d", i % 1000);
		snprintf(text, sizeof(text), "Backlog message %d: your order has shipped.", i);
		if (store_enqueue(st, &m, now, NULL, NULL) < 0)
			die("store_enqueue", store_error(st));
	}
	if (store_outbox_pending(st, &pending) < 0 || pending != N_EVENTS)
		die("the outbox", "does not hold one event per enqueue");
	if (store_outbox_list(st, 0, N_EVENTS, keep_row, NULL) < 0 || nbacklog != N_EVENTS)
		die("the outbox", "does not hold the queued events");
	for (int i = 1; i < nbacklog; i++)
		if (backlog_row[i] <= backlog_row[i - 1])
			die("the outbox", "rows out of order");
	if (store_instance(st, instance, sizeof(instance)) < 0)
		die("store_instance", store_error(st));
	store_close(st);
}

/* ---- the consumer ---- */

static int backlog_index(int64_t row)
{
	int lo = 0, hi = nbacklog - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (backlog_row[mid] == row)
			return mid;
		if (backlog_row[mid] < row)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Counts a wrong event; the first of all is kept to be shown. */
static void bad(long *counter, const char *what, const char *topic, const char *payload, int len)
{
	if (!(*counter)++ && !bad_example[0])
		snprintf(bad_example, sizeof(bad_example), "%s on %s: %.*s", what, topic, len, payload);
}

static void on_event(const char *topic, const char *payload, int len, double t)
{
	cJSON *j = cJSON_ParseWithLength(payload, (size_t)len);
	const cJSON *uid = cJSON_GetObjectItemCaseSensitive(j, "uid");
	const cJSON *mid = cJSON_GetObjectItemCaseSensitive(j, "message_id");
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(j, "state");
	size_t il = strlen(instance);
	char *end = NULL;
	int64_t row = -1, msg = cJSON_IsNumber(mid) ? (int64_t)mid->valuedouble : -1;

	if (cJSON_IsString(uid) && strncmp(uid->valuestring, instance, il) == 0 &&
	    uid->valuestring[il] == '-')
		row = strtoll(uid->valuestring + il + 1, &end, 10);
	if (row <= 0 || !end || *end) {
		bad(&bad_other, "an event with a foreign uid", topic, payload, len);
		cJSON_Delete(j);
		return;
	}
	if (row >= row_cap) {
		int64_t cap = row * 2 + 1024;
		uint8_t *p = realloc(row_seen, (size_t)cap);

		if (!p)
			die("memory", strerror(errno));
		memset(p + row_cap, 0, (size_t)(cap - row_cap));
		row_seen = p;
		row_cap = cap;
	}
	bool again = row_seen[row];

	if (again)
		bad(&bad_twice, "an event twice", topic, payload, len);
	else if (row < last_row)
		bad(&bad_order, "an event out of uid order", topic, payload, len);
	row_seen[row] = 1;
	if (row > last_row)
		last_row = row;

	int i = backlog_index(row);
	if (i >= 0 && !again) {
		if (msg != backlog_ref[i])
			bad(&bad_other, "an event naming the wrong message", topic, payload, len);
		if (!backlog_got++) {
			t_first = t;
			cpu_sample(cpu_first);
		}
		if (backlog_got == nbacklog) {
			t_last = t;
			cpu_sample(cpu_last);
		}
	} else if (cJSON_IsString(state) && strcmp(state->valuestring, "queued") == 0 && msg > 0 &&
		   msg < msg_cap) {
		if (!queued_count[msg]++)
			queued_at[msg] = t;
		if (msg == await_msg)
			await_got = true;
	}
	cJSON_Delete(j);
}

static void on_reply(const char *payload, int len, const mosquitto_property *props, double t)
{
	void *corr = NULL;
	uint16_t corr_len = 0;
	uint32_t seq;

	replies++;
	mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &corr_len, false);
	if (!corr || corr_len != sizeof(seq)) {
		stray_replies++;
		free(corr);
		return;
	}
	memcpy(&seq, corr, sizeof(seq));
	free(corr);
	if (seq != cmd_seq || cmd_answered) {
		stray_replies++;
		return;
	}
	cJSON *j = cJSON_ParseWithLength(payload, (size_t)len);
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(j, "status");
	const cJSON *mid = cJSON_GetObjectItemCaseSensitive(j, "message_id");

	cmd_answered = true;
	cmd_reply_at = t;
	if (cJSON_IsString(status) && strcmp(status->valuestring, "accepted") == 0 &&
	    cJSON_IsNumber(mid))
		cmd_message_id = (int64_t)mid->valuedouble;
	else
		snprintf(refusal, sizeof(refusal), "%.*s", len, payload);
	cJSON_Delete(j);
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg,
		       const mosquitto_property *props)
{
	double t = now_s();

	(void)m;
	(void)obj;
	if (strcmp(msg->topic, reply_topic) == 0)
		on_reply(msg->payload, msg->payloadlen, props, t);
	else
		on_event(msg->topic, msg->payload, msg->payloadlen, t);
}

static void on_connect(struct mosquitto *m, void *obj, int rc, int flags,
		       const mosquitto_property *p)
{
	(void)m;
	(void)obj;
	(void)flags;
	(void)p;
	connected = rc == 0;
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int n, const int *granted,
			 const mosquitto_property *p)
{
	(void)m;
	(void)obj;
	(void)mid;
	(void)p;
	subscribed = n == 1 && granted[0] == 1;
}

/* Runs the client until *flag or the deadline; false at the deadline. */
static bool loop_until(const bool *flag, double deadline)
{
	while (!*flag) {
		if (interrupted)
			die("interrupted", "by a signal");
		if (now_s() > deadline)
			return false;
		int rc = mosquitto_loop(client, 10, 1);
		if (rc != MOSQ_ERR_SUCCESS)
			die("the consumer lost the broker", mosquitto_strerror(rc));
	}
	return true;
}

static void subscribe(const char *topic)
{
	subscribed = false;
	if (mosquitto_subscribe_v5(client, NULL, topic, 1, 0, NULL) != MOSQ_ERR_SUCCESS ||
	    !loop_until(&subscribed, now_s() + 5))
		die(topic, "the broker did not grant the subscription");
}

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		die("a free port", strerror(errno));
	close(fd);
	return ntohs(a.sin_port);
}

/* Starts the broker on a free port and connects the consumer to it; returns the port. */
static int start_broker(const char *bin)
{
	struct passwd *pw = getpwuid(getuid());
	char conf[320], log[320];

	path_in_dir(conf, sizeof(conf), "mosquitto.conf");
	path_in_dir(log, sizeof(log), "mosquitto.log");
	for (int attempt = 0; attempt < 5; attempt++) {
		int port = free_port();
		FILE *f = fopen(conf, "w");

		if (!f)
			die(conf, strerror(errno));
		fprintf(f, "listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n"
			   "log_dest file %s\n", port, log);
		/* the consumer is never the one to drop events: no limit on its queue */
		fprintf(f, "max_queued_messages 0\n");
		/*
		 * Nagle off on the broker's sockets too (parleyd and this client set
		 * TCP_NODELAY on theirs): with mosquitto's default a command waits in
		 * the broker for the daemon's delayed ACK of the PUBACKs before it,
		 * and every round trip measures 40 ms of TCP timers instead
		 */
		fprintf(f, "set_tcp_nodelay true\n");
		/* as root mosquitto drops to user "mosquitto", who cannot write here */
		if (pw)
			fprintf(f, "user %s\n", pw->pw_name);
		fclose(f);
		broker_pid = spawn(bin, conf, "mosquitto.out");
		for (double end = now_s() + 5; now_s() < end && alive(broker_pid) && !interrupted;
		     usleep(20000)) {
			connected = false;
			if (mosquitto_connect(client, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS)
				continue;
			if (loop_until(&connected, now_s() + 2))
				return port;
			mosquitto_disconnect(client);
		}
		if (interrupted)
			die("interrupted", "by a signal");
		stop_child(&broker_pid); /* the port was taken meanwhile: another */
	}
	show_tail("mosquitto.log", 10);
	die(bin, "did not start or accept a connection");
}

static void start_daemon(const char *parleyd, const char *db, int port)
{
	char conf[320], sock[320];
	FILE *f;

	path_in_dir(conf, sizeof(conf), "parley.conf");
	path_in_dir(sock, sizeof(sock), "parleyd.sock");
	if (!(f = fopen(conf, "w")))
		die(conf, strerror(errno));
	fprintf(f, "store = \"%s\";\ncontrol_socket = \"%s\";\nlog_level = \"info\";\n"
		   "policy = { default_country = \"GB\"; };\n"
		   "mqtt = { host = \"127.0.0.1\"; port = %d; gateway_id = \"%s\"; };\n",
		db, sock, port, GATEWAY);
	fclose(f);
	daemon_pid = spawn(parleyd, conf, "parleyd.log");
}

/* ---- the figures ---- */

static void bench_events(double started)
{
	double deadline = now_s() + STALL_S;
	int had = 0;

	/* waits while events keep coming; STALL_S without one: the rest are lost */
	while (backlog_got < nbacklog) {
		if (interrupted)
			die("interrupted", "by a signal");
		if (!alive(daemon_pid))
			die("parleyd", "stopped while publishing the backlog");
		int rc = mosquitto_loop(client, 100, 1);
		if (rc != MOSQ_ERR_SUCCESS)
			die("the consumer lost the broker", mosquitto_strerror(rc));
		if (backlog_got != had) {
			had = backlog_got;
			deadline = now_s() + STALL_S;
		} else if (now_s() > deadline) {
			break;
		}
	}
	if (backlog_got < nbacklog || bad_twice || bad_order || bad_other) {
		fprintf(stderr, "bench_mqtt: events: %d of %d arrived, %ld twice, %ld out of order, "
			"%ld wrong%s%s\n", backlog_got, nbacklog, bad_twice, bad_order, bad_other,
			bad_example[0] ? "; first: " : "", bad_example);
		die("events from the outbox", "lost, repeated or out of order");
	}
	double secs = t_last - t_first, wall = secs > 0 ? secs : 1e-9;
	double rate = (nbacklog - 1) / wall;
	long hz = sysconf(_SC_CLK_TCK);
	printf("parleyd started to its first event received: %.0f ms\n",
	       (t_first - started) * 1e3);
	printf("events from the outbox to the broker: %d in %.2f s, %.0f events/s "
	       "(none lost, none twice, in order)%s\n", nbacklog, secs, rate,
	       rate < GOAL_EVENTS_PER_S ? " BELOW GOAL 5000/s" : "");
	printf("CPU while draining them: parleyd %.0f %%, mosquitto %.0f %%, this consumer %.0f %%\n",
	       100.0 * (double)(cpu_last[0] - cpu_first[0]) / (double)hz / wall,
	       100.0 * (double)(cpu_last[1] - cpu_first[1]) / (double)hz / wall,
	       100.0 * (double)(cpu_last[2] - cpu_first[2]) / (double)hz / wall);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * M_COMMANDS send commands, one at a time; to_event: each waits for its
 * queued event and is timed to it, else timed to its reply. The median and
 * p99 in µs; every message id goes to ids.
 */
static void bench_commands(bool to_event, double *median_us, double *p99_us, int64_t *ids)
{
	static double us[M_COMMANDS];
	char topic[] = BASE "/command", payload[200];
	mosquitto_property *props = NULL;

	for (int i = 0; i < M_COMMANDS; i++) {
		uint32_t seq = ++cmd_seq;
		int n = snprintf(payload, sizeof(payload),
				 "{\"cmd\":\"send\",\"id\":\"bench-%u\",\"to\":\"+447700900%03d\","
				 "\"text\":\"Bench command %u: your order has shipped.\"}",
				 seq, i % 1000, seq);

		props = NULL;
		if (mosquitto_property_add_string(&props, MQTT_PROP_RESPONSE_TOPIC, reply_topic) ||
		    mosquitto_property_add_binary(&props, MQTT_PROP_CORRELATION_DATA, &seq,
						  sizeof(seq)))
			die("the command's properties", "out of memory");
		cmd_answered = false;
		cmd_message_id = 0;
		refusal[0] = '\0';
		double t0 = now_s();
		int rc = mosquitto_publish_v5(client, NULL, topic, n, payload, 1, false, props);
		mosquitto_property_free_all(&props);
		if (rc != MOSQ_ERR_SUCCESS)
			die("publishing a command", mosquitto_strerror(rc));
		if (!loop_until(&cmd_answered, t0 + ANSWER_S)) {
			snprintf(payload, sizeof(payload), "command %d of %d had no reply in %.0f s", i + 1,
				 M_COMMANDS, ANSWER_S);
			die("commands", payload);
		}
		if (refusal[0])
			die("a command was refused", refusal);
		if (cmd_message_id <= 0 || cmd_message_id >= msg_cap)
			die("a reply", "names a message id out of range");
		ids[i] = cmd_message_id;
		if (to_event) {
			await_msg = cmd_message_id;
			await_got = queued_count[cmd_message_id] > 0;
			if (!loop_until(&await_got, t0 + ANSWER_S))
				die("commands", "a queued event did not come");
			us[i] = (queued_at[cmd_message_id] - t0) * 1e6;
		} else {
			us[i] = (cmd_reply_at - t0) * 1e6;
		}
	}
	qsort(us, M_COMMANDS, sizeof(us[0]), cmp_double);
	*median_us = us[M_COMMANDS / 2];
	*p99_us = us[M_COMMANDS * 99 / 100];
}

/* After the commands: a short wait for replies or events that came twice, then the counts. */
static void check_commands(const int64_t *ids, int n)
{
	bool never = false, all = false;
	double end = now_s() + ANSWER_S;

	do {
		if (!all) {
			all = true;
			for (int i = 0; i < n && all; i++)
				all = queued_count[ids[i]] > 0;
			if (all)
				end = now_s() + DRAIN_S;
		}
		loop_until(&never, now_s() + 0.05);
	} while (now_s() < end);
	for (int i = 0; i < n; i++)
		if (queued_count[ids[i]] != 1) {
			char why[120];

			snprintf(why, sizeof(why), "message %lld had %d queued events, not 1",
				 (long long)ids[i], queued_count[ids[i]]);
			die("command events", why);
		}
	if (replies != n || stray_replies) {
		char why[120];

		snprintf(why, sizeof(why), "%ld replies to %d commands (%ld unexpected)", replies, n,
			 stray_replies);
		die("replies", why);
	}
	if (bad_twice || bad_order || bad_other) {
		fprintf(stderr, "bench_mqtt: %ld events twice, %ld out of order, %ld wrong; first: %s\n",
			bad_twice, bad_order, bad_other, bad_example);
		die("events", "repeated or out of order");
	}
}

int main(void)
{
	const char *tmpdir = getenv("TMPDIR");
	const char *parleyd = getenv("PARLEYD");
	const char *broker = NULL;
	static int64_t ids[2 * M_COMMANDS];
	char db[320];
	double med, p99;

	if (!parleyd || !*parleyd)
		parleyd = "build/parleyd";
	for (size_t i = 0; i < sizeof(mosquitto_bins) / sizeof(mosquitto_bins[0]) && !broker; i++)
		if (access(mosquitto_bins[i], X_OK) == 0)
			broker = mosquitto_bins[i];
	if (!broker || access(parleyd, X_OK) != 0) {
		printf("MQTT bridge: not measured (no %s)\n",
		       !broker ? "mosquitto" : "parleyd; set PARLEYD");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	snprintf(dir, sizeof(dir), "%s/parley-bench-mqtt-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_mqtt: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	atexit(cleanup);
	backlog_row = calloc(N_EVENTS, sizeof(*backlog_row));
	backlog_ref = calloc(N_EVENTS, sizeof(*backlog_ref));
	msg_cap = N_EVENTS + 2 * M_COMMANDS + 1000;
	queued_at = calloc((size_t)msg_cap, sizeof(*queued_at));
	queued_count = calloc((size_t)msg_cap, sizeof(*queued_count));
	if (!backlog_row || !backlog_ref || !queued_at || !queued_count)
		die("memory", strerror(errno));

	path_in_dir(db, sizeof(db), "parley.db");
	build_store(db);

	mosquitto_lib_init();
	snprintf(reply_topic, sizeof(reply_topic), "bench/%d/reply", (int)getpid());
	if (!(client = mosquitto_new(NULL, true, NULL)))
		die("mosquitto_new", strerror(errno));
	mosquitto_int_option(client, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
	mosquitto_int_option(client, MOSQ_OPT_TCP_NODELAY, 1);
	mosquitto_connect_v5_callback_set(client, on_connect);
	mosquitto_subscribe_v5_callback_set(client, on_subscribe);
	mosquitto_message_v5_callback_set(client, on_message);
	int port = start_broker(broker);
	subscribe(BASE "/event/#");
	subscribe(reply_topic);

	double started = now_s();
	start_daemon(parleyd, db, port);
	bench_events(started);
	fflush(stdout);

	bench_commands(false, &med, &p99, ids);
	printf("command to reply: median %.0f us, p99 %.0f us (%d commands)%s\n", med, p99,
	       M_COMMANDS, p99 > GOAL_P99_US ? " OVER GOAL 10 ms" : "");
	fflush(stdout);
	bench_commands(true, &med, &p99, ids + M_COMMANDS);
	printf("command to queued event: median %.0f us, p99 %.0f us (%d commands)%s\n", med, p99,
	       M_COMMANDS, p99 > GOAL_P99_US ? " OVER GOAL 10 ms" : "");
	check_commands(ids, 2 * M_COMMANDS);

	if (!alive(daemon_pid))
		die("parleyd", "stopped during the bench");
	kill(daemon_pid, SIGTERM);
	int status = 0;
	waitpid(daemon_pid, &status, 0);
	daemon_pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("parleyd", "did not stop cleanly on SIGTERM");
	return 0;
}
