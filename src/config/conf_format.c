/*
 * The shapes of the configuration's strings and numbers: modem names, line
 * numbers, PIN, IMEI, ICCID, serial rates. Pure: no libconfig, no I/O.
 * Each check returns NULL when the value is well formed, else words that
 * follow the value in an error ("... is not ...").
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "conf_reader.h"

#define NAME_WORDS "a name of 1 to 31 ASCII letters, digits, '_' or '-'"

static bool all_digits(const char *v, size_t min, size_t max)
{
	size_t n = strlen(v);

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

/* Names end up in log lines, metrics labels and MQTT topics: keep them plain. */
const char *conf_check_name(const char *v)
{
	size_t n = strlen(v);

	if (n < 1 || n > 31)
		return NAME_WORDS;
	for (size_t i = 0; i < n; i++) {
		char ch = v[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return NAME_WORDS;
	}
	return NULL;
}

/*
 * E.164 allows at most 15 digits with the country code; 7 is the shortest
 * real subscriber number with one. The '+' is required so that a national
 * number is never taken for another country's.
 */
const char *conf_check_line(const char *v)
{
	if (v[0] != '+' || !all_digits(v + 1, 7, 15))
		return "an international number ('+' then 7 to 15 digits)";
	return NULL;
}

/* A SIM PIN has 4 to 8 digits (3GPP TS 22.030, ETSI TS 102 221). */
const char *conf_check_pin(const char *v)
{
	return all_digits(v, 4, 8) ? NULL : "4 to 8 digits";
}

/* TS 23.003 6.2.1: an IMEI is 15 digits (14 and a check digit). */
const char *conf_check_imei(const char *v)
{
	return all_digits(v, 15, 15) ? NULL : "15 digits";
}

/*
 * ICCIDs (ITU-T E.118) are usually 19 or 20 digits, check digit included;
 * 18 to 22 leaves room for the odd issuer.
 */
const char *conf_check_iccid(const char *v)
{
	return all_digits(v, 18, 22) ? NULL : "18 to 22 digits";
}

/*
 * The termios rates from 9600 up that every UART and USB-serial driver
 * parley meets can set; modems answer AT+IPR with these.
 */
bool conf_baud_valid(long long baud)
{
	static const long long rates[] = {
		9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600,
	};

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		if (rates[i] == baud)
			return true;
	return false;
}
