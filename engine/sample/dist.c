/* dist: building, sampling and describing distributions.
 *
 * Parameter checks live in the builders so that every caller (the scenario parser today,
 * command-line overrides later) refuses the same things with the same words.  Builders
 * compute what a draw needs once: log and sqrt belong here, not in the path loop.
 */
#include "sample/dist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "sample/rng.h"
#include "sample/simd.h"
#include "sample/vexp.h"

static void reset(rr_dist *d)
{
    memset(d, 0, sizeof *d);
    d->kind = RR_DIST_CONST;
    d->lo = -INFINITY;
    d->hi = INFINITY;
}

static const char *fail(rr_dist *d, const char *msg)
{
    reset(d);
    return msg;
}

static int finite3(double a, double b, double c)
{
    return isfinite(a) && isfinite(b) && isfinite(c);
}

const char *rr_dist_init_const(rr_dist *d, double v)
{
    reset(d);
    if (!isfinite(v))
        return fail(d, "expected a finite number");
    d->p[0] = v;
    d->user[0] = v;
    return NULL;
}

const char *rr_dist_init_normal(rr_dist *d, double mean, double sd)
{
    reset(d);
    if (!finite3(mean, sd, 0))
        return fail(d, "normal: mean and sd must be finite");
    if (sd < 0)
        return fail(d, "normal: sd must be >= 0");
    d->kind = RR_DIST_NORMAL;
    d->p[0] = mean;
    d->p[1] = sd;
    d->user[0] = mean;
    d->user[1] = sd;
    return NULL;
}

static void set_lognormal(rr_dist *d, double mu, double sigma, int form, double u0, double u1)
{
    d->kind = RR_DIST_LOGNORMAL;
    d->p[0] = mu;
    d->p[1] = sigma;
    d->user_form = form;
    d->user[0] = u0;
    d->user[1] = u1;
}

const char *rr_dist_init_lognormal_p5p95(rr_dist *d, double p5, double p95)
{
    reset(d);
    if (!finite3(p5, p95, 0))
        return fail(d, "lognormal: p5 and p95 must be finite");
    if (!(p5 > 0))
        return fail(d, "lognormal: p5 must be > 0");
    if (!(p5 < p95))
        return fail(d, "lognormal: p5 must be < p95");
    double a = log(p5), b = log(p95);
    set_lognormal(d, 0.5 * (a + b), (b - a) / (2 * RR_Z95), 0, p5, p95);
    return NULL;
}

const char *rr_dist_init_lognormal_median(rr_dist *d, double median, double sigma)
{
    reset(d);
    if (!finite3(median, sigma, 0))
        return fail(d, "lognormal: median and sigma must be finite");
    if (!(median > 0))
        return fail(d, "lognormal: median must be > 0");
    if (sigma < 0)
        return fail(d, "lognormal: sigma must be >= 0");
    set_lognormal(d, log(median), sigma, 1, median, sigma);
    return NULL;
}

const char *rr_dist_init_lognormal_moments(rr_dist *d, double mean, double sd)
{
    reset(d);
    if (!finite3(mean, sd, 0))
        return fail(d, "lognormal: mean and sd must be finite");
    if (!(mean > 0))
        return fail(d, "lognormal: mean must be > 0");
    if (sd < 0)
        return fail(d, "lognormal: sd must be >= 0");
    /* The mean and sd are of the value itself: sigma^2 = ln(1 + sd^2/mean^2). */
    double s2 = log1p((sd / mean) * (sd / mean));
    set_lognormal(d, log(mean) - 0.5 * s2, sqrt(s2), 2, mean, sd);
    return NULL;
}

const char *rr_dist_init_uniform(rr_dist *d, double min, double max)
{
    reset(d);
    if (!finite3(min, max, 0))
        return fail(d, "uniform: min and max must be finite");
    if (!(min <= max))
        return fail(d, "uniform: min must be <= max");
    d->kind = RR_DIST_UNIFORM;
    d->p[0] = d->user[0] = min;
    d->p[1] = d->user[1] = max;
    return NULL;
}

static const char *check_three_point(int pert, double min, double mode, double max)
{
    if (!finite3(min, mode, max))
        return pert ? "pert: min, mode and max must be finite"
                    : "triangular: min, mode and max must be finite";
    if (!(min < max))
        return pert ? "pert: min must be < max" : "triangular: min must be < max";
    if (!(min <= mode && mode <= max))
        return pert ? "pert: mode must lie in [min, max]" : "triangular: mode must lie in [min, max]";
    return NULL;
}

const char *rr_dist_init_triangular(rr_dist *d, double min, double mode, double max)
{
    reset(d);
    const char *e = check_three_point(0, min, mode, max);
    if (e)
        return fail(d, e);
    d->kind = RR_DIST_TRIANGULAR;
    d->user[0] = d->p[0] = min;
    d->user[1] = d->p[1] = mode;
    d->user[2] = d->p[2] = max;
    d->p[3] = (mode - min) / (max - min);   /* the CDF at the mode */
    return NULL;
}

const char *rr_dist_init_pert(rr_dist *d, double min, double mode, double max)
{
    reset(d);
    const char *e = check_three_point(1, min, mode, max);
    if (e)
        return fail(d, e);
    d->kind = RR_DIST_PERT;
    d->user[0] = min;
    d->user[1] = mode;
    d->user[2] = max;
    double range = max - min;
    d->p[0] = min;
    d->p[1] = range;
    d->p[2] = 1 + 4 * (mode - min) / range;   /* alpha, lambda = 4 */
    d->p[3] = 1 + 4 * (max - mode) / range;   /* beta */
    return NULL;
}

const char *rr_dist_init_beta(rr_dist *d, double a, double b)
{
    reset(d);
    if (!(isfinite(a) && isfinite(b) && a > 0 && b > 0))
        return fail(d, "beta: a and b must be finite and > 0");
    d->kind = RR_DIST_BETA;
    d->p[0] = d->user[0] = a;
    d->p[1] = d->user[1] = b;
    return NULL;
}

const char *rr_dist_init_gamma(rr_dist *d, double shape, double scale)
{
    reset(d);
    if (!(isfinite(shape) && isfinite(scale) && shape > 0 && scale > 0))
        return fail(d, "gamma: shape and scale must be finite and > 0");
    d->kind = RR_DIST_GAMMA;
    d->p[0] = d->user[0] = shape;
    d->p[1] = d->user[1] = scale;
    return NULL;
}

const char *rr_dist_init_poisson(rr_dist *d, double mean)
{
    reset(d);
    /* GSL's Poisson sampler takes its mean as a double but counts in an unsigned int. */
    if (!(isfinite(mean) && mean >= 0 && mean <= 1e9))
        return fail(d, "poisson: mean must be in [0, 1e9]");
    d->kind = RR_DIST_POISSON;
    d->p[0] = d->user[0] = mean;
    return NULL;
}

const char *rr_dist_init_bernoulli(rr_dist *d, double p)
{
    reset(d);
    if (!(p >= 0 && p <= 1))
        return fail(d, "bernoulli: p must be in [0, 1]");
    d->kind = RR_DIST_BERNOULLI;
    d->p[0] = d->user[0] = p;
    return NULL;
}

const char *rr_dist_init_discrete(rr_dist *d, const double *values, const double *weights,
                                  size_t n)
{
    reset(d);
    if (n == 0)
        return fail(d, "discrete: values must not be empty");
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            return fail(d, "discrete: values must be finite");
        if (!(isfinite(weights[i]) && weights[i] >= 0))
            return fail(d, "discrete: weights must be finite and >= 0");
        sum += weights[i];
    }
    if (!(sum > 0) || !isfinite(sum))
        return fail(d, "discrete: weights must have a positive, finite sum");
    d->values = malloc(n * sizeof *d->values);
    d->weights = malloc(n * sizeof *d->weights);
    if (d->values && d->weights) {
        /* Kept sorted by value (insertion sort: n <= 1000, built once), so that the quantile
         * function can walk the CDF; sampling does not care about the order. */
        for (size_t i = 0; i < n; i++) {
            double v = values[i], w = weights[i] / sum;
            size_t j = i;
            while (j > 0 && d->values[j - 1] > v) {
                d->values[j] = d->values[j - 1];
                d->weights[j] = d->weights[j - 1];
                j--;
            }
            d->values[j] = v;
            d->weights[j] = w;
        }
        d->table = gsl_ran_discrete_preproc(n, d->weights);
    }
    if (!d->table) {
        free(d->values);
        free(d->weights);
        return fail(d, "out of memory");
    }
    d->kind = RR_DIST_DISCRETE;
    d->n = n;
    return NULL;
}

void rr_dist_free(rr_dist *d)
{
    if (!d)
        return;
    free(d->values);
    free(d->weights);
    if (d->table)
        gsl_ran_discrete_free(d->table);
    reset(d);
}

void rr_dist_clamp(rr_dist *d, double lo, double hi)
{
    if (lo > d->lo)
        d->lo = lo;
    if (hi < d->hi)
        d->hi = hi;
}

/* The samplers that transform one standard normal or one uniform: rr_dist_from_*_n share
 * them with the engine's batched draws, so a value is the same whichever way it is drawn. */
static inline double normal_of(const rr_dist *d, double z)
{
    return d->p[0] + d->p[1] * z;
}

/* rr_vexp, not exp: a loop of it is a loop of vectors (vexp.h). */
static inline double lognormal_of(const rr_dist *d, double z)
{
    return rr_vexp(d->p[0] + d->p[1] * z);
}

static double from_normal(const rr_dist *d, double z)
{
    return d->kind == RR_DIST_LOGNORMAL ? lognormal_of(d, z) : normal_of(d, z);
}

static inline double uniform_of(const rr_dist *d, double u)
{
    return d->p[0] * (1 - u) + d->p[1] * u;   /* as gsl_ran_flat */
}

/* a + sqrt(u (b-a)(c-a)) below the mode's CDF, b - sqrt((1-u)(b-a)(b-c)) above, written as
 * selects around one sqrt: the side is random (a branch mispredicts), and a loop of it is
 * a loop of vectors. */
static inline double triangular_of(const rr_dist *d, double u)
{
    double a = d->p[0], c = d->p[1], b = d->p[2];
    int below = u < d->p[3];
    /* Both sides computed, then chosen: selects, not branches. */
    double t_lo = u * (b - a) * (c - a), t_hi = (1 - u) * (b - a) * (b - c);
    double r = sqrt(below ? t_lo : t_hi);
    double y_lo = a + r, y_hi = b - r;
    return below ? y_lo : y_hi;
}

static inline double bernoulli_of(const rr_dist *d, double u)
{
    return u < d->p[0] ? 1.0 : 0.0;
}

static double from_uniform(const rr_dist *d, double u)
{
    switch (d->kind) {
    case RR_DIST_UNIFORM:
        return uniform_of(d, u);
    case RR_DIST_TRIANGULAR:
        return triangular_of(d, u);
    default:
        return bernoulli_of(d, u);
    }
}

static double clamp(const rr_dist *d, double x)
{
    if (x < d->lo)
        x = d->lo;
    if (x > d->hi)
        x = d->hi;
    return x;
}

int rr_dist_draws_from(const rr_dist *d)
{
    switch (d->kind) {
    case RR_DIST_NORMAL:
    case RR_DIST_LOGNORMAL:
        return RR_DIST_FROM_NORMAL;
    case RR_DIST_UNIFORM:
    case RR_DIST_TRIANGULAR:
    case RR_DIST_BERNOULLI:
    case RR_DIST_DISCRETE:
        return RR_DIST_FROM_UNIFORM;
    default:
        return 0;
    }
}

/* gsl_ran_discrete's arithmetic on its own table (Walker's alias method, Knuth's convention:
 * F[c] holds (c + the cell's own share) / K), so that a value made from a uniform drawn ahead
 * is the one GSL would make of it; tests check the two agree. */
static double discrete_from_uniform(const rr_dist *d, double u)
{
    const gsl_ran_discrete_t *g = d->table;
    size_t c = (size_t)(u * (double)g->K);
    double f = g->F[c];
    size_t k = (f == 1.0 || u < f) ? c : g->A[c];
    return d->values[k];
}


/* One loop per kind, each with the parameters in locals: loops the compiler makes vectors of. */
#define FROM_LOOP(f)                                                                   \
    do {                                                                                       \
        const rr_dist dd = *d;                                                                 \
        for (size_t i = 0; i < n; i++) {                                                       \
            double v = f(&dd, x[i]);                                                           \
            v = v < dd.lo ? dd.lo : v;                                                         \
            x[i] = v > dd.hi ? dd.hi : v;                                                      \
        }                                                                                      \
    } while (0)

/* The transforms' loops are the table's hot loops: wider vectors where there are (simd.h). */

RR_VECTOR_CLONES void rr_dist_from_normal_n(const rr_dist *d, double *x, size_t n)
{
    if (d->kind == RR_DIST_LOGNORMAL)
        FROM_LOOP(lognormal_of);
    else
        FROM_LOOP(normal_of);
}

RR_VECTOR_CLONES void rr_dist_from_uniform_n(const rr_dist *d, double *x, size_t n)
{
    switch (d->kind) {
    case RR_DIST_UNIFORM:
        FROM_LOOP(uniform_of);
        break;
    case RR_DIST_TRIANGULAR:
        FROM_LOOP(triangular_of);
        break;
    case RR_DIST_BERNOULLI:
        FROM_LOOP(bernoulli_of);
        break;
    case RR_DIST_DISCRETE:
        for (size_t i = 0; i < n; i++)
            x[i] = clamp(d, discrete_from_uniform(d, x[i]));
        break;
    default:
        break;
    }
}

/* ---- gamma and beta ----
 *
 * Marsaglia and Tsang's gamma (ACM TOMS 26(3), 2000): for shape a >= 1, with d = a - 1/3 and
 * c = 1 / sqrt(9 d), a standard normal x and a uniform u, d (1 + c x)^3 is accepted when
 * 1 + c x > 0 and u < 1 - 0.0331 x^4 (the squeeze, most of the time) or log u < x^2 / 2 +
 * d (1 - v + log v); else it tries again.  Shape a < 1: gamma(a + 1) u^(1/a).  Beta(a, b) =
 * X / (X + Y), X ~ gamma(a), Y ~ gamma(b).  Written here rather than taken from GSL (which
 * uses the same method) so that the first try of a beta, which reads exactly eight words
 * when it succeeds (98% of betas), can be made from a batch's two blocks
 * (rr_dist_from_words_n) and give the same bits as drawing it here. */
typedef struct mt_shape {
    double d, c;
} mt_shape;

static mt_shape mt_of(double a)
{
    const double d = a - 1.0 / 3.0;
    return (mt_shape){ d, 1.0 / sqrt(9.0 * d) };
}

/* One try's value d v^3 and whether it is accepted: by the squeeze, else by the log test
 * (logs by rr_vlog, so that the vector first try and this sampler agree to the bit). */
static inline double mt_try(mt_shape m, double x, double u, int *ok)
{
    double v = 1.0 + m.c * x;
    int pos = v > 0;
    v = v * v * v;
    *ok = pos && (u < 1.0 - 0.0331 * (x * x) * (x * x) ||
                  rr_vlog(u) < 0.5 * x * x + m.d * (1.0 - v + rr_vlog(v)));
    return m.d * v;
}

static double gamma_mt(gsl_rng *r, double a)
{
    const mt_shape m = mt_of(a);
    for (;;) {
        double x = rr_rng_gaussian(r), u = rr_rng_uniform(r);
        int ok;
        double g = mt_try(m, x, u, &ok);
        if (ok)
            return g;
    }
}

static double gamma_std(gsl_rng *r, double a)
{
    if (a >= 1)
        return gamma_mt(r, a);
    double g = gamma_mt(r, a + 1.0);
    return g * pow(1.0 - rr_rng_uniform(r), 1.0 / a);   /* the uniform in (0, 1] */
}

static double beta_std(gsl_rng *r, double a, double b)
{
    double x = gamma_std(r, a), y = gamma_std(r, b);
    return x / (x + y);
}

/* The shapes of a beta-based draw (PERT's are p[2], p[3]), and whether its first try can be
 * made from two blocks: both shapes at least 1. */
static int beta_shapes(const rr_dist *d, double *a, double *b)
{
    *a = d->kind == RR_DIST_PERT ? d->p[2] : d->p[0];
    *b = d->kind == RR_DIST_PERT ? d->p[3] : d->p[1];
    return *a >= 1 && *b >= 1;
}

int rr_dist_blocks(const rr_dist *d)
{
    double a, b;
    return (d->kind == RR_DIST_BETA || d->kind == RR_DIST_PERT) && beta_shapes(d, &a, &b) ? 2 : 1;
}

/* The first try of a gamma of shape >= 1 from one block (its normal, then its uniform),
 * clamped, where it succeeds; bit i of the result is set where draw i needs the sampler. */
static uint32_t gamma_first_n(const rr_dist *d, const uint32_t *const w[4], size_t i0,
                              unsigned n, double *x)
{
    const mt_shape ms = mt_of(d->p[0]);
    double z[32];
    uint32_t miss = rr_rng_gaussian_first_n(w[0] + i0, w[1] + i0, z, n);
    for (unsigned k = 0; k < n; k++) {
        const size_t j = i0 + k;
        int ok;
        double g = mt_try(ms, z[k], rr_rng_u01((uint64_t)w[2][j] << 32 | w[3][j]), &ok);
        x[k] = clamp(d, d->p[1] * g);
        miss |= (uint32_t)!ok << k;
    }
    return miss;
}

/* The first try of a beta or PERT from two blocks (w[0..3] then v[0..3]), clamped, where it
 * succeeds; bit i of the result is set where draw i needs the sampler. */
static uint32_t beta_first_n(const rr_dist *d, const uint32_t *const w[4],
                             const uint32_t *const v[4], size_t i0, unsigned n, double *x)
{
    double a, b;
    beta_shapes(d, &a, &b);
    const mt_shape ma = mt_of(a), mb = mt_of(b);
    double za[32], zb[32];
    uint32_t miss = rr_rng_gaussian_first_n(w[0] + i0, w[1] + i0, za, n) |
                    rr_rng_gaussian_first_n(v[0] + i0, v[1] + i0, zb, n);
    for (unsigned k = 0; k < n; k++) {
        const size_t j = i0 + k;
        double ua = rr_rng_u01((uint64_t)w[2][j] << 32 | w[3][j]);
        double ub = rr_rng_u01((uint64_t)v[2][j] << 32 | v[3][j]);
        int oka, okb;
        double ga = mt_try(ma, za[k], ua, &oka), gb = mt_try(mb, zb[k], ub, &okb);
        double y = ga / (ga + gb);
        x[k] = clamp(d, d->kind == RR_DIST_PERT ? d->p[0] + d->p[1] * y : y);
        miss |= (uint32_t)!(oka && okb) << k;
    }
    return miss;
}

/* r at draw j's position, its first block (w[0..3][j]) in hand: it makes only the blocks
 * after it. */
static void seek_in_hand(const rr_positions *pos, const uint32_t *const w[4], size_t j,
                         gsl_rng *r)
{
    const uint32_t first[4] = { w[0][j], w[1][j], w[2][j], w[3][j] };
    rr_positions_seek(pos, j, r);
    rr_rng_seek_block_words(r, first);
}

void rr_dist_from_words_n(const rr_dist *d, int from, const uint32_t *const w[4],
                          const uint32_t *const v[4], size_t n, const rr_positions *pos,
                          gsl_rng *r, double *x)
{
    for (size_t i0 = 0; i0 < n; i0 += 32) {
        const unsigned m = n - i0 < 32 ? (unsigned)(n - i0) : 32;
        double *xi = x + i0;
        if (from == RR_DIST_FROM_UNIFORM) {
            rr_rng_u01_n(w[0] + i0, w[1] + i0, xi, m);
            if (d)
                rr_dist_from_uniform_n(d, xi, m);
        } else if (from == RR_DIST_FROM_NORMAL) {
            /* The rare normal that the ziggurat's first try rejects: by seeking, from the
             * block in hand (the generator makes only the blocks after it). */
            uint32_t miss = rr_rng_gaussian_first_n(w[0] + i0, w[1] + i0, xi, m);
            for (unsigned k = 0; miss; k++, miss >>= 1)
                if (miss & 1) {
                    seek_in_hand(pos, w, i0 + k, r);
                    xi[k] = rr_rng_gaussian(r);
                }
            if (d)
                rr_dist_from_normal_n(d, xi, m);
        } else if (d) {
            /* Samplers that take words as they need them: a beta's first try from its two
             * blocks where it succeeds; the rest from the first block, then by making more. */
            uint32_t miss = UINT32_MAX >> (32 - m);
            if (v && rr_dist_blocks(d) == 2)
                miss = beta_first_n(d, w, v, i0, m, xi);
            else if (d->kind == RR_DIST_GAMMA && d->p[0] >= 1)
                miss = gamma_first_n(d, w, i0, m, xi);
            for (unsigned k = 0; miss; k++, miss >>= 1)
                if (miss & 1) {
                    seek_in_hand(pos, w, i0 + k, r);
                    xi[k] = rr_dist_sample(d, r);
                }
        }
    }
}

static double raw_sample(const rr_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case RR_DIST_CONST:
        return d->p[0];
    case RR_DIST_NORMAL:
    case RR_DIST_LOGNORMAL:
        return from_normal(d, rr_rng_gaussian(r));
    case RR_DIST_UNIFORM:
    case RR_DIST_TRIANGULAR:
    case RR_DIST_BERNOULLI:
        return from_uniform(d, rr_rng_uniform(r));
    case RR_DIST_PERT:
        return d->p[0] + d->p[1] * beta_std(r, d->p[2], d->p[3]);
    case RR_DIST_BETA:
        return beta_std(r, d->p[0], d->p[1]);
    case RR_DIST_GAMMA:
        return d->p[1] * gamma_std(r, d->p[0]);
    case RR_DIST_POISSON:
        return (double)rr_dist_poisson(r, d->p[0]);
    case RR_DIST_DISCRETE:
        return discrete_from_uniform(d, rr_rng_uniform(r));
    }
    return NAN;
}

/* Means up to this use inversion; above, GSL's sampler.  At 30, e^-mean is 9e-14: far from
 * underflow, and the walk takes about mean + 1 steps. */
#define POISSON_INVERT_MAX RR_DIST_POISSON_INVERT_MAX

unsigned rr_dist_poisson(gsl_rng *r, double mean)
{
    if (!(mean > 0))
        return 0;
    if (mean > POISSON_INVERT_MAX)
        return gsl_ran_poisson(r, mean);
    return rr_dist_poisson_u(rr_rng_uniform(r), mean);
}

unsigned rr_dist_poisson_u(double u, double mean)
{
    return mean > 0 ? rr_dist_poisson_u0(u, mean, exp(-mean)) : 0;
}

unsigned rr_dist_poisson_u0(double u, double mean, double p0)
{
    if (!(mean > 0))
        return 0;
    /* Inversion: the smallest k whose CDF exceeds one uniform.  One uniform per draw (GSL's
     * product method takes k + 1), and monotone in it. */
    double p = p0, F = p;
    unsigned k = 0;
    while (u >= F) {
        k++;
        p *= mean / k;
        /* F stops growing in the far tail, where rounding would leave u above it forever. */
        if (p < F * 0x1.0p-53)
            break;
        F += p;
    }
    return k;
}

RR_VECTOR_CLONES void rr_dist_poisson_u0_n(const double *u, const double *mean,
                                           const double *p0, unsigned *k, size_t n)
{
    /* The walk of rr_dist_poisson_u0 for every draw at once: step j of all of them is one
     * loop over the draws.  Only a walking draw counts the step; the others' p and F go on
     * changing unseen (a draw that has stopped never walks again), so that the loop has no
     * conditional stores and is one of vectors. */
    enum { CHUNK = 64 };
    for (size_t i0 = 0; i0 < n; i0 += CHUNK) {
        const size_t m = n - i0 < CHUNK ? n - i0 : CHUNK;
        const double *ui = u + i0, *mi = mean + i0;
        double p[CHUNK], F[CHUNK], kd[CHUNK], on[CHUNK];
        int any = 0;
        for (size_t i = 0; i < m; i++) {
            double q = p0[i0 + i];
            p[i] = F[i] = q;
            kd[i] = 0;
            on[i] = mi[i] > 0 ? (ui[i] >= q ? 1.0 : 0.0) : 0.0;
        }
        for (size_t i = 0; i < m; i++)
            any += (int)on[i];
        for (double j = 1; any; j++) {
            for (size_t i = 0; i < m; i++) {
                double pn = p[i] * (mi[i] / j), Fn = F[i] + pn;
                /* The scalar walk's break (F no longer grows), then its loop test. */
                double go = pn < F[i] * 0x1.0p-53 ? 0.0 : on[i];
                kd[i] += on[i];
                p[i] = pn;
                F[i] = Fn;
                on[i] = ui[i] >= Fn ? go : 0.0;
            }
            any = 0;
            for (size_t i = 0; i < m; i++)
                any += (int)on[i];
        }
        for (size_t i = 0; i < m; i++)
            k[i0 + i] = (unsigned)kd[i];
    }
}

RR_VECTOR_CLONES size_t rr_dist_poisson_cdf_n(const double *mean, const double *p0, size_t n,
                                             double *T, size_t kmax)
{
    enum { CHUNK = 64 };
    if (n > CHUNK || kmax == 0)
        return 0;
    double p[CHUNK], F[CHUNK], on[CHUNK];
    for (size_t i = 0; i < n; i++) {
        p[i] = F[i] = T[i] = p0[i];
        on[i] = 1.0;
    }
    /* Step j as in the walk; a mean whose walk has broken off fills +inf. */
    for (size_t j = 1; j < kmax; j++) {
        const double jd = (double)j;
        for (size_t i = 0; i < n; i++) {
            double pn = p[i] * (mean[i] / jd), Fn = F[i] + pn;
            double go = pn < F[i] * 0x1.0p-53 ? 0.0 : on[i];
            T[j * n + i] = go != 0 ? Fn : HUGE_VAL;
            p[i] = pn;
            F[i] = Fn;
            on[i] = go;
        }
        int any = 0;
        for (size_t i = 0; i < n; i++)
            any += (int)on[i];
        if (!any)
            return j;
    }
    return 0;
}

RR_VECTOR_CLONES void rr_dist_poisson_count_n(const double *u, const double *T, size_t kt,
                                              size_t period, size_t n, unsigned *k)
{
    enum { CHUNK = 64 };
    for (size_t i0 = 0; i0 < n; i0 += period) {
        const size_t m = n - i0 < period ? n - i0 : period;
        double c[CHUNK];
        for (size_t i = 0; i < m; i++)
            c[i] = 0;
        /* The CDF only grows: once a row is above every u, so are the rows after it. */
        for (size_t j = 0; j < kt; j++) {
            int below = 0;
            for (size_t i = 0; i < m; i++) {
                double b = T[j * period + i] <= u[i0 + i] ? 1.0 : 0.0;
                c[i] += b;
                below += (int)b;
            }
            if (!below)
                break;
        }
        for (size_t i = 0; i < m; i++)
            k[i0 + i] = (unsigned)c[i];
    }
}

double rr_dist_sample(const rr_dist *d, gsl_rng *r)
{
    return clamp(d, raw_sample(d, r));
}

double rr_dist_mean(const rr_dist *d)
{
    switch (d->kind) {
    case RR_DIST_CONST:
    case RR_DIST_NORMAL:
    case RR_DIST_POISSON:
    case RR_DIST_BERNOULLI:
        return d->p[0];
    case RR_DIST_LOGNORMAL:
        return exp(d->p[0] + 0.5 * d->p[1] * d->p[1]);
    case RR_DIST_UNIFORM:
        return 0.5 * (d->p[0] + d->p[1]);
    case RR_DIST_TRIANGULAR:
        return (d->p[0] + d->p[1] + d->p[2]) / 3;
    case RR_DIST_PERT:
        return d->p[0] + d->p[1] * d->p[2] / (d->p[2] + d->p[3]);
    case RR_DIST_BETA:
        return d->p[0] / (d->p[0] + d->p[1]);
    case RR_DIST_GAMMA:
        return d->p[0] * d->p[1];
    case RR_DIST_DISCRETE: {
        double m = 0;
        for (size_t i = 0; i < d->n; i++)
            m += d->values[i] * d->weights[i];
        return m;
    }
    }
    return NAN;
}

/* P(X < lo) and P(X > hi) of the unclamped law, for the laws with a CDF in GSL or in closed
 * form; counts (Poisson, Bernoulli) and the discrete take their atoms into account. */
static double below(const rr_dist *d, double x)
{
    switch (d->kind) {
    case RR_DIST_CONST:
        return d->p[0] < x;
    case RR_DIST_NORMAL:
        return d->p[1] > 0 ? gsl_cdf_gaussian_P(x - d->p[0], d->p[1]) : d->p[0] < x;
    case RR_DIST_LOGNORMAL:
        return x <= 0 ? 0 : d->p[1] > 0 ? gsl_cdf_lognormal_P(x, d->p[0], d->p[1])
                                        : exp(d->p[0]) < x;
    case RR_DIST_UNIFORM:
        return d->p[1] > d->p[0] ? gsl_cdf_flat_P(x, d->p[0], d->p[1]) : d->p[0] < x;
    case RR_DIST_TRIANGULAR: {
        double a = d->p[0], c = d->p[1], b = d->p[2];
        if (x <= a)
            return 0;
        if (x >= b)
            return 1;
        return x <= c ? (x - a) * (x - a) / ((b - a) * (c - a))
                      : 1 - (b - x) * (b - x) / ((b - a) * (b - c));
    }
    case RR_DIST_PERT:
        return gsl_cdf_beta_P((x - d->p[0]) / d->p[1], d->p[2], d->p[3]);
    case RR_DIST_BETA:
        return gsl_cdf_beta_P(x, d->p[0], d->p[1]);
    case RR_DIST_GAMMA:
        return gsl_cdf_gamma_P(x, d->p[0], d->p[1]);
    case RR_DIST_POISSON:
        return x <= 0 ? 0 : gsl_cdf_poisson_P((unsigned)(ceil(x) - 1), d->p[0]);
    case RR_DIST_BERNOULLI:
        return x <= 0 ? 0 : x <= 1 ? 1 - d->p[0] : 1;
    case RR_DIST_DISCRETE: {
        double c = 0;
        for (size_t i = 0; i < d->n && d->values[i] < x; i++)
            c += d->weights[i];
        return c;
    }
    }
    return 0;
}

/* P(X <= x): 1 - P(X > x). */
static double at_most(const rr_dist *d, double x)
{
    switch (d->kind) {
    case RR_DIST_CONST:
        return d->p[0] <= x;
    case RR_DIST_POISSON:
        return x < 0 ? 0 : x >= 4e9 ? 1 : gsl_cdf_poisson_P((unsigned)floor(x), d->p[0]);
    case RR_DIST_BERNOULLI:
        return x < 0 ? 0 : x < 1 ? 1 - d->p[0] : 1;
    case RR_DIST_DISCRETE: {
        double c = 0;
        for (size_t i = 0; i < d->n && d->values[i] <= x; i++)
            c += d->weights[i];
        return c;
    }
    default:
        return below(d, x);   /* continuous: no atoms */
    }
}

double rr_dist_outside(const rr_dist *d)
{
    if (d->kind == RR_DIST_CONST)
        return 0;
    double lo = isfinite(d->lo) ? below(d, d->lo) : 0;
    double hi = isfinite(d->hi) ? 1 - at_most(d, d->hi) : 0;
    double p = lo + hi;
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

double rr_dist_mid_cdf(const rr_dist *d, double x)
{
    /* The clamp moves the mass below lo onto lo and the mass above hi onto hi: atoms. */
    double lt = x <= d->lo ? 0 : below(d, x);
    double le = x >= d->hi ? 1 : at_most(d, x);
    return 0.5 * (lt + le);
}

double rr_dist_clamped_quantile(const rr_dist *d, double u)
{
    double q = rr_dist_quantile(d, u);
    return q < d->lo ? d->lo : q > d->hi ? d->hi : q;
}

int rr_dist_shiftable(const rr_dist *d)
{
    switch (d->kind) {
    case RR_DIST_NORMAL:
    case RR_DIST_LOGNORMAL:
    case RR_DIST_UNIFORM:
    case RR_DIST_TRIANGULAR:
    case RR_DIST_PERT:
    case RR_DIST_BETA:
    case RR_DIST_GAMMA:
        return rr_dist_outside(d) < 0.01;
    default:
        return 0;
    }
}

/* A probability kept off 0 and 1, where the normal quantile is infinite. */
static double inside01(double u)
{
    return u < 1e-15 ? 1e-15 : u > 1 - 1e-15 ? 1 - 1e-15 : u;
}

double rr_dist_normal_score(const rr_dist *d, double x)
{
    return gsl_cdf_ugaussian_Pinv(inside01(rr_dist_mid_cdf(d, x)));
}

double rr_dist_shifted(const rr_dist *d, double x, double m, double s)
{
    double z = m + s * rr_dist_normal_score(d, x);
    return rr_dist_clamped_quantile(d, inside01(gsl_cdf_ugaussian_P(z)));
}

double rr_dist_median(const rr_dist *d)
{
    if (d->kind == RR_DIST_CONST)
        return d->p[0];
    double m = rr_dist_quantile(d, 0.5);
    return m < d->lo ? d->lo : m > d->hi ? d->hi : m;
}

double rr_dist_quantile(const rr_dist *d, double u)
{
    switch (d->kind) {
    case RR_DIST_CONST:
        return d->p[0];
    case RR_DIST_NORMAL:
        return d->p[0] + (d->p[1] > 0 ? gsl_cdf_gaussian_Pinv(u, d->p[1]) : 0);
    case RR_DIST_LOGNORMAL:
        return d->p[1] > 0 ? gsl_cdf_lognormal_Pinv(u, d->p[0], d->p[1]) : exp(d->p[0]);
    case RR_DIST_UNIFORM:
        return d->p[0] + u * (d->p[1] - d->p[0]);
    case RR_DIST_TRIANGULAR: {
        double a = d->p[0], c = d->p[1], b = d->p[2];
        return u < d->p[3] ? a + sqrt(u * (b - a) * (c - a))
                           : b - sqrt((1 - u) * (b - a) * (b - c));
    }
    case RR_DIST_PERT:
        return d->p[0] + d->p[1] * gsl_cdf_beta_Pinv(u, d->p[2], d->p[3]);
    case RR_DIST_BETA:
        return gsl_cdf_beta_Pinv(u, d->p[0], d->p[1]);
    case RR_DIST_GAMMA:
        return gsl_cdf_gamma_Pinv(u, d->p[0], d->p[1]);
    case RR_DIST_POISSON: {
        /* GSL has no Poisson inverse: start from the normal approximation and walk the CDF
         * to the smallest k with P(N <= k) >= u. */
        double mean = d->p[0];
        double k0 = floor(mean + sqrt(mean) * gsl_cdf_ugaussian_Pinv(u));
        unsigned k = k0 > 0 ? (unsigned)k0 : 0;
        while (k > 0 && gsl_cdf_poisson_P(k - 1, mean) >= u)
            k--;
        while (gsl_cdf_poisson_P(k, mean) < u && k < 4000000000u)
            k++;
        return (double)k;
    }
    /* Discrete laws: the smallest value whose CDF reaches u, as for the engine's own
     * percentiles (rr_quantile_rank). */
    case RR_DIST_BERNOULLI:
        return u <= 1 - d->p[0] ? 0.0 : 1.0;
    case RR_DIST_DISCRETE: {
        double c = 0;
        for (size_t i = 0; i < d->n; i++) {
            c += d->weights[i];
            if (u <= c)
                return d->values[i];
        }
        return d->values[d->n - 1];
    }
    }
    return NAN;
}

int rr_dist_describe(const rr_dist *d, char *buf, size_t size)
{
    int w = 0;
    switch (d->kind) {
    case RR_DIST_CONST:
        w = snprintf(buf, size, "%.10g", d->p[0]);
        break;
    case RR_DIST_NORMAL:
        w = snprintf(buf, size, "normal(mean=%g, sd=%g)", d->user[0], d->user[1]);
        break;
    case RR_DIST_LOGNORMAL: {
        static const char *const forms[] = { "lognormal(p5=%g, p95=%g)",
                                             "lognormal(median=%g, sigma=%g)",
                                             "lognormal(mean=%g, sd=%g)", "%g to %g" };
        w = snprintf(buf, size, forms[d->user_form & 3], d->user[0], d->user[1]);
        break;
    }
    case RR_DIST_UNIFORM:
        w = snprintf(buf, size, "uniform(min=%g, max=%g)", d->user[0], d->user[1]);
        break;
    case RR_DIST_TRIANGULAR:
        w = snprintf(buf, size, "triangular(min=%g, mode=%g, max=%g)", d->user[0], d->user[1],
                     d->user[2]);
        break;
    case RR_DIST_PERT:
        w = snprintf(buf, size, "pert(min=%g, mode=%g, max=%g)", d->user[0], d->user[1],
                     d->user[2]);
        break;
    case RR_DIST_BETA:
        w = snprintf(buf, size, "beta(a=%g, b=%g)", d->user[0], d->user[1]);
        break;
    case RR_DIST_GAMMA:
        w = snprintf(buf, size, "gamma(shape=%g, scale=%g)", d->user[0], d->user[1]);
        break;
    case RR_DIST_POISSON:
        w = snprintf(buf, size, "poisson(mean=%g)", d->user[0]);
        break;
    case RR_DIST_BERNOULLI:
        w = snprintf(buf, size, "bernoulli(p=%g)", d->user[0]);
        break;
    case RR_DIST_DISCRETE:
        w = snprintf(buf, size, "discrete(%zu values)", d->n);
        break;
    }
    return w;
}
