/*
 * The profile table: data only. Identity strings, the ICCID command and
 * the shapes of URCs and boot lines are those the named modems print.
 * The simulator's own choices, not the firmware's: storage capacities
 * (a real one depends on the SIM), register_ms, +CMEE defaults, +CNMI
 * defaults (all routing off, so a gateway must set it after every reset),
 * and +CSMS 1 in the generic profile (real modems start at 0, where the
 * modem acknowledges +CMT itself; 27.005 3.2.1).
 */
#include <stddef.h>
#include <string.h>

#include "profiles.h"

static const char *const sim800_ati[] = { "SIM800 R14.18", NULL };
/* SIM800: "Call Ready" and "SMS Ready" arrive after the SIM is read. */
static const char *const sim800_boot[] = {
	"RDY", "+CFUN: 1", "{cpin}", "Call Ready", "SMS Ready", NULL,
};
/* SIM800 prints this (misspelt) when its supply dips below 3.4 V. */
static const char *const sim800_noise[] = { "UNDER-VOLTAGE WARNNING", NULL };

static const char *const sim7600_ati[] = {
	"Manufacturer: SIMCOM INCORPORATED", "Model: SIMCOM_SIM7600E-H",
	"Revision: SIM7600M22_V2.0", "IMEI: {imei}", "+GCAP: +CGSM", NULL,
};
static const char *const sim7600_boot[] = { "RDY", "{cpin}", "SMS DONE", "PB DONE", NULL };
/* SIM7600 reports serving-cell changes once AT+CPSI=<time> is set. */
static const char *const sim7600_noise[] = {
	"+CPSI: LTE,Online,001-01,0x1A2B,12345678,100,EUTRAN-BAND3,1300,5,5,-94,-1050,-750,14",
	NULL,
};

static const char *const ec25_ati[] = { "Quectel", "EC25", "Revision: EC25EFAR06A06M4G", NULL };
static const char *const ec25_boot[] = {
	"RDY", "+CFUN: 1", "{cpin}", "+QUSIM: 1", "+QIND: SMS DONE", "+QIND: PB DONE", NULL,
};
/* Quectel: signal changes once AT+QINDCFG="csq",1 is set. */
static const char *const ec25_noise[] = { "+QIND: \"csq\",{rssi},{ber}", NULL };

static const char *const e3372_ati[] = {
	"Manufacturer: huawei", "Model: E3372", "Revision: 22.315.01.00.00", "IMEI: {imei}",
	"+GCAP: +CGSM,+DS,+ES", NULL,
};
/* Huawei sticks print these unasked, with no space after the colon. */
static const char *const e3372_noise[] = {
	"^RSSI:{rssi}", "^BOOT:20937983,0,0,0,72", "^MODE:5,4", NULL,
};

static const char *const ublox_ati[] = { "SARA-U201", NULL };
static const char *const telit_ati[] = { "Telit", "LE910C1-EU", "25.20.676", NULL };

static const char *const generic_ati[] = { "parley modemsim", NULL };
static const char *const generic_boot[] = { "RDY", "{cpin}", NULL };
static const char *const generic_noise[] = { "+CIEV: 2,3", NULL };

static const char *const none[] = { NULL };

static const struct modem_profile profiles[] = {
	{
		.name = "generic",
		.summary = "plain TS 27.005/27.007, strict: +CMT/+CDS need +CNMA (+CSMS=1)",
		.manufacturer = "parley", .model = "modemsim", .revision = "1.0",
		.ati = generic_ati, .iccid_cmd = "+CCID", .iccid_prefix = "+CCID: ",
		.cmee_default = 0, .text_mode = false, .act = 7, .eps = true,
		.index_base = 1, .sm_capacity = 10, .me_capacity = 20,
		.cnmi_default = { 0, 0, 0, 0, 0 }, .csms_default = 1, .cmt_alpha = "",
		.cmgr_empty_ok = false, .bad_pdu_cms = 304,
		.boot = generic_boot, .noise = generic_noise, .memfull_urc = NULL,
		.clip_tail = "", .call_end = "NO CARRIER", .register_ms = 300,
	},
	{
		.name = "sim800",
		.summary = "SIMCom SIM800 (2G, UART)",
		.manufacturer = "SIMCOM_Ltd", .model = "SIMCOM_SIM800",
		.revision = "Revision:1418B04SIM800C24",
		/* SIM800: AT+CCID answers the bare digits, no prefix. */
		.ati = sim800_ati, .iccid_cmd = "+CCID", .iccid_prefix = "",
		.cmee_default = 0, .text_mode = true, .act = -1, .eps = false,
		.index_base = 1, .sm_capacity = 30, .me_capacity = 50,
		.cnmi_default = { 0, 0, 0, 0, 0 }, .csms_default = 0,
		/* SIM800 prints an empty quoted alpha: +CMT: "",24 */
		.cmt_alpha = "\"\"", .cmgr_empty_ok = true, .bad_pdu_cms = 304,
		.boot = sim800_boot, .noise = sim800_noise, .memfull_urc = NULL,
		.clip_tail = ",\"\",0,\"\",0", .call_end = "NO CARRIER", .register_ms = 1500,
	},
	{
		.name = "sim7600",
		.summary = "SIMCom SIM7600 (LTE, USB or UART)",
		.manufacturer = "SIMCOM INCORPORATED", .model = "SIMCOM_SIM7600E-H",
		.revision = "+CGMR: LE20B04SIM7600M22",
		.ati = sim7600_ati, .iccid_cmd = "+CICCID", .iccid_prefix = "+ICCID: ",
		.reset_cmd = "+CRESET",
		.cmee_default = 0, .text_mode = true, .act = 7, .eps = true,
		.index_base = 1, .sm_capacity = 30, .me_capacity = 100,
		.cnmi_default = { 0, 0, 0, 0, 0 }, .csms_default = 0, .cmt_alpha = "",
		.cmgr_empty_ok = false, .bad_pdu_cms = 304,
		.boot = sim7600_boot, .noise = sim7600_noise, .memfull_urc = NULL,
		.clip_tail = ",\"\",0,\"\",0", .call_end = "NO CARRIER", .register_ms = 1000,
	},
	{
		.name = "ec25",
		.summary = "Quectel EC25/EG25 (LTE); storage indexes start at 0",
		.manufacturer = "Quectel", .model = "EC25", .revision = "EC25EFAR06A06M4G",
		.ati = ec25_ati, .iccid_cmd = "+QCCID", .iccid_prefix = "+QCCID: ",
		.cmee_default = 1, .text_mode = true, .act = 7, .eps = true,
		.index_base = 0, .sm_capacity = 30, .me_capacity = 255,
		.cnmi_default = { 0, 0, 0, 0, 0 }, .csms_default = 0, .cmt_alpha = "",
		.cmgr_empty_ok = false, .bad_pdu_cms = 304,
		.boot = ec25_boot, .noise = ec25_noise, .memfull_urc = NULL,
		.clip_tail = ",\"\",0,\"\",0", .call_end = "NO CARRIER", .register_ms = 1000,
	},
	{
		.name = "e3372",
		.summary = "Huawei E3372 in serial mode (USB only: a reset re-enumerates)",
		.manufacturer = "huawei", .model = "E3372", .revision = "22.315.01.00.00",
		/*
		 * Huawei's AT^ICCID? prints the digits swapped in pairs as the
		 * SIM stores them ("98..." for an "89..." ICCID).
		 */
		.ati = e3372_ati, .iccid_cmd = "^ICCID", .iccid_prefix = "^ICCID: ",
		.iccid_swapped = true, .reset_reenumerates = true,
		.cmee_default = 0, .text_mode = true, .act = 7, .eps = true,
		.index_base = 0, .sm_capacity = 20, .me_capacity = 0,
		.cnmi_default = { 0, 0, 0, 0, 0 }, .csms_default = 0, .cmt_alpha = "",
		.cmgr_empty_ok = false, .bad_pdu_cms = 304,
		.boot = none, .noise = e3372_noise,
		/* Huawei reports a full message store with ^SMMEMFULL. */
		.memfull_urc = "^SMMEMFULL: \"SM\"",
		.clip_tail = ",\"\",0,\"\",0", .call_end = NULL, .register_ms = 2000,
	},
	{
		.name = "ublox",
		.summary = "u-blox SARA-U2 (3G)",
		.manufacturer = "u-blox", .model = "SARA-U201", .revision = "23.60",
		.ati = ublox_ati, .iccid_cmd = "+CCID", .iccid_prefix = "+CCID: ",
		.cmee_default = 0, .text_mode = true, .act = 2, .eps = false,
		.index_base = 1, .sm_capacity = 30, .me_capacity = 0,
		.cnmi_default = { 0, 0, 0, 0, 0 }, .csms_default = 0, .cmt_alpha = "",
		.cmgr_empty_ok = false, .bad_pdu_cms = 304,
		.boot = none, .noise = none, .memfull_urc = NULL,
		.clip_tail = ",\"\",0,\"\",0", .call_end = "NO CARRIER", .register_ms = 1500,
	},
	{
		.name = "telit",
		.summary = "Telit LE910C1 (LTE)",
		.manufacturer = "Telit", .model = "LE910C1-EU", .revision = "25.20.676",
		.ati = telit_ati, .iccid_cmd = "#CCID", .iccid_prefix = "#CCID: ",
		.reset_cmd = "#REBOOT",
		.cmee_default = 0, .text_mode = true, .act = 7, .eps = true,
		.index_base = 1, .sm_capacity = 30, .me_capacity = 50,
		.cnmi_default = { 0, 0, 0, 0, 0 }, .csms_default = 0, .cmt_alpha = "",
		.cmgr_empty_ok = false, .bad_pdu_cms = 304,
		.boot = none, .noise = none, .memfull_urc = NULL,
		.clip_tail = ",\"\",0,\"\",0", .call_end = "NO CARRIER", .register_ms = 1000,
	},
};

#define PROFILE_COUNT (sizeof(profiles) / sizeof(profiles[0]))

const struct modem_profile *profile_find(const char *name)
{
	for (size_t i = 0; i < PROFILE_COUNT; i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

const struct modem_profile *profile_at(unsigned i)
{
	return i < PROFILE_COUNT ? &profiles[i] : NULL;
}
