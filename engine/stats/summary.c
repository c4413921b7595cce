/* summary: from merged accumulators to statistics records. */
#include "stats/summary.h"

#include "stats/findings.h"
#include "stats/quantci.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double rr_summary_default_percentiles[9] = { 5, 10, 25, 50, 75, 80, 90, 95, 99 };

/* Interval ranks depend only on (n, p): computed once for the path count, and anew only
 * for a series with fewer values (a unit cost on paths that served no request). */
typedef struct ranks {
    uint64_t n;
    uint64_t lo[RR_MAX_QUANTILES], hi[RR_MAX_QUANTILES];
} ranks;

static void compute_ranks(ranks *k, uint64_t n, size_t nq, const double *qp)
{
    k->n = n;
    for (size_t i = 0; i < nq; i++)
        rr_quantci_ranks(n, qp[i], &k->lo[i], &k->hi[i]);
}

static void fill_series(rr_stats *st, const rr_sketch *sk, const rr_moments *mom, size_t nq,
                        const double *qp, const ranks *k)
{
    ranks own;
    st->n = rr_sketch_count(sk);
    if (st->n != k->n) {
        compute_ranks(&own, st->n, nq, qp);
        k = &own;
    }
    st->mean = st->n ? mom->mean : NAN;
    st->sd = st->n ? rr_moments_sd(mom) : NAN;
    /* An end without an order statistic is unbounded: -inf, +inf (null in JSON). */
    for (size_t i = 0; i < nq; i++) {
        st->q[i] = rr_sketch_quantile(sk, qp[i]);
        st->lo[i] = k->lo[i] >= 1 ? rr_sketch_at_rank(sk, k->lo[i]) : -INFINITY;
        st->hi[i] = k->hi[i] <= st->n ? rr_sketch_at_rank(sk, k->hi[i]) : INFINITY;
    }
}

static void fill(rr_stats *st, const rr_result *r, size_t series, const rr_summary *sum,
                 const ranks *k)
{
    fill_series(st, r->sketch[series], &r->moments[series], sum->nq, sum->qp, k);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The standard percentiles and the extra ones, without repeats, ascending. */
static int percent_list(const double *extra, size_t nextra, double *pct, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < 9; i++)
        pct[(*n)++] = rr_summary_default_percentiles[i];
    for (size_t i = 0; i < nextra; i++) {
        int dup = 0;
        for (size_t j = 0; j < *n; j++)
            dup |= fabs(pct[j] - extra[i]) < 1e-9;
        if (dup)
            continue;
        if (*n == RR_MAX_QUANTILES)
            return -1;
        pct[(*n)++] = extra[i];
    }
    qsort(pct, *n, sizeof *pct, cmp_double);
    return 0;
}

static void set_keys(const double *pct, size_t n, double *qp, char (*qkey)[32])
{
    for (size_t i = 0; i < n; i++) {
        qp[i] = pct[i] / 100;
        snprintf(qkey[i], sizeof qkey[i], "p%.10g", pct[i]);
    }
}

int rr_summary_qindex(const rr_summary *sum, double percent)
{
    for (size_t i = 0; i < sum->nq; i++)
        if (fabs(sum->qp[i] * 100 - percent) < 1e-9)
            return (int)i;
    return -1;
}

/* The periods and their budgets, the cost to date and when it exhausts budget.total, the
 * run-rate and the peak month. */
static int periods(rr_summary *sum, const rr_result *r, const ranks *rk)
{
    const rr_result_about *ab = &r->about;
    const size_t H = (size_t)r->horizon;
    sum->nyears = ab->periods->nyears;
    sum->nquarters = ab->periods->nquarters;
    sum->fy_start = ab->fy_start;
    sum->fy_label_start = ab->fy_label_start;
    sum->periods = calloc(r->nperiods + 1, sizeof *sum->periods);
    sum->cumulative = calloc(H, sizeof *sum->cumulative);
    if (!sum->periods || !sum->cumulative)
        return -1;
    for (size_t p = 0; p < r->nperiods; p++) {
        const rr_period *per = rr_result_period_at(r, p);
        rr_summary_period *x = &sum->periods[p];
        x->label = per->label;
        x->from = per->from;
        x->to = per->to;
        x->partial = per->partial;
        x->quarter = p >= sum->nyears;
        fill(&x->total, r, rr_result_period(r, p), sum, rk);
        for (int c = 0; c < r->ncat; c++)
            fill(&x->cats[c], r, rr_result_period_cat(r, p, c), sum, rk);
    }
    for (size_t i = 0; i < ab->nbudget_periods; i++) {
        rr_summary_period *x = &sum->periods[ab->budget_period[i]];
        x->has_budget = 1;
        x->budget = ab->budget_period_amount[i];
        x->p_exceed = (double)r->period_exceed[i] / (double)r->paths;
        x->recommended = rr_sketch_quantile(r->sketch[rr_result_period(r, ab->budget_period[i])],
                                            ab->confidence);
    }
    sum->exhausted_p20 = sum->exhausted_p50 = -1;
    for (size_t m = 0; m < H; m++)
        fill(&sum->cumulative[m], r, rr_result_cumulative(r, (int)m), sum, rk);
    if (ab->has_budget) {
        if (!(sum->exhausted_by = calloc(H, sizeof *sum->exhausted_by)))
            return -1;
        for (size_t m = 0; m < H; m++) {
            const double x = (double)r->exhausted[m] / (double)r->paths;
            sum->exhausted_by[m] = x;
            if (sum->exhausted_p20 < 0 && x >= 0.2)
                sum->exhausted_p20 = (int)m;
            if (sum->exhausted_p50 < 0 && x >= 0.5)
                sum->exhausted_p50 = (int)m;
        }
    }
    fill(&sum->run_rate, r, rr_result_last_three(r), sum, rk);
    sum->run_rate_from = r->horizon < 3 ? 0 : r->horizon - 3;
    /* The P80 the reports print (the standard percentiles always hold it). */
    const int i80 = rr_summary_qindex(sum, 80);
    sum->peak_month = 0;
    double best = -INFINITY;
    for (int m = 0; m < r->horizon; m++) {
        const double p80 = sum->monthly_total[m].q[i80];
        if (p80 > best) {
            best = p80;
            sum->peak_month = m;
        }
    }
    return 0;
}

rr_status rr_summary_build(const rr_result *r, const double *extra, size_t nextra,
                           rr_summary **out)
{
    *out = NULL;
    double pct[RR_MAX_QUANTILES];
    size_t n = 0;
    if (percent_list(extra, nextra, pct, &n) != 0)
        return RR_ERR_USAGE;
    rr_summary *sum = calloc(1, sizeof *sum);
    if (!sum)
        return RR_ERR_NOMEM;
    const rr_result_about *ab = &r->about;
    sum->scenario = ab->scenario;
    sum->catalog = ab->catalog;
    sum->ncatalog = ab->ncatalog;
    sum->currency = ab->currency;
    sum->horizon = r->horizon;
    sum->paths = r->paths;
    sum->seed = r->seed;
    sum->threads = r->threads;
    sum->seconds = r->seconds;
    sum->nq = n;
    set_keys(pct, n, sum->qp, sum->qkey);
    size_t H = (size_t)r->horizon;
    sum->months = calloc(H, sizeof *sum->months);
    sum->comp_names = calloc(r->ncomp + 1, sizeof *sum->comp_names);
    sum->comp_cat = calloc(r->ncomp + 1, sizeof *sum->comp_cat);
    sum->comps = calloc(r->ncomp + 1, sizeof *sum->comps);
    sum->monthly_total = calloc(H, sizeof *sum->monthly_total);
    sum->monthly_cats = calloc(H * (size_t)(r->ncat ? r->ncat : 1), sizeof *sum->monthly_cats);
    const size_t S = r->nstreams;
    sum->stream_names = calloc(S + 1, sizeof *sum->stream_names);
    sum->demand_total = calloc(S + 1, sizeof *sum->demand_total);
    sum->demand_monthly = calloc(S * H + 1, sizeof *sum->demand_monthly);
    sum->unit_streams = calloc(S + 1, sizeof *sum->unit_streams);
    sum->capacity_names = calloc(r->ncapacity + 1, sizeof *sum->capacity_names);
    sum->capacity_bound = calloc(r->ncapacity + 1, sizeof *sum->capacity_bound);
    sum->commitment_names = calloc(r->ncommitment + 1, sizeof *sum->commitment_names);
    sum->commitment_unused = calloc(r->ncommitment + 1, sizeof *sum->commitment_unused);
    if (!sum->capacity_names || !sum->capacity_bound || !sum->commitment_names ||
        !sum->commitment_unused || !sum->months || !sum->comp_names || !sum->comp_cat || !sum->comps ||
        !sum->monthly_total || !sum->monthly_cats || !sum->stream_names || !sum->demand_total ||
        !sum->demand_monthly || !sum->unit_streams) {
        rr_summary_free(sum);
        return RR_ERR_NOMEM;
    }
    for (size_t m = 0; m < H; m++) {
        if (ab->start_month) {
            int mm = ab->start_month - 1 + (int)m;
            snprintf(sum->months[m], sizeof sum->months[m], "%04d-%02d",
                     ab->start_year + mm / 12, mm % 12 + 1);
        } else {
            snprintf(sum->months[m], sizeof sum->months[m], "M%zu", m + 1);
        }
    }
    ranks rk;
    compute_ranks(&rk, r->paths, sum->nq, sum->qp);
    fill(&sum->total, r, rr_result_total(), sum, &rk);
    sum->ncat = r->ncat;
    for (int c = 0; c < r->ncat; c++) {
        sum->cat[c] = r->cat[c];
        fill(&sum->cats[c], r, rr_result_cat(r, c), sum, &rk);
        fill(&sum->spike_cats[c], r, rr_result_spike_cat(r, c), sum, &rk);
    }
    sum->ncomp = r->ncomp;
    for (size_t k = 0; k < r->ncomp; k++) {
        sum->comp_names[k] = ab->comp_names[k];
        sum->comp_cat[k] = ab->comp_cat[k];
        fill(&sum->comps[k], r, rr_result_comp(r, k), sum, &rk);
    }
    for (int m = 0; m < r->horizon; m++) {
        fill(&sum->monthly_total[m], r, rr_result_month(r, m), sum, &rk);
        for (int c = 0; c < r->ncat; c++)
            fill(&sum->monthly_cats[(size_t)m * (size_t)r->ncat + (size_t)c], r,
                 rr_result_month_cat(r, m, c), sum, &rk);
    }
    sum->has_budget = ab->has_budget;
    sum->budget_total = ab->budget_total;
    sum->confidence = ab->confidence;
    sum->p_exceed = ab->has_budget ? (double)r->exceed / (double)r->paths : NAN;
    sum->recommended = rr_sketch_quantile(r->sketch[rr_result_total()], ab->confidence);

    fill(&sum->spike_total, r, rr_result_spike(r), sum, &rk);
    fill(&sum->unit_horizon, r, rr_result_unit_horizon(r), sum, &rk);
    fill(&sum->unit_last, r, rr_result_unit_last(r), sum, &rk);
    sum->nstreams = S;
    for (size_t j = 0; j < S; j++) {
        sum->stream_names[j] = ab->stream_names[j];
        fill(&sum->demand_total[j], r, rr_result_demand(r, j), sum, &rk);
        for (size_t m = 0; m < H; m++)
            fill(&sum->demand_monthly[j * H + m], r, rr_result_demand_month(r, j, (int)m), sum,
                 &rk);
        fill(&sum->unit_streams[j], r, rr_result_unit_stream(r, j), sum, &rk);
    }
    sum->ncapacity = r->ncapacity;
    for (size_t i = 0; i < r->ncapacity; i++) {
        sum->capacity_names[i] = ab->comp_names[ab->capacity_comp[i]];
        sum->capacity_bound[i] =
            r->paths ? (double)r->capacity_bound[i] / ((double)r->paths * r->horizon) : 0;
    }
    sum->ncommitment = r->ncommitment;
    for (size_t i = 0; i < r->ncommitment; i++) {
        sum->commitment_names[i] = ab->comp_names[ab->commitment_comp[i]];
        fill(&sum->commitment_unused[i], r, rr_result_unused(r, i), sum, &rk);
    }
    if (periods(sum, r, &rk) != 0) {
        rr_summary_free(sum);
        return RR_ERR_NOMEM;
    }
    sum->has_spikes = ab->has_spikes;
    sum->partial = r->partial;
    sum->draws = r->draws;
    sum->paths_requested = r->paths;
    sum->precision = NAN;
    sum->precision_achieved = NAN;
    for (int i = 0; i < RR_CURVE_POINTS; i++)
        sum->curve[i] = rr_sketch_quantile(r->sketch[rr_result_total()], i / 100.0);
    if (ab->warnings)
        rr_warnings_append(&sum->warnings, ab->warnings, 0);
    sum->nload_warnings = sum->warnings.n;
    sum->warnings.layers = ab->layers;
    sum->layered = ab->nlayers > 0;
    rr_findings(r, &sum->warnings);

    sum->first_month_over = -1;
    sum->has_budget_monthly = ab->has_budget_monthly;
    sum->budget_monthly = ab->budget_monthly;
    if (ab->has_budget_monthly) {
        if (!(sum->monthly_p_exceed = calloc(H, sizeof *sum->monthly_p_exceed))) {
            rr_summary_free(sum);
            return RR_ERR_NOMEM;
        }
        for (int m = 0; m < r->horizon; m++) {
            sum->monthly_p_exceed[m] = (double)r->monthly_exceed[m] / (double)r->paths;
            if (sum->first_month_over < 0 &&
                rr_sketch_quantile(r->sketch[rr_result_month(r, m)], 0.8) > ab->budget_monthly)
                sum->first_month_over = m;
        }
    }

    sum->drivers = calloc(r->ndrivers + 1, sizeof *sum->drivers);
    sum->assumptions = calloc(ab->ninputs + 1, sizeof *sum->assumptions);
    if (!sum->drivers || !sum->assumptions) {
        rr_summary_free(sum);
        return RR_ERR_NOMEM;
    }
    sum->ndrivers = r->ndrivers;
    size_t *order = calloc(r->ndrivers + 1, sizeof *order);
    sum->swings = calloc(r->nswings + 1, sizeof *sum->swings);
    if (!order || !sum->swings) {
        free(order);
        rr_summary_free(sum);
        return RR_ERR_NOMEM;
    }
    rr_result_driver_order(r, order);
    for (size_t i = 0; i < r->ndrivers; i++) {
        const size_t x = order[i];
        const double c = rr_comoments_corr(&r->driver_mom[x]);
        sum->drivers[i] = (rr_driver){ ab->driver_names[x], c * c, c < 0 ? -1 : 1,
                                       r->rank_share[x] };
    }
    free(order);
    sum->nswings = r->nswings;
    for (size_t i = 0; i < r->nswings; i++) {
        const rr_result_swing *w = &r->swings[i];
        sum->swings[i] = (rr_swing){ ab->driver_names[w->driver], w->low_value, w->high_value,
                                     w->p50_low, w->p50_high, w->mean_low, w->mean_high };
    }
    sum->nassumptions = ab->ninputs;
    memcpy(sum->assumptions, ab->inputs, ab->ninputs * sizeof *sum->assumptions);
    *out = sum;
    return RR_OK;
}

void rr_summary_free(rr_summary *sum)
{
    if (!sum)
        return;
    free(sum->months);
    free(sum->comp_names);
    free(sum->comp_cat);
    free(sum->comps);
    free(sum->monthly_total);
    free(sum->monthly_cats);
    free(sum->stream_names);
    free(sum->demand_total);
    free(sum->demand_monthly);
    free(sum->unit_streams);
    free(sum->capacity_names);
    free(sum->capacity_bound);
    free(sum->commitment_names);
    free(sum->commitment_unused);
    free(sum->periods);
    free(sum->cumulative);
    free(sum->exhausted_by);
    free(sum->monthly_p_exceed);
    free(sum->drivers);
    free(sum->swings);
    free(sum->assumptions);
    rr_warnings_free(&sum->warnings);
    free(sum);
}

/* ---- comparisons ---- */

rr_status rr_compare_build(const char *const *files, size_t k, rr_result *const *r,
                           rr_result_diff *const *d, const double *extra, size_t nextra,
                           rr_compare **out)
{
    *out = NULL;
    double pct[RR_MAX_QUANTILES];
    size_t n = 0;
    if (percent_list(extra, nextra, pct, &n) != 0)
        return RR_ERR_USAGE;
    rr_compare *c = calloc(1, sizeof *c);
    if (!c)
        return RR_ERR_NOMEM;
    c->nq = n;
    set_keys(pct, n, c->qp, c->qkey);
    c->k = k;
    c->paths = r[0]->paths;
    c->seed = r[0]->seed;
    c->threads = r[0]->threads;
    c->seconds = r[0]->seconds;
    c->sc = calloc(k, sizeof *c->sc);
    c->diff = calloc(k, sizeof *c->diff);
    if (!c->sc || !c->diff) {
        rr_compare_free(c);
        return RR_ERR_NOMEM;
    }
    ranks rk;
    compute_ranks(&rk, c->paths, c->nq, c->qp);
    for (size_t i = 0; i < k; i++) {
        rr_compare_scenario *x = &c->sc[i];
        x->file = files[i];
        const rr_result_about *ab = &r[i]->about;
        x->name = ab->scenario;
        x->currency = ab->currency;
        x->catalog = ab->catalog;
        x->ncatalog = ab->ncatalog;
        x->ncat = r[i]->ncat;
        fill_series(&x->total, r[i]->sketch[rr_result_total()],
                    &r[i]->moments[rr_result_total()], c->nq, c->qp, &rk);
        for (int j = 0; j < r[i]->ncat; j++) {
            x->cat[j] = r[i]->cat[j];
            fill_series(&x->cats[j], r[i]->sketch[rr_result_cat(r[i], j)],
                        &r[i]->moments[rr_result_cat(r[i], j)], c->nq, c->qp, &rk);
        }
        x->has_budget = ab->has_budget;
        x->budget_total = ab->budget_total;
        x->p_exceed = ab->has_budget ? (double)r[i]->exceed / (double)r[i]->paths : NAN;
        x->confidence = ab->confidence;
        x->recommended = rr_sketch_quantile(r[i]->sketch[rr_result_total()], ab->confidence);
    }
    for (size_t i = 0; i < k; i++)
        if (r[i]->about.warnings)
            rr_warnings_append(&c->warnings, r[i]->about.warnings, 1);
    c->nload_warnings = c->warnings.n;
    for (size_t i = 0; i < k; i++) {
        rr_warnings found;
        rr_warnings_init(&found);
        rr_findings(r[i], &found);
        rr_warnings_append(&c->warnings, &found, 1);
        rr_warnings_free(&found);
    }
    for (size_t i = 0; d && i + 1 < k; i++) {
        rr_compare_diff *x = &c->diff[i];
        x->a = r[0]->about.scenario;
        x->b = r[i + 1]->about.scenario;
        x->ncat = d[i]->ncat;
        fill_series(&x->total, d[i]->sketch[0], &d[i]->moments[0], c->nq, c->qp, &rk);
        for (int j = 0; j < d[i]->ncat; j++) {
            x->cat[j] = d[i]->cat[j];
            fill_series(&x->cats[j], d[i]->sketch[1 + j], &d[i]->moments[1 + j], c->nq, c->qp,
                        &rk);
        }
        x->p_b_costlier = (double)d[i]->b_costlier / (double)d[i]->paths;
        c->ndiff++;
    }
    *out = c;
    return RR_OK;
}

void rr_compare_free(rr_compare *c)
{
    if (!c)
        return;
    free(c->sc);
    free(c->diff);
    rr_warnings_free(&c->warnings);
    free(c);
}
