/* group: the kernel, a group of RR_LANES paths from their draws to their series.
 *
 * The arrays of a group hold every month of every lane at once, so that each step is a loop
 * over lanes that the compiler makes into vectors: the demand (rr_demand_requests), the
 * demand after spikes and what the checks need of it (effective_lanes), the components'
 * months (each type's `month`), the sums (rr_group_sum, cloned for wider vectors).  Selects
 * replace branches on random outcomes, which would mispredict half the time.
 */
#include "run/group.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample/simd.h"

enum { L = RR_LANES };

/* Eight lanes as one value (GCC's vector extension): a zmm register in the AVX-512 clone,
 * four xmm in the baseline build; accessed in place through a type that assumes only a
 * double's alignment and may alias the doubles it reads. */
typedef double lanes8 __attribute__((vector_size(8 * sizeof(double))));
typedef double lanes8_at __attribute__((vector_size(8 * sizeof(double)), aligned(8), may_alias));
#define AT8(p) (*(lanes8_at *)(p))

/* n zeroed doubles on a 64-byte boundary: the kernel's vectors of 8 lanes then never
 * straddle two cache lines (which costs, and depended on where calloc happened to put an
 * array). */
static double *lanes_alloc(size_t n)
{
    void *x = NULL;
    if (posix_memalign(&x, 64, (n ? n : 1) * sizeof(double)) != 0)
        return NULL;
    memset(x, 0, (n ? n : 1) * sizeof(double));
    return x;
}

rr_group *rr_group_new(const rr_plan *p, const rr_result *r)
{
    const size_t H = (size_t)p->horizon, K = p->ncomp, S = p->nstreams;
    rr_group *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->P = p;
    g->r = r;
    g->valsl = lanes_alloc(r->nseries * L);
    g->served = calloc(L, sizeof *g->served);
    g->eff_last = calloc(L, sizeof *g->eff_last);
    g->state = lanes_alloc((p->nstate + 1) * L);
    g->state2 = lanes_alloc((p->nstate + 1) * L);
    g->eff = lanes_alloc(S * H * L);
    g->req = lanes_alloc(S * H * L);
    g->zero = lanes_alloc(H * L);
    g->cost = lanes_alloc(H * (K + 1) * L);
    g->base = lanes_alloc(H * (K + 1) * L);
    g->nospikel = lanes_alloc(RR_NCAT * L);
    g->dfault = calloc(L, sizeof *g->dfault);
    g->dval = calloc(L, sizeof *g->dval);
    g->xfault = calloc(L, sizeof *g->xfault);
    g->xref = calloc(L, sizeof *g->xref);
    g->by_cat = calloc(K + 1, sizeof *g->by_cat);
    g->by_stream = calloc(K + 1, sizeof *g->by_stream);
    g->stream_at = calloc(S + 1, sizeof *g->stream_at);
    g->bound = lanes_alloc(p->ncapacity * L);
    g->unused = lanes_alloc(p->ncommitment * L);
    if (!g->bound || !g->unused || !g->by_stream || !g->stream_at || !g->valsl || !g->served || !g->eff_last || !g->state || !g->state2 || !g->eff ||
        !g->req || !g->zero || !g->cost || !g->base || !g->nospikel || !g->dfault || !g->dval ||
        !g->by_cat || !g->xfault || !g->xref) {
        rr_group_free(g);
        return NULL;
    }
    size_t nk = 0;
    for (int c = 0; c < r->ncat; c++) {
        g->cat_at[c] = nk;
        for (size_t k = 0; k < K; k++)
            if (r->cat_slot[p->comp[k].c->category] == c)
                g->by_cat[nk++] = k;
    }
    for (int c = r->ncat; c <= RR_NCAT; c++)
        g->cat_at[c] = nk;
    nk = 0;
    for (size_t j = 0; j < S; j++) {
        g->stream_at[j] = nk;
        for (size_t k = 0; k < K; k++)
            if (p->comp[k].stream == (int)j)
                g->by_stream[nk++] = k;
    }
    g->stream_at[S] = nk;
    return g;
}

void rr_group_free(rr_group *g)
{
    if (!g)
        return;
    free(g->valsl);
    free(g->served);
    free(g->eff_last);
    free(g->state);
    free(g->state2);
    free(g->eff);
    free(g->req);
    free(g->zero);
    free(g->cost);
    free(g->base);
    free(g->nospikel);
    free(g->dfault);
    free(g->dval);
    free(g->xfault);
    free(g->xref);
    free(g->by_cat);
    free(g->by_stream);
    free(g->stream_at);
    free(g->bound);
    free(g->unused);
    free(g);
}

/* Stream j's requests before spikes, every lane, month by month (req by month then lane). */
static void demand_lanes(const rr_plan *P, size_t j, const rr_values *v, double *req)
{
    const rr_plan_demand *d = &P->streams[j];
    double G[L];
    for (int m = 0; m < P->horizon; m++)
        rr_demand_requests(m, G, rr_values_month(&v[d->base], m),
                           m ? rr_values_month(&v[d->growth], m) : NULL,
                           d->season[(d->start_month + m) % 12],
                           d->noise != RR_REF_NONE ? rr_values_month(&v[d->noise], m) : NULL,
                           req + (size_t)m * L);
}

RR_VECTOR_CLONES static void effective_lanes(int spikes, int H, double *restrict eff,
                                             double *restrict req,
                                             const double *restrict extra,
                                             double *restrict dfault, double *restrict mdiv,
                                             double *restrict served,
                                             double *restrict eff_last, double *restrict dval)
{
    const double none = H;
    for (unsigned l = 0; l < RR_LANES; l++) {
        dfault[l] = mdiv[l] = none;
        served[l] = 0;
    }
    /* Every update a new value, never "x = c ? y : x" (which the compiler may not turn into
     * a vector store): months as exact doubles moved by 0/1 factors, sums by a selected term.
     */
    for (int m = 0; m < H; m++) {
        double *em = eff + (size_t)m * RR_LANES, *qm = req + (size_t)m * RR_LANES;
        const double *xm = extra + (size_t)m * RR_LANES, md = m;
        for (unsigned l = 0; l < RR_LANES; l++) {
            double q = qm[l], e = rr_demand_effective(spikes, q, xm[l]);
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

/* Component k's months, every lane: the model called on the demand after spikes and, with
 * both, again on the demand without spikes with its own state; a cost that does not follow
 * demand is the same without spikes. */
static void component_lanes(rr_group *g, const rr_sampler *s, size_t k, int both)
{
    const rr_plan_comp *pc = &g->P->comp[k];
    const rr_component *c = pc->c;
    const rr_component_type *t = c->type;
    const rr_values *v = rr_sampler_values(s), *v2 = rr_sampler_values_nospike(s);
    const int H = g->P->horizon;
    const size_t at0 = k * (size_t)H * L;
    double *st = g->state + pc->state * L, *st2 = g->state2 + pc->state * L;
    /* f: the fields' values; f2: the same without spikes (they differ for expressions
     * that read `requests`). */
    const double *f[RR_MAX_FIELDS] = { NULL }, *f2[RR_MAX_FIELDS] = { NULL };
    rr_event_lanes ev = { NULL, NULL };
    if (pc->events >= 0)
        ev = rr_sampler_events(s, (size_t)pc->events);
    rr_month a = { .f = f, .given = pc->given, .table = c->table, .ntable = c->ntable,
                   .horizon = H };
    /* What the month reports beside its cost, summed over the months. */
    double bound[L], unused[L];
    for (unsigned l = 0; l < L; l++)
        bound[l] = unused[l] = 0;
    double *bound_n = pc->capacity >= 0 ? g->bound + (size_t)pc->capacity * L : NULL;
    double *unused_n = pc->commitment >= 0 ? g->unused + (size_t)pc->commitment * L : NULL;
    /* Fields whose values change from month to month; the others are set once.  Without
     * spikes the fields are the same unless one reads `requests` (split); a cost that
     * neither follows the demand nor reads requests is the same without spikes. */
    size_t monthly[RR_MAX_FIELDS], nmonthly = 0;
    int split = 0;
    for (size_t i = 0; i < t->nfields; i++) {
        if (pc->field[i] == RR_REF_NONE)
            continue;
        f[i] = v[pc->field[i]].at;
        f2[i] = v2[pc->field[i]].at;
        split |= f2[i] != f[i];
        if (v[pc->field[i]].stride)
            monthly[nmonthly++] = i;
    }
    split = split && both;
    both = both && (t->follows_demand || split);
    const double *const *f_nospike = split ? f2 : f;
    for (int m = 0; m < H; m++) {
        const size_t at = (size_t)m * L;
        for (size_t j = 0; j < nmonthly; j++)
            f[monthly[j]] = rr_values_month(&v[pc->field[monthly[j]]], m);
        for (size_t j = 0; split && j < nmonthly; j++)
            f2[monthly[j]] = rr_values_month(&v2[pc->field[monthly[j]]], m);
        a.f = f;
        a.m = m;
        a.days = g->P->days[m];
        a.events = ev.count ? ev.count + at : NULL;
        a.event_sum = ev.sum ? ev.sum + at : NULL;
        a.demand = pc->stream >= 0 ? g->eff + (size_t)pc->stream * H * L + at : g->zero + at;
        a.state = st;
        a.bound = bound_n ? bound : NULL;
        a.unused = unused_n ? unused : NULL;
        t->month(&a, g->cost + at0 + at);
        for (unsigned l = 0; bound_n && l < L; l++)
            bound_n[l] = m ? bound_n[l] + bound[l] : bound[l];
        for (unsigned l = 0; unused_n && l < L; l++)
            unused_n[l] = m ? unused_n[l] + unused[l] : unused[l];
        if (both) {
            a.f = f_nospike;
            a.bound = a.unused = NULL;
            a.demand = pc->stream >= 0 ? g->req + (size_t)pc->stream * H * L + at : g->zero + at;
            a.state = st2;
            t->month(&a, g->base + at0 + at);
        }
    }
    if (!both)
        memcpy(g->base + at0, g->cost + at0, (size_t)H * L * sizeof *g->cost);
}

void rr_group_run(rr_group *g, rr_sampler *s, uint64_t path0, unsigned nl, int draws_only)
{
    const rr_plan *P = g->P;
    const int H = P->horizon;
    rr_sampler_group(s, path0, nl);
    /* Demand first, stream by stream: it depends on nothing the components do.  A lane's
     * fault is its earliest over the streams; it serves the requests of all of them. */
    const size_t HL = (size_t)H * L;
    int mmin = H;
    for (size_t j = 0; j < P->nstreams; j++) {
        const rr_plan_demand *pd = &P->streams[j];
        double *eff = g->eff + j * HL, *req = g->req + j * HL;
        demand_lanes(P, j, rr_sampler_values(s), req);
        const int spikes = pd->spikes >= 0;
        const double *extra = spikes ? rr_sampler_events(s, (size_t)pd->spikes).sum : g->zero;
        double dfault[L], mdiv[L], served[L], eff_last[L], dval[L] = { 0 };
        effective_lanes(spikes, H, eff, req, extra, dfault, mdiv, served, eff_last, dval);
        for (unsigned l = 0; l < nl; l++) {
            if (j == 0 || (int)dfault[l] < g->dfault[l]) {
                g->dfault[l] = (int)dfault[l];
                g->dval[l] = dval[l];
            }
            g->served[l] = j ? g->served[l] + served[l] : served[l];
            g->eff_last[l] = j ? g->eff_last[l] + eff_last[l] : eff_last[l];
            mmin = (int)mdiv[l] < mmin ? (int)mdiv[l] : mmin;
        }
        /* Unused lanes repeat lane 0, so that their arithmetic stays tame. */
        for (unsigned l = nl; l < L; l++)
            for (int m = 0; m < H; m++) {
                eff[(size_t)m * L + l] = eff[(size_t)m * L];
                req[(size_t)m * L + l] = req[(size_t)m * L];
            }
    }
    memset(g->state, 0, P->nstate * L * sizeof *g->state);
    memset(g->state2, 0, P->nstate * L * sizeof *g->state2);
    /* Without a spike on any lane (or without statistics) the costs without spikes are the
     * costs. */
    const int both = !draws_only && mmin < H;
    /* The expressions that read the month's requests, now that they are known. */
    rr_sampler_demand(s, g->eff, both ? g->req : NULL);
    for (unsigned l = 0; l < L; l++) {
        rr_ref ref = 0;
        int m = H;
        g->xfault[l] = l < nl && rr_sampler_fault(s, l, &m, &ref) ? m : H;
        g->xref[l] = ref;
    }
    for (size_t k = 0; k < P->ncomp; k++)
        component_lanes(g, s, k, both);
}

RR_VECTOR_CLONES void rr_group_sum(rr_group *g)
{
    enum { W = 8 };
    const rr_result *r = g->r;
    const int H = r->horizon, ncat = r->ncat;
    const size_t K = r->ncomp;
    double *const v = g->valsl, *const nsl = g->nospikel;
    const double *const cost = g->cost, *const base = g->base;
    const size_t *const by_cat = g->by_cat;
    size_t cat_at[RR_NCAT + 1];
    memcpy(cat_at, g->cat_at, sizeof cat_at);
    const lanes8 zero = { 0 };
    for (size_t h = 0; h < L; h += W) {
        lanes8 tot = zero;
        for (int c = 0; c < ncat; c++) {
            AT8(v + rr_result_cat(r, c) * L + h) = zero;
            AT8(nsl + (size_t)c * L + h) = zero;
        }
        for (size_t k = 0; k < K; k++)
            AT8(v + rr_result_comp(r, k) * L + h) = zero;
        for (int m = 0; m < H; m++) {
            const size_t at = (size_t)m * L + h, step = (size_t)H * L;
            lanes8 mt = zero;
            for (size_t k = 0; k < K; k++) {
                const lanes8 c = AT8(cost + k * step + at);
                AT8(v + rr_result_comp(r, k) * L + h) += c;
                mt += c;
            }
            AT8(v + rr_result_month(r, m) * L + h) = mt;
            tot += mt;
            AT8(v + rr_result_cumulative(r, m) * L + h) = tot;
            for (int c = 0; c < ncat; c++) {
                lanes8 mc = zero, ns = AT8(nsl + (size_t)c * L + h);
                for (size_t j = cat_at[c]; j < cat_at[c + 1]; j++) {
                    mc += AT8(cost + by_cat[j] * step + at);
                    ns += AT8(base + by_cat[j] * step + at);
                }
                AT8(v + rr_result_month_cat(r, m, c) * L + h) = mc;
                AT8(v + rr_result_cat(r, c) * L + h) += mc;
                AT8(nsl + (size_t)c * L + h) = ns;
            }
        }
        AT8(v + rr_result_total() * L + h) = tot;
        /* The run-rate: the mean of the last three months (of all, when fewer). */
        const int k3 = H < 3 ? H : 3;
        lanes8 last = zero;
        for (int m = H - k3; m < H; m++)
            last += AT8(v + rr_result_month(r, m) * L + h);
        AT8(v + rr_result_last_three(r) * L + h) = last / (double)k3;
        /* Each period's total and categories, months in order. */
        for (size_t p = 0; p < r->nperiods; p++) {
            const rr_period *per = rr_result_period_at(r, p);
            lanes8 pt = zero;
            for (int m = per->from; m <= per->to; m++)
                pt += AT8(v + rr_result_month(r, m) * L + h);
            AT8(v + rr_result_period(r, p) * L + h) = pt;
            for (int c = 0; c < ncat; c++) {
                lanes8 pc = zero;
                for (int m = per->from; m <= per->to; m++)
                    pc += AT8(v + rr_result_month_cat(r, m, c) * L + h);
                AT8(v + rr_result_period_cat(r, p, c) * L + h) = pc;
            }
        }
        /* Each stream's requests served, month by month and over the horizon. */
        for (size_t j = 0; j < r->nstreams; j++) {
            const double *e = g->eff + j * (size_t)H * L + h;
            lanes8 served = zero;
            for (int m = 0; m < H; m++) {
                const lanes8 q = AT8(e + (size_t)m * L);
                AT8(v + rr_result_demand_month(r, j, m) * L + h) = q;
                served += q;
            }
            AT8(v + rr_result_demand(r, j) * L + h) = served;
        }
        for (size_t i = 0; i < r->ncommitment; i++)
            AT8(v + rr_result_unused(r, i) * L + h) = AT8(g->unused + i * L + h);
    }
}

int rr_group_check(rr_group *g, unsigned l, uint64_t path, int draws_only, rr_fault *f)
{
    const rr_result *r = g->r;
    const int H = r->horizon, ncat = r->ncat, dfault = g->dfault[l];
    const size_t K = r->ncomp;
    double *v = g->valsl + l;                /* series i at v[i * L] */
    const double *nospike = g->nospikel + l; /* category c at nospike[c * L] */
    const double served = g->served[l], eff_last = g->eff_last[l];
    /* An expression that was not finite comes first: whatever it fed is not finite either.
     * A demand that failed before it is the cause instead. */
    if (g->xfault[l] < H && g->xfault[l] <= dfault) {
        *f = (rr_fault){ 0, path, g->xfault[l], K + 4, NAN, g->xref[l] };
        return -1;
    }
    /* A sum with a term that is not finite is not finite: only then look for the term. */
    int finite = isfinite(v[rr_result_total() * L]);
    for (int c = 0; c < ncat; c++)
        finite &= isfinite(nospike[(size_t)c * L]);
    for (int m = 0; !finite && m < dfault; m++)
        for (size_t k = 0; k < K; k++) {
            double cost = g->cost[(k * (size_t)H + (size_t)m) * L + l];
            double base = g->base[(k * (size_t)H + (size_t)m) * L + l];
            if (!isfinite(cost) || !isfinite(base)) {
                *f = (rr_fault){ 0, path, m, k, isfinite(cost) ? base : cost, 0 };
                return -1;
            }
        }
    if (dfault < H) {
        *f = (rr_fault){ 0, path, dfault, K, g->dval[l], 0 };
        return -1;
    }
    double total = v[rr_result_total() * L];
    if (!(fabs(total) <= RR_GROUP_COST_MAX)) {
        *f = (rr_fault){ 0, path, H - 1, K + 1, total, 0 };
        return -1;
    }
    if (draws_only)
        return 0;
    /* Premium by category, and the total as the sum of the categories' premiums. */
    double premium = 0;
    for (int c = 0; c < ncat; c++) {
        double x = v[rr_result_cat(r, c) * L] - nospike[(size_t)c * L];
        v[rr_result_spike_cat(r, c) * L] = x;
        premium += x;
    }
    v[rr_result_spike(r) * L] = premium;
    /* Costs can be finite while their differences overflow (a premium of 1e308 - (-1e308)). */
    if (!(fabs(premium) <= RR_GROUP_COST_MAX)) {
        *f = (rr_fault){ 0, path, H - 1, K + 2, premium, 0 };
        return -1;
    }
    /* Cost per 1,000 requests: undefined on a path (or month) that served none. */
    double unit_h = served > 0 ? total / served * 1000 : 0;
    double unit_l = eff_last > 0 ? v[rr_result_month(r, H - 1) * L] / eff_last * 1000 : 0;
    if (!(fabs(unit_h) <= RR_GROUP_COST_MAX) || !(fabs(unit_l) <= RR_GROUP_COST_MAX)) {
        *f = (rr_fault){ 0, path, H - 1, K + 3,
                         fabs(unit_h) <= RR_GROUP_COST_MAX ? unit_l : unit_h, 0 };
        return -1;
    }
    v[rr_result_unit_horizon(r) * L] = unit_h;
    v[rr_result_unit_last(r) * L] = unit_l;
    /* Each stream's: the cost of the components bound to it per 1,000 of its requests. */
    for (size_t j = 0; j < r->nstreams; j++) {
        double cost = 0, served_j = v[rr_result_demand(r, j) * L];
        for (size_t i = g->stream_at[j]; i < g->stream_at[j + 1]; i++)
            cost += v[rr_result_comp(r, g->by_stream[i]) * L];
        double unit = served_j > 0 ? cost / served_j * 1000 : 0;
        if (!(fabs(unit) <= RR_GROUP_COST_MAX)) {
            *f = (rr_fault){ 0, path, H - 1, K + 3, unit, 0 };
            return -1;
        }
        v[rr_result_unit_stream(r, j) * L] = unit;
    }
    return 0;
}

void rr_group_describe_fault(const rr_plan *p, const rr_fault *f, int named, rr_diags *diags)
{
    const rr_scenario *s = p->s;
    char month[16];
    if (s->start_month) {
        int mm = s->start_month - 1 + f->month;
        snprintf(month, sizeof month, "%04d-%02d", s->start_year + mm / 12, mm % 12 + 1);
    } else {
        snprintf(month, sizeof month, "M%d", f->month + 1);
    }
    char what[48];
    if (isfinite(f->value))
        snprintf(what, sizeof what, "%.3g (more than the 1e100 runrate adds up)", f->value);
    else
        snprintf(what, sizeof what, "%s", isnan(f->value) ? "NaN" : "infinite");
    char who[96] = "";
    if (named)
        snprintf(who, sizeof who, "scenario %s: ", s->name);
    if (f->comp == s->ncomps + 4) {
        const rr_input *in = rr_plan_source(p, f->ref, f->month);
        if (in && in->text)
            rr_diags_add(diags, in->text_line, in->text_col, "%s%s: the expression \"%.*s%s\" "
                         "gave a value that is not finite (NaN or infinite) in month %s on "
                         "path %llu; check for a division by 0, the log of 0 or of a "
                         "negative, or a value that overflows", who, in->path, RR_EXPR_SHOW(in->text), month,
                         (unsigned long long)f->path);
        else
            rr_diags_add(diags, in ? in->line : 0, in ? in->col : 0, "%s%s: a value that is not "
                         "finite in month %s on path %llu", who, in ? in->path : "an expression",
                         month, (unsigned long long)f->path);
        return;
    }
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
