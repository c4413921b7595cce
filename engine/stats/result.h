/* result: what a run leaves for its statistics, and what they are of.
 *
 * Series: the horizon total, each category present, each component, each month's total and
 * each month's categories, the spike premium (total and categories) and the cost per 1,000
 * requests (horizon and last month), laid out as the rr_result_* index functions say; each
 * a sketch (quantiles) and moments (mean, sd).  Beside them: exact exceedance counts of the
 * budgets, and for every input drawn once per path its co-moments with the total (the
 * drivers of uncertainty).  `about` carries what a report names (the scenario, its
 * components, categories and inputs), so that statistics and reports need nothing else.
 *
 * The run (engine/run) fills a result; engine/stats/summary turns it into records.
 */
#ifndef RR_RESULT_H
#define RR_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/category.h"
#include "scenario/periods.h"
#include "scenario/warn.h"
#include "stats/accum.h"

/* An input of the scenario as the reports name it. */
typedef struct rr_result_input {
    const char *input;               /* its path, "costs.chat-model.input_tokens"; borrowed */
    char text[240];                  /* its distribution: "lognormal(p5=600, p95=2000)"; an
                                      * expression as written; a schedule's entries */
    int monthly;                     /* drawn anew each month */
    int computed;                    /* an expression or a schedule: computed, not drawn */
    const char *file;                /* the file it was written in (a layered scenario's own
                                      * or a base's); borrowed */
    int line;                        /* ... and its line there */
} rr_result_input;

/* A price catalog entry the scenario names (scenario/catalog.h), as the reports cite it. */
typedef struct rr_result_source {
    const char *entry, *checked, *source;   /* borrowed */
} rr_result_source;

/* A field computed by an expression or a schedule, held to its domain [lo, hi]. */
typedef struct rr_result_computed {
    const char *input;               /* its path; borrowed */
    const char *text;                /* the expression as written, or NULL; borrowed */
    int line, col;                   /* where it is written */
    double lo, hi;
} rr_result_computed;

/* What the run was of; strings borrowed from the scenario, which must outlive the result. */
typedef struct rr_result_about {
    const char *file;                /* the scenario's file, or NULL */
    const char *const *layers;       /* the files it extends (diag.h's positions), borrowed */
    size_t nlayers;
    const rr_warnings *warnings;     /* the scenario's load-time warnings (warn.h) */
    const char *scenario, *currency;
    rr_result_source *catalog;       /* the price catalog's entries it names, owned array */
    size_t ncatalog;
    int start_year, start_month;     /* 0 without `start` */
    int has_budget;
    double budget_total, confidence;
    int has_budget_monthly;
    double budget_monthly;
    int has_spikes;
    const char **comp_names;         /* ncomp, owned array */
    const rr_category_info **comp_cat;   /* ncomp, owned array */
    int *comp_line, *comp_col;       /* ncomp each, owned: each component's place in the file */
    size_t ninputs;
    rr_result_input *inputs;         /* the inputs given in the file, in file order; owned */
    const char **driver_names;       /* ndrivers input paths, owned array */
    size_t ncomputed;
    rr_result_computed *computed;    /* the computed fields, owned array */
    const char **stream_names;       /* nstreams, owned array ("default" for one block) */
    size_t *capacity_comp;           /* ncapacity: the components that report capacity
                                      * binding (compute), owned */
    size_t *commitment_comp;         /* ncommitment: the components with a commitment, owned */
    const rr_periods *periods;       /* the years and quarters of the horizon, borrowed */
    int fy_start, fy_label_start;    /* how they were cut (periods.h) */
    size_t nbudget_periods;
    const char **budget_period_label;   /* nbudget_periods, borrowed labels, owned array */
    size_t *budget_period;           /* nbudget_periods: the period's index (years, then
                                      * quarters), owned */
    double *budget_period_amount;    /* nbudget_periods, owned */
} rr_result_about;

/* The total with one driver held at its P10 and at its P90 (swing.h). */
typedef struct rr_result_swing {
    size_t driver;                   /* its index among the drivers */
    double low_value, high_value;
    double p50_low, p50_high, mean_low, mean_high;
} rr_result_swing;

typedef struct rr_result {
    rr_result_about about;
    int horizon;
    size_t ncomp;
    size_t nstreams;                 /* demand streams, at least 1 */
    int ncat;                        /* categories present */
    const rr_category_info *cat[RR_NCAT];   /* their rows, in table order */
    int cat_slot[RR_NCAT];           /* rr_category -> index in cat, or -1 */
    size_t nseries;
    rr_sketch **sketch;              /* nseries */
    rr_moments *moments;             /* nseries, combined in block order */
    uint64_t paths;                  /* paths simulated (fewer than asked when interrupted) */
    uint64_t seed;
    int partial;                     /* interrupted: the paths are not 0..paths-1 */
    uint64_t exceed;                 /* paths whose total > the budget (0 without one) */
    uint64_t *monthly_exceed;        /* horizon: paths whose month total > budget.monthly */
    uint64_t *events_capped;         /* ncomp + nstreams: path-months whose events hit
                                      * RR_MAX_EVENTS, each component's, then each stream's
                                      * spikes */
    uint64_t *clamped;               /* about.ncomputed: path-months whose computed value was
                                      * held to its field's domain */
    size_t ncapacity;
    uint64_t *capacity_bound;        /* ncapacity: path-months whose capacity bound (the
                                      * instances needed exceeded max_instances) */
    size_t ncommitment;              /* components with a commitment: a series each */
    size_t nperiods;                 /* years then quarters (about.periods): 1 + ncat series
                                      * each */
    uint64_t *period_exceed;         /* about.nbudget_periods: paths over each period's budget */
    uint64_t *exhausted;             /* horizon: paths whose cost to the end of the month
                                      * exceeds budget.total (0 without one) */
    size_t ndrivers;
    rr_comoments *driver_mom;        /* ndrivers: each driver with the total, block order */
    double *rank_share;              /* ndrivers: squared rank correlation with the total,
                                      * NaN until measured (swing.h) */
    size_t nswings;
    rr_result_swing *swings;         /* room for ndrivers; nswings of them measured */
    int threads;                     /* threads used */
    uint64_t draws;                  /* random variates drawn */
    double seconds;                  /* wall time of the path loop */
    size_t bytes;                    /* sketch memory at the end */
} rr_result;

/* Series indices. */
static inline size_t rr_result_total(void) { return 0; }
static inline size_t rr_result_cat(const rr_result *r, int slot) { (void)r; return 1 + (size_t)slot; }
static inline size_t rr_result_comp(const rr_result *r, size_t k) { return 1 + (size_t)r->ncat + k; }
static inline size_t rr_result_month(const rr_result *r, int m)
{
    return 1 + (size_t)r->ncat + r->ncomp + (size_t)m;
}
static inline size_t rr_result_month_cat(const rr_result *r, int m, int slot)
{
    return 1 + (size_t)r->ncat + r->ncomp + (size_t)r->horizon + (size_t)m * (size_t)r->ncat +
           (size_t)slot;
}
/* The spike premium (the path's total with spikes minus without): total, then categories. */
static inline size_t rr_result_spike(const rr_result *r)
{
    return 1 + (size_t)r->ncat + r->ncomp + (size_t)r->horizon * (1 + (size_t)r->ncat);
}
static inline size_t rr_result_spike_cat(const rr_result *r, int slot)
{
    return rr_result_spike(r) + 1 + (size_t)slot;
}
/* Each demand stream's requests served (spikes included): over the horizon, then month by
 * month. */
static inline size_t rr_result_demand(const rr_result *r, size_t j)
{
    return rr_result_spike(r) + 1 + (size_t)r->ncat + j * (1 + (size_t)r->horizon);
}
static inline size_t rr_result_demand_month(const rr_result *r, size_t j, int m)
{
    return rr_result_demand(r, j) + 1 + (size_t)m;
}
/* Each commitment's unused amount over the horizon (about.commitment_comp[i]'s). */
static inline size_t rr_result_unused(const rr_result *r, size_t i)
{
    return rr_result_demand(r, r->nstreams) + i;
}
/* Each period's total (years, then quarters), then its categories. */
static inline size_t rr_result_period(const rr_result *r, size_t p)
{
    return rr_result_unused(r, r->ncommitment) + p * (1 + (size_t)r->ncat);
}
static inline size_t rr_result_period_cat(const rr_result *r, size_t p, int slot)
{
    return rr_result_period(r, p) + 1 + (size_t)slot;
}
/* The cost from month 0 to the end of month m. */
static inline size_t rr_result_cumulative(const rr_result *r, int m)
{
    return rr_result_period(r, r->nperiods) + (size_t)m;
}
/* The mean of the last three months' totals (of all months, for a shorter horizon). */
static inline size_t rr_result_last_three(const rr_result *r)
{
    return rr_result_cumulative(r, r->horizon);
}
/* Period p of about.periods: years first. */
static inline const rr_period *rr_result_period_at(const rr_result *r, size_t p)
{
    const rr_periods *ps = r->about.periods;
    return p < ps->nyears ? &ps->years[p] : &ps->quarters[p - ps->nyears];
}
/* Cost per 1,000 requests served (spikes included): over the horizon, and the last month;
 * then each stream's, the cost of the components bound to it per 1,000 of its requests over
 * the horizon.  Every series before these is fed by every path; these only by paths that
 * served some. */
static inline size_t rr_result_unit_horizon(const rr_result *r)
{
    return rr_result_last_three(r) + 1;
}
static inline size_t rr_result_unit_last(const rr_result *r)
{
    return rr_result_unit_horizon(r) + 1;
}
static inline size_t rr_result_unit_stream(const rr_result *r, size_t j)
{
    return rr_result_unit_last(r) + 1 + j;
}

/* Driver i's share of the total's variance: its squared correlation with the total. */
double rr_result_driver_share(const rr_result *r, size_t i);
/* The drivers' indices by decreasing share, equal shares in file order, into order
 * (ndrivers). */
void rr_result_driver_order(const rr_result *r, size_t *order);

/* What a result holds: its sizes. */
typedef struct rr_result_shape {
    int horizon;
    size_t ncomp;
    const rr_category_info *const *comp_cat;   /* ncomp: each component's category */
    size_t nstreams, ninputs, ndrivers, ncomputed, ncapacity, ncommitment;
    const rr_periods *periods;       /* borrowed; NULL: none */
    size_t nbudget_periods;
} rr_result_shape;

/* A result of that shape, every series empty and `about` zeroed but for its arrays; NULL
 * when out of memory. */
rr_result *rr_result_new(const rr_result_shape *shape);
void rr_result_free(rr_result *r);   /* accepts NULL */

/* The per-path difference B - A of two scenarios run on the same paths (common random
 * numbers): the total and every category present in either, with the count of paths where
 * B costs more.  Differences are signed and often exactly 0. */
typedef struct rr_result_diff {
    int ncat;                        /* categories present in A or B */
    const rr_category_info *cat[RR_NCAT];
    int slot_a[RR_NCAT], slot_b[RR_NCAT];   /* the category's slot in A / B, or -1 */
    size_t nseries;                  /* 1 + ncat: the total, then the categories */
    rr_sketch **sketch;
    rr_moments *moments;
    uint64_t b_costlier;             /* paths where B's total > A's */
    uint64_t paths;
} rr_result_diff;

rr_result_diff *rr_result_diff_new(const rr_result *a, const rr_result *b);  /* NULL: memory */
void rr_result_diff_free(rr_result_diff *d);        /* accepts NULL */

#endif
