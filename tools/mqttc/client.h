/*
 * The libmosquitto session behind every mqttc subcommand: connect (TLS,
 * credentials, will, protocol version), run the loop until the subcommand
 * says it is done or -W passes, then disconnect cleanly. A subcommand is a
 * set of hooks called from the loop; it never touches the socket.
 */
#ifndef MQTTC_CLIENT_H
#define MQTTC_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <mosquitto.h>

#include "mqttc.h"

struct client;

/* Hooks of a subcommand; any may be NULL. ctx is the pointer given to client_run. */
struct client_mode {
	/* CONNACK said yes: subscribe or publish now */
	void (*connected)(struct client *c, void *ctx);
	/* SUBACK; granted is false when the broker refused any of the topics */
	void (*subscribed)(struct client *c, void *ctx, int mid, bool granted);
	/* PUBACK/PUBCOMP (QoS 0: written out); reason is the v5 reason code, 0 for 3.1.1 */
	void (*published)(struct client *c, void *ctx, int mid, int reason);
	/* props is NULL with MQTT 3.1.1 */
	void (*message)(struct client *c, void *ctx, const struct mosquitto_message *m,
			const mosquitto_property *props);
	/* every turn of the loop (at least every CLIENT_TICK_MS) with the monotonic time */
	void (*tick)(struct client *c, void *ctx, uint64_t now_ms);
	/* what a timeout means, for the error line ("2 of 3 messages"); may be NULL */
	void (*describe_timeout)(void *ctx, char *buf, unsigned size);
};

#define CLIENT_TICK_MS 50

/* Runs a whole session for o with the mode's hooks; returns the exit status. */
int client_run(const struct mqttc_opts *o, const struct client_mode *mode, void *ctx);

/* Ends the loop with this exit status (the first one given wins). */
void client_finish(struct client *c, int status);

/* Prints "mqttc: MESSAGE" on stderr and ends the loop with MQTTC_EXIT_REFUSED. */
void client_fail(struct client *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Subscribes to the topics at the session's QoS; 0 or a libmosquitto error
 * (the caller reports it). *mid is matched against the subscribed hook. */
int client_subscribe(struct client *c, const char *const *topics, int n, int *mid);

/* Publishes once at the session's QoS. response_topic and correlation (may
 * be NULL) become v5 properties; they must be NULL with 3.1.1. Returns 0 or
 * a libmosquitto error. */
int client_publish(struct client *c, int *mid, const char *topic, const void *payload, int len,
		   bool retain, const char *response_topic, const void *correlation,
		   int correlation_len);

uint64_t client_now_ms(void);

#endif
