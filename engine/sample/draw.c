/* draw: values at positions, by seeking or through lists. */
#include "sample/draw.h"

#include <string.h>

#include <gsl/gsl_cdf.h>

#include "models/model.h"

size_t rr_draw_input_list(const rr_input *in, rr_rng_list *l, gsl_rng *r, uint64_t seed,
                          const uint64_t *paths, const uint32_t *steps, size_t n, double *x)
{
    if (!l || rr_input_is_const(in)) {
        for (size_t i = 0; i < n; i++)
            x[i] = rr_draw_input(in, r, seed, paths[i], steps[i]);
        return 0;
    }
    const int from = rr_dist_draws_from(&in->dist);
    size_t listed = 0;
    for (size_t i0 = 0; i0 < n; i0 += RR_RNG_LIST_MAX) {
        const size_t m = n - i0 < RR_RNG_LIST_MAX ? n - i0 : RR_RNG_LIST_MAX;
        rr_rng_list_start(l, seed, in->stream);
        for (size_t i = 0; i < m; i++)
            rr_rng_list_add(l, paths[i0 + i], steps[i0 + i]);
        const rr_positions pos = { .seed = seed, .stream = in->stream, .paths = paths + i0,
                                   .steps = steps + i0 };
        const uint32_t *const w[4] = { rr_rng_list_words(l, 0), rr_rng_list_words(l, 1),
                                       rr_rng_list_words(l, 2), rr_rng_list_words(l, 3) };
        if (rr_dist_blocks(&in->dist) == 2) {
            /* A beta's two blocks: the first kept aside while the list makes the second. */
            uint32_t first[4][RR_RNG_LIST_MAX];
            rr_rng_list_fill(l);
            for (int k = 0; k < 4; k++)
                memcpy(first[k], w[k], m * sizeof first[k][0]);
            rr_rng_list_fill_block(l, 1);
            const uint32_t *const f[4] = { first[0], first[1], first[2], first[3] };
            rr_dist_from_words_n(&in->dist, from, f, w, m, &pos, r, x + i0);
        } else {
            rr_rng_list_fill(l);
            rr_dist_from_words_n(&in->dist, from, w, NULL, m, &pos, r, x + i0);
        }
        listed += from ? m : 0;
    }
    return listed;
}

unsigned rr_draw_count(int chance, double rate, double u, uint64_t stream, gsl_rng *r,
                       uint64_t seed, uint64_t path, uint32_t step)
{
    unsigned n;
    if (chance) {
        n = u < rate;
    } else if (rate <= RR_DIST_POISSON_INVERT_MAX) {
        n = rr_dist_poisson_u(u, rate);
    } else {
        rr_rng_seek(r, seed, stream, path, step);
        n = rr_dist_poisson(r, rate);
    }
    return n > RR_MAX_EVENTS ? RR_MAX_EVENTS : n;
}

void rr_draw_correlated(const rr_correlation *c, gsl_rng *r, uint64_t seed, uint64_t path,
                        double *x)
{
    double z[RR_MAX_CORRELATED] = { 0 };
    for (size_t i = 0; i < c->m; i++) {
        rr_rng_seek(r, seed, c->in[i]->stream, path, RR_STEP_PATH);
        z[i] = rr_rng_gaussian(r);
    }
    for (size_t i = c->m; i-- > 0;) {
        double y = 0;
        for (size_t j = 0; j <= i; j++)
            y += c->chol[i * c->m + j] * z[j];
        /* Keep u inside (0, 1): quantile functions are infinite at the ends. */
        double u = gsl_cdf_ugaussian_P(y);
        if (u < 1e-300)
            u = 1e-300;
        if (u > 1 - 1e-16)
            u = 1 - 1e-16;
        const rr_dist *dist = &c->in[i]->dist;
        double v = rr_dist_quantile(dist, u);
        x[i] = v < dist->lo ? dist->lo : v > dist->hi ? dist->hi : v;
    }
}
