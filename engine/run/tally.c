/* tally: a thread's accumulators of a block's paths. */
#include "run/tally.h"

#include <stdlib.h>
#include <string.h>

#include "sample/dist.h"
#include "sample/simd.h"

enum { L = RR_LANES };

/* Eight lanes as one value, as in group.c. */
typedef double lanes8 __attribute__((vector_size(8 * sizeof(double))));
typedef double lanes8_at __attribute__((vector_size(8 * sizeof(double)), aligned(8), may_alias));
#define AT8(p) (*(lanes8_at *)(p))

int rr_tally_init(rr_tally *t, const rr_result *r, rr_sketch *const *shared)
{
    memset(t, 0, sizeof *t);
    t->r = r;
    const size_t nrow = rr_result_unit_horizon(r);
    t->sketch = calloc(r->nseries, sizeof *t->sketch);
    t->row = rr_sketch_row_new(nrow, shared);
    t->bm = calloc(r->nseries, sizeof *t->bm);
    t->mshift = calloc(nrow + 1, sizeof *t->mshift);
    t->ms1 = calloc((nrow + 1) * L, sizeof *t->ms1);
    t->ms2 = calloc((nrow + 1) * L, sizeof *t->ms2);
    t->bc = calloc(r->ndrivers + 1, sizeof *t->bc);
    t->mexceed = calloc((size_t)r->horizon, sizeof *t->mexceed);
    t->bound = calloc(r->ncapacity + 1, sizeof *t->bound);
    t->pexceed = calloc(r->about.nbudget_periods + 1, sizeof *t->pexceed);
    t->exhausted = calloc((size_t)r->horizon + 1, sizeof *t->exhausted);
    if (!t->pexceed || !t->exhausted || !t->sketch || !t->row || !t->bm || !t->mshift || !t->ms1 || !t->ms2 || !t->bc ||
        !t->mexceed || !t->bound)
        return -1;
    for (size_t i = 0; i < r->nseries; i++)
        if (!(t->sketch[i] = rr_sketch_new()))
            return -1;
    return 0;
}

void rr_tally_free(rr_tally *t)
{
    if (t->sketch && t->r)
        for (size_t i = 0; i < t->r->nseries; i++)
            rr_sketch_free(t->sketch[i]);
    free(t->sketch);
    rr_sketch_row_free(t->row);
    free(t->bm);
    free(t->mshift);
    free(t->ms1);
    free(t->ms2);
    free(t->bc);
    free(t->mexceed);
    free(t->bound);
    free(t->pexceed);
    free(t->exhausted);
    memset(t, 0, sizeof *t);
}

void rr_tally_block_start(rr_tally *t)
{
    const rr_result *r = t->r;
    const size_t nrow = rr_result_unit_horizon(r);
    memset(t->bm, 0, r->nseries * sizeof *t->bm);
    memset(t->bc, 0, r->ndrivers * sizeof *t->bc);
    t->mn = 0;
    memset(t->ms1, 0, nrow * L * sizeof *t->ms1);
    memset(t->ms2, 0, nrow * L * sizeof *t->ms2);
}

/* The shifted sums of lanes 0..nl-1 of every series of the row (series i of lane l at
 * x[i * L + l]), each lane into its own sums, eight lanes to a vector.  The shift of a
 * series is its first value in the block (whose own terms are then zero). */
RR_VECTOR_CLONES static void moments_add_lanes(rr_tally *t, const double *x, size_t n,
                                               unsigned nl)
{
    if (t->mn == 0 && nl > 0)
        for (size_t i = 0; i < n; i++)
            t->mshift[i] = x[i * L];
    t->mn += nl;
    double *const s1 = t->ms1, *const s2 = t->ms2;
    if (nl == L) {
        for (size_t i = 0; i < n; i++) {
            const lanes8 sh = { t->mshift[i], t->mshift[i], t->mshift[i], t->mshift[i],
                                t->mshift[i], t->mshift[i], t->mshift[i], t->mshift[i] };
            for (size_t h = 0; h < L; h += 8) {
                const lanes8 d = AT8(x + i * L + h) - sh;
                AT8(s1 + i * L + h) += d;
                AT8(s2 + i * L + h) += d * d;
            }
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        for (unsigned l = 0; l < nl; l++) {
            double d = x[i * L + l] - t->mshift[i];
            s1[i * L + l] += d;
            s2[i * L + l] += d * d;
        }
}

void rr_tally_group(rr_tally *t, const rr_group *g, const rr_plan *p, const rr_values *v,
                    unsigned nl)
{
    const rr_result *r = t->r;
    const rr_result_about *ab = &r->about;
    const size_t nrow = rr_result_unit_horizon(r);
    const double *x = g->valsl;
    if (ab->has_budget_monthly)
        for (int m = 0; m < r->horizon; m++)
            for (unsigned l = 0; l < nl; l++)
                t->mexceed[m] += x[rr_result_month(r, m) * L + l] > ab->budget_monthly;
    if (ab->has_budget)
        for (int m = 0; m < r->horizon; m++)
            for (unsigned l = 0; l < nl; l++)
                t->exhausted[m] += x[rr_result_cumulative(r, m) * L + l] > ab->budget_total;
    if (!rr_sketch_row_room(t->row, nl)) {
        /* The rows of this batch's threads share their sketches: one spill at a time. */
        int bad;
#pragma omp critical(rr_tally_row_spill)
        bad = rr_sketch_row_spill(t->row, nl);
        if (bad)
            t->failed = 1;
    }
    rr_sketch_row_add_lanes(t->row, x, L, nl);
    moments_add_lanes(t, x, nrow, nl);
    const size_t uh = nrow, ul = rr_result_unit_last(r);
    for (unsigned l = 0; l < nl; l++) {
        double total = x[rr_result_total() * L + l];
        if (g->served[l] > 0) {
            if (rr_sketch_add(t->sketch[uh], x[uh * L + l]) != 0)
                t->failed = 1;
            rr_block_moments_add(&t->bm[uh], x[uh * L + l]);
        }
        if (g->eff_last[l] > 0) {
            if (rr_sketch_add(t->sketch[ul], x[ul * L + l]) != 0)
                t->failed = 1;
            rr_block_moments_add(&t->bm[ul], x[ul * L + l]);
        }
        for (size_t j = 0; j < r->nstreams; j++) {
            const size_t us = rr_result_unit_stream(r, j);
            if (x[rr_result_demand(r, j) * L + l] > 0) {
                if (rr_sketch_add(t->sketch[us], x[us * L + l]) != 0)
                    t->failed = 1;
                rr_block_moments_add(&t->bm[us], x[us * L + l]);
            }
        }
        if (t->ranks) {
            const double rt = rr_sketch_ranks_mid(t->ranks, total);
            for (size_t i = 0; i < r->ndrivers; i++)
                rr_block_comoments_add(&t->bc[i],
                                       rr_dist_mid_cdf(&p->drivers[i].input->dist,
                                                       v[p->drivers[i].ref].at[l]), rt);
        } else {
            for (size_t i = 0; i < r->ndrivers; i++)
                rr_block_comoments_add(&t->bc[i], v[p->drivers[i].ref].at[l], total);
        }
        for (size_t i = 0; i < r->ncapacity; i++)
            t->bound[i] += (uint64_t)g->bound[i * L + l];
        if (ab->has_budget && total > ab->budget_total)
            t->exceed++;
        for (size_t i = 0; i < ab->nbudget_periods; i++)
            t->pexceed[i] += x[rr_result_period(r, ab->budget_period[i]) * L + l] >
                             ab->budget_period_amount[i];
    }
}

void rr_tally_block_end(rr_tally *t, rr_block_moments *bm, rr_block_comoments *bc)
{
    const rr_result *r = t->r;
    if (t->mn > 0)
        for (size_t i = 0; i < rr_result_unit_horizon(r); i++) {
            double s1 = 0, s2 = 0;
            for (unsigned l = 0; l < L; l++) {
                s1 += t->ms1[i * L + l];
                s2 += t->ms2[i * L + l];
            }
            t->bm[i] = (rr_block_moments){ t->mn, t->mshift[i], s1, s2 };
        }
    memcpy(bm, t->bm, r->nseries * sizeof *bm);
    memcpy(bc, t->bc, r->ndrivers * sizeof *bc);
}

int rr_diff_tally_init(rr_diff_tally *t, size_t nseries)
{
    memset(t, 0, sizeof *t);
    t->sketch = calloc(nseries, sizeof *t->sketch);
    t->bm = calloc(nseries, sizeof *t->bm);
    if (!t->sketch || !t->bm)
        return -1;
    for (size_t i = 0; i < nseries; i++)
        if (!(t->sketch[i] = rr_sketch_new()))
            return -1;
    return 0;
}

void rr_diff_tally_free(rr_diff_tally *t, size_t nseries)
{
    if (t->sketch)
        for (size_t i = 0; i < nseries; i++)
            rr_sketch_free(t->sketch[i]);
    free(t->sketch);
    free(t->bm);
    memset(t, 0, sizeof *t);
}

static void diff_add(rr_diff_tally *t, size_t i, double x)
{
    if (rr_sketch_add(t->sketch[i], x) != 0)
        t->failed = 1;
    rr_block_moments_add(&t->bm[i], x);
}

void rr_diff_tally_lane(rr_diff_tally *t, const rr_result_diff *d, const rr_group *a,
                        const rr_group *b, unsigned l)
{
    const double *va = a->valsl + l, *vb = b->valsl + l;   /* series i at v[i * L] */
    const rr_result *ra = a->r, *rb = b->r;
    double total = vb[rr_result_total() * L] - va[rr_result_total() * L];
    diff_add(t, 0, total);
    t->costlier += total > 0;
    for (int c = 0; c < d->ncat; c++) {
        double x = d->slot_a[c] >= 0 ? va[rr_result_cat(ra, d->slot_a[c]) * L] : 0;
        double y = d->slot_b[c] >= 0 ? vb[rr_result_cat(rb, d->slot_b[c]) * L] : 0;
        diff_add(t, 1 + (size_t)c, y - x);
    }
}
