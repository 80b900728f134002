/*
 * MQTT commands: one table of payloads, good and bad, with the code each
 * must get (NULL: accepted), a word its reason must contain, and the id
 * the refusal must still carry; then the fields of accepted commands in
 * detail.
 *
 * Payloads are written with ' for " and converted before parsing (JSON
 * strings that need an apostrophe would write \u0027). Raw bytes that are
 * not UTF-8 are C escapes; rows with a NUL byte give their length.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/conversation.h"
#include "parley/mqtt_payload.h"
#include "parley/utf8.h"

static const struct mqtt_limits lim = { .payload_max = 16384, .text_max = 4000 };

/* Filled by setup (too long to write out). */
static char big_payload[20480 + 1], text_at_limit[4200], text_over[4200], emoji_over[4200],
	deep_nesting[200], shallow_nesting[200], vars_32[2000], vars_33[2000], long_number[200],
	long_field_name[400], note_at_limit[2200], note_over[2200], reply_over[4200],
	agent_at_limit[200], agent_over[200], long_cmd[200];

struct row {
	const char *payload;
	size_t len;              /* 0: strlen */
	const char *code;        /* NULL: accepted */
	const char *reason_has;  /* a part of the reason, NULL not checked */
	const char *id;          /* request_id after parsing (refused or not); NULL: "" */
};

#define OK NULL
#define SEND "'cmd':'send','to':'+447700900123'"

static const struct row rows[] = {
	/* ---- accepted ---- */
	{ "{'cmd':'send','to':'+447700900123','text':'Hello'}", 0, OK, NULL, NULL },
	{ "{'id':'r1','reply_to':'console/7/replies'," SEND ",'text':'Hi'}", 0, OK, NULL, "r1" },
	{ "{" SEND ",'template':'reminder','variables':{'name':'Ana','n':3,'price':12.5}}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'x','line':'+447700900001','key':'k-1','category':'marketing',"
	  "'send_at':1796115600000,'expire_at':'2026-12-02T09:00:00Z','report':true,'priority':-100}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'x','priority':100,'report':false}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-01T09:00:00Z'}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-01T10:00:00+01:00'}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-01t03:30:00.5-05:30'}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2028-02-29T00:00:00Z'}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':0}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'x','category':'conversational'}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'\\ud83d\\ude00 \\\"quoted\\\"\\n'}", 0, OK, NULL, NULL },
	{ "{" SEND ",'text':'caf\xC3\xA9 \xF0\x9F\x98\x80'}", 0, OK, NULL, NULL },
	{ "{" SEND ",'template':'t','variables':{}}", 0, OK, NULL, NULL },
	{ " \r\n\t{'cmd':'cancel','message_id':12,'id':'c-9'}\n ", 0, OK, NULL, "c-9" },
	{ "{'cmd':'cancel','message_id':9007199254740992}", 0, OK, NULL, NULL },
	{ "{'cmd':'consent_revoke','number':'+447700900123'}", 0, OK, NULL, NULL },
	{ "{'cmd':'consent_revoke','number':'07700 900123','scope':'line','scope_name':'+447700900001'}", 0, OK, NULL, NULL },
	{ "{'cmd':'consent_grant','number':'+447700900123','category':'marketing','method':'web',"
	  "'disclosure':'Web form v3','by':'agent 12'}", 0, OK, NULL, NULL },
	{ "{'cmd':'consent_grant','number':'+1 415 555 0100','scope':'group','scope_name':'uk','disclosure':''}", 0, OK, NULL, NULL },
	{ "{'cmd':'consent_show','number':'+447700900123','id':'s1'}", 0, OK, NULL, "s1" },
	{ text_at_limit, 0, OK, NULL, NULL },
	{ vars_32, 0, OK, NULL, NULL },

	/* ---- size, syntax, shape ---- */
	{ big_payload, 0, "payload_too_large", "20480 bytes", NULL },
	{ "", 0, "invalid_json", "empty", NULL },
	{ "   ", 0, "invalid_json", NULL, NULL },
	{ "{", 0, "invalid_json", NULL, NULL },
	{ "{'cmd':'send',}", 0, "invalid_json", NULL, NULL },
	{ "{'cmd':'send'} x", 0, "invalid_json", "more after", NULL },
	{ "{cmd:'send'}", 0, "invalid_json", NULL, NULL },
	{ "{'cmd':'cancel','message_id':012}", 0, "invalid_json", "starts with 0", NULL },
	{ "{'cmd':'cancel','message_id':1.}", 0, "invalid_json", NULL, NULL },
	{ "{'cmd':'cancel','message_id':.5}", 0, "invalid_json", NULL, NULL },
	{ "{'cmd':'cancel','message_id':+1}", 0, "invalid_json", NULL, NULL },
	{ "{'cmd':'cancel','message_id':NaN}", 0, "invalid_json", NULL, NULL },
	{ "{'cmd':'cancel','message_id':1e}", 0, "invalid_json", "exponent", NULL },
	{ "{" SEND ",'text':'a\x01'}", 0, "invalid_json", "control character", NULL },
	{ "{" SEND ",'text':'line\nbreak'}", 0, "invalid_json", "control character", NULL },
	{ "{" SEND ",'text':'\\x41'}", 0, "invalid_json", "unknown escape", NULL },
	{ "{" SEND ",'text':'\\u12'}", 0, "invalid_json", "four hex digits", NULL },
	{ "{'cmd':'send'\0,'to':'x'}", 22, "invalid_json", NULL, NULL },
	{ "{'cmd':'send','report':tru}", 0, "invalid_json", NULL, NULL },
	{ "{\xFF}", 0, "invalid_json", NULL, NULL },
	{ "{'a':'b'}}", 0, "invalid_json", NULL, NULL },
	{ deep_nesting, 0, "invalid_json", "nested", NULL },
	{ long_number, 0, "invalid_json", "63 characters", NULL },
	{ "{'id':'d1'," SEND ",'to':'+447700900124','text':'x'}", 0, "invalid_json", "\"to\" is given twice", "d1" },
	{ "{'cmd':'send','cmd':'cancel','message_id':1}", 0, "invalid_json", "\"cmd\" is given twice", NULL },
	{ "{'id':'a','id':'b','cmd':'consent_show','number':'1'}", 0, "invalid_json", "twice", NULL },
	{ "{" SEND ",'template':'t','variables':{'a':'1','a':'2'}}", 0, "invalid_json", "\"a\" is given twice", NULL },
	{ "[]", 0, "not_an_object", "an array", NULL },
	{ "[{'cmd':'send'}]", 0, "not_an_object", NULL, NULL },
	{ "'send'", 0, "not_an_object", "a string", NULL },
	{ "42", 0, "not_an_object", "a number", NULL },
	{ " null", 0, "not_an_object", "null", NULL },
	{ "true", 0, "not_an_object", NULL, NULL },

	/* ---- the command ---- */
	{ "{}", 0, "unknown_command", "no \"cmd\"", NULL },
	{ "{'id':'e1','to':'+447700900123','text':'x'}", 0, "unknown_command", NULL, "e1" },
	{ "{'cmd':'sned','id':'e2'}", 0, "unknown_command", "\"sned\" is not a command", "e2" },
	{ "{'cmd':''}", 0, "unknown_command", NULL, NULL },
	{ "{'cmd':'SEND','to':'x','text':'y'}", 0, "unknown_command", NULL, NULL },
	{ "{'cmd':1}", 0, "wrong_type", "\"cmd\" must be a string, not a number", NULL },
	{ "{'cmd':['send']}", 0, "wrong_type", "an array", NULL },

	/* ---- missing fields ---- */
	{ "{'cmd':'send','text':'x','id':'m1'}", 0, "missing_field", "\"to\"", "m1" },
	{ "{" SEND "}", 0, "missing_field", "\"text\" or a \"template\"", NULL },
	{ "{'cmd':'cancel'}", 0, "missing_field", "\"message_id\"", NULL },
	{ "{'cmd':'consent_revoke'}", 0, "missing_field", "\"number\"", NULL },
	{ "{'cmd':'consent_show','id':'m2'}", 0, "missing_field", "\"number\"", "m2" },
	{ "{'cmd':'consent_grant','number':'+447700900123','scope':'line'}", 0, "missing_field", "scope_name", NULL },
	{ "{'cmd':'consent_revoke','number':'+447700900123','scope':'group'}", 0, "missing_field", "scope_name", NULL },

	/* ---- wrong types, numbers as strings and strings as numbers ---- */
	{ "{'cmd':'send','to':447700900123,'text':'x'}", 0, "wrong_type", "\"to\" must be a string", NULL },
	{ "{" SEND ",'text':5}", 0, "wrong_type", "\"text\"", NULL },
	{ "{" SEND ",'text':null}", 0, "wrong_type", "not null", NULL },
	{ "{" SEND ",'text':'x','priority':'5'}", 0, "wrong_type", "\"priority\" must be a number, not a string", NULL },
	{ "{'cmd':'cancel','message_id':'12'}", 0, "wrong_type", "\"message_id\"", NULL },
	{ "{" SEND ",'text':'x','report':'true'}", 0, "wrong_type", "\"report\" must be true or false", NULL },
	{ "{" SEND ",'text':'x','report':1}", 0, "wrong_type", "\"report\"", NULL },
	{ "{" SEND ",'template':'t','variables':['a']}", 0, "wrong_type", "\"variables\" must be an object", NULL },
	{ "{" SEND ",'template':'t','variables':{'a':true}}", 0, "wrong_type", "Variable \"a\"", NULL },
	{ "{" SEND ",'template':'t','variables':{'a':null}}", 0, "wrong_type", NULL, NULL },
	{ "{" SEND ",'template':'t','variables':{'a':{'b':'c'}}}", 0, "wrong_type", NULL, NULL },
	{ "{'cmd':'consent_show','number':'1','id':7}", 0, "wrong_type", "\"id\"", NULL },
	{ "{'cmd':'consent_show','number':'1','reply_to':5}", 0, "wrong_type", "\"reply_to\"", NULL },
	{ "{" SEND ",'text':'x','send_at':true}", 0, "wrong_type", "\"send_at\" must be milliseconds or an RFC 3339", NULL },
	{ "{" SEND ",'text':'x','category':1}", 0, "wrong_type", "\"category\"", NULL },
	{ "{'cmd':'consent_revoke','number':'1','scope':['line']}", 0, "wrong_type", "\"scope\"", NULL },
	{ "{'cmd':'consent_revoke','number':12345}", 0, "wrong_type", "\"number\"", NULL },

	/* ---- values out of range or not among the words ---- */
	{ "{" SEND ",'text':'x','priority':101}", 0, "invalid_value", "-100 to 100; 101", NULL },
	{ "{" SEND ",'text':'x','priority':-101}", 0, "invalid_value", "\"priority\"", NULL },
	{ "{" SEND ",'text':'x','priority':5.5}", 0, "invalid_value", "5.5", NULL },
	{ "{" SEND ",'text':'x','priority':1e400}", 0, "invalid_value", "\"priority\"", NULL },
	{ "{" SEND ",'text':'x','category':'promo'}", 0, "invalid_value", "transactional, conversational, marketing; \"promo\"", NULL },
	{ "{" SEND ",'text':'x','category':'all'}", 0, "invalid_value", "\"category\"", NULL },
	{ "{'cmd':'consent_revoke','number':'1','scope':'world'}", 0, "invalid_value", "\"scope\"", NULL },
	{ "{'cmd':'consent_revoke','number':'1','method':'email'}", 0, "invalid_value", "api, web, agent, import", NULL },
	{ "{'cmd':'consent_revoke','number':'1','category':'promo'}", 0, "invalid_value", "all, transactional", NULL },
	{ "{'cmd':'consent_revoke','number':'1','scope_name':'x'}", 0, "invalid_value", "\"scope_name\" goes only", NULL },
	{ "{'cmd':'cancel','message_id':0}", 0, "invalid_value", "from 1", NULL },
	{ "{'cmd':'cancel','message_id':-1}", 0, "invalid_value", NULL, NULL },
	{ "{'cmd':'cancel','message_id':1.5}", 0, "invalid_value", NULL, NULL },
	{ "{'cmd':'cancel','message_id':1e300}", 0, "invalid_value", NULL, NULL },
	{ "{'cmd':'cancel','message_id':99999999999999999999}", 0, "invalid_value", NULL, NULL },
	{ "{'cmd':'cancel','message_id':9007199254740993}", 0, OK, NULL, NULL }, /* reads as 2^53 */
	{ "{" SEND ",'text':'x','send_at':-1}", 0, "invalid_value", "\"send_at\"", NULL },
	{ "{" SEND ",'text':'x','send_at':1796115600}", 0, "invalid_value", "seconds instead of milliseconds", NULL },
	{ "{" SEND ",'text':'x','send_at':1796115600000.5}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-01 09:00:00Z'}", 0, "invalid_value", "RFC 3339", NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-01T09:00:00'}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-13-01T09:00:00Z'}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-02-29T09:00:00Z'}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-01T24:00:00Z'}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-01T09:00:00+1:00'}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-01T09:00:00.Z'}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'1969-12-31T23:59:59Z'}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'1796115600000'}", 0, "invalid_value", NULL, NULL },
	{ "{" SEND ",'text':'x','send_at':'2026-12-02T09:00:00Z','expire_at':'2026-12-01T09:00:00Z'}", 0, "invalid_value", "later than", NULL },
	{ "{" SEND ",'text':'x','template':'t'}", 0, "invalid_value", "not both", NULL },
	{ "{'id':'u1'," SEND ",'txt':'x'}", 0, "invalid_value", "\"txt\" is not known", "u1" },
	{ "{" SEND ",'text':'x','message_id':4}", 0, "invalid_value", "does not belong in a send", NULL },
	{ "{'cmd':'cancel','message_id':4,'text':'x'}", 0, "invalid_value", "does not belong in a cancel", NULL },
	{ "{'cmd':'consent_show','number':'1','scope':'all'}", 0, "invalid_value", "consent_show", NULL },
	{ "{" SEND ",'text':'x','variables':{'a':'1'}}", 0, "invalid_value", "goes with a \"template\"", NULL },
	{ "{" SEND ",'template':'t','variables':{'first-name':'Ana'}}", 0, "invalid_value", "\"first-name\"", NULL },
	{ "{" SEND ",'template':'t','variables':{'':'Ana'}}", 0, "invalid_value", NULL, NULL },
	{ vars_33, 0, "invalid_value", "33 entries", NULL },
	{ "{'cmd':'send','to':'','text':'x'}", 0, "invalid_value", "\"to\" is empty", NULL },
	{ "{" SEND ",'text':''}", 0, "invalid_value", "\"text\" is empty", NULL },
	{ "{" SEND ",'template':''}", 0, "invalid_value", "\"template\" is empty", NULL },
	{ "{'id':'t1','reply_to':'a/+/b'," SEND ",'text':'x'}", 0, "invalid_value", "wildcards", "t1" },
	{ "{'reply_to':''," SEND ",'text':'x'}", 0, "invalid_value", "\"reply_to\"", NULL },
	{ shallow_nesting, 0, "invalid_value", "\"x\" is not known", NULL },
	{ long_field_name, 0, "invalid_value", "...\" is not known", NULL },

	/* ---- strings that are not UTF-8, or hold a NUL ---- */
	{ "{'id':'v1'," SEND ",'text':'bad \xFF byte'}", 0, "invalid_utf8", "\"text\" is not valid UTF-8", "v1" },
	{ "{" SEND ",'text':'cut \xC3'}", 0, "invalid_utf8", "\"text\"", NULL },
	{ "{" SEND ",'text':'overlong \xC0\xAF'}", 0, "invalid_utf8", NULL, NULL },
	{ "{" SEND ",'text':'surrogate \xED\xA0\x80'}", 0, "invalid_utf8", NULL, NULL },
	{ "{" SEND ",'text':'above \xF4\x90\x80\x80'}", 0, "invalid_utf8", NULL, NULL },
	{ "{'id':'v2'," SEND ",'text':'nul \\u0000 hidden'}", 0, "invalid_utf8", "\"text\" holds a NUL", "v2" },
	{ "{" SEND ",'text':'\\u0000'}", 0, "invalid_utf8", "NUL", NULL },
	{ "{" SEND ",'template':'t','variables':{'name':'A\\u0000'}}", 0, "invalid_utf8", "\"variables.name\" holds a NUL", NULL },
	{ "{" SEND ",'template':'t','variables':{'n\xFF':'A'}}", 0, "invalid_utf8", "field name inside \"variables\"", NULL },
	{ "{" SEND ",'te\xFFxt':'A'}", 0, "invalid_utf8", "A field name is not", NULL },
	{ "{" SEND ",'text\\u0000':'A'}", 0, "invalid_utf8", "NUL", NULL },
	{ "{'id':'v3'," SEND ",'text':'lone \\ud800'}", 0, "invalid_utf8", "surrogate", NULL }, /* cJSON gives up: no id */
	{ "{" SEND ",'text':'\\udc00 low first'}", 0, "invalid_utf8", "surrogate", NULL },
	{ "{'id':'bad\xFF','reply_to':'ok/topic'," SEND ",'text':'x'}", 0, "invalid_utf8", "\"id\"", NULL },
	{ "{'id':'i\\u0000d'," SEND ",'text':'x'}", 0, "invalid_utf8", "\"id\" holds a NUL", NULL },
	{ "{" SEND ",'text':'x','x':['\xFF']}", 0, "invalid_utf8", "\"x[0]\"", NULL },

	/* ---- text length ---- */
	{ text_over, 0, "text_too_long", "4001 bytes; at most 4000", NULL },
	{ emoji_over, 0, "text_too_long", "4004 bytes", NULL },

	/* ---- conversations: agents' actions, accepted ---- */
	{ "{'cmd':'claim','conversation':7,'agent':'alice'}", 0, OK, NULL, NULL },
	{ "{'id':'k1','reply_to':'console/alice','cmd':'claim','conversation':9007199254740992,'agent':'a'}", 0, OK, NULL, "k1" },
	{ "{'cmd':'release','conversation':7,'agent':'alice.smith@shop-1_x'}", 0, OK, NULL, NULL },
	{ "{'cmd':'transfer','conversation':7,'agent':'alice','to_agent':'bob'}", 0, OK, NULL, NULL },
	{ "{'cmd':'close','conversation':7,'agent':'parleyd'}", 0, OK, NULL, NULL },
	{ "{'cmd':'reopen','conversation':7,'agent':'bob'}", 0, OK, NULL, NULL },
	{ "{'cmd':'read','conversation':7,'agent':'bob'}", 0, OK, NULL, NULL },
	{ "{'cmd':'tag','conversation':7,'agent':'bob','tag':'vip'}", 0, OK, NULL, NULL },
	{ "{'cmd':'untag','conversation':7,'agent':'bob','tag':'Refund_due-2'}", 0, OK, NULL, NULL },
	{ "{'cmd':'tag','conversation':7,'agent':'bob','tag':'abcdefghijklmnopqrstuvwxyz012345'}", 0, OK, NULL, NULL },
	{ "{'cmd':'note','conversation':7,'agent':'bob','text':'Called them: wants a refund \\ud83d\\udcb8'}", 0, OK, NULL, NULL },
	{ note_at_limit, 0, OK, NULL, NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','text':'On its way!'}", 0, OK, NULL, NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','text':'x','key':'r-7-1'}", 0, OK, NULL, NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','template':'shipped','variables':{'name':'Sam','order':1234}}", 0, OK, NULL, NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','template':'thanks'}", 0, OK, NULL, NULL },
	{ agent_at_limit, 0, OK, NULL, NULL },

	/* ---- conversations: questions, accepted ---- */
	{ "{'cmd':'conversation','conversation':7}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversation','conversation':7,'limit':500,'id':'h1'}", 0, OK, NULL, "h1" },
	{ "{'cmd':'conversation','conversation':7,'limit':1}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversations'}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversations','state':'waiting_agent','assignee':'','limit':20}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversations','state':'closed','assignee':'alice'}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversations','state':'open'}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversations','state':'waiting_customer'}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversations','state':'active'}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversation_search','number':'07700 900123'}", 0, OK, NULL, NULL },
	{ "{'cmd':'conversation_search','number':'+447700900123','limit':5}", 0, OK, NULL, NULL },

	/* ---- conversations: refused ---- */
	{ "{'cmd':'claim','agent':'alice','id':'n1'}", 0, "missing_field", "A claim command needs a \"conversation\"", "n1" },
	{ "{'cmd':'claim','conversation':7}", 0, "missing_field", "A claim command needs a \"agent\"", NULL },
	{ "{'cmd':'release','conversation':7}", 0, "missing_field", "\"agent\"", NULL },
	{ "{'cmd':'transfer','conversation':7,'agent':'alice'}", 0, "missing_field", "\"to_agent\"", NULL },
	{ "{'cmd':'tag','conversation':7,'agent':'alice'}", 0, "missing_field", "\"tag\"", NULL },
	{ "{'cmd':'untag','conversation':7,'agent':'alice'}", 0, "missing_field", "\"tag\"", NULL },
	{ "{'cmd':'note','conversation':7,'agent':'alice'}", 0, "missing_field", "A note command needs a \"text\"", NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'alice'}", 0, "missing_field", "A reply command needs a \"text\" or a \"template\"", NULL },
	{ "{'cmd':'conversation'}", 0, "missing_field", "\"conversation\"", NULL },
	{ "{'cmd':'conversation_search'}", 0, "missing_field", "\"number\"", NULL },
	{ "{'cmd':'claim','conversation':'7','agent':'alice'}", 0, "wrong_type", "\"conversation\" must be a number, not a string", NULL },
	{ "{'cmd':'claim','conversation':7,'agent':12}", 0, "wrong_type", "\"agent\" must be a string", NULL },
	{ "{'cmd':'claim','conversation':7,'agent':null}", 0, "wrong_type", "not null", NULL },
	{ "{'cmd':'transfer','conversation':7,'agent':'a','to_agent':['b']}", 0, "wrong_type", "\"to_agent\"", NULL },
	{ "{'cmd':'tag','conversation':7,'agent':'a','tag':1}", 0, "wrong_type", "\"tag\"", NULL },
	{ "{'cmd':'note','conversation':7,'agent':'a','text':{'t':'x'}}", 0, "wrong_type", "\"text\" must be a string, not an object", NULL },
	{ "{'cmd':'conversation','conversation':7,'limit':'10'}", 0, "wrong_type", "\"limit\"", NULL },
	{ "{'cmd':'conversations','state':1}", 0, "wrong_type", "\"state\"", NULL },
	{ "{'cmd':'conversations','assignee':null}", 0, "wrong_type", "\"assignee\"", NULL },
	{ "{'cmd':'conversation_search','number':447700900123}", 0, "wrong_type", "\"number\"", NULL },
	{ "{'cmd':'claim','conversation':0,'agent':'alice'}", 0, "invalid_value", "\"conversation\" must be a whole number from 1", NULL },
	{ "{'cmd':'claim','conversation':-3,'agent':'alice'}", 0, "invalid_value", "\"conversation\"", NULL },
	{ "{'cmd':'claim','conversation':7.5,'agent':'alice'}", 0, "invalid_value", "7.5", NULL },
	{ "{'cmd':'claim','conversation':1e300,'agent':'alice'}", 0, "invalid_value", NULL, NULL },
	{ "{'cmd':'claim','conversation':7,'agent':''}", 0, "invalid_value", "\"agent\" is empty", NULL },
	{ "{'cmd':'claim','conversation':7,'agent':'Alice Smith'}", 0, "invalid_value", "agent id (1 to 64 of A-Z a-z 0-9 . _ @ -); \"Alice Smith\"", NULL },
	{ "{'cmd':'claim','conversation':7,'agent':'a/b'}", 0, "invalid_value", "agent id", NULL },
	{ "{'cmd':'claim','conversation':7,'agent':'a+'}", 0, "invalid_value", "agent id", NULL },
	{ "{'cmd':'claim','conversation':7,'agent':'\u00e9lodie'}", 0, "invalid_value", "agent id", NULL },
	{ agent_over, 0, "invalid_value", "agent id", NULL },
	{ "{'cmd':'transfer','conversation':7,'agent':'bob','to_agent':'bob'}", 0, "invalid_value", "same agent", NULL },
	{ "{'cmd':'transfer','conversation':7,'agent':'bob','to_agent':'b b'}", 0, "invalid_value", "\"to_agent\" must be an agent id", NULL },
	{ "{'cmd':'transfer','conversation':7,'agent':'bob','to_agent':''}", 0, "invalid_value", "\"to_agent\" is empty", NULL },
	{ "{'cmd':'tag','conversation':7,'agent':'bob','tag':'needs refund'}", 0, "invalid_value", "\"tag\" must be 1 to 32", NULL },
	{ "{'cmd':'tag','conversation':7,'agent':'bob','tag':'a.b'}", 0, "invalid_value", "\"tag\"", NULL },
	{ "{'cmd':'tag','conversation':7,'agent':'bob','tag':''}", 0, "invalid_value", "\"tag\" is empty", NULL },
	{ "{'cmd':'tag','conversation':7,'agent':'bob','tag':'abcdefghijklmnopqrstuvwxyz0123456'}", 0, "invalid_value", "\"tag\"", NULL },
	{ "{'cmd':'note','conversation':7,'agent':'bob','text':''}", 0, "invalid_value", "\"text\" is empty", NULL },
	{ note_over, 0, "text_too_long", "2001 bytes; a note takes at most 2000", NULL },
	{ "{'cmd':'note','conversation':7,'agent':'bob','template':'t'}", 0, "invalid_value", "\"template\" does not belong in a note", NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','text':'x','template':'t'}", 0, "invalid_value", "not both", NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','text':'x','variables':{'a':'1'}}", 0, "invalid_value", "goes with a \"template\"", NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','text':'x','line':'+447700900001'}", 0, "invalid_value", "\"line\" does not belong in a reply", NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','text':'x','to':'+447700900123'}", 0, "invalid_value", "\"to\" does not belong", NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','text':'x','edit':'y'}", 0, "invalid_value", "\"edit\" is not known", NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','template':'t','variables':{'a b':'1'}}", 0, "invalid_value", "\"a b\"", NULL },
	{ reply_over, 0, "text_too_long", "4001 bytes", NULL },
	{ "{'cmd':'reply','conversation':7,'agent':'bob','text':'bad \xFF'}", 0, "invalid_utf8", "\"text\" is not valid UTF-8", NULL },
	{ "{'cmd':'note','conversation':7,'agent':'bob','text':'a\\u0000b'}", 0, "invalid_utf8", "NUL", NULL },
	{ "{'cmd':'claim','conversation':7,'agent':'a\\u0000b'}", 0, "invalid_utf8", "\"agent\" holds a NUL", NULL },
	{ "{'cmd':'claim','conversation':7,'conversation':8,'agent':'a'}", 0, "invalid_json", "\"conversation\" is given twice", NULL },
	{ "{'cmd':'claim','conversation':7,'agent':'a','tag':'x'}", 0, "invalid_value", "\"tag\" does not belong in a claim", NULL },
	{ "{'cmd':'close','conversation':7,'agent':'a','text':'bye'}", 0, "invalid_value", "does not belong in a close", NULL },
	{ "{'cmd':'read','conversation':7,'agent':'a','limit':3}", 0, "invalid_value", "\"limit\" does not belong in a read", NULL },
	{ "{'cmd':'release','conversation':7,'agent':'a','to_agent':'b'}", 0, "invalid_value", "\"to_agent\" does not belong", NULL },
	{ "{'cmd':'send','to':'1','text':'x','conversation':7}", 0, "invalid_value", "\"conversation\" does not belong in a send", NULL },
	{ "{'cmd':'send','to':'1','text':'x','agent':'bob'}", 0, "invalid_value", "does not belong in a send", NULL },
	{ "{'cmd':'conversation','conversation':7,'agent':'bob'}", 0, "invalid_value", "\"agent\" does not belong in a conversation", NULL },
	{ "{'cmd':'conversation','conversation':7,'limit':0}", 0, "invalid_value", "from 1 to 500; 0", NULL },
	{ "{'cmd':'conversation','conversation':7,'limit':501}", 0, "invalid_value", "501", NULL },
	{ "{'cmd':'conversation','conversation':7,'limit':2.5}", 0, "invalid_value", "\"limit\"", NULL },
	{ "{'cmd':'conversation','conversation':7,'state':'open'}", 0, "invalid_value", "\"state\" does not belong", NULL },
	{ "{'cmd':'conversations','state':'pending'}", 0, "invalid_value", "active, open, waiting_customer, waiting_agent, closed; \"pending\"", NULL },
	{ "{'cmd':'conversations','state':'OPEN'}", 0, "invalid_value", "\"state\"", NULL },
	{ "{'cmd':'conversations','state':''}", 0, "invalid_value", "\"state\"", NULL },
	{ "{'cmd':'conversations','assignee':'no one'}", 0, "invalid_value", "\"assignee\" must be an agent id", NULL },
	{ "{'cmd':'conversations','conversation':7}", 0, "invalid_value", "\"conversation\" does not belong in a conversations", NULL },
	{ "{'cmd':'conversations','limit':-1}", 0, "invalid_value", "\"limit\"", NULL },
	{ "{'cmd':'conversation_search','number':''}", 0, "invalid_value", "\"number\" is empty", NULL },
	{ "{'cmd':'conversation_search','number':'1','state':'open'}", 0, "invalid_value", "does not belong in a conversation_search", NULL },
	{ "{'cmd':'conversation_search','number':'1','limit':1000}", 0, "invalid_value", "\"limit\"", NULL },
	{ "{'cmd':'consent_show','number':'1','limit':10}", 0, "invalid_value", "\"limit\" does not belong in a consent_show", NULL },
	{ "{'cmd':'Claim','conversation':7,'agent':'a'}", 0, "unknown_command", "conversation_search", NULL },
	{ "{'cmd':'assign','conversation':7,'agent':'a'}", 0, "unknown_command", "\"assign\" is not a command", NULL },
	{ long_cmd, 0, "unknown_command", "...\" is not a command", NULL },
	/* ---- campaigns ---- */
#define CAMP "'cmd':'campaign','name':'bf'"
	{ "{" CAMP ",'text':'Sale','recipients':[{'to':'+447700900123'}]}", 0, OK, NULL, NULL },
	{ "{" CAMP ",'template':'promo','category':'transactional','expire_at':'2026-12-01T09:00:00Z',"
	  "'priority':5,'recipients':[{'to':'1','variables':{'name':'Sam','n':2}},{'to':'2'}]}", 0, OK, NULL, NULL },
	{ "{'cmd':'campaign_status','campaign':12}", 0, OK, NULL, NULL },
	{ "{" CAMP ",'text':'Sale'}", 0, "missing_field", "\"recipients\"", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':[]}", 0, "invalid_value", "1 to 10000", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':{'to':'1'}}", 0, "wrong_type", "an array", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':['+447700900123']}", 0, "wrong_type", "Recipient 1 must be an object", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':[{'to':'1'},{}]}", 0, "missing_field", "Recipient 2 needs a \"to\"", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':[{'to':''}]}", 0, "invalid_value", "Recipient 1", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':[{'to':7}]}", 0, "wrong_type", "Recipient 1", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':[{'to':'1','name':'x'}]}", 0, "invalid_value", "field \"name\" is not known", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':[{'to':'1','to':'2'}]}", 0, "invalid_json", "given twice", NULL },
	{ "{" CAMP ",'text':'Sale','recipients':[{'to':'1','variables':{'a':'b'}}]}", 0, "invalid_value", "go with a \"template\"", NULL },
	{ "{" CAMP ",'template':'t','recipients':[{'to':'1','variables':['a']}]}", 0, "wrong_type", "an object", NULL },
	{ "{" CAMP ",'template':'t','recipients':[{'to':'1','variables':{'a b':'c'}}]}", 0, "invalid_value", "no template can use", NULL },
	{ "{" CAMP ",'template':'t','variables':{'a':'b'},'recipients':[{'to':'1'}]}", 0, "invalid_value", "\"variables\" does not belong in a campaign", NULL },
	{ "{" CAMP ",'recipients':[{'to':'1'}]}", 0, "missing_field", "\"text\" or a \"template\"", NULL },
	{ "{'cmd':'campaign','text':'x','recipients':[{'to':'1'}]}", 0, "missing_field", "\"name\"", NULL },
	{ "{" CAMP ",'text':'x','line':'+447700900001','recipients':[{'to':'1'}]}", 0, "invalid_value", "\"line\" does not belong in a campaign", NULL },
	{ "{" CAMP ",'text':'x','category':'spam','recipients':[{'to':'1'}]}", 0, "invalid_value", "\"category\"", NULL },
	{ "{" CAMP ",'text':'x','recipients':[{'to':'\xff'}]}", 0, "invalid_utf8", "recipients[0].to", NULL },
	{ "{'cmd':'campaign_status'}", 0, "missing_field", "\"campaign\"", NULL },
	{ "{'cmd':'campaign_status','campaign':0}", 0, "invalid_value", "\"campaign\"", NULL },
	{ "{'cmd':'campaign_status','campaign':'7'}", 0, "wrong_type", "\"campaign\"", NULL },
	{ "{'cmd':'campaign_status','campaign':7,'name':'x'}", 0, "invalid_value", "does not belong in a campaign_status", NULL },
};

static char *apostrophes_to_quotes(const char *s, size_t len)
{
	char *p = malloc(len + 1);
	assert_non_null(p);
	for (size_t i = 0; i < len; i++)
		p[i] = s[i] == '\'' ? '"' : s[i];
	p[len] = '\0';
	return p;
}

static const char *const codes[] = {
	"payload_too_large", "invalid_json", "not_an_object", "unknown_command", "missing_field",
	"wrong_type", "invalid_value", "invalid_utf8", "text_too_long",
};

static void table(void **state)
{
	(void)state;
	size_t good = 0, bad = 0;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		size_t len = r->len ? r->len : strlen(r->payload);
		char *payload = apostrophes_to_quotes(r->payload, len);
		struct mqtt_command c;
		struct mqtt_error err;
		int rc = mqtt_command_parse(payload, len, &lim, &c, &err);
		const char *got = rc == 0 ? NULL : err.code;
		if (rc != 0 && rc != -EINVAL)
			fail_msg("row %zu: rc %d", i, rc);
		if ((got == NULL) != (r->code == NULL) || (got && strcmp(got, r->code) != 0))
			fail_msg("row %zu %.80s: got %s (%s), want %s", i, payload, got ? got : "accepted",
				 rc ? err.reason : "", r->code ? r->code : "accepted");
		if (rc) {
			bad++;
			bool listed = false;
			for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
				listed |= strcmp(codes[k], err.code) == 0;
			assert_true(listed);
			/* a reason is a sentence, in UTF-8, ready for JSON and logs */
			assert_true(strlen(err.reason) > 10);
			assert_int_equal(utf8_validate(err.reason, strlen(err.reason)), 0);
			assert_true(err.reason[strlen(err.reason) - 1] == '.' ||
				    err.reason[strlen(err.reason) - 1] == '?' ||
				    err.reason[strlen(err.reason) - 1] == ')');
			if (r->reason_has && !strstr(err.reason, r->reason_has))
				fail_msg("row %zu: reason \"%s\" lacks \"%s\"", i, err.reason, r->reason_has);
			/* refused: nothing but the address (and the command's word) is left */
			assert_non_null(c.request_id);
			assert_non_null(c.reply_to);
			assert_null(c.to);
			assert_null(c.text);
			assert_int_equal(c.nvars, 0);
		} else {
			good++;
			assert_non_null(c.to);
			assert_non_null(c.text);
			assert_non_null(c.by);
			assert_non_null(c.command);
		}
		if (strcmp(c.request_id, r->id ? r->id : "") != 0)
			fail_msg("row %zu: id \"%s\", want \"%s\"", i, c.request_id, r->id ? r->id : "");
		mqtt_command_free(&c);
		free(payload);
	}
	print_message("%zu payloads: %zu accepted, %zu refused\n", good + bad, good, bad);
	assert_true(good + bad >= 60);
}

static void parse_ok(const char *json, struct mqtt_command *c)
{
	struct mqtt_error err;
	char *payload = apostrophes_to_quotes(json, strlen(json));
	int rc = mqtt_command_parse(payload, strlen(payload), &lim, c, &err);
	if (rc)
		fail_msg("%s: %d %s %s", payload, rc, err.code, err.reason);
	free(payload);
}

static void send_fields(void **state)
{
	(void)state;
	struct mqtt_command c;
	parse_ok("{'id':'r1','reply_to':'console/7','cmd':'send','to':'07700 900123','text':'Hi \\\"you\\\"',"
		 "'line':'+447700900001','key':'k-1','category':'marketing','send_at':'2026-12-01T10:00:00.250+01:00',"
		 "'expire_at':1796202000000,'report':true,'priority':-7}", &c);
	assert_int_equal(c.kind, MQTT_CMD_SEND);
	assert_string_equal(c.command, "send");
	assert_string_equal(c.request_id, "r1");
	assert_string_equal(c.reply_to, "console/7");
	assert_string_equal(c.to, "07700 900123");
	assert_string_equal(c.text, "Hi \"you\"");
	assert_string_equal(c.line, "+447700900001");
	assert_string_equal(c.key, "k-1");
	assert_string_equal(c.category, "marketing");
	assert_string_equal(c.template_name, "");
	assert_int_equal(c.send_at, INT64_C(1796115600250)); /* 2026-12-01T09:00:00.250Z */
	assert_int_equal(c.expire_at, INT64_C(1796202000000));
	assert_true(c.report);
	assert_int_equal(c.priority, -7);
	assert_string_equal(c.number, "");
	mqtt_command_free(&c);
	assert_null(c.to);
	mqtt_command_free(&c); /* twice is harmless: the struct was zeroed */
	mqtt_command_free(NULL);

	/* defaults */
	parse_ok("{'cmd':'send','to':'+447700900123','text':'x'}", &c);
	assert_string_equal(c.category, "transactional");
	assert_int_equal(c.send_at, 0);
	assert_int_equal(c.expire_at, 0);
	assert_false(c.report);
	assert_int_equal(c.priority, 0);
	assert_string_equal(c.request_id, "");
	assert_string_equal(c.reply_to, "");
	assert_string_equal(c.line, "");
	assert_string_equal(c.key, "");
	mqtt_command_free(&c);

	/* times: the epoch's edges, leap days, offsets both ways, fractions cut at ms */
	static const struct { const char *t; int64_t ms; } times[] = {
		{ "2000-01-01T00:00:00Z", INT64_C(946684800000) },
		{ "2026-11-22T14:05:00.123Z", INT64_C(1795356300123) },
		{ "2024-02-29T12:00:00Z", INT64_C(1709208000000) },
		{ "2100-03-01T00:00:00Z", INT64_C(4107542400000) },
		{ "2026-12-01T04:00:00-05:00", INT64_C(1796115600000) },
		{ "2026-12-01T09:00:00.999999Z", INT64_C(1796115600999) },
		{ "9999-12-31T23:59:59.999Z", INT64_C(253402300799999) },
	};
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		char json[200];
		snprintf(json, sizeof json, "{'cmd':'send','to':'1','text':'x','send_at':'%s'}", times[i].t);
		parse_ok(json, &c);
		if (c.send_at != times[i].ms)
			fail_msg("%s: %" PRId64 ", want %" PRId64, times[i].t, c.send_at, times[i].ms);
		mqtt_command_free(&c);
	}
}

static void template_variables(void **state)
{
	(void)state;
	struct mqtt_command c;
	parse_ok("{'cmd':'send','to':'1','template':'reminder','variables':{'name':'Ana','n':3,'neg':-42,"
		 "'price':1234567.89,'tenth':0.1,'big':1e20,'tiny':1.5e-7,'zero':-0,'exp':2E3,'emoji':'\\ud83d\\udce6'}}", &c);
	assert_string_equal(c.template_name, "reminder");
	assert_string_equal(c.text, "");
	static const char *const want[][2] = {
		{ "name", "Ana" }, { "n", "3" }, { "neg", "-42" }, { "price", "1234567.89" }, { "tenth", "0.1" },
		{ "big", "1e+20" }, { "tiny", "1.5e-07" }, { "zero", "0" }, { "exp", "2000" },
		{ "emoji", "\xF0\x9F\x93\xA6" },
	};
	assert_int_equal(c.nvars, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < c.nvars; i++) {
		assert_string_equal(c.vars[i].name, want[i][0]);
		assert_string_equal(c.vars[i].value, want[i][1]);
	}
	mqtt_command_free(&c);
}

static void other_commands(void **state)
{
	(void)state;
	struct mqtt_command c;
	parse_ok("{'cmd':'cancel','message_id':4242}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CANCEL);
	assert_int_equal(c.message_id, 4242);
	assert_string_equal(c.to, "");
	mqtt_command_free(&c);

	parse_ok("{'cmd':'consent_revoke','number':'+447700900123'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CONSENT_REVOKE);
	assert_string_equal(c.number, "+447700900123");
	assert_string_equal(c.scope, "all");
	assert_string_equal(c.scope_name, "");
	assert_string_equal(c.consent_category, "all");
	assert_string_equal(c.method, "api");
	assert_string_equal(c.disclosure, "");
	assert_string_equal(c.by, "mqtt");
	mqtt_command_free(&c);

	parse_ok("{'cmd':'consent_grant','number':'+447700900123','scope':'line','scope_name':'+447700900001',"
		 "'method':'agent','disclosure':'Said yes on the phone','by':'Sam'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CONSENT_GRANT);
	assert_string_equal(c.scope, "line");
	assert_string_equal(c.scope_name, "+447700900001");
	assert_string_equal(c.consent_category, "marketing"); /* a grant's default */
	assert_string_equal(c.method, "agent");
	assert_string_equal(c.disclosure, "Said yes on the phone");
	assert_string_equal(c.by, "Sam");
	mqtt_command_free(&c);

	parse_ok("{'cmd':'consent_show','number':'+447700900123'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CONSENT_SHOW);
	assert_string_equal(c.scope, "");
	mqtt_command_free(&c);

	/* every kind has its own word, and the parser knows it */
	for (int k = MQTT_CMD_SEND; k <= MQTT_CMD_LAST; k++) {
		assert_string_not_equal(mqtt_cmd_name((enum mqtt_cmd_kind)k), "unknown");
		for (int j = MQTT_CMD_SEND; j < k; j++)
			assert_string_not_equal(mqtt_cmd_name((enum mqtt_cmd_kind)j), mqtt_cmd_name((enum mqtt_cmd_kind)k));
	}
	assert_string_equal(mqtt_cmd_name(MQTT_CMD_CONSENT_GRANT), "consent_grant");
	assert_string_equal(mqtt_cmd_name((enum mqtt_cmd_kind)99), "unknown");
}

static void conversation_commands(void **state)
{
	(void)state;
	struct mqtt_command c;
	static const struct { const char *word; enum mqtt_cmd_kind kind; } acts[] = {
		{ "claim", MQTT_CMD_CLAIM }, { "release", MQTT_CMD_RELEASE }, { "close", MQTT_CMD_CLOSE },
		{ "reopen", MQTT_CMD_REOPEN }, { "read", MQTT_CMD_READ },
	};
	for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++) {
		char json[200];
		snprintf(json, sizeof json, "{'cmd':'%s','conversation':42,'agent':'alice@shop'}", acts[i].word);
		parse_ok(json, &c);
		assert_int_equal(c.kind, acts[i].kind);
		assert_string_equal(c.command, acts[i].word);
		assert_string_equal(mqtt_cmd_name(acts[i].kind), acts[i].word);
		assert_int_equal(c.conversation_id, 42);
		assert_string_equal(c.agent, "alice@shop");
		assert_string_equal(c.to_agent, "");
		assert_string_equal(c.tag, "");
		assert_string_equal(c.text, "");
		assert_int_equal(c.limit, 0);
		assert_int_equal(c.states, 0);
		assert_false(c.has_assignee_filter);
		mqtt_command_free(&c);
	}

	parse_ok("{'cmd':'transfer','conversation':9007199254740992,'agent':'alice','to_agent':'bob.k'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_TRANSFER);
	assert_int_equal(c.conversation_id, INT64_C(9007199254740992));
	assert_string_equal(c.agent, "alice");
	assert_string_equal(c.to_agent, "bob.k");
	mqtt_command_free(&c);

	parse_ok("{'cmd':'tag','conversation':3,'agent':'a','tag':'vip'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_TAG);
	assert_string_equal(c.tag, "vip");
	mqtt_command_free(&c);
	parse_ok("{'cmd':'untag','conversation':3,'agent':'a','tag':'vip'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_UNTAG);
	assert_string_equal(c.tag, "vip");
	mqtt_command_free(&c);

	parse_ok("{'cmd':'note','conversation':3,'agent':'a','text':'Line one\\nline two'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_NOTE);
	assert_string_equal(c.text, "Line one\nline two");
	assert_string_equal(c.template_name, "");
	mqtt_command_free(&c);

	/* a quick reply by name, its variables as send's; an edited one is plain text */
	parse_ok("{'id':'q','cmd':'reply','conversation':3,'agent':'a','template':'shipped','variables':{'name':'Sam','order':1234},"
		 "'key':'k9'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_REPLY);
	assert_string_equal(c.template_name, "shipped");
	assert_string_equal(c.text, "");
	assert_int_equal(c.nvars, 2);
	assert_string_equal(c.vars[1].name, "order");
	assert_string_equal(c.vars[1].value, "1234");
	assert_string_equal(c.key, "k9");
	assert_string_equal(c.line, "");   /* always the conversation's line */
	assert_string_equal(c.to, "");
	mqtt_command_free(&c);
	parse_ok("{'cmd':'reply','conversation':3,'agent':'a','text':'Hi Sam, order 1234 left today (edited)'}", &c);
	assert_string_equal(c.text, "Hi Sam, order 1234 left today (edited)");
	assert_string_equal(c.template_name, "");
	assert_int_equal(c.nvars, 0);
	assert_string_equal(c.key, "");
	mqtt_command_free(&c);

	/* questions and their defaults */
	parse_ok("{'cmd':'conversation','conversation':5}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CONVERSATION);
	assert_int_equal(c.conversation_id, 5);
	assert_int_equal(c.limit, 50);
	assert_string_equal(c.agent, "");
	mqtt_command_free(&c);
	parse_ok("{'cmd':'conversation','conversation':5,'limit':500}", &c);
	assert_int_equal(c.limit, 500);
	mqtt_command_free(&c);

	parse_ok("{'cmd':'conversations'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CONVERSATIONS);
	assert_int_equal(c.limit, 100);
	assert_string_equal(c.state_filter, "active");
	assert_int_equal(c.states, (1u << CONV_OPEN) | (1u << CONV_WAITING_CUSTOMER) | (1u << CONV_WAITING_AGENT));
	assert_false(c.has_assignee_filter);
	assert_string_equal(c.assignee_filter, "");
	assert_int_equal(c.conversation_id, 0);
	mqtt_command_free(&c);
	parse_ok("{'cmd':'conversations','state':'waiting_agent','assignee':'','limit':7}", &c);
	assert_string_equal(c.state_filter, "waiting_agent");
	assert_int_equal(c.states, 1u << CONV_WAITING_AGENT);
	assert_true(c.has_assignee_filter);   /* "" asks for the unassigned ones */
	assert_string_equal(c.assignee_filter, "");
	assert_int_equal(c.limit, 7);
	mqtt_command_free(&c);
	static const struct { const char *word; unsigned bits; } states[] = {
		{ "open", 1u << CONV_OPEN }, { "waiting_customer", 1u << CONV_WAITING_CUSTOMER },
		{ "closed", 1u << CONV_CLOSED },
	};
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
		char json[200];
		snprintf(json, sizeof json, "{'cmd':'conversations','state':'%s','assignee':'bob'}", states[i].word);
		parse_ok(json, &c);
		assert_string_equal(c.state_filter, states[i].word);
		assert_int_equal(c.states, states[i].bits);
		assert_true(c.has_assignee_filter);
		assert_string_equal(c.assignee_filter, "bob");
		mqtt_command_free(&c);
	}

	parse_ok("{'cmd':'conversation_search','number':'07700 900123'}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CONVERSATION_SEARCH);
	assert_string_equal(c.number, "07700 900123");
	assert_int_equal(c.limit, 100);
	mqtt_command_free(&c);

	/* a refusal after the command is known keeps its word for the reply */
	struct mqtt_error err;
	const char *p = "{\"id\":\"z\",\"cmd\":\"claim\",\"conversation\":7,\"agent\":\"a b\"}";
	assert_int_equal(mqtt_command_parse(p, strlen(p), &lim, &c, &err), -EINVAL);
	assert_string_equal(c.command, "claim");
	assert_string_equal(c.request_id, "z");
	assert_null(c.agent);
	assert_int_equal(c.conversation_id, 0);
	mqtt_command_free(&c);
}

static void refusals_keep_the_address(void **state)
{
	(void)state;
	struct mqtt_command c;
	struct mqtt_error err;
	const char *p = "{\"id\":\"q1\",\"reply_to\":\"agents/1/in\",\"cmd\":\"cancel\",\"message_id\":\"7\"}";
	assert_int_equal(mqtt_command_parse(p, strlen(p), &lim, &c, &err), -EINVAL);
	assert_string_equal(err.code, "wrong_type");
	assert_string_equal(c.request_id, "q1");
	assert_string_equal(c.reply_to, "agents/1/in");
	assert_string_equal(c.command, "cancel");
	mqtt_command_free(&c);

	/* before the command is known there is no word for it */
	p = "{\"id\":\"q2\",\"cmd\":\"launch\"}";
	assert_int_equal(mqtt_command_parse(p, strlen(p), &lim, &c, &err), -EINVAL);
	assert_null(c.command);
	assert_string_equal(c.request_id, "q2");
	mqtt_command_free(&c);

	/* a payload cut short by the length given, not by a NUL */
	p = "{\"cmd\":\"consent_show\",\"number\":\"1\"}trailing";
	assert_int_equal(mqtt_command_parse(p, strlen(p) - 8, &lim, &c, NULL), 0);
	mqtt_command_free(&c);
	assert_int_equal(mqtt_command_parse(p, strlen(p), &lim, &c, NULL), -EINVAL);
	mqtt_command_free(&c);
	assert_int_equal(mqtt_command_parse(NULL, 0, NULL, &c, &err), -EINVAL);
	assert_string_equal(err.code, "invalid_json");
	mqtt_command_free(&c);

	/* a limit of 0 bytes refuses everything; NULL limits are the defaults */
	const struct mqtt_limits none = { 0, 0 };
	p = "{\"cmd\":\"consent_show\",\"number\":\"1\"}";
	assert_int_equal(mqtt_command_parse(p, strlen(p), &none, &c, &err), -EINVAL);
	assert_string_equal(err.code, "payload_too_large");
	mqtt_command_free(&c);
	assert_int_equal(mqtt_command_parse(big_payload, 16384, NULL, &c, &err), -EINVAL);
	assert_string_not_equal(err.code, "payload_too_large");
	mqtt_command_free(&c);
}

static void campaign_fields(void **state)
{
	struct mqtt_command c;
	(void)state;
	parse_ok("{'cmd':'campaign','id':'c1','name':'black-friday','template':'promo',"
		 "'expire_at':1796115600000,'recipients':[{'to':'+447700900123','variables':{'name':'Sam','n':3}},"
		 "{'to':'07700 900124'}]}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CAMPAIGN);
	assert_string_equal(c.command, "campaign");
	assert_string_equal(c.name, "black-friday");
	assert_string_equal(c.template_name, "promo");
	assert_string_equal(c.text, "");
	assert_string_equal(c.category, "marketing");
	assert_int_equal(c.expire_at, 1796115600000LL);
	assert_int_equal(c.nrecipients, 2);
	assert_string_equal(c.recipients[0].to, "+447700900123");
	assert_int_equal(c.recipients[0].nvars, 2);
	assert_string_equal(c.recipients[0].vars[1].name, "n");
	assert_string_equal(c.recipients[0].vars[1].value, "3");
	assert_string_equal(c.recipients[1].to, "07700 900124");
	assert_int_equal(c.recipients[1].nvars, 0);
	mqtt_command_free(&c);
	parse_ok("{'cmd':'campaign_status','campaign':9007199254740992}", &c);
	assert_int_equal(c.kind, MQTT_CMD_CAMPAIGN_STATUS);
	assert_int_equal(c.campaign_id, 9007199254740992LL);
	mqtt_command_free(&c);
}

/* A campaign may use the larger limit; nothing else may, and nothing may pass it. */
static void campaign_limits(void **state)
{
	static const struct mqtt_limits big = { .payload_max = 16384, .text_max = 4000,
						.campaign_payload_max = 2 * 1024 * 1024 };
	size_t n = MQTT_RECIPIENTS_MAX + 1, size = 64 + n * 64;
	char *p = malloc(size), *at;
	struct mqtt_command c;
	struct mqtt_error err;
	(void)state;
	assert_non_null(p);
	at = p + sprintf(p, "{\"cmd\":\"campaign\",\"name\":\"x\",\"text\":\"Sale\",\"recipients\":[");
	for (size_t i = 0; i < MQTT_RECIPIENTS_MAX; i++)
		at += sprintf(at, "%s{\"to\":\"+4477009%05zu\"}", i ? "," : "", i);
	strcpy(at, "]}");
	assert_true(strlen(p) > 16384);
	assert_int_equal(mqtt_command_parse(p, strlen(p), &big, &c, &err), 0);
	assert_int_equal(c.nrecipients, MQTT_RECIPIENTS_MAX);
	mqtt_command_free(&c);
	/* without the larger limit, the small one holds */
	assert_int_equal(mqtt_command_parse(p, strlen(p), &lim, &c, &err), -EINVAL);
	assert_string_equal(err.code, "payload_too_large");
	mqtt_command_free(&c);
	/* one recipient too many */
	sprintf(at, ",{\"to\":\"1\"}]}");
	assert_int_equal(mqtt_command_parse(p, strlen(p), &big, &c, &err), -EINVAL);
	assert_string_equal(err.code, "invalid_value");
	assert_non_null(strstr(err.reason, "10001 entries"));
	mqtt_command_free(&c);
	/* a send as large as a campaign is refused, once its word is known */
	at = p + sprintf(p, "{\"cmd\":\"send\",\"to\":\"1\",\"text\":\"");
	memset(at, 'x', 20000);
	strcpy(at + 20000, "\"}");
	assert_int_equal(mqtt_command_parse(p, strlen(p), &big, &c, &err), -EINVAL);
	assert_string_equal(err.code, "payload_too_large");
	assert_string_equal(c.command, "send");
	mqtt_command_free(&c);
	free(p);
}

static char *add(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static int setup(void **state)
{
	(void)state;
	char *p;

	/* 20 kB, well-formed, over the 16 kB limit */
	p = add(big_payload, "{'cmd':'send','to':'+447700900123','text':'");
	while (p < big_payload + sizeof big_payload - 3)
		*p++ = 'a';
	add(p, "'}");

	p = add(text_at_limit, "{'cmd':'send','to':'1','text':'");
	memset(p, 'b', 4000);
	add(p + 4000, "'}");
	p = add(text_over, "{'cmd':'send','to':'1','text':'");
	memset(p, 'b', 4001);
	add(p + 4001, "'}");
	p = add(emoji_over, "{'cmd':'send','to':'1','text':'");
	for (int i = 0; i < 1001; i++)
		p = add(p, "\xF0\x9F\x98\x80");
	add(p, "'}");

	/* 40 levels: past the 32 the scan allows; 10 levels in an unknown field */
	p = add(deep_nesting, "{'cmd':'send','to':'1','text':'x','x':");
	for (int i = 0; i < 40; i++)
		*p++ = '[';
	for (int i = 0; i < 40; i++)
		*p++ = ']';
	add(p, "}");
	p = add(shallow_nesting, "{'cmd':'send','to':'1','text':'x','x':");
	for (int i = 0; i < 10; i++)
		p = add(p, "{'y':");
	p = add(p, "1");
	for (int i = 0; i < 10; i++)
		*p++ = '}';
	add(p, "}");

	p = add(vars_32, "{'cmd':'send','to':'1','template':'t','variables':{");
	for (int i = 0; i < 32; i++)
		p += sprintf(p, "%s'v%d':%d", i ? "," : "", i, i);
	add(p, "}}");
	p = add(vars_33, "{'cmd':'send','to':'1','template':'t','variables':{");
	for (int i = 0; i < 33; i++)
		p += sprintf(p, "%s'v%d':'%d'", i ? "," : "", i, i);
	add(p, "}}");

	p = add(long_number, "{'cmd':'cancel','message_id':1");
	for (int i = 0; i < 100; i++)
		*p++ = '0';
	add(p, "}");

	p = add(note_at_limit, "{'cmd':'note','conversation':1,'agent':'a','text':'");
	memset(p, 'n', 2000);
	add(p + 2000, "'}");
	p = add(note_over, "{'cmd':'note','conversation':1,'agent':'a','text':'");
	memset(p, 'n', 2001);
	add(p + 2001, "'}");
	p = add(reply_over, "{'cmd':'reply','conversation':1,'agent':'a','text':'");
	memset(p, 'r', 4001);
	add(p + 4001, "'}");
	p = add(agent_at_limit, "{'cmd':'claim','conversation':1,'agent':'");
	memset(p, 'g', 64);
	add(p + 64, "'}");
	p = add(agent_over, "{'cmd':'claim','conversation':1,'agent':'");
	memset(p, 'g', 65);
	add(p + 65, "'}");
	/* the longest refusal: the word shown cut, the list of commands whole */
	p = add(long_cmd, "{'cmd':'");
	memset(p, 'c', 100);
	add(p + 100, "'}");

	p = add(long_field_name, "{'cmd':'send','to':'1','text':'x','");
	for (int i = 0; i < 300; i++)
		*p++ = 'z';
	add(p, "':1}");
	return 0;
}

/*
 * Payloads that end inside a string, copied into buffers of exactly their
 * length: nothing may be read past the payload (found by make fuzz: a high
 * surrogate escape at the very end read one byte beyond it).
 */
static void payload_not_a_c_string(void **state)
{
	static const char *const cut[] = {
		"{\"a\":\"\\ud800", "{\"\xfe}s1\\udAcd", "{\"cmd\":\"send\",\"to\":\"\\ud83d",
		"{\"a\":\"x\\", "{\"a\":\"\\u00", "{\"a", "[",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		size_t len = strlen(cut[i]);
		char *exact = malloc(len);
		struct mqtt_command c;
		struct mqtt_error err;

		assert_non_null(exact);
		memcpy(exact, cut[i], len);
		memset(&c, 0, sizeof(c));
		assert_int_equal(mqtt_command_parse(exact, len, &lim, &c, &err), -EINVAL);
		assert_non_null(err.code);
		mqtt_command_free(&c);
		free(exact);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(payload_not_a_c_string),
		cmocka_unit_test(send_fields),
		cmocka_unit_test(template_variables),
		cmocka_unit_test(other_commands),
		cmocka_unit_test(conversation_commands),
		cmocka_unit_test(refusals_keep_the_address),
		cmocka_unit_test(campaign_fields),
		cmocka_unit_test(campaign_limits),
	};
	return cmocka_run_group_tests_name("mqtt_command", tests, setup, NULL);
}
