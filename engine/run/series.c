/* series: a plan's result and what it is about. */
#include "run/series.h"

#include <stdlib.h>

/* An input as the reports show it: its distribution or constant; an expression as written
 * (one that folded, with its value); a schedule's entries from their months on. */
static void describe(const rr_scenario *s, const rr_input *in, char *buf, size_t size)
{
    char d[96];
    if (in->schedule) {
        size_t at = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < in->schedule->n && at < size; i++) {
            const rr_schedule_entry *e = &in->schedule->e[i];
            if (e->month < 0 || e->month >= s->horizon)
                continue;   /* never applies */
            describe(s, &e->value, d, sizeof d);
            int w = snprintf(buf + at, size - at, "%sfrom %s: %s", at ? "; " : "", e->key, d);
            at += w > 0 ? (size_t)w : 0;
        }
        return;
    }
    if (in->text && rr_input_is_const(in)) {
        rr_dist_describe(&in->dist, d, sizeof d);
        snprintf(buf, size, "%s = %s", in->text, d);
    } else if (in->text) {
        snprintf(buf, size, "%s", in->text);
    } else {
        rr_dist_describe(&in->dist, buf, size);
    }
}

/* The inputs of in[0..n-1] given in the file, described for the reports. */
static void add_inputs(const rr_scenario *s, rr_result_about *ab, const rr_input *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!in[i].given)
            continue;
        rr_result_input *x = &ab->inputs[ab->ninputs++];
        x->input = in[i].path;
        describe(s, &in[i], x->text, sizeof x->text);
        x->computed = in[i].expr || in[i].schedule;
        const size_t f = rr_pos_file(in[i].line);
        x->file = f && f <= s->nlayers ? s->layers[f - 1] : s->file;
        x->line = rr_pos_line(in[i].line);
        x->monthly = in[i].vary == RR_VARY_MONTHLY && !rr_input_is_const(&in[i]) &&
                     !x->computed;
    }
}

rr_result *rr_series_result(const rr_plan *p)
{
    const rr_scenario *s = p->s;
    const rr_category_info **cat = calloc(s->ncomps + 1, sizeof *cat);
    if (!cat)
        return NULL;
    for (size_t k = 0; k < s->ncomps; k++)
        cat[k] = rr_category_get(s->comps[k].category);
    const rr_result_shape shape = {
        .horizon = s->horizon, .ncomp = s->ncomps, .comp_cat = cat, .nstreams = s->nstreams,
        .ninputs = RR_DEMAND_NFIELDS * s->nstreams + s->ncomps * RR_MAX_FIELDS + s->nvars,
        .ndrivers = p->ndrivers, .ncomputed = p->ncomputed, .ncapacity = p->ncapacity,
        .ncommitment = p->ncommitment, .periods = &s->periods,
        .nbudget_periods = s->nbudget_periods,
    };
    rr_result *r = rr_result_new(&shape);
    free(cat);
    if (!r)
        return NULL;
    rr_result_about *ab = &r->about;
    ab->file = s->file;
    ab->layers = (const char *const *)s->layers;
    ab->nlayers = s->nlayers;
    ab->warnings = &s->warnings;
    ab->scenario = s->name;
    ab->currency = s->currency;
    if (s->catalog.n && !(ab->catalog = calloc(s->catalog.n, sizeof *ab->catalog))) {
        rr_result_free(r);
        return NULL;
    }
    for (size_t i = 0; i < s->catalog.n; i++)
        ab->catalog[ab->ncatalog++] = (rr_result_source){ s->catalog.v[i].entry,
                                                          s->catalog.v[i].checked,
                                                          s->catalog.v[i].source };
    ab->start_year = s->start_year;
    ab->start_month = s->start_month;
    ab->has_budget = s->has_budget;
    ab->budget_total = s->budget_total;
    ab->confidence = s->confidence;
    ab->has_budget_monthly = s->has_budget_monthly;
    ab->budget_monthly = s->budget_monthly;
    for (size_t j = 0; j < s->nstreams; j++)
        ab->has_spikes |= s->streams[j].d.has_spikes;
    for (size_t k = 0; k < s->ncomps; k++) {
        ab->comp_names[k] = s->comps[k].name;
        ab->comp_line[k] = s->comps[k].line;
        ab->comp_col[k] = s->comps[k].col;
    }
    for (size_t v = 0; v < s->nvars; v++)
        add_inputs(s, ab, &s->vars[v].value, 1);
    for (size_t j = 0; j < s->nstreams; j++) {
        add_inputs(s, ab, s->streams[j].d.in, RR_DEMAND_NFIELDS);
        ab->stream_names[j] = s->streams[j].name;
    }
    for (size_t k = 0; k < s->ncomps; k++)
        add_inputs(s, ab, s->comps[k].in, s->comps[k].type->nfields);
    for (size_t i = 0; i < p->ndrivers; i++)
        ab->driver_names[i] = p->drivers[i].input->path;
    ab->fy_start = s->fy_start;
    ab->fy_label_start = s->fy_label_start;
    for (size_t i = 0; i < s->nbudget_periods; i++) {
        const rr_budget_period *b = &s->budget_periods[i];
        ab->budget_period_label[i] = b->label;
        ab->budget_period[i] = b->quarter ? s->periods.nyears + b->index : b->index;
        ab->budget_period_amount[i] = b->amount;
    }
    for (size_t k = 0; k < p->ncomp; k++) {
        if (p->comp[k].capacity >= 0)
            ab->capacity_comp[p->comp[k].capacity] = k;
        if (p->comp[k].commitment >= 0)
            ab->commitment_comp[p->comp[k].commitment] = k;
    }
    for (size_t i = 0; i < p->ncomputed; i++) {
        const rr_input *in = p->computed[i].input;
        rr_result_computed *x = &ab->computed[i];
        x->input = in->path;
        x->text = in->text;
        x->line = in->text ? in->text_line : in->line;
        x->col = in->text ? in->text_col : in->col;
        rr_domain_bounds(in->domain, &x->lo, &x->hi);
    }
    return r;
}
