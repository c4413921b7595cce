/* fixed: a monthly cost that does not follow demand (licences, platform fees, a migration).
 *
 * cost[m] = monthly in months from_month..until_month (1-based, inclusive), else 0.  A fixed
 * cost has no natural category, so the file must name one.
 */
#include <math.h>

#include "models/model.h"

enum { MONTHLY, FROM, UNTIL, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [MONTHLY] = { "monthly", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [FROM] = { "from_month", RR_FIELD_PLAIN, RR_DOMAIN_NONNEG, RR_IN_INTEGER, 1 },
    [UNTIL] = { "until_month", RR_FIELD_PLAIN, RR_DOMAIN_NONNEG, RR_IN_INTEGER, INFINITY },
};

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    rr_model_check_months(c, FROM, UNTIL, horizon, diags);
}

static void month(const rr_month *a, double *restrict cost)
{
    const double *from = a->f[FROM], *until = a->f[UNTIL], *monthly = a->f[MONTHLY];
    for (unsigned l = 0; l < RR_LANES; l++)
        cost[l] = a->m + 1 < from[l] || a->m + 1 > until[l] ? 0 : monthly[l];
}

const rr_component_type rr_fixed_type = {
    .name = "fixed",
    .summary = "a monthly cost that does not follow demand",
    .default_category = -1,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 0,
    .check = check,
    .month = month,
};
