/*
 * TP-DCS (TS 23.038 4) and TP-ST (TS 23.040 9.2.3.15): what a message's
 * coding octet and a status report's status octet mean.
 */
#include <string.h>

#include "parley/sms.h"

static enum sms_coding alphabet_bits(unsigned bits)
{
	switch (bits & 0x3) {
	case 1:
		return SMS_CODING_8BIT;
	case 2:
		return SMS_CODING_UCS2;
	default:
		/* 0 is GSM 7-bit; 3 is reserved, which 23.038 4 says to read as GSM 7-bit */
		return SMS_CODING_GSM7;
	}
}

void sms_dcs_parse(uint8_t raw, struct sms_dcs *dcs)
{
	memset(dcs, 0, sizeof(*dcs));
	dcs->raw = raw;
	dcs->msg_class = -1;
	dcs->coding = SMS_CODING_GSM7;

	switch (raw >> 4) {
	case 0x0: case 0x1: case 0x2: case 0x3: /* general data coding */
	case 0x4: case 0x5: case 0x6: case 0x7: /* the same, marked for automatic deletion */
		dcs->auto_delete = raw & 0x40;
		dcs->compressed = raw & 0x20;
		dcs->coding = alphabet_bits(raw >> 2);
		if (raw & 0x10)
			dcs->msg_class = (int8_t)(raw & 0x3);
		break;
	case 0xC: /* message waiting, discard message */
	case 0xD: /* message waiting, store message */
	case 0xE: /* message waiting, store message, UCS-2 */
		dcs->mwi = true;
		dcs->mwi_store = (raw >> 4) != 0xC;
		dcs->mwi_active = raw & 0x08;
		dcs->mwi_kind = raw & 0x3;
		dcs->coding = (raw >> 4) == 0xE ? SMS_CODING_UCS2 : SMS_CODING_GSM7;
		break;
	case 0xF: /* data coding and message class */
		/* bit 3 is reserved; sms_decode.c handles a phone that misuses it */
		dcs->coding = raw & 0x04 ? SMS_CODING_8BIT : SMS_CODING_GSM7;
		dcs->msg_class = (int8_t)(raw & 0x3);
		break;
	default:
		/* 0x8-0xB: reserved coding groups, read as GSM 7-bit (23.038 4) */
		break;
	}
}

enum sms_status_class sms_status_classify(uint8_t status)
{
	if (status <= 0x1F)
		return SMS_STATUS_DELIVERED;
	if (status <= 0x3F)
		return SMS_STATUS_PENDING;
	/* 0x40-0x7F: the SC gave up; values above are reserved and cannot succeed */
	return SMS_STATUS_FAILED;
}

const char *sms_type_name(enum sms_type t)
{
	switch (t) {
	case SMS_TYPE_DELIVER: return "deliver";
	case SMS_TYPE_SUBMIT: return "submit";
	case SMS_TYPE_STATUS_REPORT: return "status";
	}
	return "unknown";
}

const char *sms_coding_name(enum sms_coding c)
{
	switch (c) {
	case SMS_CODING_GSM7: return "gsm7";
	case SMS_CODING_8BIT: return "8bit";
	case SMS_CODING_UCS2: return "ucs2";
	}
	return "unknown";
}

const char *sms_number_type_name(enum sms_number_type t)
{
	switch (t) {
	case SMS_NUMBER_UNKNOWN: return "unknown";
	case SMS_NUMBER_INTERNATIONAL: return "international";
	case SMS_NUMBER_NATIONAL: return "national";
	case SMS_NUMBER_NETWORK_SPECIFIC: return "network-specific";
	case SMS_NUMBER_SUBSCRIBER: return "subscriber";
	case SMS_NUMBER_ALPHANUMERIC: return "alphanumeric";
	case SMS_NUMBER_ABBREVIATED: return "abbreviated";
	case SMS_NUMBER_RESERVED: return "reserved";
	}
	return "unknown";
}

const char *sms_status_class_name(enum sms_status_class c)
{
	switch (c) {
	case SMS_STATUS_DELIVERED: return "delivered";
	case SMS_STATUS_PENDING: return "pending";
	case SMS_STATUS_FAILED: return "failed";
	}
	return "unknown";
}
