/* sim: the parallel path loop.
 *
 * Work per path: draw the path-level inputs once, then month by month demand -> each
 * component -> the month's sums, then feed every series' value to the thread's sketches and
 * the block's moments.  Sums within a path always run in the same order (components in file
 * order), so a path's values are the same bits on any thread.
 *
 * A cost that is not finite stops the run.  To name the same fault whatever the thread
 * count, threads keep running blocks below the lowest faulty block found so far: the fault
 * reported is the first one of the lowest faulty block, which does not depend on timing.
 */
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

uint64_t rr_sim_block_size(uint64_t n)
{
    uint64_t b = (n + RR_SIM_MAX_BLOCKS - 1) / RR_SIM_MAX_BLOCKS;
    return b < RR_SIM_MIN_BLOCK ? RR_SIM_MIN_BLOCK : b;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* What one thread owns.  Allocated inside the parallel region, so its pages are first
 * touched by the thread that uses them. */
typedef struct worker {
    gsl_rng *rng;
    rr_sketch **sketch;
    rr_block_moments *bm;
    double *vals;
    double *pv;              /* demand inputs, then RR_MAX_FIELDS per component */
    double *state;           /* per-component state, at state_off[k] */
    uint64_t exceed;
    int failed;
} worker;

typedef struct fault {
    uint64_t block, path;
    int month;
    size_t comp;             /* ncomp: demand */
    double value;
} fault;

static void worker_free(worker *w, size_t nseries)
{
    if (!w)
        return;
    if (w->sketch)
        for (size_t i = 0; i < nseries; i++)
            rr_sketch_free(w->sketch[i]);
    free(w->sketch);
    free(w->bm);
    free(w->vals);
    free(w->pv);
    free(w->state);
    if (w->rng)
        gsl_rng_free(w->rng);
    memset(w, 0, sizeof *w);
}

static int worker_init(worker *w, size_t nseries, size_t npv, size_t nstate)
{
    memset(w, 0, sizeof *w);
    w->rng = gsl_rng_alloc(rr_rng_philox);
    w->sketch = calloc(nseries, sizeof *w->sketch);
    w->bm = calloc(nseries, sizeof *w->bm);
    w->vals = calloc(nseries, sizeof *w->vals);
    w->pv = calloc(npv, sizeof *w->pv);
    w->state = calloc(nstate ? nstate : 1, sizeof *w->state);
    if (!w->rng || !w->sketch || !w->bm || !w->vals || !w->pv || !w->state)
        return -1;
    for (size_t i = 0; i < nseries; i++)
        if (!(w->sketch[i] = rr_sketch_new()))
            return -1;
    return 0;
}

/* The path-level value of each input: drawn once at step 0, or the constant.  Inputs that
 * vary monthly or per event are drawn where they are used. */
static void draw_path_inputs(const rr_input *in, const rr_field *fields, size_t n, double *pv,
                             rr_draw *d)
{
    for (size_t i = 0; i < n; i++) {
        if (rr_input_is_const(&in[i]))
            pv[i] = in[i].dist.p[0];
        else if (in[i].vary == RR_VARY_PATH && !(fields[i].flags & RR_F_PER_EVENT))
            pv[i] = rr_input_draw(&in[i], d->rng, d->seed, d->path, 0);
        else
            pv[i] = NAN;
    }
}

typedef struct plan {
    const rr_scenario *s;
    const rr_sim_result *r;
    size_t *state_off;
    size_t nstate;
    int *slot_of;            /* component -> category slot */
    uint64_t n, bsize, nblocks, seed;
} plan;

/* Run one path; returns 0, or -1 with *f filled when a cost is not finite. */
static int run_path(const plan *P, worker *w, uint64_t path, fault *f)
{
    const rr_scenario *s = P->s;
    const rr_sim_result *r = P->r;
    const int H = s->horizon, ncat = r->ncat;
    const size_t K = s->ncomps;
    rr_draw d = { w->rng, P->seed, path };
    double *pv = w->pv, *vals = w->vals;

    draw_path_inputs(s->demand.in, rr_demand_fields, RR_DEMAND_NFIELDS, pv, &d);
    for (size_t k = 0; k < K; k++) {
        const rr_component *c = &s->comps[k];
        draw_path_inputs(c->in, c->type->fields, c->type->nfields,
                         pv + RR_DEMAND_NFIELDS + k * RR_MAX_FIELDS, &d);
    }
    memset(w->state, 0, P->nstate * sizeof *w->state);
    memset(vals, 0, r->nseries * sizeof *vals);

    rr_demand_state ds = { 0 };
    for (int m = 0; m < H; m++) {
        double req;
        double eff = rr_demand_month(&s->demand, &ds, pv, m, &d, &req);
        if (!isfinite(eff)) {
            *f = (fault){ 0, path, m, K, eff };
            return -1;
        }
        double *mcat = vals + rr_sim_month_cat(r, m, 0);
        double mtotal = 0;
        for (size_t k = 0; k < K; k++) {
            const rr_component *c = &s->comps[k];
            double cost = c->type->month(c, w->state + P->state_off[k],
                                         pv + RR_DEMAND_NFIELDS + k * RR_MAX_FIELDS, m, eff, &d);
            if (!isfinite(cost)) {
                *f = (fault){ 0, path, m, k, cost };
                return -1;
            }
            vals[rr_sim_comp(r, k)] += cost;
            mcat[P->slot_of[k]] += cost;
            mtotal += cost;
        }
        vals[rr_sim_month(r, m)] = mtotal;
        for (int c = 0; c < ncat; c++)
            vals[rr_sim_cat(r, c)] += mcat[c];
        vals[rr_sim_total()] += mtotal;
    }
    if (!isfinite(vals[rr_sim_total()])) {
        *f = (fault){ 0, path, H - 1, K + 1, vals[0] };
        return -1;
    }
    for (size_t i = 0; i < r->nseries; i++) {
        if (rr_sketch_add(w->sketch[i], vals[i]) != 0)
            w->failed = 1;
        rr_block_moments_add(&w->bm[i], vals[i]);
    }
    if (s->has_budget && vals[rr_sim_total()] > s->budget_total)
        w->exceed++;
    return 0;
}

void rr_sim_result_free(rr_sim_result *r)
{
    if (!r)
        return;
    if (r->sketch)
        for (size_t i = 0; i < r->nseries; i++)
            rr_sketch_free(r->sketch[i]);
    free(r->sketch);
    free(r->moments);
    free(r);
}

static rr_sim_result *result_new(const rr_scenario *s)
{
    rr_sim_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->horizon = s->horizon;
    r->ncomp = s->ncomps;
    int present[RR_NCAT] = { 0 };
    for (size_t k = 0; k < s->ncomps; k++)
        present[s->comps[k].category] = 1;
    for (int c = 0; c < RR_NCAT; c++) {
        r->cat_slot[c] = present[c] ? r->ncat : -1;
        if (present[c])
            r->cats[r->ncat++] = c;
    }
    r->nseries = 1 + (size_t)r->ncat + s->ncomps + (size_t)s->horizon * (1 + (size_t)r->ncat);
    r->sketch = calloc(r->nseries, sizeof *r->sketch);
    r->moments = calloc(r->nseries, sizeof *r->moments);
    if (!r->sketch || !r->moments) {
        rr_sim_result_free(r);
        return NULL;
    }
    return r;
}

rr_status rr_sim_run(const rr_scenario *s, const rr_sim_config *cfg, rr_sim_result **out,
                     rr_diags *diags)
{
    *out = NULL;
    rr_sim_result *r = result_new(s);
    if (!r)
        return RR_ERR_NOMEM;
    plan P = { .s = s, .r = r, .n = cfg->paths, .seed = cfg->seed };
    P.bsize = rr_sim_block_size(P.n);
    P.nblocks = (P.n + P.bsize - 1) / P.bsize;
    P.state_off = calloc(s->ncomps + 1, sizeof *P.state_off);
    P.slot_of = calloc(s->ncomps + 1, sizeof *P.slot_of);
    rr_block_moments *slots = calloc(P.nblocks * r->nseries, sizeof *slots);
    int nthreads = cfg->threads;
#ifdef _OPENMP
    if (nthreads <= 0)
        nthreads = omp_get_max_threads();
#else
    nthreads = 1;
#endif
    if (nthreads < 1)
        nthreads = 1;
    worker *workers = calloc((size_t)nthreads, sizeof *workers);
    rr_status st = RR_OK;
    if (!P.state_off || !P.slot_of || !slots || !workers) {
        st = RR_ERR_NOMEM;
        goto done;
    }
    for (size_t k = 0; k < s->ncomps; k++) {
        P.state_off[k] = P.nstate;
        P.nstate += s->comps[k].type->nstate;
        P.slot_of[k] = r->cat_slot[s->comps[k].category];
    }
    const size_t npv = RR_DEMAND_NFIELDS + s->ncomps * RR_MAX_FIELDS;

    fault first = { UINT64_MAX, 0, 0, 0, 0 };
    uint64_t fault_block = UINT64_MAX;   /* blocks at or above it are skipped */
    int oom = 0, used = 1;
    double t0 = now_seconds();

#pragma omp parallel num_threads(nthreads)
    {
        int t = 0;
#ifdef _OPENMP
        t = omp_get_thread_num();
#pragma omp single
        used = omp_get_num_threads();
#endif
        worker *w = &workers[t];
        if (worker_init(w, r->nseries, npv, P.nstate) != 0) {
#pragma omp atomic write
            oom = 1;
        }
#pragma omp barrier
        int bad_start;
#pragma omp atomic read
        bad_start = oom;
        if (!bad_start) {
#pragma omp for schedule(dynamic, 1)
            for (uint64_t b = 0; b < P.nblocks; b++) {
                uint64_t limit;
#pragma omp atomic read
                limit = fault_block;
                if (b >= limit)
                    continue;
                memset(w->bm, 0, r->nseries * sizeof *w->bm);
                uint64_t lo = b * P.bsize, hi = lo + P.bsize < P.n ? lo + P.bsize : P.n;
                for (uint64_t p = lo; p < hi; p++) {
                    fault f;
                    if (run_path(&P, w, p, &f) != 0) {
#pragma omp critical(rr_sim_fault)
                        {
                            if (b < fault_block) {
                                f.block = b;
                                first = f;
#pragma omp atomic write
                                fault_block = b;
                            }
                        }
                        break;
                    }
                }
                memcpy(slots + b * r->nseries, w->bm, r->nseries * sizeof *w->bm);
            }
        }
    }
    r->seconds = now_seconds() - t0;
    r->threads = used;

    if (oom) {
        st = RR_ERR_NOMEM;
        goto done;
    }
    if (fault_block != UINT64_MAX) {
        const char *what = first.comp < s->ncomps ? s->comps[first.comp].name : NULL;
        char month[16];
        if (s->start_month) {
            int mm = s->start_month - 1 + first.month;
            snprintf(month, sizeof month, "%04d-%02d", s->start_year + mm / 12, mm % 12 + 1);
        } else {
            snprintf(month, sizeof month, "M%d", first.month + 1);
        }
        if (what)
            rr_diags_add(diags, s->comps[first.comp].line, s->comps[first.comp].col,
                         "costs.%s: the cost of month %s became %s on path %llu; check its "
                         "inputs and the demand's growth", what, month,
                         isnan(first.value) ? "NaN" : "infinite", (unsigned long long)first.path);
        else
            rr_diags_add(diags, 0, 0, "%s became %s in month %s on path %llu; check "
                         "growth_per_month and the spikes", first.comp == s->ncomps ? "demand"
                                                                                  : "the total",
                         isnan(first.value) ? "NaN" : "infinite", month,
                         (unsigned long long)first.path);
        st = RR_ERR_NUMERIC;
        goto done;
    }
    for (int t = 0; t < nthreads; t++)
        if (workers[t].failed) {
            st = RR_ERR_NOMEM;
            goto done;
        }

    /* Integer counts: the order of merging does not matter; thread order is as good. */
    for (size_t i = 0; i < r->nseries; i++) {
        r->sketch[i] = workers[0].sketch[i];
        workers[0].sketch[i] = NULL;
        for (int t = 1; t < nthreads; t++)
            if (workers[t].sketch && rr_sketch_merge(r->sketch[i], workers[t].sketch[i]) != 0) {
                st = RR_ERR_NOMEM;
                goto done;
            }
    }
    for (int t = 0; t < nthreads; t++)
        r->exceed += workers[t].exceed;
    /* Floating point: strictly in block order. */
    for (uint64_t b = 0; b < P.nblocks; b++)
        for (size_t i = 0; i < r->nseries; i++)
            rr_moments_combine(&r->moments[i], &slots[b * r->nseries + i]);
    r->paths = P.n;
    r->seed = P.seed;
    for (size_t i = 0; i < r->nseries; i++)
        r->bytes += rr_sketch_bytes(r->sketch[i]);

done:
    if (workers)
        for (int t = 0; t < nthreads; t++)
            worker_free(&workers[t], r->nseries);
    free(workers);
    free(slots);
    free(P.state_off);
    free(P.slot_of);
    if (st != RR_OK) {
        rr_sim_result_free(r);
        return st;
    }
    *out = r;
    return RR_OK;
}
