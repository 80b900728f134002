/*
 * Reading a libconfig tree against a table of known keys: the walker, the
 * typed readers and the one error format, "FILE:LINE: KEY: what is wrong".
 * It knows nothing about parley's sections; conf_schema.c holds those.
 *
 * KEY is the setting's path the way libconfig writes it in config_lookup():
 * names joined by dots, list elements as [N] counted from 0, e.g.
 * "queue.retries" or "modems.[1].baud".
 */
#ifndef PARLEY_CONF_READER_H
#define PARLEY_CONF_READER_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

struct conf;

/*
 * Where errors go, the name that stands for the file in them, and the
 * directory @include names are relative to (NULL for a text).
 */
struct conf_reader {
	const char *name;
	const char *dir;
	char *err;
	size_t err_size;
};

struct conf_key;

/*
 * Reads one setting into base + k->offset. Returns 0, or -EINVAL with the
 * reader's err filled.
 */
typedef int conf_read_fn(struct conf_reader *r, const config_setting_t *s,
			 const struct conf_key *k, void *base);

/* One known key of a group; a table ends with a NULL name. */
struct conf_key {
	const char *name;
	conf_read_fn *read;
	size_t offset;                 /* of the field in the struct being filled */
	size_t size;                   /* strings: the field's buffer */
	size_t max_len;                /* strings: 0 means size - 1 */
	long long min, max;            /* integers */
	/* strings: NULL when the value is well formed, else what is wrong with it */
	const char *(*check)(const char *value);
	bool allow_empty;              /* strings: "" is a valid value */
	bool quote;                    /* strings: show a malformed value in the error */
	const struct conf_key *keys;   /* groups: their own keys, filled into the same base */
	const char *why;               /* conf_read_unsupported: the words after the key */
};

/*
 * Formats "FILE:LINE: KEY[.suffix]: message" into r->err for setting s
 * (FILE from the setting when it came from an @include, LINE left out when
 * libconfig has none) and returns -EINVAL.
 */
int conf_error(struct conf_reader *r, const config_setting_t *s, const char *suffix,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reads every member of group through keys; an unknown member is an error. */
int conf_read_members(struct conf_reader *r, const config_setting_t *group,
		      const struct conf_key *keys, void *base);

/*
 * The file to name in an error: file (an included one, as its @include
 * wrote it) found under r->dir, or r->name when file is NULL. Returns buf
 * or r->name.
 */
const char *conf_file_name(const struct conf_reader *r, const char *file, char *buf, size_t size);

/* Typed readers for conf_key.read. */
conf_read_fn conf_read_uint;        /* unsigned in [min, max]; int or int64, never a float */
conf_read_fn conf_read_bool;        /* bool */
conf_read_fn conf_read_string;      /* char[size], length and check as the key says */
conf_read_fn conf_read_group;       /* a group whose members are k->keys */
conf_read_fn conf_read_unsupported; /* always an error: k->why */

/*
 * The integer in s, for readers of their own. Returns 0, or -EINVAL (with
 * the error) when s is not an int or int64.
 */
int conf_get_integer(struct conf_reader *r, const config_setting_t *s, long long *v);

/* The string in s. Returns 0, or -EINVAL (with the error) when s is not a string. */
int conf_get_string(struct conf_reader *r, const config_setting_t *s, const char **v);

/* Words for a setting's type, for "expected X, got Y". */
const char *conf_type_words(const config_setting_t *s);

/* Reads the root group of a parsed file into c (conf_schema.c). */
int conf_schema_read(struct conf_reader *r, const config_setting_t *root, struct conf *c);

/* The policy section (conf_policy.c). */
struct conf_policy;
void conf_policy_defaults(struct conf_policy *p);
conf_read_fn conf_read_policy;

/* The mqtt and templates sections (conf_mqtt.c). */
struct conf_mqtt;
void conf_mqtt_defaults(struct conf_mqtt *m);
conf_read_fn conf_read_mqtt;
conf_read_fn conf_read_templates;

/* The automation section (conf_automation.c). */
struct conf_automation;
void conf_automation_defaults(struct conf_automation *a);
conf_read_fn conf_read_automation;

/*
 * The rules section (conf_rules.c): conf_read_rules reads and checks each
 * rule alone; conf_rules_check, run on the whole tree once every section
 * is read (the policy section's keywords may come after the rules), checks
 * them together: unique keywords, none hidden by an earlier first_word
 * rule, none on a consent keyword. Returns 0, or -EINVAL with the error
 * naming the rule's keyword.
 */
conf_read_fn conf_read_rules;
int conf_rules_check(struct conf_reader *r, const config_setting_t *root, const struct conf *c);

/* Format checks, pure (conf_format.c): NULL when fine, else what is wrong. */
const char *conf_check_name(const char *v);
const char *conf_check_line(const char *v);
const char *conf_check_pin(const char *v);
const char *conf_check_imei(const char *v);
const char *conf_check_iccid(const char *v);
/* true for the serial rates parley accepts, 9600..921600 */
bool conf_baud_valid(long long baud);

#endif
