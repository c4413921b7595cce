/* Tests of engine/accum: the sketch's quantiles against exact order statistics of sorted
 * samples, exactness of merges, count_above, and the block moments against a two-pass
 * long double computation.  Samples come from GSL's mt19937 with fixed seeds, so every run
 * checks the same values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/accum.h"

#define N_SAMPLE 200000

static const double PS[] = {0, 0.001, 0.05, 0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999, 1};
#define N_PS (sizeof PS / sizeof PS[0])

typedef void (*fill_fn)(gsl_rng *r, double *x, size_t n);

static void fill_lognormal(gsl_rng *r, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = gsl_ran_lognormal(r, 0.0, 1.5);
}

static void fill_normal(gsl_rng *r, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = 0.3 + gsl_ran_gaussian(r, 2.0);
}

/* Half exact zeros, the rest lognormal of either sign: the zeros take the middle ranks. */
static void fill_zeros(gsl_rng *r, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        if (u < 0.5)
            x[i] = 0.0;
        else if (u < 0.75)
            x[i] = gsl_ran_lognormal(r, 2.0, 1.0);
        else
            x[i] = -gsl_ran_lognormal(r, 1.0, 2.0);
    }
}

static void fill_loguniform(gsl_rng *r, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = exp(gsl_ran_flat(r, log(1e-3), log(1e6)));
}

static void fill_constant(gsl_rng *r, double *x, size_t n)
{
    (void)r;
    for (size_t i = 0; i < n; i++)
        x[i] = 1234.5678;
}

/* Around RR_SKETCH_ZERO, on both sides of it and in the very bucket that holds it: values
 * that a row's store must not count as positive. */
static void fill_tiny(gsl_rng *r, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = i % 7 == 0 ? RR_SKETCH_ZERO * (1 - 1e-6) : RR_SKETCH_ZERO * exp(gsl_ran_gaussian(r, 2));
}

static double *sample(fill_fn fill, unsigned long seed, size_t n)
{
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    fill(r, x, n);
    gsl_rng_free(r);
    return x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static rr_sketch *sketch_of(const double *x, size_t n)
{
    rr_sketch *s = rr_sketch_new();
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rr_sketch_add(s, x[i]), 0);
    assert_false(rr_sketch_failed(s));
    return s;
}

static void assert_close_to_exact(double got, double exact, double p)
{
    if (exact == 0.0) {
        if (got != 0.0)
            fail_msg("p=%g: got %.17g, exact 0", p, got);
        return;
    }
    double rel = fabs(got - exact) / fabs(exact);
    if (!(rel <= RR_SKETCH_REL_ACCURACY))
        fail_msg("p=%g: got %.17g, exact %.17g, rel err %g", p, got, exact, rel);
}

static void check_quantiles(fill_fn fill, unsigned long seed)
{
    double *x = sample(fill, seed, N_SAMPLE);
    rr_sketch *s = sketch_of(x, N_SAMPLE);
    qsort(x, N_SAMPLE, sizeof *x, cmp_double);

    assert_int_equal(rr_sketch_count(s), N_SAMPLE);
    assert_true(rr_sketch_min(s) == x[0]);
    assert_true(rr_sketch_max(s) == x[N_SAMPLE - 1]);
    for (size_t k = 0; k < N_PS; k++) {
        uint64_t rank = rr_quantile_rank(PS[k], N_SAMPLE);
        assert_true(rank >= 1 && rank <= N_SAMPLE);
        assert_close_to_exact(rr_sketch_quantile(s, PS[k]), x[rank - 1], PS[k]);
    }

    rr_sketch_free(s);
    free(x);
}

static void test_quantiles_lognormal(void **state)
{
    (void)state;
    check_quantiles(fill_lognormal, 11);
}

static void test_quantiles_normal_mixed_sign(void **state)
{
    (void)state;
    check_quantiles(fill_normal, 12);
}

static void test_quantiles_many_zeros(void **state)
{
    (void)state;
    check_quantiles(fill_zeros, 13);
}

static void test_quantiles_loguniform(void **state)
{
    (void)state;
    check_quantiles(fill_loguniform, 14);
}

static void test_quantiles_constant(void **state)
{
    (void)state;
    check_quantiles(fill_constant, 15);
}

/* The largest and smallest magnitudes the sketch distinguishes, where the bucket bounds
 * overflow a naive harmonic mean or are +inf as a bit pattern. */
static void test_quantiles_extreme_magnitudes(void **state)
{
    (void)state;
    const double vals[] = {DBL_MAX, -DBL_MAX, 1e300, -1e300, 1.7e308, 1e200, RR_SKETCH_ZERO,
                           -RR_SKETCH_ZERO, 3e-9, 1.0, -2.5, 0.0, -0.0, 1e-12, 7e154};
    enum { NV = sizeof vals / sizeof vals[0], REP = 50 };
    double x[NV * REP];
    for (size_t i = 0; i < NV * REP; i++)
        x[i] = vals[i % NV];
    rr_sketch *s = sketch_of(x, NV * REP);
    qsort(x, NV * REP, sizeof *x, cmp_double);
    for (int k = 0; k <= 1000; k++) {
        double p = k / 1000.0;
        double exact = x[rr_quantile_rank(p, NV * REP) - 1];
        double got = rr_sketch_quantile(s, p);
        assert_false(isnan(got));
        /* 1e-12 falls in the zero bucket by design and is reported as 0. */
        if (fabs(exact) < RR_SKETCH_ZERO)
            assert_true(got == 0.0);
        else
            assert_close_to_exact(got, exact, p);
    }
    rr_sketch_free(s);
}

/* Everything observable about a sketch, compared bit for bit. */
static void assert_sketches_identical(const rr_sketch *a, const rr_sketch *b)
{
    assert_int_equal(rr_sketch_count(a), rr_sketch_count(b));
    double amin = rr_sketch_min(a), bmin = rr_sketch_min(b);
    double amax = rr_sketch_max(a), bmax = rr_sketch_max(b);
    assert_memory_equal(&amin, &bmin, sizeof amin);
    assert_memory_equal(&amax, &bmax, sizeof amax);
    for (int k = 0; k <= 2000; k++) {
        double p = k / 2000.0;
        double qa = rr_sketch_quantile(a, p), qb = rr_sketch_quantile(b, p);
        if (memcmp(&qa, &qb, sizeof qa) != 0)
            fail_msg("p=%g: %.17g != %.17g", p, qa, qb);
    }
    for (size_t k = 0; k < N_PS; k++) {
        double qa = rr_sketch_quantile(a, PS[k]), qb = rr_sketch_quantile(b, PS[k]);
        assert_memory_equal(&qa, &qb, sizeof qa);
    }
    const double ts[] = {-1e3, -10, -1, -1e-3, 0, 1e-3, 0.5, 1, 2, 10, 100, 1e4};
    for (size_t k = 0; k < sizeof ts / sizeof ts[0]; k++)
        assert_int_equal(rr_sketch_count_above(a, ts[k]), rr_sketch_count_above(b, ts[k]));
}

/* Merge the parts (each is part[i] of the values) into a fresh sketch in the given order. */
static rr_sketch *merge_parts(rr_sketch **part, size_t nparts, int reverse)
{
    rr_sketch *m = rr_sketch_new();
    assert_non_null(m);
    for (size_t i = 0; i < nparts; i++)
        assert_int_equal(rr_sketch_merge(m, part[reverse ? nparts - 1 - i : i]), 0);
    assert_false(rr_sketch_failed(m));
    return m;
}

static void check_merge(fill_fn fill, unsigned long seed)
{
    double *x = sample(fill, seed, N_SAMPLE);
    rr_sketch *whole = sketch_of(x, N_SAMPLE);

    /* Two-way splits: halves, one value against the rest, nothing against everything. */
    const size_t cuts[] = {N_SAMPLE / 2, 1, N_SAMPLE - 1, 0, 12345};
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        rr_sketch *a = sketch_of(x, cuts[c]);
        rr_sketch *b = sketch_of(x + cuts[c], N_SAMPLE - cuts[c]);
        rr_sketch *parts[2] = {a, b};
        for (int rev = 0; rev <= 1; rev++) {
            rr_sketch *m = merge_parts(parts, 2, rev);
            assert_sketches_identical(whole, m);
            rr_sketch_free(m);
        }
        /* Merging straight into a part that already holds values, either way round. */
        rr_sketch *a2 = sketch_of(x, cuts[c]);
        assert_int_equal(rr_sketch_merge(a2, b), 0);
        assert_sketches_identical(whole, a2);
        rr_sketch *b2 = sketch_of(x + cuts[c], N_SAMPLE - cuts[c]);
        assert_int_equal(rr_sketch_merge(b2, a), 0);
        assert_sketches_identical(whole, b2);
        rr_sketch_free(a2);
        rr_sketch_free(b2);
        rr_sketch_free(a);
        rr_sketch_free(b);
    }

    /* A random assignment of each value to one of seven parts, merged in both orders and
     * as a tree. */
    enum { K = 7 };
    rr_sketch *parts[K];
    for (int k = 0; k < K; k++) {
        parts[k] = rr_sketch_new();
        assert_non_null(parts[k]);
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed + 1000);
    for (size_t i = 0; i < N_SAMPLE; i++)
        assert_int_equal(rr_sketch_add(parts[gsl_rng_uniform_int(r, K)], x[i]), 0);
    gsl_rng_free(r);
    for (int rev = 0; rev <= 1; rev++) {
        rr_sketch *m = merge_parts(parts, K, rev);
        assert_sketches_identical(whole, m);
        rr_sketch_free(m);
    }
    rr_sketch *left = merge_parts(parts, 3, 0);
    rr_sketch *right = merge_parts(parts + 3, K - 3, 1);
    assert_int_equal(rr_sketch_merge(right, left), 0);
    assert_sketches_identical(whole, right);
    rr_sketch_free(left);
    rr_sketch_free(right);
    for (int k = 0; k < K; k++)
        rr_sketch_free(parts[k]);

    rr_sketch_free(whole);
    free(x);
}

static void test_merge_lognormal(void **state)
{
    (void)state;
    check_merge(fill_lognormal, 21);
}

static void test_merge_signed_with_zeros(void **state)
{
    (void)state;
    check_merge(fill_zeros, 22);
}

static void test_merge_empty(void **state)
{
    (void)state;
    rr_sketch *a = rr_sketch_new(), *b = rr_sketch_new();
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(rr_sketch_merge(a, b), 0);
    assert_int_equal(rr_sketch_count(a), 0);
    assert_true(isnan(rr_sketch_quantile(a, 0.5)));
    assert_true(isinf(rr_sketch_min(a)) && rr_sketch_min(a) > 0);
    assert_true(isinf(rr_sketch_max(a)) && rr_sketch_max(a) < 0);
    rr_sketch_free(a);
    rr_sketch_free(b);
}

static void test_constant_series(void **state)
{
    (void)state;
    /* 1e-12 lies in the zero bucket; clamping to [min, max] still returns it exactly. */
    const double cs[] = {1234.5678, 0.1, -7.25, 1e6 + 0.3, 3.3e-7, 1e-12, 0.0, -1e300};
    const uint64_t sizes[] = {1, 7, 1000, 3, 12345, 2, 64};
    for (size_t c = 0; c < sizeof cs / sizeof cs[0]; c++) {
        rr_sketch *s = rr_sketch_new();
        assert_non_null(s);
        rr_moments m = {0};
        uint64_t total = 0;
        for (size_t b = 0; b < sizeof sizes / sizeof sizes[0]; b++) {
            rr_block_moments bm = {0};
            for (uint64_t i = 0; i < sizes[b]; i++) {
                rr_block_moments_add(&bm, cs[c]);
                assert_int_equal(rr_sketch_add(s, cs[c]), 0);
            }
            rr_moments_combine(&m, &bm);
            total += sizes[b];
        }
        assert_int_equal(m.n, total);
        assert_true(m.mean == cs[c]);
        assert_true(rr_moments_sd(&m) == 0.0);
        assert_true(m.m2 == 0.0);
        for (int k = 0; k <= 100; k++) {
            double q = rr_sketch_quantile(s, k / 100.0);
            if (q != cs[c])
                fail_msg("constant %.17g: quantile %d%% is %.17g", cs[c], k, q);
        }
        rr_sketch_free(s);
    }
}

/* Compensated summation, so that the reference stays good to ~1e-16 even where long double
 * is no wider than double (valgrind runs x87 arithmetic in 64 bits). */
static void neumaier_add(long double *sum, long double *c, long double v)
{
    long double t = *sum + v;
    if (fabsl(*sum) >= fabsl(v))
        *c += (*sum - t) + v;
    else
        *c += (v - t) + *sum;
    *sum = t;
}

/* Blocks of varying size combined in order, against a two-pass long double computation. */
static void check_moments(fill_fn fill, unsigned long seed, double scale, double offset,
                          double tol_mean, double tol_sd)
{
    enum { N = 1000000 };
    double *x = sample(fill, seed, N);
    for (size_t i = 0; i < N; i++)
        x[i] = offset + scale * x[i];

    long double sum = 0, c = 0;
    for (size_t i = 0; i < N; i++)
        neumaier_add(&sum, &c, x[i]);
    long double mean = (sum + c) / N;
    long double ss = 0;
    c = 0;
    for (size_t i = 0; i < N; i++)
        neumaier_add(&ss, &c, (x[i] - mean) * (x[i] - mean));
    ss += c;
    long double sd = sqrtl(ss / N);

    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed + 7);
    rr_moments m = {0};
    size_t i = 0;
    while (i < N) {
        size_t len = 1 + gsl_rng_uniform_int(r, 5000);
        rr_block_moments bm = {0};
        for (size_t j = 0; j < len && i < N; j++, i++)
            rr_block_moments_add(&bm, x[i]);
        rr_moments_combine(&m, &bm);
    }
    gsl_rng_free(r);

    assert_int_equal(m.n, N);
    double em = (double)fabsl((m.mean - mean) / mean);
    double es = (double)fabsl((rr_moments_sd(&m) - sd) / sd);
    free(x);
    print_message("  mean rel err %.3g, sd rel err %.3g\n", em, es);
    if (!(em <= tol_mean))
        fail_msg("mean %.17g vs %.17Lg: rel err %g", m.mean, mean, em);
    if (!(es <= tol_sd))
        fail_msg("sd %.17g vs %.17Lg: rel err %g", rr_moments_sd(&m), sd, es);
}

static void test_moments_lognormal_large_mean(void **state)
{
    (void)state;
    check_moments(fill_lognormal, 31, 1e6, 0.0, 1e-12, 1e-12);
}

/* Mean 5e5 times the sd: E[x^2] - E[x]^2 in double would keep about one correct digit here.
 * The shifted sums keep each block accurate; what is left is the rounding of the block means
 * near 1e6 (ulp 1.2e-10) in the between-block term, about 1e-13 of M2 (seen: ~1e-14). */
static void test_moments_large_offset(void **state)
{
    (void)state;
    check_moments(fill_normal, 32, 1.0, 1e6, 1e-15, 1e-12);
}

static void test_moments_edges(void **state)
{
    (void)state;
    rr_moments m = {0};
    rr_block_moments empty = {0};
    rr_moments_combine(&m, &empty);
    assert_int_equal(m.n, 0);
    assert_true(rr_moments_sd(&m) == 0.0);

    rr_block_moments one = {0};
    rr_block_moments_add(&one, 5.0);
    rr_moments_combine(&m, &one);
    assert_int_equal(m.n, 1);
    assert_true(m.mean == 5.0);
    assert_true(rr_moments_sd(&m) == 0.0);

    rr_moments_combine(&m, &empty);
    assert_int_equal(m.n, 1);
    assert_true(m.mean == 5.0);

    rr_block_moments two = {0};
    rr_block_moments_add(&two, 1.0);
    rr_block_moments_add(&two, 3.0);
    rr_moments_combine(&m, &two);
    /* {5, 1, 3}: mean 3, population variance 8/3. */
    assert_int_equal(m.n, 3);
    assert_true(fabs(m.mean - 3.0) <= 1e-15);
    assert_true(fabs(rr_moments_sd(&m) - sqrt(8.0 / 3.0)) <= 1e-15);
}

static void test_quantile_rank_edges(void **state)
{
    (void)state;
    assert_int_equal(rr_quantile_rank(0.0, 100), 1);
    assert_int_equal(rr_quantile_rank(1.0, 100), 100);
    assert_int_equal(rr_quantile_rank(0.95, 100), 95);
    assert_int_equal(rr_quantile_rank(0.5, 3), 2);
    assert_int_equal(rr_quantile_rank(0.5, 4), 2);
    assert_int_equal(rr_quantile_rank(0.01, 100), 1);
    assert_int_equal(rr_quantile_rank(0.011, 100), 2);
    assert_int_equal(rr_quantile_rank(0.999, 200000), 199800);
    assert_int_equal(rr_quantile_rank(0.1, 10), 1);
    assert_int_equal(rr_quantile_rank(0.7, 10), 7);
    assert_int_equal(rr_quantile_rank(0.0, 1), 1);
    assert_int_equal(rr_quantile_rank(1.0, 1), 1);
    assert_int_equal(rr_quantile_rank(1e-300, 1000), 1);
    /* Out of range p is clamped to [0, 1]. */
    assert_int_equal(rr_quantile_rank(-0.5, 10), 1);
    assert_int_equal(rr_quantile_rank(1.5, 10), 10);
    for (uint64_t n = 1; n <= 1000; n++)
        for (int k = 0; k <= 100; k++) {
            uint64_t r = rr_quantile_rank(k / 100.0, n);
            assert_true(r >= 1 && r <= n);
            /* Integer ranks where p*n is an integer in exact arithmetic. */
            if ((k * n) % 100 == 0 && k > 0)
                assert_int_equal(r, k * n / 100);
        }
}

static void test_count_above(void **state)
{
    (void)state;
    double *x = sample(fill_normal, 41, N_SAMPLE);
    rr_sketch *s = sketch_of(x, N_SAMPLE);
    double mn = rr_sketch_min(s), mx = rr_sketch_max(s);
    assert_true(mn < 0 && mx > 0);

    assert_int_equal(rr_sketch_count_above(s, -INFINITY), N_SAMPLE);
    assert_int_equal(rr_sketch_count_above(s, mn - 1.0), N_SAMPLE);
    assert_int_equal(rr_sketch_count_above(s, nextafter(mn, -INFINITY)), N_SAMPLE);
    assert_int_equal(rr_sketch_count_above(s, mx), 0);
    assert_int_equal(rr_sketch_count_above(s, mx + 1.0), 0);
    assert_int_equal(rr_sketch_count_above(s, INFINITY), 0);

    uint64_t pos = 0;
    for (size_t i = 0; i < N_SAMPLE; i++)
        pos += x[i] > 0.0;
    assert_int_equal(rr_sketch_count_above(s, 0.0), pos);

    /* At a bucket boundary (bits idx << shift), on either sign, the count is exact. */
    const double near[] = {0.7, 2.0, 3.1, -0.4, -1.3, -4.0};
    for (size_t k = 0; k < sizeof near / sizeof near[0]; k++) {
        double a = fabs(near[k]);
        uint64_t bits;
        memcpy(&bits, &a, sizeof bits);
        bits = (bits >> (52 - RR_SKETCH_MANTISSA_BITS)) << (52 - RR_SKETCH_MANTISSA_BITS);
        double t;
        memcpy(&t, &bits, sizeof t);
        if (near[k] < 0)
            t = -t;
        uint64_t exact = 0;
        for (size_t i = 0; i < N_SAMPLE; i++) {
            assert_true(x[i] != t);  /* no ties, which the boundary rule does not cover */
            exact += x[i] > t;
        }
        assert_int_equal(rr_sketch_count_above(s, t), exact);
    }
    rr_sketch_free(s);
    free(x);

    /* Signed data with exact zeros: at t = 0 the zeros are not above; just below 0 they are. */
    x = sample(fill_zeros, 42, N_SAMPLE);
    s = sketch_of(x, N_SAMPLE);
    uint64_t above0 = 0, zeros = 0;
    for (size_t i = 0; i < N_SAMPLE; i++) {
        above0 += x[i] > 0.0;
        zeros += x[i] == 0.0;
    }
    assert_true(zeros > 0 && above0 > 0 && zeros + above0 < N_SAMPLE);
    assert_int_equal(rr_sketch_count_above(s, 0.0), above0);
    assert_int_equal(rr_sketch_count_above(s, -1e-300), above0 + zeros);
    rr_sketch_free(s);
    free(x);
}

static void test_empty_sketch(void **state)
{
    (void)state;
    rr_sketch_free(NULL);
    rr_sketch *s = rr_sketch_new();
    assert_non_null(s);
    assert_int_equal(rr_sketch_count(s), 0);
    assert_false(rr_sketch_failed(s));
    assert_true(isnan(rr_sketch_quantile(s, 0.0)));
    assert_true(isnan(rr_sketch_quantile(s, 0.5)));
    assert_true(isnan(rr_sketch_quantile(s, 1.0)));
    assert_true(rr_sketch_min(s) == INFINITY);
    assert_true(rr_sketch_max(s) == -INFINITY);
    assert_int_equal(rr_sketch_count_above(s, 0.0), 0);
    assert_int_equal(rr_sketch_count_above(s, -INFINITY), 0);
    assert_true(rr_sketch_bytes(s) > 0);
    rr_sketch_free(s);
}

static void test_bytes_and_growth(void **state)
{
    (void)state;
    rr_sketch *s = rr_sketch_new();
    assert_non_null(s);
    size_t b0 = rr_sketch_bytes(s);
    assert_int_equal(rr_sketch_add(s, 1.0), 0);
    size_t b1 = rr_sketch_bytes(s);
    assert_true(b1 > b0);
    /* A value far below the first forces growth downwards; both must still be found. */
    assert_int_equal(rr_sketch_add(s, 1e-6), 0);
    assert_int_equal(rr_sketch_add(s, 1e12), 0);
    assert_int_equal(rr_sketch_add(s, -3.0), 0);
    assert_true(rr_sketch_bytes(s) > b1);
    assert_true(rr_sketch_quantile(s, 0.0) == -3.0);
    assert_close_to_exact(rr_sketch_quantile(s, 0.26), 1e-6, 0.26);
    assert_close_to_exact(rr_sketch_quantile(s, 0.5), 1e-6, 0.5);
    assert_close_to_exact(rr_sketch_quantile(s, 0.75), 1.0, 0.75);
    assert_true(rr_sketch_quantile(s, 1.0) == 1e12);
    assert_false(rr_sketch_failed(s));
    rr_sketch_free(s);
}

/* A sketch sent to another process as words and merged there equals the merge of the
 * sketches themselves: counts, min, max and every quantile, bit for bit; malformed words are
 * refused and leave the destination as it was. */
static void test_serialize_roundtrip(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 99);
    rr_sketch *a = rr_sketch_new(), *b = rr_sketch_new(), *direct = rr_sketch_new(),
              *sent = rr_sketch_new();
    assert_true(a && b && direct && sent);
    for (int i = 0; i < 50000; i++) {
        double x = gsl_ran_gaussian(r, 1000);   /* both signs */
        assert_int_equal(rr_sketch_add(i % 3 ? a : b, i % 7 ? x : 0.0), 0);
    }
    assert_int_equal(rr_sketch_merge(direct, a), 0);
    assert_int_equal(rr_sketch_merge(direct, b), 0);
    const rr_sketch *parts[2] = { a, b };
    for (int k = 0; k < 2; k++) {
        size_t n = rr_sketch_serialized_words(parts[k]);
        uint64_t *w = malloc(n * sizeof *w);
        assert_non_null(w);
        rr_sketch_serialize(parts[k], w);
        assert_int_equal(rr_sketch_merge_serialized(sent, w, n), 0);
        assert_int_equal(rr_sketch_merge_serialized(sent, w, n - 1), -1);   /* truncated */
        free(w);
    }
    assert_int_equal(rr_sketch_count(sent), rr_sketch_count(direct));
    assert_true(rr_sketch_min(sent) == rr_sketch_min(direct));
    assert_true(rr_sketch_max(sent) == rr_sketch_max(direct));
    for (int i = 0; i <= 1000; i++) {
        double x = rr_sketch_quantile(sent, i / 1000.0), y = rr_sketch_quantile(direct, i / 1000.0);
        assert_memory_equal(&x, &y, sizeof x);
    }
    rr_sketch_free(a);
    rr_sketch_free(b);
    rr_sketch_free(direct);
    rr_sketch_free(sent);
    gsl_rng_free(r);
}


/* ---- rows ---------------------------------------------------------------------------------- */

/* A row of series fed together gives each series exactly the sketch that rr_sketch_add of
 * its values would: flushed into empty sketches (the stores move) and into full ones (they
 * merge), and again after a flush, with signs, zeros and constants among the series. */
static void test_row_matches_sketches(void **state)
{
    (void)state;
    enum { NS = 6, NV = 20000 };
    fill_fn fills[NS] = { fill_lognormal, fill_normal, fill_zeros, fill_loguniform, fill_constant,
                          fill_tiny };
    double *x[NS];
    for (size_t k = 0; k < NS; k++)
        x[k] = sample(fills[k], 100 + k, NV);
    rr_sketch *direct[NS], *viarow[NS];
    for (size_t k = 0; k < NS; k++) {
        direct[k] = rr_sketch_new();
        viarow[k] = rr_sketch_new();
        assert_non_null(direct[k]);
        assert_non_null(viarow[k]);
    }
    rr_sketch_row *row = rr_sketch_row_new(NS, viarow);
    assert_non_null(row);
    /* Three rounds: into empty sketches, into full ones, and a round of one value. */
    const size_t cuts[4] = { 0, NV / 3, NV - 1, NV };
    for (int round = 0; round < 3; round++) {
        for (size_t v = cuts[round]; v < cuts[round + 1]; v++) {
            double vals[NS];
            for (size_t k = 0; k < NS; k++) {
                vals[k] = x[k][v];
                assert_int_equal(rr_sketch_add(direct[k], vals[k]), 0);
            }
            if (!rr_sketch_row_room(row, 1))
                assert_int_equal(rr_sketch_row_flush(row), 0);
            rr_sketch_row_add_lanes(row, vals, 1, 1);
        }
        assert_true(rr_sketch_row_bytes(row) > 0);
        assert_int_equal(rr_sketch_row_flush(row), 0);
        for (size_t k = 0; k < NS; k++) {
            assert_false(rr_sketch_failed(viarow[k]));
            assert_sketches_identical(direct[k], viarow[k]);
        }
    }
    /* The same values added thirteen rows at a time, series by series (x[i * 16 + l]),
     * with a last group of fewer rows, give the same sketches again. */
    rr_sketch *vialanes[NS];
    for (size_t k = 0; k < NS; k++)
        assert_non_null(vialanes[k] = rr_sketch_new());
    rr_sketch_row *lanes = rr_sketch_row_new(NS, vialanes);
    assert_non_null(lanes);
    for (size_t v0 = 0; v0 < NV; v0 += 13) {
        unsigned nl = NV - v0 < 13 ? (unsigned)(NV - v0) : 13;
        double block[NS * 16];
        for (size_t k = 0; k < NS; k++)
            for (unsigned l = 0; l < nl; l++)
                block[k * 16 + l] = x[k][v0 + l];
        if (!rr_sketch_row_room(lanes, nl))
            assert_int_equal(rr_sketch_row_flush(lanes), 0);
        rr_sketch_row_add_lanes(lanes, block, 16, nl);
    }
    assert_int_equal(rr_sketch_row_flush(lanes), 0);
    for (size_t k = 0; k < NS; k++) {
        assert_sketches_identical(direct[k], vialanes[k]);
        rr_sketch_free(vialanes[k]);
    }
    rr_sketch_row_free(lanes);
    /* A flush with nothing added since changes nothing. */
    assert_int_equal(rr_sketch_row_flush(row), 0);
    for (size_t k = 0; k < NS; k++) {
        assert_sketches_identical(direct[k], viarow[k]);
        rr_sketch_free(direct[k]);
        rr_sketch_free(viarow[k]);
        free(x[k]);
    }
    rr_sketch_row_free(row);
    rr_sketch_row_free(NULL);
}

/* Absorbing is merging and freeing: into an empty sketch (which takes the stores) and
 * into a full one, the result is the sketch of all the values, and src is gone. */
static void test_absorb(void **state)
{
    (void)state;
    double *x = sample(fill_zeros, 7, N_SAMPLE);
    rr_sketch *whole = sketch_of(x, N_SAMPLE);
    rr_sketch *dst = rr_sketch_new();
    assert_non_null(dst);
    rr_sketch *a = sketch_of(x, N_SAMPLE / 3), *b = sketch_of(x + N_SAMPLE / 3,
                                                             N_SAMPLE - N_SAMPLE / 3);
    assert_int_equal(rr_sketch_absorb(&dst, &a), 0);
    assert_null(a);
    assert_int_equal(rr_sketch_absorb(&dst, &b), 0);
    assert_null(b);
    assert_sketches_identical(whole, dst);
    rr_sketch_free(dst);
    rr_sketch_free(whole);
    free(x);
}

/* A row counts in 16 bits between flushes: one bucket taking every value of 200,000 rows
 * (three flushes at least) holds them all, added one row or sixteen at a time. */
static void test_row_counts_past_16_bits(void **state)
{
    (void)state;
    enum { N = 200000 };
    for (int lanes = 0; lanes <= 1; lanes++) {
        rr_sketch *dst = rr_sketch_new();
        assert_non_null(dst);
        rr_sketch_row *row = rr_sketch_row_new(1, &dst);
        assert_non_null(row);
        double x[16] = { 0 };
        for (int l = 0; l < 16; l++)
            x[l] = 42.5;
        int flushes = 0;
        for (int i = 0; i < N; i += lanes ? 16 : 1) {
            if (!rr_sketch_row_room(row, lanes ? 16 : 1)) {
                assert_int_equal(rr_sketch_row_flush(row), 0);
                flushes++;
            }
            rr_sketch_row_add_lanes(row, x, lanes ? 16 : 1, lanes ? 16 : 1);
        }
        /* 200,000 adds in one bucket: the row asked for a flush before 16 bits ran out. */
        assert_true(flushes >= 3);
        assert_int_equal(rr_sketch_row_flush(row), 0);
        assert_int_equal(rr_sketch_count(dst), N);
        assert_int_equal(rr_sketch_count_above(dst, 42), N);
        assert_true(rr_sketch_quantile(dst, 0.5) == 42.5);
        rr_sketch_free(dst);
        rr_sketch_row_free(row);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile_rank_edges),
        cmocka_unit_test(test_empty_sketch),
        cmocka_unit_test(test_bytes_and_growth),
        cmocka_unit_test(test_quantiles_lognormal),
        cmocka_unit_test(test_quantiles_normal_mixed_sign),
        cmocka_unit_test(test_quantiles_many_zeros),
        cmocka_unit_test(test_quantiles_loguniform),
        cmocka_unit_test(test_quantiles_constant),
        cmocka_unit_test(test_quantiles_extreme_magnitudes),
        cmocka_unit_test(test_merge_lognormal),
        cmocka_unit_test(test_merge_signed_with_zeros),
        cmocka_unit_test(test_merge_empty),
        cmocka_unit_test(test_constant_series),
        cmocka_unit_test(test_moments_edges),
        cmocka_unit_test(test_moments_lognormal_large_mean),
        cmocka_unit_test(test_moments_large_offset),
        cmocka_unit_test(test_row_matches_sketches),
        cmocka_unit_test(test_row_counts_past_16_bits),
        cmocka_unit_test(test_absorb),
        cmocka_unit_test(test_count_above),
        cmocka_unit_test(test_serialize_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
