/*
 * Printing received messages. The payload is written byte for byte (no
 * escaping: tests compare it with what they sent) and a newline is added,
 * so a payload holding newlines spans lines; the tests do not send those.
 * With --props, " correlation=HEX response_topic=TOPIC" follows, both
 * always present (empty when the message has none), so a reader can split
 * on them; hex because correlation data is binary.
 */
#include <stdio.h>
#include <stdlib.h>

#include <mqtt_protocol.h>

#include "output.h"

static void props_print(const mosquitto_property *props)
{
	void *corr = NULL;
	char *rt = NULL;
	uint16_t len = 0;

	if (props) {
		mosquitto_property_read_binary(props, MQTT_PROP_CORRELATION_DATA, &corr, &len, false);
		mosquitto_property_read_string(props, MQTT_PROP_RESPONSE_TOPIC, &rt, false);
	}
	fputs(" correlation=", stdout);
	for (uint16_t i = 0; corr && i < len; i++)
		printf("%02x", ((const unsigned char *)corr)[i]);
	printf(" response_topic=%s", rt ? rt : "");
	free(corr);
	free(rt);
}

void output_message(const struct mqttc_opts *o, const struct mosquitto_message *m,
		    const mosquitto_property *props)
{
	if (o->verbose)
		printf("%s ", m->topic);
	if (m->payloadlen > 0)
		fwrite(m->payload, 1, (size_t)m->payloadlen, stdout);
	if (o->props)
		props_print(props);
	putchar('\n');
	fflush(stdout);
}
