/* sampler: a group's draws, made together.
 *
 * A group takes, in order: the table (one vector pass of Philox blocks for every row, then
 * each run of rows transformed in one call: fill_table); the values drawn once per path
 * (the table's step-0 rows, correlations applied by seeking the normal scores); the monthly
 * values the table had no room for (by seeking: spill_values); then each event source's
 * counts, month by month for all lanes at once (count_events), and the terms of its events,
 * drawn through lists of their positions (sum_terms).  Every value is the one its position
 * gives by seeking (draw.h): tests/test_dist.c checks words and seeks agree for every
 * sampler, tests/test_sim.c that every path replayed alone gives the engine's numbers.
 */
#include "sample/sampler.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample/draw.h"
#include "sample/simd.h"
#include "sample/plan_draws.h"

_Static_assert(RR_LANES == RR_RNG_LANES, "a group's lanes are the batch's");

enum { L = RR_LANES };

struct rr_sampler {
    const rr_plan *P;
    const rr_plan_draws *D;
    uint64_t seed;
    gsl_rng *rng;
    rr_rng_batch *batch;     /* the first blocks of the table's positions */
    double *tab;             /* nrows x L: the table's values */
    double *vals;            /* nvalues x L: constants and values drawn once per path */
    double *spill;           /* nspill x L: monthly values and uniforms beyond the table */
    rr_values *v;            /* nrefs */
    rr_rng_list *list;       /* for the draws of events */
    unsigned *count;         /* nevents x H x L */
    double *sum;             /* nevents x H x L */
    uint64_t *capped;        /* nevents: lane-months whose count hit RR_MAX_EVENTS */
    uint64_t listed;         /* variates drawn from the table's or lists' words */
    uint64_t path0;
    unsigned nl;
    double *mon;             /* nmonthly x L: computed values of class MONTHLY */
    double *dem[2];          /* ndemand x L each: class DEMAND, with spikes and without */
    rr_values *v2;           /* nrefs: v, but the DEMAND values without spikes */
    double *regs;            /* nregs x H x L: a program's registers */
    int fault_month[L];      /* per lane: the first month a field's expression was not
                              * finite, or INT_MAX */
    rr_ref fault_ref[L];     /* ... and which */
    uint64_t *clamped;       /* nrefs: path-months whose computed value was held to its
                              * field's domain */
    rr_ref pin;              /* a value drawn once per path held at pin_value, or
                              * RR_REF_NONE */
    double pin_value;
    rr_sampler_move *move;   /* nmove values moved (rr_sampler_shift), owned */
    size_t nmove;
};

rr_sampler *rr_sampler_new(const rr_plan *p, uint64_t seed)
{
    const rr_plan_draws *D = p->draws;
    const size_t H = (size_t)p->horizon;
    rr_sampler *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->P = p;
    s->D = D;
    s->seed = seed;
    s->pin = RR_REF_NONE;
    s->rng = gsl_rng_alloc(rr_rng_philox);
    s->batch = rr_rng_batch_new(seed, D->spans, D->nspans);
    s->tab = calloc((D->nrows + 1) * L, sizeof *s->tab);
    s->vals = calloc((D->nvalues + 1) * L, sizeof *s->vals);
    s->spill = calloc((D->nspill + 1) * L, sizeof *s->spill);
    s->v = calloc(p->nrefs + 1, sizeof *s->v);
    s->list = rr_rng_list_new();
    s->count = calloc(p->nevents * H * L + 1, sizeof *s->count);
    s->sum = calloc(p->nevents * H * L + 1, sizeof *s->sum);
    s->capped = calloc(p->nevents + 1, sizeof *s->capped);
    s->mon = calloc((D->nmonthly + 1) * L, sizeof *s->mon);
    s->dem[0] = calloc((D->ndemand + 1) * L, sizeof *s->dem[0]);
    s->dem[1] = calloc((D->ndemand + 1) * L, sizeof *s->dem[1]);
    s->v2 = calloc(p->nrefs + 1, sizeof *s->v2);
    s->regs = calloc((D->nregs + 1) * H * L, sizeof *s->regs);
    s->clamped = calloc(p->nrefs + 1, sizeof *s->clamped);
    if (!s->rng || !s->batch || !s->tab || !s->vals || !s->spill || !s->v || !s->list ||
        !s->count || !s->sum || !s->capped || !s->mon || !s->dem[0] || !s->dem[1] || !s->v2 ||
        !s->regs || !s->clamped) {
        rr_sampler_free(s);
        return NULL;
    }
    for (rr_ref r = 0; r < p->nrefs; r++) {
        const rr_plan_value *pv = &D->value[r];
        if (pv->kind == RR_VALUE_COMPUTED) {
            if (pv->cls == RR_CLASS_PATH)
                s->v[r] = (rr_values){ s->vals + pv->at * L, 0 };
            else if (pv->cls == RR_CLASS_MONTHLY)
                s->v[r] = (rr_values){ s->mon + pv->at * L, L };
            else
                s->v[r] = (rr_values){ s->dem[0] + pv->at * L, L };
        } else if (pv->kind != RR_VALUE_MONTHLY) {
            double *x = s->vals + pv->at * L;
            s->v[r] = (rr_values){ x, 0 };
            if (pv->kind == RR_VALUE_CONST)
                for (unsigned l = 0; l < L; l++)
                    x[l] = pv->dist->p[0];
        } else if (pv->row >= 0) {
            s->v[r] = (rr_values){ s->tab + (size_t)pv->row * L, L };
        } else {
            s->v[r] = (rr_values){ s->spill + pv->at * L, L };
        }
        s->v2[r] = s->v[r];
        if (pv->kind == RR_VALUE_COMPUTED && pv->cls == RR_CLASS_DEMAND)
            s->v2[r] = (rr_values){ s->dem[1] + pv->at * L, L };
    }
    return s;
}

void rr_sampler_free(rr_sampler *s)
{
    if (!s)
        return;
    if (s->rng)
        gsl_rng_free(s->rng);
    free(s->move);
    rr_rng_batch_free(s->batch);
    rr_rng_list_free(s->list);
    free(s->tab);
    free(s->vals);
    free(s->spill);
    free(s->v);
    free(s->count);
    free(s->sum);
    free(s->capped);
    free(s->mon);
    free(s->dem[0]);
    free(s->dem[1]);
    free(s->v2);
    free(s->regs);
    free(s->clamped);
    free(s);
}

const rr_values *rr_sampler_values(const rr_sampler *s)
{
    return s->v;
}

const rr_values *rr_sampler_values_nospike(const rr_sampler *s)
{
    return s->v2;
}

int rr_sampler_fault(const rr_sampler *s, unsigned l, int *month, rr_ref *ref)
{
    if (s->fault_month[l] == INT_MAX)
        return 0;
    *month = s->fault_month[l];
    *ref = s->fault_ref[l];
    return 1;
}

rr_event_lanes rr_sampler_events(const rr_sampler *s, size_t e)
{
    const size_t at = e * (size_t)s->P->horizon * L;
    return (rr_event_lanes){ s->count + at, s->sum + at };
}

uint64_t rr_sampler_clamped(const rr_sampler *s, rr_ref r)
{
    return s->clamped[r];
}

uint64_t rr_sampler_capped(const rr_sampler *s, size_t e)
{
    return s->capped[e];
}

uint64_t rr_sampler_draws(const rr_sampler *s)
{
    return rr_rng_seeks(s->rng) + s->listed;
}

/* The draws of the group at every position of the table's rows: Philox blocks for all of
 * them in one vector pass, then each run's variates.  Each value is the one the draw would
 * have made by seeking (rr_dist_from_words_n); the rare draw that its words do not finish
 * (a normal the ziggurat's first try rejects) is made by seeking. */
static void fill_table(rr_sampler *s)
{
    const rr_plan_draws *D = s->D;
    rr_rng_batch_fill(s->batch, s->path0);
    for (size_t row = 0; row < D->nrows;) {
        const rr_plan_row *dr = &D->rows[row];
        /* A full group takes a run of rows of consecutive steps in one call: they sit one
         * after the other in the batch and in the table. */
        const size_t run = s->nl == L ? D->run[row] : 1;
        const uint32_t *const words[4] = {
            rr_rng_batch_words(s->batch, row, 0), rr_rng_batch_words(s->batch, row, 1),
            rr_rng_batch_words(s->batch, row, 2), rr_rng_batch_words(s->batch, row, 3)
        };
        const size_t r2 = dr->second >= 0 ? (size_t)dr->second : row;
        const uint32_t *const second[4] = {
            rr_rng_batch_words(s->batch, r2, 0), rr_rng_batch_words(s->batch, r2, 1),
            rr_rng_batch_words(s->batch, r2, 2), rr_rng_batch_words(s->batch, r2, 3)
        };
        const rr_positions pos = { .seed = s->seed, .stream = dr->stream, .path0 = s->path0,
                                   .step0 = dr->step, .lanes = L };
        rr_dist_from_words_n(dr->dist, dr->from, words, dr->second >= 0 ? second : NULL,
                             run * s->nl, &pos, s->rng, s->tab + row * L);
        if (dr->from)
            s->listed += run * s->nl;   /* the others count as seeks */
        row += run;
    }
}

/* Lanes from nl on take lane 0's value. */
static void repeat_lane0(double *x, unsigned nl)
{
    for (unsigned l = nl; l < L; l++)
        x[l] = x[0];
}

/* The values drawn once per path: the table's step-0 rows, or by seeking; then the
 * correlated ones replaced through their copula. */
static void path_values(rr_sampler *s)
{
    const rr_plan *P = s->P;
    const rr_plan_draws *D = s->D;
    for (rr_ref r = 0; r < P->nrefs; r++) {
        const rr_plan_value *pv = &D->value[r];
        if (pv->kind != RR_VALUE_PATH)
            continue;
        double *x = s->vals + pv->at * L;
        if (pv->row >= 0)
            memcpy(x, s->tab + (size_t)pv->row * L, L * sizeof *x);
        else
            for (unsigned l = 0; l < s->nl; l++)
                x[l] = rr_draw_at(pv->dist, pv->stream, s->rng, s->seed, s->path0 + l,
                                  RR_STEP_PATH);
        repeat_lane0(x, s->nl);
    }
    if (D->ncorr) {
        double y[RR_MAX_CORRELATED];
        for (unsigned l = 0; l < s->nl; l++) {
            rr_draw_correlated(&P->s->corr, s->rng, s->seed, s->path0 + l, y);
            for (size_t i = 0; i < D->ncorr; i++)
                s->vals[D->value[D->corr[i]].at * L + l] = y[i];
        }
        for (size_t i = 0; i < D->ncorr; i++)
            repeat_lane0(s->vals + D->value[D->corr[i]].at * L, s->nl);
    }
    for (size_t k = 0; k < s->nmove; k++) {
        const rr_sampler_move *mv = &s->move[k];
        const rr_dist *d = D->value[mv->ref].dist;
        double *x = s->vals + D->value[mv->ref].at * L;
        for (unsigned l = 0; l < L; l++)
            x[l] = rr_dist_shifted(d, x[l], mv->m, mv->s);
    }
    /* Pinned after the copula, so that its correlated partners keep their own draws. */
    if (s->pin != RR_REF_NONE)
        for (unsigned l = 0; l < L; l++)
            s->vals[D->value[s->pin].at * L + l] = s->pin_value;
}

int rr_sampler_shift(rr_sampler *s, const rr_sampler_move *mv, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const rr_plan_value *pv = mv[k].ref < s->P->nrefs ? &s->D->value[mv[k].ref] : NULL;
        if (!pv || pv->kind != RR_VALUE_PATH || !pv->dist || !rr_dist_shiftable(pv->dist))
            return -1;
        for (size_t i = 0; i < s->D->ncorr; i++)
            if (s->D->corr[i] == mv[k].ref)
                return -1;
    }
    rr_sampler_move *copy = malloc((n + 1) * sizeof *copy);
    if (!copy)
        return -1;
    memcpy(copy, mv, n * sizeof *copy);
    free(s->move);
    s->move = copy;
    s->nmove = n;
    return 0;
}

int rr_sampler_pin(rr_sampler *s, rr_ref r, double value)
{
    if (r >= s->P->nrefs || s->D->value[r].kind != RR_VALUE_PATH)
        return -1;
    s->pin = r;
    s->pin_value = value;
    return 0;
}

/* Monthly values beyond the table, by seeking. */
static void spill_values(rr_sampler *s)
{
    const rr_plan_draws *D = s->D;
    const int H = s->P->horizon;
    for (rr_ref r = 0; r < s->P->nrefs; r++) {
        const rr_plan_value *pv = &D->value[r];
        if (pv->kind != RR_VALUE_MONTHLY || pv->row >= 0)
            continue;
        for (int m = 0; m < H; m++) {
            double *x = s->spill + (pv->at + (size_t)m) * L;
            for (unsigned l = 0; l < s->nl; l++) {
                if (pv->normal) {
                    rr_rng_seek(s->rng, s->seed, pv->stream, s->path0 + l, RR_STEP_MONTH(m));
                    x[l] = rr_rng_gaussian(s->rng);
                    rr_dist_from_normal_n(pv->dist, &x[l], 1);
                } else {
                    x[l] = rr_draw_at(pv->dist, pv->stream, s->rng, s->seed, s->path0 + l,
                                      RR_STEP_MONTH(m));
                }
            }
            repeat_lane0(x, s->nl);
        }
    }
}

/* A field's values of months 0 .. nm - 1, just computed: a lane's first value that is not
 * finite is its fault; then each is held to the field's domain, the values moved counted
 * (weight: the months each stands for) unless weight is 0. */
RR_VECTOR_CLONES static void settle(rr_sampler *s, const rr_plan_value *pv, rr_ref r, int nm,
                                    double *x, uint64_t weight)
{
    const size_t n = (size_t)nm * L;
    /* Lane by lane, so that the sums are vectors: x * 0 is NaN where x is NaN or infinite. */
    double z[L] = { 0 }, any = 0;
    for (size_t i = 0; i < n; i += L)
        for (unsigned l = 0; l < L; l++)
            z[l] += x[i + l] * 0;
    for (unsigned l = 0; l < L; l++)
        any += z[l];
    if (any != any)
        for (int m = 0; m < nm; m++)
            for (unsigned l = 0; l < s->nl; l++)
                if (!isfinite(x[(size_t)m * L + l]) && m < s->fault_month[l]) {
                    s->fault_month[l] = m;
                    s->fault_ref[l] = r;
                }
    const double lo = pv->lo, hi = pv->hi;
    uint64_t moved = 0;
    for (size_t i = 0; i < n; i += L)
        for (unsigned l = 0; l < L; l++)
            moved += (l < s->nl) & (x[i + l] < lo || x[i + l] > hi);
    s->clamped[r] += moved * weight;
    for (size_t i = 0; i < n; i++)
        x[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
}

/* Computed value r, every month at once (once for class PATH), reading v and, for class
 * DEMAND, requests; into the rows of `variant` (1: without spikes). */
static void compute(rr_sampler *s, rr_ref r, const rr_values *v, const double *requests,
                    int variant)
{
    const rr_plan_value *pv = &s->D->value[r];
    const int H = s->P->horizon;
    const rr_program_env env = { v, s->D->builtin, requests, H };
    double *x = pv->cls == RR_CLASS_PATH      ? s->vals + pv->at * L
                : pv->cls == RR_CLASS_MONTHLY ? s->mon + pv->at * L
                                              : s->dem[variant] + pv->at * L;
    const int months = pv->cls == RR_CLASS_PATH ? 1 : H;
    rr_program_run(pv->prog, &env, 0, months, s->regs, x);
    /* Counted once: on the demand with spikes; a value for the path stands for H months. */
    if (pv->checked)
        settle(s, pv, r, months, x, variant ? 0 : months == 1 ? (uint64_t)H : 1);
}

void rr_sampler_demand(rr_sampler *s, const double *eff, const double *req)
{
    const rr_plan_draws *D = s->D;
    if (!D->ndemand)
        return;
    for (int variant = 0; variant < (req ? 2 : 1); variant++)
        for (rr_ref r = 0; r < s->P->nrefs; r++)
            if (D->value[r].kind == RR_VALUE_COMPUTED && D->value[r].cls == RR_CLASS_DEMAND)
                compute(s, r, variant ? s->v2 : s->v, variant ? req : eff, variant);
}

/* The uniforms of a source's counts: its table rows, or its spill made by seeking. */
static const double *count_uniforms(rr_sampler *s, const rr_plan_event *e)
{
    if (e->row >= 0)
        return s->tab + (size_t)e->row * L;
    const int H = s->P->horizon;
    double *u = s->spill + e->spill * L;
    for (int m = 0; m < H; m++) {
        for (unsigned l = 0; l < s->nl; l++) {
            rr_rng_seek(s->rng, s->seed, e->stream, s->path0 + l, RR_STEP_MONTH(m));
            u[(size_t)m * L + l] = rr_rng_uniform(s->rng);
        }
        repeat_lane0(u + (size_t)m * L, s->nl);
    }
    return u;
}

/* A Poisson count for every lane and month whose rate stays all horizon long and inverts
 * one uniform: the walk's CDF once, then every month's counts by table, the months'
 * uniforms being rows one after the other.  0 when it does not apply. */
static int count_by_table(const double *rate, const double *u, int H, unsigned *n)
{
    enum { CDF_MAX = 40 };
    double p0[L], cdf[CDF_MAX * L];
    for (unsigned l = 0; l < L; l++) {
        if (!(rate[l] <= RR_DIST_POISSON_INVERT_MAX))
            return 0;
        p0[l] = exp(-rate[l]);
    }
    size_t kt = rr_dist_poisson_cdf_n(rate, p0, L, cdf, CDF_MAX);
    if (!kt)
        return 0;
    rr_dist_poisson_count_n(u, cdf, kt, L, (size_t)H * L, n);
    return 1;
}

/* Source e's count of every lane and month into n (month m of lane l at n[m * L + l]);
 * the lane-months that hit the cap are added to *capped. */
static void count_events(rr_sampler *s, const rr_plan_event *e, unsigned *n, uint64_t *capped)
{
    const int H = s->P->horizon;
    const rr_values *rate = &s->v[e->rate];
    const double *u = count_uniforms(s, e);
    if (!e->chance && e->rate_stays && count_by_table(rate->at, u, H, n))
        return;
    double rate_was[L] = { 0 }, p0[L] = { 0 };
    for (int m = 0; m < H; m++) {
        const double *r = rr_values_month(rate, m), *um = u + (size_t)m * L;
        unsigned *nm = n + (size_t)m * L;
        if (e->chance) {
            for (unsigned l = 0; l < L; l++)
                nm[l] = um[l] < r[l];
            continue;
        }
        int inverted = 1;
        for (unsigned l = 0; l < L; l++) {
            inverted &= r[l] <= RR_DIST_POISSON_INVERT_MAX;
            /* exp(-rate) once per path while the rate stays. */
            if (m == 0 || r[l] != rate_was[l]) {
                rate_was[l] = r[l];
                p0[l] = exp(-r[l]);
            }
        }
        if (inverted) {
            rr_dist_poisson_u0_n(um, r, p0, nm, L);
        } else {
            /* Lane by lane; a mean beyond inversion is drawn by seeking. */
            for (unsigned l = 0; l < L; l++)
                nm[l] = rr_draw_count(0, r[l], um[l], e->stream, s->rng, s->seed,
                                      s->path0 + (l < s->nl ? l : 0), RR_STEP_MONTH(m));
        }
        for (unsigned l = 0; l < L; l++)
            nm[l] = nm[l] > RR_MAX_EVENTS ? RR_MAX_EVENTS : nm[l];
        for (unsigned l = 0; l < s->nl; l++)
            *capped += nm[l] == RR_MAX_EVENTS;
    }
}

/* Events drawn together, up to a list's worth at a time: each one's place (its cell m * L
 * + l of the sums), path and step. */
typedef struct event_chunk {
    size_t n;
    uint32_t cell[RR_RNG_LIST_MAX], step[RR_RNG_LIST_MAX];
    uint64_t path[RR_RNG_LIST_MAX];
    double v[RR_MAX_EVENT_FIELDS][RR_RNG_LIST_MAX];
} event_chunk;

/* Each event's fields through the list, then its term into its cell's sum: a cell's terms
 * are added in event order, as one path alone adds them. */
static void flush_terms(rr_sampler *s, const rr_plan_event *e, event_chunk *c, double *sum)
{
    for (size_t f = 0; f < e->nfield; f++) {
        if (e->fref[f] == RR_REF_NONE) {
            s->listed += rr_draw_input_list(e->field[f], s->list, s->rng, s->seed, c->path,
                                            c->step, c->n, c->v[f]);
            continue;
        }
        const rr_values *v = &s->v[e->fref[f]];
        for (size_t j = 0; j < c->n; j++)
            c->v[f][j] = rr_values_month(v, (int)(c->cell[j] / L))[c->cell[j] % L];
    }
    for (size_t j = 0; j < c->n; j++) {
        double v[RR_MAX_EVENT_FIELDS];
        for (size_t f = 0; f < e->nfield; f++)
            v[f] = c->v[f][j];
        sum[c->cell[j]] += e->term(v);
    }
    c->n = 0;
}

static void sum_terms(rr_sampler *s, const rr_plan_event *e, const unsigned *n, double *sum)
{
    const int H = s->P->horizon;
    if (!e->term)
        return;   /* its sums stay 0 */
    memset(sum, 0, (size_t)H * L * sizeof *sum);
    event_chunk c;
    c.n = 0;
    const uint32_t used = s->nl >= 32 ? UINT32_MAX : (UINT32_C(1) << s->nl) - 1;
    for (int m = 0; m < H; m++) {
        /* The lanes with events this month, as bits: most have none. */
        const unsigned *nm = n + (size_t)m * L;
        uint32_t busy = 0;
        for (unsigned l = 0; l < L; l++)
            busy |= (uint32_t)(nm[l] != 0) << l;
        for (busy &= used; busy; busy &= busy - 1) {
            const unsigned l = (unsigned)__builtin_ctz(busy);
            const uint32_t cell = (uint32_t)m * L + l;
            for (unsigned i = 0; i < n[cell]; i++) {
                c.cell[c.n] = cell;
                c.path[c.n] = s->path0 + l;
                c.step[c.n] = RR_STEP_EVENT(m, i);
                if (++c.n == RR_RNG_LIST_MAX)
                    flush_terms(s, e, &c, sum);
            }
        }
    }
    if (c.n)
        flush_terms(s, e, &c, sum);
}

void rr_sampler_group(rr_sampler *s, uint64_t path0, unsigned nl)
{
    s->path0 = path0;
    s->nl = nl;
    for (unsigned l = 0; l < L; l++)
        s->fault_month[l] = INT_MAX;
    fill_table(s);
    path_values(s);
    spill_values(s);
    /* The computed values that do not wait for the demand, in the order they were made: a
     * value's operands come before it. */
    for (rr_ref r = 0; r < s->P->nrefs; r++)
        if (s->D->value[r].kind == RR_VALUE_COMPUTED && s->D->value[r].cls != RR_CLASS_DEMAND)
            compute(s, r, s->v, NULL, 0);
    const size_t HL = (size_t)s->P->horizon * L;
    for (size_t e = 0; e < s->P->nevents; e++) {
        count_events(s, &s->D->event[e], s->count + e * HL, &s->capped[e]);
        sum_terms(s, &s->D->event[e], s->count + e * HL, s->sum + e * HL);
    }
}
