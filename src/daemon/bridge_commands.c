/*
 * Commands from MQTT: parsed and checked whole (mqtt_payload.h), carried
 * out against the store through the same guard as `parley send`, and
 * answered exactly once: on the MQTT 5 response topic with the command's
 * correlation data, else on the command's "reply_to", else on <base>/reply.
 * A bad command gets a rejection with a code and a sentence, a log line,
 * and changes nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bridge.h"
#include "daemon.h"
#include "log.h"
#include "parley/consent.h"
#include "parley/consent_view.h"
#include "parley/mqtt_payload.h"
#include "parley/phone_number.h"
#include "parley/sms_submit.h"
#include "parley/store_consent.h"
#include "parley/template.h"

/* per command (struct mqtt_limits): a campaign carries its list of up to 10,000 recipients */
#define PAYLOAD_MAX 16384
#define CAMPAIGN_PAYLOAD_MAX (2u * 1024 * 1024)
#define TEXT_MAX 4000

void bridge_reject(struct bridge_answer *a, const char *code, int number, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->reason, sizeof(a->reason), fmt, ap);
	va_end(ap);
	a->r.accepted = false;
	a->r.code = code;
	a->r.code_number = number;
	a->r.reason = a->reason;
}

static bool our_line(const struct daemon *d, const char *line)
{
	for (size_t i = 0; i < d->conf.nmodems; i++)
		if (strcmp(d->conf.modems[i].line, line) == 0)
			return true;
	return false;
}

/* The text to send: as given, or the template rendered. false with the answer set. */
bool bridge_command_text(const struct daemon *d, const struct mqtt_command *c, char *out,
			 size_t size, struct bridge_answer *a)
{
	struct template_var vars[MQTT_VARS_MAX];
	char missing[64];
	int rc;

	if (!c->template_name[0]) {
		snprintf(out, size, "%s", c->text);
		return true;
	}
	for (size_t i = 0; i < d->conf.templates.n; i++) {
		if (strcmp(d->conf.templates.list[i].name, c->template_name) != 0)
			continue;
		for (size_t v = 0; v < c->nvars; v++)
			vars[v] = (struct template_var){ c->vars[v].name, c->vars[v].value };
		rc = template_render(d->conf.templates.list[i].text, vars, c->nvars, out, size,
				     missing, sizeof(missing));
		if (rc == -ENOENT)
			bridge_reject(a, "missing_variable", 0, "the template \"%s\" needs the variable \"%s\"",
			       c->template_name, missing);
		else if (rc < 0)
			bridge_reject(a, "invalid_template", 0, "the template \"%s\" cannot be rendered: %s",
			       c->template_name, missing);
		return rc >= 0;
	}
	bridge_reject(a, "unknown_template", 0, "there is no template \"%s\"", c->template_name);
	return false;
}

bool bridge_text_fits(const struct daemon *d, const char *to, const char *text,
		      struct bridge_answer *a)
{
	/* planned as outbound.c will encode it, so the count is the one the modem sends */
	struct sms_submit_opts opts = { .to = to };
	const char *why = NULL;
	struct sms_plan plan;
	int rc = sms_plan_text(text, strlen(text), &opts, &plan, &why);

	if (rc == -EMSGSIZE || (rc == 0 && plan.segments > d->conf.mqtt.max_segments)) {
		bridge_reject(a, "too_many_segments", 0, "the text needs %s%u segments; at most %u are "
			      "allowed", rc ? "more than " : "", rc ? 255u : plan.segments,
			      d->conf.mqtt.max_segments);
		return false;
	}
	if (rc < 0) {
		bridge_reject(a, "invalid_value", 0, "the text cannot be sent: %s", why ? why : "invalid");
		return false;
	}
	return true;
}

static void do_send(struct daemon *d, const struct mqtt_command *c, bool shared, struct bridge_answer *a)
{
	static char text[TEXT_MAX * 2];
	char to[PHONE_E164_SIZE];
	const char *why = NULL;
	struct store_gate_verdict v;
	int64_t id = 0;
	bool existing = false;
	int rc;

	if (phone_normalise(c->to, d->conf.policy.default_country, to, sizeof(to), &why) < 0) {
		bridge_reject(a, "invalid_number", POLICY_INVALID_NUMBER, "\"%.40s\" is not a phone number: %s",
		       c->to, why);
		return;
	}
	if (c->line[0] && !our_line(d, c->line)) {
		bridge_reject(a, "unknown_line", 0, "%s is not a line of gateway %s", c->line,
		       d->conf.mqtt.gateway_id);
		return;
	}
	if (shared && c->line[0]) {
		bridge_reject(a, "line_on_shared_topic", 0, "a command for line %s belongs on its gateway's "
		       "own command topic, not the shared one", c->line);
		return;
	}
	if (!bridge_command_text(d, c, text, sizeof(text), a))
		return;
	if (!text[0]) {
		bridge_reject(a, "invalid_value", 0, "the text is empty");
		return;
	}
	if (!bridge_text_fits(d, to, text, a))
		return;
	struct store_new_message m = {
		.to = to, .text = text, .line = c->line[0] ? c->line : NULL,
		.send_at = c->send_at, .expire_at = c->expire_at, .priority = c->priority,
		.key = c->key[0] ? c->key : NULL, .report = c->report,
		.category = c->category[0] ? c->category : NULL,
		.cancel_on_reply = c->cancel_on_reply,
	};
	rc = store_enqueue(d->store, &m, daemon_now(), &id, &existing);
	if (rc == -EACCES && store_refusal(d->store, &v) == 0) {
		bridge_reject(a, v.code_name, v.code, "%s", v.reason);
		return;
	}
	if (rc < 0) {
		bridge_reject(a, rc == -EINVAL ? "invalid_value" : "store_error", 0, "%s",
		       store_error(d->store));
		return;
	}
	store_sync(d->store);
	d->wake = true;
	a->r.accepted = true;
	a->r.message_id = id;
	a->r.existing = existing;
	log_info("MQTT: message %lld to %s %s", (long long)id, to,
		 existing ? "was already queued with that key" : "queued");
}

static void do_cancel(struct daemon *d, const struct mqtt_command *c, struct bridge_answer *a)
{
	bool by_key = c->key && c->key[0];
	int64_t id = c->message_id;
	int rc = by_key ? store_cancel_key(d->store, c->key, daemon_now(), &id)
			: store_cancel(d->store, id, daemon_now());

	if (rc == -ENOENT && by_key)
		bridge_reject(a, "not_found", 0, "no message was queued with the key \"%.60s\"", c->key);
	else if (rc == -ENOENT)
		bridge_reject(a, "not_found", 0, "there is no message %lld", (long long)id);
	else if (rc == -EPERM)
		bridge_reject(a, "not_cancellable", 0, "message %lld is past being cancelled",
			      (long long)id);
	else if (rc < 0)
		bridge_reject(a, "store_error", 0, "%s", store_error(d->store));
	if (rc < 0)
		return;
	store_sync(d->store);
	a->r.accepted = true;
	a->r.message_id = id;
}

/* One record of the consent_show answer. */
static int show_record(void *ctx, const struct store_consent_record *r)
{
	cJSON *records = ctx, *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", (double)r->id);
	cJSON_AddStringToObject(o, "action", r->action);
	cJSON_AddStringToObject(o, "scope", r->scope);
	cJSON_AddStringToObject(o, "scope_name", r->scope_name);
	cJSON_AddStringToObject(o, "category", r->category);
	cJSON_AddStringToObject(o, "method", r->method);
	cJSON_AddStringToObject(o, "recorded_by", r->recorded_by);
	cJSON_AddNumberToObject(o, "at", (double)r->at);
	if (r->disclosure)
		cJSON_AddStringToObject(o, "disclosure", r->disclosure);
	cJSON_AddItemToArray(records, o);
	return 0;
}

static void do_consent(struct daemon *d, const struct mqtt_command *c, struct bridge_answer *a)
{
	char number[PHONE_E164_SIZE];
	const char *why = NULL;
	int64_t id = 0;
	cJSON *o, *now;

	if (phone_normalise(c->number, d->conf.policy.default_country, number, sizeof(number),
			    &why) < 0) {
		bridge_reject(a, "invalid_number", POLICY_INVALID_NUMBER, "\"%.40s\" is not a phone number: %s",
		       c->number, why);
		return;
	}
	if (c->kind == MQTT_CMD_CONSENT_SHOW) {
		enum policy_code codes[CONSENT_VIEW_CATEGORIES];
		struct consent_view view;
		cJSON *records;

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "number", number);
		records = cJSON_AddArrayToObject(o, "records");
		if (store_consent_list(d->store, number, show_record, records) < 0 ||
		    consent_view_load(d->store, number, &view) < 0) {
			consent_view_free(&view);
			cJSON_Delete(o);
			bridge_reject(a, "store_error", 0, "%s", store_error(d->store));
			return;
		}
		consent_view_now(&view, NULL, NULL, codes);
		consent_view_free(&view);
		now = cJSON_AddObjectToObject(o, "now");
		for (size_t i = 0; i < CONSENT_VIEW_CATEGORIES; i++)
			cJSON_AddStringToObject(now, consent_view_categories[i], policy_code_name(codes[i]));
		a->extra = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		store_consent_audit(d->store, "show", c->by[0] ? c->by : "mqtt", number, daemon_now());
		a->r.accepted = true;
		return;
	}
	struct store_consent_record r = {
		.number = number, .action = c->kind == MQTT_CMD_CONSENT_GRANT ? "grant" : "revoke",
		.scope = c->scope[0] ? c->scope : "all", .scope_name = c->scope_name,
		.category = c->consent_category[0] ? c->consent_category
			    : c->kind == MQTT_CMD_CONSENT_GRANT ? "marketing" : "all",
		.method = c->method[0] ? c->method : "api",
		.disclosure = c->disclosure[0] ? c->disclosure : NULL,
		.recorded_by = c->by[0] ? c->by : "mqtt", .at = daemon_now(),
	};
	if (store_consent_add(d->store, &r, &id) < 0) {
		bridge_reject(a, "invalid_value", 0, "%s", store_error(d->store));
		return;
	}
	store_sync(d->store);
	a->r.accepted = true;
	if ((o = cJSON_CreateObject())) {
		cJSON_AddNumberToObject(o, "record_id", (double)id);
		cJSON_AddStringToObject(o, "number", number);
		a->extra = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
	}
	log_info("MQTT: consent %s for %s recorded by %s", r.action, number, r.recorded_by);
}

static bool topic_under(const char *topic, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(topic, prefix, n) == 0 && (topic[n] == '/' || !topic[n]);
}

/*
 * A console may name where its answer goes (MQTT 5 response topic, or
 * reply_to), but the gateway publishes with its own broker rights: never
 * over its own state and events, nor anywhere in the cluster's tree, where
 * consent records, presence and other gateways' topics live, which others
 * trust. <base>/reply is the one exception. Anything else is the console's.
 */
static bool reply_topic_allowed(const struct daemon *d, const char *topic)
{
	char own[300];

	mqtt_topic_join(own, sizeof(own), bridge_base(d), "reply", (char *)NULL);
	if (strcmp(topic, own) == 0)
		return true;
	return topic[0] != '$' && !topic_under(topic, bridge_base(d)) &&
	       !topic_under(topic, d->conf.mqtt.cluster_topic);
}

static void answer(struct daemon *d, const struct mqtt_command *c, struct bridge_answer *a,
		   const char *response_topic, const void *corr, size_t corr_len)
{
	char topic[300], *json;
	bool v5 = response_topic && bridge_v5();

	a->r.extra_json = a->extra;
	if (!(json = mqtt_reply_json(&a->r))) {
		log_error("MQTT: out of memory answering a command");
		return;
	}
	if (v5 && reply_topic_allowed(d, response_topic)) {
		bridge_publish(response_topic, json, false, corr, corr_len, 0);
	} else if (!v5 && c->reply_to && c->reply_to[0] && reply_topic_allowed(d, c->reply_to)) {
		bridge_publish(c->reply_to, json, false, NULL, 0, 0);
	} else {
		mqtt_topic_join(topic, sizeof(topic), bridge_base(d), "reply", (char *)NULL);
		if (v5 || (c->reply_to && c->reply_to[0]))
			log_warning("MQTT: a reply may not go to %.200s: answered on %s",
				    v5 ? response_topic : c->reply_to, topic);
		bridge_publish(topic, json, false, v5 ? corr : NULL, v5 ? corr_len : 0, 0);
	}
	free(json);
}

void bridge_command(struct daemon *d, const char *topic, const void *payload, size_t len,
		    const char *response_topic, const void *corr, size_t corr_len)
{
	struct mqtt_limits lim = { .payload_max = PAYLOAD_MAX, .text_max = TEXT_MAX,
				   .campaign_payload_max = CAMPAIGN_PAYLOAD_MAX };
	struct mqtt_command c;
	struct mqtt_error err = { 0 };
	struct bridge_answer a;
	bool shared = strncmp(topic, bridge_base(d), strlen(bridge_base(d))) != 0;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&c, 0, sizeof(c));
	rc = mqtt_command_parse(payload, len, &lim, &c, &err);
	a.r.request_id = c.request_id;
	a.r.command = c.command;
	if (rc < 0) {
		if (rc == -ENOMEM)
			bridge_reject(&a, "out_of_memory", 0, "the gateway is out of memory");
		else
			bridge_reject(&a, err.code, 0, "%s", err.reason);
		log_warning("MQTT: command refused (%s): %s", a.r.code, a.reason);
		answer(d, &c, &a, response_topic, corr, corr_len);
		mqtt_command_free(&c);
		return;
	}
	switch (c.kind) {
	case MQTT_CMD_SEND:
		do_send(d, &c, shared, &a);
		break;
	case MQTT_CMD_CANCEL:
		do_cancel(d, &c, &a);
		break;
	case MQTT_CMD_CONSENT_REVOKE:
	case MQTT_CMD_CONSENT_GRANT:
	case MQTT_CMD_CONSENT_SHOW:
		if (shared && c.kind != MQTT_CMD_CONSENT_SHOW)
			bridge_reject(&a, "consent_on_shared_topic", 0, "consent commands go to a gateway's "
			       "own command topic (they are shared between gateways from there)");
		else
			do_consent(d, &c, &a);
		break;
	case MQTT_CMD_CLAIM:
	case MQTT_CMD_RELEASE:
	case MQTT_CMD_TRANSFER:
	case MQTT_CMD_CLOSE:
	case MQTT_CMD_REOPEN:
	case MQTT_CMD_READ:
	case MQTT_CMD_TAG:
	case MQTT_CMD_UNTAG:
	case MQTT_CMD_NOTE:
	case MQTT_CMD_REPLY:
	case MQTT_CMD_CONVERSATION:
	case MQTT_CMD_CONVERSATIONS:
	case MQTT_CMD_CONVERSATION_SEARCH:
		bridge_conversation_command(d, &c, &a);
		break;
	case MQTT_CMD_CAMPAIGN:
	case MQTT_CMD_CAMPAIGN_STATUS:
		bridge_campaign_command(d, &c, &a);
		break;
	}
	if (!a.r.accepted)
		log_warning("MQTT: %s refused (%s): %s", a.r.command, a.r.code, a.reason);
	answer(d, &c, &a, response_topic, corr, corr_len);
	free(a.extra);
	mqtt_command_free(&c);
}
