/*
 * The control socket (--control PATH): a unix-domain stream socket taking
 * one JSON object per line and answering one JSON line per command. This
 * file moves lines; the handler given to control_init (ctl_cmds.c) makes
 * the answers. Also the client side for `modemsim --send`.
 */
#ifndef MODEMSIM_CONTROL_H
#define MODEMSIM_CONTROL_H

#include <poll.h>
#include <stdbool.h>

#include "bytebuf.h"

#define CONTROL_CLIENTS_MAX 16

/* Answers one line: a malloc'd JSON text without the newline (NULL: out of memory). */
typedef char *(*control_handler)(void *ctx, const char *line);

struct control_client {
	int fd;                  /* -1: free */
	struct bytebuf in, out;
	bool closing;            /* close once out is written */
};

struct control {
	int fd;                  /* the listener, -1 when none */
	const char *path;        /* borrowed */
	control_handler handler;
	void *ctx;
	struct control_client clients[CONTROL_CLIENTS_MAX];
};

void control_init(struct control *c, control_handler handler, void *ctx);

/*
 * Listens on path, replacing a stale socket file left by a dead simulator.
 * Returns 0; -EADDRINUSE when a live one answers there; -ENAMETOOLONG;
 * -EEXIST when path is something other than a socket; or the errno of the
 * failed call.
 */
int control_open(struct control *c, const char *path);

/* Writes what it can of pending answers, closes everything, removes the socket file. */
void control_close(struct control *c);

/* Fills pfd with the listener and clients; returns how many. */
unsigned control_pollfds(const struct control *c, struct pollfd *pfd, unsigned max);

/* Accepts, reads and answers after poll() filled the revents of those pfds. */
void control_handle(struct control *c, const struct pollfd *pfd, unsigned n);

/*
 * Client: sends json as one line to the simulator at path, prints its
 * answer on stdout. Returns 0 when the answer says "ok":true, 1 when it
 * says false, 2 when there is no answer (the reason goes to stderr).
 */
int control_send(const char *path, const char *json);

#endif
