/* test_correlation: rank correlations by a Gaussian copula.  The achieved Spearman
 * correlation is within Monte Carlo error of the target, each marginal keeps its own
 * distribution, inputs left out keep their draws, and impossible or ill-formed correlation
 * blocks are refused with a message that names the inputs. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "support.h"
#include "scenario/scenario.h"
#include "run/sim.h"

#define Z 5.0
#define N 20000

static rr_status load(const char *yaml, rr_scenario **s, rr_diags *d)
{
    rr_node *root = NULL;
    rr_diags_init(d, "test.yaml");
    *s = NULL;
    rr_status st = rr_node_load_string(yaml, strlen(yaml), &root, d);
    if (st == RR_OK)
        st = rr_scenario_from_node(root, s, d);
    rr_node_free(root);
    return st;
}

static const char *const head =
    "name: t\nhorizon_months: 1\n"
    "demand: {requests_per_month: 1000 to 5000}\n"
    "costs:\n"
    "  - {name: api, type: model_api, input_tokens: 600 to 2000,\n"
    "     output_tokens: {triangular: {min: 100, mode: 200, max: 600}},\n"
    "     calls_per_request: {discrete: {values: [1, 2, 4], weights: [5, 3, 2]}},\n"
    "     cached_share: {beta: {a: 2, b: 3}}, price_per_million: {input: 3, output: 15}}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: {normal: {mean: 100, sd: 10}, vary: monthly}}\n";

/* Draw N paths' inputs as one path alone draws them (support.h); x and y receive the
 * values of inputs a and b. */
static void draw(const rr_scenario *s, const rr_input *a, const rr_input *b, double *x,
                 double *y)
{
    for (uint64_t p = 0; p < N; p++) {
        test_path t;
        test_path_start(&t, s, 17, p);
        x[p] = test_path_value(&t, a, 0);
        y[p] = test_path_value(&t, b, 0);
        test_path_end(&t);
    }
}

static double spearman(const double *x, const double *y)
{
    double *rx = malloc(N * sizeof *rx), *ry = malloc(N * sizeof *ry), *work = malloc(2 * N * sizeof *work);
    assert_true(rx && ry && work);
    memcpy(rx, x, N * sizeof *rx);
    memcpy(ry, y, N * sizeof *ry);
    double rho = gsl_stats_spearman(rx, 1, ry, 1, N, work);
    free(rx);
    free(ry);
    free(work);
    return rho;
}

static void test_spearman_and_marginals(void **state)
{
    (void)state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml, "%scorrelations:\n"
             "  - {between: [costs.api.input_tokens, costs.api.output_tokens], rank: 0.7}\n"
             "  - {between: [demand.requests_per_month, costs.api.cached_share], rank: -0.5}\n", head);
    rr_scenario *s;
    rr_diags d;
    assert_int_equal(load(yaml, &s, &d), RR_OK);
    rr_diags_free(&d);
    assert_int_equal(s->corr.m, 4);
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    assert_true(x && y);

    /* input_tokens ("600 to 2000") with output_tokens (triangular), rank 0.7.  The sample
     * Spearman's standard error is about (1 - rho^2) sqrt(1.06 / (n - 3)) (Fieller et al.). */
    draw(s, &s->comps[0].in[0], &s->comps[0].in[1], x, y);
    double se = (1 - 0.49) * sqrt(1.06 / (N - 3));
    double rs = spearman(x, y);
    if (fabs(rs - 0.7) > Z * se)
        fail_msg("Spearman %.4f, target 0.7 +- %.4f", rs, Z * se);
    /* Marginals: the p5/p50/p95 of input_tokens are the lognormal's, of output_tokens the
     * triangular's (sample quantile se: sqrt(p(1-p)/n) / f). */
    double mu = 0.5 * (log(600) + log(2000)), sigma = (log(2000) - log(600)) / (2 * 1.6448536269514722);
    gsl_sort(x, 1, N);
    for (double p = 0.05; p < 1; p += 0.45) {
        double q = gsl_cdf_lognormal_Pinv(p, mu, sigma);
        double tol = Z * sqrt(p * (1 - p) / N) / gsl_ran_lognormal_pdf(q, mu, sigma);
        assert_true(fabs(gsl_stats_quantile_from_sorted_data(x, 1, N, p) - q) < tol);
    }
    gsl_sort(y, 1, N);
    double ymin = y[0], ymax = y[N - 1];
    assert_true(ymin >= 100 && ymax <= 600);
    /* Triangular(100, 200, 600): P(Y <= 200) = 0.2. */
    size_t below = 0;
    while (below < N && y[below] <= 200)
        below++;
    assert_true(fabs(below / (double)N - 0.2) < Z * sqrt(0.2 * 0.8 / N));

    /* demand with cached_share (beta), rank -0.5. */
    draw(s, &s->streams[0].d.in[RR_DEMAND_BASE], &s->comps[0].in[3], x, y);
    se = (1 - 0.25) * sqrt(1.06 / (N - 3));
    rs = spearman(x, y);
    if (fabs(rs + 0.5) > Z * se)
        fail_msg("Spearman %.4f, target -0.5 +- %.4f", rs, Z * se);
    double mean = gsl_stats_mean(y, 1, N), sd_beta = sqrt(2.0 * 3 / (25 * 6));
    assert_true(fabs(mean - 0.4) < Z * sd_beta / sqrt(N));

    /* calls_per_request is not correlated: same draws as without a correlations block, and
     * the discrete law keeps its weights. */
    rr_scenario *plain;
    assert_int_equal(load(head, &plain, &d), RR_OK);
    rr_diags_free(&d);
    double *x2 = malloc(N * sizeof *x2), *y2 = malloc(N * sizeof *y2);
    assert_true(x2 && y2);
    draw(s, &s->comps[0].in[2], &s->comps[0].in[1], x, y);
    draw(plain, &plain->comps[0].in[2], &plain->comps[0].in[1], x2, y2);
    assert_memory_equal(x, x2, N * sizeof *x);
    free(x2);
    free(y2);
    rr_scenario_free(plain);
    free(x);
    free(y);
    rr_scenario_free(s);
}

/* A correlated discrete input keeps its probabilities (the quantile search of the copula). */
static void test_discrete_marginal(void **state)
{
    (void)state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml, "%scorrelations:\n"
             "  - {between: [costs.api.calls_per_request, costs.api.input_tokens], rank: 0.6}\n", head);
    rr_scenario *s;
    rr_diags d;
    assert_int_equal(load(yaml, &s, &d), RR_OK);
    rr_diags_free(&d);
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    assert_true(x && y);
    draw(s, &s->comps[0].in[2], &s->comps[0].in[0], x, y);
    size_t c1 = 0, c2 = 0, c4 = 0;
    for (size_t i = 0; i < N; i++) {
        c1 += x[i] == 1;
        c2 += x[i] == 2;
        c4 += x[i] == 4;
    }
    assert_int_equal(c1 + c2 + c4, N);
    assert_true(fabs(c1 / (double)N - 0.5) < Z * sqrt(0.25 / N));
    assert_true(fabs(c2 / (double)N - 0.3) < Z * sqrt(0.21 / N));
    /* Ties make Spearman of a discrete input smaller than the copula's: check only the sign
     * and a clear positive association. */
    assert_true(spearman(x, y) > 0.3);
    free(x);
    free(y);
    rr_scenario_free(s);
}

static void expect_error(const char *corr, const char *substring)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, "%scorrelations:\n%s", head, corr);
    rr_scenario *s;
    rr_diags d;
    assert_int_equal(load(yaml, &s, &d), RR_ERR_SCENARIO);
    assert_null(s);
    int found = 0;
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.v[i].msg, substring) != NULL;
    if (!found)
        fail_msg("no error containing '%s' (first: %s)", substring, d.n ? d.v[0].msg : "none");
    rr_diags_free(&d);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("  - {between: [costs.api.input_tokens, costs.api.output_tokens], rank: 0.9}\n"
                 "  - {between: [costs.api.input_tokens, costs.api.cached_share], rank: 0.9}\n"
                 "  - {between: [costs.api.output_tokens, costs.api.cached_share], rank: -0.9}\n",
                 "not positive definite): costs.api.input_tokens, costs.api.output_tokens, "
                 "costs.api.cached_share");
    expect_error("  - {between: [costs.api.input_tokens, costs.nope.x], rank: 0.5}\n", "no such input");
    expect_error("  - {between: [costs.api.input_tokens, costs.api.price_per_million.input], rank: 0.5}\n",
                 "it is a constant");
    expect_error("  - {between: [costs.api.input_tokens, costs.ops.monthly], rank: 0.5}\n",
                 "drawn every month");
    expect_error("  - {between: [costs.api.input_tokens, costs.api.output_tokens], rank: 1}\n",
                 "strictly between -1 and 1");
    expect_error("  - {between: [costs.api.input_tokens, costs.api.input_tokens], rank: 0.5}\n",
                 "correlated with itself");
    expect_error("  - {between: [costs.api.input_tokens, costs.api.output_tokens], rank: 0.5}\n"
                 "  - {between: [costs.api.output_tokens, costs.api.input_tokens], rank: 0.2}\n",
                 "already correlated");
    expect_error("  - {between: [costs.api.input_tokens], rank: 0.5}\n", "expected two input names");
    expect_error("  - {betwen: [a, b], rank: 0.5}\n", "did you mean 'between'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spearman_and_marginals),
        cmocka_unit_test(test_discrete_marginal),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
