/* test_rng: the Philox generator against Random123's published answers, the seeking
 * contract of rng.h, and GSL's use of it.
 *
 * Every statistical check has a fixed seed, so a run is deterministic; the thresholds are
 * nevertheless set from the sampling distributions (one-in-a-million chi-square, five
 * standard errors) so that a change of seed could not make a correct generator fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sample/rng.h"

/* ---- known answers ---------------------------------------------------------------------- */

/* Random123's tests/kat_vectors, the three "philox4x32 10" lines (columns: counter[4],
 * key[2], expected[4]), as cut and pasted into DEShawResearch/Random123-Boost,
 * libs/random/test/test_philox.cpp. */
static const struct {
    uint32_t ctr[4], key[2], out[4];
} kat[] = {
    { { 0x00000000, 0x00000000, 0x00000000, 0x00000000 }, { 0x00000000, 0x00000000 },
      { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 } },
    { { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, { 0xffffffff, 0xffffffff },
      { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd } },
    { { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, { 0xa4093822, 0x299f31d0 },
      { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 } },
};

static void test_philox_kat(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        uint32_t out[4];
        rr_rng_philox4x32_10(kat[i].ctr, kat[i].key, out);
        for (int j = 0; j < 4; j++)
            assert_int_equal(out[j], kat[i].out[j]);
    }
}

/* Callers reuse ctr and key across calls, so the bijection must leave them alone. */
static void test_philox_inputs_untouched(void **state)
{
    (void)state;
    uint32_t ctr[4] = { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 };
    uint32_t key[2] = { 0xa4093822, 0x299f31d0 };
    uint32_t out[4];
    rr_rng_philox4x32_10(ctr, key, out);
    assert_memory_equal(ctr, kat[2].ctr, sizeof ctr);
    assert_memory_equal(key, kat[2].key, sizeof key);
}

static void test_stream_id_fnv1a(void **state)
{
    (void)state;
    /* Published FNV-1a 64 values: the empty string hashes to the offset basis. */
    assert_true(rr_rng_stream_id("") == UINT64_C(0xcbf29ce484222325));
    assert_true(rr_rng_stream_id("a") == UINT64_C(0xaf63dc4c8601ec8c));
    assert_true(rr_rng_stream_id("foobar") == UINT64_C(0x85944171f73967e8));
    /* Bytes above 0x7f must hash as unsigned, not sign-extended. */
    assert_true(rr_rng_stream_id("\xff") == ((UINT64_C(0xcbf29ce484222325) ^ 0xff)
                                              * UINT64_C(0x100000001b3)));
    assert_true(rr_rng_stream_id("costs.a") != rr_rng_stream_id("costs.b"));
}

static void test_key_splitmix(void **state)
{
    (void)state;
    /* splitmix64(0) = 0xe220a8397b1dcdaf is the first output of Vigna's splitmix64.c from
     * state 0.  Choosing seed = splitmix64(stream 0) cancels the inner mix, so this pins
     * down both the finaliser and the composition key = sm(seed ^ sm(stream)). */
    const uint64_t sm0 = UINT64_C(0xe220a8397b1dcdaf);
    assert_true(rr_rng_key(sm0, 0) == sm0);
    assert_true(rr_rng_key(0, 0) == UINT64_C(0xa706dd2f4d197e6f)); /* sm(sm(0)) */
    /* The stream is mixed before the xor, so shifting seed and stream together moves the key. */
    assert_true(rr_rng_key(1, 0) != rr_rng_key(0, 1));
    assert_true(rr_rng_key(5, 3) != rr_rng_key(5 ^ 7, 3 ^ 7));
}

/* ---- seeking ---------------------------------------------------------------------------- */

static gsl_rng *new_rng(void)
{
    gsl_rng *r = gsl_rng_alloc(rr_rng_philox);
    assert_non_null(r);
    return r;
}

#define NDRAW 16

static void draw(gsl_rng *r, unsigned long out[NDRAW])
{
    for (int i = 0; i < NDRAW; i++)
        out[i] = gsl_rng_get(r);
}

static void draw_at(gsl_rng *r, uint64_t seed, uint64_t stream, uint64_t path, uint32_t step,
                    unsigned long out[NDRAW])
{
    rr_rng_seek(r, seed, stream, path, step);
    draw(r, out);
}

static void test_seek_reproducible(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    unsigned long a[NDRAW], b[NDRAW], junk[NDRAW];

    draw_at(r, 42, rr_rng_stream_id("costs.x"), 12345, 6, a);
    /* Unrelated draws: another position, then a partial block (3 words, then a double that
     * straddles the buffer) so that a stale buffer index would show. */
    draw_at(r, 7, 8, 9, 10, junk);
    (void)gsl_rng_get(r);
    (void)gsl_rng_get(r);
    (void)gsl_rng_get(r);
    (void)gsl_rng_uniform(r);
    draw_at(r, 42, rr_rng_stream_id("costs.x"), 12345, 6, b);
    assert_memory_equal(a, b, sizeof a);

    /* A second generator, never used before, agrees: position alone decides. */
    gsl_rng *r2 = new_rng();
    draw_at(r2, 42, rr_rng_stream_id("costs.x"), 12345, 6, b);
    assert_memory_equal(a, b, sizeof a);

    /* seek_key with a cached key is the same seek. */
    rr_rng_seek_key(r2, rr_rng_key(42, rr_rng_stream_id("costs.x")), 12345, 6);
    draw(r2, b);
    assert_memory_equal(a, b, sizeof a);

    gsl_rng_free(r2);
    gsl_rng_free(r);
}

static void test_seek_distinct(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    const uint64_t seed = 42, stream = 99, path = UINT64_C(0x0000000100000002);
    const uint32_t step = 3;
    unsigned long base[NDRAW], other[NDRAW];

    draw_at(r, seed, stream, path, step, base);

    /* Sixteen equal 32-bit words by chance has probability 2^-512. */
    draw_at(r, seed + 1, stream, path, step, other);
    assert_memory_not_equal(base, other, sizeof base);
    draw_at(r, seed, stream + 1, path, step, other);
    assert_memory_not_equal(base, other, sizeof base);
    draw_at(r, seed, stream, path + 1, step, other);               /* low word of path */
    assert_memory_not_equal(base, other, sizeof base);
    draw_at(r, seed, stream, path + (UINT64_C(1) << 32), step, other); /* high word */
    assert_memory_not_equal(base, other, sizeof base);
    draw_at(r, seed, stream, path, step + 1, other);
    assert_memory_not_equal(base, other, sizeof base);
    /* Swapping seed and stream must not land on the same key. */
    draw_at(r, stream, seed, path, step, other);
    assert_memory_not_equal(base, other, sizeof base);

    gsl_rng_free(r);
}

/* The generator's words are exactly the bijection applied to the documented counter layout
 * and key split, block after block. */
static void test_sequence_across_blocks(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    const uint64_t key = UINT64_C(0x0123456789abcdef);
    const uint64_t path = UINT64_C(0xfedcba9876543210);
    const uint32_t step = 0x5a5a5a5a;
    const uint32_t k[2] = { 0x89abcdef, 0x01234567 };
    uint32_t expect[12];

    for (uint32_t block = 0; block < 3; block++) {
        const uint32_t ctr[4] = { block, step, 0x76543210, 0xfedcba98 };
        rr_rng_philox4x32_10(ctr, k, &expect[4 * block]);
    }

    rr_rng_seek_key(r, key, path, step);
    for (int i = 0; i < 9; i++)
        assert_int_equal(gsl_rng_get(r), expect[i]);

    /* rr_rng_seek is the same with key = rr_rng_key(seed, stream). */
    const uint64_t seed = 2024, stream = rr_rng_stream_id("latency");
    const uint64_t kk = rr_rng_key(seed, stream);
    const uint32_t k2[2] = { (uint32_t)kk, (uint32_t)(kk >> 32) };
    const uint32_t ctr0[4] = { 0, 7, 1, 0 };
    uint32_t out[4];
    rr_rng_philox4x32_10(ctr0, k2, out);
    rr_rng_seek(r, seed, stream, 1, 7);
    for (int i = 0; i < 4; i++)
        assert_int_equal(gsl_rng_get(r), out[i]);

    gsl_rng_free(r);
}

static void test_set_is_seek(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    unsigned long a[NDRAW], b[NDRAW];

    /* A fresh generator sits at (0, 0, 0, 0): this program never changes
     * gsl_rng_default_seed from its initial 0. */
    draw(r, a);
    draw_at(r, 0, 0, 0, 0, b);
    assert_memory_equal(a, b, sizeof a);

    gsl_rng_set(r, 123456789);
    draw(r, a);
    draw_at(r, 123456789, 0, 0, 0, b);
    assert_memory_equal(a, b, sizeof a);

    gsl_rng_free(r);
}

/* ---- GSL integration -------------------------------------------------------------------- */

static void test_gsl_type(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    assert_string_equal(gsl_rng_name(r), "philox4x32-10");
    assert_true(gsl_rng_max(r) == 0xffffffffUL);
    assert_true(gsl_rng_min(r) == 0);

    /* A clone copies the state and then runs independently. */
    rr_rng_seek(r, 1, 2, 3, 4);
    (void)gsl_rng_get(r);
    gsl_rng *c = gsl_rng_clone(r);
    assert_non_null(c);
    unsigned long a[NDRAW], b[NDRAW];
    draw(r, a);
    draw(c, b);
    assert_memory_equal(a, b, sizeof a);

    gsl_rng_free(c);
    gsl_rng_free(r);
}

/* gsl_rng_uniform takes two whole words, high then low, and keeps the top 53 bits. */
static void test_uniform_construction(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    const uint32_t k[2] = { 0x11111111, 0x22222222 };
    const uint32_t ctr[4] = { 0, 0, 0, 0 };
    uint32_t w[4];
    rr_rng_philox4x32_10(ctr, k, w);

    rr_rng_seek_key(r, UINT64_C(0x2222222211111111), 0, 0);
    double u0 = gsl_rng_uniform(r);
    double u1 = gsl_rng_uniform(r);
    assert_true(u0 == (double)((((uint64_t)w[0] << 32) | w[1]) >> 11) * 0x1.0p-53);
    assert_true(u1 == (double)((((uint64_t)w[2] << 32) | w[3]) >> 11) * 0x1.0p-53);

    /* One uniform consumes exactly two words. */
    rr_rng_seek_key(r, UINT64_C(0x2222222211111111), 0, 0);
    (void)gsl_rng_uniform(r);
    assert_int_equal(gsl_rng_get(r), w[2]);

    gsl_rng_free(r);
}

static void test_uniform_distribution(void **state)
{
    (void)state;
    enum { N = 100000, BINS = 100 };
    gsl_rng *r = new_rng();
    rr_rng_seek(r, 20240101, rr_rng_stream_id("test.uniform"), 0, 0);

    unsigned long count[BINS] = { 0 };
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        double u = gsl_rng_uniform(r);
        assert_true(u >= 0.0 && u < 1.0);
        int b = (int)(u * BINS);
        count[b < BINS ? b : BINS - 1]++;   /* u * BINS may round up to BINS */
        sum += u;
    }

    const double expected = (double)N / BINS;
    double chi2 = 0.0;
    for (int b = 0; b < BINS; b++) {
        double d = (double)count[b] - expected;
        chi2 += d * d / expected;
    }
    /* Upper 1e-6 point of chi-square with BINS - 1 degrees of freedom. */
    const double critical = gsl_cdf_chisq_Qinv(1e-6, BINS - 1);
    assert_true(critical > 99.0 && critical < 250.0);
    assert_true(chi2 < critical);

    const double mean = sum / N;
    const double se = sqrt(1.0 / 12.0 / N);
    assert_true(fabs(mean - 0.5) < 5.0 * se);

    gsl_rng_free(r);
}

static void test_gaussian_ziggurat(void **state)
{
    (void)state;
    enum { N = 100000 };
    gsl_rng *r = new_rng();
    rr_rng_seek(r, 31337, rr_rng_stream_id("test.gaussian"), 5, 0);

    double sum = 0.0, sumsq = 0.0;
    for (int i = 0; i < N; i++) {
        double x = gsl_ran_gaussian_ziggurat(r, 1.0);
        assert_true(isfinite(x));
        sum += x;
        sumsq += x * x;
    }
    const double mean = sum / N;
    const double sd = sqrt((sumsq - N * mean * mean) / (N - 1));
    /* Standard errors for a unit normal: 1/sqrt(n) for the mean, about 1/sqrt(2n) for sd. */
    assert_true(fabs(mean) < 5.0 / sqrt((double)N));
    assert_true(fabs(sd - 1.0) < 5.0 / sqrt(2.0 * N));

    gsl_rng_free(r);
}


/* ---- batches ------------------------------------------------------------------------------ */

/* A batch gives, for each lane's path, the block of each row's position that its span names:
 * the words that rr_rng_seek to it gives first (block 0) or after four (block 1); rows in
 * span order; lanes across a 2^32 boundary of the path number. */
static void batch_same_words(void)
{
    const uint64_t seed = 2027;
    rr_rng_span spans[40];
    for (int i = 0; i < 40; i++) {
        char name[32];
        snprintf(name, sizeof name, "costs.c%d.x", i);
        spans[i] = (rr_rng_span){ rr_rng_stream_id(name), i % 3 == 0 ? 0 : 1,
                                  i % 3 == 0 ? 1 : 13, i % 4 == 3 };
    }
    rr_rng_batch *b = rr_rng_batch_new(seed, spans, 40);
    assert_non_null(b);
    gsl_rng *plain = new_rng();
    const uint64_t paths[] = { 0, 7, UINT64_C(0xfffffff8), UINT64_C(0x123456789) };
    for (size_t p = 0; p < 4; p++) {
        rr_rng_batch_fill(b, paths[p]);
        size_t row = 0;
        for (int i = 0; i < 40; i++)
            for (uint32_t k = 0; k < spans[i].nsteps; k++, row++)
                for (unsigned lane = 0; lane < RR_RNG_LANES; lane++) {
                    rr_rng_seek(plain, seed, spans[i].stream, paths[p] + lane,
                                spans[i].step_lo + k);
                    for (uint32_t skip = 0; skip < 4 * spans[i].block; skip++)
                        gsl_rng_get(plain);
                    for (int w = 0; w < 4; w++)
                        assert_int_equal(rr_rng_batch_words(b, row, w)[lane],
                                         gsl_rng_get(plain));
                }
        assert_int_equal(row, rr_rng_batch_rows(b));
    }
    gsl_rng_free(plain);
    rr_rng_batch_free(b);
    rr_rng_batch_free(NULL);
}

/* check() with every kernel this processor has: RUNRATE_RNG_KERNEL picks a narrower one
 * than the widest (the last run, with it unset). */
static void for_each_kernel(void (*check)(void))
{
    static const char *const kernels[] = { "scalar", "avx2", NULL };
    for (size_t k = 0; k < sizeof kernels / sizeof *kernels; k++) {
        if (kernels[k])
            setenv("RUNRATE_RNG_KERNEL", kernels[k], 1);
        else
            unsetenv("RUNRATE_RNG_KERNEL");
        check();
    }
}

static void test_batch_same_words(void **state)
{
    (void)state;
    for_each_kernel(batch_same_words);
}

/* A list gives each added position's first block, whatever the paths and steps (across a
 * 2^32 boundary too) and however many (a partial last vector). */
static void list_same_words(void)
{
    rr_rng_list *l = rr_rng_list_new();
    gsl_rng *plain = new_rng();
    assert_non_null(l);
    const uint64_t seed = 11, stream = rr_rng_stream_id("demand.spikes.multiplier");
    for (size_t n = 1; n <= RR_RNG_LIST_MAX; n = n * 3 + 1) {
        rr_rng_list_start(l, seed, stream);
        for (size_t i = 0; i < n; i++)
            rr_rng_list_add(l, UINT64_C(0xfffffff0) + 7 * i, (uint32_t)(1 + 256 * (i % 5)));
        assert_int_equal(rr_rng_list_size(l), n);
        rr_rng_list_fill(l);
        for (size_t i = 0; i < n; i++) {
            rr_rng_seek(plain, seed, stream, UINT64_C(0xfffffff0) + 7 * i,
                        (uint32_t)(1 + 256 * (i % 5)));
            for (int w = 0; w < 4; w++)
                assert_int_equal(rr_rng_list_words(l, w)[i], gsl_rng_get(plain));
        }
        /* The second blocks: the words a seek gives after the first four. */
        rr_rng_list_fill_block(l, 1);
        for (size_t i = 0; i < n; i++) {
            rr_rng_seek(plain, seed, stream, UINT64_C(0xfffffff0) + 7 * i,
                        (uint32_t)(1 + 256 * (i % 5)));
            for (int w = 0; w < 4; w++)
                gsl_rng_get(plain);
            for (int w = 0; w < 4; w++)
                assert_int_equal(rr_rng_list_words(l, w)[i], gsl_rng_get(plain));
        }
    }
    gsl_rng_free(plain);
    rr_rng_list_free(l);
    rr_rng_list_free(NULL);
}

static void test_list_same_words(void **state)
{
    (void)state;
    for_each_kernel(list_same_words);
}

/* A seek given the position's first block reads the same words as a plain seek, on
 * through the blocks it then makes. */
static void test_seek_block(void **state)
{
    (void)state;
    gsl_rng *a = new_rng(), *b = new_rng();
    for (uint64_t p = 0; p < 100; p++) {
        uint32_t first[4];
        rr_rng_seek(a, 9, 1234, p, 5);
        for (int w = 0; w < 4; w++)
            first[w] = (uint32_t)gsl_rng_get(a);
        rr_rng_seek(a, 9, 1234, p, 5);
        rr_rng_seek(b, 9, 1234, p, 5);
        rr_rng_seek_block_words(b, first);
        for (int w = 0; w < 20; w++)
            assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* The ziggurat's first try is rr_rng_gaussian's whenever it succeeds. */
static void test_gaussian_first(void **state)
{
    (void)state;
    gsl_rng *r = new_rng();
    unsigned long ok = 0;
    for (uint64_t p = 0; p < 100000; p++) {
        rr_rng_seek(r, 5, 77, p, 3);
        uint64_t u = (uint64_t)gsl_rng_get(r) << 32;
        u |= gsl_rng_get(r);
        double z, want;
        rr_rng_seek(r, 5, 77, p, 3);
        want = rr_rng_gaussian(r);
        if (rr_rng_gaussian_first(u, &z)) {
            ok++;
            assert_memory_equal(&z, &want, sizeof z);
        }
        /* And rr_rng_u01 is rr_rng_uniform on the same two words. */
        rr_rng_seek(r, 5, 77, p, 3);
        double x = rr_rng_uniform(r), y = rr_rng_u01(u);
        assert_memory_equal(&x, &y, sizeof x);
    }
    /* 256 layers: about 99.3% of first tries succeed. */
    assert_true(ok > 98500 && ok < 99800);
    gsl_rng_free(r);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- vexp ----------------------------------------------------------------------------------- */

#include "sample/vexp.h"

/* Marsaglia's xorshift64, for arguments spread over every magnitude: the next state. */
static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* |a - b| in units of b's last place (b normal, finite, nonzero). */
static double ulps_apart(double a, double b)
{
    double ulp = nextafter(fabs(b), INFINITY) - fabs(b);
    return fabs(a - b) / ulp;
}

/* rr_vexp against libm's exp (itself within a fraction of an ulp): within 1.5 ulp wherever
 * e^x is a normal double, as close as subnormals allow below, and the ends and NaN as exp. */
static void test_vexp(void **state)
{
    (void)state;
    double worst = 0;
    uint64_t s = 88172645463325252u;
    for (long i = 0; i < 4000000; i++) {
        double u = (double)(xorshift(&s) >> 11) * 0x1.0p-53;
        /* Half over exp's whole domain, half over where lognormal draws live. */
        double x = i % 2 ? -708.39 + 1418.17 * u : -12 + 24 * u;
        double d = ulps_apart(rr_vexp(x), exp(x));
        if (d > worst)
            worst = d;
    }
    if (worst > 1.5)
        fail_msg("rr_vexp is %.3g ulp from exp", worst);
    /* Exact where exp is: e^0; and the powers of two of the scaling. */
    assert_true(rr_vexp(0.0) == 1.0 && rr_vexp(-0.0) == 1.0);
    for (double x = -740; x < -708.4; x += 0.37) {
        /* Subnormal results: within one subnormal step and a relative 2^-40. */
        double e = exp(x), g = rr_vexp(x);
        assert_true(fabs(g - e) <= 0x1.0p-1074 + 0x1.0p-40 * e);
    }
    assert_true(rr_vexp(709.78) == exp(709.78) || ulps_apart(rr_vexp(709.78), exp(709.78)) <= 1.5);
    assert_true(isinf(rr_vexp(709.8)) && rr_vexp(709.8) > 0 && isinf(rr_vexp(1e300)));
    assert_true(isinf(rr_vexp(INFINITY)) && rr_vexp(-INFINITY) == 0 && rr_vexp(-746) == 0);
    assert_true(rr_vexp(-745.2) == 0 || rr_vexp(-745.2) == 0x1.0p-1074);
    assert_true(isnan(rr_vexp(NAN)));
}

/* rr_vceil is ceil, bit for bit (signed zeros included), on special values and on random
 * doubles of every magnitude and on fractions. */
static void test_vceil(void **state)
{
    (void)state;
    static const double sp[] = { 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 1e300, -1e300,
                                 INFINITY, -INFINITY, 0x1.0p52, -0x1.0p52, 0x1.0p52 - 0.5,
                                 -(0x1.0p52 - 0.5), 1e-300, -1e-300, 0.999999999999, 2.0000001,
                                 4.9e-324, -4.9e-324 };
    for (size_t i = 0; i < sizeof sp / sizeof *sp; i++) {
        double a = ceil(sp[i]), b = rr_vceil(sp[i]);
        assert_memory_equal(&a, &b, sizeof a);
    }
    assert_true(isnan(rr_vceil(NAN)));
    uint64_t s = 1;
    for (long i = 0; i < 2000000; i++) {
        xorshift(&s);
        double x;
        uint64_t bits = s;
        memcpy(&x, &bits, sizeof x);
        if (i % 2)
            x = (double)(int64_t)(s >> 20) * 0x1.0p-20;
        if (isnan(x))
            continue;
        double a = ceil(x), b = rr_vceil(x);
        if (memcmp(&a, &b, sizeof a) != 0)
            fail_msg("rr_vceil(%a) = %a, ceil %a", x, b, a);
    }
}

/* rr_vlog against libm's log: within 2.5 ulp over normal and subnormal arguments (uniforms
 * near 0 and 1 included), and the ends as log. */
static void test_vlog(void **state)
{
    (void)state;
    double worst = 0;
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (long i = 0; i < 4000000; i++) {
        double u = (double)(xorshift(&s) >> 11) * 0x1.0p-53;
        double x = i % 3 == 0 ? u : i % 3 == 1 ? exp(-745 + 1454 * u) : 0.5 + u;
        double want = log(x);
        if (x == 0 || want == 0)
            continue;
        double d = ulps_apart(rr_vlog(x), want);
        if (d > worst)
            worst = d;
    }
    if (worst > 2.5)
        fail_msg("rr_vlog is %.3g ulp from log", worst);
    assert_true(rr_vlog(1.0) == 0.0 && rr_vlog(2.0) == log(2.0));
    assert_true(isinf(rr_vlog(0.0)) && rr_vlog(0.0) < 0);
    assert_true(isnan(rr_vlog(-1.0)) && isnan(rr_vlog(NAN)));
    assert_true(isinf(rr_vlog(INFINITY)) && rr_vlog(INFINITY) > 0);
    assert_true(ulps_apart(rr_vlog(0x1.0p-1074), log(0x1.0p-1074)) <= 2.5);
}

/* ---- the ziggurat -------------------------------------------------------------------------- */

#include "sample/rng_zig.h"   /* the table under test: internal to rng.c */

/* The table, generated at 60 digits, must satisfy its defining relations in double
 * precision: every layer has area V, f is exp(-x^2/2) at the boundaries, the layers close
 * at the top, and the base layer is the rectangle below R plus the tail. */
static void test_zig_table(void **state)
{
    (void)state;
    const double R = RR_ZIG_R, V = RR_ZIG_V;
    assert_true(fabs(V - (R * exp(-0.5 * R * R) + sqrt(2 * acos(0.0) / 2) * erfc(R / sqrt(2.0)))) < 1e-15);
    assert_true(fabs(rr_zig_x[0] - V / exp(-0.5 * R * R)) < 1e-13);
    assert_true(rr_zig_x[1] == R && rr_zig_x[256] == 0 && rr_zig_f[256] == 1);
    for (int i = 0; i <= 256; i++) {
        /* exp's half ulp, and x*x's rounding magnified by the exponent x^2/2. */
        double h = 0.5 * rr_zig_x[i] * rr_zig_x[i], f = exp(-h);
        if (fabs(rr_zig_f[i] - f) > 2.3e-16 * (1 + h) * f)
            fail_msg("f[%d] = %.17g, exp(-x^2/2) = %.17g", i, rr_zig_f[i], f);
        if (i > 0 && i < 256)
            assert_true(rr_zig_x[i + 1] < rr_zig_x[i]);
    }
    for (int i = 1; i < 256; i++) {
        double area = rr_zig_x[i] * (rr_zig_f[i + 1] - rr_zig_f[i]);
        if (fabs(area - V) > 1e-12 * V)
            fail_msg("layer %d: area %.17g, expected %.17g", i, area, V);
    }
}

/* The sampler against the normal law it claims: Kolmogorov's distance to Phi, the mean
 * and sd, and the mass beyond R (drawn by the tail method) and in the wedges' range. */
static void test_gaussian_law(void **state)
{
    (void)state;
    enum { N = 1000000 };
    gsl_rng *r = new_rng();
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    double sum = 0, sumsq = 0;
    unsigned long tail = 0, inner = 0;
    for (int i = 0; i < N; i++) {
        /* A fresh position every 1000 draws, as the engine uses it: many short sequences. */
        if (i % 1000 == 0)
            rr_rng_seek(r, 99, rr_rng_stream_id("test.zig"), (uint64_t)i / 1000, 1);
        x[i] = rr_rng_gaussian(r);
        assert_true(isfinite(x[i]));
        sum += x[i];
        sumsq += x[i] * x[i];
        tail += fabs(x[i]) > RR_ZIG_R;
        inner += fabs(x[i]) < 0.5;
    }
    const double mean = sum / N, sd = sqrt(sumsq / N - mean * mean);
    assert_true(fabs(mean) < 5.0 / sqrt((double)N));
    assert_true(fabs(sd - 1.0) < 5.0 / sqrt(2.0 * N));
    /* Binomial counts against their exact probabilities, five standard errors. */
    const double pt = 2 * gsl_cdf_ugaussian_Q(RR_ZIG_R), pi = 1 - 2 * gsl_cdf_ugaussian_Q(0.5);
    assert_true(fabs((double)tail - N * pt) < 5 * sqrt(N * pt * (1 - pt)));
    assert_true(fabs((double)inner - N * pi) < 5 * sqrt(N * pi * (1 - pi)));
    qsort(x, N, sizeof *x, cmp_double);
    double d = 0;
    for (int i = 0; i < N; i++) {
        double F = gsl_cdf_ugaussian_P(x[i]);
        double lo = F - (double)i / N, hi = (double)(i + 1) / N - F;
        d = fmax(d, fmax(lo, hi));
    }
    /* Kolmogorov: P(sqrt(n) D > t) ~ 2 exp(-2 t^2); t for a one-in-a-million false alarm. */
    assert_true(d * sqrt((double)N) < sqrt(log(2 / 1e-6) / 2));
    free(x);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox_kat),
        cmocka_unit_test(test_philox_inputs_untouched),
        cmocka_unit_test(test_stream_id_fnv1a),
        cmocka_unit_test(test_key_splitmix),
        cmocka_unit_test(test_seek_reproducible),
        cmocka_unit_test(test_seek_distinct),
        cmocka_unit_test(test_sequence_across_blocks),
        cmocka_unit_test(test_set_is_seek),
        cmocka_unit_test(test_gsl_type),
        cmocka_unit_test(test_uniform_construction),
        cmocka_unit_test(test_uniform_distribution),
        cmocka_unit_test(test_gaussian_ziggurat),
        cmocka_unit_test(test_batch_same_words),
        cmocka_unit_test(test_list_same_words),
        cmocka_unit_test(test_gaussian_first),
        cmocka_unit_test(test_seek_block),
        cmocka_unit_test(test_zig_table),
        cmocka_unit_test(test_vexp),
        cmocka_unit_test(test_vlog),
        cmocka_unit_test(test_vceil),
        cmocka_unit_test(test_gaussian_law),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
