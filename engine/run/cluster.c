/* cluster: MPI collectives for a run spread over ranks, or nothing without MPI. */
#include "run/cluster.h"

#include <stdlib.h>
#include <string.h>

#ifdef RR_MPI
#include <mpi.h>

static int rank_, size_ = 1;

int rr_cluster_init(int *argc, char ***argv)
{
    int provided;
    /* Only the main thread calls MPI; OpenMP threads never do. */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return -1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    return 0;
}

void rr_cluster_finalize(void)
{
    MPI_Finalize();
}

int rr_cluster_rank(void)
{
    return rank_;
}

int rr_cluster_size(void)
{
    return size_;
}

void rr_cluster_sum_u64(uint64_t *v, size_t n)
{
    if (size_ > 1 && n)
        MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
}

uint64_t rr_cluster_min_u64(uint64_t v)
{
    if (size_ > 1)
        MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD);
    return v;
}

double rr_cluster_max_double(double v)
{
    if (size_ > 1)
        MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    return v;
}

void rr_cluster_bcast(void *buf, size_t bytes, int root)
{
    if (size_ > 1)
        MPI_Bcast(buf, (int)bytes, MPI_BYTE, root, MPI_COMM_WORLD);
}

/* Blocks of rank r: r, r + size, r + 2 size, ... */
static uint64_t blocks_of(int r, uint64_t nblocks)
{
    return nblocks > (uint64_t)r ? (nblocks - (uint64_t)r + (uint64_t)size_ - 1) / (uint64_t)size_ : 0;
}

int rr_cluster_share_slots(void *slots, size_t slot_bytes, uint64_t nblocks)
{
    if (size_ == 1 || nblocks == 0)
        return 0;
    unsigned char *all = slots;
    uint64_t mine = blocks_of(rank_, nblocks);
    int *counts = calloc((size_t)size_, sizeof *counts), *displs = calloc((size_t)size_, sizeof *displs);
    unsigned char *send = malloc(mine * slot_bytes + 1), *recv = malloc(nblocks * slot_bytes);
    int rc = -1;
    if (!counts || !displs || !send || !recv)
        goto out;
    for (uint64_t i = 0; i < mine; i++)
        memcpy(send + i * slot_bytes, all + ((uint64_t)rank_ + i * (uint64_t)size_) * slot_bytes,
               slot_bytes);
    for (int r = 0, off = 0; r < size_; r++) {
        counts[r] = (int)(blocks_of(r, nblocks) * slot_bytes);
        displs[r] = off;
        off += counts[r];
    }
    MPI_Allgatherv(send, counts[rank_], MPI_BYTE, recv, counts, displs, MPI_BYTE, MPI_COMM_WORLD);
    for (int r = 0; r < size_; r++)
        for (uint64_t i = 0; i < blocks_of(r, nblocks); i++)
            memcpy(all + ((uint64_t)r + i * (uint64_t)size_) * slot_bytes,
                   recv + (size_t)displs[r] + i * slot_bytes, slot_bytes);
    rc = 0;
out:
    free(counts);
    free(displs);
    free(send);
    free(recv);
    return rc;
}

int rr_cluster_merge_sketches(rr_sketch **sk, size_t n)
{
    if (size_ == 1 || n == 0)
        return 0;
    size_t words = 0;
    for (size_t i = 0; i < n; i++)
        words += rr_sketch_serialized_words(sk[i]);
    uint64_t *mine = malloc(words * sizeof *mine);
    int *counts = calloc((size_t)size_, sizeof *counts), *displs = calloc((size_t)size_, sizeof *displs);
    uint64_t *all = NULL;
    int rc = -1;
    if (!mine || !counts || !displs)
        goto out;
    for (size_t i = 0, off = 0; i < n; off += rr_sketch_serialized_words(sk[i]), i++)
        rr_sketch_serialize(sk[i], mine + off);
    int w = (int)words;
    MPI_Allgather(&w, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    size_t total = 0;
    for (int r = 0; r < size_; r++) {
        displs[r] = (int)total;
        total += (size_t)counts[r];
    }
    if (!(all = malloc(total * sizeof *all)))
        goto out;
    MPI_Allgatherv(mine, w, MPI_UINT64_T, all, counts, displs, MPI_UINT64_T, MPI_COMM_WORLD);
    /* Every rank starts from empty sketches and merges all ranks' in rank order (integer
     * counts: any order would do; this one is simply fixed). */
    for (size_t i = 0; i < n; i++) {
        rr_sketch *fresh = rr_sketch_new();
        if (!fresh)
            goto out;
        rr_sketch_free(sk[i]);
        sk[i] = fresh;
    }
    for (int r = 0; r < size_; r++) {
        const uint64_t *p = all + displs[r], *end = p + counts[r];
        for (size_t i = 0; i < n; i++) {
            /* The layout is self-describing: count the words of this sketch. */
            size_t len = 5, at = 5;
            for (int st = 0; st < 2; st++) {
                if (p + at + 2 > end)
                    goto out;
                len += 2 + (size_t)p[at + 1];
                at += 2 + (size_t)p[at + 1];
            }
            if (p + len > end || rr_sketch_merge_serialized(sk[i], p, len) != 0)
                goto out;
            p += len;
        }
    }
    rc = 0;
out:
    free(mine);
    free(counts);
    free(displs);
    free(all);
    return rc;
}

#else /* one process */

int rr_cluster_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void rr_cluster_finalize(void) {}
int rr_cluster_rank(void) { return 0; }
int rr_cluster_size(void) { return 1; }
void rr_cluster_sum_u64(uint64_t *v, size_t n) { (void)v; (void)n; }
uint64_t rr_cluster_min_u64(uint64_t v) { return v; }
double rr_cluster_max_double(double v) { return v; }

void rr_cluster_bcast(void *buf, size_t bytes, int root)
{
    (void)buf;
    (void)bytes;
    (void)root;
}

int rr_cluster_share_slots(void *slots, size_t slot_bytes, uint64_t nblocks)
{
    (void)slots;
    (void)slot_bytes;
    (void)nblocks;
    return 0;
}

int rr_cluster_merge_sketches(rr_sketch **sk, size_t n)
{
    (void)sk;
    (void)n;
    return 0;
}

#endif
