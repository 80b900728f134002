/*
 * Outbound text: choosing an encoding, counting segments as a carrier bills
 * them, and encoding SMS-SUBMIT PDUs split into concatenated segments
 * (3GPP TS 23.040 9.2.2.2, 9.2.3.24.1, 9.2.3.24.8; TS 23.038).
 *
 * Pure functions: no allocation, no I/O. Text is UTF-8.
 */
#ifndef PARLEY_SMS_SUBMIT_H
#define PARLEY_SMS_SUBMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/sms.h"

#define SMS_SMSC_MAX 12   /* length octet, TOA and 10 octets of digits */
#define SMS_TPDU_MAX 164  /* SUBMIT with a 10-octet address, absolute VP and 140 UD */
#define SMS_PDU_MAX (SMS_SMSC_MAX + SMS_TPDU_MAX)
#define SMS_SEGMENTS_MAX 255

enum sms_encoding_choice {
	SMS_ENCODING_AUTO, /* GSM 7-bit when the text fits some allowed table pair, else UCS-2 */
	SMS_ENCODING_UCS2,
	SMS_ENCODING_8BIT, /* text bytes sent as they are */
};

struct sms_submit_opts {
	const char *to;           /* "+4478...", "0712...", or an alphanumeric name */
	const char *smsc;         /* NULL or "": no SMSC, "00" as AT+CMGS takes it */
	uint8_t mr;               /* TP-MR of the first segment, the next ones count up */
	bool status_report;       /* TP-SRR */
	bool flash;               /* class 0 */
	uint32_t validity_minutes;/* 0: no TP-VP; else relative, rounded up, at most 63 weeks */
	enum sms_encoding_choice encoding;
	uint32_t allowed_langs;   /* GSM7_LANG_BIT()s the encoder may use */
	bool smart;               /* replace look-alikes (curly quotes, dashes...) to stay GSM 7-bit */
	uint16_t concat_ref;      /* reference shared by the segments */
	bool concat16;            /* 16-bit reference (IEI 0x08) instead of 8-bit (IEI 0x00) */
};

/* How a text will go out. */
struct sms_plan {
	enum sms_coding coding;
	uint8_t locking_lang;    /* 0: default alphabet */
	uint8_t single_lang;     /* 0: default extension table */
	unsigned segments;
	unsigned units;          /* septets, UTF-16 code units or octets in all */
	unsigned per_segment;    /* units a segment holds with this plan's header */
	unsigned left;           /* units still free in the last segment */
	unsigned chars;          /* Unicode characters after smart replacement */
	bool smart_used;         /* a look-alike was replaced */
};

struct sms_pdu {
	uint16_t len;            /* octets in data: SMSC part and TPDU */
	uint16_t tpdu_len;       /* the length AT+CMGS takes: TPDU only */
	uint8_t data[SMS_PDU_MAX];
};

/*
 * Plans a text: the encoding with the fewest segments (ties go to the fewest
 * header octets), segment and unit counts.
 * Returns 0; -EINVAL when the text is not valid UTF-8 (or *reason says what
 * else); -EMSGSIZE when it needs more than SMS_SEGMENTS_MAX segments.
 */
int sms_plan_text(const char *text, size_t len, const struct sms_submit_opts *opts,
		  struct sms_plan *plan, const char **reason);

/*
 * Encodes a text as SMS-SUBMIT PDUs, one per segment, into pdus[0..max).
 * Escape sequences and surrogate pairs are never split across segments.
 * plan may be NULL.
 * Returns the number of segments; -EINVAL for bad UTF-8, a bad destination
 * or SMSC (with *reason); -EMSGSIZE when more than max segments are needed.
 */
int sms_submit_encode(const char *text, size_t len, const struct sms_submit_opts *opts,
		      struct sms_pdu *pdus, size_t max, struct sms_plan *plan,
		      const char **reason);

/*
 * Encodes an address (TS 23.040 9.1.2.5) into out: "+digits" international,
 * digits national/unknown, anything else alphanumeric (GSM 7-bit, at most 11
 * characters). smsc selects the SMSC form, whose length counts octets.
 * Returns octets written, or -EINVAL with *reason.
 */
int sms_address_encode(const char *number, bool smsc, uint8_t out[SMS_SMSC_MAX],
		       const char **reason);

/* TP-VP for a relative period: the smallest that lasts at least minutes. */
uint8_t sms_validity_relative_from_minutes(uint32_t minutes);

/*
 * The look-alike that keeps a code point within GSM 7-bit ("smart encoding"),
 * written to out (up to 3 code points). Returns how many, or 0 when there is
 * none.
 */
int sms_smart_replace(uint32_t cp, uint32_t out[3]);

#endif
