/* summary: the statistics records a report is written from.
 *
 * A summary is everything a reporter needs and nothing more: names, labels and numbers.  It
 * borrows its strings from the scenario it was built from, which must outlive it.
 * Quantiles are those of accum (the order statistic of rank ceil(p n), within 0.1%).
 */
#ifndef RR_SUMMARY_H
#define RR_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "scenario.h"
#include "sim.h"

#define RR_MAX_QUANTILES 32
#define RR_VERSION "0.1.0"

typedef struct rr_stats {
    double mean;
    double sd;                        /* population */
    double q[RR_MAX_QUANTILES];       /* at rr_summary.qp */
} rr_stats;

typedef struct rr_summary {
    const char *scenario;             /* borrowed */
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
    const char *cat_names[RR_NCAT];   /* static strings */
    rr_stats cats[RR_NCAT];
    size_t ncomp;
    const char **comp_names;          /* owned array of borrowed names */
    const char **comp_cats;           /* owned array of static names */
    rr_stats *comps;                  /* owned, ncomp */
    rr_stats *monthly_total;          /* owned, horizon */
    rr_stats *monthly_cats;           /* owned, horizon * ncat, month-major */
    int has_budget;
    double budget_total;
    double confidence;
    double p_exceed;                  /* NaN without a budget */
    double recommended;               /* the total's quantile at `confidence` */
} rr_summary;

/* The standard percentiles, 5 10 25 50 75 80 90 95 99. */
extern const double rr_summary_default_percentiles[9];

/* Build a summary.  `extra` holds extra percentiles in (0, 100) (e.g. 99.9), merged into
 * the standard list.  Returns RR_OK, RR_ERR_USAGE (too many percentiles) or RR_ERR_NOMEM. */
rr_status rr_summary_build(const rr_scenario *s, const rr_sim_result *r, const double *extra,
                           size_t nextra, rr_summary **out);
void rr_summary_free(rr_summary *sum);   /* accepts NULL */

/* The statistic of a summary quantile key, e.g. the index of "p95"; -1 when absent. */
int rr_summary_qindex(const rr_summary *sum, double percent);

#endif
