/* risk.h - the OOM-risk rules of SPEC 5.4 as pure functions: quantities
 * at the binding level in (RiskInputs), a rule set and a level out, and
 * the hysteresis step.  Nothing here reads files; analysis.c gathers the
 * inputs from the model.  The sentences of SPEC 5.5 for the true rules are
 * the output layer's (output/risk_text.h). */
#ifndef MEMTOP_RISK_H
#define MEMTOP_RISK_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis/thresholds.h"

typedef enum {
    MT_RISK_OK = 0,
    MT_RISK_WATCH,
    MT_RISK_HIGH,
    MT_RISK_CRITICAL,
    MT_RISK_UNKNOWN = 0xFF,     /* no verdict yet (HistRecord.risk) */
} MtRiskLevel;

/* Rules, one bit each.  N1/N2: node close to / below kubelet eviction. */
typedef enum {
    MT_R_C1, MT_R_C2, MT_R_C3, MT_R_C4, MT_R_C5, MT_R_C6,
    MT_R_H1, MT_R_H2, MT_R_H3, MT_R_H4, MT_R_H5, MT_R_H6, MT_R_H7,
    MT_R_W1, MT_R_W2, MT_R_W3, MT_R_W4, MT_R_W5, MT_R_W6, MT_R_W7,
    MT_R_N1, MT_R_N2,
    MT_R_COUNT
} MtRule;

#define MT_RULE(r) (UINT32_C(1) << (r))
/* Rules that raise the level without waiting (SPEC 5.4 hysteresis). */
#define MT_RULES_IMMEDIATE (MT_RULE(MT_R_C1) | MT_RULE(MT_R_C2) | MT_RULE(MT_R_C3))

/* Everything the rules and sentences need.  Sizes in bytes, rates per
 * second; NaN marks an unknown double (the rule using it is false). */
typedef struct {
    bool node_level;            /* no finite limit: L is MemTotal */
    char bind[300];             /* "this cgroup", "pod x", "slice y", "the node" */
    double limit;               /* L_b, already min(L_b, MemTotal) */
    double usage, ws;           /* U_b, WS_b */
    bool floor_valid;
    double floor, reclaimable;
    double swap_room;           /* NaN: unknown */
    double swap, swap_limit;    /* swap used at b; swap_limit NaN if none */
    double inactive_file, active_file, dirty_wb;
    double psi_some10, psi_full10;      /* percent */
    double hits_rate;           /* limit hits per second this tick at b */
    double refault_rate;        /* pages/s at b */
    double thrash;              /* refault bytes per second / L, percent per second */
    double majflt_rate;         /* major faults/s of the cgroup itself */
    double slope_ws, slope_floor;       /* bytes/s of valid fits, else NaN */
    double eta_ws, eta_oom;     /* seconds, NaN when no valid projection */
    bool under_oom;             /* v1 under_oom at c or b */
    uint64_t kills_recent;      /* OOM kills (c or b) in the oom_recent window */
    uint64_t group_kills_recent;
    uint64_t kills_window;      /* in the oom_window */
    uint64_t kills_total;       /* since memtop started */
    double kill_age;            /* seconds since the last kill, NaN if none */
    uint64_t kills_before;      /* counter value at the first sample (info) */
    uint64_t ooms_recent;       /* v2 events.oom at b in the oom_recent window */
    uint64_t hits_window;       /* limit hits at b in the hits_window */
    bool throttled;             /* H7: U >= high and high events this tick */
    double high;
    uint64_t high_events;       /* throttle events this tick */
    double tick_secs;
    bool swap_growing;
    uint64_t swap_events;       /* swap limit hits/fails in the hits_window */
    bool node_valid;
    double mem_total, node_available;   /* MemTotal - node working set */
    double lazyfree_rate;       /* pages/s */
    bool mglru;
} RiskInputs;

/* Reset to "nothing known" (NaNs, zero counts). */
void risk_inputs_init(RiskInputs *in);

/* Evaluate every rule; margin lowers the ratio thresholds by
 * t->lower_margin (used to decide whether a level may be lowered).
 * Returns the highest level with a true rule; *rules gets the true set. */
MtRiskLevel risk_evaluate(const RiskInputs *in, const RiskThresholds *t, bool margin,
                          uint32_t *rules);

/* Hysteresis state of one cgroup. */
typedef struct {
    bool started;               /* the first step sets the level directly */
    MtRiskLevel shown;
    int up, down;               /* consecutive ticks above / below shown */
    MtRiskLevel up_min, down_max;
} RiskHyst;

void risk_hyst_init(RiskHyst *h);
/* One tick: raw is this tick's level, relaxed the level with the margin,
 * rules the raw rule set.  Returns the level to show.  The first step
 * starts at raw (there is nothing to smooth yet, and a one-shot batch run
 * must not print OK for a cgroup at its floor); later raises need
 * raise_ticks consecutive ticks (C1-C3 at once), lowering lower_ticks
 * consecutive ticks below the relaxed thresholds. */
MtRiskLevel risk_hyst_step(RiskHyst *h, MtRiskLevel raw, MtRiskLevel relaxed, uint32_t rules,
                           const RiskThresholds *t);

/* v >= th, false when v is unknown (NaN): the comparison of the rules and
 * of the sentences that explain them. */
static inline bool risk_ge(double v, double th)
{
    return !isnan(v) && v >= th;
}

/* a as a fraction of the limit l; NaN when l is not a finite limit. */
static inline double risk_ratio(double a, double l)
{
    return l > 0 && !isinf(l) ? a / l : (double)NAN;
}

const char *risk_level_name(MtRiskLevel l);     /* "OK" ... "CRITICAL", "-" */
const char *risk_rule_name(MtRule r);           /* "C1" ... */

#endif
