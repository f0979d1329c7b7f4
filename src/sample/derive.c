/* derive.c - working set, effective limits, floor, rates. */
#include "config.h"

#include "sample/derive.h"

#include <math.h>
#include <string.h>

bool derive_working_set(const CgroupSample *s, uint64_t *ws)
{
    if (!sample_has(s, MT_F_USAGE))
        return false;
    uint64_t u = s->v[MT_F_USAGE];
    uint64_t inact = sample_get(s, MT_F_INACTIVE_FILE, 0);
    *ws = u > inact ? u - inact : 0;
    return true;
}

double derive_rate(const CgroupSample *cur, const CgroupSample *prev, MtField f, double dt,
                   bool *reset)
{
    if (!(dt > 0) || !sample_has(cur, f) || !sample_has(prev, f))
        return NAN;
    if (cur->v[f] < prev->v[f]) {
        if (reset)
            *reset = true;
        return NAN;
    }
    return (double)(cur->v[f] - prev->v[f]) / dt;
}

static uint64_t counter_delta(const CgEntry *e, MtField f, bool *reset)
{
    if (!e->has_prev || !sample_has(&e->cur, f) || !sample_has(&e->prev, f))
        return 0;
    if (e->cur.v[f] < e->prev.v[f]) {
        *reset = true;
        return 0;
    }
    return e->cur.v[f] - e->prev.v[f];
}

static void derive_limits(CgEntry *e, CgDerived *d, bool api_v1)
{
    const CgDerived *pd = e->parent ? &e->parent->d : NULL;
    uint64_t own = sample_get(&e->cur, MT_F_LIMIT_OWN, MT_UNLIMITED);
    uint64_t inherited = pd ? pd->limit : MT_UNLIMITED;

    /* The nearest level wins ties: its limit is the one that binds first
     * for this cgroup's own charges. */
    if (own != MT_UNLIMITED && own <= inherited) {
        d->limit = own;
        d->limit_from = e;
    } else {
        d->limit = inherited;
        d->limit_from = pd ? pd->limit_from : NULL;
        d->limit_outside = pd ? pd->limit_outside : false;
    }
    /* v1 computes the effective limit itself; a lower value than any
     * visible ancestor's means it is set above our view (cgroup ns). */
    if (api_v1 && sample_has(&e->cur, MT_F_HIER_LIMIT) &&
        e->cur.v[MT_F_HIER_LIMIT] < d->limit) {
        d->limit = e->cur.v[MT_F_HIER_LIMIT];
        d->limit_from = NULL;
        d->limit_outside = true;
    }

    uint64_t high = sample_get(&e->cur, MT_F_HIGH_OWN, MT_UNLIMITED);
    uint64_t phigh = pd ? pd->high : MT_UNLIMITED;
    if (high != MT_UNLIMITED && high <= phigh) {
        d->high = high;
        d->high_from = e;
    } else {
        d->high = phigh;
        d->high_from = pd ? pd->high_from : NULL;
    }
}

/* Swap headroom left by x's own swap limit; MT_UNLIMITED when none. */
static uint64_t own_swap_headroom(const CgEntry *x, bool api_v1)
{
    const CgroupSample *s = &x->cur;
    uint64_t lim = sample_get(s, MT_F_SWAP_LIMIT_OWN, MT_UNLIMITED);

    if (!x->has_cur || lim == MT_UNLIMITED)
        return MT_UNLIMITED;
    /* v2: swap.max bounds swap alone; v1: memsw.limit bounds mem+swap. */
    uint64_t used = api_v1 ? sample_get(s, MT_F_MEMSW_USAGE, 0) : sample_get(s, MT_F_SWAP, 0);
    return lim > used ? lim - used : 0;
}

/* How much anon could still be swapped out when reclaim runs at this
 * cgroup's limit (SPEC 5.4 swap_room): node SwapFree, bounded by the swap
 * headroom of this cgroup and every ancestor.  Only this cgroup's own
 * swappiness counts: memcg reclaim uses the swappiness of the memcg over
 * its limit, so an ancestor's swappiness 0 must not zero ours. */
static void derive_swap_room(CgEntry *e, CgDerived *d, const DeriveContext *ctx)
{
    const CgroupSample *s = &e->cur;

    if (!ctx->swap_known)
        return;
    uint64_t room = ctx->swap_total ? ctx->swap_free : 0;
    for (const CgEntry *x = e; x; x = x->parent) {
        uint64_t own = own_swap_headroom(x, ctx->api_v1);
        if (own < room)
            room = own;
    }
    /* Swappiness 0 disables swap for limit reclaim: v1 per cgroup
     * (memory.swappiness), v2 node-wide (vm.swappiness). */
    if (ctx->api_v1 && sample_has(s, MT_F_SWAPPINESS) && s->v[MT_F_SWAPPINESS] == 0)
        room = 0;
    if (!ctx->api_v1 && ctx->vm_swappiness == 0)
        room = 0;
    d->swap_room = room;
    d->swap_room_valid = true;
}

static void derive_floor(CgEntry *e, CgDerived *d)
{
    const CgroupSample *s = &e->cur;

    if (!sample_has(s, MT_F_USAGE) || !sample_has(s, MT_F_INACTIVE_FILE) ||
        !sample_has(s, MT_F_ACTIVE_FILE))
        return;
    uint64_t file_lru = s->v[MT_F_INACTIVE_FILE] + s->v[MT_F_ACTIVE_FILE];
    uint64_t anon_lru = sample_get(s, MT_F_INACTIVE_ANON, 0) + sample_get(s, MT_F_ACTIVE_ANON, 0);
    uint64_t room = d->swap_room_valid ? d->swap_room : 0;
    d->reclaimable = file_lru + (anon_lru < room ? anon_lru : room) +
                     sample_get(s, MT_F_SLAB_RECLAIMABLE, 0);
    uint64_t u = s->v[MT_F_USAGE];
    d->floor = u > d->reclaimable ? u - d->reclaimable : 0;
    d->floor_valid = true;
}

/* Rates of the memory.stat counters.  The counters were read at
 * counters_mono_ns; when this tick carried them over (a quiet cgroup), the
 * rates of the last real read stay (held in *held), and the next real read
 * divides by the time since the read before it, not by one tick. */
static void derive_counter_rates(const CgEntry *e, CgDerived *d, const CgDerived *held,
                                 const DeriveContext *ctx, bool *reset)
{
    if (e->carried) {
        d->pgfault_rate = held->pgfault_rate;
        d->pgmajfault_rate = held->pgmajfault_rate;
        d->refault_rate = held->refault_rate;
        d->lazyfree_rate = held->lazyfree_rate;
        return;
    }
    double dt = (double)(e->counters_mono_ns - e->prev_counters_mono_ns) / 1e9;
    if (!(dt > 0) || (ctx->stale_after > 0 && dt > ctx->stale_after))
        return;
    d->pgfault_rate = derive_rate(&e->cur, &e->prev, MT_F_PGFAULT, dt, reset);
    d->pgmajfault_rate = derive_rate(&e->cur, &e->prev, MT_F_PGMAJFAULT, dt, reset);
    double ra = derive_rate(&e->cur, &e->prev, MT_F_REFAULT_ANON, dt, reset);
    double rf = derive_rate(&e->cur, &e->prev, MT_F_REFAULT_FILE, dt, reset);
    d->refault_rate = isnan(ra) ? rf : isnan(rf) ? ra : ra + rf;
    d->lazyfree_rate = derive_rate(&e->cur, &e->prev, MT_F_PGLAZYFREE, dt, reset);
}

static void derive_rates(CgEntry *e, CgDerived *d, const CgDerived *held,
                         const DeriveContext *ctx)
{
    d->pgfault_rate = d->pgmajfault_rate = d->refault_rate = d->lazyfree_rate = NAN;
    d->ws_rate = NAN;
    if (!e->has_prev)
        return;
    /* Event deltas do not depend on the interval: a kill during a slow
     * tick is still a kill. */
    bool reset = false;
    d->d_limit_hits = counter_delta(e, MT_F_LIMIT_HITS, &reset);
    d->d_high_events = counter_delta(e, MT_F_HIGH_EVENTS, &reset);
    d->d_oom_events = counter_delta(e, MT_F_OOM_EVENTS, &reset);
    d->d_oom_kills = counter_delta(e, MT_F_OOM_KILLS, &reset);
    d->d_oom_group_kills = counter_delta(e, MT_F_OOM_GROUP_KILLS, &reset);
    d->counter_reset = reset;
    double dt = (double)(e->cur_mono_ns - e->prev_mono_ns) / 1e9;
    if (!(dt > 0) || (ctx->stale_after > 0 && dt > ctx->stale_after))
        return;
    derive_counter_rates(e, d, held, ctx, &reset);
    uint64_t ws_prev;
    if (d->ws_valid && derive_working_set(&e->prev, &ws_prev))
        d->ws_rate = ((double)d->ws - (double)ws_prev) / dt;
    d->counter_reset = reset;
}

void derive_entry(CgEntry *e, const DeriveContext *ctx)
{
    CgDerived d;

    memset(&d, 0, sizeof(d));
    d.ws_valid = derive_working_set(&e->cur, &d.ws);
    derive_limits(e, &d, ctx->api_v1);
    derive_swap_room(e, &d, ctx);
    derive_floor(e, &d);
    derive_rates(e, &d, &e->d, ctx);
    e->d = d;
}
