/* findings: warnings from a result's numbers. */
#include "stats/findings.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The threshold beyond which a total is a slip rather than a budget. */
#define TOTAL_HUGE 1e12

static void total_huge(const rr_result *r, rr_warnings *w)
{
    const rr_result_about *ab = &r->about;
    double p50 = rr_sketch_quantile(r->sketch[rr_result_total()], 0.5);
    if (!(p50 > TOTAL_HUGE) || r->ncomp == 0)
        return;
    size_t top = 0;
    for (size_t k = 1; k < r->ncomp; k++)
        if (r->moments[rr_result_comp(r, k)].mean > r->moments[rr_result_comp(r, top)].mean)
            top = k;
    double share = r->moments[rr_result_comp(r, top)].mean /
                   r->moments[rr_result_total()].mean;
    char fix[192];
    snprintf(fix, sizeof fix, "check costs.%s's inputs and the demand's growth: a growth of "
             "2 is +200%% a month", ab->comp_names[top]);
    rr_warnings_add(w, RR_W_TOTAL_HUGE, ab->file, ab->comp_line[top], ab->comp_col[top], fix,
                    "the total's P50 is %.3g %s over %d months; costs.%s makes %.0f%% of its "
                    "mean", p50, ab->currency, r->horizon, ab->comp_names[top], 100 * share);
}

static void events_capped(const rr_result *r, rr_warnings *w)
{
    const rr_result_about *ab = &r->about;
    for (size_t k = 0; k < r->ncomp + r->nstreams; k++) {
        uint64_t n = r->events_capped[k];
        if (!n)
            continue;
        int spikes = k >= r->ncomp;
        char what[128];
        if (!spikes)
            snprintf(what, sizeof what, "costs.%s", ab->comp_names[k]);
        else if (r->nstreams == 1 && strcmp(ab->stream_names[0], "default") == 0)
            snprintf(what, sizeof what, "demand.spikes");
        else
            snprintf(what, sizeof what, "demand.%s.spikes", ab->stream_names[k - r->ncomp]);
        rr_warnings_add(w, RR_W_EVENTS_CAPPED, ab->file, spikes ? 0 : ab->comp_line[k],
                        spikes ? 0 : ab->comp_col[k],
                        spikes ? "check spikes.per_month: it is a number of spikes a month"
                               : "check the event rate: it is a number of events a month, "
                                 "not a total",
                        "%s: in %llu path-months the number of events hit the cap of "
                        "4,095 a month, and was cut there", what, (unsigned long long)n);
    }
}

static void unit_cost_paths(const rr_result *r, rr_warnings *w)
{
    uint64_t h = rr_sketch_count(r->sketch[rr_result_unit_horizon(r)]);
    uint64_t l = rr_sketch_count(r->sketch[rr_result_unit_last(r)]);
    if (h == r->paths && l == r->paths)
        return;
    rr_warnings_add(w, RR_W_UNIT_COST_PATHS, r->about.file, 0, 0,
                    "the cost per 1,000 requests is of the paths that served requests: check "
                    "requests_per_month if demand can be 0",
                    "the cost per 1,000 requests leaves out %llu of %llu paths over the horizon "
                    "and %llu in the last month, which served no request",
                    (unsigned long long)(r->paths - h), (unsigned long long)r->paths,
                    (unsigned long long)(r->paths - l));
}

/* A computed field held to its domain often: the expression says something its field
 * cannot be (a negative cost, a share above 1), most likely by a slip. */
static void expression_clamped(const rr_result *r, rr_warnings *w)
{
    const rr_result_about *ab = &r->about;
    const double cells = (double)r->paths * r->horizon;
    for (size_t i = 0; i < ab->ncomputed; i++) {
        const rr_result_computed *x = &ab->computed[i];
        if (!(r->clamped[i] > 0.05 * cells))
            continue;
        char range[64];
        if (isinf(x->hi))
            snprintf(range, sizeof range, "below %g: held at %g", x->lo, x->lo);
        else
            snprintf(range, sizeof range, "outside [%g, %g]: held at the nearer end", x->lo,
                     x->hi);
        rr_warnings_add(w, RR_W_EXPR_CLAMPED, ab->file, x->line, x->col,
                        "check the expression; to mean the bound, write it: max(0, ...), "
                        "clamp(..., 0, 1)",
                        "%s: in %.1f%% of path-months its value%s%.80s%s%s was %s", x->input,
                        100 * (double)r->clamped[i] / cells, x->text ? " (\"" : "",
                        x->text ? x->text : "", x->text && strlen(x->text) > 80 ? "..." : "",
                        x->text ? "\")" : "", range);
    }
}

/* A pool whose max_instances binds often: its cost is that of the capped pool, and the
 * demand it did not serve is not costed anywhere. */
static void capacity_bound(const rr_result *r, rr_warnings *w)
{
    const rr_result_about *ab = &r->about;
    const double cells = (double)r->paths * r->horizon;
    for (size_t i = 0; i < r->ncapacity; i++) {
        if (!(r->capacity_bound[i] > 0.01 * cells))
            continue;
        const size_t k = ab->capacity_comp[i];
        rr_warnings_add(w, RR_W_CAPACITY_BOUND, ab->file, ab->comp_line[k], ab->comp_col[k],
                        "raise max_instances (or requests_per_instance, with faster serving) "
                        "if the demand must be served; the cost shown is the capped pool's",
                        "costs.%s: in %.1f%% of path-months the instances needed exceeded "
                        "max_instances, and demand went unserved", ab->comp_names[k],
                        100 * (double)r->capacity_bound[i] / cells);
    }
}

void rr_findings(const rr_result *r, rr_warnings *w)
{
    total_huge(r, w);
    events_capped(r, w);
    unit_cost_paths(r, w);
    expression_clamped(r, w);
    capacity_bound(r, w);
}
