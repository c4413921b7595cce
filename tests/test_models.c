/* test_models: each component type's arithmetic and the demand model, against the formulas
 * of the scenario format written out by hand here.
 *
 * A scenario is loaded from a YAML string with constant inputs; each component's month()
 * is then called directly, month by month, with a zeroed state and the path-level values
 * pv[i] = the constant of input i, exactly as the engine calls it.  Results are compared
 * within a relative 1e-12 (a few roundings apart from the hand formula's order of
 * operations), or exactly where the value is a count or a sum of exactly representable
 * numbers.  Where randomness is left (Poisson job counts and spike counts), statistics use
 * a fixed seed and Z = 5 standard errors of the Monte Carlo estimate, derived in place.
 * The last test runs the engine end to end on constant inputs and wants every quantile of
 * every series to be the hand-computed value exactly, with sd exactly 0.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "support.h"
#include "stats/accum.h"
#include "scenario/diag.h"
#include "models/model.h"
#include "scenario/node.h"
#include "sample/rng.h"
#include "scenario/scenario.h"
#include "run/sim.h"
#include "sample/draw.h"

#define Z 5.0      /* standard errors: a false alarm about once in 1.7 million checks */
#define REL 1e-12  /* relative tolerance of floating-point arithmetic checks */

/* ---- helpers ------------------------------------------------------------------------------ */

static rr_scenario *load(const char *yaml)
{
    return test_load(yaml, NULL);
}

static const rr_component *comp(const rr_scenario *s, const char *name)
{
    for (size_t k = 0; k < s->ncomps; k++)
        if (strcmp(s->comps[k].name, name) == 0)
            return &s->comps[k];
    fail_msg("no component '%s'", name);
    return NULL;
}

static void assert_rel(const char *what, int m, double got, double want)
{
    if (!(fabs(got - want) <= REL * fabs(want)))
        fail_msg("%s, month %d: got %.17g, expected %.17g", what, m, got, want);
}

static void assert_exact(const char *what, double got, double want)
{
    if (!(got == want))
        fail_msg("%s: got %.17g, expected exactly %.17g", what, got, want);
}

/* A component evaluated month by month on one path alone (support.h: its type's month on
 * the path's values, its events drawn by seeking). */
typedef struct runner {
    const rr_component *c;
    size_t k;
    double state[8 * RR_LANES];
    test_path t;
} runner;

static void runner_start(runner *r, const rr_scenario *s, const char *name, uint64_t path)
{
    r->c = comp(s, name);
    r->k = (size_t)(r->c - s->comps);
    assert_true(r->c->type->nstate <= 8);
    memset(r->state, 0, sizeof r->state);
    test_path_start(&r->t, s, s->seed, path);
}

static double runner_month(runner *r, int m, double eff)
{
    return test_path_cost(&r->t, r->k, m, eff, r->state);
}

static void runner_end(runner *r)
{
    test_path_end(&r->t);
}

/* Effective demand of the months of the component tests: zero, small, round, awkward. */
static const double effs[] = { 0, 1, 30000, 100000, 100001, 123456.789, 260000, 5e6, 1e7 };
#define NEFF (sizeof effs / sizeof *effs)

/* ---- model_api ---------------------------------------------------------------------------- */

static const char *const model_api_yaml =
    "name: t\nhorizon_months: 12\nsimulation: {seed: 3}\n"
    "demand: {requests_per_month: 1000}\n"
    "costs:\n"
    "  - {name: plain, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
    "     calls_per_request: 2.5, price_per_million: {input: 3.0, output: 15.0}}\n"
    "  - {name: cached, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
    "     cached_share: 0.4, price_per_million: {input: 3.0, output: 15.0, cached_input: 0.3}}\n"
    "  - {name: share-only, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
    "     cached_share: 0.4, price_per_million: {input: 3.0, output: 15.0}}\n"
    "  - {name: cut-always, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
    "     price_per_million: {input: 3.0, output: 15.0},\n"
    "     price_change: {chance_per_month: 1, factor: 0.75}}\n"
    "  - {name: cut-never, type: model_api, input_tokens: 1500, output_tokens: 350,\n"
    "     price_per_million: {input: 3.0, output: 15.0},\n"
    "     price_change: {chance_per_month: 0, factor: 0.75}}\n";

/* eff * calls * (in (1-c) p_in + in c p_cached + out p_out) / 1e6 * factor. */
static void test_model_api(void **state)
{
    (void)state;
    rr_scenario *s = load(model_api_yaml);
    const double in = 1500, out = 350, p_in = 3.0, p_out = 15.0;

    runner r;
    runner_start(&r, s, "plain", 0);
    assert_int_equal(r.c->category, RR_CAT_MANAGED_AI);
    for (size_t i = 0; i < NEFF; i++)
        assert_rel("plain", (int)i, runner_month(&r, (int)i, effs[i]),
                   effs[i] * 2.5 * (in * p_in + out * p_out) / 1e6);
    runner_end(&r);

    /* 40% of the input tokens at the cached price 0.3 */
    runner_start(&r, s, "cached", 0);
    for (size_t i = 0; i < NEFF; i++)
        assert_rel("cached", (int)i, runner_month(&r, (int)i, effs[i]),
                   effs[i] * (in * 0.6 * p_in + in * 0.4 * 0.3 + out * p_out) / 1e6);
    runner_end(&r);

    /* a cached share without a cached price: the input price, so no discount */
    runner_start(&r, s, "share-only", 0);
    for (size_t i = 0; i < NEFF; i++)
        assert_rel("share-only", (int)i, runner_month(&r, (int)i, effs[i]),
                   effs[i] * (in * p_in + out * p_out) / 1e6);
    runner_end(&r);

    /* a price cut that always happens, at the start of every month, the first included:
     * month m pays factor^(m+1); one that never happens leaves the price alone. */
    runner_start(&r, s, "cut-always", 0);
    double factor = 1;
    for (int m = 0; m < 12; m++) {
        factor *= 0.75;
        assert_rel("cut-always", m, runner_month(&r, m, 50000),
                   50000 * (in * p_in + out * p_out) / 1e6 * pow(0.75, m + 1));
    }
    assert_rel("factor", 11, factor, pow(0.75, 12));
    runner_end(&r);
    runner_start(&r, s, "cut-never", 0);
    for (int m = 0; m < 12; m++)
        assert_rel("cut-never", m, runner_month(&r, m, 50000),
                   50000 * (in * p_in + out * p_out) / 1e6);
    runner_end(&r);
    rr_scenario_free(s);
}

/* ---- compute ------------------------------------------------------------------------------ */

static const char *const compute_yaml =
    "name: t\nhorizon_months: 12\n"
    "demand: {requests_per_month: 1000}\n"
    "costs:\n"
    "  - {name: web, type: compute, requests_per_instance: 50000, min_instances: 2,\n"
    "     max_instances: 10, hourly_rate: 1.01}\n"
    "  - {name: gpu, type: compute, requests_per_instance: 20000, hours_per_month: 720,\n"
    "     hourly_rate: 2.5}\n"
    "  - {name: res, type: compute, requests_per_instance: 50000, min_instances: 1,\n"
    "     hourly_rate: 1.2, reserved: {instances: 3, hourly_rate: 0.7}}\n";

/* instances = min(max, max(min, ceil(eff / per_instance))); cost = instances * hours * rate;
 * reserved instances are always paid at their rate, only those beyond at the on-demand one.
 * The instance counts below are worked out by hand for effs[]. */
static void test_compute(void **state)
{
    (void)state;
    rr_scenario *s = load(compute_yaml);
    /* eff:                         0  1  30000 100000 100001 123456.789 260000 5e6  1e7 */
    static const double web[] = { 2, 2, 2, 2, 3, 3, 6, 10, 10 };     /* min 2, max 10 */
    static const double gpu[] = { 0, 1, 2, 5, 6, 7, 13, 250, 500 };  /* no bounds */
    static const double res[] = { 1, 1, 1, 2, 3, 3, 6, 100, 200 };  /* min 1 */

    runner r;
    runner_start(&r, s, "web", 0);
    assert_int_equal(r.c->category, RR_CAT_COMPUTE);
    for (size_t i = 0; i < NEFF; i++)
        assert_rel("web", (int)i, runner_month(&r, (int)i, effs[i]), web[i] * 730 * 1.01);
    runner_end(&r);

    runner_start(&r, s, "gpu", 0);
    for (size_t i = 0; i < NEFF; i++)
        assert_rel("gpu", (int)i, runner_month(&r, (int)i, effs[i]), gpu[i] * 720 * 2.5);
    runner_end(&r);

    runner_start(&r, s, "res", 0);
    for (size_t i = 0; i < NEFF; i++) {
        double extra = res[i] > 3 ? res[i] - 3 : 0;
        assert_rel("reserved", (int)i, runner_month(&r, (int)i, effs[i]),
                   3 * 730 * 0.7 + extra * 730 * 1.2);
    }
    runner_end(&r);
    rr_scenario_free(s);
}

/* ---- training ----------------------------------------------------------------------------- */

static const char *const training_yaml =
    "name: t\nhorizon_months: 12\nsimulation: {seed: 77}\n"
    "demand: {requests_per_month: 1000}\n"
    "costs:\n"
    "  - {name: always, type: training, chance_per_month: 1, gpu_hours: 30, hourly_rate: 40.96}\n"
    "  - {name: never, type: training, chance_per_month: 0, gpu_hours: 30, hourly_rate: 40.96}\n"
    "  - {name: jobs, type: training, jobs_per_month: 2.5, gpu_hours: 12, hourly_rate: 3.5}\n";

/* chance 1: one job every month; chance 0: none; jobs_per_month: a Poisson(2.5) count of
 * jobs, each of 12 GPU hours at 3.5, so cost / 42 is the count.  Over N = P * H (path, month)
 * pairs the count's mean is within Z sqrt(lambda / N) of lambda, the share of months without
 * a job within Z sqrt(q (1-q) / N) of q = e^-lambda, and the sample variance within
 * Z sqrt((lambda + 2 lambda^2) / N) of lambda (Var of s^2 is (mu4 - sigma^4)/N with
 * mu4 = lambda (1 + 3 lambda) for a Poisson). */
static void test_training(void **state)
{
    (void)state;
    rr_scenario *s = load(training_yaml);
    runner r;
    runner_start(&r, s, "always", 0);
    assert_int_equal(r.c->category, RR_CAT_COMPUTE);
    for (int m = 0; m < 12; m++)
        assert_rel("chance 1", m, runner_month(&r, m, effs[m % NEFF]), 30 * 40.96);
    runner_end(&r);
    runner_start(&r, s, "never", 0);
    for (int m = 0; m < 12; m++)
        assert_exact("chance 0", runner_month(&r, m, effs[m % NEFF]), 0);
    runner_end(&r);

    const double lambda = 2.5, per_job = 12 * 3.5;
    const int P = 20000, H = 12;
    const double N = (double)P * H;
    double sum = 0, sum2 = 0, zeros = 0;
    for (int p = 0; p < P; p++) {
        runner_start(&r, s, "jobs", (uint64_t)p);
        for (int m = 0; m < H; m++) {
            double jobs = runner_month(&r, m, 1000) / per_job;
            if (fabs(jobs - round(jobs)) > 1e-9)
                fail_msg("path %d month %d: cost is %.17g jobs, not a whole number", p, m, jobs);
            jobs = round(jobs);
            sum += jobs;
            sum2 += jobs * jobs;
            zeros += jobs == 0;
        }
        runner_end(&r);
    }
    double mean = sum / N, var = sum2 / N - mean * mean, q = exp(-lambda);
    if (fabs(mean - lambda) > Z * sqrt(lambda / N))
        fail_msg("mean jobs %.6f, expected %.6f", mean, lambda);
    if (fabs(zeros / N - q) > Z * sqrt(q * (1 - q) / N))
        fail_msg("share of months without a job %.6f, expected %.6f", zeros / N, q);
    if (fabs(var - lambda) > Z * sqrt((lambda + 2 * lambda * lambda) / N))
        fail_msg("variance of jobs %.6f, expected %.6f", var, lambda);
    rr_scenario_free(s);
}

/* ---- per_request -------------------------------------------------------------------------- */

static const char *const per_request_yaml =
    "name: t\nhorizon_months: 12\n"
    "demand: {requests_per_month: 1000}\n"
    "costs:\n"
    "  - {name: flat, type: per_request, units_per_request: 0.00003, unit_price: 0.5}\n"
    "  - {name: tiered, type: per_request, units_per_request: 0.01, tiers: [\n"
    "       {up_to: 1000, unit_price: 0.01}, {up_to: 5000, unit_price: 0.008},\n"
    "       {up_to: 20000, unit_price: 0.006}, {unit_price: 0.004}]}\n";

static void test_per_request(void **state)
{
    (void)state;
    rr_scenario *s = load(per_request_yaml);
    runner r;
    runner_start(&r, s, "flat", 0);
    assert_int_equal(r.c->category, RR_CAT_MANAGED_AI);
    for (size_t i = 0; i < NEFF; i++)
        assert_rel("flat", (int)i, runner_month(&r, (int)i, effs[i]), effs[i] * 0.00003 * 0.5);
    runner_end(&r);

    /* Graduated: units = eff * 0.01, the first 1000 at 0.01, up to 5000 at 0.008, up to
     * 20000 at 0.006, the rest at 0.004.  Worked by hand: */
    static const struct {
        double eff, cost;
    } cases[] = {
        { 0, 0 },
        { 50000, 500 * 0.01 },                                          /* below the first */
        { 100000, 1000 * 0.01 },                                        /* on the first */
        { 300000, 10 + 2000 * 0.008 },                                  /* across one */
        { 500000, 10 + 4000 * 0.008 },                                  /* on the second */
        { 1200000, 10 + 32 + 7000 * 0.006 },                            /* across two */
        { 2000000, 10 + 32 + 15000 * 0.006 },                           /* on the last */
        { 5000000, 10 + 32 + 90 + 30000 * 0.004 },                      /* beyond the last */
    };
    runner_start(&r, s, "tiered", 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_rel("tiers", (int)i, runner_month(&r, (int)i, cases[i].eff), cases[i].cost);
    /* The same prices month after month: tiers apply to each month's units afresh. */
    for (int m = 0; m < 12; m++)
        assert_rel("tiers, again", m, runner_month(&r, m, 1200000), 84);
    runner_end(&r);
    rr_scenario_free(s);
}

/* ---- storage ------------------------------------------------------------------------------ */

static const char *const storage_yaml =
    "name: t\nhorizon_months: 12\n"
    "demand: {requests_per_month: 1000}\n"
    "costs:\n"
    "  - {name: docs, type: storage, initial_gb: 500, gb_per_request: 0.00004,\n"
    "     price_per_gb_month: 0.023}\n"
    "  - {name: blobs, type: storage, gb_per_request: 0.5, price_per_gb_month: 0.02}\n";

/* stored[m] = initial + gb_per_request * (eff[0] + ... + eff[m]): the current month's writes
 * included; cost = stored * price. */
static void test_storage(void **state)
{
    (void)state;
    rr_scenario *s = load(storage_yaml);
    runner docs, blobs;
    runner_start(&docs, s, "docs", 0);
    runner_start(&blobs, s, "blobs", 0);
    assert_int_equal(docs.c->category, RR_CAT_STORAGE);
    double written = 0;
    for (size_t i = 0; i < NEFF; i++) {
        written += effs[i];
        assert_rel("docs", (int)i, runner_month(&docs, (int)i, effs[i]),
                   (500 + 0.00004 * written) * 0.023);
        assert_rel("blobs", (int)i, runner_month(&blobs, (int)i, effs[i]),
                   (0 + 0.5 * written) * 0.02);
    }
    /* Month 0 already holds its own writes. */
    runner_end(&docs);
    runner_start(&docs, s, "docs", 1);
    assert_rel("docs, month 0", 0, runner_month(&docs, 0, 80000), (500 + 3.2) * 0.023);
    runner_end(&docs);
    runner_end(&blobs);
    rr_scenario_free(s);
}

/* ---- oversight ---------------------------------------------------------------------------- */

static void test_oversight(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 12\ndemand: {requests_per_month: 1000}\n"
                          "costs:\n  - {name: review, type: oversight, review_share: 0.02,\n"
                          "     minutes_per_review: 3, hourly_rate: 40}\n");
    runner r;
    runner_start(&r, s, "review", 0);
    assert_int_equal(r.c->category, RR_CAT_OVERSIGHT);
    /* eff * share * minutes / 60 * rate = eff * 0.02 * 3 / 60 * 40 = eff * 0.04 */
    for (size_t i = 0; i < NEFF; i++)
        assert_rel("oversight", (int)i, runner_month(&r, (int)i, effs[i]), effs[i] * 0.04);
    runner_end(&r);
    rr_scenario_free(s);
}

/* ---- fixed -------------------------------------------------------------------------------- */

static void test_fixed(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 10\ndemand: {requests_per_month: 1000}\n"
                          "costs:\n"
                          "  - {name: window, type: fixed, category: mlops, monthly: 1200,\n"
                          "     from_month: 3, until_month: 7}\n"
                          "  - {name: always, type: fixed, category: storage, monthly: 250}\n"
                          "  - {name: late, type: fixed, category: mlops, monthly: 100,\n"
                          "     from_month: 9}\n"
                          "  - {name: early, type: fixed, category: compute, monthly: 100,\n"
                          "     until_month: 1}\n");
    runner w, a, late, early;
    runner_start(&w, s, "window", 0);
    runner_start(&a, s, "always", 0);
    runner_start(&late, s, "late", 0);
    runner_start(&early, s, "early", 0);
    assert_int_equal(w.c->category, RR_CAT_MLOPS);
    assert_int_equal(a.c->category, RR_CAT_STORAGE);
    assert_int_equal(early.c->category, RR_CAT_COMPUTE);
    for (int m = 0; m < 10; m++) {
        int month = m + 1;   /* from_month and until_month are 1-based and inclusive */
        double eff = effs[m % NEFF];
        assert_exact("window", runner_month(&w, m, eff), month >= 3 && month <= 7 ? 1200 : 0);
        assert_exact("always", runner_month(&a, m, eff), 250);
        assert_exact("late", runner_month(&late, m, eff), month >= 9 ? 100 : 0);
        assert_exact("early", runner_month(&early, m, eff), month == 1 ? 100 : 0);
    }
    runner_end(&w);
    runner_end(&a);
    runner_end(&late);
    runner_end(&early);
    rr_scenario_free(s);
}

/* ---- seats -------------------------------------------------------------------------------- */

/* cost = max(minimum_monthly, ceil(users) * price_per_user_month), whatever the demand. */
static void test_seats(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 12\ndemand: {requests_per_month: 1000}\n"
                          "costs:\n"
                          "  - {name: frac, type: seats, users: 12.3, price_per_user_month: 29}\n"
                          "  - {name: whole, type: seats, users: 12, price_per_user_month: 29}\n"
                          "  - {name: none, type: seats, users: 0, price_per_user_month: 29}\n"
                          "  - {name: floor, type: seats, users: 12.3, price_per_user_month: 29,\n"
                          "     minimum_monthly: 500}\n"
                          "  - {name: above, type: seats, users: 30, price_per_user_month: 29,\n"
                          "     minimum_monthly: 500, category: managed_ai}\n");
    static const struct {
        const char *name;
        double cost;
    } cases[] = { { "frac", 13 * 29 }, { "whole", 12 * 29 }, { "none", 0 },
                  { "floor", 500 }, { "above", 30 * 29 } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        runner r;
        runner_start(&r, s, cases[i].name, 0);
        assert_int_equal(r.c->category, i < 4 ? RR_CAT_MLOPS : RR_CAT_MANAGED_AI);
        for (size_t e = 0; e < NEFF; e++)   /* demand does not matter */
            assert_exact(cases[i].name, runner_month(&r, (int)e, effs[e]), cases[i].cost);
        runner_end(&r);
    }
    rr_scenario_free(s);
}

/* users ~ Uniform(10, 20): ceil(users) is 11..20 with probability 1/10 each (mean 15.5,
 * variance (10^2 - 1) / 12), so over H months at 30 a seat the total is 30 H ceil(users)
 * drawn once per path, or 30 times a sum of H independent ceil(users) drawn monthly; with a
 * minimum of 400 a month, a month costs 400 for 11..13 seats, 30 k above: mean
 * (3 * 400 + 30 * (14 + ... + 20)) / 10 = 477.  Spikes in demand add nothing to seats. */
static void test_seats_end_to_end(void **state)
{
    (void)state;
    const double n = 100000, mean_k = 15.5, var_k = 99.0 / 12;
    rr_scenario *s = load("name: t\nhorizon_months: 6\nsimulation: {seed: 13}\n"
                          "demand: {requests_per_month: 1000, spikes: {per_month: 0.5, "
                          "multiplier: 3, days: 5}}\n"
                          "costs:\n  - {name: s, type: seats, users: {uniform: {min: 10, max: 20}},"
                          " price_per_user_month: 30}\n");
    rr_result *r = test_run(s, (uint64_t)n, s->seed, 2);
    const rr_moments *tot = &r->moments[rr_result_total()];
    double sd = 180 * sqrt(var_k);
    if (fabs(tot->mean - 180 * mean_k) > Z * sd / sqrt(n))
        fail_msg("mean %.6f, expected %.6f", tot->mean, 180 * mean_k);
    /* Every total is 180 k for k in 11..20: the extremes are exact. */
    assert_exact("min", rr_sketch_min(r->sketch[rr_result_total()]), 180 * 11);
    assert_exact("max", rr_sketch_max(r->sketch[rr_result_total()]), 180 * 20);
    /* No spike premium: seats do not follow demand. */
    const rr_sketch *sp = r->sketch[rr_result_spike(r)];
    assert_exact("spike premium", rr_sketch_min(sp), 0);
    assert_exact("spike premium", rr_sketch_max(sp), 0);
    rr_result_free(r);
    rr_scenario_free(s);

    s = load("name: t\nhorizon_months: 12\nsimulation: {seed: 14}\n"
             "demand: {requests_per_month: 1000}\n"
             "costs:\n  - {name: s, type: seats, price_per_user_month: 30,\n"
             "     users: {uniform: {min: 10, max: 20}, vary: monthly}}\n"
             "  - {name: m, type: seats, users: {uniform: {min: 10, max: 20}},\n"
             "     price_per_user_month: 30, minimum_monthly: 400}\n");
    r = test_run(s, (uint64_t)n, s->seed, 2);
    const rr_moments *ms = &r->moments[rr_result_comp(r, 0)];
    double want = 12 * 30 * mean_k, sds = 30 * sqrt(12 * var_k);
    if (fabs(ms->mean - want) > Z * sds / sqrt(n))
        fail_msg("monthly users: mean %.6f, expected %.6f", ms->mean, want);
    /* The sample sd of a near-normal sum has standard error about sd / sqrt(2n). */
    if (fabs(rr_moments_sd(ms) - sds) > Z * sds / sqrt(2 * n))
        fail_msg("monthly users: sd %.6f, expected %.6f", rr_moments_sd(ms), sds);
    const rr_moments *mm = &r->moments[rr_result_comp(r, 1)];
    /* A month's cost takes 8 values, 400 with probability 3/10: its variance, by hand. */
    double m1 = 477, m2 = 3 * 400.0 * 400;
    for (int k = 14; k <= 20; k++)
        m2 += 900.0 * k * k;
    double sdm = 12 * sqrt(m2 / 10 - m1 * m1);
    if (fabs(mm->mean - 12 * m1) > Z * sdm / sqrt(n))
        fail_msg("minimum: mean %.6f, expected %.6f", mm->mean, 12 * m1);
    assert_exact("minimum: min", rr_sketch_min(r->sketch[rr_result_comp(r, 1)]), 12 * 400);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* ---- demand ------------------------------------------------------------------------------- */

/* Demand of one path alone, month by month (support.h). */
typedef test_path demand_run;

static void demand_start(demand_run *r, const rr_scenario *s, uint64_t path)
{
    test_path_start(r, s, s->seed, path);
}

static double demand_month(demand_run *r, int m, double *req)
{
    return test_path_demand(r, m, req);
}

static void demand_end(demand_run *r)
{
    test_path_end(r);
}

/* req[m] = base * (1 + g)^m; no spikes, so eff = req. */
static void test_demand_growth(void **state)
{
    (void)state;
    static const double gs[] = { 0.05, -0.04, 0 };
    static const char *const yaml[] = {
        "name: t\nhorizon_months: 36\n"
        "demand: {requests_per_month: 60000, growth_per_month: 0.05}\n"
        "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1}\n",
        "name: t\nhorizon_months: 36\n"
        "demand: {requests_per_month: 60000, growth_per_month: -0.04}\n"
        "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1}\n",
        "name: t\nhorizon_months: 36\ndemand: {requests_per_month: 60000}\n"
        "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1}\n",
    };
    for (size_t i = 0; i < 3; i++) {
        rr_scenario *s = load(yaml[i]);
        demand_run r;
        demand_start(&r, s, 5);
        for (int m = 0; m < 36; m++) {
            double req = -1, eff = demand_month(&r, m, &req);
            assert_rel("req", m, req, 60000 * pow(1 + gs[i], m));
            assert_exact("eff without spikes", eff, req);
        }
        demand_end(&r);
        rr_scenario_free(s);
    }
}

/* With vary: monthly, growth compounds: G[m] = (1 + g[1]) ... (1 + g[m]), G[0] = 1, with
 * g[j] the input's own draw for month j (input.h: a monthly input draws at step month + 1). */
static void test_demand_monthly_growth(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 24\nsimulation: {seed: 8}\n"
                          "demand: {requests_per_month: 60000, growth_per_month: "
                          "{normal: {mean: 0.03, sd: 0.02}, vary: monthly}}\n"
                          "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1}\n");
    const rr_input *g = &s->streams[0].d.in[RR_DEMAND_GROWTH];
    assert_int_equal(g->vary, RR_VARY_MONTHLY);
    gsl_rng *own = gsl_rng_alloc(rr_rng_philox);
    assert_non_null(own);
    for (uint64_t path = 0; path < 3; path++) {
        demand_run r;
        demand_start(&r, s, path);
        double G = 1;
        for (int m = 0; m < 24; m++) {
            if (m > 0)
                G *= 1 + rr_draw_input(g, own, s->seed, path, RR_STEP_MONTH(m));
            double req;
            demand_month(&r, m, &req);
            assert_rel("compounded growth", m, req, 60000 * G);
        }
        demand_end(&r);
    }
    gsl_rng_free(own);
    rr_scenario_free(s);
}

/* Seasonality is indexed by calendar month: start 2027-03 makes month 0 March. */
static void test_demand_seasonality(void **state)
{
    (void)state;
    /* January .. December: 1.0, 1.1, ..., 2.1, all distinct */
    static const double season[12] = { 1.0, 1.1, 1.2, 1.3, 1.4, 1.5,
                                       1.6, 1.7, 1.8, 1.9, 2.0, 2.1 };
    static const struct {
        const char *start;
        int calendar0;   /* 0-based calendar month of month 0 */
        double g;
    } cases[] = { { "2027-03", 2, 0 }, { "2027-12", 11, 0 }, { "2027-01", 0, 0.02 } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "name: t\nstart: %s\nhorizon_months: 30\n"
                 "demand: {requests_per_month: 1000, growth_per_month: %g,\n"
                 "  seasonality: [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1]}\n"
                 "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1}\n",
                 cases[i].start, cases[i].g);
        rr_scenario *s = load(yaml);
        demand_run r;
        demand_start(&r, s, 0);
        for (int m = 0; m < 30; m++) {
            double req;
            demand_month(&r, m, &req);
            assert_rel("seasonal demand", m, req,
                       1000 * pow(1 + cases[i].g, m) * season[(cases[i].calendar0 + m) % 12]);
        }
        demand_end(&r);
        rr_scenario_free(s);
    }
}

/* Spikes with constant multiplier M and days D: eff = req * (1 + N (M-1) D / 30), N the
 * month's Poisson(lambda) count.  Each (path, month) must be that for a whole N, and the N
 * must be the count drawn from the spike-count stream ("demand.spikes:count", sample/draw.h:
 * positioned at RR_STEP_MONTH).  Over K = P * H pairs, mean(eff/req) = 1 + lambda c with c = (M-1) D / 30,
 * standard error c sqrt(lambda / K). */
static void test_demand_spikes(void **state)
{
    (void)state;
    const double lambda = 0.8, M = 2.5, D = 6, base = 40000, c = (M - 1) * D / 30;
    rr_scenario *s = load("name: t\nhorizon_months: 12\nsimulation: {seed: 123}\n"
                          "demand: {requests_per_month: 40000, spikes: {per_month: 0.8, "
                          "multiplier: 2.5, days: 6}}\n"
                          "costs:\n  - {name: f, type: fixed, category: mlops, monthly: 1}\n");
    assert_true(s->streams[0].d.has_spikes);
    const int P = 20000, H = 12;
    const double K = (double)P * H;
    gsl_rng *own = gsl_rng_alloc(rr_rng_philox);
    assert_non_null(own);
    double sum = 0;
    unsigned long with_spikes = 0;
    for (int p = 0; p < P; p++) {
        demand_run r;
        demand_start(&r, s, (uint64_t)p);
        for (int m = 0; m < H; m++) {
            double req, eff = demand_month(&r, m, &req);
            assert_exact("req before spikes", req, base);
            double n = (eff / req - 1) / c;
            if (fabs(n - round(n)) > 1e-9)
                fail_msg("path %d month %d: eff/req - 1 = %.17g is not a multiple of %.17g", p,
                         m, eff / req - 1, c);
            rr_rng_seek(own, s->seed, rr_rng_stream_id("demand.spikes:count"), (uint64_t)p,
                        RR_STEP_MONTH(m));
            unsigned N = rr_dist_poisson(own, lambda);
            if ((double)N != round(n))
                fail_msg("path %d month %d: %g spikes, the count drawn is %u", p, m, round(n), N);
            assert_rel("eff", m, eff, req * (1 + N * c));
            with_spikes += N > 0;
            sum += eff / req;
        }
        demand_end(&r);
    }
    double mean = sum / K;
    if (fabs(mean - (1 + lambda * c)) > Z * c * sqrt(lambda / K))
        fail_msg("mean eff/req %.6f, expected %.6f", mean, 1 + lambda * c);
    /* Some months have spikes and some have none (P(N = 0) = e^-0.8 = 0.45). */
    assert_true(with_spikes > 0 && with_spikes < (unsigned long)K);
    gsl_rng_free(own);
    rr_scenario_free(s);
}

/* ---- end to end --------------------------------------------------------------------------- */

/* Every input constant, no noise, no spikes: each path is the same, so every quantile of
 * every series is the hand-computed value and every sd is 0.  The numbers are chosen so
 * that every intermediate result is exactly representable (dyadic rationals of few bits:
 * base 1024000 = 125 * 2^13, growth 1.5, seasonal factors in quarters, prices in powers of
 * two, and divisions whose exact quotient is representable), so the hand value is exact in
 * any order of operations and the comparison can be ==. */
static const char *const e2e_yaml =
    "name: exact\nstart: 2027-03\nhorizon_months: 12\nsimulation: {paths: 3000, seed: 7}\n"
    "demand:\n"
    "  requests_per_month: 1024000\n"
    "  growth_per_month: 0.5\n"
    "  seasonality: [1, 1, 0.75, 1.25, 1.5, 0.5, 1, 1, 0.75, 1.25, 2, 0.25]\n"
    "costs:\n"
    "  - {name: llm, type: model_api, input_tokens: 1000, output_tokens: 200,\n"
    "     calls_per_request: 2, price_per_million: {input: 3, output: 15},\n"
    "     price_change: {chance_per_month: 1, factor: 0.5}}\n"
    "  - {name: nodes, type: compute, requests_per_instance: 50000, min_instances: 20,\n"
    "     max_instances: 1000, hourly_rate: 1.25}\n"
    "  - {name: gpus, type: compute, requests_per_instance: 400000, hourly_rate: 2.5,\n"
    "     reserved: {instances: 40, hourly_rate: 1.5}}\n"
    "  - {name: retrain, type: training, chance_per_month: 1, gpu_hours: 30, hourly_rate: 40.5}\n"
    "  - {name: traces, type: per_request, category: mlops, units_per_request: 0.25,\n"
    "     unit_price: 0.5}\n"
    "  - {name: pages, type: per_request, units_per_request: 0.0625, tiers: [\n"
    "       {up_to: 4096, unit_price: 0.5}, {up_to: 65536, unit_price: 0.25},\n"
    "       {unit_price: 0.125}]}\n"
    "  - {name: store, type: storage, initial_gb: 512, gb_per_request: 0.125,\n"
    "     price_per_gb_month: 0.25}\n"
    "  - {name: review, type: oversight, review_share: 0.25, minutes_per_review: 3,\n"
    "     hourly_rate: 40}\n"
    "  - {name: licence, type: fixed, category: mlops, monthly: 1200, from_month: 3,\n"
    "     until_month: 8}\n"
    "  - {name: backup, type: fixed, category: storage, monthly: 333.25}\n";

enum { LLM, NODES, GPUS, RETRAIN, TRACES, PAGES, STORE, REVIEW, LICENCE, BACKUP, NC };

static double tiered(double units)
{
    double cost = 0;
    cost += (units < 4096 ? units : 4096) * 0.5;
    if (units > 4096)
        cost += ((units < 65536 ? units : 65536) - 4096) * 0.25;
    if (units > 65536)
        cost += (units - 65536) * 0.125;
    return cost;
}

static void check_series(const rr_result *r, size_t i, double want, const char *what)
{
    static const double ps[] = { 0.001, 0.05, 0.10, 0.25, 0.50, 0.75, 0.80, 0.90, 0.95, 0.99,
                                 0.999 };
    const rr_sketch *sk = r->sketch[i];
    assert_int_equal(rr_sketch_count(sk), r->paths);
    assert_exact(what, rr_sketch_min(sk), want);
    assert_exact(what, rr_sketch_max(sk), want);
    for (size_t k = 0; k < sizeof ps / sizeof *ps; k++)
        assert_exact(what, rr_sketch_quantile(sk, ps[k]), want);
    assert_exact(what, r->moments[i].mean, want);
    assert_exact(what, rr_moments_sd(&r->moments[i]), 0);
    assert_int_equal(r->moments[i].n, r->paths);
}

static void test_end_to_end_constant(void **state)
{
    (void)state;
    rr_scenario *s = load(e2e_yaml);
    assert_int_equal(s->ncomps, NC);
    const int H = 12;
    static const double season[12] = { 1, 1, 0.75, 1.25, 1.5, 0.5, 1, 1, 0.75, 1.25, 2, 0.25 };
    static const rr_category cat_of[NC] = {
        RR_CAT_MANAGED_AI, RR_CAT_COMPUTE, RR_CAT_COMPUTE, RR_CAT_COMPUTE, RR_CAT_MLOPS,
        RR_CAT_MANAGED_AI, RR_CAT_STORAGE, RR_CAT_OVERSIGHT, RR_CAT_MLOPS, RR_CAT_STORAGE,
    };

    /* The hand computation, month by month. */
    double cost[12][NC], comp_total[NC] = { 0 }, month_total[12] = { 0 };
    double month_cat[12][RR_NCAT] = { { 0 } }, cat_total[RR_NCAT] = { 0 }, total = 0;
    double growth = 1, stored = 512;
    for (int m = 0; m < H; m++) {
        if (m > 0)
            growth *= 1.5;
        double eff = 1024000 * growth * season[(2 + m) % 12];   /* start 2027-03: March */
        double nodes = ceil(eff / 50000);
        nodes = nodes < 20 ? 20 : nodes > 1000 ? 1000 : nodes;
        double gpus = ceil(eff / 400000);
        stored += 0.125 * eff;
        cost[m][LLM] = eff * 2 * (1000 * 3 + 200 * 15) / 1e6 * pow(0.5, m + 1);
        cost[m][NODES] = nodes * 730 * 1.25;
        cost[m][GPUS] = 40 * 730 * 1.5 + (gpus > 40 ? gpus - 40 : 0) * 730 * 2.5;
        cost[m][RETRAIN] = 30 * 40.5;
        cost[m][TRACES] = eff * 0.25 * 0.5;
        cost[m][PAGES] = tiered(eff * 0.0625);
        cost[m][STORE] = stored * 0.25;
        cost[m][REVIEW] = eff * 0.25 * 3 / 60 * 40;
        cost[m][LICENCE] = m + 1 >= 3 && m + 1 <= 8 ? 1200 : 0;
        cost[m][BACKUP] = 333.25;
        for (int k = 0; k < NC; k++) {
            comp_total[k] += cost[m][k];
            month_total[m] += cost[m][k];
            month_cat[m][cat_of[k]] += cost[m][k];
            cat_total[cat_of[k]] += cost[m][k];
            total += cost[m][k];
        }
    }
    /* The premise: both bounds of `nodes`, both sides of the reservation of `gpus` and all
     * three tiers of `pages` are reached. */
    double eff0 = 1024000 * season[2], eff11 = 1024000 * pow(1.5, 11) * season[1];
    assert_true(ceil(eff0 / 50000) < 20 && ceil(eff11 / 50000) > 1000);
    assert_true(ceil(eff0 / 400000) < 40 && ceil(eff11 / 400000) > 40);
    assert_true(eff0 * 0.0625 > 4096 && eff11 * 0.0625 > 65536);

    rr_result *r = test_run(s, s->paths, s->seed, 2);
    assert_int_equal(r->paths, 3000);
    assert_int_equal(r->ncat, RR_NCAT);

    check_series(r, rr_result_total(), total, "total");
    for (int c = 0; c < RR_NCAT; c++)
        check_series(r, rr_result_cat(r, r->cat_slot[c]), cat_total[c],
                     rr_category_get((rr_category)c)->name);
    for (size_t k = 0; k < NC; k++) {
        assert_int_equal(s->comps[k].category, cat_of[k]);
        check_series(r, rr_result_comp(r, k), comp_total[k], s->comps[k].name);
    }
    for (int m = 0; m < H; m++) {
        check_series(r, rr_result_month(r, m), month_total[m], "month total");
        for (int c = 0; c < RR_NCAT; c++)
            check_series(r, rr_result_month_cat(r, m, r->cat_slot[c]), month_cat[m][c],
                         "month category");
    }
    rr_result_free(r);
    rr_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_api),
        cmocka_unit_test(test_compute),
        cmocka_unit_test(test_training),
        cmocka_unit_test(test_per_request),
        cmocka_unit_test(test_storage),
        cmocka_unit_test(test_oversight),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_seats),
        cmocka_unit_test(test_seats_end_to_end),
        cmocka_unit_test(test_demand_growth),
        cmocka_unit_test(test_demand_monthly_growth),
        cmocka_unit_test(test_demand_seasonality),
        cmocka_unit_test(test_demand_spikes),
        cmocka_unit_test(test_end_to_end_constant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
