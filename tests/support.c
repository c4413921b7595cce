/* support: shared helpers of the test programs. */
#include "support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
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

double test_path_value(test_path *t, const rr_input *in, int m)
{
    for (size_t i = 0; i < t->s->corr.m; i++)
        if (t->s->corr.in[i] == in)
            return t->corr[i];
    if (rr_input_is_const(in))
        return in->dist.p[0];
    uint32_t step = in->vary == RR_VARY_MONTHLY ? RR_STEP_MONTH(m) : RR_STEP_PATH;
    return rr_draw_input(in, t->rng, t->seed, t->path, step);
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
                v[nv++] = rr_draw_input(&in[i], t->rng, t->seed, t->path, RR_STEP_EVENT(m, j));
        *sum += ev->term(v);
    }
    return n;
}

double test_path_demand(test_path *t, int m, double *req)
{
    const rr_demand *dm = &t->s->demand;
    t->G = m == 0 ? 1 : t->G * (1 + test_path_value(t, &dm->in[RR_DEMAND_GROWTH], m));
    double r = test_path_value(t, &dm->in[RR_DEMAND_BASE], m) * t->G *
               dm->season[(dm->start_month + m) % 12];
    double sigma = dm->in[RR_DEMAND_NOISE].dist.p[0];
    if (sigma > 0) {
        /* exp(sigma Z): a lognormal of median 1, from the month's normal of "demand.noise". */
        rr_dist noise;
        rr_dist_init_lognormal_median(&noise, 1.0, sigma);
        rr_rng_seek(t->rng, t->seed, rr_rng_stream_id("demand.noise"), t->path,
                    RR_STEP_MONTH(m));
        double f = rr_rng_gaussian(t->rng);
        rr_dist_from_normal_n(&noise, &f, 1);
        r *= f;
    }
    *req = r;
    if (!dm->has_spikes)
        return r;
    double extra;
    events(t, &rr_demand_spikes, dm->in, rr_demand_fields, RR_DEMAND_NFIELDS, "demand", m,
           &extra);
    double eff = r * (1 + extra);
    return eff > 0 ? eff : 0;
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
    rr_month a = { .m = m, .f = f, .given = rr_component_given(c), .demand = demand,
                   .table = c->table, .ntable = c->ntable, .state = state };
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
