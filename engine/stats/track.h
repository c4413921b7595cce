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

#include "stats/result.h"

#define RR_TRACK_ZMAX 8.0
#define RR_TRACK_MAX_CAT 8

/* One observed cell of the likelihood: its simulated value is column col. */
typedef struct rr_track_cell {
    size_t col;
    double actual;                   /* > 0 */
} rr_track_cell;

/* Each path's weight w[p] (relative: the largest is 1) and the effective sample size
 * (sum w)^2 / sum w^2: the cells' densities times exp(logw0[p]) (an importance sampler's
 * prior over proposal; NULL: 1).  With no cells and no logw0 every weight is 1. */
void rr_track_weights(const double *v, uint64_t n, size_t ncols, const rr_track_cell *cells,
                      size_t ncells, double tolerance, const double *logw0, double *w,
                      double *ess);

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

/* ---- What a track report holds (filled by the command, written by report_track). ---- */

/* A distribution's mean, sd, P5, P50, P95. */
typedef struct rr_track_band {
    double mean, sd, p5, p50, p95;
} rr_track_band;

/* The band of x (weighted by w, or NULL); 0 or -1 (memory). */
int rr_track_band_of(const double *x, const double *w, uint64_t n, rr_track_band *b);

/* One observed quantity of a month against its forecast. */
typedef struct rr_track_cmp {
    int observed;                    /* 0: no bill line: nothing below is meaningful */
    double actual;
    rr_track_band forecast;
    double percentile;               /* (#below + #equal / 2) / n, 0..1 */
    int outside;                     /* actual < P5 or > P95 */
    double variance, variance_pct;   /* actual - P50, and that over P50 (NaN when P50 = 0) */
} rr_track_cmp;

/* Fill c from the simulated values x of n paths and the actual; 0 or -1 (memory). */
int rr_track_compare(const double *x, uint64_t n, double actual, rr_track_cmp *c);

typedef struct rr_track_month {
    char month[16];                  /* YYYY-MM */
    rr_track_cmp total;              /* the month's observed categories together */
    rr_track_cmp cat[RR_TRACK_MAX_CAT];   /* by the summary's categories */
    rr_track_cmp *comp;              /* ncomp, owned */
    rr_track_cmp *demand;            /* nstreams, owned */
    double accuracy;                 /* |actual - P50| / actual of the total; NaN when 0 */
    rr_track_cmp cumulative;         /* the months so far, their observed categories */
} rr_track_month;

typedef struct rr_track_input {
    const char *input;               /* borrowed */
    rr_track_band before, after;
    double narrowing;                /* after.sd / before.sd */
} rr_track_input;

typedef struct rr_track_service {
    const char *name;                /* borrowed */
    double total;
} rr_track_service;

typedef struct rr_track_summary {
    const char *scenario, *currency; /* borrowed */
    const rr_result_source *catalog; /* the price catalog entries it names, borrowed */
    size_t ncatalog;
    const char *const *actuals;      /* the bills read, borrowed */
    size_t nactuals;
    const char *demand_file;         /* or NULL */
    uint64_t paths, seed;
    double tolerance;
    size_t ncat;
    const char *cat_name[RR_TRACK_MAX_CAT];   /* the categories reported, borrowed */
    size_t ncomp;
    const char *const *comp_name;    /* borrowed */
    size_t nstreams;
    const char *const *stream_name;  /* borrowed */
    int horizon;
    size_t nmonths;                  /* observed months */
    rr_track_month *months;          /* owned */
    /* calibration */
    size_t cells, inside;            /* observed (month, category) cells, inside P5-P95 */
    /* re-forecast */
    double ess;
    size_t moved;                    /* inputs drawn from an adapted proposal (0: none) */
    int rounds;                      /* adaptive rounds behind the re-forecast (0: none) */
    size_t likelihood_cells, cells_left_out;   /* in the weights; left out (actual <= 0) */
    char (*rest_month)[16];           /* the months after the observed ones, owned */
    rr_track_band *rest;             /* their totals, re-forecast; owned */
    rr_track_band *rest_prior;       /* ... and as first forecast; owned */
    rr_track_band *rest_cum;         /* the cost from the start to the end of each of them:
                                      * actual to date, the unobserved part, the months
                                      * since, re-forecast; owned */
    size_t nrest;
    double actual_to_date;           /* the observed cells' actuals */
    rr_track_band unobserved_to_date;   /* the observed months' unobserved categories,
                                         * simulated and re-weighted */
    rr_track_band horizon_total, horizon_prior;   /* actual to date + simulated remainder;
                                                   * the first forecast's total */
    int has_budget;
    double budget_total, confidence;
    double p_exceed, p_exceed_prior; /* chance the horizon total exceeds budget.total */
    double remainder_needed;         /* the remainder's quantile at the confidence */
    double budget_left;              /* budget.total - actual to date */
    size_t ninputs;
    rr_track_input *inputs;          /* by narrowing, owned */
    /* the bill */
    double mapped, unmapped, tax;
    size_t unmapped_lines, tax_lines, lines_before, lines_after;
    size_t nservices;
    rr_track_service services[10];
} rr_track_summary;

void rr_track_summary_free(rr_track_summary *t);

/* FinOps forecast-accuracy levels: "run" (<= 12%), "walk" (<= 15%), "crawl" (<= 20%) or
 * "beyond crawl"; NULL for NaN. */
const char *rr_track_level(double accuracy);

#endif
