/*
 * The sd_notify protocol without libsystemd: a datagram to $NOTIFY_SOCKET
 * (READY=1, WATCHDOG=1, STOPPING=1, STATUS=...). Silent when not under systemd.
 */
#ifndef PARLEYD_NOTIFY_H
#define PARLEYD_NOTIFY_H

#include <stdint.h>

void notify_send(const char *state);
/* The watchdog interval systemd asked for ($WATCHDOG_USEC), in ms; 0 when none. */
uint64_t notify_watchdog_ms(void);

#endif
