/* observed: a bill's lines summed into the cells of a scenario's horizon (runrate track).
 *
 * Each line goes to the month of its charge (the horizon's months from the scenario's
 * `start`) and to a target: the first rule of the scenario's `actuals.map` that matches it
 * (a component or a category), else its FOCUS ServiceCategory's category (Compute ->
 * compute, AI and Machine Learning -> managed_ai, Management and Governance -> mlops,
 * Storage and Networking -> storage), else nowhere: unmapped, kept with its ServiceName.
 * A plain row names its target.  Tax lines are left out and counted; months outside the
 * horizon (or after --through) are left out and counted.  A cell with no line is
 * unobserved, not zero.
 */
#ifndef RR_OBSERVED_H
#define RR_OBSERVED_H

#include <stddef.h>

#include "actuals/bill.h"
#include "scenario/scenario.h"

#define RR_OBSERVED_TOP_SERVICES 10

typedef struct rr_observed_service {
    char name[96];
    double total;
} rr_observed_service;

typedef struct rr_observed {
    int horizon;
    size_t ncomp, nstreams;
    int months;                      /* months observed: 0..months-1 (the last one with a
                                      * line, or --through's) */
    double *cat;                     /* horizon x RR_NCAT: the lines' sum */
    unsigned char *cat_seen;         /* horizon x RR_NCAT: some line went there */
    unsigned char *cat_direct;       /* horizon x RR_NCAT: some line went to the category
                                      * itself, not to one of its components */
    double *comp;                    /* horizon x ncomp */
    unsigned char *comp_seen;
    double *demand;                  /* horizon x nstreams: requests served */
    unsigned char *demand_seen;
    double unmapped;                 /* lines that map nowhere (tax excluded) */
    size_t nunmapped_lines;
    rr_observed_service services[RR_OBSERVED_TOP_SERVICES];   /* the largest, by |total| */
    size_t nservices;
    double mapped;                   /* lines that map somewhere */
    double tax;                      /* Tax lines, left out */
    size_t ntax;
    size_t before, after;            /* lines of months before `start`, after the horizon or
                                      * --through: left out */
} rr_observed;

/* Sum the bill's lines into o for scenario s, months up to through (0-based month of the
 * horizon; -1: every month with lines).  0, or -1 with located messages (a currency other
 * than the scenario's, a plain row's unknown target) or when out of memory. */
int rr_observed_build(const rr_scenario *s, const rr_bill *b, int through, rr_observed *o,
                      rr_diags *d);
/* Served requests per month (and stream) into o.  0, or -1 with messages. */
int rr_observed_demand(const rr_scenario *s, const char *path, int through, rr_observed *o,
                       rr_diags *d);
void rr_observed_free(rr_observed *o);

/* The month of the horizon (0-based) of a calendar month, given s's start; may be < 0 or
 * >= horizon. */
int rr_observed_month_index(const rr_scenario *s, int year, int month);

#endif
