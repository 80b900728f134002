/*
 * Parameters of an extended command (TS 27.007 4.1, ITU-T V.250 5.4.2):
 * "2,1,,\"SM\"" becomes four values, the third one omitted. Pure.
 */
#ifndef MODEMSIM_AT_ARGS_H
#define MODEMSIM_AT_ARGS_H

#include <stdbool.h>

#define AT_ARGS_MAX 8
#define AT_ARG_STR_MAX 64

struct at_arg {
	bool present;  /* something between the commas */
	bool quoted;   /* a "string constant" */
	bool numeric;  /* digits only (an optional leading '-') */
	long num;
	char str[AT_ARG_STR_MAX]; /* the text, without quotes */
};

struct at_args {
	unsigned count;
	struct at_arg v[AT_ARGS_MAX];
};

/*
 * Splits s (the text after '=') into out. Returns 0; -EINVAL for an
 * unterminated string, more than AT_ARGS_MAX values, a value longer than
 * AT_ARG_STR_MAX - 1, or a number out of range.
 */
int at_args_parse(const char *s, struct at_args *out);

/* The i-th value as a number in [min, max]; false when absent or not one. */
bool at_args_int(const struct at_args *a, unsigned i, long min, long max, long *v);

/* The i-th value as text (quoted or not); NULL when absent. */
const char *at_args_str(const struct at_args *a, unsigned i);

#endif
