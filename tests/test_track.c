/* test_track: the re-forecast's measurement model (stats/track.h) on the engine's per-path
 * values (sim.h's taps), against closed forms.
 *
 * The conjugate case: base volume lognormal (median e^mu0, sigma s0) drawn once per path,
 * a month's noise lognormal (sigma sn), no growth, a constant price c per request.  A month's
 * log cost is ln c + ln base + sn Z.  Observing k months' log costs y_m through
 * ln a ~ N(ln x, s^2) makes ln base normal with variance v = 1 / (1/s0^2 + k/(sn^2 + s^2))
 * and mean v (mu0/s0^2 + sum(y_m - ln c)/(sn^2 + s^2)); a later month's log cost is then
 * N(mean + ln c, v + sn^2).  The weighted P50 and P95 of a later month must match it within
 * four standard errors of a quantile from the effective sample size.
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
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "run/series.h"
#include "run/sim.h"
#include "sample/plan.h"
#include "stats/track.h"
#include "support.h"

#define PATHS 100000

/* mu0 = ln 50000, s0 = 0.5, sn = 0.1, c = 0.02. */
static const char *const conj_yaml =
    "name: conjugate\nhorizon_months: 6\n"
    "demand: {requests_per_month: {lognormal: {median: 50000, sigma: 0.5}}, noise: 0.1}\n"
    "costs:\n"
    "  - {name: api, type: per_request, units_per_request: 1, unit_price: 0.02}\n";

/* Run plan p's paths 0..n-1 keeping the ntaps values of each path: row p of the result. */
static double *run_kept(const rr_plan *p, const rr_sim_tap *tap, size_t ntaps, uint64_t n,
                        uint64_t seed, int threads)
{
    double *v = calloc(rr_sim_tap_rows(n) * ntaps, sizeof *v);
    assert_non_null(v);
    rr_sim_taps taps = { ntaps, tap, v };
    rr_sim_config cfg = { .paths = n, .seed = seed, .threads = threads, .taps = &taps };
    rr_diags d;
    rr_diags_init(&d, NULL);
    rr_result *r = NULL;
    assert_int_equal(rr_sim_run(p, &cfg, &r, &d), RR_OK);
    rr_result_free(r);
    rr_diags_free(&d);
    return v;
}

/* Run s with the component's monthly cost kept for every month: row p, column m. */
static double *run_taps(const rr_scenario *s, int threads, uint64_t n, size_t *ncols)
{
    rr_plan *p;
    assert_int_equal(rr_plan_new(s, &p), RR_OK);
    const int H = p->horizon;
    rr_sim_tap tap[16];
    for (int m = 0; m < H; m++)
        tap[m] = (rr_sim_tap){ .kind = RR_TAP_COMP_MONTH, .index = 0, .month = m };
    double *v = run_kept(p, tap, (size_t)H, n, 11, threads);
    rr_plan_free(p);
    *ncols = (size_t)H;
    return v;
}

static void test_conjugate_reforecast(void **state)
{
    (void)state;
    rr_scenario *s = test_load(conj_yaml, NULL);
    size_t H;
    double *v = run_taps(s, 2, PATHS, &H);
    const double mu0 = log(50000), s0 = 0.5, sn = 0.1, c = 0.02, tol = 0.1;
    /* Three months observed a third above the prior median, with some scatter. */
    const double y[3] = { mu0 + log(c) + 0.30, mu0 + log(c) + 0.22, mu0 + log(c) + 0.35 };
    rr_track_cell cells[3];
    double sum = 0;
    for (int m = 0; m < 3; m++) {
        cells[m] = (rr_track_cell){ (size_t)m, exp(y[m]) };
        sum += y[m] - log(c);
    }
    const double a = sn * sn + tol * tol, vpost = 1 / (1 / (s0 * s0) + 3 / a);
    const double mpost = vpost * (mu0 / (s0 * s0) + sum / a);
    double *w = malloc(PATHS * sizeof *w), *x = malloc(PATHS * sizeof *x), ess;
    rr_track_weights(v, PATHS, H, cells, 3, tol, NULL, w, &ess);
    assert_true(ess > 1000);
    /* Month 5 (the sixth), never observed. */
    rr_track_column(v, PATHS, H, 5, x);
    const double p[2] = { 0.5, 0.95 };
    double q[2], mean, sd;
    assert_int_equal(rr_track_stats(x, w, PATHS, p, 2, q, &mean, &sd), 0);
    const double sdp = sqrt(vpost + sn * sn), loc = mpost + log(c);
    for (int j = 0; j < 2; j++) {
        double z = gsl_cdf_ugaussian_Pinv(p[j]);
        double want = exp(loc + sdp * z);
        /* A quantile's standard error: sqrt(p (1 - p) / ESS) / density at it. */
        double dens = gsl_ran_lognormal_pdf(want, loc, sdp);
        double se = sqrt(p[j] * (1 - p[j]) / ess) / dens;
        print_message("conjugate: P%.0f %.2f, closed form %.2f, 4 se %.2f (ESS %.0f of %d)\n",
                      100 * p[j], q[j], want, 4 * se, ess, PATHS);
        assert_near(q[j], want, 4 * se);
    }
    /* The exact mean of the lognormal predictive, within four of its standard errors. */
    double want_mean = exp(loc + 0.5 * sdp * sdp);
    assert_near(mean, want_mean, 4 * sd / sqrt(ess));
    free(w);
    free(x);
    free(v);
    rr_scenario_free(s);
}

/* Calibration: bills made from single paths of the scenario itself (another seed), each
 * observed month times exp(s Z) of measurement error, s the tolerance.  Over many such
 * trials the true path's month-0 cost falls inside the forecast's P5-P95 at the nominal 90%
 * (exactly, without the measurement error), and its remaining total inside the re-forecast's
 * P5-P95 at about 90% (the posterior is calibrated when the bills follow the model).  Trials
 * are independent paths: a binomial count, checked within four standard errors. */
static const char *const calib_yaml =
    "name: calibration\nhorizon_months: 12\n"
    "demand: {requests_per_month: {lognormal: {median: 80000, sigma: 0.4}}, noise: 0.15,\n"
    "         growth_per_month: {normal: {mean: 0.03, sd: 0.02}}}\n"
    "costs:\n"
    "  - {name: api, type: per_request, units_per_request: 1, unit_price: 0.01}\n"
    "  - {name: ops, type: fixed, category: mlops, monthly: {lognormal: {median: 900, sigma: 0.2}}}\n";

static double *run_calib(const rr_scenario *s, uint64_t n, uint64_t seed, size_t *ncols)
{
    rr_plan *p;
    assert_int_equal(rr_plan_new(s, &p), RR_OK);
    rr_result *shape = rr_series_result(p);
    assert_non_null(shape);
    const int H = p->horizon;
    /* Columns 0..2: api's months 0..2 (observed); 3..14: each month's total. */
    rr_sim_tap tap[15];
    for (int m = 0; m < 3; m++)
        tap[m] = (rr_sim_tap){ .kind = RR_TAP_COMP_MONTH, .index = 0, .month = m };
    for (int m = 0; m < H; m++)
        tap[3 + m] = (rr_sim_tap){ .kind = RR_TAP_SERIES, .index = rr_result_month(shape, m) };
    double *v = run_kept(p, tap, 15, n, seed, 2);
    rr_result_free(shape);
    rr_plan_free(p);
    *ncols = 15;
    return v;
}

static void test_calibration(void **state)
{
    (void)state;
    enum { N = 20000, TRIALS = 400 };
    const double tol = 0.1;
    rr_scenario *s = test_load(calib_yaml, NULL);
    size_t nc;
    double *v = run_calib(s, N, 5, &nc), *truth = run_calib(s, TRIALS, 99, &nc);
    double *w = malloc(N * sizeof *w), *x = malloc(N * sizeof *x), *rest = malloc(N * sizeof *rest);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 2026);
    /* The forecast's band of month 0's cost. */
    rr_track_column(v, N, nc, 0, x);
    rr_track_band band0;
    assert_int_equal(rr_track_band_of(x, NULL, N, &band0), 0);
    for (uint64_t i = 0; i < N; i++) {
        rest[i] = 0;
        for (int m = 3; m < 12; m++)
            rest[i] += v[i * nc + 3 + (size_t)m];
    }
    int inside0 = 0, inside_rest = 0;
    double min_ess = N;
    for (int k = 0; k < TRIALS; k++) {
        const double *row = truth + (size_t)k * nc;
        inside0 += row[0] >= band0.p5 && row[0] <= band0.p95;
        rr_track_cell cells[3];
        for (int m = 0; m < 3; m++)
            cells[m] = (rr_track_cell){ (size_t)m, row[m] * exp(tol * gsl_ran_ugaussian(g)) };
        double ess;
        rr_track_weights(v, N, nc, cells, 3, tol, NULL, w, &ess);
        min_ess = fmin(min_ess, ess);
        rr_track_band b;
        assert_int_equal(rr_track_band_of(rest, w, N, &b), 0);
        double true_rest = 0;
        for (int m = 3; m < 12; m++)
            true_rest += row[3 + m];
        inside_rest += true_rest >= b.p5 && true_rest <= b.p95;
    }
    const double se = sqrt(0.9 * 0.1 / TRIALS);
    print_message("calibration: month 0 inside P5-P95 %d/%d, remaining total inside the "
                  "re-forecast's P5-P95 %d/%d (least ESS %.0f)\n", inside0, TRIALS, inside_rest,
                  TRIALS, min_ess);
    assert_near((double)inside0 / TRIALS, 0.9, 4 * se);
    assert_near((double)inside_rest / TRIALS, 0.9, 4 * se);
    gsl_rng_free(g);
    free(w);
    free(x);
    free(rest);
    free(v);
    free(truth);
    rr_scenario_free(s);
}

/* Kept values are the same bits on one thread and on three. */
static void test_taps_thread_invariant(void **state)
{
    (void)state;
    rr_scenario *s = test_load(conj_yaml, NULL);
    size_t H;
    double *a = run_taps(s, 1, 5000, &H), *b = run_taps(s, 3, 5000, &H);
    assert_memory_equal(a, b, 5000 * H * sizeof *a);
    free(a);
    free(b);
    rr_scenario_free(s);
}

/* Weights with no cells are all 1; a cell whose simulated values are all <= 0 weighs every
 * path alike (it drops out) instead of zeroing them. */
static void test_weights_edges(void **state)
{
    (void)state;
    double v[4] = { 0, 0, -1, 0 }, w[4], ess;
    rr_track_weights(v, 4, 1, NULL, 0, 0.1, NULL, w, &ess);
    assert_near(ess, 4, 0);
    rr_track_cell c = { 0, 100 };
    rr_track_weights(v, 4, 1, &c, 1, 0.1, NULL, w, &ess);
    for (int i = 0; i < 4; i++)
        assert_near(w[i], 1, 0);
    assert_near(ess, 4, 1e-12);
}

/* Rank with ties counted half; weighted quantiles of a small sample by hand. */
static void test_rank_and_quantiles(void **state)
{
    (void)state;
    const double x[5] = { 3, 1, 2, 2, 5 };
    assert_near(rr_track_rank(x, 5, 2), (1 + 0.5 * 2) / 5.0, 0);
    assert_near(rr_track_rank(x, 5, 0), 0, 0);
    assert_near(rr_track_rank(x, 5, 9), 1, 0);
    const double w[5] = { 1, 0, 1, 1, 1 }, p[3] = { 0.25, 0.5, 1 };
    double q[3], mean, sd;
    assert_int_equal(rr_track_stats(x, w, 5, p, 3, q, &mean, &sd), 0);
    /* Values 2, 2, 3, 5 of weight 1 each (1 has weight 0). */
    assert_near(q[0], 2, 0);
    assert_near(q[1], 2, 0);
    assert_near(q[2], 5, 0);
    assert_near(mean, 3, 1e-15);
    assert_near(sd, sqrt((1 + 1 + 0 + 4) / 4.0), 1e-15);
    assert_near(rr_track_exceed(x, w, 5, 2), 0.5, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conjugate_reforecast),
        cmocka_unit_test(test_taps_thread_invariant),
        cmocka_unit_test(test_calibration),
        cmocka_unit_test(test_weights_edges),
        cmocka_unit_test(test_rank_and_quantiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
