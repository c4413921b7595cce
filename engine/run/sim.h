/* sim: the path loop.  The only place in runrate with OpenMP.
 *
 * The paths 0..n-1 are cut into blocks whose size depends on nothing but n (at least
 * RR_SIM_MIN_BLOCK paths, at most RR_SIM_MAX_BLOCKS blocks: from 65,536 paths on, between
 * 1,000 and 1,024 of them, so the block slots take the same memory at 10^5 paths as at
 * 10^9).  Threads take blocks dynamically, and the ranks of a cluster take every size-th
 * block; a block runs its paths in groups of RR_LANES (group.h), each path's draws
 * positioned by (seed, input, path, step), so a path's numbers do not depend on the thread
 * that ran it.  What the threads accumulate is merged as merge.h says: the result is
 * bit-identical for any thread and rank count.
 *
 * Memory is bounded in n: sketches grow with the range of values, not their number, and the
 * block slots are capped by RR_SIM_MAX_BLOCKS.
 *
 * A cost that is not finite stops the run.  To name the same fault whatever the thread
 * count, threads keep running blocks below the lowest faulty block found so far: the fault
 * reported is the first one of the lowest faulty block, which does not depend on timing.
 */
#ifndef RR_SIM_H
#define RR_SIM_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/plan.h"
#include "sample/sampler.h"
#include "scenario/diag.h"
#include "stats/result.h"

#define RR_SIM_MIN_BLOCK 64
#define RR_SIM_MAX_BLOCKS 1024

/* A value drawn once per path (the plan's driver `driver`) held at `value`. */
typedef struct rr_sim_pin {
    size_t driver;
    double value;
} rr_sim_pin;

/* A value of each path kept for the caller (track: bills against the forecast): a series of
 * the result (its index, result.h), a component's cost in a month (with spikes), or a
 * driver's value (the plan's driver `index`). */
typedef enum rr_sim_tap_kind { RR_TAP_SERIES, RR_TAP_COMP_MONTH, RR_TAP_DRIVER } rr_sim_tap_kind;
typedef struct rr_sim_tap {
    rr_sim_tap_kind kind;
    size_t index;
    int month;                       /* RR_TAP_COMP_MONTH's */
} rr_sim_tap;
/* Path p's taps at out[p * ntaps ...]: out has room for rr_sim_tap_rows(paths) rows (the
 * blocks rounded up, so that ranks can share whole blocks).  Each row is written by the
 * thread that ran the path, so the values are the same bits on any thread and rank count. */
typedef struct rr_sim_taps {
    size_t ntaps;
    const rr_sim_tap *tap;
    double *out;
} rr_sim_taps;

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
    /* What-ifs and rank statistics on the paths of an earlier run (swing.h); NULL: none.
     * pin holds one driver at a value on every path (one plan only); rank_total makes the
     * drivers' co-moments those of mid-ranks: each driver's from its own distribution's
     * CDF, the total's from rank_total (the earlier run's sketch of it). */
    const rr_sim_pin *pin;
    const rr_sketch_ranks *rank_total;
    /* Per-path values to keep (one plan, paths from 0: not with rr_sim_extend); NULL:
     * none.  Memory is paths x ntaps doubles: the caller's. */
    const rr_sim_taps *taps;
    /* Drivers moved to an importance sampler's proposal (sampler.h's rr_sampler_shift: the
     * plan's driver `ref` field holds the driver's index here); one plan only. */
    const rr_sampler_move *moves;
    size_t nmoves;
} rr_sim_config;

#define RR_SIM_STOP_CHECK 1024
#define RR_MAX_DRIVER_MOVES 256

/* Run the simulation of paths 0..cfg->paths-1 of plan p.  RR_OK, or RR_ERR_NUMERIC (a cost
 * became infinite or NaN: the diagnostic names the component, month and path), or
 * RR_ERR_NOMEM, or RR_ERR_INTERRUPTED (cfg->stop: *out then holds the partial result). */
rr_status rr_sim_run(const rr_plan *p, const rr_sim_config *cfg, rr_result **out,
                     rr_diags *diags);
/* Add `more` paths to a result, continuing the path numbering: the result is that of a
 * sequence of batches, the same for any thread count.  On failure r is left unusable. */
rr_status rr_sim_extend(const rr_plan *p, const rr_sim_config *cfg, rr_result *r,
                        uint64_t more, rr_diags *diags);

/* Run k plans on the same paths and seed: results[i] for each, and when diffs is not NULL,
 * diffs[i] = scenario i+1 minus scenario 0, for i < k-1.  Every input draws by its place
 * in its file, so inputs at the same place in two files draw the same numbers. */
rr_status rr_sim_run_many(const rr_plan *const *p, size_t k, const rr_sim_config *cfg,
                          rr_result **results, rr_result_diff **diffs, rr_diags *diags);

/* The block size used for n paths. */
uint64_t rr_sim_block_size(uint64_t n);
/* The rows a taps' out needs for n paths. */
uint64_t rr_sim_tap_rows(uint64_t n);

#endif
