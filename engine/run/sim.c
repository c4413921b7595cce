/* sim: the parallel path loop.
 *
 * Paths run in groups of RR_LANES (16) consecutive paths of a block.  For a group: the
 * Philox blocks of every position its paths are known to seek, made in one vector pass, and
 * the variates of those positions (fill_table); the lanes' path-level inputs, their demand
 * month by month for all lanes at once and the month's spikes as one list of positions;
 * then every component month by month for all lanes at once, with and without spikes (for
 * the spike premium) on the same draws (run_group); the series summed as vectors over the
 * lanes (sum_group); each lane checked in path order (check_lane); and the group fed to the
 * thread's sketches and the block's moments (accumulate_group).  Every lane's value takes
 * the same operations in the same order as a path alone would (tests/test_sim.c replays
 * paths alone), and every draw is positioned, so a path's values are the same bits on any
 * thread and in any group.
 *
 * A cost that is not finite stops the run.  To name the same fault whatever the thread
 * count, threads keep running blocks below the lowest faulty block found so far: the fault
 * reported is the first one of the lowest faulty block, which does not depend on timing.
 */
#include "run/sim.h"

#include "run/cluster.h"
#include "sample/simd.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* Eight lanes as one value (GCC's vector extension): a zmm register in the AVX-512 clone,
 * four xmm in the baseline build; accessed in place through a type that assumes only a
 * double's alignment and may alias the doubles it reads. */
typedef double lanes8 __attribute__((vector_size(8 * sizeof(double))));
typedef double lanes8_at __attribute__((vector_size(8 * sizeof(double)), aligned(8), may_alias));
#define AT8(p) (*(lanes8_at *)(p))

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

/* The slot of a block: its moments for every series and its co-moments for every driver. */
typedef struct slot_layout {
    size_t nseries, ndrivers;
} slot_layout;

/* What one thread owns.  Allocated inside the parallel region, so its pages are first
 * touched by the thread that uses them. */
typedef struct worker {
    gsl_rng *rng;
    rr_rng_batch *batch;     /* the first blocks of a group's known positions */
    double *tab;             /* the group's draws: rows x RR_RNG_LANES */
    uint64_t tab_draws;      /* variates drawn into tables (the rest count as seeks) */
    rr_draw draw;            /* the group's draw context */
    rr_sketch **sketch;      /* the unit costs'; the others' stay empty until the end */
    rr_sketch_row *row;      /* the series every path feeds, spilled into the batch's shared
                              * sketches (which thread 0's then take) */
    rr_block_moments *bm;
    /* The block's moments of the row's series, as arrays: a shift per series and shifted
     * sums per series and lane (ms1[i * RR_LANES + l]), so that a group adds its lanes as
     * vectors; the block's end sums the lanes in order into bm.  The block's paths fix every
     * operation: the same bits on any thread count. */
    uint64_t mn;
    double *mshift, *ms1, *ms2;
    rr_block_comoments *bc;
    /* A group of RR_LANES paths: the inputs by slot (demand inputs, then RR_MAX_FIELDS per
     * component), then lane, in pvl; state, demand and costs
     * by (component's state | month | component and month), then lane. */
    double *pvl;
    double *state, *state2;  /* per-component state, at state_off[k]; state2: no spikes */
    double *eff, *req;       /* horizon x lanes: demand with and without spikes */
    double *extra;           /* horizon x lanes: the spikes' sum of terms */
    unsigned *nspikes;       /* horizon x lanes: the number of spikes */
    rr_rng_list *list;       /* for the draws of events */
    double *cost, *base;     /* components x horizon x lanes: costs with and without spikes */
    double *valsl;           /* series x lanes: the group's sums (sum_group) */
    double nospikel[RR_NCAT * RR_LANES];   /* category x lanes: totals without spikes */
    int dfault[RR_LANES];    /* each lane's first month of non-finite demand, or H */
    double dval[RR_LANES], served[RR_LANES], eff_last[RR_LANES];
    uint64_t exceed;
    uint64_t *mexceed;       /* horizon */
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
    rr_sketch_row_free(w->row);
    free(w->mshift);
    free(w->ms1);
    free(w->ms2);
    free(w->bm);
    free(w->bc);
    free(w->pvl);
    free(w->valsl);
    free(w->state);
    free(w->state2);
    free(w->eff);
    free(w->req);
    free(w->extra);
    free(w->nspikes);
    rr_rng_list_free(w->list);
    free(w->cost);
    free(w->base);
    free(w->mexceed);
    if (w->rng)
        gsl_rng_free(w->rng);
    rr_rng_batch_free(w->batch);
    free(w->tab);
    memset(w, 0, sizeof *w);
}

static int worker_init(worker *w, const rr_sim_result *r, size_t npv, size_t nstate,
                       uint64_t seed, const rr_rng_span *spans, size_t nspans, size_t nrows,
                       rr_sketch *const *shared)
{
    memset(w, 0, sizeof *w);
    w->rng = gsl_rng_alloc(rr_rng_philox);
    w->batch = rr_rng_batch_new(seed, spans, nspans);
    w->tab = calloc((nrows + 1) * RR_RNG_LANES, sizeof *w->tab);
    w->sketch = calloc(r->nseries, sizeof *w->sketch);
    const size_t nrow = rr_sim_unit_horizon(r);
    w->row = rr_sketch_row_new(nrow, shared);
    w->mshift = calloc(nrow + 1, sizeof *w->mshift);
    w->ms1 = calloc((nrow + 1) * RR_LANES, sizeof *w->ms1);
    w->ms2 = calloc((nrow + 1) * RR_LANES, sizeof *w->ms2);
    w->bm = calloc(r->nseries, sizeof *w->bm);
    w->bc = calloc(r->ndrivers + 1, sizeof *w->bc);
    const size_t L = RR_LANES, H = (size_t)r->horizon;
    w->valsl = calloc(r->nseries * L, sizeof *w->valsl);
    w->pvl = calloc(npv * L, sizeof *w->pvl);
    w->state = calloc((nstate + 1) * L, sizeof *w->state);
    w->state2 = calloc((nstate + 1) * L, sizeof *w->state2);
    w->eff = calloc(H * L, sizeof *w->eff);
    w->req = calloc(H * L, sizeof *w->req);
    w->extra = calloc(H * L, sizeof *w->extra);
    w->nspikes = calloc(H * L, sizeof *w->nspikes);
    w->list = rr_rng_list_new();
    w->cost = calloc(H * (r->ncomp + 1) * L, sizeof *w->cost);
    w->base = calloc(H * (r->ncomp + 1) * L, sizeof *w->base);
    w->mexceed = calloc((size_t)r->horizon, sizeof *w->mexceed);
    if (!w->eff || !w->req || !w->extra || !w->nspikes || !w->list || !w->cost || !w->base || !w->rng || !w->batch || !w->tab ||
        !w->row || !w->mshift || !w->ms1 || !w->ms2 || !w->sketch || !w->bm || !w->bc ||
        !w->valsl || !w->pvl || !w->state ||
        !w->state2 || !w->mexceed)
        return -1;
    for (size_t i = 0; i < r->nseries; i++)
        if (!(w->sketch[i] = rr_sketch_new()))
            return -1;
    return 0;
}

/* Whether input i of a field table is drawn once per path (and so a driver candidate). */
static int path_level(const rr_input *in, const rr_field *f)
{
    return !rr_input_is_const(in) && in->vary == RR_VARY_PATH && !(f->flags & RR_F_PER_EVENT);
}

/* The path-level value of each input: drawn once at step 0, or the constant.  Inputs that
 * vary monthly or per event are drawn where they are used. */
static void draw_path_inputs(const rr_input *in, const rr_field *fields, size_t n, double *pv,
                             size_t slot0, rr_draw *d)
{
    for (size_t i = 0; i < n; i++) {
        if (rr_input_is_const(&in[i]))
            pv[i] = in[i].dist.p[0];
        else if (path_level(&in[i], &fields[i])) {
            if (!rr_draw_ahead(d, slot0 + i, 0, &pv[i]))
                pv[i] = rr_input_draw(&in[i], d->rng, d->seed, d->path, 0);
        } else
            pv[i] = NAN;
    }
}

/* A row of a group's table of draws: one (stream, step) for every lane. */
typedef struct draw_row {
    const rr_dist *dist;     /* an input's distribution, or NULL for a raw variate */
    uint64_t stream;
    uint32_t step;
    int from;                /* RR_DIST_FROM_*, or 0: a sampler that may read more words */
    int32_t second;          /* the batch's row of the position's second block, or -1 */
} draw_row;

typedef struct plan {
    const rr_scenario *s;
    const rr_sim_result *r;
    size_t *state_off;
    size_t nstate;
    size_t *by_cat;          /* the components grouped by category slot, each in order... */
    size_t cat_at[RR_NCAT + 1];   /* ...slot c's at by_cat[cat_at[c] .. cat_at[c + 1] - 1] */
    uint64_t first, n, bsize, nblocks, seed;
    int draws_only;
    /* Draws made ahead for groups of RR_RNG_LANES paths: a table row per (slot, step). */
    size_t npv, nslots;
    rr_rng_span *spans;      /* the batched slots' streams and steps, in row order */
    size_t nspans;
    int32_t *slot_row;       /* nslots: the slot's first row, or -1 */
    uint32_t *slot_lo, *slot_n;
    draw_row *rows;          /* nrows: what each row holds */
    uint32_t *run;           /* nrows: rows from this one on drawn alike at consecutive steps */
    rr_dist noise;           /* the demand's noise factors, drawn ahead as a lognormal */
    size_t nrows;
} plan;

/* Correlated inputs: their normal scores z (each from the input's own stream, step 0) are
 * mixed by the Cholesky factor, and each input takes the value of its own quantile function
 * at Phi(L z): its distribution is unchanged, the ranks are correlated. */
static void correlate(const rr_correlation *c, double *pv, size_t stride, rr_draw *d)
{
    double z[RR_MAX_CORRELATED] = { 0 };
    for (size_t i = 0; i < c->m; i++) {
        rr_rng_seek(d->rng, d->seed, c->in[i]->stream, d->path, 0);
        z[i] = rr_rng_gaussian(d->rng);
    }
    for (size_t i = c->m; i-- > 0;) {
        double y = 0;
        for (size_t j = 0; j <= i; j++)
            y += c->chol[i * c->m + j] * z[j];
        /* Keep u inside (0, 1): quantile functions are infinite at the ends. */
        double u = gsl_cdf_ugaussian_P(y);
        if (u < 1e-300)
            u = 1e-300;
        if (u > 1 - 1e-16)
            u = 1 - 1e-16;
        const rr_dist *dist = &c->in[i]->dist;
        double x = rr_dist_quantile(dist, u);
        pv[c->pv[i] * stride] = x < dist->lo ? dist->lo : x > dist->hi ? dist->hi : x;
    }
}

static void draw_inputs(const rr_scenario *s, double *pv, rr_draw *d)
{
    draw_path_inputs(s->demand.in, rr_demand_fields, RR_DEMAND_NFIELDS, pv, RR_PV_DEMAND(0), d);
    for (size_t k = 0; k < s->ncomps; k++) {
        const rr_component *c = &s->comps[k];
        draw_path_inputs(c->in, c->type->fields, c->type->nfields, pv + RR_PV_COMP(k, 0),
                         RR_PV_COMP(k, 0), d);
    }
    if (s->corr.m)
        correlate(&s->corr, pv, 1, d);
}

/* draw_inputs for a group, into pvl by slot then lane: the step-0 rows of the table as they
 * are, constants, and what the table lacks by seeking; lanes from nl on repeat lane 0, so
 * that their arithmetic stays tame. */
static void draw_inputs_block(const rr_input *in, const rr_field *fields, size_t n, double *pvl,
                              size_t slot0, rr_draw *d, uint64_t path0, unsigned nl)
{
    const size_t L = RR_LANES;
    for (size_t i = 0; i < n; i++) {
        double *x = pvl + (slot0 + i) * L;
        const double *row;
        if (rr_input_is_const(&in[i])) {
            for (size_t l = 0; l < L; l++)
                x[l] = in[i].dist.p[0];
        } else if (path_level(&in[i], &fields[i])) {
            if ((row = rr_draw_row(d, slot0 + i, 0)) != NULL)
                memcpy(x, row, L * sizeof *x);
            else
                for (unsigned l = 0; l < nl; l++)
                    x[l] = rr_input_draw(&in[i], d->rng, d->seed, path0 + l, 0);
            for (size_t l = nl; l < L; l++)
                x[l] = x[0];
        } else {
            for (size_t l = 0; l < L; l++)
                x[l] = NAN;
        }
    }
}

static void draw_inputs_lanes(const rr_scenario *s, double *pvl, rr_draw *d, uint64_t path0,
                              unsigned nl)
{
    draw_inputs_block(s->demand.in, rr_demand_fields, RR_DEMAND_NFIELDS, pvl, RR_PV_DEMAND(0),
                      d, path0, nl);
    for (size_t k = 0; k < s->ncomps; k++) {
        const rr_component *c = &s->comps[k];
        draw_inputs_block(c->in, c->type->fields, c->type->nfields, pvl, RR_PV_COMP(k, 0), d,
                          path0, nl);
    }
    if (!s->corr.m)
        return;
    for (unsigned l = 0; l < nl; l++) {
        d->lane = l;
        d->path = path0 + l;
        correlate(&s->corr, pvl + l, RR_LANES, d);
    }
    for (size_t i = 0; i < s->corr.m; i++)
        for (size_t l = nl; l < RR_LANES; l++)
            pvl[s->corr.pv[i] * RR_LANES + l] = pvl[s->corr.pv[i] * RR_LANES];
}

void rr_sim_draw_inputs(const rr_scenario *s, gsl_rng *r, uint64_t seed, uint64_t path,
                        double *pv)
{
    rr_draw d = { .rng = r, .seed = seed, .path = path };
    draw_inputs(s, pv, &d);
}

/* The draws of RR_RNG_LANES paths from path0 at every position of the plan's rows: Philox
 * blocks for all of them in one vector pass, then each row's variate lane by lane.  Each
 * value is the one the draw would have made by seeking (rr_dist_from_*_n); the rare normal
 * that the ziggurat's first try rejects is drawn by seeking. */
static void fill_table(const plan *P, worker *w, uint64_t path0, unsigned lanes)
{
    rr_rng_batch_fill(w->batch, path0);
    for (size_t row = 0; row < P->nrows;) {
        const draw_row *dr = &P->rows[row];
        /* A full group takes a slot's rows of consecutive steps in one call: they sit one
         * after the other in the batch and in the table. */
        const size_t run = lanes == RR_RNG_LANES ? P->run[row] : 1;
        const uint32_t *const words[4] = {
            rr_rng_batch_words(w->batch, row, 0), rr_rng_batch_words(w->batch, row, 1),
            rr_rng_batch_words(w->batch, row, 2), rr_rng_batch_words(w->batch, row, 3)
        };
        const size_t r2 = dr->second >= 0 ? (size_t)dr->second : row;
        const uint32_t *const second[4] = {
            rr_rng_batch_words(w->batch, r2, 0), rr_rng_batch_words(w->batch, r2, 1),
            rr_rng_batch_words(w->batch, r2, 2), rr_rng_batch_words(w->batch, r2, 3)
        };
        const rr_positions pos = { .seed = P->seed, .stream = dr->stream, .path0 = path0,
                                   .step0 = dr->step, .lanes = RR_RNG_LANES };
        rr_dist_from_words_n(dr->dist, dr->from, words, dr->second >= 0 ? second : NULL,
                             run * lanes, &pos, w->rng, w->tab + row * RR_RNG_LANES);
        if (dr->from)
            w->tab_draws += run * lanes;   /* the others count as seeks */
        row += run;
    }
}

/* The shifted sums of lanes 0..nl-1 of every series of the row (series i of lane l at
 * x[i * RR_LANES + l]), each lane into its own sums, eight lanes to a vector.  The shift of
 * a series is its first value in the block (whose own terms are then zero). */
RR_VECTOR_CLONES static void moments_add_lanes(worker *w, const double *x, size_t n,
                                               unsigned nl)
{
    if (w->mn == 0 && nl > 0)
        for (size_t i = 0; i < n; i++)
            w->mshift[i] = x[i * RR_LANES];
    w->mn += nl;
    double *const s1 = w->ms1, *const s2 = w->ms2;
    if (nl == RR_LANES) {
        for (size_t i = 0; i < n; i++) {
            const lanes8 sh = { w->mshift[i], w->mshift[i], w->mshift[i], w->mshift[i],
                                w->mshift[i], w->mshift[i], w->mshift[i], w->mshift[i] };
            for (size_t h = 0; h < RR_LANES; h += 8) {
                const lanes8 d = AT8(x + i * RR_LANES + h) - sh;
                AT8(s1 + i * RR_LANES + h) += d;
                AT8(s2 + i * RR_LANES + h) += d * d;
            }
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        for (unsigned l = 0; l < nl; l++) {
            double d = x[i * RR_LANES + l] - w->mshift[i];
            s1[i * RR_LANES + l] += d;
            s2[i * RR_LANES + l] += d * d;
        }
}

/* A block starts: its moments from zero. */
static void moments_start(worker *w, const rr_sim_result *r)
{
    memset(w->bm, 0, r->nseries * sizeof *w->bm);
    memset(w->bc, 0, r->ndrivers * sizeof *w->bc);
    const size_t nrow = rr_sim_unit_horizon(r);
    w->mn = 0;
    memset(w->ms1, 0, nrow * RR_LANES * sizeof *w->ms1);
    memset(w->ms2, 0, nrow * RR_LANES * sizeof *w->ms2);
}

/* A block ends: the row's moments into bm beside the others. */
static void moments_end(worker *w, const rr_sim_result *r)
{
    if (w->mn == 0)
        return;
    for (size_t i = 0; i < rr_sim_unit_horizon(r); i++) {
        double s1 = 0, s2 = 0;
        for (unsigned l = 0; l < RR_LANES; l++) {
            s1 += w->ms1[i * RR_LANES + l];
            s2 += w->ms2[i * RR_LANES + l];
        }
        w->bm[i] = (rr_block_moments){ w->mn, w->mshift[i], s1, s2 };
    }
}

/* Each lane's demand after spikes, month by month for all lanes at once (eff and req by
 * month then lane), with what the group needs of it: dfault, the first month whose demand is
 * not finite (its value in dval; the lane's costs count only before it, eff and req are 0
 * from it on; H if none); mdiv,
 * the first month where spikes changed demand; the demand served and that of the last month.
 * Months as doubles: every array is of doubles, one loop of vectors (simd.h). */
RR_VECTOR_CLONES static void effective_lanes(const rr_demand *dm, int H, double *restrict eff,
                                             double *restrict req,
                                             const double *restrict extra,
                                             double *restrict dfault, double *restrict mdiv,
                                             double *restrict served,
                                             double *restrict eff_last, double *restrict dval)
{
    const double none = H;
    const int spikes = dm->has_spikes;
    for (unsigned l = 0; l < RR_LANES; l++) {
        dfault[l] = mdiv[l] = none;
        served[l] = 0;
    }
    /* Every update a new value, never "x = c ? y : x" (which the compiler may not turn into
     * a vector store): months as exact doubles moved by 0/1 factors, sums by a selected term.
     * e is rr_demand_effective's. */
    for (int m = 0; m < H; m++) {
        double *em = eff + (size_t)m * RR_LANES, *qm = req + (size_t)m * RR_LANES;
        const double *xm = extra + (size_t)m * RR_LANES, md = m;
        for (unsigned l = 0; l < RR_LANES; l++) {
            double q = qm[l], t = q * (1 + xm[l]);
            t = t > 0 ? t : 0;
            double e = spikes ? t : q;
            double before = dfault[l] == none ? 1.0 : 0.0;
            double ok = fabs(e) <= DBL_MAX ? before : 0.0, bad = before - ok;
            double first = mdiv[l] == none ? ok : 0.0, moved = e != q ? first : 0.0;
            dfault[l] = dfault[l] - bad * (none - md);
            mdiv[l] = mdiv[l] - moved * (none - md);
            em[l] = e;
            served[l] = served[l] + (ok != 0 ? e : 0);
        }
    }
    /* The last month served; a faulty lane's value, and its months from the fault on as
     * none. */
    for (unsigned l = 0; l < RR_LANES; l++) {
        int f = (int)dfault[l];
        eff_last[l] = f > 0 ? eff[(size_t)(f - 1) * RR_LANES + l] : 0;
        if (f < H)
            dval[l] = eff[(size_t)f * RR_LANES + l];
        for (int m = f; m < H; m++)
            eff[(size_t)m * RR_LANES + l] = req[(size_t)m * RR_LANES + l] = 0;
    }
}

/* Run one path; returns 0, or -1 with *f filled when a cost is not finite. */
/* Run paths path0 .. path0 + nl - 1 (nl <= RR_LANES) up to their costs: each lane's inputs
 * and demand (lane by lane), then every component's months for all lanes at once, with and
 * without spikes (for the premium) in the same call, on the same draws.  On a lane without
 * spikes the two are the same arithmetic on the same numbers: the same bits.  sum_group and
 * finish_path then sum and accumulate each lane. */
static void run_group(const plan *P, worker *w, uint64_t path0, unsigned nl)
{
    const rr_scenario *s = P->s;
    const int H = s->horizon;
    const size_t K = s->ncomps, npv = P->npv, L = RR_LANES;
    rr_draw *dp = &w->draw;
    *dp = (rr_draw){ .rng = w->rng, .seed = P->seed, .tab = w->tab, .row = P->slot_row,
                     .lo = P->slot_lo, .n = P->slot_n, .comps = s->comps, .npv = npv,
                     .ncomp = K, .list = w->list, .listed = &w->tab_draws };
    rr_lanes lanes = { dp, path0, nl, w->pvl };
    draw_inputs_lanes(s, w->pvl, dp, path0, nl);
    /* Demand first: it depends on nothing the components do. */
    rr_demand_requests_lanes(&s->demand, w->pvl, H, w->req, w->nspikes, &lanes);
    memset(w->extra, 0, (size_t)H * L * sizeof *w->extra);
    if (s->demand.has_spikes)
        rr_demand_spikes_lanes(&s->demand, w->nspikes, H, w->extra, &lanes);
    double dfault[RR_LANES], mdiv[RR_LANES], served[RR_LANES], eff_last[RR_LANES];
    effective_lanes(&s->demand, H, w->eff, w->req, w->extra, dfault, mdiv, served, eff_last,
                    w->dval);
    int mmin = H;
    for (unsigned l = 0; l < nl; l++) {
        w->dfault[l] = (int)dfault[l];
        w->served[l] = served[l];
        w->eff_last[l] = eff_last[l];
        mmin = (int)mdiv[l] < mmin ? (int)mdiv[l] : mmin;
    }
    /* Unused lanes repeat lane 0, so that their arithmetic stays tame. */
    for (unsigned l = nl; l < L; l++)
        for (int m = 0; m < H; m++) {
            w->eff[(size_t)m * L + l] = w->eff[(size_t)m * L];
            w->req[(size_t)m * L + l] = w->req[(size_t)m * L];
        }
    memset(w->state, 0, P->nstate * L * sizeof *w->state);
    memset(w->state2, 0, P->nstate * L * sizeof *w->state2);
    /* Without a spike on any lane (or without statistics) the costs without spikes are the
     * costs. */
    const int both = !P->draws_only && mmin < H;

    for (size_t k = 0; k < K; k++) {
        const rr_component *c = &s->comps[k];
        const double *cpv = w->pvl + RR_PV_COMP(k, 0) * L;
        double *st = w->state + P->state_off[k] * L, *st2 = w->state2 + P->state_off[k] * L;
        double *cost = w->cost + k * (size_t)H * L, *base = w->base + k * (size_t)H * L;
        for (int m = 0; m < H; m++) {
            size_t at = (size_t)m * L;
            c->type->lanes(c, st, st2, cpv, m, w->eff + at, both ? w->req + at : NULL,
                           cost + at, both ? base + at : NULL, &lanes);
        }
        if (!both)
            memcpy(base, cost, (size_t)H * L * sizeof *cost);
    }
}

/* Every lane's series, by series then lane: the sums of months then components, in the
 * order of the report's series, each lane's with the same operations in the same order as a
 * path alone.  A lane whose demand failed sums its later months too; it faults anyway. */



/* Wider vectors where there are (simd.h).  The group's lanes in two halves of eight; for
 * each, a month's sums are held in vectors, never in memory that a store may alias: the
 * month's total over the components in order, then each category's over its components in
 * order (P->by_cat), so that each series is stored once.  Every lane's sums take their
 * terms in the same order as one path would: months in order, components in order within a
 * month. */
RR_VECTOR_CLONES static void sum_group(const plan *P, worker *w, unsigned nl)
{
    enum { W = 8 };
    const rr_scenario *s = P->s;
    const rr_sim_result *r = P->r;
    const int H = s->horizon, ncat = r->ncat;
    const size_t K = s->ncomps, L = RR_LANES;
    double *const v = w->valsl, *const nsl = w->nospikel;
    const double *const cost = w->cost, *const base = w->base;
    const size_t *const by_cat = P->by_cat;
    size_t cat_at[RR_NCAT + 1];
    memcpy(cat_at, P->cat_at, sizeof cat_at);
    const lanes8 zero = { 0 };
    for (size_t h = 0; h < L; h += W) {
        lanes8 tot = zero;
        for (int c = 0; c < ncat; c++) {
            AT8(v + rr_sim_cat(r, c) * L + h) = zero;
            AT8(nsl + (size_t)c * L + h) = zero;
        }
        for (size_t k = 0; k < K; k++)
            AT8(v + rr_sim_comp(r, k) * L + h) = zero;
        for (int m = 0; m < H; m++) {
            const size_t at = (size_t)m * L + h, step = (size_t)H * L;
            lanes8 mt = zero;
            for (size_t k = 0; k < K; k++) {
                const lanes8 c = AT8(cost + k * step + at);
                AT8(v + rr_sim_comp(r, k) * L + h) += c;
                mt += c;
            }
            AT8(v + rr_sim_month(r, m) * L + h) = mt;
            tot += mt;
            for (int c = 0; c < ncat; c++) {
                lanes8 mc = zero, ns = AT8(nsl + (size_t)c * L + h);
                for (size_t j = cat_at[c]; j < cat_at[c + 1]; j++) {
                    mc += AT8(cost + by_cat[j] * step + at);
                    ns += AT8(base + by_cat[j] * step + at);
                }
                AT8(v + rr_sim_month_cat(r, m, c) * L + h) = mc;
                AT8(v + rr_sim_cat(r, c) * L + h) += mc;
                AT8(nsl + (size_t)c * L + h) = ns;
            }
        }
        AT8(v + rr_sim_total() * L + h) = tot;
    }
    if (s->has_budget_monthly)
        for (int m = 0; m < H; m++)
            for (unsigned l = 0; l < nl; l++)
                w->mexceed[m] += v[rr_sim_month(r, m) * L + l] > s->budget_monthly;
}

/* Lane l's checks, in the order a path alone makes them, and its spike premium and unit
 * costs; returns 0, or -1 with *f filled when a cost is not finite. */
static int check_lane(const plan *P, worker *w, unsigned l, uint64_t path, fault *f)
{
    const rr_scenario *s = P->s;
    const rr_sim_result *r = P->r;
    const int H = s->horizon, ncat = r->ncat, dfault = w->dfault[l];
    const size_t K = s->ncomps, L = RR_LANES;
    double *v = w->valsl + l;                /* series i at v[i * L] */
    const double *nospike = w->nospikel + l; /* category c at nospike[c * L] */
    const double served = w->served[l], eff_last = w->eff_last[l];
    /* A sum with a term that is not finite is not finite: only then look for the term. */
    int finite = isfinite(v[rr_sim_total() * L]);
    for (int c = 0; c < ncat; c++)
        finite &= isfinite(nospike[(size_t)c * L]);
    for (int m = 0; !finite && m < dfault; m++)
        for (size_t k = 0; k < K; k++) {
            double cost = w->cost[(k * (size_t)H + (size_t)m) * L + l];
            double base = w->base[(k * (size_t)H + (size_t)m) * L + l];
            if (!isfinite(cost) || !isfinite(base)) {
                *f = (fault){ 0, path, m, k, isfinite(cost) ? base : cost };
                return -1;
            }
        }
    if (dfault < H) {
        *f = (fault){ 0, path, dfault, K, w->dval[l] };
        return -1;
    }
    double total = v[rr_sim_total() * L];
    if (!isfinite(total)) {
        *f = (fault){ 0, path, H - 1, K + 1, total };
        return -1;
    }
    if (P->draws_only)
        return 0;
    /* Premium by category, and the total as the sum of the categories' premiums. */
    double premium = 0;
    for (int c = 0; c < ncat; c++) {
        double x = v[rr_sim_cat(r, c) * L] - nospike[(size_t)c * L];
        v[rr_sim_spike_cat(r, c) * L] = x;
        premium += x;
    }
    v[rr_sim_spike(r) * L] = premium;
    /* Costs can be finite while their differences overflow (a premium of 1e308 - (-1e308)). */
    if (!isfinite(premium)) {
        *f = (fault){ 0, path, H - 1, K + 2, premium };
        return -1;
    }
    /* Cost per 1,000 requests: undefined on a path (or month) that served none. */
    double unit_h = served > 0 ? total / served * 1000 : 0;
    double unit_l = eff_last > 0 ? v[rr_sim_month(r, H - 1) * L] / eff_last * 1000 : 0;
    if (!isfinite(unit_h) || !isfinite(unit_l)) {
        *f = (fault){ 0, path, H - 1, K + 3, isfinite(unit_h) ? unit_l : unit_h };
        return -1;
    }
    v[rr_sim_unit_horizon(r) * L] = unit_h;
    v[rr_sim_unit_last(r) * L] = unit_l;
    return 0;
}

/* The first nl lanes, all checked, into the worker's accumulators: the row's series by
 * series (a series' lanes fall in nearby buckets), the moments and the rest lane by lane,
 * in path order. */
static void accumulate_group(const plan *P, worker *w, unsigned nl)
{
    const rr_scenario *s = P->s;
    const rr_sim_result *r = P->r;
    const size_t L = RR_LANES, nrow = rr_sim_unit_horizon(r);
    const double *v = w->valsl;
    if (P->draws_only)
        return;
    if (!rr_sketch_row_room(w->row, nl)) {
        /* The rows of this batch's threads share their sketches: one spill at a time. */
        int bad;
#pragma omp critical(rr_sim_row_spill)
        bad = rr_sketch_row_spill(w->row, nl);
        if (bad)
            w->failed = 1;
    }
    rr_sketch_row_add_lanes(w->row, v, L, nl);
    moments_add_lanes(w, v, nrow, nl);
    const size_t uh = nrow, ul = rr_sim_unit_last(r);
    for (unsigned l = 0; l < nl; l++) {
        double total = v[rr_sim_total() * L + l];
        if (w->served[l] > 0) {
            if (rr_sketch_add(w->sketch[uh], v[uh * L + l]) != 0)
                w->failed = 1;
            rr_block_moments_add(&w->bm[uh], v[uh * L + l]);
        }
        if (w->eff_last[l] > 0) {
            if (rr_sketch_add(w->sketch[ul], v[ul * L + l]) != 0)
                w->failed = 1;
            rr_block_moments_add(&w->bm[ul], v[ul * L + l]);
        }
        for (size_t i = 0; i < r->ndrivers; i++)
            rr_block_comoments_add(&w->bc[i], w->pvl[r->drivers[i].pv * L + l], total);
        if (s->has_budget && total > s->budget_total)
            w->exceed++;
    }
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
    free(r->monthly_exceed);
    free(r->drivers);
    free(r->driver_mom);
    free(r);
}

static int add_drivers(rr_sim_result *r, const rr_input *in, const rr_field *f, size_t n,
                       size_t pv0)
{
    for (size_t i = 0; i < n; i++) {
        if (!path_level(&in[i], &f[i]))
            continue;
        rr_sim_driver *d = realloc(r->drivers, (r->ndrivers + 1) * sizeof *d);
        if (!d)
            return -1;
        r->drivers = d;
        r->drivers[r->ndrivers++] = (rr_sim_driver){ &in[i], pv0 + i };
    }
    return 0;
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
    r->nseries = rr_sim_unit_last(r) + 1;
    r->sketch = calloc(r->nseries, sizeof *r->sketch);
    r->moments = calloc(r->nseries, sizeof *r->moments);
    r->monthly_exceed = calloc((size_t)s->horizon, sizeof *r->monthly_exceed);
    int ok = r->sketch && r->moments && r->monthly_exceed &&
             add_drivers(r, s->demand.in, rr_demand_fields, RR_DEMAND_NFIELDS, 0) == 0;
    for (size_t k = 0; ok && k < s->ncomps; k++)
        ok = add_drivers(r, s->comps[k].in, s->comps[k].type->fields, s->comps[k].type->nfields,
                         RR_DEMAND_NFIELDS + k * RR_MAX_FIELDS) == 0;
    if (ok)
        r->driver_mom = calloc(r->ndrivers + 1, sizeof *r->driver_mom);
    for (size_t i = 0; ok && i < r->nseries; i++)
        ok = (r->sketch[i] = rr_sketch_new()) != NULL;
    if (!ok || !r->driver_mom) {
        rr_sim_result_free(r);
        return NULL;
    }
    return r;
}

static void describe_fault(const rr_scenario *s, const fault *f, int named, rr_diags *diags)
{
    char month[16];
    if (s->start_month) {
        int mm = s->start_month - 1 + f->month;
        snprintf(month, sizeof month, "%04d-%02d", s->start_year + mm / 12, mm % 12 + 1);
    } else {
        snprintf(month, sizeof month, "M%d", f->month + 1);
    }
    const char *what = isnan(f->value) ? "NaN" : "infinite";
    char who[96] = "";
    if (named)
        snprintf(who, sizeof who, "scenario %s: ", s->name);
    if (f->comp < s->ncomps)
        rr_diags_add(diags, s->comps[f->comp].line, s->comps[f->comp].col,
                     "%scosts.%s: the cost of month %s became %s on path %llu; check its "
                     "inputs and the demand's growth", who, s->comps[f->comp].name, month, what,
                     (unsigned long long)f->path);
    else {
        static const char *const whole[] = { "demand", "the total", "the spike premium",
                                              "the cost per 1,000 requests" };
        size_t w = f->comp - s->ncomps;
        rr_diags_add(diags, 0, 0, "%s%s became %s in month %s on path %llu; check "
                     "growth_per_month, the spikes and the magnitudes of the inputs", who,
                     whole[w < 4 ? w : 1], what, month, (unsigned long long)f->path);
    }
}

/* ---- differences between scenarios (common random numbers) ---- */

void rr_sim_diff_free(rr_sim_diff *d)
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

static rr_sim_diff *diff_new(const rr_sim_result *a, const rr_sim_result *b)
{
    rr_sim_diff *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    for (int c = 0; c < RR_NCAT; c++) {
        if (a->cat_slot[c] < 0 && b->cat_slot[c] < 0)
            continue;
        d->cats[d->ncat] = c;
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
        rr_sim_diff_free(d);
        return NULL;
    }
    return d;
}

/* One thread's accumulators of one difference. */
typedef struct diff_worker {
    rr_sketch **sketch;
    rr_block_moments *bm;
    uint64_t costlier;
    int failed;
} diff_worker;

static void diff_worker_free(diff_worker *w, size_t nseries)
{
    if (w->sketch)
        for (size_t i = 0; i < nseries; i++)
            rr_sketch_free(w->sketch[i]);
    free(w->sketch);
    free(w->bm);
    memset(w, 0, sizeof *w);
}

static int diff_worker_init(diff_worker *w, size_t nseries)
{
    memset(w, 0, sizeof *w);
    w->sketch = calloc(nseries, sizeof *w->sketch);
    w->bm = calloc(nseries, sizeof *w->bm);
    if (!w->sketch || !w->bm)
        return -1;
    for (size_t i = 0; i < nseries; i++)
        if (!(w->sketch[i] = rr_sketch_new()))
            return -1;
    return 0;
}

/* B - A on this path, from the values both runs left in their workers. */
static void diff_path(const rr_sim_diff *d, const rr_sim_result *ra, const double *va,
                      const rr_sim_result *rb, const double *vb, diff_worker *w)
{
    /* va, vb: one lane of each group's series (series i at v[i * RR_LANES]). */
    const size_t L = RR_LANES;
    double total = vb[rr_sim_total() * L] - va[rr_sim_total() * L];
    if (rr_sketch_add(w->sketch[0], total) != 0)
        w->failed = 1;
    rr_block_moments_add(&w->bm[0], total);
    w->costlier += total > 0;
    for (int c = 0; c < d->ncat; c++) {
        double a = d->slot_a[c] >= 0 ? va[rr_sim_cat(ra, d->slot_a[c]) * L] : 0;
        double b = d->slot_b[c] >= 0 ? vb[rr_sim_cat(rb, d->slot_b[c]) * L] : 0;
        if (rr_sketch_add(w->sketch[1 + c], b - a) != 0)
            w->failed = 1;
        rr_block_moments_add(&w->bm[1 + c], b - a);
    }
}

/* ---- the loop over blocks, for one scenario or several on the same paths ---- */

typedef struct job {
    size_t k;                        /* scenarios */
    const rr_scenario *const *s;
    rr_sim_result **r;
    rr_sim_diff **d;                 /* k - 1, or NULL */
    plan *P;                         /* k */
    size_t *slot_off;                /* k + 1: where each scenario's moments start in a slot */
    size_t *cslot_off;               /* k + 1: the same for drivers' co-moments */
    size_t slot_len, cslot_len;
} job;

static int plan_slots(plan *P);

static int plan_init(plan *P, const rr_scenario *s, const rr_sim_result *r, uint64_t first,
                     uint64_t n, uint64_t seed)
{
    memset(P, 0, sizeof *P);
    P->s = s;
    P->r = r;
    P->first = first;
    P->n = n;
    P->seed = seed;
    P->bsize = rr_sim_block_size(n);
    P->nblocks = (n + P->bsize - 1) / P->bsize;
    P->state_off = calloc(s->ncomps + 1, sizeof *P->state_off);
    P->by_cat = calloc(s->ncomps + 1, sizeof *P->by_cat);
    if (!P->state_off || !P->by_cat)
        return -1;
    for (size_t k = 0; k < s->ncomps; k++) {
        P->state_off[k] = P->nstate;
        P->nstate += s->comps[k].type->nstate;
    }
    size_t nk = 0;
    for (int c = 0; c < r->ncat; c++) {
        P->cat_at[c] = nk;
        for (size_t k = 0; k < s->ncomps; k++)
            if (r->cat_slot[s->comps[k].category] == c)
                P->by_cat[nk++] = k;
    }
    for (int c = r->ncat; c <= RR_NCAT; c++)
        P->cat_at[c] = nk;
    return plan_slots(P);
}

/* Rows beyond this many are drawn one at a time: a group's table (rows x lanes of 36 bytes)
 * must stay small enough to be made for every group without waste. */
#define MAX_ROWS 16384

/* A slot drawn ahead: its rows are steps lo .. lo + n - 1 of `stream`.  dist NULL: a raw
 * standard normal (from = RR_DIST_FROM_NORMAL) or uniform; from 0: drawn by seeking. */
static void add_slot(plan *P, size_t slot, uint64_t stream, uint32_t lo, uint32_t n,
                     const rr_dist *dist, int from)
{
    if (P->nrows + n > MAX_ROWS)
        return;
    P->spans[P->nspans++] = (rr_rng_span){ stream, lo, n, 0 };
    P->slot_row[slot] = (int32_t)P->nrows;
    P->slot_lo[slot] = lo;
    P->slot_n[slot] = n;
    for (uint32_t k = 0; k < n; k++)
        P->rows[P->nrows + k] = (draw_row){ dist, stream, lo + k, from, -1 };
    P->nrows += n;
}

/* The second blocks of the rows whose samplers read two (betas), as batch rows after the
 * table's: the table keeps one row per value. */
static void add_second_blocks(plan *P)
{
    size_t nextra = 0;
    for (size_t row = 0; row < P->nrows;) {
        const draw_row *dr = &P->rows[row];
        size_t n = 1;
        while (row + n < P->nrows && P->rows[row + n].stream == dr->stream &&
               P->rows[row + n].step == dr->step + n)
            n++;
        if (dr->dist && dr->from == 0 && rr_dist_blocks(dr->dist) == 2 &&
            P->nrows + nextra + n <= MAX_ROWS) {
            P->spans[P->nspans++] = (rr_rng_span){ dr->stream, dr->step, (uint32_t)n, 1 };
            for (size_t k = 0; k < n; k++)
                P->rows[row + k].second = (int32_t)(P->nrows + nextra + k);
            nextra += n;
        }
        row += n;
    }
}

/* Step 0 of a path-level input, steps 1..H of a monthly one; per-event inputs draw only in
 * months with an event, where they are used. */
static void add_input_slots(plan *P, const rr_input *in, const rr_field *f, size_t n,
                            size_t slot0, int first_events)
{
    const uint32_t H = (uint32_t)P->s->horizon;
    for (size_t i = 0; i < n; i++) {
        if (rr_input_is_const(&in[i]))
            continue;
        if (f[i].flags & RR_F_PER_EVENT) {
            /* A month's first event draws at step m + 1: ahead like a monthly input. */
            if (first_events)
                add_slot(P, slot0 + i, in[i].stream, 1, H, &in[i].dist,
                         rr_dist_draws_from(&in[i].dist));
            continue;
        }
        int from = rr_dist_draws_from(&in[i].dist);
        if (path_level(&in[i], &f[i]))
            add_slot(P, slot0 + i, in[i].stream, 0, 1, &in[i].dist, from);
        else
            add_slot(P, slot0 + i, in[i].stream, 1, H, &in[i].dist, from);
    }
}

static int plan_slots(plan *P)
{
    const rr_scenario *s = P->s;
    const size_t K = s->ncomps;
    const uint32_t H = (uint32_t)s->horizon;
    P->npv = RR_PV_COMP(K, 0);
    P->nslots = RR_SLOT_COUNT(P->npv, K) + 1;
    size_t maxrows = (P->nslots + 1) * ((size_t)H + 1);
    if (maxrows > MAX_ROWS)
        maxrows = MAX_ROWS;
    P->spans = calloc(2 * P->nslots, sizeof *P->spans);
    P->slot_row = malloc(P->nslots * sizeof *P->slot_row);
    P->slot_lo = calloc(P->nslots, sizeof *P->slot_lo);
    P->slot_n = calloc(P->nslots, sizeof *P->slot_n);
    P->rows = calloc(maxrows, sizeof *P->rows);
    P->run = calloc(maxrows, sizeof *P->run);
    if (!P->spans || !P->slot_row || !P->slot_lo || !P->slot_n || !P->rows || !P->run)
        return -1;
    for (size_t i = 0; i < P->nslots; i++)
        P->slot_row[i] = -1;
    /* The demand's spikes are drawn as a list (rr_demand_spikes_lanes): few months have one. */
    add_input_slots(P, s->demand.in, rr_demand_fields, RR_DEMAND_NFIELDS, RR_PV_DEMAND(0), 0);
    for (size_t k = 0; k < K; k++) {
        const rr_component *c = &s->comps[k];
        add_input_slots(P, c->in, c->type->fields, c->type->nfields, RR_PV_COMP(k, 0), 1);
    }
    for (size_t k = 0; k < K; k++)
        if (s->comps[k].type->aux_suffix)
            add_slot(P, RR_SLOT_AUX(P->npv, k), s->comps[k].aux_stream, 1, H, NULL,
                     RR_DIST_FROM_UNIFORM);
    rr_demand_noise_dist(&s->demand, &P->noise);
    if (s->demand.in[RR_DEMAND_NOISE].dist.p[0] > 0)
        add_slot(P, RR_SLOT_NOISE(P->npv, K), s->demand.noise_stream, 1, H, &P->noise,
                 RR_DIST_FROM_NORMAL);
    if (s->demand.has_spikes)
        add_slot(P, RR_SLOT_COUNT(P->npv, K), s->demand.count_stream, 1, H, NULL,
                 RR_DIST_FROM_UNIFORM);
    add_second_blocks(P);
    /* Runs: the same distribution and stream at consecutive steps, one block each. */
    for (size_t row = P->nrows; row-- > 0;) {
        const draw_row *a = &P->rows[row], *b = row + 1 < P->nrows ? &P->rows[row + 1] : NULL;
        int more = b && b->dist == a->dist && b->from == a->from && b->stream == a->stream &&
                   b->step == a->step + 1 && a->second < 0 && b->second < 0;
        P->run[row] = more ? P->run[row + 1] + 1 : 1;
    }
    return 0;
}

static void plan_free(plan *P)
{
    free(P->spans);
    free(P->slot_row);
    free(P->slot_lo);
    free(P->slot_n);
    free(P->rows);
    free(P->run);
    free(P->state_off);
    free(P->by_cat);
}

/* Simulate paths first..first+n-1 of every scenario of the job and merge them into its
 * results (and differences). */
static rr_status run_range(job *J, const rr_sim_config *cfg, uint64_t first, uint64_t n,
                           rr_diags *diags)
{
    const size_t K = J->k, ND = J->d ? K - 1 : 0;
    rr_status st = RR_OK;
    J->P = calloc(K, sizeof *J->P);
    J->slot_off = calloc(K + 1 + ND, sizeof *J->slot_off);
    J->cslot_off = calloc(K + 1, sizeof *J->cslot_off);
    if (!J->P || !J->slot_off || !J->cslot_off)
        return RR_ERR_NOMEM;
    for (size_t i = 0; i < K; i++) {
        if (plan_init(&J->P[i], J->s[i], J->r[i], first, n, cfg->seed) != 0)
            return RR_ERR_NOMEM;
        J->P[i].draws_only = cfg->draws_only;
        J->slot_off[i + 1] = J->slot_off[i] + J->r[i]->nseries;
        J->cslot_off[i + 1] = J->cslot_off[i] + J->r[i]->ndrivers;
    }
    for (size_t i = 0; i < ND; i++)
        J->slot_off[K + 1 + i] = J->slot_off[K + i] + J->d[i]->nseries;
    J->slot_len = J->slot_off[K + ND];
    J->cslot_len = J->cslot_off[K];
    const uint64_t nblocks = J->P[0].nblocks, bsize = J->P[0].bsize;

    /* The sketches of every path-fed series, one set per scenario shared by this batch's
     * threads (their rows spill into it in turn): memory that grows with the range of the
     * values is then held once, not once per thread.  Laid out like a slot. */
    rr_sketch **shared = calloc(J->slot_len + 1, sizeof *shared);
    int shared_ok = shared != NULL;
    for (size_t i = 0; shared_ok && i < K; i++)
        for (size_t x = 0; shared_ok && x < rr_sim_unit_horizon(J->r[i]); x++)
            shared_ok = (shared[J->slot_off[i] + x] = rr_sketch_new()) != NULL;
    rr_block_moments *slots = calloc(nblocks * J->slot_len, sizeof *slots);
    rr_block_comoments *cslots = calloc(nblocks * J->cslot_len + 1, sizeof *cslots);
#ifdef _OPENMP
    int nthreads = cfg->threads > 0 ? cfg->threads : omp_get_max_threads();
#else
    int nthreads = 1;
#endif
    if (nthreads < 1)
        nthreads = 1;
    worker *workers = calloc((size_t)nthreads * K, sizeof *workers);
    diff_worker *dworkers = calloc((size_t)nthreads * ND + 1, sizeof *dworkers);
    if (!shared_ok || !slots || !cslots || !workers || !dworkers) {
        st = RR_ERR_NOMEM;
        goto done;
    }

    /* Blocks are dealt round-robin to the ranks of a cluster (one rank without MPI). */
    const int rank = rr_cluster_rank(), nranks = rr_cluster_size();
    const uint64_t my_blocks = nblocks > (uint64_t)rank
                                   ? (nblocks - (uint64_t)rank + (uint64_t)nranks - 1) / (uint64_t)nranks
                                   : 0;
    fault first_fault = { UINT64_MAX, 0, 0, 0, 0 };
    size_t fault_scenario = 0;
    uint64_t fault_block = UINT64_MAX;   /* blocks at or above it are skipped */
    uint64_t done_paths = 0;
    int oom = 0, used = 1, stopped = 0;
    double t0 = now_seconds();

#pragma omp parallel num_threads(nthreads)
    {
        int t = 0;
#ifdef _OPENMP
        t = omp_get_thread_num();
#pragma omp single
        used = omp_get_num_threads();
#endif
        worker *ws = &workers[(size_t)t * K];
        diff_worker *dws = &dworkers[(size_t)t * ND];
        int mine_ok = 1;
        for (size_t i = 0; i < K; i++) {
            size_t npv = RR_DEMAND_NFIELDS + J->s[i]->ncomps * RR_MAX_FIELDS;
            mine_ok &= worker_init(&ws[i], J->r[i], npv, J->P[i].nstate, cfg->seed,
                                   J->P[i].spans, J->P[i].nspans, J->P[i].nrows,
                                   shared + J->slot_off[i]) == 0;
        }
        for (size_t i = 0; i < ND; i++)
            mine_ok &= diff_worker_init(&dws[i], J->d[i]->nseries) == 0;
        if (!mine_ok) {
#pragma omp atomic write
            oom = 1;
        }
#pragma omp barrier
        int bad_start;
#pragma omp atomic read
        bad_start = oom;
        if (!bad_start) {
#pragma omp for schedule(dynamic, 1)
            for (uint64_t j = 0; j < my_blocks; j++) {
                const uint64_t b = (uint64_t)rank + j * (uint64_t)nranks;
                uint64_t limit;
#pragma omp atomic read
                limit = fault_block;
                if (b >= limit)
                    continue;
                for (size_t i = 0; i < K; i++)
                    moments_start(&ws[i], J->r[i]);
                for (size_t i = 0; i < ND; i++)
                    memset(dws[i].bm, 0, J->d[i]->nseries * sizeof *dws[i].bm);
                uint64_t lo = b * bsize, hi = lo + bsize < n ? lo + bsize : n;
                uint64_t p;
                int faulted = 0;
                for (p = lo; p < hi && !faulted; p += RR_LANES) {
                    /* Stop soon after an interrupt: the block's paths done so far stay
                     * counted in both its sketches and its moments, so they agree. */
                    if (cfg->stop && (p - lo) % RR_SIM_STOP_CHECK == 0 && *cfg->stop) {
#pragma omp atomic write
                        stopped = 1;
                        break;
                    }
                    const unsigned nl = hi - p < RR_LANES ? (unsigned)(hi - p) : RR_LANES;
                    for (size_t i = 0; i < K; i++) {
                        fill_table(&J->P[i], &ws[i], first + p, nl);
                        run_group(&J->P[i], &ws[i], first + p, nl);
                        sum_group(&J->P[i], &ws[i], nl);
                    }
                    /* The first fault in path order (scenario order within a path). */
                    for (unsigned l = 0; l < nl && !faulted; l++)
                        for (size_t i = 0; i < K && !faulted; i++) {
                            fault f;
                            if (check_lane(&J->P[i], &ws[i], l, first + p + l, &f) == 0)
                                continue;
                            faulted = 1;
#pragma omp critical(rr_sim_fault)
                            {
                                if (b < fault_block) {
                                    f.block = b;
                                    first_fault = f;
                                    fault_scenario = i;
#pragma omp atomic write
                                    fault_block = b;
                                }
                            }
                        }
                    if (faulted)
                        break;
                    for (size_t i = 0; i < K; i++)
                        accumulate_group(&J->P[i], &ws[i], nl);
                    for (unsigned l = 0; l < nl; l++)
                        for (size_t x = 0; x < ND; x++)
                            diff_path(J->d[x], J->r[0], ws[0].valsl + l, J->r[x + 1],
                                      ws[x + 1].valsl + l, &dws[x]);
                }
                if (p > hi)
                    p = hi;
                rr_block_moments *slot = slots + b * J->slot_len;
                for (size_t i = 0; i < K; i++) {
                    moments_end(&ws[i], J->r[i]);
                    memcpy(slot + J->slot_off[i], ws[i].bm, J->r[i]->nseries * sizeof *ws[i].bm);
                    memcpy(cslots + b * J->cslot_len + J->cslot_off[i], ws[i].bc,
                           J->r[i]->ndrivers * sizeof *ws[i].bc);
                }
                for (size_t i = 0; i < ND; i++)
                    memcpy(slot + J->slot_off[K + i], dws[i].bm,
                           J->d[i]->nseries * sizeof *dws[i].bm);
                uint64_t now;
#pragma omp atomic capture
                now = done_paths += p - lo;
                if (t == 0 && cfg->progress)
                    cfg->progress(cfg->progress_ctx, first + now, first + n);
            }
        }
    }
    double seconds = rr_cluster_max_double(now_seconds() - t0);
    for (size_t i = 0; i < K; i++) {
        J->r[i]->seconds += seconds;
        J->r[i]->threads = used;
    }

    for (size_t w = 0; w < (size_t)nthreads * K; w++)
        if (workers[w].row && rr_sketch_row_flush(workers[w].row) != 0)
            oom = 1;
    /* Thread 0's sketches of the path-fed series are empty: they take the shared ones. */
    for (size_t i = 0; !oom && i < K; i++)
        for (size_t x = 0; x < rr_sim_unit_horizon(J->r[i]); x++)
            if (workers[i].sketch &&
                rr_sketch_absorb(&workers[i].sketch[x], &shared[J->slot_off[i] + x]) != 0)
                oom = 1;
    /* Failures are the cluster's: every rank takes the same branch. */
    uint64_t bad[2] = { (uint64_t)oom, 0 };
    for (size_t w = 0; w < (size_t)nthreads * K; w++)
        bad[1] |= (uint64_t)workers[w].failed;
    for (size_t w = 0; w < (size_t)nthreads * ND; w++)
        bad[1] |= (uint64_t)dworkers[w].failed;
    rr_cluster_sum_u64(bad, 2);
    if (bad[0] || bad[1]) {
        st = RR_ERR_NOMEM;
        goto done;
    }
    uint64_t global_fault = rr_cluster_min_u64(fault_block);
    if (global_fault != UINT64_MAX) {
        struct {
            fault f;
            uint64_t scenario;
        } fs = { first_fault, fault_scenario };
        rr_cluster_bcast(&fs, sizeof fs, (int)(global_fault % (uint64_t)nranks));
        describe_fault(J->s[fs.scenario], &fs.f, K > 1, diags);
        st = RR_ERR_NUMERIC;
        goto done;
    }

    /* Integer counts: the order of merging does not matter.  This batch's threads are merged
     * into thread 0's accumulators, those across ranks, and the result into the run's. */
    for (int t = 1; t < nthreads; t++) {
        for (size_t i = 0; i < K; i++) {
            worker *w = &workers[(size_t)t * K + i], *w0 = &workers[i];
            if (!w->sketch)
                continue;
            for (size_t x = 0; x < J->r[i]->nseries; x++)
                if (rr_sketch_absorb(&w0->sketch[x], &w->sketch[x]) != 0) {
                    st = RR_ERR_NOMEM;
                    goto done;
                }
            w0->exceed += w->exceed;
            for (int m = 0; m < J->r[i]->horizon; m++)
                w0->mexceed[m] += w->mexceed[m];
        }
        for (size_t i = 0; i < ND; i++) {
            diff_worker *w = &dworkers[(size_t)t * ND + i], *w0 = &dworkers[i];
            if (!w->sketch)
                continue;
            for (size_t x = 0; x < J->d[i]->nseries; x++)
                if (rr_sketch_absorb(&w0->sketch[x], &w->sketch[x]) != 0) {
                    st = RR_ERR_NOMEM;
                    goto done;
                }
            w0->costlier += w->costlier;
        }
    }
    uint64_t totals[3] = { done_paths, (uint64_t)stopped, 0 };
    for (size_t w = 0; w < (size_t)nthreads * K; w++)
        if (workers[w].rng)
            totals[2] += rr_rng_seeks(workers[w].rng) + workers[w].tab_draws;
    rr_cluster_sum_u64(totals, 3);
    done_paths = totals[0];
    stopped = totals[1] != 0;
    for (size_t i = 0; i < K; i++)
        J->r[i]->draws += totals[2] / K;
    for (size_t i = 0; i < K; i++) {
        worker *w0 = &workers[i];
        rr_sim_result *r = J->r[i];
        if (rr_cluster_merge_sketches(w0->sketch, r->nseries) != 0) {
            st = RR_ERR_NOMEM;
            goto done;
        }
        rr_cluster_sum_u64(&w0->exceed, 1);
        rr_cluster_sum_u64(w0->mexceed, (size_t)r->horizon);
        for (size_t x = 0; x < r->nseries; x++)
            if (rr_sketch_absorb(&r->sketch[x], &w0->sketch[x]) != 0) {
                st = RR_ERR_NOMEM;
                goto done;
            }
        r->exceed += w0->exceed;
        for (int m = 0; m < r->horizon; m++)
            r->monthly_exceed[m] += w0->mexceed[m];
    }
    for (size_t i = 0; i < ND; i++) {
        diff_worker *w0 = &dworkers[i];
        if (rr_cluster_merge_sketches(w0->sketch, J->d[i]->nseries) != 0) {
            st = RR_ERR_NOMEM;
            goto done;
        }
        rr_cluster_sum_u64(&w0->costlier, 1);
        for (size_t x = 0; x < J->d[i]->nseries; x++)
            if (rr_sketch_absorb(&J->d[i]->sketch[x], &w0->sketch[x]) != 0) {
                st = RR_ERR_NOMEM;
                goto done;
            }
        J->d[i]->b_costlier += w0->costlier;
    }
    /* Each block's slot was filled by the one rank that ran it. */
    if (rr_cluster_share_slots(slots, J->slot_len * sizeof *slots, nblocks) != 0 ||
        rr_cluster_share_slots(cslots, J->cslot_len * sizeof *cslots, nblocks) != 0) {
        st = RR_ERR_NOMEM;
        goto done;
    }
    /* Floating point: strictly in block order, after the batches before this one. */
    for (uint64_t b = 0; b < nblocks; b++) {
        const rr_block_moments *slot = slots + b * J->slot_len;
        for (size_t i = 0; i < K; i++) {
            rr_sim_result *r = J->r[i];
            for (size_t x = 0; x < r->nseries; x++)
                rr_moments_combine(&r->moments[x], &slot[J->slot_off[i] + x]);
            for (size_t x = 0; x < r->ndrivers; x++)
                rr_comoments_combine(&r->driver_mom[x],
                                     &cslots[b * J->cslot_len + J->cslot_off[i] + x]);
        }
        for (size_t i = 0; i < ND; i++)
            for (size_t x = 0; x < J->d[i]->nseries; x++)
                rr_moments_combine(&J->d[i]->moments[x], &slot[J->slot_off[K + i] + x]);
    }
    for (size_t i = 0; i < K; i++) {
        rr_sim_result *r = J->r[i];
        r->paths = stopped ? first + done_paths : first + n;
        r->partial |= stopped;
        r->seed = cfg->seed;
        r->bytes = 0;
        for (size_t x = 0; x < r->nseries; x++)
            r->bytes += rr_sketch_bytes(r->sketch[x]);
    }
    for (size_t i = 0; i < ND; i++)
        J->d[i]->paths = stopped ? first + done_paths : first + n;
    if (stopped)
        st = RR_ERR_INTERRUPTED;

done:
    if (workers)
        for (size_t w = 0; w < (size_t)nthreads * K; w++)
            worker_free(&workers[w], J->r[w % K]->nseries);
    if (dworkers)
        for (size_t w = 0; w < (size_t)nthreads * ND; w++)
            diff_worker_free(&dworkers[w], J->d[w % ND]->nseries);
    free(workers);
    free(dworkers);
    if (shared)
        for (size_t x = 0; x < J->slot_len; x++)
            rr_sketch_free(shared[x]);
    free(shared);
    free(slots);
    free(cslots);
    return st;
}

static void job_free_plans(job *J)
{
    if (J->P)
        for (size_t i = 0; i < J->k; i++)
            plan_free(&J->P[i]);
    free(J->P);
    free(J->slot_off);
    free(J->cslot_off);
    J->P = NULL;
    J->slot_off = J->cslot_off = NULL;
}

rr_status rr_sim_run_many(const rr_scenario *const *s, size_t k, const rr_sim_config *cfg,
                          rr_sim_result **results, rr_sim_diff **diffs, rr_diags *diags)
{
    for (size_t i = 0; i < k; i++)
        results[i] = NULL;
    for (size_t i = 0; diffs && i + 1 < k; i++)
        diffs[i] = NULL;
    rr_status st = RR_OK;
    for (size_t i = 0; i < k && st == RR_OK; i++)
        if (!(results[i] = result_new(s[i])))
            st = RR_ERR_NOMEM;
    for (size_t i = 0; diffs && i + 1 < k && st == RR_OK; i++)
        if (!(diffs[i] = diff_new(results[0], results[i + 1])))
            st = RR_ERR_NOMEM;
    if (st == RR_OK) {
        job J = { .k = k, .s = s, .r = results, .d = diffs };
        st = run_range(&J, cfg, 0, cfg->paths, diags);
        job_free_plans(&J);
    }
    if (st != RR_OK && st != RR_ERR_INTERRUPTED) {
        for (size_t i = 0; i < k; i++) {
            rr_sim_result_free(results[i]);
            results[i] = NULL;
        }
        for (size_t i = 0; diffs && i + 1 < k; i++) {
            rr_sim_diff_free(diffs[i]);
            diffs[i] = NULL;
        }
    }
    return st;
}

rr_status rr_sim_run(const rr_scenario *s, const rr_sim_config *cfg, rr_sim_result **out,
                     rr_diags *diags)
{
    const rr_scenario *one[1] = { s };
    return rr_sim_run_many(one, 1, cfg, out, NULL, diags);
}

rr_status rr_sim_extend(const rr_scenario *s, const rr_sim_config *cfg, rr_sim_result *r,
                        uint64_t more, rr_diags *diags)
{
    if (more == 0)
        return RR_OK;
    const rr_scenario *one[1] = { s };
    rr_sim_result *rs[1] = { r };
    job J = { .k = 1, .s = one, .r = rs, .d = NULL };
    rr_status st = run_range(&J, cfg, r->paths, more, diags);
    job_free_plans(&J);
    return st;
}
