/*
 * Agents and their presence (mqtt_payload.h): what an agent id may hold,
 * the retained payloads consoles publish on "<cluster>/agents/<agent>"
 * ({"state":"online","name":"Alice"}, an offline one as their Last Will,
 * an empty one to delete it), and the agent id read back from such a topic.
 *
 * Presence is a statement, not an order: fields other than "state" and
 * "name" are ignored so that consoles can add their own, where a command's
 * unknown field is refused (mqtt_command.c). What the daemon does when an
 * agent goes offline (a grace period, then releasing its conversations) is
 * the daemon's business. Pure: no I/O, no clock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parley/mqtt_payload.h"
#include "parley/utf8.h"

#define AGENTS_LEVEL "/agents/"

bool mqtt_agent_id_ok(const char *s)
{
	if (!s)
		return false;
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-");
	return n >= 1 && n <= MQTT_AGENT_MAX && s[n] == '\0';
}

/*
 * Whether the payload writes a NUL as "\u0000": cJSON would cut the string
 * there without a word. An escape is a backslash preceded by an even number
 * of backslashes (outside strings a backslash is not JSON at all).
 */
static bool escaped_nul(const char *s, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\') {
			if (run % 2 == 0 && len - i >= 6 && memcmp(s + i + 1, "u0000", 5) == 0)
				return true;
			run++;
		} else {
			run = 0;
		}
	}
	return false;
}

/* A display name: 1..MQTT_AGENT_NAME_MAX bytes (UTF-8 was checked whole), no control characters. */
static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > MQTT_AGENT_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* Whether an object holds key more than once (RFC 7493: which one would count?). */
static bool twice(const cJSON *obj, const char *key)
{
	int seen = 0;
	for (const cJSON *it = obj->child; it; it = it->next)
		seen += strcmp(it->string, key) == 0;
	return seen > 1;
}

int mqtt_presence_parse(const char *payload, size_t len, struct mqtt_presence *out)
{
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	if (!payload || len == 0)
		return 0; /* a deleted retained message: the agent is gone */
	if (utf8_validate(payload, len) != 0 || memchr(payload, '\0', len) || escaped_nul(payload, len))
		return -EINVAL;

	/* NUL-terminated, so that cJSON can be told to refuse anything after the value */
	char *text = malloc(len + 1);
	if (!text)
		return -ENOMEM;
	memcpy(text, payload, len);
	text[len] = '\0';
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
	free(text);
	/* bad JSON, a lone surrogate, or (rarely) no memory: cJSON does not say which */
	if (!root)
		return -EINVAL;
	int rc = -EINVAL;
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(root, "state");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
	if (!cJSON_IsObject(root) || !cJSON_IsString(state) || twice(root, "state") || twice(root, "name"))
		goto done;
	if (strcmp(state->valuestring, "online") == 0)
		out->online = true;
	else if (strcmp(state->valuestring, "offline") != 0)
		goto done;
	if (name) {
		if (!cJSON_IsString(name) || !name_ok(name->valuestring))
			goto done;
		memcpy(out->name, name->valuestring, strlen(name->valuestring) + 1);
	}
	rc = 0;
done:
	cJSON_Delete(root);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

int mqtt_presence_agent(const char *topic, const char *cluster, char *agent, size_t size)
{
	if (!topic || !cluster || !agent || mqtt_topic_base_problem(cluster))
		return -EINVAL;
	size_t n = strlen(cluster), levels = strlen(AGENTS_LEVEL);
	if (strncmp(topic, cluster, n) != 0 || strncmp(topic + n, AGENTS_LEVEL, levels) != 0)
		return -EINVAL;
	const char *id = topic + n + levels;
	if (!mqtt_agent_id_ok(id)) /* also refuses a further level: '/' is not in an id */
		return -EINVAL;
	size_t idlen = strlen(id);
	if (idlen >= size)
		return -EMSGSIZE;
	memcpy(agent, id, idlen + 1);
	return (int)idlen;
}
