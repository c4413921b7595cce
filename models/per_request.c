/* per_request: anything billed per unit of demand (traces, OCR pages, vector reads, egress).
 *
 * units[m] = eff * units_per_request; cost[m] = units * unit_price, or with graduated
 * `tiers` the units up to the first bound at its price, those between consecutive bounds at
 * the next price, and the rest at the last entry's price: how cloud price lists work.
 */
#include <math.h>

#include "models/model.h"
#include "sample/simd.h"

enum { PER_REQUEST, PRICE, TIERS, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [PER_REQUEST] = { "units_per_request", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED,
                      NAN },
    [PRICE] = { "unit_price", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_POSITIVE, NAN },
    [TIERS] = { "tiers", RR_FIELD_SPECIAL, RR_DOMAIN_NONNEG, 0, NAN },
};

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    (void)horizon;
    if (c->in[PRICE].given == (c->tiers != NULL))
        rr_diags_add(diags, c->in[PRICE].given ? c->in[PRICE].line : c->line,
                     c->in[PRICE].given ? c->in[PRICE].col : c->col,
                     "costs.%s: give exactly one of unit_price and tiers%s", c->name,
                     c->in[PRICE].given ? ", not both" : "");
}

/* out = e * per * price, lane by lane: a loop of vectors. */
RR_VECTOR_CLONES static void units_cost(const double *restrict e, const double *restrict per,
                       const double *restrict price, double *restrict out)
{
    for (unsigned l = 0; l < RR_LANES; l++)
        out[l] = e[l] * per[l] * price[l];
}

static void lanes(const rr_component *c, double *restrict st, double *restrict st2,
                  const double *pv, int m, const double *restrict eff,
                  const double *restrict req, double *restrict cost, double *restrict base,
                  rr_lanes *L)
{
    (void)st2;
    (void)st;
    double b[NFIELDS][RR_LANES];
    const double *per = RR_LANES_VALUE(c, pv, PER_REQUEST, m, L, b[PER_REQUEST]);
    if (!c->tiers) {
        const double *price = RR_LANES_VALUE(c, pv, PRICE, m, L, b[PRICE]);
        units_cost(eff, per, price, cost);
        if (base)
            units_cost(req, per, price, base);
        return;
    }
    for (int pass = 0; pass < (base ? 2 : 1); pass++) {
        const double *e = pass ? req : eff;
        double *out = pass ? base : cost;
        for (unsigned l = 0; l < RR_LANES; l++) {
            double units = e[l] * per[l], total = 0, below = 0;
            for (size_t i = 0; i < c->ntiers && units > below; i++) {
                double top = units < c->tiers[i].up_to ? units : c->tiers[i].up_to;
                total += (top - below) * c->tiers[i].unit_price;
                below = top;
            }
            out[l] = total;
        }
    }
}

const rr_component_type rr_per_request_type = {
    .name = "per_request",
    .default_category = RR_CAT_MANAGED_AI,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 0,
    .aux_suffix = NULL,
    .check = check,
    .lanes = lanes,
};
