/* sampler: a thread's maker of a group's draws.
 *
 * For a group of RR_LANES consecutive paths, rr_sampler_group makes every value the plan
 * resolved (constants, values drawn once per path with correlations applied, monthly
 * values, values computed by expressions) and every event source's counts and sums of
 * terms, for every month of the horizon; values that read the month's requests wait for
 * the demand (rr_sampler_demand).  The loop then reads plain arrays: month m of a ref's values at
 * v[ref].at + m * v[ref].stride (stride 0 for values that do not change within a path).
 * Lanes from nl on (a block's last, short group) repeat lane 0's values, so that their
 * arithmetic stays tame; their events count but draw nothing.
 *
 * Each value is the one a draw by seeking its position would give (draw.h), whether it
 * came from the group's table, a list or a seek: a path's numbers are the same bits in any
 * group, on any thread.
 *
 * Thread safety: one sampler per thread; the plan is shared read-only.
 */
#ifndef RR_SAMPLER_H
#define RR_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "sample/plan.h"
#include "sample/values.h"


/* An event source's counts and sums of terms, month m of lane l at [m * RR_LANES + l]. */
typedef struct rr_event_lanes {
    const unsigned *count;
    const double *sum;       /* 0 where the count is 0, and for sources without terms */
} rr_event_lanes;

typedef struct rr_sampler rr_sampler;

/* A sampler of p's draws under seed; NULL when out of memory. */
rr_sampler *rr_sampler_new(const rr_plan *p, uint64_t seed);
void rr_sampler_free(rr_sampler *s);   /* accepts NULL */

/* Hold r, a value drawn once per path (a plan's driver), at `value` on every path, all else
 * drawn as before (correlated partners keep their own draws): what-ifs on common random
 * numbers.  0, or -1 when r is not such a value. */
int rr_sampler_pin(rr_sampler *s, rr_ref r, double value);

/* Move values drawn once per path by rr_dist_shifted (their normal score z to m + s z),
 * after the copula and before a pin: the proposal of an adaptive importance sampler.  Each
 * ref must be such a value, of a shiftable distribution, not correlated; the list is copied.
 * 0, or -1 (a ref that is not, or memory). */
typedef struct rr_sampler_move {
    rr_ref ref;
    double m, s;
} rr_sampler_move;
int rr_sampler_shift(rr_sampler *s, const rr_sampler_move *mv, size_t n);

/* Make every draw of paths path0 .. path0 + nl - 1 (1 <= nl <= RR_LANES). */
void rr_sampler_group(rr_sampler *s, uint64_t path0, unsigned nl);

/* Every ref's values (indexed by ref), valid for the sampler's life; what they hold is the
 * last group's. */
const rr_values *rr_sampler_values(const rr_sampler *s);
/* The same, but the values that read `requests` computed on the demand without spikes
 * (for the costs without spikes). */
const rr_values *rr_sampler_values_nospike(const rr_sampler *s);

/* The values that read the month's `requests`, computed on eff (the demand after spikes)
 * and, unless req is NULL, on req (without spikes): both streams x horizon x RR_LANES.
 * Called once the group's demand is known. */
void rr_sampler_demand(rr_sampler *s, const double *eff, const double *req);

/* Whether lane l's expressions gave a value that is not finite (a fault): 1 with the first
 * month and the computed ref, else 0. */
int rr_sampler_fault(const rr_sampler *s, unsigned l, int *month, rr_ref *ref);

/* Event source e's counts and sums (e < plan->nevents), the last group's. */
rr_event_lanes rr_sampler_events(const rr_sampler *s, size_t e);

/* Path-months whose value of computed field r was held to its domain, so far. */
uint64_t rr_sampler_clamped(const rr_sampler *s, rr_ref r);

/* Lane-months of source e whose count hit RR_MAX_EVENTS, so far. */
uint64_t rr_sampler_capped(const rr_sampler *s, size_t e);

/* Random variates drawn so far: positions drawn ahead or listed, plus seeks. */
uint64_t rr_sampler_draws(const rr_sampler *s);

#endif
