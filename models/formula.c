/* formula: a monthly cost written by the user, for a cost line no other type covers.
 *
 * cost[m] = the value of `cost` in month m: a number, a distribution, a schedule or an
 * expression over variables and the built-ins (month, calendar_month, year, days,
 * requests).  The engine computes it (engine/sample/program); the model only hands it on.
 * It follows demand where its expression reads `requests` (then without spikes it is
 * computed on the demand without them, as every other type's cost is); a cost below 0
 * becomes 0, as a drawn price does.
 */
#include <math.h>

#include "models/model.h"

enum { COST, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [COST] = { "cost", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
};

static void month(const rr_month *a, double *restrict cost)
{
    const double *c = a->f[COST];
    for (unsigned l = 0; l < RR_LANES; l++)
        cost[l] = c[l];
}

const rr_component_type rr_formula_type = {
    .name = "formula",
    .summary = "a monthly cost written as any value or expression",
    .default_category = -1,
    .fields = fields,
    .nfields = NFIELDS,
    /* Its month reads no demand: its expression may read `requests`, and is then computed on
     * the demand with and without spikes by the engine. */
    .follows_demand = 0,
    .month = month,
};
