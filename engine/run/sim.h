/* sim: the path loop.  The only place in runrate with OpenMP.
 *
 * The paths 0..n-1 are cut into blocks whose size depends on nothing but n (at least
 * RR_SIM_MIN_BLOCK paths, at most RR_SIM_MAX_BLOCKS blocks: from 65,536 paths on, between
 * 1,000 and 1,024 of them, so the block slots take the same memory at 10^5 paths as at 10^9).  Threads take blocks
 * dynamically; every draw is positioned by (seed, input, path, step), so a path's numbers do
 * not depend on the thread that ran it.  Each thread feeds its own quantile sketches
 * (integer counts: merged exactly, in any order) and writes each block's floating-point
 * moments into that block's own slot; the slots are combined in block order afterwards.  So
 * the result is bit-identical for any thread count.
 *
 * Memory is bounded in n: sketches grow with the range of values, not their number, and the
 * block slots are capped by RR_SIM_MAX_BLOCKS.
 *
 * Series: the horizon total, each category present, each component, each month's total and
 * each month's categories, the spike premium (total and categories) and the cost per 1,000
 * requests (horizon and last month), laid out as the rr_sim_* index functions say.  Beside
 * them: exact exceedance counts of the budgets, and for every input drawn once per path its
 * co-moments with the total (for the drivers of uncertainty).
 */
#ifndef RR_SIM_H
#define RR_SIM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/accum.h"
#include "scenario/diag.h"
#include "scenario/scenario.h"

#define RR_SIM_MIN_BLOCK 64
#define RR_SIM_MAX_BLOCKS 1024

/* Called now and then from the thread that runs the loop's first thread, with the paths
 * done so far and the paths this run will have done at its end. */
typedef void (*rr_sim_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct rr_sim_config {
    uint64_t paths;          /* >= 1 */
    uint64_t seed;
    int threads;             /* 0: the OpenMP default */
    rr_sim_progress_fn progress;   /* may be NULL */
    void *progress_ctx;
    /* When *stop becomes non-zero (from a signal handler, say), the threads stop within
     * RR_SIM_STOP_CHECK paths and the run returns RR_ERR_INTERRUPTED with the results of
     * the paths done so far (paths says how many).  May be NULL. */
    const volatile sig_atomic_t *stop;
    /* For benchmarks: make the same draws and cost arithmetic, feed nothing (no statistics,
     * no spike premium); the result then holds only paths, draws and seconds. */
    int draws_only;
} rr_sim_config;

#define RR_SIM_STOP_CHECK 1024

/* An input drawn once per path whose share of the total's variance is measured. */
typedef struct rr_sim_driver {
    const rr_input *input;   /* borrowed from the scenario */
    size_t pv;               /* its index in a path's input values */
} rr_sim_driver;

typedef struct rr_sim_result {
    int horizon;
    size_t ncomp;
    int ncat;                        /* categories present */
    int cats[RR_NCAT];               /* their rr_category, in rr_category order */
    int cat_slot[RR_NCAT];           /* rr_category -> index in cats, or -1 */
    size_t nseries;
    rr_sketch **sketch;              /* nseries, merged over threads */
    rr_moments *moments;             /* nseries, combined in block order */
    uint64_t paths;                  /* paths simulated (fewer than asked when interrupted) */
    uint64_t seed;
    int partial;                     /* interrupted: the paths are not 0..paths-1 */
    uint64_t exceed;                 /* paths whose total > the budget (0 without one) */
    uint64_t *monthly_exceed;        /* horizon: paths whose month total > budget.monthly */
    size_t ndrivers;
    rr_sim_driver *drivers;          /* ndrivers */
    rr_comoments *driver_mom;        /* ndrivers: each driver with the total, block order */
    int threads;                     /* threads used */
    uint64_t draws;                  /* random variates drawn (positions drawn ahead or sought) */
    double seconds;                  /* wall time of the path loop */
    size_t bytes;                    /* accumulator memory at the end, all threads */
} rr_sim_result;

/* Series indices. */
static inline size_t rr_sim_total(void) { return 0; }
static inline size_t rr_sim_cat(const rr_sim_result *r, int slot) { (void)r; return 1 + (size_t)slot; }
static inline size_t rr_sim_comp(const rr_sim_result *r, size_t k) { return 1 + (size_t)r->ncat + k; }
static inline size_t rr_sim_month(const rr_sim_result *r, int m)
{
    return 1 + (size_t)r->ncat + r->ncomp + (size_t)m;
}
static inline size_t rr_sim_month_cat(const rr_sim_result *r, int m, int slot)
{
    return 1 + (size_t)r->ncat + r->ncomp + (size_t)r->horizon + (size_t)m * (size_t)r->ncat +
           (size_t)slot;
}
/* The spike premium (the path's total with spikes minus without): total, then categories. */
static inline size_t rr_sim_spike(const rr_sim_result *r)
{
    return 1 + (size_t)r->ncat + r->ncomp + (size_t)r->horizon * (1 + (size_t)r->ncat);
}
static inline size_t rr_sim_spike_cat(const rr_sim_result *r, int slot)
{
    return rr_sim_spike(r) + 1 + (size_t)slot;
}
/* Cost per 1,000 requests served (spikes included): over the horizon, and the last month. */
static inline size_t rr_sim_unit_horizon(const rr_sim_result *r)
{
    return rr_sim_spike(r) + 1 + (size_t)r->ncat;
}
static inline size_t rr_sim_unit_last(const rr_sim_result *r)
{
    return rr_sim_unit_horizon(r) + 1;
}

/* Run the simulation of paths 0..cfg->paths-1.  RR_OK, or RR_ERR_NUMERIC (a cost became
 * infinite or NaN: the diagnostic names the component, month and path), or RR_ERR_NOMEM, or
 * RR_ERR_INTERRUPTED (cfg->stop: *out then holds the partial result). */
rr_status rr_sim_run(const rr_scenario *s, const rr_sim_config *cfg, rr_sim_result **out,
                     rr_diags *diags);
/* Add `more` paths to a result, continuing the path numbering: the result is that of a
 * sequence of batches, the same for any thread count.  On failure r is left unusable. */
rr_status rr_sim_extend(const rr_scenario *s, const rr_sim_config *cfg, rr_sim_result *r,
                        uint64_t more, rr_diags *diags);
void rr_sim_result_free(rr_sim_result *r);   /* accepts NULL */

/* The per-path difference B - A of two scenarios run on the same paths (common random
 * numbers): the total and every category present in either, with the count of paths where
 * B costs more.  Differences are signed and often exactly 0. */
typedef struct rr_sim_diff {
    int ncat;                        /* categories present in A or B */
    int cats[RR_NCAT];               /* their rr_category */
    int slot_a[RR_NCAT], slot_b[RR_NCAT];   /* the category's slot in A / B, or -1 */
    size_t nseries;                  /* 1 + ncat: the total, then the categories */
    rr_sketch **sketch;
    rr_moments *moments;
    uint64_t b_costlier;             /* paths where B's total > A's */
    uint64_t paths;
} rr_sim_diff;

/* Run k scenarios on the same paths and seed: results[i] for each, and when diffs is not
 * NULL, diffs[i] = scenario i+1 minus scenario 0, for i < k-1.  Every input draws by its
 * place in its file, so inputs at the same place in two files draw the same numbers. */
rr_status rr_sim_run_many(const rr_scenario *const *s, size_t k, const rr_sim_config *cfg,
                          rr_sim_result **results, rr_sim_diff **diffs, rr_diags *diags);
void rr_sim_diff_free(rr_sim_diff *d);        /* accepts NULL */

/* A path's values of every input drawn once per path (correlations applied), at the
 * indices RR_PV_DEMAND / RR_PV_COMP; inputs drawn monthly or per event are NaN.  pv holds
 * RR_PV_COMP(s->ncomps, 0) values.  The engine draws exactly these. */
void rr_sim_draw_inputs(const rr_scenario *s, gsl_rng *r, uint64_t seed, uint64_t path,
                        double *pv);

/* The block size used for n paths. */
uint64_t rr_sim_block_size(uint64_t n);

#endif
