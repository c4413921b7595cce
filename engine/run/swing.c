/* swing: the drivers re-run at their P10 and P90, and their rank shares (swing.h). */
#include "run/swing.h"

#include <stdlib.h>

#include "sample/dist.h"

/* The total's P50 and mean with driver d held at v. */
static rr_status pinned(const rr_plan *p, const rr_sim_config *base, size_t d, double v,
                        double *p50, double *mean, rr_diags *diags)
{
    rr_sim_pin pin = { d, v };
    rr_sim_config c = *base;
    c.pin = &pin;
    rr_result *x = NULL;
    rr_status st = rr_sim_run(p, &c, &x, diags);
    if (st == RR_OK) {
        *p50 = rr_sketch_quantile(x->sketch[rr_result_total()], 0.5);
        *mean = x->moments[rr_result_total()].mean;
    }
    rr_result_free(x);
    return st;
}

static rr_status rank_shares(const rr_plan *p, const rr_sim_config *base, rr_result *r,
                             rr_diags *diags)
{
    rr_sketch_ranks *rk = rr_sketch_ranks_new(r->sketch[rr_result_total()]);
    if (!rk)
        return RR_ERR_NOMEM;
    rr_sim_config c = *base;
    c.rank_total = rk;
    rr_result *x = NULL;
    rr_status st = rr_sim_run(p, &c, &x, diags);
    for (size_t i = 0; st == RR_OK && i < r->ndrivers; i++) {
        double rho = rr_comoments_corr(&x->driver_mom[i]);
        r->rank_share[i] = rho * rho;
    }
    rr_result_free(x);
    rr_sketch_ranks_free(rk);
    return st;
}

rr_status rr_swing_run(const rr_plan *p, const rr_sim_config *cfg, size_t top, rr_result *r,
                       rr_diags *diags)
{
    r->nswings = 0;
    if (top == 0 || r->ndrivers == 0 || r->paths == 0 || r->partial)
        return RR_OK;
    rr_sim_config c = *cfg;
    c.paths = r->paths;
    c.progress = NULL;   /* the progress line is the first run's */
    c.pin = NULL;
    c.rank_total = NULL;
    rr_status st = rank_shares(p, &c, r, diags);
    size_t *order = calloc(r->ndrivers, sizeof *order);
    if (st == RR_OK && !order)
        st = RR_ERR_NOMEM;
    if (st == RR_OK)
        rr_result_driver_order(r, order);
    const size_t n = top < r->ndrivers ? top : r->ndrivers;
    for (size_t k = 0; k < n && st == RR_OK; k++) {
        const size_t d = order[k];
        const rr_dist *dist = &p->drivers[d].input->dist;
        rr_result_swing w = { .driver = d,
                              .low_value = rr_dist_clamped_quantile(dist, 0.1),
                              .high_value = rr_dist_clamped_quantile(dist, 0.9) };
        st = pinned(p, &c, d, w.low_value, &w.p50_low, &w.mean_low, diags);
        if (st == RR_OK)
            st = pinned(p, &c, d, w.high_value, &w.p50_high, &w.mean_high, diags);
        if (st == RR_OK)
            r->swings[r->nswings++] = w;
    }
    free(order);
    return st;
}
