/* diag: status texts, the diagnostics list, and did-you-mean suggestions.
 *
 * The list never fails its caller: a parser that runs out of memory while reporting errors
 * still has to return the errors it has, so exhaustion is counted, not propagated.
 */
#include "scenario/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rr_status_text(rr_status s)
{
    switch (s) {
#define RR_X(name, text) case name: return text;
        RR_STATUS_TABLE(RR_X)
#undef RR_X
    }
    return "unknown status";
}

void rr_diags_init(rr_diags *d, const char *file)
{
    memset(d, 0, sizeof *d);
    if (file)
        d->file = strdup(file);
}

void rr_diags_free(rr_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i].msg);
    free(d->v);
    free(d->file);
    for (size_t i = 0; i < d->nlayers; i++)
        free(d->layers[i]);
    free(d->layers);
    memset(d, 0, sizeof *d);
}

int rr_diags_add_layer(rr_diags *d, const char *file)
{
    char **v = realloc(d->layers, (d->nlayers + 1) * sizeof *v);
    if (!v)
        return -1;
    d->layers = v;
    if (!(v[d->nlayers] = strdup(file)))
        return -1;
    return (int)++d->nlayers;
}

const char *rr_diags_file(const rr_diags *d, int line)
{
    size_t i = rr_pos_file(line);
    return i == 0 ? d->file : i <= d->nlayers ? d->layers[i - 1] : NULL;
}

void rr_diags_add(rr_diags *d, int line, int col, const char *fmt, ...)
{
    if (d->n >= RR_DIAGS_MAX) {
        d->lost++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        rr_diag *v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->lost++;
            return;
        }
        d->v = v;
        d->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (!msg) {
        d->lost++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    va_end(ap);
    d->v[d->n++] = (rr_diag){ line, col, msg };
}

void rr_diags_sort(rr_diags *d)
{
    /* Insertion sort: lists are short and it is stable. */
    for (size_t i = 1; i < d->n; i++) {
        rr_diag x = d->v[i];
        size_t j = i;
        while (j > 0 && (d->v[j - 1].line > x.line ||
                         (d->v[j - 1].line == x.line && d->v[j - 1].col > x.col))) {
            d->v[j] = d->v[j - 1];
            j--;
        }
        d->v[j] = x;
    }
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *rr_suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; cands[i]; i++) {
        size_t dist = edit_distance(word, cands[i]);
        if (dist < best_d) {
            best_d = dist;
            best = cands[i];
        }
    }
    /* A third of the word's length, at least 2 edits: catches typos, not unrelated words. */
    size_t len = strlen(word);
    size_t limit = len / 3 > 2 ? len / 3 : 2;
    return best && best_d <= limit ? best : NULL;
}
