/* plausible: the load-time warnings of a valid scenario.
 *
 * Rules keyed by what a value means, not by which component type holds it: any key named
 * `hourly_rate` is an hourly rate, any `price_per_million.*` a model price, so a new type
 * with such keys is checked too.  A rule compares an input's median (the value itself for a
 * constant), which is what a user had in mind when typing it.  Then, for every uncertain
 * input, the share of its draws that its clamp (the user's `clamp` and the value's domain)
 * moves onto its ends, computed exactly from the distribution.
 */
#include "scenario/plausible.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The last dotted part of a path: "hourly_rate" of "costs.gpus.reserved.hourly_rate". */
static const char *leaf(const char *path, char *buf, size_t size)
{
    /* A schedule's entry is its field's: "costs.gpus.hourly_rate.schedule.7". */
    const char *sched = strstr(path, ".schedule.");
    if (sched) {
        snprintf(buf, size, "%.*s", (int)(sched - path), path);
        path = buf;
    }
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

static void check_growth(const rr_scenario *s, const rr_input *in, const char *file,
                         rr_warnings *w)
{
    double g = rr_dist_median(&in->dist);
    if (g > 0.5 || g < -0.5) {
        char fix[96];
        snprintf(fix, sizeof fix, "for %g%% a month write %g", g, g / 100);
        rr_warnings_add(w, RR_W_GROWTH_PERCENT, file, in->line, in->col, fix,
                        "%s: a growth of %g a month (its median) is %+.0f%% a month", in->path,
                        g, g * 100);
        return;
    }
    double x = pow(1 + g, s->horizon - 1);
    char fold[32];
    snprintf(fold, sizeof fold, x < 1e12 ? "%.0f" : "%.3g", x);
    if (x > 1000)
        rr_warnings_add(w, RR_W_GROWTH_COMPOUNDS, file, in->line, in->col,
                        "check that the rate is per month, not per year: 30% a year is "
                        "about 0.022 a month",
                        "%s: at its median of %g a month, demand grows %s-fold over %d "
                        "months", in->path, g, fold, s->horizon);
}

static void check_value(const rr_input *in, const char *file, rr_warnings *w)
{
    char buf[256];
    const char *key = leaf(in->path, buf, sizeof buf);
    double m = rr_dist_median(&in->dist);
    if (strstr(in->path, ".price_per_million.")) {
        if (m > 1000)
            rr_warnings_add(w, RR_W_PRICE_SCALE, file, in->line, in->col,
                            "price_per_million is the price of 1,000,000 tokens; frontier "
                            "models list input at about 1 to 15",
                            "%s: %g per million tokens (its median) is above any model's "
                            "list price", in->path, m);
        else if (m > 0 && m < 0.01)
            rr_warnings_add(w, RR_W_PRICE_SCALE, file, in->line, in->col,
                            "write the price of 1,000,000 tokens: a price per token times "
                            "1,000,000, per 1,000 tokens times 1,000",
                            "%s: %g per million tokens (its median) looks like a price per "
                            "token or per 1,000 tokens", in->path, m);
    } else if (strcmp(key, "hourly_rate") == 0 && m > 1000) {
        rr_warnings_add(w, RR_W_HOURLY_RATE, file, in->line, in->col,
                        "hourly_rate is per hour: divide a monthly rate by 730; an 8-GPU "
                        "H100 instance lists at about 55 an hour",
                        "%s: %g an hour (its median) looks like a monthly rate", in->path, m);
    } else if (strcmp(key, "review_share") == 0 && m > 0.5) {
        rr_warnings_add(w, RR_W_REVIEW_SHARE, file, in->line, in->col,
                        "review_share is a share of the requests: for 5% write 0.05",
                        "%s: a median of %g sends %.0f%% of the requests to people", in->path,
                        m, m * 100);
    }
}

/* "A to B": the 5th and 95th percentiles; B / A beyond 1,000 is usually two units. */
static void check_range(const rr_input *in, const char *file, rr_warnings *w)
{
    const rr_dist *d = &in->dist;
    if (d->kind != RR_DIST_LOGNORMAL || d->user_form != 3 || !(d->user[1] > 1000 * d->user[0]))
        return;
    rr_warnings_add(w, RR_W_RANGE_WIDE, file, in->line, in->col,
                    "\"A to B\" gives the 5th and 95th percentiles: check that both are in "
                    "the same unit",
                    "%s: '%g to %g' spans a factor of %.0f", in->path, d->user[0], d->user[1],
                    d->user[1] / d->user[0]);
}

static void check_clamp(const rr_input *in, const char *file, rr_warnings *w)
{
    double out = rr_dist_outside(&in->dist);
    if (!(out > 0.05))
        return;
    char fix[192];
    snprintf(fix, sizeof fix, "widen its clamp, or choose a distribution that stays within "
             "[%g, %g]: a lognormal or gamma for a positive value, a beta for a share",
             in->dist.lo, in->dist.hi);
    rr_warnings_add(w, RR_W_CLAMP_BINDS, file, in->line, in->col, fix,
                    "%s: %.1f%% of its draws fall outside [%g, %g] and are moved onto its "
                    "ends", in->path, 100 * out, in->dist.lo, in->dist.hi);
}

static void check_input(const rr_input *in, const char *file, rr_warnings *w)
{
    if (!in->given || !in->path)
        return;
    /* A schedule: each of its values.  An expression has no distribution to check (one
     * that folded to a constant is that constant). */
    if (in->schedule) {
        for (size_t i = 0; i < in->schedule->n; i++)
            check_input(&in->schedule->e[i].value, file, w);
        return;
    }
    if (in->expr)
        return;
    check_value(in, file, w);
    check_range(in, file, w);
    check_clamp(in, file, w);
}

/* A share of input tokens read from the cache and one written to it: a token is one or the
 * other, so the model holds the write share to 1 - cached_share where a pair of draws
 * overshoots.  Two constants that overshoot are an error (the type's check). */
static void check_cache_shares(const rr_component *c, const char *file, rr_warnings *w)
{
    const rr_input *cached = NULL, *write = NULL;
    char buf[256];
    for (size_t i = 0; i < c->type->nfields; i++) {
        const rr_input *in = &c->in[i];
        if (!in->given || !in->path || in->expr || in->schedule)
            continue;
        const char *key = leaf(in->path, buf, sizeof buf);
        if (strcmp(key, "cached_share") == 0)
            cached = in;
        else if (strcmp(key, "cache_write_share") == 0)
            write = in;
    }
    if (!cached || !write || (rr_input_is_const(cached) && rr_input_is_const(write)))
        return;
    double qc = rr_dist_quantile(&cached->dist, 0.95), qw = rr_dist_quantile(&write->dist, 0.95);
    if (!(qc + qw > 1))
        return;
    rr_warnings_add(w, RR_W_CACHE_SHARES, file, write->line, write->col,
                    "a token is read from the cache, written to it, or neither: narrow the "
                    "two shares so that they add up to at most 1",
                    "%s: its P95 (%g) and cached_share's (%g) add up to more than 1; in those "
                    "draws the write share is held to 1 - cached_share", write->path, qw, qc);
}

/* A budget for a period the horizon covers in part is compared with the covered months
 * only: a full year's budget against a few months of cost reads as a comfortable margin. */
static void check_budget_periods(const rr_scenario *s, const char *file, rr_warnings *w)
{
    for (size_t i = 0; i < s->nbudget_periods; i++) {
        const rr_budget_period *b = &s->budget_periods[i];
        const rr_period *p = b->quarter ? &s->periods.quarters[b->index]
                                        : &s->periods.years[b->index];
        if (!p->partial)
            continue;
        rr_warnings_add(w, RR_W_BUDGET_PARTIAL, file, b->line, b->col,
                        "give the budget of the covered months, or a horizon that covers the "
                        "whole period",
                        "budget.periods.%s: the horizon covers %d of its %d months; its budget "
                        "is compared with the cost of those months only", b->label,
                        p->to - p->from + 1, b->quarter ? 3 : 12);
    }
}

void rr_plausible_check(const rr_scenario *s, const char *file, rr_warnings *w)
{
    check_budget_periods(s, file, w);
    for (size_t j = 0; j < s->nstreams; j++)
        for (size_t i = 0; i < RR_DEMAND_NFIELDS; i++) {
            const rr_input *in = &s->streams[j].d.in[i];
            if (i == RR_DEMAND_GROWTH && in->given && !in->expr && !in->schedule)
                check_growth(s, in, file, w);
            check_input(in, file, w);
        }
    for (size_t k = 0; k < s->ncomps; k++) {
        for (size_t i = 0; i < s->comps[k].type->nfields; i++)
            check_input(&s->comps[k].in[i], file, w);
        check_cache_shares(&s->comps[k], file, w);
    }
    for (size_t v = 0; v < s->nvars; v++)
        check_input(&s->vars[v].value, file, w);
}
