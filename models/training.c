/* training: retraining or fine-tuning jobs that arrive at random.
 *
 * Each month either one job with chance `chance_per_month`, or a Poisson(`jobs_per_month`)
 * number of jobs (exactly one of the two); each job draws its own `gpu_hours`; cost[m] =
 * sum of gpu_hours * hourly_rate.  The job count draws from "costs.NAME:jobs"; job j of
 * month m draws its hours at step (m + 1) + RR_EVENT_STEP * j of its own stream, so a job's
 * hours do not depend on how many jobs came before it.
 */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "model.h"

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

static inline double month(const rr_component *c, double *st, const double *pv, int m, double eff,
                    rr_draw *d)
{
    (void)st;
    (void)eff;
    unsigned jobs;
    if (c->in[CHANCE].given) {
        jobs = (unsigned)rr_model_event(c, rr_model_value(c, pv, CHANCE, m, d), m, d);
    } else {
        double mean = rr_model_value(c, pv, JOBS, m, d);
        if (mean <= RR_DIST_POISSON_INVERT_MAX) {
            jobs = rr_dist_poisson_u(rr_model_event_u(c, m, d), mean);
        } else if (rr_tape_replaying(d)) {
            jobs = (unsigned)rr_tape_next(d);
        } else {
            rr_rng_seek(d->rng, d->seed, c->aux_stream, d->path, (uint32_t)m + 1);
            jobs = (unsigned)rr_tape_put(d, rr_dist_poisson(d->rng, mean));
        }
    }
    if (jobs == 0)
        return 0;
    if (jobs > RR_MAX_EVENTS)
        jobs = RR_MAX_EVENTS;
    const rr_input *h = &c->in[GPU_HOURS];
    double hours;
    if (rr_tape_replaying(d)) {
        hours = rr_tape_next(d);
    } else {
        hours = 0;
        for (unsigned j = 0; j < jobs; j++)
            hours += rr_input_draw(h, d->rng, d->seed, d->path,
                                   (uint32_t)m + 1 + RR_EVENT_STEP * j);
        rr_tape_put(d, hours);
    }
    return hours * rr_model_value(c, pv, RATE, m, d);
}

RR_MONTHS(months, month)

const rr_component_type rr_training_type = {
    .name = "training",
    .default_category = RR_CAT_COMPUTE,
    .fields = fields,
    .nfields = NFIELDS,
    .nstate = 0,
    .aux_suffix = ":jobs",
    .check = check,
    .month = month,
    .months = months,
};
