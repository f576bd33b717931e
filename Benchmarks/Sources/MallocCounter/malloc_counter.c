// See include/MallocCounter.h.
#define _GNU_SOURCE
#include "MallocCounter.h"
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static volatile int mc_enabled;
static uint64_t mc_allocs, mc_frees_n, mc_bytes;
static volatile uint64_t mc_probe;

#define COUNT_ALLOC(n)                                                   \
    do {                                                                 \
        mc_probe = 1;                                                    \
        if (__builtin_expect(mc_enabled, 0)) {                           \
            __atomic_fetch_add(&mc_allocs, 1, __ATOMIC_RELAXED);         \
            __atomic_fetch_add(&mc_bytes, (n), __ATOMIC_RELAXED);        \
        }                                                                \
    } while (0)

void *malloc(size_t n) {
    COUNT_ALLOC(n);
    return __libc_malloc(n);
}

void *calloc(size_t c, size_t n) {
    COUNT_ALLOC(c * n);
    return __libc_calloc(c, n);
}

void *realloc(void *p, size_t n) {
    COUNT_ALLOC(n);
    return __libc_realloc(p, n);
}

void free(void *p) {
    if (p && __builtin_expect(mc_enabled, 0))
        __atomic_fetch_add(&mc_frees_n, 1, __ATOMIC_RELAXED);
    __libc_free(p);
}

void *memalign(size_t align, size_t n) {
    COUNT_ALLOC(n);
    return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n) {
    COUNT_ALLOC(n);
    return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n) {
    if (align < sizeof(void *) || (align & (align - 1)) != 0) return EINVAL;
    COUNT_ALLOC(n);
    void *p = __libc_memalign(align, n);
    if (!p && n) return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t n) {
    COUNT_ALLOC(n);
    return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

void mc_start(void) {
    __atomic_store_n(&mc_allocs, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&mc_frees_n, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&mc_bytes, 0, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    mc_enabled = 1;
}

mc_counts mc_stop(void) {
    mc_enabled = 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    mc_counts c = {
        __atomic_load_n(&mc_allocs, __ATOMIC_RELAXED),
        __atomic_load_n(&mc_frees_n, __ATOMIC_RELAXED),
        __atomic_load_n(&mc_bytes, __ATOMIC_RELAXED),
    };
    return c;
}

int mc_active(void) {
    // strdup allocates inside libc.so: if that call reaches our malloc, so do calls from
    // every other shared library.
    mc_probe = 0;
    char *volatile p = strdup("probe");
    free(p);
    return mc_probe == 1;
}
