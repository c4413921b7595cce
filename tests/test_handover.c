/* test_handover: the figures of the budget handover against closed forms: quantile
 * confidence intervals, precision mode, drivers, the spike premium, the monthly budget and
 * the unit cost.  Tolerances come from the Monte Carlo error at the sample size used. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "support.h"
#include "run/precision.h"
#include "sample/plan.h"
#include "stats/quantci.h"
#include "scenario/scenario.h"
#include "run/sim.h"
#include "stats/summary.h"

#define Z 5.0

static rr_scenario *load(const char *yaml)
{
    return test_load(yaml, NULL);
}

/* The binomial ranks of the textbook case (n = 100, median: X(40)..X(61)), and the normal
 * approximation used above 2^31 agrees with the exact search where both apply. */
static void test_ci_ranks(void **state)
{
    (void)state;
    uint64_t lo, hi;
    rr_quantci_ranks(100, 0.5, &lo, &hi);
    assert_int_equal(lo, 40);
    assert_int_equal(hi, 61);
    /* One value: no order statistic bounds the P95 from either side. */
    rr_quantci_ranks(1, 0.95, &lo, &hi);
    assert_true(lo == 0 && hi == 2);
    /* The lower end of P5 and upper of P95 exist from 72 values on (P(B <= 0) = 0.95^72 <
     * 0.025 <= 0.95^71), that of P99.9's from about 3,700. */
    rr_quantci_ranks(71, 0.05, &lo, &hi);
    assert_int_equal(lo, 0);
    rr_quantci_ranks(72, 0.05, &lo, &hi);
    assert_int_equal(lo, 1);
    rr_quantci_ranks(71, 0.95, &lo, &hi);
    assert_int_equal(hi, 72);
    rr_quantci_ranks(72, 0.95, &lo, &hi);
    assert_int_equal(hi, 72);
    rr_quantci_ranks(3000, 0.999, &lo, &hi);
    assert_int_equal(hi, 3001);
    rr_quantci_ranks(4000, 0.999, &lo, &hi);
    assert_true(hi <= 4000);
    rr_quantci_ranks(1000000, 0.95, &lo, &hi);
    double c = 1000000 * 0.95, w = 1.959964 * sqrt(1000000 * 0.95 * 0.05);
    assert_true(fabs((double)lo - (c - w)) <= 2 && fabs((double)hi - (c + w)) <= 3);
}

/* Coverage by simulation: for a normal total and several path counts and percentiles, the
 * extreme ones included (where an end of the interval is unbounded), the share of runs whose
 * interval holds the true percentile is at least 95% (less 3 standard errors) and equals
 * the exact P(l <= B <= u - 1), B ~ Binomial(n, p), within 3 standard errors: the binomial
 * interval is conservative (98.3% for P95 at n = 100).  The sketch may move an end by 0.1%:
 * that much is allowed. */
static void test_ci_coverage(void **state)
{
    (void)state;
    /* A wide normal: its intervals are wide against the sketch's 0.1%. */
    rr_scenario *s = load("name: t\nhorizon_months: 1\ndemand: {requests_per_month: 1}\n"
                          "costs:\n  - {name: f, type: fixed, category: mlops, "
                          "monthly: {normal: {mean: 2000, sd: 500}}}\n");
    static const uint64_t ns[] = { 20, 100, 1000 };
    static const double ps[] = { 0.05, 0.5, 0.95, 0.99, 0.999 };
    enum { NP = sizeof ps / sizeof *ps, RUNS = 1000 };
    const double extra[] = { 99.9 };
    for (size_t a = 0; a < sizeof ns / sizeof *ns; a++) {
        int held[NP] = { 0 };
        for (int i = 0; i < RUNS; i++) {
            rr_result *r = test_run(s, ns[a], 5000 + (uint64_t)i, 1);
            rr_summary *sum = NULL;
            assert_int_equal(rr_summary_build(r, extra, 1, &sum), RR_OK);
            for (size_t k = 0; k < NP; k++) {
                int qi = rr_summary_qindex(sum, ps[k] * 100);
                assert_true(qi >= 0);
                double truth = 2000 + gsl_cdf_gaussian_Pinv(ps[k], 500);
                double lo = sum->total.lo[qi], hi = sum->total.hi[qi];
                held[k] += lo <= truth * 1.001 && truth <= hi * 1.001;
            }
            rr_summary_free(sum);
            rr_result_free(r);
        }
        for (size_t k = 0; k < NP; k++) {
            uint64_t l, u;
            rr_quantci_ranks(ns[a], ps[k], &l, &u);
            double exact = gsl_cdf_binomial_P((unsigned)(u - 1), ps[k], (unsigned)ns[a]) -
                           (l ? gsl_cdf_binomial_P((unsigned)(l - 1), ps[k], (unsigned)ns[a]) : 0);
            double cover = (double)held[k] / RUNS, se = sqrt(exact * (1 - exact) / RUNS);
            print_message("ci95 coverage, n %4llu, p %-5g: %.3f (exact %.4f, ranks %llu..%llu)\n",
                          (unsigned long long)ns[a], ps[k], cover, exact, (unsigned long long)l,
                          (unsigned long long)u);
            if (cover < 0.95 - 3 * se - 1e-9 || fabs(cover - exact) > 3 * se + 1.0 / RUNS)
                fail_msg("n %llu, p %g: coverage %.4f, exact %.4f (se %.4f)",
                         (unsigned long long)ns[a], ps[k], cover, exact, se);
        }
    }
    rr_scenario_free(s);
}

static const char *const spiky =
    "name: t\nhorizon_months: 12\nsimulation: {seed: 4}\n"
    "demand:\n  requests_per_month: 50000 to 90000\n  noise: 0.1\n"
    "  spikes: {per_month: 0.3, multiplier: 1.5 to 4, days: {uniform: {min: 1, max: 5}}}\n"
    "costs:\n  - {name: api, type: model_api, input_tokens: 500 to 3000, output_tokens: 200,\n"
    "     price_per_million: {input: 3, output: 15}}\n"
    "  - {name: gpu, type: compute, requests_per_instance: 20000, hourly_rate: 1}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: 1000 to 3000}\n";

/* --precision: the target is met, and the same batches and numbers come out at 1 and 2
 * threads. */
static void test_precision_reproducible(void **state)
{
    (void)state;
    rr_scenario *s = load(spiky);
    rr_plan *p = NULL;
    assert_int_equal(rr_plan_new(s, &p), RR_OK);
    rr_diags d;
    rr_diags_init(&d, "t");
    rr_result *r[2];
    double achieved[2];
    int met[2];
    for (int t = 0; t < 2; t++) {
        rr_sim_config cfg = { .seed = 4, .threads = t + 1 };
        assert_int_equal(rr_precision_run(p, &cfg, 0.005, 2000000, &r[t], &achieved[t], &met[t], &d),
                         RR_OK);
    }
    assert_true(met[0] && met[1]);
    assert_true(achieved[0] <= 0.005);
    assert_true(r[0]->paths > RR_PRECISION_FIRST);   /* this scenario needs more than one batch */
    assert_int_equal(r[0]->paths, r[1]->paths);
    assert_memory_equal(&achieved[0], &achieved[1], sizeof achieved[0]);
    for (size_t i = 0; i < r[0]->nseries; i++) {
        assert_memory_equal(&r[0]->moments[i], &r[1]->moments[i], sizeof r[0]->moments[i]);
        double a = rr_sketch_quantile(r[0]->sketch[i], 0.95), b = rr_sketch_quantile(r[1]->sketch[i], 0.95);
        assert_memory_equal(&a, &b, sizeof a);
    }
    /* A cap below the need stops there, unmet. */
    rr_result *capped;
    double ach;
    int ok;
    rr_sim_config cfg = { .seed = 4, .threads = 2 };
    assert_int_equal(rr_precision_run(p, &cfg, 0.002, 30000, &capped, &ach, &ok, &d), RR_OK);
    assert_false(ok);
    assert_int_equal(capped->paths, 30000);
    assert_true(ach > 0.002);
    rr_result_free(capped);
    rr_result_free(r[0]);
    rr_result_free(r[1]);
    rr_diags_free(&d);
    rr_plan_free(p);
    rr_scenario_free(s);
}

/* Drivers on a total built to have a known ranking: three independent normal costs with sd
 * 300, 200 and 100 add up, so their shares of the variance are 9/14, 4/14 and 1/14; and a
 * GPU's requests per instance lowers the cost (direction "-").  The sample r^2 has standard
 * error about 2 r sqrt(1 - r^2)... bounded by 2/sqrt(n); we use 5 of those. */
static void test_drivers_known_ranking(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 1\ndemand: {requests_per_month: 1}\n"
                          "costs:\n"
                          "  - {name: c, type: fixed, category: mlops, monthly: {normal: {mean: 5000, sd: 100}}}\n"
                          "  - {name: a, type: fixed, category: mlops, monthly: {normal: {mean: 5000, sd: 300}}}\n"
                          "  - {name: b, type: fixed, category: mlops, monthly: {normal: {mean: 5000, sd: 200}}}\n"
                          "  - {name: m, type: fixed, category: mlops, monthly: {normal: {mean: 0, sd: 1}, vary: monthly}}\n");
    const double n = 100000;
    rr_summary *sum = test_summarise(s, (uint64_t)n, 8, 2, NULL);
    assert_int_equal(sum->ndrivers, 3);   /* the monthly input is not a driver */
    assert_string_equal(sum->drivers[0].input, "costs.a.monthly");
    assert_string_equal(sum->drivers[1].input, "costs.b.monthly");
    assert_string_equal(sum->drivers[2].input, "costs.c.monthly");
    const double want[3] = { 9 / 14.0, 4 / 14.0, 1 / 14.0 };
    for (int i = 0; i < 3; i++) {
        assert_true(fabs(sum->drivers[i].share - want[i]) < Z * 2 / sqrt(n));
        assert_int_equal(sum->drivers[i].sign, 1);
    }
    rr_summary_free(sum);
    rr_scenario_free(s);

    s = load("name: t\nhorizon_months: 1\ndemand: {requests_per_month: 1000000}\n"
             "costs:\n  - {name: g, type: compute, requests_per_instance: 10000 to 100000, "
             "hourly_rate: 1}\n");
    sum = test_summarise(s, 20000, 8, 2, NULL);
    assert_int_equal(sum->ndrivers, 1);
    assert_int_equal(sum->drivers[0].sign, -1);
    /* The cost is about proportional to 1/X for a lognormal X (sigma 0.7): corr(X, 1/X) =
     * -exp(-sigma^2), so r^2 = exp(-2 sigma^2) = 0.375; the ceil() of whole instances only
     * blurs it a little. */
    assert_true(sum->drivers[0].share > 0.3 && sum->drivers[0].share < 0.45);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

/* The spike premium of a cost linear in demand: base * sum over months of c * N[m], so its
 * mean is H * base * lambda * c with c = (M - 1) D / 30; zero without spikes; negative with a
 * multiplier below 1 (a "spike" that lowers demand). */
static void test_spike_premium(void **state)
{
    (void)state;
    const char *fmt = "name: t\nhorizon_months: 6\ndemand: {requests_per_month: 1000%s}\n"
                      "costs:\n  - {name: o, type: oversight, review_share: 1, minutes_per_review: 60, "
                      "hourly_rate: 1}\n  - {name: f, type: fixed, category: mlops, monthly: 10}\n";
    char yaml[512];
    snprintf(yaml, sizeof yaml, fmt, "");
    rr_scenario *s = load(yaml);
    rr_result *r;
    rr_summary *sum = test_summarise(s, 5000, 1, 2, &r);
    assert_true(rr_sketch_min(r->sketch[rr_result_spike(r)]) == 0 &&
                rr_sketch_max(r->sketch[rr_result_spike(r)]) == 0);
    assert_true(sum->spike_total.mean == 0 && sum->spike_total.sd == 0);
    assert_false(sum->has_spikes);
    rr_summary_free(sum);
    rr_result_free(r);
    rr_scenario_free(s);

    const double n = 100000, H = 6, base = 1000, lambda = 0.5;
    for (int neg = 0; neg < 2; neg++) {
        double M = neg ? 0.5 : 3, D = 6, c = (M - 1) * D / 30;
        char sp[128];
        snprintf(sp, sizeof sp, ", spikes: {per_month: %g, multiplier: %g, days: %g}", lambda, M, D);
        snprintf(yaml, sizeof yaml, fmt, sp);
        s = load(yaml);
        sum = test_summarise(s, (uint64_t)n, 3, 2, &r);
        double mean = H * base * lambda * c, sd = sqrt(H * lambda) * base * fabs(c);
        assert_true(fabs(sum->spike_total.mean - mean) < Z * sd / sqrt(n));
        /* The fixed cost does not follow demand: its category's premium is exactly 0. */
        int mlops = r->cat_slot[RR_CAT_MLOPS];
        assert_true(rr_sketch_min(r->sketch[rr_result_spike_cat(r, mlops)]) == 0 &&
                    rr_sketch_max(r->sketch[rr_result_spike_cat(r, mlops)]) == 0);
        if (neg)
            assert_true(rr_sketch_max(r->sketch[rr_result_spike(r)]) == 0 && sum->spike_total.q[0] < 0);
        else
            assert_true(rr_sketch_min(r->sketch[rr_result_spike(r)]) == 0);
        /* Premium = total with spikes - total without: with spikes minus the premium is the
         * spike-free total H * (base + 10), on every path. */
        assert_true(fabs(sum->total.mean - sum->spike_total.mean - H * (base + 10)) < 1e-6);
        rr_summary_free(sum);
        rr_result_free(r);
        rr_scenario_free(s);
    }
}

/* Spikes that lower demand never take it below zero: with multiplier 0 over 30 days, a
 * month with n >= 1 spikes has eff = max(0, 1 - n) req = 0, so E[total] = H base e^-lambda. */
static void test_demand_never_negative(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 4\ndemand: {requests_per_month: 1000, "
                          "spikes: {per_month: 2, multiplier: 0, days: 30}}\n"
                          "costs:\n  - {name: o, type: oversight, review_share: 1, "
                          "minutes_per_review: 60, hourly_rate: 1}\n");
    rr_result *r;
    const double n = 100000, p0 = exp(-2.0);
    rr_summary *sum = test_summarise(s, (uint64_t)n, 5, 2, &r);
    assert_true(rr_sketch_min(r->sketch[rr_result_total()]) >= 0);
    double mean = 4 * 1000 * p0, sd = 1000 * sqrt(4 * p0 * (1 - p0));
    assert_true(fabs(sum->total.mean - mean) < Z * sd / sqrt(n));
    rr_summary_free(sum);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* Storage remembers the past: the premium of a spike persists in later months. */
static void test_spike_premium_stateful(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 3\ndemand: {requests_per_month: 1000, "
                          "spikes: {per_month: 0.4, multiplier: 2, days: 30}}\n"
                          "costs:\n  - {name: st, type: storage, gb_per_request: 1, price_per_gb_month: 1}\n");
    rr_result *r;
    rr_summary *sum = test_summarise(s, 50000, 5, 2, &r);
    /* Month m stores sum_{j<=m} eff[j]; a spike in month j (doubling it) adds 1000 to every
     * month from j on: premium = 1000 * sum_j N[j] * (3 - j), mean 1000 * 0.4 * (3 + 2 + 1). */
    double mean = 1000 * 0.4 * 6, sd = 1000 * sqrt(0.4 * (9 + 4 + 1));
    assert_true(fabs(sum->spike_total.mean - mean) < Z * sd / sqrt(50000.0));
    rr_summary_free(sum);
    rr_result_free(r);
    rr_scenario_free(s);
}

/* budget.monthly: the share of paths above it each month is the lognormal's tail; the first
 * month whose P80 exceeds it follows the growth. */
static void test_monthly_budget(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nstart: 2027-01\nhorizon_months: 6\n"
                          "budget: {monthly: 1250}\n"
                          "demand: {requests_per_month: 1000, growth_per_month: 0.1}\n"
                          "costs:\n  - {name: o, type: oversight, review_share: 1, minutes_per_review: 60, "
                          "hourly_rate: {lognormal: {median: 1, sigma: 0.2}, vary: monthly}}\n");
    const double n = 100000;
    rr_summary *sum = test_summarise(s, (uint64_t)n, 2, 2, NULL);
    assert_true(sum->has_budget_monthly);
    int first = -1;
    for (int m = 0; m < 6; m++) {
        double scale = 1000 * pow(1.1, m);
        double p = gsl_cdf_lognormal_Q(1250 / scale, 0, 0.2);
        assert_true(fabs(sum->monthly_p_exceed[m] - p) < Z * sqrt(p * (1 - p) / n) + 1e-12);
        /* P80 of month m: 1000 * 1.1^m * 1.183; 1183 and 1301 lie far (hundreds of standard
         * errors) on either side of 1250. */
        if (first < 0 && scale * gsl_cdf_lognormal_Pinv(0.8, 0, 0.2) > 1250)
            first = m;
    }
    assert_int_equal(sum->first_month_over, first);
    assert_string_equal(sum->months[first], "2027-02");
    rr_summary_free(sum);
    rr_scenario_free(s);
}

/* Unit cost on constant inputs: cost / requests * 1000, exactly; spikes count as served. */
static void test_unit_cost(void **state)
{
    (void)state;
    rr_scenario *s = load("name: t\nhorizon_months: 4\ndemand: {requests_per_month: 2000, growth_per_month: 0.5}\n"
                          "costs:\n  - {name: o, type: oversight, review_share: 0.5, minutes_per_review: 6, "
                          "hourly_rate: 20}\n  - {name: f, type: fixed, category: mlops, monthly: 100}\n");
    rr_summary *sum = test_summarise(s, 3000, 1, 2, NULL);
    double req = 2000 + 3000 + 4500 + 6750;
    double total = req * 0.5 * 0.1 * 20 + 400;
    for (size_t i = 0; i < sum->nq; i++) {
        assert_true(fabs(sum->unit_horizon.q[i] - total / req * 1000) < 1e-9);
        assert_true(fabs(sum->unit_last.q[i] - (6750 + 100) / 6750.0 * 1000) < 1e-9);
    }
    assert_true(sum->unit_horizon.sd == 0);
    rr_summary_free(sum);
    rr_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ci_ranks),
        cmocka_unit_test(test_ci_coverage),
        cmocka_unit_test(test_precision_reproducible),
        cmocka_unit_test(test_drivers_known_ranking),
        cmocka_unit_test(test_spike_premium),
        cmocka_unit_test(test_spike_premium_stateful),
        cmocka_unit_test(test_demand_never_negative),
        cmocka_unit_test(test_monthly_budget),
        cmocka_unit_test(test_unit_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
