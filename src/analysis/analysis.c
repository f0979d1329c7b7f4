/* analysis.c - per-tick risk evaluation: binding level, inputs, trends,
 * event windows, hysteresis, and the RISK column's sort key.  The verdict's
 * sentences, JSON and batch cell are made in the output layer
 * (output/risk_text.c, output/risk_json.c). */
#include "config.h"

#include "analysis/analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample/entry_label.h"
#include "sample/fsroot.h"
#include "analysis/trend.h"
#include "util/xalloc.h"

#define EVLOG_CAP 128

/* Counter increases of one tick of one cgroup (only ticks with any). */
typedef struct {
    double t;                   /* monotonic seconds */
    uint32_t kills, group_kills, ooms, hits, swap_events;
} EventRec;

typedef struct {
    RiskVerdict v;
    RiskHyst hyst;
    uint64_t first_seq;         /* incarnation of the cgroup this state belongs to */
    uint64_t last_seq;          /* tick of the last event-log update */
    EventRec log[EVLOG_CAP];
    size_t nlog, head;          /* ring: head is the next slot */
    uint64_t kills_total;       /* since memtop started */
    uint64_t kills_before;      /* oom_kill counter at the first sample */
    double last_kill;           /* monotonic seconds, NaN if none seen */
    /* Trend fits of this cgroup's history as a binding level, per tick:
     * every cgroup without a limit of its own up the tree is judged against
     * the node, so the node's fit is asked for once per cgroup. */
    struct {
        uint64_t seq, mono_ns;  /* the tick fitted (seq 0: none yet) */
        bool ok;
        TrendFit fit;
    } fits[2];                  /* 0: working set, 1: floor */
} RiskState;

static void state_free(CgEntry *e, void *ctx)
{
    const Analysis *a = ctx;

    free(e->user);
    e->user = NULL;
    if (a && a->prev_on_free)
        a->prev_on_free(e, a->prev_on_free_ctx);
}

static RiskState *state_of(CgEntry *e, const Analysis *an)
{
    RiskState *s = e->user;

    if (s && s->first_seq != e->first_seq) {
        free(s);                /* the directory was re-created: start over */
        s = NULL;
    }
    if (!s) {
        s = xcalloc(1, sizeof(*s));
        s->v.owner = an;
        s->first_seq = e->first_seq;
        s->last_kill = (double)NAN;
        s->kills_before = sample_get(&e->cur, MT_F_OOM_KILLS, 0);
        risk_hyst_init(&s->hyst);
        s->v.level = s->v.raw = MT_RISK_UNKNOWN;
        e->user = s;
    }
    return s;
}

const RiskVerdict *analysis_verdict(const CgEntry *e)
{
    const RiskState *s = e->user;
    return s && s->v.valid ? &s->v : NULL;
}

bool analysis_sort_value(const CgEntry *e, double *out)
{
    const RiskVerdict *v = analysis_verdict(e);

    if (!v)
        return false;
    double r = fmax(isnan(v->ws_ratio) ? 0 : v->ws_ratio, isnan(v->floor_ratio) ? 0 : v->floor_ratio);
    *out = (double)v->level + fmin(fmax(r, 0.0), 1.0) * 0.999;
    return true;
}

void analysis_init(Analysis *a, const RiskThresholds *t)
{
    memset(a, 0, sizeof(*a));
    if (t)
        a->t = *t;
    else
        thresholds_default(&a->t);
}

static void after_tick(Model *m, void *ctx)
{
    analysis_tick(ctx, m);
}

static void read_mglru(Analysis *a, const Model *m)
{
    char buf[64];
    ssize_t n = fs_read_at(m->rootfd, "sys/kernel/mm/lru_gen/enabled", buf, sizeof(buf) - 1);

    if (n <= 0) {
        a->mglru = false;
        return;
    }
    buf[n] = '\0';
    a->mglru = strtoul(buf, NULL, 0) != 0;
}

void analysis_attach(Analysis *a, Model *m)
{
    a->prev_on_free = m->table.on_free;
    a->prev_on_free_ctx = m->table.on_free_ctx;
    m->table.on_free = state_free;
    m->table.on_free_ctx = a;
    m->after_tick = after_tick;
    m->after_tick_ctx = a;
    read_mglru(a, m);
}

static uint64_t counter_inc(const CgEntry *e, MtField f)
{
    if (!e->has_prev || !sample_has(&e->cur, f) || !sample_has(&e->prev, f) ||
        e->cur.v[f] < e->prev.v[f])
        return 0;
    return e->cur.v[f] - e->prev.v[f];
}

static uint32_t clamp32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Record this tick's counter increases of e in its event log. */
static void log_events(RiskState *s, const CgEntry *e, uint64_t seq, double now)
{
    EventRec r = {
        .t = now,
        .kills = clamp32(e->d.d_oom_kills),
        .group_kills = clamp32(e->d.d_oom_group_kills),
        .ooms = clamp32(e->d.d_oom_events),
        .hits = clamp32(e->d.d_limit_hits),
        .swap_events = clamp32(counter_inc(e, MT_F_SWAP_LIMIT_HITS) +
                               counter_inc(e, MT_F_SWAP_FAIL)),
    };

    if (s->last_seq == seq)
        return;
    s->last_seq = seq;
    if (r.kills) {
        s->kills_total += r.kills;
        s->last_kill = now;
    }
    if (!(r.kills | r.group_kills | r.ooms | r.hits | r.swap_events))
        return;
    s->log[s->head] = r;
    s->head = (s->head + 1) % EVLOG_CAP;
    if (s->nlog < EVLOG_CAP)
        s->nlog++;
}

typedef struct {
    uint64_t kills, group_kills, ooms, hits, swap_events;
} EventSums;

static EventSums log_sum(const RiskState *s, double now, double window)
{
    EventSums sum = { 0, 0, 0, 0, 0 };

    for (size_t i = 0; s && i < s->nlog; i++) {
        const EventRec *r = &s->log[(s->head + EVLOG_CAP - 1 - i) % EVLOG_CAP];
        if (now - r->t > window)
            break;
        sum.kills += r->kills;
        sum.group_kills += r->group_kills;
        sum.ooms += r->ooms;
        sum.hits += r->hits;
        sum.swap_events += r->swap_events;
    }
    return sum;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* Own finite limit of x as a candidate binding level; v1 limits set above
 * memtop's view count at the topmost visible level that sees them. */
static bool level_limit(const CgEntry *x, double *lim)
{
    uint64_t own = sample_get(&x->cur, MT_F_LIMIT_OWN, MT_UNLIMITED);

    if (own != MT_UNLIMITED) {
        *lim = (double)own;
        return true;
    }
    if (x->d.limit_outside && x->d.limit != MT_UNLIMITED &&
        (!x->parent || !x->parent->d.limit_outside)) {
        *lim = (double)x->d.limit;
        return true;
    }
    return false;
}

/* The level with the least headroom L - WS (ties: the nearest), or NULL. */
static const CgEntry *find_binding(const CgEntry *c, double mem_total, double *limit)
{
    const CgEntry *best = NULL;
    double best_head = INFINITY;

    for (const CgEntry *x = c; x; x = x->parent) {
        double lim;
        if (!x->has_cur || !x->d.ws_valid || !level_limit(x, &lim))
            continue;
        if (mem_total > 0 && lim > mem_total)
            lim = mem_total;
        double head = lim - (double)x->d.ws;
        if (head < best_head) {
            best = x;
            best_head = head;
            *limit = lim;
        }
    }
    return best;
}

/* Least squares of a history field of b over the last N ticks. */
static bool fit_history(const Model *m, const CgEntry *b, HistField f, const RiskThresholds *t,
                        TrendFit *fit)
{
    enum { MAXN = 512 };
    double ts[MAXN], ys[MAXN];
    size_t n = 0, want = (size_t)t->trend_samples;
    const TickTime *now = model_tick_time(m, m->seq);

    if (!now)
        return false;
    if (want > MAXN)
        want = MAXN;
    for (uint64_t k = 0; k < want && k < m->seq; k++) {
        uint64_t seq = m->seq - k;
        const HistRecord *r = hist_at(&b->hist, seq);
        const TickTime *tt = model_tick_time(m, seq);
        if (!r || !tt)
            break;
        if (r->v[f] == HIST_INVALID)
            continue;
        ts[n] = -(double)(now->mono_ns - tt->mono_ns) / 1e9;
        ys[n] = (double)hist_decode_bytes(r->v[f]);
        n++;
    }
    /* Collected newest first; the fit wants ascending time. */
    for (size_t i = 0; i < n / 2; i++) {
        double ta = ts[i], ya = ys[i];
        ts[i] = ts[n - 1 - i];
        ys[i] = ys[n - 1 - i];
        ts[n - 1 - i] = ta;
        ys[n - 1 - i] = ya;
    }
    return trend_fit(ts, ys, n, fit);
}

static double psi_pct(const CgroupSample *s, MtField f)
{
    return sample_has(s, f) ? (double)s->v[f] / 100.0 : (double)NAN;
}

static double interval_secs(const CgEntry *e)
{
    return e->has_prev && e->cur_mono_ns > e->prev_mono_ns
               ? (double)(e->cur_mono_ns - e->prev_mono_ns) / 1e9 : (double)NAN;
}

static double bytes_or_nan(const CgroupSample *s, MtField f)
{
    return sample_has(s, f) ? (double)s->v[f] : (double)NAN;
}

static void binding_label(const CgEntry *c, const CgEntry *b, bool node, char *buf, size_t len)
{
    if (node)
        snprintf(buf, len, "the node");
    else
        entry_binding_label(c, b, buf, len);
}

/* Quantities at the binding level b (SPEC 5.4 "Quantities at b"). */
static void inputs_at(const Model *m, const CgEntry *b, double limit, RiskInputs *in)
{
    const CgroupSample *s = &b->cur;
    const NodeSample *node = &m->node;

    in->limit = limit;
    in->usage = in->node_level && node->ws_valid ? (double)node->usage
                                                 : bytes_or_nan(s, MT_F_USAGE);
    in->ws = in->node_level && node->ws_valid ? (double)node->working_set
             : b->d.ws_valid ? (double)b->d.ws : (double)NAN;
    in->floor_valid = b->d.floor_valid;
    in->floor = b->d.floor_valid ? (double)b->d.floor : (double)NAN;
    in->reclaimable = b->d.floor_valid ? (double)b->d.reclaimable : (double)NAN;
    in->swap_room = b->d.swap_room_valid ? (double)b->d.swap_room : (double)NAN;
    in->swap = bytes_or_nan(s, MT_F_SWAP);
    in->inactive_file = bytes_or_nan(s, MT_F_INACTIVE_FILE);
    in->active_file = bytes_or_nan(s, MT_F_ACTIVE_FILE);
    if (sample_has(s, MT_F_DIRTY) || sample_has(s, MT_F_WRITEBACK))
        in->dirty_wb = (double)(sample_get(s, MT_F_DIRTY, 0) + sample_get(s, MT_F_WRITEBACK, 0));
    if (in->node_level && node->psi_valid) {
        in->psi_some10 = (double)node->psi.some_avg[0] / 100.0;
        in->psi_full10 = node->psi.has_full ? (double)node->psi.full_avg[0] / 100.0 : (double)NAN;
    } else {
        in->psi_some10 = psi_pct(s, MT_F_PSI_SOME10);
        in->psi_full10 = psi_pct(s, MT_F_PSI_FULL10);
    }
    double dt = interval_secs(b);
    in->hits_rate = !isnan(dt) ? (double)b->d.d_limit_hits / dt : (double)NAN;
    in->refault_rate = b->d.refault_rate;
    if (!isnan(in->refault_rate) && limit > 0)
        in->thrash = 100.0 * in->refault_rate * (double)node->pagesize / limit;
    if (b->has_prev && sample_has(s, MT_F_SWAP) && sample_has(&b->prev, MT_F_SWAP))
        in->swap_growing = s->v[MT_F_SWAP] > b->prev.v[MT_F_SWAP];
    uint64_t sl = sample_get(s, MT_F_SWAP_LIMIT_OWN, MT_UNLIMITED);
    if (sl != MT_UNLIMITED)
        in->swap_limit = (double)sl;
}

/* fit_history, remembered per tick in b's state (slot 0: MT_H_WS, 1:
 * MT_H_FLOOR).  The fit depends only on b's history up to this tick. */
static bool fit_cached(const Model *m, const CgEntry *b, int slot, const RiskThresholds *t,
                       TrendFit *fit)
{
    RiskState *s = b->user;
    const TickTime *now = model_tick_time(m, m->seq);
    HistField f = slot == 0 ? MT_H_WS : MT_H_FLOOR;

    if (!s || !now)
        return fit_history(m, b, f, t, fit);
    if (s->fits[slot].seq != m->seq || s->fits[slot].mono_ns != now->mono_ns) {
        s->fits[slot].ok = fit_history(m, b, f, t, &s->fits[slot].fit);
        s->fits[slot].seq = m->seq;
        s->fits[slot].mono_ns = now->mono_ns;
    }
    *fit = s->fits[slot].fit;
    return s->fits[slot].ok;
}

static void inputs_trend(const Model *m, const CgEntry *b, const RiskThresholds *t,
                         RiskInputs *in)
{
    TrendFit f;

    if (!isnan(in->ws) && fit_cached(m, b, 0, t, &f)) {
        in->eta_ws = trend_eta(&f, in->ws, in->limit, t);
        if (trend_valid(&f, in->limit, t))
            in->slope_ws = f.slope;
    }
    if (in->floor_valid && fit_cached(m, b, 1, t, &f)) {
        in->eta_oom = trend_eta(&f, in->floor, in->limit, t);
        if (trend_valid(&f, in->limit, t))
            in->slope_floor = f.slope;
    }
}

static void inputs_events(const CgEntry *c, const CgEntry *b, const RiskState *sc,
                          const RiskThresholds *t, double now, RiskInputs *in)
{
    const RiskState *sb = b ? b->user : NULL;
    EventSums cr = log_sum(sc, now, t->oom_recent), br = log_sum(sb, now, t->oom_recent);
    EventSums cw = log_sum(sc, now, t->oom_window), bw = log_sum(sb, now, t->oom_window);
    EventSums ch = log_sum(sc, now, t->hits_window), bh = log_sum(sb, now, t->hits_window);

    /* v2 propagates kills to ancestors, v1 does not: take the larger. */
    in->kills_recent = max_u64(cr.kills, br.kills);
    in->group_kills_recent = max_u64(cr.group_kills, br.group_kills);
    in->kills_window = max_u64(cw.kills, bw.kills);
    in->kills_total = max_u64(sc->kills_total, sb ? sb->kills_total : 0);
    in->kills_before = sc->kills_before;
    double lk = sc->last_kill;
    if (sb && !isnan(sb->last_kill) && (isnan(lk) || sb->last_kill > lk))
        lk = sb->last_kill;
    in->kill_age = isnan(lk) ? (double)NAN : now - lk;
    in->ooms_recent = b ? br.ooms : cr.ooms;
    in->hits_window = b ? bh.hits : ch.hits;
    in->swap_events = max_u64(ch.swap_events, bh.swap_events);
    in->under_oom = sample_get(&c->cur, MT_F_UNDER_OOM, 0) == 1 ||
                    (b && sample_get(&b->cur, MT_F_UNDER_OOM, 0) == 1);
}

/* v2 memory.high: the level that sets it is over it and being throttled. */
static void inputs_high(const CgEntry *c, RiskInputs *in)
{
    const CgEntry *h = c->d.high_from;

    if (c->d.high == MT_UNLIMITED || !h || !h->has_cur)
        return;
    in->high = (double)c->d.high;
    in->high_events = h->d.d_high_events;
    in->tick_secs = interval_secs(h);
    in->throttled = sample_get(&h->cur, MT_F_USAGE, 0) >= c->d.high && h->d.d_high_events > 0;
}

static double ratio_or_nan(double a, double l)
{
    return !isnan(a) && l > 0 ? a / l : (double)NAN;
}

static void evaluate(Analysis *a, const Model *m, CgEntry *c, double now)
{
    RiskState *s = c->user;
    RiskInputs *in = &s->v.in;
    const NodeSample *node = &m->node;
    double mem_total = node->mem_valid ? (double)node->mem.mem_total : 0;
    double limit = 0;
    const CgEntry *b = find_binding(c, mem_total, &limit);

    risk_inputs_init(in);
    if (!b) {
        /* No finite limit anywhere: judge against the node (root entry). */
        b = m->table.n ? m->table.entries[0] : c;
        in->node_level = true;
        limit = mem_total;
    }
    binding_label(c, b, in->node_level, in->bind, sizeof(in->bind));
    snprintf(s->v.binding, sizeof(s->v.binding), "%s", b->path);
    inputs_at(m, b, limit, in);
    inputs_trend(m, b, &a->t, in);
    inputs_events(c, b == c ? NULL : b, s, &a->t, now, in);
    inputs_high(c, in);
    in->majflt_rate = c->d.pgmajfault_rate;
    in->lazyfree_rate = c->d.lazyfree_rate;
    in->mglru = a->mglru;
    in->node_valid = node->mem_valid && node->ws_valid;
    in->mem_total = mem_total;
    if (in->node_valid)
        in->node_available = mem_total - (double)node->working_set;

    uint32_t relaxed_rules;
    s->v.raw = risk_evaluate(in, &a->t, false, &s->v.rules);
    MtRiskLevel relaxed = risk_evaluate(in, &a->t, true, &relaxed_rules);
    s->v.level = risk_hyst_step(&s->hyst, s->v.raw, relaxed, s->v.rules, &a->t);
    s->v.ws_ratio = ratio_or_nan(in->ws, in->limit);
    s->v.floor_ratio = in->floor_valid ? ratio_or_nan(in->floor, in->limit) : (double)NAN;
    s->v.use_ratio = ratio_or_nan(in->usage, in->limit);
    s->v.valid = true;

    HistRecord *r = (HistRecord *)hist_at(&c->hist, m->seq);
    if (r)
        r->risk = (uint8_t)s->v.level;
}

static bool sampled_now(const Model *m, const CgEntry *e)
{
    return e->state == MT_STATE_LIVE && e->has_cur && e->cur_seq == m->seq;
}

void analysis_tick(Analysis *a, Model *m)
{
    const TickTime *tt = model_tick_time(m, m->seq);
    double now = tt ? (double)tt->mono_ns / 1e9 : 0;

    if (m->seq % 30 == 1)
        read_mglru(a, m);
    /* Pass 1: event logs of every cgroup (binding levels need theirs). */
    for (size_t i = 0; i < m->table.n; i++) {
        CgEntry *e = m->table.entries[i];
        if (sampled_now(m, e))
            log_events(state_of(e, a), e, m->seq, now);
    }
    for (size_t i = 0; i < m->table.n; i++) {
        CgEntry *e = m->table.entries[i];
        if (sampled_now(m, e))
            evaluate(a, m, e, now);
    }
}
