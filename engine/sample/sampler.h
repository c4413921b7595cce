/* sampler: a thread's maker of a group's draws.
 *
 * For a group of RR_LANES consecutive paths, rr_sampler_group makes every value the plan
 * resolved (constants, values drawn once per path with correlations applied, monthly
 * values) and every event source's counts and sums of terms, for every month of the
 * horizon.  The loop then reads plain arrays: month m of a ref's values at
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

typedef struct rr_values {
    const double *at;        /* month 0's values, one per lane */
    size_t stride;           /* doubles from one month to the next: 0 or RR_LANES */
} rr_values;

/* The values of a ref in month m, one per lane. */
static inline const double *rr_values_month(const rr_values *v, int m)
{
    return v->at + (size_t)m * v->stride;
}

/* An event source's counts and sums of terms, month m of lane l at [m * RR_LANES + l]. */
typedef struct rr_event_lanes {
    const unsigned *count;
    const double *sum;       /* 0 where the count is 0, and for sources without terms */
} rr_event_lanes;

typedef struct rr_sampler rr_sampler;

/* A sampler of p's draws under seed; NULL when out of memory. */
rr_sampler *rr_sampler_new(const rr_plan *p, uint64_t seed);
void rr_sampler_free(rr_sampler *s);   /* accepts NULL */

/* Make every draw of paths path0 .. path0 + nl - 1 (1 <= nl <= RR_LANES). */
void rr_sampler_group(rr_sampler *s, uint64_t path0, unsigned nl);

/* Every ref's values (indexed by ref), valid for the sampler's life; what they hold is the
 * last group's. */
const rr_values *rr_sampler_values(const rr_sampler *s);
/* Event source e's counts and sums (e < plan->nevents), the last group's. */
rr_event_lanes rr_sampler_events(const rr_sampler *s, size_t e);

/* Lane-months of source e whose count hit RR_MAX_EVENTS, so far. */
uint64_t rr_sampler_capped(const rr_sampler *s, size_t e);

/* Random variates drawn so far: positions drawn ahead or listed, plus seeks. */
uint64_t rr_sampler_draws(const rr_sampler *s);

#endif
