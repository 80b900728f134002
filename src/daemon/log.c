/* Logging to stderr with sd-daemon priority prefixes (sd-daemon(3)). */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static enum conf_log_level threshold = CONF_LOG_INFO;

void log_set_level(enum conf_log_level level)
{
	threshold = level;
}

int log_debug_enabled(void)
{
	return threshold >= CONF_LOG_DEBUG;
}

static void emit(enum conf_log_level level, int priority, const char *fmt, va_list ap)
{
	if (level > threshold)
		return;
	fprintf(stderr, "<%d>", priority);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(name, level, priority)                  \
	void name(const char *fmt, ...)                \
	{                                              \
		va_list ap;                            \
		va_start(ap, fmt);                     \
		emit(level, priority, fmt, ap);        \
		va_end(ap);                            \
	}

LOG_FN(log_error, CONF_LOG_ERROR, 3)
LOG_FN(log_warning, CONF_LOG_WARNING, 4)
LOG_FN(log_info, CONF_LOG_INFO, 6)
LOG_FN(log_debug, CONF_LOG_DEBUG, 7)
