/*
 * Timestamps: TP-SCTS and TP-DT (TS 23.040 9.2.3.11) as swapped BCD, the
 * time zone in quarter hours with its sign in bit 3, and their ISO 8601 form.
 */
#include <errno.h>
#include <stdio.h>

#include "pdu_fields.h"

static int swapped_bcd(uint8_t octet)
{
	unsigned tens = octet & 0xF, units = octet >> 4;
	if (tens > 9 || units > 9)
		return -1;
	return (int)(tens * 10 + units);
}

int pdu_time_read(const uint8_t *pdu, size_t len, size_t *pos, struct sms_time *t,
		  const char **reason)
{
	const uint8_t *p = pdu + *pos;
	int f[6];

	if (len - *pos < 7)
		return pdu_fail(reason, "timestamp runs past the end");
	for (int i = 0; i < 6; i++) {
		f[i] = swapped_bcd(p[i]);
		if (f[i] < 0)
			return pdu_fail(reason, "timestamp has a digit above 9");
	}
	/* the sign sits in bit 3, where the tens digit of the zone would be */
	unsigned tz_tens = p[6] & 0x7, tz_units = p[6] >> 4;
	if (tz_units > 9)
		return pdu_fail(reason, "time zone has a digit above 9");
	int quarters = (int)(tz_tens * 10 + tz_units);

	t->year = (uint16_t)(2000 + f[0]);
	t->month = (uint8_t)f[1];
	t->day = (uint8_t)f[2];
	t->hour = (uint8_t)f[3];
	t->minute = (uint8_t)f[4];
	t->second = (uint8_t)f[5];
	t->utc_offset_min = (int16_t)((p[6] & 0x8 ? -quarters : quarters) * 15);
	*pos += 7;
	return 0;
}

static uint8_t swapped_bcd_write(unsigned v)
{
	return (uint8_t)((v % 10) << 4 | (v / 10 % 10));
}

size_t pdu_time_write(const struct sms_time *t, uint8_t *out)
{
	int off = t->utc_offset_min;
	unsigned quarters = (unsigned)(off < 0 ? -off : off) / 15;

	out[0] = swapped_bcd_write(t->year % 100);
	out[1] = swapped_bcd_write(t->month);
	out[2] = swapped_bcd_write(t->day);
	out[3] = swapped_bcd_write(t->hour);
	out[4] = swapped_bcd_write(t->minute);
	out[5] = swapped_bcd_write(t->second);
	/* 9.2.3.11: quarter hours, the sign in bit 3 of the tens nibble */
	out[6] = (uint8_t)(swapped_bcd_write(quarters % 80) | (off < 0 ? 0x08 : 0));
	return 7;
}

int sms_time_format(const struct sms_time *t, char *buf, size_t size)
{
	int off = t->utc_offset_min < 0 ? -t->utc_offset_min : t->utc_offset_min;
	int n;

	if (size < 26)
		return -EMSGSIZE;
	n = snprintf(buf, size, "%04u-%02u-%02uT%02u:%02u:%02u%c%02d:%02d", t->year, t->month,
		     t->day, t->hour, t->minute, t->second, t->utc_offset_min < 0 ? '-' : '+',
		     off / 60, off % 60);
	return n < (int)size ? n : -EMSGSIZE;
}

uint32_t sms_validity_relative_seconds(uint8_t vp)
{
	/* 23.040 9.2.3.12.1 */
	if (vp <= 143)
		return (vp + 1u) * 5 * 60;
	if (vp <= 167)
		return 12 * 3600 + (vp - 143u) * 30 * 60;
	if (vp <= 196)
		return (vp - 166u) * 86400;
	return (vp - 192u) * 7 * 86400;
}
