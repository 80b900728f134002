/*
 * One MQTT client session inside someone else's poll loop: libmosquitto
 * without its thread. The owner polls mqtt_session_fd() for
 * mqtt_session_events(), calls mqtt_session_handle() with what poll said,
 * and mqtt_session_tick() by the deadline it returns. The session connects
 * (MQTT 5, falling back to 3.1.1 when the broker refuses 5 and the
 * configuration allows it), reconnects with a backoff of 1 s doubling to
 * 60 s, and reports through callbacks. It knows nothing of parley's topics,
 * payloads or store.
 *
 * Connecting is non-blocking for a numeric address; a host name is looked
 * up synchronously by libmosquitto (use an address, or a local resolver).
 */
#ifndef PARLEY_MQTT_SESSION_H
#define PARLEY_MQTT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mqtt_session;

struct mqtt_session_config {
	const char *host;
	int port;
	const char *client_id;
	const char *username, *password;     /* NULL: none */
	const char *ca_file, *cert_file, *key_file; /* NULL: no TLS / no client certificate */
	int keepalive;                       /* seconds */
	bool v5_only, v311_only;             /* neither: MQTT 5, else 3.1.1 */
	const char *will_topic;              /* NULL: no Last Will */
	const char *will_payload;
	bool will_retain;
};

struct mqtt_session_callbacks {
	/* CONNACK accepted: subscribe and publish what a fresh connection needs */
	void (*connected)(void *ctx, bool v5);
	/* the connection ended (why: words for the log); the session reconnects by itself */
	void (*disconnected)(void *ctx, const char *why);
	/* the broker acknowledged the QoS 1 publication mid */
	void (*published)(void *ctx, int mid);
	/* a message arrived; response_topic and correlation are MQTT 5's, NULL/0 when absent */
	void (*message)(void *ctx, const char *topic, const void *payload, size_t len,
			const char *response_topic, const void *correlation, size_t correlation_len);
};

/*
 * A session for cfg (its strings are copied). Nothing happens until the
 * first mqtt_session_tick. Returns NULL with *err (may be NULL) set to a
 * sentence: out of memory, a TLS file libmosquitto refuses, ...
 */
struct mqtt_session *mqtt_session_new(const struct mqtt_session_config *cfg,
				      const struct mqtt_session_callbacks *cb, void *ctx,
				      char *err, size_t err_size);

/* Disconnects cleanly when connected (no Last Will), then frees; NULL is a no-op. */
void mqtt_session_free(struct mqtt_session *s);

/* The socket to poll, -1 while there is none. */
int mqtt_session_fd(const struct mqtt_session *s);

/* POLLIN, plus POLLOUT when libmosquitto has bytes waiting to go. */
short mqtt_session_events(const struct mqtt_session *s);

/* Reads and writes as poll said (revents). */
void mqtt_session_handle(struct mqtt_session *s, short revents, int64_t now_ms);

/*
 * Keepalive pings, retries and reconnecting; call at or after the time it
 * last returned. Returns the next time it wants to be called (monotonic ms).
 */
int64_t mqtt_session_tick(struct mqtt_session *s, int64_t now_ms);

bool mqtt_session_connected(const struct mqtt_session *s);
bool mqtt_session_v5(const struct mqtt_session *s);

/*
 * Publishes (QoS 0 or 1). With MQTT 5, correlation (may be NULL) is sent as
 * Correlation Data. Returns 0 with *mid (may be NULL), -ENOTCONN when not
 * connected, -EMSGSIZE, -EIO (libmosquitto refused: the log says why).
 */
int mqtt_session_publish(struct mqtt_session *s, const char *topic, const void *payload,
			 size_t len, int qos, bool retain, const void *correlation,
			 size_t correlation_len, int *mid);

/* Subscribes (QoS 1). Returns 0, -ENOTCONN, -EIO. */
int mqtt_session_subscribe(struct mqtt_session *s, const char *topic);

/* The last connection error in words ("" none), for status and logs. */
const char *mqtt_session_error(const struct mqtt_session *s);

#endif
