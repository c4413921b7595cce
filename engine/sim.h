/* sim: the path loop.  The only place in runrate with OpenMP.
 *
 * The paths 0..n-1 are cut into blocks whose size depends on nothing but n (at least
 * RR_SIM_MIN_BLOCK paths, at most RR_SIM_MAX_BLOCKS blocks).  Threads take blocks
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
 * each month's categories, laid out as the rr_sim_* index functions say.
 */
#ifndef RR_SIM_H
#define RR_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "accum.h"
#include "diag.h"
#include "scenario.h"

#define RR_SIM_MIN_BLOCK 512
#define RR_SIM_MAX_BLOCKS 1024

typedef struct rr_sim_config {
    uint64_t paths;          /* >= 1 */
    uint64_t seed;
    int threads;             /* 0: the OpenMP default */
} rr_sim_config;

typedef struct rr_sim_result {
    int horizon;
    size_t ncomp;
    int ncat;                        /* categories present */
    int cats[RR_NCAT];               /* their rr_category, in rr_category order */
    int cat_slot[RR_NCAT];           /* rr_category -> index in cats, or -1 */
    size_t nseries;
    rr_sketch **sketch;              /* nseries, merged over threads */
    rr_moments *moments;             /* nseries, combined in block order */
    uint64_t paths;
    uint64_t seed;
    uint64_t exceed;                 /* paths whose total > the budget (0 without one) */
    int threads;                     /* threads used */
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

/* Run the simulation.  RR_OK, or RR_ERR_NUMERIC (a cost became infinite or NaN: the
 * diagnostic names the component, month and path), or RR_ERR_NOMEM. */
rr_status rr_sim_run(const rr_scenario *s, const rr_sim_config *cfg, rr_sim_result **out,
                     rr_diags *diags);
void rr_sim_result_free(rr_sim_result *r);   /* accepts NULL */

/* The block size used for n paths. */
uint64_t rr_sim_block_size(uint64_t n);

#endif
