/* group: the kernel of the path loop, one group of RR_LANES consecutive paths at a time.
 *
 * For a group: its draws (the sampler), then month by month for all lanes at once the
 * demand, each lane's demand after spikes, and every component's cost with and without
 * spikes (for the spike premium: the same model called again on the demand without spikes,
 * with a state of its own); then the series of every lane summed as vectors (rr_group_sum)
 * and each lane checked in path order (rr_group_check).  Every lane's value takes the same
 * operations in the same order as a path alone would (tests/test_sim.c replays paths alone),
 * so a path's values are the same bits on any thread and in any group.
 *
 * Thread safety: one group per thread; the plan is shared read-only.
 */
#ifndef RR_GROUP_H
#define RR_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "sample/plan.h"
#include "sample/sampler.h"
#include "scenario/diag.h"
#include "stats/result.h"

/* The largest magnitude of a path's total, spike premium or unit cost: beyond it the sums
 * of squares of the moments could overflow (10^10 paths of 1e100 squared stay finite), and
 * no budget is that large.  A larger one is a fault, as an infinite one is. */
#define RR_GROUP_COST_MAX 1e100

/* A cost that is not finite (or beyond RR_GROUP_COST_MAX): where it became so.  comp is a
 * component's index, or ncomp + 0..3 for the demand, the total, the spike premium, the cost
 * per 1,000 requests, ncomp + 4 for an expression (ref: its computed value). */
typedef struct rr_fault {
    uint64_t block, path;
    int month;
    size_t comp;
    double value;
    rr_ref ref;
} rr_fault;

typedef struct rr_group {
    const rr_plan *P;
    const rr_result *r;          /* the layout of the series */
    double *valsl;               /* series x lanes: series i of lane l at valsl[i * RR_LANES + l] */
    double *served, *eff_last;   /* per lane: requests served over the horizon, in the last
                                  * month (all streams') */
    /* What the kernel keeps, by (component's state | month | component and month), then lane. */
    double *state, *state2;      /* per-component state, state2: without spikes */
    double *eff, *req;           /* streams x horizon x lanes: demand with and without spikes */
    double *zero;                /* horizon x lanes of 0: the spikes' terms without spikes */
    double *cost, *base;         /* components x horizon x lanes: with and without spikes */
    double *nospikel;            /* categories x lanes: totals without spikes */
    int *dfault;                 /* per lane: the first month of non-finite demand, or H */
    double *dval;                /* per lane: that month's demand */
    int *xfault;                 /* per lane: the first month of an expression's fault, or H */
    rr_ref *xref;                /* ... and its computed value */
    size_t *by_cat;              /* the components grouped by category slot, each in order... */
    size_t cat_at[RR_NCAT + 1];  /* ...slot c's at by_cat[cat_at[c] .. cat_at[c + 1] - 1] */
    double *bound;               /* capacity slots x lanes: months whose capacity bound */
    double *unused;              /* commitment slots x lanes: unused over the horizon */
    size_t *by_stream;           /* the components bound to each stream, each in order... */
    size_t *stream_at;           /* ...stream j's at by_stream[stream_at[j] .. stream_at[j+1]-1] */
} rr_group;

/* A group's arrays for plan p with the series of r; NULL when out of memory. */
rr_group *rr_group_new(const rr_plan *p, const rr_result *r);
void rr_group_free(rr_group *g);   /* accepts NULL */

/* Paths path0 .. path0 + nl - 1 up to their costs, their draws made by s.  With
 * draws_only, the costs without spikes are not computed (benchmarks). */
void rr_group_run(rr_group *g, rr_sampler *s, uint64_t path0, unsigned nl, int draws_only);
/* Every lane's series into valsl: the sums of months then components, in the order of the
 * result's series, each lane's with the same operations in the same order as a path alone. */
void rr_group_sum(rr_group *g);
/* Lane l's checks, in the order a path alone makes them, and its spike premium and unit
 * costs; 0, or -1 with *f filled when a cost is not finite. */
int rr_group_check(rr_group *g, unsigned l, uint64_t path, int draws_only, rr_fault *f);

/* The diagnostic of a fault of plan p's scenario (named: prefix it with the scenario's
 * name, for runs of several). */
void rr_group_describe_fault(const rr_plan *p, const rr_fault *f, int named, rr_diags *diags);

#endif
