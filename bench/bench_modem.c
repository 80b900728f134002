/*
 * Messages per second through the modem driver into tools/modemsim at an
 * emulated 115200 baud with no command latency, next to the limit that the
 * bytes on the line allow. AT+CMGS is a dialogue (command, prompt, PDU,
 * answer), so the limit counts the bytes both ways of each exchange:
 * 10 bits per byte (8N1) at the line rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/sim_harness.h"

#define MESSAGES 200
#define BAUD 115200
#define GOAL_PERCENT 95.0

static const char text[] =
	"Your order 1042 has shipped. Track it at example.com/t/1042. Reply STOP to opt out.";

int main(void)
{
	struct sim s;
	struct link l;
	uint64_t start, elapsed;
	unsigned out0, in0;

	if (sim_start(&s, "sim800", "--baud", "115200") < 0)
		return 1;
	if (link_start(&l, &s, "sim800", NULL) < 0 || !link_wait_ready(&l, 15000)) {
		sim_stop_all();
		return 1;
	}
	out0 = l.bytes_out;
	in0 = l.bytes_in;
	start = now_ms();
	for (int i = 0; i < MESSAGES; i++)
		if (link_send_text(&l, "+447700900123", text, false, 0) != 1) {
			sim_stop_all();
			return 1;
		}
	if (!link_pump(&l, link_got_sent, MESSAGES, 120000) || l.sent_ok != MESSAGES) {
		fprintf(stderr, "bench_modem: %d of %d sent\n", l.sent_ok, MESSAGES);
		sim_stop_all();
		return 1;
	}
	elapsed = now_ms() - start;

	double bytes = (double)(l.bytes_out - out0) + (double)(l.bytes_in - in0);
	double per_message = bytes / MESSAGES;
	double limit = (BAUD / 10.0) / per_message;
	double rate = MESSAGES * 1000.0 / (double)elapsed;
	printf("modem: %d messages in %llu ms: %.1f msg/s; line limit at %d baud "
	       "(%.0f bytes a message both ways): %.1f msg/s; %.1f%% of the limit%s\n",
	       MESSAGES, (unsigned long long)elapsed, rate, BAUD, per_message, limit,
	       100.0 * rate / limit, 100.0 * rate / limit >= GOAL_PERCENT ? "" : "  UNDER GOAL (95%)");
	link_stop(&l);
	sim_stop(&s);
	return 0;
}
