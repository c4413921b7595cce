/* test_sim: the engine end to end against closed forms, and its reproducibility.
 *
 * Each statistical check has a tolerance derived from the Monte Carlo error of its
 * estimator at the sample size used (Z standard errors), plus the sketch's own relative
 * accuracy for quantiles; seeds are fixed, so a failure is a real regression.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "support.h"
#include "sample/plan.h"
#include "scenario/scenario.h"
#include "run/sim.h"
#include "sample/rng.h"
#include "models/model.h"
#include "stats/summary.h"

#define Z 5.0   /* standard errors: a false alarm about once in 1.7 million checks */

static rr_scenario *load(const char *yaml)
{
    return test_load(yaml, NULL);
}

static rr_result *simulate(const rr_scenario *s, uint64_t paths, int threads)
{
    return test_run(s, paths, s->seed, threads);
}

/* Standard error of the sample p-quantile: sqrt(p(1-p)/n) / f(x_p). */
static double quantile_se(double p, double n, double density)
{
    return sqrt(p * (1 - p) / n) / density;
}

static void check_quantile(double got, double want, double se)
{
    double tol = Z * se + 2 * RR_SKETCH_REL_ACCURACY * fabs(want);
    if (fabs(got - want) > tol)
        fail_msg("quantile %.10g, expected %.10g +- %.3g", got, want, tol);
}

static const double ps[] = { 0.05, 0.10, 0.25, 0.50, 0.75, 0.80, 0.90, 0.95, 0.99 };

/* A single "A to B" input is a lognormal with p5 = A and p95 = B. */
static void test_lognormal_input_quantiles(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 1\nsimulation: {seed: 11}\n"
                          "demand: {requests_per_month: 1}\n"
                          "costs:\n  - {name: f, type: fixed, category: mlops, "
                          "monthly: 1000 to 5000}\n");
    const double n = 200000;
    rr_result *r = simulate(s, (uint64_t)n, 2);
    double mu = 0.5 * (log(1000) + log(5000)), sigma = (log(5000) - log(1000)) / (2 * 1.6448536269514722);
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
        double x = gsl_cdf_lognormal_Pinv(ps[i], mu, sigma);
        double f = gsl_ran_lognormal_pdf(x, mu, sigma);
        check_quantile(rr_sketch_quantile(r->sketch[rr_result_total()], ps[i]), x,
                       quantile_se(ps[i], n, f));
    }
    /* p5 and p95 are A and B themselves. */
    check_quantile(rr_sketch_quantile(r->sketch[0], 0.05), 1000,
                   quantile_se(0.05, n, gsl_ran_lognormal_pdf(1000, mu, sigma)));
    double mean = exp(mu + sigma * sigma / 2);
    double sd = mean * sqrt(expm1(sigma * sigma));
    assert_true(fabs(r->moments[0].mean - mean) < Z * sd / sqrt(n));
    rr_result_free(r);
    rr_scenario_free(s);
}

/* Twelve monthly normal draws sum to a normal with 12 times the mean and variance. */
static void test_sum_of_monthly_normals(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 12\nsimulation: {seed: 5}\n"
                          "demand: {requests_per_month: 1}\n"
                          "costs:\n  - {name: f, type: fixed, category: mlops, "
                          "monthly: {normal: {mean: 1000, sd: 100}, vary: monthly}}\n");
    const double n = 200000;
    rr_result *r = simulate(s, (uint64_t)n, 2);
    double mean = 12000, sd = 100 * sqrt(12.0);
    assert_true(fabs(r->moments[0].mean - mean) < Z * sd / sqrt(n));
    /* The sample sd of a normal has standard error about sd / sqrt(2n). */
    assert_true(fabs(rr_moments_sd(&r->moments[0]) - sd) < Z * sd / sqrt(2 * n));
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
        double x = mean + gsl_cdf_gaussian_Pinv(ps[i], sd);
        double f = gsl_ran_gaussian_pdf(x - mean, sd);
        check_quantile(rr_sketch_quantile(r->sketch[0], ps[i]), x, quantile_se(ps[i], n, f));
    }
    /* Each month on its own is N(1000, 100). */
    for (int m = 0; m < 12; m++) {
        double x = 1000 + gsl_cdf_gaussian_Pinv(0.9, 100);
        check_quantile(rr_sketch_quantile(r->sketch[rr_result_month(r, m)], 0.9), x,
                       quantile_se(0.9, n, gsl_ran_gaussian_pdf(x - 1000, 100)));
    }
    rr_result_free(r);
    rr_scenario_free(s);
}

/* A Poisson count of jobs with one GPU-hour at 1 per hour: the total is the count. */
static void test_poisson_job_count(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 1\nsimulation: {seed: 3}\n"
                          "demand: {requests_per_month: 1}\n"
                          "costs:\n  - {name: j, type: training, jobs_per_month: 3, "
                          "gpu_hours: 1, hourly_rate: 1}\n");
    const double n = 200000, lambda = 3;
    rr_result *r = simulate(s, (uint64_t)n, 2);
    assert_true(fabs(r->moments[0].mean - lambda) < Z * sqrt(lambda / n));
    assert_true(fabs(rr_moments_sd(&r->moments[0]) - sqrt(lambda)) <
                Z * sqrt((lambda + 2 * lambda * lambda) / (4 * lambda * n)));
    /* The median of Poisson(3) is 3; the sample median is 3 unless P(N <= 2) = 0.423 is off
     * by 0.077, hundreds of standard errors: only the sketch's own accuracy is left. */
    assert_true(fabs(rr_sketch_quantile(r->sketch[0], 0.5) - 3.0) <= 3.0 * RR_SKETCH_REL_ACCURACY);
    assert_true(rr_sketch_min(r->sketch[0]) == 0.0);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* Spikes: eff = req * (1 + sum (M - 1) * D / 30), with a Poisson(lambda) number of spikes.
 * With constant M and D, E[total] = base * H * (1 + lambda (M-1) D / 30) and
 * Var[total] = H * base^2 * lambda * ((M-1) D / 30)^2. */
static void test_spike_premium_mean(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 6\nsimulation: {seed: 9}\n"
                          "demand: {requests_per_month: 1000, spikes: {per_month: 0.5, "
                          "multiplier: 3, days: 6}}\n"
                          "costs:\n  - {name: o, type: oversight, review_share: 1, "
                          "minutes_per_review: 60, hourly_rate: 1}\n");
    const double n = 100000, H = 6, base = 1000, lambda = 0.5, c = (3 - 1) * 6 / 30.0;
    rr_result *r = simulate(s, (uint64_t)n, 2);
    double mean = base * H * (1 + lambda * c);
    double sd = sqrt(H * base * base * lambda * c * c);
    assert_true(fabs(r->moments[0].mean - mean) < Z * sd / sqrt(n));
    assert_true(fabs(rr_moments_sd(&r->moments[0]) - sd) < 0.02 * sd);
    /* Every path's total is base * (H + c * number of spikes): the minimum is base * H. */
    assert_true(rr_sketch_min(r->sketch[0]) == base * H);
    /* P(no spike in 6 months) = exp(-3) = 0.0498 < 0.05 < P(at most one) = 0.199, so the
     * p5 is base * (H + c) exactly (the sketch clamps a bucket to its exact values only at
     * the extremes, so allow the sketch's accuracy). */
    double p10 = rr_sketch_quantile(r->sketch[0], 0.10);
    assert_true(fabs(p10 - base * (H + c)) <= RR_SKETCH_REL_ACCURACY * base * (H + c));
    rr_result_free(r);
    rr_scenario_free(s);
}

static const char *const full =
    "name: full\nstart: 2027-01\nhorizon_months: 12\nsimulation: {seed: 42}\n"
    "budget: {total: 120000, confidence: 0.9}\n"
    TEST_EXAMPLE_DEMAND_COSTS;

static void assert_same_results(const rr_result *a, const rr_result *b)
{
    assert_int_equal(a->nseries, b->nseries);
    assert_int_equal(a->exceed, b->exceed);
    for (size_t i = 0; i < a->nseries; i++) {
        assert_memory_equal(&a->moments[i], &b->moments[i], sizeof a->moments[i]);
        assert_int_equal(rr_sketch_count(a->sketch[i]), rr_sketch_count(b->sketch[i]));
        for (double p = 0; p <= 1.0; p += 0.01) {
            double x = rr_sketch_quantile(a->sketch[i], p), y = rr_sketch_quantile(b->sketch[i], p);
            assert_memory_equal(&x, &y, sizeof x);
        }
    }
}

/* A scenario with a sampler of every kind the engine draws ahead or as a list: the discrete,
 * betas and a PERT (two blocks, also as a list: the spikes' multiplier), a gamma, monthly
 * inputs, training jobs by chance and by Poisson mean (first jobs ahead, later ones sought),
 * reserved compute, tiers, a correlation, spikes with a monthly rate. */
static const char *const every_kind =
    "name: kinds\nstart: 2027-03\nhorizon_months: 14\nsimulation: {seed: 7}\n"
    "demand:\n  requests_per_month: 20000 to 90000\n"
    "  growth_per_month: {normal: {mean: 0.03, sd: 0.02}, vary: monthly}\n"
    "  seasonality: [1, 1, 1.1, 1, 0.9, 0.9, 0.8, 0.9, 1.1, 1.2, 1.2, 1.1]\n  noise: 0.1\n"
    "  spikes: {per_month: {uniform: {min: 0.1, max: 0.6}, vary: monthly},\n"
    "           multiplier: {pert: {min: 1.5, mode: 2, max: 6}}, days: {uniform: {min: 1, max: 9}}}\n"
    "costs:\n"
    "  - {name: api, type: model_api, input_tokens: 600 to 2000, output_tokens: 120 to 500,\n"
    "     calls_per_request: {discrete: {values: [1, 2, 5], weights: [0.5, 0.3, 0.2]}},\n"
    "     cached_share: {beta: {a: 6, b: 4}},\n"
    "     price_per_million: {input: 3, output: 15, cached_input: 0.3},\n"
    "     price_change: {chance_per_month: 0.1, factor: 0.8}}\n"
    "  - {name: gpus, type: compute, requests_per_instance: 15000, min_instances: 1,\n"
    "     max_instances: 6, hourly_rate: 2.5, reserved: {instances: 2, hourly_rate: 1.6}}\n"
    "  - {name: tune, type: training, jobs_per_month: 0.7,\n"
    "     gpu_hours: {gamma: {shape: 3, scale: 10}}, hourly_rate: 30}\n"
    "  - {name: evals, type: training, chance_per_month: 0.3,\n"
    "     gpu_hours: {pert: {min: 2, mode: 5, max: 20}}, hourly_rate: 12}\n"
    "  - {name: egress, type: per_request, category: storage, units_per_request: 0.002 to 0.02,\n"
    "     tiers: [{up_to: 100, unit_price: 0}, {up_to: 400, unit_price: 0.09},\n"
    "             {unit_price: 0.05}]}\n"
    "  - {name: ops, type: fixed, category: mlops,\n"
    "     monthly: {triangular: {min: 900, mode: 1200, max: 2000}, vary: monthly}, from_month: 3}\n"
    "  - {name: logs, type: storage, initial_gb: {gamma: {shape: 2, scale: 100}},\n"
    "     gb_per_request: 0.0001, price_per_gb_month: 0.023}\n"
    "  - {name: review, type: oversight, review_share: {beta: {a: 2, b: 98}},\n"
    "     minutes_per_review: {lognormal: {median: 4, sigma: 0.3}}, hourly_rate: 40}\n"
    "correlations:\n"
    "  - {between: [costs.api.input_tokens, costs.api.output_tokens], rank: 0.6}\n";

/* Every path replayed alone, every draw by seeking (support.h's test_path: no plan, no
 * table, no list, no lanes), sums in the engine's order: the engine's sketch of the totals,
 * drawn ahead in groups and lists, holds exactly the same values. */
static void test_paths_replay_alone(void **state)
{
    (void)state;
    rr_scenario *s = load(every_kind);
    test_replay_alone(s, 3000, 2);
    rr_scenario_free(s);
}

/* Bit-identical results for 1, 2 and 5 threads (more threads than cores is fine). */
static void test_thread_count_independent(void **state)
{
    (void)state;
    rr_scenario *s = load(full);
    rr_result *r1 = simulate(s, 20000, 1);
    rr_result *r2 = simulate(s, 20000, 2);
    rr_result *r5 = simulate(s, 20000, 5);
    assert_same_results(r1, r2);
    assert_same_results(r1, r5);
    rr_result_free(r1);
    rr_result_free(r2);
    rr_result_free(r5);
    rr_scenario_free(s);
}

/* Each input draws from its own stream: adding a component changes no other component's
 * numbers, and removing spikes' neighbours does not move demand. */
static void test_streams_independent_of_other_inputs(void **state)
{
    (void)state;
    rr_scenario *a = load(full);
    char *more = malloc(strlen(full) + 200);
    assert_non_null(more);
    strcpy(more, full);
    strcat(more, "  - {name: extra, type: fixed, category: mlops, monthly: 100 to 900}\n");
    rr_scenario *b = load(more);
    free(more);
    rr_result *ra = simulate(a, 5000, 2), *rb = simulate(b, 5000, 2);
    for (size_t k = 0; k < a->ncomps; k++) {
        size_t ia = rr_result_comp(ra, k), ib = rr_result_comp(rb, k);
        assert_memory_equal(&ra->moments[ia], &rb->moments[ib], sizeof ra->moments[ia]);
        for (double p = 0; p <= 1.0; p += 0.05) {
            double x = rr_sketch_quantile(ra->sketch[ia], p), y = rr_sketch_quantile(rb->sketch[ib], p);
            assert_memory_equal(&x, &y, sizeof x);
        }
    }
    rr_result_free(ra);
    rr_result_free(rb);
    rr_scenario_free(a);
    rr_scenario_free(b);
}

/* p_exceed is the share of paths above the budget: against the lognormal's tail, within
 * the binomial standard error. */
static void test_budget_exceedance(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 1\nsimulation: {seed: 21}\n"
                          "budget: {total: 4000, confidence: 0.9}\n"
                          "demand: {requests_per_month: 1}\n"
                          "costs:\n  - {name: f, type: fixed, category: mlops, "
                          "monthly: 1000 to 5000}\n");
    const double n = 100000;
    rr_result *r = simulate(s, (uint64_t)n, 2);
    rr_summary *sum = NULL;
    assert_int_equal(rr_summary_build(r, NULL, 0, &sum), RR_OK);
    double mu = 0.5 * (log(1000) + log(5000)), sigma = (log(5000) - log(1000)) / (2 * 1.6448536269514722);
    double p = gsl_cdf_lognormal_Q(4000, mu, sigma);
    assert_true(fabs(sum->p_exceed - p) < Z * sqrt(p * (1 - p) / n));
    /* recommended is the total's quantile at the confidence */
    assert_true(sum->recommended == rr_sketch_quantile(r->sketch[0], 0.9));
    double x = gsl_cdf_lognormal_Pinv(0.9, mu, sigma);
    check_quantile(sum->recommended, x, quantile_se(0.9, n, gsl_ran_lognormal_pdf(x, mu, sigma)));
    rr_summary_free(sum);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* The series add up: the total's mean is the sum of the categories' and of the months'. */
static void test_series_are_consistent(void **state)
{
    (void)state;
    rr_scenario *s = load(full);
    rr_result *r = simulate(s, 20000, 2);
    double cats = 0, months = 0, comps = 0;
    for (int c = 0; c < r->ncat; c++)
        cats += r->moments[rr_result_cat(r, c)].mean;
    for (int m = 0; m < r->horizon; m++)
        months += r->moments[rr_result_month(r, m)].mean;
    for (size_t k = 0; k < r->ncomp; k++)
        comps += r->moments[rr_result_comp(r, k)].mean;
    double t = r->moments[0].mean;
    assert_true(fabs(cats - t) < 1e-9 * t);
    assert_true(fabs(months - t) < 1e-9 * t);
    assert_true(fabs(comps - t) < 1e-9 * t);
    assert_int_equal(r->ncat, 5);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* A total beyond 1e100 stops the run, as an infinite one does: its moments would overflow
 * (a growth of 1e15 a month makes the month-9 cost about 1e135). */
static void test_total_beyond_limit_faults(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 10\n"
                          "demand: {requests_per_month: 1000, growth_per_month: 1e15}\n"
                          "costs:\n  - {name: o, type: oversight, review_share: 1, "
                          "minutes_per_review: 60, hourly_rate: 1}\n");
    rr_plan *p = NULL;
    assert_int_equal(rr_plan_new(s, &p), RR_OK);
    rr_diags d;
    rr_diags_init(&d, "t");
    rr_sim_config cfg = { .paths = 100, .seed = 1, .threads = 2 };
    rr_result *r = NULL;
    assert_int_equal(rr_sim_run(p, &cfg, &r, &d), RR_ERR_NUMERIC);
    assert_null(r);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "the total became"));
    assert_non_null(strstr(d.v[0].msg, "more than the 1e100 runrate adds up"));
    rr_diags_free(&d);
    rr_plan_free(p);
    rr_scenario_free(s);
}

static void test_block_size_depends_on_paths_only(void **state)
{
    (void)state;
    assert_int_equal(rr_sim_block_size(1), RR_SIM_MIN_BLOCK);
    /* From 65,536 paths on there are between 1,000 and 1,024 blocks: the block slots'
     * memory does not grow with the path count. */
    assert_int_equal(rr_sim_block_size(100000), 98);
    for (uint64_t n = 65536; n < 100000000; n = n * 3 + 1) {
        uint64_t b = rr_sim_block_size(n), blocks = (n + b - 1) / b;
        assert_true(blocks >= 1000 && blocks <= RR_SIM_MAX_BLOCKS);
    }
    assert_int_equal(rr_sim_block_size(10000000), 9766);
    uint64_t n = 10000000000ull, b = rr_sim_block_size(n);
    assert_true((n + b - 1) / b <= RR_SIM_MAX_BLOCKS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lognormal_input_quantiles),
        cmocka_unit_test(test_sum_of_monthly_normals),
        cmocka_unit_test(test_poisson_job_count),
        cmocka_unit_test(test_spike_premium_mean),
        cmocka_unit_test(test_thread_count_independent),
        cmocka_unit_test(test_paths_replay_alone),
        cmocka_unit_test(test_streams_independent_of_other_inputs),
        cmocka_unit_test(test_budget_exceedance),
        cmocka_unit_test(test_series_are_consistent),
        cmocka_unit_test(test_total_beyond_limit_faults),
        cmocka_unit_test(test_block_size_depends_on_paths_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
