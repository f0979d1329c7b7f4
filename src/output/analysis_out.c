/* analysis_out.c - the verdict as sentences, JSON, a batch cell and a sort
 * key; --explain name resolution. */
#include "config.h"

#include "analysis/analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/columns.h"
#include "util/format.h"
#include "output/json.h"

bool analysis_sort_value(const CgEntry *e, double *out)
{
    const RiskVerdict *v = analysis_verdict(e);

    if (!v)
        return false;
    double r = fmax(isnan(v->ws_ratio) ? 0 : v->ws_ratio, isnan(v->floor_ratio) ? 0 : v->floor_ratio);
    *out = (double)v->level + fmin(fmax(r, 0.0), 1.0) * 0.999;
    return true;
}

void analysis_explain(const Model *m, const CgEntry *e, Explanation *x)
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

void analysis_batch_cell(const Model *m, const CgEntry *e, char *buf, size_t len, void *ctx)
{
    const RiskVerdict *v = analysis_verdict(e);

    (void)m;
    (void)ctx;
    snprintf(buf, len, "%s", v ? risk_level_name(v->level) : "-");
}

static bool prefix_match(const char *id, const char *q)
{
    size_t n = strlen(q);
    return n >= 4 && id[0] && strncmp(id, q, n) == 0;
}

static bool matches(const CgEntry *e, const char *q)
{
    char label[512];

    if (strcmp(entry_label(e, label, sizeof(label), true), q) == 0)
        return true;
    if (e->display_name && strcmp(e->display_name, q) == 0)
        return true;
    if (e->cls.sub == MT_SUB_INSIDE)
        return false;
    if (e->cls.kind == MT_KIND_CONTAINER && prefix_match(e->cls.id, q))
        return true;
    return e->cls.kind == MT_KIND_POD && prefix_match(e->cls.pod_uid, q);
}

int analysis_find(const Model *m, const char *q, const CgEntry **out, char *err, size_t errlen)
{
    const CgEntry *first = NULL, *second = NULL;
    size_t n = 0;

    for (size_t i = 0; i < m->table.n; i++) {
        const CgEntry *e = m->table.entries[i];
        if (e->state != MT_STATE_LIVE)
            continue;
        if (strcmp(e->path, q) == 0) {
            *out = e;
            return 0;
        }
        if (matches(e, q)) {
            if (n == 0)
                first = e;
            else if (n == 1)
                second = e;
            n++;
        }
    }
    if (n == 1) {
        *out = first;
        return 0;
    }
    if (n == 0) {
        snprintf(err, errlen, "no container matches '%s' (give a name, an id prefix of at "
                              "least 4 characters, or a cgroup path)", q);
    } else {
        snprintf(err, errlen, "'%s' is ambiguous: %zu cgroups match (%s, %s%s); give the path",
                 q, n, first->path, second->path, n > 2 ? ", ..." : "");
    }
    return -1;
}
