/* swing: what the drivers' uncertainty is worth in money, and their rank shares, measured by
 * running a plan's paths again.
 *
 * - Swings: each of the top drivers by share (rr_result_driver_order) is held at the exact
 *   P10 and then at the P90 of its own distribution, after its clamp, and the same paths are
 *   run again with the same seed: every other input draws the same numbers (common random
 *   numbers), and correlated partners keep their own draws, since the driver's value alone
 *   is replaced after the copula (sampler.h).  The total's P50 and mean at each end.
 * - Rank shares: one more run of the same paths in which the drivers' co-moments are of
 *   mid-ranks, each driver's from its own distribution's CDF (dist.h) and the total's from
 *   the first run's sketch of it (accum.h): Spearman's rho is Pearson's correlation of
 *   ranks.  Nothing is kept per path, so memory stays flat in paths; totals within one of
 *   the sketch's 0.2%-wide buckets share a rank.
 *
 * Cost: 1 + 2 * top runs of the paths.
 */
#ifndef RR_SWING_H
#define RR_SWING_H

#include <stddef.h>

#include "run/sim.h"
#include "sample/plan.h"
#include "scenario/diag.h"
#include "stats/result.h"

/* Fill r->rank_share and r->swings (the first `top` drivers, at most ndrivers) for r, a
 * complete run of plan p under cfg (its paths 0 .. r->paths - 1).  RR_OK, or the failure of
 * a run (RR_ERR_NUMERIC with its diagnostic, RR_ERR_NOMEM, RR_ERR_INTERRUPTED); r keeps
 * what was measured before it. */
rr_status rr_swing_run(const rr_plan *p, const rr_sim_config *cfg, size_t top, rr_result *r,
                       rr_diags *diags);

#endif
