/* The JSON form of a track report: every number in its shortest exact form, unobserved
 * cells as null. */
#include <math.h>
#include <stdio.h>

#include "report/report_track.h"
#include "report/report_util.h"

static void band(rr_buf *b, const rr_track_band *x)
{
    rr_buf_puts(b, "{\"mean\": ");
    rr_buf_json_num(b, x->mean);
    rr_buf_puts(b, ", \"sd\": ");
    rr_buf_json_num(b, x->sd);
    rr_buf_puts(b, ", \"p5\": ");
    rr_buf_json_num(b, x->p5);
    rr_buf_puts(b, ", \"p50\": ");
    rr_buf_json_num(b, x->p50);
    rr_buf_puts(b, ", \"p95\": ");
    rr_buf_json_num(b, x->p95);
    rr_buf_puts(b, "}");
}

/* What one field of a comparison is. */
typedef enum field { F_ACTUAL, F_FORECAST, F_PERCENTILE, F_OUTSIDE, F_VARIANCE } field;

static void cmp_field(rr_buf *b, const rr_track_cmp *c, field f)
{
    if (!c->observed) {
        rr_buf_puts(b, "null");
        return;
    }
    switch (f) {
    case F_ACTUAL: rr_buf_json_num(b, c->actual); break;
    case F_FORECAST: band(b, &c->forecast); break;
    case F_PERCENTILE: rr_buf_json_num(b, c->percentile); break;
    case F_OUTSIDE: rr_buf_puts(b, c->outside ? "true" : "false"); break;
    case F_VARIANCE:
        rr_buf_puts(b, "{\"amount\": ");
        rr_buf_json_num(b, c->variance);
        rr_buf_puts(b, ", \"pct\": ");
        rr_buf_json_num(b, c->variance_pct);
        rr_buf_puts(b, "}");
        break;
    }
}

/* {"total": ..., "categories": {...}, "components": {...}} of one field of month m. */
static void month_field(rr_buf *b, const rr_track_summary *t, const rr_track_month *m, field f)
{
    rr_buf_puts(b, "{\"total\": ");
    cmp_field(b, &m->total, f);
    rr_buf_puts(b, ", \"categories\": {");
    for (size_t c = 0; c < t->ncat; c++) {
        rr_buf_puts(b, c ? ", " : "");
        rr_buf_json_str(b, t->cat_name[c]);
        rr_buf_puts(b, ": ");
        cmp_field(b, &m->cat[c], f);
    }
    rr_buf_puts(b, "}, \"components\": {");
    for (size_t k = 0; k < t->ncomp; k++) {
        rr_buf_puts(b, k ? ", " : "");
        rr_buf_json_str(b, t->comp_name[k]);
        rr_buf_puts(b, ": ");
        cmp_field(b, &m->comp[k], f);
    }
    rr_buf_puts(b, "}}");
}

static void month(rr_buf *b, const rr_track_summary *t, const rr_track_month *m)
{
    static const char *const key[] = { "actual", "forecast", "percentile", "outside",
                                       "variance" };
    rr_buf_puts(b, "{\"month\": ");
    rr_buf_json_str(b, m->month);
    for (int f = F_ACTUAL; f <= F_VARIANCE; f++) {
        rr_buf_printf(b, ",\n       \"%s\": ", key[f]);
        month_field(b, t, m, (field)f);
    }
    rr_buf_puts(b, ",\n       \"demand\": {");
    size_t shown = 0;
    for (size_t j = 0; j < t->nstreams; j++) {
        const rr_track_cmp *c = &m->demand[j];
        if (!c->observed)
            continue;
        rr_buf_puts(b, shown++ ? ", " : "");
        rr_buf_json_str(b, t->stream_name[j]);
        rr_buf_puts(b, ": {\"actual\": ");
        cmp_field(b, c, F_ACTUAL);
        rr_buf_puts(b, ", \"forecast\": ");
        cmp_field(b, c, F_FORECAST);
        rr_buf_puts(b, ", \"percentile\": ");
        cmp_field(b, c, F_PERCENTILE);
        rr_buf_puts(b, ", \"outside\": ");
        cmp_field(b, c, F_OUTSIDE);
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, "},\n       \"accuracy\": ");
    rr_buf_json_num(b, m->accuracy);
    rr_buf_puts(b, ", \"accuracy_level\": ");
    const char *lv = rr_track_level(m->accuracy);
    if (lv)
        rr_buf_json_str(b, lv);
    else
        rr_buf_puts(b, "null");
    rr_buf_puts(b, ",\n       \"cumulative\": {\"actual\": ");
    cmp_field(b, &m->cumulative, F_ACTUAL);
    rr_buf_puts(b, ", \"forecast\": ");
    cmp_field(b, &m->cumulative, F_FORECAST);
    rr_buf_puts(b, ", \"percentile\": ");
    cmp_field(b, &m->cumulative, F_PERCENTILE);
    rr_buf_puts(b, ", \"outside\": ");
    cmp_field(b, &m->cumulative, F_OUTSIDE);
    rr_buf_puts(b, "}}");
}

static void calibration(rr_buf *b, const rr_track_summary *t)
{
    rr_buf_printf(b, "{\"cells\": %zu, \"inside\": %zu, \"inside_share\": ", t->cells,
                  t->inside);
    rr_buf_json_num(b, t->cells ? (double)t->inside / (double)t->cells : NAN);
    rr_buf_puts(b, ", \"nominal\": 0.9,\n      \"accuracy\": [");
    for (size_t m = 0; m < t->nmonths; m++) {
        rr_buf_puts(b, m ? ", {\"month\": " : "{\"month\": ");
        rr_buf_json_str(b, t->months[m].month);
        rr_buf_puts(b, ", \"accuracy\": ");
        rr_buf_json_num(b, t->months[m].accuracy);
        rr_buf_puts(b, ", \"level\": ");
        const char *lv = rr_track_level(t->months[m].accuracy);
        if (lv)
            rr_buf_json_str(b, lv);
        else
            rr_buf_puts(b, "null");
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, "],\n      \"levels\": {\"crawl\": 0.2, \"walk\": 0.15, \"run\": 0.12}}");
}

static void reforecast(rr_buf *b, const rr_track_summary *t)
{
    rr_buf_puts(b, "{\"ess\": ");
    rr_buf_json_num(b, t->ess);
    rr_buf_printf(b, ", \"paths\": %llu, \"tolerance\": ", (unsigned long long)t->paths);
    rr_buf_json_num(b, t->tolerance);
    rr_buf_printf(b, ", \"cells\": %zu, \"cells_left_out\": %zu, \"method\": \"%s\", "
                     "\"moved_inputs\": %zu, \"rounds\": %d,\n      \"monthly\": [",
                  t->likelihood_cells, t->cells_left_out,
                  t->rounds ? "adaptive importance" : "importance", t->moved, t->rounds);
    for (size_t m = 0; m < t->nrest; m++) {
        rr_buf_puts(b, m ? ",\n        {\"month\": " : "\n        {\"month\": ");
        rr_buf_json_str(b, t->rest_month[m]);
        rr_buf_puts(b, ", \"stats\": ");
        band(b, &t->rest[m]);
        rr_buf_puts(b, ", \"cumulative\": ");
        band(b, &t->rest_cum[m]);
        rr_buf_puts(b, ", \"first_forecast\": ");
        band(b, &t->rest_prior[m]);
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, t->nrest ? "\n      ],\n      \"actual_to_date\": " : "],\n      \"actual_to_date\": ");
    rr_buf_json_num(b, t->actual_to_date);
    rr_buf_puts(b, ",\n      \"unobserved_to_date\": ");
    band(b, &t->unobserved_to_date);
    rr_buf_puts(b, ",\n      \"horizon_total\": ");
    band(b, &t->horizon_total);
    rr_buf_puts(b, ",\n      \"first_forecast_total\": ");
    band(b, &t->horizon_prior);
    rr_buf_puts(b, ",\n      \"budget\": ");
    if (t->has_budget) {
        rr_buf_puts(b, "{\"total\": ");
        rr_buf_json_num(b, t->budget_total);
        rr_buf_puts(b, ", \"confidence\": ");
        rr_buf_json_num(b, t->confidence);
        rr_buf_puts(b, ", \"p_exceed\": ");
        rr_buf_json_num(b, t->p_exceed);
        rr_buf_puts(b, ", \"p_exceed_first_forecast\": ");
        rr_buf_json_num(b, t->p_exceed_prior);
        rr_buf_puts(b, ", \"remainder_needed\": ");
        rr_buf_json_num(b, t->remainder_needed);
        rr_buf_puts(b, ", \"budget_left\": ");
        rr_buf_json_num(b, t->budget_left);
        rr_buf_puts(b, "}");
    } else {
        rr_buf_puts(b, "null");
    }
    rr_buf_puts(b, ",\n      \"inputs\": [");
    for (size_t i = 0; i < t->ninputs; i++) {
        const rr_track_input *in = &t->inputs[i];
        rr_buf_puts(b, i ? ",\n        {\"input\": " : "\n        {\"input\": ");
        rr_buf_json_str(b, in->input);
        rr_buf_puts(b, ", \"before\": ");
        band(b, &in->before);
        rr_buf_puts(b, ", \"after\": ");
        band(b, &in->after);
        rr_buf_puts(b, ", \"narrowing\": ");
        rr_buf_json_num(b, in->narrowing);
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, t->ninputs ? "\n      ]}" : "]}");
}

rr_status rr_report_track_json(const rr_track_summary *t, const rr_warnings *w, rr_buf *out)
{
    rr_buf *b = out;
    rr_buf_puts(b, "{\n  \"scenario\": ");
    rr_buf_json_str(b, t->scenario);
    rr_buf_puts(b, ",\n  \"currency\": ");
    rr_buf_json_str(b, t->currency);
    rr_buf_puts(b, ",\n  \"catalog\": ");
    rr_buf_json_catalog(b, t->catalog, t->ncatalog, "\n    ", "\n  ");
    rr_buf_puts(b, ",\n  \"actuals\": [");
    for (size_t i = 0; i < t->nactuals; i++) {
        rr_buf_puts(b, i ? ", " : "");
        rr_buf_json_str(b, t->actuals[i]);
    }
    rr_buf_puts(b, "],\n  \"demand_file\": ");
    if (t->demand_file)
        rr_buf_json_str(b, t->demand_file);
    else
        rr_buf_puts(b, "null");
    rr_buf_printf(b, ",\n  \"paths\": %llu,\n  \"seed\": %llu,\n  \"track\": {\n    \"months\": [",
                  (unsigned long long)t->paths, (unsigned long long)t->seed);
    for (size_t m = 0; m < t->nmonths; m++) {
        rr_buf_puts(b, m ? ",\n      " : "\n      ");
        month(b, t, &t->months[m]);
    }
    rr_buf_puts(b, "\n    ],\n    \"calibration\": ");
    calibration(b, t);
    rr_buf_puts(b, ",\n    \"reforecast\": ");
    reforecast(b, t);
    rr_buf_puts(b, ",\n    \"unmapped\": {\"total\": ");
    rr_buf_json_num(b, t->unmapped);
    rr_buf_printf(b, ", \"lines\": %zu, \"share\": ", t->unmapped_lines);
    double all = t->mapped + t->unmapped;
    rr_buf_json_num(b, all != 0 ? t->unmapped / all : NAN);
    rr_buf_puts(b, ", \"services\": [");
    for (size_t i = 0; i < t->nservices; i++) {
        rr_buf_puts(b, i ? ", {\"name\": " : "{\"name\": ");
        rr_buf_json_str(b, t->services[i].name);
        rr_buf_puts(b, ", \"total\": ");
        rr_buf_json_num(b, t->services[i].total);
        rr_buf_puts(b, "}");
    }
    rr_buf_puts(b, "]},\n    \"left_out\": {\"tax\": ");
    rr_buf_json_num(b, t->tax);
    rr_buf_printf(b, ", \"tax_lines\": %zu, \"lines_before_start\": %zu, "
                     "\"lines_after_end\": %zu}\n  },\n  ",
                  t->tax_lines, t->lines_before, t->lines_after);
    rr_buf_json_warnings(b, w);
    rr_buf_puts(b, "\n}\n");
    return b->failed ? RR_ERR_NOMEM : RR_OK;
}
