/* report_compare: comparisons and sweeps of scenarios, for a person (table, Markdown) and a
 * spreadsheet (CSV).  The JSON form lives with the other JSON in report_json.c.
 *
 * A comparison's point is the difference: each B - A is the statistics of the per-path
 * difference under common random numbers, which is much sharper than the difference of two
 * forecasts' percentiles (those are shown too, side by side, for scale).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "version.h"
#include "report/report.h"
#include "report/report_util.h"

typedef struct qi {
    int p50, p80, p95;
} qi;

static int indices(const rr_compare *c, qi *q)
{
    q->p50 = rr_report_qindex(c->qp, c->nq, 50);
    q->p80 = rr_report_qindex(c->qp, c->nq, 80);
    q->p95 = rr_report_qindex(c->qp, c->nq, 95);
    return q->p50 < 0 || q->p80 < 0 || q->p95 < 0 ? -1 : 0;
}

static void row(rr_buf *b, const char *label, const rr_stats *st, const qi *q, double last,
                int pct)
{
    char m[48], a[48], c[48], d[48];
    rr_buf_printf(b, "  %-34s %13s %13s %13s %13s", label, rr_fmt_money(m, sizeof m, st->mean),
                  rr_fmt_money(a, sizeof a, st->q[q->p50]), rr_fmt_money(c, sizeof c, st->q[q->p80]),
                  rr_fmt_money(d, sizeof d, st->q[q->p95]));
    if (pct && isfinite(last))
        rr_buf_printf(b, " %9.1f%%", 100 * last);
    else if (pct)
        rr_buf_printf(b, " %10s", "-");
    rr_buf_puts(b, "\n");
}

static rr_status sweep_table(const rr_compare *c, const qi *q, rr_buf *b)
{
    char m[48];
    rr_buf_printf(b, "runrate %s  sweep of %s\n", RR_VERSION, c->sweep);
    rr_buf_printf(b, "%zu variants of %s on the same %llu paths (common random numbers), seed "
                     "%llu, %d thread%s, %.2f s\n\n", c->k, c->sc[0].name,
                  (unsigned long long)c->paths, (unsigned long long)c->seed, c->threads,
                  c->threads == 1 ? "" : "s", c->seconds);
    rr_buf_printf(b, "Cost over the horizon (%s)\n", c->sc[0].currency);
    rr_buf_printf(b, "  %-34s %13s %13s %13s %13s %10s\n", "value", "mean", "P50", "P80", "P95",
                  "P(exceed)");
    for (size_t i = 0; i < c->k; i++)
        row(b, c->values[i], &c->sc[i].total, q, c->sc[i].p_exceed, 1);
    rr_buf_printf(b, "\nDifference to the first value (%s), per path\n", c->values[0]);
    rr_buf_printf(b, "  %-34s %13s %13s %13s %13s %10s\n", "value", "mean", "P50", "P80", "P95",
                  "P(costlier)");
    for (size_t i = 0; i < c->ndiff; i++)
        row(b, c->values[i + 1], &c->diff[i].total, q, c->diff[i].p_b_costlier, 1);
    if (c->sc[0].has_budget)
        rr_buf_printf(b, "\nP(exceed) is the chance of exceeding the budget of %s.\n",
                      rr_fmt_money(m, sizeof m, c->sc[0].budget_total));
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

rr_status rr_report_compare_table(const rr_compare *c, rr_buf *b)
{
    qi q;
    if (indices(c, &q) != 0)
        return RR_ERR_INTERNAL;
    if (c->sweep)
        return sweep_table(c, &q, b);
    rr_buf_printf(b, "runrate %s  compare: %zu scenarios on the same %llu paths (common random "
                     "numbers), seed %llu, %d thread%s, %.2f s\n\n", RR_VERSION, c->k,
                  (unsigned long long)c->paths, (unsigned long long)c->seed, c->threads,
                  c->threads == 1 ? "" : "s", c->seconds);
    rr_buf_printf(b, "Cost over the horizon (%s)\n", c->sc[0].currency);
    rr_buf_printf(b, "  %-34s %13s %13s %13s %13s %10s\n", "scenario (file)", "mean", "P50", "P80",
                  "P95", "P(exceed)");
    for (size_t i = 0; i < c->k; i++) {
        char label[160];
        snprintf(label, sizeof label, "%c: %s", (char)('A' + (i < 26 ? i : 25)), c->sc[i].name);
        row(b, label, &c->sc[i].total, &q, c->sc[i].p_exceed, 1);
        rr_buf_printf(b, "     %s\n", c->sc[i].file);
    }
    for (size_t i = 0; i < c->ndiff; i++) {
        const rr_compare_diff *d = &c->diff[i];
        rr_buf_printf(b, "\nDifference %s - %s, per path\n", d->b, d->a);
        rr_buf_printf(b, "  %-34s %13s %13s %13s %13s %10s\n", "", "mean", "P50", "P80", "P95",
                      "P(B more)");
        row(b, "total", &d->total, &q, d->p_b_costlier, 1);
        for (int j = 0; j < d->ncat; j++)
            row(b, d->cat[j]->name, &d->cats[j], &q, NAN, 0);
        char mean[48], lo[48], hi[48];
        rr_buf_printf(b, "  the mean difference is %s (95%% interval of its P50: %s to %s)\n",
                      rr_fmt_money(mean, sizeof mean, d->total.mean),
                      rr_fmt_ci_end(lo, sizeof lo, d->total.lo[q.p50]),
                      rr_fmt_ci_end(hi, sizeof hi, d->total.hi[q.p50]));
    }
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

static void csv_stats(rr_buf *b, const rr_compare *c, const char *kind, const char *name,
                      const char *versus, const char *cat, const rr_stats *st)
{
    char v[48];
    for (size_t i = 0; i < c->nq + 2; i++) {
        const char *stat = i == 0 ? "mean" : i == 1 ? "sd" : c->qkey[i - 2];
        double x = i == 0 ? st->mean : i == 1 ? st->sd : st->q[i - 2];
        rr_buf_printf(b, "%s,", kind);
        rr_buf_csv(b, name);
        rr_buf_puts(b, ",");
        rr_buf_csv(b, versus);
        rr_buf_printf(b, ",%s,%s,%s,%s,%llu,%llu\n", c->sc[0].currency, cat, stat,
                      rr_fmt_shortest(v, sizeof v, x), (unsigned long long)c->paths,
                      (unsigned long long)c->seed);
    }
}

rr_status rr_report_compare_csv(const rr_compare *c, rr_buf *b)
{
    rr_buf_puts(b, "x_Kind,x_Scenario,x_Versus,BillingCurrency,x_CostCategory,x_Statistic,"
                   "x_ForecastCost,x_Paths,x_Seed\n");
    for (size_t i = 0; i < c->k; i++) {
        const rr_compare_scenario *x = &c->sc[i];
        const char *name = c->sweep ? c->values[i] : x->name;
        csv_stats(b, c, "scenario", name, "", "total", &x->total);
        for (int j = 0; j < x->ncat; j++)
            csv_stats(b, c, "scenario", name, "", x->cat[j]->name, &x->cats[j]);
    }
    for (size_t i = 0; i < c->ndiff; i++) {
        const rr_compare_diff *d = &c->diff[i];
        const char *bn = c->sweep ? c->values[i + 1] : d->b, *an = c->sweep ? c->values[0] : d->a;
        csv_stats(b, c, "difference", bn, an, "total", &d->total);
        for (int j = 0; j < d->ncat; j++)
            csv_stats(b, c, "difference", bn, an, d->cat[j]->name, &d->cats[j]);
    }
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

static void md_row(rr_buf *b, const char *label, const rr_stats *st, const qi *q, double p)
{
    char m[48], x[48], y[48], z[48];
    rr_buf_printf(b, "| %s | %s | %s | %s | %s |", label, rr_fmt_money(m, sizeof m, st->mean),
                  rr_fmt_money(x, sizeof x, st->q[q->p50]), rr_fmt_money(y, sizeof y, st->q[q->p80]),
                  rr_fmt_money(z, sizeof z, st->q[q->p95]));
    if (isfinite(p))
        rr_buf_printf(b, " %.1f%% |\n", 100 * p);
    else
        rr_buf_puts(b, " - |\n");
}

rr_status rr_report_compare_md(const rr_compare *c, rr_buf *b)
{
    qi q;
    if (indices(c, &q) != 0)
        return RR_ERR_INTERNAL;
    if (c->sweep)
        rr_buf_printf(b, "# What if: %s\n\n", c->sweep);
    else
        rr_buf_printf(b, "# Comparison of %zu scenarios\n\n", c->k);
    rr_buf_printf(b, "Simulated on the same %llu paths with seed %llu: inputs at the same place "
                     "in two files draw the same numbers (common random numbers), so the "
                     "differences below are measured path by path.\n\n",
                  (unsigned long long)c->paths, (unsigned long long)c->seed);
    rr_buf_md_warnings(b, &c->warnings);
    rr_buf_printf(b, "## Cost over the horizon (%s)\n\n", c->sc[0].currency);
    rr_buf_printf(b, "| %s | mean | P50 | P80 | P95 | chance over budget |\n"
                     "|---|---:|---:|---:|---:|---:|\n", c->sweep ? "value" : "scenario");
    for (size_t i = 0; i < c->k; i++)
        md_row(b, c->sweep ? c->values[i] : c->sc[i].name, &c->sc[i].total, &q, c->sc[i].p_exceed);
    for (size_t i = 0; i < c->ndiff; i++) {
        const rr_compare_diff *d = &c->diff[i];
        rr_buf_printf(b, "\n## %s minus %s, per path\n\n", c->sweep ? c->values[i + 1] : d->b,
                      c->sweep ? c->values[0] : d->a);
        rr_buf_puts(b, "| | mean | P50 | P80 | P95 | chance B costs more |\n"
                       "|---|---:|---:|---:|---:|---:|\n");
        md_row(b, "total", &d->total, &q, d->p_b_costlier);
        for (int j = 0; j < d->ncat; j++)
            md_row(b, d->cat[j]->name, &d->cats[j], &q, NAN);
    }
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}
