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

/* A command's answer being built (bridge_commands.c). */
#include "parley/mqtt_payload.h"
struct bridge_answer {
	struct mqtt_reply r;
	char reason[300];
	char *extra;             /* malloc'd JSON for "result" */
};
void bridge_reject(struct bridge_answer *a, const char *code, int number, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The text of a send or reply: as given, or its template rendered. false: a is the refusal. */
bool bridge_command_text(const struct daemon *d, const struct mqtt_command *c, char *out,
			 size_t size, struct bridge_answer *a);
/* Whether text fits max_segments for to. false: a is the refusal. */
bool bridge_text_fits(const struct daemon *d, const char *to, const char *text,
		      struct bridge_answer *a);

/* bridge_conversations.c: the agents' commands and questions */
void bridge_conversation_command(struct daemon *d, const struct mqtt_command *c,
				 struct bridge_answer *a);
/* A conversation's event (uid, at, detail) as JSON; NULL with *gone when it no longer exists. */
char *bridge_conversation_event(struct daemon *d, int64_t id, const char *uid, int64_t at,
				const char *detail, bool *gone);

/* bridge_campaigns.c: the campaign commands, their progress and summary events */
void bridge_campaign_command(struct daemon *d, const struct mqtt_command *c,
			     struct bridge_answer *a);
/* A campaign's event (summary once done, else progress); NULL with *gone when it is not there. */
char *bridge_campaign_event(struct daemon *d, int64_t id, const char *uid, int64_t at, bool *gone);
/* Looks at running campaigns (once a second): progress events, and done when finished. */
void bridge_campaign_tick(struct daemon *d);

/* bridge_presence.c: agents online and offline; their conversations back to the queue */
void bridge_presence(struct daemon *d, const char *topic, const void *payload, size_t len);
/* Releases the conversations of agents offline longer than the grace period. */
void bridge_presence_tick(struct daemon *d, int64_t now);
void bridge_presence_reset(void);
/* Whether any agent console says it is online. */
bool bridge_agents_online(void);

/* One command from topic; answers it exactly once. */
void bridge_command(struct daemon *d, const char *topic, const void *payload, size_t len,
		    const char *response_topic, const void *corr, size_t corr_len);

#endif
