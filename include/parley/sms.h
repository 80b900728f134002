/*
 * Decoded SMS TPDUs (3GPP TS 23.040 9.2) and their decoder.
 *
 * The decoder reads SMS-DELIVER, SMS-SUBMIT and SMS-STATUS-REPORT, with or
 * without the SMSC address that modems print before the TPDU in +CMGR,
 * +CMGL and +CMT. It never allocates and never reads past its input; every
 * malformed input gives -EBADMSG and a reason.
 */
#ifndef PARLEY_SMS_H
#define PARLEY_SMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sms_type {
	SMS_TYPE_DELIVER,
	SMS_TYPE_SUBMIT,
	SMS_TYPE_STATUS_REPORT,
};

enum sms_coding {
	SMS_CODING_GSM7,
	SMS_CODING_8BIT,
	SMS_CODING_UCS2,
};

/* Type of number, TS 23.040 9.1.2.5. */
enum sms_number_type {
	SMS_NUMBER_UNKNOWN = 0,
	SMS_NUMBER_INTERNATIONAL = 1,
	SMS_NUMBER_NATIONAL = 2,
	SMS_NUMBER_NETWORK_SPECIFIC = 3,
	SMS_NUMBER_SUBSCRIBER = 4,
	SMS_NUMBER_ALPHANUMERIC = 5,
	SMS_NUMBER_ABBREVIATED = 6,
	SMS_NUMBER_RESERVED = 7,
};

/* Delivery outcome of a status report's TP-ST (TS 23.040 9.2.3.15). */
enum sms_status_class {
	SMS_STATUS_DELIVERED, /* 0x00-0x1F: transaction completed */
	SMS_STATUS_PENDING,   /* 0x20-0x3F: temporary error, SC still trying */
	SMS_STATUS_FAILED,    /* 0x40-0x7F and reserved values: SC gave up */
};

#define SMS_ADDR_MAX 48 /* 20 digits and '+', or 11 septets of up to 3 UTF-8 bytes */
#define SMS_UD_MAX 140
#define SMS_TEXT_MAX 484 /* 160 septets of up to 3 UTF-8 bytes each, and a NUL */
/* Longest input accepted: SMSC part, the longest TPDU, and padding modems add to stored reports */
#define SMS_PDU_INPUT_MAX 204

struct sms_address {
	uint8_t toa;                 /* raw type-of-address octet */
	enum sms_number_type type;
	uint8_t npi;                 /* numbering plan identification */
	char number[SMS_ADDR_MAX];   /* UTF-8, with '+' when international */
};

struct sms_time {
	uint16_t year; /* full year: 2000-2099 (TS 23.040 gives two digits) */
	uint8_t month, day, hour, minute, second;
	int16_t utc_offset_min; /* quarter hours times 15, with its sign */
};

enum sms_validity_format {
	SMS_VALIDITY_NONE,
	SMS_VALIDITY_RELATIVE,
	SMS_VALIDITY_ENHANCED,
	SMS_VALIDITY_ABSOLUTE,
};

struct sms_validity {
	enum sms_validity_format format;
	uint8_t relative;       /* raw TP-VP when relative */
	uint32_t seconds;       /* duration when relative (or enhanced relative) */
	struct sms_time absolute;
};

/* Data coding scheme, TS 23.038 4. */
struct sms_dcs {
	uint8_t raw;
	enum sms_coding coding;
	int8_t msg_class;        /* 0..3, or -1 when none */
	bool compressed;         /* TS 23.042; such text is not decoded */
	bool auto_delete;        /* marked for automatic deletion group */
	bool mwi;                /* message waiting indication group */
	bool mwi_active;
	bool mwi_store;          /* false: the MS may discard the message */
	uint8_t mwi_kind;        /* 0 voicemail, 1 fax, 2 e-mail, 3 other */
};

/* The information elements of a user data header that parley acts on. */
struct sms_udh {
	bool present;
	uint8_t len;             /* UDHL */
	bool has_concat;
	bool concat16;           /* reference from IEI 0x08 */
	uint16_t concat_ref;
	uint8_t concat_total;
	uint8_t concat_seq;
	bool has_ports;
	bool ports16;
	uint16_t dst_port;
	uint16_t src_port;
	uint8_t locking_lang;    /* 0 when absent */
	uint8_t single_lang;     /* 0 when absent */
	uint8_t ie_count;        /* every element seen, known or not */
};

struct sms {
	enum sms_type type;
	bool has_smsc;
	struct sms_address smsc;
	uint8_t first_octet;
	bool more_to_send;       /* deliver: inverse of TP-MMS */
	bool reply_path;
	bool status_report;      /* SRI (deliver), SRR (submit), SRQ (status report) */
	bool reject_duplicates;  /* submit */
	uint8_t mr;              /* submit, status report */
	struct sms_address addr; /* originator, destination or recipient */
	uint8_t pid;
	struct sms_dcs dcs;
	struct sms_time scts;      /* deliver, status report */
	struct sms_time discharge; /* status report */
	uint8_t status;            /* raw TP-ST */
	enum sms_status_class status_class;
	struct sms_validity validity; /* submit */
	struct sms_udh udh;
	uint8_t udl;               /* septets (GSM 7-bit) or octets */
	uint8_t ud_len;            /* octets of user data, header included */
	uint8_t ud[SMS_UD_MAX];
	uint16_t text_len;         /* bytes in text, NUL excluded */
	char text[SMS_TEXT_MAX];   /* UTF-8; 8-bit data shows as Latin-1 */
};

/* sms_decode flags */
#define SMS_DECODE_SMSC 0x1 /* input starts with the SMSC address */

/*
 * Decodes one PDU into *out (fully overwritten).
 * Returns 0; or -EBADMSG with *reason (when reason is not NULL) set to a
 * static sentence naming what is wrong: truncated fields, lengths past the
 * end, bytes left over, reserved message types, bad digits.
 */
int sms_decode(const uint8_t *pdu, size_t len, unsigned flags, struct sms *out,
	       const char **reason);

/* Same from hexadecimal text (either case, no separators). */
int sms_decode_hex(const char *hex, unsigned flags, struct sms *out, const char **reason);

/* Parses a DCS octet (TS 23.038 4). Never fails: reserved groups read as GSM 7-bit. */
void sms_dcs_parse(uint8_t raw, struct sms_dcs *dcs);

/* Maps a TP-ST value to its outcome. */
enum sms_status_class sms_status_classify(uint8_t status);

/* Seconds of a relative TP-VP (TS 23.040 9.2.3.12.1). */
uint32_t sms_validity_relative_seconds(uint8_t vp);

/*
 * Writes a time as ISO 8601 with its offset ("2002-08-26T19:37:41-01:00").
 * Returns the length, or -EMSGSIZE when buf is shorter than 26 bytes.
 */
int sms_time_format(const struct sms_time *t, char *buf, size_t size);

/* Short names for JSON: "deliver", "gsm7", "international", "delivered"... */
const char *sms_type_name(enum sms_type t);
const char *sms_coding_name(enum sms_coding c);
const char *sms_number_type_name(enum sms_number_type t);
const char *sms_status_class_name(enum sms_status_class c);

#endif
