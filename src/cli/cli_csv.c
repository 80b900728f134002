/* RFC 4180 CSV reading and writing (cli_csv.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli_csv.h"

#define CSV_FIELDS_MAX 64
#define CSV_RECORD_MAX 65536

int cli_csv_write_row(FILE *f, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = fields[i] ? fields[i] : "";
		bool quote = strpbrk(v, ",\"\r\n") != NULL;

		if (i && fputc(',', f) == EOF)
			return -1;
		if (!quote) {
			if (fputs(v, f) == EOF)
				return -1;
			continue;
		}
		if (fputc('"', f) == EOF)
			return -1;
		for (; *v; v++)
			if ((*v == '"' && fputc('"', f) == EOF) || fputc(*v, f) == EOF)
				return -1;
		if (fputc('"', f) == EOF)
			return -1;
	}
	return fputs("\r\n", f) == EOF ? -1 : 0;
}

struct cli_csv {
	FILE *f;
	int line;
	const char *error;
	char buf[CSV_RECORD_MAX];
	char *fields[CSV_FIELDS_MAX];
};

struct cli_csv *cli_csv_open(const char *path)
{
	struct cli_csv *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (!(c->f = fopen(path, "r"))) {
		int e = errno;

		free(c);
		errno = e;
		return NULL;
	}
	c->line = 1;
	return c;
}

void cli_csv_close(struct cli_csv *c)
{
	if (!c)
		return;
	fclose(c->f);
	free(c);
}

const char *cli_csv_error(const struct cli_csv *c)
{
	return c->error ? c->error : "";
}

static int fail(struct cli_csv *c, const char *why)
{
	c->error = why;
	return -1;
}

int cli_csv_next(struct cli_csv *c, char ***fields, int *line)
{
	size_t len = 0;
	int n = 0, ch;
	bool quoted = false, in_quotes = false, any = false;

	*line = c->line;
	c->fields[n++] = c->buf;
	while ((ch = getc(c->f)) != EOF) {
		any = true;
		if (in_quotes) {
			if (ch == '"') {
				int next = getc(c->f);

				if (next != '"') {
					in_quotes = false;
					if (next != EOF)
						ungetc(next, c->f);
					continue;
				}
			} else if (ch == '\n') {
				c->line++;
			}
		} else if (ch == '"') {
			if (quoted || c->fields[n - 1] != c->buf + len)
				return fail(c, "a quote inside an unquoted field");
			quoted = in_quotes = true;
			continue;
		} else if (ch == ',') {
			if (len + 1 >= sizeof(c->buf) || n == CSV_FIELDS_MAX)
				return fail(c, "a record too long (64 fields, 64 KiB at most)");
			c->buf[len++] = '\0';
			c->fields[n++] = c->buf + len;
			quoted = false;
			continue;
		} else if (ch == '\r' || ch == '\n') {
			if (ch == '\r' && (ch = getc(c->f)) != '\n' && ch != EOF)
				ungetc(ch, c->f);
			c->line++;
			break;
		} else if (quoted) {
			return fail(c, "text after a closing quote");
		}
		if (ch == '\0')
			return fail(c, "a NUL byte");
		if (len + 1 >= sizeof(c->buf))
			return fail(c, "a record too long (64 fields, 64 KiB at most)");
		c->buf[len++] = (char)ch;
	}
	if (in_quotes)
		return fail(c, "a quoted field never closed");
	if (!any)
		return 0;
	c->buf[len] = '\0';
	*fields = c->fields;
	return n;
}
