/*
 * Opt-outs shared between gateways through the broker: each gateway
 * publishes its own consent records, retained, one topic per number, scope
 * and category, under the cluster topic:
 *
 *   <cluster>/consent/<digits>/<scope>/<scope name or "_">/<category>
 *
 * and reads everyone's. Retained messages are what makes a gateway that was
 * offline when a customer texted STOP learn it on reconnecting; one topic
 * per (number, scope, category) keeps the newest record of each, which is
 * all a consent decision needs (the newest applicable record wins).
 * Pure: JSON in and out, no I/O.
 */
#ifndef PARLEY_MQTT_REPLICA_H
#define PARLEY_MQTT_REPLICA_H

#include <stddef.h>
#include <stdint.h>

#define MQTT_REPLICA_FIELD_MAX 512

struct mqtt_replica {
	char origin[40];              /* the publishing store's instance */
	int64_t origin_id;            /* its ledger id there */
	char number[24], action[8], scope[8], scope_name[64], category[16], method[16];
	char disclosure[MQTT_REPLICA_FIELD_MAX], recorded_by[64];
	int64_t at;
};

/* The record as JSON (malloc'd), NULL on ENOMEM or a field too long. */
char *mqtt_replica_json(const struct mqtt_replica *r);

/*
 * Reads a replica payload. Returns 0, -EINVAL (not JSON, a field missing,
 * of the wrong type, too long or not one of its words).
 */
int mqtt_replica_parse(const char *payload, size_t len, struct mqtt_replica *out);

/* The record's retained topic under cluster. Returns its length, -EMSGSIZE, -EINVAL. */
int mqtt_replica_topic(char *out, size_t size, const char *cluster, const struct mqtt_replica *r);

#endif
