/* fuzz_keyed.c - libFuzzer target: parse_keyed over memory.stat-like text
 * with the v1 and v2 key sets (and the parse_u64 it uses).  Checks the
 * contract: only mapped slots are written, found has no other bits, the
 * return value counts stored keys. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/parse.h"

static const KeySlot map[] = {      /* strcmp order, as parse_keyed requires */
    { "active_anon", 0 }, { "anon", 1 }, { "file", 2 }, { "hierarchical_memory_limit", 3 },
    { "inactive_file", 4 }, { "kernel", 5 }, { "pgfault", 6 }, { "pgmajfault", 7 },
    { "shmem", 8 }, { "total_cache", 9 }, { "total_inactive_file", 10 }, { "total_rss", 11 },
    { "workingset_refault", 12 }, { "workingset_refault_file", 13 },
};
#define NMAP (sizeof(map) / sizeof(map[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t vals[64];
    uint64_t found = 0;

    /* Exact-size heap copy: ASan catches any read past the end. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    memset(vals, 0xa5, sizeof(vals));
    int n = parse_keyed(buf, size, map, NMAP, vals, &found);
    if (n < 0 || found >> NMAP)
        abort();
    for (size_t i = NMAP; i < 64; i++)
        if (vals[i] != UINT64_C(0xa5a5a5a5a5a5a5a5))
            abort();
    if ((size_t)n < (size_t)__builtin_popcountll(found))
        abort();
    const char *p = buf;
    uint64_t v;
    (void)parse_u64(&p, buf + size, &v);
    if (p < buf || p > buf + size)
        abort();
    free(buf);
    return 0;
}
