/*
 * The automation section of parley.conf: the acknowledgement sent when no
 * person can answer (nobody online, or outside business hours) and the
 * alerts for customers waiting too long. See include/parley/config.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "parley/config.h"

#include "conf_reader.h"

void conf_automation_defaults(struct conf_automation *a)
{
	memset(a, 0, sizeof(*a));
	a->ack_idle = 3600;
	a->unanswered_after = 600;
	a->escalate_every = 600;
	a->escalate_max = 3;
}

static int read_clock(struct conf_reader *r, const config_setting_t *s, unsigned *minutes)
{
	const char *v = NULL;
	unsigned h, m;
	char tail;
	int ret = conf_get_string(r, s, &v);

	if (ret)
		return ret;
	if (sscanf(v, "%2u:%2u%c", &h, &m, &tail) != 2 || strlen(v) != 5 || m > 59 ||
	    h * 60 + m > 24 * 60)
		return conf_error(r, s, NULL, "\"%.20s\" is not a time of day \"HH:MM\"", v);
	*minutes = h * 60 + m;
	return 0;
}

static int read_open(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		     void *base)
{
	(void)k;
	return read_clock(r, s, &((struct conf_automation *)base)->open_min);
}

static int read_close(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		      void *base)
{
	(void)k;
	return read_clock(r, s, &((struct conf_automation *)base)->close_min);
}

static int read_days(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		     void *base)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	struct conf_automation *a = base;

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
		return conf_error(r, s, NULL, "expected an array of days [\"mon\", ...], got %s",
				  conf_type_words(s));
	a->days = 0;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *v = NULL;
		int ret = conf_get_string(r, e, &v), day = -1;

		if (ret)
			return ret;
		for (int d = 0; d < 7; d++)
			if (strcmp(v, names[d]) == 0)
				day = d;
		if (day < 0)
			return conf_error(r, e, NULL, "\"%.20s\" is not a day (sun, mon, tue, wed, thu, "
					  "fri, sat)", v);
		a->days |= 1u << day;
	}
	return 0;
}

static const char *zone_problem(const char *v)
{
	return strstr(v, "..") || v[0] == '/' ? "an IANA zone name such as \"Europe/London\"" : NULL;
}

static const struct conf_key hours_keys[] = {
	{ .name = "start", .read = read_open },
	{ .name = "end", .read = read_close },
	{ .name = "days", .read = read_days },
	{ .name = "zone", .read = conf_read_string, .offset = offsetof(struct conf_automation, zone),
	  .size = sizeof(((struct conf_automation *)0)->zone), .check = zone_problem,
	  .quote = true },
	{ .name = NULL },
};

static int read_hours(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		      void *base)
{
	struct conf_automation *a = base;
	int ret;

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return conf_error(r, s, NULL, "expected a group { ... }, got %s", conf_type_words(s));
	a->open_min = 9 * 60;
	a->close_min = 17 * 60;
	a->days = 0x3e; /* Monday to Friday */
	if ((ret = conf_read_members(r, s, hours_keys, a)))
		return ret;
	if (a->open_min >= a->close_min)
		return conf_error(r, s, NULL, "business hours must start before they end, within a day");
	a->business_hours = true;
	return 0;
}

static const struct conf_key automation_keys[] = {
	{ .name = "auto_ack", .read = conf_read_string,
	  .offset = offsetof(struct conf_automation, auto_ack), .size = CONF_REPLY_MAX,
	  .allow_empty = true },
	{ .name = "ack_idle", .read = conf_read_uint,
	  .offset = offsetof(struct conf_automation, ack_idle), .min = 60, .max = 7 * 86400 },
	{ .name = "business_hours", .read = read_hours },
	{ .name = "unanswered_after", .read = conf_read_uint,
	  .offset = offsetof(struct conf_automation, unanswered_after), .min = 0, .max = 7 * 86400 },
	{ .name = "escalate_every", .read = conf_read_uint,
	  .offset = offsetof(struct conf_automation, escalate_every), .min = 1, .max = 7 * 86400 },
	{ .name = "escalate_max", .read = conf_read_uint,
	  .offset = offsetof(struct conf_automation, escalate_max), .min = 1, .max = 10 },
	{ .name = NULL },
};

int conf_read_automation(struct conf_reader *r, const config_setting_t *s,
			 const struct conf_key *k, void *base)
{
	struct conf_automation *a = (struct conf_automation *)((char *)base + k->offset);

	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return conf_error(r, s, NULL, "expected a group { ... }, got %s", conf_type_words(s));
	return conf_read_members(r, s, automation_keys, a);
}
