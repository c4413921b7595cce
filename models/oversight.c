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

static void lanes(const rr_component *c, double *restrict st, double *restrict st2,
                  const double *pv, int m, const double *restrict eff,
                  const double *restrict req, double *restrict cost, double *restrict base,
                  rr_lanes *L)
{
    (void)st2;
    (void)st;
    double b[NFIELDS][RR_LANES];
    const double *share = RR_LANES_VALUE(c, pv, SHARE, m, L, b[SHARE]);
    const double *minutes = RR_LANES_VALUE(c, pv, MINUTES, m, L, b[MINUTES]);
    const double *rate = RR_LANES_VALUE(c, pv, RATE, m, L, b[RATE]);
    month_cost(eff, share, minutes, rate, cost);
    if (base)
        month_cost(req, share, minutes, rate, base);
}

const rr_component_type rr_oversight_type = {
    .name = "oversight",
    .default_category = RR_CAT_OVERSIGHT,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 0,
    .aux_suffix = NULL,
    .check = NULL,
    .lanes = lanes,
};
