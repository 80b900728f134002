/*
 * Commands from agent consoles (mqtt_payload.h): one JSON payload checked
 * whole into a struct mqtt_command, or refused with a code and a sentence
 * naming the field at fault.
 *
 * The payload is first read strictly (json_strict.h: RFC 8259's grammar,
 * and a verdict for every string: clean, not UTF-8, holding a NUL, or
 * holding a lone UTF-16 surrogate); only then does cJSON build the tree.
 * cJSON's tree lists the strings in the scan's order, which is how a
 * verdict finds its field's name here.
 *
 * Pure: no I/O, no clock. Normalising numbers, rendering templates and
 * deciding anything about consent belong to the daemon and the policy layer.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parley/conversation.h"
#include "parley/json_strict.h"
#include "parley/mqtt_payload.h"
#include "parley/template.h"
#include "parley/utf8.h"

#define PAYLOAD_MAX_DEFAULT 16384
#define TEXT_MAX_DEFAULT 4000
#define EXACT_INT_MAX 9007199254740992.0   /* 2^53: doubles above it skip integers */
#define MS_MAX INT64_C(253402300799999)    /* 9999-12-31T23:59:59.999Z */
#define MS_YEAR_2000 INT64_C(946684800000)
#define NAME_SHOWN_MAX 40                  /* bytes of a caller's word quoted in a reason */

/* ---- reasons ---- */

__attribute__((format(printf, 3, 4)))
static int fault(struct mqtt_error *err, const char *code, const char *fmt, ...)
{
	va_list ap;
	err->code = code;
	va_start(ap, fmt);
	int n = vsnprintf(err->reason, sizeof err->reason, fmt, ap);
	va_end(ap);
	/* a cut must not leave half a character: the reason goes into JSON */
	if (n >= (int)sizeof err->reason) {
		size_t len = strlen(err->reason);
		while (len > 0 && utf8_validate(err->reason, len) != 0)
			err->reason[--len] = '\0';
	}
	return -EINVAL;
}

/*
 * A caller's word for a reason: at most NAME_SHOWN_MAX bytes, cut between
 * characters, control characters shown as '?' (reasons end up in logs).
 */
static const char *show(char *buf, size_t size, const char *s)
{
	size_t len = strlen(s), i = 0, o = 0;
	while (i < len) {
		size_t p = i;
		bool bad = utf8_next(s, len, &p) < 0;
		if (bad)
			p = i + 1;
		if (p > NAME_SHOWN_MAX || o + (p - i) + 4 > size)
			break;
		for (; i < p; i++)
			buf[o++] = bad || (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	}
	if (i < len) {
		memcpy(buf + o, "...", 3); /* the loop kept room for it */
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* The JSON type a value starting with c has, for a sentence. */
static const char *root_type_name(char c)
{
	switch (c) {
	case '[': return "an array";
	case '"': return "a string";
	case 't': return "true";
	case 'f': return "false";
	case 'n': return "null";
	default: return "a number";
	}
}

static const char *type_name(const cJSON *it)
{
	if (cJSON_IsString(it))
		return "a string";
	if (cJSON_IsNumber(it))
		return "a number";
	if (cJSON_IsBool(it))
		return cJSON_IsTrue(it) ? "true" : "false";
	if (cJSON_IsNull(it))
		return "null";
	if (cJSON_IsArray(it))
		return "an array";
	return "an object";
}

/* ---- the audit: each string's verdict found in the tree ---- */

struct audit {
	const struct json_strict *scan;
	size_t next;              /* the next string's index in document order */
	enum json_strict_verdict first;   /* the first bad string's verdict, and where it is */
	bool first_in_key;
	char first_where[96];
	bool id_bad, reply_to_bad;
};

static enum json_strict_verdict audit_next(struct audit *a)
{
	return json_strict_verdict(a->scan, a->next++);
}

static void audit_note(struct audit *a, enum json_strict_verdict v, const char *where, bool in_key)
{
	if (v == JSON_STRICT_CLEAN || a->first != JSON_STRICT_CLEAN)
		return;
	a->first = v;
	a->first_in_key = in_key;
	snprintf(a->first_where, sizeof a->first_where, "%s", where);
}

static void audit_walk(struct audit *a, const cJSON *parent, const char *path, int depth)
{
	size_t index = 0;
	for (const cJSON *it = parent->child; it; it = it->next, index++) {
		char here[96], name[NAME_SHOWN_MAX + 8];
		enum json_strict_verdict kv = JSON_STRICT_CLEAN, vv = JSON_STRICT_CLEAN;
		if (cJSON_IsObject(parent)) {
			kv = audit_next(a);
			audit_note(a, kv, path, true);
			show(name, sizeof name, it->string ? it->string : "");
			if (depth == 0)
				snprintf(here, sizeof here, "%s", name);
			else
				snprintf(here, sizeof here, "%s.%s", path, name);
		} else {
			snprintf(here, sizeof here, "%s[%zu]", path, index);
		}
		if (cJSON_IsString(it)) {
			vv = audit_next(a);
			audit_note(a, vv, here, false);
		} else if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
			audit_walk(a, it, here, depth + 1);
		}
		if (depth == 0 && (kv != JSON_STRICT_CLEAN || vv != JSON_STRICT_CLEAN)) {
			if (strcmp(it->string, "id") == 0)
				a->id_bad = true;
			else if (strcmp(it->string, "reply_to") == 0)
				a->reply_to_bad = true;
		}
	}
}

static int audit_fault(const struct audit *a, struct mqtt_error *err)
{
	static const char *const what[] = {
		[JSON_STRICT_CLEAN] = "", [JSON_STRICT_NOT_UTF8] = "is not valid UTF-8",
		[JSON_STRICT_NUL] = "holds a NUL character (\\u0000)",
		[JSON_STRICT_SURROGATE] = "holds a lone UTF-16 surrogate",
	};
	if (a->first_in_key && a->first_where[0])
		return fault(err, "invalid_utf8", "A field name inside \"%s\" %s.", a->first_where,
			     what[a->first]);
	if (a->first_in_key)
		return fault(err, "invalid_utf8", "A field name %s.", what[a->first]);
	return fault(err, "invalid_utf8", "Field \"%s\" %s.", a->first_where, what[a->first]);
}

/* ---- fields ---- */

enum field {
	F_CMD, F_ID, F_REPLY_TO,
	F_TO, F_TEXT, F_TEMPLATE, F_VARIABLES, F_LINE, F_KEY, F_CATEGORY, F_SEND_AT, F_EXPIRE_AT,
	F_REPORT, F_PRIORITY, F_CANCEL_ON_REPLY,
	F_MESSAGE_ID,
	F_NUMBER, F_SCOPE, F_SCOPE_NAME, F_METHOD, F_DISCLOSURE, F_BY,
	F_CONVERSATION, F_AGENT, F_TO_AGENT, F_TAG, F_LIMIT, F_STATE, F_ASSIGNEE,
	F_NAME, F_RECIPIENTS, F_CAMPAIGN,
	F_COUNT
};

#define K(kind) (1u << (kind))
#define EVERY ((K(MQTT_CMD_LAST) << 1) - 1u)
#define RECORD (K(MQTT_CMD_CONSENT_REVOKE) | K(MQTT_CMD_CONSENT_GRANT))
/* an agent acting on one conversation */
#define ACT (K(MQTT_CMD_CLAIM) | K(MQTT_CMD_RELEASE) | K(MQTT_CMD_TRANSFER) | K(MQTT_CMD_CLOSE) | \
	     K(MQTT_CMD_REOPEN) | K(MQTT_CMD_READ) | K(MQTT_CMD_TAG) | K(MQTT_CMD_UNTAG) | \
	     K(MQTT_CMD_NOTE) | K(MQTT_CMD_REPLY))
#define QUESTION (K(MQTT_CMD_CONVERSATION) | K(MQTT_CMD_CONVERSATIONS) | \
		  K(MQTT_CMD_CONVERSATION_SEARCH))
#define TAGGING (K(MQTT_CMD_TAG) | K(MQTT_CMD_UNTAG))
#define CAMPAIGN K(MQTT_CMD_CAMPAIGN)

static const struct {
	const char *name;
	unsigned commands;        /* which commands take it */
} fields[F_COUNT] = {
	[F_CMD] = { "cmd", EVERY }, [F_ID] = { "id", EVERY }, [F_REPLY_TO] = { "reply_to", EVERY },
	[F_TO] = { "to", K(MQTT_CMD_SEND) },
	[F_TEXT] = { "text", K(MQTT_CMD_SEND) | K(MQTT_CMD_REPLY) | K(MQTT_CMD_NOTE) | CAMPAIGN },
	[F_TEMPLATE] = { "template", K(MQTT_CMD_SEND) | K(MQTT_CMD_REPLY) | CAMPAIGN },
	[F_VARIABLES] = { "variables", K(MQTT_CMD_SEND) | K(MQTT_CMD_REPLY) },
	[F_LINE] = { "line", K(MQTT_CMD_SEND) },
	/* a console resending a reply after a reconnection must not say it twice */
	[F_KEY] = { "key", K(MQTT_CMD_SEND) | K(MQTT_CMD_REPLY) | K(MQTT_CMD_CANCEL) },
	[F_CATEGORY] = { "category", K(MQTT_CMD_SEND) | RECORD | CAMPAIGN },
	[F_SEND_AT] = { "send_at", K(MQTT_CMD_SEND) },
	/* a campaign's end: what has not gone by then expires */
	[F_EXPIRE_AT] = { "expire_at", K(MQTT_CMD_SEND) | CAMPAIGN },
	[F_REPORT] = { "report", K(MQTT_CMD_SEND) },
	[F_PRIORITY] = { "priority", K(MQTT_CMD_SEND) | CAMPAIGN },
	/* a follow-up: dropped if the customer writes before it goes */
	[F_CANCEL_ON_REPLY] = { "cancel_on_reply", K(MQTT_CMD_SEND) },
	[F_MESSAGE_ID] = { "message_id", K(MQTT_CMD_CANCEL) },
	[F_NUMBER] = { "number", RECORD | K(MQTT_CMD_CONSENT_SHOW) | K(MQTT_CMD_CONVERSATION_SEARCH) },
	[F_SCOPE] = { "scope", RECORD }, [F_SCOPE_NAME] = { "scope_name", RECORD },
	[F_METHOD] = { "method", RECORD }, [F_DISCLOSURE] = { "disclosure", RECORD },
	[F_BY] = { "by", RECORD },
	[F_CONVERSATION] = { "conversation", ACT | K(MQTT_CMD_CONVERSATION) },
	[F_AGENT] = { "agent", ACT }, [F_TO_AGENT] = { "to_agent", K(MQTT_CMD_TRANSFER) },
	[F_TAG] = { "tag", TAGGING }, [F_LIMIT] = { "limit", QUESTION },
	[F_STATE] = { "state", K(MQTT_CMD_CONVERSATIONS) },
	[F_ASSIGNEE] = { "assignee", K(MQTT_CMD_CONVERSATIONS) },
	[F_NAME] = { "name", CAMPAIGN }, [F_RECIPIENTS] = { "recipients", CAMPAIGN },
	[F_CAMPAIGN] = { "campaign", K(MQTT_CMD_CAMPAIGN_STATUS) },
};

static const char *const send_categories[] = { "transactional", "conversational", "marketing", NULL };
static const char *const consent_categories[] = {
	"all", "transactional", "conversational", "marketing", NULL
};
static const char *const scopes[] = { "all", "line", "group", NULL };
static const char *const methods[] = { "api", "web", "agent", "import", NULL };

const char *mqtt_cmd_name(enum mqtt_cmd_kind k)
{
	switch (k) {
	case MQTT_CMD_SEND: return "send";
	case MQTT_CMD_CANCEL: return "cancel";
	case MQTT_CMD_CONSENT_REVOKE: return "consent_revoke";
	case MQTT_CMD_CONSENT_GRANT: return "consent_grant";
	case MQTT_CMD_CONSENT_SHOW: return "consent_show";
	case MQTT_CMD_CLAIM: return "claim";
	case MQTT_CMD_RELEASE: return "release";
	case MQTT_CMD_TRANSFER: return "transfer";
	case MQTT_CMD_CLOSE: return "close";
	case MQTT_CMD_REOPEN: return "reopen";
	case MQTT_CMD_READ: return "read";
	case MQTT_CMD_TAG: return "tag";
	case MQTT_CMD_UNTAG: return "untag";
	case MQTT_CMD_NOTE: return "note";
	case MQTT_CMD_REPLY: return "reply";
	case MQTT_CMD_CONVERSATION: return "conversation";
	case MQTT_CMD_CONVERSATIONS: return "conversations";
	case MQTT_CMD_CONVERSATION_SEARCH: return "conversation_search";
	case MQTT_CMD_CAMPAIGN: return "campaign";
	case MQTT_CMD_CAMPAIGN_STATUS: return "campaign_status";
	}
	return "unknown";
}

static int field_lookup(const char *name)
{
	for (int f = 0; f < F_COUNT; f++)
		if (strcmp(fields[f].name, name) == 0)
			return f;
	return -1;
}

/* What the checks below share: the payload's fields by name, and where to say what is wrong. */
struct check {
	const cJSON *at[F_COUNT];
	struct mqtt_error *err;
	const char *cmd;
	size_t text_max;
	size_t len, payload_max;  /* the payload's size, and the limit for all but a campaign */
};

static char *dup_or_null(const char *s)
{
	return strdup(s ? s : "");
}

/* Stores a copy of s in *dst: 0, or -ENOMEM. */
static int keep(char **dst, const char *s)
{
	*dst = dup_or_null(s);
	return *dst ? 0 : -ENOMEM;
}

static int want_type(struct check *c, enum field f, cJSON_bool ok, const char *what)
{
	if (ok)
		return 0;
	return fault(c->err, "wrong_type", "Field \"%s\" must be %s, not %s.", fields[f].name, what,
		     type_name(c->at[f]));
}

/*
 * A string field into *dst: dflt when absent (NULL dflt: required), never
 * empty unless may_be_empty.
 */
static int get_string(struct check *c, enum field f, const char *dflt, bool may_be_empty, char **dst)
{
	const cJSON *it = c->at[f];
	if (!it) {
		if (!dflt)
			return fault(c->err, "missing_field", "A %s command needs a \"%s\" field.", c->cmd,
				     fields[f].name);
		return keep(dst, dflt);
	}
	int rc = want_type(c, f, cJSON_IsString(it), "a string");
	if (rc)
		return rc;
	if (!may_be_empty && !it->valuestring[0])
		return fault(c->err, "invalid_value", "Field \"%s\" is empty.", fields[f].name);
	return keep(dst, it->valuestring);
}

/* A string field that must be one of words (NULL-terminated), dflt when absent. */
static int get_word(struct check *c, enum field f, const char *const *words, const char *dflt,
		    char **dst)
{
	const cJSON *it = c->at[f];
	if (!it)
		return keep(dst, dflt);
	int rc = want_type(c, f, cJSON_IsString(it), "a string");
	if (rc)
		return rc;
	for (size_t i = 0; words[i]; i++)
		if (strcmp(words[i], it->valuestring) == 0)
			return keep(dst, words[i]);
	char list[128] = "", shown[NAME_SHOWN_MAX + 8];
	for (size_t i = 0; words[i]; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", words[i]);
	return fault(c->err, "invalid_value", "Field \"%s\" must be one of %s; \"%s\" is not.",
		     fields[f].name, list, show(shown, sizeof shown, it->valuestring));
}

/* Whether v is a whole number within +-max (max <= 2^53). No libm: the programs do not link it. */
static bool integral(double v, double max)
{
	if (!isfinite(v) || v > max || v < -max)
		return false;
	return (double)(int64_t)v == v;
}

/* A variable's number as text: whole numbers without a fraction, others shortest first. */
static void number_text(double v, char *buf, size_t size)
{
	if (integral(v, EXACT_INT_MAX)) {
		snprintf(buf, size, "%" PRId64, (int64_t)v);
		return;
	}
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* An integer field in min..max; *dst untouched when absent. */
static int get_integer(struct check *c, enum field f, int64_t min, int64_t max, int64_t *dst)
{
	const cJSON *it = c->at[f];
	if (!it)
		return 0;
	int rc = want_type(c, f, cJSON_IsNumber(it), "a number");
	if (rc)
		return rc;
	double v = it->valuedouble;
	char num[32];
	number_text(v, num, sizeof num);
	if (!integral(v, EXACT_INT_MAX) || v < (double)min || v > (double)max)
		return fault(c->err, "invalid_value",
			     "Field \"%s\" must be a whole number from %" PRId64 " to %" PRId64 "; %s is not.",
			     fields[f].name, min, max, num);
	*dst = (int64_t)v;
	return 0;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (y >= 1970, m and d checked by the caller). */
static int64_t days_since_epoch(int y, int m, int d)
{
	static const int before_month[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	int64_t years = y - 1970;
	/* leap years in 1970..y-1: those in 1..y-1 minus those in 1..1969 (477) */
	int64_t leaps = (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400 - 477;
	int64_t days = years * 365 + leaps + before_month[m - 1] + d - 1;
	if (m > 2 && leap(y))
		days++;
	return days;
}

static bool fixed_digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/*
 * RFC 3339 section 5.6 date-time into ms since the epoch: "2026-12-01T09:00:00Z",
 * "...09:00:00.5+01:00". Fractions past the millisecond are cut. A leap
 * second (:60) reads as the next second's start. false when malformed.
 */
static bool parse_rfc3339(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, frac_ms = 0;
	size_t len = strlen(s), p = 19;
	static const int month_days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (len < 20 || !fixed_digits(s, 4, &y) || s[4] != '-' || !fixed_digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !fixed_digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    !fixed_digits(s + 11, 2, &h) || s[13] != ':' || !fixed_digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !fixed_digits(s + 17, 2, &sec))
		return false;
	if (s[p] == '.') {
		size_t start = ++p;
		for (int scale = 100; s[p] >= '0' && s[p] <= '9'; p++, scale /= 10)
			frac_ms += (s[p] - '0') * scale;
		if (p == start)
			return false;
	}
	int sign = 0;
	if ((s[p] == 'Z' || s[p] == 'z') && p + 1 == len) {
		sign = 0;
	} else if ((s[p] == '+' || s[p] == '-') && len - p == 6 && fixed_digits(s + p + 1, 2, &oh) &&
		   s[p + 3] == ':' && fixed_digits(s + p + 4, 2, &om)) {
		sign = s[p] == '+' ? 1 : -1;
	} else {
		return false;
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		return false;
	int64_t t = days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	t -= sign * (oh * 3600 + om * 60); /* local time minus its offset is UTC */
	*ms = t * 1000 + frac_ms;
	return true;
}

/* A time field (ms since the epoch, or an RFC 3339 string); *dst untouched when absent. */
static int get_time(struct check *c, enum field f, int64_t *dst)
{
	const cJSON *it = c->at[f];
	char shown[NAME_SHOWN_MAX + 8], num[32];
	if (!it)
		return 0;
	if (cJSON_IsNumber(it)) {
		double v = it->valuedouble;
		number_text(v, num, sizeof num);
		if (!integral(v, (double)MS_MAX) || v < 0)
			return fault(c->err, "invalid_value",
				     "Field \"%s\" must be whole milliseconds since 1970 (0 to %" PRId64 "); %s is not.",
				     fields[f].name, MS_MAX, num);
		if (v != 0 && v < (double)MS_YEAR_2000)
			return fault(c->err, "invalid_value",
				     "Field \"%s\" is %s ms, a time before 2000: seconds instead of milliseconds?",
				     fields[f].name, num);
		*dst = (int64_t)v;
		return 0;
	}
	int rc = want_type(c, f, cJSON_IsString(it), "milliseconds or an RFC 3339 time string");
	if (rc)
		return rc;
	int64_t ms;
	if (!parse_rfc3339(it->valuestring, &ms) || ms < 0 || ms > MS_MAX)
		return fault(c->err, "invalid_value",
			     "Field \"%s\" must be an RFC 3339 time after 1970 such as \"2026-12-01T09:00:00Z\"; \"%s\" is not.",
			     fields[f].name, show(shown, sizeof shown, it->valuestring));
	*dst = ms;
	return 0;
}

/* An object of variables (checked to be one) into vars: send's, reply's and a recipient's. */
static int parse_variables(struct check *c, const cJSON *obj, struct mqtt_var *vars, size_t *nvars)
{
	char shown[NAME_SHOWN_MAX + 8];
	size_t n = (size_t)cJSON_GetArraySize(obj);
	if (n > MQTT_VARS_MAX)
		return fault(c->err, "invalid_value", "Field \"variables\" has %zu entries; at most %d are accepted.",
			     n, MQTT_VARS_MAX);
	for (const cJSON *v = obj->child; v; v = v->next) {
		if (!template_name_ok(v->string, strlen(v->string)))
			return fault(c->err, "invalid_value",
				     "Variable \"%s\" has a name no template can use (1 to %d of A-Z a-z 0-9 _).",
				     show(shown, sizeof shown, v->string), TEMPLATE_NAME_MAX);
		for (const cJSON *w = obj->child; w != v; w = w->next)
			if (strcmp(w->string, v->string) == 0)
				return fault(c->err, "invalid_json", "Variable \"%s\" is given twice; give each once.",
					     v->string);
		if (!cJSON_IsString(v) && !cJSON_IsNumber(v))
			return fault(c->err, "wrong_type", "Variable \"%s\" must be a string or a number, not %s.",
				     v->string, type_name(v));
		char num[32];
		if (cJSON_IsNumber(v)) {
			if (!isfinite(v->valuedouble))
				return fault(c->err, "invalid_value", "Variable \"%s\" is too large a number.",
					     v->string);
			number_text(v->valuedouble, num, sizeof num);
		}
		struct mqtt_var *slot = &vars[*nvars];
		slot->name = strdup(v->string);
		slot->value = strdup(cJSON_IsString(v) ? v->valuestring : num);
		(*nvars)++;
		if (!slot->name || !slot->value)
			return -ENOMEM;
	}
	return 0;
}

static int get_variables(struct check *c, struct mqtt_command *out)
{
	const cJSON *obj = c->at[F_VARIABLES];
	if (!obj)
		return 0;
	int rc = want_type(c, F_VARIABLES, cJSON_IsObject(obj), "an object");
	if (rc)
		return rc;
	if (!c->at[F_TEMPLATE])
		return fault(c->err, "invalid_value", "Field \"variables\" goes with a \"template\", not with \"text\".");
	return parse_variables(c, obj, out->vars, &out->nvars);
}

/* One recipient of a campaign: {"to":"+44...","variables":{...}}, nothing else. */
static int get_recipient(struct check *c, const cJSON *it, size_t i, struct mqtt_recipient *r)
{
	const cJSON *to = NULL, *vars = NULL;
	char shown[NAME_SHOWN_MAX + 8];
	if (!cJSON_IsObject(it))
		return fault(c->err, "wrong_type", "Recipient %zu must be an object, not %s.", i + 1,
			     type_name(it));
	for (const cJSON *f = it->child; f; f = f->next) {
		const cJSON **slot = strcmp(f->string, "to") == 0 ? &to
				     : strcmp(f->string, "variables") == 0 ? &vars : NULL;
		if (!slot)
			return fault(c->err, "invalid_value", "Recipient %zu: field \"%s\" is not known.",
				     i + 1, show(shown, sizeof shown, f->string));
		if (*slot)
			return fault(c->err, "invalid_json", "Recipient %zu: field \"%s\" is given twice.",
				     i + 1, f->string);
		*slot = f;
	}
	if (!to)
		return fault(c->err, "missing_field", "Recipient %zu needs a \"to\" field.", i + 1);
	if (!cJSON_IsString(to) || !to->valuestring[0])
		return fault(c->err, cJSON_IsString(to) ? "invalid_value" : "wrong_type",
			     "Recipient %zu: field \"to\" must be a phone number as a string.", i + 1);
	if (!(r->to = strdup(to->valuestring)))
		return -ENOMEM;
	if (!vars)
		return 0;
	if (!cJSON_IsObject(vars))
		return fault(c->err, "wrong_type", "Recipient %zu: field \"variables\" must be an object, not %s.",
			     i + 1, type_name(vars));
	if (!c->at[F_TEMPLATE])
		return fault(c->err, "invalid_value", "Recipient %zu: \"variables\" go with a \"template\", "
			     "not with \"text\".", i + 1);
	if (cJSON_GetArraySize(vars) > MQTT_VARS_MAX)
		return fault(c->err, "invalid_value", "Recipient %zu has more than %d variables.", i + 1,
			     MQTT_VARS_MAX);
	if (!(r->vars = calloc(MQTT_VARS_MAX, sizeof(*r->vars))))
		return -ENOMEM;
	return parse_variables(c, vars, r->vars, &r->nvars);
}

/* A text of at most max bytes, or a template with its variables: send's and reply's words. */
static int get_words(struct check *c, size_t max, struct mqtt_command *out)
{
	int rc;
	if (c->at[F_TEXT] && c->at[F_TEMPLATE])
		return fault(c->err, "invalid_value", "Give \"text\" or \"template\", not both.");
	if (!c->at[F_TEXT] && !c->at[F_TEMPLATE])
		return fault(c->err, "missing_field", "A %s command needs a \"text\" or a \"template\" field.",
			     c->cmd);
	if ((rc = get_string(c, F_TEXT, "", c->at[F_TEXT] == NULL, &out->text)))
		return rc;
	if (strlen(out->text) > max)
		return fault(c->err, "text_too_long", "Field \"text\" is %zu bytes; at most %zu are accepted.",
			     strlen(out->text), max);
	if ((rc = get_string(c, F_TEMPLATE, "", c->at[F_TEMPLATE] == NULL, &out->template_name)))
		return rc;
	return get_variables(c, out);
}

static int check_send(struct check *c, struct mqtt_command *out)
{
	int rc;
	int64_t priority = 0;

	if ((rc = get_string(c, F_TO, NULL, false, &out->to)) || (rc = get_words(c, c->text_max, out)))
		return rc;
	if ((rc = get_string(c, F_LINE, "", false, &out->line)) ||
	    (rc = get_string(c, F_KEY, "", false, &out->key)) ||
	    (rc = get_word(c, F_CATEGORY, send_categories, "transactional", &out->category)) ||
	    (rc = get_time(c, F_SEND_AT, &out->send_at)) || (rc = get_time(c, F_EXPIRE_AT, &out->expire_at)))
		return rc;
	if (out->send_at && out->expire_at && out->expire_at <= out->send_at)
		return fault(c->err, "invalid_value", "Field \"expire_at\" must be later than \"send_at\".");
	if (c->at[F_REPORT]) {
		if ((rc = want_type(c, F_REPORT, cJSON_IsBool(c->at[F_REPORT]), "true or false")))
			return rc;
		out->report = cJSON_IsTrue(c->at[F_REPORT]);
	}
	if (c->at[F_CANCEL_ON_REPLY]) {
		if ((rc = want_type(c, F_CANCEL_ON_REPLY, cJSON_IsBool(c->at[F_CANCEL_ON_REPLY]),
				    "true or false")))
			return rc;
		out->cancel_on_reply = cJSON_IsTrue(c->at[F_CANCEL_ON_REPLY]);
	}
	if ((rc = get_integer(c, F_PRIORITY, -100, 100, &priority)))
		return rc;
	out->priority = (int)priority;
	return 0;
}

/* campaign: a name, a text or template, and 1..MQTT_RECIPIENTS_MAX recipients. */
static int check_campaign(struct check *c, struct mqtt_command *out)
{
	const cJSON *list = c->at[F_RECIPIENTS];
	int64_t priority = 0;
	int rc;

	if ((rc = get_string(c, F_NAME, NULL, false, &out->name)) ||
	    (rc = get_words(c, c->text_max, out)) ||
	    (rc = get_word(c, F_CATEGORY, send_categories, "marketing", &out->category)) ||
	    (rc = get_time(c, F_EXPIRE_AT, &out->expire_at)) ||
	    (rc = get_integer(c, F_PRIORITY, -100, 100, &priority)))
		return rc;
	out->priority = (int)priority;
	if (strlen(out->name) > MQTT_CAMPAIGN_NAME_MAX)
		return fault(c->err, "invalid_value", "Field \"name\" is %zu bytes; at most %d are accepted.",
			     strlen(out->name), MQTT_CAMPAIGN_NAME_MAX);
	if (!list)
		return fault(c->err, "missing_field", "A campaign command needs a \"recipients\" field.");
	if ((rc = want_type(c, F_RECIPIENTS, cJSON_IsArray(list), "an array")))
		return rc;
	size_t n = (size_t)cJSON_GetArraySize(list);
	if (n == 0 || n > MQTT_RECIPIENTS_MAX)
		return fault(c->err, "invalid_value", "Field \"recipients\" has %zu entries; 1 to %d are accepted.",
			     n, MQTT_RECIPIENTS_MAX);
	if (!(out->recipients = calloc(n, sizeof(*out->recipients))))
		return -ENOMEM;
	size_t i = 0;
	for (const cJSON *it = list->child; it; it = it->next, i++) {
		out->nrecipients = i + 1;
		if ((rc = get_recipient(c, it, i, &out->recipients[i])))
			return rc;
	}
	return 0;
}

static int check_cancel(struct check *c, struct mqtt_command *out)
{
	/* by id, or by the key it was sent with: the event that makes a follow-up moot
	 * (a purchase after an abandoned cart) knows the key it chose, not our id */
	if (!c->at[F_MESSAGE_ID] && !c->at[F_KEY])
		return fault(c->err, "missing_field", "A cancel command needs a \"message_id\" or a "
			     "\"key\" field.");
	if (c->at[F_MESSAGE_ID] && c->at[F_KEY])
		return fault(c->err, "invalid_value", "A cancel command takes \"message_id\" or "
			     "\"key\", not both.");
	if (c->at[F_KEY])
		return get_string(c, F_KEY, "", false, &out->key);
	return get_integer(c, F_MESSAGE_ID, 1, (int64_t)EXACT_INT_MAX, &out->message_id);
}

static int check_consent(struct check *c, struct mqtt_command *out)
{
	int rc;
	if ((rc = get_string(c, F_NUMBER, NULL, false, &out->number)))
		return rc;
	if (out->kind == MQTT_CMD_CONSENT_SHOW)
		return 0;
	if ((rc = get_word(c, F_SCOPE, scopes, "all", &out->scope)))
		return rc;
	bool named = strcmp(out->scope, "all") != 0;
	if (named && !c->at[F_SCOPE_NAME])
		return fault(c->err, "missing_field", "Scope \"%s\" needs a \"scope_name\" field.", out->scope);
	if (!named && c->at[F_SCOPE_NAME])
		return fault(c->err, "invalid_value", "Field \"scope_name\" goes only with scope \"line\" or \"group\".");
	const char *dflt = out->kind == MQTT_CMD_CONSENT_GRANT ? "marketing" : "all";
	if ((rc = get_string(c, F_SCOPE_NAME, "", false, &out->scope_name)) ||
	    (rc = get_word(c, F_CATEGORY, consent_categories, dflt, &out->consent_category)) ||
	    (rc = get_word(c, F_METHOD, methods, "api", &out->method)) ||
	    (rc = get_string(c, F_DISCLOSURE, "", true, &out->disclosure)) ||
	    (rc = get_string(c, F_BY, "mqtt", false, &out->by)))
		return rc;
	return 0;
}

/* An agent id field into *dst; NULL dflt: required. "" only when may_be_empty. */
static int get_agent(struct check *c, enum field f, const char *dflt, bool may_be_empty, char **dst)
{
	char shown[NAME_SHOWN_MAX + 8];
	int rc = get_string(c, f, dflt, may_be_empty, dst);
	if (rc || !c->at[f] || (may_be_empty && !**dst) || mqtt_agent_id_ok(*dst))
		return rc;
	return fault(c->err, "invalid_value",
		     "Field \"%s\" must be an agent id (1 to %d of A-Z a-z 0-9 . _ @ -); \"%s\" is not.",
		     fields[f].name, MQTT_AGENT_MAX, show(shown, sizeof shown, c->at[f]->valuestring));
}

static bool tag_ok(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
	return n >= 1 && n <= MQTT_TAG_MAX && s[n] == '\0';
}

/* claim ... reply: the conversation, who acts, and what each action needs besides. */
static int check_action(struct check *c, struct mqtt_command *out)
{
	char shown[NAME_SHOWN_MAX + 8];
	int rc;

	if (!c->at[F_CONVERSATION])
		return fault(c->err, "missing_field", "A %s command needs a \"conversation\" field.", c->cmd);
	if ((rc = get_integer(c, F_CONVERSATION, 1, (int64_t)EXACT_INT_MAX, &out->conversation_id)) ||
	    (rc = get_agent(c, F_AGENT, NULL, false, &out->agent)))
		return rc;
	switch (out->kind) {
	case MQTT_CMD_TRANSFER:
		if ((rc = get_agent(c, F_TO_AGENT, NULL, false, &out->to_agent)))
			return rc;
		if (strcmp(out->agent, out->to_agent) == 0)
			return fault(c->err, "invalid_value",
				     "Fields \"agent\" and \"to_agent\" name the same agent; a transfer goes to another.");
		return 0;
	case MQTT_CMD_TAG:
	case MQTT_CMD_UNTAG:
		if ((rc = get_string(c, F_TAG, NULL, false, &out->tag)))
			return rc;
		if (!tag_ok(out->tag))
			return fault(c->err, "invalid_value",
				     "Field \"tag\" must be 1 to %d of A-Z a-z 0-9 _ -; \"%s\" is not.",
				     MQTT_TAG_MAX, show(shown, sizeof shown, out->tag));
		return 0;
	case MQTT_CMD_NOTE:
		if ((rc = get_string(c, F_TEXT, NULL, false, &out->text)))
			return rc;
		if (strlen(out->text) > MQTT_NOTE_MAX)
			return fault(c->err, "text_too_long", "Field \"text\" is %zu bytes; a note takes at most %d.",
				     strlen(out->text), MQTT_NOTE_MAX);
		return 0;
	case MQTT_CMD_REPLY:
		/* an edited quick reply is no longer the template: the console sends it as text */
		if ((rc = get_words(c, c->text_max, out)) || (rc = get_string(c, F_KEY, "", false, &out->key)))
			return rc;
		return 0;
	case MQTT_CMD_CLAIM:
	case MQTT_CMD_RELEASE:
	case MQTT_CMD_CLOSE:
	case MQTT_CMD_REOPEN:
	case MQTT_CMD_READ:
		return 0;
	case MQTT_CMD_SEND:
	case MQTT_CMD_CANCEL:
	case MQTT_CMD_CONSENT_REVOKE:
	case MQTT_CMD_CONSENT_GRANT:
	case MQTT_CMD_CONSENT_SHOW:
	case MQTT_CMD_CONVERSATION:
	case MQTT_CMD_CONVERSATIONS:
	case MQTT_CMD_CONVERSATION_SEARCH:
	case MQTT_CMD_CAMPAIGN:
	case MQTT_CMD_CAMPAIGN_STATUS:
		break;
	}
	return 0;
}

static const char *const state_words[] = {
	"active", "open", "waiting_customer", "waiting_agent", "closed", NULL
};

/* A state filter's word as store_conversation_filter's bits. */
static unsigned state_bits(const char *word)
{
	static const struct { const char *word; unsigned bits; } map[] = {
		{ "active", (1u << CONV_OPEN) | (1u << CONV_WAITING_CUSTOMER) | (1u << CONV_WAITING_AGENT) },
		{ "open", 1u << CONV_OPEN },
		{ "waiting_customer", 1u << CONV_WAITING_CUSTOMER },
		{ "waiting_agent", 1u << CONV_WAITING_AGENT },
		{ "closed", 1u << CONV_CLOSED },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].word, word) == 0)
			return map[i].bits;
	return 0;
}

/* conversation, conversations, conversation_search: questions, answered in the reply. */
static int check_question(struct check *c, struct mqtt_command *out)
{
	int64_t limit = out->kind == MQTT_CMD_CONVERSATION ? 50 : 100;
	int rc = get_integer(c, F_LIMIT, 1, MQTT_LIMIT_MAX, &limit);
	if (rc)
		return rc;
	out->limit = (int)limit;
	switch (out->kind) {
	case MQTT_CMD_CONVERSATION:
		if (!c->at[F_CONVERSATION])
			return fault(c->err, "missing_field", "A %s command needs a \"conversation\" field.", c->cmd);
		return get_integer(c, F_CONVERSATION, 1, (int64_t)EXACT_INT_MAX, &out->conversation_id);
	case MQTT_CMD_CONVERSATIONS:
		if ((rc = get_word(c, F_STATE, state_words, "active", &out->state_filter)) ||
		    (rc = get_agent(c, F_ASSIGNEE, "", true, &out->assignee_filter)))
			return rc;
		out->states = state_bits(out->state_filter);
		out->has_assignee_filter = c->at[F_ASSIGNEE] != NULL;
		return 0;
	case MQTT_CMD_CONVERSATION_SEARCH:
		return get_string(c, F_NUMBER, NULL, false, &out->number);
	case MQTT_CMD_SEND:
	case MQTT_CMD_CANCEL:
	case MQTT_CMD_CONSENT_REVOKE:
	case MQTT_CMD_CONSENT_GRANT:
	case MQTT_CMD_CONSENT_SHOW:
	case MQTT_CMD_CLAIM:
	case MQTT_CMD_RELEASE:
	case MQTT_CMD_TRANSFER:
	case MQTT_CMD_CLOSE:
	case MQTT_CMD_REOPEN:
	case MQTT_CMD_READ:
	case MQTT_CMD_TAG:
	case MQTT_CMD_UNTAG:
	case MQTT_CMD_NOTE:
	case MQTT_CMD_REPLY:
	case MQTT_CMD_CAMPAIGN:
	case MQTT_CMD_CAMPAIGN_STATUS:
		break;
	}
	return 0;
}

/* Strings absent for this kind of command become "" as the header promises. */
static int fill_absent(struct mqtt_command *c)
{
	char **all[] = {
		&c->to, &c->text, &c->line, &c->key, &c->category, &c->template_name, &c->number,
		&c->scope, &c->scope_name, &c->consent_category, &c->method, &c->disclosure, &c->by,
		&c->agent, &c->to_agent, &c->tag, &c->state_filter, &c->assignee_filter, &c->name,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!*all[i] && !(*all[i] = strdup("")))
			return -ENOMEM;
	return 0;
}

/* reply_to must be a topic the daemon can publish to (MQTT 3.1.1 section 4.7.3). */
static bool publishable(const char *topic)
{
	return topic[0] && !strpbrk(topic, "+#") && strlen(topic) <= 65535;
}

/* id and reply_to when they are clean, single strings: the refusal still finds its way. */
static int fill_address(const struct check *c, const struct audit *a, const bool *twice,
			struct mqtt_command *out)
{
	const cJSON *id = c->at[F_ID], *rt = c->at[F_REPLY_TO];
	bool id_ok = id && cJSON_IsString(id) && !a->id_bad && !twice[F_ID];
	bool rt_ok = rt && cJSON_IsString(rt) && !a->reply_to_bad && !twice[F_REPLY_TO] &&
		     publishable(rt->valuestring);
	if (keep(&out->request_id, id_ok ? id->valuestring : "") ||
	    keep(&out->reply_to, rt_ok ? rt->valuestring : ""))
		return -ENOMEM;
	return 0;
}

static int check_command(const cJSON *root, const struct audit *a, struct check *c,
			 struct mqtt_command *out)
{
	bool twice[F_COUNT] = { false };
	const cJSON *first_unknown = NULL, *first_twice = NULL;
	char shown[NAME_SHOWN_MAX + 8];
	int rc;

	for (const cJSON *it = root->child; it; it = it->next) {
		int f = field_lookup(it->string);
		if (f < 0) {
			if (!first_unknown)
				first_unknown = it;
		} else if (c->at[f]) {
			twice[f] = true;
			if (!first_twice)
				first_twice = it;
		} else {
			c->at[f] = it;
		}
	}
	if ((rc = fill_address(c, a, twice, out)))
		return rc;
	if (a->first != JSON_STRICT_CLEAN)
		return audit_fault(a, c->err);
	if (first_twice)
		return fault(c->err, "invalid_json", "Field \"%s\" is given twice; give each field once.",
			     first_twice->string);

	const cJSON *cmd = c->at[F_CMD];
	if (!cmd)
		return fault(c->err, "unknown_command", "The payload has no \"cmd\" field.");
	if ((rc = want_type(c, F_CMD, cJSON_IsString(cmd), "a string")))
		return rc;
	bool known = false;
	for (int k = MQTT_CMD_SEND; k <= MQTT_CMD_LAST; k++) {
		if (strcmp(cmd->valuestring, mqtt_cmd_name((enum mqtt_cmd_kind)k)) == 0) {
			out->kind = (enum mqtt_cmd_kind)k;
			known = true;
		}
	}
	if (!known)
		return fault(c->err, "unknown_command",
			     "\"%s\" is not a command (send, cancel, consent_revoke/grant/show, claim, release, "
			     "transfer, close, reopen, read, tag, untag, note, reply, conversation, "
			     "conversations, conversation_search, campaign, campaign_status).",
			     show(shown, sizeof shown, cmd->valuestring));
	out->command = c->cmd = mqtt_cmd_name(out->kind);
	/* only a campaign may use the larger limit (see struct mqtt_limits) */
	if (out->kind != MQTT_CMD_CAMPAIGN && c->len > c->payload_max)
		return fault(c->err, "payload_too_large", "The payload is %zu bytes; at most %zu are accepted.",
			     c->len, c->payload_max);

	if (first_unknown)
		return fault(c->err, "invalid_value", "Field \"%s\" is not known.",
			     show(shown, sizeof shown, first_unknown->string));
	for (const cJSON *it = root->child; it; it = it->next) {
		int f = field_lookup(it->string);
		if (!(fields[f].commands & K(out->kind)))
			return fault(c->err, "invalid_value", "Field \"%s\" does not belong in a %s command.",
				     fields[f].name, c->cmd);
	}
	if (c->at[F_ID] && (rc = want_type(c, F_ID, cJSON_IsString(c->at[F_ID]), "a string")))
		return rc;
	if (c->at[F_REPLY_TO]) {
		if ((rc = want_type(c, F_REPLY_TO, cJSON_IsString(c->at[F_REPLY_TO]), "a string")))
			return rc;
		if (!publishable(c->at[F_REPLY_TO]->valuestring))
			return fault(c->err, "invalid_value",
				     "Field \"reply_to\" must be a topic without wildcards ('+', '#').");
	}

	switch (out->kind) {
	case MQTT_CMD_SEND: rc = check_send(c, out); break;
	case MQTT_CMD_CANCEL: rc = check_cancel(c, out); break;
	case MQTT_CMD_CONSENT_REVOKE:
	case MQTT_CMD_CONSENT_GRANT:
	case MQTT_CMD_CONSENT_SHOW: rc = check_consent(c, out); break;
	case MQTT_CMD_CLAIM:
	case MQTT_CMD_RELEASE:
	case MQTT_CMD_TRANSFER:
	case MQTT_CMD_CLOSE:
	case MQTT_CMD_REOPEN:
	case MQTT_CMD_READ:
	case MQTT_CMD_TAG:
	case MQTT_CMD_UNTAG:
	case MQTT_CMD_NOTE:
	case MQTT_CMD_REPLY: rc = check_action(c, out); break;
	case MQTT_CMD_CONVERSATION:
	case MQTT_CMD_CONVERSATIONS:
	case MQTT_CMD_CONVERSATION_SEARCH: rc = check_question(c, out); break;
	case MQTT_CMD_CAMPAIGN: rc = check_campaign(c, out); break;
	case MQTT_CMD_CAMPAIGN_STATUS:
		if (!c->at[F_CAMPAIGN])
			rc = fault(c->err, "missing_field", "A campaign_status command needs a \"campaign\" field.");
		else
			rc = get_integer(c, F_CAMPAIGN, 1, (int64_t)EXACT_INT_MAX, &out->campaign_id);
		break;
	}
	return rc ? rc : fill_absent(out);
}

/* After a refusal only the answer's address and the command's word stay. */
static void keep_address_only(struct mqtt_command *c)
{
	char *id = c->request_id, *rt = c->reply_to;
	const char *word = c->command;
	c->request_id = c->reply_to = NULL;
	mqtt_command_free(c);
	c->request_id = id;
	c->reply_to = rt;
	c->command = word;
}

int mqtt_command_parse(const char *payload, size_t len, const struct mqtt_limits *lim,
		       struct mqtt_command *out, struct mqtt_error *err)
{
	struct mqtt_error scratch;
	struct json_strict sc = { 0 };
	struct audit a = { .first = JSON_STRICT_CLEAN };
	struct check c = { .err = err ? err : &scratch, .cmd = "" };
	size_t payload_max = lim ? lim->payload_max : PAYLOAD_MAX_DEFAULT;
	size_t campaign_max = lim && lim->campaign_payload_max > payload_max ? lim->campaign_payload_max
									    : payload_max;
	cJSON *root = NULL;
	int rc;

	if (!payload)
		len = 0;
	memset(out, 0, sizeof *out);
	err = c.err;
	err->code = NULL;
	err->reason[0] = '\0';
	c.text_max = lim ? lim->text_max : TEXT_MAX_DEFAULT;
	c.len = len;
	c.payload_max = payload_max;

	/* the larger limit first: which applies is known once "cmd" is read (check_command) */
	if (len > campaign_max) {
		rc = fault(err, "payload_too_large", "The payload is %zu bytes; at most %zu are accepted.",
			   len, campaign_max);
		goto done;
	}
	if (len == 0) {
		rc = fault(err, "invalid_json", "The payload is empty.");
		goto done;
	}
	rc = json_strict_scan(&sc, payload, len);
	if (rc == -EBADMSG) {
		rc = fault(err, "invalid_json", "The payload is not valid JSON: %s (byte %zu).", sc.error,
			   sc.error_at);
		goto done;
	}
	if (rc)
		goto done;
	if (sc.root != '{') {
		rc = fault(err, "not_an_object", "The payload is %s, not a JSON object.",
			   root_type_name(sc.root));
		goto done;
	}
	root = cJSON_ParseWithLength(payload, len);
	if (!root) {
		/* the scan passed it: cJSON refuses only lone surrogates, or ran out of memory */
		if (sc.surrogate)
			rc = fault(err, "invalid_utf8",
				   "A string holds a lone UTF-16 surrogate escape (byte %zu), which has no UTF-8 form.",
				   sc.surrogate_at);
		else
			rc = -ENOMEM;
		goto done;
	}
	a.scan = &sc;
	audit_walk(&a, root, "", 0);
	rc = check_command(root, &a, &c, out);
done:
	cJSON_Delete(root);
	json_strict_fini(&sc);
	if (rc == -EINVAL) {
		keep_address_only(out);
		if ((!out->request_id && !(out->request_id = strdup(""))) ||
		    (!out->reply_to && !(out->reply_to = strdup("")))) {
			mqtt_command_free(out);
			return -ENOMEM;
		}
	} else if (rc) {
		mqtt_command_free(out);
	}
	return rc;
}

void mqtt_command_free(struct mqtt_command *c)
{
	if (!c)
		return;
	char *all[] = {
		c->request_id, c->reply_to, c->to, c->text, c->line, c->key, c->category,
		c->template_name, c->number, c->scope, c->scope_name, c->consent_category, c->method,
		c->disclosure, c->by, c->agent, c->to_agent, c->tag, c->state_filter, c->assignee_filter,
		c->name,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
	for (size_t i = 0; i < c->nvars && i < MQTT_VARS_MAX; i++) {
		free(c->vars[i].name);
		free(c->vars[i].value);
	}
	for (size_t i = 0; i < c->nrecipients; i++) {
		free(c->recipients[i].to);
		for (size_t v = 0; v < c->recipients[i].nvars; v++) {
			free(c->recipients[i].vars[v].name);
			free(c->recipients[i].vars[v].value);
		}
		free(c->recipients[i].vars);
	}
	free(c->recipients);
	memset(c, 0, sizeof *c);
}
