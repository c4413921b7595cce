/* merge: from the threads' and ranks' accumulators to the results. */
#include "run/merge.h"

#include <stdlib.h>
#include <string.h>

#include "run/cluster.h"

rr_status rr_merge_init(rr_merge *m, size_t k, rr_result **r, size_t nd, rr_result_diff **d,
                        int nthreads, uint64_t nblocks)
{
    memset(m, 0, sizeof *m);
    m->k = k;
    m->nd = nd;
    m->r = r;
    m->d = d;
    m->nthreads = nthreads;
    m->nblocks = nblocks;
    m->slot_off = calloc(k + nd + 1, sizeof *m->slot_off);
    m->cslot_off = calloc(k + 1, sizeof *m->cslot_off);
    if (!m->slot_off || !m->cslot_off)
        return RR_ERR_NOMEM;
    for (size_t i = 0; i < k; i++) {
        m->slot_off[i + 1] = m->slot_off[i] + r[i]->nseries;
        m->cslot_off[i + 1] = m->cslot_off[i] + r[i]->ndrivers;
    }
    for (size_t i = 0; i < nd; i++)
        m->slot_off[k + 1 + i] = m->slot_off[k + i] + d[i]->nseries;
    m->slot_len = m->slot_off[k + nd];
    m->cslot_len = m->cslot_off[k];
    /* The sketches of every path-fed series, one set per scenario shared by this batch's
     * threads (their rows spill into it in turn): memory that grows with the range of the
     * values is then held once, not once per thread. */
    m->shared = calloc(m->slot_len + 1, sizeof *m->shared);
    m->slots = calloc(nblocks * m->slot_len + 1, sizeof *m->slots);
    m->cslots = calloc(nblocks * m->cslot_len + 1, sizeof *m->cslots);
    m->tally = calloc((size_t)nthreads * k + 1, sizeof *m->tally);
    m->dtally = calloc((size_t)nthreads * nd + 1, sizeof *m->dtally);
    if (!m->shared || !m->slots || !m->cslots || !m->tally || !m->dtally)
        return RR_ERR_NOMEM;
    for (size_t i = 0; i < k; i++)
        for (size_t x = 0; x < rr_result_unit_horizon(r[i]); x++)
            if (!(m->shared[m->slot_off[i] + x] = rr_sketch_new()))
                return RR_ERR_NOMEM;
    return RR_OK;
}

void rr_merge_free(rr_merge *m)
{
    if (m->tally)
        for (size_t w = 0; w < (size_t)m->nthreads * m->k; w++)
            rr_tally_free(&m->tally[w]);
    if (m->dtally)
        for (size_t w = 0; w < (size_t)m->nthreads * m->nd; w++)
            rr_diff_tally_free(&m->dtally[w], m->d[w % m->nd]->nseries);
    if (m->shared)
        for (size_t x = 0; x < m->slot_len; x++)
            rr_sketch_free(m->shared[x]);
    free(m->tally);
    free(m->dtally);
    free(m->shared);
    free(m->slots);
    free(m->cslots);
    free(m->slot_off);
    free(m->cslot_off);
    memset(m, 0, sizeof *m);
}

rr_tally *rr_merge_tally(rr_merge *m, int t, size_t i)
{
    return &m->tally[(size_t)t * m->k + i];
}

rr_diff_tally *rr_merge_diff_tally(rr_merge *m, int t, size_t i)
{
    return &m->dtally[(size_t)t * m->nd + i];
}

int rr_merge_thread(rr_merge *m, int t)
{
    int ok = 1;
    for (size_t i = 0; i < m->k; i++)
        ok &= rr_tally_init(rr_merge_tally(m, t, i), m->r[i], m->shared + m->slot_off[i]) == 0;
    for (size_t i = 0; i < m->nd; i++)
        ok &= rr_diff_tally_init(rr_merge_diff_tally(m, t, i), m->d[i]->nseries) == 0;
    return ok ? 0 : -1;
}

void rr_merge_block_start(rr_merge *m, int t)
{
    for (size_t i = 0; i < m->k; i++)
        rr_tally_block_start(rr_merge_tally(m, t, i));
    for (size_t i = 0; i < m->nd; i++)
        memset(rr_merge_diff_tally(m, t, i)->bm, 0,
               m->d[i]->nseries * sizeof *rr_merge_diff_tally(m, t, i)->bm);
}

void rr_merge_block_end(rr_merge *m, int t, uint64_t b)
{
    rr_block_moments *slot = m->slots + b * m->slot_len;
    for (size_t i = 0; i < m->k; i++)
        rr_tally_block_end(rr_merge_tally(m, t, i), slot + m->slot_off[i],
                           m->cslots + b * m->cslot_len + m->cslot_off[i]);
    for (size_t i = 0; i < m->nd; i++)
        memcpy(slot + m->slot_off[m->k + i], rr_merge_diff_tally(m, t, i)->bm,
               m->d[i]->nseries * sizeof *slot);
}

/* Every thread's rows into the shared sketches, which thread 0's tallies then take (its
 * own sketches of those series are empty). */
static int flush_rows(rr_merge *m)
{
    int bad = 0;
    for (size_t w = 0; w < (size_t)m->nthreads * m->k; w++)
        if (m->tally[w].row && rr_sketch_row_flush(m->tally[w].row) != 0)
            bad = 1;
    for (size_t i = 0; !bad && i < m->k; i++)
        for (size_t x = 0; x < rr_result_unit_horizon(m->r[i]); x++)
            if (rr_sketch_absorb(&m->tally[i].sketch[x], &m->shared[m->slot_off[i] + x]) != 0)
                bad = 1;
    return bad;
}

/* Threads 1.. into thread 0's tallies: integer counts, in any order. */
static int merge_threads(rr_merge *m)
{
    for (int t = 1; t < m->nthreads; t++) {
        for (size_t i = 0; i < m->k; i++) {
            rr_tally *w = rr_merge_tally(m, t, i), *w0 = rr_merge_tally(m, 0, i);
            if (!w->sketch)
                continue;
            for (size_t x = 0; x < m->r[i]->nseries; x++)
                if (rr_sketch_absorb(&w0->sketch[x], &w->sketch[x]) != 0)
                    return -1;
            w0->exceed += w->exceed;
            for (int mo = 0; mo < m->r[i]->horizon; mo++)
                w0->mexceed[mo] += w->mexceed[mo];
            for (size_t c = 0; c < m->r[i]->ncapacity; c++)
                w0->bound[c] += w->bound[c];
            for (size_t c = 0; c < m->r[i]->about.nbudget_periods; c++)
                w0->pexceed[c] += w->pexceed[c];
            for (int mo = 0; mo < m->r[i]->horizon; mo++)
                w0->exhausted[mo] += w->exhausted[mo];
        }
        for (size_t i = 0; i < m->nd; i++) {
            rr_diff_tally *w = rr_merge_diff_tally(m, t, i), *w0 = rr_merge_diff_tally(m, 0, i);
            if (!w->sketch)
                continue;
            for (size_t x = 0; x < m->d[i]->nseries; x++)
                if (rr_sketch_absorb(&w0->sketch[x], &w->sketch[x]) != 0)
                    return -1;
            w0->costlier += w->costlier;
        }
    }
    return 0;
}

/* Thread 0's tallies across ranks, then into the results. */
static int merge_ranks(rr_merge *m)
{
    for (size_t i = 0; i < m->k; i++) {
        rr_tally *w0 = rr_merge_tally(m, 0, i);
        rr_result *r = m->r[i];
        if (rr_cluster_merge_sketches(w0->sketch, r->nseries) != 0)
            return -1;
        rr_cluster_sum_u64(&w0->exceed, 1);
        rr_cluster_sum_u64(w0->mexceed, (size_t)r->horizon);
        rr_cluster_sum_u64(w0->bound, r->ncapacity);
        rr_cluster_sum_u64(w0->pexceed, r->about.nbudget_periods);
        rr_cluster_sum_u64(w0->exhausted, (size_t)r->horizon);
        for (size_t x = 0; x < r->nseries; x++)
            if (rr_sketch_absorb(&r->sketch[x], &w0->sketch[x]) != 0)
                return -1;
        r->exceed += w0->exceed;
        for (int mo = 0; mo < r->horizon; mo++)
            r->monthly_exceed[mo] += w0->mexceed[mo];
        for (size_t c = 0; c < r->ncapacity; c++)
            r->capacity_bound[c] += w0->bound[c];
        for (size_t c = 0; c < r->about.nbudget_periods; c++)
            r->period_exceed[c] += w0->pexceed[c];
        for (int mo = 0; mo < r->horizon; mo++)
            r->exhausted[mo] += w0->exhausted[mo];
    }
    for (size_t i = 0; i < m->nd; i++) {
        rr_diff_tally *w0 = rr_merge_diff_tally(m, 0, i);
        if (rr_cluster_merge_sketches(w0->sketch, m->d[i]->nseries) != 0)
            return -1;
        rr_cluster_sum_u64(&w0->costlier, 1);
        for (size_t x = 0; x < m->d[i]->nseries; x++)
            if (rr_sketch_absorb(&m->d[i]->sketch[x], &w0->sketch[x]) != 0)
                return -1;
        m->d[i]->b_costlier += w0->costlier;
    }
    return 0;
}

/* Floating point: strictly in block order, after the batches before this one.  Each
 * block's slot was filled by the one rank that ran it. */
static int combine_blocks(rr_merge *m)
{
    if (rr_cluster_share_slots(m->slots, m->slot_len * sizeof *m->slots, m->nblocks) != 0 ||
        rr_cluster_share_slots(m->cslots, m->cslot_len * sizeof *m->cslots, m->nblocks) != 0)
        return -1;
    for (uint64_t b = 0; b < m->nblocks; b++) {
        const rr_block_moments *slot = m->slots + b * m->slot_len;
        const rr_block_comoments *cslot = m->cslots + b * m->cslot_len;
        for (size_t i = 0; i < m->k; i++) {
            rr_result *r = m->r[i];
            for (size_t x = 0; x < r->nseries; x++)
                rr_moments_combine(&r->moments[x], &slot[m->slot_off[i] + x]);
            for (size_t x = 0; x < r->ndrivers; x++)
                rr_comoments_combine(&r->driver_mom[x], &cslot[m->cslot_off[i] + x]);
        }
        for (size_t i = 0; i < m->nd; i++)
            for (size_t x = 0; x < m->d[i]->nseries; x++)
                rr_moments_combine(&m->d[i]->moments[x], &slot[m->slot_off[m->k + i] + x]);
    }
    return 0;
}

rr_status rr_merge_finish(rr_merge *m, int failed)
{
    /* Failures are the cluster's: every rank takes the same branch. */
    uint64_t bad[1] = { (uint64_t)(failed || flush_rows(m)) };
    for (size_t w = 0; w < (size_t)m->nthreads * m->k; w++)
        bad[0] |= (uint64_t)m->tally[w].failed;
    for (size_t w = 0; w < (size_t)m->nthreads * m->nd; w++)
        bad[0] |= (uint64_t)m->dtally[w].failed;
    rr_cluster_sum_u64(bad, 1);
    if (bad[0] || merge_threads(m) != 0 || merge_ranks(m) != 0 || combine_blocks(m) != 0)
        return RR_ERR_NOMEM;
    return RR_OK;
}
