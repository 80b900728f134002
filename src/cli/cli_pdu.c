/*
 * `parley pdu decode|encode|count`: the PDU codec from the command line,
 * for debugging modems and for trying texts before sending them.
 *
 * It parses arguments, calls the codec and prints; the codec does every
 * bit of TS 23.040 / 23.038 work. It does not talk to a modem.
 *
 * Output: decode and count print one JSON object on one line (errors as
 * {"error":"..."} on stdout, since a script is reading); encode prints
 * "TPDU-LENGTH HEX" per segment, as AT+CMGS takes them, and its errors on
 * stderr. Exit statuses are those of cli.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "parley/gsm7.h"
#include "parley/hex.h"
#include "parley/sms.h"
#include "parley/sms_submit.h"

#include "cli.h"
#include "cli_json.h"
#include "cli_pdu.h"

/*
 * Text read from stdin is capped well above anything 255 segments can
 * carry (255 * 160 septets of at most 3 UTF-8 bytes is under 128 KiB), so a
 * mistaken pipe cannot eat memory; the codec rejects what is still too long.
 */
#define PDU_STDIN_MAX_BYTES (1024 * 1024)

/* 63 weeks: the longest relative TP-VP (TS 23.040 9.2.3.12.1). */
#define PDU_VALIDITY_MAX_MINUTES (63u * 7u * 24u * 60u)

/* Long options only; values above any char so they never clash with optopt. */
enum pdu_opt {
	PDU_OPT_HELP = 256,
	PDU_OPT_SMSC,
	PDU_OPT_TO,
	PDU_OPT_REPORT,
	PDU_OPT_CLASS0,
	PDU_OPT_UCS2,
	PDU_OPT_REF,
	PDU_OPT_VALIDITY,
	PDU_OPT_LANG,
	PDU_OPT_SMART,
	PDU_OPT_CONCAT16,
};

static const char pdu_usage_text[] =
	"usage: parley pdu decode [--smsc] HEX\n"
	"       parley pdu encode --to NUMBER [--smsc NUMBER] [--report] [--class0]\n"
	"                         [--ucs2] [--ref N] [--validity MINUTES]\n"
	"                         [--lang NAME]... [--smart] [--concat16] TEXT\n"
	"       parley pdu count [--lang NAME]... [--smart] [--ucs2] [--concat16] TEXT\n"
	"\n"
	"decode  prints the PDU as one line of JSON. HEX is a bare TPDU, or with\n"
	"        --smsc starts with the SMSC address as +CMGR, +CMGL and +CMT show it.\n"
	"encode  prints one line per segment: the length AT+CMGS takes, a space and\n"
	"        the PDU in hex (SMSC part first, 00 without --smsc).\n"
	"count   prints as one line of JSON how TEXT would go out.\n"
	"\n"
	"  --to NUMBER         destination: +international, national digits or a name\n"
	"  --smsc NUMBER       (encode) SMSC address to put before the TPDU\n"
	"  --report            ask for a status report\n"
	"  --class0            flash message (class 0)\n"
	"  --ucs2              send as UCS-2 even when GSM 7-bit would do\n"
	"  --ref N             concatenation reference: 0..255, 0..65535 with\n"
	"                      --concat16 (default 0)\n"
	"  --validity MINUTES  relative validity period, rounded up, at most 63 weeks\n"
	"  --lang NAME         allow a national language table; repeat it, or 'all'\n"
	"  --smart             replace look-alikes (curly quotes, dashes...) to stay\n"
	"                      in GSM 7-bit\n"
	"  --concat16          16-bit concatenation reference\n"
	"\n"
	"TEXT or HEX '-' reads standard input (one trailing newline is dropped).\n"
	"Put -- before a TEXT that starts with '-'.\n";

static void pdu_usage(FILE *f)
{
	fputs(pdu_usage_text, f);
}

/* A command-line mistake: the message, then usage, both on stderr. */
static int pdu_usage_error(const char *verb, const char *what, const char *arg)
{
	if (arg)
		fprintf(stderr, "parley pdu %s: %s '%s'\n\n", verb, what, arg);
	else
		fprintf(stderr, "parley pdu %s: %s\n\n", verb, what);
	pdu_usage(stderr);
	return CLI_EXIT_USAGE;
}

/* Explains getopt_long's '?' or ':' (opterr is off, so it said nothing). */
static int pdu_option_error(const char *verb, int c, char **argv)
{
	const char *what = c == ':' ? "missing value for" : "unknown option";

	/* optopt holds a short option's letter; long ones are named by argv. */
	if (optopt > 0 && optopt < PDU_OPT_HELP) {
		char letter[3] = { '-', (char)optopt, '\0' };

		return pdu_usage_error(verb, what, letter);
	}
	return pdu_usage_error(verb, what, argv[optind - 1]);
}

/*
 * Parses a whole decimal number within [min, max] for option opt.
 * strtoul alone would take signs, spaces and trailing junk.
 * Returns 0, or -EINVAL after printing the problem.
 */
static int pdu_parse_uint(const char *verb, const char *opt, const char *s,
			  unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		goto bad;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr, "parley pdu %s: %s takes a whole number from %lu to %lu, not '%s'\n",
		verb, opt, min, max, s);
	return -EINVAL;
}

/* Adds a --lang name to the allowed set. Returns 0, or -EINVAL after printing. */
static int pdu_parse_lang(const char *verb, const char *name, uint32_t *allowed)
{
	int lang;

	if (!strcmp(name, "all")) {
		*allowed |= GSM7_LANG_ALL;
		return 0;
	}
	lang = gsm7_lang_from_name(name);
	if (lang < 0 || lang >= GSM7_LANG_COUNT) {
		fprintf(stderr, "parley pdu %s: unknown language '%s'; known:", verb, name);
		for (unsigned i = 1; i < GSM7_LANG_COUNT; i++)
			fprintf(stderr, " %s", gsm7_lang_name(i));
		fputs(" all\n", stderr);
		return -EINVAL;
	}
	*allowed |= GSM7_LANG_BIT((unsigned)lang);
	return 0;
}

/*
 * Reads all of stdin into a new NUL-terminated buffer (*buf, freed by the
 * caller), dropping one trailing "\n" or "\r\n" as `echo` and editors add.
 * Returns 0; -ENOMEM, -EIO, or -EMSGSIZE past PDU_STDIN_MAX_BYTES, after
 * printing the problem.
 */
static int pdu_read_stdin(const char *verb, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *p = malloc(cap), *bigger;
	int rc = 0;

	if (!p) {
		rc = -ENOMEM;
		goto fail;
	}
	for (;;) {
		n += fread(p + n, 1, cap - 1 - n, stdin);
		if (ferror(stdin)) {
			rc = -EIO;
			goto fail;
		}
		if (feof(stdin))
			break;
		if (cap >= PDU_STDIN_MAX_BYTES) {
			rc = -EMSGSIZE;
			goto fail;
		}
		cap *= 2;
		bigger = realloc(p, cap);
		if (!bigger) {
			rc = -ENOMEM;
			goto fail;
		}
		p = bigger;
	}
	if (n > 0 && p[n - 1] == '\n') {
		n--;
		if (n > 0 && p[n - 1] == '\r')
			n--;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
fail:
	free(p);
	if (rc == -EMSGSIZE)
		fprintf(stderr, "parley pdu %s: standard input is longer than %d bytes\n",
			verb, PDU_STDIN_MAX_BYTES);
	else
		fprintf(stderr, "parley pdu %s: cannot read standard input: %s\n",
			verb, strerror(-rc));
	return rc;
}

/*
 * The TEXT argument: itself, or stdin when it is "-". *owned is what to
 * free afterwards (NULL for an argument). Returns 0, or -EIO when stdin
 * could not be read (the reason is printed).
 */
static int pdu_get_text(const char *verb, const char *arg, const char **text,
			size_t *len, char **owned)
{
	*owned = NULL;
	if (strcmp(arg, "-")) {
		*text = arg;
		*len = strlen(arg);
		return 0;
	}
	if (pdu_read_stdin(verb, owned, len) < 0)
		return -EIO;
	*text = *owned;
	return 0;
}

/* After printing JSON: say why nothing came out, if nothing did. */
static int pdu_json_status(int rc)
{
	if (rc == -ENOMEM)
		fputs("parley pdu: out of memory\n", stderr);
	/* -EIO: main() reports the failed stdout once. */
	return rc < 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static bool pdu_add_time(cJSON *obj, const char *key, const struct sms_time *t)
{
	char buf[32];

	if (sms_time_format(t, buf, sizeof(buf)) < 0)
		return cJSON_AddNullToObject(obj, key) != NULL;
	return cJSON_AddStringToObject(obj, key, buf) != NULL;
}

/* A language by name; a number the tables do not know stays a number. */
static bool pdu_add_lang(cJSON *obj, const char *key, unsigned lang)
{
	const char *name = gsm7_lang_name(lang);

	if (!name)
		return cJSON_AddNumberToObject(obj, key, lang) != NULL;
	return cJSON_AddStringToObject(obj, key, name) != NULL;
}

/* null, or the elements parley understands; the others are only counted by the codec. */
static bool pdu_add_udh(cJSON *obj, const struct sms_udh *udh)
{
	cJSON *u, *sub;
	bool ok;

	if (!udh->present)
		return cJSON_AddNullToObject(obj, "udh") != NULL;
	u = cJSON_AddObjectToObject(obj, "udh");
	ok = u != NULL;
	if (udh->has_concat) {
		sub = cJSON_AddObjectToObject(u, "concat");
		ok &= cJSON_AddNumberToObject(sub, "ref", udh->concat_ref) != NULL;
		ok &= cJSON_AddNumberToObject(sub, "total", udh->concat_total) != NULL;
		ok &= cJSON_AddNumberToObject(sub, "seq", udh->concat_seq) != NULL;
	}
	if (udh->has_ports) {
		sub = cJSON_AddObjectToObject(u, "ports");
		ok &= cJSON_AddNumberToObject(sub, "dst", udh->dst_port) != NULL;
		ok &= cJSON_AddNumberToObject(sub, "src", udh->src_port) != NULL;
	}
	if (udh->locking_lang)
		ok &= pdu_add_lang(u, "locking_lang", udh->locking_lang);
	if (udh->single_lang)
		ok &= pdu_add_lang(u, "single_lang", udh->single_lang);
	return ok;
}

static bool pdu_add_validity(cJSON *obj, const struct sms_validity *vp)
{
	cJSON *v;
	bool ok;

	switch (vp->format) {
	case SMS_VALIDITY_NONE:
		return cJSON_AddNullToObject(obj, "validity") != NULL;
	case SMS_VALIDITY_RELATIVE:
		v = cJSON_AddObjectToObject(obj, "validity");
		ok = cJSON_AddStringToObject(v, "format", "relative") != NULL;
		ok &= cJSON_AddNumberToObject(v, "seconds", vp->seconds) != NULL;
		return ok;
	case SMS_VALIDITY_ENHANCED:
		v = cJSON_AddObjectToObject(obj, "validity");
		ok = cJSON_AddStringToObject(v, "format", "enhanced") != NULL;
		ok &= cJSON_AddNumberToObject(v, "seconds", vp->seconds) != NULL;
		return ok;
	case SMS_VALIDITY_ABSOLUTE:
		v = cJSON_AddObjectToObject(obj, "validity");
		ok = cJSON_AddStringToObject(v, "format", "absolute") != NULL;
		ok &= pdu_add_time(v, "time", &vp->absolute);
		return ok;
	}
	return false;
}

static bool pdu_add_status(cJSON *obj, const struct sms *sms)
{
	cJSON *st = cJSON_AddObjectToObject(obj, "status");
	bool ok;

	ok = cJSON_AddStringToObject(st, "class", sms_status_class_name(sms->status_class)) != NULL;
	ok &= cJSON_AddNumberToObject(st, "raw", sms->status) != NULL;
	return ok;
}

/* 8-bit user data after the header, in hex: it is binary, not text. */
static bool pdu_add_data(cJSON *obj, const struct sms *sms)
{
	char hex[2 * SMS_UD_MAX + 1];
	size_t skip = sms->udh.present ? 1u + sms->udh.len : 0;

	if (skip > sms->ud_len)
		skip = sms->ud_len;
	hex_encode(sms->ud + skip, sms->ud_len - skip, hex);
	return cJSON_AddStringToObject(obj, "data", hex) != NULL;
}

/* The decoded message as JSON; NULL when memory ran out. */
static cJSON *pdu_sms_json(const struct sms *sms)
{
	cJSON *o = cJSON_CreateObject();
	const char *smsc = NULL;
	bool ok;

	/* "00" (no SMSC, the modem's default) decodes to an empty address. */
	if (sms->has_smsc && sms->smsc.number[0])
		smsc = sms->smsc.number;

	ok = cJSON_AddStringToObject(o, "type", sms_type_name(sms->type)) != NULL;
	ok &= cli_json_add_str_or_null(o, "smsc", smsc) != NULL;
	ok &= cJSON_AddStringToObject(o, "number", sms->addr.number) != NULL;
	ok &= cJSON_AddStringToObject(o, "number_type",
				      sms_number_type_name(sms->addr.type)) != NULL;
	ok &= cJSON_AddStringToObject(o, "text", sms->text) != NULL;
	ok &= cJSON_AddStringToObject(o, "coding", sms_coding_name(sms->dcs.coding)) != NULL;
	if (sms->dcs.msg_class < 0)
		ok &= cJSON_AddNullToObject(o, "class") != NULL;
	else
		ok &= cJSON_AddNumberToObject(o, "class", sms->dcs.msg_class) != NULL;
	ok &= pdu_add_udh(o, &sms->udh);

	switch (sms->type) {
	case SMS_TYPE_DELIVER:
		ok &= pdu_add_time(o, "scts", &sms->scts);
		break;
	case SMS_TYPE_SUBMIT:
		ok &= cJSON_AddNumberToObject(o, "mr", sms->mr) != NULL;
		ok &= pdu_add_validity(o, &sms->validity);
		break;
	case SMS_TYPE_STATUS_REPORT:
		ok &= cJSON_AddNumberToObject(o, "mr", sms->mr) != NULL;
		ok &= pdu_add_time(o, "scts", &sms->scts);
		ok &= pdu_add_time(o, "discharge", &sms->discharge);
		ok &= pdu_add_status(o, sms);
		break;
	}

	ok &= cJSON_AddNumberToObject(o, "pid", sms->pid) != NULL;
	ok &= cJSON_AddNumberToObject(o, "dcs", sms->dcs.raw) != NULL;
	if (sms->dcs.coding == SMS_CODING_8BIT)
		ok &= pdu_add_data(o, sms);

	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static const struct option decode_options[] = {
	{ "smsc", no_argument, NULL, PDU_OPT_SMSC },
	{ "help", no_argument, NULL, PDU_OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int pdu_decode_main(int argc, char **argv)
{
	static const char verb[] = "decode";
	unsigned flags = 0;
	const char *arg, *reason = NULL;
	char *owned = NULL, *hex;
	size_t len, start, end;
	struct sms sms;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":", decode_options, NULL)) != -1) {
		switch (c) {
		case PDU_OPT_SMSC:
			flags |= SMS_DECODE_SMSC;
			break;
		case PDU_OPT_HELP:
			pdu_usage(stdout);
			return CLI_EXIT_OK;
		default:
			return pdu_option_error(verb, c, argv);
		}
	}
	if (optind >= argc)
		return pdu_usage_error(verb, "missing HEX", NULL);
	if (argc - optind > 1)
		return pdu_usage_error(verb, "one HEX expected; unexpected", argv[optind + 1]);

	if (pdu_get_text(verb, argv[optind], &arg, &len, &owned) < 0)
		return CLI_EXIT_FAIL;
	/* Pasted from a terminal or a log, the hex often carries spaces or a CR. */
	start = strspn(arg, " \t\r\n");
	end = len;
	while (end > start && strchr(" \t\r\n", arg[end - 1]))
		end--;
	hex = strndup(arg + start, end - start);
	free(owned);
	if (!hex) {
		fputs("parley pdu: out of memory\n", stderr);
		return CLI_EXIT_FAIL;
	}

	if (sms_decode_hex(hex, flags, &sms, &reason) < 0) {
		pdu_json_status(cli_json_print_error(reason ? reason : "not a valid PDU"));
		rc = CLI_EXIT_FAIL;
	} else {
		rc = pdu_json_status(cli_json_print(pdu_sms_json(&sms)));
	}
	free(hex);
	return rc;
}

/*
 * Options encode and count share; *text_arg is the one TEXT argument.
 * Returns true to go on; false when the command ends here (after help or
 * a usage error), with the exit status in *status.
 */
static bool pdu_submit_args(const char *verb, bool encode, int argc, char **argv,
			    struct sms_submit_opts *opts, const char **text_arg, int *status)
{
	static const struct option encode_options[] = {
		{ "to", required_argument, NULL, PDU_OPT_TO },
		{ "smsc", required_argument, NULL, PDU_OPT_SMSC },
		{ "report", no_argument, NULL, PDU_OPT_REPORT },
		{ "class0", no_argument, NULL, PDU_OPT_CLASS0 },
		{ "ucs2", no_argument, NULL, PDU_OPT_UCS2 },
		{ "ref", required_argument, NULL, PDU_OPT_REF },
		{ "validity", required_argument, NULL, PDU_OPT_VALIDITY },
		{ "lang", required_argument, NULL, PDU_OPT_LANG },
		{ "smart", no_argument, NULL, PDU_OPT_SMART },
		{ "concat16", no_argument, NULL, PDU_OPT_CONCAT16 },
		{ "help", no_argument, NULL, PDU_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	/* Only what changes the plan: the others would be silently ignored. */
	static const struct option count_options[] = {
		{ "ucs2", no_argument, NULL, PDU_OPT_UCS2 },
		{ "lang", required_argument, NULL, PDU_OPT_LANG },
		{ "smart", no_argument, NULL, PDU_OPT_SMART },
		{ "concat16", no_argument, NULL, PDU_OPT_CONCAT16 },
		{ "help", no_argument, NULL, PDU_OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const char *ref_arg = NULL;
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, ":", encode ? encode_options : count_options,
				NULL)) != -1) {
		switch (c) {
		case PDU_OPT_TO:
			opts->to = optarg;
			break;
		case PDU_OPT_SMSC:
			opts->smsc = optarg;
			break;
		case PDU_OPT_REPORT:
			opts->status_report = true;
			break;
		case PDU_OPT_CLASS0:
			opts->flash = true;
			break;
		case PDU_OPT_UCS2:
			opts->encoding = SMS_ENCODING_UCS2;
			break;
		case PDU_OPT_REF:
			/* Checked after the loop: its range depends on --concat16. */
			ref_arg = optarg;
			break;
		case PDU_OPT_VALIDITY:
			if (pdu_parse_uint(verb, "--validity", optarg, 1,
					   PDU_VALIDITY_MAX_MINUTES, &v) < 0)
				goto usage;
			opts->validity_minutes = (uint32_t)v;
			break;
		case PDU_OPT_LANG:
			if (pdu_parse_lang(verb, optarg, &opts->allowed_langs) < 0)
				goto usage;
			break;
		case PDU_OPT_SMART:
			opts->smart = true;
			break;
		case PDU_OPT_CONCAT16:
			opts->concat16 = true;
			break;
		case PDU_OPT_HELP:
			pdu_usage(stdout);
			*status = CLI_EXIT_OK;
			return false;
		default:
			*status = pdu_option_error(verb, c, argv);
			return false;
		}
	}
	if (ref_arg) {
		/* An 8-bit reference (IEI 0x00) cannot hold more: say so, not truncate. */
		if (pdu_parse_uint(verb, opts->concat16 ? "--ref" : "--ref (without --concat16)",
				   ref_arg, 0, opts->concat16 ? 65535 : 255, &v) < 0)
			goto usage;
		opts->concat_ref = (uint16_t)v;
	}
	if (encode && !opts->to)
		*status = pdu_usage_error(verb, "missing --to NUMBER", NULL);
	else if (optind >= argc)
		*status = pdu_usage_error(verb, "missing TEXT", NULL);
	else if (argc - optind > 1)
		*status = pdu_usage_error(verb, "one TEXT expected (quote it); unexpected",
					  argv[optind + 1]);
	else {
		*text_arg = argv[optind];
		return true;
	}
	return false;
usage:
	/* The problem is printed already; usage after it would bury it. */
	fputs("Run `parley pdu --help` for the options.\n", stderr);
	*status = CLI_EXIT_USAGE;
	return false;
}

/* Why the codec refused a text, in words, when it gave no reason of its own. */
static const char *pdu_submit_reason(int rc, const char *reason)
{
	if (reason)
		return reason;
	if (rc == -EMSGSIZE)
		return "the text needs more than 255 segments";
	if (rc == -EINVAL)
		return "the text is not valid UTF-8";
	return strerror(-rc);
}

static int pdu_encode_main(int argc, char **argv)
{
	static const char verb[] = "encode";
	struct sms_submit_opts opts = { .encoding = SMS_ENCODING_AUTO };
	char hex[2 * SMS_PDU_MAX + 1];
	const char *text_arg, *text, *reason = NULL;
	struct sms_pdu *pdus;
	char *owned;
	size_t len;
	int n, status;

	if (!pdu_submit_args(verb, true, argc, argv, &opts, &text_arg, &status))
		return status;
	if (pdu_get_text(verb, text_arg, &text, &len, &owned) < 0)
		return CLI_EXIT_FAIL;
	/* About 45 KiB at the most segments: not for the stack. */
	pdus = calloc(SMS_SEGMENTS_MAX, sizeof(*pdus));
	if (!pdus) {
		free(owned);
		fputs("parley pdu: out of memory\n", stderr);
		return CLI_EXIT_FAIL;
	}

	n = sms_submit_encode(text, len, &opts, pdus, SMS_SEGMENTS_MAX, NULL, &reason);
	if (n < 0) {
		fprintf(stderr, "parley pdu %s: %s\n", verb, pdu_submit_reason(n, reason));
		status = CLI_EXIT_FAIL;
	} else {
		for (int i = 0; i < n; i++) {
			hex_encode(pdus[i].data, pdus[i].len, hex);
			printf("%u %s\n", (unsigned)pdus[i].tpdu_len, hex);
		}
		status = CLI_EXIT_OK;
	}
	free(pdus);
	free(owned);
	return status;
}

/* A plan's table: null for the default one, else the language's name. */
static bool pdu_add_plan_lang(cJSON *obj, const char *key, unsigned lang)
{
	if (lang == GSM7_LANG_DEFAULT)
		return cJSON_AddNullToObject(obj, key) != NULL;
	return pdu_add_lang(obj, key, lang);
}

static cJSON *pdu_plan_json(const struct sms_plan *plan)
{
	cJSON *o = cJSON_CreateObject();
	bool ok;

	ok = cJSON_AddStringToObject(o, "encoding", sms_coding_name(plan->coding)) != NULL;
	ok &= cJSON_AddNumberToObject(o, "segments", plan->segments) != NULL;
	ok &= cJSON_AddNumberToObject(o, "units", plan->units) != NULL;
	ok &= cJSON_AddNumberToObject(o, "per_segment", plan->per_segment) != NULL;
	ok &= cJSON_AddNumberToObject(o, "left", plan->left) != NULL;
	ok &= cJSON_AddNumberToObject(o, "chars", plan->chars) != NULL;
	ok &= pdu_add_plan_lang(o, "locking_lang", plan->locking_lang);
	ok &= pdu_add_plan_lang(o, "single_lang", plan->single_lang);
	ok &= cJSON_AddBoolToObject(o, "smart_used", plan->smart_used) != NULL;
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int pdu_count_main(int argc, char **argv)
{
	static const char verb[] = "count";
	struct sms_submit_opts opts = { .encoding = SMS_ENCODING_AUTO };
	const char *text_arg, *text, *reason = NULL;
	struct sms_plan plan;
	char *owned;
	size_t len;
	int rc, status;

	if (!pdu_submit_args(verb, false, argc, argv, &opts, &text_arg, &status))
		return status;
	if (pdu_get_text(verb, text_arg, &text, &len, &owned) < 0)
		return CLI_EXIT_FAIL;

	rc = sms_plan_text(text, len, &opts, &plan, &reason);
	if (rc < 0) {
		pdu_json_status(cli_json_print_error(pdu_submit_reason(rc, reason)));
		status = CLI_EXIT_FAIL;
	} else {
		status = pdu_json_status(cli_json_print(pdu_plan_json(&plan)));
	}
	free(owned);
	return status;
}

int cli_pdu_main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : NULL;

	if (!verb) {
		pdu_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h")) {
		pdu_usage(stdout);
		return CLI_EXIT_OK;
	}
	/* Only one getopt_long pass runs per process, from argv[1] of the verb. */
	opterr = 0;
	optind = 1;
	if (!strcmp(verb, "decode"))
		return pdu_decode_main(argc - 1, argv + 1);
	if (!strcmp(verb, "encode"))
		return pdu_encode_main(argc - 1, argv + 1);
	if (!strcmp(verb, "count"))
		return pdu_count_main(argc - 1, argv + 1);
	fprintf(stderr, "parley pdu: unknown subcommand '%s'\n\n", verb);
	pdu_usage(stderr);
	return CLI_EXIT_USAGE;
}
