/* accum: what a path's costs feed.  Mergeable, deterministic accumulators.
 *
 * Two kinds of record, because they merge differently:
 *
 * - rr_sketch: a log-bucketed histogram of one series with integer counts (in the manner of
 *   DDSketch, Masson et al., VLDB 2019), plus the exact count, min and max.  The bucket of a
 *   positive double is its bit pattern shifted right by 52 - RR_SKETCH_MANTISSA_BITS: the
 *   exponent and the top mantissa bits, which is monotone in the value and costs no log().
 *   Each octave is split into 2^RR_SKETCH_MANTISSA_BITS buckets of equal width, so a bucket's
 *   width is at most 2^-9 of its lower bound and the representative (the harmonic mean of its
 *   bounds) is within 0.098% of any value in it.  Negative values live in a mirror store;
 *   magnitudes below RR_SKETCH_ZERO count as zero.  Counts are integers, so merging sketches
 *   (threads, blocks, MPI ranks) is exact, associative and commutative.
 *
 * - rr_block_moments / rr_moments: floating-point moments.  A block of paths accumulates
 *   shifted sums (shift = the block's first value), which keep a constant series' sd exactly 0;
 *   blocks are combined with Chan et al.'s pairwise formula *in block order*, so the result
 *   does not depend on which thread ran which block.
 *
 * - rr_sketch_row: the front of n sketches for the path loop: 16-bit counts in cache, with
 *   nothing written to the sketches until a spill or flush, so that threads can share one set
 *   of sketches and flush into it in turn.
 *
 * Thread safety: none inside; give each thread its own records (rows may share their
 * sketches if the caller serialises their spills and flushes) and merge afterwards.
 */
#ifndef RR_ACCUM_H
#define RR_ACCUM_H

#include <stddef.h>
#include <stdint.h>

#define RR_SKETCH_MANTISSA_BITS 9
#define RR_SKETCH_ZERO 1e-9       /* |x| below this counts as 0 */
#define RR_SKETCH_REL_ACCURACY 0.001

typedef struct rr_sketch rr_sketch;

rr_sketch *rr_sketch_new(void);            /* NULL when out of memory */
void rr_sketch_free(rr_sketch *s);         /* accepts NULL */
/* Add a finite value.  Returns 0, or -1 when growing a store failed (the value is lost and
 * the sketch remembers the failure: see rr_sketch_failed). */
int rr_sketch_add(rr_sketch *s, double x);
int rr_sketch_failed(const rr_sketch *s);
/* dst += src.  Returns 0, or -1 when out of memory (dst unchanged in that case). */
int rr_sketch_merge(rr_sketch *dst, const rr_sketch *src);
/* *dst += *src, then *src is freed and set to NULL, so that a merge of many sketches never
 * holds them all at once; an empty *dst takes *src's stores without a copy.  0, or -1 when
 * out of memory (both unchanged). */
int rr_sketch_absorb(rr_sketch **dst, rr_sketch **src);
uint64_t rr_sketch_count(const rr_sketch *s);
double rr_sketch_min(const rr_sketch *s);  /* +inf when empty */
double rr_sketch_max(const rr_sketch *s);  /* -inf when empty */
/* The value of rank rr_quantile_rank(p, count) in ascending order, as the representative of
 * its bucket clamped to [min, max].  NaN when empty. */
double rr_sketch_quantile(const rr_sketch *s, double p);
/* The value of 1-based rank `rank` (clamped to 1..count), as rr_sketch_quantile. */
double rr_sketch_at_rank(const rr_sketch *s, uint64_t rank);
/* Number of values strictly greater than t, exact when t is a bucket boundary or outside
 * [min, max]; otherwise values in t's own bucket are counted as above when the bucket's
 * representative is > t.  (Exact exceedance counts are kept by the engine itself.) */
uint64_t rr_sketch_count_above(const rr_sketch *s, double t);
/* A sketch as 64-bit words, for sending to another process: rr_sketch_serialized_words()
 * words written by rr_sketch_serialize(); rr_sketch_merge_serialized() adds such words into
 * dst (0, or -1 when malformed or out of memory, dst then unchanged). */
size_t rr_sketch_serialized_words(const rr_sketch *s);
void rr_sketch_serialize(const rr_sketch *s, uint64_t *out);
int rr_sketch_merge_serialized(rr_sketch *dst, const uint64_t *in, size_t nwords);
/* Bytes held by the sketch, for memory reports. */
size_t rr_sketch_bytes(const rr_sketch *s);

/* A sketch's ranks: the mid-rank of a value among the values a complete sketch holds, over
 * their count, (values below its bucket + half its bucket's) / count, values that share a
 * bucket (0.2% wide) being tied.  For Spearman's rank correlation without keeping the
 * values.  Built once, then read-only (threads may share it); the sketch must outlive it. */
typedef struct rr_sketch_ranks rr_sketch_ranks;

rr_sketch_ranks *rr_sketch_ranks_new(const rr_sketch *s);   /* NULL when out of memory */
void rr_sketch_ranks_free(rr_sketch_ranks *t);                /* accepts NULL */
double rr_sketch_ranks_mid(const rr_sketch_ranks *t, double x);   /* in [0, 1] */

/* A row: n sketches fed together, one value each per add, as a path feeds its series.
 * Adding a row costs a vector pass for min and max and one bucket increment per series in a
 * small 16-bit store of the row's; nothing reaches the sketches (dst, borrowed: they must
 * outlive the row) until a flush, after which each holds exactly what rr_sketch_add of the
 * same values would have given it.  So rows of several threads may share one set of
 * sketches, each flushed under the caller's lock.  A row must be flushed after 65,535 adds
 * or when its buffer of values outside its stores (RR_SKETCH_ROW_ROWS adds' worth of every
 * series) is full: rr_sketch_row_room says when. */
#define RR_SKETCH_ROW_ROWS 256

typedef struct rr_sketch_row rr_sketch_row;

rr_sketch_row *rr_sketch_row_new(size_t n, rr_sketch *const *dst);   /* NULL: no memory */
void rr_sketch_row_free(rr_sketch_row *r);        /* accepts NULL */
/* Whether nl more adds fit before a flush. */
int rr_sketch_row_room(const rr_sketch_row *r, unsigned nl);
/* Add nl rows at once, all finite: series i's value of row l at x[i * stride + l] (nl <=
 * stride, and room for nl adds is required; one row x[0..n-1] is stride 1, nl 1). */
void rr_sketch_row_add_lanes(rr_sketch_row *r, const double *x, size_t stride, unsigned nl);
/* Make room for nl adds by moving what must move into the sketches (the buffered values;
 * the stores when their counts near 16 bits): cheaper than a flush, and enough for
 * rr_sketch_row_room; the sketches are complete only after a flush.  0, or -1 when out of
 * memory (the sketches that lost values say so: rr_sketch_failed). */
int rr_sketch_row_spill(rr_sketch_row *r, unsigned nl);
/* Everything added since the last flush into the sketches; 0 or -1 as above. */
int rr_sketch_row_flush(rr_sketch_row *r);
/* Bytes held by the row itself, for memory reports. */
size_t rr_sketch_row_bytes(const rr_sketch_row *r);

/* The 1-based rank of the p-quantile of n sorted values: max(1, ceil(p*n - 1e-9)), at most n.
 * This is the inverse of the empirical CDF; the tests use it for the exact order statistic. */
uint64_t rr_quantile_rank(double p, uint64_t n);

/* One block's moments of one series. Zero-initialise before use. */
typedef struct rr_block_moments {
    uint64_t n;
    double shift;   /* the block's first value */
    double s1;      /* sum of (x - shift) */
    double s2;      /* sum of (x - shift)^2 */
} rr_block_moments;

static inline void rr_block_moments_add(rr_block_moments *m, double x)
{
    if (m->n == 0)
        m->shift = x;
    double d = x - m->shift;
    m->n++;
    m->s1 += d;
    m->s2 += d * d;
}

/* Moments of all blocks combined so far.  Zero-initialise before use. */
typedef struct rr_moments {
    uint64_t n;
    double mean;
    double m2;      /* sum of squared deviations from the mean */
} rr_moments;

/* acc += b, by Chan's formula.  Call in block order for reproducible results. */
void rr_moments_combine(rr_moments *acc, const rr_block_moments *b);
double rr_moments_sd(const rr_moments *m);   /* population sd; 0 when n < 2 */

/* One block's co-moments of a pair (x, y): shifted sums as in rr_block_moments, for the
 * correlation of an input with the total.  Zero-initialise before use. */
typedef struct rr_block_comoments {
    uint64_t n;
    double shift_x, shift_y;
    double sx, sy, sxx, syy, sxy;
} rr_block_comoments;

static inline void rr_block_comoments_add(rr_block_comoments *m, double x, double y)
{
    if (m->n == 0) {
        m->shift_x = x;
        m->shift_y = y;
    }
    double dx = x - m->shift_x, dy = y - m->shift_y;
    m->n++;
    m->sx += dx;
    m->sy += dy;
    m->sxx += dx * dx;
    m->syy += dy * dy;
    m->sxy += dx * dy;
}

typedef struct rr_comoments {
    uint64_t n;
    double mx, my;
    double cxx, cyy, cxy;   /* sums of products of deviations from the means */
} rr_comoments;

/* acc += b by the pairwise update of Chan et al. extended to the cross term; block order. */
void rr_comoments_combine(rr_comoments *acc, const rr_block_comoments *b);
/* Pearson's correlation; 0 when either side is constant. */
double rr_comoments_corr(const rr_comoments *c);

#endif
