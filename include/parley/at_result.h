/*
 * Reading AT responses: final result codes (V.250 5.7.2, TS 27.007 9.2,
 * TS 27.005 3.2.5) and the fields of information lines such as
 * "+CMGL: 1,0,,23" or "+COPS: 0,0,\"Vodafone UK\",7". Pure, no allocation.
 */
#ifndef PARLEY_AT_RESULT_H
#define PARLEY_AT_RESULT_H

#include <stdbool.h>
#include <stddef.h>

enum at_final {
	AT_FINAL_NONE,        /* not a final result: an information line */
	AT_FINAL_OK,
	AT_FINAL_ERROR,
	AT_FINAL_CME_ERROR,   /* +CME ERROR: mobile equipment error (27.007 9.2) */
	AT_FINAL_CMS_ERROR,   /* +CMS ERROR: message service error (27.005 3.2.5) */
	AT_FINAL_NO_CARRIER,
	AT_FINAL_BUSY,
	AT_FINAL_NO_ANSWER,
	AT_FINAL_NO_DIALTONE,
	AT_FINAL_TIMEOUT,     /* the modem said nothing in time (set by the channel) */
	AT_FINAL_CANCELLED,   /* the channel was reset before an answer (set by the channel) */
};

/*
 * Whether line is a final result code, and which. For +CME/+CMS ERROR,
 * *code gets the number, or -1 when the modem answered in words (CMEE=2)
 * that parley does not know or with a number no code can be (negative, or
 * past INT_MAX); other finals leave it 0.
 */
enum at_final at_final_parse(const char *line, int *code);

/* "OK", "+CMS ERROR", "timeout"...: for logs. */
const char *at_final_name(enum at_final f);

/* A cursor over the comma-separated fields after a prefix. */
struct at_iter {
	const char *p;
	const char *end;
};

/*
 * Starts at the fields of line after prefix ("+CMGL:"); false when the line
 * does not start with it. Spaces after the prefix are skipped.
 */
bool at_iter_begin(struct at_iter *it, const char *line, const char *prefix);

/* Next field as a decimal number; false when absent, empty or not a number. */
bool at_iter_next_number(struct at_iter *it, long *out);

/*
 * Next field as a string: quoted ("...", no escapes per V.250) or bare up to
 * the next comma. Copies at most size-1 bytes and a NUL; false when there
 * are no more fields or it does not fit.
 */
bool at_iter_next_string(struct at_iter *it, char *out, size_t size);

/* Steps over the next field, empty or not; false when there are none left. */
bool at_iter_skip(struct at_iter *it);

#endif
