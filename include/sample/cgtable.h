/* cgtable.h - every known cgroup of the memory hierarchy, by path.
 *
 * The table owns its entries.  entries[] keeps discovery order, in which a
 * parent always comes before its children (the walk is pre-order and new
 * children are appended), so one forward pass can propagate values from
 * ancestors.  Views never reorder it: they sort borrowed pointer arrays. */
#ifndef MEMTOP_CGTABLE_H
#define MEMTOP_CGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/classify.h"
#include "sample/fields.h"
#include "sample/hist.h"
#include "sample/reader.h"

typedef enum {
    MT_STATE_LIVE,
    MT_STATE_GONE,              /* vanished; kept as a tombstone until tomb_until */
} MtState;

/* Values derived each tick from samples (derive.c).  Rates are per second
 * and NaN when unknown (first sample, counter reset, stale interval). */
typedef struct {
    bool ws_valid;
    uint64_t ws;                /* max(0, usage - inactive_file) */
    uint64_t limit;             /* effective: min over self and ancestors; MT_UNLIMITED */
    const struct CgEntry *limit_from;   /* whose own limit binds; NULL if none */
    bool limit_outside;         /* v1: binds above the visible hierarchy root */
    uint64_t high;              /* v2 effective memory.high, MT_UNLIMITED if none */
    const struct CgEntry *high_from;
    bool swap_room_valid;
    uint64_t swap_room;         /* bytes of anon that could still go to swap */
    bool floor_valid;
    uint64_t reclaimable;       /* file LRU + swappable anon + reclaimable slab */
    uint64_t floor;             /* usage - reclaimable: what reclaim cannot free */
    double pgfault_rate, pgmajfault_rate, refault_rate, lazyfree_rate;
    double ws_rate;             /* bytes/s, from consecutive samples */
    /* Counter increases in the last tick (0 when unknown or reset). */
    uint64_t d_limit_hits, d_high_events, d_oom_events, d_oom_kills, d_oom_group_kills;
    bool counter_reset;         /* some counter went backwards this tick */
} CgDerived;

typedef struct CgEntry {
    char *path;                 /* "/" for the root, else "/a/b" (owned) */
    const char *name;           /* last component, points into path ("" for root) */
    struct CgEntry *parent;     /* NULL for the root */
    int depth;                  /* root 0 */
    uint64_t inode;             /* directory inode; a new one means re-created */
    CgClass cls;
    struct CgEntry *container;  /* the container this is or is inside, or NULL */
    struct CgEntry *pod;        /* the pod this is or is inside, or NULL */

    MtState state;
    bool unaccounted;           /* v2: directory without memory.* files */
    uint64_t seen_gen;          /* last discovery generation that saw it */
    double gone_time;           /* unix seconds when first seen gone */
    double tomb_until;          /* unix seconds; sweep frees it after this */

    CgFiles files;
    CgroupSample cur, prev;
    bool has_cur, has_prev;
    uint64_t cur_seq;           /* tick seq of cur */
    uint64_t cur_mono_ns, prev_mono_ns;
    bool carried;               /* cur's composition (memory.stat) was carried
                                 * over from prev, not read */
    uint64_t counters_mono_ns;  /* when cur's memory.stat counters were read */
    uint64_t prev_counters_mono_ns; /* ... and prev's */
    uint64_t first_seq;         /* tick of the first sample since (re)creation */
    CgDerived d;
    HistRing hist;

    char *display_name;         /* sanitized name from a names resolver, or NULL */
    uint64_t names_gen;         /* names.c: the resolver generation at which no
                                 * name was found for it (0: not looked for) */
    void *user;                 /* owned by later layers (analysis state) */

    struct CgEntry *hnext;      /* hash chain */
    size_t index;               /* position in entries[] */
} CgEntry;

typedef struct {
    CgEntry **entries;
    size_t n, cap;
    CgEntry **buckets;
    size_t nbuckets;
    uint32_t hist_cap;
    void (*on_free)(CgEntry *e, void *ctx);  /* called before an entry is freed */
    void *on_free_ctx;
} CgTable;

void cgtable_init(CgTable *t, uint32_t hist_cap);
void cgtable_done(CgTable *t, Reader *rd);
CgEntry *cgtable_find(const CgTable *t, const char *path);
/* Create and append; path must not exist yet.  parent NULL only for "/". */
CgEntry *cgtable_add(CgTable *t, const char *path, CgEntry *parent);
/* Remove and free entries for which remove(e) is true, keeping order. */
void cgtable_remove_if(CgTable *t, Reader *rd, bool (*remove)(const CgEntry *e, void *ctx),
                       void *ctx);
/* Reset an entry whose directory was re-created (new inode): history,
 * samples and fds are dropped, classification kept. */
void cgtable_reset_entry(CgTable *t, Reader *rd, CgEntry *e);

/* Path relative to the hierarchy root without the leading '/' ("" for root). */
static inline const char *cgentry_relpath(const CgEntry *e)
{
    return e->path + 1;
}

#endif
