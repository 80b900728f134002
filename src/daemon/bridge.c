/*
 * The MQTT bridge in parleyd: one mqtt_session in the poll loop; the event
 * outbox published in order, each row deleted only when the broker has
 * acknowledged every publication it caused (QoS 1 PUBACK); the gateway's
 * and each modem's retained state; opt-outs shared with the other gateways
 * of the cluster (mqtt_replica.h). Commands are in bridge_commands.c.
 *
 *   <base>/status            retained: online (version, modems) / offline (Last Will)
 *   <base>/modem/<name>      retained: the modem's state, republished on change
 *   <base>/event/<kind>      events: message, received, consent
 *   <base>/command           commands for this gateway; answers on <base>/reply
 *   $share/<group>/<cluster>/command   commands any gateway may serve
 *   <cluster>/consent/...    retained consent records of every gateway
 *   <cluster>/agents/<id>    retained presence of the agents' consoles (bridge_presence.c)
 *   <base>/event/conversation  a conversation changed (bridge_conversations.c)
 *   <base>/stats             retained: the last 24 h per line and agent (stats_interval)
 *   <base>/event/campaign    a campaign's progress and its summary (bridge_campaigns.c)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge.h"
#include "daemon.h"
#include "log.h"
#include "parley/mqtt_payload.h"
#include "parley/mqtt_replica.h"
#include "parley/mqtt_session.h"
#include "parley/store_consent.h"
#include "parley/store_outbox.h"
#include "parley/store_stats.h"
#include "parley/mqtt_stats.h"

#ifndef PARLEY_VERSION
#define PARLEY_VERSION "0.1.0"
#endif

/* publications in flight at once: enough to fill a LAN's round trip, few enough to resend */
#define WINDOW 64
#define STATE_EVERY_MS 1000

struct inflight {
	int mid;
	int64_t row;               /* the outbox row it belongs to */
};

struct bridge {
	struct daemon *d;
	struct mqtt_session *s;
	char instance[32];
	char status_topic[256];
	int64_t last_row;          /* the newest outbox row handed to the session */
	struct inflight inflight[WINDOW * 2];
	size_t ninflight;
	/*
	 * Rows the broker acknowledged that the store could not delete (its disk
	 * full): deleted later, never published again (they are past last_row).
	 */
	int64_t undeleted[WINDOW * 2];
	size_t nundeleted;
	bool pump;                 /* look at the outbox on the next tick */
	int64_t next_state;
	int64_t next_stats;        /* retained figures: published on connect, then every interval */
	char *modem_json[CONF_MODEMS_MAX];
	bool up;
};

static struct bridge br;

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *bridge_base(const struct daemon *d)
{
	return d->conf.mqtt.base_topic;
}

int bridge_publish(const char *topic, const char *payload, bool retain, const void *corr,
		   size_t corr_len, int64_t row)
{
	int mid = 0, rc;

	if (!br.s)
		return -ENOTCONN;
	rc = mqtt_session_publish(br.s, topic, payload, strlen(payload), 1, retain, corr, corr_len,
				  &mid);
	if (rc == 0 && row > 0 && br.ninflight < sizeof(br.inflight) / sizeof(br.inflight[0]))
		br.inflight[br.ninflight++] = (struct inflight){ .mid = mid, .row = row };
	return rc;
}

bool bridge_v5(void)
{
	return br.s && mqtt_session_v5(br.s);
}

static char *gateway_json(bool online)
{
	const char *names[CONF_MODEMS_MAX];
	struct mqtt_modem_state modems[CONF_MODEMS_MAX];
	struct mqtt_gateway_state g = {
		.online = online, .gateway_id = br.d->conf.mqtt.gateway_id, .version = PARLEY_VERSION,
		.modems = modems, .nmodems = br.d->conf.nmodems, .at = daemon_now(),
	};

	for (size_t i = 0; i < br.d->conf.nmodems; i++) {
		names[i] = br.d->conf.modems[i].name;
		modems[i] = (struct mqtt_modem_state){ .name = names[i],
						       .line = br.d->conf.modems[i].line };
	}
	return mqtt_gateway_json(&g);
}

/* ---- events ---- */

struct render {
	struct mqtt_event e;
	struct store_message m;
	char number[24], action[8], scope[8], scope_name[64], category[16], method[16];
	char disclosure[MQTT_REPLICA_FIELD_MAX], recorded_by[64];
	struct mqtt_replica replica;
	bool replicate;
};

static int keep_record(void *ctx, const struct store_consent_record *r)
{
	struct render *x = ctx;

	snprintf(x->number, sizeof(x->number), "%s", r->number);
	snprintf(x->action, sizeof(x->action), "%s", r->action);
	snprintf(x->scope, sizeof(x->scope), "%s", r->scope);
	snprintf(x->scope_name, sizeof(x->scope_name), "%s", r->scope_name ? r->scope_name : "");
	snprintf(x->category, sizeof(x->category), "%s", r->category);
	snprintf(x->method, sizeof(x->method), "%s", r->method);
	snprintf(x->disclosure, sizeof(x->disclosure), "%s", r->disclosure ? r->disclosure : "");
	snprintf(x->recorded_by, sizeof(x->recorded_by), "%s", r->recorded_by);
	x->e.ledger_id = r->id;
	x->e.number = x->number;
	x->e.action = x->action;
	x->e.scope = x->scope;
	x->e.scope_name = x->scope_name;
	x->e.consent_category = x->category;
	x->e.method = x->method;
	x->e.disclosure = r->disclosure ? x->disclosure : NULL;
	x->e.recorded_by = x->recorded_by;
	x->replicate = !r->origin;
	x->replica = (struct mqtt_replica){ .origin_id = r->id, .at = r->at };
	snprintf(x->replica.origin, sizeof(x->replica.origin), "%s", br.instance);
	memcpy(x->replica.number, x->number, sizeof(x->replica.number));
	memcpy(x->replica.action, x->action, sizeof(x->replica.action));
	memcpy(x->replica.scope, x->scope, sizeof(x->replica.scope));
	memcpy(x->replica.scope_name, x->scope_name, sizeof(x->replica.scope_name));
	memcpy(x->replica.category, x->category, sizeof(x->replica.category));
	memcpy(x->replica.method, x->method, sizeof(x->replica.method));
	snprintf(x->replica.disclosure, sizeof(x->replica.disclosure), "%s", x->disclosure);
	memcpy(x->replica.recorded_by, x->recorded_by, sizeof(x->replica.recorded_by));
	return 0;
}

/* Publishes one outbox row: its event, and a consent record's replica. 0, or -1 to stop. */
static int publish_row(void *ctx, const struct store_outbox_row *row)
{
	struct daemon *d = ctx;
	struct render x;
	char uid[64], topic[300], *json = NULL;
	int rc;

	memset(&x, 0, sizeof(x));
	snprintf(uid, sizeof(uid), "%s-%lld", br.instance, (long long)row->id);
	x.e = (struct mqtt_event){ .uid = uid, .kind = row->kind, .at = row->at,
				   .state = row->state, .detail = row->detail };
	if (strcmp(row->kind, "conversation") == 0 || strcmp(row->kind, "campaign") == 0) {
		bool gone = false;

		/* a campaign's row is its summary: written once, when it was marked done */
		if (row->kind[1] == 'o')
			json = bridge_conversation_event(d, row->ref, uid, row->at, row->detail, &gone);
		else
			json = bridge_campaign_event(d, row->ref, uid, row->at, &gone);
		if (gone) {
			store_outbox_done(d->store, row->id);
			br.last_row = row->id;
			return 0;
		}
		if (!json) {
			log_error("MQTT: cannot render event %lld: out of memory", (long long)row->id);
			return -1;
		}
		mqtt_topic_join(topic, sizeof(topic), bridge_base(d), "event", row->kind, (char *)NULL);
		rc = bridge_publish(topic, json, false, NULL, 0, row->id);
		free(json);
		if (rc < 0)
			return -1;
		br.last_row = row->id;
		return 0;
	}
	if (strcmp(row->kind, "consent") == 0) {
		rc = store_consent_get(d->store, row->ref, keep_record, &x);
	} else {
		rc = store_get(d->store, row->ref, &x.m);
		x.e.message_id = row->ref;
		x.e.peer = x.m.peer;
		x.e.line = x.m.line ? x.m.line : x.m.want_line;
		x.e.text = x.m.text;
		x.e.category = x.m.category;
		x.e.error = x.m.error;
		x.e.policy = x.m.policy;
		x.e.keyword = x.m.keyword;
		x.e.segments = x.m.segments;
	}
	if (rc == -ENOENT) {
		/* what it named is gone (purged): nothing to tell, do not stall the rest */
		store_outbox_done(d->store, row->id);
		br.last_row = row->id;
		return 0;
	}
	if (rc < 0 || !(json = mqtt_event_json(&x.e))) {
		store_message_free(&x.m);
		log_error("MQTT: cannot render event %lld: %s", (long long)row->id,
			  rc < 0 ? store_error(d->store) : "out of memory");
		return -1;
	}
	mqtt_topic_join(topic, sizeof(topic), bridge_base(d), "event", row->kind, (char *)NULL);
	rc = bridge_publish(topic, json, false, NULL, 0, row->id);
	free(json);
	store_message_free(&x.m);
	if (rc == 0 && x.replicate && d->conf.mqtt.replicate_consent &&
	    mqtt_replica_topic(topic, sizeof(topic), d->conf.mqtt.cluster_topic, &x.replica) > 0 &&
	    (json = mqtt_replica_json(&x.replica))) {
		rc = bridge_publish(topic, json, true, NULL, 0, row->id);
		free(json);
	}
	if (rc < 0)
		return -1;
	br.last_row = row->id;
	return 0;
}

/* Deletes what could not be deleted before; false while some still cannot be. */
static bool delete_undeleted(struct daemon *d)
{
	size_t kept = 0;

	for (size_t i = 0; i < br.nundeleted; i++)
		if (store_outbox_done(d->store, br.undeleted[i]) < 0)
			br.undeleted[kept++] = br.undeleted[i];
	if (br.nundeleted && !kept)
		log_info("MQTT: the store took the acknowledged events it could not delete");
	br.nundeleted = kept;
	return kept == 0;
}

static void pump(struct daemon *d)
{
	int room = WINDOW - (int)br.ninflight;

	br.pump = false;
	/* nothing new while acknowledgements wait for the store: there is room for a window only */
	if (!delete_undeleted(d) || !br.up || room <= 0)
		return;
	if (store_outbox_list(d->store, br.last_row, room, publish_row, d) < 0)
		log_error("MQTT: cannot read the event outbox: %s", store_error(d->store));
}

static void on_published(void *ctx, int mid)
{
	struct daemon *d = ctx;
	int64_t row = 0;
	bool more = false;

	for (size_t i = 0; i < br.ninflight; i++) {
		if (br.inflight[i].mid != mid)
			continue;
		row = br.inflight[i].row;
		br.inflight[i] = br.inflight[--br.ninflight];
		break;
	}
	for (size_t i = 0; row && i < br.ninflight; i++)
		more |= br.inflight[i].row == row;
	/* every publication of the row acknowledged: it may go */
	if (row && !more && store_outbox_done(d->store, row) < 0) {
		if (br.nundeleted == 0)
			log_error("MQTT: cannot delete published event %lld: %s; trying again",
				  (long long)row, store_error(d->store));
		if (br.nundeleted < sizeof(br.undeleted) / sizeof(br.undeleted[0]))
			br.undeleted[br.nundeleted++] = row;
		else
			br.last_row = 0; /* never reached (pump stops first); published again */
	}
	br.pump = true;
}

/* ---- retained states ---- */

static void publish_states(struct daemon *d)
{
	for (unsigned i = 0; i < d->nlines; i++) {
		const struct line *l = &d->lines[i];
		const struct modem_health *h = modem_health(l->modem);
		struct mqtt_modem_state m = {
			.name = l->conf->name, .line = l->conf->line,
			.state = modem_state_name(modem_state(l->modem)),
			.operator_name = h->operator_name[0] ? h->operator_name : NULL,
			/* 27.007 +CSQ: 0..31 stand for -113..-51 dBm in 2 dB steps, 99 unknown */
			.signal_dbm = h->rssi >= 0 && h->rssi <= 31 ? -113 + 2 * h->rssi : 0,
			.registered = h->registration == 1 || h->registration == 5,
			.roaming = h->registration == 5,
			.last_error = h->last_error[0] ? h->last_error : NULL,
		};
		char topic[300], *json;

		m.queue_depth = store_queued_for_line(d->store, l->conf->line);
		if (!(json = mqtt_modem_json(&m)))
			continue;
		if (br.modem_json[i] && strcmp(br.modem_json[i], json) == 0) {
			free(json);
			continue;
		}
		mqtt_topic_join(topic, sizeof(topic), bridge_base(d), "modem", l->conf->name,
				(char *)NULL);
		if (bridge_publish(topic, json, true, NULL, 0, 0) == 0) {
			free(br.modem_json[i]);
			br.modem_json[i] = json;
		} else {
			free(json);
		}
	}
}

/* ---- figures ---- */

#define STATS_PERIOD_MS (24 * 3600 * 1000LL)

/* The last 24 hours' figures per line and agent, retained on <base>/stats. */
static void publish_stats(struct daemon *d)
{
	static struct store_stats stats;
	int64_t now = daemon_now();
	char topic[300], *json;

	if (store_stats(d->store, now - STATS_PERIOD_MS, now, &stats) < 0) {
		log_error("cannot compute the figures: %s", store_error(d->store));
		return;
	}
	if (!(json = mqtt_stats_json(&stats, now - STATS_PERIOD_MS, now)))
		return;
	mqtt_topic_join(topic, sizeof(topic), bridge_base(d), "stats", (char *)NULL);
	bridge_publish(topic, json, true, NULL, 0, 0);
	free(json);
}

/* ---- the session ---- */

static void on_connected(void *ctx, bool v5)
{
	struct daemon *d = ctx;
	char topic[300], *json;

	br.up = true;
	br.ninflight = 0;
	br.last_row = 0;  /* what was in flight is published again: at least once, in order */
	for (size_t i = 0; i < CONF_MODEMS_MAX; i++) {
		free(br.modem_json[i]);
		br.modem_json[i] = NULL;
	}
	log_info("MQTT: connected to %s:%u (MQTT %s)", d->conf.mqtt.host, d->conf.mqtt.port,
		 v5 ? "5" : "3.1.1");
	mqtt_topic_join(topic, sizeof(topic), bridge_base(d), "command", (char *)NULL);
	mqtt_session_subscribe(br.s, topic);
	snprintf(topic, sizeof(topic), "$share/%s/%s/command", d->conf.mqtt.shared_group,
		 d->conf.mqtt.cluster_topic);
	mqtt_session_subscribe(br.s, topic);
	if (d->conf.mqtt.replicate_consent) {
		snprintf(topic, sizeof(topic), "%s/consent/#", d->conf.mqtt.cluster_topic);
		mqtt_session_subscribe(br.s, topic);
	}
	/* retained: who is online arrives again on every connection */
	bridge_presence_reset();
	snprintf(topic, sizeof(topic), "%s/agents/+", d->conf.mqtt.cluster_topic);
	mqtt_session_subscribe(br.s, topic);
	if ((json = gateway_json(true))) {
		bridge_publish(br.status_topic, json, true, NULL, 0, 0);
		free(json);
	}
	publish_states(d);
	br.next_stats = 0;
	br.pump = true;
}

static void on_disconnected(void *ctx, const char *why)
{
	struct daemon *d = ctx;

	if (br.up)
		log_warning("MQTT: lost the broker %s:%u: %s; events wait in the store",
			    d->conf.mqtt.host, d->conf.mqtt.port, why);
	else
		log_warning("MQTT: cannot reach the broker %s:%u: %s; retrying", d->conf.mqtt.host,
			    d->conf.mqtt.port, why);
	br.up = false;
	br.ninflight = 0;
	br.last_row = 0;
}

/* A consent record from another gateway (or our own, echoed back). */
static void on_replica(struct daemon *d, const char *payload, size_t len)
{
	struct mqtt_replica r;
	struct store_consent_record rec;
	int rc;

	if (!len)
		return; /* a retained record deleted */
	if (mqtt_replica_parse(payload, len, &r) < 0) {
		log_warning("MQTT: ignored a malformed consent record from the cluster");
		return;
	}
	if (strcmp(r.origin, br.instance) == 0)
		return;
	rec = (struct store_consent_record){
		.number = r.number, .action = r.action, .scope = r.scope, .scope_name = r.scope_name,
		.category = r.category, .method = r.method,
		.disclosure = r.disclosure[0] ? r.disclosure : NULL, .recorded_by = r.recorded_by,
		.at = r.at,
	};
	rc = store_consent_replicate(d->store, &rec, r.origin, r.origin_id);
	if (rc == 0) {
		store_sync(d->store);
		log_info("MQTT: %s %s (%s scope) recorded from gateway %s", r.number,
			 strcmp(r.action, "revoke") ? "consent" : "opt-out", r.scope, r.origin);
	} else if (rc < 0) {
		log_error("MQTT: cannot record a replicated consent record: %s",
			  store_error(d->store));
	}
}

static void on_message(void *ctx, const char *topic, const void *payload, size_t len,
		       const char *response_topic, const void *corr, size_t corr_len)
{
	struct daemon *d = ctx;
	size_t cl = strlen(d->conf.mqtt.cluster_topic);

	if (strncmp(topic, d->conf.mqtt.cluster_topic, cl) == 0 &&
	    strncmp(topic + cl, "/consent/", 9) == 0) {
		on_replica(d, payload, len);
		return;
	}
	if (strncmp(topic, d->conf.mqtt.cluster_topic, cl) == 0 &&
	    strncmp(topic + cl, "/agents/", 8) == 0) {
		bridge_presence(d, topic, payload, len);
		return;
	}
	bridge_command(d, topic, payload, len, response_topic, corr, corr_len);
	br.pump = true;
}

int bridge_start(struct daemon *d)
{
	const struct conf_mqtt *m = &d->conf.mqtt;
	struct mqtt_session_callbacks cb = {
		.connected = on_connected, .disconnected = on_disconnected,
		.published = on_published, .message = on_message,
	};
	char err[200], *offline;

	memset(&br, 0, sizeof(br));
	br.d = d;
	if (!m->host[0])
		return store_outbox_enable(d->store, false) < 0 ? -1 : 0;
	if (store_outbox_enable(d->store, true) < 0 ||
	    store_instance(d->store, br.instance, sizeof(br.instance)) < 0) {
		log_error("MQTT: %s", store_error(d->store));
		return -1;
	}
	mqtt_topic_join(br.status_topic, sizeof(br.status_topic), m->base_topic, "status",
			(char *)NULL);
	if (!(offline = gateway_json(false)))
		return -1;
	struct mqtt_session_config sc = {
		.host = m->host, .port = (int)m->port, .client_id = m->client_id,
		.username = m->username[0] ? m->username : NULL,
		.password = m->password[0] ? m->password : NULL,
		.ca_file = m->ca_file[0] ? m->ca_file : NULL,
		.cert_file = m->cert_file[0] ? m->cert_file : NULL,
		.key_file = m->key_file[0] ? m->key_file : NULL,
		.keepalive = (int)m->keepalive,
		.v5_only = m->protocol == CONF_MQTT_V5, .v311_only = m->protocol == CONF_MQTT_V311,
		.will_topic = br.status_topic, .will_payload = offline, .will_retain = true,
	};
	br.s = mqtt_session_new(&sc, &cb, d, err, sizeof(err));
	free(offline);
	if (!br.s) {
		log_error("%s", err);
		return -1;
	}
	log_info("MQTT: gateway %s, base topic %s, broker %s:%u%s", m->gateway_id, m->base_topic,
		 m->host, m->port, m->ca_file[0] ? " (TLS)" : "");
	return 0;
}

void bridge_stop(struct daemon *d)
{
	char *json;

	(void)d;
	if (!br.s)
		return;
	if (br.up && (json = gateway_json(false))) {
		/* a clean stop drops the Last Will: say offline ourselves */
		bridge_publish(br.status_topic, json, true, NULL, 0, 0);
		free(json);
		for (int i = 0; i < 10 && mqtt_session_events(br.s) & POLLOUT; i++)
			mqtt_session_handle(br.s, POLLOUT, mono_ms());
	}
	mqtt_session_free(br.s);
	br.s = NULL;
	for (size_t i = 0; i < CONF_MODEMS_MAX; i++)
		free(br.modem_json[i]);
	memset(&br, 0, sizeof(br));
}

int bridge_fd(short *events)
{
	int fd = br.s ? mqtt_session_fd(br.s) : -1;

	if (fd >= 0)
		*events = mqtt_session_events(br.s);
	return fd;
}

void bridge_handle(struct daemon *d, short revents)
{
	if (!br.s)
		return;
	mqtt_session_handle(br.s, revents, mono_ms());
	if (br.pump)
		pump(d);
}

int64_t bridge_tick(struct daemon *d)
{
	int64_t now = mono_ms(), next;

	if (!br.s)
		return INT64_MAX;
	next = mqtt_session_tick(br.s, now);
	bridge_presence_tick(d, daemon_now());
	if (br.up)
		bridge_campaign_tick(d);
	if (br.up && now >= br.next_stats) {
		publish_stats(d);
		br.next_stats = now + (int64_t)d->conf.mqtt.stats_interval * 1000;
	}
	if (br.up && now >= br.next_state) {
		publish_states(d);
		br.next_state = now + STATE_EVERY_MS;
		br.pump = true; /* events committed by other flows since */
	}
	if (br.pump || br.nundeleted)
		pump(d);
	if (br.up && br.next_state < next)
		next = br.next_state;
	/* a full disk: the acknowledged rows are deleted as soon as it has room */
	if (br.nundeleted && now + 1000 < next)
		next = now + 1000;
	return next;
}

void bridge_wake(void)
{
	br.pump = true;
}
