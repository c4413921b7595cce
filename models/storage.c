/* storage: a store that grows with demand and is billed per GB-month.
 *
 * stored[m] = initial_gb + sum over j <= m of gb_per_request * eff[j] (the current month's
 * writes included); cost[m] = stored[m] * price_per_gb_month.
 */
#include <math.h>

#include "model.h"

enum { INITIAL, PER_REQUEST, PRICE, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [INITIAL] = { "initial_gb", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [PER_REQUEST] = { "gb_per_request", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [PRICE] = { "price_per_gb_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
};

enum { ST_GROWN };

static inline double month(const rr_component *c, double *st, const double *pv, int m, double eff,
                    rr_draw *d)
{
    st[ST_GROWN] += rr_model_value(c, pv, PER_REQUEST, m, d) * eff;
    return (rr_model_value(c, pv, INITIAL, m, d) + st[ST_GROWN]) *
           rr_model_value(c, pv, PRICE, m, d);
}

RR_MONTHS(months, month)

const rr_component_type rr_storage_type = {
    .name = "storage",
    .default_category = RR_CAT_STORAGE,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 1,
    .aux_suffix = NULL,
    .check = NULL,
    .month = month,
    .months = months,
};
