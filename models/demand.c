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

void rr_demand_noise_dist(const rr_demand *dm, rr_dist *d)
{
    rr_dist_init_lognormal_median(d, 1.0, dm->in[RR_DEMAND_NOISE].dist.p[0]);
}

static double value(const rr_demand *dm, const double *pv, int i, int m, rr_draw *d)
{
    return rr_value(&dm->in[i], &pv[i], pv, m, d);
}

double rr_demand_requests(const rr_demand *dm, rr_demand_state *st, const double *pv, int m,
                          rr_draw *d, unsigned *nspikes)
{
    if (m == 0)
        st->growth_factor = 1;
    else
        st->growth_factor *= 1 + value(dm, pv, RR_DEMAND_GROWTH, m, d);
    double r = value(dm, pv, RR_DEMAND_BASE, m, d) * st->growth_factor *
               dm->season[(dm->start_month + m) % 12];
    double sigma = dm->in[RR_DEMAND_NOISE].dist.p[0];
    if (sigma > 0) {
        double f;
        if (!rr_draw_ahead(d, RR_SLOT_NOISE(d->npv, d->ncomp), (uint32_t)m + 1, &f)) {
            rr_rng_seek(d->rng, d->seed, dm->noise_stream, d->path, (uint32_t)m + 1);
            f = rr_rng_gaussian(d->rng);
            rr_dist noise;
            rr_demand_noise_dist(dm, &noise);
            rr_dist_from_normal_n(&noise, &f, 1);
        }
        r *= f;
    }
    *nspikes = 0;
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
    *nspikes = n > RR_MAX_EVENTS ? RR_MAX_EVENTS : n;
    return r;
}

void rr_demand_requests_lanes(const rr_demand *dm, const double *pvl, int H, double *req,
                              unsigned *nspikes, rr_lanes *L)
{
    enum { N = RR_LANES };
    rr_draw *d = L->d;
    const double sigma = dm->in[RR_DEMAND_NOISE].dist.p[0];
    rr_dist noise;
    rr_demand_noise_dist(dm, &noise);
    /* The demand's slots are its field indices (RR_PV_DEMAND). */
    double G[N] = { 0 }, rate_was[N] = { 0 }, p0[N] = { 0 }, bg[N], bb[N], br[N], bf[N];
    enum { CDF_MAX = 40 };
    double cdf[CDF_MAX * N];
    size_t kt = 0;
    int whole = 0;
    const rr_input *rin = &dm->in[RR_DEMAND_SPIKE_RATE];
    const int rate_stays = rin->vary != RR_VARY_MONTHLY || rr_input_is_const(rin);
    for (int m = 0; m < H; m++) {
        double *r = req + (size_t)m * N;
        /* The operations of rr_demand_requests, in its order, on every lane. */
        if (m == 0) {
            for (unsigned l = 0; l < N; l++)
                G[l] = 1;
        } else {
            const double *g = rr_lanes_value(&dm->in[RR_DEMAND_GROWTH],
                                             pvl + (size_t)RR_DEMAND_GROWTH * N, m, L, bg);
            for (unsigned l = 0; l < N; l++)
                G[l] *= 1 + g[l];
        }
        const double *b = rr_lanes_value(&dm->in[RR_DEMAND_BASE],
                                         pvl + (size_t)RR_DEMAND_BASE * N, m, L, bb);
        const double season = dm->season[(dm->start_month + m) % 12];
        for (unsigned l = 0; l < N; l++)
            r[l] = b[l] * G[l] * season;
        if (sigma > 0) {
            const double *f = rr_draw_row(d, RR_SLOT_NOISE(d->npv, d->ncomp), (uint32_t)m + 1);
            if (!f) {
                for (unsigned l = 0; l < N; l++) {
                    rr_lanes_at(L, l < L->nl ? l : 0);
                    rr_rng_seek(d->rng, d->seed, dm->noise_stream, d->path, (uint32_t)m + 1);
                    bf[l] = rr_rng_gaussian(d->rng);
                }
                rr_dist_from_normal_n(&noise, bf, N);
                f = bf;
            }
            for (unsigned l = 0; l < N; l++)
                r[l] *= f[l];
        }
        unsigned *n = nspikes + (size_t)m * N;
        if (!dm->has_spikes) {
            for (unsigned l = 0; l < N; l++)
                n[l] = 0;
            continue;
        }
        const double *rate = rr_lanes_value(&dm->in[RR_DEMAND_SPIKE_RATE],
                                            pvl + (size_t)RR_DEMAND_SPIKE_RATE * N, m, L,
                                            br);
        if (whole)
            continue;   /* counted for the whole horizon at month 0 */
        const double *u = rr_draw_row(d, RR_SLOT_COUNT(d->npv, d->ncomp), (uint32_t)m + 1);
        int inverted = u != NULL;
        for (unsigned l = 0; l < N; l++) {
            inverted &= rate[l] <= RR_DIST_POISSON_INVERT_MAX;
            /* exp(-rate) once per path while the rate stays (a path-level rate: once). */
            if (m == 0 || rate[l] != rate_was[l]) {
                rate_was[l] = rate[l];
                p0[l] = exp(-rate[l]);
            }
        }
        /* A rate that stays all horizon long: the walk's CDF once, then every month's counts
         * by table, the months' uniforms being rows one after the other. */
        if (m == 0) {
            kt = inverted && rate_stays ? rr_dist_poisson_cdf_n(rate, p0, N, cdf, CDF_MAX) : 0;
            whole = kt && rr_draw_row(d, RR_SLOT_COUNT(d->npv, d->ncomp), (uint32_t)H) ==
                              u + (size_t)(H - 1) * N;
            if (whole) {
                rr_dist_poisson_count_n(u, cdf, kt, N, (size_t)H * N, nspikes);
                continue;
            }
        }
        if (inverted && kt) {
            rr_dist_poisson_count_n(u, cdf, kt, N, N, n);
        } else if (inverted) {
            rr_dist_poisson_u0_n(u, rate, p0, n, N);
        } else {
            /* Lane by lane, as rr_demand_requests would. */
            for (unsigned l = 0; l < N; l++) {
                rr_lanes_at(L, l < L->nl ? l : 0);
                if (u && rate[l] <= RR_DIST_POISSON_INVERT_MAX) {
                    n[l] = rr_dist_poisson_u0(u[l], rate[l], p0[l]);
                } else {
                    rr_rng_seek(d->rng, d->seed, dm->count_stream, d->path, (uint32_t)m + 1);
                    n[l] = rr_dist_poisson(d->rng, rate[l]);
                }
            }
        }
        for (unsigned l = 0; l < N; l++)
            n[l] = n[l] > RR_MAX_EVENTS ? RR_MAX_EVENTS : n[l];
    }
}

static uint32_t spike_step(int m, unsigned i)
{
    return (uint32_t)m + 1 + RR_EVENT_STEP * i;
}

double rr_demand_month(const rr_demand *dm, rr_demand_state *st, const double *pv, int m,
                       rr_draw *d, double *req)
{
    unsigned n;
    double r = rr_demand_requests(dm, st, pv, m, d, &n), extra = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t step = spike_step(m, i);
        double mult = rr_input_draw(&dm->in[RR_DEMAND_SPIKE_MULT], d->rng, d->seed, d->path, step);
        double days = rr_input_draw(&dm->in[RR_DEMAND_SPIKE_DAYS], d->rng, d->seed, d->path, step);
        extra += (mult - 1) * days / 30;
    }
    *req = r;
    return rr_demand_effective(dm, r, extra);
}

/* Spikes drawn together, up to a list's worth at a time; each cell's terms are added in
 * spike order, as rr_demand_month adds them. */
typedef struct spike_chunk {
    size_t n;
    uint32_t cell[RR_RNG_LIST_MAX], step[RR_RNG_LIST_MAX];
    uint64_t path[RR_RNG_LIST_MAX];
    double mult[RR_RNG_LIST_MAX], days[RR_RNG_LIST_MAX];
} spike_chunk;

static void spikes_flush(const rr_demand *dm, spike_chunk *c, double *extra, rr_draw *d)
{
    size_t listed =
        rr_input_draw_at(&dm->in[RR_DEMAND_SPIKE_MULT], d->list, d->rng, d->seed, c->path,
                         c->step, c->n, c->mult) +
        rr_input_draw_at(&dm->in[RR_DEMAND_SPIKE_DAYS], d->list, d->rng, d->seed, c->path,
                         c->step, c->n, c->days);
    if (d->listed)
        *d->listed += listed;
    for (size_t j = 0; j < c->n; j++)
        extra[c->cell[j]] += (c->mult[j] - 1) * c->days[j] / 30;
    c->n = 0;
}

void rr_demand_spikes_lanes(const rr_demand *dm, const unsigned *n, int H, double *extra,
                            rr_lanes *L)
{
    spike_chunk c;
    c.n = 0;
    const uint32_t used = L->nl >= 32 ? UINT32_MAX : (UINT32_C(1) << L->nl) - 1;
    for (int m = 0; m < H; m++) {
        /* The lanes with spikes this month, as bits: most have none. */
        const unsigned *nm = n + (size_t)m * RR_LANES;
        uint32_t busy = 0;
        for (unsigned l = 0; l < RR_LANES; l++)
            busy |= (uint32_t)(nm[l] != 0) << l;
        for (busy &= used; busy; busy &= busy - 1) {
            const unsigned l = (unsigned)__builtin_ctz(busy);
            const uint32_t cell = (uint32_t)m * RR_LANES + l;
            for (unsigned i = 0; i < n[cell]; i++) {
                c.cell[c.n] = cell;
                c.path[c.n] = L->path0 + l;
                c.step[c.n] = spike_step(m, i);
                if (++c.n == RR_RNG_LIST_MAX)
                    spikes_flush(dm, &c, extra, L->d);
            }
        }
    }
    if (c.n)
        spikes_flush(dm, &c, extra, L->d);
}
