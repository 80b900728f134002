/*
 * How mqttc prints a received message: the payload bytes as they came, one
 * message a line; -v puts the topic first, --props appends the v5 request
 * properties so a shell loop can answer a request.
 */
#ifndef MQTTC_OUTPUT_H
#define MQTTC_OUTPUT_H

#include <mosquitto.h>

#include "mqttc.h"

/* Prints m on stdout and flushes (readers follow us through a pipe).
 * props may be NULL (3.1.1). */
void output_message(const struct mqttc_opts *o, const struct mosquitto_message *m,
		    const mosquitto_property *props);

#endif
