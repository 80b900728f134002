/*
 * libFuzzer target: one response parser of the modem driver at a time. The
 * first byte configures the driver (modem_fake.h), the second picks the
 * command whose every answer is the rest of the input; every other command
 * gets a working modem's answer. Once ready, the driver is walked through
 * sending (the prompt and +CMGS), new-message indications and reading
 * (+CMTI, +CMGR, +CMGL), direct delivery (+CMT, +CDS), a call (RING,
 * +CLIP), a registration change and health polls (+CSQ, +CREG, +COPS), so
 * each parser meets the fuzzed answer in its place; with the "URC" pick
 * the input arrives unsolicited in a ready, idle moment instead.
 * The invariants are modem_fake.h's.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "modem_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STEPS_MAX 200

/* The commands whose answers can be fuzzed; NULL stands for the profile's ICCID command. */
static const char *const picks[] = {
	"AT", "ATE0", "AT+CMEE=1", "AT+CGMI", "AT+CGMM", "AT+CGMR", "AT+CGSN", "AT+CFUN?",
	"AT+CPIN?", "AT+CIMI", NULL, "AT+CNUM", "AT+CMGF=0", "AT+CPMS=", "AT+CNMI=", "AT+CLIP=1",
	"AT+CREG=2", "AT+CREG?", "AT+CEREG?", "AT+CSQ", "AT+COPS?", "AT+CMGL=", "AT+CMGR=",
	"AT+CMGS=", "(pdu)", "AT+CMGD=", "AT+CNMA", "AT+CMMS=2", "ATH", "AT+CFUN=", "AT+CPIN=",
	"(urc)",
};
#define PICKS (sizeof(picks) / sizeof(picks[0]))

static bool picked(const struct fake *f, const char *pick)
{
	if (f->last_is_pdu)
		return pick && strcmp(pick, "(pdu)") == 0;
	if (!pick)
		return strcmp(f->last, f->profile->iccid_cmd) == 0;
	/* "AT" and "ATE0" are whole commands; the others prefixes */
	if (strcmp(pick, "AT") == 0 || strcmp(pick, "ATE0") == 0 || strcmp(pick, "ATH") == 0)
		return strcmp(f->last, pick) == 0;
	return strncmp(f->last, pick, strlen(pick)) == 0;
}

/*
 * Some commands follow only from a particular answer: AT+CEREG? from +CREG
 * not registered, AT+CPIN= from a SIM asking for its PIN (once), AT+CFUN=1
 * from a radio found off.
 */
static const char *lead_in(struct fake *f, const char *pick, bool *pin_asked)
{
	if (!pick || f->last_is_pdu)
		return NULL;
	if (strcmp(pick, "AT+CEREG?") == 0 && strcmp(f->last, "AT+CREG?") == 0)
		return "\r\n+CREG: 2,0\r\n\r\nOK\r\n";
	if (strcmp(pick, "AT+CPIN=") == 0 && strcmp(f->last, "AT+CPIN?") == 0 && !*pin_asked) {
		*pin_asked = true;
		return "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n";
	}
	if (strcmp(pick, "AT+CFUN=") == 0 && strcmp(f->last, "AT+CFUN?") == 0)
		return "\r\n+CFUN: 4\r\n\r\nOK\r\n";
	return NULL;
}

/* What a ready driver is put through, one action each time it is idle. */
static void next_action(struct fake *f, unsigned *action, const uint8_t *urc, size_t urc_len)
{
	switch ((*action)++ % 8) {
	case 0:
		fake_send(f, false);
		break;
	case 1:
		fake_send(f, true); /* two segments: AT+CMMS=2 on the families that have it */
		fake_send(f, false);
		break;
	case 2:
		if (urc)
			fake_feed(f, urc, urc_len);
		else
			fake_feed_str(f, "\r\n+CMTI: \"SM\",3\r\n");
		break;
	case 3:
		fake_feed_str(f, "\r\n+CMT: ,27\r\n" FAKE_DELIVER_DIRECT "\r\n");
		break;
	case 4:
		fake_feed_str(f, "\r\nRING\r\n\r\n+CLIP: \"+447700900123\",145,\"\",0,\"\",0\r\n");
		break;
	case 5:
		fake_feed_str(f, "\r\n+CDS: 25\r\n" FAKE_STATUS_REPORT "\r\n\r\n+CREG: 5\r\n");
		break;
	case 6:
		fake_person_command(f);
		break;
	default:
		fake_advance(f); /* polls and the sweep */
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake f;
	const char *pick;
	const uint8_t *answer;
	size_t answer_len;
	unsigned action = 0;
	bool urc, pin_asked = false;

	if (size < 2)
		return 0;
	pick = picks[data[1] % PICKS];
	urc = pick && strcmp(pick, "(urc)") == 0;
	answer = data + 2;
	answer_len = size - 2;
	fake_start(&f, data[0]);
	for (unsigned step = 0; step < STEPS_MAX; step++) {
		enum modem_state st = modem_state(f.m);

		if (!f.answered && f.last[0]) {
			const char *special = lead_in(&f, pick, &pin_asked);
			if (!urc && picked(&f, pick)) {
				f.answered = true;
				fake_feed(&f, answer, answer_len);
			} else if (special) {
				f.answered = true;
				fake_feed_str(&f, special);
			} else {
				fake_answer_canned(&f);
			}
		} else if (st == MODEM_STATE_READY) {
			next_action(&f, &action, urc ? answer : NULL, answer_len);
		} else {
			fake_advance(&f);
		}
	}
	for (int i = 0; i < 8; i++)
		fake_advance(&f);
	fake_finish(&f);
	return 0;
}
