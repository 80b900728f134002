/*
 * +CMS / +CME ERROR codes to words and to retry classes. The words follow
 * the specs' tables; the classes follow TS 24.011 Annex E, which says for
 * each RP-cause whether the network failed for now or for good.
 */
#include <stddef.h>

#include "parley/at_errors.h"

struct error_word {
	int code;
	enum at_error_class cls;
	const char *text;
};

#define T AT_ERROR_TEMPORARY
#define P AT_ERROR_PERMANENT

static const struct error_word cms_errors[] = {
	/* TS 24.011 8.2.5.4, RP-cause */
	{ 1, P, "unassigned (unallocated) number" },
	{ 8, P, "operator determined barring" },
	{ 10, P, "call barred" },
	{ 17, T, "network failure" },
	{ 21, P, "short message transfer rejected" },
	{ 22, T, "memory capacity exceeded" },
	{ 27, T, "destination out of service" },
	{ 28, P, "unidentified subscriber" },
	{ 29, P, "facility rejected" },
	{ 30, P, "unknown subscriber" },
	{ 38, T, "network out of order" },
	{ 41, T, "temporary failure" },
	{ 42, T, "congestion" },
	{ 47, T, "resources unavailable, unspecified" },
	{ 50, P, "requested facility not subscribed" },
	{ 69, P, "requested facility not implemented" },
	{ 81, P, "invalid short message transfer reference value" },
	{ 95, P, "invalid message, unspecified" },
	{ 96, P, "invalid mandatory information" },
	{ 97, P, "message type non-existent or not implemented" },
	{ 98, T, "message not compatible with short message protocol state" },
	{ 99, P, "information element non-existent or not implemented" },
	{ 111, T, "protocol error, unspecified" },
	{ 127, T, "interworking, unspecified" },
	/* TS 23.040 9.2.3.22, TP-FCS */
	{ 128, P, "telematic interworking not supported" },
	{ 129, P, "short message type 0 not supported" },
	{ 130, P, "cannot replace short message" },
	{ 143, P, "unspecified TP-PID error" },
	{ 144, P, "data coding scheme (alphabet) not supported" },
	{ 145, P, "message class not supported" },
	{ 159, P, "unspecified TP-DCS error" },
	{ 160, P, "command cannot be actioned" },
	{ 161, P, "command unsupported" },
	{ 175, P, "unspecified TP-Command error" },
	{ 176, P, "TPDU not supported" },
	{ 192, T, "SC busy" },
	{ 193, P, "no SC subscription" },
	{ 194, T, "SC system failure" },
	{ 195, P, "invalid SME address" },
	{ 196, P, "destination SME barred" },
	{ 197, P, "SM rejected: duplicate SM" },
	{ 198, P, "TP-VPF not supported" },
	{ 199, P, "TP-VP not supported" },
	{ 208, T, "SIM SMS storage full" },
	{ 209, P, "no SMS storage capability in SIM" },
	{ 210, T, "error in MS" },
	{ 211, T, "memory capacity exceeded" },
	{ 212, T, "SIM application toolkit busy" },
	{ 213, T, "SIM data download error" },
	{ 255, T, "unspecified error cause" },
	/* TS 27.005 3.2.5, errors of the ME or network */
	{ 300, T, "ME failure" },
	{ 301, P, "SMS service of ME reserved" },
	{ 302, P, "operation not allowed" },
	{ 303, P, "operation not supported" },
	{ 304, P, "invalid PDU mode parameter" },
	{ 305, P, "invalid text mode parameter" },
	{ 310, P, "SIM not inserted" },
	{ 311, P, "SIM PIN required" },
	{ 312, P, "PH-SIM PIN required" },
	{ 313, P, "SIM failure" },
	{ 314, T, "SIM busy" },
	{ 315, P, "SIM wrong" },
	{ 316, P, "SIM PUK required" },
	{ 317, P, "SIM PIN2 required" },
	{ 318, P, "SIM PUK2 required" },
	{ 320, T, "memory failure" },
	{ 321, P, "invalid memory index" },
	{ 322, T, "memory full" },
	{ 330, P, "SMSC address unknown" },
	{ 331, T, "no network service" },
	{ 332, T, "network timeout" },
	{ 340, P, "no +CNMA acknowledgement expected" },
	{ 500, T, "unknown error" },
};

static const struct error_word cme_errors[] = {
	/* TS 27.007 9.2.1 */
	{ 0, T, "phone failure" },
	{ 1, P, "no connection to phone" },
	{ 3, P, "operation not allowed" },
	{ 4, P, "operation not supported" },
	{ 5, P, "PH-SIM PIN required" },
	{ 10, P, "SIM not inserted" },
	{ 11, P, "SIM PIN required" },
	{ 12, P, "SIM PUK required" },
	{ 13, P, "SIM failure" },
	{ 14, T, "SIM busy" },
	{ 15, P, "SIM wrong" },
	{ 16, P, "incorrect password" },
	{ 17, P, "SIM PIN2 required" },
	{ 18, P, "SIM PUK2 required" },
	{ 20, T, "memory full" },
	{ 21, P, "invalid index" },
	{ 22, P, "not found" },
	{ 23, T, "memory failure" },
	{ 24, P, "text string too long" },
	{ 25, P, "invalid characters in text string" },
	{ 26, P, "dial string too long" },
	{ 27, P, "invalid characters in dial string" },
	{ 30, T, "no network service" },
	{ 31, T, "network timeout" },
	{ 32, T, "network not allowed - emergency calls only" },
	{ 100, T, "unknown" },
};

#undef T
#undef P

static const struct error_word *find(const struct error_word *table, size_t n, int code)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].code == code)
			return &table[i];
	return NULL;
}

#define FIND(table, code) find(table, sizeof(table) / sizeof(table[0]), code)

const char *at_cms_error_text(int code)
{
	const struct error_word *e = FIND(cms_errors, code);

	if (e)
		return e->text;
	if (code >= 512)
		return "manufacturer-specific error";
	return "unknown message service error";
}

const char *at_cme_error_text(int code)
{
	const struct error_word *e = FIND(cme_errors, code);
	return e ? e->text : "unknown equipment error";
}

enum at_error_class at_cms_error_class(int code)
{
	const struct error_word *e = FIND(cms_errors, code);

	/*
	 * Codes the tables do not name, including vendors' 512 and up, are
	 * retried: a retry costs one attempt, a wrong "permanent" loses a message.
	 */
	return e ? e->cls : AT_ERROR_TEMPORARY;
}
