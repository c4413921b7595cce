/* demand: the requests a system serves each month.
 *
 * req[m] = base * G[m] * season[calendar month of m] * exp(noise * Z[m]), Z ~ N(0, 1), with
 * G[0] = 1 and G[m] = G[m-1] * (1 + growth): (1 + growth)^m without a pow() per month, and
 * the compounding product of monthly rates when growth varies monthly.  Spikes: a
 * Poisson(per_month) number of them each month, spike i with its own multiplier and days,
 * and eff[m] = max(0, req[m] * (1 + sum of (multiplier - 1) * days / 30)).
 *
 * The engine draws Z (the factor exp(noise * Z) is a lognormal of median 1 and sigma noise,
 * from the stream "demand.noise"), the spike counts ("demand.spikes:count") and each
 * spike's multiplier and days; what is here is the arithmetic.
 */
#include <math.h>

#include "models/model.h"

const rr_field rr_demand_fields[RR_DEMAND_NFIELDS] = {
    [RR_DEMAND_BASE] = { "requests_per_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG, RR_IN_REQUIRED,
                         NAN },
    [RR_DEMAND_GROWTH] = { "growth_per_month", RR_FIELD_VALUE, RR_DOMAIN_GROWTH, 0, 0 },
    [RR_DEMAND_NOISE] = { "noise", RR_FIELD_PLAIN, RR_DOMAIN_NONNEG, 0, 0 },
    [RR_DEMAND_SEASONALITY] = { "seasonality", RR_FIELD_SPECIAL, RR_DOMAIN_NONNEG, 0, NAN },
    [RR_DEMAND_SPIKE_RATE] = { "spikes.per_month", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                               RR_IN_REQUIRED, NAN },
    [RR_DEMAND_SPIKE_MULT] = { "spikes.multiplier", RR_FIELD_VALUE, RR_DOMAIN_NONNEG,
                               RR_IN_REQUIRED | RR_F_PER_EVENT, NAN },
    [RR_DEMAND_SPIKE_DAYS] = { "spikes.days", RR_FIELD_VALUE, RR_DOMAIN_DAYS, RR_F_PER_EVENT,
                               1 },
};

/* A spike of multiplier v[0] for v[1] days adds (v[0] - 1) * v[1] / 30 of a month's
 * demand. */
static double spike_term(const double *v)
{
    return (v[0] - 1) * v[1] / 30;
}

const rr_events rr_demand_spikes = { ".spikes:count", -1, RR_DEMAND_SPIKE_RATE, spike_term };

void rr_demand_requests(int m, double *restrict G, const double *restrict base,
                        const double *restrict growth, double season,
                        const double *restrict noise, double *restrict req)
{
    if (m == 0)
        for (unsigned l = 0; l < RR_LANES; l++)
            G[l] = 1;
    else
        for (unsigned l = 0; l < RR_LANES; l++)
            G[l] *= 1 + growth[l];
    for (unsigned l = 0; l < RR_LANES; l++)
        req[l] = base[l] * G[l] * season;
    if (noise)
        for (unsigned l = 0; l < RR_LANES; l++)
            req[l] *= noise[l];
}
