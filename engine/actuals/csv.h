/* csv: a strict RFC 4180 reader, for bills (runrate track).
 *
 * Hand-written because Debian's only C CSV library, libcsv 3.0.3 (upstream's last release is
 * from 2013), reports no line or column for a record, and every error here names both.
 *
 * Accepted: a UTF-8 byte-order mark at the start (skipped), LF or CRLF line ends (mixed), a
 * last record with or without a line end, quoted fields with "" for a quote and commas, CR or
 * LF inside, empty fields.  Blank lines are skipped wherever they are (before the header, in
 * the middle, at the end): they are not records, so a one-column file writes an empty cell
 * as "".  The first record is the header: its names, trimmed of surrounding spaces and tabs,
 * name the columns.
 * Refused, at their line and column: a NUL byte or invalid UTF-8 (not a CSV text file), a
 * quote inside an unquoted field, a CR not followed by LF outside quotes, anything but a comma
 * or a line end after a closing quote, an unterminated quoted field (at its opening quote), a
 * record whose field count differs from the header's, duplicate header names, an empty file;
 * without a position, a file over RR_CSV_MAX_BYTES or RR_CSV_MAX_LINES.
 *
 * Positions are 1-based: a line ends at LF (one inside quotes too), a column counts bytes
 * from the line's first byte (on line 1, the first after the byte-order mark).
 */
#ifndef RR_CSV_H
#define RR_CSV_H

#include <stddef.h>

#include "scenario/diag.h"

#define RR_CSV_MAX_BYTES (256u << 20)
/* Lines stay below diag.h's RR_POS_STRIDE, so that a line never reads as another file's. */
#define RR_CSV_MAX_LINES (RR_POS_STRIDE - 1)

typedef struct rr_csv {
    size_t ncols, nrows;
    char **head;                     /* ncols names, trimmed, then a NULL */
    int head_line;                   /* the header's line */
    char **cell;                     /* nrows x ncols, row-major, NUL-terminated */
    int *line;                       /* nrows: the line where each record starts */
    int *cell_line, *cell_col;       /* nrows x ncols: where each cell's first byte is (its
                                      * opening quote, when quoted): after a quoted line
                                      * break, on a later line than its record's */
    char *text;                      /* owns the text head and cell point into */
} rr_csv;

/* Read a file / parse a buffer into *out (freed by rr_csv_free).  RR_OK, RR_ERR_IO (cannot
 * open or read), RR_ERR_SCENARIO (not valid CSV, or too large: messages in d) or
 * RR_ERR_NOMEM.  *out is zeroed on failure. */
rr_status rr_csv_read(const char *path, rr_csv *out, rr_diags *d);
rr_status rr_csv_parse(const char *text, size_t len, rr_csv *out, rr_diags *d);
/* Frees what c owns; a zeroed rr_csv is fine. */
void rr_csv_free(rr_csv *c);

static inline const char *rr_csv_at(const rr_csv *c, size_t row, size_t col)
{
    return c->cell[row * c->ncols + col];
}
/* The index of a header name (exact, case-sensitive), or -1. */
long rr_csv_column(const rr_csv *c, const char *name);

/* A cell's text for a message, in buf: at most RR_CSV_SHOWN - 4 bytes of it, cut at a
 * character's boundary ("..." marks a cut), its control characters (a quoted line break)
 * as spaces, so that the message stays on one line. */
#define RR_CSV_SHOWN 64
const char *rr_csv_shown(const char *v, char buf[RR_CSV_SHOWN]);

#endif
