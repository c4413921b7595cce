/* oversight: people who review a share of the requests.
 *
 * cost[m] = eff * review_share * minutes_per_review / 60 * hourly_rate.
 */
#include <math.h>

#include "models/model.h"
#include "sample/simd.h"

enum { SHARE, MINUTES, RATE, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [SHARE] = { "review_share", RR_FIELD_VALUE, RR_DOMAIN_UNIT, RR_IN_REQUIRED, NAN },
    [MINUTES] = { "minutes_per_review", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [RATE] = { "hourly_rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
               RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
};

/* A month's cost: a loop of vectors, as wide as the processor has (simd.h). */
RR_VECTOR_CLONES static void month_cost(const double *restrict e, const double *restrict share,
                                        const double *restrict minutes,
                                        const double *restrict rate, double *restrict out)
{
    for (unsigned l = 0; l < RR_LANES; l++)
        out[l] = e[l] * share[l] * minutes[l] / 60 * rate[l];
}

static void month(const rr_month *a, double *restrict cost)
{
    month_cost(a->demand, a->f[SHARE], a->f[MINUTES], a->f[RATE], cost);
}

const rr_component_type rr_oversight_type = {
    .name = "oversight",
    .summary = "people who review a share of the requests",
    .default_category = RR_CAT_OVERSIGHT,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 1,
    .month = month,
};
