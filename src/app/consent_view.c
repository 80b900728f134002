/* A number's consent ledger as policy's records (include/parley/consent_view.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/consent_view.h"
#include "parley/store_consent.h"

const char *const consent_view_categories[CONSENT_VIEW_CATEGORIES] = {
	"transactional", "conversational", "marketing",
};

struct loading {
	struct consent_view *v;
	bool nomem;
};

static int add(void *ctx, const struct store_consent_record *sr)
{
	struct loading *l = ctx;
	struct consent_view *v = l->v;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		struct consent_record *r = realloc(v->records, cap * sizeof(*r));
		char (*text)[4][64];
		int64_t *at;

		if (r)
			v->records = r;
		text = r ? realloc(v->text, cap * sizeof(*text)) : NULL;
		if (text)
			v->text = text;
		at = text ? realloc(v->at, cap * sizeof(*at)) : NULL;
		if (!at) {
			l->nomem = true;
			return 1;
		}
		v->at = at;
		v->cap = cap;
	}
	snprintf(v->text[v->n][0], 64, "%s", sr->action);
	snprintf(v->text[v->n][1], 64, "%s", sr->scope);
	snprintf(v->text[v->n][2], 64, "%s", sr->scope_name ? sr->scope_name : "");
	snprintf(v->text[v->n][3], 64, "%s", sr->category);
	v->at[v->n] = sr->at;
	v->n++;
	return 0;
}

int consent_view_load(struct store *st, const char *number, struct consent_view *v)
{
	struct loading l = { .v = v };
	int rc;

	if (!v)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	rc = store_consent_list(st, number, add, &l);
	if (rc < 0)
		return rc;
	if (l.nomem)
		return -ENOMEM;
	/* the strings moved while the arrays grew: point the records at them only now */
	for (size_t i = 0; i < v->n; i++)
		v->records[i] = (struct consent_record){
			.id = (int64_t)i, .action = v->text[i][0], .scope = v->text[i][1],
			.scope_name = v->text[i][2], .category = v->text[i][3],
		};
	return 0;
}

void consent_view_free(struct consent_view *v)
{
	if (!v)
		return;
	free(v->records);
	free(v->text);
	free(v->at);
	memset(v, 0, sizeof(*v));
}

void consent_view_now(const struct consent_view *v, const char *line, const char *group,
		      enum policy_code out[CONSENT_VIEW_CATEGORIES])
{
	for (size_t i = 0; i < CONSENT_VIEW_CATEGORIES; i++) {
		struct consent_query q = { .category = consent_view_categories[i], .line = line,
					   .group = group };
		struct consent_verdict verdict;

		consent_decide(v->records, v->n, &q, &verdict);
		out[i] = verdict.code;
	}
}
