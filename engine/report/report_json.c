/* report_json: the machine-readable report.
 *
 * Numbers are written in the shortest form that reads back to the same double, so the JSON
 * of two identical runs is identical byte for byte and loses nothing; NaN becomes null.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "version.h"
#include "report/report.h"
#include "report/report_util.h"

static void stats(rr_buf *b, const rr_summary *sum, const rr_stats *st)
{
    rr_buf_json_stats(b, sum->nq, sum->qkey, st, 0);
}

/* STATS with its count of values first, for series that not every path feeds. */
static void stats_n(rr_buf *b, const rr_summary *sum, const rr_stats *st)
{
    rr_buf_json_stats(b, sum->nq, sum->qkey, st, 1);
}

/* {"total": STATS, "categories": {...}} over the categories present. */
static void stats_by_category(rr_buf *b, const rr_summary *sum, const rr_stats *total,
                              const rr_stats *cats)
{
    rr_buf_puts(b, "{\"total\": ");
    stats(b, sum, total);
    rr_buf_puts(b, ", \"categories\": {");
    for (int c = 0; c < sum->ncat; c++) {
        rr_buf_puts(b, c ? ",\n    " : "\n    ");
        rr_buf_json_str(b, sum->cat[c]->name);
        rr_buf_puts(b, ": ");
        stats(b, sum, &cats[c]);
    }
    rr_buf_puts(b, "}}");
}

/* A month as the periods and run-rate name it: "2027-10" with `start`, else its number
 * from 1; null for -1. */
static void month_ref(rr_buf *b, const rr_summary *sum, int m)
{
    if (m < 0)
        rr_buf_puts(b, "null");
    else if (sum->months[m][0] == 'M')
        rr_buf_printf(b, "%d", m + 1);
    else
        rr_buf_json_str(b, sum->months[m]);
}

/* {label, from, to, partial, total, categories, budget} of a year or quarter. */
static void period(rr_buf *b, const rr_summary *sum, const rr_summary_period *p, int comma)
{
    rr_buf_puts(b, comma ? ",\n      {\"label\": " : "\n      {\"label\": ");
    rr_buf_json_str(b, p->label);
    rr_buf_puts(b, ", \"from\": ");
    month_ref(b, sum, p->from);
    rr_buf_puts(b, ", \"to\": ");
    month_ref(b, sum, p->to);
    rr_buf_printf(b, ", \"partial\": %s,\n       \"total\": ", p->partial ? "true" : "false");
    stats(b, sum, &p->total);
    rr_buf_puts(b, ",\n       \"categories\": {");
    for (int c = 0; c < sum->ncat; c++) {
        rr_buf_puts(b, c ? ",\n         " : "\n         ");
        rr_buf_json_str(b, sum->cat[c]->name);
        rr_buf_puts(b, ": ");
        stats(b, sum, &p->cats[c]);
    }
    rr_buf_puts(b, "},\n       \"budget\": ");
    if (p->has_budget) {
        rr_buf_puts(b, "{\"total\": ");
        rr_buf_json_num(b, p->budget);
        rr_buf_puts(b, ", \"p_exceed\": ");
        rr_buf_json_num(b, p->p_exceed);
        rr_buf_puts(b, ", \"recommended\": ");
        rr_buf_json_num(b, p->recommended);
        rr_buf_puts(b, "}}");
    } else {
        rr_buf_puts(b, "null}");
    }
}

/* "drivers": [{input, share, rank_share, direction}, ...] by decreasing share. */
static void drivers(rr_buf *b, const rr_summary *sum)
{
    rr_buf_puts(b, "\"drivers\": [");
    for (size_t i = 0; i < sum->ndrivers; i++) {
        const rr_driver *d = &sum->drivers[i];
        rr_buf_puts(b, i ? ",\n    {\"input\": " : "\n    {\"input\": ");
        rr_buf_json_str(b, d->input);
        rr_buf_puts(b, ", \"share\": ");
        rr_buf_json_num(b, d->share);
        rr_buf_puts(b, ", \"rank_share\": ");
        rr_buf_json_num(b, d->rank_share);
        rr_buf_printf(b, ", \"direction\": \"%s\"}", d->sign < 0 ? "-" : "+");
    }
    rr_buf_puts(b, sum->ndrivers ? "\n  ]" : "]");
}

/* "swings": the total with each top driver held at its own P10 and P90. */
static void swings(rr_buf *b, const rr_summary *sum)
{
    rr_buf_puts(b, "\"swings\": [");
    for (size_t i = 0; i < sum->nswings; i++) {
        const rr_swing *w = &sum->swings[i];
        const double v[6] = { w->low_value,      w->high_value,     w->total_p50_low,
                              w->total_p50_high, w->total_mean_low, w->total_mean_high };
        static const char *const key[6] = { "low_value",      "high_value",     "total_p50_low",
                                            "total_p50_high", "total_mean_low", "total_mean_high" };
        rr_buf_puts(b, i ? ",\n    {\"input\": " : "\n    {\"input\": ");
        rr_buf_json_str(b, w->input);
        for (int k = 0; k < 6; k++) {
            rr_buf_printf(b, ", \"%s\": ", key[k]);
            rr_buf_json_num(b, v[k]);
        }
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, sum->nswings ? "\n  ]" : "]");
}

rr_status rr_report_json(const rr_summary *sum, int timing, rr_buf *b)
{
    rr_buf_printf(b, "{\n  \"runrate\": \"%s\",\n  \"scenario\": ", RR_VERSION);
    rr_buf_json_str(b, sum->scenario);
    rr_buf_puts(b, ",\n  \"currency\": ");
    rr_buf_json_str(b, sum->currency);
    rr_buf_printf(b, ",\n  \"horizon_months\": %d,\n  \"months\": [", sum->horizon);
    for (int m = 0; m < sum->horizon; m++) {
        rr_buf_puts(b, m ? ", " : "");
        rr_buf_json_str(b, sum->months[m]);
    }
    rr_buf_printf(b, "],\n  \"paths\": %llu,\n  \"seed\": %llu,\n  \"percentiles\": [",
                  (unsigned long long)sum->paths, (unsigned long long)sum->seed);
    for (size_t i = 0; i < sum->nq; i++) {
        rr_buf_puts(b, i ? ", " : "");
        rr_buf_json_num(b, sum->qp[i] * 100);
    }
    rr_buf_puts(b, "],\n  \"catalog\": ");
    rr_buf_json_catalog(b, sum->catalog, sum->ncatalog, "\n    ", "\n  ");
    rr_buf_puts(b, ",\n  ");
    rr_buf_json_warnings(b, &sum->warnings);
    rr_buf_puts(b, ",\n  \"total\": ");
    stats(b, sum, &sum->total);
    rr_buf_puts(b, ",\n  \"categories\": {");
    for (int c = 0; c < sum->ncat; c++) {
        rr_buf_puts(b, c ? ",\n    " : "\n    ");
        rr_buf_json_str(b, sum->cat[c]->name);
        rr_buf_puts(b, ": ");
        stats(b, sum, &sum->cats[c]);
    }
    rr_buf_puts(b, "\n  },\n  \"components\": {");
    for (size_t k = 0; k < sum->ncomp; k++) {
        rr_buf_puts(b, k ? ",\n    " : "\n    ");
        rr_buf_json_str(b, sum->comp_names[k]);
        rr_buf_puts(b, ": ");
        stats(b, sum, &sum->comps[k]);
    }
    rr_buf_puts(b, "\n  },\n  \"component_categories\": {");
    for (size_t k = 0; k < sum->ncomp; k++) {
        rr_buf_puts(b, k ? ", " : "");
        rr_buf_json_str(b, sum->comp_names[k]);
        rr_buf_puts(b, ": ");
        rr_buf_json_str(b, sum->comp_cat[k]->name);
    }
    rr_buf_puts(b, "},\n  \"monthly\": {\n    \"total\": [");
    for (int m = 0; m < sum->horizon; m++) {
        rr_buf_puts(b, m ? ",\n      " : "\n      ");
        stats(b, sum, &sum->monthly_total[m]);
    }
    rr_buf_puts(b, "\n    ],\n    \"categories\": {");
    for (int c = 0; c < sum->ncat; c++) {
        rr_buf_puts(b, c ? ",\n      " : "\n      ");
        rr_buf_json_str(b, sum->cat[c]->name);
        rr_buf_puts(b, ": [");
        for (int m = 0; m < sum->horizon; m++) {
            rr_buf_puts(b, m ? ",\n        " : "\n        ");
            stats(b, sum, &sum->monthly_cats[(size_t)m * (size_t)sum->ncat + (size_t)c]);
        }
        rr_buf_puts(b, "\n      ]");
    }
    rr_buf_puts(b, "\n    }\n  },\n  \"budget\": {\"total\": ");
    if (sum->has_budget)
        rr_buf_json_num(b, sum->budget_total);
    else
        rr_buf_puts(b, "null");
    rr_buf_puts(b, ", \"confidence\": ");
    rr_buf_json_num(b, sum->confidence);
    rr_buf_puts(b, ", \"p_exceed\": ");
    rr_buf_json_num(b, sum->p_exceed);
    rr_buf_puts(b, ", \"recommended\": ");
    rr_buf_json_num(b, sum->recommended);
    rr_buf_puts(b, ", \"monthly\": ");
    if (sum->has_budget_monthly)
        rr_buf_json_num(b, sum->budget_monthly);
    else
        rr_buf_puts(b, "null");
    rr_buf_puts(b, ", \"monthly_p_exceed\": ");
    if (sum->has_budget_monthly) {
        rr_buf_puts(b, "[");
        for (int m = 0; m < sum->horizon; m++) {
            rr_buf_puts(b, m ? ", " : "");
            rr_buf_json_num(b, sum->monthly_p_exceed[m]);
        }
        rr_buf_puts(b, "]");
    } else {
        rr_buf_puts(b, "null");
    }
    rr_buf_puts(b, ", \"first_month_over\": ");
    if (sum->first_month_over >= 0)
        rr_buf_json_str(b, sum->months[sum->first_month_over]);
    else
        rr_buf_puts(b, "null");
    rr_buf_puts(b, ", \"exhausted_by\": ");
    if (sum->exhausted_by) {
        rr_buf_puts(b, "[");
        for (int m = 0; m < sum->horizon; m++) {
            rr_buf_puts(b, m ? ", " : "");
            rr_buf_json_num(b, sum->exhausted_by[m]);
        }
        rr_buf_puts(b, "], \"exhausted_month\": {\"p20\": ");
        month_ref(b, sum, sum->exhausted_p20);
        rr_buf_puts(b, ", \"p50\": ");
        month_ref(b, sum, sum->exhausted_p50);
        rr_buf_puts(b, "}");
    } else {
        rr_buf_puts(b, "null, \"exhausted_month\": null");
    }
    rr_buf_puts(b, "},\n  ");
    drivers(b, sum);
    rr_buf_puts(b, ",\n  ");
    swings(b, sum);
    rr_buf_puts(b, ",\n  \"spikes\": ");
    stats_by_category(b, sum, &sum->spike_total, sum->spike_cats);
    rr_buf_puts(b, ",\n  \"unit_cost\": {\"per\": 1000, \"horizon\": ");
    stats_n(b, sum, &sum->unit_horizon);
    rr_buf_puts(b, ",\n    \"last_month\": ");
    stats_n(b, sum, &sum->unit_last);
    rr_buf_puts(b, ",\n    \"streams\": {");
    for (size_t j = 0; j < sum->nstreams; j++) {
        rr_buf_puts(b, j ? ",\n      " : "\n      ");
        rr_buf_json_str(b, sum->stream_names[j]);
        rr_buf_puts(b, ": ");
        stats_n(b, sum, &sum->unit_streams[j]);
    }
    rr_buf_puts(b, "\n    }},\n  \"demand\": {");
    for (size_t j = 0; j < sum->nstreams; j++) {
        rr_buf_puts(b, j ? ",\n    " : "\n    ");
        rr_buf_json_str(b, sum->stream_names[j]);
        rr_buf_puts(b, ": {\"total\": ");
        stats(b, sum, &sum->demand_total[j]);
        rr_buf_puts(b, ",\n      \"monthly\": [");
        for (int m = 0; m < sum->horizon; m++) {
            rr_buf_puts(b, m ? ",\n        " : "\n        ");
            stats(b, sum, &sum->demand_monthly[j * (size_t)sum->horizon + (size_t)m]);
        }
        rr_buf_puts(b, "\n      ]}");
    }
    rr_buf_puts(b, "\n  },\n  \"capacity_bound\": {");
    for (size_t i = 0; i < sum->ncapacity; i++) {
        rr_buf_puts(b, i ? ", " : "");
        rr_buf_json_str(b, sum->capacity_names[i]);
        rr_buf_puts(b, ": ");
        rr_buf_json_num(b, sum->capacity_bound[i]);
    }
    rr_buf_puts(b, "},\n  \"commitment_unused\": {");
    for (size_t i = 0; i < sum->ncommitment; i++) {
        rr_buf_puts(b, i ? ",\n    " : "\n    ");
        rr_buf_json_str(b, sum->commitment_names[i]);
        rr_buf_puts(b, ": ");
        stats(b, sum, &sum->commitment_unused[i]);
    }
    rr_buf_puts(b, sum->ncommitment ? "\n  },\n  \"periods\": {" : "},\n  \"periods\": {");
    for (int q = 0; q < 2; q++) {
        const size_t first = q ? sum->nyears : 0, n = q ? sum->nquarters : sum->nyears;
        rr_buf_puts(b, q ? ",\n    \"quarters\": [" : "\n    \"years\": [");
        for (size_t i = first; i < first + n; i++)
            period(b, sum, &sum->periods[i], i > first);
        rr_buf_puts(b, n ? "\n    ]" : "]");
    }
    rr_buf_puts(b, "\n  },\n  \"cumulative\": [");
    for (int m = 0; m < sum->horizon; m++) {
        rr_buf_puts(b, m ? ",\n    " : "\n    ");
        stats(b, sum, &sum->cumulative[m]);
    }
    rr_buf_puts(b, "\n  ],\n  \"run_rate\": {\"last_month\": ");
    stats(b, sum, &sum->monthly_total[sum->horizon - 1]);
    rr_buf_puts(b, ",\n    \"last_three_months\": ");
    stats(b, sum, &sum->run_rate);
    rr_buf_puts(b, ",\n    \"peak_month\": {\"month\": ");
    month_ref(b, sum, sum->peak_month);
    rr_buf_puts(b, ", \"stats\": ");
    stats(b, sum, &sum->monthly_total[sum->peak_month]);
    rr_buf_puts(b, "}},\n  \"precision\": ");
    if (isnan(sum->precision)) {
        rr_buf_puts(b, "null");
    } else {
        rr_buf_puts(b, "{\"target\": ");
        rr_buf_json_num(b, sum->precision);
        rr_buf_puts(b, ", \"achieved\": ");
        rr_buf_json_num(b, sum->precision_achieved);
        rr_buf_printf(b, ", \"met\": %s, \"paths\": %llu}", sum->precision_met ? "true" : "false",
                      (unsigned long long)sum->paths);
    }
    if (sum->partial)
        rr_buf_printf(b, ",\n  \"partial\": {\"paths_completed\": %llu, \"paths_requested\": %llu}",
                      (unsigned long long)sum->paths, (unsigned long long)sum->paths_requested);
    else
        rr_buf_puts(b, ",\n  \"partial\": null");
    rr_buf_printf(b, ",\n  \"run\": {\"threads\": %d, \"seconds\": ", sum->threads);
    rr_buf_json_num(b, timing ? sum->seconds : NAN);
    rr_buf_puts(b, ", \"paths_per_second\": ");
    rr_buf_json_num(b, timing && sum->seconds > 0 ? (double)sum->paths / sum->seconds : NAN);
    rr_buf_printf(b, ", \"draws\": %llu, \"draws_per_second\": ", (unsigned long long)sum->draws);
    rr_buf_json_num(b, timing && sum->seconds > 0 ? (double)sum->draws / sum->seconds : NAN);
    rr_buf_puts(b, "}\n}\n");
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}

/* {"total": STATS, "categories": {...}} for a comparison's scenario or difference. */
static void compare_block(rr_buf *b, const rr_compare *c, const rr_stats *total, int ncat,
                          const rr_category_info *const *cat, const rr_stats *cats)
{
    rr_buf_puts(b, "\"total\": ");
    rr_buf_json_stats(b, c->nq, c->qkey, total, 0);
    rr_buf_puts(b, ",\n      \"categories\": {");
    for (int k = 0; k < ncat; k++) {
        rr_buf_puts(b, k ? ",\n        " : "\n        ");
        rr_buf_json_str(b, cat[k]->name);
        rr_buf_puts(b, ": ");
        rr_buf_json_stats(b, c->nq, c->qkey, &cats[k], 0);
    }
    rr_buf_puts(b, "}");
}

rr_status rr_report_compare_json(const rr_compare *c, rr_buf *b)
{
    rr_buf_printf(b, "{\n  \"runrate\": \"%s\",\n  \"paths\": %llu,\n  \"seed\": %llu,\n",
                  RR_VERSION, (unsigned long long)c->paths, (unsigned long long)c->seed);
    if (c->sweep) {
        rr_buf_puts(b, "  \"sweep\": ");
        rr_buf_json_str(b, c->sweep);
        rr_buf_puts(b, ",\n");
    }
    rr_buf_puts(b, "  ");
    rr_buf_json_warnings(b, &c->warnings);
    rr_buf_puts(b, ",\n  \"scenarios\": [");
    for (size_t i = 0; i < c->k; i++) {
        const rr_compare_scenario *x = &c->sc[i];
        rr_buf_puts(b, i ? ",\n    {\"file\": " : "\n    {\"file\": ");
        rr_buf_json_str(b, x->file);
        rr_buf_puts(b, ", \"scenario\": ");
        rr_buf_json_str(b, x->name);
        rr_buf_puts(b, ", \"catalog\": ");
        rr_buf_json_catalog(b, x->catalog, x->ncatalog, "\n        ", "\n      ");
        if (c->sweep) {
            rr_buf_puts(b, ", \"value\": ");
            rr_buf_json_str(b, c->values[i]);
        }
        rr_buf_puts(b, ",\n      ");
        compare_block(b, c, &x->total, x->ncat, x->cat, x->cats);
        rr_buf_puts(b, ",\n      \"budget\": {\"total\": ");
        rr_buf_json_num(b, x->has_budget ? x->budget_total : NAN);
        rr_buf_puts(b, ", \"confidence\": ");
        rr_buf_json_num(b, x->confidence);
        rr_buf_puts(b, ", \"p_exceed\": ");
        rr_buf_json_num(b, x->p_exceed);
        rr_buf_puts(b, ", \"recommended\": ");
        rr_buf_json_num(b, x->recommended);
        rr_buf_puts(b, "}}");
    }
    rr_buf_puts(b, "\n  ],\n  \"differences\": [");
    for (size_t i = 0; i < c->ndiff; i++) {
        const rr_compare_diff *x = &c->diff[i];
        rr_buf_puts(b, i ? ",\n    {\"a\": " : "\n    {\"a\": ");
        rr_buf_json_str(b, x->a);
        rr_buf_puts(b, ", \"b\": ");
        rr_buf_json_str(b, x->b);
        rr_buf_puts(b, ",\n      ");
        compare_block(b, c, &x->total, x->ncat, x->cat, x->cats);
        rr_buf_puts(b, ",\n      \"p_b_costlier\": ");
        rr_buf_json_num(b, x->p_b_costlier);
        rr_buf_puts(b, "}");
    }
    rr_buf_printf(b, "%s],\n  \"run\": {\"threads\": %d, \"seconds\": ", c->ndiff ? "\n  " : "",
                  c->threads);
    rr_buf_json_num(b, c->seconds);
    rr_buf_puts(b, ", \"paths_per_second\": ");
    rr_buf_json_num(b, c->seconds > 0 ? (double)c->paths * (double)c->k / c->seconds : NAN);
    rr_buf_puts(b, "}\n}\n");
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}
