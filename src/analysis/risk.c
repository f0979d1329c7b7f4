/* risk.c - rules, levels and hysteresis (SPEC 5.4). */
#include "config.h"

#include "analysis/risk.h"

#include <math.h>
#include <string.h>

static const char *const rule_names[MT_R_COUNT] = {
    "C1", "C2", "C3", "C4", "C5", "C6",
    "H1", "H2", "H3", "H4", "H5", "H6", "H7",
    "W1", "W2", "W3", "W4", "W5", "W6", "W7",
    "N1", "N2",
};

const char *risk_rule_name(MtRule r)
{
    return r < MT_R_COUNT ? rule_names[r] : "?";
}

const char *risk_level_name(MtRiskLevel l)
{
    switch (l) {
    case MT_RISK_OK: return "OK";
    case MT_RISK_WATCH: return "WATCH";
    case MT_RISK_HIGH: return "HIGH";
    case MT_RISK_CRITICAL: return "CRITICAL";
    case MT_RISK_UNKNOWN: break;
    }
    return "-";
}

void risk_inputs_init(RiskInputs *in)
{
    memset(in, 0, sizeof(*in));
    in->limit = in->usage = in->ws = in->floor = in->reclaimable = (double)NAN;
    in->swap_room = in->swap = in->swap_limit = (double)NAN;
    in->inactive_file = in->active_file = in->dirty_wb = (double)NAN;
    in->psi_some10 = in->psi_full10 = in->hits_rate = (double)NAN;
    in->refault_rate = in->thrash = in->majflt_rate = (double)NAN;
    in->slope_ws = in->slope_floor = in->eta_ws = in->eta_oom = (double)NAN;
    in->kill_age = in->high = in->tick_secs = (double)NAN;
    in->mem_total = in->node_available = in->lazyfree_rate = (double)NAN;
}

/* risk_ge's twin: an unknown (NaN) value makes the rule false. */
static bool le(double v, double th)
{
    return !isnan(v) && v <= th;
}

static uint32_t eval_critical(const RiskInputs *in, const RiskThresholds *t, double m,
                              double wsr, double flr)
{
    uint32_t r = 0;

    if (in->kills_recent > 0)
        r |= MT_RULE(MT_R_C1);
    if (in->under_oom)
        r |= MT_RULE(MT_R_C2);
    if (in->ooms_recent > 0)
        r |= MT_RULE(MT_R_C3);
    if (risk_ge(flr, t->floor_crit - m))
        r |= MT_RULE(MT_R_C4);
    if (risk_ge(wsr, t->ws_crit - m) && ((!isnan(in->hits_rate) && in->hits_rate > 0) ||
                                         risk_ge(in->psi_some10, t->psi_crit_some)))
        r |= MT_RULE(MT_R_C5);
    if (le(in->eta_oom, t->eta_crit) ||
        (le(in->eta_ws, t->eta_crit) && risk_ge(flr, t->c6_floor - m)))
        r |= MT_RULE(MT_R_C6);
    return r;
}

static uint32_t eval_high(const RiskInputs *in, const RiskThresholds *t, double m, double wsr,
                          double flr)
{
    uint32_t r = 0;

    if (risk_ge(flr, t->floor_high - m))
        r |= MT_RULE(MT_R_H1);
    if (risk_ge(wsr, t->ws_high - m))
        r |= MT_RULE(MT_R_H2);
    if (risk_ge(in->psi_full10, t->psi_high_full) || risk_ge(in->psi_some10, t->psi_high_some))
        r |= MT_RULE(MT_R_H3);
    if (le(in->eta_ws, t->eta_high))
        r |= MT_RULE(MT_R_H4);
    if (in->kills_window > 0)
        r |= MT_RULE(MT_R_H5);
    if (risk_ge(in->thrash, t->thrash_high) || risk_ge(in->majflt_rate, t->majflt_high))
        r |= MT_RULE(MT_R_H6);
    if (in->throttled)
        r |= MT_RULE(MT_R_H7);
    return r;
}

static uint32_t eval_watch(const RiskInputs *in, const RiskThresholds *t, double m, double wsr,
                           double flr)
{
    uint32_t r = 0;

    if (risk_ge(wsr, t->ws_watch - m) || risk_ge(flr, t->floor_watch - m))
        r |= MT_RULE(MT_R_W1);
    if (risk_ge(in->psi_some10, t->psi_watch_some) || risk_ge(in->psi_full10, t->psi_watch_full))
        r |= MT_RULE(MT_R_W2);
    if (le(in->eta_ws, t->eta_watch))
        r |= MT_RULE(MT_R_W3);
    if (in->hits_window > 0 && risk_ge(wsr, t->hits_ws - m))
        r |= MT_RULE(MT_R_W4);
    if ((in->swap_growing && !isnan(in->swap_room) &&
         in->swap_room < t->swap_room_watch * in->limit) || in->swap_events > 0)
        r |= MT_RULE(MT_R_W5);
    if (risk_ge(in->thrash, t->thrash_watch) || risk_ge(in->majflt_rate, t->majflt_watch))
        r |= MT_RULE(MT_R_W6);
    if (in->kills_total > 0)
        r |= MT_RULE(MT_R_W7);
    return r;
}

MtRiskLevel risk_evaluate(const RiskInputs *in, const RiskThresholds *t, bool margin,
                          uint32_t *rules)
{
    double m = margin ? t->lower_margin : 0.0;
    double wsr = risk_ratio(in->ws, in->limit);
    double flr = in->floor_valid ? risk_ratio(in->floor, in->limit) : (double)NAN;
    uint32_t c = eval_critical(in, t, m, wsr, flr);
    uint32_t h = eval_high(in, t, m, wsr, flr);
    uint32_t w = eval_watch(in, t, m, wsr, flr);

    /* Node-level verdicts also watch kubelet's memory.available (4.2). */
    if (in->node_level && in->node_valid && !isnan(in->node_available)) {
        if (in->node_available < t->eviction_hard)
            c |= MT_RULE(MT_R_N2);
        else if (in->node_available < t->eviction_hard + t->eviction_margin * in->mem_total)
            h |= MT_RULE(MT_R_N1);
    }
    *rules = c | h | w;
    return c ? MT_RISK_CRITICAL : h ? MT_RISK_HIGH : w ? MT_RISK_WATCH : MT_RISK_OK;
}

void risk_hyst_init(RiskHyst *h)
{
    memset(h, 0, sizeof(*h));
    h->shown = MT_RISK_OK;
}

MtRiskLevel risk_hyst_step(RiskHyst *h, MtRiskLevel raw, MtRiskLevel relaxed, uint32_t rules,
                           const RiskThresholds *t)
{
    if (!h->started) {
        h->started = true;
        h->shown = raw;
    } else if (raw > h->shown && (rules & MT_RULES_IMMEDIATE)) {
        /* OOM kills, a frozen cgroup and failed reclaim are facts, not
         * trends: show them at once. */
        h->shown = raw;
        h->up = h->down = 0;
    } else if (raw > h->shown) {
        h->up_min = h->up == 0 || raw < h->up_min ? raw : h->up_min;
        h->down = 0;
        if (++h->up >= (int)t->raise_ticks) {
            h->shown = h->up_min;
            h->up = 0;
        }
    } else if (relaxed < h->shown) {
        h->down_max = h->down == 0 || relaxed > h->down_max ? relaxed : h->down_max;
        h->up = 0;
        if (++h->down >= (int)t->lower_ticks) {
            h->shown = h->down_max;
            h->down = 0;
        }
    } else {
        h->up = h->down = 0;
    }
    return h->shown;
}
