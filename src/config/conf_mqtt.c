/*
 * The mqtt section of parley.conf (the broker, topics, credentials, TLS)
 * and the templates section (named texts with {variables} for the send
 * command). What each key means is in include/parley/config.h and
 * docs/mqtt.md; here are the keys, the defaults derived from others, and
 * the checks a broker would otherwise make at the worst moment.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "parley/config.h"
#include "parley/mqtt_payload.h"

#include "conf_reader.h"

void conf_mqtt_defaults(struct conf_mqtt *m)
{
	memset(m, 0, sizeof(*m));
	m->port = 0; /* 1883, or 8883 with tls: decided once tls is known */
	strcpy(m->cluster_topic, "parley");
	strcpy(m->shared_group, "parley");
	m->keepalive = 30;
	m->protocol = CONF_MQTT_AUTO;
	m->max_segments = 10;
	m->replicate_consent = true;
	m->agent_grace = 300;
	m->stats_interval = 60;
}

static int read_protocol(struct conf_reader *r, const config_setting_t *s,
			 const struct conf_key *k, void *base)
{
	struct conf_mqtt *m = base;
	const char *v = NULL;
	int ret = conf_get_string(r, s, &v);

	(void)k;
	if (ret)
		return ret;
	if (strcmp(v, "auto") == 0)
		m->protocol = CONF_MQTT_AUTO;
	else if (strcmp(v, "5") == 0)
		m->protocol = CONF_MQTT_V5;
	else if (strcmp(v, "3.1.1") == 0)
		m->protocol = CONF_MQTT_V311;
	else
		return conf_error(r, s, NULL, "\"%.20s\" is not one of auto, 5, 3.1.1", v);
	return 0;
}

/* The first line of a file holding the password, so that it stays out of the config. */
static int read_password_file(struct conf_reader *r, const config_setting_t *s,
			      const struct conf_key *k, void *base)
{
	struct conf_mqtt *m = base;
	const char *path = NULL;
	char buf[sizeof(m->password) + 2];
	FILE *f;
	int ret = conf_get_string(r, s, &path);

	(void)k;
	if (ret)
		return ret;
	if (!(f = fopen(path, "r")))
		return conf_error(r, s, NULL, "%.100s: %s", path, strerror(errno));
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0] || strlen(buf) >= sizeof(m->password))
		return conf_error(r, s, NULL, "%.100s: the first line must hold the password "
				  "(1 to %zu characters)", path, sizeof(m->password) - 1);
	memcpy(m->password, buf, strlen(buf) + 1);
	return 0;
}

static const char *topic_problem(const char *v)
{
	return mqtt_topic_base_problem(v) ? "a topic without wildcards, $ or empty levels" : NULL;
}

/* A topic level: the gateway id and the shared group stand alone in topics. */
static const char *level_problem(const char *v)
{
	return strpbrk(v, "/+#$") ? "a name without '/', '+', '#' or '$'" : NULL;
}

#define STR_KEY(field, ...) \
	{ .name = #field, .read = conf_read_string, .offset = offsetof(struct conf_mqtt, field), \
	  .size = sizeof(((struct conf_mqtt *)0)->field), __VA_ARGS__ }

static const struct conf_key tls_keys[] = {
	STR_KEY(ca_file),
	STR_KEY(cert_file),
	STR_KEY(key_file),
	{ .name = NULL },
};

static const struct conf_key mqtt_keys[] = {
	STR_KEY(host),
	{ .name = "port", .read = conf_read_uint, .offset = offsetof(struct conf_mqtt, port),
	  .min = 1, .max = 65535 },
	STR_KEY(gateway_id, .check = level_problem, .quote = true),
	STR_KEY(base_topic, .check = topic_problem, .quote = true),
	STR_KEY(cluster_topic, .check = topic_problem, .quote = true),
	STR_KEY(shared_group, .check = level_problem, .quote = true),
	STR_KEY(client_id),
	STR_KEY(username),
	/* never quoted in an error: it is a secret */
	STR_KEY(password),
	{ .name = "password_file", .read = read_password_file },
	{ .name = "tls", .read = conf_read_group, .keys = tls_keys },
	{ .name = "keepalive", .read = conf_read_uint,
	  .offset = offsetof(struct conf_mqtt, keepalive), .min = 5, .max = 3600 },
	{ .name = "protocol", .read = read_protocol },
	{ .name = "max_segments", .read = conf_read_uint,
	  .offset = offsetof(struct conf_mqtt, max_segments), .min = 1, .max = 255 },
	{ .name = "replicate_consent", .read = conf_read_bool,
	  .offset = offsetof(struct conf_mqtt, replicate_consent) },
	{ .name = "agent_grace", .read = conf_read_uint,
	  .offset = offsetof(struct conf_mqtt, agent_grace), .min = 0, .max = 86400 },
	{ .name = "stats_interval", .read = conf_read_uint,
	  .offset = offsetof(struct conf_mqtt, stats_interval), .min = 1, .max = 86400 },
	{ .name = NULL },
};

int conf_read_mqtt(struct conf_reader *r, const config_setting_t *s, const struct conf_key *k,
		   void *base)
{
	struct conf_mqtt *m = (struct conf_mqtt *)((char *)base + k->offset);
	char host[64];
	int ret;

	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return conf_error(r, s, NULL, "expected a group { ... }, got %s",
				  conf_type_words(s));
	if ((ret = conf_read_members(r, s, mqtt_keys, m)))
		return ret;
	if (!m->host[0])
		return conf_error(r, s, "host", "missing: the broker's address, e.g. \"127.0.0.1\"");
	if ((m->cert_file[0] != 0) != (m->key_file[0] != 0))
		return conf_error(r, s, "tls", "cert_file and key_file go together");
	if (m->cert_file[0] && !m->ca_file[0])
		return conf_error(r, s, "tls", "a client certificate needs ca_file too");
	if (!m->port)
		m->port = m->ca_file[0] ? 8883 : 1883;
	if (!m->gateway_id[0]) {
		if (gethostname(host, sizeof(host)) != 0 || !host[0] || level_problem(host))
			return conf_error(r, s, "gateway_id", "missing, and the host name cannot "
					  "stand in for it");
		host[sizeof(host) - 1] = '\0';
		snprintf(m->gateway_id, sizeof(m->gateway_id), "%s", host);
	}
	if (!m->base_topic[0] &&
	    (size_t)snprintf(m->base_topic, sizeof(m->base_topic), "%s/%s", m->cluster_topic,
			     m->gateway_id) >= sizeof(m->base_topic))
		return conf_error(r, s, "base_topic", "cluster_topic/gateway_id is too long");
	if (!m->client_id[0])
		snprintf(m->client_id, sizeof(m->client_id), "parleyd-%.50s", m->gateway_id);
	return 0;
}

int conf_read_templates(struct conf_reader *r, const config_setting_t *s,
			const struct conf_key *k, void *base)
{
	struct conf *c = base;

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return conf_error(r, s, NULL, "expected a group { name = \"text\"; ... }, got %s",
				  conf_type_words(s));
	c->templates.n = 0;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *t = config_setting_get_elem(s, (unsigned)i);
		const char *name = config_setting_name(t), *text = NULL;
		size_t n = c->templates.n;
		int ret;

		if (n >= sizeof(c->templates.list) / sizeof(c->templates.list[0]))
			return conf_error(r, t, NULL, "more than %zu templates",
					  sizeof(c->templates.list) / sizeof(c->templates.list[0]));
		if ((ret = conf_get_string(r, t, &text)))
			return ret;
		if (!*text || strlen(text) >= sizeof(c->templates.list[0].text))
			return conf_error(r, t, NULL, "a template is 1 to %zu bytes",
					  sizeof(c->templates.list[0].text) - 1);
		if (strlen(name) >= sizeof(c->templates.list[0].name))
			return conf_error(r, t, NULL, "the name is too long");
		strcpy(c->templates.list[n].name, name);
		strcpy(c->templates.list[n].text, text);
		c->templates.n = n + 1;
	}
	return 0;
}
