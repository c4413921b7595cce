/* plan: the compiled model, what a validated scenario becomes before it runs.
 *
 * The plan resolves every field of every component and of the demand into a value the loop
 * reads month by month, a "ref": a constant, a value drawn once per path, one drawn each
 * month, or one computed from others by an expression or a schedule (sample/program.h).  It lists each component's random events (how their count is drawn, what each
 * event draws) and lays out a group's per-lane state.  How and where each value is drawn
 * (ahead in a group's table, in a list, by seeking; which stream, which step) is the plan's
 * private business and the sampler's (sampler.h): the loop sees values, counts and sums.
 *
 * A plan is built once per scenario and is read-only afterwards: threads share it.  It
 * borrows the scenario, which must outlive it, and depends on nothing else (not the seed,
 * not the path count).
 */
#ifndef RR_PLAN_H
#define RR_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "models/model.h"
#include "scenario/diag.h"
#include "scenario/scenario.h"

/* A value of the plan: what a field reads each month (see rr_sampler_values). */
typedef uint32_t rr_ref;
#define RR_REF_NONE UINT32_MAX

typedef struct rr_plan_comp {
    const rr_component *c;           /* borrowed: name, type, category, table, position */
    int stream;                      /* the demand stream it reads, or -1 */
    rr_ref field[RR_MAX_FIELDS];     /* field i's values; per-event fields: RR_REF_NONE */
    unsigned given;                  /* rr_component_given */
    int events;                      /* its event source (rr_sampler_events), or -1 */
    size_t state;                    /* its first row of a group's state */
    int capacity;                    /* its slot among those that report capacity binding
                                      * (rr_month.bound), or -1 */
    int commitment;                  /* its slot among those with a commitment
                                      * (rr_month.unused), or -1 */
} rr_plan_comp;

typedef struct rr_plan_demand {
    rr_ref base, growth;             /* requests_per_month, growth_per_month */
    rr_ref noise;                    /* the month's noise factor, RR_REF_NONE without noise */
    int spikes;                      /* the spikes' event source, or -1 */
    double season[12];
    int start_month;                 /* 0..11 */
} rr_plan_demand;

/* An input drawn once per path, whose share of the total's variance the run measures. */
typedef struct rr_plan_driver {
    const rr_input *input;           /* borrowed from the scenario */
    rr_ref ref;
} rr_plan_driver;

/* A field computed by an expression or a schedule: its values are held to its domain, and
 * the run counts how often that moved one (rr_sampler_clamped). */
typedef struct rr_plan_computed {
    rr_ref ref;
    const rr_input *input;           /* borrowed from the scenario */
} rr_plan_computed;

typedef struct rr_plan_draws rr_plan_draws;

typedef struct rr_plan {
    const rr_scenario *s;            /* borrowed */
    int horizon;
    size_t nstreams;
    rr_plan_demand *streams;         /* nstreams: each demand stream, in file order */
    size_t ncomp;
    rr_plan_comp *comp;              /* ncomp, in file order */
    size_t nstate;                   /* rows of state of all components */
    size_t ncapacity, ncommitment;   /* components with a capacity slot, a commitment slot */
    double *days;                    /* horizon: each month's days (rr_month.days) */
    size_t nrefs, nevents;
    size_t ndrivers;
    rr_plan_driver *drivers;         /* in file order */
    size_t ncomputed;
    rr_plan_computed *computed;      /* the fields computed, in the order they were made */
    rr_plan_draws *draws;            /* how each value is drawn: sampler.c's */
} rr_plan;

/* Compile s.  RR_OK or RR_ERR_NOMEM. */
rr_status rr_plan_new(const rr_scenario *s, rr_plan **out);
void rr_plan_free(rr_plan *p);   /* accepts NULL */

/* The input whose expression a computed ref r evaluates in month m, for messages: the
 * schedule's entry that holds then, a variable's when the expression is only its name;
 * NULL for a ref that is not computed. */
const rr_input *rr_plan_source(const rr_plan *p, rr_ref r, int month);

#endif
