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

static void lanes(const rr_component *c, double *restrict st, double *restrict st2,
                  const double *pv, int m, const double *restrict eff,
                  const double *restrict req, double *restrict cost, double *restrict base,
                  rr_lanes *L)
{
    (void)st2;
    (void)st;
    double b[NFIELDS][RR_LANES];
    const double *per = RR_LANES_VALUE(c, pv, PER_INSTANCE, m, L, b[PER_INSTANCE]);
    const double *lo = RR_LANES_VALUE(c, pv, MIN_INST, m, L, b[MIN_INST]);
    const double *hi = RR_LANES_VALUE(c, pv, MAX_INST, m, L, b[MAX_INST]);
    const double *hours = RR_LANES_VALUE(c, pv, HOURS, m, L, b[HOURS]);
    const double *rate = RR_LANES_VALUE(c, pv, RATE, m, L, b[RATE]);
    const double *reserved = NULL, *res_rate = NULL;
    if (c->in[RES_INST].given) {
        reserved = RR_LANES_VALUE(c, pv, RES_INST, m, L, b[RES_INST]);
        res_rate = RR_LANES_VALUE(c, pv, RES_RATE, m, L, b[RES_RATE]);
    }
    for (int pass = 0; pass < (base ? 2 : 1); pass++)
        month_cost(pass ? req : eff, per, lo, hi, hours, rate, reserved, res_rate,
                   pass ? base : cost);
}

const rr_component_type rr_compute_type = {
    .name = "compute",
    .default_category = RR_CAT_COMPUTE,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 0,
    .aux_suffix = NULL,
    .check = check,
    .lanes = lanes,
};
