/* draw: where each random number of a simulation sits, and a value drawn there.
 *
 * Every draw is positioned by (seed, stream, path, step) (rng.h), so that its value depends
 * on nothing but that position.  The stream names what is drawn: an input's path
 * ("costs.chat-model.input_tokens", hashed), or an event count's ("costs.retraining:jobs",
 * "demand.spikes:count"), or the demand's noise ("demand.noise").  The step says when:
 *
 *   RR_STEP_PATH        0                      a value drawn once per path
 *   RR_STEP_MONTH(m)    m + 1                  month m's value, count or noise (m from 0)
 *   RR_STEP_EVENT(m, j) m + 1 + 256 j          event j of month m (a spike's days, a job's
 *                                              hours): its value does not depend on how
 *                                              many events came before it
 *
 * The functions here draw one value by seeking, or many through a list (rng.h); the engine's
 * groups draw most of theirs ahead in tables (sampler.h).  All give the same numbers.
 *
 * Thread safety: everything drawn touches only the generator passed in.
 */
#ifndef RR_DRAW_H
#define RR_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "sample/dist.h"
#include "sample/rng.h"
#include "scenario/input.h"
#include "scenario/scenario.h"

#define RR_STEP_PATH 0u
#define RR_STEP_MONTH(m) ((uint32_t)(m) + 1u)
#define RR_EVENT_STEP 256u
#define RR_STEP_EVENT(m, j) ((uint32_t)(m) + 1u + RR_EVENT_STEP * (uint32_t)(j))

/* d's value at (seed, stream, path, step): its constant, or a draw after seeking there. */
static inline double rr_draw_at(const rr_dist *d, uint64_t stream, gsl_rng *r, uint64_t seed,
                                uint64_t path, uint32_t step)
{
    if (d->kind == RR_DIST_CONST)
        return d->p[0];
    rr_rng_seek(r, seed, stream, path, step);
    return rr_dist_sample(d, r);
}

static inline double rr_draw_input(const rr_input *in, gsl_rng *r, uint64_t seed,
                                   uint64_t path, uint32_t step)
{
    return rr_draw_at(&in->dist, in->stream, r, seed, path, step);
}

/* The draws of `in` at n positions (paths[i], steps[i]) into x[i]: the values rr_draw_input
 * gives there, made together through l (NULL: by seeking each).  Returns how many of them
 * came from the list's words (for the engine's count of draws). */
size_t rr_draw_input_list(const rr_input *in, rr_rng_list *l, gsl_rng *r, uint64_t seed,
                          const uint64_t *paths, const uint32_t *steps, size_t n, double *x);

/* A month's number of events from its uniform u (the count stream's RR_STEP_MONTH(m)):
 * Bernoulli(rate) when chance is set, else Poisson(rate).  A Poisson mean above
 * RR_DIST_POISSON_INVERT_MAX is not a function of u: it is drawn after seeking
 * (stream, path, step).  Capped at RR_MAX_EVENTS. */
unsigned rr_draw_count(int chance, double rate, double u, uint64_t stream, gsl_rng *r,
                       uint64_t seed, uint64_t path, uint32_t step);

/* The correlated inputs of c on one path: the normal scores z_i of the inputs (each from its
 * own stream at RR_STEP_PATH) mixed by the Cholesky factor, and each input the value of its
 * own quantile function at Phi((L z)_i), clamped as its draws are: x[i] for c->in[i]. */
void rr_draw_correlated(const rr_correlation *c, gsl_rng *r, uint64_t seed, uint64_t path,
                        double *x);

#endif
