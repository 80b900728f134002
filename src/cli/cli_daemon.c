/* Locating parleyd's store and socket for the command line, and asking it things. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_daemon.h"
#include "parley/config.h"

#define DAEMON_ANSWER_MS 3000

int cli_target_open(struct cli_target *t, struct store **st)
{
	char err[512];

	static struct conf c;

	conf_defaults(&c);
	t->conf = &c;
	if (t->config || !t->store || !t->socket) {
		if (!t->config)
			t->config = "/etc/parley/parley.conf";
		if (conf_load(t->config, &c, err, sizeof(err)) < 0) {
			fprintf(stderr, "parley: %s\n(give -c FILE, or --store and --socket)\n", err);
			return CLI_EXIT_FAIL;
		}
		snprintf(t->store_path, sizeof(t->store_path), "%s", c.store);
		snprintf(t->socket_path, sizeof(t->socket_path), "%s", c.control_socket);
	}
	if (t->store)
		snprintf(t->store_path, sizeof(t->store_path), "%s", t->store);
	if (t->socket)
		snprintf(t->socket_path, sizeof(t->socket_path), "%s", t->socket);
	if (st && store_open(t->store_path, st, err, sizeof(err)) < 0) {
		fprintf(stderr, "parley: store %s: %s\n", t->store_path, err);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

cJSON *cli_daemon_request(const struct cli_target *t, const char *json)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char reply[65536];
	size_t n = 0;
	int fd;

	size_t len = strlen(t->socket_path);

	if (len >= sizeof(addr.sun_path))
		return NULL;
	memcpy(addr.sun_path, t->socket_path, len + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    write(fd, json, strlen(json)) < 0 || write(fd, "\n", 1) < 0) {
		close(fd);
		return NULL;
	}
	while (n + 1 < sizeof(reply)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, DAEMON_ANSWER_MS) <= 0)
			break;
		ssize_t k = read(fd, reply + n, sizeof(reply) - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		if (reply[n - 1] == '\n')
			break;
	}
	close(fd);
	reply[n] = '\0';
	return n ? cJSON_Parse(reply) : NULL;
}

const char *cli_time(long long ms, char *buf, unsigned size)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	if (ms <= 0 || !localtime_r(&s, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, size, "-");
	return buf;
}

int64_t cli_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
