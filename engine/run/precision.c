/* precision: batches until the P95 is precise enough. */
#include "run/precision.h"

#include <math.h>

#include "stats/quantci.h"

double rr_precision_halfwidth(const rr_result *r, double p)
{
    const rr_sketch *sk = r->sketch[rr_result_total()];
    uint64_t lo, hi, n = rr_sketch_count(sk);
    rr_quantci_ranks(n, p, &lo, &hi);
    /* A half-open interval has no half-width: more paths are needed, never fewer. */
    if (lo < 1 || hi > n)
        return INFINITY;
    double q = rr_sketch_quantile(sk, p);
    double hw = 0.5 * (rr_sketch_at_rank(sk, hi) - rr_sketch_at_rank(sk, lo));
    if (q == 0)
        return hw == 0 ? 0 : INFINITY;
    return fabs(hw / q);
}

rr_status rr_precision_run(const rr_plan *p, const rr_sim_config *cfg, double target,
                           uint64_t max_paths, rr_result **out, double *achieved, int *met,
                           rr_diags *diags)
{
    rr_sim_config c = *cfg;
    c.paths = max_paths < RR_PRECISION_FIRST ? max_paths : RR_PRECISION_FIRST;
    rr_result *r = NULL;
    rr_status st = rr_sim_run(p, &c, &r, diags);
    *out = NULL;
    *met = 0;
    *achieved = NAN;
    while (st == RR_OK) {
        double hw = rr_precision_halfwidth(r, 0.95);
        *achieved = hw;
        if (hw <= target) {
            *met = 1;
            break;
        }
        if (r->paths >= max_paths)
            break;
        /* The half-width shrinks as 1/sqrt(n): aim at the target with 20% to spare, grow by
         * at least half, and round to whole thousands so the batches read well. */
        double want = (double)r->paths * (hw / target) * (hw / target) * 1.2;
        if (!isfinite(want) || want > (double)max_paths)
            want = (double)max_paths;
        if (want < 1.5 * (double)r->paths)
            want = 1.5 * (double)r->paths;
        uint64_t next = (uint64_t)ceil(want / 1000) * 1000;
        if (next > max_paths)
            next = max_paths;
        st = rr_sim_extend(p, &c, r, next - r->paths, diags);
    }
    if (st != RR_OK && st != RR_ERR_INTERRUPTED) {
        rr_result_free(r);
        return st;
    }
    *out = r;
    return st;
}
