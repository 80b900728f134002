/*
 * Metrics as a Prometheus node-exporter textfile: written to a temporary
 * file and renamed over the configured one, so the collector never reads
 * half a file. Counters and gauges of messages by state and of each modem.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "log.h"

static void label_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void modem_gauge(FILE *f, const char *name, const struct line *l, double v)
{
	fprintf(f, "%s{modem=\"", name);
	label_escape(f, l->conf->name);
	fputs("\",line=\"", f);
	label_escape(f, l->conf->line);
	fprintf(f, "\"} %.17g\n", v);
}

int metrics_write(struct daemon *d)
{
	const char *path = d->conf.metrics_file;
	char tmp[CONF_PATH_MAX + 8];
	int64_t counts[STORE_PARTIAL + 1];
	struct stat st;
	FILE *f;

	if (!path[0])
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	/*
	 * node_exporter reads it as another user, and parleyd's umask is 077:
	 * the figures (counts, modem names, our own line numbers) are for
	 * anyone on the machine, never writable by them.
	 */
	if (f && fchmod(fileno(f), 0644) != 0) {
		fclose(f);
		f = NULL;
	}
	if (!f) {
		log_warning("metrics file %s: cannot write", tmp);
		return -1;
	}
	fputs("# HELP parley_messages Messages in the store by state.\n# TYPE parley_messages gauge\n", f);
	if (store_counts(d->store, counts) == 0)
		for (int s = 0; s <= STORE_PARTIAL; s++)
			fprintf(f, "parley_messages{state=\"%s\"} %lld\n", store_state_name((enum store_state)s),
				(long long)counts[s]);
	fputs("# HELP parley_modem_ready 1 when the modem can send.\n# TYPE parley_modem_ready gauge\n", f);
	for (unsigned i = 0; i < d->nlines; i++) {
		enum modem_state s = modem_state(d->lines[i].modem);
		modem_gauge(f, "parley_modem_ready", &d->lines[i],
			    s == MODEM_STATE_READY || s == MODEM_STATE_SENDING);
	}
	fputs("# HELP parley_modem_signal_rssi +CSQ signal, 0-31, 99 unknown.\n# TYPE parley_modem_signal_rssi gauge\n", f);
	for (unsigned i = 0; i < d->nlines; i++)
		modem_gauge(f, "parley_modem_signal_rssi", &d->lines[i], modem_health(d->lines[i].modem)->rssi);
	fputs("# HELP parley_modem_registration +CREG status (1 home, 5 roaming).\n# TYPE parley_modem_registration gauge\n", f);
	for (unsigned i = 0; i < d->nlines; i++)
		modem_gauge(f, "parley_modem_registration", &d->lines[i],
			    modem_health(d->lines[i].modem)->registration);
	fputs("# HELP parley_modem_sends_total Segments the modem accepted.\n# TYPE parley_modem_sends_total counter\n", f);
	for (unsigned i = 0; i < d->nlines; i++)
		modem_gauge(f, "parley_modem_sends_total", &d->lines[i], modem_health(d->lines[i].modem)->sends);
	fputs("# HELP parley_modem_failures_total Segments the modem refused or lost.\n# TYPE parley_modem_failures_total counter\n", f);
	for (unsigned i = 0; i < d->nlines; i++)
		modem_gauge(f, "parley_modem_failures_total", &d->lines[i],
			    modem_health(d->lines[i].modem)->failures);
	fputs("# HELP parley_modem_sent_today Messages sent today against the daily cap.\n# TYPE parley_modem_sent_today gauge\n", f);
	for (unsigned i = 0; i < d->nlines; i++)
		modem_gauge(f, "parley_modem_sent_today", &d->lines[i], d->lines[i].sent_today);
	if (stat(d->conf.store, &st) == 0)
		fprintf(f, "# HELP parley_store_bytes Size of the store file.\n# TYPE parley_store_bytes gauge\nparley_store_bytes %lld\n",
			(long long)st.st_size);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		log_warning("metrics file %s: cannot write", path);
		remove(tmp);
		return -1;
	}
	return 0;
}
