/* test_swing: the drivers' swings and rank shares (run/swing.h) against closed forms.
 *
 * - A total that is 12 (X + Y), X and Y independent normals: holding X at its P10 and at
 *   its P90 moves the total's mean by exactly 12 (x90 - x10) and its P50 by the same up to
 *   the sketch's relative accuracy; the values held are the exact quantiles.
 * - With X and Y correlated, the partner keeps its own draws: the mean with X held at v is
 *   the base mean minus 12 times X's sample mean plus 12 v, to rounding.
 * - A multiplicative total 12000 U P (U, P lognormal): Spearman's rho of U with the total is
 *   that of the normals log U and log U + log P, (6 / pi) asin(rho / 2); the engine's rank
 *   share must match it within its Monte Carlo error, and match the exact rank correlation
 *   of the same paths' values (sorted here) within 0.01.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "run/swing.h"
#include "sample/plan.h"
#include "support.h"

#define PATHS 20000

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const char *const sum_yaml =
    "name: sum\nhorizon_months: 12\n"
    "demand: {requests_per_month: 1000}\n"
    "costs:\n"
    "  - {name: x, type: fixed, category: mlops, monthly: {normal: {mean: 1000, sd: 200}}}\n"
    "  - {name: y, type: fixed, category: mlops, monthly: {normal: {mean: 1000, sd: 100}}}\n";

/* Run s, then its swings for `top` drivers; the plan is returned for its drivers. */
static rr_result *run_swings(const rr_scenario *s, size_t top, rr_plan **plan)
{
    assert_int_equal(rr_plan_new(s, plan), RR_OK);
    rr_sim_config cfg = { .paths = PATHS, .seed = 7, .threads = 2 };
    rr_diags d;
    rr_diags_init(&d, NULL);
    rr_result *r = NULL;
    assert_int_equal(rr_sim_run(*plan, &cfg, &r, &d), RR_OK);
    assert_int_equal(rr_swing_run(*plan, &cfg, top, r, &d), RR_OK);
    rr_diags_free(&d);
    return r;
}

static size_t driver_named(const rr_plan *p, const char *path)
{
    for (size_t i = 0; i < p->ndrivers; i++)
        if (strcmp(p->drivers[i].input->path, path) == 0)
            return i;
    fail_msg("no driver %s", path);
    return 0;
}

static void test_swings_of_a_sum(void **state)
{
    (void)state;
    rr_scenario *s = test_load(sum_yaml, NULL);
    rr_plan *p;
    rr_result *r = run_swings(s, 10, &p);
    assert_int_equal(r->nswings, 2);
    const double z = gsl_cdf_ugaussian_Pinv(0.9);
    const double sd[2] = { 200, 100 };
    /* X (sd 200) drives 4/5 of the variance: it comes first. */
    assert_int_equal(r->swings[0].driver, driver_named(p, "costs.x.monthly"));
    assert_int_equal(r->swings[1].driver, driver_named(p, "costs.y.monthly"));
    for (size_t k = 0; k < 2; k++) {
        const rr_result_swing *w = &r->swings[k];
        assert_near(w->low_value, 1000 - z * sd[k], 1e-9);
        assert_near(w->high_value, 1000 + z * sd[k], 1e-9);
        const double width = 12 * (w->high_value - w->low_value);
        assert_near(w->mean_high - w->mean_low, width, 1e-9 * width);
        /* Each P50 is a sketch's, within its relative accuracy of the exact one. */
        const double acc = RR_SKETCH_REL_ACCURACY * (fabs(w->p50_low) + fabs(w->p50_high));
        assert_near(w->p50_high - w->p50_low, width, acc);
        /* The other input is as simulated: its sample median, within 4 standard errors of
         * the normal's median (sd sqrt(pi/2) / sqrt(n)), plus the sketch's accuracy. */
        const double other = sd[1 - k];
        const double se = other * sqrt(M_PI / 2) / sqrt((double)PATHS);
        assert_near(w->p50_low, 12 * (w->low_value + 1000),
                            12 * 4 * se + RR_SKETCH_REL_ACCURACY * w->p50_low);
    }
    rr_result_free(r);
    rr_plan_free(p);
    rr_scenario_free(s);
}

static void test_swings_none(void **state)
{
    (void)state;
    rr_scenario *s = test_load(sum_yaml, NULL);
    rr_plan *p;
    rr_result *r = run_swings(s, 0, &p);
    assert_int_equal(r->nswings, 0);
    assert_true(isnan(r->rank_share[0]) && isnan(r->rank_share[1]));
    rr_result_free(r);
    rr_plan_free(p);
    rr_scenario_free(s);
}

static void test_correlated_partner_keeps_its_draws(void **state)
{
    (void)state;
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "%scorrelations:\n"
             "  - {between: [costs.x.monthly, costs.y.monthly], rank: 0.8}\n", sum_yaml);
    rr_scenario *s = test_load(yaml, NULL);
    rr_plan *p;
    rr_result *r = run_swings(s, 1, &p);
    assert_int_equal(r->nswings, 1);
    const rr_result_swing *w = &r->swings[0];
    const size_t x = driver_named(p, "costs.x.monthly");
    assert_int_equal(w->driver, x);
    const double base = r->moments[rr_result_total()].mean;
    const double mx = r->driver_mom[x].mx;   /* X's sample mean over the same paths */
    /* Were Y drawn anew given X (conditionally), its mean would move by about 0.8 * 100 *
     * 1.28 = 100 a month: far outside this tolerance. */
    assert_near(w->mean_low, base - 12 * mx + 12 * w->low_value, 1e-9 * base);
    assert_near(w->mean_high, base - 12 * mx + 12 * w->high_value, 1e-9 * base);
    rr_result_free(r);
    rr_plan_free(p);
    rr_scenario_free(s);
}

/* Spearman's rho of n pairs, from their ranks (no ties here). */
static double spearman(const double *a, const double *b, size_t n)
{
    double *ra = malloc(n * sizeof *ra), *rb = malloc(n * sizeof *rb);
    size_t *ia = malloc(n * sizeof *ia), *ib = malloc(n * sizeof *ib);
    assert_non_null(ra);
    assert_non_null(rb);
    assert_non_null(ia);
    assert_non_null(ib);
    gsl_sort_index(ia, a, 1, n);
    gsl_sort_index(ib, b, 1, n);
    for (size_t i = 0; i < n; i++) {
        ra[ia[i]] = (double)i;
        rb[ib[i]] = (double)i;
    }
    double rho = gsl_stats_correlation(ra, 1, rb, 1, n);
    free(ra);
    free(rb);
    free(ia);
    free(ib);
    return rho;
}

static void test_rank_share_of_a_product(void **state)
{
    (void)state;
    const double su = 0.8, sp = 0.3;
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: product\nhorizon_months: 12\n"
             "demand: {requests_per_month: 1000}\n"
             "costs:\n"
             "  - {name: api, type: per_request, category: managed_ai,\n"
             "     units_per_request: {lognormal: {median: 1, sigma: %g}},\n"
             "     unit_price: {lognormal: {median: 0.01, sigma: %g}}}\n", su, sp);
    rr_scenario *s = test_load(yaml, NULL);
    rr_plan *p;
    rr_result *r = run_swings(s, 0 + 1, &p);
    const size_t u = driver_named(p, "costs.api.units_per_request");
    const size_t pr = driver_named(p, "costs.api.unit_price");

    /* The closed form, within 4 standard errors: for the Fisher z of Spearman's rho under
     * normality, var = 1.06 / (n - 3) (Fieller, Hartley and Pearson 1957); by the delta
     * method se(rho^2) = 2 rho (1 - rho^2) sqrt(1.06 / (n - 3)). */
    const double rho_u = su / sqrt(su * su + sp * sp), rho_p = sp / sqrt(su * su + sp * sp);
    const double rs_u = 6 / M_PI * asin(rho_u / 2), rs_p = 6 / M_PI * asin(rho_p / 2);
    const double k = sqrt(1.06 / (PATHS - 3.0));
    assert_near(r->rank_share[u], rs_u * rs_u, 4 * 2 * rs_u * (1 - rs_u * rs_u) * k);
    assert_near(r->rank_share[pr], rs_p * rs_p, 4 * 2 * rs_p * (1 - rs_p * rs_p) * k);

    /* Against the exact rank correlation of the same paths, replayed alone. */
    double *xu = malloc(PATHS * sizeof *xu), *xp = malloc(PATHS * sizeof *xp),
           *tot = malloc(PATHS * sizeof *tot);
    assert_non_null(xu);
    assert_non_null(xp);
    assert_non_null(tot);
    for (uint64_t i = 0; i < PATHS; i++) {
        test_path t;
        test_path_start(&t, s, 7, i);
        xu[i] = test_path_value(&t, p->drivers[u].input, 0);
        xp[i] = test_path_value(&t, p->drivers[pr].input, 0);
        test_path_end(&t);
        tot[i] = 12000 * xu[i] * xp[i];
    }
    const double eu = spearman(xu, tot, PATHS), ep = spearman(xp, tot, PATHS);
    assert_near(r->rank_share[u], eu * eu, 0.01);
    assert_near(r->rank_share[pr], ep * ep, 0.01);
    /* Pearson's share on the raw scale is not the rank one: the point of having both. */
    assert_true(fabs(rr_result_driver_share(r, u) - r->rank_share[u]) > 0.02);
    free(xu);
    free(xp);
    free(tot);
    rr_result_free(r);
    rr_plan_free(p);
    rr_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_swings_of_a_sum),
        cmocka_unit_test(test_swings_none),
        cmocka_unit_test(test_correlated_partner_keeps_its_draws),
        cmocka_unit_test(test_rank_share_of_a_product),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
