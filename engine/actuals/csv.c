#include "actuals/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of the UTF-8 sequence at p (at most n bytes), or 0 when it is invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    size_t k = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
    if (!k || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if (k == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
        return 0;   /* overlong, or a surrogate */
    if (k == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
        return 0;
    return k;
}

/* Growing arrays of the parse. */
typedef struct parse {
    char *text;                      /* cells' text, NUL-separated */
    size_t tlen;
    size_t *start;                   /* each cell's offset in text */
    int *col;
    size_t ncells, cap;
    int *line;                       /* per record */
    size_t *first;                   /* per record: its first cell */
    size_t nrec, rcap;
} parse;

static int push_cell(parse *P, size_t start, int col)
{
    if (P->ncells == P->cap) {
        size_t cap = P->cap ? 2 * P->cap : 64;
        size_t *s = realloc(P->start, cap * sizeof *s);
        if (s)
            P->start = s;
        int *c = realloc(P->col, cap * sizeof *c);
        if (c)
            P->col = c;
        if (!s || !c)
            return -1;
        P->cap = cap;
    }
    P->start[P->ncells] = start;
    P->col[P->ncells++] = col;
    return 0;
}

static int push_record(parse *P, int line, size_t first)
{
    if (P->nrec == P->rcap) {
        size_t cap = P->rcap ? 2 * P->rcap : 64;
        int *l = realloc(P->line, cap * sizeof *l);
        if (l)
            P->line = l;
        size_t *f = realloc(P->first, cap * sizeof *f);
        if (f)
            P->first = f;
        if (!l || !f)
            return -1;
        P->rcap = cap;
    }
    P->line[P->nrec] = line;
    P->first[P->nrec++] = first;
    return 0;
}

static void parse_free(parse *P)
{
    free(P->text);
    free(P->start);
    free(P->col);
    free(P->line);
    free(P->first);
}

/* Split the text into records of cells.  0, -1 (an error reported), -2 (memory). */
static int split(const char *s, size_t n, parse *P, rr_diags *d)
{
    size_t i = 0;
    if (n >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
        (unsigned char)s[2] == 0xbf)
        i = 3;
    int line = 1;
    size_t line_at = 0;   /* offset of the line's first byte */
    if (!(P->text = malloc(n + 1)))
        return -2;
    /* Every byte checked first: binary input is refused as a whole. */
    for (size_t k = i; k < n;) {
        size_t u = s[k] ? utf8_len((const unsigned char *)s + k, n - k) : 0;
        if (!u) {
            int ln = 1;
            size_t at = 0;
            for (size_t j = 0; j < k; j++)
                if (s[j] == '\n')
                    ln++, at = j + 1;
            rr_diags_add(d, ln, (int)(k - at) + 1, "not a CSV text file: %s at this byte "
                         "(expected UTF-8 text)", s[k] ? "invalid UTF-8" : "a NUL byte");
            return -1;
        }
        k += u;
    }
    while (i < n) {
        /* A blank line is not a record. */
        if (s[i] == '\n' || (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')) {
            i += s[i] == '\r' ? 2 : 1;
            line++;
            line_at = i;
            continue;
        }
        if (push_record(P, line, P->ncells))
            return -2;
        for (;;) {   /* one field */
            const int col = (int)(i - line_at) + 1;
            if (push_cell(P, P->tlen, col))
                return -2;
            if (i < n && s[i] == '"') {
                const int qline = line, qcol = col;
                i++;
                for (;;) {
                    if (i >= n) {
                        rr_diags_add(d, qline, qcol, "a quoted field that never ends (expected "
                                     "a closing quote; a quote inside a quoted field is "
                                     "written \"\")");
                        return -1;
                    }
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            P->text[P->tlen++] = '"';
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (s[i] == '\n') {
                        line++;
                        line_at = i + 1;
                    }
                    P->text[P->tlen++] = s[i++];
                }
                if (i < n && s[i] != ',' && s[i] != '\n' && !(s[i] == '\r' && i + 1 < n &&
                                                               s[i + 1] == '\n') &&
                    !(s[i] == '\r' && i + 1 == n)) {
                    rr_diags_add(d, line, (int)(i - line_at) + 1, "'%c' after a closing "
                                 "quote (expected a comma or the end of the line)", s[i]);
                    return -1;
                }
            } else {
                while (i < n && s[i] != ',' && s[i] != '\n' &&
                       !(s[i] == '\r' && (i + 1 == n || s[i + 1] == '\n'))) {
                    if (s[i] == '"') {
                        rr_diags_add(d, line, (int)(i - line_at) + 1, "a quote inside an "
                                     "unquoted field (expected the whole field in quotes, "
                                     "with \"\" for each quote in it)");
                        return -1;
                    }
                    P->text[P->tlen++] = s[i++];
                }
            }
            P->text[P->tlen++] = '\0';
            if (i < n && s[i] == ',') {
                i++;
                continue;
            }
            /* The record's end: a line end or the end of the text. */
            if (i < n)
                i += s[i] == '\r' ? 2 : 1;
            if (i > n)
                i = n;
            line++;
            line_at = i;
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

rr_status rr_csv_parse(const char *text, size_t len, rr_csv *out, rr_diags *d)
{
    memset(out, 0, sizeof *out);
    parse P = { 0 };
    int rc = split(text, len, &P, d);
    if (rc == 0 && P.nrec == 0) {
        rr_diags_add(d, 1, 1, "an empty file (expected a header row of column names)");
        rc = -1;
    }
    if (rc != 0) {
        parse_free(&P);
        return rc == -2 ? RR_ERR_NOMEM : RR_ERR_SCENARIO;
    }
    const size_t ncols = (P.nrec > 1 ? P.first[1] : P.ncells) - P.first[0];
    int bad = 0;
    for (size_t r = 1; r < P.nrec; r++) {
        size_t k = (r + 1 < P.nrec ? P.first[r + 1] : P.ncells) - P.first[r];
        if (k != ncols) {
            rr_diags_add(d, P.line[r], 1, "a record of %zu field%s, where the header has %zu "
                         "(expected one field per column; quote a field that holds a comma)",
                         k, k == 1 ? "" : "s", ncols);
            bad = 1;
        }
    }
    out->ncols = ncols;
    out->nrows = P.nrec - 1;
    out->text = P.text;
    out->head = malloc((ncols + 1) * sizeof *out->head);
    out->cell = malloc((out->nrows * ncols + 1) * sizeof *out->cell);
    out->cell_col = malloc((out->nrows * ncols + 1) * sizeof *out->cell_col);
    out->line = malloc((out->nrows + 1) * sizeof *out->line);
    P.text = NULL;
    if (!out->head || !out->cell || !out->cell_col || !out->line) {
        parse_free(&P);
        rr_csv_free(out);
        return RR_ERR_NOMEM;
    }
    for (size_t j = 0; j < ncols; j++) {
        out->head[j] = trim(out->text + P.start[j]);
        for (size_t k = 0; k < j; k++)
            if (strcmp(out->head[k], out->head[j]) == 0) {
                rr_diags_add(d, P.line[0], P.col[j], "the column '%s' twice in the header "
                             "(expected each name once)", out->head[j]);
                bad = 1;
            }
    }
    for (size_t r = 0; !bad && r < out->nrows; r++) {
        out->line[r] = P.line[r + 1];
        for (size_t j = 0; j < ncols; j++) {
            size_t c = P.first[r + 1] + j;
            out->cell[r * ncols + j] = out->text + P.start[c];
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
    char *buf = NULL;
    size_t len = 0, cap = 0;
    rr_status st = RR_OK;
    for (;;) {
        if (len == cap) {
            if (cap >= RR_CSV_MAX_BYTES) {
                rr_diags_add(d, 0, 0, "larger than %u MiB: not a bill this reader takes",
                             RR_CSV_MAX_BYTES >> 20);
                st = RR_ERR_IO;
                break;
            }
            cap = cap ? 2 * cap : 65536;
            char *nb = realloc(buf, cap);
            if (!nb) {
                st = RR_ERR_NOMEM;
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
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
    free(c->cell_col);
    free(c->line);
    free(c->text);
    memset(c, 0, sizeof *c);
}

long rr_csv_column(const rr_csv *c, const char *name)
{
    for (size_t j = 0; j < c->ncols; j++)
        if (strcmp(c->head[j], name) == 0)
            return (long)j;
    return -1;
}
