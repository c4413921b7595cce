/* summary: the statistics records a report is written from.
 *
 * A summary is everything a reporter needs and nothing more: names, labels, categories and
 * numbers, built from a run's result alone.  It borrows its strings from the result's
 * scenario, which must outlive it.
 * Quantiles are those of accum (the order statistic of rank ceil(p n), within 0.1%).
 */
#ifndef RR_SUMMARY_H
#define RR_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/category.h"
#include "scenario/diag.h"
#include "scenario/warn.h"
#include "stats/result.h"

#define RR_MAX_QUANTILES 32

typedef struct rr_stats {
    uint64_t n;                       /* values (paths; fewer for unit costs) */
    double mean;
    double sd;                        /* population */
    double q[RR_MAX_QUANTILES];       /* at rr_summary.qp */
    double lo[RR_MAX_QUANTILES];      /* 95% confidence interval of q[i]: [lo, hi]; an end */
    double hi[RR_MAX_QUANTILES];      /* without an order statistic is -inf or +inf (quantci.h) */
} rr_stats;

typedef struct rr_driver {
    const char *input;                /* the input path, borrowed */
    double share;                     /* squared correlation with the horizon total */
    int sign;                         /* +1: more of it, more cost; -1: less */
    double rank_share;                /* squared rank correlation (Spearman's) with the total;
                                       * NaN when not measured (swing.h) */
} rr_driver;

/* What one input's uncertainty is worth in money: the total with the input held at its own
 * P10 and at its P90, every other input as simulated on the same paths (swing.h). */
typedef struct rr_swing {
    const char *input;                /* borrowed */
    double low_value, high_value;     /* the input's P10 and P90 */
    double total_p50_low, total_p50_high;
    double total_mean_low, total_mean_high;
} rr_swing;

typedef rr_result_input rr_assumption;   /* input, text, monthly */

/* A year or quarter of the horizon (periods.h) and its statistics. */
typedef struct rr_summary_period {
    const char *label;                /* borrowed: "2027", "FY2028-Q1", "Y2" */
    int from, to;                     /* its first and last covered months, from 0 */
    int partial;                      /* the horizon covers it in part */
    int quarter;                      /* 1: a quarter, 0: a year */
    rr_stats total;
    rr_stats cats[RR_NCAT];           /* the categories present, as rr_summary.cat */
    int has_budget;                   /* budget.periods names it */
    double budget, p_exceed, recommended;
} rr_summary_period;

#define RR_CURVE_POINTS 101           /* the total's quantiles at p = 0, 0.01, ..., 1 */

typedef struct rr_summary {
    const char *scenario;             /* borrowed */
    const rr_result_source *catalog;  /* the catalog entries the scenario names, borrowed */
    size_t ncatalog;
    const char *currency;             /* borrowed */
    int horizon;
    char (*months)[32];               /* labels "2027-01" or "M1", horizon entries, owned */
    uint64_t paths, seed;
    int threads;
    double seconds;
    size_t nq;
    double qp[RR_MAX_QUANTILES];      /* probabilities, ascending */
    char qkey[RR_MAX_QUANTILES][32];  /* "p5", "p99.9" */
    rr_stats total;
    int ncat;
    const rr_category_info *cat[RR_NCAT];   /* the categories present: name, FOCUS, colour */
    rr_stats cats[RR_NCAT];
    size_t ncomp;
    const char **comp_names;          /* owned array of borrowed names */
    const rr_category_info **comp_cat;   /* owned array of each component's category */
    rr_stats *comps;                  /* owned, ncomp */
    rr_stats *monthly_total;          /* owned, horizon */
    rr_stats *monthly_cats;           /* owned, horizon * ncat, month-major */
    int has_budget;
    double budget_total;
    double confidence;
    double p_exceed;                  /* NaN without a budget */
    double recommended;               /* the total's quantile at `confidence` */
    int has_budget_monthly;
    double budget_monthly;
    double *monthly_p_exceed;         /* owned, horizon; NULL without budget.monthly */
    int first_month_over;             /* first month whose P80 exceeds it, or -1 */
    rr_stats spike_total;             /* the spike premium: with spikes minus without */
    rr_stats spike_cats[RR_NCAT];
    rr_stats unit_horizon;            /* cost per 1,000 requests over the horizon */
    rr_stats unit_last;               /* ... in the last month */
    size_t nstreams;                  /* demand streams, at least 1 */
    const char **stream_names;        /* owned array of borrowed names ("default": one block) */
    rr_stats *demand_total;           /* owned, nstreams: requests served over the horizon */
    rr_stats *demand_monthly;         /* owned, nstreams * horizon, stream-major */
    rr_stats *unit_streams;           /* owned, nstreams: the cost of the components bound to
                                       * the stream per 1,000 of its requests */
    size_t ncapacity;                 /* components that report capacity binding (compute) */
    const char **capacity_names;      /* owned array of borrowed names */
    double *capacity_bound;           /* owned: the share of path-months whose capacity bound */
    size_t ncommitment;               /* components with a commitment */
    const char **commitment_names;    /* owned array of borrowed names */
    rr_stats *commitment_unused;      /* owned: its unused amount over the horizon */
    size_t nyears, nquarters;
    rr_summary_period *periods;       /* owned: the years, then the quarters */
    int fy_start, fy_label_start;     /* how the years were cut (periods.h) */
    rr_stats *cumulative;             /* owned, horizon: the cost to the end of each month */
    double *exhausted_by;             /* owned, horizon: the share of paths whose cost so far
                                       * exceeds budget.total; NULL without one */
    int exhausted_p20, exhausted_p50; /* the first month whose exhausted_by is at least 0.2,
                                       * 0.5; -1 when none (or no budget) */
    rr_stats run_rate;                /* each path's mean of the last three months */
    int run_rate_from;                /* the first of those months */
    int peak_month;                   /* the month with the highest P80 (the earliest of
                                       * equals) */
    size_t ndrivers;
    rr_driver *drivers;               /* owned, by decreasing share */
    size_t nswings;
    rr_swing *swings;                 /* owned: the top drivers' swings, in the drivers' order */
    size_t nassumptions;
    rr_assumption *assumptions;       /* owned, in file order */
    int layered;                      /* the scenario extends other files: the assumptions
                                       * name the file each was written in */
    double curve[RR_CURVE_POINTS];    /* the total's quantiles at p = i / 100 */
    int has_spikes;                   /* the scenario has spikes */
    double precision;                 /* --precision target, NaN when not asked */
    int precision_met;
    double precision_achieved;        /* half-width of the total's P95 interval / P95 */
    uint64_t draws;                   /* random variates drawn */
    rr_warnings warnings;             /* the scenario's load-time ones, then the run's */
    size_t nload_warnings;            /* how many of them are the scenario's */
    int partial;                      /* an interrupted run: paths < paths_requested */
    uint64_t paths_requested;         /* set by the caller for a partial report */
} rr_summary;

/* The standard percentiles, 5 10 25 50 75 80 90 95 99. */
extern const double rr_summary_default_percentiles[9];

/* Build a summary of r.  `extra` holds extra percentiles in (0, 100) (e.g. 99.9), merged
 * into the standard list.  Returns RR_OK, RR_ERR_USAGE (too many percentiles) or
 * RR_ERR_NOMEM. */
rr_status rr_summary_build(const rr_result *r, const double *extra, size_t nextra,
                           rr_summary **out);
void rr_summary_free(rr_summary *sum);   /* accepts NULL */

/* The statistic of a summary quantile key, e.g. the index of "p95"; -1 when absent. */
int rr_summary_qindex(const rr_summary *sum, double percent);

/* ---- comparisons of scenarios on common random numbers ---- */

typedef struct rr_compare_scenario {
    const char *file, *name, *currency;   /* borrowed */
    const rr_result_source *catalog;      /* the catalog entries it names, borrowed */
    size_t ncatalog;
    int ncat;
    const rr_category_info *cat[RR_NCAT];
    rr_stats total;
    rr_stats cats[RR_NCAT];
    int has_budget;
    double budget_total, confidence;
    double p_exceed;                      /* NaN without a budget */
    double recommended;
} rr_compare_scenario;

typedef struct rr_compare_diff {
    const char *a, *b;                    /* scenario names, borrowed */
    int ncat;                             /* categories of A or B */
    const rr_category_info *cat[RR_NCAT];
    rr_stats total;                       /* statistics of the per-path B - A */
    rr_stats cats[RR_NCAT];
    double p_b_costlier;                  /* share of paths where B's total > A's */
} rr_compare_diff;

typedef struct rr_compare {
    uint64_t paths, seed;
    int threads;
    double seconds;
    size_t nq;
    double qp[RR_MAX_QUANTILES];
    char qkey[RR_MAX_QUANTILES][32];
    size_t k;
    rr_compare_scenario *sc;              /* owned, k */
    size_t ndiff;
    rr_compare_diff *diff;                /* owned, k - 1: scenario i+1 minus scenario 0 */
    rr_warnings warnings;                 /* every file's, once each: load time, then run */
    size_t nload_warnings;                /* how many of them are the files' load-time ones */
    const char *sweep;                    /* for a sweep: the swept input path, else NULL */
    const char *const *values;            /* for a sweep: the k values, borrowed */
} rr_compare;

/* A comparison of k results (of the files files[i]) and their differences d[i] = result
 * i+1 minus result 0 (d NULL: none). */
rr_status rr_compare_build(const char *const *files, size_t k, rr_result *const *r,
                           rr_result_diff *const *d, const double *extra, size_t nextra,
                           rr_compare **out);
void rr_compare_free(rr_compare *c);     /* accepts NULL */

#endif
