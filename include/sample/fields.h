/* fields.h - the normalized per-cgroup sample: one value per field plus a
 * validity bit.  A field whose bit is clear was not provided by this kernel
 * (or could not be read): it is "unknown", never zero.
 *
 * Units: MT_U_BYTES are bytes; MT_U_COUNT are monotonic event counters
 * (pages or events, see the comment of each field); MT_U_GAUGE small integer
 * gauges; MT_U_PCT100 are percentages times 100 (PSI avg, 1.27% -> 127);
 * MT_U_USEC microseconds.  Limits use MT_UNLIMITED for "no limit".
 *
 * All sizes are hierarchical (self plus descendants): v1 uses the total_*
 * keys of memory.stat, v2 memory.stat is hierarchical already. */
#ifndef MEMTOP_FIELDS_H
#define MEMTOP_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

/* An unlimited limit; util/format.h prints UINT64_MAX as "max". */
#define MT_UNLIMITED UINT64_MAX

typedef enum {
    MT_U_BYTES,
    MT_U_COUNT,
    MT_U_GAUGE,
    MT_U_PCT100,
    MT_U_USEC,
    MT_U_LIMIT,     /* bytes, or MT_UNLIMITED */
} MtUnit;

/* X(ID, json key, unit) -- the json key is also the recorder's field name. */
#define MT_FIELDS(X) \
    /* composition (bytes, gauges) */ \
    X(USAGE,            "usage",            MT_U_BYTES)  \
    X(ANON,             "anon",             MT_U_BYTES)  \
    X(FILE,             "file",             MT_U_BYTES)  \
    X(SHMEM,            "shmem",            MT_U_BYTES)  \
    X(MAPPED_FILE,      "mapped_file",      MT_U_BYTES)  \
    X(DIRTY,            "dirty",            MT_U_BYTES)  \
    X(WRITEBACK,        "writeback",        MT_U_BYTES)  \
    X(ACTIVE_ANON,      "active_anon",      MT_U_BYTES)  \
    X(INACTIVE_ANON,    "inactive_anon",    MT_U_BYTES)  \
    X(ACTIVE_FILE,      "active_file",      MT_U_BYTES)  \
    X(INACTIVE_FILE,    "inactive_file",    MT_U_BYTES)  \
    X(UNEVICTABLE,      "unevictable",      MT_U_BYTES)  \
    X(SWAP,             "swap",             MT_U_BYTES)  \
    X(SWAPCACHED,       "swapcached",       MT_U_BYTES)  \
    X(KERNEL,           "kernel",           MT_U_BYTES)  \
    X(SLAB_RECLAIMABLE, "slab_reclaimable", MT_U_BYTES)  \
    X(SOCK,             "sock",             MT_U_BYTES)  \
    X(ANON_THP,         "anon_thp",         MT_U_BYTES)  \
    X(PEAK,             "peak",             MT_U_BYTES)  \
    X(MEMSW_USAGE,      "memsw_usage",      MT_U_BYTES)  \
    /* configuration of this cgroup itself (not inherited) */ \
    X(LIMIT_OWN,        "limit_own",        MT_U_LIMIT)  \
    X(HIGH_OWN,         "high_own",         MT_U_LIMIT)  \
    X(LOW,              "low",              MT_U_LIMIT)  \
    X(MIN,              "min",              MT_U_LIMIT)  \
    X(SWAP_LIMIT_OWN,   "swap_limit_own",   MT_U_LIMIT)  \
    X(HIER_LIMIT,       "hierarchical_limit", MT_U_LIMIT) \
    X(HIER_MEMSW_LIMIT, "hierarchical_memsw_limit", MT_U_LIMIT) \
    X(SWAPPINESS,       "swappiness",       MT_U_GAUGE)  \
    X(OOM_KILL_DISABLE, "oom_kill_disable", MT_U_GAUGE)  \
    X(OOM_GROUP,        "oom_group",        MT_U_GAUGE)  \
    /* counters */ \
    X(PGFAULT,          "pgfault",          MT_U_COUNT)  \
    X(PGMAJFAULT,       "pgmajfault",       MT_U_COUNT)  \
    X(REFAULT_ANON,     "workingset_refault_anon", MT_U_COUNT) \
    X(REFAULT_FILE,     "workingset_refault_file", MT_U_COUNT) \
    X(PGLAZYFREE,       "pglazyfree",       MT_U_COUNT)  \
    X(PGLAZYFREED,      "pglazyfreed",      MT_U_COUNT)  \
    X(PGSCAN,           "pgscan",           MT_U_COUNT)  \
    X(PGSTEAL,          "pgsteal",          MT_U_COUNT)  \
    X(LIMIT_HITS,       "limit_hits",       MT_U_COUNT)  \
    X(HIGH_EVENTS,      "high_events",      MT_U_COUNT)  \
    X(OOM_EVENTS,       "oom_events",       MT_U_COUNT)  \
    X(OOM_KILLS,        "oom_kills",        MT_U_COUNT)  \
    X(OOM_GROUP_KILLS,  "oom_group_kills",  MT_U_COUNT)  \
    X(SWAP_LIMIT_HITS,  "swap_limit_hits",  MT_U_COUNT)  \
    X(SWAP_FAIL,        "swap_fail",        MT_U_COUNT)  \
    X(UNDER_OOM,        "under_oom",        MT_U_GAUGE)  \
    X(POPULATED,        "populated",        MT_U_GAUGE)  \
    /* pressure stall information (v2, or the unified tree on hybrid hosts) */ \
    X(PSI_SOME10,       "psi_some_avg10",   MT_U_PCT100) \
    X(PSI_SOME60,       "psi_some_avg60",   MT_U_PCT100) \
    X(PSI_SOME300,      "psi_some_avg300",  MT_U_PCT100) \
    X(PSI_SOME_TOTAL,   "psi_some_total",   MT_U_USEC)   \
    X(PSI_FULL10,       "psi_full_avg10",   MT_U_PCT100) \
    X(PSI_FULL60,       "psi_full_avg60",   MT_U_PCT100) \
    X(PSI_FULL300,      "psi_full_avg300",  MT_U_PCT100) \
    X(PSI_FULL_TOTAL,   "psi_full_total",   MT_U_USEC)

typedef enum {
#define MT_X_ENUM(id, key, unit) MT_F_##id,
    MT_FIELDS(MT_X_ENUM)
#undef MT_X_ENUM
    MT_F_COUNT
} MtField;

_Static_assert(MT_F_COUNT <= 64, "validity mask is one uint64_t");

typedef struct {
    uint64_t v[MT_F_COUNT];
    uint64_t valid;             /* bit f set <=> v[f] is meaningful */
} CgroupSample;

#define MT_BIT(f) (UINT64_C(1) << (f))

static inline bool sample_has(const CgroupSample *s, MtField f)
{
    return (s->valid & MT_BIT(f)) != 0;
}

static inline void sample_set(CgroupSample *s, MtField f, uint64_t v)
{
    s->v[f] = v;
    s->valid |= MT_BIT(f);
}

static inline uint64_t sample_get(const CgroupSample *s, MtField f, uint64_t dflt)
{
    return sample_has(s, f) ? s->v[f] : dflt;
}

const char *field_key(MtField f);
MtUnit field_unit(MtField f);
/* Lookup by json key; -1 when unknown. */
int field_by_key(const char *key);

#endif
