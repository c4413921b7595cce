/* training: retraining or fine-tuning jobs that arrive at random.
 *
 * Each month either one job with chance `chance_per_month`, or a Poisson(`jobs_per_month`)
 * number of jobs (exactly one of the two); each job draws its own `gpu_hours`; cost[m] =
 * sum of gpu_hours * hourly_rate.  The job count draws from "costs.NAME:jobs"; job j of
 * month m draws its hours at step (m + 1) + RR_EVENT_STEP * j of its own stream, so a job's
 * hours do not depend on how many jobs came before it.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/model.h"

enum { CHANCE, JOBS, GPU_HOURS, RATE, NFIELDS };

static const rr_field fields[NFIELDS] = {
    [CHANCE] = { "chance_per_month", RR_FIELD_VALUE, RR_DOMAIN_UNIT, 0, NAN },
    [JOBS] = { "jobs_per_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, 0, NAN },
    [GPU_HOURS] = { "gpu_hours", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                    RR_IN_REQUIRED | RR_F_PER_EVENT, NAN },
    [RATE] = { "hourly_rate", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
               RR_IN_REQUIRED | RR_IN_POSITIVE, NAN },
};

static void check(const rr_component *c, int horizon, rr_diags *diags)
{
    (void)horizon;
    if (c->in[CHANCE].given == c->in[JOBS].given) {
        const rr_input *at = c->in[JOBS].given ? &c->in[JOBS] : NULL;
        rr_diags_add(diags, at ? at->line : c->line, at ? at->col : c->col,
                     "costs.%s: give exactly one of chance_per_month and jobs_per_month%s",
                     c->name, at ? ", not both" : "");
    }
}

static void lanes(const rr_component *c, double *restrict st, double *restrict st2,
                  const double *pv, int m, const double *restrict eff,
                  const double *restrict req, double *restrict cost, double *restrict base,
                  rr_lanes *L)
{
    (void)st2;
    (void)req;
    (void)st;
    (void)eff;
    double b[NFIELDS + 1][RR_LANES];
    unsigned jobs[RR_LANES];
    const double *u = rr_lanes_event_u(c, m, L, b[NFIELDS]);
    if (c->in[CHANCE].given) {
        const double *chance = RR_LANES_VALUE(c, pv, CHANCE, m, L, b[CHANCE]);
        for (unsigned l = 0; l < RR_LANES; l++)
            jobs[l] = u[l] < chance[l];
    } else {
        const double *mean = RR_LANES_VALUE(c, pv, JOBS, m, L, b[JOBS]);
        /* Every lane's walk at once, each from its own exp(-mean) (rr_dist_poisson_u's). */
        double p0[RR_LANES];
        int small = 1;
        for (unsigned l = 0; l < RR_LANES; l++) {
            p0[l] = mean[l] > 0 ? exp(-mean[l]) : 1;
            small &= mean[l] <= RR_DIST_POISSON_INVERT_MAX;
        }
        if (small)
            rr_dist_poisson_u0_n(u, mean, p0, jobs, RR_LANES);
        for (unsigned l = 0; l < RR_LANES && !small; l++) {
            if (mean[l] <= RR_DIST_POISSON_INVERT_MAX) {
                jobs[l] = rr_dist_poisson_u(u[l], mean[l]);
            } else {
                rr_draw *d = rr_lanes_at(L, l < L->nl ? l : 0);
                rr_rng_seek(d->rng, d->seed, c->aux_stream, d->path, (uint32_t)m + 1);
                jobs[l] = rr_dist_poisson(d->rng, mean[l]);
            }
        }
    }
    const double *rate = RR_LANES_VALUE(c, pv, RATE, m, L, b[RATE]);
    const rr_input *h = &c->in[GPU_HOURS];
    const double *first = RR_LANES_FIRST_EVENT(c, pv, GPU_HOURS, m, L);
    /* The lanes with jobs, as bits: a branch per lane on a random event mispredicts. */
    uint32_t busy = 0;
    for (unsigned l = 0; l < RR_LANES; l++) {
        cost[l] = 0;
        busy |= (uint32_t)(l < L->nl && jobs[l] != 0) << l;
    }
    for (; busy; busy &= busy - 1) {
        unsigned l = (unsigned)__builtin_ctz(busy);
        unsigned n = jobs[l] > RR_MAX_EVENTS ? RR_MAX_EVENTS : jobs[l];
        rr_draw *d = rr_lanes_at(L, l);
        double hours = 0;
        for (unsigned j = 0; j < n; j++)
            hours += j == 0 && first ? first[l]
                                     : rr_input_draw(h, d->rng, d->seed, d->path,
                                                     (uint32_t)m + 1 + RR_EVENT_STEP * j);
        cost[l] = hours * rate[l];
    }
    /* Jobs do not depend on demand: without spikes they cost the same. */
    if (base)
        memcpy(base, cost, RR_LANES * sizeof *cost);
}

const rr_component_type rr_training_type = {
    .name = "training",
    .default_category = RR_CAT_COMPUTE,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 0,
    .aux_suffix = ":jobs",
    .check = check,
    .lanes = lanes,
};
