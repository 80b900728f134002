/*
 * Modem dialects as data: what differs between the modems parley meets
 * (identity strings, the ICCID command, storage numbering, boot chatter,
 * URC noise, reset behaviour). at_interp and modem read these fields and
 * hold no per-vendor ifs of their own.
 */
#ifndef MODEMSIM_PROFILES_H
#define MODEMSIM_PROFILES_H

#include <stdbool.h>

#define PROFILE_CNMI_FIELDS 5

struct modem_profile {
	const char *name;
	const char *summary;
	const char *manufacturer;   /* +CGMI (TS 27.007 5.1) */
	const char *model;          /* +CGMM (5.2) */
	const char *revision;       /* +CGMR (5.3), as the firmware prints it */
	const char *const *ati;     /* ATI lines, NULL-terminated; "{imei}" is replaced */
	const char *iccid_cmd;      /* the vendor command that reads the ICCID */
	const char *iccid_prefix;   /* printed before the digits */
	bool iccid_swapped;         /* digits in pairs as EF_ICCID stores them (ETSI TS 102 221 13.2) */
	const char *reset_cmd;      /* a vendor reset besides AT+CFUN=1,1, or NULL */
	bool reset_reenumerates;    /* a USB-only device: a reset unplugs and replugs it */
	int cmee_default;           /* +CMEE after power-up (TS 27.007 9.1) */
	bool text_mode;             /* AT+CMGF=1 accepted (reading and sending stay PDU only) */
	int act;                    /* access technology in +CREG/+COPS (27.007 7.3); -1: none */
	bool eps;                   /* has +CEREG (an LTE modem) */
	unsigned index_base;        /* first storage index */
	unsigned sm_capacity;       /* messages the SIM holds */
	unsigned me_capacity;       /* messages the modem's own memory holds */
	int cnmi_default[PROFILE_CNMI_FIELDS]; /* +CNMI after power-up (TS 27.005 3.4.1) */
	int csms_default;           /* +CSMS service after power-up (27.005 3.2.1) */
	const char *cmt_alpha;      /* what +CMT prints for the empty <alpha> */
	bool cmgr_empty_ok;         /* AT+CMGR on an empty slot: OK instead of +CMS ERROR: 321 */
	int bad_pdu_cms;            /* +CMS ERROR for a PDU the modem will not take */
	const char *const *boot;    /* lines after a reset; "{cpin}" is the SIM state line */
	const char *const *noise;   /* URCs sent at random; "{rssi}" and "{ber}" are replaced */
	const char *memfull_urc;    /* when a new message finds the storage full, or NULL */
	const char *clip_tail;      /* after +CLIP: "<number>",<type> */
	const char *call_end;       /* when a caller gives up, or NULL */
	unsigned register_ms;       /* from radio on to registered */
};

/* The profile with that name, or NULL. */
const struct modem_profile *profile_find(const char *name);

/* The profiles in table order, NULL after the last. */
const struct modem_profile *profile_at(unsigned i);

#endif
