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

static void lanes(const rr_component *c, double *restrict st, double *restrict st2,
                  const double *pv, int m, const double *restrict eff,
                  const double *restrict req, double *restrict cost, double *restrict base,
                  rr_lanes *L)
{
    (void)st2;   /* the price factor does not depend on demand: one state serves both */
    double b[NFIELDS + 1][RR_LANES];
    double *factor = st + ST_FACTOR * RR_LANES;
    if (m == 0)
        for (unsigned l = 0; l < RR_LANES; l++)
            factor[l] = 1;
    if (c->in[PC_CHANCE].given) {
        const double *chance = RR_LANES_VALUE(c, pv, PC_CHANCE, m, L, b[PC_CHANCE]);
        const double *f = RR_LANES_VALUE(c, pv, PC_FACTOR, m, L, b[PC_FACTOR]);
        const double *u = rr_lanes_event_u(c, m, L, b[NFIELDS]);
        /* A select, not a branch: the event is random. */
        for (unsigned l = 0; l < RR_LANES; l++)
            factor[l] = factor[l] * (u[l] < chance[l] ? f[l] : 1.0);   /* x * 1 is x */
    }
    const double *in = RR_LANES_VALUE(c, pv, IN_TOKENS, m, L, b[IN_TOKENS]);
    const double *out = RR_LANES_VALUE(c, pv, OUT_TOKENS, m, L, b[OUT_TOKENS]);
    const double *cached = RR_LANES_VALUE(c, pv, CACHED_SHARE, m, L, b[CACHED_SHARE]);
    const double *p_in = RR_LANES_VALUE(c, pv, P_IN, m, L, b[P_IN]);
    const double *p_cached =
        c->in[P_CACHED].given ? RR_LANES_VALUE(c, pv, P_CACHED, m, L, b[P_CACHED]) : p_in;
    const double *p_out = RR_LANES_VALUE(c, pv, P_OUT, m, L, b[P_OUT]);
    const double *calls = RR_LANES_VALUE(c, pv, CALLS, m, L, b[CALLS]);
    double per_call[RR_LANES];
    call_price(in, out, cached, p_in, p_cached, p_out, per_call);
    month_cost(eff, calls, per_call, factor, cost);
    if (base)
        month_cost(req, calls, per_call, factor, base);
}

const rr_component_type rr_model_api_type = {
    .name = "model_api",
    .default_category = RR_CAT_MANAGED_AI,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 1,
    .aux_suffix = ".price_change:event",
    .check = NULL,
    .lanes = lanes,
};
