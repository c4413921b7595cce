/* report_table: the summary a person reads in a terminal.
 *
 * Money is shown rounded to whole units with thousands separators (cents below 100), the
 * way a budget is read; the JSON report keeps every digit.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "version.h"
#include "report/report.h"
#include "report/report_util.h"

/* Money in a column of 14: with separators while it fits, else in scientific form, so
 * that an absurd total (a growth of 2 meant as 2%) does not push the columns apart. */
static const char *money14(char *s, size_t size, double x)
{
    rr_fmt_money(s, size, x);
    if (strlen(s) > 14)
        snprintf(s, size, "%.4g", x);
    return s;
}

static void row(rr_buf *b, const rr_summary *sum, const char *label, const rr_stats *st,
                int i50, int i80, int i95)
{
    char a[48], c[48], d[48], e[48];
    rr_buf_printf(b, "  %-22s %14s %14s %14s %14s\n", label, money14(a, sizeof a, st->mean),
                  money14(c, sizeof c, st->q[i50]), money14(d, sizeof d, st->q[i80]),
                  money14(e, sizeof e, st->q[i95]));
    (void)sum;
}

/* The years with their categories, the quarters' totals, and the periods' budgets. */
static void periods(rr_buf *b, const rr_summary *sum, int i50, int i80, int i95)
{
    int partial = 0;
    char label[64], x[48], y[48];
    rr_buf_printf(b, "\nBy %syear\n", sum->fy_start != 1 ? "fiscal " : "");
    for (size_t i = 0; i < sum->nyears; i++) {
        const rr_summary_period *p = &sum->periods[i];
        partial |= p->partial;
        snprintf(label, sizeof label, "%s%s", p->label, p->partial ? " *" : "");
        row(b, sum, label, &p->total, i50, i80, i95);
        for (int c = 0; c < sum->ncat && sum->ncat > 1; c++) {
            snprintf(label, sizeof label, "  %s", sum->cat[c]->name);
            row(b, sum, label, &p->cats[c], i50, i80, i95);
        }
    }
    rr_buf_printf(b, "\nBy %squarter\n", sum->fy_start != 1 ? "fiscal " : "");
    for (size_t i = sum->nyears; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *p = &sum->periods[i];
        partial |= p->partial;
        snprintf(label, sizeof label, "%s%s", p->label, p->partial ? " *" : "");
        row(b, sum, label, &p->total, i50, i80, i95);
    }
    if (partial)
        rr_buf_printf(b, "  * the horizon covers the period in part: the months it covers\n");
    for (size_t i = 0; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *p = &sum->periods[i];
        if (p->has_budget)
            rr_buf_printf(b, "  budget %-12s %14s   chance of exceeding it: %.1f%%, "
                          "recommended at %g%%: %s\n", p->label,
                          rr_fmt_money(x, sizeof x, p->budget), 100 * p->p_exceed,
                          100 * sum->confidence, rr_fmt_money(y, sizeof y, p->recommended));
    }
}

/* The top five drivers by share of the variance, with the share of the ranks beside it
 * when it was measured. */
static void drivers(rr_buf *b, const rr_summary *sum)
{
    int ranks = 0;
    for (size_t i = 0; i < sum->ndrivers && i < 5; i++)
        ranks |= isfinite(sum->drivers[i].rank_share);
    rr_buf_printf(b, "\nWhat drives the uncertainty (share of the total's variance%s)\n",
                  ranks ? "; rank: of its ranks" : "");
    if (sum->ndrivers == 0)
        rr_buf_printf(b, "  nothing: every input drawn once per path is a constant\n");
    for (size_t i = 0; i < sum->ndrivers && i < 5; i++) {
        const rr_driver *d = &sum->drivers[i];
        rr_buf_printf(b, "  %5.1f%% %c %s", 100 * d->share, d->sign < 0 ? '-' : '+', d->input);
        if (isfinite(d->rank_share))
            rr_buf_printf(b, " (rank %.1f%%)", 100 * d->rank_share);
        rr_buf_puts(b, "\n");
    }
}

/* What each input's uncertainty is worth: the total's P50 with the input at its P10 and its
 * P90, widest swing first.  Nothing without swings (not measured). */
static void swings(rr_buf *b, const rr_summary *sum)
{
    const rr_swing *rows[RR_REPORT_MAX_SWINGS];
    size_t left, n = rr_report_swings_by_width(sum, rows, RR_REPORT_MAX_SWINGS, &left);
    if (n == 0)
        return;
    rr_buf_printf(b, "\nWhat each input's uncertainty is worth (%s: the total's P50, the input "
                     "at its P10 / P90)\n", sum->currency);
    rr_buf_printf(b, "  %14s %14s %14s   %s\n", "swing", "at P10", "at P90",
                  "input: P10 -> P90");
    for (size_t i = 0; i < n; i++) {
        const rr_swing *w = rows[i];
        char a[48], c[48], d[48], lo[48], hi[48];
        rr_buf_printf(b, "  %14s %14s %14s   %s: %s -> %s\n",
                      money14(a, sizeof a, w->total_p50_high - w->total_p50_low),
                      money14(c, sizeof c, w->total_p50_low),
                      money14(d, sizeof d, w->total_p50_high), w->input,
                      rr_fmt_value(lo, sizeof lo, w->low_value),
                      rr_fmt_value(hi, sizeof hi, w->high_value));
    }
    if (left)
        rr_buf_printf(b, "  and %zu narrower (in the JSON report)\n", left);
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
    if (sum->partial)
        rr_buf_printf(b, "PARTIAL RESULT: the run was interrupted after %llu of %llu paths\n\n",
                      (unsigned long long)sum->paths, (unsigned long long)sum->paths_requested);
    rr_buf_printf(b, "Cost over the horizon (%s)\n", sum->currency);
    rr_buf_printf(b, "  %-22s %14s %14s %14s %14s\n", "", "mean", "P50", "P80", "P95");
    row(b, sum, "total", &sum->total, i50, i80, i95);
    for (int c = 0; c < sum->ncat; c++)
        row(b, sum, sum->cat[c]->name, &sum->cats[c], i50, i80, i95);
    char lo[48], hi[48];
    rr_buf_printf(b, "  %-22s 95%% intervals: P50 %s..%s", "", rr_fmt_ci_end(lo, sizeof lo, sum->total.lo[i50]),
                  rr_fmt_ci_end(hi, sizeof hi, sum->total.hi[i50]));
    rr_buf_printf(b, ", P80 %s..%s", rr_fmt_ci_end(lo, sizeof lo, sum->total.lo[i80]),
                  rr_fmt_ci_end(hi, sizeof hi, sum->total.hi[i80]));
    rr_buf_printf(b, ", P95 %s..%s\n", rr_fmt_ci_end(lo, sizeof lo, sum->total.lo[i95]),
                  rr_fmt_ci_end(hi, sizeof hi, sum->total.hi[i95]));
    rr_buf_printf(b, "\nBy component\n");
    for (size_t k = 0; k < sum->ncomp; k++) {
        char label[64];
        snprintf(label, sizeof label, "%s", sum->comp_names[k]);
        row(b, sum, label, &sum->comps[k], i50, i80, i95);
    }
    periods(b, sum, i50, i80, i95);

    const int H = sum->horizon, from = sum->run_rate_from, peak = sum->peak_month;
    char rl[64];
    rr_buf_printf(b, "\nMonthly run-rate\n");
    snprintf(rl, sizeof rl, "last %d months' mean", H - from);
    row(b, sum, H - from > 1 ? rl : "the month", &sum->run_rate, i50, i80, i95);
    snprintf(rl, sizeof rl, "last month, %s", sum->months[H - 1]);
    row(b, sum, rl, &sum->monthly_total[H - 1], i50, i80, i95);
    snprintf(rl, sizeof rl, "peak month, %s", sum->months[peak]);
    row(b, sum, rl, &sum->monthly_total[peak], i50, i80, i95);
    rr_buf_printf(b, "  %s%s%s%s; the peak month has the highest P80\n",
                  "the run-rate is each path's mean of ", sum->months[from],
                  from < H - 1 ? " to " : "", from < H - 1 ? sum->months[H - 1] : "");
    rr_buf_printf(b, "\nLast month by category (%s)\n", sum->months[H - 1]);
    for (int c = 0; c < sum->ncat; c++)
        row(b, sum, sum->cat[c]->name,
            &sum->monthly_cats[(size_t)(sum->horizon - 1) * (size_t)sum->ncat + (size_t)c], i50,
            i80, i95);

    rr_buf_printf(b, "\nSpike premium (the total with spikes minus without)\n");
    if (sum->has_spikes) {
        row(b, sum, "total", &sum->spike_total, i50, i80, i95);
        for (int c = 0; c < sum->ncat; c++)
            if (sum->spike_cats[c].q[i95] != 0 || sum->spike_cats[c].q[i50] != 0)
                row(b, sum, sum->cat[c]->name, &sum->spike_cats[c], i50, i80, i95);
    } else {
        rr_buf_printf(b, "  none: the scenario has no spikes\n");
    }
    /* One block of demand is "default": its lines need no name. */
    const int named = sum->nstreams > 1 || strcmp(sum->stream_names[0], "default") != 0;
    rr_buf_printf(b, "\nRequests served (spikes included)\n");
    for (size_t j = 0; j < sum->nstreams; j++) {
        /* Labels fit their column: a stream's name is cut to 10 characters there. */
        char label[96];
        snprintf(label, sizeof label, named ? "%.10s, horizon" : "%.0sover the horizon",
                 sum->stream_names[j]);
        row(b, sum, label, &sum->demand_total[j], i50, i80, i95);
        snprintf(label, sizeof label, named ? "%.10s, last month" : "%.0slast month",
                 sum->stream_names[j]);
        row(b, sum, label,
            &sum->demand_monthly[j * (size_t)sum->horizon + (size_t)(sum->horizon - 1)], i50,
            i80, i95);
    }

    rr_buf_printf(b, "\nCost per 1,000 requests\n");
    row(b, sum, "over the horizon", &sum->unit_horizon, i50, i80, i95);
    row(b, sum, "last month", &sum->unit_last, i50, i80, i95);
    /* With named streams: each one's, the costs bound to it over its requests. */
    for (size_t j = 0; named && j < sum->nstreams; j++) {
        char label[96];
        snprintf(label, sizeof label, "%.10s, its costs", sum->stream_names[j]);
        row(b, sum, label, &sum->unit_streams[j], i50, i80, i95);
    }

    /* Commitments: what is paid for and not used, the figure that sizes the next one. */
    if (sum->ncommitment) {
        rr_buf_printf(b, "\nCommitments unused over the horizon\n");
        for (size_t i = 0; i < sum->ncommitment; i++)
            row(b, sum, sum->commitment_names[i], &sum->commitment_unused[i], i50, i80, i95);
    }

    drivers(b, sum);
    swings(b, sum);

    rr_buf_printf(b, "\nBudget\n");
    if (sum->has_budget)
        rr_buf_printf(b, "  budget for the horizon      %14s   chance of exceeding it: %.1f%%\n",
                      rr_fmt_money(x, sizeof x, sum->budget_total), 100 * sum->p_exceed);
    else
        rr_buf_printf(b, "  no budget given (add budget: {total: ...} to the scenario)\n");
    rr_buf_printf(b, "  recommended at %g%% confidence %12s   (the total's P%g)\n",
                  100 * sum->confidence, rr_fmt_money(y, sizeof y, sum->recommended),
                  100 * sum->confidence);
 if (sum->has_budget) {
        if (sum->exhausted_p20 >= 0)
            rr_buf_printf(b, "  budget spent by the end of %s on 20%% of paths",
                          sum->months[sum->exhausted_p20]);
        else
            rr_buf_printf(b, "  budget not spent within the horizon on more than 80%% of paths");
        if (sum->exhausted_p50 >= 0)
            rr_buf_printf(b, ", of %s on half\n", sum->months[sum->exhausted_p50]);
        else
            rr_buf_printf(b, "\n");
    }
    if (sum->has_budget_monthly) {
        rr_buf_printf(b, "  monthly budget              %14s   ", rr_fmt_money(x, sizeof x, sum->budget_monthly));
        if (sum->first_month_over >= 0)
            rr_buf_printf(b, "first exceeded at P80 in %s\n", sum->months[sum->first_month_over]);
        else
            rr_buf_printf(b, "not exceeded at P80 in any month\n");
        rr_buf_printf(b, "  chance a month exceeds it:");
        for (int m = 0; m < sum->horizon; m++)
            rr_buf_printf(b, "%s %s %.0f%%", m % 6 ? "," : (m ? "\n   " : ""), sum->months[m],
                          100 * sum->monthly_p_exceed[m]);
        rr_buf_printf(b, "\n");
    }
    if (!isnan(sum->precision))
        rr_buf_printf(b, "\nPrecision: the total's P95 is known to +-%.2f%% (95%% interval) after "
                         "%llu paths; target +-%.2f%% %s\n", 100 * sum->precision_achieved,
                      (unsigned long long)sum->paths, 100 * sum->precision,
                      sum->precision_met ? "met" : "NOT met (raise --max-paths)");
    if (sum->ncatalog)
        rr_buf_printf(b, "\nPrices from the catalog (entry, checked, source)\n");
    for (size_t i = 0; i < sum->ncatalog; i++)
        rr_buf_printf(b, "  %-40s %s  %s\n", sum->catalog[i].entry, sum->catalog[i].checked,
                      sum->catalog[i].source);
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}
