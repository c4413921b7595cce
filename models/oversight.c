/* oversight: people who review a share of the requests.
 *
 * cost[m] = eff * review_share * minutes_per_review / 60 * hourly_rate.
 */
#include <math.h>

#include "model.h"

enum { SHARE, MINUTES, RATE, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [SHARE] = { "review_share", RR_FIELD_VALUE, RR_DOMAIN_UNIT, RR_IN_REQUIRED, NAN },
    [MINUTES] = { "minutes_per_review", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [RATE] = { "hourly_rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
               RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
};

static inline double month(const rr_component *c, double *st, const double *pv, int m, double eff,
                    rr_draw *d)
{
    (void)st;
    return eff * rr_model_value(c, pv, SHARE, m, d) * rr_model_value(c, pv, MINUTES, m, d) /
           60 * rr_model_value(c, pv, RATE, m, d);
}

RR_MONTHS(months, month)

const rr_component_type rr_oversight_type = {
    .name = "oversight",
    .default_category = RR_CAT_OVERSIGHT,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 0,
    .aux_suffix = NULL,
    .check = NULL,
    .month = month,
    .months = months,
};
