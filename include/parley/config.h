/*
 * parleyd's configuration: a libconfig file (default /etc/parley/parley.conf)
 * read and checked whole before anything starts. Every unknown key, wrong
 * type or out-of-range value is an error naming file:line and the key.
 *
 *   store = "/var/lib/parley/parley.db";
 *   control_socket = "/run/parley/parley.sock";
 *   log_level = "info";              # error | warning | info | debug
 *   metrics = { file = "/var/lib/node_exporter/parley.prom"; interval = 30; };
 *   queue = { retries = 5; retry_base = 30; unknown = "hold"; reassembly_timeout = 3600;
 *             retention_days = 90; report_window = 259200; };
 *   modems = (
 *     { name = "hat"; device = "/dev/serial0"; baud = 115200; profile = "sim7600";
 *       line = "+447700900001"; pin = "1234"; rate_per_minute = 20; daily_cap = 500;
 *       imei = "..."; iccid = "..."; hangup_calls = true; }
 *   );
 *
 * The policy and mqtt sections belong to later issues and are errors for now.
 */
#ifndef PARLEY_CONFIG_H
#define PARLEY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONF_MODEMS_MAX 16
#define CONF_PATH_MAX 256

enum conf_log_level { CONF_LOG_ERROR, CONF_LOG_WARNING, CONF_LOG_INFO, CONF_LOG_DEBUG };

struct conf_modem {
	char name[32];              /* unique; [A-Za-z0-9_-]+ */
	char device[CONF_PATH_MAX]; /* e.g. /dev/serial/by-id/usb-... or /dev/ttyUSB2 */
	unsigned baud;              /* 9600..921600, default 115200 */
	char profile[16];           /* a modem_profile name, default "generic" */
	char line[24];              /* the line's number, E.164 with '+'; unique; required */
	char pin[9];                /* 4-8 digits, "" none */
	char imei[20];              /* 15 digits, "" any */
	char iccid[24];             /* 18-22 digits, "" any */
	unsigned rate_per_minute;   /* 1..600, default 10 */
	unsigned daily_cap;         /* 0 none, else max sends per day */
	bool hangup_calls;          /* default true */
};

struct conf {
	char store[CONF_PATH_MAX];          /* default /var/lib/parley/parley.db */
	char control_socket[CONF_PATH_MAX]; /* default /run/parley/parley.sock */
	enum conf_log_level log_level;      /* default info */
	char metrics_file[CONF_PATH_MAX];   /* "" none */
	unsigned metrics_interval;          /* seconds, 5..3600, default 30 */
	unsigned retries;                   /* 0..100, default 5 */
	unsigned retry_base;                /* seconds, 1..3600, default 30: base of exponential backoff */
	bool unknown_requeue;               /* queue.unknown = "retry" | "hold" (default hold) */
	unsigned reassembly_timeout;        /* seconds, 60..604800, default 3600 */
	unsigned retention_days;            /* 0 keep forever, default 0 */
	unsigned report_window;             /* seconds to match status reports, default 259200 */
	size_t nmodems;
	struct conf_modem modems[CONF_MODEMS_MAX];
};

/* Fills *c with every default (no modems). */
void conf_defaults(struct conf *c);

/*
 * Reads and checks a file. Returns 0; or -ENOENT / -EACCES when it cannot
 * be read, -EINVAL for anything wrong in it, with err set to
 * "FILE:LINE: KEY: what is wrong" (LINE omitted when libconfig gives none).
 */
int conf_load(const char *path, struct conf *c, char *err, size_t err_size);

/* The same from text; name stands in for the file name in errors. */
int conf_load_string(const char *text, const char *name, struct conf *c, char *err,
		     size_t err_size);

#endif
