/* json.c - NDJSON serialization with json-c. */
#include "config.h"

#include "output/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/format.h"
#include "util/xalloc.h"

/* Add a member to an object being built here: every key is a string
 * literal or a field name from fields.c (it outlives the object) and is
 * added once, so json-c may skip its duplicate lookup and key copy (a
 * tick at a thousand cgroups adds ~80,000 members). */
static void obj_put(json_object *o, const char *key, json_object *v)
{
    json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
                                         JSON_C_OBJECT_KEY_IS_CONSTANT);
}

json_object *json_safe_string(const char *s)
{
    size_t len = strlen(s);
    size_t plain = 0;           /* printable ASCII, nearly every path: as is */
    while (plain < len && s[plain] >= 0x20 && s[plain] < 0x7F)
        plain++;
    if (plain == len)
        return json_object_new_string_len(s, (int)len);
    char *buf = xmalloc(len * 3 + 1);
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;

    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            memcpy(buf + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        } else if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            buf[o++] = '?';
            i += (size_t)n;
        } else {
            memcpy(buf + o, p + i, (size_t)n);
            o += (size_t)n;
            i += (size_t)n;
        }
    }
    json_object *obj = json_object_new_string_len(buf, (int)o);
    free(buf);
    return obj;
}

/* A percentage stored as percent*100, printed with exactly two decimals
 * (as the kernel prints PSI) instead of binary-float noise. */
static json_object *json_pct100(uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%llu.%02llu", (unsigned long long)(v / 100),
             (unsigned long long)(v % 100));
    return json_object_new_double_s((double)v / 100.0, buf);
}

static void add_u64(json_object *o, const char *key, bool valid, uint64_t v)
{
    obj_put(o, key, valid ? json_object_new_uint64(v) : NULL);
}

static void add_double(json_object *o, const char *key, double v)
{
    obj_put(o, key, isnan(v) || isinf(v) ? NULL : json_object_new_double(v));
}

static void add_str(json_object *o, const char *key, const char *s)
{
    obj_put(o, key, s ? json_safe_string(s) : NULL);
}

static void add_field(json_object *o, const char *key, const CgEntry *e, MtField f)
{
    bool valid = e->has_cur && sample_has(&e->cur, f);
    uint64_t v = valid ? e->cur.v[f] : 0;
    MtUnit u = field_unit(f);
    if (valid && u == MT_U_LIMIT && v == MT_UNLIMITED) {
        obj_put(o, key, NULL);
        return;
    }
    if (valid && u == MT_U_PCT100) {
        obj_put(o, key, json_pct100(v));
        return;
    }
    add_u64(o, key, valid, v);
}

json_object *json_cgroup(const Model *m, const CgEntry *e)
{
    json_object *o = json_object_new_object();
    const CgClass *c = &e->cls;
    const CgDerived *d = &e->d;
    char label[512];

    add_str(o, "path", e->path);
    add_str(o, "kind", classify_kind_name(c->kind));
    add_str(o, "subkind", classify_subkind_name(c->sub));
    add_str(o, "runtime", c->in_container ? classify_runtime_name(c->runtime) : NULL);
    add_str(o, "id", c->id[0] ? c->id : NULL);
    add_str(o, "name", entry_label(e, label, sizeof(label), true));
    add_str(o, "pod_uid", c->pod_uid[0] ? c->pod_uid : NULL);
    add_str(o, "qos", classify_qos_name(c->qos));
    add_str(o, "container", e->container ? e->container->path : NULL);
    add_str(o, "state", e->state == MT_STATE_LIVE ? "live" : "gone");
    obj_put(o, "memory_accounted", json_object_new_boolean(!e->unaccounted));

    static const MtField direct[] = {
        MT_F_USAGE,
    };
    for (size_t i = 0; i < MT_ARRAY_SIZE(direct); i++)
        add_field(o, field_key(direct[i]), e, direct[i]);
    add_u64(o, "working_set", e->has_cur && d->ws_valid, d->ws);
    static const MtField comp[] = {
        MT_F_ANON, MT_F_FILE, MT_F_SHMEM, MT_F_MAPPED_FILE, MT_F_DIRTY, MT_F_WRITEBACK,
        MT_F_ACTIVE_ANON, MT_F_INACTIVE_ANON, MT_F_ACTIVE_FILE, MT_F_INACTIVE_FILE,
        MT_F_UNEVICTABLE, MT_F_SWAP, MT_F_SWAPCACHED, MT_F_KERNEL, MT_F_SLAB_RECLAIMABLE,
        MT_F_SOCK, MT_F_ANON_THP,
    };
    for (size_t i = 0; i < MT_ARRAY_SIZE(comp); i++)
        add_field(o, field_key(comp[i]), e, comp[i]);

    bool lim_known = e->has_cur;
    obj_put(o, "limit", lim_known && d->limit != MT_UNLIMITED
                                           ? json_object_new_uint64(d->limit) : NULL);
    add_str(o, "limit_from", !lim_known || d->limit == MT_UNLIMITED ? NULL
                             : d->limit_from ? d->limit_from->path : "/");
    obj_put(o, "limit_outside_view", json_object_new_boolean(d->limit_outside));
    add_field(o, "limit_own", e, MT_F_LIMIT_OWN);
    obj_put(o, "high", lim_known && d->high != MT_UNLIMITED
                                          ? json_object_new_uint64(d->high) : NULL);
    add_str(o, "high_from", d->high != MT_UNLIMITED && d->high_from ? d->high_from->path : NULL);
    add_field(o, "peak", e, MT_F_PEAK);
    add_field(o, "low", e, MT_F_LOW);
    add_field(o, "min", e, MT_F_MIN);
    add_field(o, "swap_limit_own", e, MT_F_SWAP_LIMIT_OWN);
    add_field(o, "swappiness", e, MT_F_SWAPPINESS);

    double nan = (double)NAN;
    add_double(o, "pgfault_rate", e->has_cur ? d->pgfault_rate : nan);
    add_double(o, "pgmajfault_rate", e->has_cur ? d->pgmajfault_rate : nan);
    add_double(o, "refault_rate", e->has_cur ? d->refault_rate : nan);
    add_double(o, "lazyfree_rate", e->has_cur ? d->lazyfree_rate : nan);
    add_double(o, "working_set_rate", e->has_cur ? d->ws_rate : nan);
    add_field(o, "limit_hits", e, MT_F_LIMIT_HITS);
    add_field(o, "high_events", e, MT_F_HIGH_EVENTS);
    add_field(o, "oom_events", e, MT_F_OOM_EVENTS);
    add_field(o, "oom_kills", e, MT_F_OOM_KILLS);
    add_field(o, "oom_group_kills", e, MT_F_OOM_GROUP_KILLS);
    add_field(o, "swap_limit_hits", e, MT_F_SWAP_LIMIT_HITS);
    add_field(o, "under_oom", e, MT_F_UNDER_OOM);
    add_field(o, "oom_kill_disable", e, MT_F_OOM_KILL_DISABLE);
    static const MtField psi[] = {
        MT_F_PSI_SOME10, MT_F_PSI_SOME60, MT_F_PSI_SOME300, MT_F_PSI_SOME_TOTAL,
        MT_F_PSI_FULL10, MT_F_PSI_FULL60, MT_F_PSI_FULL300, MT_F_PSI_FULL_TOTAL,
    };
    for (size_t i = 0; i < MT_ARRAY_SIZE(psi); i++)
        add_field(o, field_key(psi[i]), e, psi[i]);
    add_u64(o, "swap_room", e->has_cur && d->swap_room_valid, d->swap_room);
    add_u64(o, "reclaimable", e->has_cur && d->floor_valid, d->reclaimable);
    add_u64(o, "floor", e->has_cur && d->floor_valid, d->floor);
    (void)m;
    return o;
}

json_object *json_tick(const Model *m, MtShow show, MtColumn sort, bool reverse,
                       JsonCgroupHook hook, void *ctx)
{
    json_object *t = json_object_new_object();
    const TickTime *tt = model_tick_time(m, m->seq);
    const NodeSample *n = &m->node;

    obj_put(t, "time", json_object_new_double(tt ? tt->real : 0));
    obj_put(t, "interval", json_object_new_double(m->opt.interval));
    add_str(t, "cgroup_mode", layout_mode_name(m->layout.mode));
    add_str(t, "hostname", m->hostname);
    add_str(t, "kernel", m->kernel);

    json_object *node = json_object_new_object();
    add_u64(node, "mem_total", n->mem_valid, n->mem.mem_total);
    add_u64(node, "mem_available", n->mem_valid && (n->mem.found & 4), n->mem.mem_available);
    add_u64(node, "mem_free", n->mem_valid, n->mem.mem_free);
    add_u64(node, "working_set", n->ws_valid, n->working_set);
    add_u64(node, "usage", n->ws_valid, n->usage);
    add_u64(node, "swap_total", n->mem_valid, n->mem.swap_total);
    add_u64(node, "swap_free", n->mem_valid, n->mem.swap_free);
    add_u64(node, "toplevel_usage", true, n->toplevel_usage);
    add_u64(node, "toplevel_working_set", true, n->toplevel_ws);
    obj_put(node, "psi_some_avg10", n->psi_valid
        ? json_pct100(n->psi.some_avg[0]) : NULL);
    obj_put(node, "psi_full_avg10", n->psi_valid && n->psi.has_full
        ? json_pct100(n->psi.full_avg[0]) : NULL);
    obj_put(node, "containers", json_object_new_int(n->n_containers));
    obj_put(node, "pods", json_object_new_int(n->n_pods));
    obj_put(t, "node", node);

    size_t cap = m->table.n ? m->table.n : 1;
    const CgEntry **list = xcalloc(cap, sizeof(*list));
    size_t cnt = listing_build(&m->table, show, sort, reverse, list, cap);
    json_object *arr = json_object_new_array_ext((int)cnt);
    for (size_t i = 0; i < cnt; i++) {
        json_object *o = json_cgroup(m, list[i]);
        if (hook)
            hook(o, m, list[i], ctx);
        json_object_array_add(arr, o);
    }
    free(list);
    obj_put(t, "cgroups", arr);
    return t;
}

int out_json_write(FILE *f, const Model *m, MtShow show, MtColumn sort, bool reverse,
                   JsonCgroupHook hook, void *ctx)
{
    json_object *t = json_tick(m, show, sort, reverse, hook, ctx);
    const char *s = json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE);
    int r = fputs(s, f) < 0 || fputc('\n', f) == EOF ? -EIO : 0;
    json_object_put(t);
    if (fflush(f) != 0)
        r = -errno;
    return r;
}
