/*
 * Unix-domain control socket: accept, split input into lines, queue the
 * answers, write them as the socket allows. Nothing here knows what a
 * command means. A line longer than CONTROL_LINE_MAX gets an error answer
 * and the connection is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "control.h"

#define CONTROL_LINE_MAX (256 * 1024)
#define CONTROL_OUT_MAX (16 * 1024 * 1024)
#define CLIENT_TIMEOUT_MS 10000

void control_init(struct control *c, control_handler handler, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->handler = handler;
	c->ctx = ctx;
	for (unsigned i = 0; i < CONTROL_CLIENTS_MAX; i++)
		c->clients[i].fd = -1;
}

static int addr_make(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

static int nonblock(int fd)
{
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* A socket file nobody answers on is left by a simulator that died: remove it. */
static int stale_remove(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (rc == 0)
		return -EADDRINUSE;
	return unlink(path) < 0 ? -errno : 0;
}

int control_open(struct control *c, const char *path)
{
	struct sockaddr_un sa;
	int fd, rc;

	if ((rc = addr_make(path, &sa)) < 0 || (rc = stale_remove(path, &sa)) < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0 ||
	    (rc = nonblock(fd)) < 0) {
		rc = rc ? rc : -errno;
		close(fd);
		return rc;
	}
	c->fd = fd;
	c->path = path;
	return 0;
}

static void client_close(struct control_client *cl)
{
	close(cl->fd);
	cl->fd = -1;
	bytebuf_fini(&cl->in);
	bytebuf_fini(&cl->out);
}

static void client_flush(struct control_client *cl)
{
	ssize_t n;

	while (bytebuf_len(&cl->out) > 0) {
		n = send(cl->fd, bytebuf_peek(&cl->out), bytebuf_len(&cl->out), MSG_NOSIGNAL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				cl->closing = true;
				bytebuf_clear(&cl->out);
			}
			return;
		}
		bytebuf_consume(&cl->out, (size_t)n);
	}
}

void control_close(struct control *c)
{
	for (unsigned i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		if (c->clients[i].fd < 0)
			continue;
		client_flush(&c->clients[i]);
		client_close(&c->clients[i]);
	}
	if (c->fd >= 0) {
		close(c->fd);
		unlink(c->path);
	}
	c->fd = -1;
}

unsigned control_pollfds(const struct control *c, struct pollfd *pfd, unsigned max)
{
	unsigned n = 0;

	if (c->fd < 0 || max == 0)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
	for (unsigned i = 0; i < CONTROL_CLIENTS_MAX && n < max; i++) {
		const struct control_client *cl = &c->clients[i];

		if (cl->fd < 0)
			continue;
		pfd[n++] = (struct pollfd){
			.fd = cl->fd,
			.events = (short)((cl->closing ? 0 : POLLIN) |
					  (bytebuf_len(&cl->out) ? POLLOUT : 0)),
		};
	}
	return n;
}

static void accept_one(struct control *c)
{
	int fd = accept(c->fd, NULL, NULL);

	if (fd < 0)
		return;
	for (unsigned i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		struct control_client *cl = &c->clients[i];

		if (cl->fd >= 0)
			continue;
		if (nonblock(fd) < 0)
			break;
		cl->fd = fd;
		cl->closing = false;
		bytebuf_init(&cl->in, CONTROL_LINE_MAX);
		bytebuf_init(&cl->out, CONTROL_OUT_MAX);
		return;
	}
	close(fd); /* too many clients */
}

static void answer(struct control *c, struct control_client *cl, const char *line)
{
	char *reply = c->handler(c->ctx, line);
	static const char oom[] = "{\"ok\":false,\"error\":\"out of memory\"}";
	const char *text = reply ? reply : oom;

	if (bytebuf_append(&cl->out, text, strlen(text)) < 0 || bytebuf_append(&cl->out, "\n", 1) < 0)
		cl->closing = true;
	free(reply);
}

static void lines_take(struct control *c, struct control_client *cl)
{
	const char *data, *nl;
	char *line;
	size_t len;

	while (!cl->closing && (len = bytebuf_len(&cl->in)) > 0) {
		data = (const char *)bytebuf_peek(&cl->in);
		nl = memchr(data, '\n', len);
		if (!nl)
			return;
		len = (size_t)(nl - data);
		line = malloc(len + 1);
		if (!line)
			return;
		memcpy(line, data, len);
		line[len] = '\0';
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		bytebuf_consume(&cl->in, (size_t)(nl - data) + 1);
		if (line[0])
			answer(c, cl, line);
		free(line);
	}
}

static void client_read(struct control *c, struct control_client *cl)
{
	char buf[4096];
	ssize_t n = recv(cl->fd, buf, sizeof(buf), 0);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		/* The peer finished sending: answer what it sent, then close. */
		lines_take(c, cl);
		cl->closing = true;
		return;
	}
	if (bytebuf_append(&cl->in, buf, (size_t)n) < 0) {
		static const char msg[] = "{\"ok\":false,\"error\":\"line too long\"}\n";

		bytebuf_clear(&cl->in);
		bytebuf_append(&cl->out, msg, sizeof(msg) - 1);
		cl->closing = true;
		return;
	}
	lines_take(c, cl);
}

void control_handle(struct control *c, const struct pollfd *pfd, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct control_client *cl = NULL;

		if (!pfd[i].revents)
			continue;
		if (pfd[i].fd == c->fd) {
			accept_one(c);
			continue;
		}
		for (unsigned k = 0; k < CONTROL_CLIENTS_MAX; k++)
			if (c->clients[k].fd == pfd[i].fd)
				cl = &c->clients[k];
		if (!cl)
			continue;
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			client_read(c, cl);
		client_flush(cl);
		if (cl->closing && bytebuf_len(&cl->out) == 0)
			client_close(cl);
	}
}

/* Client side. */

static int send_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, s, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads up to the first newline; returns a malloc'd line or NULL. */
static char *line_read(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *grown;
	ssize_t n;

	while (buf) {
		if (poll(&pfd, 1, CLIENT_TIMEOUT_MS) <= 0)
			break;
		if (len + 1 >= cap) {
			grown = realloc(buf, cap * 2);
			if (!grown)
				break;
			buf = grown;
			cap *= 2;
		}
		n = recv(fd, buf + len, cap - len - 1, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (memchr(buf, '\n', len)) {
			*strchr(buf, '\n') = '\0';
			return buf;
		}
	}
	free(buf);
	return NULL;
}

static int reply_ok(const char *line)
{
	cJSON *root = cJSON_Parse(line);
	int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "ok"));

	cJSON_Delete(root);
	return ok ? 0 : 1;
}

int control_send(const char *path, const char *json)
{
	cJSON *parsed = cJSON_Parse(json);
	char *flat = parsed ? cJSON_PrintUnformatted(parsed) : NULL;
	struct sockaddr_un sa;
	char *line = NULL;
	int fd = -1, rc;

	/* One line on the wire even when the shell passed pretty-printed JSON. */
	cJSON_Delete(parsed);
	if (flat)
		json = flat;
	if (addr_make(path, &sa) < 0) {
		fprintf(stderr, "modemsim: control path too long: %s\n", path);
	} else if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
		   connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "modemsim: cannot connect to %s: %s\n", path, strerror(errno));
	} else if (send_all(fd, json, strlen(json)) < 0 || send_all(fd, "\n", 1) < 0 ||
		   !(line = line_read(fd))) {
		fprintf(stderr, "modemsim: no answer from %s\n", path);
	}
	if (fd >= 0)
		close(fd);
	cJSON_free(flat);
	if (!line)
		return 2;
	puts(line);
	rc = reply_ok(line);
	free(line);
	return rc;
}
