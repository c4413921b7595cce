/* sim: the OpenMP driver of the path loop.
 *
 * A batch (run_range) is: its accumulators and the threads' kernels made (batch_init), the
 * blocks run on every thread (run_blocks, block by block: run_block), the first fault
 * named if there was one (name_fault), everything merged into the results (merge.h) and
 * the counts summed (finish).  The kernel of a block is group.h's, its accumulators
 * tally.h's.
 */
#include "run/sim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run/cluster.h"
#include "run/group.h"
#include "run/merge.h"
#include "run/series.h"
#include "run/tally.h"
#include "sample/sampler.h"

#ifdef _OPENMP
#include <omp.h>
#endif

uint64_t rr_sim_block_size(uint64_t n)
{
    uint64_t b = (n + RR_SIM_MAX_BLOCKS - 1) / RR_SIM_MAX_BLOCKS;
    return b < RR_SIM_MIN_BLOCK ? RR_SIM_MIN_BLOCK : b;
}

uint64_t rr_sim_tap_rows(uint64_t n)
{
    uint64_t b = rr_sim_block_size(n);
    return (n + b - 1) / b * b;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* What one thread runs one scenario with. */
typedef struct kernel {
    rr_sampler *sampler;
    rr_group *group;
} kernel;

/* Paths first .. first + n - 1 of k scenarios on every thread and rank. */
typedef struct batch {
    size_t k, nd;
    const rr_plan *const *p;
    rr_result **r;
    rr_result_diff **d;
    const rr_sim_config *cfg;
    uint64_t first, n, bsize, nblocks, my_blocks;
    int rank, nranks, nthreads, used;
    rr_merge m;
    kernel *kern;                    /* nthreads x k */
    /* The fault protocol: the lowest faulty block so far, its first fault. */
    uint64_t fault_block;
    rr_fault fault;
    size_t fault_scenario;
    uint64_t done_paths;
    int oom, stopped;
} batch;

static rr_status batch_init(batch *B, const rr_plan *const *p, size_t k, rr_result **r,
                            rr_result_diff **d, const rr_sim_config *cfg, uint64_t first,
                            uint64_t n)
{
    memset(B, 0, sizeof *B);
    *B = (batch){ .k = k, .nd = d ? k - 1 : 0, .p = p, .r = r, .d = d, .cfg = cfg,
                  .first = first, .n = n, .used = 1, .fault_block = UINT64_MAX };
    B->bsize = rr_sim_block_size(n);
    B->nblocks = (n + B->bsize - 1) / B->bsize;
#ifdef _OPENMP
    B->nthreads = cfg->threads > 0 ? cfg->threads : omp_get_max_threads();
#endif
    if (B->nthreads < 1)
        B->nthreads = 1;
    /* Blocks are dealt round-robin to the ranks of a cluster (one rank without MPI). */
    B->rank = rr_cluster_rank();
    B->nranks = rr_cluster_size();
    const uint64_t rank = (uint64_t)B->rank, nranks = (uint64_t)B->nranks;
    B->my_blocks = B->nblocks > rank ? (B->nblocks - rank + nranks - 1) / nranks : 0;
    B->kern = calloc((size_t)B->nthreads * k, sizeof *B->kern);
    if (!B->kern)
        return RR_ERR_NOMEM;
    return rr_merge_init(&B->m, k, r, B->nd, d, B->nthreads, B->nblocks);
}

static void batch_free(batch *B)
{
    if (B->kern)
        for (size_t w = 0; w < (size_t)B->nthreads * B->k; w++) {
            rr_sampler_free(B->kern[w].sampler);
            rr_group_free(B->kern[w].group);
        }
    free(B->kern);
    rr_merge_free(&B->m);
}

/* The config's moves, given by driver index, onto the sampler's refs. */
static int shift_drivers(rr_sampler *s, const rr_plan *p, const rr_sim_config *cfg)
{
    rr_sampler_move mv[RR_MAX_DRIVER_MOVES];
    if (cfg->nmoves > RR_MAX_DRIVER_MOVES)
        return -1;
    for (size_t k = 0; k < cfg->nmoves; k++) {
        if (cfg->moves[k].ref >= p->ndrivers)
            return -1;
        mv[k] = (rr_sampler_move){ p->drivers[cfg->moves[k].ref].ref, cfg->moves[k].m,
                                   cfg->moves[k].s };
    }
    return rr_sampler_shift(s, mv, cfg->nmoves);
}

/* Thread t's kernels and tallies, made by the thread itself, so that their pages are first
 * touched where they are used. */
static int thread_init(batch *B, int t)
{
    int ok = rr_merge_thread(&B->m, t) == 0;
    for (size_t i = 0; i < B->k; i++) {
        kernel *kn = &B->kern[(size_t)t * B->k + i];
        kn->sampler = rr_sampler_new(B->p[i], B->cfg->seed);
        kn->group = rr_group_new(B->p[i], B->r[i]);
        ok &= kn->sampler && kn->group;
        const rr_sim_pin *pin = B->cfg->pin;
        if (kn->sampler && pin)
            ok &= pin->driver < B->p[i]->ndrivers &&
                  rr_sampler_pin(kn->sampler, B->p[i]->drivers[pin->driver].ref, pin->value) == 0;
        if (kn->sampler && B->cfg->nmoves)
            ok &= shift_drivers(kn->sampler, B->p[i], B->cfg) == 0;
        if (ok)
            rr_merge_tally(&B->m, t, i)->ranks = B->cfg->rank_total;
    }
    return ok ? 0 : -1;
}

/* The first fault of the group's lanes in path order (scenario order within a path),
 * recorded when its block is the lowest faulty one yet; 1 when there was one. */
static int check_group(batch *B, int t, uint64_t b, uint64_t path0, unsigned nl)
{
    for (unsigned l = 0; l < nl; l++)
        for (size_t i = 0; i < B->k; i++) {
            rr_fault f;
            if (rr_group_check(B->kern[(size_t)t * B->k + i].group, l, path0 + l,
                               B->cfg->draws_only, &f) == 0)
                continue;
#pragma omp critical(rr_sim_fault)
            {
                if (b < B->fault_block) {
                    f.block = b;
                    B->fault = f;
                    B->fault_scenario = i;
#pragma omp atomic write
                    B->fault_block = b;
                }
            }
            return 1;
        }
    return 0;
}

/* The group's lanes' taps into their paths' rows. */
static void tap_group(const rr_sim_taps *tp, const kernel *kn, const rr_plan *p, uint64_t path0,
                      unsigned nl)
{
    const rr_group *g = kn->group;
    const rr_values *v = rr_sampler_values(kn->sampler);
    const size_t H = (size_t)p->horizon;
    for (unsigned l = 0; l < nl; l++) {
        double *row = tp->out + (path0 + l) * tp->ntaps;
        for (size_t j = 0; j < tp->ntaps; j++) {
            const rr_sim_tap *x = &tp->tap[j];
            switch (x->kind) {
            case RR_TAP_SERIES: row[j] = g->valsl[x->index * RR_LANES + l]; break;
            case RR_TAP_COMP_MONTH:
                row[j] = g->cost[(x->index * H + (size_t)x->month) * RR_LANES + l];
                break;
            case RR_TAP_DRIVER: row[j] = v[p->drivers[x->index].ref].at[l]; break;
            }
        }
    }
}

/* A checked group into thread t's tallies, and the differences of its lanes. */
static void tally_group(batch *B, int t, uint64_t path0, unsigned nl)
{
    kernel *kn = &B->kern[(size_t)t * B->k];
    if (B->cfg->taps && !B->cfg->draws_only)
        tap_group(B->cfg->taps, kn, B->p[0], path0, nl);
    if (!B->cfg->draws_only)
        for (size_t i = 0; i < B->k; i++)
            rr_tally_group(rr_merge_tally(&B->m, t, i), kn[i].group, B->p[i],
                           rr_sampler_values(kn[i].sampler), nl);
    for (unsigned l = 0; l < nl; l++)
        for (size_t x = 0; x < B->nd; x++)
            rr_diff_tally_lane(rr_merge_diff_tally(&B->m, t, x), B->d[x], kn[0].group,
                               kn[x + 1].group, l);
}

/* Block b on thread t: its groups up to the first fault or an interrupt. */
static void run_block(batch *B, int t, uint64_t b)
{
    const rr_sim_config *cfg = B->cfg;
    uint64_t limit;
#pragma omp atomic read
    limit = B->fault_block;
    if (b >= limit)
        return;
    rr_merge_block_start(&B->m, t);
    const uint64_t lo = b * B->bsize, hi = lo + B->bsize < B->n ? lo + B->bsize : B->n;
    uint64_t p;
    for (p = lo; p < hi; p += RR_LANES) {
        /* Stop soon after an interrupt: the block's paths done so far stay counted in both
         * its sketches and its moments, so they agree. */
        if (cfg->stop && (p - lo) % RR_SIM_STOP_CHECK == 0 && *cfg->stop) {
#pragma omp atomic write
            B->stopped = 1;
            break;
        }
        const unsigned nl = hi - p < RR_LANES ? (unsigned)(hi - p) : RR_LANES;
        for (size_t i = 0; i < B->k; i++) {
            kernel *kn = &B->kern[(size_t)t * B->k + i];
            rr_group_run(kn->group, kn->sampler, B->first + p, nl, cfg->draws_only);
            rr_group_sum(kn->group);
        }
        if (check_group(B, t, b, B->first + p, nl))
            break;
        tally_group(B, t, B->first + p, nl);
    }
    if (p > hi)
        p = hi;
    rr_merge_block_end(&B->m, t, b);
    uint64_t now;
#pragma omp atomic capture
    now = B->done_paths += p - lo;
    if (t == 0 && cfg->progress)
        cfg->progress(cfg->progress_ctx, B->first + now, B->first + B->n);
}

static void run_blocks(batch *B)
{
#pragma omp parallel num_threads(B->nthreads)
    {
        int t = 0;
#ifdef _OPENMP
        t = omp_get_thread_num();
#pragma omp single
        B->used = omp_get_num_threads();
#endif
        if (thread_init(B, t) != 0) {
#pragma omp atomic write
            B->oom = 1;
        }
#pragma omp barrier
        int bad_start;
#pragma omp atomic read
        bad_start = B->oom;
        if (!bad_start) {
#pragma omp for schedule(dynamic, 1)
            for (uint64_t j = 0; j < B->my_blocks; j++)
                run_block(B, t, (uint64_t)B->rank + j * (uint64_t)B->nranks);
        }
    }
}

/* The cluster's first fault, named on every rank; 1 when there was one. */
static int name_fault(batch *B, rr_diags *diags)
{
    uint64_t global = rr_cluster_min_u64(B->fault_block);
    if (global == UINT64_MAX)
        return 0;
    struct {
        rr_fault f;
        uint64_t scenario;
    } fs = { B->fault, B->fault_scenario };
    rr_cluster_bcast(&fs, sizeof fs, (int)(global % (uint64_t)B->nranks));
    rr_group_describe_fault(B->p[fs.scenario], &fs.f, B->k > 1, diags);
    return 1;
}

/* Scenario i's event counts that hit their cap, over threads and ranks, into its result:
 * each component's, then each stream's spikes; and its computed fields' values held to their
 * domains. */
static void sum_capped(batch *B, size_t i)
{
    const rr_plan *p = B->p[i];
    uint64_t capped[RR_MAX_COMPONENTS + RR_MAX_STREAMS] = { 0 };
    for (int t = 0; t < B->nthreads; t++) {
        const rr_sampler *s = B->kern[(size_t)t * B->k + i].sampler;
        for (size_t k = 0; s && k < p->ncomp; k++)
            if (p->comp[k].events >= 0)
                capped[k] += rr_sampler_capped(s, (size_t)p->comp[k].events);
        for (size_t j = 0; s && j < p->nstreams; j++)
            if (p->streams[j].spikes >= 0)
                capped[p->ncomp + j] += rr_sampler_capped(s, (size_t)p->streams[j].spikes);
    }
    rr_cluster_sum_u64(capped, p->ncomp + p->nstreams);
    for (size_t k = 0; k < p->ncomp + p->nstreams; k++)
        B->r[i]->events_capped[k] += capped[k];
    /* The computed fields held to their domains, likewise. */
    for (size_t c = 0; c < p->ncomputed; c++) {
        uint64_t n = 0;
        for (int t = 0; t < B->nthreads; t++) {
            const rr_sampler *s = B->kern[(size_t)t * B->k + i].sampler;
            n += s ? rr_sampler_clamped(s, p->computed[c].ref) : 0;
        }
        rr_cluster_sum_u64(&n, 1);
        B->r[i]->clamped[c] += n;
    }
}

/* The counts of every thread and rank into the results. */
static rr_status finish(batch *B)
{
    uint64_t totals[3] = { B->done_paths, (uint64_t)B->stopped, 0 };
    for (size_t w = 0; w < (size_t)B->nthreads * B->k; w++)
        if (B->kern[w].sampler)
            totals[2] += rr_sampler_draws(B->kern[w].sampler);
    rr_cluster_sum_u64(totals, 3);
    const int stopped = totals[1] != 0;
    const uint64_t paths = stopped ? B->first + totals[0] : B->first + B->n;
    for (size_t i = 0; i < B->k; i++) {
        rr_result *r = B->r[i];
        sum_capped(B, i);
        r->draws += totals[2] / B->k;
        r->paths = paths;
        r->partial |= stopped;
        r->seed = B->cfg->seed;
        r->bytes = 0;
        for (size_t x = 0; x < r->nseries; x++)
            r->bytes += rr_sketch_bytes(r->sketch[x]);
    }
    for (size_t i = 0; i < B->nd; i++)
        B->d[i]->paths = paths;
    return stopped ? RR_ERR_INTERRUPTED : RR_OK;
}

/* Simulate paths first..first+n-1 of every scenario and merge them into its results (and
 * differences). */
static rr_status run_range(const rr_plan *const *p, size_t k, rr_result **r, rr_result_diff **d,
                           const rr_sim_config *cfg, uint64_t first, uint64_t n,
                           rr_diags *diags)
{
    batch B;
    rr_status st = batch_init(&B, p, k, r, d, cfg, first, n);
    if (st == RR_OK) {
        double t0 = now_seconds();
        run_blocks(&B);
        double seconds = rr_cluster_max_double(now_seconds() - t0);
        for (size_t i = 0; i < k; i++) {
            r[i]->seconds += seconds;
            r[i]->threads = B.used;
        }
        if (name_fault(&B, diags))
            st = RR_ERR_NUMERIC;
        else if (cfg->taps && B.nranks > 1 &&
                 rr_cluster_share_slots(cfg->taps->out,
                                        B.bsize * cfg->taps->ntaps * sizeof(double),
                                        B.nblocks) != 0)
            st = RR_ERR_NOMEM;
        else if ((st = rr_merge_finish(&B.m, B.oom)) == RR_OK)
            st = finish(&B);
    }
    batch_free(&B);
    return st;
}

rr_status rr_sim_run_many(const rr_plan *const *p, size_t k, const rr_sim_config *cfg,
                          rr_result **results, rr_result_diff **diffs, rr_diags *diags)
{
    for (size_t i = 0; i < k; i++)
        results[i] = NULL;
    for (size_t i = 0; diffs && i + 1 < k; i++)
        diffs[i] = NULL;
    rr_status st = RR_OK;
    for (size_t i = 0; i < k && st == RR_OK; i++)
        if (!(results[i] = rr_series_result(p[i])))
            st = RR_ERR_NOMEM;
    for (size_t i = 0; diffs && i + 1 < k && st == RR_OK; i++)
        if (!(diffs[i] = rr_result_diff_new(results[0], results[i + 1])))
            st = RR_ERR_NOMEM;
    if (st == RR_OK)
        st = run_range(p, k, results, diffs, cfg, 0, cfg->paths, diags);
    if (st != RR_OK && st != RR_ERR_INTERRUPTED) {
        for (size_t i = 0; i < k; i++) {
            rr_result_free(results[i]);
            results[i] = NULL;
        }
        for (size_t i = 0; diffs && i + 1 < k; i++) {
            rr_result_diff_free(diffs[i]);
            diffs[i] = NULL;
        }
    }
    return st;
}

rr_status rr_sim_run(const rr_plan *p, const rr_sim_config *cfg, rr_result **out,
                     rr_diags *diags)
{
    const rr_plan *one[1] = { p };
    return rr_sim_run_many(one, 1, cfg, out, NULL, diags);
}

rr_status rr_sim_extend(const rr_plan *p, const rr_sim_config *cfg, rr_result *r,
                        uint64_t more, rr_diags *diags)
{
    if (more == 0)
        return RR_OK;
    const rr_plan *one[1] = { p };
    rr_result *rs[1] = { r };
    return run_range(one, 1, rs, NULL, cfg, r->paths, more, diags);
}
