/* result: allocation of a run's statistics records and of the differences of two runs. */
#include "stats/result.h"

#include <math.h>
#include <stdlib.h>

rr_result *rr_result_new(const rr_result_shape *shape)
{
    const int horizon = shape->horizon;
    const size_t ncomp = shape->ncomp, nstreams = shape->nstreams, ninputs = shape->ninputs,
                 ndrivers = shape->ndrivers, ncomputed = shape->ncomputed;
    const rr_category_info *const *comp_cat = shape->comp_cat;
    rr_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->horizon = horizon;
    r->ncomp = ncomp;
    r->nstreams = nstreams;
    r->ncapacity = shape->ncapacity;
    r->ncommitment = shape->ncommitment;
    static const rr_periods none = { 0, 0, NULL, NULL };
    r->about.periods = shape->periods ? shape->periods : &none;
    r->nperiods = r->about.periods->nyears + r->about.periods->nquarters;
    const size_t nb = shape->nbudget_periods;
    r->about.nbudget_periods = nb;
    const rr_category_info *present[RR_NCAT] = { NULL };
    for (size_t k = 0; k < ncomp; k++)
        present[comp_cat[k]->id] = comp_cat[k];
    for (int c = 0; c < RR_NCAT; c++) {
        r->cat_slot[c] = present[c] ? r->ncat : -1;
        if (present[c])
            r->cat[r->ncat++] = present[c];
    }
    r->nseries = rr_result_unit_stream(r, nstreams);
    r->ndrivers = ndrivers;
    r->sketch = calloc(r->nseries, sizeof *r->sketch);
    r->moments = calloc(r->nseries, sizeof *r->moments);
    r->monthly_exceed = calloc((size_t)horizon, sizeof *r->monthly_exceed);
    r->driver_mom = calloc(ndrivers + 1, sizeof *r->driver_mom);
    r->rank_share = calloc(ndrivers + 1, sizeof *r->rank_share);
    r->swings = calloc(ndrivers + 1, sizeof *r->swings);
    r->about.comp_names = calloc(ncomp + 1, sizeof *r->about.comp_names);
    r->about.comp_cat = calloc(ncomp + 1, sizeof *r->about.comp_cat);
    r->about.comp_line = calloc(ncomp + 1, sizeof *r->about.comp_line);
    r->about.comp_col = calloc(ncomp + 1, sizeof *r->about.comp_col);
    r->events_capped = calloc(ncomp + nstreams, sizeof *r->events_capped);
    r->about.inputs = calloc(ninputs + 1, sizeof *r->about.inputs);
    r->about.driver_names = calloc(ndrivers + 1, sizeof *r->about.driver_names);
    r->about.ncomputed = ncomputed;
    r->about.computed = calloc(ncomputed + 1, sizeof *r->about.computed);
    r->clamped = calloc(ncomputed + 1, sizeof *r->clamped);
    r->about.stream_names = calloc(nstreams + 1, sizeof *r->about.stream_names);
    r->about.capacity_comp = calloc(r->ncapacity + 1, sizeof *r->about.capacity_comp);
    r->about.commitment_comp = calloc(r->ncommitment + 1, sizeof *r->about.commitment_comp);
    r->capacity_bound = calloc(r->ncapacity + 1, sizeof *r->capacity_bound);
    r->period_exceed = calloc(nb + 1, sizeof *r->period_exceed);
    r->exhausted = calloc((size_t)horizon + 1, sizeof *r->exhausted);
    r->about.budget_period_label = calloc(nb + 1, sizeof *r->about.budget_period_label);
    r->about.budget_period = calloc(nb + 1, sizeof *r->about.budget_period);
    r->about.budget_period_amount = calloc(nb + 1, sizeof *r->about.budget_period_amount);
    int ok = r->period_exceed && r->exhausted && r->about.budget_period_label &&
             r->about.budget_period && r->about.budget_period_amount && r->about.capacity_comp && r->about.commitment_comp && r->capacity_bound && r->sketch && r->moments && r->monthly_exceed && r->driver_mom && r->rank_share && r->swings &&
             r->about.comp_names && r->about.comp_cat && r->about.inputs &&
             r->about.driver_names && r->about.comp_line && r->about.comp_col &&
             r->events_capped && r->about.computed && r->clamped && r->about.stream_names;
    for (size_t i = 0; ok && i < r->nseries; i++)
        ok = (r->sketch[i] = rr_sketch_new()) != NULL;
    if (!ok) {
        rr_result_free(r);
        return NULL;
    }
    for (size_t k = 0; k < ncomp; k++)
        r->about.comp_cat[k] = comp_cat[k];
    for (size_t i = 0; i < ndrivers; i++)
        r->rank_share[i] = NAN;
    return r;
}

double rr_result_driver_share(const rr_result *r, size_t i)
{
    double c = rr_comoments_corr(&r->driver_mom[i]);
    return c * c;
}

void rr_result_driver_order(const rr_result *r, size_t *order)
{
    /* Insertion sort: stable, so equal shares keep file order; drivers are few. */
    for (size_t i = 0; i < r->ndrivers; i++) {
        const double share = rr_result_driver_share(r, i);
        size_t j = i;
        while (j > 0 && rr_result_driver_share(r, order[j - 1]) < share) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

void rr_result_free(rr_result *r)
{
    if (!r)
        return;
    if (r->sketch)
        for (size_t i = 0; i < r->nseries; i++)
            rr_sketch_free(r->sketch[i]);
    free(r->sketch);
    free(r->moments);
    free(r->monthly_exceed);
    free(r->driver_mom);
    free(r->rank_share);
    free(r->swings);
    free(r->about.comp_names);
    free(r->about.catalog);
    free(r->about.comp_cat);
    free(r->about.comp_line);
    free(r->about.comp_col);
    free(r->events_capped);
    free(r->about.inputs);
    free(r->about.driver_names);
    free(r->about.computed);
    free(r->clamped);
    free(r->about.stream_names);
    free(r->about.capacity_comp);
    free(r->about.commitment_comp);
    free(r->capacity_bound);
    free(r->period_exceed);
    free(r->exhausted);
    free(r->about.budget_period_label);
    free(r->about.budget_period);
    free(r->about.budget_period_amount);
    free(r);
}

rr_result_diff *rr_result_diff_new(const rr_result *a, const rr_result *b)
{
    rr_result_diff *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    for (int c = 0; c < RR_NCAT; c++) {
        if (a->cat_slot[c] < 0 && b->cat_slot[c] < 0)
            continue;
        d->cat[d->ncat] = a->cat_slot[c] >= 0 ? a->cat[a->cat_slot[c]] : b->cat[b->cat_slot[c]];
        d->slot_a[d->ncat] = a->cat_slot[c];
        d->slot_b[d->ncat] = b->cat_slot[c];
        d->ncat++;
    }
    d->nseries = 1 + (size_t)d->ncat;
    d->sketch = calloc(d->nseries, sizeof *d->sketch);
    d->moments = calloc(d->nseries, sizeof *d->moments);
    int ok = d->sketch && d->moments;
    for (size_t i = 0; ok && i < d->nseries; i++)
        ok = (d->sketch[i] = rr_sketch_new()) != NULL;
    if (!ok) {
        rr_result_diff_free(d);
        return NULL;
    }
    return d;
}

void rr_result_diff_free(rr_result_diff *d)
{
    if (!d)
        return;
    if (d->sketch)
        for (size_t i = 0; i < d->nseries; i++)
            rr_sketch_free(d->sketch[i]);
    free(d->sketch);
    free(d->moments);
    free(d);
}
