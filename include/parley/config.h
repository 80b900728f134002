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
 *       imei = "..."; iccid = "..."; hangup_calls = true; send_timeout = 60; }
 *   );
 *
 *   policy = {
 *     default_country = "GB";        # for numbers written without +country
 *     optout_scope = "all";          # line | group | all: what a STOP stops
 *     revoke_all = false;            # every STOP revokes all lines (FCC revoke-all)
 *     stop_category = "all";         # all | marketing: a STOP keeps transactional texts
 *     strict = false;                # suspected opt-outs ("please stop texting me") act
 *     confirm_period = 86400;        # seconds: no second confirmation within it
 *     optout_reply = "..."; optin_reply = "..."; help_reply = "...";
 *     retention_days = 1825;         # consent records kept at least this long
 *     quiet_hours = { start = "08:00"; end = "21:00"; categories = ["marketing"]; };
 *     caps = ( { category = "marketing"; max = 3; per = 86400; } );
 *     keywords = ( { language = "de"; opt_out = ["STOPP"]; opt_in = ["ANMELDEN"];
 *                    help = ["HILFE"]; } );
 *   };
 *
 * A modem may name its group: modems = ( { ...; group = "support"; } ).
 *
 *   mqtt = {
 *     host = "127.0.0.1"; port = 1883;     # no host: no bridge
 *     gateway_id = "shop-1";                # default: the host name
 *     base_topic = "parley/shop-1";         # default "<cluster_topic>/<gateway_id>"
 *     cluster_topic = "parley";             # shared by the gateways of one broker
 *     shared_group = "parley";              # $share/<group>/<cluster_topic>/command
 *     client_id = "parleyd-shop-1";         # default "parleyd-<gateway_id>"
 *     username = "gateway"; password = "..."; # or password_file = "/etc/parley/mqtt.pass";
 *     tls = { ca_file = "..."; cert_file = "..."; key_file = "..."; };
 *     keepalive = 30; protocol = "auto";    # auto (5, else 3.1.1) | "5" | "3.1.1"
 *     max_segments = 10;                    # longer texts are refused
 *     replicate_consent = true;             # share opt-outs with the other gateways
 *     agent_grace = 300;                    # an agent offline this long loses their conversations
 *     stats_interval = 60;                  # retained <base>/stats: the last 24 h, this often
 *   };
 *
 *   rules = (                               # keyword rules, tried in order; at most 32
 *     { keyword = "CONFIRM";                # compared as consent keywords are: case,
 *                                           # accents, punctuation and emoji ignored
 *       match = "whole";                    # whole (default): the text is the keyword;
 *                                           # first_word: it starts with the keyword's words
 *       reply = "Thanks, your appointment is confirmed.";  # up to 480 bytes, "" none
 *       event = true;                       # tell the consoles (default false)
 *       name = "confirm"; },                # default from the keyword: "opening_hours"
 *     { keyword = "BOOK"; match = "first_word"; event = true; }
 *   );
 *
 * A rule needs a reply, an event or both. Opt-out, opt-in and help texts
 * never reach the rules, and a rule whose keyword is (or, for first_word,
 * starts with) a built-in or policy.keywords word is an error.
 */
#ifndef PARLEY_CONFIG_H
#define PARLEY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "parley/keyword_rules.h"

#define CONF_MODEMS_MAX 16
#define CONF_RULES_MAX 32
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
	unsigned send_timeout;      /* seconds to wait for +CMGS's answer, 5..300, default 60 */
	bool hangup_calls;          /* default true */
	char group[32];             /* "" none; opt-outs scoped "group" cover its lines */
};

#define CONF_REPLY_MAX 481          /* bytes of a consent reply, with its NUL */
#define CONF_KEYWORDS_MAX 64
#define CONF_CAPS_MAX 3

enum conf_optout_scope { CONF_SCOPE_LINE, CONF_SCOPE_GROUP, CONF_SCOPE_ALL };

/* The outbound categories, as bits for quiet_hours.categories. */
#define CONF_CAT_TRANSACTIONAL 1u
#define CONF_CAT_CONVERSATIONAL 2u
#define CONF_CAT_MARKETING 4u

struct conf_keyword {
	int kind;                   /* enum keyword_kind: KEYWORD_OPT_OUT, _OPT_IN or _HELP */
	char word[64];
	char language[16];
};

struct conf_cap {
	char category[16];          /* transactional | conversational | marketing */
	unsigned max;               /* texts ... */
	unsigned per;               /* ... per this many seconds */
};

struct conf_policy {
	char default_country[3];    /* ISO 3166 alpha-2, "" none: numbers must carry + */
	enum conf_optout_scope optout_scope;   /* default all */
	bool revoke_all;
	bool stop_marketing_only;   /* stop_category = "marketing" */
	bool strict;
	unsigned confirm_period;    /* seconds, default 86400 */
	char optout_reply[CONF_REPLY_MAX];
	char optin_reply[CONF_REPLY_MAX];
	char help_reply[CONF_REPLY_MAX];
	unsigned retention_days;    /* 1..36500, default 1825 */
	unsigned quiet_start, quiet_end;   /* minutes of the day, default 08:00 and 21:00 */
	unsigned quiet_categories;  /* CONF_CAT_* bits, default marketing */
	size_t ncaps;
	struct conf_cap caps[CONF_CAPS_MAX];
	size_t nkeywords;
	struct conf_keyword keywords[CONF_KEYWORDS_MAX];
};

enum conf_mqtt_protocol { CONF_MQTT_AUTO, CONF_MQTT_V5, CONF_MQTT_V311 };

struct conf_mqtt {
	char host[CONF_PATH_MAX];      /* "" no bridge */
	unsigned port;                 /* default 1883, 8883 with tls */
	char gateway_id[64];
	char base_topic[200];
	char cluster_topic[120];
	char shared_group[64];
	char client_id[64];
	char username[64];
	char password[128];            /* from password or password_file; never logged */
	char ca_file[CONF_PATH_MAX], cert_file[CONF_PATH_MAX], key_file[CONF_PATH_MAX];
	unsigned keepalive;            /* seconds, 5..3600, default 30 */
	enum conf_mqtt_protocol protocol;
	unsigned max_segments;         /* 1..255, default 10 */
	bool replicate_consent;        /* default true */
	unsigned agent_grace;          /* seconds an agent may be offline before their
					  conversations return to the queue; default 300 */
	unsigned stats_interval;       /* seconds between retained <base>/stats, default 60 */
};

/*
 * automation = {
 *   auto_ack = "Thanks for your message! Our team answers 9:00-17:00, Mon-Fri.";
 *   ack_idle = 3600;            # one acknowledgement per conversation per this many seconds
 *   business_hours = { start = "09:00"; end = "17:00"; days = ["mon","tue","wed","thu","fri"];
 *                      zone = "Europe/London"; };
 *   unanswered_after = 600;     # seconds a customer may wait for a human before an alert
 *   escalate_every = 600;       # then a new alert, one level up, this often
 *   escalate_max = 3;
 * };
 */
struct conf_automation {
	char auto_ack[CONF_REPLY_MAX];  /* "" none */
	unsigned ack_idle;              /* seconds, default 3600 */
	bool business_hours;            /* a window was given */
	unsigned open_min, close_min;   /* minutes of the day, local to zone */
	unsigned days;                  /* bits, 1 << 0 Sunday .. 1 << 6 Saturday */
	char zone[64];                  /* IANA zone, "" the gateway's own */
	unsigned unanswered_after;      /* seconds, 0 no alerts; default 600 */
	unsigned escalate_every;        /* seconds, default 600 */
	unsigned escalate_max;          /* 1..10, default 3 */
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
	struct conf_policy policy;
	struct conf_mqtt mqtt;
	struct conf_automation automation;
	struct {
		size_t n;
		struct { char name[64]; char text[CONF_REPLY_MAX]; } list[32];
	} templates;                   /* templates = { order_update = "Hi {first_name} ..."; }; */
	size_t nrules;
	struct keyword_rule rules[CONF_RULES_MAX];  /* keywords normalised, names unique */
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
