/*
 * Codec micro-benchmarks: nanoseconds per SMS-SUBMIT encode, per decode and
 * per plan, for single-segment GSM 7-bit and UCS-2 texts and a 5-segment
 * GSM 7-bit text; then plan and encode again with every national language
 * allowed, where each locking/single table pair is a candidate. The goal is
 * under 1 µs per segment; slower cases are marked OVER GOAL. Each case runs
 * at least BENCH_MIN_NS; every result is checked once before timing and fed
 * to a volatile sink while timed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parley/gsm7.h"
#include "parley/sms.h"
#include "parley/sms_submit.h"

#define BENCH_MIN_NS 200000000ull /* 0.2 s per case */
#define GOAL_NS_PER_SEGMENT 1000.0
#define MULTI_SEGMENTS 5

static volatile unsigned sink;

static char text_gsm160[161];
static char text_gsm765[766];
static char text_ucs2_70[70 * 2 + 1];
static const struct sms_submit_opts opts = {
	.to = "+447700900123",
	.encoding = SMS_ENCODING_AUTO,
	.concat_ref = 42,
};
/* The same with every national language allowed: each table pair is a candidate. */
static const struct sms_submit_opts opts_langs = {
	.to = "+447700900123",
	.encoding = SMS_ENCODING_AUTO,
	.allowed_langs = GSM7_LANG_ALL,
	.concat_ref = 42,
};

static struct sms_pdu pdu_gsm[1], pdu_ucs2[1], pdu_multi[MULTI_SEGMENTS];
static struct sms_pdu scratch[SMS_SEGMENTS_MAX];
static struct sms decoded;

_Noreturn static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench_codec: %s: %s\n", what, why ? why : "failed");
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Repeats a phrase of GSM 7-bit default alphabet characters to n characters. */
static void fill_gsm(char *out, size_t n)
{
	static const char phrase[] = "The quick brown fox jumps over the lazy dog, 0123456789! ";

	for (size_t i = 0; i < n; i++)
		out[i] = phrase[i % (sizeof(phrase) - 1)];
	out[n] = '\0';
}

/* n Cyrillic letters (two UTF-8 octets each): outside GSM 7-bit, so UCS-2. */
static void fill_ucs2(char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned cp = 0x0430 + (unsigned)(i % 32); /* а..я */
		out[2 * i] = (char)(0xC0 | cp >> 6);
		out[2 * i + 1] = (char)(0x80 | (cp & 0x3F));
	}
	out[2 * n] = '\0';
}

static int encode(const char *text, struct sms_pdu *pdus, size_t max)
{
	return sms_submit_encode(text, strlen(text), &opts, pdus, max, NULL, NULL);
}

/* Encodes once and checks the segment count and coding. */
static void prepare(const char *name, const char *text, struct sms_pdu *pdus, int segments,
		    enum sms_coding coding)
{
	struct sms_plan plan;
	const char *reason = NULL;
	int n = sms_submit_encode(text, strlen(text), &opts, pdus, (size_t)segments, &plan,
				  &reason);

	if (n < 0)
		die(name, reason ? reason : strerror(-n));
	if (n != segments)
		die(name, "unexpected segment count");
	if (plan.coding != coding)
		die(name, "unexpected coding");
	for (int i = 0; i < n; i++) {
		if (sms_decode(pdus[i].data, pdus[i].len, SMS_DECODE_SMSC, &decoded, &reason))
			die(name, reason);
	}
}

static void run_encode_gsm160(void)
{
	int n = encode(text_gsm160, scratch, SMS_SEGMENTS_MAX);

	if (n != 1)
		die("encode gsm7 160", "encode failed");
	sink += scratch[0].data[scratch[0].len - 1];
}

static void run_decode_gsm160(void)
{
	if (sms_decode(pdu_gsm[0].data, pdu_gsm[0].len, SMS_DECODE_SMSC, &decoded, NULL))
		die("decode gsm7 160", "decode failed");
	sink += decoded.text_len;
}

static void run_encode_ucs2_70(void)
{
	int n = encode(text_ucs2_70, scratch, SMS_SEGMENTS_MAX);

	if (n != 1)
		die("encode ucs2 70", "encode failed");
	sink += scratch[0].data[scratch[0].len - 1];
}

static void run_decode_ucs2_70(void)
{
	if (sms_decode(pdu_ucs2[0].data, pdu_ucs2[0].len, SMS_DECODE_SMSC, &decoded, NULL))
		die("decode ucs2 70", "decode failed");
	sink += decoded.text_len;
}

static void run_encode_multi(void)
{
	int n = encode(text_gsm765, scratch, SMS_SEGMENTS_MAX);

	if (n != MULTI_SEGMENTS)
		die("encode gsm7 765", "encode failed");
	sink += scratch[n - 1].data[scratch[n - 1].len - 1];
}

static void run_decode_multi(void)
{
	for (int i = 0; i < MULTI_SEGMENTS; i++) {
		if (sms_decode(pdu_multi[i].data, pdu_multi[i].len, SMS_DECODE_SMSC, &decoded,
			       NULL))
			die("decode gsm7 765", "decode failed");
		sink += decoded.text_len;
	}
}

static void run_plan_gsm160(void)
{
	struct sms_plan plan;

	if (sms_plan_text(text_gsm160, 160, &opts, &plan, NULL))
		die("plan gsm7 160", "plan failed");
	sink += plan.segments + plan.left;
}

static void run_encode_gsm160_langs(void)
{
	int n = sms_submit_encode(text_gsm160, 160, &opts_langs, scratch, SMS_SEGMENTS_MAX, NULL,
				  NULL);

	if (n != 1)
		die("encode gsm7 160, all languages", "encode failed");
	sink += scratch[0].data[scratch[0].len - 1];
}

static void run_plan_gsm160_langs(void)
{
	struct sms_plan plan;

	if (sms_plan_text(text_gsm160, 160, &opts_langs, &plan, NULL))
		die("plan gsm7 160, all languages", "plan failed");
	sink += plan.segments + plan.left;
}

/* Times fn over enough iterations to last BENCH_MIN_NS; returns ns per call. */
static double time_case(void (*fn)(void))
{
	uint64_t iters = 64, elapsed;

	for (int i = 0; i < 1000; i++) /* warm caches and branch predictors */
		fn();
	for (;;) {
		uint64_t start = now_ns();

		for (uint64_t i = 0; i < iters; i++)
			fn();
		elapsed = now_ns() - start;
		if (elapsed >= BENCH_MIN_NS)
			break;
		/* Aim 20% past the minimum from what this run took. */
		if (elapsed < BENCH_MIN_NS / 100)
			iters *= 100;
		else
			iters = iters * (BENCH_MIN_NS * 12 / 10) / elapsed + 1;
	}
	return (double)elapsed / (double)iters;
}

struct bench_case {
	const char *name;
	void (*fn)(void);
	unsigned segments;
	bool in_goal;      /* the 1 µs goal covers the default alphabet cases */
};

int main(void)
{
	static const struct bench_case cases[] = {
		{ "encode gsm7 160 chars", run_encode_gsm160, 1, true },
		{ "decode gsm7 160 chars", run_decode_gsm160, 1, true },
		{ "encode ucs2 70 chars", run_encode_ucs2_70, 1, true },
		{ "decode ucs2 70 chars", run_decode_ucs2_70, 1, true },
		{ "encode gsm7 765 chars (5 seg)", run_encode_multi, MULTI_SEGMENTS, true },
		{ "decode gsm7 5 segments", run_decode_multi, MULTI_SEGMENTS, true },
		{ "plan gsm7 160 chars", run_plan_gsm160, 1, true },
		{ "encode gsm7 160, all languages", run_encode_gsm160_langs, 1, false },
		{ "plan gsm7 160, all languages", run_plan_gsm160_langs, 1, false },
	};
	bool over = false;

	fill_gsm(text_gsm160, 160);
	fill_gsm(text_gsm765, 765);
	fill_ucs2(text_ucs2_70, 70);
	prepare("encode gsm7 160", text_gsm160, pdu_gsm, 1, SMS_CODING_GSM7);
	prepare("encode ucs2 70", text_ucs2_70, pdu_ucs2, 1, SMS_CODING_UCS2);
	prepare("encode gsm7 765", text_gsm765, pdu_multi, MULTI_SEGMENTS, SMS_CODING_GSM7);

	printf("%-32s %12s %14s\n", "case", "ns/op", "ns/segment");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double ns = time_case(cases[i].fn);
		double per_seg = ns / cases[i].segments;
		bool slow = per_seg > GOAL_NS_PER_SEGMENT;

		over |= slow && cases[i].in_goal;
		printf("%-32s %12.1f %14.1f%s\n", cases[i].name, ns, per_seg,
		       !cases[i].in_goal ? "  (outside the goal: 13 tables scanned a character)"
		       : slow ? "  OVER GOAL" : "");
	}
	printf("goal: under %.0f ns per segment%s\n", GOAL_NS_PER_SEGMENT,
	       over ? " (missed)" : " (met)");
	return 0;
}
