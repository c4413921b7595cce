/* cli_track: `runrate track`, the bills against the forecast and the rest of the horizon
 * re-forecast from them (docs/track.md).
 *
 * The steps: the scenario (it needs `start`), the bills read (actuals/bill.h) and summed
 * into the horizon's cells (actuals/observed.h), one run of the paths keeping each path's
 * values of the cells that were observed, of every month's total and of the drivers (sim.h's
 * taps), then, in path order (stats/track.h): where each actual falls, the paths' weights
 * under the measurement model, and the re-weighted remainder.  When the effective sample
 * size is below RR_TRACK_MIN_ESS, the run is made again with four times the paths, up to
 * --max-paths.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actuals/bill.h"
#include "actuals/observed.h"
#include "cli.h"
#include "report/report_track.h"
#include "run/series.h"
#include "run/sim.h"
#include "sample/dist.h"
#include "sample/plan.h"
#include "stats/track.h"

#define RR_TRACK_MIN_ESS 1000.0
#define RR_TRACK_TOLERANCE 0.2
#define RR_TRACK_MAX_PATHS 400000
#define RR_TRACK_ROUNDS 3
#define RR_TRACK_ADAPT_SHARE 0.1   /* adapt while the effective sample is below this share */

/* Where each kept value sits in a path's row; SIZE_MAX: not kept (simulated 0). */
typedef struct layout {
    size_t ncols;
    size_t *month;                   /* horizon: the month's total */
    size_t *cat;                     /* months x RR_NCAT: the month's category */
    size_t *comp;                    /* months x ncomp */
    size_t *demand;                  /* months x nstreams */
    size_t driver0;                  /* the drivers from here, in plan order */
    rr_sim_tap *tap;
} layout;

static void layout_free(layout *L)
{
    free(L->month);
    free(L->cat);
    free(L->comp);
    free(L->demand);
    free(L->tap);
    memset(L, 0, sizeof *L);
}

static void add_tap(layout *L, size_t *where, rr_sim_tap_kind kind, size_t index, int month)
{
    L->tap[L->ncols] = (rr_sim_tap){ kind, index, month };
    *where = L->ncols++;
}

/* The taps for the observed months T of o, on the series of r. */
static int layout_make(const rr_plan *p, const rr_result *r, const rr_observed *o, layout *L)
{
    const size_t H = (size_t)r->horizon, T = (size_t)o->months, K = r->ncomp,
                 S = r->nstreams;
    memset(L, 0, sizeof *L);
    L->month = calloc(H + 1, sizeof *L->month);
    L->cat = calloc((T + 1) * RR_NCAT, sizeof *L->cat);
    L->comp = calloc((T + 1) * (K + 1), sizeof *L->comp);
    L->demand = calloc((T + 1) * (S + 1), sizeof *L->demand);
    L->tap = calloc(H + T * (RR_NCAT + K + S) + p->ndrivers + 1, sizeof *L->tap);
    if (!L->month || !L->cat || !L->comp || !L->demand || !L->tap)
        return -1;
    for (size_t m = 0; m < H; m++)
        add_tap(L, &L->month[m], RR_TAP_SERIES, rr_result_month(r, (int)m), 0);
    for (size_t m = 0; m < T; m++) {
        for (int c = 0; c < RR_NCAT; c++) {
            L->cat[m * RR_NCAT + (size_t)c] = SIZE_MAX;
            if (r->cat_slot[c] >= 0)
                add_tap(L, &L->cat[m * RR_NCAT + (size_t)c], RR_TAP_SERIES,
                        rr_result_month_cat(r, (int)m, r->cat_slot[c]), 0);
        }
        for (size_t k = 0; k < K; k++)
            add_tap(L, &L->comp[m * K + k], RR_TAP_COMP_MONTH, k, (int)m);
        for (size_t j = 0; j < S; j++) {
            L->demand[m * S + j] = SIZE_MAX;
            if (o->demand_seen[m * S + j])
                add_tap(L, &L->demand[m * S + j], RR_TAP_SERIES,
                        rr_result_demand_month(r, j, (int)m), 0);
        }
    }
    L->driver0 = L->ncols;
    for (size_t i = 0; i < p->ndrivers; i++) {
        size_t at;
        add_tap(L, &at, RR_TAP_DRIVER, i, 0);
    }
    return 0;
}

/* The likelihood's cells: for each observed month and category, the category itself when
 * some line went to it directly, else the components its lines went to; the streams'
 * requests.  Cells whose actual is <= 0, or whose target the scenario has no cost for, are
 * left out and counted. */
static size_t likelihood_cells(const rr_observed *o, const layout *L, const rr_result *r,
                               rr_track_cell *cells, size_t *left_out)
{
    size_t n = 0;
    *left_out = 0;
    const size_t K = r->ncomp, S = r->nstreams;
    for (size_t m = 0; m < (size_t)o->months; m++) {
        for (int c = 0; c < RR_NCAT; c++) {
            const size_t mc = m * RR_NCAT + (size_t)c;
            if (!o->cat_seen[mc])
                continue;
            if (o->cat_direct[mc]) {
                if (o->cat[mc] > 0 && L->cat[mc] != SIZE_MAX)
                    cells[n++] = (rr_track_cell){ L->cat[mc], o->cat[mc] };
                else
                    ++*left_out;
                continue;
            }
            for (size_t k = 0; k < K; k++) {
                if (!o->comp_seen[m * K + k] || (int)r->about.comp_cat[k]->id != c)
                    continue;
                if (o->comp[m * K + k] > 0)
                    cells[n++] = (rr_track_cell){ L->comp[m * K + k], o->comp[m * K + k] };
                else
                    ++*left_out;
            }
        }
        for (size_t j = 0; j < S; j++) {
            if (!o->demand_seen[m * S + j])
                continue;
            if (o->demand[m * S + j] > 0)
                cells[n++] = (rr_track_cell){ L->demand[m * S + j], o->demand[m * S + j] };
            else
                ++*left_out;
        }
    }
    return n;
}

/* Everything the report says, from the kept values v of n paths. */
typedef struct work {
    const rr_scenario *s;
    const rr_plan *p;
    const rr_result *r;
    const rr_observed *o;
    const layout *L;
    const double *v;
    uint64_t n;
    double *x, *y, *w;               /* n each: scratch, scratch, weights */
    double *logw0;                   /* n: prior over proposal (moved drivers), or NULL */
} work;

static double at(const work *W, uint64_t i, size_t col)
{
    return col == SIZE_MAX ? 0.0 : W->v[i * W->L->ncols + col];
}

/* What the bills observe of category c in month m on path i: the whole category when some
 * line went to it directly, else the components its lines went to (a bill that covers two
 * of a category's four components is compared with those two); 0 when unobserved. */
static double observed_part(const work *W, size_t m, int c, uint64_t i)
{
    const rr_observed *o = W->o;
    const size_t mc = m * RR_NCAT + (size_t)c;
    if (!o->cat_seen[mc])
        return 0;
    if (o->cat_direct[mc])
        return at(W, i, W->L->cat[mc]);
    double x = 0;
    for (size_t k = 0; k < W->r->ncomp; k++)
        if (o->comp_seen[m * W->r->ncomp + k] && (int)W->r->about.comp_cat[k]->id == c)
            x += at(W, i, W->L->comp[m * W->r->ncomp + k]);
    return x;
}

/* The month m's observed part on each path into x. */
static void observed_total(const work *W, size_t m, double *x)
{
    for (uint64_t i = 0; i < W->n; i++) {
        double t = 0;
        for (int c = 0; c < RR_NCAT; c++)
            t += observed_part(W, m, c, i);
        x[i] = t;
    }
}

static int fill_month(const work *W, size_t m, rr_track_summary *t, double *cum)
{
    const rr_observed *o = W->o;
    const rr_scenario *s = W->s;
    rr_track_month *tm = &t->months[m];
    int y = s->start_year + (s->start_month - 1 + (int)m) / 12;
    int mo = (s->start_month - 1 + (int)m) % 12 + 1;
    snprintf(tm->month, sizeof tm->month, "%04d-%02d", y % 10000, mo);
    tm->comp = calloc(W->r->ncomp + 1, sizeof *tm->comp);
    tm->demand = calloc(W->r->nstreams + 1, sizeof *tm->demand);
    if (!tm->comp || !tm->demand)
        return -1;
    double actual = 0;
    for (size_t c = 0; c < t->ncat; c++) {
        int id = rr_category_find(t->cat_name[c]);
        const size_t mc = m * RR_NCAT + (size_t)id;
        if (!o->cat_seen[mc])
            continue;
        actual += o->cat[mc];
        for (uint64_t i = 0; i < W->n; i++)
            W->x[i] = observed_part(W, m, id, i);
        if (rr_track_compare(W->x, W->n, o->cat[mc], &tm->cat[c]) != 0)
            return -1;
        t->cells++;
        t->inside += !tm->cat[c].outside;
    }
    for (size_t k = 0; k < W->r->ncomp; k++) {
        const size_t mk = m * W->r->ncomp + k;
        if (!o->comp_seen[mk])
            continue;
        rr_track_column(W->v, W->n, W->L->ncols, W->L->comp[mk], W->x);
        if (rr_track_compare(W->x, W->n, o->comp[mk], &tm->comp[k]) != 0)
            return -1;
    }
    for (size_t j = 0; j < W->r->nstreams; j++) {
        const size_t mj = m * W->r->nstreams + j;
        if (!o->demand_seen[mj])
            continue;
        rr_track_column(W->v, W->n, W->L->ncols, W->L->demand[mj], W->x);
        if (rr_track_compare(W->x, W->n, o->demand[mj], &tm->demand[j]) != 0)
            return -1;
    }
    int any = 0;
    for (int c = 0; c < RR_NCAT; c++)
        any |= o->cat_seen[m * RR_NCAT + (size_t)c];
    if (!any)
        return 0;
    observed_total(W, m, W->x);
    if (rr_track_compare(W->x, W->n, actual, &tm->total) != 0)
        return -1;
    tm->accuracy = actual != 0 ? fabs(actual - tm->total.forecast.p50) / fabs(actual) : NAN;
    for (uint64_t i = 0; i < W->n; i++)
        cum[i] += W->x[i];
    double cum_actual = actual + (m ? t->months[m - 1].cumulative.actual : 0);
    return rr_track_compare(cum, W->n, cum_actual, &tm->cumulative);
}

/* The inputs the bills pinned down most: each driver's spread before and after. */
static int fill_inputs(const work *W, rr_track_summary *t)
{
    const rr_plan *p = W->p;
    t->inputs = calloc(p->ndrivers + 1, sizeof *t->inputs);
    if (!t->inputs)
        return -1;
    for (size_t i = 0; i < p->ndrivers; i++) {
        rr_track_input *in = &t->inputs[t->ninputs];
        rr_track_column(W->v, W->n, W->L->ncols, W->L->driver0 + i, W->x);
        if (rr_track_band_of(W->x, NULL, W->n, &in->before) != 0 ||
            rr_track_band_of(W->x, W->w, W->n, &in->after) != 0)
            return -1;
        if (!(in->before.sd > 0))
            continue;   /* a constant: nothing to learn */
        in->input = p->drivers[i].input->path;
        in->narrowing = in->after.sd / in->before.sd;
        t->ninputs++;
    }
    /* Most narrowed first; ties in file order (insertion sort: stable). */
    for (size_t i = 1; i < t->ninputs; i++)
        for (size_t j = i; j > 0 && t->inputs[j].narrowing < t->inputs[j - 1].narrowing; j--) {
            rr_track_input tmp = t->inputs[j];
            t->inputs[j] = t->inputs[j - 1];
            t->inputs[j - 1] = tmp;
        }
    return 0;
}

static int fill_reforecast(const work *W, rr_track_summary *t, double *rest_sum,
                           double *unobs)
{
    const rr_observed *o = W->o;
    const size_t T = (size_t)o->months, H = (size_t)W->r->horizon;
    t->nrest = H - T;
    t->rest_month = calloc(t->nrest + 1, sizeof *t->rest_month);
    t->rest = calloc(t->nrest + 1, sizeof *t->rest);
    t->rest_prior = calloc(t->nrest + 1, sizeof *t->rest_prior);
    t->rest_cum = calloc(t->nrest + 1, sizeof *t->rest_cum);
    if (!t->rest_month || !t->rest || !t->rest_prior || !t->rest_cum)
        return -1;
    const rr_scenario *s = W->s;
    for (uint64_t i = 0; i < W->n; i++)
        rest_sum[i] = 0, unobs[i] = 0;
    /* What the observed months' bills do not cover (categories without a line, components
     * of a category whose lines went to others): simulated, re-weighted. */
    t->actual_to_date = 0;
    for (size_t m = 0; m < T; m++)
        for (int c = 0; c < RR_NCAT; c++) {
            const size_t mc = m * RR_NCAT + (size_t)c;
            t->actual_to_date += o->cat_seen[mc] ? o->cat[mc] : 0;
            for (uint64_t i = 0; i < W->n; i++)
                unobs[i] += at(W, i, W->L->cat[mc]) - observed_part(W, m, c, i);
        }
    for (size_t m = T; m < H; m++) {
        int y = s->start_year + (s->start_month - 1 + (int)m) / 12;
        int mo = (s->start_month - 1 + (int)m) % 12 + 1;
        snprintf(t->rest_month[m - T], sizeof t->rest_month[m - T], "%04d-%02d", y % 10000, mo);
        rr_track_column(W->v, W->n, W->L->ncols, W->L->month[m], W->x);
        if (rr_track_band_of(W->x, W->w, W->n, &t->rest[m - T]) != 0 ||
            rr_track_band_of(W->x, NULL, W->n, &t->rest_prior[m - T]) != 0)
            return -1;
        for (uint64_t i = 0; i < W->n; i++) {
            rest_sum[i] += W->x[i];
            W->y[i] = t->actual_to_date + unobs[i] + rest_sum[i];
        }
        if (rr_track_band_of(W->y, W->w, W->n, &t->rest_cum[m - T]) != 0)
            return -1;
    }
    if (rr_track_band_of(unobs, W->w, W->n, &t->unobserved_to_date) != 0)
        return -1;
    /* The horizon total: actual to date, the unobserved part of it, the remainder. */
    for (uint64_t i = 0; i < W->n; i++)
        W->x[i] = t->actual_to_date + unobs[i] + rest_sum[i];
    if (rr_track_band_of(W->x, W->w, W->n, &t->horizon_total) != 0)
        return -1;
    for (uint64_t i = 0; i < W->n; i++) {
        double tot = 0;
        for (size_t m = 0; m < H; m++)
            tot += at(W, i, W->L->month[m]);
        W->y[i] = tot;
    }
    if (rr_track_band_of(W->y, NULL, W->n, &t->horizon_prior) != 0)
        return -1;
    if (s->has_budget) {
        t->has_budget = 1;
        t->budget_total = s->budget_total;
        t->confidence = s->confidence;
        t->p_exceed = rr_track_exceed(W->x, W->w, W->n, s->budget_total);
        t->p_exceed_prior = rr_track_exceed(W->y, NULL, W->n, s->budget_total);
        for (uint64_t i = 0; i < W->n; i++)
            W->x[i] = unobs[i] + rest_sum[i];
        double q, mean, sd;
        if (rr_track_stats(W->x, W->w, W->n, &s->confidence, 1, &q, &mean, &sd) != 0)
            return -1;
        t->remainder_needed = q;
        t->budget_left = s->budget_total - t->actual_to_date;
    }
    return 0;
}

/* The whole summary from one run's kept values. */
static int summarize(work *W, const rr_track_cell *cells, size_t ncells, double tolerance,
                     rr_track_summary *t)
{
    const size_t T = (size_t)W->o->months;
    t->nmonths = T;
    t->months = calloc(T + 1, sizeof *t->months);
    double *cum = calloc(W->n + 1, sizeof *cum), *rest = malloc((W->n + 1) * sizeof *rest),
           *unobs = malloc((W->n + 1) * sizeof *unobs);
    int rc = t->months && cum && rest && unobs ? 0 : -1;
    /* An adapted round's forecast is not reported (the first round's is): skip its months. */
    for (size_t m = 0; rc == 0 && !W->logw0 && m < T; m++)
        rc = fill_month(W, m, t, cum);
    if (rc == 0) {
        rr_track_weights(W->v, W->n, W->L->ncols, cells, ncells, tolerance, W->logw0, W->w,
                         &t->ess);
        rc = fill_inputs(W, t);
    }
    if (rc == 0)
        rc = fill_reforecast(W, t, rest, unobs);
    free(cum);
    free(rest);
    free(unobs);
    return rc;
}

/* The calendar month YYYY-MM as the horizon's month index. */
static int through_index(const rr_scenario *s, const char *through)
{
    int y = 0, m = 0;
    if (!through || rr_bill_parse_month(through, &y, &m) != 0)
        return -1;
    return rr_observed_month_index(s, y, m);
}

/* The bills' warnings: what was left out, what maps nowhere. */
static void bill_warnings(const run_opts *o, const rr_observed *ob, rr_warnings *w)
{
    const char *f = o->actuals[0];
    double all = ob->mapped + ob->unmapped;
    if (ob->nunmapped_lines) {
        char top[200] = "";
        for (size_t i = 0; i < ob->nservices && i < 3; i++) {
            size_t len = strlen(top);
            snprintf(top + len, sizeof top - len, "%s%s", i ? ", " : "", ob->services[i].name);
        }
        rr_warnings_add(w, RR_W_ACTUALS_UNMAPPED, f, 0, 0,
                        "map them in the scenario's actuals.map (match on ServiceName, or a "
                        "tag), or leave them out of the bill if they are not this system's",
                        "%zu bill line%s (%.1f%% of the bill's cost) map to no category or "
                        "component: largest %s",
                        ob->nunmapped_lines, ob->nunmapped_lines == 1 ? "" : "s",
                        all != 0 ? 100 * ob->unmapped / all : 0.0, top);
    }
    if (ob->ntax)
        rr_warnings_add(w, RR_W_ACTUALS_LEFT_OUT, f, 0, 0,
                        "the forecast has no tax: compare before tax",
                        "%zu Tax line%s left out (%g)", ob->ntax, ob->ntax == 1 ? "" : "s",
                        ob->tax);
    if (ob->before || ob->after)
        rr_warnings_add(w, RR_W_ACTUALS_LEFT_OUT, f, 0, 0,
                        "check the scenario's start and horizon_months, or --through",
                        "%zu bill line%s of months before the scenario's start and %zu after "
                        "the horizon or --through left out", ob->before,
                        ob->before == 1 ? "" : "s", ob->after);
}

static void track_warnings(const run_opts *o, const rr_track_summary *t, uint64_t max_paths,
                           rr_warnings *w)
{
    const char *f = o->actuals[0];
    for (size_t m = 0; m < t->nmonths; m++) {
        const rr_track_cmp *c = &t->months[m].total;
        if (c->observed && c->outside)
            rr_warnings_add(w, RR_W_ACTUALS_OUTSIDE, f, 0, 0,
                            "find which category moved (the report's months), then correct "
                            "the scenario's assumption behind it",
                            "%s: the actual %.0f is %s the forecast's P5-P95 band [%.0f, %.0f] "
                            "(percentile %.3f)", t->months[m].month, c->actual,
                            c->actual > c->forecast.p95 ? "above" : "below", c->forecast.p5,
                            c->forecast.p95, c->percentile);
    }
    if (t->ess < RR_TRACK_MIN_ESS)
        rr_warnings_add(w, RR_W_TRACK_ESS, NULL, 0, 0,
                        "raise --max-paths, or --tolerance if the bills are known only "
                        "roughly; or revise the scenario, which the bills contradict",
                        "the re-forecast rests on %.0f effective paths of %llu (--max-paths "
                        "%llu): its percentiles are rough", t->ess,
                        (unsigned long long)t->paths, (unsigned long long)max_paths);
    if (t->cells_left_out)
        rr_warnings_add(w, RR_W_TRACK_CELLS, f, 0, 0,
                        "a month of net credits, or a line mapped to a category the scenario "
                        "has no component in: map it elsewhere or add the component",
                        "%zu observed cell%s left out of the re-forecast's weights (an actual "
                        "<= 0, or nothing simulated there)", t->cells_left_out,
                        t->cells_left_out == 1 ? "" : "s");
}

/* Whether driver i can be moved by the adaptive sampler: continuous, its clamp seldom
 * binding, not tied by the copula (whose joint density the correction would need). */
static int movable(const rr_scenario *s, const rr_plan *p, size_t i)
{
    const rr_input *in = p->drivers[i].input;
    for (size_t k = 0; k < s->corr.m; k++)
        if (s->corr.in[k] == in)
            return 0;
    return rr_dist_shiftable(&in->dist);
}

/* Each path's log of prior over proposal for the moved drivers: the moved score z' has the
 * proposal N(m, s^2) and the prior N(0, 1), so the ratio is s phi(z') / phi((z' - m) / s). */
static void importance_base(const work *W, const rr_sampler_move *mv, size_t nmv, double *lw)
{
    for (uint64_t i = 0; i < W->n; i++) {
        double a = 0;
        for (size_t k = 0; k < nmv; k++) {
            const rr_dist *d = &W->p->drivers[mv[k].ref].input->dist;
            double zp = rr_dist_normal_score(d, at(W, i, W->L->driver0 + mv[k].ref));
            double z = (zp - mv[k].m) / mv[k].s;
            a += 0.5 * (z * z - zp * zp) + log(mv[k].s);
        }
        lw[i] = a;
    }
}

/* The next proposal: each movable driver's score, its weighted mean and a widened sd. */
static size_t fit_moves(const work *W, rr_sampler_move *fit)
{
    size_t n = 0;
    for (size_t i = 0; i < W->p->ndrivers && n < RR_MAX_DRIVER_MOVES; i++) {
        if (!movable(W->s, W->p, i))
            continue;
        const rr_dist *d = &W->p->drivers[i].input->dist;
        double sw = 0, s1 = 0, s2 = 0;
        for (uint64_t k = 0; k < W->n; k++) {
            double z = rr_dist_normal_score(d, at(W, k, W->L->driver0 + i));
            sw += W->w[k];
            s1 += W->w[k] * z;
            s2 += W->w[k] * z * z;
        }
        if (!(sw > 0))
            continue;
        double m = s1 / sw, var = s2 / sw - m * m;
        /* Wider than the weighted spread, so that the proposal's tails cover the target's. */
        double sd = 1.25 * sqrt(var > 0 ? var : 0);
        fit[n++] = (rr_sampler_move){ i, m, sd < 0.05 ? 0.05 : sd > 1.5 ? 1.5 : sd };
    }
    return n;
}

/* One run of n paths, its drivers moved by mv (NULL: drawn from the prior): the summary
 * into t, and the proposal the next round would use into fit. */
static rr_status run_once(const run_opts *opt, const rr_scenario *s, const rr_plan *p,
                          const rr_observed *ob, uint64_t n, double tolerance,
                          const rr_sampler_move *mv, size_t nmv, rr_sampler_move *fit,
                          size_t *nfit, rr_track_summary *t, rr_diags *diags)
{
    rr_result *shape = rr_series_result(p);
    if (!shape)
        return RR_ERR_NOMEM;
    layout L;
    rr_status st = layout_make(p, shape, ob, &L) == 0 ? RR_OK : RR_ERR_NOMEM;
    double *v = NULL;
    rr_track_cell *cells = NULL;
    work W = { 0 };
    if (st == RR_OK) {
        /* Zeroed, though the run writes every row read: the analyzer cannot see that. */
        v = calloc(rr_sim_tap_rows(n) * L.ncols + 1, sizeof *v);
        cells = malloc((L.ncols + 1) * sizeof *cells);
        W = (work){ s, p, shape, ob, &L, v, n, malloc((n + 1) * sizeof(double)),
                    malloc((n + 1) * sizeof(double)), malloc((n + 1) * sizeof(double)),
                    nmv ? malloc((n + 1) * sizeof(double)) : NULL };
        if (!v || !cells || !W.x || !W.y || !W.w || (nmv && !W.logw0))
            st = RR_ERR_NOMEM;
    }
    rr_result *r = NULL;
    if (st == RR_OK) {
        rr_sim_taps taps = { L.ncols, L.tap, v };
        rr_sim_config cfg = cli_sim_config(opt, s, NULL);
        cfg.paths = n;
        cfg.taps = &taps;
        cfg.moves = mv;
        cfg.nmoves = nmv;
        st = rr_sim_run(p, &cfg, &r, diags);
        t->seed = cfg.seed;
    }
    if (st == RR_OK) {
        W.r = r;
        if (nmv)
            importance_base(&W, mv, nmv, W.logw0);
        size_t left;
        size_t nc = likelihood_cells(ob, &L, r, cells, &left);
        t->likelihood_cells = nc;
        t->cells_left_out = left;
        t->paths = n;
        t->tolerance = tolerance;
        t->moved = nmv;
        if (summarize(&W, cells, nc, tolerance, t) != 0)
            st = RR_ERR_NOMEM;
        else
            *nfit = fit_moves(&W, fit);
    }
    free(W.x);
    free(W.y);
    free(W.w);
    free(W.logw0);
    free(v);
    free(cells);
    layout_free(&L);
    rr_result_free(r);
    rr_result_free(shape);
    return st;
}

/* The re-forecast of an adapted round into the first round's summary, whose forecast (the
 * prior's bands, ranks and first-forecast figures) it keeps. */
static void adopt_reforecast(rr_track_summary *t, rr_track_summary *a)
{
#define SWAP(f)                                                                            \
    do {                                                                                   \
        void *tmp_ = (void *)t->f;                                                         \
        t->f = a->f;                                                                       \
        a->f = tmp_;                                                                       \
    } while (0)
    SWAP(rest);
    SWAP(rest_cum);
#undef SWAP
    t->ess = a->ess;
    t->moved = a->moved;
    t->rounds = a->rounds;
    t->unobserved_to_date = a->unobserved_to_date;
    t->horizon_total = a->horizon_total;
    t->p_exceed = a->p_exceed;
    t->remainder_needed = a->remainder_needed;
    for (size_t i = 0; i < t->ninputs; i++)
        for (size_t j = 0; j < a->ninputs; j++)
            if (strcmp(t->inputs[i].input, a->inputs[j].input) == 0) {
                t->inputs[i].after = a->inputs[j].after;
                t->inputs[i].narrowing = t->inputs[i].after.sd / t->inputs[i].before.sd;
            }
    for (size_t i = 1; i < t->ninputs; i++)
        for (size_t j = i; j > 0 && t->inputs[j].narrowing < t->inputs[j - 1].narrowing; j--) {
            rr_track_input tmp = t->inputs[j];
            t->inputs[j] = t->inputs[j - 1];
            t->inputs[j - 1] = tmp;
        }
}

/* The names the summary borrows. */
static void name_summary(const run_opts *o, const rr_scenario *s, const rr_result *shape,
                         const char **comp_names, const char **stream_names,
                         const rr_observed *ob, rr_track_summary *t)
{
    t->scenario = s->name;
    t->currency = s->currency;
    t->catalog = shape->about.catalog;
    t->ncatalog = shape->about.ncatalog;
    t->actuals = o->actuals;
    t->nactuals = o->nactuals;
    t->demand_file = o->demand;
    t->horizon = s->horizon;
    /* The categories the scenario has or the bills name, in the table's order. */
    for (int c = 0; c < RR_NCAT; c++) {
        int seen = shape->cat_slot[c] >= 0;
        for (int m = 0; m < ob->months; m++)
            seen |= ob->cat_seen[(size_t)m * RR_NCAT + (size_t)c];
        if (seen && t->ncat < RR_TRACK_MAX_CAT)
            t->cat_name[t->ncat++] = rr_category_get((rr_category)c)->name;
    }
    for (size_t k = 0; k < s->ncomps; k++)
        comp_names[k] = s->comps[k].name;
    for (size_t j = 0; j < s->nstreams; j++)
        stream_names[j] = s->streams[j].name;
    t->ncomp = s->ncomps;
    t->comp_name = comp_names;
    t->nstreams = s->nstreams;
    t->stream_name = stream_names;
    t->mapped = ob->mapped;
    t->unmapped = ob->unmapped;
    t->tax = ob->tax;
    t->unmapped_lines = ob->nunmapped_lines;
    t->tax_lines = ob->ntax;
    t->lines_before = ob->before;
    t->lines_after = ob->after;
    for (size_t i = 0; i < ob->nservices && i < 10; i++)
        t->services[t->nservices++] = (rr_track_service){ ob->services[i].name,
                                                          ob->services[i].total };
}

static rr_status format_track(const char *format, const rr_track_summary *t,
                              const rr_warnings *w, rr_buf *b)
{
    if (strcmp(format, "json") == 0)
        return rr_report_track_json(t, w, b);
    if (strcmp(format, "csv") == 0)
        return rr_report_track_csv(t, b);
    if (strcmp(format, "md") == 0)
        return rr_report_track_md(t, w, b);
    if (strcmp(format, "html") == 0)
        return rr_report_track_html(t, w, b);
    return rr_report_track_table(t, b);
}

/* Read every bill into b, each file's messages into its own diags. */
static rr_status read_bills(const run_opts *o, rr_bill *b, rr_diags *bd, size_t *bad)
{
    for (size_t i = 0; i < o->nactuals; i++) {
        rr_status st = rr_bill_read(o->actuals[i], o->cost_column, b, &bd[i]);
        if (st != RR_OK) {
            *bad = i;
            return st;
        }
    }
    return RR_OK;
}

int cli_track(int argc, char **argv)
{
    run_opts o;
    int rc = cli_parse_opts("track", argc, argv, &o);
    if (rc == -2)
        return 0;
    if (rc != 0)
        return rc;
    const char *file = o.files[0];
    const double tolerance = isnan(o.tolerance) ? RR_TRACK_TOLERANCE : o.tolerance;
    const uint64_t max_paths = o.has_max_paths ? o.max_paths : RR_TRACK_MAX_PATHS;
    rr_diags diags, bdiags[MAX_FILES], odiags, ddiags;
    rr_diags_init(&diags, file);
    rr_diags_init(&ddiags, o.demand);
    rr_diags_init(&odiags, o.actuals[0]);
    for (size_t i = 0; i < o.nactuals; i++) {
        rr_diags_init(&bdiags[i], o.actuals[i]);
        if (i)
            rr_diags_add_layer(&odiags, o.actuals[i]);
    }
    rr_scenario *s = NULL;
    rr_plan *p = NULL;
    rr_bill bill;
    rr_bill_init(&bill);
    rr_observed ob;
    memset(&ob, 0, sizeof ob);
    rr_track_summary t;
    memset(&t, 0, sizeof t);
    rr_warnings w;
    rr_warnings_init(&w);
    rr_buf b = { 0 };
    int strict_failed = 0;
    const char *failed_file = file;
    rr_diags *failed = &diags;
    const char *comp_names[RR_MAX_COMPONENTS + 1];
    const char *stream_names[RR_MAX_STREAMS + 1];

    rr_status st = cli_load(file, &o, NULL, 0, &s, &diags);
    if (st == RR_OK && !s->start_year) {
        rr_diags_add(&diags, 0, 0, "track needs the scenario's `start` (YYYY-MM): the bills' "
                     "months are placed on the horizon from it");
        st = RR_ERR_SCENARIO;
    }
    if (st == RR_OK)
        st = cli_warn_or_fail("track", o.no_warnings, o.strict, &s->warnings, 0, &strict_failed);
    const int through = st == RR_OK && o.through ? through_index(s, o.through) : -1;
    if (st == RR_OK && o.through && (through < 0 || through >= s->horizon)) {
        fprintf(stderr, "runrate track: --through %s is outside the scenario's horizon\n",
                o.through);
        st = RR_ERR_USAGE;
        failed = NULL;
    }
    size_t bad = 0;
    if (st == RR_OK && (st = read_bills(&o, &bill, bdiags, &bad)) != RR_OK) {
        failed = &bdiags[bad];
        failed_file = o.actuals[bad];
    }
    if (st == RR_OK && rr_observed_build(s, &bill, through, &ob, &odiags) != 0) {
        st = RR_ERR_SCENARIO;
        failed = &odiags;
        failed_file = o.actuals[0];
    }
    if (st == RR_OK && o.demand && rr_observed_demand(s, o.demand, through, &ob, &ddiags) != 0) {
        st = RR_ERR_SCENARIO;
        failed = &ddiags;
        failed_file = o.demand;
    }
    if (st == RR_OK && ob.months == 0) {
        rr_diags_add(&odiags, 0, 0, "no bill line falls in the scenario's months from its "
                     "start (%04d-%02d) to the horizon's end or --through: nothing to track",
                     s->start_year, s->start_month);
        st = RR_ERR_SCENARIO;
        failed = &odiags;
        failed_file = o.actuals[0];
    }
    if (st == RR_OK) {
        bill_warnings(&o, &ob, &w);
        st = rr_plan_new(s, &p);
    }
    rr_result *shape = NULL;
    if (st == RR_OK && !(shape = rr_series_result(p)))
        st = RR_ERR_NOMEM;
    uint64_t n = o.has_paths ? o.paths : s->paths;
    rr_sampler_move fit[RR_MAX_DRIVER_MOVES], next[RR_MAX_DRIVER_MOVES];
    while (st == RR_OK) {
        size_t nfit = 0;
        rr_track_summary_free(&t);
        name_summary(&o, s, shape, comp_names, stream_names, &ob, &t);
        st = run_once(&o, s, p, &ob, n, tolerance, NULL, 0, fit, &nfit, &t, &diags);
        /* Adaptive importance sampling: when the bills leave few effective paths, draw the
         * movable drivers from a normal proposal fitted to the weighted paths (in their
         * normal scores) and correct the weights by prior over proposal; up to
         * RR_TRACK_ROUNDS rounds, the best effective sample kept. */
        for (int round = 1; st == RR_OK && round <= RR_TRACK_ROUNDS && nfit &&
                            t.ess < RR_TRACK_ADAPT_SHARE * (double)n;
             round++) {
            rr_track_summary a;
            memset(&a, 0, sizeof a);
            name_summary(&o, s, shape, comp_names, stream_names, &ob, &a);
            size_t nnext = 0;
            memcpy(next, fit, nfit * sizeof *fit);
            st = run_once(&o, s, p, &ob, n, tolerance, next, nfit, fit, &nnext, &a, &diags);
            a.rounds = round;
            if (st == RR_OK && a.ess > t.ess)
                adopt_reforecast(&t, &a);
            nfit = nnext;
            rr_track_summary_free(&a);
        }
        if (st != RR_OK || t.ess >= RR_TRACK_MIN_ESS || n >= max_paths)
            break;
        n = n * 4 < max_paths ? n * 4 : max_paths;
    }
    if (st == RR_OK) {
        track_warnings(&o, &t, max_paths, &w);
        st = cli_warn_or_fail("track", o.no_warnings, o.strict, &w, 0, &strict_failed);
    }
    if (st == RR_OK)
        st = format_track(o.format, &t, &w, &b);
    if (st == RR_OK)
        st = cli_emit("track", &o, &b);
    else if (failed) {
        set_args sa = { o.sets, o.nsets, { NULL, NULL }, 0 };
        cli_report_failure("track", st, failed, failed_file, strict_failed, &sa);
    }
    rr_buf_free(&b);
    rr_warnings_free(&w);
    rr_track_summary_free(&t);
    rr_result_free(shape);   /* after the report: the summary borrows its catalog entries */
    rr_observed_free(&ob);
    rr_bill_free(&bill);
    rr_plan_free(p);
    rr_scenario_free(s);
    rr_diags_free(&diags);
    rr_diags_free(&ddiags);
    rr_diags_free(&odiags);
    for (size_t i = 0; i < o.nactuals; i++)
        rr_diags_free(&bdiags[i]);
    return cli_exit_code(st);
}
