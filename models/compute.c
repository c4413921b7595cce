/* compute: instances that serve demand, billed by the hour (self-hosted models, rerankers).
 *
 * instances[m] = min(max_instances, max(min_instances, ceil(eff / requests_per_instance)))
 * cost[m] = instances * hours_per_month * hourly_rate, or with `reserved: {instances: R,
 * hourly_rate: r}`: R * hours * r (reserved capacity is paid whether used or not) plus
 * max(0, instances - R) * hours * hourly_rate for the on-demand rest.
 */
#include <math.h>

#include "models/model.h"
#include "sample/simd.h"
#include "sample/vexp.h"

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

/* One month's cost of every lane from its demand e: separate arrays, branch-free, rr_vceil
 * for ceil, so that the loops are vectors. */
RR_VECTOR_CLONES static void month_cost(const double *restrict e, const double *restrict per,
                       const double *restrict lo, const double *restrict hi,
                       const double *restrict hours, const double *restrict rate,
                       const double *restrict reserved, const double *restrict res_rate,
                       double *restrict out)
{
    double n[RR_LANES];
    for (unsigned l = 0; l < RR_LANES; l++) {
        double x = rr_vceil(e[l] / per[l]);
        x = x < lo[l] ? lo[l] : x;
        n[l] = x > hi[l] ? hi[l] : x;
    }
    if (!reserved) {
        for (unsigned l = 0; l < RR_LANES; l++)
            out[l] = n[l] * hours[l] * rate[l];
        return;
    }
    for (unsigned l = 0; l < RR_LANES; l++) {
        double extra = n[l] > reserved[l] ? n[l] - reserved[l] : 0;
        out[l] = reserved[l] * hours[l] * res_rate[l] + extra * hours[l] * rate[l];
    }
}

static void month(const rr_month *a, double *restrict cost)
{
    const int reserved = (a->given & (1u << RES_INST)) != 0;
    month_cost(a->demand, a->f[PER_INSTANCE], a->f[MIN_INST], a->f[MAX_INST], a->f[HOURS],
               a->f[RATE], reserved ? a->f[RES_INST] : NULL, reserved ? a->f[RES_RATE] : NULL,
               cost);
}

const rr_component_type rr_compute_type = {
    .name = "compute",
    .summary = "instances that serve demand, billed by the hour",
    .default_category = RR_CAT_COMPUTE,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 1,
    .check = check,
    .month = month,
};
