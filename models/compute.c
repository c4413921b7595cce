/* compute: instances that serve demand, billed by the hour (self-hosted models, rerankers).
 *
 * instances[m] = min(max_instances, max(min_instances, ceil(eff / requests_per_instance)))
 * cost[m] = instances * hours_per_month * hourly_rate, or with `reserved: {instances: R,
 * hourly_rate: r}`: R * hours * r (reserved capacity is paid whether used or not) plus
 * max(0, instances - R) * hours * hourly_rate for the on-demand rest.
 */
#include <math.h>

#include "model.h"

enum { PER_INSTANCE, MIN_INST, MAX_INST, HOURS, RATE, RES_INST, RES_RATE, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [PER_INSTANCE] = { "requests_per_instance", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                       RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
    [MIN_INST] = { "min_instances", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [MAX_INST] = { "max_instances", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, INFINITY },
    [HOURS] = { "hours_per_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 730 },
    [RATE] = { "hourly_rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
               RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
    [RES_INST] = { "reserved.instances", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [RES_RATE] = { "reserved.hourly_rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                   RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
};

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    (void)horizon;
    const rr_input *lo = &c->in[MIN_INST], *hi = &c->in[MAX_INST];
    if (lo->given && hi->given && rr_input_is_const(lo) && rr_input_is_const(hi) &&
        lo->dist.p[0] > hi->dist.p[0])
        rr_diags_add(diags, hi->line, hi->col, "%s: must be >= min_instances (%g), got %g",
                     hi->path, lo->dist.p[0], hi->dist.p[0]);
}

static inline double month(const rr_component *c, double *st, const double *pv, int m, double eff,
                    rr_draw *d)
{
    (void)st;
    double n = ceil(eff / rr_model_value(c, pv, PER_INSTANCE, m, d));
    double lo = rr_model_value(c, pv, MIN_INST, m, d), hi = rr_model_value(c, pv, MAX_INST, m, d);
    if (n < lo)
        n = lo;
    if (n > hi)
        n = hi;
    double hours = rr_model_value(c, pv, HOURS, m, d), rate = rr_model_value(c, pv, RATE, m, d);
    if (!c->in[RES_INST].given)
        return n * hours * rate;
    double reserved = rr_model_value(c, pv, RES_INST, m, d);
    double extra = n > reserved ? n - reserved : 0;
    return reserved * hours * rr_model_value(c, pv, RES_RATE, m, d) + extra * hours * rate;
}

RR_MONTHS(months, month)

const rr_component_type rr_compute_type = {
    .name = "compute",
    .default_category = RR_CAT_COMPUTE,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 0,
    .aux_suffix = NULL,
    .check = check,
    .month = month,
    .months = months,
};
