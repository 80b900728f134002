/*
 * Keyword matching for consent (CTIA Messaging Principles: STOP and its
 * synonyms, START, HELP; Canadian French and Spanish equivalents). The
 * lists are data; matching is on the normalised text (keywords_normalise).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/keywords.h"
#include "parley/utf8.h"

#define EXTRA_MAX 64

static const char *const builtin_opt_out[] = {
	"STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "UNSUB", "CANCEL", "END", "QUIT", "REVOKE",
	"OPTOUT", "OPT OUT", "REMOVE",
	"ARRET",                                   /* Canadian French */
	"ALTO", "BAJA", "PARAR", "CANCELAR",       /* Spanish; never ALTA, which subscribes */
};
static const char *const builtin_opt_in[] = { "START", "UNSTOP", "YES" };
static const char *const builtin_help[] = { "HELP", "INFO", "AIDE", "AYUDA" };

/*
 * Word sequences that read as a request to stop. Matched on word
 * boundaries anywhere in the message; those starting with STOP are skipped
 * after a negation ("don't stop texting"), and those ending with STOP
 * before a word of visiting ("please stop by").
 */
static const char *const suspected_phrases[] = {
	"STOP TEXTING", "STOP TEXT", "STOP SENDING", "STOP MESSAGING", "STOP MESSAGES",
	"STOP CONTACTING", "STOP THE TEXTS", "STOP THESE", "STOP THIS", "STOP IT", "STOP NOW",
	"STOP PLEASE", "PLEASE STOP", "REMOVE ME", "TAKE ME OFF", "OFF YOUR LIST", "OFF THE LIST",
	"NO MORE TEXTS", "NO MORE TEXT", "NO MORE MESSAGES", "NO MORE SMS", "DONT TEXT ME",
	"DO NOT TEXT", "DONT MESSAGE ME", "DONT CONTACT ME", "DO NOT CONTACT", "UNSUBSCRIBE ME",
	"OPT ME OUT", "LEAVE ME ALONE", "WANT TO UNSUBSCRIBE", "STOP ENVOYER", "ARRETEZ",
	"DEJEN DE ENVIAR", "NO ME ENVIEN", "NO MAS MENSAJES",
	/* Spanish and French with the pronoun attached or before the verb: "dejen de enviarme",
	 * "darme de baja", "arrête de m'envoyer" (apostrophes join), "me désabonner" */
	"DEJEN DE ENVIARME", "DEJA DE ENVIARME", "DARME DE BAJA", "DENME DE BAJA",
	"ARRETE DE MENVOYER", "ME DESABONNER",
};

/* Words that keep a following STOP from being a request ("don't stop"). */
static const char *const negations[] = { "DONT", "NOT", "NEVER", "CANT", "WONT" };
/* Words after STOP that mean visiting, not stopping ("stop by", "stop in"). */
static const char *const visiting[] = { "BY", "IN", "OVER", "AT", "AROUND", "PAST", "HERE", "THERE" };
/*
 * Opt-out words that start a request on their own ("STOP thanks",
 * "Unsubscribe please", "Opt out please"); not CANCEL, END or REMOVE, which
 * start ordinary sentences ("cancel my order", "end of the week"). Two-word
 * entries are tried first.
 */
static const char *const leading_words[] = {
	"OPT OUT", "STOP", "STOPALL", "UNSUBSCRIBE", "UNSUB", "OPTOUT", "REVOKE", "ARRET", "ALTO", "BAJA",
	"PARAR",
};
#define LEADING_MAX_WORDS 4

struct extra {
	enum keyword_kind kind;
	char word[KEYWORD_TEXT_MAX];
};

struct keywords {
	size_t nextra;
	struct extra extra[EXTRA_MAX];
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *keyword_kind_name(enum keyword_kind k)
{
	switch (k) {
	case KEYWORD_NONE: return "none";
	case KEYWORD_OPT_OUT: return "opt-out";
	case KEYWORD_OPT_IN: return "opt-in";
	case KEYWORD_HELP: return "help";
	case KEYWORD_SUSPECTED_OPT_OUT: return "suspected-opt-out";
	}
	return "none";
}

/* ---- normalising ---- */

/* U+00C0..U+00FF and U+0100..U+017F to their base letter; ' ' for the two signs. */
static const char latin1_base[] = "AAAAAAACEEEEIIIIDNOOOOO OUUUUYTSAAAAAAACEEEEIIIIDNOOOOO OUUUUYTY";
static const char extended_a_base[] =
	"AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIIIIIJJKKKLLLLLLLLLLNNNNNNNNNOOOOOOOO"
	"RRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";

#define FOLD_SEPARATOR 0    /* punctuation, spaces, symbols, emoji: one space between words */
#define FOLD_INVISIBLE (-1) /* joins the letters either side: combining accents, zero-width signs */

/*
 * The folded form of cp: an upper-case ASCII letter or digit, another
 * script's letter in upper case (kept when it has no case or no mapping
 * here), FOLD_SEPARATOR or FOLD_INVISIBLE. ß is the caller's (it folds to
 * two letters).
 */
static int32_t fold(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return (int32_t)(cp - 32);
	if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
		return (int32_t)cp;
	if (cp == 0xAD)
		return FOLD_INVISIBLE; /* soft hyphen: "UN\u00ADSUBSCRIBE" is one word */
	if (cp < 0xC0)
		return FOLD_SEPARATOR; /* ASCII punctuation, controls, Latin-1 signs */
	if (cp <= 0xFF)
		return latin1_base[cp - 0xC0] == ' ' ? FOLD_SEPARATOR : latin1_base[cp - 0xC0];
	if (cp <= 0x17F)
		return extended_a_base[cp - 0x100];
	/* combining diacritical marks: a decomposed (NFD) Ê is E + U+0302, folded like Ê */
	if (cp >= 0x300 && cp <= 0x36F)
		return FOLD_INVISIBLE;
	/* Cyrillic lower case to upper case (operators' words); Ё read as Е, as Russian writers do */
	if (cp == 0x401 || cp == 0x451)
		return 0x415;
	if (cp >= 0x430 && cp <= 0x44F)
		return (int32_t)(cp - 0x20);
	if (cp >= 0x450 && cp <= 0x45F)
		return (int32_t)(cp - 0x50);
	/* zero-width space, non-joiner, joiner, word joiner, byte order mark */
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
		return FOLD_INVISIBLE;
	/* full-width ASCII (ＳＴＯＰ！) is ASCII (its compatibility decomposition) */
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return fold(cp - 0xFEE0);
	/* general punctuation, symbols, arrows, dingbats, emoji, variation selectors, emoji tags */
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	    (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0x3000 || (cp >= 0xE0000 && cp <= 0xE007F))
		return FOLD_SEPARATOR;
	return (int32_t)cp; /* other scripts: kept, so they at least never match a Latin keyword */
}

/*
 * Normalises text[0..len) into out (see keywords_normalise); *used is how
 * many bytes of text were read before out was full (len when all fitted).
 */
static size_t normalise(const char *text, size_t len, char *out, size_t size, size_t *used)
{
	size_t pos = 0, n = 0;
	bool space = false;

	*used = 0;
	if (size == 0)
		return 0;
	while (pos < len) {
		size_t start = pos;
		int32_t cp = utf8_next(text, len, &pos);
		char folded[8];
		size_t need = 0;

		if (cp < 0) {
			cp = (unsigned char)text[start]; /* not UTF-8: read the byte as Latin-1 */
			pos = start + 1;
		}
		/* apostrophes join: "don't" is DONT */
		if (cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC)
			continue;
		if (cp == 0xDF || cp == 0x1E9E) {
			/* ß and ẞ fold to SS (Unicode full case folding): "Schluß" is SCHLUSS */
			memcpy(folded, "SS", 2);
			need = 2;
		} else {
			int32_t f = fold((uint32_t)cp);
			if (f == FOLD_INVISIBLE)
				continue;
			if (f == FOLD_SEPARATOR) {
				space = n > 0;
				continue;
			}
			utf8_put(folded, sizeof(folded), &need, (uint32_t)f);
		}
		if (n + (space ? 1 : 0) + need + 1 > size) {
			pos = start;
			break;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		memcpy(out + n, folded, need);
		n += need;
	}
	out[n] = '\0';
	*used = pos;
	return n;
}

size_t keywords_normalise(const char *text, char *out, size_t size)
{
	size_t used;

	return normalise(text, strlen(text), out, size, &used);
}

/* ---- matching ---- */

static bool in_list(const char *const *list, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], word) == 0)
			return true;
	return false;
}

/* The word of norm that starts at *p, copied into w; advances *p. False at the end. */
static bool next_word(const char **p, char *w, size_t size)
{
	size_t n = 0;

	while (**p == ' ')
		(*p)++;
	if (!**p)
		return false;
	while (**p && **p != ' ') {
		if (n + 1 < size)
			w[n++] = **p;
		(*p)++;
	}
	w[n] = '\0';
	return true;
}

static void set_match(struct keyword_match *m, enum keyword_kind kind, const char *word)
{
	if (!m)
		return;
	m->kind = kind;
	size_t n = strlen(word);
	if (n >= sizeof(m->keyword))
		n = sizeof(m->keyword) - 1;
	memcpy(m->keyword, word, n);
	m->keyword[n] = '\0';
}

static enum keyword_kind exact(const struct keywords *kw, const char *norm, const char **word)
{
	static const struct {
		const char *const *list;
		size_t n;
		enum keyword_kind kind;
	} lists[] = {
		{ builtin_opt_out, COUNT(builtin_opt_out), KEYWORD_OPT_OUT },
		{ builtin_opt_in, COUNT(builtin_opt_in), KEYWORD_OPT_IN },
		{ builtin_help, COUNT(builtin_help), KEYWORD_HELP },
	};

	for (size_t l = 0; l < COUNT(lists); l++)
		for (size_t i = 0; i < lists[l].n; i++)
			if (strcmp(norm, lists[l].list[i]) == 0) {
				*word = lists[l].list[i];
				return lists[l].kind;
			}
	for (size_t i = 0; kw && i < kw->nextra; i++)
		if (strcmp(norm, kw->extra[i].word) == 0) {
			*word = kw->extra[i].word;
			return kw->extra[i].kind;
		}
	return KEYWORD_NONE;
}

/* Whether phrase occurs in norm on word boundaries, outside the guards. */
static bool phrase_found(const char *norm, const char *phrase)
{
	size_t plen = strlen(phrase);

	for (const char *at = strstr(norm, phrase); at; at = strstr(at + 1, phrase)) {
		const char *after = at + plen;
		if ((at != norm && at[-1] != ' ') || (*after && *after != ' '))
			continue;
		if (strncmp(phrase, "STOP", 4) == 0 && at != norm) {
			/* the word before: "don't stop texting" asks for more, not less */
			const char *q = at - 1, *start;
			char prev[16];
			while (q > norm && q[-1] != ' ')
				q--;
			start = q;
			size_t n = (size_t)(at - 1 - start);
			if (n < sizeof(prev)) {
				memcpy(prev, start, n);
				prev[n] = '\0';
				if (in_list(negations, COUNT(negations), prev))
					continue;
			}
		}
		if (plen >= 4 && strcmp(phrase + plen - 4, "STOP") == 0 && *after) {
			char next[16];
			const char *p = after;
			if (next_word(&p, next, sizeof(next)) && in_list(visiting, COUNT(visiting), next))
				continue;
		}
		return true;
	}
	return false;
}

/* The entry of list equal to word, or NULL. */
static const char *listed(const char *const *list, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], word) == 0)
			return list[i];
	return NULL;
}

/*
 * The leading keyword (one word, or two: "OPT OUT") of a short message that
 * starts with an opt-out word and is not about visiting ("stop by"); NULL
 * otherwise.
 */
static const char *leading_request(const char *norm)
{
	const char *p = norm, *after_first, *found = NULL;
	char first[32], next[32], two[64];
	int words = 1;

	if (!next_word(&p, first, sizeof(first)))
		return NULL;
	after_first = p;
	if (next_word(&p, next, sizeof(next))) {
		snprintf(two, sizeof(two), "%s %s", first, next);
		if ((found = listed(leading_words, COUNT(leading_words), two)))
			words = 2;
	}
	if (!found) {
		found = listed(leading_words, COUNT(leading_words), first);
		p = after_first;
	}
	if (!found)
		return NULL;
	if (next_word(&p, next, sizeof(next))) {
		if (in_list(visiting, COUNT(visiting), next))
			return NULL;
		words++;
		while (next_word(&p, next, sizeof(next)))
			words++;
	}
	/* "STOP thanks" is a request; a long sentence that starts with Stop is a sentence */
	return words <= LEADING_MAX_WORDS ? found : NULL;
}

/*
 * An opt-out keyword alone on the first line, with more after it: "STOP"
 * above a phone's signature ("Sent from my iPhone") or a quoted message.
 * Only suspected: the rest of the text might change its meaning.
 */
static const char *first_line_opt_out(const struct keywords *kw, const char *text)
{
	const char *nl;
	char norm[KEYWORD_TEXT_MAX];
	const char *word = NULL;
	size_t used;

	while (*text == '\r' || *text == '\n' || *text == ' ' || *text == '\t')
		text++;
	nl = strpbrk(text, "\r\n");
	if (!nl || (size_t)(nl - text) >= sizeof(norm))
		return NULL;
	normalise(text, (size_t)(nl - text), norm, sizeof(norm), &used);
	return exact(kw, norm, &word) == KEYWORD_OPT_OUT ? word : NULL;
}

/* The first suspected phrase found in norm, or NULL. */
static const char *suspected_phrase(const char *norm)
{
	for (size_t i = 0; i < COUNT(suspected_phrases); i++)
		if (phrase_found(norm, suspected_phrases[i]))
			return suspected_phrases[i];
	return NULL;
}

/*
 * A text longer than the normalising buffer is read on in windows for the
 * suspected phrases ("... a long complaint. Please stop texting me"). Each
 * window starts this many bytes before the previous one ended, after a
 * space, so that a phrase and the word before it (the negation guard) are
 * never cut. A window reads at least half its size in bytes, so it moves on.
 */
#define NORM_SIZE 1024
#define WINDOW_OVERLAP_BYTES 256

enum keyword_kind keywords_classify(const struct keywords *kw, const char *text,
				    struct keyword_match *match)
{
	char norm[NORM_SIZE];
	const char *word = NULL;
	enum keyword_kind kind;
	size_t len, used;

	set_match(match, KEYWORD_NONE, "");
	if (!text)
		return KEYWORD_NONE;
	len = strlen(text);
	normalise(text, len, norm, sizeof(norm), &used);
	kind = exact(kw, norm, &word);
	if (kind != KEYWORD_NONE) {
		set_match(match, kind, word);
		return kind;
	}
	if ((word = suspected_phrase(norm)) || (word = leading_request(norm)) ||
	    (word = first_line_opt_out(kw, text))) {
		set_match(match, KEYWORD_SUSPECTED_OPT_OUT, word);
		return KEYWORD_SUSPECTED_OPT_OUT;
	}
	for (size_t at = used; at < len;) {
		size_t from = at - WINDOW_OVERLAP_BYTES; /* at >= NORM_SIZE / 2 */

		while (from < at && !strchr(" \t\r\n", text[from]))
			from++;
		normalise(text + from, len - from, norm, sizeof(norm), &used);
		if ((word = suspected_phrase(norm))) {
			set_match(match, KEYWORD_SUSPECTED_OPT_OUT, word);
			return KEYWORD_SUSPECTED_OPT_OUT;
		}
		if (from + used <= at)
			break; /* cannot happen (see above); never loop for ever */
		at = from + used;
	}
	return KEYWORD_NONE;
}

struct keywords *keywords_new(void)
{
	return calloc(1, sizeof(struct keywords));
}

void keywords_free(struct keywords *kw)
{
	free(kw);
}

int keywords_add(struct keywords *kw, enum keyword_kind kind, const char *word)
{
	char norm[KEYWORD_TEXT_MAX + 1];
	const char *existing = NULL;
	enum keyword_kind have;

	if (!kw || !word || (kind != KEYWORD_OPT_OUT && kind != KEYWORD_OPT_IN && kind != KEYWORD_HELP))
		return -EINVAL;
	if (keywords_normalise(word, norm, sizeof(norm)) == 0 || strlen(norm) >= KEYWORD_TEXT_MAX)
		return -EINVAL;
	have = exact(kw, norm, &existing);
	if (have == kind)
		return 0;
	if (have != KEYWORD_NONE)
		return -EEXIST;
	/*
	 * Nor may an opt-in or help word turn what the built-in rules read as a
	 * request to stop ("stop now", "unsubscribe me") into something else:
	 * exact matches are tried before the phrases.
	 */
	if (kind != KEYWORD_OPT_OUT) {
		have = keywords_classify(NULL, norm, NULL);
		if (have == KEYWORD_OPT_OUT || have == KEYWORD_SUSPECTED_OPT_OUT)
			return -EEXIST;
	}
	if (kw->nextra == EXTRA_MAX)
		return -ENOMEM;
	kw->extra[kw->nextra].kind = kind;
	memcpy(kw->extra[kw->nextra].word, norm, strlen(norm) + 1);
	kw->nextra++;
	return 0;
}
