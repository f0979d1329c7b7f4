/* risk_text.c - the OOM-risk verdict in words (SPEC 5.5): rule and info
 * sentences, where the verdict is judged, and the batch output's cell. */
#include "config.h"

#include "output/risk_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/format.h"

#define SZ(buf, v) fmt_bytes(buf, sizeof(buf), (uint64_t)((v) > 0 ? (v) : 0), !isnan(v))

static bool has(uint32_t rules, MtRule r)
{
    return (rules & MT_RULE(r)) != 0;
}

static void ago_text(char *buf, size_t len, double secs)
{
    if (secs < 120)
        snprintf(buf, len, "%.0f s ago", secs);
    else
        snprintf(buf, len, "%.0f min ago", secs / 60.0);
}

static void sentence_kills(const RiskInputs *in, uint32_t rules, Explanation *x)
{
    char when[64], grp[96] = "";
    uint64_t n;

    if (has(rules, MT_R_C1)) {
        n = in->kills_recent;
        snprintf(when, sizeof(when), "in the last minute");
    } else if (has(rules, MT_R_H5)) {
        n = in->kills_window;
        ago_text(when, sizeof(when), isnan(in->kill_age) ? 0 : in->kill_age);
    } else if (has(rules, MT_R_W7)) {
        n = in->kills_total;
        snprintf(when, sizeof(when), "since memtop started");
    } else {
        return;
    }
    if (in->group_kills_recent)
        snprintf(grp, sizeof(grp), " The whole group was killed %llu time(s).",
                 (unsigned long long)in->group_kills_recent);
    explain_add(x, "OOM killer killed %llu process(es) in this cgroup %s.%s",
                (unsigned long long)n, when, grp);
}

static void sentence_trend(const RiskInputs *in, uint32_t rules, Explanation *x)
{
    char a[32], b[32], c[32];

    if (!(rules & (MT_RULE(MT_R_C6) | MT_RULE(MT_R_H4) | MT_RULE(MT_R_W3))))
        return;
    if (isnan(in->eta_ws)) {
        explain_add(x, "At the current growth of %s/s, reclaim will be exhausted in %s.",
                    SZ(a, in->slope_floor), fmt_eta(b, sizeof(b), in->eta_oom, false));
        return;
    }
    char oom[64] = "";
    if (!isnan(in->eta_oom))
        snprintf(oom, sizeof(oom), "; reclaim will be exhausted in %s",
                 fmt_eta(c, sizeof(c), in->eta_oom, false));
    explain_add(x, "At the current growth of %s/s, the working set reaches the limit in %s%s.",
                SZ(a, in->slope_ws), fmt_eta(b, sizeof(b), in->eta_ws, false), oom);
}

static void sentence_ratios(const RiskInputs *in, uint32_t rules, const RiskThresholds *t,
                            Explanation *x)
{
    char a[32];
    double wsr = risk_ratio(in->ws, in->limit);
    double flr = in->floor_valid ? risk_ratio(in->floor, in->limit) : (double)NAN;
    bool w1 = has(rules, MT_R_W1);

    char at[340] = "";

    /* Name the level when the verdict is not judged at the cgroup itself. */
    if (strcmp(in->bind, "this cgroup") != 0 && in->bind[0])
        snprintf(at, sizeof(at), " (at %s)", in->bind);
    if (has(rules, MT_R_C4) || has(rules, MT_R_H1))
        explain_add(x, "Only %s of the limit is reclaimable%s; the next burst of allocations "
                       "will trigger the OOM killer.", SZ(a, in->limit - in->floor), at);
    else if (w1 && risk_ge(flr, t->floor_watch - t->lower_margin))
        explain_add(x, "Unreclaimable floor is %.0f%% of the limit%s; only %s could be freed or "
                       "is still free.", 100 * flr, at, SZ(a, in->limit - in->floor));
    if (has(rules, MT_R_C5) || has(rules, MT_R_H2) ||
        (w1 && risk_ge(wsr, t->ws_watch - t->lower_margin)))
        explain_add(x, "Working set is %.0f%% of the limit%s; the kernel has to evict recently "
                       "used pages to make room.", 100 * wsr, at);
}

static void sentence_pressure(const RiskInputs *in, uint32_t rules, Explanation *x)
{
    char a[32], b[32], c[32];

    if (has(rules, MT_R_H3) || has(rules, MT_R_W2)) {
        if (isnan(in->psi_full10))
            explain_add(x, "Processes were stalled on memory %.1f%% of the last 10 s.",
                        in->psi_some10);
        else
            explain_add(x, "Processes were stalled on memory %.1f%% of the last 10 s "
                           "(%.1f%% fully stalled).", isnan(in->psi_some10) ? 0 : in->psi_some10,
                        in->psi_full10);
    }
    if (has(rules, MT_R_H6) || has(rules, MT_R_W6))
        explain_add(x, "Thrashing: %s evicted pages/s are being read back (%.2f%%/s of the "
                       "limit), %s major faults/s.", fmt_rate(a, sizeof(a), in->refault_rate),
                    isnan(in->thrash) ? 0.0 : in->thrash,
                    fmt_rate(b, sizeof(b), in->majflt_rate));
    if (has(rules, MT_R_H7))
        explain_add(x, "Above memory.high (%s); allocations are being throttled (%llu throttle "
                       "events in the last %.0fs).", SZ(c, in->high),
                    (unsigned long long)in->high_events, isnan(in->tick_secs) ? 0 : in->tick_secs);
}

static void sentence_limits(const RiskInputs *in, uint32_t rules, const RiskThresholds *t,
                            Explanation *x)
{
    char a[32], b[32], c[96] = "";

    if (has(rules, MT_R_C2))
        explain_add(x, "Tasks are frozen waiting for memory: the OOM killer is disabled "
                       "(oom_kill_disable=1) and the limit is reached.");
    if (has(rules, MT_R_C3))
        explain_add(x, "Reclaim failed at the limit %llu time(s) in the last minute "
                       "(memory.events oom).", (unsigned long long)in->ooms_recent);
    if (has(rules, MT_R_W4))
        explain_add(x, "The limit was hit %llu time(s) in the last %s; reclaim is keeping up "
                       "but is evicting active data.", (unsigned long long)in->hits_window,
                    t->hits_window == 60 ? "minute" : "window");
    if (has(rules, MT_R_W5)) {
        if (in->swap_events)
            snprintf(c, sizeof(c), "; swap limit reached %llu time(s)",
                     (unsigned long long)in->swap_events);
        explain_add(x, "Swap is filling: %s used, %s left%s.", SZ(a, in->swap),
                    SZ(b, in->swap_room), c);
    }
    if (has(rules, MT_R_N2) || has(rules, MT_R_N1))
        explain_add(x, "Node memory.available is %s, %s the kubelet eviction threshold %s: pods "
                       "may be evicted.", SZ(a, in->node_available),
                    has(rules, MT_R_N2) ? "below" : "close to", SZ(b, t->eviction_hard));
}

static void sentence_info(const RiskInputs *in, uint32_t rules, const RiskThresholds *t,
                          Explanation *x)
{
    char a[32], b[32];
    uint32_t ws_floor = MT_RULE(MT_R_C4) | MT_RULE(MT_R_C5) | MT_RULE(MT_R_H1) |
                        MT_RULE(MT_R_H2);
    bool limited = !in->node_level && in->limit > 0;

    /* Full usage is normal when the excess is cache (never alarm on it). */
    if (limited && risk_ge(risk_ratio(in->usage, in->limit), 0.9) &&
        risk_ge(in->inactive_file, 0.1 * in->limit) && !(rules & ws_floor))
        explain_add(x, "Usage is at the limit but %s is inactive cache; this is normal for "
                       "file-heavy workloads.", SZ(a, in->inactive_file));
    if (risk_ge(in->lazyfree_rate, 0.5))
        explain_add(x, "%s pages/s were lazily freed (MADV_FREE): RSS overstates real use; the "
                       "working set already excludes them.", fmt_rate(a, sizeof(a), in->lazyfree_rate));
    if (limited && risk_ge(in->dirty_wb, 0.05 * in->limit))
        explain_add(x, "Dirty/writeback %s (%.0f%% of limit): reclaim may stall on I/O.",
                    SZ(a, in->dirty_wb), 100 * in->dirty_wb / in->limit);
    if (in->kills_before > 0)
        explain_add(x, "The OOM killer had already killed %llu process(es) here before memtop "
                       "started.", (unsigned long long)in->kills_before);
    if (in->mglru)
        explain_add(x, "MGLRU is enabled: \"inactive\" means the older LRU generations.");
    /* The node line matters for node-level verdicts, or once the node
     * itself gets tight (within twice the eviction margin). */
    if (in->node_valid && !isnan(in->node_available) &&
        (in->node_level ||
         in->node_available < t->eviction_hard + 2 * t->eviction_margin * in->mem_total))
        explain_add(x, "Node: %s available; kubelet hard-evicts below %s.",
                    SZ(a, in->node_available), SZ(b, t->eviction_hard));
}

void risk_sentences(const RiskInputs *in, uint32_t rules, const RiskThresholds *t,
                    Explanation *x)
{
    sentence_kills(in, rules, x);
    sentence_limits(in, rules, t, x);
    sentence_ratios(in, rules, t, x);
    sentence_trend(in, rules, x);
    sentence_pressure(in, rules, x);
    sentence_info(in, rules, t, x);
}

void risk_explain(const Model *m, const CgEntry *e, Explanation *x)
{
    const RiskVerdict *v = analysis_verdict(e);
    char a[32], bind[300];

    (void)m;
    if (!v || !v->owner)
        return;
    snprintf(x->level, sizeof(x->level), "%s", risk_level_name(v->level));
    x->node_level = v->in.node_level;
    /* Say where the verdict is judged when it is not where the limit is. */
    const CgEntry *lf = e->d.limit_from;
    if (!v->in.node_level && (!lf || strcmp(lf->path, v->binding) != 0)) {
        snprintf(bind, sizeof(bind), "%s", v->in.bind);
        explain_add(x, "Risk is judged at %s (%s limit): it has the least headroom above its "
                       "working set.", bind,
                    fmt_bytes(a, sizeof(a), (uint64_t)v->in.limit, true));
    } else if (v->in.node_level) {
        explain_add(x, "Risk is judged against the whole node (%s).",
                    fmt_bytes(a, sizeof(a), (uint64_t)v->in.limit, !isnan(v->in.limit)));
    }
    risk_sentences(&v->in, v->rules, &v->owner->t, x);
}

void analysis_batch_cell(const Model *m, const CgEntry *e, char *buf, size_t len, void *ctx)
{
    const RiskVerdict *v = analysis_verdict(e);

    (void)m;
    (void)ctx;
    snprintf(buf, len, "%s", v ? risk_level_name(v->level) : "-");
}
