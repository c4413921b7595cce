/* periods: see periods.h.  Each month gets its year's and quarter's number and label; runs
 * of months with the same number are the periods. */
#include "scenario/periods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Month m's year and quarter: numbers that order them, and labels. */
static void month_keys(const rr_calendar *cal, int m, long *year, long *quarter,
                       char *ylabel, char *qlabel)
{
    if (!cal->start_month) {
        *year = m / 12;
        *quarter = m / 3;
        snprintf(ylabel, RR_PERIOD_LABEL, "Y%d", m / 12 + 1);
        snprintf(qlabel, RR_PERIOD_LABEL, "Q%d", m / 3 + 1);
        return;
    }
    const int mm = cal->start_month - 1 + m;
    const int y = cal->start_year + mm / 12, cm = mm % 12 + 1;
    const int fy = cm >= cal->fy_start ? y : y - 1;          /* the year it starts in */
    const int q = ((cm - cal->fy_start + 12) % 12) / 3 + 1;
    *year = fy;
    *quarter = 4L * fy + q;
    if (cal->fy_start == 1)
        snprintf(ylabel, RR_PERIOD_LABEL, "%d", fy);
    else
        snprintf(ylabel, RR_PERIOD_LABEL, "FY%d", cal->label_start ? fy : fy + 1);
    snprintf(qlabel, RR_PERIOD_LABEL, "%.10s-Q%d", ylabel, q);
}

/* Runs of months with the same key into out[], each `len` months long when whole. */
static size_t runs(const rr_calendar *cal, int quarters, rr_period *out)
{
    size_t n = 0;
    long prev = 0;
    for (int m = 0; m < cal->horizon; m++) {
        long y, q;
        char yl[RR_PERIOD_LABEL], ql[RR_PERIOD_LABEL];
        month_keys(cal, m, &y, &q, yl, ql);
        const long key = quarters ? q : y;
        if (m == 0 || key != prev) {
            out[n] = (rr_period){ .from = m, .to = m };
            memcpy(out[n].label, quarters ? ql : yl, RR_PERIOD_LABEL);
            n++;
        }
        out[n - 1].to = m;
        prev = key;
    }
    for (size_t i = 0; i < n; i++)
        out[i].partial = out[i].to - out[i].from + 1 < (quarters ? 3 : 12);
    return n;
}

int rr_periods_make(const rr_calendar *cal, rr_periods *out)
{
    memset(out, 0, sizeof *out);
    const size_t h = cal->horizon > 0 ? (size_t)cal->horizon : 0;
    /* At most one period a month, and one more for a partial first one. */
    out->years = calloc(h / 12 + 2, sizeof *out->years);
    out->quarters = calloc(h / 3 + 2, sizeof *out->quarters);
    if (!out->years || !out->quarters) {
        rr_periods_free(out);
        return -1;
    }
    out->nyears = runs(cal, 0, out->years);
    out->nquarters = runs(cal, 1, out->quarters);
    return 0;
}

void rr_periods_free(rr_periods *p)
{
    free(p->years);
    free(p->quarters);
    memset(p, 0, sizeof *p);
}

const rr_period *rr_periods_find(const rr_periods *p, const char *label)
{
    for (size_t i = 0; i < p->nyears; i++)
        if (strcmp(p->years[i].label, label) == 0)
            return &p->years[i];
    for (size_t i = 0; i < p->nquarters; i++)
        if (strcmp(p->quarters[i].label, label) == 0)
            return &p->quarters[i];
    return NULL;
}

const char *rr_periods_list(const rr_periods *p, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->nyears + p->nquarters; i++) {
        const char *l = i < p->nyears ? p->years[i].label : p->quarters[i - p->nyears].label;
        int w = snprintf(buf + at, size - at, "%s%s", i ? ", " : "", l);
        if (w < 0 || (size_t)w >= size - at) {
            /* Cut at the last whole label. */
            char *comma = at ? buf + at : buf;
            snprintf(comma, size - (size_t)(comma - buf), "%s", at + 5 < size ? ", ..." : "");
            break;
        }
        at += (size_t)w;
    }
    return buf;
}
