/*
 * What +CMS ERROR and +CME ERROR codes mean, in words, and whether sending
 * again later can succeed: TS 27.005 3.2.5 (message service errors, which
 * take 0-127 from TS 24.011 8.2.5.4 RP-cause and 128-255 from TS 23.040
 * 9.2.3.22 TP-FCS), TS 27.007 9.2 (equipment errors).
 */
#ifndef PARLEY_AT_ERRORS_H
#define PARLEY_AT_ERRORS_H

#include <stdbool.h>

enum at_error_class {
	AT_ERROR_TEMPORARY, /* worth retrying later: network, congestion, SIM busy */
	AT_ERROR_PERMANENT, /* the same message will fail again: barred, bad number, bad PDU */
};

/* Words for a +CMS ERROR code; a generic sentence for codes without one. Never NULL. */
const char *at_cms_error_text(int code);

/* Words for a +CME ERROR code. Never NULL. */
const char *at_cme_error_text(int code);

/* Whether a failed send with this +CMS ERROR code may succeed on retry. */
enum at_error_class at_cms_error_class(int code);

#endif
