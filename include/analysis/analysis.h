/* analysis.h - the OOM-risk verdict of every cgroup, each tick (SPEC 5.4).
 *
 * After each model_tick() (through the Model's after_tick hook, set by
 * analysis_attach) every sampled cgroup gets: its binding level (itself or
 * the ancestor whose finite limit leaves the least headroom, else the
 * node), the quantities there, least-squares trends of WS and FLOOR from
 * the binding level's history, event windows, the rules of risk.h and a
 * level with hysteresis.  The state lives in CgEntry.user (freed through
 * CgTable.on_free) and the shown level is recorded in HistRecord.risk.
 * Data only: the TUI and the output layer (output/risk_text.h,
 * output/risk_json.h) turn the verdict into sentences, cells and JSON. */
#ifndef MEMTOP_ANALYSIS_H
#define MEMTOP_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "sample/model.h"
#include "analysis/risk.h"
#include "analysis/thresholds.h"

typedef struct Analysis {
    RiskThresholds t;
    bool mglru;                 /* <root>/sys/kernel/mm/lru_gen/enabled is on */
    /* the table's on_free hook before ours (other layers chain the same way) */
    void (*prev_on_free)(CgEntry *e, void *ctx);
    void *prev_on_free_ctx;
} Analysis;

/* The per-cgroup result of the last evaluation. */
struct Analysis;

typedef struct {
    const struct Analysis *owner;   /* thresholds used for the sentences */
    bool valid;                 /* evaluated at least once */
    MtRiskLevel level;          /* shown (after hysteresis) */
    MtRiskLevel raw;            /* this tick's rules, before hysteresis */
    uint32_t rules;             /* MT_RULE bits true this tick */
    RiskInputs in;              /* quantities at the binding level */
    char binding[512];          /* path of the binding level ("/" for the node) */
    double ws_ratio, floor_ratio, use_ratio;    /* NaN when unknown */
} RiskVerdict;

void analysis_init(Analysis *a, const RiskThresholds *t);
/* Register the on_free and after_tick hooks on m (after model_open). */
void analysis_attach(Analysis *a, Model *m);
/* Evaluate every cgroup sampled in the model's last tick. */
void analysis_tick(Analysis *a, Model *m);

/* Verdict of e, NULL before its first evaluation. */
const RiskVerdict *analysis_verdict(const CgEntry *e);
/* Sort key of the RISK column: level plus a fraction for the worse of
 * ws_ratio and floor_ratio.  false when there is no verdict. */
bool analysis_sort_value(const CgEntry *e, double *out);

#endif
