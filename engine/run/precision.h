/* precision: run until the total's P95 is known to a relative precision.
 *
 * Paths are simulated in batches; after each, the half-width of the distribution-free 95%
 * interval of the horizon total's P95 (quantci) is compared with the target.  The next batch
 * is sized from the last one by the 1/sqrt(n) law, with 20% to spare.  Every decision
 * depends only on the numbers so far, which do not depend on the thread count: the same
 * file, seed and target give the same batches, paths and results on any machine.
 */
#ifndef RR_PRECISION_H
#define RR_PRECISION_H

#include "run/sim.h"

#define RR_PRECISION_MIN 0.002        /* below it the sketch's own 0.1% accuracy dominates */
#define RR_PRECISION_FIRST 10000      /* the first batch */
#define RR_PRECISION_MAX_PATHS 10000000ull   /* default cap */

/* Relative half-width of the 95% interval of the total's p-quantile. */
double rr_precision_halfwidth(const rr_result *r, double p);

/* Simulate in batches until the total's P95 half-width is at most `target` of P95, or
 * max_paths are done.  cfg->paths is ignored.  *met says whether the target was reached. */
rr_status rr_precision_run(const rr_plan *p, const rr_sim_config *cfg, double target,
                           uint64_t max_paths, rr_result **out, double *achieved, int *met,
                           rr_diags *diags);

#endif
