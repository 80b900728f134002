/*
 * parleyd's MQTT bridge (bridge.c: session, events, states, replication;
 * bridge_commands.c: commands and their replies). Without an mqtt section
 * every call is a no-op and the event outbox is off.
 */
#ifndef PARLEYD_BRIDGE_H
#define PARLEYD_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;

/* Starts the session (connecting on the first tick). 0, or -1 logged. */
int bridge_start(struct daemon *d);
/* Publishes "offline" (a clean stop drops the Last Will) and disconnects. */
void bridge_stop(struct daemon *d);

/* The socket to poll and its events, or -1. */
int bridge_fd(short *events);
void bridge_handle(struct daemon *d, short revents);
/* Reconnects, pings, publishes waiting events and changed states; the next deadline (monotonic ms). */
int64_t bridge_tick(struct daemon *d);
/* Something was committed: publish its events on the next tick. */
void bridge_wake(void);

/* bridge.c's helpers for bridge_commands.c */
const char *bridge_base(const struct daemon *d);
bool bridge_v5(void);
/* QoS 1; row > 0 ties the publication to an outbox row (deleted once acknowledged). */
int bridge_publish(const char *topic, const char *payload, bool retain, const void *corr,
		   size_t corr_len, int64_t row);

/* One command from topic; answers it exactly once. */
void bridge_command(struct daemon *d, const char *topic, const void *payload, size_t len,
		    const char *response_topic, const void *corr, size_t corr_len);

#endif
