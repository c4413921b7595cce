/* warn: the warning codes and the list of warnings. */
#include "scenario/warn.h"

#include "scenario/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const codes[RR_NWARNING_CODES] = {
#define RR_X(id, code, text) code,
    RR_WARNING_TABLE(RR_X)
#undef RR_X
};

static const char *const texts[RR_NWARNING_CODES] = {
#define RR_X(id, code, text) text,
    RR_WARNING_TABLE(RR_X)
#undef RR_X
};

const char *rr_warning_code_name(rr_warning_code c)
{
    return (unsigned)c < RR_NWARNING_CODES ? codes[c] : "?";
}

const char *rr_warning_code_text(rr_warning_code c)
{
    return (unsigned)c < RR_NWARNING_CODES ? texts[c] : "?";
}

void rr_warnings_init(rr_warnings *w)
{
    memset(w, 0, sizeof *w);
}

void rr_warnings_free(rr_warnings *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].where);
        free(w->v[i].message);
        free(w->v[i].fix);
    }
    free(w->v);
    memset(w, 0, sizeof *w);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Room for one more; 0, or -1 (counted as lost). */
static int reserve(rr_warnings *w)
{
    if (w->n >= RR_WARNINGS_MAX) {
        w->lost++;
        return -1;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 8;
        rr_warning *v = realloc(w->v, cap * sizeof *v);
        if (!v) {
            w->lost++;
            return -1;
        }
        w->v = v;
        w->cap = cap;
    }
    return 0;
}

static void push(rr_warnings *w, rr_warning_code code, char *where, char *message, char *fix)
{
    if (!message || !fix || reserve(w) != 0) {
        free(where);
        free(message);
        free(fix);
        if (!message || !fix)
            w->lost++;
        return;
    }
    w->v[w->n++] = (rr_warning){ code, where, message, fix };
}

void rr_warnings_add(rr_warnings *w, rr_warning_code code, const char *file, int line,
                     int col, const char *fix, const char *fmt, ...)
{
    char *where = NULL;
    /* A line of the i-th base file: that file's. */
    if (file && rr_pos_file(line) > 0 && w->layers) {
        file = w->layers[rr_pos_file(line) - 1];
        line = rr_pos_line(line);
    }
    if (file) {
        size_t len = strlen(file) + 32;
        if ((where = malloc(len)) != NULL) {
            if (line > 0)
                snprintf(where, len, "%s:%d:%d", file, line, col);
            else
                snprintf(where, len, "%s", file);
        }
    }
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *message = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (message) {
        va_start(ap, fmt);
        vsnprintf(message, (size_t)len + 1, fmt, ap);
        va_end(ap);
    }
    push(w, code, where, message, dup_or_null(fix));
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int holds(const rr_warnings *w, const rr_warning *x)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->v[i].code == x->code && same_text(w->v[i].where, x->where) &&
            same_text(w->v[i].message, x->message))
            return 1;
    return 0;
}

int rr_warnings_append(rr_warnings *dst, const rr_warnings *src, int unique)
{
    int lost = dst->lost;
    for (size_t i = 0; i < src->n; i++) {
        const rr_warning *x = &src->v[i];
        if (unique && holds(dst, x))
            continue;
        push(dst, x->code, dup_or_null(x->where), dup_or_null(x->message), dup_or_null(x->fix));
    }
    dst->lost += src->lost;
    return dst->lost > lost + src->lost ? -1 : 0;
}
