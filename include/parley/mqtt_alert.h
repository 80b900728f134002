/*
 * The unanswered-customer alert: a customer has waited longer than the
 * configured time for a person to answer. Published on <base>/event/unanswered,
 * once per escalation level. Pure rendering.
 */
#ifndef PARLEY_MQTT_ALERT_H
#define PARLEY_MQTT_ALERT_H

#include <stdint.h>

struct mqtt_unanswered {
	int64_t conversation_id;
	const char *line, *peer;
	const char *assignee;      /* NULL: nobody holds it */
	int64_t waiting_since, at; /* ms */
	int level;                 /* 1 the first alert, then one more each escalation */
};

/* {"kind":"unanswered","conversation":7,...,"waited_s":612,"level":1}; malloc'd, NULL on ENOMEM. */
char *mqtt_unanswered_json(const struct mqtt_unanswered *u);

#endif
