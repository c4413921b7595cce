/* model: the interface every cost component type implements, and the demand model.
 *
 * A component type is data plus two pure functions, in the way a gsl_rng_type is: a table
 * of the keys it accepts (each an uncertain input with a domain, or a plain number), an
 * optional cross-field check, and `month`, which turns one month's effective demand into a
 * cost.  The engine draws every path-level input once per path into `pv` (indexed like the
 * field table); `month` draws monthly inputs itself through rr_model_value().  Models keep
 * no globals and know nothing of threads or files: adding a component type means adding one
 * file and one line in the table in registry.c.
 */
#ifndef RR_MODEL_H
#define RR_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "input.h"

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

/* What a model needs to draw: the generator of the calling thread and the path's place.
 *
 * The tape: the engine evaluates a component twice in a month that has spikes (with and
 * without them, for the spike premium).  Draws do not depend on demand, so the second pass
 * replays the first one's values from the tape instead of drawing them again.  Models draw
 * through rr_value(), rr_model_event() and rr_tape_*, which record or replay; a tape that
 * fills up stops recording, and the second pass then draws afresh (the same values: every
 * draw is positioned). */
#define RR_TAPE_CAP 256

enum { RR_TAPE_OFF, RR_TAPE_RECORD, RR_TAPE_REPLAY };

struct rr_component;

typedef struct rr_draw {
    gsl_rng *rng;
    uint64_t seed;
    uint64_t path;
    /* Values drawn ahead for this path by the engine, or tab NULL.  Every draw has a slot:
     * an input its index in the path's input values (pv0), a component's events
     * RR_SLOT_AUX(npv, k), the demand's noise and spike counts RR_SLOT_NOISE/RR_SLOT_COUNT.
     * The value at (slot, step) is tab[(row[slot] + step - lo[slot]) * RR_RNG_LANES + lane]
     * when row[slot] >= 0 and step - lo[slot] < n[slot]; otherwise it is drawn here.  Either
     * way it is the same number (see rr_dist_from_normal). */
    const double *tab;
    const int32_t *row;
    const uint32_t *lo, *n;
    unsigned lane;
    const double *pv0;
    const struct rr_component *comps;
    size_t npv, ncomp;
    int tape_mode;               /* RR_TAPE_* */
    unsigned tape_len, tape_pos;
    int tape_full;               /* recording overflowed: do not replay */
    double tape[RR_TAPE_CAP];
} rr_draw;

#define RR_SLOT_AUX(npv, k) ((npv) + (k))
#define RR_SLOT_NOISE(npv, ncomp) ((npv) + (ncomp))
#define RR_SLOT_COUNT(npv, ncomp) ((npv) + (ncomp) + 1)

/* The value drawn ahead at (slot, step) into *x: 1, or 0 when there is none. */
static inline int rr_draw_ahead(const rr_draw *d, size_t slot, uint32_t step, double *x)
{
    if (!d->tab)
        return 0;
    int32_t r = d->row[slot];
    uint32_t k = step - d->lo[slot];
    if (r < 0 || k >= d->n[slot])
        return 0;
    *x = d->tab[((size_t)r + k) * RR_RNG_LANES + d->lane];
    return 1;
}

static inline int rr_tape_replaying(const rr_draw *d)
{
    return d->tape_mode == RR_TAPE_REPLAY;
}

static inline double rr_tape_next(rr_draw *d)
{
    return d->tape[d->tape_pos++];
}

/* Record x when recording; returns x. */
static inline double rr_tape_put(rr_draw *d, double x)
{
    if (d->tape_mode == RR_TAPE_RECORD) {
        if (d->tape_len < RR_TAPE_CAP)
            d->tape[d->tape_len++] = x;
        else
            d->tape_full = 1;
    }
    return x;
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
    /* Month m's cost (m from 0) given effective demand `eff`.  state is zeroed at the start
     * of each path; pv holds the path-level values of c->in. */
    double (*month)(const rr_component *c, double *state, const double *pv, int m, double eff,
                    rr_draw *d);
    /* Months m0 .. m1-1 in a row: cost[m] = month(c, state, pv, m, eff[m], d).  One call per
     * stretch of months instead of one per month; RR_MONTHS writes it from `month`. */
    void (*months)(const rr_component *c, double *state, const double *pv, int m0, int m1,
                   const double *eff, double *cost, rr_draw *d);
} rr_component_type;

/* Define `name` as the months() of a type whose month() is `month` (in the same file, so
 * that the compiler inlines it into the loop). */
#define RR_MONTHS(name, month)                                                               \
    static void name(const rr_component *c, double *st, const double *pv, int m0, int m1,     \
                     const double *eff, double *cost, rr_draw *d)                             \
    {                                                                                         \
        for (int m = m0; m < m1; m++)                                                         \
            cost[m] = month(c, st, pv, m, eff[m], d);                                         \
    }

/* All component types, NULL-terminated, and a look-up by name. */
extern const rr_component_type *const rr_model_types[];
const rr_component_type *rr_model_find(const char *name);

/* The value of an input in month m: its path-level value *pv unless it varies monthly.
 * pv points into the path's input values. */
static inline double rr_value(const rr_input *in, const double *pv, int m, rr_draw *d)
{
    if (in->vary != RR_VARY_MONTHLY || rr_input_is_const(in))
        return *pv;
    /* Values drawn ahead are the same in both runs of a month: only draws made here go on
     * the tape. */
    double x;
    if (d->tab && rr_draw_ahead(d, (size_t)(pv - d->pv0), (uint32_t)m + 1, &x))
        return x;
    if (rr_tape_replaying(d))
        return rr_tape_next(d);
    return rr_tape_put(d, rr_input_draw(in, d->rng, d->seed, d->path, (uint32_t)m + 1));
}

/* The value of a component's input i in month m. */
static inline double rr_model_value(const rr_component *c, const double *pv, int i, int m,
                                    rr_draw *d)
{
    return rr_value(&c->in[i], &pv[i], m, d);
}

/* The uniform of the component's random events (its aux stream) in month m. */
static inline double rr_model_event_u(const rr_component *c, int m, rr_draw *d)
{
    double u;
    if (d->tab &&
        rr_draw_ahead(d, RR_SLOT_AUX(d->npv, (size_t)(c - d->comps)), (uint32_t)m + 1, &u))
        return u;
    if (rr_tape_replaying(d))
        return rr_tape_next(d);
    rr_rng_seek(d->rng, d->seed, c->aux_stream, d->path, (uint32_t)m + 1);
    return rr_tape_put(d, rr_rng_uniform(d->rng));
}

/* Whether the component's random event happens in month m, with chance p. */
static inline int rr_model_event(const rr_component *c, double p, int m, rr_draw *d)
{
    return rr_model_event_u(c, m, d) < p;
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

/* Month m's demand.  req receives the requests before spikes; the result is eff[m]. */
double rr_demand_month(const rr_demand *dm, rr_demand_state *st, const double *pv, int m,
                       rr_draw *d, double *req);

#endif
