/*
 * libFuzzer target: what consoles send parleyd over MQTT. Every payload
 * must be parsed (0) or refused (-EINVAL with a code and a sentence, the
 * reply address readable or empty) without a crash, a leak or a read past
 * the payload; the consent records other gateways replicate likewise.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/mqtt_payload.h"
#include "parley/mqtt_replica.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s\n", #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mqtt_limits lim = { .payload_max = 16384, .text_max = 4000 };
	struct mqtt_command c;
	struct mqtt_error err;
	struct mqtt_replica r;
	/* a copy exactly size long: the parsers must not read a NUL past it */
	char *copy = malloc(size ? size : 1);
	int rc;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&c, 0, sizeof(c));
	memset(&err, 0, sizeof(err));
	rc = mqtt_command_parse(copy, size, &lim, &c, &err);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
	if (rc == -EINVAL) {
		CHECK(err.code != NULL && err.code[0] != '\0');
		CHECK(err.reason[0] != '\0');
		CHECK(strlen(err.reason) < sizeof(err.reason));
	}
	if (rc == 0)
		CHECK(c.command != NULL && strcmp(c.command, mqtt_cmd_name(c.kind)) == 0);
	mqtt_command_free(&c);
	rc = mqtt_replica_parse(copy, size, &r);
	CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0)
		CHECK(r.number[0] == '+' && r.origin[0] != '\0' && r.origin_id > 0);
	free(copy);
	return 0;
}
