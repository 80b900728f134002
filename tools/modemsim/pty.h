/*
 * The simulated modem's port: a pseudo-terminal whose slave the gateway
 * opens like /dev/ttyUSB0, with an optional symlink (as udev makes
 * /dev/serial/by-id/...), and the serial line's speed: bytes in both
 * directions take 10 bit times each (start, 8 data, stop) when a baud rate
 * is set.
 *
 * It moves bytes; what they mean is at_interp's business. A closed slave
 * (nobody has the port open) drops output, as a real port does while no
 * program holds it.
 */
#ifndef MODEMSIM_PTY_H
#define MODEMSIM_PTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"

#define PTY_PATH_MAX 128

struct pty {
	int master;              /* -1: unplugged */
	char path[PTY_PATH_MAX]; /* the slave, "" when unplugged */
	const char *link;        /* borrowed; NULL: no symlink */
	bool reader;             /* someone has the slave open */
	uint64_t hup_check_ns;   /* when to look again for a reader */
	uint64_t byte_ns;        /* line time of one byte; 0: unpaced */
	struct bytebuf tx;       /* written by the modem, not yet on the line */
	struct bytebuf rx;       /* read from the gateway, not yet all arrived */
	uint64_t tx_line_ns;     /* when the line starts the next byte of tx */
	uint64_t rx_last_ns;     /* when the last byte of rx has arrived */
	bool tx_blocked;         /* the kernel's buffer is full: wait for POLLOUT */
};

void pty_init(struct pty *p, const char *link, unsigned baud);

/* Releases the queues and closes the port (removing the link). */
void pty_fini(struct pty *p);

/*
 * Opens a new pseudo-terminal: raw 8N1 on the slave side, the master
 * non-blocking; points the link at the slave.
 * Returns 0; -EBUSY when already open; -EEXIST when the link path exists
 * and is not a symlink; or the errno of the failed call.
 */
int pty_open(struct pty *p);

/* Closes the master (the gateway then reads EOF/EIO) and removes the link. */
void pty_close(struct pty *p);

bool pty_is_open(const struct pty *p);

/* 0 turns pacing off. */
void pty_set_baud(struct pty *p, unsigned baud);

/*
 * Queues bytes for the line. Returns 0; -ENODEV when unplugged and -EPIPE
 * when nobody has the port open (the bytes are dropped in both cases);
 * -ENOSPC when the queue is full (the gateway stopped reading).
 */
int pty_write(struct pty *p, const void *data, size_t n, uint64_t now);

/* The poll events to ask for on p->master; 0 means leave it out of poll. */
short pty_poll_events(const struct pty *p);

/* Reads and writes after poll reported revents on the master. */
void pty_handle(struct pty *p, short revents, uint64_t now);

/* Writes what the line rate allows by now; looks for a reader when due. */
void pty_flush(struct pty *p, uint64_t now);

/* Bytes queued for the line and not yet written. */
size_t pty_tx_pending(const struct pty *p);

/* Bytes from the gateway that have fully arrived by now. */
size_t pty_rx_ready(const struct pty *p, uint64_t now);
const uint8_t *pty_rx_data(const struct pty *p);
void pty_rx_consume(struct pty *p, size_t n);

/*
 * The next time pty_flush or pty_rx_ready has something new: the next byte
 * on the line either way (incoming only when want_rx), or the next look for
 * a reader. CLOCK_NEVER when idle.
 */
uint64_t pty_deadline(const struct pty *p, uint64_t now, bool want_rx);

#endif
