/* report_util: the shortest round-trip number, readable money, and the escaping of each
 * format. */
#include "report/report_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rr_fmt_shortest(char *s, size_t size, double x)
{
    if (size == 0)
        return s;
    s[0] = '\0';
    if (!isfinite(x))
        return s;
    /* 17 significant digits always round-trip a double; fewer are tried first so that
     * 0.1 stays "0.1" rather than "0.10000000000000001". */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(s, size, "%.*g", prec, x);
        if (strtod(s, NULL) == x)
            break;
    }
    return s;
}

const char *rr_fmt_money(char *s, size_t size, double x)
{
    if (!isfinite(x)) {
        snprintf(s, size, "-");
        return s;
    }
    if (fabs(x) < 100) {
        snprintf(s, size, "%.2f", x);
        return s;
    }
    /* Beyond a quadrillion separators stop helping (and would not fit): scientific form. */
    if (fabs(x) >= 1e15) {
        snprintf(s, size, "%.4g", x);
        return s;
    }
    char digits[48];
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
    size_t n = strlen(digits), o = 0;
    if (x < 0 && o + 1 < size)
        s[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            s[o++] = ',';
        s[o++] = digits[i];
    }
    s[o] = '\0';
    return s;
}

const char *rr_fmt_ci_end(char *s, size_t size, double x)
{
    if (isinf(x)) {
        snprintf(s, size, "%s", x < 0 ? "< min" : "> max");
        return s;
    }
    return rr_fmt_money(s, size, x);
}

const char *rr_fmt_money_short(char *s, size_t size, double x, double step)
{
    if (!isfinite(x) || !isfinite(step) || step <= 0) {
        snprintf(s, size, "-");
        return s;
    }
    static const struct { double unit; const char *suffix; } units[] = {
        { 1e9, "B" }, { 1e6, "M" }, { 1e3, "k" }, { 1, "" },
    };
    size_t u = 0;
    while (u + 1 < sizeof units / sizeof *units && fabs(x) < units[u].unit)
        u++;
    /* The decimals that write the step exactly in this unit, so that 1M and 1.25M stay
     * apart and 1.5M does not read 1.50M. */
    double rel = step / units[u].unit;
    int dec = 0;
    while (dec < 3 && fabs(rel * pow(10, dec) - round(rel * pow(10, dec))) > 1e-6)
        dec++;
    snprintf(s, size, "%.*f", dec, x / units[u].unit);
    if (dec > 0) {
        size_t n = strlen(s);
        while (n > 0 && s[n - 1] == '0')
            s[--n] = '\0';
        if (n > 0 && s[n - 1] == '.')
            s[--n] = '\0';
    }
    if (strcmp(s, "-0") == 0)
        snprintf(s, size, "0");
    snprintf(s + strlen(s), size - strlen(s), "%s", units[u].suffix);
    return s;
}

const char *rr_fmt_pct(char *s, size_t size, double x)
{
    if (!isfinite(x))
        snprintf(s, size, "-");
    else if (x <= 0)
        snprintf(s, size, "0%%");
    else if (x < 0.0005)
        snprintf(s, size, "< 0.1%%");
    else if (x >= 1)
        snprintf(s, size, "100%%");
    else if (x > 0.9995)
        snprintf(s, size, "> 99.9%%");
    else
        snprintf(s, size, "%.1f%%", 100 * x);
    return s;
}

const char *rr_fmt_value(char *s, size_t size, double x)
{
    /* Above 10,000 an input is a count (requests, tokens, GB): its digits read as money
     * does; below, four significant digits keep a share (0.0052) or a price (3.5) whole.  A
     * tiny share per request is written out: readers of a budget do not read 2.784e-05. */
    if (isfinite(x) && fabs(x) >= 1e4)
        return rr_fmt_money(s, size, x);
    if (!isfinite(x))
        snprintf(s, size, "-");
    else if (x != 0 && fabs(x) < 1e-4 && fabs(x) >= 1e-9)   /* "0.00002784", not "2.784e-05" */
        snprintf(s, size, "%.*f", 3 - (int)floor(log10(fabs(x))), x);
    else
        snprintf(s, size, "%.4g", x);
    return s;
}

int rr_report_qindex(const double *qp, size_t nq, double percent)
{
    for (size_t i = 0; i < nq; i++)
        if (fabs(qp[i] * 100 - percent) < 1e-9)
            return (int)i;
    return -1;
}

int rr_report_q_find(const double *qp, size_t nq, rr_report_q *q)
{
    q->p5 = rr_report_qindex(qp, nq, 5);
    q->p10 = rr_report_qindex(qp, nq, 10);
    q->p50 = rr_report_qindex(qp, nq, 50);
    q->p80 = rr_report_qindex(qp, nq, 80);
    q->p90 = rr_report_qindex(qp, nq, 90);
    q->p95 = rr_report_qindex(qp, nq, 95);
    return q->p5 < 0 || q->p10 < 0 || q->p50 < 0 || q->p80 < 0 || q->p90 < 0 || q->p95 < 0
               ? -1 : 0;
}

static double swing_width(const rr_swing *w)
{
    return fabs(w->total_p50_high - w->total_p50_low);
}

size_t rr_report_swings_by_width(const rr_summary *sum, const rr_swing **rows, size_t max,
                                 size_t *left)
{
    size_t n = 0;
    *left = 0;
    for (size_t i = 0; i < sum->nswings && max > 0; i++) {
        const rr_swing *w = &sum->swings[i];
        if (!isfinite(w->total_p50_low) || !isfinite(w->total_p50_high))
            continue;
        size_t k = n;
        while (k > 0 && swing_width(rows[k - 1]) < swing_width(w))
            k--;
        if (n == max) {
            (*left)++;   /* w or the narrowest so far drops out */
            if (k == n)
                continue;
            n--;
        }
        memmove(&rows[k + 1], &rows[k], (n - k) * sizeof *rows);
        rows[k] = w;
        n++;
    }
    return n;
}

void rr_buf_csv(rr_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        rr_buf_puts(b, s);
        return;
    }
    rr_buf_puts(b, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            rr_buf_puts(b, "\"\"");
        else
            rr_buf_printf(b, "%c", *p);
    }
    rr_buf_puts(b, "\"");
}

void rr_buf_json_num(rr_buf *b, double x)
{
    char s[40];
    rr_buf_puts(b, isfinite(x) ? rr_fmt_shortest(s, sizeof s, x) : "null");
}

void rr_buf_json_str(rr_buf *b, const char *s)
{
    rr_buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            rr_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            rr_buf_printf(b, "\\u%04x", *p);
        else
            rr_buf_printf(b, "%c", *p);
    }
    rr_buf_puts(b, "\"");
}

void rr_buf_json_warnings(rr_buf *b, const rr_warnings *w)
{
    rr_buf_puts(b, "\"warnings\": [");
    for (size_t i = 0; i < w->n; i++) {
        const rr_warning *x = &w->v[i];
        rr_buf_puts(b, i ? ",\n    {\"code\": " : "\n    {\"code\": ");
        rr_buf_json_str(b, rr_warning_code_name(x->code));
        rr_buf_puts(b, ", \"where\": ");
        if (x->where)
            rr_buf_json_str(b, x->where);
        else
            rr_buf_puts(b, "null");
        rr_buf_puts(b, ", \"message\": ");
        rr_buf_json_str(b, x->message);
        rr_buf_puts(b, ", \"fix\": ");
        rr_buf_json_str(b, x->fix);
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, w->n ? "\n  ]" : "]");
}

void rr_buf_json_stats(rr_buf *b, size_t nq, const char (*qkey)[32], const rr_stats *st,
                       int with_n)
{
    if (with_n)
        rr_buf_printf(b, "{\"n\": %llu, \"mean\": ", (unsigned long long)st->n);
    else
        rr_buf_puts(b, "{\"mean\": ");
    rr_buf_json_num(b, st->mean);
    rr_buf_puts(b, ", \"sd\": ");
    rr_buf_json_num(b, st->sd);
    for (size_t i = 0; i < nq; i++) {
        rr_buf_printf(b, ", \"%s\": ", qkey[i]);
        rr_buf_json_num(b, st->q[i]);
    }
    rr_buf_puts(b, ", \"ci95\": {");
    for (size_t i = 0; i < nq; i++) {
        rr_buf_printf(b, "%s\"%s\": [", i ? ", " : "", qkey[i]);
        rr_buf_json_num(b, st->lo[i]);
        rr_buf_puts(b, ", ");
        rr_buf_json_num(b, st->hi[i]);
        rr_buf_puts(b, "]");
    }
    rr_buf_puts(b, "}}");
}

void rr_buf_html(rr_buf *b, const char *s)
{
    const char *run = s;
    for (const char *p = s;; p++) {
        const char *ent = NULL;
        switch (*p) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        default: break;
        }
        if (!ent && *p)
            continue;
        /* Copy the plain run before the character in one append rather than byte by byte. */
        if (p > run)
            rr_buf_printf(b, "%.*s", (int)(p - run), run);
        if (!*p)
            return;
        rr_buf_puts(b, ent);
        run = p + 1;
    }
}

/* Prose: Markdown's special characters escaped, line breaks flattened, so that a scenario
 * name cannot turn into a heading, a link or a broken table. */
void rr_buf_md(rr_buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\n' || *p == '\r')
            rr_buf_puts(b, " ");
        else if (strchr("\\`*_[]<>|#", *p))
            rr_buf_printf(b, "\\%c", *p);
        else
            rr_buf_printf(b, "%c", *p);
    }
}

/* An identifier as a code span.  Backslash escapes do not work inside code spans, except
 * "\|", which GFM strips in table cells before it reads the span. */
void rr_buf_md_code(rr_buf *b, const char *s, int in_table)
{
    const char *fence = strchr(s, '`') ? "`` " : "`";
    rr_buf_puts(b, fence);
    for (const char *p = s; *p; p++) {
        if (*p == '\n' || *p == '\r')
            rr_buf_puts(b, " ");
        else if (*p == '|' && in_table)
            rr_buf_puts(b, "\\|");
        else
            rr_buf_printf(b, "%c", *p);
    }
    rr_buf_puts(b, strchr(s, '`') ? " ``" : "`");
}

void rr_buf_md_warnings(rr_buf *b, const rr_warnings *w)
{
    if (!w->n)
        return;
    rr_buf_printf(b, "> **Warning%s: check before using these figures.**\n>\n",
                  w->n == 1 ? "" : "s");
    for (size_t i = 0; i < w->n; i++) {
        rr_buf_puts(b, "> - ");
        if (w->v[i].where) {
            rr_buf_md_code(b, w->v[i].where, 0);
            rr_buf_puts(b, ": ");
        }
        rr_buf_md(b, w->v[i].message);
        rr_buf_puts(b, ". Fix: ");
        rr_buf_md(b, w->v[i].fix);
        rr_buf_puts(b, ". (");
        rr_buf_md_code(b, rr_warning_code_name(w->v[i].code), 0);
        rr_buf_puts(b, ")\n");
    }
    rr_buf_puts(b, "\n");
}

/* The price catalog entries a scenario names: [{entry, checked, source}, ...]; each item
 * after `sep`, the closing bracket after `end` (none without items). */
void rr_buf_json_catalog(rr_buf *b, const rr_result_source *v, size_t n, const char *sep,
                         const char *end)
{
    rr_buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        rr_buf_printf(b, "%s%s{\"entry\": ", i ? "," : "", sep);
        rr_buf_json_str(b, v[i].entry);
        rr_buf_puts(b, ", \"checked\": ");
        rr_buf_json_str(b, v[i].checked);
        rr_buf_puts(b, ", \"source\": ");
        rr_buf_json_str(b, v[i].source);
        rr_buf_puts(b, "}");
    }
    rr_buf_printf(b, "%s]", n ? end : "");
}
