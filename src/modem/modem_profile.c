/*
 * What differs between modem families, as data. The driver reads these
 * fields instead of testing model names.
 */
#include <string.h>
#include <strings.h>

#include "parley/modem.h"

/* +CNMI=2,1,0,1,0: new messages stored with +CMTI, status reports as +CDS (27.005 3.4.1) */
#define CNMI_STORED "AT+CNMI=2,1,0,1,0"
/* some firmwares refuse ds=1 with mt=1: reports stored too, announced by +CDSI */
#define CNMI_STORED_REPORTS_STORED "AT+CNMI=2,1,0,2,0"

static const struct modem_profile profiles[] = {
	{
		/* SIMCom SIM800/SIM900: AT+CCID answers a bare number */
		.name = "sim800", .iccid_cmd = "AT+CCID", .iccid_prefix = NULL,
		.storage = "SM", .cnmi = CNMI_STORED, .reset_cmd = "AT+CFUN=1,1",
		.reboot_ms = 8000, .cmms = true, .creg_urc = true,
	},
	{
		/* SIMCom SIM7600: "+ICCID: " before the number */
		.name = "sim7600", .iccid_cmd = "AT+CICCID", .iccid_prefix = "+ICCID:",
		.storage = "SM", .cnmi = CNMI_STORED, .reset_cmd = "AT+CFUN=1,1",
		.reboot_ms = 20000, .cmms = true, .creg_urc = true,
	},
	{
		/* Quectel EC25/EG25 */
		.name = "ec25", .iccid_cmd = "AT+QCCID", .iccid_prefix = "+QCCID:",
		.storage = "ME", .cnmi = CNMI_STORED, .reset_cmd = "AT+CFUN=1,1",
		.reboot_ms = 15000, .cmms = true, .creg_urc = true,
	},
	{
		/*
		 * Huawei E3372 in serial (stick) mode: AT+CFUN=1,1 can drop
		 * HiLink-capable firmware into mass-storage mode; a radio
		 * restart through CFUN=0/1 is the reset that comes back.
		 */
		.name = "e3372", .iccid_cmd = "AT^ICCID?", .iccid_prefix = "^ICCID:", .iccid_swapped = true,
		.storage = "SM", .cnmi = CNMI_STORED_REPORTS_STORED, .reset_cmd = "AT+CFUN=0",
		.reboot_ms = 10000, .cmms = false, .creg_urc = true,
	},
	{
		/* u-blox SARA/LARA */
		.name = "ublox", .iccid_cmd = "AT+CCID", .iccid_prefix = "+CCID:",
		.storage = "SM", .cnmi = CNMI_STORED, .reset_cmd = "AT+CFUN=16",
		.reboot_ms = 10000, .cmms = true, .creg_urc = true,
	},
	{
		/* Telit LE910/HE910 */
		.name = "telit", .iccid_cmd = "AT#CCID", .iccid_prefix = "#CCID:",
		.storage = "SM", .cnmi = CNMI_STORED, .reset_cmd = "AT#REBOOT",
		.reboot_ms = 15000, .cmms = true, .creg_urc = true,
	},
	{
		/* anything speaking 27.005/27.007 */
		.name = "generic", .iccid_cmd = "AT+CCID", .iccid_prefix = "+CCID:",
		.storage = "SM", .cnmi = CNMI_STORED, .reset_cmd = "AT+CFUN=1,1",
		.reboot_ms = 15000, .cmms = false, .creg_urc = true,
	},
};

const struct modem_profile *modem_profile_find(const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcasecmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}
