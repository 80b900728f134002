/*
 * mqttc: the options every part of the console shares, and its exit codes.
 * main.c fills one struct mqttc_opts from the command line; client.c and the
 * subcommands (sub.c, pub.c, request.c) only read it. See docs/mqttc.md.
 */
#ifndef MQTTC_H
#define MQTTC_H

#include <stdbool.h>

/* Exit codes; scripts tell them apart, so they never change meaning. */
enum mqttc_exit {
	MQTTC_EXIT_OK = 0,
	MQTTC_EXIT_TIMEOUT = 1,   /* -W passed before the job was done */
	MQTTC_EXIT_USAGE = 2,
	MQTTC_EXIT_REFUSED = 3,   /* no connection, or the broker said no */
};

enum mqttc_cmd { MQTTC_CMD_SUB, MQTTC_CMD_PUB, MQTTC_CMD_REQUEST };

#define MQTTC_TOPICS_MAX 16

struct mqttc_opts {
	enum mqttc_cmd cmd;
	/* the session */
	const char *host;
	int port;
	int protocol;                    /* MQTT_PROTOCOL_V5 or MQTT_PROTOCOL_V311 */
	const char *id;                  /* NULL: the library makes one up */
	const char *user, *password;
	const char *cafile, *cert, *key; /* TLS when cafile is set */
	int qos;
	unsigned timeout_s;              /* 0: no timeout */
	unsigned session_s;              /* 0: a clean session; else its expiry after a disconnect */
	const char *will_topic, *will_message;
	bool will_retain;
	/* sub, pub and request */
	const char *topics[MQTTC_TOPICS_MAX];
	int ntopics;
	bool verbose, props;
	/* sub */
	long count;                      /* 0: no count */
	bool retained;
	const char *ready;
	/* pub and request */
	const char *message;
	bool retain, null_message;
	const char *response_topic;
	const unsigned char *correlation; /* bytes, from --correlation or --correlation-hex */
	int correlation_len;
	const char *reply_topic;
};

int sub_run(const struct mqttc_opts *o);
int pub_run(const struct mqttc_opts *o);
int request_run(const struct mqttc_opts *o);

#endif
