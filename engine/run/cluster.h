/* cluster: the few collective operations that spread a run over MPI ranks.
 *
 * Built with RR_MPI (make MPI=1) these are Open MPI calls; without it, one process is the
 * whole cluster and every function is a no-op, so nothing else in runrate knows whether MPI
 * is there.  What crosses the network is mergeable statistics, never per-path values:
 * integer counts are summed (order does not matter), sketches travel serialized and are
 * merged in rank order, and each block's floating-point moments are computed by exactly one
 * rank and gathered into their block's slot, so combining them in block order gives the bits
 * of a single process.  Blocks are dealt round-robin: block b belongs to rank b mod size.
 *
 * Thread safety: call from one thread (the one outside the OpenMP region).
 */
#ifndef RR_CLUSTER_H
#define RR_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "stats/accum.h"

/* Start and stop (main only).  rr_cluster_init returns 0, or -1 when MPI could not start. */
int rr_cluster_init(int *argc, char ***argv);
void rr_cluster_finalize(void);
int rr_cluster_rank(void);
int rr_cluster_size(void);

/* v[i] = sum over ranks of v[i]. */
void rr_cluster_sum_u64(uint64_t *v, size_t n);
/* The minimum / maximum over ranks. */
uint64_t rr_cluster_min_u64(uint64_t v);
double rr_cluster_max_double(double v);
/* Copy `bytes` at buf from rank `root` to every rank. */
void rr_cluster_bcast(void *buf, size_t bytes, int root);
/* Each rank filled the slots of its own blocks (slot b of `slot_bytes` bytes, for blocks b
 * with b mod size == rank); afterwards every rank has every block's slot.  0 or -1 (memory). */
int rr_cluster_share_slots(void *slots, size_t slot_bytes, uint64_t nblocks);
/* Merge every rank's sketches sk[0..n-1] into every rank's.  0, or -1 (memory, malformed). */
int rr_cluster_merge_sketches(rr_sketch **sk, size_t n);

#endif
