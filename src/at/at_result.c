/*
 * Final result codes and information-line fields. Numeric results (ATV0)
 * are not handled: parley always runs modems with verbose results.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parley/at_result.h"

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* CMEE=2 words for the errors whose numbers parley acts on (27.007 9.2.1, 27.005 3.2.5). */
static const struct {
	const char *text;
	int code;
} cme_words[] = {
	{ "SIM not inserted", 10 }, { "SIM PIN required", 11 }, { "SIM PUK required", 12 },
	{ "SIM failure", 13 },      { "SIM busy", 14 },         { "SIM wrong", 15 },
	{ "incorrect password", 16 }, { "memory full", 20 },    { "invalid index", 21 },
	{ "not found", 22 },        { "no network service", 30 }, { "network timeout", 31 },
	{ "operation not allowed", 3 }, { "operation not supported", 4 }, { "unknown", 100 },
}, cms_words[] = {
	{ "SIM not inserted", 310 }, { "SIM PIN required", 311 }, { "SIM busy", 314 },
	{ "memory full", 322 },     { "invalid memory index", 321 }, { "SMSC address unknown", 330 },
	{ "no network service", 331 }, { "network timeout", 332 }, { "unknown error", 500 },
	{ "operation not allowed", 302 }, { "invalid PDU mode parameter", 304 },
};

static int error_code(const char *rest, bool cms)
{
	char *end;
	long v;

	while (*rest == ' ')
		rest++;
	v = strtol(rest, &end, 10);
	/* a negative or overlong number is noise, not a code (cut to int, it could be 21) */
	if (end != rest && (*end == '\0' || *end == ' '))
		return v >= 0 && v <= INT_MAX ? (int)v : -1;
	size_t n = cms ? sizeof(cms_words) / sizeof(cms_words[0]) : sizeof(cme_words) / sizeof(cme_words[0]);
	for (size_t i = 0; i < n; i++) {
		const char *w = cms ? cms_words[i].text : cme_words[i].text;
		if (strcasecmp(rest, w) == 0)
			return cms ? cms_words[i].code : cme_words[i].code;
	}
	return -1;
}

enum at_final at_final_parse(const char *line, int *code)
{
	*code = 0;
	if (strcmp(line, "OK") == 0)
		return AT_FINAL_OK;
	if (strcmp(line, "ERROR") == 0)
		return AT_FINAL_ERROR;
	if (starts_with(line, "+CME ERROR:")) {
		*code = error_code(line + 11, false);
		return AT_FINAL_CME_ERROR;
	}
	if (starts_with(line, "+CMS ERROR:")) {
		*code = error_code(line + 11, true);
		return AT_FINAL_CMS_ERROR;
	}
	if (strcmp(line, "NO CARRIER") == 0)
		return AT_FINAL_NO_CARRIER;
	if (strcmp(line, "BUSY") == 0)
		return AT_FINAL_BUSY;
	if (strcmp(line, "NO ANSWER") == 0)
		return AT_FINAL_NO_ANSWER;
	if (strcmp(line, "NO DIALTONE") == 0 || strcmp(line, "NO DIAL TONE") == 0)
		return AT_FINAL_NO_DIALTONE;
	/* Huawei firmwares answer unknown commands so instead of ERROR */
	if (strcmp(line, "COMMAND NOT SUPPORT") == 0)
		return AT_FINAL_ERROR;
	return AT_FINAL_NONE;
}

const char *at_final_name(enum at_final f)
{
	switch (f) {
	case AT_FINAL_NONE: return "none";
	case AT_FINAL_OK: return "OK";
	case AT_FINAL_ERROR: return "ERROR";
	case AT_FINAL_CME_ERROR: return "+CME ERROR";
	case AT_FINAL_CMS_ERROR: return "+CMS ERROR";
	case AT_FINAL_NO_CARRIER: return "NO CARRIER";
	case AT_FINAL_BUSY: return "BUSY";
	case AT_FINAL_NO_ANSWER: return "NO ANSWER";
	case AT_FINAL_NO_DIALTONE: return "NO DIALTONE";
	case AT_FINAL_TIMEOUT: return "timeout";
	case AT_FINAL_CANCELLED: return "cancelled";
	}
	return "unknown";
}

bool at_iter_begin(struct at_iter *it, const char *line, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(line, prefix, n) != 0)
		return false;
	it->p = line + n;
	while (*it->p == ' ')
		it->p++;
	it->end = line + strlen(line);
	return true;
}

/* The bounds of the next field, quotes included; moves past its comma. */
static bool field_next(struct at_iter *it, const char **start, const char **stop)
{
	const char *p = it->p;

	if (!p)
		return false;
	while (*p == ' ')
		p++;
	*start = p;
	if (*p == '"') {
		const char *close = memchr(p + 1, '"', (size_t)(it->end - p - 1));
		p = close ? close + 1 : it->end;
	}
	while (p < it->end && *p != ',')
		p++;
	*stop = p;
	/* after the last field the cursor is spent */
	it->p = p < it->end ? p + 1 : NULL;
	return true;
}

bool at_iter_next_number(struct at_iter *it, long *out)
{
	const char *a, *b;
	char *end;

	if (!field_next(it, &a, &b) || a == b)
		return false;
	*out = strtol(a, &end, 10);
	while (end < b && *end == ' ')
		end++;
	return end == b && end != a;
}

bool at_iter_next_string(struct at_iter *it, char *out, size_t size)
{
	const char *a, *b;
	size_t n;

	if (!field_next(it, &a, &b))
		return false;
	while (b > a && b[-1] == ' ')
		b--;
	if (b - a >= 2 && *a == '"' && b[-1] == '"') {
		a++;
		b--;
	}
	n = (size_t)(b - a);
	if (n + 1 > size)
		return false;
	memcpy(out, a, n);
	out[n] = '\0';
	return true;
}

bool at_iter_skip(struct at_iter *it)
{
	const char *a, *b;
	return field_next(it, &a, &b);
}
