/* demand: the requests a system serves each month of one path.
 *
 * req[m] = base * G[m] * season[calendar month of m] * exp(noise * Z[m]), Z ~ N(0, 1), with
 * G[0] = 1 and G[m] = G[m-1] * (1 + growth): (1 + growth)^m without a pow() per month, and
 * the compounding product of monthly rates when growth varies monthly.  Spikes: a
 * Poisson(per_month) number of them each month, spike i with its own multiplier and days
 * (drawn at step (m + 1) + RR_EVENT_STEP * i of their streams), and
 * eff[m] = max(0, req[m] * (1 + sum of (multiplier - 1) * days / 30)).
 */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "model.h"

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

static double value(const rr_demand *dm, const double *pv, int i, int m, rr_draw *d)
{
    return rr_value(&dm->in[i], &pv[i], pv, m, d);
}

double rr_demand_month(const rr_demand *dm, rr_demand_state *st, const double *pv, int m,
                       rr_draw *d, double *req)
{
    if (m == 0)
        st->growth_factor = 1;
    else
        st->growth_factor *= 1 + value(dm, pv, RR_DEMAND_GROWTH, m, d);
    double r = value(dm, pv, RR_DEMAND_BASE, m, d) * st->growth_factor *
               dm->season[(dm->start_month + m) % 12];
    double sigma = dm->in[RR_DEMAND_NOISE].dist.p[0];
    if (sigma > 0) {
        double z;
        if (!rr_draw_ahead(d, RR_SLOT_NOISE(d->npv, d->ncomp), (uint32_t)m + 1, &z)) {
            rr_rng_seek(d->rng, d->seed, dm->noise_stream, d->path, (uint32_t)m + 1);
            z = rr_rng_gaussian(d->rng);
        }
        r *= exp(sigma * z);
    }
    *req = r;
    if (!dm->has_spikes)
        return r;
    double rate = value(dm, pv, RR_DEMAND_SPIKE_RATE, m, d);
    double u;
    unsigned n;
    if (rate <= RR_DIST_POISSON_INVERT_MAX &&
        rr_draw_ahead(d, RR_SLOT_COUNT(d->npv, d->ncomp), (uint32_t)m + 1, &u)) {
        if (rate != st->rate || m == 0) {
            st->rate = rate;
            st->p0 = exp(-rate);
        }
        n = rr_dist_poisson_u0(u, rate, st->p0);
    } else {
        rr_rng_seek(d->rng, d->seed, dm->count_stream, d->path, (uint32_t)m + 1);
        n = rr_dist_poisson(d->rng, rate);
    }
    if (n > RR_MAX_EVENTS)
        n = RR_MAX_EVENTS;
    double extra = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t step = (uint32_t)m + 1 + RR_EVENT_STEP * i;
        double mult = rr_input_draw(&dm->in[RR_DEMAND_SPIKE_MULT], d->rng, d->seed, d->path, step);
        double days = rr_input_draw(&dm->in[RR_DEMAND_SPIKE_DAYS], d->rng, d->seed, d->path, step);
        extra += (mult - 1) * days / 30;
    }
    /* Spikes with multipliers below 1 lower demand, but never below none at all. */
    double eff = r * (1 + extra);
    return eff > 0 ? eff : 0;
}
