/* decision: the records of decisions measured on common random numbers, and the break-even
 * search.
 *
 * - rr_grid: a sweep of one or two input paths, every cell run on the same paths and seed:
 *   for `run`, the total's statistics in each cell; for `compare`, the statistics of each
 *   difference B - A (file i+1 minus file 0) and the share of paths where B costs more.
 * - rr_break_even: the value of an input path at which f(v) crosses 0, f being the P50 (or
 *   the mean) of B - A for `compare`, and the total's quantile at budget.confidence (or its
 *   mean) minus budget.total for `run`.  The path is held constant at each v: its own
 *   uncertainty is set aside.
 *
 * The search (rr_break_even_search) is bisection on a function the caller evaluates on the
 * same paths each time, so that f is a smooth function of v rather than noise; it knows
 * nothing of scenarios.
 */
#ifndef RR_DECISION_H
#define RR_DECISION_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/diag.h"
#include "scenario/warn.h"
#include "stats/summary.h"

#define RR_GRID_MAX_CELLS 400
#define RR_DECISION_MAX_FILES 16

typedef struct rr_grid_axis {
    const char *path;                 /* the input path swept, borrowed */
    const char *const *values;        /* n values as written, borrowed */
    size_t n;
} rr_grid_axis;

typedef struct rr_grid {
    int compare;                      /* 0: run (the total); 1: compare (differences) */
    const char *currency;             /* borrowed */
    uint64_t paths, seed;
    int threads;
    double seconds;                   /* all cells' path loops */
    size_t nq;
    double qp[RR_MAX_QUANTILES];
    char qkey[RR_MAX_QUANTILES][32];
    size_t naxes;                     /* 1 or 2 */
    rr_grid_axis axis[2];             /* axis[1].n is 1 (and its path NULL) with one axis */
    size_t nfiles;
    const char *files[RR_DECISION_MAX_FILES];   /* borrowed */
    const char *names[RR_DECISION_MAX_FILES];   /* the scenarios' names, borrowed */
    size_t nseries;                   /* run: 1; compare: nfiles - 1 */
    /* Cell (i, j) (value i of axis 0, value j of axis 1), series s at
     * [(i * axis[1].n + j) * nseries + s]: */
    rr_stats *stats;                  /* owned: the total (run) or B - A's total (compare) */
    double *p;                        /* owned: P(total > budget.total), NaN without one
                                       * (run); P(B costlier) (compare) */
    int has_budget;                   /* run: the scenario has budget.total */
    double budget_total;
    rr_warnings warnings;             /* every variant's, each once: load time, then run */
    size_t nload_warnings;
} rr_grid;

/* A grid of naxes axes (axis[1] ignored with one) for nseries series per cell, every cell
 * empty; RR_OK, RR_ERR_USAGE (more than RR_GRID_MAX_CELLS cells) or RR_ERR_NOMEM. */
rr_status rr_grid_new(size_t naxes, const rr_grid_axis *axis, size_t nseries, rr_grid **out);
void rr_grid_free(rr_grid *g);        /* accepts NULL */
static inline size_t rr_grid_at(const rr_grid *g, size_t i, size_t j, size_t s)
{
    return (i * g->axis[1].n + j) * g->nseries + s;
}

/* One evaluation of f: its value and the 95% interval of its Monte Carlo estimate. */
typedef struct rr_break_even_point {
    double v, f, lo, hi;
} rr_break_even_point;

#define RR_BREAK_EVEN_MAX_POINTS 128

typedef struct rr_break_even {
    int compare;                      /* 1: f is of B - A; 0: of the total against budget */
    int on_mean;                      /* 1: means; 0: P50 (compare) or the quantile at
                                       * budget.confidence (run) */
    const char *path;                 /* borrowed */
    double lo, hi;                    /* the range searched */
    int found;                        /* f crosses 0 in [lo, hi] */
    double value;                     /* the bracket's midpoint; NaN when not found */
    double interval[2];               /* where the 95% interval of f holds 0; NaN when not
                                       * found */
    double f_lo, f_hi;                /* f at lo and at hi */
    int evaluations;                  /* how many times f was evaluated */
    size_t npoints;
    rr_break_even_point points[RR_BREAK_EVEN_MAX_POINTS];   /* every evaluation, by v */
    /* What the report names (set by the caller): */
    const char *currency;
    size_t nfiles;
    const char *files[2], *names[2];  /* borrowed: A (and B for compare) */
    double confidence, budget_total;  /* run */
    uint64_t paths, seed;
    int threads;
    double seconds;
    rr_warnings warnings;
    size_t nload_warnings;
} rr_break_even;

/* f at v: its value and 95% interval.  Returns RR_OK or the failure that stops the search. */
typedef rr_status (*rr_break_even_fn)(void *ctx, double v, rr_break_even_point *out);

/* Bisect f on [be->lo, be->hi] until the bracket is at most (hi - lo) / 1000 wide (the value
 * is its midpoint); then the interval's ends, each by bisection of the bound of f's 95%
 * interval that crosses 0 there, to the same width, reusing every point already evaluated.
 * The interval is the union of those brackets' outer ends and f's last bracket: it errs
 * wide by at most the width, and holds an exact f's root.  Fills found, value, interval, f_lo, f_hi, evaluations and points.
 * RR_OK when the search ran (found or not), else the evaluation's failure. */
rr_status rr_break_even_search(rr_break_even *be, rr_break_even_fn f, void *ctx);

#endif
