/* model_api: a model behind a per-token price list (frontier APIs, Bedrock, batch APIs,
 * embeddings).
 *
 * cost[m] = eff * calls_per_request * (in * ((1 - c - w) * p_in + c * p_cached + w * p_write)
 *           + out * p_out) / 1e6 * (1 - batch_share * batch_discount) * factor[m]
 * with c = cached_share, w = cache_write_share (held to at most 1 - c), p_cached and p_write
 * the input price when absent, out 0 when output_tokens is absent (embeddings, moderation);
 * factor starts at 1 and, at the start of every month (the first included), is multiplied
 * by price_change.factor with chance price_change.chance_per_month: a price cut that stays.
 * The events draw from the stream "costs.NAME.price_change:event".  A commitment
 * (commitment.h) applies last.
 */
#include <math.h>

#include "models/commitment.h"
#include "models/model.h"
#include "sample/simd.h"

enum { IN_TOKENS, OUT_TOKENS, CALLS, CACHED_SHARE, P_IN, P_OUT, P_CACHED, PC_CHANCE, PC_FACTOR,
       BATCH_SHARE, BATCH_DISCOUNT, WRITE_SHARE, P_WRITE, COMMIT, NFIELDS = COMMIT + 4 };

static const rr_field fields[NFIELDS] = {
    [IN_TOKENS] = { "input_tokens", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED, NAN },
    /* Absent: none (embeddings, moderation); given, it needs its price. */
    [OUT_TOKENS] = { "output_tokens", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 0 },
    [CALLS] = { "calls_per_request", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, 1 },
    [CACHED_SHARE] = { "cached_share", RR_FIELD_VALUE, RR_DOMAIN_UNIT, 0, 0 },
    [P_IN] = { "price_per_million.input", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
               RR_IN_REQUIRED | RR_IN_POSITIVE | RR_F_GROUP_REQUIRED, NAN },
    [P_OUT] = { "price_per_million.output", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, NAN },
    /* Absent: the input price (no caching discount). May be 0: some caches are free. */
    [P_CACHED] = { "price_per_million.cached_input", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, NAN },
    [PC_CHANCE] = { "price_change.chance_per_month", RR_FIELD_VALUE, RR_DOMAIN_UNIT,
                    RR_IN_REQUIRED, NAN },
    [PC_FACTOR] = { "price_change.factor", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED,
                    NAN },
    [BATCH_SHARE] = { "batch_share", RR_FIELD_VALUE, RR_DOMAIN_UNIT, 0, 0 },
    /* OpenAI's and Anthropic's batch APIs bill half the list price. */
    [BATCH_DISCOUNT] = { "price_per_million.batch_discount", RR_FIELD_VALUE, RR_DOMAIN_UNIT, 0,
                         0.5 },
    [WRITE_SHARE] = { "cache_write_share", RR_FIELD_VALUE, RR_DOMAIN_UNIT, 0, 0 },
    /* Absent: the input price. */
    [P_WRITE] = { "price_per_million.cache_write", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, NAN },
    RR_COMMITMENT_FIELDS(COMMIT),
};

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    const rr_input *out = &c->in[OUT_TOKENS], *c_sh = &c->in[CACHED_SHARE],
                   *w_sh = &c->in[WRITE_SHARE];
    if (out->given && !c->in[P_OUT].given)
        rr_diags_add(diags, out->line, out->col, "costs.%s.price_per_million: missing required "
                     "key 'output' (output_tokens is given; it may be 0)", c->name);
    if (w_sh->given && rr_input_is_const(w_sh) && rr_input_is_const(c_sh) &&
        w_sh->dist.p[0] > 1 - c_sh->dist.p[0])
        rr_diags_add(diags, w_sh->line, w_sh->col, "%s: must be at most 1 - cached_share (%g), "
                     "got %g: a token is read from the cache, written to it, or neither",
                     w_sh->path, 1 - c_sh->dist.p[0], w_sh->dist.p[0]);
    rr_commitment_check(c, COMMIT, horizon, diags);
}

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

/* With cache writes: the share w of input tokens at the write price, w held to 1 - cached
 * (a drawn pair may overshoot; a constant one is an error). */
RR_VECTOR_CLONES static void call_price_writes(const double *restrict in,
                                               const double *restrict out,
                                               const double *restrict cached,
                                               const double *restrict write,
                                               const double *restrict p_in,
                                               const double *restrict p_cached,
                                               const double *restrict p_write,
                                               const double *restrict p_out,
                                               double *restrict per_call)
{
    for (unsigned l = 0; l < RR_LANES; l++) {
        const double room = 1 - cached[l], w = write[l] < room ? write[l] : room;
        per_call[l] = in[l] * ((room - w) * p_in[l] + cached[l] * p_cached[l] +
                               w * p_write[l]) + out[l] * p_out[l];
    }
}

/* The batch API's discount on its share of the calls. */
RR_VECTOR_CLONES static void batch(const double *restrict share,
                                   const double *restrict discount, double *restrict cost)
{
    for (unsigned l = 0; l < RR_LANES; l++)
        cost[l] = cost[l] * (1 - share[l] * discount[l]);
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
    if (a->given & (1u << WRITE_SHARE))
        call_price_writes(a->f[IN_TOKENS], a->f[OUT_TOKENS], a->f[CACHED_SHARE],
                          a->f[WRITE_SHARE], a->f[P_IN], p_cached,
                          a->given & (1u << P_WRITE) ? a->f[P_WRITE] : a->f[P_IN], a->f[P_OUT],
                          per_call);
    else
        call_price(a->f[IN_TOKENS], a->f[OUT_TOKENS], a->f[CACHED_SHARE], a->f[P_IN], p_cached,
                   a->f[P_OUT], per_call);
    month_cost(a->demand, a->f[CALLS], per_call, factor, cost);
    if (a->given & (1u << BATCH_SHARE))
        batch(a->f[BATCH_SHARE], a->f[BATCH_DISCOUNT], cost);
    rr_commitment_apply(a, COMMIT, cost);
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
    .check = check,
    .month = month,
};
