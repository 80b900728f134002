/*
 * What parley.conf may say: its sections, keys, types, ranges and
 * defaults, as tables for conf_reader.c, plus the checks that span keys
 * (a modem's required device and line, names, lines and devices unique;
 * the rules against the policy section's keywords, once both are read).
 * include/parley/config.h shows the file; the defaults live in config.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "parley/config.h"
#include "parley/modem.h"

#include "conf_reader.h"

#define DAILY_CAP_MAX 1000000
/* sun_path holds the socket's path and its NUL */
#define SOCKET_PATH_MAX_LEN (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/* Reads a string that must be one of words; *idx is its position. */
static int read_word(struct conf_reader *r, const config_setting_t *s, const char *const *words,
		     size_t n, size_t *idx)
{
	char list[128] = "";
	const char *v = NULL;
	int ret = conf_get_string(r, s, &v);

	if (ret)
		return ret;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v, words[i]) == 0) {
			*idx = i;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
			 words[i]);
	}
	return conf_error(r, s, NULL, "\"%.40s\" is not one of %s", v, list);
}

static int read_log_level(struct conf_reader *r, const config_setting_t *s,
			  const struct conf_key *k, void *base)
{
	/* in the order of enum conf_log_level */
	static const char *const words[] = { "error", "warning", "info", "debug" };
	struct conf *c = base;
	size_t i = 0;
	int ret = read_word(r, s, words, sizeof(words) / sizeof(words[0]), &i);

	(void)k;
	if (ret)
		return ret;
	c->log_level = (enum conf_log_level)i;
	return 0;
}

static int read_unknown(struct conf_reader *r, const config_setting_t *s,
			const struct conf_key *k, void *base)
{
	static const char *const words[] = { "hold", "retry" };
	struct conf *c = base;
	size_t i = 0;
	int ret = read_word(r, s, words, sizeof(words) / sizeof(words[0]), &i);

	(void)k;
	if (ret)
		return ret;
	c->unknown_requeue = i == 1;
	return 0;
}

static int read_baud(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		     void *base)
{
	struct conf_modem *m = base;
	long long v = 0;
	int ret = conf_get_integer(r, s, &v);

	(void)k;
	if (ret)
		return ret;
	if (!conf_baud_valid(v))
		return conf_error(r, s, NULL, "%lld is not a standard rate (9600, 19200, 38400, "
				  "57600, 115200, 230400, 460800, 921600)", v);
	m->baud = (unsigned)v;
	return 0;
}

static int read_profile(struct conf_reader *r, const config_setting_t *s,
			const struct conf_key *k, void *base)
{
	struct conf_modem *m = base;
	const struct modem_profile *p;
	const char *v = NULL;
	int ret = conf_get_string(r, s, &v);

	(void)k;
	if (ret)
		return ret;
	p = modem_profile_find(v);
	if (!p || strlen(p->name) >= sizeof(m->profile))
		return conf_error(r, s, NULL, "unknown modem profile \"%.40s\"", v);
	/* the profile's own spelling: "SIM7600" in the file is "sim7600" everywhere after */
	strcpy(m->profile, p->name);
	return 0;
}

static const struct conf_key modem_keys[] = {
	{ .name = "name", .read = conf_read_string, .offset = offsetof(struct conf_modem, name),
	  .size = sizeof(((struct conf_modem *)0)->name), .check = conf_check_name, .quote = true },
	{ .name = "device", .read = conf_read_string, .offset = offsetof(struct conf_modem, device),
	  .size = sizeof(((struct conf_modem *)0)->device) },
	{ .name = "baud", .read = read_baud },
	{ .name = "profile", .read = read_profile },
	{ .name = "line", .read = conf_read_string, .offset = offsetof(struct conf_modem, line),
	  .size = sizeof(((struct conf_modem *)0)->line), .check = conf_check_line, .quote = true },
	{ .name = "pin", .read = conf_read_string, .offset = offsetof(struct conf_modem, pin),
	  .size = sizeof(((struct conf_modem *)0)->pin), .check = conf_check_pin,
	  .allow_empty = true },
	{ .name = "imei", .read = conf_read_string, .offset = offsetof(struct conf_modem, imei),
	  .size = sizeof(((struct conf_modem *)0)->imei), .check = conf_check_imei,
	  .allow_empty = true, .quote = true },
	{ .name = "iccid", .read = conf_read_string, .offset = offsetof(struct conf_modem, iccid),
	  .size = sizeof(((struct conf_modem *)0)->iccid), .check = conf_check_iccid,
	  .allow_empty = true, .quote = true },
	{ .name = "rate_per_minute", .read = conf_read_uint,
	  .offset = offsetof(struct conf_modem, rate_per_minute), .min = 1, .max = 600 },
	{ .name = "daily_cap", .read = conf_read_uint, .offset = offsetof(struct conf_modem, daily_cap),
	  .min = 0, .max = DAILY_CAP_MAX },
	{ .name = "send_timeout", .read = conf_read_uint,
	  .offset = offsetof(struct conf_modem, send_timeout), .min = 5, .max = 300 },
	{ .name = "hangup_calls", .read = conf_read_bool,
	  .offset = offsetof(struct conf_modem, hangup_calls) },
	{ .name = "group", .read = conf_read_string, .offset = offsetof(struct conf_modem, group),
	  .size = sizeof(((struct conf_modem *)0)->group), .check = conf_check_name,
	  .allow_empty = true, .quote = true },
	{ .name = NULL },
};

static void modem_defaults(struct conf_modem *m, size_t index)
{
	memset(m, 0, sizeof(*m));
	/* a modem without a name is called after its place in the list */
	snprintf(m->name, sizeof(m->name), "modem%zu", index);
	m->baud = 115200;
	strcpy(m->profile, "generic");
	m->rate_per_minute = 10;
	/* TS 27.005 leaves it open; a congested network takes tens of seconds */
	m->send_timeout = 60;
	m->hangup_calls = true;
}

/* The setting of key in modem group e, or e itself when the key was left out. */
static const config_setting_t *member_or_group(const config_setting_t *e, const char *key,
					       const char **suffix)
{
	const config_setting_t *s = config_setting_get_member(e, key);

	*suffix = s ? NULL : key;
	return s ? s : e;
}

/* A modem's name, line and device each belong to one modem only. */
static int check_unique(struct conf_reader *r, const config_setting_t *list, const struct conf *c,
			size_t i)
{
	const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
	const struct conf_modem *m = &c->modems[i];
	const config_setting_t *at;
	const char *suffix;

	for (size_t j = 0; j < i; j++) {
		const struct conf_modem *o = &c->modems[j];

		if (strcmp(m->name, o->name) == 0) {
			at = member_or_group(e, "name", &suffix);
			return conf_error(r, at, suffix, "\"%s\" is already the name of modems.[%zu]",
					  m->name, j);
		}
		if (strcmp(m->line, o->line) == 0) {
			at = member_or_group(e, "line", &suffix);
			return conf_error(r, at, suffix, "\"%s\" is already the line of modems.[%zu] (%s)",
					  m->line, j, o->name);
		}
		/* two drivers on one port would answer each other's commands */
		if (strcmp(m->device, o->device) == 0) {
			at = member_or_group(e, "device", &suffix);
			return conf_error(r, at, suffix,
					  "\"%.40s\" is already the device of modems.[%zu] (%s)",
					  m->device, j, o->name);
		}
	}
	return 0;
}

static int read_modems(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		       void *base)
{
	struct conf *c = base;
	int n = config_setting_length(s);

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_error(r, s, NULL, "expected a list ( ... ) of modem groups, got %s",
				  conf_type_words(s));
	c->nmodems = 0;
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		struct conf_modem *m;
		int ret;

		if (i >= CONF_MODEMS_MAX)
			return conf_error(r, e, NULL, "more than %d modems", CONF_MODEMS_MAX);
		if (config_setting_type(e) != CONFIG_TYPE_GROUP)
			return conf_error(r, e, NULL, "expected a group { ... }, got %s",
					  conf_type_words(e));
		m = &c->modems[i];
		modem_defaults(m, (size_t)i);
		ret = conf_read_members(r, e, modem_keys, m);
		if (ret)
			return ret;
		if (!m->device[0])
			return conf_error(r, e, "device", "missing: the modem's serial port, "
					  "e.g. \"/dev/ttyUSB2\"");
		if (!m->line[0])
			return conf_error(r, e, "line", "missing: the SIM's number, "
					  "e.g. \"+447700900001\"");
		ret = check_unique(r, s, c, (size_t)i);
		if (ret)
			return ret;
		c->nmodems = (size_t)i + 1;
	}
	return 0;
}

static const struct conf_key metrics_keys[] = {
	{ .name = "file", .read = conf_read_string, .offset = offsetof(struct conf, metrics_file),
	  .size = CONF_PATH_MAX, .allow_empty = true },
	{ .name = "interval", .read = conf_read_uint,
	  .offset = offsetof(struct conf, metrics_interval), .min = 5, .max = 3600 },
	{ .name = NULL },
};

static const struct conf_key queue_keys[] = {
	{ .name = "retries", .read = conf_read_uint, .offset = offsetof(struct conf, retries),
	  .min = 0, .max = 100 },
	{ .name = "retry_base", .read = conf_read_uint, .offset = offsetof(struct conf, retry_base),
	  .min = 1, .max = 3600 },
	{ .name = "unknown", .read = read_unknown },
	{ .name = "reassembly_timeout", .read = conf_read_uint,
	  .offset = offsetof(struct conf, reassembly_timeout), .min = 60, .max = 604800 },
	/* a century: "forever" is 0 */
	{ .name = "retention_days", .read = conf_read_uint,
	  .offset = offsetof(struct conf, retention_days), .min = 0, .max = 36500 },
	/* status reports come within minutes, or days when the phone was off; 30 days at most */
	{ .name = "report_window", .read = conf_read_uint,
	  .offset = offsetof(struct conf, report_window), .min = 60, .max = 2592000 },
	{ .name = NULL },
};

static const struct conf_key top_keys[] = {
	{ .name = "store", .read = conf_read_string, .offset = offsetof(struct conf, store),
	  .size = CONF_PATH_MAX },
	{ .name = "control_socket", .read = conf_read_string,
	  .offset = offsetof(struct conf, control_socket), .size = CONF_PATH_MAX,
	  .max_len = SOCKET_PATH_MAX_LEN },
	{ .name = "log_level", .read = read_log_level },
	{ .name = "metrics", .read = conf_read_group, .keys = metrics_keys },
	{ .name = "queue", .read = conf_read_group, .keys = queue_keys },
	{ .name = "modems", .read = read_modems },
	{ .name = "policy", .read = conf_read_policy, .offset = offsetof(struct conf, policy) },
	{ .name = "mqtt", .read = conf_read_mqtt, .offset = offsetof(struct conf, mqtt) },
	{ .name = "templates", .read = conf_read_templates },
	{ .name = "automation", .read = conf_read_automation,
	  .offset = offsetof(struct conf, automation) },
	{ .name = "rules", .read = conf_read_rules },
	{ .name = NULL },
};

int conf_schema_read(struct conf_reader *r, const config_setting_t *root, struct conf *c)
{
	int ret = conf_read_members(r, root, top_keys, c);

	/* after every section: the rules meet the policy section's keywords, wherever it is */
	return ret ? ret : conf_rules_check(r, root, c);
}
