/*
 * The one way `parley` prints JSON: a cJSON tree, unformatted, one object
 * a line, so that scripts can read the output line by line.
 *
 * It does not decide what goes into the objects; the subcommands do.
 */
#include <errno.h>
#include <stdio.h>

#include "cli_json.h"

cJSON *cli_json_add_str_or_null(cJSON *obj, const char *key, const char *value)
{
	if (!value)
		return cJSON_AddNullToObject(obj, key);
	return cJSON_AddStringToObject(obj, key, value);
}

int cli_json_print(cJSON *root)
{
	char *line;
	int rc = 0;

	if (!root)
		return -ENOMEM;
	line = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!line)
		return -ENOMEM;
	if (puts(line) == EOF)
		rc = -EIO;
	cJSON_free(line);
	return rc;
}

int cli_json_print_error(const char *reason)
{
	cJSON *root = cJSON_CreateObject();

	/* A failed add leaves a half-built object: print nothing rather than {}. */
	if (root && !cJSON_AddStringToObject(root, "error", reason)) {
		cJSON_Delete(root);
		root = NULL;
	}
	return cli_json_print(root);
}

int cli_json_print_refusal(const char *reason, int code, const char *code_name)
{
	cJSON *root = cJSON_CreateObject();

	if (root && (!cJSON_AddStringToObject(root, "error", reason) ||
		     !cJSON_AddNumberToObject(root, "code", code) ||
		     !cJSON_AddStringToObject(root, "code_name", code_name ? code_name : "policy"))) {
		cJSON_Delete(root);
		root = NULL;
	}
	return cli_json_print(root);
}
