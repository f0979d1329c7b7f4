/* strhash.h - the hash of a NUL-terminated string for the path-keyed hash
 * tables (cgroup table, recorder): 64-bit FNV-1a.  Inline: it runs for
 * every cgroup on every tick. */
#ifndef MEMTOP_STRHASH_H
#define MEMTOP_STRHASH_H

#include <stdint.h>

static inline uint64_t strhash(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603);     /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

#endif
