/*
 * Consent keywords: one table of inbound texts with the outcome each must
 * have (exact keywords in every case and language, punctuation, emoji,
 * phrases, and the false positives that matter), plus normalising and the
 * operator's own keywords.
 *
 * Non-ASCII is written as UTF-8 byte escapes, with the text in a comment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "parley/keywords.h"

#define OUT KEYWORD_OPT_OUT
#define IN KEYWORD_OPT_IN
#define HELP KEYWORD_HELP
#define SUSP KEYWORD_SUSPECTED_OPT_OUT
#define NONE KEYWORD_NONE

/* The table runs against these operator words (German, Russian) on top of the built-ins. */
static const struct {
	enum keyword_kind kind;
	const char *word;
} operator_words[] = {
	{ OUT, "STOPP" }, { OUT, "Abmelden" }, { OUT, "Schluss" }, { IN, "ANMELDEN" }, { HELP, "Hilfe" },
	{ OUT, "\xD0\xA1\xD1\x82\xD0\xBE\xD0\xBF" }, /* Стоп */
};

static struct keywords *kw;

/* Filled in by inbound_texts before the table is read (5,000 bytes each). */
#define LONG_LEN 5000
static char long_benign[LONG_LEN + 1], long_stop_spaces[LONG_LEN + 1], long_one_word[LONG_LEN + 1],
	long_request_at_end[LONG_LEN + 1], long_request_at_1k[LONG_LEN + 1], long_negated_at_1k[LONG_LEN + 1];

struct row {
	const char *text;
	enum keyword_kind want;
	const char *keyword; /* the match's normalised keyword or phrase; NULL: not checked */
};

static const struct row rows[] = {
	/* ---- every built-in keyword in upper, lower and mixed case ---- */
	{ "STOP", OUT, "STOP" }, { "stop", OUT, "STOP" }, { "Stop", OUT, "STOP" },
	{ "STOPALL", OUT, "STOPALL" }, { "stopall", OUT, "STOPALL" }, { "StopAll", OUT, "STOPALL" },
	{ "STOP ALL", OUT, "STOP ALL" }, { "stop all", OUT, "STOP ALL" }, { "Stop All", OUT, "STOP ALL" },
	{ "UNSUBSCRIBE", OUT, "UNSUBSCRIBE" }, { "unsubscribe", OUT, "UNSUBSCRIBE" },
	{ "UnSubscribe", OUT, "UNSUBSCRIBE" },
	{ "UNSUB", OUT, "UNSUB" }, { "unsub", OUT, "UNSUB" }, { "Unsub", OUT, "UNSUB" },
	{ "CANCEL", OUT, "CANCEL" }, { "cancel", OUT, "CANCEL" }, { "Cancel", OUT, "CANCEL" },
	{ "END", OUT, "END" }, { "end", OUT, "END" }, { "End", OUT, "END" },
	{ "QUIT", OUT, "QUIT" }, { "quit", OUT, "QUIT" }, { "Quit", OUT, "QUIT" },
	{ "REVOKE", OUT, "REVOKE" }, { "revoke", OUT, "REVOKE" }, { "Revoke", OUT, "REVOKE" },
	{ "OPTOUT", OUT, "OPTOUT" }, { "optout", OUT, "OPTOUT" }, { "OptOut", OUT, "OPTOUT" },
	{ "OPT-OUT", OUT, "OPT OUT" }, { "opt-out", OUT, "OPT OUT" }, { "Opt-Out", OUT, "OPT OUT" },
	{ "OPT OUT", OUT, "OPT OUT" }, { "opt out", OUT, "OPT OUT" }, { "Opt Out", OUT, "OPT OUT" },
	{ "REMOVE", OUT, "REMOVE" }, { "remove", OUT, "REMOVE" }, { "Remove", OUT, "REMOVE" },
	{ "ARRET", OUT, "ARRET" }, { "arret", OUT, "ARRET" }, { "Arret", OUT, "ARRET" },
	{ "ALTO", OUT, "ALTO" }, { "alto", OUT, "ALTO" }, { "Alto", OUT, "ALTO" },
	{ "BAJA", OUT, "BAJA" }, { "baja", OUT, "BAJA" }, { "Baja", OUT, "BAJA" },
	{ "PARAR", OUT, "PARAR" }, { "parar", OUT, "PARAR" }, { "Parar", OUT, "PARAR" },
	{ "CANCELAR", OUT, "CANCELAR" }, { "cancelar", OUT, "CANCELAR" }, { "Cancelar", OUT, "CANCELAR" },
	{ "START", IN, "START" }, { "start", IN, "START" }, { "Start", IN, "START" },
	{ "UNSTOP", IN, "UNSTOP" }, { "unstop", IN, "UNSTOP" }, { "UnStop", IN, "UNSTOP" },
	{ "YES", IN, "YES" }, { "yes", IN, "YES" }, { "Yes", IN, "YES" },
	{ "HELP", HELP, "HELP" }, { "help", HELP, "HELP" }, { "Help", HELP, "HELP" },
	{ "INFO", HELP, "INFO" }, { "info", HELP, "INFO" }, { "Info", HELP, "INFO" },
	{ "AIDE", HELP, "AIDE" }, { "aide", HELP, "AIDE" }, { "Aide", HELP, "AIDE" },
	{ "AYUDA", HELP, "AYUDA" }, { "ayuda", HELP, "AYUDA" }, { "Ayuda", HELP, "AYUDA" },

	/* ---- punctuation, whitespace, line breaks, quotes ---- */
	{ "Stop.", OUT, "STOP" }, { " stop!! ", OUT, "STOP" }, { "STOP!!!", OUT, "STOP" },
	{ "stop?", OUT, "STOP" }, { "...stop...", OUT, "STOP" }, { "Unsubscribe!", OUT, "UNSUBSCRIBE" },
	{ "Cancel.", OUT, "CANCEL" }, { "Quit!", OUT, "QUIT" }, { "Opt Out.", OUT, "OPT OUT" },
	{ "Stop-All", OUT, "STOP ALL" }, { "Stop All!", OUT, "STOP ALL" },
	{ "OPT\xE2\x80\x94OUT", OUT, "OPT OUT" },               /* OPT—OUT, em dash */
	{ "opt_out", OUT, "OPT OUT" },
	{ "STOP\n", OUT, "STOP" }, { "\r\nStop\r\n", OUT, "STOP" }, { "\tstop\t", OUT, "STOP" },
	{ "\n\n  STOP  \n", OUT, "STOP" }, { "stop\nall", OUT, "STOP ALL" },
	{ "\xE2\x80\x9CSTOP\xE2\x80\x9D", OUT, "STOP" },        /* “STOP” */
	{ "\xE2\x80\x98stop\xE2\x80\x99", OUT, "STOP" },        /* ‘stop’ */
	{ "\"Stop\"", OUT, "STOP" }, { "'stop'", OUT, "STOP" },
	{ "\xC2\xAB" "ARR\xC3\x8AT \xC2\xBB", OUT, "ARRET" },    /* « ARRÊT » */
	{ "\xC2\xA0STOP\xC2\xA0", OUT, "STOP" },                /* no-break spaces */
	{ "\xE3\x80\x80STOP\xE3\x80\x80", OUT, "STOP" },        /* ideographic spaces */
	{ "\xE2\x80\x8BSTOP\xE2\x80\x8B", OUT, "STOP" },        /* zero-width spaces */
	{ "\xEF\xBB\xBFSTOP", OUT, "STOP" },                    /* byte order mark first */
	{ "ST\xE2\x80\x8BOP", OUT, "STOP" },                    /* zero-width space inside: invisible */
	{ "UN\xC2\xADSUBSCRIBE", OUT, "UNSUBSCRIBE" },          /* soft hyphen: invisible */
	{ "Yes!", IN, "YES" }, { "START.", IN, "START" }, { "Help?", HELP, "HELP" },
	{ "info?", HELP, "INFO" }, { "\xC2\xBF" "Ayuda?", HELP, "AYUDA" }, /* ¿Ayuda? */

	/* ---- emoji ---- */
	{ "STOP \xF0\x9F\x9B\x91", OUT, "STOP" },                         /* STOP 🛑 */
	{ "\xF0\x9F\x9B\x91stop\xF0\x9F\x9B\x91", OUT, "STOP" },          /* 🛑stop🛑 */
	{ "Stop \xF0\x9F\x99\x8F\xF0\x9F\x8F\xBD", OUT, "STOP" },         /* 🙏🏽, skin tone */
	{ "STOP \xE2\x9D\xA4\xEF\xB8\x8F", OUT, "STOP" },                 /* ❤️, variation selector */
	{ "stop \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7", OUT,
	  "STOP" },                                                       /* 👨‍👩‍👧, ZWJ sequence */
	{ "STOP \xF0\x9F\x87\xA8\xF0\x9F\x87\xA6", OUT, "STOP" },         /* 🇨🇦 */
	{ "STOP \xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xA5\xF3\xA0\x81\xAE"
	  "\xF3\xA0\x81\xA7\xF3\xA0\x81\xBF", OUT, "STOP" },             /* England flag: tag characters */
	{ "\xF0\x9F\x98\xA1 UNSUBSCRIBE \xF0\x9F\x98\xA1", OUT, "UNSUBSCRIBE" }, /* 😡 */
	{ "Yes \xF0\x9F\x91\x8D", IN, "YES" },                            /* Yes 👍 */
	{ "help \xF0\x9F\x86\x98", HELP, "HELP" },                        /* help 🆘 */

	/* ---- accents, full width, decomposed forms ---- */
	{ "ARR\xC3\x8AT", OUT, "ARRET" },                                 /* ARRÊT */
	{ "arr\xC3\xAAt", OUT, "ARRET" },                                 /* arrêt */
	{ "Arr\xC3\xAAt.", OUT, "ARRET" },                                /* Arrêt. */
	{ "St\xC3\xB3p?", OUT, "STOP" },                                  /* Stóp? */
	{ "ST\xC3\x96P", OUT, "STOP" },                                   /* STÖP */
	{ "ARRE\xCC\x82T", OUT, "ARRET" },                                /* ARRÊT, Ê decomposed: E + U+0302 */
	{ "Sto\xCC\x81p", OUT, "STOP" },                                  /* Stóp, decomposed */
	{ "\xEF\xBC\xB3\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0", OUT, "STOP" }, /* ＳＴＯＰ, full width */
	{ "\xEF\xBD\x93\xEF\xBD\x94\xEF\xBD\x8F\xEF\xBD\x90\xEF\xBC\x81", OUT, "STOP" }, /* ｓｔｏｐ！ */
	{ "\xEF\xBC\xA8\xEF\xBC\xA5\xEF\xBC\xAC\xEF\xBC\xB0", HELP, "HELP" }, /* ＨＥＬＰ */
	{ "Arr\xEAt", OUT, "ARRET" },                                     /* Arrêt in Latin-1: not UTF-8 */

	/* ---- ALTA subscribes, ALTO stops ---- */
	{ "ALTA", NONE, NULL }, { "alta!", NONE, NULL }, { "Alta", NONE, NULL },
	{ "Dar de alta", NONE, NULL }, { "ALTO!", OUT, "ALTO" },

	/* ---- suspected opt-outs: for an agent to confirm ---- */
	{ "please stop texting me", SUSP, "STOP TEXTING" },
	{ "stop texting me", SUSP, "STOP TEXTING" },
	{ "Remove me from your list", SUSP, "REMOVE ME" },
	{ "no more texts", SUSP, "NO MORE TEXTS" },
	{ "unsubscribe me", SUSP, "UNSUBSCRIBE ME" },
	{ "take me off your list", SUSP, NULL },
	{ "don't text me anymore", SUSP, "DONT TEXT ME" },
	{ "Don\xE2\x80\x99t text me anymore", SUSP, "DONT TEXT ME" },     /* smart apostrophe */
	/* judgement: as a whole text to a business line it is a request to stop; an agent confirms */
	{ "leave me alone", SUSP, "LEAVE ME ALONE" },
	/* a keyword alone on its first line, above a signature or a quote: suspected */
	{ "STOP\n\nSent from my iPhone", SUSP, "STOP" },
	{ "\r\nUnsubscribe\r\n-- \r\nJane Doe, Acme Ltd, 01632 960000", SUSP, "UNSUBSCRIBE" },
	{ "Cancel\n> Your order 1234 ships today", SUSP, "CANCEL" },
	{ "Thanks\nSent from my iPhone", NONE, "" },
	{ "Help\nSent from my iPhone", NONE, "" },
	{ "Please stop.", SUSP, "PLEASE STOP" },
	{ "Stop sending me these", SUSP, "STOP SENDING" },
	{ "STOP IT", SUSP, NULL },
	{ "STOP thanks", SUSP, "STOP" },
	{ "Unsubscribe please", SUSP, "UNSUBSCRIBE" },
	{ "I want to unsubscribe", SUSP, "WANT TO UNSUBSCRIBE" },
	{ "Do not text me again", SUSP, "DO NOT TEXT" },
	{ "Do not contact me", SUSP, "DO NOT CONTACT" },
	{ "opt me out", SUSP, "OPT ME OUT" },
	{ "Opt out please", SUSP, "OPT OUT" },
	{ "opt-out now!", SUSP, "OPT OUT" },
	{ "stop all texts", SUSP, "STOP" },
	{ "No more messages please", SUSP, "NO MORE MESSAGES" },
	{ "STOP \xF0\x9F\x9B\x91 \xF0\x9F\x9B\x91 STOP", SUSP, "STOP" }, /* judgement: not one whole keyword */
	{ "Dejen de enviar mensajes", SUSP, "DEJEN DE ENVIAR" },
	{ "Dejen de enviarme mensajes", SUSP, "DEJEN DE ENVIARME" },
	{ "No me env\xC3\xAD" "en m\xC3\xA1" "s mensajes", SUSP, "NO ME ENVIEN" }, /* No me envíen más mensajes */
	{ "No m\xC3\xA1" "s mensajes", SUSP, "NO MAS MENSAJES" },           /* No más mensajes */
	{ "Quiero darme de baja", SUSP, "DARME DE BAJA" },
	{ "Alto ya", SUSP, "ALTO" },
	{ "Baja por favor", SUSP, "BAJA" },
	{ "Arr\xC3\xAAtez de m'envoyer des messages", SUSP, "ARRETEZ" },  /* Arrêtez de m'envoyer ... */
	{ "Arr\xC3\xAAte de m\xE2\x80\x99" "envoyer des textos", SUSP, "ARRETE DE MENVOYER" },
	{ "Je veux me d\xC3\xA9sabonner", SUSP, "ME DESABONNER" },        /* Je veux me désabonner */
	{ "ARR\xC3\x8AT SVP", SUSP, "ARRET" },                            /* ARRÊT SVP */

	/* ---- must not read as a wish to stop, start or get help ---- */
	{ "don't stop", NONE, NULL },
	{ "Don\xE2\x80\x99t stop!", NONE, NULL },
	{ "Please don't stop texting me, I love the deals", NONE, NULL },
	{ "never stop sending me coupons", NONE, NULL },
	{ "I can't stop laughing", NONE, NULL },
	{ "stop by the store", NONE, NULL },
	{ "Please stop by tomorrow", NONE, NULL },
	{ "I'll stop in later", NONE, NULL },
	{ "Stopped by yesterday", NONE, NULL },
	{ "STOPPING by later", NONE, NULL },
	{ "Where is the bus stop?", NONE, NULL },
	{ "Non-stop flights?", NONE, NULL },
	{ "unstoppable", NONE, NULL },
	{ "Stop worrying, I got the package, it arrived this morning and all is well", NONE, NULL },
	{ "is my order cancelled?", NONE, NULL },
	{ "can I cancel my order?", NONE, NULL },
	/* judgement: CANCEL starts ordinary requests; only the bare word is an opt-out */
	{ "Cancel my order please", NONE, NULL },
	{ "the end of the street", NONE, NULL },
	{ "END of day delivery ok?", NONE, NULL },
	{ "The End", NONE, NULL },
	{ "I want to quit smoking", NONE, NULL },
	{ "remove the item from my cart", NONE, NULL },
	/* judgement: opt-in must be the bare word; "yes please" answers some other question too */
	{ "yes please", NONE, NULL },
	{ "Yes please, Tuesday works", NONE, NULL },
	{ "Restart my subscription", NONE, NULL },
	/* judgement: HELP is whole-message (CTIA); a sentence with "help" is a conversation */
	{ "help me find my order", NONE, NULL },
	{ "Info about my delivery?", NONE, NULL },
	{ "Ayuda con mi pedido", NONE, NULL },
	{ "Aide-moi", NONE, NULL },
	{ "Cancelar mi pedido", NONE, NULL },
	{ "Para ma\xC3\xB1" "ana?", NONE, NULL },                         /* Para mañana? */
	{ "El paquete es muy alto", NONE, NULL },
	{ "l'arr\xC3\xAAt de bus", NONE, NULL },                          /* l'arrêt de bus */
	{ "Thanks!", NONE, NULL }, { "ok", NONE, NULL }, { "No", NONE, NULL },
	{ "", NONE, NULL }, { "   \t\r\n ", NONE, NULL }, { "?!...", NONE, NULL },
	{ "\xF0\x9F\x9B\x91", NONE, NULL },                               /* 🛑 alone: judgement, no word */
	{ "\xF0\x9F\x91\x8D\xF0\x9F\x98\x8A", NONE, NULL },               /* 👍😊 */
	{ "\xFF\xFE\xFD", NONE, NULL },                                   /* not UTF-8 */
	{ "\xC0\xAF\x80", NONE, NULL },                                   /* overlong and stray bytes */
	{ "STOP\x80", OUT, "STOP" },            /* stray C1 byte: read as Latin-1, a control, so ignored */
	{ "\xD0\xA1\xD0\xA2\xD0\x9E\xD0\x9F \xD0\xBF\xD0\xBE\xD0\xB6\xD0\xB0\xD0\xBB\xD1\x83\xD0\xB9"
	  "\xD1\x81\xD1\x82\xD0\xB0", NONE, NULL },                       /* СТОП пожалуйста: operator words are whole */
	{ long_benign, NONE, NULL },
	{ long_one_word, NONE, NULL },
	{ long_stop_spaces, OUT, "STOP" },
	{ long_request_at_end, SUSP, "STOP TEXTING" },
	{ long_request_at_1k, SUSP, "STOP TEXTING" }, /* across the end of the first kilobyte */
	{ long_negated_at_1k, NONE, NULL },           /* "don't stop texting me" there */

	/* ---- the operator's words (operator_words above) ---- */
	{ "STOPP", OUT, "STOPP" }, { "stopp!", OUT, "STOPP" }, { "Stopp \xF0\x9F\x9B\x91", OUT, "STOPP" },
	{ "abmelden", OUT, "ABMELDEN" },
	{ "Schlu\xC3\x9F", OUT, "SCHLUSS" },                              /* Schluß: ß folds to SS */
	{ "ANMELDEN", IN, "ANMELDEN" }, { "Anmelden.", IN, "ANMELDEN" },
	{ "HILFE", HELP, "HILFE" }, { "hilfe?", HELP, "HILFE" },
	{ "\xD0\xA1\xD0\xA2\xD0\x9E\xD0\x9F", OUT, NULL },               /* СТОП */
	{ "\xD1\x81\xD1\x82\xD0\xBE\xD0\xBF!", OUT, NULL },              /* стоп! */
	/* judgement: an operator word acts only as the whole message */
	{ "Hilfe bitte", NONE, NULL },
	{ "Stopp bitte", NONE, NULL },
};

static void fill_long_texts(void)
{
	static const char sentence[] = "my parcel arrived late and the box was damaged, ";
	size_t n = 0;

	while (n < LONG_LEN) {
		size_t k = strlen(sentence) < LONG_LEN - n ? strlen(sentence) : LONG_LEN - n;
		memcpy(long_benign + n, sentence, k);
		n += k;
	}
	long_benign[LONG_LEN] = '\0';
	memset(long_one_word, 'a', LONG_LEN);
	long_one_word[LONG_LEN] = '\0';
	memset(long_stop_spaces, ' ', LONG_LEN);
	memcpy(long_stop_spaces, "STOP", 4);
	long_stop_spaces[LONG_LEN] = '\0';
	/* a long complaint that ends with the request: past the first kilobyte */
	static const char tail[] = " please stop texting me";
	memcpy(long_request_at_end, long_benign, LONG_LEN - strlen(tail));
	memcpy(long_request_at_end + LONG_LEN - strlen(tail), tail, strlen(tail) + 1);
	/* the same astride the end of the first 1,024 normalised bytes (~1,020 out) */
	memcpy(long_request_at_1k, long_benign, LONG_LEN + 1);
	memcpy(long_request_at_1k + 1040, " stop texting me ", 17);
	memcpy(long_negated_at_1k, long_benign, LONG_LEN + 1);
	memcpy(long_negated_at_1k + 1039, " don't stop texting me ", 23);
}

/* Every row of the table, reporting each mismatch before failing. */
static void inbound_texts(void **state)
{
	size_t bad = 0, by_kind[KEYWORD_SUSPECTED_OPT_OUT + 1] = { 0 };
	(void)state;

	fill_long_texts();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct keyword_match m;
		enum keyword_kind got = keywords_classify(kw, rows[i].text, &m);
		bool ok = got == rows[i].want && m.kind == got &&
			  (!rows[i].keyword || strcmp(m.keyword, rows[i].keyword) == 0);

		by_kind[rows[i].want]++;
		if (!ok) {
			char shown[48];
			snprintf(shown, sizeof(shown), "%.40s%s", rows[i].text,
				 strlen(rows[i].text) > 40 ? "..." : "");
			fprintf(stderr, "row %zu '%s': got %s \"%s\", want %s \"%s\"\n", i, shown,
				keyword_kind_name(got), m.keyword, keyword_kind_name(rows[i].want),
				rows[i].keyword ? rows[i].keyword : "*");
			bad++;
		}
	}
	fprintf(stderr, "%zu rows: %zu opt-out, %zu opt-in, %zu help, %zu suspected, %zu none; %zu wrong\n",
		sizeof(rows) / sizeof(rows[0]), by_kind[OUT], by_kind[IN], by_kind[HELP], by_kind[SUSP],
		by_kind[NONE], bad);
	assert_int_equal(bad, 0);
}

static void normalising(void **state)
{
	char out[64];
	(void)state;
	keywords_normalise("  Stop!! ", out, sizeof(out));
	assert_string_equal(out, "STOP");
	keywords_normalise("ARR\xC3\x8AT", out, sizeof(out)); /* ARRÊT */
	assert_string_equal(out, "ARRET");
	keywords_normalise("Opt-Out.", out, sizeof(out));
	assert_string_equal(out, "OPT OUT");
	keywords_normalise("don\xE2\x80\x99t stop \xF0\x9F\x9B\x91", out, sizeof(out)); /* don’t stop 🛑 */
	assert_string_equal(out, "DONT STOP");
	keywords_normalise("\xC5\x81\xC3\xB3" "d\xC5\xBA stra\xC3\x9F" "e", out, sizeof(out)); /* Łódź straße */
	assert_string_equal(out, "LODZ STRASSE");
	keywords_normalise("\xD0\xA1\xD1\x82\xD0\xBE\xD0\xBF", out, sizeof(out)); /* Стоп: upper case */
	assert_string_equal(out, "\xD0\xA1\xD0\xA2\xD0\x9E\xD0\x9F");
	keywords_normalise("caf\xE9 STOP", out, sizeof(out)); /* Latin-1, not UTF-8 */
	assert_string_equal(out, "CAFE STOP");
	assert_int_equal(keywords_normalise("!!! ...", out, sizeof(out)), 0);
	assert_int_equal(keywords_normalise("STOP", out, 3), 2); /* cut to the buffer, NUL kept */
	assert_string_equal(out, "ST");
	assert_int_equal(keywords_normalise("\xC3\x9F", out, 2), 0); /* ß: SS does not fit in 1 */
	assert_int_equal(keywords_normalise("\xD0\xA1", out, 2), 0); /* С: 2 bytes do not fit in 1 */
}

static void operator_keywords(void **state)
{
	struct keywords *mine = keywords_new();
	struct keyword_match m;
	char word[80];
	(void)state;
	assert_non_null(mine);
	/* unknown without the operator's words */
	assert_int_equal(keywords_classify(mine, "STOPP", &m), KEYWORD_NONE);
	assert_int_equal(keywords_add(mine, OUT, "Stopp"), 0);
	assert_int_equal(keywords_add(mine, OUT, "STOPP!"), 0); /* already so */
	assert_int_equal(keywords_add(mine, IN, "Anmelden"), 0);
	assert_int_equal(keywords_add(mine, HELP, "Hilfe"), 0);
	assert_int_equal(keywords_classify(mine, "stopp", &m), OUT);
	assert_string_equal(m.keyword, "STOPP");

	/* an operator word never shadows a built-in one, however it is written */
	assert_int_equal(keywords_add(mine, IN, "stop"), -EEXIST);
	assert_int_equal(keywords_add(mine, IN, " Stop! "), -EEXIST);
	assert_int_equal(keywords_add(mine, IN, "St\xC3\xB6p"), -EEXIST); /* Stöp */
	assert_int_equal(keywords_add(mine, IN, "\xEF\xBC\xB3\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0"),
			 -EEXIST); /* ＳＴＯＰ */
	assert_int_equal(keywords_add(mine, HELP, "Stop-All"), -EEXIST);
	assert_int_equal(keywords_add(mine, HELP, "START"), -EEXIST);
	assert_int_equal(keywords_add(mine, OUT, "help"), -EEXIST);
	assert_int_equal(keywords_add(mine, OUT, "yes"), -EEXIST);
	assert_int_equal(keywords_add(mine, IN, "Opt-Out"), -EEXIST);
	/* nor turns a request to stop into an opt-in or a help word */
	assert_int_equal(keywords_add(mine, IN, "stop now"), -EEXIST);
	assert_int_equal(keywords_add(mine, HELP, "unsubscribe me"), -EEXIST);
	assert_int_equal(keywords_add(mine, IN, "Stop thanks"), -EEXIST);
	/* nor changes the meaning of the operator's own words */
	assert_int_equal(keywords_add(mine, IN, "stopp"), -EEXIST);
	assert_int_equal(keywords_add(mine, OUT, "ANMELDEN"), -EEXIST);

	assert_int_equal(keywords_add(mine, OUT, ""), -EINVAL);
	assert_int_equal(keywords_add(mine, OUT, "!!!"), -EINVAL);
	assert_int_equal(keywords_add(mine, OUT, "\xF0\x9F\x9B\x91"), -EINVAL); /* 🛑 */
	assert_int_equal(keywords_add(mine, OUT, NULL), -EINVAL);
	assert_int_equal(keywords_add(NULL, OUT, "X"), -EINVAL);
	assert_int_equal(keywords_add(mine, KEYWORD_SUSPECTED_OPT_OUT, "x"), -EINVAL);
	assert_int_equal(keywords_add(mine, KEYWORD_NONE, "x"), -EINVAL);
	memset(word, 'W', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	assert_int_equal(keywords_add(mine, OUT, word), -EINVAL);
	word[KEYWORD_TEXT_MAX - 1] = '\0';
	assert_int_equal(keywords_add(mine, OUT, word), 0); /* the longest that fits */

	/* full: the operator's list has a bound */
	int rc = 0;
	for (int i = 0; i < 100 && rc == 0; i++) {
		snprintf(word, sizeof(word), "WORT%d", i);
		rc = keywords_add(mine, OUT, word);
	}
	assert_int_equal(rc, -ENOMEM);

	/* the built-in words keep their meaning throughout */
	assert_int_equal(keywords_classify(mine, "STOP", &m), OUT);
	assert_int_equal(keywords_classify(mine, "start", &m), IN);
	assert_int_equal(keywords_classify(mine, "Help", &m), HELP);
	assert_int_equal(keywords_classify(mine, "Hilfe", &m), HELP);
	keywords_free(mine);
	keywords_free(NULL);
	assert_int_equal(keywords_classify(NULL, "stop", NULL), OUT);
	assert_int_equal(keywords_classify(NULL, NULL, &m), NONE);
	assert_int_equal(m.kind, NONE);
}

static int setup(void **state)
{
	(void)state;
	kw = keywords_new();
	if (!kw)
		return -1;
	for (size_t i = 0; i < sizeof(operator_words) / sizeof(operator_words[0]); i++)
		if (keywords_add(kw, operator_words[i].kind, operator_words[i].word) != 0)
			return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	keywords_free(kw);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalising),
		cmocka_unit_test(inbound_texts),
		cmocka_unit_test(operator_keywords),
	};
	return cmocka_run_group_tests_name("keywords", tests, setup, teardown);
}
