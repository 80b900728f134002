/*
 * A modem on its port: owns the serial port and the driver, moves bytes
 * between them from the owner's poll loop, and when the device goes away
 * (EIO, hang-up, USB unplug) closes the port and reopens it with backoff,
 * resolving the configured path again (a /dev/serial/by-id/ link follows
 * the device to whatever ttyUSB number it comes back as).
 */
#ifndef PARLEY_MODEM_LINK_H
#define PARLEY_MODEM_LINK_H

#include <stdint.h>

#include "parley/modem.h"

#define MODEM_LINK_BACKOFF_MIN_MS 500
#define MODEM_LINK_BACKOFF_MAX_MS 30000

struct modem_link;

/*
 * Wraps modem (borrowed: the owner frees it after the link) for the device
 * at path. Nothing is opened until the first modem_link_tick.
 * Returns NULL when out of memory.
 */
struct modem_link *modem_link_new(struct modem *modem, const char *path, unsigned baud);

/* Closes the port; NULL is a no-op. */
void modem_link_free(struct modem_link *link);

/* The fd to poll and its events (POLLIN, POLLOUT while output waits); -1 while closed. */
int modem_link_fd(const struct modem_link *link);
short modem_link_events(const struct modem_link *link);

/* After poll: reads, writes, notices the device gone. */
void modem_link_handle(struct modem_link *link, short revents, uint64_t now_ms);

/* Timers: reopening when due, the driver's own. */
void modem_link_tick(struct modem_link *link, uint64_t now_ms);

/* The next time modem_link_tick has work. */
uint64_t modem_link_deadline(const struct modem_link *link);

/* Why the port is closed, "" while it is open. */
const char *modem_link_error(const struct modem_link *link);

#endif
