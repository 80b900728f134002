/*
 * parleyd's log: lines on stderr with the sd-daemon priority prefixes
 * ("<3>" error ... "<7>" debug) that journald turns into priorities.
 */
#ifndef PARLEYD_LOG_H
#define PARLEYD_LOG_H

#include "parley/config.h"

void log_set_level(enum conf_log_level level);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int log_debug_enabled(void);

#endif
