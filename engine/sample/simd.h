/* simd: RR_VECTOR_CLONES, for the few hot loops over a group's lanes that gain from wider
 * vectors than the baseline x86-64 (SSE2) build may use.
 *
 * The function is compiled also for AVX2 and AVX-512 and the widest the processor has is
 * chosen when the program loads (GCC's target_clones, through an ifunc), so one binary runs
 * anywhere.  A clone does the same IEEE operations in the same order per lane, only more
 * lanes at once, and the build does not contract a * b + c into an FMA (-ffp-contract=off in
 * the Makefile): every clone gives the same bits.  Elsewhere (other compilers or targets,
 * sanitizer builds) it is nothing.
 */
#ifndef RR_SIMD_H
#define RR_SIMD_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__)
#define RR_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define RR_VECTOR_CLONES
#endif

#endif
