/* support: shared helpers of the test programs. */
#include "support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sample/draw.h"
#include "sample/plan.h"
#include "scenario/override.h"

rr_scenario *test_load(const char *yaml, const char *set)
{
    rr_diags d;
    rr_diags_init(&d, "test.yaml");
    rr_node *root = NULL;
    rr_scenario *s = NULL;
    assert_int_equal(rr_node_load_string(yaml, strlen(yaml), &root, &d), RR_OK);
    if (set)
        assert_int_equal(rr_override_apply(root, set, 0, &d), RR_OK);
    rr_status st = rr_scenario_from_node(root, &s, &d);
    for (size_t i = 0; i < d.n; i++)
        print_error("test.yaml:%d:%d: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
    assert_int_equal(st, RR_OK);
    rr_node_free(root);
    rr_diags_free(&d);
    return s;
}

rr_result *test_run(const rr_scenario *s, uint64_t paths, uint64_t seed, int threads)
{
    rr_diags d;
    rr_diags_init(&d, "test.yaml");
    rr_plan *p = NULL;
    assert_int_equal(rr_plan_new(s, &p), RR_OK);
    rr_sim_config cfg = { .paths = paths, .seed = seed, .threads = threads };
    rr_result *r = NULL;
    rr_status st = rr_sim_run(p, &cfg, &r, &d);
    for (size_t i = 0; i < d.n; i++)
        print_error("test.yaml:%d:%d: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
    assert_int_equal(st, RR_OK);
    rr_plan_free(p);
    rr_diags_free(&d);
    return r;
}

void test_run_many(const rr_scenario *const *s, size_t k, uint64_t paths, uint64_t seed,
                   int threads, rr_result **r, rr_result_diff **d)
{
    rr_diags dg;
    rr_diags_init(&dg, "test.yaml");
    rr_plan *p[8] = { NULL };
    assert_true(k <= 8);
    for (size_t i = 0; i < k; i++)
        assert_int_equal(rr_plan_new(s[i], &p[i]), RR_OK);
    rr_sim_config cfg = { .paths = paths, .seed = seed, .threads = threads };
    assert_int_equal(rr_sim_run_many((const rr_plan *const *)p, k, &cfg, r, d, &dg), RR_OK);
    for (size_t i = 0; i < k; i++)
        rr_plan_free(p[i]);
    rr_diags_free(&dg);
}

rr_summary *test_summarise(const rr_scenario *s, uint64_t paths, uint64_t seed, int threads,
                           rr_result **keep)
{
    rr_result *r = test_run(s, paths, seed, threads);
    rr_summary *sum = NULL;
    assert_int_equal(rr_summary_build(r, NULL, 0, &sum), RR_OK);
    if (keep)
        *keep = r;
    else
        rr_result_free(r);
    return sum;
}

void test_error_at(const char *yaml, int line, int col, const char *want)
{
    rr_diags d;
    rr_diags_init(&d, "test.yaml");
    rr_node *root = NULL;
    rr_scenario *s = NULL;
    rr_status st = rr_node_load_string(yaml, strlen(yaml), &root, &d);
    if (st == RR_OK)
        st = rr_scenario_from_node(root, &s, &d);
    rr_node_free(root);
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= d.v[i].line == line && d.v[i].col == col && strstr(d.v[i].msg, want) != NULL;
    if (st != RR_ERR_SCENARIO || s || !found) {
        for (size_t i = 0; i < d.n; i++)
            print_error("    %d:%d: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
        fail_msg("expected an error at %d:%d with '%s' (status %d)", line, col, want, st);
    }
    rr_scenario_free(s);
    rr_diags_free(&d);
}

/* ---- one path alone ---- */

void test_path_start(test_path *t, const rr_scenario *s, uint64_t seed, uint64_t path)
{
    memset(t, 0, sizeof *t);
    t->s = s;
    t->seed = seed;
    t->path = path;
    t->rng = gsl_rng_alloc(rr_rng_philox);
    assert_non_null(t->rng);
    if (s->corr.m)
        rr_draw_correlated(&s->corr, t->rng, seed, path, t->corr);
}

void test_path_end(test_path *t)
{
    gsl_rng_free(t->rng);
    t->rng = NULL;
}

static double value_of(test_path *t, const rr_input *in, int m);

/* A NaN-propagating comparison, as the format defines them. */
static double cmp(double a, double b, int r)
{
    return isnan(a) || isnan(b) ? NAN : r;
}

/* The days of month m: the calendar's with `start`, else 730 / 24. */
static double days_of(const rr_scenario *s, int m)
{
    if (!s->start_month)
        return 730.0 / 24.0;
    int mm = s->start_month - 1 + m, y = s->start_year + mm / 12, c = mm % 12 + 1;
    if (c == 2)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
    return c == 4 || c == 6 || c == 9 || c == 11 ? 30 : 31;
}

/* An expression's value for the path in month m, node by node: `if` evaluates the branch
 * it takes only. */
static double eval(test_path *t, const rr_expr *e, int m)
{
    const rr_scenario *s = t->s;
    double a = 0, b = 0;
    switch (e->op) {
    case RR_X_NUM: return e->num;
    case RR_X_NAME:
        if (e->var >= 0)
            return value_of(t, &s->vars[e->var].value, m);
        if (strcmp(e->name, "month") == 0)
            return m + 1;
        if (strcmp(e->name, "calendar_month") == 0)
            return (s->start_month - 1 + m) % 12 + 1;
        if (strcmp(e->name, "year") == 0)
            return s->start_year + (s->start_month - 1 + m) / 12;
        if (strcmp(e->name, "days") == 0)
            return days_of(s, m);
        return t->eff[e->stream][m];
    case RR_X_NEG: return -eval(t, e->arg[0], m);
    case RR_X_CALL: break;
    default:
        a = eval(t, e->arg[0], m);
        b = eval(t, e->arg[1], m);
        switch (e->op) {
        case RR_X_ADD: return a + b;
        case RR_X_SUB: return a - b;
        case RR_X_MUL: return a * b;
        case RR_X_DIV: return a / b;
        case RR_X_POW: return pow(a, b);
        case RR_X_LT: return cmp(a, b, a < b);
        case RR_X_LE: return cmp(a, b, a <= b);
        case RR_X_GT: return cmp(a, b, a > b);
        case RR_X_GE: return cmp(a, b, a >= b);
        case RR_X_EQ: return cmp(a, b, a == b);
        default: return cmp(a, b, a != b);
        }
    }
    const char *f = e->name;
    if (strcmp(f, "if") == 0) {
        double c = eval(t, e->arg[0], m);
        return isnan(c) ? c : eval(t, e->arg[c != 0 ? 1 : 2], m);
    }
    if (strcmp(f, "min") == 0 || strcmp(f, "max") == 0) {
        double r = eval(t, e->arg[0], m);
        for (size_t i = 1; i < e->narg; i++) {
            double x = eval(t, e->arg[i], m);
            r = isnan(r) || isnan(x) ? NAN : f[1] == 'i' ? fmin(r, x) : fmax(r, x);
        }
        return r;
    }
    a = eval(t, e->arg[0], m);
    if (strcmp(f, "clamp") == 0) {
        double lo = eval(t, e->arg[1], m), hi = eval(t, e->arg[2], m);
        return isnan(a) || isnan(lo) || isnan(hi) ? NAN : fmin(fmax(a, lo), hi);
    }
    if (strcmp(f, "exp") == 0)
        return exp(a);
    if (strcmp(f, "log") == 0)
        return log(a);
    if (strcmp(f, "sqrt") == 0)
        return sqrt(a);
    if (strcmp(f, "ceil") == 0)
        return ceil(a);
    if (strcmp(f, "floor") == 0)
        return floor(a);
    return round(a);
}

/* An input's value in month m, before any domain: a correlated draw, a constant, an
 * expression, the schedule's entry of the month, or a draw. */
static double value_of(test_path *t, const rr_input *in, int m)
{
    for (size_t i = 0; i < t->s->corr.m; i++)
        if (t->s->corr.in[i] == in)
            return t->corr[i];
    if (in->expr)
        return eval(t, in->expr, m);
    if (in->schedule) {
        const rr_schedule *sc = in->schedule;
        size_t j = 0;
        while (j + 1 < sc->n && sc->e[j + 1].month <= m)
            j++;
        return value_of(t, &sc->e[j].value, m);
    }
    if (rr_input_is_const(in))
        return in->dist.p[0];
    uint32_t step = in->vary == RR_VARY_MONTHLY ? RR_STEP_MONTH(m) : RR_STEP_PATH;
    return rr_draw_input(in, t->rng, t->seed, t->path, step);
}

double test_path_value(test_path *t, const rr_input *in, int m)
{
    double v = value_of(t, in, m);
    if (!in->expr && !in->schedule)
        return v;
    /* A computed value is held to its field's domain. */
    double lo = -INFINITY, hi = INFINITY;
    switch (in->domain) {
    case RR_DOMAIN_NONNEG: lo = 0; break;
    case RR_DOMAIN_UNIT: lo = 0; hi = 1; break;
    case RR_DOMAIN_GROWTH: lo = -1; break;
    case RR_DOMAIN_DAYS: lo = 0; hi = 30; break;
    case RR_DOMAIN_REAL: break;
    }
    return v < lo ? lo : v > hi ? hi : v;
}

/* Month m's events of an owner ("costs.NAME" or "demand") of events ev over fields
 * f[0..nf-1] with inputs in: their count, and the sum of their terms in *sum. */
static unsigned events(test_path *t, const rr_events *ev, const rr_input *in,
                       const rr_field *f, size_t nf, const char *owner, int m, double *sum)
{
    *sum = 0;
    int chance = ev->chance >= 0 && in[ev->chance].given;
    int field = chance ? ev->chance : ev->mean >= 0 && in[ev->mean].given ? ev->mean : -1;
    if (field < 0)
        return 0;
    char name[192];
    snprintf(name, sizeof name, "%s%s", owner, ev->stream);
    const uint64_t stream = rr_rng_stream_id(name);
    rr_rng_seek(t->rng, t->seed, stream, t->path, RR_STEP_MONTH(m));
    double u = rr_rng_uniform(t->rng);
    unsigned n = rr_draw_count(chance, test_path_value(t, &in[field], m), u, stream, t->rng,
                               t->seed, t->path, RR_STEP_MONTH(m));
    for (unsigned j = 0; ev->term && j < n; j++) {
        double v[RR_MAX_FIELDS];
        size_t nv = 0;
        for (size_t i = 0; i < nf; i++)
            if (f[i].flags & RR_F_PER_EVENT)
                v[nv++] = in[i].expr || in[i].schedule
                              ? test_path_value(t, &in[i], m)
                              : rr_draw_input(&in[i], t->rng, t->seed, t->path,
                                              RR_STEP_EVENT(m, j));
        *sum += ev->term(v);
    }
    return n;
}

double test_path_stream_demand(test_path *t, size_t j, int m, double *req)
{
    const rr_stream *st = &t->s->streams[j];
    const rr_demand *dm = &st->d;
    t->G[j] = m == 0 ? 1 : t->G[j] * (1 + test_path_value(t, &dm->in[RR_DEMAND_GROWTH], m));
    double r = test_path_value(t, &dm->in[RR_DEMAND_BASE], m) * t->G[j] *
               dm->season[(dm->start_month + m) % 12];
    double sigma = dm->in[RR_DEMAND_NOISE].dist.p[0];
    if (sigma > 0) {
        /* exp(sigma Z): a lognormal of median 1, from the month's normal of "demand.noise"
         * ("demand.NAME.noise"). */
        rr_dist noise;
        char stream[112];
        snprintf(stream, sizeof stream, "%s.noise", st->prefix);
        rr_dist_init_lognormal_median(&noise, 1.0, sigma);
        rr_rng_seek(t->rng, t->seed, rr_rng_stream_id(stream), t->path, RR_STEP_MONTH(m));
        double f = rr_rng_gaussian(t->rng);
        rr_dist_from_normal_n(&noise, &f, 1);
        r *= f;
    }
    *req = r;
    double eff = r;
    if (dm->has_spikes) {
        double extra;
        events(t, &rr_demand_spikes, dm->in, rr_demand_fields, RR_DEMAND_NFIELDS, st->prefix,
               m, &extra);
        eff = r * (1 + extra);
        eff = eff > 0 ? eff : 0;
    }
    t->eff[j][m] = eff;
    return eff;
}

double test_path_demand(test_path *t, int m, double *req)
{
    return test_path_stream_demand(t, 0, m, req);
}

double test_path_cost(test_path *t, size_t k, int m, double eff, double *state)
{
    const rr_component *c = &t->s->comps[k];
    const rr_component_type *ty = c->type;
    double vals[RR_MAX_FIELDS][RR_LANES], demand[RR_LANES], sum[RR_LANES] = { 0 };
    double cost[RR_LANES];
    unsigned count[RR_LANES] = { 0 };
    const double *f[RR_MAX_FIELDS] = { NULL };
    for (size_t i = 0; i < ty->nfields; i++) {
        if (ty->fields[i].kind == RR_FIELD_SPECIAL || (ty->fields[i].flags & RR_F_PER_EVENT))
            continue;
        double x = test_path_value(t, &c->in[i], m);
        for (unsigned l = 0; l < RR_LANES; l++)
            vals[i][l] = x;
        f[i] = vals[i];
    }
    for (unsigned l = 0; l < RR_LANES; l++)
        demand[l] = eff;
    rr_month a = { .m = m, .horizon = t->s->horizon, .f = f, .given = rr_component_given(c),
                   .demand = demand, .table = c->table, .ntable = c->ntable,
                   .days = days_of(t->s, m), .state = state };
    const rr_events *ev = ty->events;
    if (ev && ((ev->chance >= 0 && c->in[ev->chance].given) ||
               (ev->mean >= 0 && c->in[ev->mean].given))) {
        char owner[96];
        snprintf(owner, sizeof owner, "costs.%s", c->name);
        count[0] = events(t, ev, c->in, ty->fields, ty->nfields, owner, m, &sum[0]);
        a.events = count;
        a.event_sum = sum;
    }
    ty->month(&a, cost);
    return cost[0];
}

void test_replay_alone(const rr_scenario *s, uint64_t n, int threads)
{
    rr_result *r = test_run(s, n, s->seed, threads);
    const int H = s->horizon;
    const size_t K = s->ncomps, S = s->nstreams;
    double *eff = calloc((size_t)H * S, sizeof *eff);
    double *cost = calloc((size_t)H * K, sizeof *cost);
    /* The most state a type may ask: storage's ring over the horizon. */
    const size_t nst = ((size_t)H + 8) * RR_LANES;
    double *st = calloc(nst, sizeof *st);
    assert_non_null(st);
    rr_sketch *want = rr_sketch_new();
    assert_non_null(eff);
    assert_non_null(cost);
    assert_non_null(want);
    for (uint64_t path = 0; path < n; path++) {
        test_path t;
        test_path_start(&t, s, s->seed, path);
        for (size_t j = 0; j < S; j++)
            for (int m = 0; m < H; m++) {
                double q;
                eff[j * (size_t)H + (size_t)m] = test_path_stream_demand(&t, j, m, &q);
            }
        for (size_t k = 0; k < K; k++) {
            const int j = s->comps[k].stream;
            memset(st, 0, nst * sizeof *st);
            for (int m = 0; m < H; m++)
                cost[(size_t)m * K + k] = test_path_cost(
                    &t, k, m, j >= 0 ? eff[(size_t)j * (size_t)H + (size_t)m] : 0, st);
        }
        test_path_end(&t);
        double total = 0;
        for (int m = 0; m < H; m++) {
            double month = 0;
            for (size_t k = 0; k < K; k++)
                month += cost[(size_t)m * K + k];
            total += month;
        }
        assert_int_equal(rr_sketch_add(want, total), 0);
    }
    assert_int_equal(rr_sketch_count(r->sketch[0]), n);
    double a = rr_sketch_min(want), b = rr_sketch_min(r->sketch[0]);
    assert_memory_equal(&a, &b, sizeof a);
    a = rr_sketch_max(want);
    b = rr_sketch_max(r->sketch[0]);
    assert_memory_equal(&a, &b, sizeof a);
    for (int i = 0; i <= 1000; i++) {
        a = rr_sketch_quantile(want, i / 1000.0);
        b = rr_sketch_quantile(r->sketch[0], i / 1000.0);
        if (memcmp(&a, &b, sizeof a) != 0)
            fail_msg("quantile %g: replayed %.17g, engine %.17g", i / 1000.0, a, b);
    }
    rr_sketch_free(want);
    free(st);
    free(eff);
    free(cost);
    rr_result_free(r);
}
