/* summary: from merged accumulators to statistics records. */
#include "summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double rr_summary_default_percentiles[9] = { 5, 10, 25, 50, 75, 80, 90, 95, 99 };

static void fill(rr_stats *st, const rr_sim_result *r, size_t series, const rr_summary *sum)
{
    st->mean = r->moments[series].mean;
    st->sd = rr_moments_sd(&r->moments[series]);
    for (size_t i = 0; i < sum->nq; i++)
        st->q[i] = rr_sketch_quantile(r->sketch[series], sum->qp[i]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int rr_summary_qindex(const rr_summary *sum, double percent)
{
    for (size_t i = 0; i < sum->nq; i++)
        if (fabs(sum->qp[i] * 100 - percent) < 1e-9)
            return (int)i;
    return -1;
}

rr_status rr_summary_build(const rr_scenario *s, const rr_sim_result *r, const double *extra,
                           size_t nextra, rr_summary **out)
{
    *out = NULL;
    double pct[RR_MAX_QUANTILES];
    size_t n = 0;
    for (size_t i = 0; i < 9; i++)
        pct[n++] = rr_summary_default_percentiles[i];
    for (size_t i = 0; i < nextra; i++) {
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= fabs(pct[j] - extra[i]) < 1e-9;
        if (dup)
            continue;
        if (n == RR_MAX_QUANTILES)
            return RR_ERR_USAGE;
        pct[n++] = extra[i];
    }
    qsort(pct, n, sizeof *pct, cmp_double);

    rr_summary *sum = calloc(1, sizeof *sum);
    if (!sum)
        return RR_ERR_NOMEM;
    sum->scenario = s->name;
    sum->currency = s->currency;
    sum->horizon = s->horizon;
    sum->paths = r->paths;
    sum->seed = r->seed;
    sum->threads = r->threads;
    sum->seconds = r->seconds;
    sum->nq = n;
    for (size_t i = 0; i < n; i++) {
        sum->qp[i] = pct[i] / 100;
        snprintf(sum->qkey[i], sizeof sum->qkey[i], "p%.10g", pct[i]);
    }
    size_t H = (size_t)s->horizon;
    sum->months = calloc(H, sizeof *sum->months);
    sum->comp_names = calloc(s->ncomps, sizeof *sum->comp_names);
    sum->comp_cats = calloc(s->ncomps, sizeof *sum->comp_cats);
    sum->comps = calloc(s->ncomps, sizeof *sum->comps);
    sum->monthly_total = calloc(H, sizeof *sum->monthly_total);
    sum->monthly_cats = calloc(H * (size_t)(r->ncat ? r->ncat : 1), sizeof *sum->monthly_cats);
    if (!sum->months || !sum->comp_names || !sum->comp_cats || !sum->comps ||
        !sum->monthly_total || !sum->monthly_cats) {
        rr_summary_free(sum);
        return RR_ERR_NOMEM;
    }
    for (size_t m = 0; m < H; m++) {
        if (s->start_month) {
            int mm = s->start_month - 1 + (int)m;
            snprintf(sum->months[m], sizeof sum->months[m], "%04d-%02d",
                     s->start_year + mm / 12, mm % 12 + 1);
        } else {
            snprintf(sum->months[m], sizeof sum->months[m], "M%zu", m + 1);
        }
    }
    fill(&sum->total, r, rr_sim_total(), sum);
    sum->ncat = r->ncat;
    for (int c = 0; c < r->ncat; c++) {
        sum->cat_names[c] = rr_category_name((rr_category)r->cats[c]);
        fill(&sum->cats[c], r, rr_sim_cat(r, c), sum);
    }
    sum->ncomp = s->ncomps;
    for (size_t k = 0; k < s->ncomps; k++) {
        sum->comp_names[k] = s->comps[k].name;
        sum->comp_cats[k] = rr_category_name(s->comps[k].category);
        fill(&sum->comps[k], r, rr_sim_comp(r, k), sum);
    }
    for (int m = 0; m < s->horizon; m++) {
        fill(&sum->monthly_total[m], r, rr_sim_month(r, m), sum);
        for (int c = 0; c < r->ncat; c++)
            fill(&sum->monthly_cats[(size_t)m * (size_t)r->ncat + (size_t)c], r,
                 rr_sim_month_cat(r, m, c), sum);
    }
    sum->has_budget = s->has_budget;
    sum->budget_total = s->budget_total;
    sum->confidence = s->confidence;
    sum->p_exceed = s->has_budget ? (double)r->exceed / (double)r->paths : NAN;
    sum->recommended = rr_sketch_quantile(r->sketch[rr_sim_total()], s->confidence);
    *out = sum;
    return RR_OK;
}

void rr_summary_free(rr_summary *sum)
{
    if (!sum)
        return;
    free(sum->months);
    free(sum->comp_names);
    free(sum->comp_cats);
    free(sum->comps);
    free(sum->monthly_total);
    free(sum->monthly_cats);
    free(sum);
}
