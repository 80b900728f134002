/*
 * The control socket: the command line's way into the running daemon.
 * One JSON request per connection, one JSON line back:
 *   {"cmd":"wake"}    the queue changed (parley send wrote to the store)
 *   {"cmd":"status"}  modems and queue counts
 *   {"cmd":"at","modem":NAME,"text":"AT+CSQ"}  a person's AT command; the
 *                     answer comes when the modem gives it
 * Anything else, or bad JSON, gets {"ok":false,"error":"..."}.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "parley/store_outbox.h"
#include "log.h"

#define CLIENTS_MAX 16
#define REQUEST_MAX 4096

struct client {
	int fd;
	unsigned serial;      /* tells a reused slot from the client an answer was for */
	bool waiting;         /* an AT answer is on its way */
	size_t len;
	char buf[REQUEST_MAX];
};

static int listen_fd = -1;
static unsigned next_serial;
static char listen_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static struct client clients[CLIENTS_MAX];

int control_open(struct daemon *d, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	(void)d;

	for (int i = 0; i < CLIENTS_MAX; i++)
		clients[i].fd = -1;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		log_error("control socket path too long: %s", path);
		return -EINVAL;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return -errno;
	unlink(path); /* a socket left by a daemon that died */
	/* only the parley user and its group (the CLI's users) may talk to it */
	mode_t old = umask(0117);
	int r = bind(listen_fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old);
	if (r < 0 || listen(listen_fd, 8) < 0) {
		int e = errno;
		log_error("control socket %s: %s", path, strerror(e));
		close(listen_fd);
		listen_fd = -1;
		return -e;
	}
	snprintf(listen_path, sizeof(listen_path), "%s", path);
	return 0;
}

void control_close(void)
{
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (clients[i].fd >= 0) {
			close(clients[i].fd);
			clients[i].fd = -1;
		}
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(listen_path);
		listen_fd = -1;
	}
}

int control_fds(int *fds, short *events, int max)
{
	int n = 0;

	if (listen_fd >= 0 && n < max) {
		fds[n] = listen_fd;
		events[n++] = POLLIN;
	}
	for (int i = 0; i < CLIENTS_MAX && n < max; i++)
		if (clients[i].fd >= 0) {
			fds[n] = clients[i].fd;
			events[n++] = POLLIN;
		}
	return n;
}

static cJSON *status_json(struct daemon *d)
{
	cJSON *o = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(o, "lines");
	int64_t counts[STORE_PARTIAL + 1];

	for (unsigned i = 0; i < d->nlines; i++) {
		const struct line *l = &d->lines[i];
		const struct modem_health *h = modem_health(l->modem);
		const struct modem_identity *id = modem_identity(l->modem);
		cJSON *j = cJSON_CreateObject();

		cJSON_AddStringToObject(j, "name", l->conf->name);
		cJSON_AddStringToObject(j, "line", l->conf->line);
		cJSON_AddStringToObject(j, "device", l->conf->device);
		cJSON_AddStringToObject(j, "state", modem_state_name(modem_state(l->modem)));
		cJSON_AddStringToObject(j, "operator", h->operator_name);
		cJSON_AddNumberToObject(j, "signal", h->rssi);
		cJSON_AddNumberToObject(j, "registration", h->registration);
		cJSON_AddStringToObject(j, "imei", id->imei);
		cJSON_AddStringToObject(j, "iccid", id->iccid);
		cJSON_AddNumberToObject(j, "sends", h->sends);
		cJSON_AddNumberToObject(j, "failures", h->failures);
		cJSON_AddNumberToObject(j, "sent_today", l->sent_today);
		cJSON_AddStringToObject(j, "last_error", h->last_error);
		cJSON_AddStringToObject(j, "port_error", modem_link_error(l->link));
		cJSON_AddItemToArray(lines, j);
	}
	int64_t waiting;
	if (d->conf.mqtt.host[0] && store_outbox_pending(d->store, &waiting) == 0)
		cJSON_AddNumberToObject(o, "events_waiting", (double)waiting);
	if (store_counts(d->store, counts) == 0) {
		cJSON *c = cJSON_AddObjectToObject(o, "messages");
		for (int s = 0; s <= STORE_PARTIAL; s++)
			cJSON_AddNumberToObject(c, store_state_name((enum store_state)s), (double)counts[s]);
	}
	return o;
}

static void reply_and_close(struct client *c, cJSON *reply)
{
	char *text = cJSON_PrintUnformatted(reply);
	if (text) {
		/* a small reply to a local socket: one write, best effort */
		if (write(c->fd, text, strlen(text)) < 0 || write(c->fd, "\n", 1) < 0)
			log_debug("control client went away before its answer");
		free(text);
	}
	cJSON_Delete(reply);
	close(c->fd);
	c->fd = -1;
	c->waiting = false;
}

static void at_answered(void *ctx, const struct at_response *r)
{
	uintptr_t token = (uintptr_t)ctx;
	struct client *c = &clients[token % CLIENTS_MAX];
	cJSON *o, *lines;

	if (c->fd < 0 || !c->waiting || c->serial != token / CLIENTS_MAX)
		return; /* the person gave up waiting */
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "ok", r->final == AT_FINAL_OK);
	cJSON_AddStringToObject(o, "final", r->final_line[0] ? r->final_line : at_final_name(r->final));
	lines = cJSON_AddArrayToObject(o, "lines");
	for (size_t i = 0; i < r->nlines; i++)
		cJSON_AddItemToArray(lines, cJSON_CreateString(r->lines[i]));
	if (r->final == AT_FINAL_CMS_ERROR)
		cJSON_AddStringToObject(o, "meaning", at_cms_error_text(r->code));
	else if (r->final == AT_FINAL_CME_ERROR)
		cJSON_AddStringToObject(o, "meaning", at_cme_error_text(r->code));
	reply_and_close(c, o);
}

/* Starts a person's AT command; NULL when it went to the modem (answered later), else the error. */
static const char *start_at(struct daemon *d, struct client *c, const cJSON *req)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(req, "modem");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(req, "text");
	const char *why = "the modem refused the command";

	if (!cJSON_IsString(name) || !cJSON_IsString(text))
		return "\"at\" needs \"modem\" and \"text\" strings";
	for (unsigned i = 0; i < d->nlines; i++) {
		if (strcmp(d->lines[i].conf->name, name->valuestring) != 0)
			continue;
		uintptr_t token = (uintptr_t)c->serial * CLIENTS_MAX + (uintptr_t)(c - clients);
		int r = modem_at(d->lines[i].modem, text->valuestring, 10000, at_answered,
				 (void *)token, &why);
		if (r == 0) {
			c->waiting = true;
			return NULL;
		}
		return r == -EINVAL ? "an AT command is one line of text" : why;
	}
	return "no modem by that name";
}

static void answer(struct daemon *d, struct client *c)
{
	cJSON *req = cJSON_Parse(c->buf), *reply = NULL;
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(req, "cmd");
	const char *error = NULL;

	if (!req)
		error = "the request is not JSON";
	else if (!cJSON_IsString(cmd))
		error = "the request has no \"cmd\" string";
	else if (strcmp(cmd->valuestring, "wake") == 0) {
		d->wake = true;
		reply = cJSON_CreateObject();
	} else if (strcmp(cmd->valuestring, "status") == 0) {
		reply = status_json(d);
	} else if (strcmp(cmd->valuestring, "at") == 0) {
		error = start_at(d, c, req);
		if (!error) {
			cJSON_Delete(req);
			return; /* at_answered replies */
		}
	} else {
		error = "unknown command (known: wake, status, at)";
	}
	if (!reply) {
		reply = cJSON_CreateObject();
		cJSON_AddBoolToObject(reply, "ok", false);
		cJSON_AddStringToObject(reply, "error", error ? error : "out of memory");
	} else {
		cJSON_AddBoolToObject(reply, "ok", true);
	}
	reply_and_close(c, reply);
	cJSON_Delete(req);
}

void control_handle(struct daemon *d, int fd, short revents)
{
	(void)revents;
	if (fd == listen_fd) {
		int cfd = accept(listen_fd, NULL, NULL);
		if (cfd < 0)
			return;
		fcntl(cfd, F_SETFL, O_NONBLOCK);
		fcntl(cfd, F_SETFD, FD_CLOEXEC);
		for (int i = 0; i < CLIENTS_MAX; i++)
			if (clients[i].fd < 0) {
				clients[i].fd = cfd;
				clients[i].len = 0;
				clients[i].waiting = false;
				clients[i].serial = ++next_serial;
				return;
			}
		close(cfd); /* too many at once: the client retries */
		return;
	}
	for (int i = 0; i < CLIENTS_MAX; i++) {
		struct client *c = &clients[i];
		if (c->fd != fd)
			continue;
		if (c->waiting) {
			/* only a hang-up is expected while the modem answers */
			char drop[64];
			if (read(fd, drop, sizeof(drop)) == 0) {
				close(fd);
				c->fd = -1;
				c->waiting = false;
			}
			return;
		}
		ssize_t n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		if (n > 0) {
			c->len += (size_t)n;
			c->buf[c->len] = '\0';
			if (!strchr(c->buf, '\n') && c->len < sizeof(c->buf) - 1)
				return;
		} else if (n < 0 && errno == EAGAIN) {
			return;
		}
		if (c->len) {
			answer(d, c); /* closes, unless an AT answer is pending */
			return;
		}
		close(fd);
		c->fd = -1;
		return;
	}
}
