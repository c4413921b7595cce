/* report_table: the summary a person reads in a terminal.
 *
 * Money is shown rounded to whole units with thousands separators (cents below 100), the
 * way a budget is read; the JSON report keeps every digit.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

/* Format x as "1,234,567" (or "12.34" below 100) into s. */
static const char *money(char *s, size_t size, double x)
{
    if (!isfinite(x)) {
        snprintf(s, size, "-");
        return s;
    }
    if (fabs(x) < 100) {
        snprintf(s, size, "%.2f", x);
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

static void row(rr_buf *b, const rr_summary *sum, const char *label, const rr_stats *st,
                int i50, int i80, int i95)
{
    char a[48], c[48], d[48], e[48];
    rr_buf_printf(b, "  %-22s %14s %14s %14s %14s\n", label, money(a, sizeof a, st->mean),
                  money(c, sizeof c, st->q[i50]), money(d, sizeof d, st->q[i80]),
                  money(e, sizeof e, st->q[i95]));
    (void)sum;
}

rr_status rr_report_table(const rr_summary *sum, rr_buf *b)
{
    int i50 = rr_summary_qindex(sum, 50), i80 = rr_summary_qindex(sum, 80),
        i95 = rr_summary_qindex(sum, 95);
    if (i50 < 0 || i80 < 0 || i95 < 0)
        return RR_ERR_INTERNAL;
    char x[48], y[48];
    rr_buf_printf(b, "runrate %s  scenario: %s\n", RR_VERSION, sum->scenario);
    rr_buf_printf(b, "%d months (%s to %s), %s, %llu paths, seed %llu, %d thread%s, %.2f s\n\n",
                  sum->horizon, sum->months[0], sum->months[sum->horizon - 1], sum->currency,
                  (unsigned long long)sum->paths, (unsigned long long)sum->seed, sum->threads,
                  sum->threads == 1 ? "" : "s", sum->seconds);
    rr_buf_printf(b, "Cost over the horizon (%s)\n", sum->currency);
    rr_buf_printf(b, "  %-22s %14s %14s %14s %14s\n", "", "mean", "P50", "P80", "P95");
    row(b, sum, "total", &sum->total, i50, i80, i95);
    for (int c = 0; c < sum->ncat; c++)
        row(b, sum, sum->cat_names[c], &sum->cats[c], i50, i80, i95);
    rr_buf_printf(b, "\nBy component\n");
    for (size_t k = 0; k < sum->ncomp; k++) {
        char label[64];
        snprintf(label, sizeof label, "%s", sum->comp_names[k]);
        row(b, sum, label, &sum->comps[k], i50, i80, i95);
    }
    const rr_stats *last = &sum->monthly_total[sum->horizon - 1];
    rr_buf_printf(b, "\nMonthly run-rate, last month (%s)\n", sum->months[sum->horizon - 1]);
    row(b, sum, "total", last, i50, i80, i95);
    for (int c = 0; c < sum->ncat; c++)
        row(b, sum, sum->cat_names[c],
            &sum->monthly_cats[(size_t)(sum->horizon - 1) * (size_t)sum->ncat + (size_t)c], i50,
            i80, i95);

    rr_buf_printf(b, "\nBudget\n");
    if (sum->has_budget)
        rr_buf_printf(b, "  budget for the horizon      %14s   chance of exceeding it: %.1f%%\n",
                      money(x, sizeof x, sum->budget_total), 100 * sum->p_exceed);
    else
        rr_buf_printf(b, "  no budget given (add budget: {total: ...} to the scenario)\n");
    rr_buf_printf(b, "  recommended at %g%% confidence %12s   (the total's P%g)\n",
                  100 * sum->confidence, money(y, sizeof y, sum->recommended),
                  100 * sum->confidence);
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}
