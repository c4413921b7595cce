/* plan_draws: how a plan's values and events are drawn.  Private to engine/sample (plan.c
 * builds it, sampler.c reads it): nothing else knows tables, rows or steps.
 *
 * A group of RR_LANES paths draws ahead, in one table of rows x lanes, the positions it is
 * known to seek before it starts: step RR_STEP_PATH of every value drawn once per path,
 * steps 1..H of every monthly value, of the demand's noise and of every event count's
 * uniform.  A row is one (stream, step) for every lane.  Its Philox blocks are made for all
 * of them in one vector pass (rr_rng_batch), then each row's variates (rr_dist_from_words_n,
 * a run of consecutive steps of one stream in one call).  Beyond MAX_ROWS, values are drawn
 * by seeking into rows of their own (`spill`): the same numbers either way.  Events, whose
 * positions are known only once their counts are, draw through lists.
 */
#ifndef RR_PLAN_DRAWS_H
#define RR_PLAN_DRAWS_H

#include "sample/plan.h"
#include "sample/program.h"
#include "sample/rng.h"

/* Rows beyond this many are drawn by seeking: a group's table (rows x lanes of 36 bytes in
 * the batch and the table) must stay small enough to be made for every group without
 * waste. */
#define RR_PLAN_MAX_ROWS 16384

typedef enum rr_value_kind {
    RR_VALUE_CONST,          /* the same in every month and path */
    RR_VALUE_PATH,           /* drawn once per path (RR_STEP_PATH) */
    RR_VALUE_MONTHLY,        /* drawn each month (RR_STEP_MONTH) */
    RR_VALUE_COMPUTED        /* computed from other values by a program (program.h) */
} rr_value_kind;

/* What a computed value changes with, the most changing of what it reads: a path (computed
 * once per path), the month (each month), or the month's requests (each month, after the
 * demand, once with spikes and once without). */
enum { RR_CLASS_CONST, RR_CLASS_PATH, RR_CLASS_MONTHLY, RR_CLASS_DEMAND };

typedef struct rr_plan_value {
    rr_value_kind kind;
    const rr_dist *dist;     /* an input's, or the noise factor's; NULL when computed */
    uint64_t stream;
    int normal;              /* drawn from a standard normal (the noise factor) */
    int32_t row;             /* its first row in the table, or -1 */
    size_t at;               /* CONST, PATH and computed PATH: its row of a group's values;
                              * MONTHLY not in the table: its first row of the spill;
                              * computed MONTHLY, DEMAND: its first row of their months */
    /* RR_VALUE_COMPUTED only: */
    rr_program *prog;        /* owned by the plan */
    int cls;                 /* RR_CLASS_PATH, RR_CLASS_MONTHLY or RR_CLASS_DEMAND */
    int checked;             /* a field's value: one not finite is a fault; then it is held
                              * to [lo, hi], its field's domain */
    double lo, hi;
    const rr_input *src;     /* the input it computes, for messages */
} rr_plan_value;

#define RR_MAX_EVENT_FIELDS 4

typedef struct rr_plan_event {
    int chance;              /* 1: Bernoulli(rate) a month; 0: Poisson(rate) */
    rr_ref rate;
    int rate_stays;          /* the rate is the same in every month of a path */
    uint64_t stream;         /* the count's */
    int32_t row;             /* its uniforms' first row in the table, or -1 */
    size_t spill;            /* ... else its first row of the spill */
    const rr_input *field[RR_MAX_EVENT_FIELDS];   /* drawn anew for each event... */
    rr_ref fref[RR_MAX_EVENT_FIELDS];   /* ...or, where not RR_REF_NONE, the month's value of
                                         * an expression or schedule, for every event */
    size_t nfield;
    double (*term)(const double *v);               /* NULL: counts only */
} rr_plan_event;

/* A row of the table: one (stream, step) for every lane. */
typedef struct rr_plan_row {
    const rr_dist *dist;     /* an input's distribution, or NULL for a raw variate */
    uint64_t stream;
    uint32_t step;
    int from;                /* RR_DIST_FROM_*, or 0: a sampler that may read more words */
    int32_t second;          /* the batch's row of the position's second block, or -1 */
} rr_plan_row;

struct rr_plan_draws {
    rr_plan_value *value;    /* nrefs */
    size_t nvalues;          /* rows of a group's values (CONST and PATH refs) */
    size_t nspill;           /* rows of the spill */
    rr_plan_event *event;    /* nevents */
    rr_rng_span *spans;      /* the table's streams and steps, in row order, then the second
                              * blocks' */
    size_t nspans;
    rr_plan_row *rows;       /* nrows */
    uint32_t *run;           /* nrows: rows from this one on drawn alike at consecutive steps */
    size_t nrows;
    size_t ncorr;            /* the scenario's correlated inputs... */
    rr_ref corr[RR_MAX_CORRELATED];   /* ...and their refs, in rr_correlation order */
    rr_dist noise[RR_MAX_STREAMS];   /* each stream's noise factor: a lognormal of median 1 */
    size_t nmonthly;         /* rows of the computed values of class MONTHLY (H each) */
    size_t ndemand;          /* rows of those of class DEMAND (H each, twice: with and
                              * without spikes) */
    size_t nregs;            /* the most registers a program needs beyond its result */
    double *builtin;         /* RR_NBUILTIN x H x RR_LANES: month, calendar_month, year,
                              * days of each month */
};

#endif
