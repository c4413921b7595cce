/* merge: a batch's accumulators, and how they become its results.
 *
 * A batch runs paths first .. first + n - 1 of k scenarios (and, for comparisons, the k - 1
 * differences to the first) on the threads of every rank.  What the threads accumulate:
 * per thread and scenario a tally (integer sketches and counts), one set of shared
 * sketches per scenario that the threads' rows spill into, and per block a slot of
 * floating-point moments written by the one thread that ran the block.  Merging: integer
 * counts in any order (threads, then ranks through cluster.h), the slots strictly in block
 * order after the batches before; so the results are the same bits for any thread and rank
 * count.
 *
 * Thread safety: rr_merge_thread and rr_merge_block from the thread that owns the tallies;
 * the rest from one thread outside the parallel region.
 */
#ifndef RR_MERGE_H
#define RR_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "run/tally.h"
#include "scenario/diag.h"
#include "stats/result.h"

typedef struct rr_merge {
    size_t k, nd;                    /* scenarios, differences */
    rr_result **r;                   /* k, borrowed */
    rr_result_diff **d;              /* nd, borrowed */
    int nthreads;
    uint64_t nblocks;
    size_t *slot_off;                /* k + nd + 1: where each one's moments start in a slot */
    size_t *cslot_off;               /* k + 1: the same for the drivers' co-moments */
    size_t slot_len, cslot_len;
    rr_sketch **shared;              /* laid out like a slot: the path-fed series' sketches */
    rr_block_moments *slots;         /* nblocks x slot_len */
    rr_block_comoments *cslots;      /* nblocks x cslot_len */
    rr_tally *tally;                 /* nthreads x k */
    rr_diff_tally *dtally;           /* nthreads x nd */
} rr_merge;

/* The accumulators of a batch of nblocks blocks for nthreads threads.  RR_OK, or
 * RR_ERR_NOMEM (m is then still to be freed). */
rr_status rr_merge_init(rr_merge *m, size_t k, rr_result **r, size_t nd, rr_result_diff **d,
                        int nthreads, uint64_t nblocks);
void rr_merge_free(rr_merge *m);

/* Thread t's tallies; 0 or -1 (memory). */
int rr_merge_thread(rr_merge *m, int t);
rr_tally *rr_merge_tally(rr_merge *m, int t, size_t i);
rr_diff_tally *rr_merge_diff_tally(rr_merge *m, int t, size_t i);
/* Block b starts / ends on thread t: its moments from zero / into its slot. */
void rr_merge_block_start(rr_merge *m, int t);
void rr_merge_block_end(rr_merge *m, int t, uint64_t b);

/* After the loop: every thread's and rank's accumulators into the results, the slots in
 * block order.  failed: this rank already ran out of memory.  RR_OK or RR_ERR_NOMEM (on
 * every rank alike). */
rr_status rr_merge_finish(rr_merge *m, int failed);

#endif
