/* oversight: people who review a share of the requests, and staffed time.
 *
 * cost[m] = (staffed_hours_per_month + eff * review_share * minutes_per_review / 60)
 *           * hourly_rate
 * Staffed time (a part-time reviewer, an on-call rota) is paid whatever the demand; the
 * per-review part needs both its fields or neither, and one of the two parts is required.
 */
#include <math.h>

#include "models/model.h"
#include "sample/simd.h"

enum { SHARE, MINUTES, RATE, STAFFED, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [SHARE] = { "review_share", RR_FIELD_VALUE, RR_DOMAIN_UNIT, 0, 0 },
    [MINUTES] = { "minutes_per_review", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [RATE] = { "hourly_rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
               RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
    [STAFFED] = { "staffed_hours_per_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
};

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    (void)horizon;
    const rr_input *share = &c->in[SHARE], *minutes = &c->in[MINUTES];
    if (share->given != minutes->given) {
        rr_diags_add(diags, c->line, c->col, "costs.%s: missing required key '%s' (a "
                     "review costs review_share x minutes_per_review: give both, or neither "
                     "for staffed time alone)", c->name,
                     share->given ? "minutes_per_review" : "review_share");
    } else if (!share->given && !c->in[STAFFED].given) {
        rr_diags_add(diags, c->line, c->col, "costs.%s: missing required key 'review_share' "
                     "(with minutes_per_review), or 'staffed_hours_per_month'", c->name);
    }
}

/* A month's cost: staffed_hours_per_month is 0 when absent, and (0 + x) * rate is
 * x * rate, so a file without it keeps its numbers.  A loop of vectors (simd.h). */
RR_VECTOR_CLONES static void month_staffed(const double *restrict e,
                                           const double *restrict share,
                                           const double *restrict minutes,
                                           const double *restrict staffed,
                                           const double *restrict rate, double *restrict out)
{
    for (unsigned l = 0; l < RR_LANES; l++)
        out[l] = (staffed[l] + e[l] * share[l] * minutes[l] / 60) * rate[l];
}

static void month(const rr_month *a, double *restrict cost)
{
    month_staffed(a->demand, a->f[SHARE], a->f[MINUTES], a->f[STAFFED], a->f[RATE], cost);
}

const rr_component_type rr_oversight_type = {
    .name = "oversight",
    .summary = "people who review a share of the requests, and staffed time",
    .default_category = RR_CAT_OVERSIGHT,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 1,
    .check = check,
    .month = month,
};
