/* model: the interface every cost component type implements, and the demand model.
 *
 * A component type is data plus two pure functions, in the way a gsl_rng_type is: a table
 * of the keys it accepts (each an uncertain input with a domain, or a plain number), an
 * optional cross-field check, and `lanes`, which turns one month's effective demand into a
 * cost for a group of RR_LANES paths at once (and, for the spike premium, the same month's
 * cost without spikes).  The engine draws every path-level input once per path into `pv`
 * (indexed like the field table, then by lane) and the monthly draws ahead into a table;
 * `lanes` reads them through RR_LANES_VALUE() and rr_lanes_event_u(), which draw by seeking
 * whatever the table lacks, and RR_LANES_FIRST_EVENT() (a month's first event drawn ahead,
 * or NULL: seek).  Models keep no globals and know nothing of threads or files:
 * adding a component type means adding one file and one line in the table in registry.c.
 */
#ifndef RR_MODEL_H
#define RR_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/diag.h"
#include "scenario/input.h"

typedef enum rr_category {
    RR_CAT_COMPUTE,      /* GPU/CPU compute for inference and training */
    RR_CAT_MANAGED_AI,   /* model APIs and managed AI services */
    RR_CAT_MLOPS,        /* logging, monitoring, alerting, tracing */
    RR_CAT_STORAGE,      /* storage and data transfer */
    RR_CAT_OVERSIGHT,    /* human oversight and support */
    RR_NCAT
} rr_category;

const char *rr_category_name(rr_category c);
/* The category of a name, or -1. */
int rr_category_find(const char *name);

#define RR_MAX_FIELDS 16
#define RR_MAX_TIERS 64
/* Field flags beyond the RR_IN_* ones of input.h. */
#define RR_F_GROUP_REQUIRED 16u  /* the dotted group holding this key must be present */
#define RR_F_PER_EVENT 32u       /* drawn per event (spike, job): `vary` does not apply */
/* Per-event draws use step (month + 1) + RR_EVENT_STEP * event index of their stream. */
#define RR_EVENT_STEP 256u
#define RR_MAX_EVENTS 16777215u  /* events per month and stream: a cap, not a likely count */

typedef enum rr_field_kind {
    RR_FIELD_VALUE,      /* an uncertain input */
    RR_FIELD_PLAIN,      /* a plain number (flags may add RR_IN_INTEGER) */
    RR_FIELD_SPECIAL     /* parsed by its owner (tiers, seasonality) */
} rr_field_kind;

typedef struct rr_field {
    const char *key;     /* "hourly_rate"; a nested key is dotted: "reserved.instances" */
    rr_field_kind kind;
    rr_domain domain;
    unsigned flags;      /* RR_IN_REQUIRED, RR_IN_POSITIVE, RR_IN_INTEGER */
    double def;          /* value when absent and not required; NAN: no default */
} rr_field;

typedef struct rr_tier {
    double up_to;        /* cumulative units per month; +inf for the last tier */
    double unit_price;
} rr_tier;

struct rr_component_type;

/* A parsed component: its inputs by field index, plus type-specific extras. */
typedef struct rr_component {
    char *name;                              /* owned */
    const struct rr_component_type *type;
    rr_category category;
    rr_input in[RR_MAX_FIELDS];              /* in[i] belongs to type->fields[i] */
    rr_tier *tiers;                          /* per_request tiers, owned, or NULL */
    size_t ntiers;
    int line, col;                           /* the entry in `costs` */
    uint64_t aux_stream;                     /* "costs.NAME" + type->aux_suffix */
} rr_component;

/* What a model needs to draw: the generator of the calling thread and the path's place,
 * and the values the engine drew ahead for a group of paths. */
struct rr_component;

typedef struct rr_draw {
    gsl_rng *rng;
    uint64_t seed;
    uint64_t path;
    /* Values drawn ahead by the engine, or tab NULL.  Every draw has a slot: an input its
     * index in the path's input values, a component's events RR_SLOT_AUX(npv, k), the
     * demand's noise and spike counts RR_SLOT_NOISE/RR_SLOT_COUNT.  The value at (slot, step)
     * of lane `lane` is tab[(row[slot] + step - lo[slot]) * RR_LANES + lane] when
     * row[slot] >= 0 and step - lo[slot] < n[slot]; otherwise it is drawn by seeking.  Either
     * way it is the same number (see rr_dist_from_normal_n). */
    const double *tab;
    const int32_t *row;
    const uint32_t *lo, *n;
    unsigned lane;
    const struct rr_component *comps;
    size_t npv, ncomp;
    /* For draws whose positions a group learns as it runs (events): made together through
     * list when it is not NULL, counted in *listed. */
    rr_rng_list *list;
    uint64_t *listed;
} rr_draw;

#define RR_LANES RR_RNG_LANES
#define RR_SLOT_AUX(npv, k) ((npv) + (k))
#define RR_SLOT_NOISE(npv, ncomp) ((npv) + (ncomp))
#define RR_SLOT_COUNT(npv, ncomp) ((npv) + (ncomp) + 1)

/* The table's row of (slot, step): RR_LANES values, or NULL when it has none. */
static inline const double *rr_draw_row(const rr_draw *d, size_t slot, uint32_t step)
{
    if (!d->tab)
        return NULL;
    int32_t r = d->row[slot];
    uint32_t k = step - d->lo[slot];
    if (r < 0 || k >= d->n[slot])
        return NULL;
    return d->tab + ((size_t)r + k) * RR_LANES;
}

/* The value drawn ahead at (slot, step) for d's lane into *x: 1, or 0 when there is none. */
static inline int rr_draw_ahead(const rr_draw *d, size_t slot, uint32_t step, double *x)
{
    const double *row = rr_draw_row(d, slot, step);
    if (!row)
        return 0;
    *x = row[d->lane];
    return 1;
}

/* A group of RR_LANES paths, path0 + l for lane l, of which the first nl are in use.  A
 * component's values are laid out by field, then lane: field i of lane l at pv[i * RR_LANES
 * + l]; so is its state.  Models compute every lane alike (lanes beyond nl carry harmless
 * values), so that the loops over lanes are vectors. */
typedef struct rr_lanes {
    rr_draw *d;              /* for draws made lane by lane: lane and path are set here */
    uint64_t path0;
    unsigned nl;
    const double *pv0;       /* the group's input values: slot s of lane l at pv0[s*RR_LANES+l] */
} rr_lanes;

/* d at lane l. */
static inline rr_draw *rr_lanes_at(rr_lanes *L, unsigned l)
{
    L->d->lane = l;
    L->d->path = L->path0 + l;
    return L->d;
}

/* An input's values in month m, one per lane: pv itself for a constant or a path-level
 * input (pv points at the input's row of the values), the table's row for a monthly one, or
 * else drawn lane by lane into buf. */
static inline const double *rr_lanes_value(const rr_input *in, const double *pv, int m,
                                           rr_lanes *L, double *buf)
{
    if (in->vary != RR_VARY_MONTHLY || rr_input_is_const(in))
        return pv;
    const uint32_t step = (uint32_t)m + 1;
    const double *row = L->d->tab ? rr_draw_row(L->d, (size_t)(pv - L->pv0) / RR_LANES, step)
                                  : NULL;
    if (row)
        return row;
    for (unsigned l = 0; l < RR_LANES; l++) {
        rr_draw *d = rr_lanes_at(L, l < L->nl ? l : 0);
        buf[l] = rr_input_draw(in, d->rng, d->seed, d->path, step);
    }
    return buf;
}

/* Field i of component c in month m, every lane; buf: RR_LANES doubles of the caller's. */
#define RR_LANES_VALUE(c, pv, i, m, L, buf) \
    rr_lanes_value(&(c)->in[i], (pv) + (size_t)(i) * RR_LANES, m, L, buf)

/* The values of per-event field i of component c for the first event of month m (step
 * m + 1), every lane, as drawn ahead; NULL when the engine drew none (then draw by seeking). */
#define RR_LANES_FIRST_EVENT(c, pv, i, m, L)                                                  \
    ((L)->d->tab ? rr_draw_row((L)->d, (size_t)((pv) + (size_t)(i) * RR_LANES - (L)->pv0) /  \
                                           RR_LANES,                                          \
                               (uint32_t)(m) + 1)                                             \
                 : NULL)

/* The uniforms of the component's random events (its aux stream) in month m, every lane. */
static inline const double *rr_lanes_event_u(const rr_component *c, int m, rr_lanes *L,
                                             double *buf)
{
    const uint32_t step = (uint32_t)m + 1;
    rr_draw *d = L->d;
    const double *row =
        d->tab ? rr_draw_row(d, RR_SLOT_AUX(d->npv, (size_t)(c - d->comps)), step) : NULL;
    if (row)
        return row;
    for (unsigned l = 0; l < RR_LANES; l++) {
        rr_lanes_at(L, l < L->nl ? l : 0);
        rr_rng_seek(d->rng, d->seed, c->aux_stream, d->path, step);
        buf[l] = rr_rng_uniform(d->rng);
    }
    return buf;
}

typedef struct rr_component_type {
    const char *name;                /* the `type:` in the file */
    int default_category;            /* an rr_category, or -1: the file must name one */
    const rr_field *fields;
    size_t nfields;
    size_t nstate;                   /* doubles of per-path state */
    const char *aux_suffix;          /* the stream of the type's random events, or NULL */
    /* Cross-field constraints; adds diagnostics, positions from the component's inputs.
     * horizon is 0 when horizon_months is itself in error. */
    void (*check)(const rr_component *c, int horizon, rr_diags *diags);
    /* Month m's cost (m from 0) of every lane of L from each lane's effective demand eff[l]
     * into cost[l]; and when base is not NULL, the same month's cost on the demand without
     * spikes req[l] into base[l], with its own state2 (for the spike premium).  The states
     * (nstate rows of RR_LANES each) are zeroed at the start of each path; pv holds the
     * path-level values of c->in by field and lane.  What a model draws depends only on the
     * lanes' paths and the month, never on demand, so both costs see the same draws.  The
     * arrays a model writes (states, costs) overlap nothing else it is given: definitions
     * may say restrict, so that their loops become vectors. */
    void (*lanes)(const rr_component *c, double *state, double *state2, const double *pv,
                  int m, const double *eff, const double *req, double *cost, double *base,
                  rr_lanes *L);
} rr_component_type;

/* All component types, NULL-terminated, and a look-up by name. */
extern const rr_component_type *const rr_model_types[];
const rr_component_type *rr_model_find(const char *name);

/* One path's month m through c->type->lanes, for tests and tools: pv holds the path's
 * values of c->in, state its nstate doubles (zeroed before month 0); draws by seeking. */
double rr_model_month(const rr_component *c, double *state, const double *pv, int m, double eff,
                      rr_draw *d);

/* The value of an input in month m, for one path (the demand's): its path-level value *pv
 * unless it varies monthly.  pv points into the path's input values (pv0). */
static inline double rr_value(const rr_input *in, const double *pv, const double *pv0, int m,
                              rr_draw *d)
{
    if (in->vary != RR_VARY_MONTHLY || rr_input_is_const(in))
        return *pv;
    double x;
    if (d->tab && rr_draw_ahead(d, (size_t)(pv - pv0), (uint32_t)m + 1, &x))
        return x;
    return rr_input_draw(in, d->rng, d->seed, d->path, (uint32_t)m + 1);
}

/* ---- demand ---- */

enum {
    RR_DEMAND_BASE,          /* requests_per_month */
    RR_DEMAND_GROWTH,        /* growth_per_month */
    RR_DEMAND_NOISE,         /* noise (plain) */
    RR_DEMAND_SEASONALITY,   /* special */
    RR_DEMAND_SPIKE_RATE,    /* spikes.per_month */
    RR_DEMAND_SPIKE_MULT,    /* spikes.multiplier */
    RR_DEMAND_SPIKE_DAYS,    /* spikes.days */
    RR_DEMAND_NFIELDS
};

extern const rr_field rr_demand_fields[RR_DEMAND_NFIELDS];

typedef struct rr_demand {
    rr_input in[RR_DEMAND_NFIELDS];
    double season[12];       /* multipliers by calendar month, Jan..Dec; all 1 when absent */
    int start_month;         /* 0..11: the calendar month of month 0 (0 without `start`) */
    int has_spikes;
    uint64_t noise_stream;   /* "demand.noise" */
    uint64_t count_stream;   /* "demand.spikes:count" */
} rr_demand;

/* Per-path demand state, zeroed at the start of a path. */
typedef struct rr_demand_state {
    double growth_factor;    /* G[m] */
    double rate, p0;         /* the last spike rate and exp(-rate): one exp per path */
} rr_demand_state;

/* The lognormal factor exp(noise * Z) of a month's noise, as a distribution of Z: the
 * engine's table holds these factors (slot RR_SLOT_NOISE), so that their exps are made as
 * vectors with the other lognormals.  Owns nothing. */
void rr_demand_noise_dist(const rr_demand *dm, rr_dist *d);

/* Month m's demand.  req receives the requests before spikes; the result is eff[m]. */
double rr_demand_month(const rr_demand *dm, rr_demand_state *st, const double *pv, int m,
                       rr_draw *d, double *req);

/* rr_demand_month in two steps, for a group of paths: month m's requests before spikes (the
 * result) and its number of spikes (*nspikes; 0 without spikes), then every spike of the
 * group's months at once, and rr_demand_effective.  The same numbers. */
double rr_demand_requests(const rr_demand *dm, rr_demand_state *st, const double *pv, int m,
                          rr_draw *d, unsigned *nspikes);
/* rr_demand_requests for every lane of a group and month m < H: req[m * RR_LANES + l] and
 * nspikes[m * RR_LANES + l], from the inputs by slot then lane (pvl). */
void rr_demand_requests_lanes(const rr_demand *dm, const double *pvl, int H, double *req,
                              unsigned *nspikes, rr_lanes *L);
/* extra[m * RR_LANES + l] += the terms (multiplier - 1) * days / 30 of lane l's
 * n[m * RR_LANES + l] spikes in month m, for lanes l < L->nl and months m < H. */
void rr_demand_spikes_lanes(const rr_demand *dm, const unsigned *n, int H, double *extra,
                            rr_lanes *L);
/* Demand after spikes: max(0, req * (1 + extra)), or req itself without spikes. */
static inline double rr_demand_effective(const rr_demand *dm, double req, double extra)
{
    if (!dm->has_spikes)
        return req;
    /* Spikes with multipliers below 1 lower demand, but never below none at all. */
    double eff = req * (1 + extra);
    return eff > 0 ? eff : 0;
}

#endif
