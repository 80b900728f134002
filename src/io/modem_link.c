/*
 * A modem driver on a serial port, with reopening after the device goes
 * away. The only place where the driver's bytes meet a file descriptor.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/modem_link.h"
#include "parley/serial_port.h"

#define READ_CHUNK 4096

struct modem_link {
	struct modem *modem;
	char *path;
	unsigned baud;
	struct serial_port *port;
	uint64_t reopen_at;
	unsigned backoff_ms;
	char error[256];
};

struct modem_link *modem_link_new(struct modem *modem, const char *path, unsigned baud)
{
	struct modem_link *l = calloc(1, sizeof(*l));

	if (!l || !(l->path = strdup(path))) {
		free(l);
		return NULL;
	}
	l->modem = modem;
	l->baud = baud;
	l->backoff_ms = MODEM_LINK_BACKOFF_MIN_MS;
	snprintf(l->error, sizeof(l->error), "not opened yet");
	return l;
}

void modem_link_free(struct modem_link *l)
{
	if (!l)
		return;
	serial_port_close(l->port);
	free(l->path);
	free(l);
}

int modem_link_fd(const struct modem_link *l)
{
	return l->port ? serial_port_fd(l->port) : -1;
}

short modem_link_events(const struct modem_link *l)
{
	const uint8_t *out;

	if (!l->port)
		return 0;
	return (short)(POLLIN | (modem_output(l->modem, &out) ? POLLOUT : 0));
}

static void lost(struct modem_link *l, uint64_t now, const char *why)
{
	snprintf(l->error, sizeof(l->error), "%s: %s", l->path, why);
	serial_port_close(l->port);
	l->port = NULL;
	l->reopen_at = now + l->backoff_ms;
	modem_port_lost(l->modem, now);
}

static void flush(struct modem_link *l, uint64_t now)
{
	const uint8_t *out;
	size_t n;

	while (l->port && (n = modem_output(l->modem, &out)) > 0) {
		ssize_t w = serial_port_write(l->port, out, n);
		if (w < 0) {
			lost(l, now, "write failed, device gone");
			return;
		}
		if (w == 0)
			return; /* the tty buffer is full: POLLOUT will say when */
		modem_output_done(l->modem, (size_t)w);
	}
}

void modem_link_handle(struct modem_link *l, short revents, uint64_t now)
{
	uint8_t buf[READ_CHUNK];

	if (!l->port)
		return;
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		ssize_t r = serial_port_read(l->port, buf, sizeof(buf));
		if (r < 0) {
			lost(l, now, "device gone (read failed or hung up)");
			return;
		}
		if (r > 0)
			modem_feed(l->modem, buf, (size_t)r, now);
	}
	flush(l, now);
}

void modem_link_tick(struct modem_link *l, uint64_t now)
{
	if (!l->port && now >= l->reopen_at) {
		char err[256];
		if (serial_port_open(l->path, l->baud, &l->port, err, sizeof(err)) == 0) {
			l->error[0] = '\0';
			l->backoff_ms = MODEM_LINK_BACKOFF_MIN_MS;
			modem_port_opened(l->modem, now);
		} else {
			/* doubling up to a ceiling: an unplugged stick is retried twice a minute */
			snprintf(l->error, sizeof(l->error), "%s", err);
			l->reopen_at = now + l->backoff_ms;
			l->backoff_ms = l->backoff_ms * 2 > MODEM_LINK_BACKOFF_MAX_MS
						? MODEM_LINK_BACKOFF_MAX_MS : l->backoff_ms * 2;
		}
	}
	modem_tick(l->modem, now);
	flush(l, now);
}

uint64_t modem_link_deadline(const struct modem_link *l)
{
	uint64_t d = modem_deadline(l->modem);

	if (!l->port && l->reopen_at < d)
		d = l->reopen_at;
	return d;
}

const char *modem_link_error(const struct modem_link *l)
{
	return l->error;
}
