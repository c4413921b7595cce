/* test_dist: every distribution kind against its closed form.
 *
 * Each kind draws n = 200,000 values with rr_dist_sample from a Philox generator seeked to a
 * fixed position (its own stream per test), then:
 *   - the builder's rr_dist_mean and rr_dist_quantile agree with closed forms written out
 *     here (a relative 1e-10: both are deterministic functions);
 *   - the sample mean lies within Z standard errors sd/sqrt(n) of the closed-form mean;
 *   - the sample p-quantiles (p = 0.05, 0.5, 0.95; the order statistic of rank ceil(p n))
 *     lie within Z asymptotic standard errors sqrt(p(1-p)/n) / f(x_p) of the closed-form
 *     quantiles x_p (GSL's gsl_cdf_*_Pinv, or a closed form where GSL has none);
 *   - continuous kinds: the Kolmogorov distance sup |F_n - F| is below the
 *     Dvoretzky-Kiefer-Wolfowitz-Massart bound eps = sqrt(ln(2/alpha) / (2n)), which holds
 *     for every n with probability at least 1 - alpha (alpha = 1e-6);
 *   - discrete kinds: the empirical CDF at each support point lies within Z binomial
 *     standard errors sqrt(F(1-F)/n) of the CDF, and the sample quantile is the exact
 *     quantile (after checking that F is at least Z standard errors away from p on both
 *     sides of it, so that no other value is within reach of the sample).
 * Z = 5: a correct sampler fails a check about once in 1.7 million.  The seeds are fixed,
 * so a run is deterministic and a failure is a regression, not bad luck.
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

#include "scenario/diag.h"
#include "sample/dist.h"
#include "sample/draw.h"
#include "scenario/input.h"
#include "scenario/node.h"
#include "sample/rng.h"


#define NS 200000            /* samples per distribution */
#define Z 5.0                /* standard errors */
#define KS_ALPHA 1e-6        /* false-alarm probability of each Kolmogorov check */
#define SEED UINT64_C(20270301)
#define PATH 17              /* the fixed position: (SEED, stream, PATH, step 0) */

static const double probs[3] = { 0.05, 0.5, 0.95 };

/* ---- helpers ------------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static gsl_rng *rng_at(const char *stream)
{
    gsl_rng *r = gsl_rng_alloc(rr_rng_philox);
    assert_non_null(r);
    rr_rng_seek(r, SEED, rr_rng_stream_id(stream), PATH, 0);
    return r;
}

/* NS draws of d from the position of `stream`. */
static double *draw(const rr_dist *d, const char *stream)
{
    gsl_rng *r = rng_at(stream);
    double *x = malloc(NS * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < NS; i++)
        x[i] = rr_dist_sample(d, r);
    gsl_rng_free(r);
    return x;
}

static double mean_of(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s / (double)n;
}

/* The sample p-quantile of sorted x: the order statistic of 1-based rank ceil(p n). */
static double sample_quantile(const double *sorted, size_t n, double p)
{
    size_t k = (size_t)ceil(p * (double)n - 1e-9);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return sorted[k - 1];
}

static void assert_near(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.12g, expected %.12g +- %.3g", what, got, want, tol);
}

static void assert_rel(const char *what, double got, double want, double rel)
{
    assert_near(what, got, want, rel * fabs(want));
}

static void assert_message(const char *msg, const char *word)
{
    assert_non_null(msg);
    assert_true(msg[0] != '\0');
    if (!strstr(msg, word))
        fail_msg("message \"%s\" does not name '%s'", msg, word);
}

/* ---- continuous kinds --------------------------------------------------------------------- */

typedef double (*fn_t)(double x, const double *a);

typedef struct cont {
    const char *name;    /* also the stream the sample is drawn from */
    double a[4];         /* the closed forms' parameters */
    double mean, sd;     /* closed-form moments, written out by each test */
    fn_t cdf, pdf, qf;
} cont;

/* Checks d against c (see the top of the file); returns the sorted sample (caller frees). */
static double *check_continuous(const rr_dist *d, const cont *c)
{
    assert_rel(c->name, rr_dist_mean(d), c->mean, 1e-10);
    double *x = draw(d, c->name);
    assert_near(c->name, mean_of(x, NS), c->mean, Z * c->sd / sqrt((double)NS));
    qsort(x, NS, sizeof *x, cmp_double);
    for (size_t i = 0; i < 3; i++) {
        double p = probs[i], q = c->qf(p, c->a);
        assert_rel(c->name, rr_dist_quantile(d, p), q, 1e-10);
        double se = sqrt(p * (1 - p) / NS) / c->pdf(q, c->a);
        assert_near(c->name, sample_quantile(x, NS, p), q, Z * se);
    }
    /* Kolmogorov distance of the sorted sample to F. */
    double dmax = 0;
    for (size_t i = 0; i < NS; i++) {
        double f = c->cdf(x[i], c->a);
        double up = (double)(i + 1) / NS - f, down = f - (double)i / NS;
        if (up > dmax)
            dmax = up;
        if (down > dmax)
            dmax = down;
    }
    double eps = sqrt(log(2 / KS_ALPHA) / (2.0 * NS));
    assert_near(c->name, dmax, 0, eps);
    return x;
}

static double normal_cdf(double x, const double *a) { return gsl_cdf_gaussian_P(x - a[0], a[1]); }
static double normal_pdf(double x, const double *a) { return gsl_ran_gaussian_pdf(x - a[0], a[1]); }
static double normal_qf(double p, const double *a) { return a[0] + gsl_cdf_gaussian_Pinv(p, a[1]); }

static double lnorm_cdf(double x, const double *a) { return gsl_cdf_lognormal_P(x, a[0], a[1]); }
static double lnorm_pdf(double x, const double *a) { return gsl_ran_lognormal_pdf(x, a[0], a[1]); }
static double lnorm_qf(double p, const double *a) { return gsl_cdf_lognormal_Pinv(p, a[0], a[1]); }

static double flat_cdf(double x, const double *a) { return gsl_cdf_flat_P(x, a[0], a[1]); }
static double flat_pdf(double x, const double *a) { return gsl_ran_flat_pdf(x, a[0], a[1]); }
static double flat_qf(double p, const double *a) { return gsl_cdf_flat_Pinv(p, a[0], a[1]); }

/* Triangular (min a, mode c, max b), closed forms (GSL has none). */
static double tri_cdf(double x, const double *t)
{
    double a = t[0], c = t[1], b = t[2];
    if (x <= a)
        return 0;
    if (x >= b)
        return 1;
    if (x <= c)
        return (x - a) * (x - a) / ((b - a) * (c - a));
    return 1 - (b - x) * (b - x) / ((b - a) * (b - c));
}
static double tri_pdf(double x, const double *t)
{
    double a = t[0], c = t[1], b = t[2];
    if (x < a || x > b)
        return 0;
    return x < c ? 2 * (x - a) / ((b - a) * (c - a)) : 2 * (b - x) / ((b - a) * (b - c));
}
static double tri_qf(double p, const double *t)
{
    double a = t[0], c = t[1], b = t[2], fc = (c - a) / (b - a);
    return p < fc ? a + sqrt(p * (b - a) * (c - a)) : b - sqrt((1 - p) * (b - a) * (b - c));
}

/* A beta scaled to [a[0], a[0] + a[1]] with shapes a[2], a[3] (PERT and plain beta). */
static double sbeta_cdf(double x, const double *a)
{
    return gsl_cdf_beta_P((x - a[0]) / a[1], a[2], a[3]);
}
static double sbeta_pdf(double x, const double *a)
{
    return gsl_ran_beta_pdf((x - a[0]) / a[1], a[2], a[3]) / a[1];
}
static double sbeta_qf(double p, const double *a)
{
    return a[0] + a[1] * gsl_cdf_beta_Pinv(p, a[2], a[3]);
}

static double gamma_cdf(double x, const double *a) { return gsl_cdf_gamma_P(x, a[0], a[1]); }
static double gamma_pdf(double x, const double *a) { return gsl_ran_gamma_pdf(x, a[0], a[1]); }
static double gamma_qf(double p, const double *a) { return gsl_cdf_gamma_Pinv(p, a[0], a[1]); }

static cont lognormal_cont(const char *name, double mu, double sigma)
{
    double mean = exp(mu + 0.5 * sigma * sigma);
    cont c = { name, { mu, sigma, 0, 0 }, mean, mean * sqrt(expm1(sigma * sigma)), lnorm_cdf,
               lnorm_pdf, lnorm_qf };
    return c;
}

static void test_normal(void **state)
{
    (void)state;
    rr_dist d;
    assert_null(rr_dist_init_normal(&d, 10, 3));
    cont c = { "dist.normal", { 10, 3, 0, 0 }, 10, 3, normal_cdf, normal_pdf, normal_qf };
    free(check_continuous(&d, &c));
    rr_dist_free(&d);
}

/* A value given by its 5th and 95th percentiles must come back with those percentiles. */
static void test_lognormal_p5p95(void **state)
{
    (void)state;
    const double p5 = 600, p95 = 2000;
    rr_dist d;
    assert_null(rr_dist_init_lognormal_p5p95(&d, p5, p95));
    double z95 = gsl_cdf_ugaussian_Pinv(0.95);
    double mu = 0.5 * (log(p5) + log(p95)), sigma = (log(p95) - log(p5)) / (2 * z95);
    cont c = lognormal_cont("dist.lognormal.p5p95", mu, sigma);
    double *x = check_continuous(&d, &c);
    assert_rel("p5", rr_dist_quantile(&d, 0.05), p5, 1e-10);
    assert_rel("p95", rr_dist_quantile(&d, 0.95), p95, 1e-10);
    assert_near("sample p5", sample_quantile(x, NS, 0.05), p5,
                Z * sqrt(0.05 * 0.95 / NS) / gsl_ran_lognormal_pdf(p5, mu, sigma));
    assert_near("sample p95", sample_quantile(x, NS, 0.95), p95,
                Z * sqrt(0.05 * 0.95 / NS) / gsl_ran_lognormal_pdf(p95, mu, sigma));
    free(x);
    rr_dist_free(&d);
}

static void test_lognormal_median_sigma(void **state)
{
    (void)state;
    rr_dist d;
    assert_null(rr_dist_init_lognormal_median(&d, 100, 0.5));
    cont c = lognormal_cont("dist.lognormal.median", log(100), 0.5);
    double *x = check_continuous(&d, &c);
    assert_near("median", sample_quantile(x, NS, 0.5), 100,
                Z * sqrt(0.25 / NS) / gsl_ran_lognormal_pdf(100, log(100), 0.5));
    free(x);
    rr_dist_free(&d);
}

/* {mean, sd} are those of the value itself: the sample gives them back.  The sample sd's
 * standard error is sd sqrt((kappa - 1) / (4n)) (delta method on the sample variance), with
 * kappa = e^{4s} + 2e^{3s} + 3e^{2s} - 3 the lognormal's kurtosis, s = sigma^2. */
static void test_lognormal_mean_sd(void **state)
{
    (void)state;
    const double mean = 1000, sd = 300;
    rr_dist d;
    assert_null(rr_dist_init_lognormal_moments(&d, mean, sd));
    double s2 = log(1 + (sd / mean) * (sd / mean));
    cont c = lognormal_cont("dist.lognormal.moments", log(mean) - 0.5 * s2, sqrt(s2));
    assert_rel("closed-form mean", c.mean, mean, 1e-12);
    assert_rel("closed-form sd", c.sd, sd, 1e-12);
    double *x = check_continuous(&d, &c);
    double m = mean_of(x, NS), ss = 0;
    for (size_t i = 0; i < NS; i++)
        ss += (x[i] - m) * (x[i] - m);
    double kappa = exp(4 * s2) + 2 * exp(3 * s2) + 3 * exp(2 * s2) - 3;
    assert_near("sample sd", sqrt(ss / NS), sd, Z * sd * sqrt((kappa - 1) / (4.0 * NS)));
    free(x);
    rr_dist_free(&d);
}

/* Parse one YAML value as an input; returns rr_input_parse's result, diagnostics in *diags
 * (initialised here, freed by the caller). */
static int parse_input(rr_input *in, const char *yaml, rr_domain dom, rr_diags *diags)
{
    rr_diags_init(diags, "test.yaml");
    rr_node *root = NULL;
    assert_int_equal(rr_node_load_string(yaml, strlen(yaml), &root, diags), RR_OK);
    int rc = rr_input_parse(in, root, "test.value", dom, 0, diags);
    rr_node_free(root);
    return rc;
}

/* "A to B" is a lognormal whose 5th and 95th percentiles are A and B. */
static void test_a_to_b(void **state)
{
    (void)state;
    rr_input in;
    rr_diags diags;
    assert_int_equal(parse_input(&in, "600 to 2000", RR_DOMAIN_NONNEG, &diags), 0);
    assert_int_equal(diags.n, 0);
    assert_int_equal(in.dist.kind, RR_DIST_LOGNORMAL);
    double mu = 0.5 * (log(600) + log(2000));
    double sigma = (log(2000) - log(600)) / (2 * gsl_cdf_ugaussian_Pinv(0.95));
    cont c = lognormal_cont("dist.a_to_b", mu, sigma);
    double *x = check_continuous(&in.dist, &c);
    assert_near("sample p5", sample_quantile(x, NS, 0.05), 600,
                Z * sqrt(0.05 * 0.95 / NS) / gsl_ran_lognormal_pdf(600, mu, sigma));
    assert_near("sample p95", sample_quantile(x, NS, 0.95), 2000,
                Z * sqrt(0.05 * 0.95 / NS) / gsl_ran_lognormal_pdf(2000, mu, sigma));
    free(x);
    rr_input_free(&in);
    rr_diags_free(&diags);

    /* 0 < A < B, or an error that says so, and the input is left a constant. */
    static const char *const bad[] = { "2000 to 600", "600 to 600", "0 to 5", "-1 to 5" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(parse_input(&in, bad[i], RR_DOMAIN_NONNEG, &diags), -1);
        assert_true(diags.n >= 1);
        assert_message(diags.v[0].msg, "A to B");
        assert_int_equal(diags.v[0].line, 1);
        assert_int_equal(in.dist.kind, RR_DIST_CONST);
        rr_input_free(&in);
        rr_diags_free(&diags);
    }
}

static void test_uniform(void **state)
{
    (void)state;
    rr_dist d;
    assert_null(rr_dist_init_uniform(&d, 2, 5));
    cont c = { "dist.uniform", { 2, 5, 0, 0 }, 3.5, 3 / sqrt(12.0), flat_cdf, flat_pdf, flat_qf };
    double *x = check_continuous(&d, &c);
    assert_true(x[0] >= 2 && x[NS - 1] <= 5);
    free(x);
    rr_dist_free(&d);
}

/* Triangular: mean (a+b+c)/3, variance (a^2+b^2+c^2-ab-ac-bc)/18, and the share of draws
 * below the mode is (c-a)/(b-a) within the binomial standard error. */
static void test_triangular(void **state)
{
    (void)state;
    const double a = 10, c = 30, b = 90;
    rr_dist d;
    assert_null(rr_dist_init_triangular(&d, a, c, b));
    double var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    cont t = { "dist.triangular", { a, c, b, 0 }, (a + b + c) / 3, sqrt(var), tri_cdf, tri_pdf,
               tri_qf };
    double *x = check_continuous(&d, &t);
    assert_true(x[0] >= a && x[NS - 1] <= b);
    size_t below = 0;
    while (below < NS && x[below] < c)
        below++;
    double fc = (c - a) / (b - a);
    assert_near("share below the mode", (double)below / NS, fc, Z * sqrt(fc * (1 - fc) / NS));
    free(x);
    rr_dist_free(&d);

    /* The mode may sit at either end. */
    static const double modes[2] = { 10, 90 };
    for (size_t i = 0; i < 2; i++) {
        assert_null(rr_dist_init_triangular(&d, a, modes[i], b));
        double m = (a + modes[i] + b) / 3;
        double v = (a * a + b * b + modes[i] * modes[i] - a * b - a * modes[i] - b * modes[i]) / 18;
        assert_rel("mean", rr_dist_mean(&d), m, 1e-12);
        x = draw(&d, i ? "dist.triangular.right" : "dist.triangular.left");
        for (size_t k = 0; k < NS; k++)
            assert_true(x[k] >= a && x[k] <= b);
        assert_near("edge-mode mean", mean_of(x, NS), m, Z * sqrt(v / NS));
        free(x);
        rr_dist_free(&d);
    }
}

/* Beta-PERT, lambda 4: alpha = 1 + 4(mode-min)/(max-min), beta = 1 + 4(max-mode)/(max-min);
 * mean (min + 4 mode + max)/6, variance (mean-min)(max-mean)/7. */
static void test_pert(void **state)
{
    (void)state;
    const double lo = 100, mode = 200, hi = 600;
    rr_dist d;
    assert_null(rr_dist_init_pert(&d, lo, mode, hi));
    double range = hi - lo, mean = (lo + 4 * mode + hi) / 6;
    cont c = { "dist.pert",
               { lo, range, 1 + 4 * (mode - lo) / range, 1 + 4 * (hi - mode) / range },
               mean, sqrt((mean - lo) * (hi - mean) / 7), sbeta_cdf, sbeta_pdf, sbeta_qf };
    double *x = check_continuous(&d, &c);
    assert_true(x[0] >= lo && x[NS - 1] <= hi);
    free(x);
    rr_dist_free(&d);
}

/* runrate's own beta (a ratio of Marsaglia-Tsang gammas): a skewed one, a central one, and
 * one with both shapes below 1 (each gamma then takes the a + 1 route). */
static void test_beta(void **state)
{
    (void)state;
    static const double shapes[3][2] = { { 2, 98 }, { 6, 4 }, { 0.5, 0.5 } };
    static const char *const names[3] = { "dist.beta", "dist.beta.central", "dist.beta.small" };
    for (size_t i = 0; i < 3; i++) {
        const double a = shapes[i][0], b = shapes[i][1];
        rr_dist d;
        assert_null(rr_dist_init_beta(&d, a, b));
        cont c = { names[i], { 0, 1, a, b }, a / (a + b),
                   sqrt(a * b / ((a + b) * (a + b) * (a + b + 1))), sbeta_cdf, sbeta_pdf,
                   sbeta_qf };
        double *x = check_continuous(&d, &c);
        assert_true(x[0] >= 0 && x[NS - 1] <= 1);
        free(x);
        rr_dist_free(&d);
    }
}

/* Draws at listed positions (events: any paths, any steps, beyond a list's size) are the
 * draws rr_draw_input makes there, for samplers of one block, two blocks and more words,
 * and for a constant. */
static void test_draw_at(void **state)
{
    (void)state;
    enum { N = 1500 };
    rr_input in[5];
    memset(in, 0, sizeof in);
    assert_null(rr_dist_init_pert(&in[0].dist, 1.5, 2, 6));
    assert_null(rr_dist_init_lognormal_p5p95(&in[1].dist, 1.5, 3));
    assert_null(rr_dist_init_uniform(&in[2].dist, 1, 4));
    assert_null(rr_dist_init_gamma(&in[3].dist, 0.7, 2));
    assert_null(rr_dist_init_const(&in[4].dist, 2.5));
    rr_rng_list *l = rr_rng_list_new();
    gsl_rng *r = gsl_rng_alloc(rr_rng_philox);
    assert_non_null(l);
    assert_non_null(r);
    static uint64_t paths[N];
    static uint32_t steps[N];
    static double x[N];
    for (size_t i = 0; i < N; i++) {
        paths[i] = 1000 + 37 * i;
        steps[i] = RR_STEP_EVENT(i % 12, i % 3);
    }
    for (size_t k = 0; k < 5; k++) {
        in[k].stream = rr_rng_stream_id(k % 2 ? "demand.spikes.days" : "demand.spikes.multiplier");
        size_t listed = rr_draw_input_list(&in[k], l, r, 9, paths, steps, N, x);
        assert_true(k == 4 ? listed == 0 : listed <= N);
        for (size_t i = 0; i < N; i++) {
            double want = rr_draw_input(&in[k], r, 9, paths[i], steps[i]);
            assert_memory_equal(&want, &x[i], sizeof want);
        }
        rr_dist_free(&in[k].dist);
    }
    rr_rng_list_free(l);
    gsl_rng_free(r);
}

/* The Poisson walk of a group's lanes at once is the walk of each alone: means from tiny to
 * the inversion's limit, uniforms to the last double below 1, a zero mean. */
static void test_poisson_lanes(void **state)
{
    (void)state;
    enum { N = 100 };
    double u[N], mean[N], p0[N];
    unsigned k[N];
    uint64_t s = 1234567;
    for (int round = 0; round < 2000; round++) {
        for (int i = 0; i < N; i++) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            u[i] = i == 7 ? 0x1.fffffffffffffp-1 : (double)(s >> 11) * 0x1.0p-53;
            mean[i] = i == 3 ? 0 : 30.0 * (double)((s >> 3) % 1000) / 999.0 * (round % 2 ? 1 : 0.01);
            p0[i] = exp(-mean[i]);
        }
        rr_dist_poisson_u0_n(u, mean, p0, k, N);
        for (int i = 0; i < N; i++)
            assert_int_equal(k[i], rr_dist_poisson_u0(u[i], mean[i], p0[i]));
        /* By table, sixteen means at a time (a table too short for a walk says so). */
        for (int i0 = 0; i0 + 16 <= N; i0 += 16) {
            double T[200 * 16];
            size_t kt = rr_dist_poisson_cdf_n(mean + i0, p0 + i0, 16, T, 200);
            assert_true(kt > 0);
            assert_int_equal(rr_dist_poisson_cdf_n(mean + i0, p0 + i0, 16, T, 2), 0);
            kt = rr_dist_poisson_cdf_n(mean + i0, p0 + i0, 16, T, 200);
            rr_dist_poisson_count_n(u + i0, T, kt, 16, 16, k + i0);
            for (int i = i0; i < i0 + 16; i++)
                assert_int_equal(k[i], rr_dist_poisson_u0(u[i], mean[i], p0[i]));
            /* The same means for every block of sixteen uniforms (a horizon's months). */
            unsigned kk[N];
            rr_dist_poisson_count_n(u, T, kt, 16, 96, kk);
            for (int i = 0; i < 96; i++)
                assert_int_equal(kk[i], rr_dist_poisson_u0(u[i], mean[i0 + i % 16],
                                                            p0[i0 + i % 16]));
        }
    }
}

/* Draws made from a batch's words (the engine's tables) are the draws made by seeking, bit
 * for bit, for every kind of sampler: one block (normal, uniform kinds), two blocks (a beta's
 * first try, where it succeeds), and the samplers' own words beyond them. */
static void test_from_words(void **state)
{
    (void)state;
    static const double dv[3] = { 3, 4, 6 }, dw[3] = { 0.3, 0.5, 0.2 };
    rr_dist ds[9];
    assert_null(rr_dist_init_beta(&ds[0], 6, 4));
    assert_null(rr_dist_init_beta(&ds[1], 2, 98));
    assert_null(rr_dist_init_beta(&ds[2], 0.5, 3));
    assert_null(rr_dist_init_pert(&ds[3], 100, 200, 600));
    assert_null(rr_dist_init_gamma(&ds[4], 2.5, 3));
    assert_null(rr_dist_init_lognormal_p5p95(&ds[5], 60000, 110000));
    assert_null(rr_dist_init_triangular(&ds[6], 900, 1200, 2000));
    assert_null(rr_dist_init_discrete(&ds[7], dv, dw, 3));
    assert_null(rr_dist_init_beta(&ds[8], 1, 1));
    rr_dist_clamp(&ds[3], 150, 550);
    const uint64_t seed = 42, stream = rr_rng_stream_id("dist.words");
    const rr_rng_span spans[2] = { { stream, 3, 1, 0 }, { stream, 3, 1, 1 } };
    rr_rng_batch *b = rr_rng_batch_new(seed, spans, 2);
    gsl_rng *r = gsl_rng_alloc(rr_rng_philox);
    assert_non_null(b);
    assert_non_null(r);
    unsigned long seen = 0;
    for (size_t k = 0; k < 9; k++) {
        const rr_dist *d = &ds[k];
        for (uint64_t path0 = 0; path0 < 20000; path0 += RR_RNG_LANES) {
            rr_rng_batch_fill(b, path0);
            const uint32_t *const w[4] = { rr_rng_batch_words(b, 0, 0), rr_rng_batch_words(b, 0, 1),
                                           rr_rng_batch_words(b, 0, 2), rr_rng_batch_words(b, 0, 3) };
            const uint32_t *const v[4] = { rr_rng_batch_words(b, 1, 0), rr_rng_batch_words(b, 1, 1),
                                           rr_rng_batch_words(b, 1, 2), rr_rng_batch_words(b, 1, 3) };
            const rr_positions pos = { .seed = seed, .stream = stream, .path0 = path0, .step0 = 3 };
            double x[RR_RNG_LANES];
            rr_dist_from_words_n(d, rr_dist_draws_from(d), w, rr_dist_blocks(d) == 2 ? v : NULL,
                                 RR_RNG_LANES, &pos, r, x);
            for (unsigned l = 0; l < RR_RNG_LANES; l++) {
                rr_rng_seek(r, seed, stream, path0 + l, 3);
                double want = rr_dist_sample(d, r);
                if (memcmp(&want, &x[l], sizeof want) != 0)
                    fail_msg("dist %zu, path %llu: %.17g from words, %.17g by seeking", k,
                             (unsigned long long)(path0 + l), x[l], want);
                seen++;
            }
        }
    }
    assert_true(seen == 9 * 20000);
    assert_int_equal(rr_dist_blocks(&ds[0]), 2);
    assert_int_equal(rr_dist_blocks(&ds[4]), 1);
    assert_int_equal(rr_dist_blocks(&ds[2]), 1);
    assert_int_equal(rr_dist_blocks(&ds[3]), 2);
    for (size_t k = 0; k < 9; k++)
        rr_dist_free(&ds[k]);
    rr_rng_batch_free(b);
    gsl_rng_free(r);
}

/* Gamma with shape above and below 1 (sampled differently: Marsaglia-Tsang, and a + 1). */
static void test_gamma(void **state)
{
    (void)state;
    static const double shapes[2] = { 2, 0.5 }, scales[2] = { 3, 2 };
    static const char *const names[2] = { "dist.gamma", "dist.gamma.small" };
    for (size_t i = 0; i < 2; i++) {
        rr_dist d;
        assert_null(rr_dist_init_gamma(&d, shapes[i], scales[i]));
        cont c = { names[i], { shapes[i], scales[i], 0, 0 }, shapes[i] * scales[i],
                   sqrt(shapes[i]) * scales[i], gamma_cdf, gamma_pdf, gamma_qf };
        double *x = check_continuous(&d, &c);
        assert_true(x[0] >= 0);
        free(x);
        rr_dist_free(&d);
    }
}

/* ---- discrete kinds ----------------------------------------------------------------------- */

/* v: the support in ascending order, F: the CDF at each point (F[k-1] = 1 up to a tail
 * that no sample can reach); every draw must be one of v.  With check_qf, rr_dist_quantile
 * must give the exact quantiles too. */
static void check_discrete(const char *name, const rr_dist *d, const double *v, const double *F,
                           size_t k, double mean, double sd, int check_qf)
{
    assert_rel(name, rr_dist_mean(d), mean, 1e-10);
    double *x = draw(d, name);
    assert_near(name, mean_of(x, NS), mean, Z * sd / sqrt((double)NS));
    size_t *count = calloc(k, sizeof *count);
    assert_non_null(count);
    for (size_t i = 0; i < NS; i++) {
        size_t j = 0;
        while (j < k && v[j] != x[i])
            j++;
        if (j == k)
            fail_msg("%s: drew %.17g, which is not in the support", name, x[i]);
        count[j]++;
    }
    /* The empirical CDF, where the binomial count is large enough for its normal
     * approximation (n F (1-F) >= 10). */
    size_t cum = 0;
    for (size_t j = 0; j < k; j++) {
        cum += count[j];
        double f = F[j];
        if (NS * f * (1 - f) >= 10)
            assert_near(name, (double)cum / NS, f, Z * sqrt(f * (1 - f) / NS));
    }
    qsort(x, NS, sizeof *x, cmp_double);
    for (size_t i = 0; i < 3; i++) {
        double p = probs[i], se = sqrt(p * (1 - p) / NS);
        size_t j = 0;
        while (j < k && F[j] < p)
            j++;
        assert_true(j < k);
        /* Premise: the CDF steps over p with a margin of Z standard errors on each side. */
        assert_true(F[j] >= p + Z * se);
        assert_true(j == 0 || F[j - 1] <= p - Z * se);
        if (sample_quantile(x, NS, p) != v[j])
            fail_msg("%s: sample %g-quantile %g, expected %g", name, p,
                     sample_quantile(x, NS, p), v[j]);
        if (check_qf && rr_dist_quantile(d, p) != v[j])
            fail_msg("%s: rr_dist_quantile(%g) = %g, expected %g", name, p,
                     rr_dist_quantile(d, p), v[j]);
    }
    free(count);
    free(x);
}

static void test_poisson(void **state)
{
    (void)state;
    /* Inversion below a mean of 30 (one near its end), GSL's sampler above; means whose CDF
     * steps leave the checked quantiles Z standard errors of room. */
    static const double means[4] = { 4.5, 0.25, 29.5, 33 };
    static const char *const names[4] = { "dist.poisson", "dist.poisson.small",
                                          "dist.poisson.29", "dist.poisson.33" };
    double v[121], F[121];
    for (size_t i = 0; i < 4; i++) {
        rr_dist d;
        assert_null(rr_dist_init_poisson(&d, means[i]));
        for (unsigned j = 0; j < 121; j++) {
            v[j] = j;
            F[j] = gsl_cdf_poisson_P(j, means[i]);
        }
        /* P(N > 120) < 1e-20 for every mean: no sample lands beyond the table. */
        assert_true(gsl_cdf_poisson_Q(120, means[i]) < 1e-20);
        check_discrete(names[i], &d, v, F, 121, means[i], sqrt(means[i]), 1);
        rr_dist_free(&d);
    }
    /* No events without a positive mean. */
    gsl_rng *r = rng_at("dist.poisson.zero");
    assert_int_equal(rr_dist_poisson(r, 0), 0);
    assert_int_equal(rr_dist_poisson(r, -1), 0);
    gsl_rng_free(r);
}

static void test_bernoulli(void **state)
{
    (void)state;
    const double p = 0.3;
    rr_dist d;
    assert_null(rr_dist_init_bernoulli(&d, p));
    const double v[2] = { 0, 1 }, F[2] = { 1 - p, 1 };
    check_discrete("dist.bernoulli", &d, v, F, 2, p, sqrt(p * (1 - p)), 1);
    rr_dist_free(&d);

    /* p = 0 and p = 1 are allowed and certain. */
    for (int e = 0; e <= 1; e++) {
        assert_null(rr_dist_init_bernoulli(&d, e));
        gsl_rng *r = rng_at("dist.bernoulli.edge");
        for (int i = 0; i < 10000; i++)
            assert_true(rr_dist_sample(&d, r) == e);
        gsl_rng_free(r);
        rr_dist_free(&d);
    }
}

/* Weights are normalised (and copied, as are the values, kept sorted by value with their
 * weights); the values need not be given sorted; a zero weight is never drawn. */
static void test_discrete(void **state)
{
    (void)state;
    double values[3] = { 50, 10, 20 }, weights[3] = { 2, 3, 5 };
    rr_dist d;
    assert_null(rr_dist_init_discrete(&d, values, weights, 3));
    assert_int_equal(d.n, 3);
    assert_true(d.values != values && d.weights != weights);
    double sum = 0;
    const double sorted_v[3] = { 10, 20, 50 }, sorted_w[3] = { 3, 5, 2 };
    for (size_t i = 0; i < 3; i++) {
        assert_true(d.values[i] == sorted_v[i]);
        assert_rel("normalised weight", d.weights[i], sorted_w[i] / 10, 1e-15);
        sum += d.weights[i];
    }
    assert_rel("sum of weights", sum, 1, 1e-15);
    assert_true(weights[0] == 2 && weights[1] == 3 && weights[2] == 5);   /* untouched */
    /* Sorted support 10, 20, 50 with probabilities 0.3, 0.5, 0.2. */
    const double v[3] = { 10, 20, 50 }, F[3] = { 0.3, 0.8, 1.0 };
    double mean = 0.3 * 10 + 0.5 * 20 + 0.2 * 50;
    double var = 0.3 * 100 + 0.5 * 400 + 0.2 * 2500 - mean * mean;
    /* The caller's arrays may change afterwards: the distribution keeps its copies. */
    values[0] = -1;
    weights[0] = 1000;
    /* The quantile function walks the sorted support, whatever the order given. */
    check_discrete("dist.discrete", &d, v, F, 3, mean, sqrt(var), 1);
    rr_dist_free(&d);

    const double sw[3] = { 3, 5, 2 };
    assert_null(rr_dist_init_discrete(&d, v, sw, 3));
    check_discrete("dist.discrete.sorted", &d, v, F, 3, mean, sqrt(var), 1);
    rr_dist_free(&d);

    const double zv[3] = { 1, 2, 3 }, zw[3] = { 1, 0, 1 };
    assert_null(rr_dist_init_discrete(&d, zv, zw, 3));
    gsl_rng *r = rng_at("dist.discrete.zero");
    for (int i = 0; i < 20000; i++)
        assert_true(rr_dist_sample(&d, r) != 2);
    gsl_rng_free(r);
    rr_dist_free(&d);
}

/* ---- the ziggurat lognormal against GSL's own ------------------------------------------- */

/* Two independent samples of the same law: the difference of their p-quantiles has
 * standard error sqrt(2) sqrt(p(1-p)/n)/f(x_p), of their means sqrt(2) sd/sqrt(n); the
 * two-sample Kolmogorov distance stays below sqrt(ln(2/alpha)/2) sqrt(2/n) but with
 * probability alpha (its asymptotic tail is 2 exp(-2 (n/2) d^2) for two samples of n). */
static void test_lognormal_matches_gsl(void **state)
{
    (void)state;
    const double mu = log(100), sigma = 0.8;
    rr_dist d;
    assert_null(rr_dist_init_lognormal_median(&d, 100, sigma));
    double *x = draw(&d, "dist.zig.ours");
    double *y = malloc(NS * sizeof *y);
    assert_non_null(y);
    gsl_rng *r = rng_at("dist.zig.gsl");
    for (size_t i = 0; i < NS; i++)
        y[i] = gsl_ran_lognormal(r, mu, sigma);
    gsl_rng_free(r);

    double mean = exp(mu + 0.5 * sigma * sigma), sd = mean * sqrt(expm1(sigma * sigma));
    assert_near("means", mean_of(x, NS) - mean_of(y, NS), 0, Z * sqrt(2.0) * sd / sqrt((double)NS));
    qsort(x, NS, sizeof *x, cmp_double);
    qsort(y, NS, sizeof *y, cmp_double);
    static const double ps[] = { 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99 };
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++) {
        double q = gsl_cdf_lognormal_Pinv(ps[i], mu, sigma);
        double se = sqrt(ps[i] * (1 - ps[i]) / NS) / gsl_ran_lognormal_pdf(q, mu, sigma);
        assert_near("quantiles", sample_quantile(x, NS, ps[i]) - sample_quantile(y, NS, ps[i]),
                    0, Z * sqrt(2.0) * se);
    }
    /* Two-sample Kolmogorov distance: walk the merged order. */
    size_t i = 0, j = 0;
    double dmax = 0;
    while (i < NS && j < NS) {
        double t = x[i] < y[j] ? x[i] : y[j];
        while (i < NS && x[i] <= t)
            i++;
        while (j < NS && y[j] <= t)
            j++;
        double diff = fabs((double)i / NS - (double)j / NS);
        if (diff > dmax)
            dmax = diff;
    }
    assert_near("two-sample Kolmogorov distance", dmax, 0,
                sqrt(log(2 / KS_ALPHA) / 2) * sqrt(2.0 / NS));
    free(x);
    free(y);
    rr_dist_free(&d);
}

/* ---- clamps ------------------------------------------------------------------------------- */

/* The share of the sample exactly at a clamp bound is the probability beyond it. */
static void check_clamped(const char *name, const rr_dist *d, double lo, double plo, double hi,
                          double phi)
{
    double *x = draw(d, name);
    size_t at_lo = 0, at_hi = 0;
    for (size_t i = 0; i < NS; i++) {
        if (!(x[i] >= lo && x[i] <= hi))
            fail_msg("%s: %.17g outside the clamp [%g, %g]", name, x[i], lo, hi);
        at_lo += x[i] == lo;
        at_hi += x[i] == hi;
    }
    assert_near(name, (double)at_lo / NS, plo, Z * sqrt(plo * (1 - plo) / NS));
    assert_near(name, (double)at_hi / NS, phi, Z * sqrt(phi * (1 - phi) / NS));
    free(x);
}

static void test_clamp(void **state)
{
    (void)state;
    rr_dist d;
    assert_null(rr_dist_init_normal(&d, 0, 1));
    rr_dist_clamp(&d, -1, 1.5);
    assert_true(d.lo == -1 && d.hi == 1.5);
    check_clamped("dist.clamp.normal", &d, -1, gsl_cdf_ugaussian_P(-1), 1.5,
                  gsl_cdf_ugaussian_Q(1.5));
    /* A second clamp intersects with the first. */
    rr_dist_clamp(&d, -2, 1);
    assert_true(d.lo == -1 && d.hi == 1);
    check_clamped("dist.clamp.narrowed", &d, -1, gsl_cdf_ugaussian_P(-1), 1,
                  gsl_cdf_ugaussian_Q(1));
    /* The mean is the unclamped one. */
    assert_true(rr_dist_mean(&d) == 0);
    rr_dist_free(&d);
}

/* Through the parser: the user's clamp and the domain's bounds. */
static void test_clamp_from_input(void **state)
{
    (void)state;
    static const struct {
        const char *yaml;
        rr_domain dom;
        double lo, hi;
    } cases[] = {
        /* a share: [0, 1] */
        { "{normal: {mean: 0.8, sd: 0.3}}", RR_DOMAIN_UNIT, 0, 1 },
        /* the user's clamp inside the non-negative domain */
        { "{lognormal: {p5: 1, p95: 100}, clamp: [2, 50]}", RR_DOMAIN_NONNEG, 2, 50 },
        /* a growth rate: not below -1 (the upper bound is the user's) */
        { "{normal: {mean: -0.9, sd: 0.1}, clamp: [-5, -0.85]}", RR_DOMAIN_GROWTH, -1, -0.85 },
        /* spike days: [0, 30] */
        { "{uniform: {min: 20, max: 40}}", RR_DOMAIN_DAYS, 0, 30 },
    };
    double z95 = gsl_cdf_ugaussian_Pinv(0.95), lmu = 0.5 * log(100.0), ls = log(100.0) / (2 * z95);
    const double plo[] = { gsl_cdf_gaussian_P(0 - 0.8, 0.3), gsl_cdf_lognormal_P(2, lmu, ls),
                           gsl_cdf_gaussian_P(-1 + 0.9, 0.1), 0 };
    const double phi[] = { gsl_cdf_gaussian_Q(1 - 0.8, 0.3), gsl_cdf_lognormal_Q(50, lmu, ls),
                           gsl_cdf_gaussian_Q(-0.85 + 0.9, 0.1), 0.5 };
    static const char *const names[] = { "clamp.unit", "clamp.user", "clamp.growth",
                                         "clamp.days" };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rr_input in;
        rr_diags diags;
        assert_int_equal(parse_input(&in, cases[i].yaml, cases[i].dom, &diags), 0);
        assert_true(in.dist.lo == cases[i].lo && in.dist.hi == cases[i].hi);
        check_clamped(names[i], &in.dist, cases[i].lo, plo[i], cases[i].hi, phi[i]);
        rr_input_free(&in);
        rr_diags_free(&diags);
    }
    /* A clamp that leaves nothing of the domain, or is reversed, is an error. */
    static const char *const bad[] = { "{normal: {mean: 0.5, sd: 0.1}, clamp: [2, 3]}",
                                       "{normal: {mean: 0.5, sd: 0.1}, clamp: [0.9, 0.1]}" };
    for (size_t i = 0; i < 2; i++) {
        rr_input in;
        rr_diags diags;
        assert_int_equal(parse_input(&in, bad[i], RR_DOMAIN_UNIT, &diags), -1);
        assert_true(diags.n >= 1);
        assert_message(diags.v[0].msg, "clamp");
        rr_input_free(&in);
        rr_diags_free(&diags);
    }
}

/* ---- builders refuse bad parameters ------------------------------------------------------- */

/* A refused build returns a message naming the broken parameter and leaves d a constant 0
 * that owns nothing (d starts as garbage, as an uninitialised struct would). */
#define REFUSED(call, word)                                                    \
    do {                                                                       \
        rr_dist d_;                                                            \
        memset(&d_, 0x5a, sizeof d_);                                          \
        rr_dist *d = &d_;                                                      \
        const char *msg_ = (call);                                             \
        assert_message(msg_, word);                                            \
        assert_int_equal(d_.kind, RR_DIST_CONST);                              \
        assert_true(d_.p[0] == 0);                                             \
        assert_null(d_.values);                                                \
        assert_null(d_.weights);                                               \
        assert_null(d_.table);                                                 \
        rr_dist_free(d);                                                       \
    } while (0)

static void test_builders_refuse(void **state)
{
    (void)state;
    const double vals[3] = { 1, 2, 3 }, neg[3] = { 1, -1, 1 }, zero[3] = { 0, 0, 0 };
    const double inf_w[3] = { 1, INFINITY, 1 }, nan_v[3] = { 1, NAN, 3 };

    REFUSED(rr_dist_init_normal(d, 0, -1), "sd");
    REFUSED(rr_dist_init_normal(d, NAN, 1), "mean");
    REFUSED(rr_dist_init_normal(d, 0, INFINITY), "sd");

    REFUSED(rr_dist_init_lognormal_p5p95(d, 2000, 600), "p95");   /* p5 > p95 */
    REFUSED(rr_dist_init_lognormal_p5p95(d, 600, 600), "p95");    /* p5 = p95 */
    REFUSED(rr_dist_init_lognormal_p5p95(d, 0, 600), "p5");       /* p5 = 0 */
    REFUSED(rr_dist_init_lognormal_p5p95(d, -5, 600), "p5");      /* p5 < 0 */
    REFUSED(rr_dist_init_lognormal_p5p95(d, NAN, 600), "p5");
    REFUSED(rr_dist_init_lognormal_median(d, 0, 1), "median");
    REFUSED(rr_dist_init_lognormal_median(d, 100, -0.1), "sigma");
    REFUSED(rr_dist_init_lognormal_moments(d, 0, 1), "mean");
    REFUSED(rr_dist_init_lognormal_moments(d, -3, 1), "mean");
    REFUSED(rr_dist_init_lognormal_moments(d, 100, -1), "sd");

    REFUSED(rr_dist_init_uniform(d, 5, 2), "min");
    REFUSED(rr_dist_init_uniform(d, 0, INFINITY), "max");

    REFUSED(rr_dist_init_triangular(d, 10, 5, 90), "mode");      /* mode < min */
    REFUSED(rr_dist_init_triangular(d, 10, 95, 90), "mode");     /* mode > max */
    REFUSED(rr_dist_init_triangular(d, 90, 90, 90), "max");      /* min = max */
    REFUSED(rr_dist_init_triangular(d, 90, 50, 10), "max");      /* min > max */
    REFUSED(rr_dist_init_triangular(d, 0, NAN, 1), "mode");
    REFUSED(rr_dist_init_pert(d, 10, 5, 90), "mode");
    REFUSED(rr_dist_init_pert(d, 10, 95, 90), "mode");
    REFUSED(rr_dist_init_pert(d, 90, 90, 90), "max");
    REFUSED(rr_dist_init_pert(d, 90, 50, 10), "max");

    REFUSED(rr_dist_init_beta(d, 0, 1), "a");
    REFUSED(rr_dist_init_beta(d, -1, 1), "a");
    REFUSED(rr_dist_init_beta(d, 1, 0), "b");
    REFUSED(rr_dist_init_beta(d, 1, -2), "b");
    REFUSED(rr_dist_init_beta(d, NAN, 1), "a");

    REFUSED(rr_dist_init_gamma(d, 0, 1), "shape");
    REFUSED(rr_dist_init_gamma(d, 1, 0), "scale");
    REFUSED(rr_dist_init_gamma(d, -1, 1), "shape");

    REFUSED(rr_dist_init_poisson(d, -0.5), "mean");
    REFUSED(rr_dist_init_poisson(d, NAN), "mean");

    REFUSED(rr_dist_init_bernoulli(d, -0.1), "p");
    REFUSED(rr_dist_init_bernoulli(d, 1.1), "p");
    REFUSED(rr_dist_init_bernoulli(d, NAN), "p");

    REFUSED(rr_dist_init_discrete(d, vals, neg, 3), "weights");
    REFUSED(rr_dist_init_discrete(d, vals, zero, 3), "weights");
    REFUSED(rr_dist_init_discrete(d, vals, inf_w, 3), "weights");
    REFUSED(rr_dist_init_discrete(d, nan_v, vals, 3), "values");
    REFUSED(rr_dist_init_discrete(d, vals, vals, 0), "values");

    REFUSED(rr_dist_init_const(d, INFINITY), "finite");

    /* The edges that are allowed. */
    rr_dist d;
    assert_null(rr_dist_init_normal(&d, 5, 0));
    assert_null(rr_dist_init_lognormal_median(&d, 5, 0));
    assert_null(rr_dist_init_lognormal_moments(&d, 5, 0));
    assert_null(rr_dist_init_triangular(&d, 1, 1, 2));
    assert_null(rr_dist_init_pert(&d, 1, 2, 2));
    assert_null(rr_dist_init_poisson(&d, 0));
    assert_null(rr_dist_init_bernoulli(&d, 0));
    assert_null(rr_dist_init_bernoulli(&d, 1));
    rr_dist_free(&d);
}

/* A zero spread is allowed and gives the centre exactly. */
static void test_degenerate(void **state)
{
    (void)state;
    rr_dist d;
    gsl_rng *r = rng_at("dist.degenerate");
    assert_null(rr_dist_init_normal(&d, 7.25, 0));
    for (int i = 0; i < 1000; i++)
        assert_true(rr_dist_sample(&d, r) == 7.25);
    assert_null(rr_dist_init_lognormal_median(&d, 8, 0));
    for (int i = 0; i < 1000; i++)
        assert_rel("sigma 0", rr_dist_sample(&d, r), 8, 1e-15);
    assert_null(rr_dist_init_poisson(&d, 0));
    for (int i = 0; i < 1000; i++)
        assert_true(rr_dist_sample(&d, r) == 0);
    gsl_rng_free(r);
    rr_dist_free(&d);
}

/* ---- ownership ---------------------------------------------------------------------------- */

/* rr_dist_free releases what a distribution owns (the sanitizer build's leak check sees it)
 * and leaves a constant 0 that can be freed again. */
static void test_dist_free(void **state)
{
    (void)state;
    const double v[4] = { 1, 2, 3, 4 }, w[4] = { 1, 1, 1, 1 };
    for (int round = 0; round < 3; round++) {
        rr_dist d;
        assert_null(rr_dist_init_discrete(&d, v, w, 4));
        assert_non_null(d.values);
        assert_non_null(d.table);
        rr_dist_free(&d);
        assert_int_equal(d.kind, RR_DIST_CONST);
        assert_null(d.values);
        assert_null(d.weights);
        assert_null(d.table);
        assert_int_equal(d.n, 0);
        assert_true(d.p[0] == 0);
        rr_dist_free(&d);   /* twice is harmless */
    }
    rr_dist_free(NULL);

    rr_dist all[11];
    assert_null(rr_dist_init_const(&all[0], 1));
    assert_null(rr_dist_init_normal(&all[1], 0, 1));
    assert_null(rr_dist_init_lognormal_p5p95(&all[2], 1, 2));
    assert_null(rr_dist_init_uniform(&all[3], 0, 1));
    assert_null(rr_dist_init_triangular(&all[4], 0, 1, 2));
    assert_null(rr_dist_init_pert(&all[5], 0, 1, 2));
    assert_null(rr_dist_init_beta(&all[6], 1, 2));
    assert_null(rr_dist_init_gamma(&all[7], 1, 2));
    assert_null(rr_dist_init_poisson(&all[8], 3));
    assert_null(rr_dist_init_bernoulli(&all[9], 0.5));
    assert_null(rr_dist_init_discrete(&all[10], v, w, 4));
    for (size_t i = 0; i < 11; i++) {
        rr_dist_free(&all[i]);
        assert_int_equal(all[i].kind, RR_DIST_CONST);
    }

    /* An input owns its path and its distribution. */
    rr_input in;
    rr_diags diags;
    assert_int_equal(parse_input(&in, "{discrete: {values: [1, 2], weights: [1, 3]}}",
                                 RR_DOMAIN_NONNEG, &diags), 0);
    assert_int_equal(in.dist.kind, RR_DIST_DISCRETE);
    rr_input_free(&in);
    assert_null(in.path);
    rr_diags_free(&diags);
}

/* The share of draws a clamp moves onto its ends, against closed forms, and for the normal
 * against the sampler itself: the count of draws that land exactly on the bound is
 * Binomial(n, share). */
static void test_outside(void **state)
{
    (void)state;
    rr_dist d;
    assert_null(rr_dist_init_normal(&d, 1, 1));
    rr_dist_clamp(&d, 0, INFINITY);
    double want = gsl_cdf_ugaussian_P(-1);
    assert_true(fabs(rr_dist_outside(&d) - want) < 1e-12);
    gsl_rng *r = rng_at("test.outside");
    const int n = 200000;
    int at0 = 0;
    for (int i = 0; i < n; i++)
        at0 += rr_dist_sample(&d, r) == 0;
    assert_true(fabs((double)at0 / n - want) < Z * sqrt(want * (1 - want) / n));
    gsl_rng_free(r);
    assert_true(rr_dist_median(&d) == 1);

    assert_null(rr_dist_init_uniform(&d, 0, 10));
    rr_dist_clamp(&d, 2, 9);
    assert_true(fabs(rr_dist_outside(&d) - 0.3) < 1e-12);
    assert_null(rr_dist_init_triangular(&d, 0, 5, 10));
    rr_dist_clamp(&d, 0, 8);
    assert_true(fabs(rr_dist_outside(&d) - 4.0 / 50) < 1e-12);   /* (10-8)^2 / (10 * 5) */
    assert_null(rr_dist_init_poisson(&d, 3));
    rr_dist_clamp(&d, 1, 5);   /* P(N = 0) + P(N > 5) */
    want = exp(-3) + (1 - gsl_cdf_poisson_P(5, 3));
    assert_true(fabs(rr_dist_outside(&d) - want) < 1e-12);
    assert_null(rr_dist_init_bernoulli(&d, 0.3));
    rr_dist_clamp(&d, 0.5, 1);
    assert_true(fabs(rr_dist_outside(&d) - 0.7) < 1e-12);
    const double v[] = { 1, 2, 5 }, w[] = { 5, 3, 2 };
    assert_null(rr_dist_init_discrete(&d, v, w, 3));
    rr_dist_clamp(&d, 2, 4);   /* the 1 and the 5 */
    assert_true(fabs(rr_dist_outside(&d) - 0.7) < 1e-12);
    assert_true(rr_dist_median(&d) == 2);   /* 1 has 0.5 of the mass: the median is 1, clamped */
    rr_dist_free(&d);
    assert_null(rr_dist_init_const(&d, 7));
    rr_dist_clamp(&d, 8, 9);
    assert_true(rr_dist_outside(&d) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal),
        cmocka_unit_test(test_lognormal_p5p95),
        cmocka_unit_test(test_lognormal_median_sigma),
        cmocka_unit_test(test_lognormal_mean_sd),
        cmocka_unit_test(test_a_to_b),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_triangular),
        cmocka_unit_test(test_pert),
        cmocka_unit_test(test_beta),
        cmocka_unit_test(test_from_words),
        cmocka_unit_test(test_poisson_lanes),
        cmocka_unit_test(test_draw_at),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_poisson),
        cmocka_unit_test(test_bernoulli),
        cmocka_unit_test(test_discrete),
        cmocka_unit_test(test_lognormal_matches_gsl),
        cmocka_unit_test(test_clamp),
        cmocka_unit_test(test_clamp_from_input),
        cmocka_unit_test(test_builders_refuse),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_dist_free),
        cmocka_unit_test(test_outside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
