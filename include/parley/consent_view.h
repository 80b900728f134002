/*
 * A number's consent ledger read from the store into policy's terms, for
 * deciding (policy/consent.h): the one place that turns stored records into
 * struct consent_record, shared by the send guard, `parley consent show`
 * and MQTT's consent_show.
 */
#ifndef PARLEY_CONSENT_VIEW_H
#define PARLEY_CONSENT_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "parley/consent.h"
#include "parley/store.h"

struct consent_view {
	struct consent_record *records; /* n, oldest first; records[i].id is i (its index) */
	int64_t *at;                    /* when records[i] was given */
	size_t n;
	char (*text)[4][64];            /* storage for the records' strings */
	size_t cap;
};

/*
 * Reads number's records (the view starts empty; free it either way).
 * Returns 0, -ENOMEM, -EIO (the store's error says why), -EINVAL.
 */
int consent_view_load(struct store *st, const char *number, struct consent_view *v);
void consent_view_free(struct consent_view *v);

/* The categories consent_view_now judges, in its order. */
#define CONSENT_VIEW_CATEGORIES 3
extern const char *const consent_view_categories[CONSENT_VIEW_CATEGORIES];

/* What the records allow now, per category (transactional, conversational, marketing), on line
 * (NULL: any line, judged the careful way). */
void consent_view_now(const struct consent_view *v, const char *line, const char *group,
		      enum policy_code out[CONSENT_VIEW_CATEGORIES]);

#endif
