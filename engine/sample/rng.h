/* rng: a counter-based random number generator, Philox4x32-10, as a GSL generator.
 *
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC'11) is a bijection of a 128-bit counter under a 64-bit key.  runrate positions it by
 * (seed, stream, path, step), so that every draw's value depends only on where it is in the
 * simulation: never on the thread that made it, nor on how many draws were made elsewhere.
 *
 *   key     = split(mix(seed, stream))           64 bits, see rr_rng_key()
 *   counter = {block, step, path & 0xffffffff, path >> 32}
 *
 * `block` starts at 0 and increments every four 32-bit outputs, so each (seed, stream, path,
 * step) position owns a sequence of 2^34 words.  The generator is registered as a
 * `gsl_rng_type`, so every gsl_ran_* function draws from it.
 *
 * Thread safety: a gsl_rng holds its own state; use one per thread.  No global state.
 */
#ifndef RR_RNG_H
#define RR_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* The GSL generator type; gsl_rng_alloc(rr_rng_philox) gives a generator seeked to
 * (seed 0, stream 0, path 0, step 0).  gsl_rng_set(r, s) seeks to (s, 0, 0, 0). */
extern const gsl_rng_type *rr_rng_philox;

/* The bare Philox4x32-10 bijection, exposed for the known-answer tests. */
void rr_rng_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* 64-bit FNV-1a hash of a stream name such as "costs.chat-model.input_tokens". */
uint64_t rr_rng_stream_id(const char *name);

/* The Philox key of (seed, stream): splitmix64(seed ^ splitmix64(stream)). */
uint64_t rr_rng_key(uint64_t seed, uint64_t stream);

/* Position r (which must be of type rr_rng_philox) at the start of the sequence of
 * (seed, stream, path, step).  Cheap: sets the key and counter and empties the buffer. */
void rr_rng_seek(gsl_rng *r, uint64_t seed, uint64_t stream, uint64_t path, uint32_t step);

/* As rr_rng_seek with a key from rr_rng_key(), for callers that cache keys. */
void rr_rng_seek_key(gsl_rng *r, uint64_t key, uint64_t path, uint32_t step);

/* After a seek: r reads first[0..3] as the position's first block (its first four words,
 * as a batch or a list makes them) before it makes any block itself. */
void rr_rng_seek_block_words(gsl_rng *r, const uint32_t first[4]);

/* The number of seeks made with r: each is one random variate's position (a path-level
 * input, a month's draw, an event), so it counts the draws of a run for benchmarks. */
uint64_t rr_rng_seeks(const gsl_rng *r);

/* gsl_rng_uniform without GSL's indirect call: for the engine's own hot draws. */
double rr_rng_uniform(gsl_rng *r);

/* A standard normal variate: a ziggurat of 256 layers reading r's words directly (two per
 * draw, more on the rare rejection).  Exact up to the rounding of its tables (rng_zig.h). */
double rr_rng_gaussian(gsl_rng *r);

/* A batch: a block (the first, or the second where a sampler reads eight words) of every
 * position that RR_RNG_LANES consecutive paths are known to seek, made together.
 *
 * Most of a path's draws sit at positions known before it starts (each input's step 0, each
 * monthly stream's steps 1..H).  Made one at a time, each block costs the full latency of
 * Philox's ten dependent rounds; made for sixteen paths at once, the same key and step in
 * every lane, they share every vector instruction.  The words are those that rr_rng_seek
 * to the same position would give first (block 0) or after four words (block 1). */
#define RR_RNG_LANES 16

typedef struct rr_rng_span {
    uint64_t stream;         /* a stream id */
    uint32_t step_lo;        /* its first step in the batch */
    uint32_t nsteps;         /* how many consecutive steps */
    uint32_t block;          /* which block of each position's sequence: 0, its first, or 1
                              * for samplers that take more than four words */
} rr_rng_span;

typedef struct rr_rng_batch rr_rng_batch;

/* A batch of the positions of `spans` under `seed`: its rows are the spans' steps in order
 * (span 0's steps, then span 1's, ...).  NULL when out of memory. */
rr_rng_batch *rr_rng_batch_new(uint64_t seed, const rr_rng_span *spans, size_t n);
void rr_rng_batch_free(rr_rng_batch *b);   /* accepts NULL */
size_t rr_rng_batch_rows(const rr_rng_batch *b);
/* Make the blocks of paths path0 .. path0 + RR_RNG_LANES - 1. */
void rr_rng_batch_fill(rr_rng_batch *b, uint64_t path0);
/* Word w (0..3) of a row's block (its span's), for each lane in turn: RR_RNG_LANES words. */
const uint32_t *rr_rng_batch_words(const rr_rng_batch *b, size_t row, int w);

/* A list: the first blocks of up to RR_RNG_LIST_MAX positions of one stream on any paths and
 * steps, made together, for draws whose positions are known only as a group runs (a month's
 * spikes and jobs).  The words are those that rr_rng_seek to the same position would give
 * first.  Start a list for a stream, add positions, fill, read the words. */
#define RR_RNG_LIST_MAX 512

typedef struct rr_rng_list rr_rng_list;

rr_rng_list *rr_rng_list_new(void);        /* NULL when out of memory */
void rr_rng_list_free(rr_rng_list *l);     /* accepts NULL */
/* Empty the list, for positions of `stream` under `seed`. */
void rr_rng_list_start(rr_rng_list *l, uint64_t seed, uint64_t stream);
/* Add a position; at most RR_RNG_LIST_MAX since the start. */
void rr_rng_list_add(rr_rng_list *l, uint64_t path, uint32_t step);
size_t rr_rng_list_size(const rr_rng_list *l);
void rr_rng_list_fill(rr_rng_list *l);
/* The same for the positions' second (block 1) or a later block, in place of the first. */
void rr_rng_list_fill_block(rr_rng_list *l, uint32_t block);
/* Word w (0..3) of each position's first block, in the order added. */
const uint32_t *rr_rng_list_words(const rr_rng_list *l, int w);

/* The uniform in [0, 1) of a 64-bit draw (two words, the first high), as rr_rng_uniform. */
static inline double rr_rng_u01(uint64_t u)
{
    return (double)(int64_t)(u >> 11) * 0x1.0p-53;   /* exact: below 2^53 */
}

/* The ziggurat's first try on a 64-bit draw: 1 and the normal in *z when it ends there (99%
 * of draws), 0 when rr_rng_gaussian would go on to more words. */
int rr_rng_gaussian_first(uint64_t u, double *z);
/* Both on n <= 32 draws given as high and low words: u01 for each; the ziggurat's first try
 * for each, with bit i of the result set where draw i needs rr_rng_gaussian. */
void rr_rng_u01_n(const uint32_t *hi, const uint32_t *lo, double *u, unsigned n);
uint32_t rr_rng_gaussian_first_n(const uint32_t *hi, const uint32_t *lo, double *z, unsigned n);

#endif
