/* dist: the distributions an uncertain input can follow, and their samplers.
 *
 * A distribution is built once from its user-facing parameters (checked here, with a message
 * for the first violated constraint), and the values a draw needs are computed then: a
 * lognormal keeps mu and sigma, not the percentiles it was given; a PERT keeps its beta
 * shape.  Samplers are written for draws made in batches (GSL's remain for Poisson means
 * above 30, and GSL gives the quantile functions and the discrete's alias table): normal and lognormal draw through runrate's own ziggurat (rr_rng_gaussian; the
 * lognormal's exp is rr_vexp, vexp.h, so that batches of them are vectors), uniform,
 * triangular, Bernoulli and discrete by inversion of one uniform (discrete with GSL's alias
 * table), Poisson by inversion up to a mean of 30, gamma, beta and PERT by Marsaglia and
 * Tsang's method (see dist.c).  Every sample is clamped to
 * [lo, hi], the intersection of the user's `clamp` and the value's domain.
 *
 * Thread safety: a built rr_dist is read-only; sampling touches only the generator.
 */
#ifndef RR_DIST_H
#define RR_DIST_H

#include <stddef.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sample/rng.h"

typedef enum rr_dist_kind {
    RR_DIST_CONST,
    RR_DIST_NORMAL,      /* user: mean, sd */
    RR_DIST_LOGNORMAL,   /* user: p5,p95 | median,sigma | mean,sd | "A to B"; kept: mu, sigma */
    RR_DIST_UNIFORM,     /* min, max */
    RR_DIST_TRIANGULAR,  /* min, mode, max */
    RR_DIST_PERT,        /* min, mode, max; kept: min, max-min, alpha, beta */
    RR_DIST_BETA,        /* a, b */
    RR_DIST_GAMMA,       /* shape, scale */
    RR_DIST_POISSON,     /* mean */
    RR_DIST_BERNOULLI,   /* p */
    RR_DIST_DISCRETE     /* values, weights (normalised) */
} rr_dist_kind;

typedef struct rr_dist {
    rr_dist_kind kind;
    double p[4];         /* parameters as used by the sampler (see rr_dist_init_*) */
    double user[3];      /* parameters as the user gave them, for reports */
    int user_form;       /* lognormal: 0 p5/p95, 1 median/sigma, 2 mean/sd, 3 "A to B" */
    double lo, hi;       /* clamp applied to every sample */
    size_t n;            /* discrete: number of values */
    double *values;      /* discrete: owned */
    double *weights;     /* discrete: owned, normalised */
    gsl_ran_discrete_t *table;  /* discrete: owned, Walker's alias table */
} rr_dist;

/* 1.6448536269514722: the standard normal's 95th percentile, for "A to B" and p5/p95. */
#define RR_Z95 1.6448536269514722

/* Builders: each fills d and returns NULL, or returns a message naming the broken constraint
 * (a static string) and leaves d as a constant 0 with nothing owned.  lo/hi start unbounded. */
const char *rr_dist_init_const(rr_dist *d, double v);
const char *rr_dist_init_normal(rr_dist *d, double mean, double sd);
const char *rr_dist_init_lognormal_p5p95(rr_dist *d, double p5, double p95);
const char *rr_dist_init_lognormal_median(rr_dist *d, double median, double sigma);
const char *rr_dist_init_lognormal_moments(rr_dist *d, double mean, double sd);
const char *rr_dist_init_uniform(rr_dist *d, double min, double max);
const char *rr_dist_init_triangular(rr_dist *d, double min, double mode, double max);
const char *rr_dist_init_pert(rr_dist *d, double min, double mode, double max);
const char *rr_dist_init_beta(rr_dist *d, double a, double b);
const char *rr_dist_init_gamma(rr_dist *d, double shape, double scale);
const char *rr_dist_init_poisson(rr_dist *d, double mean);
const char *rr_dist_init_bernoulli(rr_dist *d, double p);
/* Copies values and weights. */
const char *rr_dist_init_discrete(rr_dist *d, const double *values, const double *weights,
                                  size_t n);
void rr_dist_free(rr_dist *d);   /* frees what d owns; d becomes a constant 0 */

/* Narrow the clamp to [lo, hi] (intersection with the current one). */
void rr_dist_clamp(rr_dist *d, double lo, double hi);

/* One draw, clamped. */
double rr_dist_sample(const rr_dist *d, gsl_rng *r);

/* A Poisson variate of the given mean (0 when mean <= 0): by inversion of one uniform up to
 * a mean of 30, GSL's sampler above.  Event counts draw through this (draw.h). */
unsigned rr_dist_poisson(gsl_rng *r, double mean);
/* The same from its uniform u (for mean <= 30: what rr_dist_poisson makes of u). */
unsigned rr_dist_poisson_u(double u, double mean);
/* The same given p0 = exp(-mean), for callers that draw many counts of one mean. */
unsigned rr_dist_poisson_u0(double u, double mean, double p0);
/* k[i] = rr_dist_poisson_u0(u[i], mean[i], p0[i]) for i < n, as vectors. */
void rr_dist_poisson_u0_n(const double *u, const double *mean, const double *p0,
                          unsigned *k, size_t n);
/* The same by a table, for counts drawn many times from the same means: the CDF values
 * F_0, F_1, ... that rr_dist_poisson_u0's walk for mean[i] (with p0[i]) compares u with,
 * into T[k * n + i] (+inf past the step where the walk breaks off), n <= 64.  Returns the
 * table's length, or 0 when a walk goes on past kmax steps (use the walk).  Then for
 * draws i < n of means repeating with that period (draw i of mean i % period), k[i] =
 * rr_dist_poisson_u0(u[i], ...) is the number of T[j * period + i % period] <= u[i], j < kt;
 * n a multiple of period. */
size_t rr_dist_poisson_cdf_n(const double *mean, const double *p0, size_t n, double *T,
                             size_t kmax);
void rr_dist_poisson_count_n(const double *u, const double *T, size_t kt, size_t period,
                             size_t n, unsigned *k);
#define RR_DIST_POISSON_INVERT_MAX 30.0

/* Distributions drawn as a transform of one standard normal (RR_DIST_FROM_NORMAL) or one
 * uniform (RR_DIST_FROM_UNIFORM); 0 for the others.  rr_dist_from_*_n replace each x[i],
 * i < n, by the clamped value that rr_dist_sample gives when the generator yields that
 * normal (rr_rng_gaussian) or that uniform (rr_rng_uniform): for draws made in batches. */
enum { RR_DIST_FROM_NORMAL = 1, RR_DIST_FROM_UNIFORM = 2 };
int rr_dist_draws_from(const rr_dist *d);
void rr_dist_from_normal_n(const rr_dist *d, double *x, size_t n);
void rr_dist_from_uniform_n(const rr_dist *d, double *x, size_t n);

/* Where n draws sit, for the few that a batch's words do not finish: draw i at
 * (seed, stream, path, step) with path = path0 + i % lanes and step = step0 + i / lanes
 * (lanes 0: path0 + i and step0), unless paths or steps are given (then paths[i], steps[i]):
 * a table's rows of consecutive steps, or a list. */
typedef struct rr_positions {
    uint64_t seed, stream;
    uint64_t path0;
    const uint64_t *paths;
    uint32_t step0;
    const uint32_t *steps;
    uint32_t lanes;
} rr_positions;

static inline void rr_positions_seek(const rr_positions *p, size_t i, gsl_rng *r)
{
    const size_t lane = p->lanes ? i % p->lanes : i, row = p->lanes ? i / p->lanes : 0;
    rr_rng_seek(r, p->seed, p->stream, p->paths ? p->paths[i] : p->path0 + lane,
                p->steps ? p->steps[i] : p->step0 + (uint32_t)row);
}

/* x[i], i < n: the draw of d (or, d NULL, the raw standard normal or uniform that `from`
 * names) at a position whose first block is (w[0][i], w[1][i], w[2][i], w[3][i]) and, when v
 * is not NULL, whose second block is v[0..3][i]: the value rr_dist_sample gives after
 * rr_rng_seek to pos's position i.  `from` is rr_dist_draws_from(d), or 0 for samplers that
 * may take more words (what the blocks do not finish is made by seeking). */
void rr_dist_from_words_n(const rr_dist *d, int from, const uint32_t *const w[4],
                          const uint32_t *const v[4], size_t n, const rr_positions *pos,
                          gsl_rng *r, double *x);
/* How many blocks of a position a draw of d reads when its first try succeeds, as far as
 * rr_dist_from_words_n can use them: 2 for a beta or PERT with both shapes >= 1, else 1. */
int rr_dist_blocks(const rr_dist *d);

/* The unclamped distribution's mean (closed form); the constant's value. */
double rr_dist_mean(const rr_dist *d);
/* The unclamped distribution's quantile function at u in (0,1), for tests and reports. */
double rr_dist_quantile(const rr_dist *d, double u);
/* The probability that an unclamped draw of d falls outside [d->lo, d->hi]: the share of
 * draws the clamp moves onto its ends (0 for a constant). */
double rr_dist_outside(const rr_dist *d);
/* The clamped distribution's quantile at u in (0,1): the unclamped one's moved into
 * [lo, hi]. */
double rr_dist_clamped_quantile(const rr_dist *d, double u);
/* The clamped distribution's mid-rank CDF at x: (P(X < x) + P(X <= x)) / 2, which is the
 * CDF where the law has no atom and splits an atom (a clamp's end, a count) in half: the
 * rank of x among many draws, over their number. */
double rr_dist_mid_cdf(const rr_dist *d, double x);
/* Adaptive importance sampling (runrate track): a continuous input's value x, through its
 * normal score z = Phi^-1(F(x)), moved to z' = m + s z and back: Q(Phi(z')).  Drawn from
 * the prior, z is N(0, 1), so the moved value has the proposal N(m, s^2) for its score;
 * rr_dist_normal_score gives the score of a value.  Only for continuous distributions whose
 * clamp seldom binds (rr_dist_shiftable): elsewhere the score is not one-to-one. */
int rr_dist_shiftable(const rr_dist *d);
double rr_dist_normal_score(const rr_dist *d, double x);
double rr_dist_shifted(const rr_dist *d, double x, double m, double s);
/* The clamped distribution's median: the unclamped one's, moved into [lo, hi]; a constant's
 * value. */
double rr_dist_median(const rr_dist *d);
/* "lognormal(p5=600, p95=2000)": a short description for reports; returns bytes written as
 * snprintf does. */
int rr_dist_describe(const rr_dist *d, char *buf, size_t size);

#endif
