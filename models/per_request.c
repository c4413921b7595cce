/* per_request: anything billed per unit of demand (traces, OCR pages, vector reads, egress).
 *
 * units[m] = eff * units_per_request; cost[m] = units * unit_price, or with graduated
 * `tiers` the units up to the first bound at its price, those between consecutive bounds at
 * the next price, and the rest at the last entry's price: how cloud price lists work.  A
 * commitment (commitment.h) applies last.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/commitment.h"
#include "models/model.h"
#include "sample/simd.h"
#include "scenario/check.h"

enum { PER_REQUEST, PRICE, TIERS, COMMIT, NFIELDS = COMMIT + 4 };

static const rr_field fields[NFIELDS] = {
    [PER_REQUEST] = { "units_per_request", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED,
                      NAN },
    [PRICE] = { "unit_price", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_POSITIVE, NAN },
    [TIERS] = { "tiers", RR_FIELD_SPECIAL, RR_DOMAIN_NONNEG, 0, NAN },
    RR_COMMITMENT_FIELDS(COMMIT),
};

#define MAX_TIERS 64

/* One tier {up_to, unit_price} into t[0..1] (up_to +inf for the last); 0 or -1. */
static int parse_tier(const rr_node *e, const char *what, int last, double prev, double *t,
                      rr_diags *d)
{
    static const char *const keys[] = { "up_to", "unit_price", NULL };
    char key[160];
    if (rr_check_map(d, e, what))
        return -1;
    int bad = rr_check_keys(d, e, what, keys);
    const rr_node *up = rr_node_get(e, "up_to"), *price = rr_node_get(e, "unit_price");
    if (!price) {
        rr_diags_add(d, e->line, e->col, "%s: missing required key 'unit_price'", what);
        bad = -1;
    } else {
        /* A malformed number has its message; the tier is still read as given. */
        snprintf(key, sizeof key, "%s.unit_price", what);
        if (rr_check_plain(d, price, key, &t[1]) == 0 && !(t[1] >= 0)) {
            rr_diags_add(d, price->line, price->col, "%s.unit_price: must be >= 0, got %g",
                         what, t[1]);
            bad = -1;
        }
    }
    t[0] = INFINITY;
    if (last && up) {
        rr_diags_add(d, up->line, up->col,
                     "%s: the last tier has no 'up_to': it prices all the remaining units", what);
        bad = -1;
    } else if (!last && !up) {
        rr_diags_add(d, e->line, e->col,
                     "%s: missing required key 'up_to' (only the last tier goes without)", what);
        bad = -1;
    } else if (up) {
        snprintf(key, sizeof key, "%s.up_to", what);
        if (rr_check_plain(d, up, key, &t[0]) != 0) {
            bad = -1;
        } else if (!(t[0] > prev)) {
            rr_diags_add(d, up->line, up->col,
                         "%s.up_to: bounds must be positive and increasing, got %g", what, t[0]);
            bad = -1;
        }
    }
    return bad;
}

/* tiers: a list of {up_to, unit_price}, the last with unit_price only, into c->table as
 * (up_to, unit_price) pairs. */
static int parse(rr_component *c, const rr_field *f, const rr_node *n, const char *prefix,
                 rr_diags *d)
{
    (void)f;
    if (n->kind != RR_NODE_SEQ || n->n == 0 || n->n > MAX_TIERS) {
        rr_diags_add(d, n->line, n->col,
                     "%s: expected a list of 1 to %d tiers {up_to, unit_price}, the last with "
                     "unit_price only", prefix, MAX_TIERS);
        return -1;
    }
    double *t = calloc(2 * n->n, sizeof *t);
    if (!t) {
        rr_diags_add(d, n->line, n->col, "out of memory");
        return -1;
    }
    int bad = 0;
    for (size_t i = 0; i < n->n; i++) {
        char what[128];
        snprintf(what, sizeof what, "%s[%zu]", prefix, i);
        if (parse_tier(n->items[i], what, i + 1 == n->n, i ? t[2 * i - 2] : 0, t + 2 * i, d))
            bad = -1;
    }
    if (bad) {
        free(t);
        return -1;
    }
    c->table = t;
    c->ntable = 2 * n->n;
    return 0;
}

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    rr_commitment_check(c, COMMIT, horizon, diags);
    if (c->in[PRICE].given == (c->table != NULL))
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

static void month(const rr_month *a, double *restrict cost)
{
    const double *e = a->demand, *per = a->f[PER_REQUEST], *t = a->table;
    if (!t) {
        units_cost(e, per, a->f[PRICE], cost);
        rr_commitment_apply(a, COMMIT, cost);
        return;
    }
    for (unsigned l = 0; l < RR_LANES; l++) {
        double units = e[l] * per[l], total = 0, below = 0;
        for (size_t i = 0; i < a->ntable && units > below; i += 2) {
            double top = units < t[i] ? units : t[i];
            total += (top - below) * t[i + 1];
            below = top;
        }
        cost[l] = total;
    }
    rr_commitment_apply(a, COMMIT, cost);
}

const rr_component_type rr_per_request_type = {
    .name = "per_request",
    .summary = "anything billed per unit of demand, at one price or by graduated tiers",
    .default_category = RR_CAT_MANAGED_AI,
    .fields = fields,
    .nfields = NFIELDS,
    .follows_demand = 1,
    .parse = parse,
    .check = check,
    .month = month,
};
