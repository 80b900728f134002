/*
 * JSON output for the command line: every JSON line `parley` prints goes
 * through here, built as a cJSON tree and printed unformatted on one line.
 */
#ifndef PARLEY_CLI_JSON_H
#define PARLEY_CLI_JSON_H

#include <cjson/cJSON.h>

/*
 * Adds key with the string value, or JSON null when value is NULL.
 * obj may be NULL (an earlier allocation failed): then nothing is added.
 * Returns the new item, NULL when it could not be added.
 */
cJSON *cli_json_add_str_or_null(cJSON *obj, const char *key, const char *value);

/*
 * Prints root as one line on stdout and frees it (root may be NULL: an
 * allocation failed while building it).
 * Returns 0; -ENOMEM when root is NULL or could not be printed, -EIO when
 * stdout failed. Nothing is printed on error.
 */
int cli_json_print(cJSON *root);

/*
 * Prints {"error":"<reason>"} on stdout, the answer to bad input.
 * Returns as cli_json_print.
 */
int cli_json_print_error(const char *reason);

/* Prints {"error":"<reason>","code":N,"code_name":"..."}: policy refused it. */
int cli_json_print_refusal(const char *reason, int code, const char *code_name);

#endif
