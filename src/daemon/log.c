/*
 * Logging to stderr with sd-daemon priority prefixes (sd-daemon(3)), one
 * line per message. Control characters are written as escapes (\n, \r,
 * \xNN): journald starts a new entry at each newline and reads a "<N>" at
 * its start as the priority, so a text from outside (a console's field, a
 * topic, a modem's answer) must not be able to forge one.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

#define LOG_TEXT_MAX 8192

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
	char text[LOG_TEXT_MAX], line[LOG_TEXT_MAX + 16];
	size_t n;

	if (level > threshold)
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	n = (size_t)snprintf(line, sizeof(line), "<%d>", priority);
	for (const unsigned char *p = (const unsigned char *)text; *p && n + 8 < sizeof(line); p++) {
		if (*p == '\n')
			n += (size_t)snprintf(line + n, sizeof(line) - n, "\\n");
		else if (*p == '\r')
			n += (size_t)snprintf(line + n, sizeof(line) - n, "\\r");
		else if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "\\x%02x", *p);
		else
			line[n++] = (char)*p;
	}
	line[n++] = '\n';
	/* one write: lines of a daemon and its children never interleave mid-line */
	fwrite(line, 1, n, stderr);
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
