/* derive.h - per-tick derived values (CgDerived, see cgtable.h): working
 * set (cAdvisor), effective limit and the ancestor that sets it, swap room,
 * reclaimable and floor (SPEC 5.2/5.4), rates and event deltas.
 *
 * Rates come only from two consecutive samples of the same cgroup
 * incarnation, taken less than stale_after seconds apart; a counter that
 * went backwards (reset, or re-created cgroup) yields no rate. */
#ifndef MEMTOP_DERIVE_H
#define MEMTOP_DERIVE_H

#include "sample/cgtable.h"
#include "sample/parse.h"

typedef struct {
    bool swap_known;
    uint64_t swap_total, swap_free;     /* node, bytes */
    bool api_v1;
    int vm_swappiness;                  /* v2: /proc/sys/vm/swappiness, -1 unknown */
    double stale_after;                 /* seconds */
} DeriveContext;

/* Derive e->d from e->cur, e->prev and e->parent->d (parent first!). */
void derive_entry(CgEntry *e, const DeriveContext *ctx);

/* Working set of a sample: usage - inactive_file, floored at 0; usage when
 * inactive_file is unknown.  false when usage is unknown. */
bool derive_working_set(const CgroupSample *s, uint64_t *ws);

/* Rate of a counter between two samples, NaN if not computable. */
double derive_rate(const CgroupSample *cur, const CgroupSample *prev, MtField f, double dt,
                   bool *reset);

#endif
