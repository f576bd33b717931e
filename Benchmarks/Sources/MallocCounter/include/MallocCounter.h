// Allocation counter for the codec benchmarks.
//
// malloc_counter.c defines malloc, calloc, realloc, free, posix_memalign, aligned_alloc,
// memalign and valloc in the benchmark executable itself; they forward to glibc's
// __libc_malloc & co. Because the definitions live in the executable, every shared library
// (libswiftCore, libstdc++, libprotobuf, ...) binds to them, so allocations made by
// runtimes count too. Counting is off unless mc_start() was called, and then costs one
// relaxed atomic add per call. glibc only (Linux).
#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint64_t allocations;   // malloc + calloc + realloc + aligned allocations (each call)
    uint64_t frees;         // free(p) with p != NULL
    uint64_t bytes;         // bytes requested by those allocations
} mc_counts;

/// Reset the counters and start counting.
void mc_start(void);
/// Stop counting and return what was counted since mc_start().
mc_counts mc_stop(void);
/// 1 if this process's malloc is the interposed one (a quick self-test), else 0.
int mc_active(void);

#ifdef __cplusplus
}
#endif
#endif
