/* memfiles.c - the tables of the v1 and v2 memory files and the parsing of
 * each file's text into value slots (SPEC 2, 3). */
#include "config.h"

#include "sample/memfiles.h"

#include <stdlib.h>
#include <string.h>

#include "sample/reader.h"
#include "util/xalloc.h"

static KeySlot v1_stat_map[] = {
    { "total_cache", MT_F_FILE }, { "total_rss", MT_F_ANON },
    { "total_rss_huge", MT_F_ANON_THP }, { "total_shmem", MT_F_SHMEM },
    { "total_mapped_file", MT_F_MAPPED_FILE }, { "total_dirty", MT_F_DIRTY },
    { "total_writeback", MT_F_WRITEBACK }, { "total_swap", MT_F_SWAP },
    { "total_swapcached", MT_F_SWAPCACHED }, { "total_pgfault", MT_F_PGFAULT },
    { "total_pgmajfault", MT_F_PGMAJFAULT },
    { "total_workingset_refault_anon", MT_F_REFAULT_ANON },
    { "total_workingset_refault_file", MT_F_REFAULT_FILE },
    { "total_inactive_anon", MT_F_INACTIVE_ANON }, { "total_active_anon", MT_F_ACTIVE_ANON },
    { "total_inactive_file", MT_F_INACTIVE_FILE }, { "total_active_file", MT_F_ACTIVE_FILE },
    { "total_unevictable", MT_F_UNEVICTABLE },
    { "hierarchical_memory_limit", MT_F_HIER_LIMIT },
    { "hierarchical_memsw_limit", MT_F_HIER_MEMSW_LIMIT },
};
static KeySlot v1_oom_map[] = {
    { "oom_kill_disable", MT_F_OOM_KILL_DISABLE }, { "under_oom", MT_F_UNDER_OOM },
    { "oom_kill", MT_F_OOM_KILLS },
};
static KeySlot v2_stat_map[] = {
    { "anon", MT_F_ANON }, { "file", MT_F_FILE }, { "kernel", MT_F_KERNEL },
    { "kernel_stack", X_KSTACK }, { "pagetables", X_PAGETABLES },
    { "sec_pagetables", X_SECPT }, { "percpu", X_PERCPU }, { "sock", MT_F_SOCK },
    { "vmalloc", X_VMALLOC }, { "shmem", MT_F_SHMEM }, { "file_mapped", MT_F_MAPPED_FILE },
    { "file_dirty", MT_F_DIRTY }, { "file_writeback", MT_F_WRITEBACK },
    { "swapcached", MT_F_SWAPCACHED }, { "anon_thp", MT_F_ANON_THP },
    { "inactive_anon", MT_F_INACTIVE_ANON }, { "active_anon", MT_F_ACTIVE_ANON },
    { "inactive_file", MT_F_INACTIVE_FILE }, { "active_file", MT_F_ACTIVE_FILE },
    { "unevictable", MT_F_UNEVICTABLE }, { "slab_reclaimable", MT_F_SLAB_RECLAIMABLE },
    { "slab", X_SLAB }, { "workingset_refault_anon", MT_F_REFAULT_ANON },
    { "workingset_refault_file", MT_F_REFAULT_FILE },
    { "workingset_refault", X_REFAULT_OLD }, { "pgscan", MT_F_PGSCAN },
    { "pgsteal", MT_F_PGSTEAL }, { "pgfault", MT_F_PGFAULT },
    { "pgmajfault", MT_F_PGMAJFAULT }, { "pglazyfree", MT_F_PGLAZYFREE },
    { "pglazyfreed", MT_F_PGLAZYFREED },
};
static KeySlot v2_events_map[] = {
    { "high", MT_F_HIGH_EVENTS }, { "max", MT_F_LIMIT_HITS }, { "oom", MT_F_OOM_EVENTS },
    { "oom_kill", MT_F_OOM_KILLS }, { "oom_group_kill", MT_F_OOM_GROUP_KILLS },
};
static KeySlot v2_swap_events_map[] = {
    { "max", MT_F_SWAP_LIMIT_HITS }, { "fail", MT_F_SWAP_FAIL },
};
static KeySlot cg_events_map[] = {
    { "populated", MT_F_POPULATED },
};

#define MAP(m) m, MT_ARRAY_SIZE(m)

static const FileDesc v1_files[] = {
    { "memory.usage_in_bytes", P_VALUE, MT_F_USAGE, NULL, 0, false, true, false,
      W_ALWAYS },
    { "memory.stat", P_STAT, 0, MAP(v1_stat_map), false, true, false,
      W_QUIET },
    { "memory.failcnt", P_VALUE, MT_F_LIMIT_HITS, NULL, 0, false, false, false,
      W_OWN_LIMIT },
    { "memory.max_usage_in_bytes", P_VALUE, MT_F_PEAK, NULL, 0, false, false, false,
      W_PEAK },
    { "memory.oom_control", P_STAT, 0, MAP(v1_oom_map), false, false, false,
      W_QUIET },
    { "memory.kmem.usage_in_bytes", P_VALUE, MT_F_KERNEL, NULL, 0, false, false, false,
      W_QUIET },
    { "memory.kmem.tcp.usage_in_bytes", P_VALUE, MT_F_SOCK, NULL, 0, false, false, false,
      W_NONZERO },
    { "memory.memsw.usage_in_bytes", P_VALUE, MT_F_MEMSW_USAGE, NULL, 0, false, false, false,
      W_MEMSW },
    { "memory.memsw.failcnt", P_VALUE, MT_F_SWAP_LIMIT_HITS, NULL, 0, false, false, false,
      W_OWN_SWAP_LIMIT },
    { "memory.pressure", P_PSI, 0, NULL, 0, false, false, true,
      W_ALWAYS },
    { "memory.limit_in_bytes", P_LIMIT, MT_F_LIMIT_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.memsw.limit_in_bytes", P_LIMIT, MT_F_SWAP_LIMIT_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.swappiness", P_VALUE, MT_F_SWAPPINESS, NULL, 0, true, false, false,
      W_ALWAYS },
};

static const FileDesc v2_files[] = {
    { "memory.current", P_VALUE, MT_F_USAGE, NULL, 0, false, true, false,
      W_ALWAYS },
    { "memory.stat", P_STAT, 0, MAP(v2_stat_map), false, true, false,
      W_QUIET },
    { "memory.events", P_STAT, 0, MAP(v2_events_map), false, false, false,
      W_QUIET },
    { "memory.peak", P_VALUE, MT_F_PEAK, NULL, 0, false, false, false,
      W_PEAK },
    { "memory.swap.current", P_VALUE, MT_F_SWAP, NULL, 0, false, false, false,
      W_NODE_SWAP },
    { "memory.swap.events", P_STAT, 0, MAP(v2_swap_events_map), false, false, false,
      W_NODE_SWAP },
    { "memory.pressure", P_PSI, 0, NULL, 0, false, false, false,
      W_ALWAYS },
    { "cgroup.events", P_STAT, 0, MAP(cg_events_map), false, false, false,
      W_ALWAYS },
    { "memory.max", P_LIMIT, MT_F_LIMIT_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.high", P_LIMIT, MT_F_HIGH_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.low", P_LIMIT, MT_F_LOW, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.min", P_LIMIT, MT_F_MIN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.swap.max", P_LIMIT, MT_F_SWAP_LIMIT_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.oom.group", P_VALUE, MT_F_OOM_GROUP, NULL, 0, true, false, false,
      W_ALWAYS },
};

_Static_assert(MT_ARRAY_SIZE(v1_files) <= MT_MAX_FILES, "v1 file table too large");
_Static_assert(MT_ARRAY_SIZE(v2_files) <= MT_MAX_FILES, "v2 file table too large");

static int keyslot_cmp(const void *a, const void *b)
{
    return strcmp(((const KeySlot *)a)->key, ((const KeySlot *)b)->key);
}

void memfiles_init(void)
{
    static bool sorted;
    if (sorted)
        return;
    qsort(v1_stat_map, MT_ARRAY_SIZE(v1_stat_map), sizeof(KeySlot), keyslot_cmp);
    qsort(v1_oom_map, MT_ARRAY_SIZE(v1_oom_map), sizeof(KeySlot), keyslot_cmp);
    qsort(v2_stat_map, MT_ARRAY_SIZE(v2_stat_map), sizeof(KeySlot), keyslot_cmp);
    qsort(v2_events_map, MT_ARRAY_SIZE(v2_events_map), sizeof(KeySlot), keyslot_cmp);
    qsort(v2_swap_events_map, MT_ARRAY_SIZE(v2_swap_events_map), sizeof(KeySlot), keyslot_cmp);
    sorted = true;
}

const FileDesc *memfiles_table(bool api_v1, size_t *n)
{
    *n = api_v1 ? MT_ARRAY_SIZE(v1_files) : MT_ARRAY_SIZE(v2_files);
    return api_v1 ? v1_files : v2_files;
}

void memfiles_parse(const FileDesc *d, const char *buf, size_t len, uint64_t *vals,
                    uint64_t *found)
{
    uint64_t v;

    switch (d->kind) {
    case P_STAT:
        parse_keyed(buf, len, d->map, d->nmap, vals, found);
        break;
    case P_VALUE:
    case P_LIMIT:
        if (parse_value(buf, len, d->kind == P_LIMIT, &v) == 0) {
            vals[d->field] = v;
            *found |= MT_BIT(d->field);
        }
        break;
    case P_PSI: {
        PsiValues p;
        if (parse_psi(buf, len, &p) < 0)
            break;
        vals[MT_F_PSI_SOME10] = p.some_avg[0];
        vals[MT_F_PSI_SOME60] = p.some_avg[1];
        vals[MT_F_PSI_SOME300] = p.some_avg[2];
        vals[MT_F_PSI_SOME_TOTAL] = p.some_total;
        *found |= MT_BIT(MT_F_PSI_SOME10) | MT_BIT(MT_F_PSI_SOME60) |
                  MT_BIT(MT_F_PSI_SOME300) | MT_BIT(MT_F_PSI_SOME_TOTAL);
        if (p.has_full) {
            vals[MT_F_PSI_FULL10] = p.full_avg[0];
            vals[MT_F_PSI_FULL60] = p.full_avg[1];
            vals[MT_F_PSI_FULL300] = p.full_avg[2];
            vals[MT_F_PSI_FULL_TOTAL] = p.full_total;
            *found |= MT_BIT(MT_F_PSI_FULL10) | MT_BIT(MT_F_PSI_FULL60) |
                      MT_BIT(MT_F_PSI_FULL300) | MT_BIT(MT_F_PSI_FULL_TOTAL);
        }
        break;
    }
    }
}
