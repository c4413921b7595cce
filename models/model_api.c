/* model_api: a model behind a per-token price list (frontier APIs, Bedrock, batch APIs).
 *
 * cost[m] = eff * calls_per_request * (in * (1 - cached) * p_in + in * cached * p_cached
 *           + out * p_out) / 1e6 * factor[m]
 * where factor starts at 1 and, at the start of every month (the first included), is
 * multiplied by price_change.factor with chance price_change.chance_per_month: a price cut
 * that stays.  The events draw from the stream "costs.NAME.price_change:event".
 */
#include <math.h>

#include "model.h"

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

static inline double month(const rr_component *c, double *st, const double *pv, int m, double eff,
                    rr_draw *d)
{
    if (m == 0)
        st[ST_FACTOR] = 1;
    if (c->in[PC_CHANCE].given) {
        if (rr_model_event(c, rr_model_value(c, pv, PC_CHANCE, m, d), m, d))
            st[ST_FACTOR] *= rr_model_value(c, pv, PC_FACTOR, m, d);
    }
    double in = rr_model_value(c, pv, IN_TOKENS, m, d);
    double out = rr_model_value(c, pv, OUT_TOKENS, m, d);
    double cached = rr_model_value(c, pv, CACHED_SHARE, m, d);
    double p_in = rr_model_value(c, pv, P_IN, m, d);
    double p_cached = c->in[P_CACHED].given ? rr_model_value(c, pv, P_CACHED, m, d) : p_in;
    double p_out = rr_model_value(c, pv, P_OUT, m, d);
    double per_call = in * (1 - cached) * p_in + in * cached * p_cached + out * p_out;
    return eff * rr_model_value(c, pv, CALLS, m, d) * per_call / 1e6 * st[ST_FACTOR];
}

RR_MONTHS(months, month)

const rr_component_type rr_model_api_type = {
    .name = "model_api",
    .default_category = RR_CAT_MANAGED_AI,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 1,
    .aux_suffix = ".price_change:event",
    .check = NULL,
    .month = month,
    .months = months,
};
