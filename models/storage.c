/* storage: a store that grows with demand and is billed per GB-month.
 *
 * stored[m] = initial_gb + sum over j <= m of gb_per_request * eff[j] (the current month's
 * writes included); cost[m] = stored[m] * price_per_gb_month.
 */
#include <math.h>

#include "models/model.h"
#include "sample/simd.h"

enum { INITIAL, PER_REQUEST, PRICE, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [INITIAL] = { "initial_gb", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [PER_REQUEST] = { "gb_per_request", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [PRICE] = { "price_per_gb_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
};

enum { ST_GROWN };

/* The stored volume grown by a month's writes, and the month's cost: a loop of vectors, as
 * wide as the processor has (simd.h). */
RR_VECTOR_CLONES static void month_cost(const double *restrict e, const double *restrict per,
                                        const double *restrict initial,
                                        const double *restrict price, double *restrict grown,
                                        double *restrict out)
{
    for (unsigned l = 0; l < RR_LANES; l++) {
        grown[l] += per[l] * e[l];
        out[l] = (initial[l] + grown[l]) * price[l];
    }
}

static void month(const rr_month *a, double *restrict cost)
{
    month_cost(a->demand, a->f[PER_REQUEST], a->f[INITIAL], a->f[PRICE],
               a->state + ST_GROWN * RR_LANES, cost);
}

const rr_component_type rr_storage_type = {
    .name = "storage",
    .summary = "a store that grows with demand, billed per GB-month",
    .default_category = RR_CAT_STORAGE,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 1,
    .nstate = 1,
    .month = month,
};
