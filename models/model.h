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

typedef struct rr_draw {
    gsl_rng *rng;
    uint64_t seed;
    uint64_t path;
    int tape_mode;               /* RR_TAPE_* */
    unsigned tape_len, tape_pos;
    int tape_full;               /* recording overflowed: do not replay */
    double tape[RR_TAPE_CAP];
} rr_draw;

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
} rr_component_type;

/* All component types, NULL-terminated, and a look-up by name. */
extern const rr_component_type *const rr_model_types[];
const rr_component_type *rr_model_find(const char *name);

/* The value of an input in month m: its path-level value pv unless it varies monthly. */
static inline double rr_value(const rr_input *in, double pv, int m, rr_draw *d)
{
    if (in->vary != RR_VARY_MONTHLY || rr_input_is_const(in))
        return pv;
    if (rr_tape_replaying(d))
        return rr_tape_next(d);
    return rr_tape_put(d, rr_input_draw(in, d->rng, d->seed, d->path, (uint32_t)m + 1));
}

/* The value of a component's input i in month m. */
static inline double rr_model_value(const rr_component *c, const double *pv, int i, int m,
                                    rr_draw *d)
{
    return rr_value(&c->in[i], pv[i], m, d);
}

/* Whether the component's random event (its aux stream) happens in month m, with chance p. */
static inline int rr_model_event(const rr_component *c, double p, int m, rr_draw *d)
{
    if (rr_tape_replaying(d))
        return rr_tape_next(d) < p;
    rr_rng_seek(d->rng, d->seed, c->aux_stream, d->path, (uint32_t)m + 1);
    return rr_tape_put(d, rr_rng_uniform(d->rng)) < p;
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
} rr_demand_state;

/* Month m's demand.  req receives the requests before spikes; the result is eff[m]. */
double rr_demand_month(const rr_demand *dm, rr_demand_state *st, const double *pv, int m,
                       rr_draw *d, double *req);

#endif
