/* report_md: the handover summary as Markdown, for a production readiness review.
 *
 * The team that ran the pilot hands the forecast to a budget owner, who pastes it into a
 * review document: the economics first (run-rate, horizon total, recommended budget, chance
 * of overrun), then what the figures rest on (categories, components, drivers, peaks, unit
 * cost, every assumption).  Money is rounded the way a budget is read, as in the table
 * report; the CSV and JSON reports keep every digit for whoever wants to recompute.
 * Identifiers go in code spans, so names such as managed_ai survive any Markdown renderer.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/report_util.h"

#define MAX_DRIVERS 10   /* a review reads the head of the ranking; the JSON has the rest */

/* A relative precision, finer than pct: targets are tenths of a percent. */
static const char *rel(char *s, size_t size, double x)
{
    if (!isfinite(x))
        snprintf(s, size, "-");
    else
        snprintf(s, size, "%.2f%%", 100 * x);
    return s;
}

/* A count with thousands separators: path counts run to millions. */
static const char *count(char *s, size_t size, unsigned long long n)
{
    char digits[24];
    snprintf(digits, sizeof digits, "%llu", n);
    size_t len = strlen(digits), o = 0;
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0)
            s[o++] = ',';
        s[o++] = digits[i];
    }
    s[o] = '\0';
    return s;
}

typedef struct qidx {
    int p50, p80, p95;
} qidx;

static void stats_head(rr_buf *b, const char *label, const char *currency)
{
    rr_buf_printf(b, "| %s (", label);
    rr_buf_md(b, currency);
    rr_buf_puts(b, ") | mean | P50 | P80 | P95 |\n|:---|---:|---:|---:|---:|\n");
}

/* The numeric cells of a row whose label the caller has written. */
static void stats_cells(rr_buf *b, const rr_stats *st, const qidx *q)
{
    char m[48], x[48], y[48], z[48];
    rr_buf_printf(b, " | %s | %s | %s | %s |\n", rr_fmt_money(m, sizeof m, st->mean),
                  rr_fmt_money(x, sizeof x, st->q[q->p50]),
                  rr_fmt_money(y, sizeof y, st->q[q->p80]),
                  rr_fmt_money(z, sizeof z, st->q[q->p95]));
}

static void intro(rr_buf *b, const rr_summary *sum)
{
    char n[32];
    rr_buf_puts(b, "# Budget handover: ");
    rr_buf_md(b, sum->scenario);
    rr_buf_printf(b, "\n\nA forecast of the cost of running this system over %d month%s (",
                  sum->horizon, sum->horizon == 1 ? "" : "s");
    rr_buf_md(b, sum->months[0]);
    if (sum->horizon > 1) {
        rr_buf_puts(b, " to ");
        rr_buf_md(b, sum->months[sum->horizon - 1]);
    }
    rr_buf_puts(b, "), in ");
    rr_buf_md(b, sum->currency);
    rr_buf_printf(b, ", from %s simulated paths (seed %llu). ",
                  count(n, sizeof n, (unsigned long long)sum->paths),
                  (unsigned long long)sum->seed);
    rr_buf_puts(b, "Pxx is the cost that xx% of the simulated futures stay at or below. "
                   "Money is rounded to whole units (cents below 100). The same scenario "
                   "file and seed reproduce every figure.\n\n");
    if (!isnan(sum->precision)) {
        char t[32], a[32];
        rr_buf_printf(b, "Precision: the total's P95 is known to within +-%s (half-width of "
                         "its 95%% interval) against a target of +-%s: %s.\n\n",
                      rel(a, sizeof a, sum->precision_achieved),
                      rel(t, sizeof t, sum->precision),
                      sum->precision_met ? "met" : "**not met** (the path limit came first)");
    }
}

static void economics(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    char x[48], y[48], z[48], p[16];
    int last = sum->horizon - 1;
    rr_buf_puts(b, "## Economics\n\n");
    stats_head(b, "Figure", sum->currency);
    const int from = sum->run_rate_from, peak = sum->peak_month;
    if (from < last) {
        rr_buf_printf(b, "| Run-rate: each path's mean of the last %d months, ", last - from + 1);
        rr_buf_md(b, sum->months[from]);
        rr_buf_puts(b, " to ");
        rr_buf_md(b, sum->months[last]);
        stats_cells(b, &sum->run_rate, q);
    }
    rr_buf_puts(b, "| The last month, ");
    rr_buf_md(b, sum->months[last]);
    stats_cells(b, &sum->monthly_total[last], q);
    rr_buf_puts(b, "| The peak month (the highest P80), ");
    rr_buf_md(b, sum->months[peak]);
    stats_cells(b, &sum->monthly_total[peak], q);
    rr_buf_printf(b, "| Total over the %d month%s", sum->horizon, sum->horizon == 1 ? "" : "s");
    stats_cells(b, &sum->total, q);
    /* Monte Carlo error of the quantiles themselves: how far a rerun could move them. */
    const int idx[3] = { q->p50, q->p80, q->p95 };
    rr_buf_puts(b, "| 95% interval of the total's percentile | |");
    for (int i = 0; i < 3; i++)
        rr_buf_printf(b, " %s to %s |", rr_fmt_ci_end(y, sizeof y, sum->total.lo[idx[i]]),
                      rr_fmt_ci_end(z, sizeof z, sum->total.hi[idx[i]]));
    rr_buf_puts(b, "\n\n");

    rr_buf_printf(b, "- **Recommended budget** at %g%% confidence: **%s ", 100 * sum->confidence,
                  rr_fmt_money(x, sizeof x, sum->recommended));
    rr_buf_md(b, sum->currency);
    rr_buf_printf(b, "** (the total's P%g).\n", 100 * sum->confidence);
    if (sum->has_budget) {
        rr_buf_printf(b, "- Budget given for the horizon: %s ",
                      rr_fmt_money(x, sizeof x, sum->budget_total));
        rr_buf_md(b, sum->currency);
        rr_buf_printf(b, "; chance of overrun: **%s**.\n", rr_fmt_pct(p, sizeof p, sum->p_exceed));
        if (sum->exhausted_p20 >= 0) {
            rr_buf_puts(b, "- On 20% of paths the budget is spent by **");
            rr_buf_md(b, sum->months[sum->exhausted_p20]);
            rr_buf_puts(b, "**");
            if (sum->exhausted_p50 >= 0) {
                rr_buf_puts(b, ", on half by ");
                rr_buf_md(b, sum->months[sum->exhausted_p50]);
            }
            rr_buf_puts(b, ".\n");
        } else {
            rr_buf_puts(b, "- On more than 80% of paths the budget lasts the horizon.\n");
        }
    } else {
        rr_buf_puts(b, "- No budget given: add `budget: {total: ...}` to the scenario for the "
                       "chance of overrun.\n");
    }
    if (!sum->has_budget_monthly || !sum->monthly_p_exceed) {
        rr_buf_puts(b, "\n");
        return;
    }
    rr_buf_printf(b, "- Monthly budget: %s ", rr_fmt_money(x, sizeof x, sum->budget_monthly));
    rr_buf_md(b, sum->currency);
    if (sum->first_month_over >= 0 && sum->first_month_over < sum->horizon) {
        rr_buf_puts(b, "; the first month whose P80 exceeds it: **");
        rr_buf_md(b, sum->months[sum->first_month_over]);
        rr_buf_puts(b, "**.\n\n");
    } else {
        rr_buf_puts(b, "; no month's P80 exceeds it.\n\n");
    }
    rr_buf_puts(b, "| Month | P80 (");
    rr_buf_md(b, sum->currency);
    rr_buf_puts(b, ") | Chance over the monthly budget |\n|:---|---:|---:|\n");
    for (int m = 0; m < sum->horizon; m++) {
        rr_buf_puts(b, "| ");
        rr_buf_md(b, sum->months[m]);
        rr_buf_printf(b, " | %s | %s |\n",
                      rr_fmt_money(x, sizeof x, sum->monthly_total[m].q[q->p80]),
                      rr_fmt_pct(p, sizeof p, sum->monthly_p_exceed[m]));
    }
    rr_buf_puts(b, "\n");
}

static void breakdown(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    rr_buf_printf(b, "## Cost by category\n\nOver the %d month%s.\n\n", sum->horizon,
                  sum->horizon == 1 ? "" : "s");
    stats_head(b, "Category", sum->currency);
    for (int c = 0; c < sum->ncat; c++) {
        rr_buf_puts(b, "| ");
        rr_buf_md_code(b, sum->cat[c]->name, 1);
        stats_cells(b, &sum->cats[c], q);
    }
    rr_buf_puts(b, "| **total**");
    stats_cells(b, &sum->total, q);
    rr_buf_puts(b, "\nPercentiles do not add up: the total's P80 is usually less than the sum "
                   "of the categories' P80s, since they rarely peak together.\n\n");

    rr_buf_puts(b, "## Cost by component\n\n| Component | Category | mean (");
    rr_buf_md(b, sum->currency);
    rr_buf_puts(b, ") | P50 | P80 | P95 |\n|:---|:---|---:|---:|---:|---:|\n");
    for (size_t k = 0; k < sum->ncomp; k++) {
        rr_buf_puts(b, "| ");
        rr_buf_md_code(b, sum->comp_names[k], 1);
        rr_buf_puts(b, " | ");
        rr_buf_md_code(b, sum->comp_cat[k]->name, 1);
        stats_cells(b, &sum->comps[k], q);
    }
    rr_buf_puts(b, "\n");
}

/* The years with their categories, the quarters, and the periods' budgets. */
static void periods(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    const char *kind = sum->fy_start != 1 ? "fiscal " : "";
    char x[48], y[48], p[48];
    rr_buf_printf(b, "## Cost by %syear and quarter\n\n", kind);
    rr_buf_printf(b, "| %syear | category | P50 | P80 | P95 |\n|:---|:---|---:|---:|---:|\n",
                  sum->fy_start != 1 ? "Fiscal " : "Calendar ");
    int partial = 0;
    for (size_t i = 0; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *per = &sum->periods[i];
        partial |= per->partial;
        if (i == sum->nyears)
            rr_buf_printf(b, "\n| Quarter | | P50 | P80 | P95 |\n|:---|:---|---:|---:|---:|\n");
        rr_buf_puts(b, "| ");
        rr_buf_md(b, per->label);
        rr_buf_printf(b, "%s | **total** | %s | %s | %s |\n", per->partial ? " (part)" : "",
                      rr_fmt_money(x, sizeof x, per->total.q[q->p50]),
                      rr_fmt_money(y, sizeof y, per->total.q[q->p80]),
                      rr_fmt_money(p, sizeof p, per->total.q[q->p95]));
        for (int c = 0; i < sum->nyears && sum->ncat > 1 && c < sum->ncat; c++) {
            rr_buf_puts(b, "| | ");
            rr_buf_md_code(b, sum->cat[c]->name, 1);
            rr_buf_printf(b, " | %s | %s | %s |\n",
                          rr_fmt_money(x, sizeof x, per->cats[c].q[q->p50]),
                          rr_fmt_money(y, sizeof y, per->cats[c].q[q->p80]),
                          rr_fmt_money(p, sizeof p, per->cats[c].q[q->p95]));
        }
    }
    rr_buf_puts(b, "\n");
    if (partial)
        rr_buf_puts(b, "A period marked (part) is covered by the horizon in part: its figures are "
                       "those of the months covered.\n\n");
    int any = 0;
    for (size_t i = 0; i < sum->nyears + sum->nquarters; i++) {
        const rr_summary_period *per = &sum->periods[i];
        if (!per->has_budget)
            continue;
        if (!any++)
            rr_buf_printf(b, "| Period | Budget | Chance of overrun | Recommended at %g%% "
                          "|\n|:---|---:|---:|---:|\n", 100 * sum->confidence);
        rr_buf_puts(b, "| ");
        rr_buf_md(b, per->label);
        char r[48];
        rr_buf_printf(b, " | %s | %s | %s |\n", rr_fmt_money(x, sizeof x, per->budget),
                      rr_fmt_pct(p, sizeof p, per->p_exceed),
                      rr_fmt_money(r, sizeof r, per->recommended));
    }
    if (any)
        rr_buf_puts(b, "\n");
}

static void drivers(rr_buf *b, const rr_summary *sum)
{
    char s[16];
    rr_buf_puts(b, "## What drives the uncertainty\n\n");
    if (sum->ndrivers == 0) {
        rr_buf_puts(b, "No input is drawn once per path, so none can be ranked: the spread "
                       "comes from month-to-month variation.\n\n");
        return;
    }
    rr_buf_puts(b, "Inputs drawn once per path, ranked by their share of the variance of the "
                   "horizon total (the squared correlation with it). Direction + means more "
                   "of the input, more cost. Shares of related inputs overlap, so they need "
                   "not add up to 100%. Narrowing the top inputs narrows the budget most.");
    size_t n = sum->ndrivers < MAX_DRIVERS ? sum->ndrivers : MAX_DRIVERS;
    int ranks = 0;
    for (size_t i = 0; i < n; i++)
        ranks |= isfinite(sum->drivers[i].rank_share);
    rr_buf_puts(b, ranks ? " The share of ranks is the same measure on ranks (Spearman's): well "
                           "above the share, the input moves the total in a way a straight line "
                           "misses.\n\n| Rank | Input | Share | Share of ranks | Direction |\n"
                           "|---:|:---|---:|---:|:---:|\n"
                         : "\n\n| Rank | Input | Share | Direction |\n|---:|:---|---:|:---:|\n");
    for (size_t i = 0; i < n; i++) {
        rr_buf_printf(b, "| %zu | ", i + 1);
        rr_buf_md_code(b, sum->drivers[i].input, 1);
        rr_buf_printf(b, " | %s |", rr_fmt_pct(s, sizeof s, sum->drivers[i].share));
        if (ranks)
            rr_buf_printf(b, " %s |", rr_fmt_pct(s, sizeof s, sum->drivers[i].rank_share));
        rr_buf_printf(b, " %s |\n", sum->drivers[i].sign < 0 ? "-" : "+");
    }
    if (sum->ndrivers > n)
        rr_buf_printf(b, "\n%zu more input%s with smaller shares (all of them are in the "
                         "JSON report).\n",
                      sum->ndrivers - n, sum->ndrivers - n == 1 ? "" : "s");
    rr_buf_puts(b, "\n");
}

/* What each input's uncertainty is worth in money, widest swing first; nothing without
 * swings (not measured). */
static void swings(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    const rr_swing *rows[RR_REPORT_MAX_SWINGS];
    size_t left, n = rr_report_swings_by_width(sum, rows, RR_REPORT_MAX_SWINGS, &left);
    if (n == 0)
        return;
    char x[48], y[48], z[48];
    rr_buf_printf(b, "## What each input's uncertainty is worth\n\nThe horizon total's median "
                     "(P50) with one input held at its own P10 and at its own P90, every other "
                     "input as simulated, on the same paths (common random numbers); as "
                     "simulated the median is %s ",
                  rr_fmt_money(x, sizeof x, sum->total.q[q->p50]));
    rr_buf_md(b, sum->currency);
    rr_buf_puts(b, ". The swing, P50 at P90 minus P50 at P10, is what the input's uncertainty "
                   "is worth: pin down the widest first.\n\n| Input | P10 \xe2\x86\x92 P90 | Total "
                   "P50 at P10 | at P90 | Swing |\n|:---|:---|---:|---:|---:|\n");
    for (size_t i = 0; i < n; i++) {
        const rr_swing *w = rows[i];
        rr_buf_puts(b, "| ");
        rr_buf_md_code(b, w->input, 1);
        rr_buf_printf(b, " | %s \xe2\x86\x92 ", rr_fmt_value(x, sizeof x, w->low_value));
        rr_buf_printf(b, "%s | %s | ", rr_fmt_value(x, sizeof x, w->high_value),
                      rr_fmt_money(y, sizeof y, w->total_p50_low));
        rr_buf_printf(b, "%s | %s |\n", rr_fmt_money(z, sizeof z, w->total_p50_high),
                      rr_fmt_money(x, sizeof x, w->total_p50_high - w->total_p50_low));
    }
    if (left)
        rr_buf_printf(b, "\n%zu narrower input%s in the JSON report.\n", left,
                      left == 1 ? " is" : "s are");
    rr_buf_puts(b, "\n");
}

static void peaks(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    rr_buf_puts(b, "## Peaks\n\n");
    if (!sum->has_spikes) {
        rr_buf_puts(b, "The scenario models no demand spikes.\n\n");
        return;
    }
    /* Same draws with and without spikes, so the difference is the spikes alone. */
    rr_buf_puts(b, "The spike premium is what demand peaks add over the horizon: on each "
                   "path, the total with spikes minus the same path without them. It is the "
                   "reserve for unforeseen scaling needs and peak demand; it can be negative "
                   "where a spike lowers demand.\n\n");
    stats_head(b, "Spike premium", sum->currency);
    rr_buf_puts(b, "| **total**");
    stats_cells(b, &sum->spike_total, q);
    for (int c = 0; c < sum->ncat; c++) {
        rr_buf_puts(b, "| ");
        rr_buf_md_code(b, sum->cat[c]->name, 1);
        stats_cells(b, &sum->spike_cats[c], q);
    }
    rr_buf_puts(b, "\n");
}

static void unit_economics(rr_buf *b, const rr_summary *sum, const qidx *q)
{
    char n[32], p[32];
    rr_buf_puts(b, "## Unit economics\n\nThe cost of serving 1,000 requests (spikes included): "
                   "the figure to compare with the value of the requests handled.\n\n");
    stats_head(b, "Cost per 1,000 requests", sum->currency);
    rr_buf_puts(b, "| Over the horizon");
    stats_cells(b, &sum->unit_horizon, q);
    rr_buf_puts(b, "| In the last month, ");
    rr_buf_md(b, sum->months[sum->horizon - 1]);
    stats_cells(b, &sum->unit_last, q);
    /* A path that served no request has no unit cost; say how many are left out. */
    if (sum->unit_last.n < sum->paths)
        rr_buf_printf(b, "\nThe last month's figures are over the %s of %s paths that served "
                         "requests in it.\n",
                      count(n, sizeof n, (unsigned long long)sum->unit_last.n),
                      count(p, sizeof p, (unsigned long long)sum->paths));
    rr_buf_puts(b, "\n");
}

static void assumptions(rr_buf *b, const rr_summary *sum)
{
    rr_buf_puts(b, "## Assumptions\n\nEvery input given in the scenario, with its "
                   "distribution");
    /* A layered scenario: where each was written, its own file or one it extends. */
    rr_buf_puts(b, sum->layered ? " and the file it was written in.\n\n"
                                  "| Input | Distribution | Drawn | Written in |\n"
                                  "|:---|:---|:---|:---|\n"
                                : ".\n\n| Input | Distribution | Drawn |\n|:---|:---|:---|\n");
    for (size_t i = 0; i < sum->nassumptions; i++) {
        const rr_assumption *a = &sum->assumptions[i];
        rr_buf_puts(b, "| ");
        rr_buf_md_code(b, a->input, 1);
        rr_buf_puts(b, " | ");
        rr_buf_md_code(b, a->text, 1);
        rr_buf_printf(b, " | %s |", a->computed  ? "computed"
                                    : a->monthly ? "every month"
                                                 : "once per path");
        if (sum->layered) {
            char where[512];
            snprintf(where, sizeof where, "%s:%d", a->file ? a->file : "", a->line);
            rr_buf_puts(b, " ");
            rr_buf_md_code(b, where, 1);
            rr_buf_puts(b, " |");
        }
        rr_buf_puts(b, "\n");
    }
    if (!sum->ncatalog)
        return;
    rr_buf_puts(b, "\nPrices from the catalog, as checked on the date given at the source named:\n\n"
                   "| Entry | Checked | Source |\n|:---|:---|:---|\n");
    for (size_t i = 0; i < sum->ncatalog; i++) {
        rr_buf_puts(b, "| ");
        rr_buf_md_code(b, sum->catalog[i].entry, 1);
        rr_buf_printf(b, " | %s | ", sum->catalog[i].checked);
        rr_buf_md_code(b, sum->catalog[i].source, 0);
        rr_buf_puts(b, " |\n");
    }
}

rr_status rr_report_md(const rr_summary *sum, rr_buf *b)
{
    qidx q = { rr_summary_qindex(sum, 50), rr_summary_qindex(sum, 80),
               rr_summary_qindex(sum, 95) };
    if (q.p50 < 0 || q.p80 < 0 || q.p95 < 0 || sum->horizon < 1)
        return RR_ERR_INTERNAL;
    intro(b, sum);
    rr_buf_md_warnings(b, &sum->warnings);
    economics(b, sum, &q);
    breakdown(b, sum, &q);
    periods(b, sum, &q);
    drivers(b, sum);
    swings(b, sum, &q);
    peaks(b, sum, &q);
    unit_economics(b, sum, &q);
    assumptions(b, sum);
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}
