#include "stats/track.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rr_track_column(const double *v, uint64_t n, size_t ncols, size_t col, double *x)
{
    for (uint64_t i = 0; i < n; i++)
        x[i] = v[i * ncols + col];
}

void rr_track_weights(const double *v, uint64_t n, size_t ncols, const rr_track_cell *cells,
                      size_t ncells, double tolerance, const double *logw0, double *w,
                      double *ess)
{
    double top = -INFINITY;
    for (uint64_t i = 0; i < n; i++) {
        double lw = logw0 ? logw0[i] : 0;
        for (size_t c = 0; c < ncells; c++) {
            double x = v[i * ncols + cells[c].col];
            double z = x > 0 ? (log(cells[c].actual) - log(x)) / tolerance : RR_TRACK_ZMAX;
            if (z > RR_TRACK_ZMAX)
                z = RR_TRACK_ZMAX;
            else if (z < -RR_TRACK_ZMAX)
                z = -RR_TRACK_ZMAX;
            /* ln of the density of ln a; the -ln(s sqrt(2 pi)) - ln a terms are the same
             * for every path and cancel in the relative weights. */
            lw -= 0.5 * z * z;
        }
        w[i] = lw;
        if (lw > top)
            top = lw;
    }
    double s1 = 0, s2 = 0;
    for (uint64_t i = 0; i < n; i++) {
        w[i] = exp(w[i] - top);
        s1 += w[i];
        s2 += w[i] * w[i];
    }
    *ess = s2 > 0 ? s1 * s1 / s2 : 0;
}

/* A double's bits as an unsigned key in the same order (0 and -0 alike). */
static uint64_t order_key(double x)
{
    uint64_t u;
    if (x == 0)
        x = 0;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | 0x8000000000000000ull;
}

/* The paths' indices in order of x, ties in path order: a stable LSD radix sort on 16-bit
 * digits (linear in n; a comparison sort made track's many bands its slowest part). */
static uint64_t *sorted_order(const double *x, uint64_t n)
{
    uint64_t *key = malloc((n + 1) * sizeof *key), *key2 = malloc((n + 1) * sizeof *key2);
    uint64_t *idx = malloc((n + 1) * sizeof *idx), *idx2 = malloc((n + 1) * sizeof *idx2);
    size_t *count = malloc(65537 * sizeof *count);
    if (!key || !key2 || !idx || !idx2 || !count) {
        free(key), free(key2), free(idx), free(idx2), free(count);
        return NULL;
    }
    for (uint64_t i = 0; i < n; i++) {
        key[i] = order_key(x[i]);
        idx[i] = i;
    }
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65537 * sizeof *count);
        for (uint64_t i = 0; i < n; i++)
            count[((key[i] >> shift) & 0xffff) + 1]++;
        if (n && count[((key[0] >> shift) & 0xffff) + 1] == n)
            continue;   /* every key has this digit: the pass would change nothing */
        for (size_t d = 0; d < 65536; d++)
            count[d + 1] += count[d];
        for (uint64_t i = 0; i < n; i++) {
            size_t at = count[(key[i] >> shift) & 0xffff]++;
            key2[at] = key[i];
            idx2[at] = idx[i];
        }
        uint64_t *t = key;
        key = key2;
        key2 = t;
        t = idx;
        idx = idx2;
        idx2 = t;
    }
    free(key);
    free(key2);
    free(idx2);
    free(count);
    return idx;
}

int rr_track_stats(const double *x, const double *w, uint64_t n, const double *p, size_t np,
                   double *q, double *mean, double *sd)
{
    uint64_t *k = sorted_order(x, n);
    if (!k)
        return -1;
    double W = 0, s1 = 0;
    for (uint64_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        W += wi;
        s1 += wi * x[i];
    }
    *mean = W > 0 ? s1 / W : NAN;
    double s2 = 0;
    for (uint64_t i = 0; i < n; i++) {
        double d = x[i] - *mean;
        s2 += (w ? w[i] : 1.0) * d * d;
    }
    *sd = W > 0 ? sqrt(s2 / W) : NAN;
    for (size_t j = 0; j < np; j++) {
        double target = p[j] * W, c = 0;
        q[j] = n ? x[k[n - 1]] : NAN;
        for (uint64_t i = 0; i < n; i++) {
            double wi = w ? w[k[i]] : 1.0;
            c += wi;
            if (c >= target && wi > 0) {
                q[j] = x[k[i]];
                break;
            }
        }
    }
    free(k);
    return 0;
}

double rr_track_rank(const double *x, uint64_t n, double actual)
{
    uint64_t below = 0, equal = 0;
    for (uint64_t i = 0; i < n; i++) {
        below += x[i] < actual;
        equal += x[i] == actual;
    }
    return n ? ((double)below + 0.5 * (double)equal) / (double)n : NAN;
}

double rr_track_exceed(const double *x, const double *w, uint64_t n, double threshold)
{
    double W = 0, above = 0;
    for (uint64_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        W += wi;
        if (x[i] > threshold)
            above += wi;
    }
    return W > 0 ? above / W : NAN;
}

int rr_track_band_of(const double *x, const double *w, uint64_t n, rr_track_band *b)
{
    static const double p[3] = { 0.05, 0.5, 0.95 };
    double q[3];
    if (rr_track_stats(x, w, n, p, 3, q, &b->mean, &b->sd) != 0)
        return -1;
    b->p5 = q[0];
    b->p50 = q[1];
    b->p95 = q[2];
    return 0;
}

int rr_track_compare(const double *x, uint64_t n, double actual, rr_track_cmp *c)
{
    if (rr_track_band_of(x, NULL, n, &c->forecast) != 0)
        return -1;
    c->observed = 1;
    c->actual = actual;
    c->percentile = rr_track_rank(x, n, actual);
    c->outside = actual < c->forecast.p5 || actual > c->forecast.p95;
    c->variance = actual - c->forecast.p50;
    c->variance_pct = c->forecast.p50 != 0 ? c->variance / c->forecast.p50 : NAN;
    return 0;
}

const char *rr_track_level(double accuracy)
{
    if (isnan(accuracy))
        return NULL;
    return accuracy <= 0.12 ? "run" : accuracy <= 0.15 ? "walk" : accuracy <= 0.20 ? "crawl"
                                                                                  : "beyond crawl";
}

void rr_track_summary_free(rr_track_summary *t)
{
    for (size_t i = 0; t->months && i < t->nmonths; i++) {
        free(t->months[i].comp);
        free(t->months[i].demand);
    }
    free(t->months);
    free(t->rest_month);
    free(t->rest);
    free(t->rest_prior);
    free(t->rest_cum);
    free(t->inputs);
    memset(t, 0, sizeof *t);
}
