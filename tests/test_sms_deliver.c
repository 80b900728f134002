/*
 * SMS-DELIVER and SMS-STATUS-REPORT encoding (TS 23.040 9.2.2.1, 9.2.2.3),
 * checked octet by octet against the spec and back through the decoder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parley/hex.h"
#include "parley/sms.h"
#include "parley/sms_deliver.h"

static struct sms_pdu pdus[SMS_SEGMENTS_MAX];
static struct sms sms;

static const struct sms_time when = {
	.year = 2002, .month = 8, .day = 26, .hour = 19, .minute = 37, .second = 41,
	.utc_offset_min = -60,
};

/*
 * 07 91 1326040000F0  SMSC +31624000000
 * 04                  DELIVER, TP-MMS: no more messages
 * 0B 91 1346610089F6  from +31641600986
 * 00 00               PID, DCS
 * 20806291731448      02-08-26 19:37:41, -4 quarters: tens nibble 0|8 (sign), units 4
 * 0C C8F71D14969741F977FD07  "How are you?"
 */
static void deliver_octets(void **state)
{
	struct sms_deliver_opts o = { .from = "+31641600986", .smsc = "+31624000000", .scts = when };
	char hex[2 * SMS_PDU_MAX + 1];
	(void)state;

	assert_int_equal(sms_deliver_encode("How are you?", 12, &o, pdus, 1, NULL, NULL), 1);
	hex_encode(pdus[0].data, pdus[0].len, hex);
	assert_string_equal(hex, "07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07");
	assert_int_equal(pdus[0].tpdu_len, pdus[0].len - 8);
}

static void deliver_roundtrip_multipart(void **state)
{
	static char text[600], joined[1200];
	struct sms_deliver_opts o = {
		.from = "Shop", .scts = when, .concat_ref = 0xBEEF, .concat16 = true,
	};
	size_t pos = 0;
	int n;
	(void)state;

	for (int i = 0; i < 100; i++)
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos, "\xD0\x96%d", i % 10);
	o.scts.utc_offset_min = 5 * 60 + 45; /* +05:45, Nepal: 23 quarters */
	n = sms_deliver_encode(text, pos, &o, pdus, SMS_SEGMENTS_MAX, NULL, NULL);
	assert_int_equal(n, 4); /* 200 UCS-2 units, 66 a segment with a 16-bit reference */
	pos = 0;
	for (int i = 0; i < n; i++) {
		assert_int_equal(sms_decode(pdus[i].data, pdus[i].len, SMS_DECODE_SMSC, &sms, NULL), 0);
		assert_int_equal(sms.type, SMS_TYPE_DELIVER);
		assert_false(sms.has_smsc);
		assert_string_equal(sms.addr.number, "Shop");
		assert_int_equal(sms.addr.type, SMS_NUMBER_ALPHANUMERIC);
		assert_int_equal(sms.scts.utc_offset_min, 5 * 60 + 45);
		assert_true(sms.udh.concat16);
		assert_int_equal(sms.udh.concat_ref, 0xBEEF);
		assert_int_equal(sms.udh.concat_seq, i + 1);
		memcpy(joined + pos, sms.text, sms.text_len);
		pos += sms.text_len;
	}
	joined[pos] = '\0';
	assert_string_equal(joined, text);
}

static void deliver_errors(void **state)
{
	struct sms_deliver_opts o = { .from = "+1 555", .scts = when };
	const char *why = NULL;
	(void)state;
	assert_int_equal(sms_deliver_encode("x", 1, &o, pdus, 1, NULL, &why), -EINVAL);
	assert_non_null(why);
	o.from = "+1555";
	o.smsc = "nope";
	assert_int_equal(sms_deliver_encode("x", 1, &o, pdus, 1, NULL, &why), -EINVAL);
	o.smsc = NULL;
	assert_int_equal(sms_deliver_encode("\xFF", 1, &o, pdus, 1, NULL, &why), -EINVAL);
}

/*
 * 00 | 06 STATUS-REPORT, MMS | 1C MR 28 | 0B 91 1326880736F4 | SCTS | DT | 00 delivered
 */
static void status_report_octets(void **state)
{
	struct sms_status_report_opts o = {
		.mr = 28, .recipient = "+31628870634", .status = 0x00,
		.scts = { 2011, 1, 11, 17, 59, 15, 60 },
		.discharge = { 2011, 1, 11, 17, 59, 17, 60 },
	};
	char hex[2 * SMS_PDU_MAX + 1];
	(void)state;

	assert_int_equal(sms_status_report_encode(&o, &pdus[0], NULL), 0);
	hex_encode(pdus[0].data, pdus[0].len, hex);
	assert_string_equal(hex, "00061C0B911326880736F4111011719551401110117195714000");
	assert_int_equal(pdus[0].tpdu_len, pdus[0].len - 1);

	o.status = 0x41; /* incompatible destination: permanent */
	o.smsc = "+447785016005";
	assert_int_equal(sms_status_report_encode(&o, &pdus[0], NULL), 0);
	assert_int_equal(sms_decode(pdus[0].data, pdus[0].len, SMS_DECODE_SMSC, &sms, NULL), 0);
	assert_int_equal(sms.type, SMS_TYPE_STATUS_REPORT);
	assert_string_equal(sms.smsc.number, "+447785016005");
	assert_int_equal(sms.mr, 28);
	assert_int_equal(sms.status_class, SMS_STATUS_FAILED);
	assert_int_equal(sms.discharge.second, 17);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deliver_octets),
		cmocka_unit_test(deliver_roundtrip_multipart),
		cmocka_unit_test(deliver_errors),
		cmocka_unit_test(status_report_octets),
	};
	return cmocka_run_group_tests_name("sms_deliver", tests, NULL, NULL);
}
