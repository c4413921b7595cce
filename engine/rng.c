/* rng: Philox4x32-10 as a GSL generator, positioned by (seed, stream, path, step).
 *
 * Philox4x32-10 is the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel
 * random numbers: as easy as 1, 2, 3" (SC'11), implemented bit for bit as in their Random123
 * library so that its published known-answer vectors apply.  A counter-based generator is
 * used because a draw is then a pure function of its position: a forecast gives the same
 * numbers whatever the thread count or scheduling, and any path can be replayed alone.  The
 * generator is wrapped as a gsl_rng_type so that every gsl_ran_* distribution draws from it.
 */
#include "rng.h"

#include <assert.h>
#include <string.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* Random123's constants, unchanged: the published known-answer vectors hold only for these.
 * (The key increments are the golden ratio and sqrt(3) - 1 in 32-bit fixed point.) */
#define PHILOX_M0 UINT32_C(0xD2511F53)
#define PHILOX_M1 UINT32_C(0xCD9E8D57)
#define PHILOX_W0 UINT32_C(0x9E3779B9)
#define PHILOX_W1 UINT32_C(0xBB67AE85)

#define BUF_WORDS 4

/* Keys of recently used streams: a seek costs two splitmix64 finalisers otherwise, and a
 * path touches the same few dozen streams again and again. */
#define KEY_CACHE 64

typedef struct {
    uint32_t key[2];
    uint32_t ctr[4];           /* {block, step, path low, path high}; block is the next to make */
    uint32_t buf[BUF_WORDS];   /* the current block's output */
    unsigned idx;              /* next word of buf to hand out; BUF_WORDS means empty */
    uint64_t seeks;            /* positions sought: the draws of random variates, for bench */
    uint64_t cache_seed;       /* the seed the cached keys belong to */
    uint64_t cache_stream[KEY_CACHE];
    uint64_t cache_key[KEY_CACHE];
    unsigned char cache_used[KEY_CACHE];
} philox_state;

/* A 32x32 -> 64-bit product: compilers turn this into one widening multiply, and it is
 * easier to audit than Random123's portable half-word fallback. */
static inline uint32_t mulhilo(uint32_t a, uint32_t b, uint32_t *hi)
{
    uint64_t p = (uint64_t)a * b;
    *hi = (uint32_t)(p >> 32);
    return (uint32_t)p;
}

static inline void philox_round(uint32_t x[4], const uint32_t k[2])
{
    uint32_t hi0, hi1;
    uint32_t lo0 = mulhilo(PHILOX_M0, x[0], &hi0);
    uint32_t lo1 = mulhilo(PHILOX_M1, x[2], &hi1);
    uint32_t y0 = hi1 ^ x[1] ^ k[0];
    uint32_t y2 = hi0 ^ x[3] ^ k[1];
    x[0] = y0;
    x[1] = lo1;
    x[2] = y2;
    x[3] = lo0;
}

/* The bijection, inlined into the generator; rr_rng_philox4x32_10 exports it for tests. */
static inline void philox_block(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t x[4] = { ctr[0], ctr[1], ctr[2], ctr[3] };
    uint32_t k[2] = { key[0], key[1] };

    /* Random123 bumps the key between rounds, never before the first: ten rounds, nine
     * bumps.  Bumping before the first as well gives a different, unpublished generator. */
    philox_round(x, k);
    for (int round = 1; round < 10; round++) {
        k[0] += PHILOX_W0;
        k[1] += PHILOX_W1;
        philox_round(x, k);
    }
    out[0] = x[0];
    out[1] = x[1];
    out[2] = x[2];
    out[3] = x[3];
}

void rr_rng_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    philox_block(ctr, key, out);
}

uint64_t rr_rng_stream_id(const char *name)
{
    assert(name != NULL);
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

/* The splitmix64 finaliser (Steele, Lea, Flood, OOPSLA 2014).  It is a bijection, so
 * distinct streams under one seed can never share a key.  Mixing the stream before the xor
 * matters: splitmix64(seed ^ stream) alone would give (seed ^ d, stream ^ d) the same key
 * as (seed, stream) for every d. */
static uint64_t splitmix64(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t rr_rng_key(uint64_t seed, uint64_t stream)
{
    return splitmix64(seed ^ splitmix64(stream));
}

static void seek_state(philox_state *s, uint64_t key, uint64_t path, uint32_t step)
{
    s->seeks++;
    s->key[0] = (uint32_t)key;
    s->key[1] = (uint32_t)(key >> 32);
    s->ctr[0] = 0;
    s->ctr[1] = step;
    s->ctr[2] = (uint32_t)path;
    s->ctr[3] = (uint32_t)(path >> 32);
    s->idx = BUF_WORDS;
}

static uint32_t next_word(philox_state *s)
{
    if (s->idx == BUF_WORDS) {
        philox_block(s->ctr, s->key, s->buf);
        /* Only the block word advances; it wraps after 2^32 blocks rather than carrying
         * into `step`, so a position never runs into its neighbour's sequence. */
        s->ctr[0]++;
        s->idx = 0;
    }
    return s->buf[s->idx++];
}

static void philox_set(void *vstate, unsigned long seed)
{
    /* GSL allocates the state with malloc: this is where it is first initialised. */
    memset(vstate, 0, sizeof(philox_state));
    seek_state(vstate, rr_rng_key((uint64_t)seed, 0), 0, 0);
    ((philox_state *)vstate)->seeks = 0;   /* count the engine's draws, not this one */
}

static unsigned long philox_get(void *vstate)
{
    return next_word(vstate);
}

/* GSL's default would be one word over 2^32, leaving only 32 bits: too coarse for the far
 * tails that inverse-CDF sampling reaches.  Two words give the full 53-bit mantissa, and the
 * largest value, 1 - 2^-53, keeps the result strictly below 1. */
static double philox_get_double(void *vstate)
{
    uint64_t a = next_word(vstate);
    uint64_t b = next_word(vstate);
    uint64_t u = ((a << 32) | b) >> 11;
    return (double)u * 0x1.0p-53;
}

static const gsl_rng_type philox_type = {
    .name = "philox4x32-10",
    .max = 0xffffffffUL,
    .min = 0,
    .size = sizeof(philox_state),
    .set = philox_set,
    .get = philox_get,
    .get_double = philox_get_double,
};

const gsl_rng_type *rr_rng_philox = &philox_type;

void rr_rng_seek_key(gsl_rng *r, uint64_t key, uint64_t path, uint32_t step)
{
    assert(r != NULL && r->type == rr_rng_philox);
    seek_state(r->state, key, path, step);
}

void rr_rng_seek(gsl_rng *r, uint64_t seed, uint64_t stream, uint64_t path, uint32_t step)
{
    assert(r != NULL && r->type == rr_rng_philox);
    philox_state *s = r->state;
    if (s->cache_seed != seed) {
        memset(s->cache_used, 0, sizeof s->cache_used);
        s->cache_seed = seed;
    }
    /* FNV-1a's low bits are well mixed: a direct-mapped cache on them. */
    unsigned slot = (unsigned)(stream ^ (stream >> 32)) & (KEY_CACHE - 1);
    if (!s->cache_used[slot] || s->cache_stream[slot] != stream) {
        s->cache_stream[slot] = stream;
        s->cache_key[slot] = rr_rng_key(seed, stream);
        s->cache_used[slot] = 1;
    }
    seek_state(s, s->cache_key[slot], path, step);
}

uint64_t rr_rng_seeks(const gsl_rng *r)
{
    const philox_state *s = r->state;
    return s->seeks;
}

double rr_rng_uniform(gsl_rng *r)
{
    return philox_get_double(r->state);
}
