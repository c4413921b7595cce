/* training: retraining or fine-tuning jobs that arrive at random.
 *
 * Each month either one job with chance `chance_per_month`, or a Poisson(`jobs_per_month`)
 * number of jobs (exactly one of the two); each job draws its own `gpu_hours`; cost[m] =
 * sum of gpu_hours * hourly_rate.  The job count draws from "costs.NAME:jobs", and each job
 * draws its hours from the stream of gpu_hours at its own position, so a job's hours do not
 * depend on how many jobs came before it.
 */
#include <math.h>

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

/* A job's term is its GPU hours (its only per-event field). */
static double job_hours(const double *v)
{
    return v[0];
}

static const rr_events events = { ":jobs", CHANCE, JOBS, job_hours };

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

static void month(const rr_month *a, double *restrict cost)
{
    const double *rate = a->f[RATE], *hours = a->event_sum;
    for (unsigned l = 0; l < RR_LANES; l++)
        cost[l] = hours[l] * rate[l];
}

const rr_component_type rr_training_type = {
    .name = "training",
    .summary = "retraining or fine-tuning jobs that arrive at random, billed by GPU-hour",
    .default_category = RR_CAT_COMPUTE,
    .fields = fields,
    .nfields = NFIELDS,
    .events = &events,
    .follows_demand = 0,
    .check = check,
    .month = month,
};
