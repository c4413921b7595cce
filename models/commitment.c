/* commitment: see commitment.h. */
#include "models/commitment.h"

#include <string.h>

#include "sample/simd.h"

void rr_commitment_check(const rr_component *c, size_t at, int horizon, rr_diags *diags)
{
    const rr_input *d = &c->in[at + 1];
    if (d->given && rr_input_is_const(d) && !(d->dist.p[0] < 1))
        rr_diags_add(diags, d->line, d->col, "%s: must be below 1 (a share of the list price: "
                     "for 28%% write 0.28), got %g", d->path, d->dist.p[0]);
    rr_model_check_months(c, at + 2, at + 3, horizon, diags);
}

/* Branch-free over lanes: the month is in or out for every lane alike, the rest selects. */
RR_VECTOR_CLONES static void committed(const double *restrict monthly,
                                       const double *restrict discount, double *restrict cost,
                                       double *restrict unused)
{
    for (unsigned l = 0; l < RR_LANES; l++) {
        const double paid = 1 - discount[l], list = cost[l];
        /* A drawn discount of exactly 1 buys unlimited usage: the limit of the formula. */
        const double covered = paid > 0 ? monthly[l] / paid : INFINITY;
        const double over = list - covered, left = monthly[l] - paid * list;
        cost[l] = monthly[l] + (over > 0 ? over : 0);
        unused[l] = left > 0 ? left : 0;
    }
}

void rr_commitment_apply(const rr_month *a, size_t at, double *restrict cost)
{
    if (!(a->given & (1u << at))) {
        if (a->unused)
            memset(a->unused, 0, RR_LANES * sizeof *a->unused);
        return;
    }
    /* from and until are plain numbers: the same in every lane. */
    const double month = a->m + 1;
    if (month < a->f[at + 2][0] || month > a->f[at + 3][0]) {
        if (a->unused)
            memset(a->unused, 0, RR_LANES * sizeof *a->unused);
        return;
    }
    double spare[RR_LANES];
    committed(a->f[at], a->f[at + 1], cost, a->unused ? a->unused : spare);
}
