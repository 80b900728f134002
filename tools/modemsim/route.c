/*
 * Inbound routing per +CNMI (TS 27.005 3.4.1):
 *   <mt> 0: store, no indication      1: store, +CMTI: <mem3>,<index>
 *        2: +CMT (class 2 stored as 1) 3: +CMT for class 3, others as 1
 *   <ds> 0: status reports not routed  1: +CDS   2: store, +CDSI
 *   <mode> 0: indications buffered in the TA until a <mode> 1..3 with
 *   <bfr> 0 flushes them; 1: discarded while the prompt holds the link;
 *   2: held until it ends; 3: sent even then.
 * With +CSMS=1, +CMT and +CDS need +CNMA (3.4.4); until it comes nothing
 * else is shown directly, and when it does not come in time the modem
 * turns <mt> and <ds> to 0 (3.4.4) and the network redelivers later. With
 * +CSMS=0 the modem acknowledges by itself (27.005 3.2.1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "sim.h"

#define ROUTE_RETRY_MS 1000
#define INDICATION_MAX 64

struct inbound {
	char *hex;
	unsigned tpdu_len;
	bool report;
	int msg_class;
	struct inbound *next;
};

static void inbound_free(void *p)
{
	struct inbound *m = p;

	if (!m)
		return;
	free(m->hex);
	free(m);
}

static void list_free(struct inbound **head)
{
	struct inbound *m;

	while ((m = *head)) {
		*head = m->next;
		inbound_free(m);
	}
}

static void list_append(struct inbound **head, struct inbound *m)
{
	while (*head)
		head = &(*head)->next;
	m->next = NULL;
	*head = m;
}

void route_init(struct route *r)
{
	memset(r, 0, sizeof(*r));
}

static void buffered_clear(struct route *r)
{
	for (unsigned i = 0; i < r->nbuffered; i++)
		free(r->buffered[i]);
	r->nbuffered = 0;
}

void route_fini(struct route *r)
{
	list_free(&r->waiting);
	list_free(&r->direct);
	inbound_free(r->unacked);
	r->unacked = NULL;
	buffered_clear(r);
	free(r->buffered);
	memset(r, 0, sizeof(*r));
}

static void log_route(struct sim *sim, const struct inbound *m, const char *how, long index)
{
	cJSON *ev = simlog_event(&sim->log, "route");

	cJSON_AddStringToObject(ev, "kind", m->report ? "status_report" : "deliver");
	cJSON_AddStringToObject(ev, "how", how);
	if (index >= 0)
		cJSON_AddNumberToObject(ev, "index", (double)index);
	cJSON_AddStringToObject(ev, "pdu", m->hex);
	simlog_commit(&sim->log, ev);
}

static bool modem_can_receive(const struct sim *sim)
{
	const struct modem *md = &sim->modem;

	return pty_is_open(&sim->pty) && !md->booting && md->cfun == 1 && md->pin == PIN_READY &&
	       (md->stat == 1 || md->stat == 5 || md->eps_stat == 1 || md->eps_stat == 5);
}

static void retry_job(void *ctx, void *arg)
{
	(void)arg;
	route_retry(ctx);
}

static void wait_at_network(struct sim *sim, struct inbound *m, const char *why)
{
	log_route(sim, m, why, -1);
	list_append(&sim->route.waiting, m);
	if (!sched_pending(&sim->sched, SCHED_TAG_RETRY))
		sched_add(&sim->sched, clock_after_ms(clock_now_ns(), ROUTE_RETRY_MS),
			  SCHED_TAG_RETRY, retry_job, NULL, NULL);
}

/* A +CMTI/+CDSI per <mode>. */
static void indicate(struct sim *sim, const char *line)
{
	struct route *r = &sim->route;
	char **grown, *copy;

	switch (sim->modem.cnmi[0]) {
	case 0:
		if (r->nbuffered == r->capbuffered) {
			unsigned cap = r->capbuffered ? r->capbuffered * 2 : 8;

			grown = realloc(r->buffered, cap * sizeof(*grown));
			if (!grown)
				return;
			r->buffered = grown;
			r->capbuffered = cap;
		}
		if ((copy = strdup(line)))
			r->buffered[r->nbuffered++] = copy;
		return;
	case 1:
		if (sim->out.prompt) {
			simlog_str(&sim->log, "urc_discarded", "line", line);
			return;
		}
		out_urc(sim, line);
		return;
	case 3:
		out_urc2_now(sim, line, NULL);
		return;
	default:
		out_urc(sim, line);
		return;
	}
}

static void memfull_tell(struct sim *sim)
{
	if (sim->route.memfull_told || !sim->profile->memfull_urc)
		return;
	sim->route.memfull_told = true;
	out_urc(sim, sim->profile->memfull_urc);
}

static void store(struct sim *sim, struct inbound *m, bool tell)
{
	enum storage_mem mem = sim->modem.mem[2];
	char line[INDICATION_MAX];
	long idx;

	idx = storage_put(&sim->store, mem, m->hex, (uint16_t)m->tpdu_len, STORAGE_REC_UNREAD,
			  m->report);
	if (idx == -ENOSPC) {
		/* A full SIM rejects the message (TS 24.011 RP-ERROR, memory capacity exceeded); the SC keeps it. */
		memfull_tell(sim);
		wait_at_network(sim, m, "storage_full");
		return;
	}
	if (idx < 0) {
		inbound_free(m);
		return;
	}
	sim->route.memfull_told = false;
	log_route(sim, m, tell ? "stored" : "stored_silently", idx);
	if (tell) {
		snprintf(line, sizeof(line), "%s: \"%s\",%ld", m->report ? "+CDSI" : "+CMTI",
			 storage_mem_name(mem), idx);
		indicate(sim, line);
	}
	inbound_free(m);
}

static void cnma_timeout(void *ctx, void *arg);

static void show_direct(struct sim *sim, struct inbound *m)
{
	char line[INDICATION_MAX];

	if (m->report)
		snprintf(line, sizeof(line), "+CDS: %u", m->tpdu_len);
	else
		snprintf(line, sizeof(line), "+CMT: %s,%u", sim->profile->cmt_alpha, m->tpdu_len);
	log_route(sim, m, "direct", -1);
	if (sim->modem.cnmi[0] == 3)
		out_urc2_now(sim, line, m->hex);
	else
		out_urc2(sim, line, m->hex);
	if (sim->modem.csms != 1) {
		inbound_free(m);
		return;
	}
	sim->route.unacked = m;
	sched_add(&sim->sched, clock_after_ms(clock_now_ns(), sim->cfg.cnma_timeout_ms),
		  SCHED_TAG_CNMA, cnma_timeout, NULL, NULL);
}

static void direct(struct sim *sim, struct inbound *m)
{
	/* 27.005 3.4.4: no new +CMT/+CDS before the previous one is acknowledged. */
	if (sim->route.unacked) {
		list_append(&sim->route.direct, m);
		return;
	}
	show_direct(sim, m);
}

static void route_one(struct sim *sim, struct inbound *m)
{
	const int *cnmi = sim->modem.cnmi;
	bool direct_wanted;

	if (!modem_can_receive(sim)) {
		wait_at_network(sim, m, "held_by_network");
		return;
	}
	if (m->report) {
		if (cnmi[3] == 0) {
			log_route(sim, m, "report_not_routed", -1);
			inbound_free(m);
			return;
		}
		if (cnmi[3] == 1 && cnmi[0] != 0)
			direct(sim, m);
		else
			store(sim, m, true);
		return;
	}
	direct_wanted = (cnmi[1] == 2 && m->msg_class != 2) || (cnmi[1] == 3 && m->msg_class == 3);
	if (direct_wanted && cnmi[0] != 0)
		direct(sim, m);
	else
		store(sim, m, cnmi[1] != 0);
}

int route_deliver(struct sim *sim, const char *hex, unsigned tpdu_len, bool report, int msg_class)
{
	struct inbound *m = calloc(1, sizeof(*m));

	if (!m || !(m->hex = strdup(hex))) {
		free(m);
		return -ENOMEM;
	}
	m->tpdu_len = tpdu_len;
	m->report = report;
	m->msg_class = msg_class;
	route_one(sim, m);
	return 0;
}

static void redeliver_job(void *ctx, void *arg)
{
	struct sim *sim = ctx;
	struct inbound *m = arg;

	sim->route.redeliveries++;
	log_route(sim, m, "redelivered", -1);
	route_deliver(sim, m->hex, m->tpdu_len, m->report, m->msg_class);
}

static void redeliver_later(struct sim *sim, struct inbound *m)
{
	sched_add(&sim->sched, clock_after_ms(clock_now_ns(), sim->cfg.redeliver_ms),
		  SCHED_TAG_NETWORK, redeliver_job, m, inbound_free);
}

/* Shows the next queued +CMT/+CDS, or re-routes the queue when routing changed. */
static void direct_next(struct sim *sim)
{
	struct inbound *queue = sim->route.direct, *m;

	sim->route.direct = NULL;
	while ((m = queue)) {
		queue = m->next;
		m->next = NULL;
		if (sim->route.unacked)
			list_append(&sim->route.direct, m);
		else
			route_one(sim, m);
	}
}

static void cnma_timeout(void *ctx, void *arg)
{
	struct sim *sim = ctx;
	struct inbound *m = sim->route.unacked;
	cJSON *ev;

	(void)arg;
	if (!m)
		return;
	sim->route.unacked = NULL;
	/* 27.005 3.4.4: routing to the TE is switched off on a missed acknowledgement. */
	sim->modem.cnmi[1] = 0;
	sim->modem.cnmi[3] = 0;
	ev = simlog_event(&sim->log, "cnma_timeout");
	cJSON_AddStringToObject(ev, "pdu", m->hex);
	cJSON_AddStringToObject(ev, "effect", "cnmi mt=0 ds=0; network redelivers");
	simlog_commit(&sim->log, ev);
	redeliver_later(sim, m);
	direct_next(sim);
}

int route_cnma(struct sim *sim, bool ok)
{
	struct inbound *m = sim->route.unacked;

	if (!m)
		return -ENOENT;
	sim->route.unacked = NULL;
	sched_cancel(&sim->sched, SCHED_TAG_CNMA);
	log_route(sim, m, ok ? "acknowledged" : "rejected", -1);
	if (ok)
		inbound_free(m);
	else
		redeliver_later(sim, m);
	direct_next(sim);
	return 0;
}

void route_cnmi_set(struct sim *sim)
{
	struct route *r = &sim->route;

	if (sim->modem.cnmi[0] == 0)
		return;
	/* <bfr> 0: flushed after the OK (27.005 3.4.1); the caller sends that OK first. */
	for (unsigned i = 0; sim->modem.cnmi[4] == 0 && i < r->nbuffered; i++)
		out_urc(sim, r->buffered[i]);
	buffered_clear(r);
	route_retry(sim);
}

void route_retry(struct sim *sim)
{
	struct inbound *queue = sim->route.waiting, *m;

	sim->route.waiting = NULL;
	sched_cancel(&sim->sched, SCHED_TAG_RETRY);
	while ((m = queue)) {
		queue = m->next;
		m->next = NULL;
		route_one(sim, m);
	}
}

void route_reset(struct sim *sim)
{
	struct route *r = &sim->route;
	struct inbound *m;

	sched_cancel(&sim->sched, SCHED_TAG_CNMA);
	if (r->unacked) {
		list_append(&r->waiting, r->unacked);
		r->unacked = NULL;
	}
	while ((m = r->direct)) {
		r->direct = m->next;
		list_append(&r->waiting, m);
	}
	buffered_clear(r);
	if (r->waiting && !sched_pending(&sim->sched, SCHED_TAG_RETRY))
		sched_add(&sim->sched, clock_after_ms(clock_now_ns(), ROUTE_RETRY_MS),
			  SCHED_TAG_RETRY, retry_job, NULL, NULL);
}

unsigned route_waiting_count(const struct route *r)
{
	unsigned n = 0;

	for (const struct inbound *m = r->waiting; m; m = m->next)
		n++;
	return n;
}
