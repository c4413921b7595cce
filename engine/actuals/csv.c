/* csv: see csv.h.  Two passes over the text: the first refuses binary input as a whole (a
 * bill that is not text should get one message, not one per stray byte) and counts lines;
 * the second splits records into cells, copying their text (unquoted, "" made ") into one
 * buffer: no cell is longer than its source, and each has one NUL where its source has a
 * separator, so the buffer needs at most one byte more than the text. */
#include "actuals/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The length of the UTF-8 sequence at p (n bytes left), or 0 when it is invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    size_t k = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 && p[0] < 0xf0 ? 3
             : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
    if (!k || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if (k == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
        return 0;   /* overlong, or a surrogate */
    if (k == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
        return 0;   /* overlong, or past U+10FFFF */
    return k;
}

/* The growing arrays of a parse. */
typedef struct parse {
    const char *s;
    size_t n, i;                     /* the text, its length, the read position */
    int line;
    size_t line_at;                  /* offset of the line's first byte */
    char *text;                      /* cells' text, NUL-separated */
    size_t tlen;
    size_t *start;                   /* per cell: its offset in text */
    int *cline, *col;                /* per cell: its line and column */
    size_t ncells, cap;
    int *line_of;                    /* per record: its first line */
    size_t *first;                   /* per record: its first cell */
    size_t nrec, rcap;
} parse;

static int push_cell(parse *P, int col)
{
    if (P->ncells == P->cap) {
        size_t cap = P->cap ? 2 * P->cap : 64;
        size_t *s = realloc(P->start, cap * sizeof *s);
        if (s)
            P->start = s;
        int *l = realloc(P->cline, cap * sizeof *l);
        if (l)
            P->cline = l;
        int *c = realloc(P->col, cap * sizeof *c);
        if (c)
            P->col = c;
        if (!s || !l || !c)
            return -1;
        P->cap = cap;
    }
    P->start[P->ncells] = P->tlen;
    P->cline[P->ncells] = P->line;
    P->col[P->ncells++] = col;
    return 0;
}

static int push_record(parse *P)
{
    if (P->nrec == P->rcap) {
        size_t cap = P->rcap ? 2 * P->rcap : 64;
        int *l = realloc(P->line_of, cap * sizeof *l);
        if (l)
            P->line_of = l;
        size_t *f = realloc(P->first, cap * sizeof *f);
        if (f)
            P->first = f;
        if (!l || !f)
            return -1;
        P->rcap = cap;
    }
    P->line_of[P->nrec] = P->line;
    P->first[P->nrec++] = P->ncells;
    return 0;
}

static void parse_free(parse *P)
{
    free(P->text);
    free(P->start);
    free(P->cline);
    free(P->col);
    free(P->line_of);
    free(P->first);
}

/* The length of the line end at i (LF, CRLF, or a CR that ends the text), or 0. */
static size_t line_end(const parse *P, size_t i)
{
    if (i >= P->n)
        return 0;
    if (P->s[i] == '\n')
        return 1;
    if (P->s[i] == '\r' && i + 1 == P->n)
        return 1;
    return P->s[i] == '\r' && P->s[i + 1] == '\n' ? 2 : 0;
}

static int col_at(const parse *P, size_t i)
{
    return (int)(i - P->line_at) + 1;
}

/* The character at i, for a message: 'x', or a name for what does not print. */
static const char *shown(const parse *P, size_t i, char buf[16])
{
    const unsigned char c = (unsigned char)P->s[i];
    if (c == '\r')
        return "a carriage return without a line feed";
    if (c == ' ')
        return "a space";
    if (c == '\t')
        return "a tab";
    if (c < 0x20 || c == 0x7f) {
        snprintf(buf, 16, "the byte 0x%02x", c);
        return buf;
    }
    const size_t k = utf8_len((const unsigned char *)P->s + i, P->n - i);
    snprintf(buf, 16, "'%.*s'", (int)(k ? k : 1), P->s + i);
    return buf;
}

/* Every byte is UTF-8 text without NUL, and the lines are few enough: 0, or -1 reported. */
static int check_text(const parse *P, rr_diags *d)
{
    int line = 1;
    size_t at = P->i;
    for (size_t k = P->i; k < P->n;) {
        const size_t u = P->s[k] ? utf8_len((const unsigned char *)P->s + k, P->n - k) : 0;
        if (!u) {
            rr_diags_add(d, line, (int)(k - at) + 1, "not a CSV text file: %s (expected UTF-8 "
                         "text)", P->s[k] ? "invalid UTF-8" : "a NUL byte");
            return -1;
        }
        if (P->s[k] == '\n') {
            if (line == RR_CSV_MAX_LINES && k + 1 < P->n) {
                rr_diags_add(d, 0, 0, "more than %d lines (the most a CSV file may have)",
                             RR_CSV_MAX_LINES);
                return -1;
            }
            line++;
            at = k + 1;
        }
        k += u;
    }
    return 0;
}

/* One quoted field, from its opening quote: 0, or -1 reported. */
static int quoted_field(parse *P, rr_diags *d)
{
    const int qline = P->line, qcol = col_at(P, P->i);
    P->i++;
    for (;;) {
        if (P->i >= P->n) {
            rr_diags_add(d, qline, qcol, "a quoted field that never ends (expected a closing "
                         "quote; a quote inside a quoted field is written \"\")");
            return -1;
        }
        const char c = P->s[P->i];
        if (c == '"') {
            if (P->i + 1 < P->n && P->s[P->i + 1] == '"') {
                P->text[P->tlen++] = '"';
                P->i += 2;
                continue;
            }
            P->i++;
            break;
        }
        P->text[P->tlen++] = c;
        P->i++;
        if (c == '\n') {
            P->line++;
            P->line_at = P->i;
        }
    }
    if (P->i < P->n && P->s[P->i] != ',' && !line_end(P, P->i)) {
        char buf[16];
        rr_diags_add(d, P->line, col_at(P, P->i), "%s after a closing quote (expected a comma "
                     "or the end of the line; a quote inside a quoted field is written \"\")",
                     shown(P, P->i, buf));
        return -1;
    }
    return 0;
}

/* One unquoted field: 0, or -1 reported. */
static int plain_field(parse *P, rr_diags *d)
{
    while (P->i < P->n && P->s[P->i] != ',' && !line_end(P, P->i)) {
        const char c = P->s[P->i];
        if (c == '"') {
            rr_diags_add(d, P->line, col_at(P, P->i), "a quote inside an unquoted field "
                         "(expected the whole field in quotes, with \"\" for each quote in it)");
            return -1;
        }
        if (c == '\r') {
            rr_diags_add(d, P->line, col_at(P, P->i), "a carriage return without a line feed "
                         "(expected LF or CRLF line ends; a field that holds a CR needs "
                         "quotes)");
            return -1;
        }
        P->text[P->tlen++] = c;
        P->i++;
    }
    return 0;
}

/* Split the text into records of cells: 0, -1 (an error reported), -2 (memory). */
static int split(parse *P, rr_diags *d)
{
    if (P->n >= 3 && memcmp(P->s, "\xef\xbb\xbf", 3) == 0)
        P->i = 3;
    P->line = 1;
    P->line_at = P->i;
    if (check_text(P, d))
        return -1;
    if (!(P->text = malloc(P->n + 1)))
        return -2;
    while (P->i < P->n) {
        size_t e = line_end(P, P->i);
        if (e) {   /* a blank line */
            P->i += e;
            P->line++;
            P->line_at = P->i;
            continue;
        }
        if (push_record(P))
            return -2;
        for (;;) {
            if (push_cell(P, col_at(P, P->i)))
                return -2;
            int rc = P->i < P->n && P->s[P->i] == '"' ? quoted_field(P, d) : plain_field(P, d);
            if (rc)
                return rc;
            P->text[P->tlen++] = '\0';
            if (P->i < P->n && P->s[P->i] == ',') {
                P->i++;
                continue;
            }
            P->i += line_end(P, P->i);
            P->line++;
            P->line_at = P->i;
            break;
        }
    }
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t k = strlen(s);
    while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        s[--k] = '\0';
    return s;
}

/* Every record has the header's field count: 0, or -1 reported (each one that has not). */
static int check_counts(const parse *P, size_t ncols, rr_diags *d)
{
    int bad = 0;
    for (size_t r = 1; r < P->nrec; r++) {
        const size_t k = (r + 1 < P->nrec ? P->first[r + 1] : P->ncells) - P->first[r];
        if (k > ncols)
            rr_diags_add(d, P->cline[P->first[r] + ncols], P->col[P->first[r] + ncols],
                         "a record of %zu fields, where the header has %zu (expected %zu; a "
                         "field that holds a comma needs quotes)", k, ncols, ncols);
        else if (k < ncols)
            rr_diags_add(d, P->line_of[r], 1, "a record of %zu field%s, where the header has "
                         "%zu (expected %zu, empty ones too)", k, k == 1 ? "" : "s", ncols,
                         ncols);
        bad |= k != ncols;
    }
    return bad ? -1 : 0;
}

rr_status rr_csv_parse(const char *text, size_t len, rr_csv *out, rr_diags *d)
{
    memset(out, 0, sizeof *out);
    if (len > RR_CSV_MAX_BYTES) {
        rr_diags_add(d, 0, 0, "larger than %u MiB (the most a CSV file may be)",
                     RR_CSV_MAX_BYTES >> 20);
        return RR_ERR_SCENARIO;
    }
    parse P = { .s = text, .n = len };
    int rc = split(&P, d);
    if (rc == 0 && P.nrec == 0) {
        rr_diags_add(d, 1, 1, "an empty file (expected a header row of column names)");
        rc = -1;
    }
    if (rc != 0) {
        parse_free(&P);
        return rc == -2 ? RR_ERR_NOMEM : RR_ERR_SCENARIO;
    }
    const size_t ncols = (P.nrec > 1 ? P.first[1] : P.ncells) - P.first[0];
    int bad = check_counts(&P, ncols, d);
    out->ncols = ncols;
    out->nrows = P.nrec - 1;
    out->head_line = P.line_of[0];
    out->text = P.text;
    P.text = NULL;
    /* One more than needed: a header-only file asks for no cell, and head ends in NULL. */
    out->head = malloc((ncols + 1) * sizeof *out->head);
    out->cell = malloc((out->nrows * ncols + 1) * sizeof *out->cell);
    out->cell_line = malloc((out->nrows * ncols + 1) * sizeof *out->cell_line);
    out->cell_col = malloc((out->nrows * ncols + 1) * sizeof *out->cell_col);
    out->line = malloc((out->nrows + 1) * sizeof *out->line);
    if (!out->head || !out->cell || !out->cell_line || !out->cell_col || !out->line) {
        parse_free(&P);
        rr_csv_free(out);
        return RR_ERR_NOMEM;
    }
    out->head[ncols] = NULL;
    for (size_t j = 0; j < ncols; j++) {
        out->head[j] = trim(out->text + P.start[j]);
        for (size_t k = 0; k < j; k++)
            if (strcmp(out->head[k], out->head[j]) == 0) {
                char nb[RR_CSV_SHOWN];
                rr_diags_add(d, P.cline[j], P.col[j], "the column '%s' twice in the header "
                             "(expected each name once; the first is column %zu)",
                             rr_csv_shown(out->head[j], nb), k + 1);
                bad = 1;
                break;
            }
    }
    for (size_t r = 0; !bad && r < out->nrows; r++) {
        out->line[r] = P.line_of[r + 1];
        for (size_t j = 0; j < ncols; j++) {
            const size_t c = P.first[r + 1] + j;
            out->cell[r * ncols + j] = out->text + P.start[c];
            out->cell_line[r * ncols + j] = P.cline[c];
            out->cell_col[r * ncols + j] = P.col[c];
        }
    }
    parse_free(&P);
    if (bad) {
        rr_csv_free(out);
        return RR_ERR_SCENARIO;
    }
    return RR_OK;
}

rr_status rr_csv_read(const char *path, rr_csv *out, rr_diags *d)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        rr_diags_add(d, 0, 0, "cannot open: %s", strerror(errno));
        return RR_ERR_IO;
    }
    /* A regular file's size is known before reading it; a pipe's only by reading, up to one
     * byte past the limit. */
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (unsigned long long)sb.st_size > RR_CSV_MAX_BYTES) {
        fclose(f);
        rr_diags_add(d, 0, 0, "larger than %u MiB (the most a CSV file may be)",
                     RR_CSV_MAX_BYTES >> 20);
        return RR_ERR_SCENARIO;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rr_status st = RR_OK;
    for (;;) {
        if (len == cap) {
            if (cap > RR_CSV_MAX_BYTES)
                break;   /* rr_csv_parse refuses it */
            cap = cap ? 2 * cap : 65536;
            if (cap > (size_t)RR_CSV_MAX_BYTES + 1)
                cap = (size_t)RR_CSV_MAX_BYTES + 1;
            char *nb = realloc(buf, cap);
            if (!nb) {
                st = RR_ERR_NOMEM;
                break;
            }
            buf = nb;
        }
        const size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                rr_diags_add(d, 0, 0, "cannot read: %s", strerror(errno));
                st = RR_ERR_IO;
            }
            break;
        }
    }
    fclose(f);
    if (st == RR_OK)
        st = rr_csv_parse(buf ? buf : "", len, out, d);
    free(buf);
    return st;
}

void rr_csv_free(rr_csv *c)
{
    free(c->head);
    free(c->cell);
    free(c->cell_line);
    free(c->cell_col);
    free(c->line);
    free(c->text);
    memset(c, 0, sizeof *c);
}

const char *rr_csv_shown(const char *v, char buf[RR_CSV_SHOWN])
{
    size_t i = 0, k = 0;
    while (v[i]) {
        const unsigned char c = (unsigned char)v[i];
        const size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        if (k + len > RR_CSV_SHOWN - 4)
            break;
        for (size_t j = 0; j < len && v[i]; j++, i++)
            buf[k++] = (unsigned char)v[i] < 0x20 ? ' ' : v[i];
    }
    if (v[i]) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

long rr_csv_column(const rr_csv *c, const char *name)
{
    for (size_t j = 0; j < c->ncols; j++)
        if (strcmp(c->head[j], name) == 0)
            return (long)j;
    return -1;
}
