/* compute: instances that serve demand, billed by the hour (self-hosted models, rerankers).
 *
 * With c the capacity of an instance in a month (requests_per_instance, or
 * requests_per_instance_hour * 730) and the on-demand rate
 * od = (1 - spot.share) * hourly_rate + spot.share * spot.rate (hourly_rate without spot):
 *
 * scaling: monthly (the default): instances n = min(max_instances, max(min_instances,
 * ceil(eff / c))) for the whole month; cost = n * hours_per_month * od, or with
 * `reserved: {instances: R, hourly_rate: r}` R * hours * r (reserved capacity is paid
 * whether used or not) + max(0, n - R) * hours * od.
 *
 * scaling: hourly: the month's demand spread evenly over its D days (days[m]: 24 D hours)
 * and over each day by daily_profile (p_h, shares of a day's traffic, normalised; flat by
 * default): n_h = min(max_instances, max(min_instances, ceil(eff * p_h / (D * c / 730))));
 * cost = 24 D * R * r + D * sum_h max(0, n_h - R) * od.  Computed as
 * ceil((eff / c) * q_h * 730 / (24 D)) with q_h = 24 p_h (exactly 1 for a flat profile),
 * so that a flat profile over 730 hours gives the monthly rule's instances bit for bit.
 *
 * The capacity binds in a month when the instances needed before the clamp (in some hour,
 * under hourly scaling) exceed max_instances: demand was not served.
 * A commitment (commitment.h) applies last.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/commitment.h"
#include "models/model.h"
#include "sample/simd.h"
#include "sample/vexp.h"
#include "scenario/check.h"

enum { PER_INSTANCE, MIN_INST, MAX_INST, HOURS, RATE, RES_INST, RES_RATE, PER_HOUR, SCALING,
       PROFILE, SPOT_SHARE, SPOT_RATE, COMMIT, NFIELDS = COMMIT + 4 };

static const rr_field fields[NFIELDS] = {
    [PER_INSTANCE] = { "requests_per_instance", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                       RR_IN_POSITIVE, NAN },
    [MIN_INST] = { "min_instances", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [MAX_INST] = { "max_instances", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, INFINITY },
    [HOURS] = { "hours_per_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 730 },
    [RATE] = { "hourly_rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
               RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
    [RES_INST] = { "reserved.instances", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [RES_RATE] = { "reserved.hourly_rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                   RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
    [PER_HOUR] = { "requests_per_instance_hour", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                   RR_IN_POSITIVE, NAN },
    [SCALING] = { "scaling", RR_FIELD_SPECIAL, RR_DOMAIN_NONNEG, 0, NAN },
    [PROFILE] = { "daily_profile", RR_FIELD_SPECIAL, RR_DOMAIN_NONNEG, 0, NAN },
    [SPOT_SHARE] = { "spot.share", RR_FIELD_VALUE, RR_DOMAIN_UNIT, RR_IN_REQUIRED, NAN },
    [SPOT_RATE] = { "spot.rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    RR_COMMITMENT_FIELDS(COMMIT),
};

/* The table the `scaling` and `daily_profile` hooks fill: [0] 1 for hourly scaling, 0 for
 * monthly; [1 + h] the profile's q_h = 24 p_h (all 1: flat). */
enum { T_HOURLY, T_PROFILE, T_SIZE = T_PROFILE + 24 };

static double *table_of(rr_component *c, const rr_node *n, rr_diags *d)
{
    if (c->table)
        return c->table;
    c->table = malloc(T_SIZE * sizeof *c->table);
    if (!c->table) {
        rr_diags_add(d, n->line, n->col, "out of memory");
        return NULL;
    }
    c->ntable = T_SIZE;
    c->table[T_HOURLY] = 0;
    for (int h = 0; h < 24; h++)
        c->table[T_PROFILE + h] = 1;
    return c->table;
}

static int parse_profile(double *t, const rr_node *n, const char *prefix, rr_diags *d)
{
    if (n->kind != RR_NODE_SEQ || n->n != 24) {
        rr_diags_add(d, n->line, n->col, "%s: expected a list of 24 shares of a day's traffic "
                     "(hour 0 to 23), got %s%s%zu", prefix, rr_node_kind_name(n),
                     n->kind == RR_NODE_SEQ ? " of " : "", n->kind == RR_NODE_SEQ ? n->n : 0);
        return -1;
    }
    double p[24], sum = 0;
    int bad = 0;
    for (int h = 0; h < 24; h++) {
        char what[192];
        snprintf(what, sizeof what, "%s[%d]", prefix, h);
        if (rr_check_plain(d, n->items[h], what, &p[h]) != 0) {
            bad = -1;
        } else if (!(p[h] >= 0) || isinf(p[h])) {
            rr_diags_add(d, n->items[h]->line, n->items[h]->col,
                         "%s: must be a share >= 0, got %g", what, p[h]);
            bad = -1;
        } else {
            sum += p[h];
        }
    }
    if (!bad && !(sum > 0)) {
        rr_diags_add(d, n->line, n->col, "%s: the shares add up to 0: give each hour's share "
                     "of a day's traffic", prefix);
        bad = -1;
    }
    if (bad)
        return -1;
    for (int h = 0; h < 24; h++)
        t[T_PROFILE + h] = 24 * p[h] / sum;
    return 0;
}

static int parse(rr_component *c, const rr_field *f, const rr_node *n, const char *prefix,
                 rr_diags *d)
{
    double *t = table_of(c, n, d);
    if (!t)
        return -1;
    if (f == &fields[SCALING]) {
        const int hourly = n->kind == RR_NODE_SCALAR && strcmp(n->str, "hourly") == 0;
        if (!hourly && !(n->kind == RR_NODE_SCALAR && strcmp(n->str, "monthly") == 0)) {
            rr_diags_add(d, n->line, n->col, "%s: expected 'monthly' or 'hourly', got %s%s%s",
                         prefix, n->kind == RR_NODE_SCALAR ? "'" : "",
                         n->kind == RR_NODE_SCALAR ? n->str : rr_node_kind_name(n),
                         n->kind == RR_NODE_SCALAR ? "'" : "");
            return -1;
        }
        t[T_HOURLY] = hourly;
        return 0;
    }
    /* `scaling` is read first (the fields' order): a profile says nothing without it. */
    if (parse_profile(t, n, prefix, d) != 0)
        return -1;
    if (t[T_HOURLY] != 1) {
        rr_diags_add(d, n->line, n->col, "%s: applies only with 'scaling: hourly' (instances "
                     "follow the hours of the day); add it, or remove the profile", prefix);
        return -1;
    }
    return 0;
}

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    const rr_input *lo = &c->in[MIN_INST], *hi = &c->in[MAX_INST];
    const rr_input *per = &c->in[PER_INSTANCE], *hour = &c->in[PER_HOUR];
    if (lo->given && hi->given && rr_input_is_const(lo) && rr_input_is_const(hi) &&
        lo->dist.p[0] > hi->dist.p[0])
        rr_diags_add(diags, hi->line, hi->col, "%s: must be >= min_instances (%g), got %g",
                     hi->path, lo->dist.p[0], hi->dist.p[0]);
    if (per->given && hour->given)
        rr_diags_add(diags, hour->line, hour->col, "%s: give one of requests_per_instance (a "
                     "month's) and requests_per_instance_hour, not both", hour->path);
    else if (!per->given && !hour->given)
        rr_diags_add(diags, c->line, c->col, "costs.%s: missing required key "
                     "'requests_per_instance' (or 'requests_per_instance_hour')", c->name);
    const rr_input *hours = &c->in[HOURS];
    if (c->table && c->table[T_HOURLY] == 1 && hours->given)
        rr_diags_add(diags, hours->line, hours->col, "%s: not with 'scaling: hourly', which "
                     "bills the month's own hours (24 a day); remove it", hours->path);
    rr_commitment_check(c, COMMIT, horizon, diags);
}

/* The on-demand rate with a spot share: (1 - share) * rate + share * spot. */
RR_VECTOR_CLONES static void blend(const double *restrict rate, const double *restrict share,
                                   const double *restrict spot, double *restrict out)
{
    for (unsigned l = 0; l < RR_LANES; l++)
        out[l] = (1 - share[l]) * rate[l] + share[l] * spot[l];
}

/* One month's cost of every lane from its demand e: separate arrays, branch-free, rr_vceil
 * for ceil, so that the loops are vectors. */
RR_VECTOR_CLONES static void month_cost(const double *restrict e, const double *restrict per,
                       const double *restrict lo, const double *restrict hi,
                       const double *restrict hours, const double *restrict rate,
                       const double *restrict reserved, const double *restrict res_rate,
                       double *restrict out, double *restrict bound)
{
    double n[RR_LANES];
    for (unsigned l = 0; l < RR_LANES; l++) {
        double x = rr_vceil(e[l] / per[l]);
        bound[l] = x > hi[l] ? 1.0 : 0.0;
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

/* Hourly scaling: hour by hour of the profile; H = 24 D the month's hours. */
RR_VECTOR_CLONES static void hourly_cost(const double *restrict e, const double *restrict per,
                       const double *restrict lo, const double *restrict hi, double H,
                       const double *restrict q, const double *restrict rate,
                       const double *restrict reserved, const double *restrict res_rate,
                       double *restrict out, double *restrict bound)
{
    double x[RR_LANES], extra[RR_LANES], over[RR_LANES];
    const double k = 730 / H;
    for (unsigned l = 0; l < RR_LANES; l++) {
        x[l] = e[l] / per[l];
        extra[l] = over[l] = 0;
    }
    for (int h = 0; h < 24; h++) {
        const double kh = q[h] * k;
        for (unsigned l = 0; l < RR_LANES; l++) {
            double n = rr_vceil(x[l] * kh);
            over[l] = n > hi[l] ? 1.0 : over[l];
            n = n < lo[l] ? lo[l] : n;
            n = n > hi[l] ? hi[l] : n;
            const double r = reserved ? reserved[l] : 0;
            extra[l] += n > r ? n - r : 0;
        }
    }
    for (unsigned l = 0; l < RR_LANES; l++) {
        /* extra / 24 * H: a flat profile's 24 n / 24 is n exactly. */
        const double od = extra[l] / 24 * H * rate[l];
        out[l] = reserved ? reserved[l] * H * res_rate[l] + od : od;
        bound[l] = over[l];
    }
}

static void month(const rr_month *a, double *restrict cost)
{
    const int reserved = (a->given & (1u << RES_INST)) != 0;
    const double *per = a->f[PER_INSTANCE], *rate = a->f[RATE];
    double per_month[RR_LANES], od[RR_LANES], bound[RR_LANES];
    if (!(a->given & (1u << PER_INSTANCE))) {
        for (unsigned l = 0; l < RR_LANES; l++)
            per_month[l] = a->f[PER_HOUR][l] * 730;
        per = per_month;
    }
    if (a->given & (1u << SPOT_SHARE)) {
        blend(a->f[RATE], a->f[SPOT_SHARE], a->f[SPOT_RATE], od);
        rate = od;
    }
    const double *res = reserved ? a->f[RES_INST] : NULL;
    const double *res_rate = reserved ? a->f[RES_RATE] : NULL;
    double *b = a->bound ? a->bound : bound;
    if (a->table && a->table[T_HOURLY] == 1)
        hourly_cost(a->demand, per, a->f[MIN_INST], a->f[MAX_INST], 24 * a->days,
                    a->table + T_PROFILE, rate, res, res_rate, cost, b);
    else
        month_cost(a->demand, per, a->f[MIN_INST], a->f[MAX_INST], a->f[HOURS], rate, res,
                   res_rate, cost, b);
    rr_commitment_apply(a, COMMIT, cost);
}

const rr_component_type rr_compute_type = {
    .name = "compute",
    .summary = "instances that serve demand, billed by the hour of the month or of the day",
    .default_category = RR_CAT_COMPUTE,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 1,
    .capacity = 1,
    .parse = parse,
    .check = check,
    .month = month,
};
