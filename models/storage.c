/* storage: a store billed per GB-month, filled by demand and by time, emptied by retention.
 *
 * added[m] = gb_per_month + gb_per_request * eff[m] for months m = 1..H, and added[0] =
 * initial_gb (data added just before month 1).  Without retention_months nothing is deleted:
 * stored[m] = initial_gb + sum over 1 <= j <= m of added[j] (the month's own writes
 * included).  With retention_months R (fractional: 7-day logs are 0.23), data is deleted R
 * months after it was added:
 *   stored[m] = sum over k < floor(R) of added[m - k] + (R - floor(R)) * added[m - floor(R)]
 * (added before month 0 is 0).  cost[m] = stored[m] * price_per_gb_month.
 *
 * With retention the state is a ring of the last floor(R) + 1 months' additions and their
 * running sum, so a month costs the same whatever R.
 */
#include <math.h>

#include "models/model.h"
#include "sample/simd.h"

enum { INITIAL, PER_REQUEST, PRICE, PER_MONTH, RETENTION, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [INITIAL] = { "initial_gb", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [PER_REQUEST] = { "gb_per_request", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [PRICE] = { "price_per_gb_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
    [PER_MONTH] = { "gb_per_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [RETENTION] = { "retention_months", RR_FIELD_PLAIN, RR_DOMAIN_NONNEG, RR_IN_POSITIVE, NAN },
};

/* State rows: without retention, the volume grown; with it, the running sum of the window
 * then a ring of W + 1 months' additions, W = floor(R) (held to the horizon + 1: a longer
 * retention deletes nothing within it). */
enum { ST_GROWN = 0, ST_SUM = 0, ST_RING = 1 };

static size_t window(double r, int horizon)
{
    return r < horizon + 1 ? (size_t)floor(r) : (size_t)horizon + 1;
}

static size_t state_rows(const rr_component *c, int horizon)
{
    return c->in[RETENTION].given ? ST_RING + window(c->in[RETENTION].dist.p[0], horizon) + 1
                                  : 1;
}

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    (void)horizon;
    if (!c->in[PER_REQUEST].given && !c->in[PER_MONTH].given)
        rr_diags_add(diags, c->line, c->col, "costs.%s: missing required key 'gb_per_request' "
                     "(or 'gb_per_month', or both)", c->name);
}

/* The stored volume grown by a month's additions, gb_per_month + gb_per_request * eff (the
 * first 0 when absent, and 0 + x is x: a file without it keeps its numbers), and the month's
 * cost: a loop of vectors, as wide as the processor has (simd.h). */
RR_VECTOR_CLONES static void month_cost_timed(const double *restrict e,
                                              const double *restrict per,
                                              const double *restrict monthly,
                                              const double *restrict initial,
                                              const double *restrict price,
                                              double *restrict grown, double *restrict out)
{
    for (unsigned l = 0; l < RR_LANES; l++) {
        grown[l] += monthly[l] + per[l] * e[l];
        out[l] = (initial[l] + grown[l]) * price[l];
    }
}

/* Retention of R = W + frac months: the window's sum gains the month's addition and loses
 * the one that left it (added[m - W]), and the fraction of that one is still stored. */
static void month_retained(const rr_month *a, double *restrict cost, double r, size_t W)
{
    const size_t n = W + 1;   /* ring slots: months m - W .. m */
    const double frac = r - (double)W;
    double *sum = a->state + ST_SUM * RR_LANES, *ring = a->state + ST_RING * RR_LANES;
    const size_t m = (size_t)a->m + 1;   /* 1-based: added[0] is initial_gb */
    const double *e = a->demand, *per = a->f[PER_REQUEST], *monthly = a->f[PER_MONTH];
    if (m == 1)
        for (unsigned l = 0; l < RR_LANES; l++) {
            ring[l] = a->f[INITIAL][l];   /* slot 0: added[0] */
            sum[l] = W > 0 ? ring[l] : 0;
        }
    double *now = ring + (m % n) * RR_LANES;
    /* The slot of added[m - W], in the window until now and leaving it; 0 before month W. */
    const double *gone = ring + ((m + n - W) % n) * RR_LANES;
    const int has_gone = m >= W;
    for (unsigned l = 0; l < RR_LANES; l++) {
        const double add = monthly[l] + per[l] * e[l];
        const double left = has_gone ? gone[l] : 0;
        /* W = 0: nothing is kept whole, the new slot is the leaving one. */
        now[l] = add;
        sum[l] = W > 0 ? (sum[l] - left) + add : 0;
        const double part = W > 0 ? left : add;
        cost[l] = (sum[l] + frac * part) * a->f[PRICE][l];
    }
}

static void month(const rr_month *a, double *restrict cost)
{
    if (a->given & (1u << RETENTION)) {
        /* plain: the same in every lane; the window as state_rows made it. */
        const double r = a->f[RETENTION][0];
        month_retained(a, cost, r, window(r, a->horizon));
        return;
    }
    month_cost_timed(a->demand, a->f[PER_REQUEST], a->f[PER_MONTH], a->f[INITIAL],
                     a->f[PRICE], a->state + ST_GROWN * RR_LANES, cost);
}

const rr_component_type rr_storage_type = {
    .name = "storage",
    .summary = "a store filled by demand and by time, emptied by retention, billed per GB-month",
    .default_category = RR_CAT_STORAGE,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 1,
    .nstate = 1,
    .state_rows = state_rows,
    .check = check,
    .month = month,
};
