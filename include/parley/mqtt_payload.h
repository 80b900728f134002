/*
 * The MQTT bridge's words: commands parsed from JSON payloads (checked
 * whole, every fault named), and events, replies and states rendered to
 * JSON, plus the topics they travel on. Pure: no I/O, no clock, no store;
 * the daemon fills the plain structs below from what it has.
 * Topic layout and payloads are documented in docs/mqtt.md.
 */
#ifndef PARLEY_MQTT_PAYLOAD_H
#define PARLEY_MQTT_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- commands ---- */

enum mqtt_cmd_kind {
	MQTT_CMD_SEND,            /* "send": queue a text */
	MQTT_CMD_CANCEL,          /* "cancel": cancel a queued or held message */
	MQTT_CMD_CONSENT_REVOKE,  /* "consent_revoke": record an opt-out */
	MQTT_CMD_CONSENT_GRANT,   /* "consent_grant": record a consent */
	MQTT_CMD_CONSENT_SHOW,    /* "consent_show": a number's records and what they allow */
	/* conversations (issue 7): an agent acting on one conversation */
	MQTT_CMD_CLAIM,           /* "claim": take it; first come, the second is refused */
	MQTT_CMD_RELEASE,         /* "release": back to the queue */
	MQTT_CMD_TRANSFER,        /* "transfer": from "agent" (the assignee) to "to_agent" */
	MQTT_CMD_CLOSE,           /* "close" */
	MQTT_CMD_REOPEN,          /* "reopen" */
	MQTT_CMD_READ,            /* "read": the agent has read it; unread back to 0 */
	MQTT_CMD_TAG,             /* "tag": add "tag" */
	MQTT_CMD_UNTAG,           /* "untag": remove "tag" */
	MQTT_CMD_NOTE,            /* "note": an internal note, never sent */
	MQTT_CMD_REPLY,           /* "reply": a text or a quick reply (template), from the
				     conversation's line */
	/* conversations: questions, answered in the reply's "result" */
	MQTT_CMD_CONVERSATION,    /* "conversation": one conversation's state and history */
	MQTT_CMD_CONVERSATIONS,   /* "conversations": a list, filtered by state and assignee */
	MQTT_CMD_CONVERSATION_SEARCH, /* "conversation_search": a number's conversations */
	/* campaigns (issue 7) */
	MQTT_CMD_CAMPAIGN,        /* "campaign": one text or template to a list of numbers */
	MQTT_CMD_CAMPAIGN_STATUS, /* "campaign_status": a campaign's counts */
};

/* The last kind, for loops over them all (no sentinel: switches stay exhaustive). */
#define MQTT_CMD_LAST MQTT_CMD_CAMPAIGN_STATUS

#define MQTT_AGENT_MAX 64         /* bytes of an agent id */
#define MQTT_TAG_MAX 32           /* bytes of a tag */
#define MQTT_NOTE_MAX 2000        /* bytes of a note's text */
#define MQTT_LIMIT_MAX 500        /* items a question may ask for */

#define MQTT_VARS_MAX 32
#define MQTT_RECIPIENTS_MAX 10000 /* recipients of one campaign */
#define MQTT_CAMPAIGN_NAME_MAX 100

struct mqtt_var {
	char *name;
	char *value;
};

/* One recipient of a campaign: the number as given and its own template variables. */
struct mqtt_recipient {
	char *to;                 /* as given; normalising it is the daemon's job */
	struct mqtt_var *vars;    /* nvars of them (NULL when none), owned */
	size_t nvars;
};

/*
 * A parsed command. Strings are NUL-terminated, owned (mqtt_command_free), "" when absent;
 * after a refusal only request_id and reply_to are set ("" when unreadable) and command,
 * all other strings being NULL.
 */
struct mqtt_command {
	enum mqtt_cmd_kind kind;
	const char *command;      /* the "cmd" word (static, not owned) once recognised, even
				     when the command is then refused; NULL before */
	char *request_id;         /* "id": echoed in the reply */
	char *reply_to;           /* "reply_to": MQTT 3.1.1 clients' answer topic */
	/* send */
	char *to;                 /* as given; normalising it is the daemon's job */
	char *text;               /* UTF-8; "" when a template is given */
	char *line;
	char *key;                /* idempotency key */
	char *category;           /* "transactional" (default), "conversational", "marketing" */
	char *template_name;      /* "template" */
	struct mqtt_var vars[MQTT_VARS_MAX]; /* "variables": { "name": "value" } (strings or numbers) */
	size_t nvars;
	int64_t send_at;          /* "send_at": ms since the epoch, or an RFC 3339 time; 0 now */
	int64_t expire_at;        /* "expire_at": the same; 0 never */
	bool report;              /* "report": ask for status reports */
	bool cancel_on_reply;     /* "cancel_on_reply": a follow-up, dropped if the customer
				     writes before it goes */
	int priority;             /* "priority": -100..100 */
	/* cancel */
	int64_t message_id;       /* "message_id", or 0 when cancelling by "key" */
	/* consent */
	char *number;
	char *scope;              /* "all" (default), "line", "group" */
	char *scope_name;         /* required for line and group */
	char *consent_category;   /* "category" for consent commands: "all" (default for revoke),
				     "marketing" (default for grant), ... */
	char *method;             /* "api" (default), "web", "agent", "import" */
	char *disclosure;
	char *by;                 /* "by": who records it; default "mqtt" */
	/*
	 * conversations. "agent" is who acts (claim ... reply); reply's text,
	 * template_name, vars and key are send's fields; note's is text.
	 */
	int64_t conversation_id;  /* "conversation": 1..2^53; 0 for other commands */
	char *agent;              /* an agent id (mqtt_agent_id_ok); transfer: from */
	char *to_agent;           /* transfer: to */
	char *tag;                /* tag, untag: [A-Za-z0-9_-]{1,32} */
	int limit;                /* questions: "limit" 1..500; default 50 (conversation),
				     100 (conversations, conversation_search); 0 for others */
	char *state_filter;       /* conversations: "active" (default: all but closed),
				     "open", "waiting_customer", "waiting_agent", "closed" */
	unsigned states;          /* the same as bits (1u << enum conv_state), as
				     store_conversation_filter takes them; 0 for others */
	char *assignee_filter;    /* conversations: "assignee"; "" means unassigned ... */
	bool has_assignee_filter; /* ... when this is true; false: any assignee */
	/*
	 * campaign: "name", text or template_name (no top-level variables: each
	 * recipient has its own), category ("marketing" by default), expire_at
	 * (the campaign's end), priority, and "recipients": 1..10000 objects
	 * {"to": ..., "variables": {...}}, nothing else in them.
	 */
	char *name;
	struct mqtt_recipient *recipients; /* nrecipients of them, owned; NULL for others */
	size_t nrecipients;
	int64_t campaign_id;      /* campaign_status: "campaign" 1..2^53 */
};

/*
 * Limits. A campaign carries its list, so it may be far larger than any
 * other command: a payload up to campaign_payload_max (e.g. 2 MiB, about
 * 10,000 recipients with a few variables each) is read, and once its "cmd"
 * is known, any command but "campaign" over payload_max is refused with
 * payload_too_large. One limit per command rather than one large limit for
 * all, so that a typo'd send cannot make the gateway parse megabytes.
 * campaign_payload_max 0 (or below payload_max) means payload_max.
 */
struct mqtt_limits {
	size_t payload_max;       /* bytes of a command payload, e.g. 16384 */
	size_t text_max;          /* bytes of a text, e.g. 4000; the segment limit is the daemon's */
	size_t campaign_payload_max; /* bytes of a campaign's payload, e.g. 2097152 */
};

/* Why a command was refused: code is a static machine-readable word, reason a sentence. */
struct mqtt_error {
	const char *code;         /* "payload_too_large", "invalid_json", "not_an_object",
				     "unknown_command", "missing_field", "wrong_type",
				     "invalid_value", "invalid_utf8", "text_too_long" */
	char reason[320];         /* room for the list of commands after a 40-byte word */
};

/*
 * Parses one command payload (len bytes, not NUL-terminated; NULL reads as
 * empty) against lim (NULL: 16384 and 4000). out must not be NULL; err may
 * be. Unknown fields are refused (a typo must not be silently ignored), and
 * so are fields given twice (RFC 7493, I-JSON: which one would count?).
 * The JSON must be strict RFC 8259 (cJSON alone accepts "01", "1." and raw
 * control characters in strings) and at most 32 levels deep.
 * Returns 0 with *out filled; -EINVAL with *err (and *out empty, nothing to
 * free); -ENOMEM. out->request_id, out->reply_to and out->command are filled
 * as far as they could be read even on -EINVAL, so that the refusal can be
 * answered: call mqtt_command_free on it either way (also after -ENOMEM).
 * An id or reply_to that is not a clean string, is given twice, or (reply_to)
 * is not a topic one can publish to is not filled in.
 *
 * Variables' numbers become text: integers (|n| <= 2^53) without a
 * fraction, others in the shortest "%g"-style form that reads back the
 * same number (1234567.89 stays "1234567.89", where plain %g would say
 * "1.23457e+06"). A number of milliseconds for send_at or expire_at below
 * 946684800000 (year 2000), other than 0, is refused as most likely seconds.
 */
int mqtt_command_parse(const char *payload, size_t len, const struct mqtt_limits *lim,
		       struct mqtt_command *out, struct mqtt_error *err);

/* Frees the strings and zeroes the struct; NULL is a no-op. */
void mqtt_command_free(struct mqtt_command *c);

/* The kind's word in payloads ("send", ...); "unknown" for a value that is not a kind. */
const char *mqtt_cmd_name(enum mqtt_cmd_kind k);

/* ---- agents and their presence ---- */

/*
 * Whether s is an agent id: 1..MQTT_AGENT_MAX bytes of A-Z a-z 0-9 . _ @ -
 * (ids go into topics and logs, so no spaces, wildcards or '/'). NULL is not.
 */
bool mqtt_agent_id_ok(const char *s);

#define MQTT_AGENT_NAME_MAX 128   /* bytes of an agent's display name */

/* What a console says about its agent on "<cluster>/agents/<agent>" (retained). */
struct mqtt_presence {
	bool online;
	char name[MQTT_AGENT_NAME_MAX + 1]; /* display name, "" when not given */
};

/*
 * Parses a presence payload (len bytes, not NUL-terminated; NULL reads as
 * empty): {"state":"online"|"offline","name":"Alice"}. "name" is optional:
 * 1..128 bytes of UTF-8 without control characters. An empty payload means
 * offline: it is how a retained message is deleted (a console closing
 * cleanly, or an operator clearing a stale agent). Fields other than these
 * two are ignored, so consoles may add their own ("at", "version"); "state"
 * is required, so a typo there is still caught.
 * Returns 0 with *out filled, or -EINVAL (out NULL, not a JSON object, not
 * UTF-8 or holding a NUL, "state" or "name" given twice, a missing or
 * unknown state, a bad name) with *out offline and nameless, or -ENOMEM.
 * cJSON cannot tell running out of memory while parsing from bad JSON:
 * that rare case is -EINVAL too.
 */
int mqtt_presence_parse(const char *payload, size_t len, struct mqtt_presence *out);

/*
 * The agent id of a presence topic: topic must be cluster + "/agents/" +
 * an id (mqtt_agent_id_ok) and nothing more. Copies it into agent
 * (NUL-terminated). Returns its length, or -EINVAL (a NULL argument, the
 * cluster has a problem (mqtt_topic_base_problem), the topic is not a
 * presence topic under it, or the id is not an agent id), or -EMSGSIZE
 * (agent too small; MQTT_AGENT_MAX + 1 always does).
 */
int mqtt_presence_agent(const char *topic, const char *cluster, char *agent, size_t size);

/* ---- replies ---- */

struct mqtt_reply {
	const char *request_id;   /* NULL or "": left out */
	const char *command;      /* the command's word, NULL when it could not be read */
	bool accepted;
	int64_t message_id;       /* accepted send/cancel: the message; 0 left out */
	bool existing;            /* accepted send: the key was used before */
	const char *code;         /* rejected: machine-readable ("opted_out", "invalid_json", ...) */
	int code_number;          /* rejected by policy: 4001 ...; 0 left out */
	const char *reason;       /* rejected: a sentence */
	const char *extra_json;   /* NULL, or a JSON value placed under "result" (consent_show) */
};

/*
 * Rendering, for every function below: unformatted JSON, malloc'd (free()).
 * NULL and 0 fields marked "left out" are not written (no nulls) unless
 * said otherwise. Strings are borrowed; bytes that are not UTF-8 are
 * written as U+FFFD so the output is always valid JSON. Times are RFC 3339
 * UTC with milliseconds ("2026-11-22T14:05:00.123Z"), clamped to
 * 1970..9999. Returns NULL with errno ENOMEM, or EINVAL when the struct
 * pointer is NULL (and as said below).
 */

/*
 * {"id":...,"command":"send","status":"accepted","message_id":12,"existing":false};
 * rejected: {...,"status":"rejected","code":...,"code_number":4001,"reason":...}.
 * "existing" is written for every accepted send, true or false. extra_json
 * is parsed and placed as a value under "result"; when it is not valid
 * JSON (or not UTF-8) nothing is rendered: NULL with errno EINVAL.
 */
char *mqtt_reply_json(const struct mqtt_reply *r);

/* ---- events ---- */

/*
 * An event for consumers. uid is unique for ever (consumers de-duplicate by
 * it); at is ms since the epoch. Fields not used by a kind are NULL / 0.
 */
struct mqtt_event {
	const char *uid;
	const char *kind;          /* "message" (outbound state change), "received", "consent" */
	int64_t at;
	/* message, received */
	int64_t message_id;
	const char *state;         /* "queued", "sent", ..., "received", "partial" */
	const char *peer;          /* the customer */
	const char *line;          /* our line, NULL when not yet known */
	const char *text;          /* NULL once purged */
	const char *category;      /* outbound */
	const char *error;         /* failed, blocked: the reason in words */
	const char *policy;        /* blocked or held by: "opted_out", "quiet_hours", ... */
	const char *keyword;       /* received: "opt-out", "opt-in", "help", "suspected-opt-out" */
	const char *detail;        /* the state change's detail, e.g. "line +44..., attempt 1" */
	int segments;
	/* consent */
	int64_t ledger_id;
	const char *number, *action, *scope, *scope_name, *consent_category, *method,
		*disclosure, *recorded_by;
};

/*
 * {"uid":...,"kind":"message","at":"2026-11-22T14:05:00.123Z","message_id":12,
 *  "state":"sent","conversation":{"line":...,"peer":...},"text":...,...}
 * Kind "consent": uid, kind, at, number, action, scope, scope_name,
 * "category" (consent_category), method, disclosure, recorded_by, ledger_id.
 * Any other kind ("message", "received") carries the message fields and
 * always a "conversation"; its "line" is written as null when not yet known,
 * since consumers key conversations by line and peer and must not guess.
 * "at" is always written; message_id, ledger_id and segments when > 0.
 */
char *mqtt_event_json(const struct mqtt_event *e);

/* ---- conversations ---- */

/*
 * A conversation, as an event (uid set) or as a state object inside a
 * reply (uid NULL). Strings borrowed; state is its name ("open",
 * "waiting_customer", "waiting_agent", "closed").
 */
struct mqtt_conversation {
	const char *uid;           /* events: unique for ever; NULL: a state object */
	int64_t at;                /* events: when it changed */
	int64_t id;
	const char *line, *peer, *state;
	const char *assignee;      /* NULL: unassigned (in the queue) */
	int unread;
	const char *const *tags;   /* ntags of them; may be NULL when ntags is 0 */
	size_t ntags;
	int64_t created_at, updated_at;
	int64_t last_in_at, last_out_at;   /* 0 none */
	int64_t waiting_since;     /* 0: nobody waits */
	const char *detail;        /* events: the change in words, "claimed by alice"; NULL none */
};

/* One item of a conversation's history. Strings borrowed. */
struct mqtt_history_item {
	bool note;                 /* an agent's internal note; else a message */
	int64_t id;                /* the message's or the note's */
	bool inbound;              /* messages: from the customer */
	const char *state;         /* messages: "received", "queued", "sent", ... */
	const char *text;          /* NULL once purged: left out */
	const char *author;        /* notes: the agent; outbound messages: the agent who
				      replied; NULL (left out) for automation and customers */
	int64_t at;
};

/*
 * Event: {"uid":...,"kind":"conversation","at":...,"id":7,"line":...,"peer":...,
 *  "state":"waiting_agent","assignee":"alice","unread":2,"tags":["vip"],
 *  "created_at":...,"updated_at":...,"last_in_at":...,"last_out_at":null,
 *  "waiting_since":...,"detail":"claimed by alice"}
 * State object (uid NULL): the same without uid, kind, at and detail.
 * Unlike elsewhere, every key of a state is always written: a NULL assignee,
 * a NULL line and times of 0 as null, tags as [] when there are none, so
 * that a console replacing its copy by this one forgets nothing stale.
 * id and unread are always written. EINVAL also when ntags > 0 and tags is
 * NULL, or a tag is NULL.
 */
char *mqtt_conversation_json(const struct mqtt_conversation *c);

/*
 * The "conversation" command's result:
 * {"conversation":{state object},"history":[{"kind":"message","id":42,
 *  "direction":"in","state":"received","text":...,"at":...},
 *  {"kind":"note","id":3,"text":...,"author":"alice","at":...}, ...]}
 * in the order given (oldest first is the store's). c's uid is ignored: the
 * conversation is written as a state object. EINVAL also when n > 0 and
 * items is NULL (or as for mqtt_conversation_json).
 */
char *mqtt_history_json(const struct mqtt_conversation *c, const struct mqtt_history_item *items,
			size_t n);

/*
 * The "conversations" and "conversation_search" results:
 * {"conversations":[{state object}, ...]}, uids ignored. EINVAL when n > 0
 * and cs is NULL (or as for mqtt_conversation_json); cs may be NULL when n is 0.
 */
char *mqtt_conversation_list_json(const struct mqtt_conversation *cs, size_t n);

/* ---- retained states ---- */

struct mqtt_modem_state {
	const char *name, *line, *state;   /* state: "ready", "registration", ... */
	const char *operator_name;         /* NULL unknown */
	int signal_dbm;                    /* 0 unknown */
	bool registered, roaming;
	int64_t queue_depth;
	const char *last_error;            /* NULL none */
};

struct mqtt_gateway_state {
	bool online;
	const char *gateway_id, *version;
	const struct mqtt_modem_state *modems;
	size_t nmodems;
	int64_t at;
};

/*
 * {"name":...,"line":...,"state":"ready","operator":...,"signal_dbm":-71,
 *  "registered":true,"roaming":false,"queue_depth":3,"last_error":...}; a
 * retained state replaces the previous one whole, so an absent last_error
 * means none.
 */
char *mqtt_modem_json(const struct mqtt_modem_state *m);
/*
 * online: {"state":"online","gateway":...,"version":...,"modems":[names],"at":...};
 * offline: {"state":"offline","gateway":...,"version":...,"at":...} (no modems).
 * "at" is left out when 0: a last will is rendered at connect time, long
 * before the broker sends it. EINVAL also when nmodems > 0 and modems is NULL.
 */
char *mqtt_gateway_json(const struct mqtt_gateway_state *g);

/* ---- topics ---- */

/*
 * Whether base is a usable base topic: 1..200 bytes of UTF-8, no '+', '#',
 * NUL, no leading '$' or '/', no trailing '/', no empty level. NULL when
 * fine (base NULL is not), else a static sentence saying what is wrong.
 */
const char *mqtt_topic_base_problem(const char *base);

/*
 * base + "/" + the parts joined by "/" (NULL ends the list) into out,
 * NUL-terminated. A part cannot hold '+': a phone number needs its '+'
 * dropped or replaced before it becomes a level.
 * Returns the length, or:
 *   -EINVAL   base has a problem (mqtt_topic_base_problem), or a part is
 *             empty, holds '/', '+' or '#', or is not valid UTF-8 (this
 *             wins over -EMSGSIZE: it is the caller's bug);
 *   -EMSGSIZE out is NULL or too small for the topic and its NUL.
 * On either error out's contents are unspecified.
 */
int mqtt_topic_join(char *out, size_t size, const char *base, ...)
	__attribute__((sentinel));

#endif
