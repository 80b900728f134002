/*
 * libFuzzer target: the modem driver through a whole session with a modem
 * that says anything. The first byte configures the driver (modem_fake.h:
 * profile, commits, PIN, identity checks, hang-ups); the rest is a script,
 * one step per line ('\n'; modem lines inside a step end with CR):
 *
 *   (empty)  the last command gets a working modem's answer, or if it had
 *            one, time passes to the driver's next deadline
 *   .        time passes (silence: timeouts, polls, retries)
 *   +        a one-segment message is sent; * a two-segment one
 *   ?        a person's AT+CSQ (`parley at`)
 *   ~        the port is lost and opened again
 *   other    these bytes come from the modem as they are
 *
 * so a script of empty lines brings the driver to ready and keeps it
 * polling, and any step can be a garbled answer, a URC, an error or noise.
 * The invariants are modem_fake.h's, checked after every step.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "modem_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STEPS_MAX 2000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake f;
	const uint8_t *end = data + size;
	const uint8_t *p;
	unsigned steps = 0;

	if (size == 0)
		return 0;
	fake_start(&f, data[0]);
	for (p = data + 1; p <= end && steps < STEPS_MAX; steps++) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		if (n == 0) {
			if (!fake_answer_canned(&f))
				fake_advance(&f);
		} else if (n == 1 && p[0] == '.') {
			fake_advance(&f);
		} else if (n == 1 && (p[0] == '+' || p[0] == '*')) {
			if (p[0] == '*')
				fake_send(&f, true);
			fake_send(&f, false);
		} else if (n == 1 && p[0] == '?') {
			fake_person_command(&f);
		} else if (n == 1 && p[0] == '~') {
			fake_replug(&f);
		} else {
			fake_feed(&f, p, n);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	/* the modem falls silent: what is in flight times out and the driver settles */
	for (int i = 0; i < 8; i++)
		fake_advance(&f);
	fake_finish(&f);
	return 0;
}
