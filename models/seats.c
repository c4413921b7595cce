/* seats: a per-user licence (tracing and evaluation platforms, coding assistants, MLOps
 * seats), billed per user and month whatever the demand.
 *
 * cost[m] = max(minimum_monthly, ceil(users[m]) * price_per_user_month): users are rounded
 * up to whole seats; minimum_monthly (0 when absent) is a plan's floor.  Seats do not
 * follow demand, so their spike premium is 0.
 */
#include <math.h>

#include "models/model.h"
#include "sample/simd.h"
#include "sample/vexp.h"

enum { USERS, PRICE, MINIMUM, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [USERS] = { "users", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [PRICE] = { "price_per_user_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
    [MINIMUM] = { "minimum_monthly", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
};

/* A loop of vectors (rr_vceil is ceil as straight-line arithmetic, the same bits). */
RR_VECTOR_CLONES static void month_cost(const double *restrict users,
                                        const double *restrict price,
                                        const double *restrict minimum, double *restrict out)
{
    for (unsigned l = 0; l < RR_LANES; l++) {
        double c = rr_vceil(users[l]) * price[l];
        out[l] = c > minimum[l] ? c : minimum[l];
    }
}

static void month(const rr_month *a, double *restrict cost)
{
    month_cost(a->f[USERS], a->f[PRICE], a->f[MINIMUM], cost);
}

const rr_component_type rr_seats_type = {
    .name = "seats",
    .summary = "a per-user licence, billed per seat and month",
    .default_category = RR_CAT_MLOPS,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 0,
    .month = month,
};
