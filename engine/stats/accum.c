/* accum: the per-series accumulators declared in accum.h.
 *
 * rr_sketch keeps integer counts in log-spaced buckets so that sketches built on different
 * threads, blocks or ranks merge exactly and in any order; the bucket index is read straight
 * off the IEEE-754 bit pattern, so the add path (called for every cost on every path) costs a
 * few integer operations and one well-predicted range check, with no log() and no division.
 * Each sign has a dense store that grows by realloc with slack, so growth happens a handful of
 * times per sketch rather than per value.  rr_moments combines per-block shifted sums with
 * Chan et al.'s pairwise formula, which keeps a constant series' sd exactly 0 and avoids the
 * cancellation of the textbook sum-of-squares formula.
 *
 * Thread safety: none.  A sketch or moments record must be used by one thread at a time;
 * the functions hold no global state, so distinct objects may be used concurrently.
 */
#include "stats/accum.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SHIFT (52 - RR_SKETCH_MANTISSA_BITS)
/* A store's first span (one octave) and its growth beyond what it needs (an eighth). */
#define MIN_BUCKETS ((size_t)1 << RR_SKETCH_MANTISSA_BITS)
#define GROW_BUCKETS (MIN_BUCKETS / 8)

typedef struct store {
    uint64_t *counts;   /* counts[i] belongs to bucket index base + i */
    int64_t base;
    size_t cap;         /* 0 (and counts NULL) until the first value */
} store;

struct rr_sketch {
    store pos;          /* x >= RR_SKETCH_ZERO */
    store neg;          /* x <= -RR_SKETCH_ZERO, by magnitude */
    uint64_t zero;
    uint64_t count;
    double min, max;
    int failed;
};

static int64_t bucket_index(double ax)
{
    uint64_t bits;
    memcpy(&bits, &ax, sizeof bits);
    return (int64_t)(bits >> SHIFT);
}

static double bucket_lower(int64_t idx)
{
    uint64_t bits = (uint64_t)idx << SHIFT;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* The harmonic mean 2*lo*hi/(lo+hi) of the bucket's bounds, which minimises the worst
 * relative error over the bucket.  Written as lo + (hi-lo)*lo/(lo+hi) with halved operands
 * because the plain product overflows above ~1e154; the last finite bucket's upper bound is
 * +inf as a bit pattern, and DBL_MAX is its true upper bound. */
static double representative(int64_t idx)
{
    double lo = bucket_lower(idx);
    double hi = bucket_lower(idx + 1);
    if (isinf(hi))
        hi = DBL_MAX;
    double mid = 0.5 * lo + 0.5 * hi;
    return lo + (hi - lo) * (0.5 * lo / mid);
}

/* Make st cover bucket indices [lo, hi], keeping its counts.  A store starts at one octave
 * and grows by what it needs plus an eighth of an octave, the slack on the side being
 * grown: tails extend slowly, so memory follows the range of the values closely (it is the
 * only thing that grows with the path count), and a realloc per eighth of an octave is
 * cheap.  On failure st is untouched. */
static int store_cover(store *st, int64_t lo, int64_t hi)
{
    int64_t old_lo = st->base;
    int64_t old_hi = st->base + (int64_t)st->cap - 1;
    if (st->cap > 0 && lo >= old_lo && hi <= old_hi)
        return 0;

    int64_t need_lo = lo, need_hi = hi;
    if (st->cap > 0) {
        if (old_lo < need_lo)
            need_lo = old_lo;
        if (old_hi > need_hi)
            need_hi = old_hi;
    }
    size_t span = (size_t)(need_hi - need_lo + 1);
    size_t cap = span + GROW_BUCKETS;
    if (cap < MIN_BUCKETS)
        cap = MIN_BUCKETS;
    if (cap > SIZE_MAX / sizeof(uint64_t))
        return -1;

    size_t slack = cap - span;
    int64_t base;
    if (st->cap == 0 || (lo < old_lo && hi > old_hi))
        base = need_lo - (int64_t)(slack / 2);
    else if (lo < old_lo)
        base = need_lo - (int64_t)slack;
    else
        base = need_lo;
    /* Indices are never negative, so buckets below 0 would be wasted; raising base keeps
     * need_lo covered because base <= need_lo still holds and the top only moves up. */
    if (base < 0)
        base = 0;

    uint64_t *c = realloc(st->counts, cap * sizeof *c);
    if (c == NULL)
        return -1;
    size_t old_cap = st->cap;
    size_t off = old_cap > 0 ? (size_t)(old_lo - base) : 0;
    if (old_cap > 0 && off > 0)
        memmove(c + off, c, old_cap * sizeof *c);
    memset(c, 0, off * sizeof *c);
    memset(c + off + old_cap, 0, (cap - off - old_cap) * sizeof *c);
    st->counts = c;
    st->base = base;
    st->cap = cap;
    return 0;
}

/* The indices of the first and last nonzero buckets; 0 when the store holds no counts.
 * Merges use this so that dst does not inherit src's slack. */
static int store_range(const store *st, int64_t *lo, int64_t *hi)
{
    size_t i = 0, j = st->cap;
    while (i < j && st->counts[i] == 0)
        i++;
    if (i == j)
        return 0;
    while (st->counts[j - 1] == 0)
        j--;
    *lo = st->base + (int64_t)i;
    *hi = st->base + (int64_t)(j - 1);
    return 1;
}

/* dst must already cover src's nonzero range (see store_cover). */
static void store_add(store *dst, const store *src)
{
    for (size_t i = 0; i < src->cap; i++) {
        if (src->counts[i] != 0)
            dst->counts[(size_t)(src->base + (int64_t)i - dst->base)] += src->counts[i];
    }
}

rr_sketch *rr_sketch_new(void)
{
    rr_sketch *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->min = INFINITY;
    s->max = -INFINITY;
    return s;
}

void rr_sketch_free(rr_sketch *s)
{
    if (s == NULL)
        return;
    free(s->pos.counts);
    free(s->neg.counts);
    free(s);
}

/* Count x in its bucket (or as zero); count, min and max are the caller's. */
static inline int add_bucket(rr_sketch *s, double x)
{
    double ax = fabs(x);
    if (ax < RR_SKETCH_ZERO) {
        s->zero++;
        return 0;
    }
    store *st = x > 0 ? &s->pos : &s->neg;
    int64_t idx = bucket_index(ax);
    /* One unsigned compare tests both ends; an empty store has cap 0 and always misses. */
    uint64_t off = (uint64_t)(idx - st->base);
    if (off >= st->cap) {
        if (store_cover(st, idx, idx) != 0) {
            s->failed = 1;
            return -1;
        }
        off = (uint64_t)(idx - st->base);
    }
    st->counts[off]++;
    return 0;
}

int rr_sketch_add(rr_sketch *s, double x)
{
    assert(isfinite(x));
    if (add_bucket(s, x) != 0)
        return -1;
    s->count++;
    if (x < s->min)
        s->min = x;
    if (x > s->max)
        s->max = x;
    return 0;
}

/* ---- rows ---- */

/* A row counts in 16 bits, a quarter of a sketch's memory, so that a group's increments stay
 * in cache, in a store of ROW_SPAN buckets (eight octaves) centred on the series' first
 * value; the rest (values beyond, negative ones, zeros) wait in a buffer.  Nothing touches
 * the sketches until a flush, so several rows can share one set of sketches, flushed in
 * turn under the caller's lock: a thread's memory is then fixed, and only the shared
 * sketches grow with the range of the values.  A bucket gains at most one count per add, so
 * ROW_FOLD adds between flushes keep every count within 16 bits. */
#define ROW_FOLD 65535u
#define ROW_SPAN (8 * MIN_BUCKETS)

typedef struct store16 {
    uint16_t *counts;
    int64_t base;
    size_t cap;              /* 0 until the first value, then ROW_SPAN */
} store16;

struct rr_sketch_row {
    size_t n;
    uint64_t count;          /* adds since the last flush */
    uint64_t pending;        /* adds since the stores were last folded (at most ROW_FOLD) */
    double *min, *max;       /* n each: kept apart so that they update as vectors */
    store16 *pos;            /* n: the positive values' 16-bit counts */
    uint64_t *zero;          /* n */
    size_t ntail, tailcap;   /* values outside the stores, by series */
    uint32_t *tail_series;
    double *tail_value;
    rr_sketch *const *sk;    /* n, borrowed: where a flush puts the counts */
};

rr_sketch_row *rr_sketch_row_new(size_t n, rr_sketch *const *dst)
{
    rr_sketch_row *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->n = n;
    r->sk = dst;
    /* Room for every value of RR_SKETCH_ROW_ROWS adds: a flush is then never forced by the
     * buffer alone before the caller asks (rr_sketch_row_room). */
    r->tailcap = (n + 1) * RR_SKETCH_ROW_ROWS;
    r->min = malloc((n + 1) * sizeof *r->min);
    r->max = malloc((n + 1) * sizeof *r->max);
    r->pos = calloc(n + 1, sizeof *r->pos);
    r->zero = calloc(n + 1, sizeof *r->zero);
    r->tail_series = malloc(r->tailcap * sizeof *r->tail_series);
    r->tail_value = malloc(r->tailcap * sizeof *r->tail_value);
    if (!r->min || !r->max || !r->pos || !r->zero || !r->tail_series || !r->tail_value) {
        rr_sketch_row_free(r);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        r->min[i] = INFINITY;
        r->max[i] = -INFINITY;
    }
    return r;
}

void rr_sketch_row_free(rr_sketch_row *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->pos && i < r->n; i++)
        free(r->pos[i].counts);
    free(r->pos);
    free(r->zero);
    free(r->tail_series);
    free(r->tail_value);
    free(r->min);
    free(r->max);
    free(r);
}

int rr_sketch_row_room(const rr_sketch_row *r, unsigned nl)
{
    return r->pending + nl <= ROW_FOLD && r->ntail + r->n * nl <= r->tailcap;
}

/* Add a store's counts into a sketch's store and clear them. */
static int fold_store(store *dst, store16 *src)
{
    size_t i = 0, j = src->cap;
    while (i < j && src->counts[i] == 0)
        i++;
    if (i == j)
        return 0;
    while (src->counts[j - 1] == 0)
        j--;
    if (store_cover(dst, src->base + (int64_t)i, src->base + (int64_t)(j - 1)) != 0)
        return -1;
    for (size_t k = i; k < j; k++)
        dst->counts[(size_t)(src->base + (int64_t)k - dst->base)] += src->counts[k];
    memset(src->counts + i, 0, (j - i) * sizeof *src->counts);
    return 0;
}

/* Count x in series i's store, or else keep it for the flush. */
static inline void row_bucket(rr_sketch_row *r, size_t i, double x)
{
    assert(isfinite(x));
    if (x >= RR_SKETCH_ZERO) {
        store16 *st = &r->pos[i];
        int64_t idx = bucket_index(x);
        if (st->cap == 0) {
            /* Made at its full span, centred on the first value: a row's memory is set by
             * its first values and does not grow with the tails. */
            uint16_t *c = calloc(ROW_SPAN, sizeof *c);
            if (c) {
                st->counts = c;
                st->cap = ROW_SPAN;
                /* Every bucket of the store lies above RR_SKETCH_ZERO, so that one unsigned
                 * compare of the offset admits only values that count as positive. */
                int64_t lowest = bucket_index(RR_SKETCH_ZERO) + 1;
                st->base = idx - (int64_t)(ROW_SPAN / 2) > lowest ? idx - (int64_t)(ROW_SPAN / 2)
                                                                  : lowest;
            }
        }
        uint64_t off = (uint64_t)(idx - st->base);
        if (off < st->cap) {
            st->counts[off]++;
            return;
        }
    } else if (fabs(x) < RR_SKETCH_ZERO) {
        r->zero[i]++;
        return;
    }
    /* Beyond the store, or negative (rare: premiums and differences). */
    r->tail_series[r->ntail] = (uint32_t)i;
    r->tail_value[r->ntail++] = x;
}

void rr_sketch_row_add_lanes(rr_sketch_row *r, const double *x, size_t stride, unsigned nl)
{
    assert(rr_sketch_row_room(r, nl));
    const size_t n = r->n;
    r->count += nl;
    r->pending += nl;
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * stride;
        double mn = r->min[i], mx = r->max[i];
        unsigned l = 0;
        if (nl == 16) {
            /* Two chains of eight rather than one of sixteen (finite values: any order finds
             * the same extremes). */
            double mn2 = mn, mx2 = mx;
            for (; l < 8; l++) {
                double a = xi[l], b = xi[l + 8];
                mn = a < mn ? a : mn;
                mx = a > mx ? a : mx;
                mn2 = b < mn2 ? b : mn2;
                mx2 = b > mx2 ? b : mx2;
            }
            mn = mn2 < mn ? mn2 : mn;
            mx = mx2 > mx ? mx2 : mx;
            l = 16;
        }
        for (; l < nl; l++) {
            mn = xi[l] < mn ? xi[l] : mn;
            mx = xi[l] > mx ? xi[l] : mx;
        }
        r->min[i] = mn;
        r->max[i] = mx;
        /* The common case in registers: a value inside the store as it is (whose buckets
         * all lie above RR_SKETCH_ZERO; a negative value's bits make a huge offset). */
        uint16_t *counts = r->pos[i].counts;
        int64_t base = r->pos[i].base;
        uint64_t cap = r->pos[i].cap;
        for (l = 0; l < nl; l++) {
            uint64_t off = (uint64_t)(bucket_index(xi[l]) - base);
            if (off < cap) {
                counts[off]++;
                continue;
            }
            row_bucket(r, i, xi[l]);
            counts = r->pos[i].counts;   /* the first value makes the store */
            base = r->pos[i].base;
            cap = r->pos[i].cap;
        }
    }
}

/* The buffered values into the sketches, and the stores when 16 bits are near their end. */
static int spill(rr_sketch_row *r, unsigned nl)
{
    int rc = 0;
    for (size_t t = 0; t < r->ntail; t++)
        if (add_bucket(r->sk[r->tail_series[t]], r->tail_value[t]) != 0)
            rc = -1;
    r->ntail = 0;
    if (r->pending + nl > ROW_FOLD) {
        for (size_t i = 0; i < r->n; i++)
            if (fold_store(&r->sk[i]->pos, &r->pos[i]) != 0) {
                r->sk[i]->failed = 1;
                rc = -1;
            }
        r->pending = 0;
    }
    return rc;
}

int rr_sketch_row_spill(rr_sketch_row *r, unsigned nl)
{
    return spill(r, nl);
}

int rr_sketch_row_flush(rr_sketch_row *r)
{
    int rc = spill(r, ROW_FOLD + 1);
    for (size_t i = 0; i < r->n; i++) {
        rr_sketch *s = r->sk[i];
        s->zero += r->zero[i];
        r->zero[i] = 0;
        s->count += r->count;
        if (r->min[i] < s->min)
            s->min = r->min[i];
        if (r->max[i] > s->max)
            s->max = r->max[i];
        r->min[i] = INFINITY;
        r->max[i] = -INFINITY;
    }
    r->count = 0;
    return rc;
}

size_t rr_sketch_row_bytes(const rr_sketch_row *r)
{
    size_t b = sizeof *r + r->n * (2 * sizeof(double) + sizeof(store16) + sizeof(uint64_t)) +
               r->tailcap * (sizeof(uint32_t) + sizeof(double));
    for (size_t i = 0; i < r->n; i++)
        b += r->pos[i].cap * sizeof(uint16_t);
    return b;
}

int rr_sketch_failed(const rr_sketch *s)
{
    return s->failed;
}

int rr_sketch_merge(rr_sketch *dst, const rr_sketch *src)
{
    int64_t plo = 0, phi = 0, nlo = 0, nhi = 0;
    int has_pos = store_range(&src->pos, &plo, &phi);
    int has_neg = store_range(&src->neg, &nlo, &nhi);
    /* Grow both stores before touching any count, so a failure leaves dst's contents as they
     * were (at worst with more capacity).  When dst == src the ranges are already covered,
     * nothing is reallocated, and the counts simply double. */
    if (has_pos && store_cover(&dst->pos, plo, phi) != 0)
        return -1;
    if (has_neg && store_cover(&dst->neg, nlo, nhi) != 0)
        return -1;
    if (has_pos)
        store_add(&dst->pos, &src->pos);
    if (has_neg)
        store_add(&dst->neg, &src->neg);
    dst->zero += src->zero;
    dst->count += src->count;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
    /* Values src lost are missing from dst too. */
    dst->failed |= src->failed;
    return 0;
}

int rr_sketch_absorb(rr_sketch **dst, rr_sketch **src)
{
    rr_sketch *d = *dst, *s = *src;
    if (d->count == 0 && d->zero == 0 && d->pos.cap == 0 && d->neg.cap == 0 && !d->failed) {
        /* Nothing to keep: take src as it is. */
        *dst = s;
        *src = d;
    } else if (rr_sketch_merge(d, s) != 0) {
        return -1;
    }
    rr_sketch_free(*src);
    *src = NULL;
    return 0;
}

uint64_t rr_sketch_count(const rr_sketch *s)
{
    return s->count;
}

double rr_sketch_min(const rr_sketch *s)
{
    return s->min;
}

double rr_sketch_max(const rr_sketch *s)
{
    return s->max;
}

double rr_sketch_quantile(const rr_sketch *s, double p)
{
    if (s->count == 0 || isnan(p))
        return NAN;
    return rr_sketch_at_rank(s, rr_quantile_rank(p, s->count));
}

double rr_sketch_at_rank(const rr_sketch *s, uint64_t rank)
{
    if (s->count == 0)
        return NAN;
    if (rank < 1)
        rank = 1;
    if (rank > s->count)
        rank = s->count;
    uint64_t cum = 0;
    double v = s->max;   /* unreachable while the stores' counts sum to count */

    for (size_t i = s->neg.cap; i-- > 0;) {
        cum += s->neg.counts[i];
        if (cum >= rank) {
            v = -representative(s->neg.base + (int64_t)i);
            goto found;
        }
    }
    cum += s->zero;
    if (cum >= rank) {
        v = 0.0;
        goto found;
    }
    for (size_t i = 0; i < s->pos.cap; i++) {
        cum += s->pos.counts[i];
        if (cum >= rank) {
            v = representative(s->pos.base + (int64_t)i);
            goto found;
        }
    }
found:
    /* Clamping makes the extreme quantiles exact and a constant series return itself. */
    if (v < s->min)
        v = s->min;
    if (v > s->max)
        v = s->max;
    return v;
}

uint64_t rr_sketch_count_above(const rr_sketch *s, double t)
{
    if (s->count == 0)
        return 0;
    if (t < s->min)
        return s->count;
    if (t >= s->max)
        return 0;
    /* Here t is within [min, max], so comparing the unclamped representative with t gives
     * the same answer as comparing the clamped one that rr_sketch_quantile reports. */
    uint64_t n = 0;
    for (size_t i = 0; i < s->neg.cap; i++) {
        if (s->neg.counts[i] != 0 && -representative(s->neg.base + (int64_t)i) > t)
            n += s->neg.counts[i];
    }
    if (0.0 > t)
        n += s->zero;
    for (size_t i = 0; i < s->pos.cap; i++) {
        if (s->pos.counts[i] != 0 && representative(s->pos.base + (int64_t)i) > t)
            n += s->pos.counts[i];
    }
    return n;
}

/* ---- ranks ---- */

/* For each bucket of each store, the values below it (as a double: exact to 2^53 values);
 * a value's mid-rank is its bucket's entry plus half the bucket's count. */
struct rr_sketch_ranks {
    const rr_sketch *s;
    double *below_pos, *below_neg;
    double below_zero, n;
};

rr_sketch_ranks *rr_sketch_ranks_new(const rr_sketch *s)
{
    rr_sketch_ranks *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->s = s;
    t->below_pos = calloc(s->pos.cap + 1, sizeof *t->below_pos);
    t->below_neg = calloc(s->neg.cap + 1, sizeof *t->below_neg);
    if (!t->below_pos || !t->below_neg) {
        rr_sketch_ranks_free(t);
        return NULL;
    }
    /* Ascending values: the negative store by decreasing magnitude, zero, the positive. */
    double c = 0;
    for (size_t i = s->neg.cap; i-- > 0;) {
        t->below_neg[i] = c;
        c += (double)s->neg.counts[i];
    }
    t->below_zero = c;
    c += (double)s->zero;
    for (size_t i = 0; i < s->pos.cap; i++) {
        t->below_pos[i] = c;
        c += (double)s->pos.counts[i];
    }
    t->n = c;
    return t;
}

void rr_sketch_ranks_free(rr_sketch_ranks *t)
{
    if (!t)
        return;
    free(t->below_pos);
    free(t->below_neg);
    free(t);
}

double rr_sketch_ranks_mid(const rr_sketch_ranks *t, double x)
{
    const rr_sketch *s = t->s;
    if (!(t->n > 0))
        return 0.5;
    double ax = fabs(x);
    if (ax < RR_SKETCH_ZERO)
        return (t->below_zero + 0.5 * (double)s->zero) / t->n;
    const store *st = x > 0 ? &s->pos : &s->neg;
    const double *below = x > 0 ? t->below_pos : t->below_neg;
    int64_t off = bucket_index(ax) - st->base;
    /* Outside the buckets held: below or above every value of its sign. */
    if (st->cap == 0 || off >= (int64_t)st->cap)
        return x > 0 ? 1 : 0;
    if (off < 0)
        return (x > 0 ? below[0] : t->below_zero) / t->n;
    return (below[off] + 0.5 * (double)st->counts[off]) / t->n;
}

size_t rr_sketch_bytes(const rr_sketch *s)
{
    return sizeof *s + (s->pos.cap + s->neg.cap) * sizeof(uint64_t);
}

uint64_t rr_quantile_rank(double p, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Also sends NaN to the first rank rather than into an undefined conversion. */
    if (!(p > 0.0))
        return 1;
    if (p >= 1.0)
        return n;
    /* The 1e-9 keeps p*n that rounds just above an integer (0.95*100) on that integer. */
    double r = ceil(p * (double)n - 1e-9);
    if (r < 1.0)
        return 1;
    if (r >= (double)n)
        return n;
    return (uint64_t)r;
}

void rr_moments_combine(rr_moments *acc, const rr_block_moments *b)
{
    if (b->n == 0)
        return;
    double nb = (double)b->n;
    double mean_b = b->shift + b->s1 / nb;
    double m2_b = b->s2 - b->s1 * b->s1 / nb;
    /* Rounding can take an (almost) zero M2 slightly below zero. */
    if (m2_b < 0.0)
        m2_b = 0.0;
    if (acc->n == 0) {
        acc->n = b->n;
        acc->mean = mean_b;
        acc->m2 = m2_b;
        return;
    }
    double na = (double)acc->n;
    double n = na + nb;
    double delta = mean_b - acc->mean;
    acc->mean += delta * nb / n;
    acc->m2 += m2_b + delta * delta * na * nb / n;
    acc->n += b->n;
}

double rr_moments_sd(const rr_moments *m)
{
    if (m->n < 2)
        return 0.0;
    return sqrt(m->m2 / (double)m->n);
}

void rr_comoments_combine(rr_comoments *acc, const rr_block_comoments *b)
{
    if (b->n == 0)
        return;
    double nb = (double)b->n;
    double mx = b->shift_x + b->sx / nb, my = b->shift_y + b->sy / nb;
    double cxx = b->sxx - b->sx * b->sx / nb, cyy = b->syy - b->sy * b->sy / nb;
    double cxy = b->sxy - b->sx * b->sy / nb;
    if (acc->n == 0) {
        *acc = (rr_comoments){ b->n, mx, my, cxx > 0 ? cxx : 0, cyy > 0 ? cyy : 0, cxy };
        return;
    }
    double na = (double)acc->n, n = na + nb;
    double dx = mx - acc->mx, dy = my - acc->my;
    acc->cxx += (cxx > 0 ? cxx : 0) + dx * dx * na * nb / n;
    acc->cyy += (cyy > 0 ? cyy : 0) + dy * dy * na * nb / n;
    acc->cxy += cxy + dx * dy * na * nb / n;
    acc->mx += dx * nb / n;
    acc->my += dy * nb / n;
    acc->n += b->n;
}

double rr_comoments_corr(const rr_comoments *c)
{
    if (c->n < 2 || !(c->cxx > 0) || !(c->cyy > 0))
        return 0;
    double r = c->cxy / sqrt(c->cxx * c->cyy);
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* ---- serialization, for merging sketches across processes ----
 * Layout, in 64-bit words: count, zero, min bits, max bits, failed, then per store (pos,
 * neg) its first nonzero index, the number n of buckets from there, and the n counts.  Only
 * the nonzero range travels: a store's slack stays home. */

static size_t store_words(const store *st)
{
    int64_t lo, hi;
    return 2 + (store_range(st, &lo, &hi) ? (size_t)(hi - lo + 1) : 0);
}

size_t rr_sketch_serialized_words(const rr_sketch *s)
{
    return 5 + store_words(&s->pos) + store_words(&s->neg);
}

static uint64_t *store_write(const store *st, uint64_t *out)
{
    int64_t lo = 0, hi = -1;
    if (!store_range(st, &lo, &hi)) {
        out[0] = 0;
        out[1] = 0;
        return out + 2;
    }
    size_t n = (size_t)(hi - lo + 1);
    out[0] = (uint64_t)lo;
    out[1] = n;
    memcpy(out + 2, st->counts + (lo - st->base), n * sizeof *out);
    return out + 2 + n;
}

void rr_sketch_serialize(const rr_sketch *s, uint64_t *out)
{
    out[0] = s->count;
    out[1] = s->zero;
    memcpy(&out[2], &s->min, sizeof s->min);
    memcpy(&out[3], &s->max, sizeof s->max);
    out[4] = (uint64_t)s->failed;
    out = store_write(&s->pos, out + 5);
    store_write(&s->neg, out);
}

/* Read a store into a fresh one; returns the words used, or 0 when malformed. */
static size_t store_read(store *st, const uint64_t *in, size_t avail)
{
    if (avail < 2 || in[1] > avail - 2 || in[0] > (uint64_t)INT64_MAX)
        return 0;
    size_t n = (size_t)in[1];
    if (n > 0) {
        if (store_cover(st, (int64_t)in[0], (int64_t)in[0] + (int64_t)n - 1) != 0)
            return 0;
        memcpy(st->counts + ((int64_t)in[0] - st->base), in + 2, n * sizeof *in);
    }
    return 2 + n;
}

int rr_sketch_merge_serialized(rr_sketch *dst, const uint64_t *in, size_t nwords)
{
    if (nwords < 5)
        return -1;
    rr_sketch *tmp = rr_sketch_new();
    if (!tmp)
        return -1;
    tmp->count = in[0];
    tmp->zero = in[1];
    memcpy(&tmp->min, &in[2], sizeof tmp->min);
    memcpy(&tmp->max, &in[3], sizeof tmp->max);
    tmp->failed = in[4] != 0;
    size_t used = 5, w;
    int rc = -1;
    if ((w = store_read(&tmp->pos, in + used, nwords - used)) != 0) {
        used += w;
        if ((w = store_read(&tmp->neg, in + used, nwords - used)) != 0 && used + w == nwords)
            rc = rr_sketch_merge(dst, tmp);
    }
    rr_sketch_free(tmp);
    return rc;
}
