/* track: where bills fall in a forecast's distribution, and the forecast re-weighted by them
 * (runrate track; docs/track.md).
 *
 * Everything here reads per-path values kept by the run (sim.h's taps): a matrix of n paths
 * by ncols columns, row p being path p.  The functions are sequential passes over the rows
 * in path order, so their results are the same bits whatever thread or rank count made the
 * matrix.
 *
 * Measurement model of the re-forecast: for each observed cell (a month's component, or a
 * category, or a stream's requests) with actual a > 0 and simulated x,
 *     ln a ~ N(ln x, s^2),
 * s the tolerance.  A path's weight is the product of its cells' densities.  Where the log
 * model breaks, a cell stays finite: a simulated x <= 0 counts as a residual of RR_TRACK_ZMAX
 * standard deviations, and every residual is held to +-RR_TRACK_ZMAX, so that no single
 * cell can zero every path's weight (a cell on which every path is that far off weighs them
 * all alike, and drops out).  Cells with a <= 0 (a month of net credits) are not in the
 * likelihood (the caller leaves them out and says so).
 */
#ifndef RR_TRACK_H
#define RR_TRACK_H

#include <stddef.h>
#include <stdint.h>

#define RR_TRACK_ZMAX 8.0

/* One observed cell of the likelihood: its simulated value is column col. */
typedef struct rr_track_cell {
    size_t col;
    double actual;                   /* > 0 */
} rr_track_cell;

/* Each path's weight w[p] (relative: the largest is 1) and the effective sample size
 * (sum w)^2 / sum w^2.  With no cells every weight is 1. */
void rr_track_weights(const double *v, uint64_t n, size_t ncols, const rr_track_cell *cells,
                      size_t ncells, double tolerance, double *w, double *ess);

/* Statistics of x[0..n-1] (weighted by w, or each path once when w is NULL): mean, sd and
 * the quantiles at probabilities p[0..np-1] (the smallest value whose cumulative weight
 * reaches p times the whole; ties in path order).  0, or -1 when out of memory. */
int rr_track_stats(const double *x, const double *w, uint64_t n, const double *p, size_t np,
                   double *q, double *mean, double *sd);

/* The share of paths below a value, with ties counted half: (#below + #equal / 2) / n. */
double rr_track_rank(const double *x, uint64_t n, double actual);

/* The weighted share of paths above a threshold (each path once when w is NULL). */
double rr_track_exceed(const double *x, const double *w, uint64_t n, double threshold);

/* Column col of the matrix into x (n values). */
void rr_track_column(const double *v, uint64_t n, size_t ncols, size_t col, double *x);

#endif
