/* risk_json.c - the "risk" object of a cgroup in JSON output: level,
 * rules, sentences and the quantities they were judged on. */
#include "config.h"

#include "output/risk_json.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "analysis/analysis.h"
#include "output/json.h"
#include "output/risk_text.h"

static void add_num(json_object *o, const char *key, double v)
{
    json_object_object_add(o, key, isnan(v) || isinf(v) ? NULL : json_object_new_double(v));
}

static void add_bytes(json_object *o, const char *key, double v)
{
    json_object_object_add(o, key, isnan(v) || isinf(v) || v < 0
                                       ? NULL : json_object_new_uint64((uint64_t)v));
}

void analysis_json_hook(json_object *obj, const Model *m, const CgEntry *e, void *ctx)
{
    const RiskVerdict *v = analysis_verdict(e);
    const Analysis *an = ctx;

    if (!v || !an) {
        json_object_object_add(obj, "risk", NULL);
        return;
    }
    json_object *r = json_object_new_object();
    json_object *rules = json_object_new_array();
    json_object *sent = json_object_new_array();
    /* 10 KiB of sentence slots: only the header is cleared (explain_add
     * writes each line it counts), not the whole of it per cgroup. */
    Explanation *x = malloc(sizeof(*x));
    if (x) {
        x->level[0] = '\0';
        x->node_level = false;
        x->n = 0;
    }

    json_object_object_add(r, "level", json_object_new_string(risk_level_name(v->level)));
    json_object_object_add(r, "raw_level", json_object_new_string(risk_level_name(v->raw)));
    json_object_object_add(r, "node_level", json_object_new_boolean(v->in.node_level));
    for (int i = 0; i < MT_R_COUNT; i++)
        if (v->rules & MT_RULE(i))
            json_object_array_add(rules, json_object_new_string(risk_rule_name((MtRule)i)));
    json_object_object_add(r, "rules", rules);
    if (x) {
        risk_sentences(&v->in, v->rules, &an->t, x);
        for (size_t i = 0; i < x->n; i++)
            json_object_array_add(sent, json_safe_string(x->line[i]));
        free(x);
    }
    json_object_object_add(r, "sentences", sent);
    add_num(r, "ws_ratio", v->ws_ratio);
    add_bytes(r, "floor", v->in.floor_valid ? v->in.floor : (double)NAN);
    add_num(r, "floor_ratio", v->floor_ratio);
    add_bytes(r, "reclaimable", v->in.floor_valid ? v->in.reclaimable : (double)NAN);
    add_num(r, "use_ratio", v->use_ratio);
    json_object_object_add(r, "binding", json_safe_string(v->binding));
    add_bytes(r, "limit", v->in.limit);
    add_bytes(r, "working_set", v->in.ws);
    add_bytes(r, "swap_room", v->in.swap_room);
    add_num(r, "eta_ws_s", v->in.eta_ws);
    add_num(r, "eta_oom_s", v->in.eta_oom);
    add_num(r, "ws_slope", v->in.slope_ws);
    add_num(r, "floor_slope", v->in.slope_floor);
    add_num(r, "thrash_pct_s", v->in.thrash);
    json_object_object_add(r, "oom_kills_recent", json_object_new_uint64(v->in.kills_recent));
    json_object_object_add(r, "oom_kills_seen", json_object_new_uint64(v->in.kills_total));
    json_object_object_add(r, "limit_hits_window", json_object_new_uint64(v->in.hits_window));
    json_object_object_add(obj, "risk", r);
    (void)m;
}
