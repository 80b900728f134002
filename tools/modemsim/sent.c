/*
 * The list of submitted messages. A segment joins the newest incomplete
 * message with the same destination, reference and count whose slot for
 * its sequence number is free; anything else starts a new message, so a
 * retried or malformed segment never corrupts another message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sent.h"

void sent_init(struct sent *s)
{
	memset(s, 0, sizeof(*s));
}

static void msg_free(struct sent_msg *m)
{
	for (unsigned i = 0; i < m->total; i++) {
		free(m->parts[i].text);
		free(m->parts[i].hex);
	}
	free(m->parts);
	free(m->text);
	free(m);
}

void sent_fini(struct sent *s)
{
	for (size_t i = 0; i < s->count; i++)
		msg_free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static bool seq_valid(const struct sms *sms)
{
	return sms->udh.has_concat && sms->udh.concat_total > 0 && sms->udh.concat_seq > 0 &&
	       sms->udh.concat_seq <= sms->udh.concat_total;
}

static struct sent_msg *msg_find(const struct sent *s, const struct sms *sms)
{
	struct sent_msg *m;

	for (size_t i = s->count; i-- > 0;) {
		m = s->v[i];
		if (m->complete || !m->concat || strcmp(m->to, sms->addr.number) != 0 ||
		    m->ref != sms->udh.concat_ref || m->total != sms->udh.concat_total ||
		    m->concat16 != sms->udh.concat16)
			continue;
		if (!m->parts[sms->udh.concat_seq - 1].present)
			return m;
	}
	return NULL;
}

static struct sent_msg *msg_new(struct sent *s, const struct sms *sms)
{
	struct sent_msg *m, **grown;
	bool concat = seq_valid(sms);

	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		grown = realloc(s->v, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		s->v = grown;
		s->cap = cap;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->total = concat ? sms->udh.concat_total : 1;
	m->parts = calloc(m->total, sizeof(*m->parts));
	if (!m->parts) {
		free(m);
		return NULL;
	}
	m->n = (unsigned)s->count + 1;
	memcpy(m->to, sms->addr.number, sizeof(m->to));
	m->concat = concat;
	m->concat16 = sms->udh.concat16;
	m->ref = concat ? sms->udh.concat_ref : 0;
	s->v[s->count++] = m;
	return m;
}

static int msg_join(struct sent_msg *m)
{
	size_t len = 0;

	for (unsigned i = 0; i < m->total; i++)
		len += strlen(m->parts[i].text);
	m->text = malloc(len + 1);
	if (!m->text)
		return -ENOMEM;
	m->text[0] = '\0';
	for (unsigned i = 0; i < m->total; i++)
		strcat(m->text, m->parts[i].text);
	m->complete = true;
	return 1;
}

int sent_add(struct sent *s, const struct sms *sms, const char *hex, uint8_t mr, uint64_t t_ms,
	     struct sent_msg **msg_out)
{
	struct sent_msg *m = seq_valid(sms) ? msg_find(s, sms) : NULL;
	struct sent_part *p;

	if (!m && !(m = msg_new(s, sms)))
		return -ENOMEM;
	p = &m->parts[m->concat ? sms->udh.concat_seq - 1 : 0];
	p->text = strdup(sms->text);
	p->hex = strdup(hex);
	if (!p->text || !p->hex) {
		free(p->text);
		free(p->hex);
		p->text = p->hex = NULL;
		return -ENOMEM;
	}
	p->present = true;
	p->mr = mr;
	p->pdu_mr = sms->mr;
	p->report = sms->status_report;
	p->coding = sms->dcs.coding;
	p->t_ms = t_ms;
	m->have++;
	*msg_out = m;
	return m->have == m->total ? msg_join(m) : 0;
}

const struct sent_part *sent_find_mr(const struct sent *s, uint8_t mr,
				     const struct sent_msg **msg_out)
{
	const struct sent_part *best = NULL;

	for (size_t i = 0; i < s->count; i++) {
		for (unsigned k = 0; k < s->v[i]->total; k++) {
			const struct sent_part *p = &s->v[i]->parts[k];

			if (p->present && p->mr == mr && (!best || p->t_ms >= best->t_ms)) {
				best = p;
				*msg_out = s->v[i];
			}
		}
	}
	return best;
}

static cJSON *part_json(const struct sent_msg *m, unsigned i)
{
	const struct sent_part *p = &m->parts[i];
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "mr", p->mr);
	cJSON_AddNumberToObject(o, "pdu_mr", p->pdu_mr);
	if (m->concat) {
		cJSON_AddNumberToObject(o, "ref", m->ref);
		cJSON_AddNumberToObject(o, "seq", i + 1);
		cJSON_AddNumberToObject(o, "total", m->total);
	}
	cJSON_AddStringToObject(o, "coding", sms_coding_name(p->coding));
	cJSON_AddBoolToObject(o, "report", p->report);
	cJSON_AddStringToObject(o, "text", p->text);
	cJSON_AddStringToObject(o, "pdu", p->hex);
	return o;
}

static cJSON *msg_json(const struct sent_msg *m)
{
	cJSON *o = cJSON_CreateObject(), *segs;
	bool report = false;

	cJSON_AddNumberToObject(o, "n", m->n);
	cJSON_AddStringToObject(o, "to", m->to);
	if (m->text)
		cJSON_AddStringToObject(o, "text", m->text);
	else
		cJSON_AddNullToObject(o, "text");
	cJSON_AddBoolToObject(o, "complete", m->complete);
	cJSON_AddNumberToObject(o, "parts", m->total);
	segs = cJSON_AddArrayToObject(o, "segments");
	for (unsigned i = 0; i < m->total; i++) {
		if (!m->parts[i].present)
			continue;
		report |= m->parts[i].report;
		cJSON_AddItemToArray(segs, part_json(m, i));
	}
	cJSON_AddBoolToObject(o, "report", report);
	return o;
}

cJSON *sent_json(const struct sent *s)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < s->count; i++)
		cJSON_AddItemToArray(arr, msg_json(s->v[i]));
	return arr;
}
