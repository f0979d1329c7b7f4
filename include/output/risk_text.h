/* risk_text.h - the OOM-risk verdict in words: the rule and info sentences
 * of SPEC 5.5, the verdict's part of an Explanation, and the RISK cell of
 * batch output.  The risk model (analysis/) only returns data. */
#ifndef MEMTOP_RISK_TEXT_H
#define MEMTOP_RISK_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/risk.h"
#include "analysis/thresholds.h"
#include "output/explain.h"
#include "sample/model.h"

/* Append the per-rule sentences (SPEC 5.5) for rules, then the info
 * sentences, to x. */
void risk_sentences(const RiskInputs *in, uint32_t rules, const RiskThresholds *t,
                    Explanation *x);

/* Fill x->level / x->node_level and append where the verdict is judged
 * and its sentences; nothing before e's first verdict (explain_entry calls
 * it after the composition sentences). */
void risk_explain(const Model *m, const CgEntry *e, Explanation *x);

/* BatchExtraColumn cell: the level name, "-" when unknown. */
void analysis_batch_cell(const Model *m, const CgEntry *e, char *buf, size_t len, void *ctx);

#endif
