/*
 * Agents' presence: consoles publish, retained, "<cluster>/agents/<agent>"
 * {"state":"online"} when an agent logs in, and leave a Last Will saying
 * offline, so a console that crashes goes offline too. When an agent has
 * been offline longer than mqtt.agent_grace, the conversations they hold go
 * back to the queue for someone else. Held in memory: after a restart the
 * broker's retained messages tell the state again.
 */
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "daemon.h"
#include "log.h"
#include "parley/store_conversation.h"

#define AGENTS_MAX 256

struct agent {
	char id[MQTT_AGENT_MAX + 1];
	bool online;
	bool released;           /* offline and their conversations already returned */
	int64_t offline_since;   /* ms; 0 online */
};

static struct agent agents[AGENTS_MAX];
static size_t nagents;

void bridge_presence_reset(void)
{
	memset(agents, 0, sizeof(agents));
	nagents = 0;
}

static struct agent *agent_slot(const char *id)
{
	for (size_t i = 0; i < nagents; i++)
		if (strcmp(agents[i].id, id) == 0)
			return &agents[i];
	if (nagents == AGENTS_MAX)
		return NULL;
	snprintf(agents[nagents].id, sizeof(agents[nagents].id), "%s", id);
	return &agents[nagents++];
}

void bridge_presence(struct daemon *d, const char *topic, const void *payload, size_t len)
{
	char id[MQTT_AGENT_MAX + 1];
	struct mqtt_presence p;
	struct agent *a;

	if (mqtt_presence_agent(topic, d->conf.mqtt.cluster_topic, id, sizeof(id)) < 0 ||
	    mqtt_presence_parse(payload, len, &p) < 0) {
		log_warning("MQTT: ignored a malformed presence message on %.100s", topic);
		return;
	}
	if (!(a = agent_slot(id))) {
		log_warning("MQTT: more than %d agents: %s's presence is not followed", AGENTS_MAX, id);
		return;
	}
	if (p.online) {
		if (!a->online)
			log_info("MQTT: agent %s is online", id);
		a->online = true;
		a->released = false;
		a->offline_since = 0;
	} else if (a->online || !a->offline_since) {
		log_info("MQTT: agent %s is offline", id);
		a->online = false;
		a->offline_since = daemon_now();
	}
}

void bridge_presence_tick(struct daemon *d, int64_t now)
{
	int64_t grace = (int64_t)d->conf.mqtt.agent_grace * 1000;

	for (size_t i = 0; i < nagents; i++) {
		struct agent *a = &agents[i];
		int n;

		if (a->online || a->released || !a->offline_since || now - a->offline_since < grace)
			continue;
		n = store_conversation_release_agent(d->store, a->id, now);
		if (n < 0) {
			log_error("cannot return %s's conversations to the queue: %s", a->id,
				  store_error(d->store));
			continue;
		}
		a->released = true;
		if (n > 0) {
			store_sync(d->store);
			log_info("agent %s offline for %u s: %d conversation%s back in the queue", a->id,
				 d->conf.mqtt.agent_grace, n, n == 1 ? "" : "s");
		}
	}
}

bool bridge_agents_online(void)
{
	for (size_t i = 0; i < nagents; i++)
		if (agents[i].online)
			return true;
	return false;
}
