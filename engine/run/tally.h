/* tally: what one thread accumulates of one scenario's paths, and of a difference of two.
 *
 * A thread's tally feeds, group by group, the series every path feeds into a row of 16-bit
 * counts (shared sketches behind it, spilled under a lock: stats/accum.h), the unit costs
 * (fed only by paths that served requests) into sketches of its own, and the block's
 * moments: shifted sums kept per series and lane, eight lanes to a vector, summed in lane
 * order at the block's end.  A block's moments go into the block's own slot, so that
 * combining them in block order afterwards (merge.h) gives the same bits on any thread
 * count.  Counts (exceedances) are integers.
 *
 * Thread safety: one tally per thread and scenario; rows of several threads may share
 * their sketches (their spills are serialised by the caller's OpenMP critical section).
 */
#ifndef RR_TALLY_H
#define RR_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "run/group.h"
#include "sample/plan.h"
#include "sample/sampler.h"
#include "stats/accum.h"
#include "stats/result.h"

typedef struct rr_tally {
    const rr_result *r;
    rr_sketch **sketch;      /* nseries: the unit costs' (the others stay empty) */
    rr_sketch_row *row;      /* the series every path feeds, into the shared sketches */
    rr_block_moments *bm;    /* nseries: the block's moments */
    uint64_t mn;             /* the block's paths so far */
    double *mshift;          /* per series: its first value in the block */
    double *ms1, *ms2;       /* per series and lane: shifted sums */
    rr_block_comoments *bc;  /* per driver: the block's co-moments with the total */
    uint64_t exceed;         /* paths over budget.total */
    uint64_t *mexceed;       /* horizon: paths whose month is over budget.monthly */
    uint64_t *bound;         /* per capacity slot: path-months whose capacity bound */
    uint64_t *pexceed;       /* per budgeted period: paths over its budget */
    uint64_t *exhausted;     /* horizon: paths whose cost so far exceeds budget.total */
    int failed;              /* a sketch could not grow */
    const rr_sketch_ranks *ranks;   /* not NULL: the drivers' co-moments are of mid-ranks,
                                     * the total's from these (sim.h's rank_total) */
} rr_tally;

/* A tally of r's series whose row feeds shared[0 .. rr_result_unit_horizon(r) - 1]. */
int rr_tally_init(rr_tally *t, const rr_result *r, rr_sketch *const *shared);
void rr_tally_free(rr_tally *t);   /* frees what t holds */

/* A block starts: its moments from zero. */
void rr_tally_block_start(rr_tally *t);
/* The group's first nl lanes, all checked, into the tally; drivers' values read from the
 * sampler's values at the plan's refs. */
void rr_tally_group(rr_tally *t, const rr_group *g, const rr_plan *p, const rr_values *v,
                    unsigned nl);
/* A block ends: its moments into bm (nseries) and its co-moments into bc (ndrivers). */
void rr_tally_block_end(rr_tally *t, rr_block_moments *bm, rr_block_comoments *bc);

/* One thread's accumulators of a difference B - A. */
typedef struct rr_diff_tally {
    rr_sketch **sketch;
    rr_block_moments *bm;
    uint64_t costlier;
    int failed;
} rr_diff_tally;

int rr_diff_tally_init(rr_diff_tally *t, size_t nseries);
void rr_diff_tally_free(rr_diff_tally *t, size_t nseries);
/* B - A on lane l of the two groups. */
void rr_diff_tally_lane(rr_diff_tally *t, const rr_result_diff *d, const rr_group *a,
                        const rr_group *b, unsigned l);

#endif
