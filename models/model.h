/* model: the interface every cost component type implements, and the demand model.
 *
 * A component type is data plus pure functions, in the way a gsl_rng_type is: the keys it
 * accepts (`fields`: each an uncertain input with a domain, or a plain number), the random
 * events it counts if it has any (`events`), a hook for a key with a shape of its own
 * (`parse`, e.g. per_request's `tiers`), a cross-field check (`check`), and `month`: one
 * month's cost of a group of RR_LANES paths, from that month's values of its fields, its
 * effective demand and its events.
 *
 * Models are arithmetic and nothing else.  They never draw: the engine (engine/sample)
 * resolves every field to its values for the month and lane (a constant, a value drawn once
 * per path, or one drawn for the month), counts each month's events and sums their terms,
 * and hands a model plain arrays.  Models keep no globals and know nothing of threads,
 * files, random streams or the engine's tables.  The engine calls `month` once with the
 * demand after spikes and, for the spike premium, again with the demand without spikes and
 * a state of its own; a type whose cost does not follow demand says so (`follows_demand`
 * 0) and is called once.
 *
 * Adding a component type means adding one file in models/ and one line in the table of
 * models/registry.c (docs/architecture.md, "How to add a component type").
 */
#ifndef RR_MODEL_H
#define RR_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/category.h"
#include "scenario/diag.h"
#include "scenario/input.h"
#include "scenario/node.h"

/* The paths the engine computes together: every array a model reads or writes holds one
 * value per lane. */
#define RR_LANES 16

#define RR_MAX_FIELDS 24   /* fields of one type; bits of a `given` mask */
/* Field flags beyond the RR_IN_* ones of input.h. */
#define RR_F_GROUP_REQUIRED 16u  /* the dotted group holding this key must be present */
#define RR_F_PER_EVENT 32u       /* drawn anew for each event (spike, job): `vary` does not
                                  * apply; the event's term reads it */
#define RR_MAX_EVENTS 4095u      /* events per month and lane: a cap (a count beyond it is a
                                  * slip, and would cost minutes of draws), not a likely count */

typedef enum rr_field_kind {
    RR_FIELD_VALUE,      /* an uncertain input */
    RR_FIELD_PLAIN,      /* a plain number (flags may add RR_IN_INTEGER) */
    RR_FIELD_SPECIAL     /* a shape of its own, parsed by the type's `parse` hook */
} rr_field_kind;

typedef struct rr_field {
    const char *key;     /* "hourly_rate"; a nested key is dotted: "reserved.instances" */
    rr_field_kind kind;
    rr_domain domain;
    unsigned flags;      /* RR_IN_REQUIRED, RR_IN_POSITIVE, RR_IN_INTEGER, RR_F_* */
    double def;          /* value when absent and not required; NAN: none (then 0);
                          * +inf for a plain number: the horizon */
} rr_field;

/* A component's random events: how many happen in a month, and what each adds.  The count
 * is Bernoulli(chance) when the `chance` field is given, Poisson(mean) when the `mean`
 * field is given, and always 0 when neither is.  Each event draws the type's RR_F_PER_EVENT
 * fields anew; `term` makes its contribution from their values (in field order), and the
 * model receives the month's count and the sum of the terms of its events. */
typedef struct rr_events {
    const char *stream;  /* the count's random stream: "costs.NAME" + stream */
    int chance;          /* field index, or -1 */
    int mean;            /* field index, or -1 */
    double (*term)(const double *v);   /* NULL: the count is all the model needs */
} rr_events;

struct rr_component_type;

/* A parsed component: its inputs by field index, plus what its type's `parse` made. */
typedef struct rr_component {
    char *name;                              /* owned */
    const struct rr_component_type *type;
    rr_category category;
    int stream;                              /* the demand stream it is bound to, or -1 */
    int stream_given;                        /* bound by its `demand:` key */
    rr_input in[RR_MAX_FIELDS];              /* in[i] belongs to type->fields[i] */
    double *table;                           /* the `parse` hook's numbers, owned, or NULL */
    size_t ntable;
    int line, col;                           /* the entry in `costs` */
} rr_component;

/* The index of t's field `key` ("commitment.monthly"), or -1. */
int rr_model_field(const struct rr_component_type *t, const char *key);
/* Bit i set when field i of c was given in the file. */
unsigned rr_component_given(const rr_component *c);
/* The plain fields from and until of c, months 1-based and inclusive: each in 1..horizon
 * when given, until >= from; diagnostics at the field.  Nothing when horizon is 0
 * (unknown). */
void rr_model_check_months(const rr_component *c, size_t from, size_t until, int horizon,
                           rr_diags *diags);

/* What a model's month sees.  Every pointer but `state` is read-only; the arrays a model
 * writes (state, cost) overlap nothing it reads, so its loops may take them as restrict. */
typedef struct rr_month {
    int m;                       /* the month, from 0 */
    int horizon;                 /* the months of the run */
    const double *const *f;      /* f[i]: field i's values this month, one per lane */
    unsigned given;              /* bit i: field i was given in the file (else its default) */
    const double *demand;        /* the month's effective demand, per lane */
    const unsigned *events;      /* types with events: the month's count, per lane */
    const double *event_sum;     /* ... and the sum of those events' terms (0 without) */
    const double *table;         /* the component's `table`, or NULL */
    size_t ntable;
    double days;                 /* the month's days: its calendar days with `start`, else
                                  * 730 / 24 (the expressions' `days`) */
    double *state;               /* the state's rows of RR_LANES, zero before month 0 */
    /* What the run reports of the month beside its cost, per lane; NULL when not asked
     * (the call without spikes), else the model writes every lane. */
    double *bound;               /* types with `capacity`: 1 when the capacity needed
                                  * exceeded the most the component may have, else 0 */
    double *unused;              /* components with a commitment: its unused amount */
} rr_month;

typedef struct rr_component_type {
    const char *name;                /* the `type:` in the file */
    const char *summary;             /* one line: what it bills, and how */
    int default_category;            /* an rr_category, or -1: the file must name one */
    const rr_field *fields;
    size_t nfields;
    const rr_events *events;         /* NULL: no random events */
    int follows_demand;              /* 0: `month` reads no demand (its fields' expressions
                                      * may still read `requests`) */
    size_t nstate;                   /* rows of per-lane state */
    /* The rows a component needs when they depend on its plain fields (storage's
     * retention): overrides nstate; NULL: nstate. */
    size_t (*state_rows)(const rr_component *c, int horizon);
    int capacity;                    /* `month` reports when its capacity binds (a->bound) */
    /* A RR_FIELD_SPECIAL field given at node: fill c->table.  0, or -1 after adding
     * diagnostics (at prefix, "costs.NAME.KEY"). */
    int (*parse)(rr_component *c, const rr_field *f, const rr_node *node, const char *prefix,
                 rr_diags *diags);
    /* Cross-field constraints, on fields that parsed; adds diagnostics, positions from the
     * component's inputs.  horizon is 0 when horizon_months is itself in error. */
    void (*check)(const rr_component *c, int horizon, rr_diags *diags);
    /* Month a->m's cost of every lane into cost[l]. */
    void (*month)(const rr_month *a, double *restrict cost);
} rr_component_type;

/* All component types, NULL-terminated, in the order the docs list them. */
extern const rr_component_type *const rr_model_types[];
const rr_component_type *rr_model_find(const char *name);
/* For messages and suggestions: the first cap - 1 types' names into names, NULL-terminated
 * (returns how many), and "model_api, compute, ..." into buf (returns buf).  RR_MAX_TYPES
 * entries are enough for every type. */
#define RR_MAX_TYPES 32
size_t rr_model_type_names(const char **names, size_t cap);
const char *rr_model_type_list(char *buf, size_t size);

/* ---- demand ---- */

enum {
    RR_DEMAND_BASE,          /* requests_per_month */
    RR_DEMAND_GROWTH,        /* growth_per_month */
    RR_DEMAND_NOISE,         /* noise (plain) */
    RR_DEMAND_SEASONALITY,   /* special */
    RR_DEMAND_SPIKE_RATE,    /* spikes.per_month */
    RR_DEMAND_SPIKE_MULT,    /* spikes.multiplier (per spike) */
    RR_DEMAND_SPIKE_DAYS,    /* spikes.days (per spike) */
    RR_DEMAND_NFIELDS
};

extern const rr_field rr_demand_fields[RR_DEMAND_NFIELDS];
/* Spikes: a Poisson(spikes.per_month) number of them a month, each with its multiplier and
 * days; the month's sum of terms is what spikes add to demand: see rr_demand_effective. */
extern const rr_events rr_demand_spikes;

typedef struct rr_demand {
    rr_input in[RR_DEMAND_NFIELDS];
    double season[12];       /* multipliers by calendar month, Jan..Dec; all 1 when absent */
    int start_month;         /* 0..11: the calendar month of month 0 (0 without `start`) */
    int has_spikes;
} rr_demand;

/* Month m's requests before spikes, every lane: base * G[m] * season * noise, where the
 * growth factor G (one per lane, the caller's) is 1 at m = 0 and G[m-1] * (1 + growth)
 * after: (1 + growth)^m without a pow(), or the compounding product of monthly rates.
 * growth is not read at m = 0; noise is the month's lognormal factor exp(sigma Z), or NULL
 * without noise. */
void rr_demand_requests(int m, double *restrict G, const double *restrict base,
                        const double *restrict growth, double season,
                        const double *restrict noise, double *restrict req);

/* Demand after spikes: max(0, req * (1 + extra)), extra being the sum of the month's spike
 * terms (multiplier - 1) * days / 30; req itself without spikes. */
static inline double rr_demand_effective(int has_spikes, double req, double extra)
{
    /* Spikes with multipliers below 1 lower demand, but never below none at all. */
    double t = req * (1 + extra);
    t = t > 0 ? t : 0;
    return has_spikes ? t : req;
}

#endif
