/* model_api: a model behind a per-token price list (frontier APIs, Bedrock, batch APIs).
 *
 * cost[m] = eff * calls_per_request * (in * (1 - cached) * p_in + in * cached * p_cached
 *           + out * p_out) / 1e6 * factor[m]
 * where factor starts at 1 and, at the start of every month (the first included), is
 * multiplied by price_change.factor with chance price_change.chance_per_month: a price cut
 * that stays.  The events draw from the stream "costs.NAME.price_change:event".
 */
#include <math.h>

#include "models/model.h"
#include "sample/simd.h"

enum { IN_TOKENS, OUT_TOKENS, CALLS, CACHED_SHARE, P_IN, P_OUT, P_CACHED, PC_CHANCE, PC_FACTOR,
       NFIELDS };

static const rr_field fields[NFIELDS] = {
    [IN_TOKENS] = { "input_tokens", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [OUT_TOKENS] = { "output_tokens", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    [CALLS] = { "calls_per_request", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 1 },
    [CACHED_SHARE] = { "cached_share", RR_FIELD_VALUE, RR_DOMAIN_UNIT, 0, 0 },
    [P_IN] = { "price_per_million.input", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
               RR_IN_REQUIRED | RR_IN_POSITIVE | RR_F_GROUP_REQUIRED, NAN },
    [P_OUT] = { "price_per_million.output", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                RR_IN_REQUIRED | RR_IN_POSITIVE | RR_F_GROUP_REQUIRED, NAN },
    /* Absent: the input price (no caching discount). May be 0: some caches are free. */
    [P_CACHED] = { "price_per_million.cached_input", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, NAN },
    [PC_CHANCE] = { "price_change.chance_per_month", RR_FIELD_VALUE, RR_DOMAIN_UNIT,
                    RR_IN_REQUIRED, NAN },
    [PC_FACTOR] = { "price_change.factor", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED,
                    NAN },
};

/* A price change is an event of chance price_change.chance_per_month each month. */
static const rr_events events = { ".price_change:event", PC_CHANCE, -1, NULL };

enum { ST_FACTOR };

/* A call's price per lane, then a month's cost: loops of vectors, as wide as the processor
 * has (simd.h). */
RR_VECTOR_CLONES static void call_price(const double *restrict in, const double *restrict out,
                                        const double *restrict cached,
                                        const double *restrict p_in,
                                        const double *restrict p_cached,
                                        const double *restrict p_out, double *restrict per_call)
{
    for (unsigned l = 0; l < RR_LANES; l++)
        per_call[l] = in[l] * (1 - cached[l]) * p_in[l] + in[l] * cached[l] * p_cached[l] +
                      out[l] * p_out[l];
}

RR_VECTOR_CLONES static void month_cost(const double *restrict e, const double *restrict calls,
                                        const double *restrict per_call,
                                        const double *restrict factor, double *restrict out)
{
    for (unsigned l = 0; l < RR_LANES; l++)
        out[l] = e[l] * calls[l] * per_call[l] / 1e6 * factor[l];
}

static void month(const rr_month *a, double *restrict cost)
{
    double *restrict factor = a->state + ST_FACTOR * RR_LANES;
    if (a->m == 0)
        for (unsigned l = 0; l < RR_LANES; l++)
            factor[l] = 1;
    if (a->events) {
        const double *f = a->f[PC_FACTOR];
        /* A select, not a branch: the event is random.  x * 1 is x. */
        for (unsigned l = 0; l < RR_LANES; l++)
            factor[l] = factor[l] * (a->events[l] ? f[l] : 1.0);
    }
    /* Without a cached price, cached input costs the input price. */
    const double *p_cached = a->given & (1u << P_CACHED) ? a->f[P_CACHED] : a->f[P_IN];
    double per_call[RR_LANES];
    call_price(a->f[IN_TOKENS], a->f[OUT_TOKENS], a->f[CACHED_SHARE], a->f[P_IN], p_cached,
               a->f[P_OUT], per_call);
    month_cost(a->demand, a->f[CALLS], per_call, factor, cost);
}

const rr_component_type rr_model_api_type = {
    .name = "model_api",
    .summary = "a model behind a per-token price list",
    .default_category = RR_CAT_MANAGED_AI,
    .fields = fields,
    .nfields = NFIELDS,
    .events = &events,
    .follows_demand = 1,
    .nstate = 1,
    .month = month,
};
