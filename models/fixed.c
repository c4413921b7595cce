/* fixed: a monthly cost that does not follow demand (licences, platform fees, a migration).
 *
 * cost[m] = monthly in months from_month..until_month (1-based, inclusive), else 0.  A fixed
 * cost has no natural category, so the file must name one.
 */
#include <math.h>
#include <string.h>

#include "models/model.h"

enum { MONTHLY, FROM, UNTIL, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [MONTHLY] = { "monthly", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [FROM] = { "from_month", RR_FIELD_PLAIN, RR_DOMAIN_NONNEG, RR_IN_INTEGER, 1 },
    [UNTIL] = { "until_month", RR_FIELD_PLAIN, RR_DOMAIN_NONNEG, RR_IN_INTEGER, INFINITY },
};

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    double from = c->in[FROM].dist.p[0], until = c->in[UNTIL].dist.p[0];
    if (horizon <= 0)   /* unknown: horizon_months itself is in error */
        return;
    if (c->in[FROM].given && (from < 1 || from > horizon))
        rr_diags_add(diags, c->in[FROM].line, c->in[FROM].col,
                     "%s: must be in 1..%d (horizon_months), got %g", c->in[FROM].path, horizon,
                     from);
    if (c->in[UNTIL].given && (until < 1 || until > horizon))
        rr_diags_add(diags, c->in[UNTIL].line, c->in[UNTIL].col,
                     "%s: must be in 1..%d (horizon_months), got %g", c->in[UNTIL].path,
                     horizon, until);
    else if (c->in[UNTIL].given && until < from)
        rr_diags_add(diags, c->in[UNTIL].line, c->in[UNTIL].col,
                     "%s: must be >= from_month (%g), got %g", c->in[UNTIL].path, from, until);
}

static void lanes(const rr_component *c, double *restrict st, double *restrict st2,
                  const double *pv, int m, const double *restrict eff,
                  const double *restrict req, double *restrict cost, double *restrict base,
                  rr_lanes *L)
{
    (void)st2;
    (void)req;
    (void)st;
    (void)eff;
    double b[RR_LANES];
    const double *from = pv + FROM * RR_LANES, *until = pv + UNTIL * RR_LANES;
    const double *monthly = RR_LANES_VALUE(c, pv, MONTHLY, m, L, b);
    for (unsigned l = 0; l < RR_LANES; l++)
        cost[l] = m + 1 < from[l] || m + 1 > until[l] ? 0 : monthly[l];
    if (base)
        memcpy(base, cost, RR_LANES * sizeof *cost);
}

const rr_component_type rr_fixed_type = {
    .name = "fixed",
    .default_category = -1,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 0,
    .aux_suffix = NULL,
    .check = check,
    .lanes = lanes,
};
