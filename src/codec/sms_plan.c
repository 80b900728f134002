/*
 * Choosing how a text goes out: GSM 7-bit under the table pair (default or
 * an allowed national language, TS 23.038 6.2.1.2) that needs the fewest
 * segments, else UCS-2; and counting segments the way carriers bill them,
 * with characters never split across segments.
 */
#include <errno.h>
#include <string.h>

#include "parley/gsm7.h"
#include "parley/sms_submit.h"
#include "sms_layout.h"
#include "text_chars.h"

/* Segments and fill of one candidate encoding, filled greedily char by char. */
struct tally {
	bool alive;
	unsigned units;     /* in all */
	unsigned segments;  /* when split with concatenation headers */
	unsigned used;      /* in the last of those segments */
	unsigned cap_multi; /* units per segment when split */
	unsigned cap_single;
};

static void tally_start(struct tally *t, enum sms_coding coding, bool concat16,
			unsigned locking, unsigned single)
{
	t->alive = true;
	t->units = t->used = 0;
	t->segments = 1;
	t->cap_single = sms_layout_capacity(coding, sms_layout_udh_octets(false, false, locking, single));
	t->cap_multi = sms_layout_capacity(coding, sms_layout_udh_octets(true, concat16, locking, single));
}

static inline void tally_add(struct tally *t, unsigned cost)
{
	t->units += cost;
	if (t->used + cost > t->cap_multi) {
		t->segments++;
		t->used = cost;
	} else {
		t->used += cost;
	}
}

/* Segments this tally needs, and the units free in its last segment. */
static unsigned tally_segments(const struct tally *t, unsigned *left, unsigned *per)
{
	if (t->units <= t->cap_single) {
		*left = t->cap_single - t->units;
		*per = t->cap_single;
		return 1;
	}
	*left = t->cap_multi - t->used;
	*per = t->cap_multi;
	return t->segments;
}

struct candidates {
	unsigned nlock, nsingle;
	uint8_t lock[GSM7_LANG_COUNT], single[GSM7_LANG_COUNT];
	struct tally gsm[GSM7_LANG_COUNT][GSM7_LANG_COUNT];
};

static void candidates_init(struct candidates *c, const struct sms_submit_opts *o)
{
	c->nlock = c->nsingle = 0;
	c->lock[c->nlock++] = GSM7_LANG_DEFAULT;
	c->single[c->nsingle++] = GSM7_LANG_DEFAULT;
	for (unsigned l = 1; l < GSM7_LANG_COUNT; l++) {
		if (!(o->allowed_langs & GSM7_LANG_BIT(l)))
			continue;
		if (gsm7_locking_table(l))
			c->lock[c->nlock++] = (uint8_t)l;
		c->single[c->nsingle++] = (uint8_t)l;
	}
	for (unsigned i = 0; i < c->nlock; i++)
		for (unsigned j = 0; j < c->nsingle; j++)
			tally_start(&c->gsm[i][j], SMS_CODING_GSM7, o->concat16, c->lock[i],
				    c->single[j]);
}

/* Adds one character to every candidate; returns how many remain. */
static unsigned candidates_add(struct candidates *c, uint32_t cp)
{
	bool in_lock[GSM7_LANG_COUNT], in_single[GSM7_LANG_COUNT];
	unsigned alive = 0;
	uint8_t tmp[2];

	for (unsigned i = 0; i < c->nlock; i++)
		in_lock[i] = gsm7_encode_char(cp, c->lock[i], GSM7_LANG_COUNT, tmp) == 1;
	for (unsigned j = 0; j < c->nsingle; j++)
		in_single[j] = gsm7_encode_char(cp, GSM7_LANG_COUNT, c->single[j], tmp) == 2;
	for (unsigned i = 0; i < c->nlock; i++) {
		for (unsigned j = 0; j < c->nsingle; j++) {
			struct tally *t = &c->gsm[i][j];
			if (!t->alive)
				continue;
			if (in_lock[i])
				tally_add(t, 1);
			else if (in_single[j])
				tally_add(t, 2);
			else
				t->alive = false;
			alive += t->alive;
		}
	}
	return alive;
}

static void plan_fill(struct sms_plan *p, enum sms_coding coding, unsigned locking,
		      unsigned single, const struct tally *t)
{
	p->coding = coding;
	p->locking_lang = (uint8_t)locking;
	p->single_lang = (uint8_t)single;
	p->units = t->units;
	p->segments = tally_segments(t, &p->left, &p->per_segment);
}

static void plan_octets(size_t len, const struct sms_submit_opts *o, struct sms_plan *plan)
{
	struct tally bytes;

	tally_start(&bytes, SMS_CODING_8BIT, o->concat16, 0, 0);
	/* octets are data, not characters: any split will do */
	for (size_t i = 0; i < len; i++)
		tally_add(&bytes, 1);
	plan_fill(plan, SMS_CODING_8BIT, 0, 0, &bytes);
	plan->chars = (unsigned)len;
}

static int plan_ucs2(const char *text, size_t len, const struct sms_submit_opts *o, bool smart,
		     struct sms_plan *plan)
{
	struct text_chars it;
	struct tally t;
	uint32_t cp;
	int r;

	tally_start(&t, SMS_CODING_UCS2, o->concat16, 0, 0);
	text_chars_init(&it, text, len, smart);
	plan->chars = 0;
	while ((r = text_chars_next(&it, &cp)) > 0) {
		plan->chars++;
		tally_add(&t, utf16_units(cp));
	}
	if (r < 0)
		return -EINVAL;
	plan_fill(plan, SMS_CODING_UCS2, 0, 0, &t);
	plan->smart_used = it.replaced;
	return 0;
}

/*
 * GSM 7-bit under the best table pair. Returns 1 when some pair holds the
 * whole text, 0 when none does (the walk stops at the first such
 * character), -EINVAL on bad UTF-8.
 */
static int plan_gsm7(const char *text, size_t len, const struct sms_submit_opts *o, bool smart,
		     struct sms_plan *plan)
{
	struct candidates c;
	struct text_chars it;
	uint32_t cp;
	uint8_t tmp[2];
	int r;

	candidates_init(&c, o);
	text_chars_init(&it, text, len, smart);
	if (c.nlock == 1 && c.nsingle == 1) {
		/* the common case, default alphabet only: one candidate, no table scans */
		struct tally *t = &c.gsm[0][0];
		while ((r = text_chars_next(&it, &cp)) > 0) {
			int k = gsm7_encode_char(cp, 0, 0, tmp);
			if (k == 0)
				return 0;
			plan->chars++;
			tally_add(t, (unsigned)k);
		}
	} else {
		while ((r = text_chars_next(&it, &cp)) > 0) {
			if (candidates_add(&c, cp) == 0)
				return 0;
			plan->chars++;
		}
	}
	if (r < 0)
		return -EINVAL;
	plan->smart_used = it.replaced;

	/*
	 * Fewest segments; on a tie the fewest language elements, default
	 * first. GSM 7-bit always beats UCS-2 when it fits: even at two septets
	 * a character it carries more per segment (146 / 2 > 67).
	 */
	unsigned best_segments = ~0u, best_ies = 3;
	for (unsigned i = 0; i < c.nlock; i++) {
		for (unsigned j = 0; j < c.nsingle; j++) {
			const struct tally *t = &c.gsm[i][j];
			unsigned left, per, segs, ies;
			if (!t->alive)
				continue;
			segs = tally_segments(t, &left, &per);
			ies = (c.lock[i] != 0) + (c.single[j] != 0);
			if (segs < best_segments || (segs == best_segments && ies < best_ies)) {
				best_segments = segs;
				best_ies = ies;
				plan_fill(plan, SMS_CODING_GSM7, c.lock[i], c.single[j], t);
			}
		}
	}
	return 1;
}

/* The best plan for one way of walking the text; -EINVAL on bad UTF-8. */
static int plan_walk(const char *text, size_t len, const struct sms_submit_opts *o, bool smart,
		     struct sms_plan *plan)
{
	int r;

	memset(plan, 0, sizeof(*plan));
	if (o->encoding == SMS_ENCODING_8BIT) {
		plan_octets(len, o, plan);
		return 0;
	}
	if (o->encoding == SMS_ENCODING_AUTO) {
		r = plan_gsm7(text, len, o, smart, plan);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return plan_ucs2(text, len, o, smart, plan);
}

int sms_plan_text(const char *text, size_t len, const struct sms_submit_opts *opts,
		  struct sms_plan *plan, const char **reason)
{
	int r = plan_walk(text, len, opts, false, plan);

	if (r == 0 && opts->smart && plan->coding == SMS_CODING_UCS2 &&
	    opts->encoding == SMS_ENCODING_AUTO) {
		struct sms_plan smart;
		/* look-alikes are replaced only when that keeps the text in GSM 7-bit */
		if (plan_walk(text, len, opts, true, &smart) == 0 &&
		    smart.coding == SMS_CODING_GSM7)
			*plan = smart;
	}
	if (r < 0) {
		if (reason)
			*reason = "text is not valid UTF-8";
		return -EINVAL;
	}
	if (plan->segments > SMS_SEGMENTS_MAX) {
		if (reason)
			*reason = "text needs more than 255 segments";
		return -EMSGSIZE;
	}
	return 0;
}
