/* report_util: the shortest round-trip number and readable money. */
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
