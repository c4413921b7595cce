/* rng: Philox4x32-10 as a GSL generator, positioned by (seed, stream, path, step).
 *
 * Philox4x32-10 is the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel
 * random numbers: as easy as 1, 2, 3" (SC'11), implemented bit for bit as in their Random123
 * library so that its published known-answer vectors apply.  A counter-based generator is
 * used because a draw is then a pure function of its position: a forecast gives the same
 * numbers whatever the thread count or scheduling, and any path can be replayed alone.  The
 * generator is wrapped as a gsl_rng_type so that every gsl_ran_* distribution draws from it.
 */
#include "sample/rng.h"
#include "sample/rng_zig.h"
#include "sample/simd.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
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
    return (double)(int64_t)u * 0x1.0p-53;   /* u < 2^53: a signed conversion is exact */
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

void rr_rng_seek_block_words(gsl_rng *r, const uint32_t first[4])
{
    philox_state *s = r->state;
    memcpy(s->buf, first, sizeof s->buf);
    s->ctr[0] = 1;
    s->idx = 0;
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

/* Two words, first in the high half, as philox_get_double takes them. */
static inline uint64_t next64(philox_state *s)
{
    if (s->idx + 2 <= BUF_WORDS) {
        uint64_t u = ((uint64_t)s->buf[s->idx] << 32) | s->buf[s->idx + 1];
        s->idx += 2;
        return u;
    }
    uint64_t a = next_word(s);
    return (a << 32) | next_word(s);
}

/* In (0, 1]: for logarithms. */
static inline double uniform_pos(philox_state *s)
{
    return (double)(int64_t)((next64(s) >> 11) + 1) * 0x1.0p-53;
}

/* Marsaglia and Tsang's ziggurat (J. Stat. Softw. 5(8), 2000) with 256 layers: one 64-bit
 * draw gives the layer (8 bits), the sign (1 bit) and a 53-bit uniform; 99.3% of draws end
 * at the first comparison.  Written here rather than taken from GSL because GSL's reads 24
 * bits through an indirect call per draw and its tables are not public. */
int rr_rng_gaussian_first(uint64_t u, double *z)
{
    unsigned i = (unsigned)(u & 0xff);
    double x = rr_rng_u01(u) * rr_zig_x[i];
    if (x < rr_zig_x[i + 1]) {
        /* The sign bit set from bit 8 without a branch: a random sign defeats prediction.
         * x >= 0, so this is exactly -x when the bit is set. */
        uint64_t b;
        memcpy(&b, &x, sizeof b);
        b |= (u & 0x100) << 55;
        memcpy(z, &b, sizeof b);
        return 1;
    }
    return 0;
}

/* rr_rng_u01 of (hi, lo) without a 64-bit integer conversion (which vectors lack before
 * AVX-512DQ): the 53 bits are hi's 32 above lo's top 21, each exact as a double, and their
 * sum below 2^53 is exact: the same value. */
static inline double u01_of(uint32_t hi, uint32_t lo)
{
    return ((double)hi * 2097152.0 + (double)(lo >> 11)) * 0x1.0p-53;
}

/* Loops of vectors with wider vectors where there are (simd.h); the ziggurat's layers are
 * then gathers. */
RR_VECTOR_CLONES uint32_t rr_rng_gaussian_first_n(const uint32_t *hi, const uint32_t *lo,
                                                  double *z, unsigned n)
{
    /* One loop of vectors: the layers' bounds are gathers where the processor has them (a
     * 64-bit index is what lets the compiler make them). */
    int64_t ok[32];
    for (unsigned i = 0; i < n; i++) {
        const uint64_t k = lo[i] & 0xff;
        double x = u01_of(hi[i], lo[i]) * rr_zig_x[k];
        /* The sign bit from bit 8, as rr_rng_gaussian_first sets it. */
        uint64_t b;
        memcpy(&b, &x, sizeof b);
        b |= (uint64_t)(lo[i] & 0x100) << 55;
        memcpy(&z[i], &b, sizeof b);
        ok[i] = x < rr_zig_x[k + 1];
    }
    uint32_t miss = 0;
    for (unsigned i = 0; i < n; i++)
        miss |= (uint32_t)!ok[i] << i;
    return miss;
}

RR_VECTOR_CLONES void rr_rng_u01_n(const uint32_t *hi, const uint32_t *lo, double *u,
                                   unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        u[i] = u01_of(hi[i], lo[i]);
}

double rr_rng_gaussian(gsl_rng *r)
{
    philox_state *s = r->state;
    for (;;) {
        uint64_t u = next64(s);
        double z;
        if (rr_rng_gaussian_first(u, &z))
            return z;
        unsigned i = (unsigned)(u & 0xff);
        double sign = (u & 0x100) ? -1.0 : 1.0;
        double x = rr_rng_u01(u) * rr_zig_x[i];
        if (i == 0) {
            /* The tail beyond R, by Marsaglia's (1964) exponential rejection. */
            double a, b;
            do {
                a = -log(uniform_pos(s)) / RR_ZIG_R;
                b = -log(uniform_pos(s));
            } while (b + b < a * a);
            return sign * (RR_ZIG_R + a);
        }
        /* The wedge: a uniform height within the layer, under the curve or not. */
        double y = rr_zig_f[i] + philox_get_double(s) * (rr_zig_f[i + 1] - rr_zig_f[i]);
        if (y < exp(-0.5 * x * x))
            return sign * x;
    }
}

/* ---- batches ------------------------------------------------------------------------------ */

#define LANES RR_RNG_LANES

/* What a kernel works on: n positions (a multiple of LANES), position i at block blk[i] of
 * step[i] of path (c2[i & cmask], c3[i & cmask]), under the key whose ten round keys are
 * rk[j * rk_stride + r] and rk[j * rk_stride + 10 + r], r = 0..9, j = i / LANES (a batch's
 * row, stride 20; a list's one stream, stride 0); word w of its block goes to out[w * n + i].
 * A batch's paths repeat every LANES positions (cmask LANES - 1); a list's are its own (cmask
 * all ones).  Round keys made once per stream save every position two additions a round. */
typedef struct kernel_args {
    size_t n, cmask;
    const uint32_t *rk;
    size_t rk_stride;
    const uint32_t *step, *c2, *c3;
    const uint32_t *blk;       /* each position's block, or NULL: block blk0 for all */
    uint32_t blk0;
    uint32_t *out;
} kernel_args;

#define RK_WORDS 20

/* Philox's ten round keys of a 64-bit key: k0 + r W0 and k1 + r W1, as philox_block bumps. */
static void round_keys(uint64_t key, uint32_t rk[RK_WORDS])
{
    uint32_t k0 = (uint32_t)key, k1 = (uint32_t)(key >> 32);
    for (int r = 0; r < 10; r++) {
        rk[r] = k0;
        rk[10 + r] = k1;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
}

typedef void batch_kernel_fn(const kernel_args *a);

struct rr_rng_batch {
    batch_kernel_fn *kernel;
    size_t rows;
    size_t n;                  /* rows * LANES: position i = row * LANES + lane */
    uint32_t *rk;              /* RK_WORDS per row: its stream's round keys */
    uint32_t *step;            /* n: the positions' steps, lane by lane */
    uint32_t *blk;             /* n: the block of each position's sequence */
    uint32_t c2[LANES], c3[LANES];   /* each lane's path, low and high word */
    uint32_t *out;             /* 4 * n: word w of position i at out[w * n + i] */
};

static batch_kernel_fn *pick_kernel(void);

rr_rng_batch *rr_rng_batch_new(uint64_t seed, const rr_rng_span *spans, size_t n)
{
    rr_rng_batch *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->kernel = pick_kernel();
    for (size_t i = 0; i < n; i++)
        b->rows += spans[i].nsteps;
    b->n = (b->rows ? b->rows : 1) * LANES;
    b->rk = calloc((b->rows ? b->rows : 1) * RK_WORDS, sizeof *b->rk);
    b->step = calloc(b->n, sizeof *b->step);
    b->blk = calloc(b->n, sizeof *b->blk);
    b->out = calloc(4 * b->n, sizeof *b->out);
    if (!b->rk || !b->step || !b->blk || !b->out) {
        rr_rng_batch_free(b);
        return NULL;
    }
    size_t i = 0, row = 0;
    for (size_t j = 0; j < n; j++) {
        uint64_t key = rr_rng_key(seed, spans[j].stream);
        for (uint32_t k = 0; k < spans[j].nsteps; k++, row++) {
            round_keys(key, b->rk + row * RK_WORDS);
            for (unsigned lane = 0; lane < LANES; lane++, i++) {
                b->step[i] = spans[j].step_lo + k;
                b->blk[i] = spans[j].block;
            }
        }
    }
    return b;
}

void rr_rng_batch_free(rr_rng_batch *b)
{
    if (!b)
        return;
    free(b->rk);
    free(b->step);
    free(b->blk);
    free(b->out);
    free(b);
}

size_t rr_rng_batch_rows(const rr_rng_batch *b)
{
    return b->rows;
}

const uint32_t *rr_rng_batch_words(const rr_rng_batch *b, size_t row, int w)
{
    return b->out + (size_t)w * b->n + row * LANES;
}

/* The rounds of philox_block on many positions at once, in three versions: AVX-512 and
 * AVX2 where the processor has them (chosen at run time, so one build runs anywhere) and
 * plain C.  A 32x32 -> 64-bit multiply of the even lanes (vpmuludq) and one of the odd
 * lanes shifted down give both halves of every product; blends put them back in place. */
static void kernel_scalar(const kernel_args *a)
{
    const size_t n = a->n;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *rk = a->rk + (i / LANES) * a->rk_stride;
        uint32_t x[4] = { a->blk ? a->blk[i] : a->blk0, a->step[i], a->c2[i & a->cmask],
                          a->c3[i & a->cmask] };
        for (int r = 0; r < 10; r++)
            philox_round(x, (const uint32_t[2]){ rk[r], rk[10 + r] });
        for (int w = 0; w < 4; w++)
            a->out[(size_t)w * n + i] = x[w];
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_X86_KERNELS 1

/* One Philox round on V vectors of eight positions, each with its own round keys. */
#define AVX2_ROUND(V)                                                                          \
    for (int v = 0; v < (V); v++) {                                                            \
        const __m256i k0 = _mm256_set1_epi32((int)rk[v][round]);                               \
        const __m256i k1 = _mm256_set1_epi32((int)rk[v][10 + round]);                          \
        __m256i pe0 = _mm256_mul_epu32(x0[v], m0);                                             \
        __m256i po0 = _mm256_mul_epu32(_mm256_srli_epi64(x0[v], 32), m0);                      \
        __m256i pe1 = _mm256_mul_epu32(x2[v], m1);                                             \
        __m256i po1 = _mm256_mul_epu32(_mm256_srli_epi64(x2[v], 32), m1);                      \
        __m256i lo0 = _mm256_blend_epi32(pe0, _mm256_slli_epi64(po0, 32), 0xAA);               \
        __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe0, 32), po0, 0xAA);               \
        __m256i lo1 = _mm256_blend_epi32(pe1, _mm256_slli_epi64(po1, 32), 0xAA);               \
        __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe1, 32), po1, 0xAA);               \
        x0[v] = _mm256_xor_si256(_mm256_xor_si256(hi1, x1[v]), k0);                            \
        x1[v] = lo1;                                                                           \
        x2[v] = _mm256_xor_si256(_mm256_xor_si256(hi0, x3[v]), k1);                            \
        x3[v] = lo0;                                                                           \
    }

/* V vectors of eight positions from position i on, at once: V independent chains of
 * multiplies. */
#define AVX2_BLOCKS(V)                                                                         \
    do {                                                                                       \
        __m256i x0[V], x1[V], x2[V], x3[V];                                                    \
        const uint32_t *rk[V];                                                                 \
        for (int v = 0; v < (V); v++) {                                                        \
            const size_t j = i + 8 * (size_t)v;                                                \
            rk[v] = a->rk + (j / LANES) * a->rk_stride;                                        \
            x0[v] = a->blk ? _mm256_loadu_si256((const __m256i *)(a->blk + j))                 \
                           : _mm256_set1_epi32((int)a->blk0);                                  \
            x1[v] = _mm256_loadu_si256((const __m256i *)(a->step + j));                        \
            x2[v] = _mm256_loadu_si256((const __m256i *)(a->c2 + (j & a->cmask)));             \
            x3[v] = _mm256_loadu_si256((const __m256i *)(a->c3 + (j & a->cmask)));             \
        }                                                                                      \
        for (int round = 0; round < 10; round++)                                               \
            AVX2_ROUND(V)                                                                      \
        for (int v = 0; v < (V); v++) {                                                        \
            const size_t j = i + 8 * (size_t)v;                                                \
            _mm256_storeu_si256((__m256i *)(a->out + j), x0[v]);                               \
            _mm256_storeu_si256((__m256i *)(a->out + n + j), x1[v]);                           \
            _mm256_storeu_si256((__m256i *)(a->out + 2 * n + j), x2[v]);                       \
            _mm256_storeu_si256((__m256i *)(a->out + 3 * n + j), x3[v]);                       \
        }                                                                                      \
    } while (0)

__attribute__((target("avx2"))) static void kernel_avx2(const kernel_args *a)
{
    const size_t n = a->n;
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0), m1 = _mm256_set1_epi64x(PHILOX_M1);
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
        AVX2_BLOCKS(4);
    for (; i < n; i += 16)
        AVX2_BLOCKS(2);
}

/* One Philox round on V vectors of sixteen positions at once: V independent chains of
 * dependent multiplies, so that the core overlaps them. */
#define AVX512_ROUND(V)                                                                        \
    for (int v = 0; v < (V); v++) {                                                            \
        __m512i pe0 = _mm512_mul_epu32(x0[v], m0);                                             \
        __m512i po0 = _mm512_mul_epu32(_mm512_srli_epi64(x0[v], 32), m0);                      \
        __m512i pe1 = _mm512_mul_epu32(x2[v], m1);                                             \
        __m512i po1 = _mm512_mul_epu32(_mm512_srli_epi64(x2[v], 32), m1);                      \
        /* The low halves in one multiply each; the high halves from the two above. */        \
        __m512i lo0 = _mm512_mullo_epi32(x0[v], m0);                                           \
        __m512i hi0 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(pe0, 32), po0);           \
        __m512i lo1 = _mm512_mullo_epi32(x2[v], m1);                                           \
        __m512i hi1 = _mm512_mask_blend_epi32(odd, _mm512_srli_epi64(pe1, 32), po1);           \
        /* 0x96: the three-way xor in one instruction. */                                      \
        x0[v] = _mm512_ternarylogic_epi32(hi1, x1[v], k0[v], 0x96);                            \
        x1[v] = lo1;                                                                           \
        x2[v] = _mm512_ternarylogic_epi32(hi0, x3[v], k1[v], 0x96);                            \
        x3[v] = lo0;                                                                           \
    }

__attribute__((target("avx512f"))) static void kernel_avx512(const kernel_args *a)
{
    enum { V = 4 };
    const size_t n = a->n;
    /* The multipliers in every 32-bit lane: mul_epu32 reads the even ones, mullo all. */
    const __m512i m0 = _mm512_set1_epi32((int)PHILOX_M0), m1 = _mm512_set1_epi32((int)PHILOX_M1);
    const __mmask16 odd = 0xAAAA;
    size_t i = 0;
    for (; i + V * 16 <= n; i += V * 16) {
        __m512i x0[V], x1[V], x2[V], x3[V], k0[V], k1[V];
        const uint32_t *rk[V];
        for (int v = 0; v < V; v++) {
            const size_t j = i + 16 * (size_t)v;
            rk[v] = a->rk + (j / LANES) * a->rk_stride;
            x0[v] = a->blk ? _mm512_loadu_si512(a->blk + j) : _mm512_set1_epi32((int)a->blk0);
            x1[v] = _mm512_loadu_si512(a->step + j);
            x2[v] = _mm512_loadu_si512(a->c2 + (j & a->cmask));
            x3[v] = _mm512_loadu_si512(a->c3 + (j & a->cmask));
        }
        for (int round = 0; round < 10; round++) {
            for (int v = 0; v < V; v++) {
                k0[v] = _mm512_set1_epi32((int)rk[v][round]);
                k1[v] = _mm512_set1_epi32((int)rk[v][10 + round]);
            }
            AVX512_ROUND(V)
        }
        for (int v = 0; v < V; v++) {
            const size_t j = i + 16 * (size_t)v;
            _mm512_storeu_si512(a->out + j, x0[v]);
            _mm512_storeu_si512(a->out + n + j, x1[v]);
            _mm512_storeu_si512(a->out + 2 * n + j, x2[v]);
            _mm512_storeu_si512(a->out + 3 * n + j, x3[v]);
        }
    }
    for (; i < n; i += 16) {
        __m512i x0[1], x1[1], x2[1], x3[1], k0[1], k1[1];
        const uint32_t *rk = a->rk + (i / LANES) * a->rk_stride;
        x0[0] = a->blk ? _mm512_loadu_si512(a->blk + i) : _mm512_set1_epi32((int)a->blk0);
        x1[0] = _mm512_loadu_si512(a->step + i);
        x2[0] = _mm512_loadu_si512(a->c2 + (i & a->cmask));
        x3[0] = _mm512_loadu_si512(a->c3 + (i & a->cmask));
        for (int round = 0; round < 10; round++) {
            k0[0] = _mm512_set1_epi32((int)rk[round]);
            k1[0] = _mm512_set1_epi32((int)rk[10 + round]);
            AVX512_ROUND(1)
        }
        _mm512_storeu_si512(a->out + i, x0[0]);
        _mm512_storeu_si512(a->out + n + i, x1[0]);
        _mm512_storeu_si512(a->out + 2 * n + i, x2[0]);
        _mm512_storeu_si512(a->out + 3 * n + i, x3[0]);
    }
}
#endif

/* The widest kernel the processor runs, or a narrower one named by RUNRATE_RNG_KERNEL
 * ("scalar", "avx2"): every kernel makes the same words, and the tests check each. */
static batch_kernel_fn *pick_kernel(void)
{
    const char *want = getenv("RUNRATE_RNG_KERNEL");
    if (want && strcmp(want, "scalar") == 0)
        return kernel_scalar;
#ifdef HAVE_X86_KERNELS
    __builtin_cpu_init();
    const int narrow = want && strcmp(want, "avx2") == 0;
    if (!narrow && __builtin_cpu_supports("avx512f"))
        return kernel_avx512;
    if (__builtin_cpu_supports("avx2"))
        return kernel_avx2;
#endif
    return kernel_scalar;
}

void rr_rng_batch_fill(rr_rng_batch *b, uint64_t path0)
{
    for (unsigned lane = 0; lane < LANES; lane++) {
        uint64_t p = path0 + lane;
        b->c2[lane] = (uint32_t)p;
        b->c3[lane] = (uint32_t)(p >> 32);
    }
    const kernel_args a = { b->n, LANES - 1, b->rk, RK_WORDS, b->step, b->c2, b->c3, b->blk,
                            0, b->out };
    b->kernel(&a);
}

/* ---- lists --------------------------------------------------------------------------------- */

struct rr_rng_list {
    batch_kernel_fn *kernel;
    size_t n;                  /* positions added */
    uint64_t seed, stream;     /* the last stream, whose round keys are kept: lists are made
                                * per stream */
    int have_key;
    uint32_t rk[RK_WORDS];     /* the stream's round keys */
    uint32_t step[RR_RNG_LIST_MAX];
    uint32_t c2[RR_RNG_LIST_MAX], c3[RR_RNG_LIST_MAX];
    uint32_t out[4 * RR_RNG_LIST_MAX];
};

rr_rng_list *rr_rng_list_new(void)
{
    rr_rng_list *l = calloc(1, sizeof *l);
    if (l)
        l->kernel = pick_kernel();
    return l;
}

void rr_rng_list_free(rr_rng_list *l)
{
    free(l);
}

void rr_rng_list_start(rr_rng_list *l, uint64_t seed, uint64_t stream)
{
    if (!l->have_key || l->seed != seed || l->stream != stream) {
        l->seed = seed;
        l->stream = stream;
        round_keys(rr_rng_key(seed, stream), l->rk);
        l->have_key = 1;
    }
    l->n = 0;
}

void rr_rng_list_add(rr_rng_list *l, uint64_t path, uint32_t step)
{
    assert(l->n < RR_RNG_LIST_MAX);
    size_t i = l->n++;
    l->step[i] = step;
    l->c2[i] = (uint32_t)path;
    l->c3[i] = (uint32_t)(path >> 32);
}

size_t rr_rng_list_size(const rr_rng_list *l)
{
    return l->n;
}

void rr_rng_list_fill(rr_rng_list *l)
{
    rr_rng_list_fill_block(l, 0);
}

void rr_rng_list_fill_block(rr_rng_list *l, uint32_t block)
{
    /* Whole vectors: the positions past n are last round's or zeros, harmless. */
    size_t n = (l->n + LANES - 1) / LANES * LANES;
    if (n == 0)
        return;
    /* Words by word then position, as in a batch: word w of position i at w * n + i. */
    const kernel_args a = { n, SIZE_MAX, l->rk, 0, l->step, l->c2, l->c3, NULL, block, l->out };
    l->kernel(&a);
}

const uint32_t *rr_rng_list_words(const rr_rng_list *l, int w)
{
    size_t n = (l->n + LANES - 1) / LANES * LANES;
    return l->out + (size_t)w * n;
}
