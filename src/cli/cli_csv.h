/*
 * CSV as RFC 4180 writes it, for the consent ledger's exports and imports:
 * fields with a comma, quote or line break are quoted, quotes doubled; a
 * quoted field may hold line breaks; CRLF or LF ends a record.
 */
#ifndef PARLEY_CLI_CSV_H
#define PARLEY_CLI_CSV_H

#include <stddef.h>
#include <stdio.h>

/* Writes one record. Returns 0, or -1 when writing failed. */
int cli_csv_write_row(FILE *f, const char *const *fields, size_t n);

struct cli_csv;

/* Opens path for reading; NULL with errno set. */
struct cli_csv *cli_csv_open(const char *path);
void cli_csv_close(struct cli_csv *c);

/*
 * The next record: *fields (borrowed until the next call), *line the line it
 * started on. Returns how many fields, 0 at the end, -1 on a malformed
 * record (cli_csv_error says how) or a record over 64 fields or 64 KiB.
 */
int cli_csv_next(struct cli_csv *c, char ***fields, int *line);
const char *cli_csv_error(const struct cli_csv *c);

#endif
