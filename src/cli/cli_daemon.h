/*
 * What the queue commands share: finding the daemon's store and control
 * socket from its configuration (-c FILE, or --store / --socket), and
 * talking to the running daemon.
 */
#ifndef PARLEY_CLI_DAEMON_H
#define PARLEY_CLI_DAEMON_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "parley/config.h"
#include "parley/store.h"

struct cli_target {
	const char *config;      /* -c FILE, default /etc/parley/parley.conf */
	const char *store;       /* --store overrides the configuration's */
	const char *socket;      /* --socket overrides the configuration's */
	char store_path[256];
	char socket_path[256];
	const struct conf *conf;  /* the configuration read, or the defaults when none was */
};

/*
 * Resolves the paths (reading the configuration unless both are given
 * without -c) and opens the store (st may be NULL: paths only). Returns 0, or prints why on stderr and returns CLI_EXIT_FAIL.
 */
int cli_target_open(struct cli_target *t, struct store **st);

/*
 * Sends one request to the daemon. Returns the parsed reply (cJSON_Delete
 * it), or NULL when the daemon is not running or did not answer.
 */
cJSON *cli_daemon_request(const struct cli_target *t, const char *json);

/* The wall clock in ms since the epoch: what the store's times count. */
int64_t cli_now_ms(void);

/* "2026-11-22 12:00:05" in local time into buf. */
const char *cli_time(long long ms, char *buf, unsigned size);

#endif
