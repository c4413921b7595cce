/* peer_gsl: the support-agent scenario (scenarios/support-agent.yaml) as a hand-written C loop.
 *
 * A benchmark peer of runrate (issue 5): the same model from the same distributions, the way
 * an engineer would write it by hand with GSL: one generator (gsl_rng_mt19937, or
 * gsl_rng_taus2 when asked), gsl_ran_* for every draw, one path at a time, single-threaded,
 * each path's horizon total kept in an array for the P95.  Parameters are computed once
 * before the loop; the loop computes only the horizon total of each path (runrate computes
 * every statistic it reports).
 *
 * The model (docs/scenario-format.md and the sources in models/), month m = 0..11, January 2027 first:
 *   req[m]  = base * (1 + g)^m * season[m] * noise[m],  noise ~ LogNormal(0, 0.08)
 *   eff[m]  = req[m] * (1 + sum over N[m] ~ Poisson(0.25) spikes of (mult - 1) * days / 30)
 *   chat    = eff * calls * (in (1 - cached) 3 + in cached 0.30 + out 15) / 1e6 * factor[m],
 *             factor *= 0.75 with chance 0.04 at the start of every month, the first included
 *   rerank  = max(2, ceil(eff / 50000)) * 730 * 1.006
 *   retrain = with chance 0.2 a month, one job of triangular(10, 30, 90) hours * 21.96
 *   traces  = eff * 0.001 * 5;   logs = eff * gb_per_request * 0.5
 *   observ  = triangular(900, 1200, 2000), drawn each month
 *   storage = (500 + sum over j <= m of 0.00004 * eff[j]) * 0.023
 *   review  = eff * share * minutes / 60 * 40
 * "A to B" is a lognormal with p5 = A and p95 = B: mu = (ln A + ln B) / 2,
 * sigma = (ln B - ln A) / (2 * 1.6448536269514722).
 *
 * usage: peer_gsl PATHS SEED [mt19937|taus2]
 * prints one JSON line: {"peer": "gsl-mt19937", "paths", "seconds", "paths_per_second",
 * "mean", "p95", "sd", "p95_se"}.  Timing: `seconds` covers the simulation loop only (the
 * draws and the per-path totals); the mean, sd, the sort for the P95 and its standard error
 * come after the clock stops.  p95 is the order statistic of rank ceil(0.95 n); p95_se is
 * its standard error estimated from 20 batches of consecutive paths.
 *
 * build: gcc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror \
 *            bench/peer_gsl.c $(pkg-config --cflags --libs gsl) -lm
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define H 12
#define Z95 1.6448536269514722
#define NBATCH 20

typedef struct lognormal {
    double mu, sigma;
} lognormal;

/* The lognormal whose 5th and 95th percentiles are a and b ("a to b"). */
static lognormal a_to_b(double a, double b)
{
    lognormal l = { 0.5 * (log(a) + log(b)), (log(b) - log(a)) / (2 * Z95) };
    return l;
}

/* GSL has no triangular distribution: invert its CDF. */
static double triangular(const gsl_rng *r, double a, double c, double b)
{
    double u = gsl_rng_uniform(r);
    if (u < (c - a) / (b - a))
        return a + sqrt(u * (b - a) * (c - a));
    return b - sqrt((1 - u) * (b - a) * (b - c));
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The order statistic of rank max(1, ceil(0.95 n)) of x[0..n-1], sorted in place. */
static double p95_of(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
    size_t k = (95 * n + 99) / 100;
    return x[(k > 0 ? k : 1) - 1];
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int usage(void)
{
    fputs("usage: peer_gsl PATHS SEED [mt19937|taus2]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4)
        return usage();
    char *end;
    errno = 0;
    unsigned long long np = strtoull(argv[1], &end, 10);
    if (errno || *end || argv[1][0] == '-' || np < NBATCH || np > (1ull << 32))
        return usage();
    errno = 0;
    unsigned long seed = strtoul(argv[2], &end, 10);
    if (errno || *end || argv[2][0] == '-')
        return usage();
    const char *gen = argc == 4 ? argv[3] : "mt19937";
    const gsl_rng_type *type;
    if (strcmp(gen, "mt19937") == 0)
        type = gsl_rng_mt19937;
    else if (strcmp(gen, "taus2") == 0)
        type = gsl_rng_taus2;
    else
        return usage();
    size_t paths = (size_t)np;

    /* ---- parameters, computed once ---- */
    const lognormal base_ln = a_to_b(60000, 110000);
    const double g_mean = 0.05, g_sd = 0.02, g_lo = -0.02, g_hi = 0.12;
    const double season[12] = { 1.0, 1.0, 1.05, 1.0, 0.95, 0.9, 0.85, 0.9, 1.05, 1.1, 1.1, 1.05 };
    const double noise = 0.08, spike_rate = 0.25;
    const lognormal mult_ln = a_to_b(1.5, 3);
    const double days_lo = 1, days_hi = 4;

    const lognormal in_ln = a_to_b(1200, 4000), out_ln = a_to_b(150, 500);
    const double call_values[4] = { 3, 4, 6, 8 }, call_weights[4] = { 0.3, 0.4, 0.2, 0.1 };
    gsl_ran_discrete_t *calls_table = gsl_ran_discrete_preproc(4, call_weights);
    const double p_in = 3.00, p_out = 15.00, p_cached = 0.30;
    const double pc_chance = 0.04, pc_factor = 0.75;

    const double rr_per_inst = 50000, rr_min = 2, rr_hours = 730, rr_rate = 1.006;
    const double tr_chance = 0.2, tr_rate = 21.96, tr_min = 10, tr_mode = 30, tr_max = 90;
    const double trace_units = 0.001, trace_price = 5.00;
    const lognormal log_ln = a_to_b(0.00002, 0.0004);
    const double log_price = 0.50;
    const double obs_min = 900, obs_mode = 1200, obs_max = 2000;
    const double st_init = 500, st_per_req = 0.00004, st_price = 0.023;
    const lognormal min_ln = a_to_b(8, 12);
    const double review_rate = 40;

    double *totals = malloc(paths * sizeof *totals);
    gsl_rng *r = gsl_rng_alloc(type);
    if (!totals || !r || !calls_table) {
        fputs("peer_gsl: out of memory\n", stderr);
        return 1;
    }
    gsl_rng_set(r, seed);

    /* ---- the timed simulation loop ---- */
    double t0 = now();
    for (size_t p = 0; p < paths; p++) {
        /* Path-level inputs (vary: path). */
        double base = gsl_ran_lognormal(r, base_ln.mu, base_ln.sigma);
        double growth = clamp(g_mean + gsl_ran_gaussian(r, g_sd), g_lo, g_hi);
        double in_tokens = gsl_ran_lognormal(r, in_ln.mu, in_ln.sigma);
        double out_tokens = gsl_ran_lognormal(r, out_ln.mu, out_ln.sigma);
        double calls = call_values[gsl_ran_discrete(r, calls_table)];
        double cached = gsl_ran_beta(r, 6, 4);
        double log_gb = gsl_ran_lognormal(r, log_ln.mu, log_ln.sigma);
        double share = gsl_ran_beta(r, 2, 98);
        double minutes = gsl_ran_lognormal(r, min_ln.mu, min_ln.sigma);
        double per_call = in_tokens * (1 - cached) * p_in + in_tokens * cached * p_cached +
                          out_tokens * p_out;

        double growth_factor = 1, price_factor = 1, stored = st_init, total = 0;
        for (int m = 0; m < H; m++) {
            /* Demand. */
            if (m > 0)
                growth_factor *= 1 + growth;
            double req = base * growth_factor * season[m] * gsl_ran_lognormal(r, 0, noise);
            unsigned spikes = gsl_ran_poisson(r, spike_rate);
            double extra = 0;
            for (unsigned i = 0; i < spikes; i++) {
                double mult = gsl_ran_lognormal(r, mult_ln.mu, mult_ln.sigma);
                double days = gsl_ran_flat(r, days_lo, days_hi);
                extra += (mult - 1) * days / 30;
            }
            double eff = req * (1 + extra);

            /* chat-model: the price cut may come at the start of any month. */
            if (gsl_ran_bernoulli(r, pc_chance))
                price_factor *= pc_factor;
            double chat = eff * calls * per_call / 1e6 * price_factor;
            /* reranker. */
            double inst = ceil(eff / rr_per_inst);
            if (inst < rr_min)
                inst = rr_min;
            double rerank = inst * rr_hours * rr_rate;
            /* retraining. */
            double retrain = 0;
            if (gsl_ran_bernoulli(r, tr_chance))
                retrain = triangular(r, tr_min, tr_mode, tr_max) * tr_rate;
            /* traces, log-ingestion. */
            double traces = eff * trace_units * trace_price;
            double logs = eff * log_gb * log_price;
            /* observability. */
            double obs = triangular(r, obs_min, obs_mode, obs_max);
            /* transcripts: this month's writes are billed this month. */
            stored += st_per_req * eff;
            double storage = stored * st_price;
            /* review. */
            double review = eff * share * minutes / 60 * review_rate;

            total += chat + rerank + retrain + traces + logs + obs + storage + review;
        }
        totals[p] = total;
    }
    double seconds = now() - t0;

    /* ---- statistics, untimed ---- */
    double sum = 0;
    for (size_t p = 0; p < paths; p++)
        sum += totals[p];
    double mean = sum / (double)paths, ss = 0;
    for (size_t p = 0; p < paths; p++)
        ss += (totals[p] - mean) * (totals[p] - mean);
    double sd = sqrt(ss / (double)paths);
    /* Batch P95s first (each sorts its own slice), then the whole sample's. */
    size_t bn = paths / NBATCH;
    double bq[NBATCH], bmean = 0, bss = 0;
    for (int b = 0; b < NBATCH; b++) {
        bq[b] = p95_of(totals + (size_t)b * bn, bn);
        bmean += bq[b] / NBATCH;
    }
    for (int b = 0; b < NBATCH; b++)
        bss += (bq[b] - bmean) * (bq[b] - bmean);
    double p95_se = sqrt(bss / (NBATCH - 1)) / sqrt((double)NBATCH);
    double p95 = p95_of(totals, paths);

    printf("{\"peer\": \"gsl-%s\", \"paths\": %zu, \"seconds\": %.6f, \"paths_per_second\": %.1f, "
           "\"mean\": %.10g, \"p95\": %.10g, \"sd\": %.10g, \"p95_se\": %.6g}\n",
           gen, paths, seconds, (double)paths / seconds, mean, p95, sd, p95_se);
    free(totals);
    gsl_rng_free(r);
    gsl_ran_discrete_free(calls_table);
    return 0;
}
