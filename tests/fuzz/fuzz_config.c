/*
 * libFuzzer target: parley.conf as a person might mistype it. Every text
 * must load (0) or be refused (-EINVAL) with an error that names the file,
 * without a crash or a leak.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s\n", #c); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf c;
	char err[512];
	char *text = malloc(size + 1);
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rc = conf_load_string(text, "fuzz.conf", &c, err, sizeof(err));
	CHECK(rc == 0 || rc == -EINVAL);
	if (rc == -EINVAL)
		CHECK(strncmp(err, "fuzz.conf", 9) == 0);
	free(text);
	return 0;
}
