/* csv: a strict RFC 4180 reader, for bills (runrate track).
 *
 * Hand-written because Debian's C CSV library, libcsv 3.0.3 (upstream's last release is from
 * 2013), reports no line or column for a record, and every error here names both.  Accepted:
 * a UTF-8 byte-order mark, LF or CRLF line ends (mixed), a last record without a line end,
 * quoted fields with "" for a quote and commas or line breaks inside, empty fields, blank
 * lines (skipped: they are not records).  Refused, at their line and column: a NUL byte or
 * invalid UTF-8 (not a CSV text file), a quote inside an unquoted field, anything but a comma
 * or a line end after a closing quote, an unterminated quote, a record whose field count
 * differs from the header's, an empty file, duplicate header names.
 */
#ifndef RR_CSV_H
#define RR_CSV_H

#include <stddef.h>

#include "scenario/diag.h"

#define RR_CSV_MAX_BYTES (256u << 20)

typedef struct rr_csv {
    size_t ncols, nrows;
    char **head;                     /* ncols, trimmed of surrounding spaces */
    char **cell;                     /* nrows x ncols, row-major */
    int *line;                       /* nrows: the line where each record starts */
    int *cell_col;                   /* nrows x ncols: each cell's first byte's column */
    char *text;                      /* the cells' text, owned (head and cell point in) */
} rr_csv;

/* Read a file / parse a buffer.  RR_OK, RR_ERR_IO (cannot read), RR_ERR_SCENARIO (not
 * valid CSV: messages in d) or RR_ERR_NOMEM.  *out is zeroed on failure. */
rr_status rr_csv_read(const char *path, rr_csv *out, rr_diags *d);
rr_status rr_csv_parse(const char *text, size_t len, rr_csv *out, rr_diags *d);
void rr_csv_free(rr_csv *c);

static inline const char *rr_csv_at(const rr_csv *c, size_t row, size_t col)
{
    return c->cell[row * c->ncols + col];
}
/* The index of a header name (exact), or -1. */
long rr_csv_column(const rr_csv *c, const char *name);

#endif
