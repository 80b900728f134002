/*
 * Error results. +CME ERROR follows +CMEE (TS 27.007 9.1): 0 plain ERROR,
 * 1 numeric, 2 verbose. +CMEE speaks of +CME ERROR only, and modems keep
 * +CMS ERROR (TS 27.005 3.2.5) numeric under +CMEE=0, so it is numeric
 * there too and verbose under 2.
 */
#include <stddef.h>

#include "at_cmds.h"
#include "sim.h"

struct err_text {
	int code;
	const char *text;
};

/* 27.007 9.2.1 */
static const struct err_text cme_texts[] = {
	{ 0, "phone failure" },
	{ 3, "operation not allowed" },
	{ 4, "operation not supported" },
	{ 10, "SIM not inserted" },
	{ 11, "SIM PIN required" },
	{ 12, "SIM PUK required" },
	{ 13, "SIM failure" },
	{ 14, "SIM busy" },
	{ 16, "incorrect password" },
	{ 20, "memory full" },
	{ 21, "invalid index" },
	{ 30, "no network service" },
	{ 31, "network timeout" },
	{ 50, "Incorrect parameters" },
	{ 100, "unknown" },
};

/* 27.005 3.2.5; below 128 the RP-cause of TS 24.011 8.2.5.4 (Table 8.4) */
static const struct err_text cms_texts[] = {
	{ 1, "Unassigned (unallocated) number" },
	{ 8, "Operator determined barring" },
	{ 10, "Call barred" },
	{ 21, "Short message transfer rejected" },
	{ 27, "Destination out of order" },
	{ 28, "Unidentified subscriber" },
	{ 29, "Facility rejected" },
	{ 30, "Unknown subscriber" },
	{ 38, "Network out of order" },
	{ 41, "Temporary failure" },
	{ 42, "Congestion" },
	{ 47, "Resources unavailable, unspecified" },
	{ 50, "Requested facility not subscribed" },
	{ 69, "Requested facility not implemented" },
	{ 81, "Invalid short message transfer reference value" },
	{ 95, "Invalid message, unspecified" },
	{ 96, "Invalid mandatory information" },
	{ 97, "Message type non-existent or not implemented" },
	{ 98, "Message not compatible with short message protocol state" },
	{ 99, "Information element non-existent or not implemented" },
	{ 111, "Protocol error, unspecified" },
	{ 127, "Interworking, unspecified" },
	{ 300, "ME failure" },
	{ 301, "SMS service of ME reserved" },
	{ 302, "operation not allowed" },
	{ 303, "operation not supported" },
	{ 304, "invalid PDU mode parameter" },
	{ 305, "invalid text mode parameter" },
	{ 310, "SIM not inserted" },
	{ 311, "SIM PIN required" },
	{ 312, "PH-SIM PIN required" },
	{ 313, "SIM failure" },
	{ 314, "SIM busy" },
	{ 315, "SIM wrong" },
	{ 316, "SIM PUK required" },
	{ 320, "memory failure" },
	{ 321, "invalid memory index" },
	{ 322, "memory full" },
	{ 330, "SMSC address unknown" },
	{ 331, "no network service" },
	{ 332, "network timeout" },
	{ 340, "no +CNMA acknowledgement expected" },
	{ 500, "unknown error" },
};

static const char *text_find(const struct err_text *t, size_t n, int code, const char *none)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].text;
	return none;
}

const char *at_cme_text(int code)
{
	return text_find(cme_texts, sizeof(cme_texts) / sizeof(cme_texts[0]), code, "unknown");
}

const char *at_cms_text(int code)
{
	return text_find(cms_texts, sizeof(cms_texts) / sizeof(cms_texts[0]), code,
			 "unknown error");
}

enum at_status at_error(struct resp *r)
{
	resp_final(r, "ERROR");
	return AT_FAILED;
}

enum at_status at_cme(struct sim *sim, struct resp *r, int code)
{
	switch (sim->modem.cmee) {
	case 0:
		resp_final(r, "ERROR");
		break;
	case 1:
		resp_final(r, "+CME ERROR: %d", code);
		break;
	default:
		resp_final(r, "+CME ERROR: %s", at_cme_text(code));
		break;
	}
	return AT_FAILED;
}

enum at_status at_cms(struct sim *sim, struct resp *r, int code)
{
	if (sim->modem.cmee == 2)
		resp_final(r, "+CMS ERROR: %s", at_cms_text(code));
	else
		resp_final(r, "+CMS ERROR: %d", code);
	return AT_FAILED;
}

enum at_status at_need_sim(struct sim *sim, struct resp *r)
{
	switch (sim->modem.pin) {
	case PIN_READY:
		return AT_CONTINUE;
	case PIN_SIM_PIN:
		return at_cme(sim, r, 11);
	case PIN_SIM_PUK:
		return at_cme(sim, r, 12);
	}
	return AT_CONTINUE;
}
