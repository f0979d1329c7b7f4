/* metrics.c - the exposition writer: families, both formats, escaping and
 * numbers (contracts in metrics.h, the metric list in doc/exporter.md). */
#include "config.h"

#include "output/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/format.h"
#include "util/xalloc.h"

static void buf_str(MetricsBuf *b, const char *s)
{
    metrics_buf_add(b, s, strlen(s));
}

static void label_pair(MetricsBuf *b, bool first, const char *key, const char *val)
{
    if (!first)
        metrics_buf_add(b, ",", 1);
    buf_str(b, key);
    metrics_buf_add(b, "=\"", 2);
    if (val)
        metrics_escape_label(b, val, strlen(val));
    metrics_buf_add(b, "\"", 1);
}

/* ---- families ----------------------------------------------------------- */

typedef enum { FT_GAUGE, FT_COUNTER, FT_INFO } FamType;

/* base: the OpenMetrics family name; sample: the name on sample lines (and
 * the text format's family name): base_total for counters, base_info for
 * info.  unit: the OpenMetrics UNIT, a suffix of base, or NULL. */
typedef struct {
    const char *base, *sample;
    FamType type;
    const char *unit;
    const char *help;
} Fam;

#define GAUGE(n, u, h) { n, n, FT_GAUGE, u, h }
#define COUNTER(n, u, h) { n, n "_total", FT_COUNTER, u, h }
#define INFO(n, h) { n, n "_info", FT_INFO, NULL, h }

typedef struct {
    MetricsBuf *b;
    const Model *m;
    const MetricsOptions *o;
    bool om;
    const Fam *cur;             /* family whose header was written last */
    size_t sname_len;
    char ts[48];                /* " <time>" appended to samples, or "" */
    size_t ts_len;
    /* listed entries and their common labels */
    const CgEntry **list;
    size_t n;
    MetricsBuf lbl;             /* every entry's labels, one after the other */
    size_t *lbl_off;            /* n + 1 offsets into lbl */
    uint64_t *logged;           /* by table index: kills learned since first sample */
    const OomEvent **last;      /* by table index: newest kill at or below */
    /* by list index, looked up once per render */
    const RiskVerdict **verdict;        /* NULL: none, or not live */
    const NameInfo **names;
} R;

static void fam_header(R *r, const Fam *f)
{
    MetricsBuf *b = r->b;
    const char *name = r->om ? f->base : f->sample;
    const char *type = f->type == FT_COUNTER ? "counter"
                       : f->type == FT_INFO && r->om ? "info" : "gauge";

    metrics_buf_add(b, "# TYPE ", 7);
    buf_str(b, name);
    metrics_buf_add(b, " ", 1);
    buf_str(b, type);
    metrics_buf_add(b, "\n", 1);
    if (r->om && f->unit) {
        metrics_buf_add(b, "# UNIT ", 7);
        buf_str(b, name);
        metrics_buf_add(b, " ", 1);
        buf_str(b, f->unit);
        metrics_buf_add(b, "\n", 1);
    }
    /* HELP texts are constants without '\\', '"' or newlines: no escaping
     * is needed in either format. */
    metrics_buf_add(b, "# HELP ", 7);
    buf_str(b, name);
    metrics_buf_add(b, " ", 1);
    buf_str(b, f->help);
    metrics_buf_add(b, "\n", 1);
    r->cur = f;
    r->sname_len = strlen(f->sample);
}

/* One sample line: labels (may be empty) plus extra labels (may be
 * empty, already escaped) and a formatted value. */
static void sample(R *r, const Fam *f, const char *lbl, size_t lbl_len, const char *extra,
                   size_t extra_len, const char *val, size_t val_len)
{
    if (r->cur != f)
        fam_header(r, f);
    size_t need = r->sname_len + lbl_len + extra_len + val_len + r->ts_len + 8;
    char *w = metrics_buf_reserve(r->b, need);
    char *p = w;

    memcpy(p, f->sample, r->sname_len);
    p += r->sname_len;
    if (lbl_len || extra_len) {
        *p++ = '{';
        memcpy(p, lbl, lbl_len);
        p += lbl_len;
        if (lbl_len && extra_len)
            *p++ = ',';
        memcpy(p, extra, extra_len);
        p += extra_len;
        *p++ = '}';
    }
    *p++ = ' ';
    memcpy(p, val, val_len);
    p += val_len;
    memcpy(p, r->ts, r->ts_len);
    p += r->ts_len;
    *p++ = '\n';
    r->b->len += (size_t)(p - w);
    r->b->p[r->b->len] = '\0';
}

static void sample_u64(R *r, const Fam *f, const char *lbl, size_t lbl_len, uint64_t v)
{
    char val[24];
    size_t n = metrics_format_u64(val, v);
    sample(r, f, lbl, lbl_len, "", 0, val, n);
}

static void sample_dbl(R *r, const Fam *f, const char *lbl, size_t lbl_len, double v)
{
    char val[64];
    size_t n = metrics_format_double(val, sizeof(val), v);
    sample(r, f, lbl, lbl_len, "", 0, val, n);
}

/* ---- per-cgroup values ------------------------------------------------------ */

typedef enum {
    V_FIELD,                    /* a sample field (bytes, counts, gauges) */
    V_WS, V_FLOOR, V_RECLAIMABLE,
    V_LIMIT, V_HIGH,            /* effective limits, with the *_from label */
    V_PROTECT,                  /* memory.low / memory.min when set (> 0, finite) */
    V_PSI_TOTAL,                /* microseconds in the sample, seconds out */
} ValKind;

typedef struct {
    Fam f;
    ValKind kind;
    MtField field;
} CgFam;

static const CgFam cg_fams[] = {
    { GAUGE("memtop_memory_usage_bytes", "bytes",
            "Memory charged to the cgroup (v1 usage_in_bytes, v2 memory.current), bytes."),
      V_FIELD, MT_F_USAGE },
    { GAUGE("memtop_memory_working_set_bytes", "bytes",
            "Working set: usage minus inactive file cache (as kubelet), bytes."),
      V_WS, 0 },
    { GAUGE("memtop_memory_anon_bytes", "bytes", "Anonymous memory (excluding shmem), bytes."),
      V_FIELD, MT_F_ANON },
    { GAUGE("memtop_memory_file_bytes", "bytes", "Page cache, including shmem, bytes."),
      V_FIELD, MT_F_FILE },
    { GAUGE("memtop_memory_shmem_bytes", "bytes", "tmpfs and shared anonymous memory, bytes."),
      V_FIELD, MT_F_SHMEM },
    { GAUGE("memtop_memory_floor_bytes", "bytes",
            "Memory reclaim cannot free (usage minus reclaimable), bytes."),
      V_FLOOR, 0 },
    { GAUGE("memtop_memory_reclaimable_bytes", "bytes",
            "File LRU, swappable anon and reclaimable slab, bytes."),
      V_RECLAIMABLE, 0 },
    { GAUGE("memtop_memory_swap_bytes", "bytes", "Swap used by the cgroup, bytes."),
      V_FIELD, MT_F_SWAP },
    { GAUGE("memtop_memory_limit_bytes", "bytes",
            "Effective hard limit (lowest of the cgroup and its ancestors); limit_from is "
            "the cgroup that sets it; no sample when unlimited."),
      V_LIMIT, 0 },
    { GAUGE("memtop_memory_high_bytes", "bytes",
            "Effective memory.high throttling limit (v2); high_from sets it."),
      V_HIGH, 0 },
    { GAUGE("memtop_memory_low_bytes", "bytes", "The cgroup's own memory.low protection, bytes."),
      V_PROTECT, MT_F_LOW },
    { GAUGE("memtop_memory_min_bytes", "bytes", "The cgroup's own memory.min protection, bytes."),
      V_PROTECT, MT_F_MIN },
    { GAUGE("memtop_memory_peak_bytes", "bytes",
            "Highest usage recorded by the kernel (v1 max_usage_in_bytes, v2 memory.peak)."),
      V_FIELD, MT_F_PEAK },
    { GAUGE("memtop_memory_mapped_file_bytes", "bytes", "Page cache mapped into processes, bytes."),
      V_FIELD, MT_F_MAPPED_FILE },
    { GAUGE("memtop_memory_dirty_bytes", "bytes", "Page cache waiting to be written, bytes."),
      V_FIELD, MT_F_DIRTY },
    { GAUGE("memtop_memory_writeback_bytes", "bytes", "Page cache being written, bytes."),
      V_FIELD, MT_F_WRITEBACK },
    { GAUGE("memtop_memory_active_anon_bytes", "bytes", "Active anon LRU list, bytes."),
      V_FIELD, MT_F_ACTIVE_ANON },
    { GAUGE("memtop_memory_inactive_anon_bytes", "bytes", "Inactive anon LRU list, bytes."),
      V_FIELD, MT_F_INACTIVE_ANON },
    { GAUGE("memtop_memory_active_file_bytes", "bytes", "Active file LRU list, bytes."),
      V_FIELD, MT_F_ACTIVE_FILE },
    { GAUGE("memtop_memory_inactive_file_bytes", "bytes",
            "Inactive file LRU list (reclaimed first), bytes."),
      V_FIELD, MT_F_INACTIVE_FILE },
    { GAUGE("memtop_memory_unevictable_bytes", "bytes", "Unevictable memory (mlock, ramfs), bytes."),
      V_FIELD, MT_F_UNEVICTABLE },
    { GAUGE("memtop_memory_kernel_bytes", "bytes",
            "Kernel memory charged to the cgroup (v2 kernel, v1 kmem usage), bytes."),
      V_FIELD, MT_F_KERNEL },
    { GAUGE("memtop_memory_slab_reclaimable_bytes", "bytes", "Reclaimable slab (v2), bytes."),
      V_FIELD, MT_F_SLAB_RECLAIMABLE },
    { GAUGE("memtop_memory_sock_bytes", "bytes", "Network socket buffers (v2), bytes."),
      V_FIELD, MT_F_SOCK },
    { GAUGE("memtop_memory_under_oom", NULL,
            "1 while the v1 cgroup is under OOM (oom_control under_oom)."),
      V_FIELD, MT_F_UNDER_OOM },
    { COUNTER("memtop_memory_pgfaults", NULL, "Page faults (kernel counter)."),
      V_FIELD, MT_F_PGFAULT },
    { COUNTER("memtop_memory_pgmajfaults", NULL, "Major page faults (kernel counter)."),
      V_FIELD, MT_F_PGMAJFAULT },
    { COUNTER("memtop_memory_pgscan", NULL, "Pages scanned by reclaim (v2 kernel counter)."),
      V_FIELD, MT_F_PGSCAN },
    { COUNTER("memtop_memory_pgsteal", NULL, "Pages reclaimed (v2 kernel counter)."),
      V_FIELD, MT_F_PGSTEAL },
    { COUNTER("memtop_memory_workingset_refaults_anon", NULL,
              "Refaults of evicted anon pages (kernel counter)."),
      V_FIELD, MT_F_REFAULT_ANON },
    { COUNTER("memtop_memory_workingset_refaults_file", NULL,
              "Refaults of evicted file pages (thrashing; kernel counter)."),
      V_FIELD, MT_F_REFAULT_FILE },
    { COUNTER("memtop_memory_limit_hits", NULL,
              "Times usage hit the hard limit (v1 failcnt, v2 events max)."),
      V_FIELD, MT_F_LIMIT_HITS },
    { COUNTER("memtop_memory_high_events", NULL,
              "Times usage went over memory.high (v2 events high)."),
      V_FIELD, MT_F_HIGH_EVENTS },
    { COUNTER("memtop_memory_swap_limit_hits", NULL,
              "Times memory+swap hit its limit (v1 memsw failcnt, v2 swap events max)."),
      V_FIELD, MT_F_SWAP_LIMIT_HITS },
    { COUNTER("memtop_memory_oom_events", NULL,
              "Times the cgroup hit OOM (v2 events oom; not every one kills)."),
      V_FIELD, MT_F_OOM_EVENTS },
    { COUNTER("memtop_oom_group_kills", NULL,
              "OOM kills of whole cgroups (v2 events oom_group_kill)."),
      V_FIELD, MT_F_OOM_GROUP_KILLS },
    { COUNTER("memtop_memory_pressure_some_seconds", "seconds",
              "Time some tasks stalled on memory (PSI some total)."),
      V_PSI_TOTAL, MT_F_PSI_SOME_TOTAL },
    { COUNTER("memtop_memory_pressure_full_seconds", "seconds",
              "Time all tasks stalled on memory (PSI full total)."),
      V_PSI_TOTAL, MT_F_PSI_FULL_TOTAL },
};

static const Fam fam_info = INFO("memtop_cgroup",
    "The cgroup's kind, runtime, container id, pod UID and QoS class.");
static const Fam fam_gone = GAUGE("memtop_cgroup_gone", NULL,
    "1 for a vanished cgroup kept because of an OOM kill (--oom-tombstone), else 0.");
static const Fam fam_kills = COUNTER("memtop_oom_kills", NULL,
    "OOM kills at or below the cgroup: the kernel counter, plus kills memtop saw in the "
    "kernel log that the counter could not show (v1 levels above the task, a cgroup "
    "deleted before it was read again).");
static const Fam fam_last_kill = GAUGE("memtop_oom_last_kill_timestamp_seconds", "seconds",
    "Time of the newest OOM kill at or below the cgroup; comm is the victim's command.");
static const Fam fam_risk = GAUGE("memtop_oom_risk", NULL,
    "OOM-risk level: one series per level, 1 for the current one.");
static const Fam fam_rule = GAUGE("memtop_oom_risk_rule", NULL,
    "1 for every OOM-risk rule that holds this tick (README: OOM risk).");
static const Fam fam_ws_ratio = GAUGE("memtop_oom_risk_working_set_ratio", "ratio",
    "Working set over the limit at the binding level.");
static const Fam fam_floor_ratio = GAUGE("memtop_oom_risk_floor_ratio", "ratio",
    "Floor over the limit at the binding level.");
static const Fam fam_eta = GAUGE("memtop_oom_eta_seconds", "seconds",
    "Seconds until the floor reaches the binding limit at its trend; no sample without "
    "a projection.");
static const Fam fam_ws_eta = GAUGE("memtop_oom_working_set_eta_seconds", "seconds",
    "Seconds until the working set reaches the binding limit at its trend.");

/* The raw value of one per-cgroup family for e (bytes, counts, or
 * microseconds for V_PSI_TOTAL); false: no sample. */
static bool cg_value(const CgFam *cf, const CgEntry *e, uint64_t *out)
{
    const CgDerived *d = &e->d;
    uint64_t v;

    switch (cf->kind) {
    case V_FIELD:
    case V_PSI_TOTAL:
        if (!sample_has(&e->cur, cf->field))
            return false;
        v = e->cur.v[cf->field];
        break;
    case V_WS:
        if (!d->ws_valid)
            return false;
        v = d->ws;
        break;
    case V_FLOOR:
    case V_RECLAIMABLE:
        if (!d->floor_valid)
            return false;
        v = cf->kind == V_FLOOR ? d->floor : d->reclaimable;
        break;
    case V_LIMIT:
    case V_HIGH:
        v = cf->kind == V_LIMIT ? d->limit : d->high;
        if (v == MT_UNLIMITED)
            return false;
        break;
    case V_PROTECT:
        /* 0 (the default) protects nothing: no series for it */
        if (!sample_has(&e->cur, cf->field) || e->cur.v[cf->field] == MT_UNLIMITED ||
            e->cur.v[cf->field] == 0)
            return false;
        v = e->cur.v[cf->field];
        break;
    default:
        return false;
    }
    *out = v;
    return true;
}

static bool entry_live(const CgEntry *e)
{
    return e->state == MT_STATE_LIVE && e->has_cur;
}

/* OOM kills at or below e, one meaning on v1 and v2 (see fam_kills). */
static bool entry_kills(const R *r, const CgEntry *e, uint64_t *out)
{
    bool known = e->has_cur && sample_has(&e->cur, MT_F_OOM_KILLS);
    uint64_t kernel = known ? e->cur.v[MT_F_OOM_KILLS] : 0;
    uint64_t logged = r->logged ? r->logged[e->index] : 0;

    if (!known && logged == 0)
        return false;
    const RiskVerdict *v = analysis_verdict(e);
    uint64_t base = v ? v->in.kills_before : kernel;
    if (!known)
        base = 0;
    *out = MT_MAX(kernel, base + logged);
    return true;
}

/* Attribute the kill history to the listed entries' table slots: kills
 * learned live since an entry's first sample, and the newest kill. */
static void index_kills(R *r)
{
    const Forensics *fz = r->o->fz;
    const Model *m = r->m;
    char p[OOM_PATH_MAX];

    if (!fz || fz->log.n == 0)
        return;
    r->logged = xcalloc(m->table.n ? m->table.n : 1, sizeof(*r->logged));
    r->last = xcalloc(m->table.n ? m->table.n : 1, sizeof(*r->last));
    for (size_t i = 0; i < fz->log.n; i++) {
        const OomEvent *ev = oomlog_get(&fz->log, i);
        if (ev->path[0] != '/')
            continue;
        snprintf(p, sizeof(p), "%s", ev->path);
        for (;;) {
            const CgEntry *e = model_find(m, p);
            if (e) {
                r->last[e->index] = ev;
                if (ev->ingest_seq != 0 && e->has_cur && ev->ingest_seq >= e->first_seq)
                    r->logged[e->index]++;
            }
            if (strcmp(p, "/") == 0)
                break;
            char *slash = strrchr(p, '/');
            if (slash == p)
                p[1] = '\0';
            else
                *slash = '\0';
        }
    }
}

static bool entry_listed(const R *r, const CgEntry *e)
{
    if (!listing_wants(e, r->o->show))
        return false;
    if (e->state == MT_STATE_LIVE)
        return true;
    /* A vanished cgroup stays while it is an OOM tombstone: its series go
     * stale at once otherwise, like any series of a removed container. */
    uint64_t k;
    return r->last && r->last[e->index] && entry_kills(r, e, &k);
}

static const NameInfo *entry_names(const R *r, const CgEntry *e)
{
    const Forensics *fz = r->o->fz;
    if (!fz || !fz->names)
        return NULL;
    const NameInfo *ni = names_get(fz->names, e);
    if ((!ni || !ni->pod_name[0]) && e->pod && e->pod != e)
        ni = names_get(fz->names, e->pod);
    return ni;
}

static void build_labels(R *r)
{
    char label[512];

    r->lbl_off = xcalloc(r->n + 1, sizeof(*r->lbl_off));
    r->names = xcalloc(r->n + 1, sizeof(*r->names));
    r->verdict = xcalloc(r->n + 1, sizeof(*r->verdict));
    metrics_buf_init(&r->lbl);
    for (size_t i = 0; i < r->n; i++) {
        const CgEntry *e = r->list[i];
        const NameInfo *ni = r->names[i] = entry_names(r, e);
        r->verdict[i] = entry_live(e) ? analysis_verdict(e) : NULL;
        r->lbl_off[i] = r->lbl.len;
        label_pair(&r->lbl, true, "id", e->path);
        label_pair(&r->lbl, false, "name", entry_label(e, label, sizeof(label), true));
        label_pair(&r->lbl, false, "namespace", ni ? ni->pod_namespace : "");
        label_pair(&r->lbl, false, "pod", ni ? ni->pod_name : "");
    }
    r->lbl_off[r->n] = r->lbl.len;
}

#define LBL(r, i) (r)->lbl.p + (r)->lbl_off[i], (r)->lbl_off[(i) + 1] - (r)->lbl_off[i]

static void render_info(R *r)
{
    MetricsBuf x;

    metrics_buf_init(&x);
    for (size_t i = 0; i < r->n; i++) {
        const CgEntry *e = r->list[i];
        const CgClass *c = &e->cls;
        const NameInfo *ni = r->names[i];
        const char *rt = c->in_container ? classify_runtime_name(c->runtime) : NULL;
        const char *qos = classify_qos_name(c->qos);
        const char *sub = classify_subkind_name(c->sub);
        x.len = 0;
        label_pair(&x, true, "kind", classify_kind_name(c->kind));
        label_pair(&x, false, "subkind", sub ? sub : "");
        label_pair(&x, false, "runtime", rt ? rt : "");
        label_pair(&x, false, "container_id", c->id);
        label_pair(&x, false, "pod_uid", c->pod_uid);
        label_pair(&x, false, "qos", qos ? qos : "");
        label_pair(&x, false, "container", ni && e->cls.kind != MT_KIND_POD
                   ? (ni->container_name[0] ? ni->container_name : ni->name) : "");
        sample(r, &fam_info, LBL(r, i), x.p, x.len, "1", 1);
    }
    for (size_t i = 0; i < r->n; i++)
        sample_u64(r, &fam_gone, LBL(r, i), r->list[i]->state != MT_STATE_LIVE);
    metrics_buf_free(&x);
}

#define NCG MT_ARRAY_SIZE(cg_fams)
_Static_assert(MT_ARRAY_SIZE(cg_fams) <= 64, "one bit per family in CgVals.has");

/* One cgroup's values, gathered in one pass over its entry: the families
 * then read this compact table instead of every large CgEntry once per
 * family (at a thousand cgroups that was most of a render's time, in
 * cache misses). */
typedef struct {
    uint64_t has;               /* bit f: cg_fams[f] has a sample */
    uint64_t v[NCG];
    bool has_kills;
    uint64_t kills;
} CgVals;

static void render_cgroups(R *r)
{
    MetricsBuf extra;
    char val[48];
    CgVals *cv = xcalloc(r->n ? r->n : 1, sizeof(*cv));

    for (size_t i = 0; i < r->n; i++) {
        const CgEntry *e = r->list[i];
        if (entry_live(e))
            for (size_t f = 0; f < NCG; f++)
                if (cg_value(&cg_fams[f], e, &cv[i].v[f]))
                    cv[i].has |= UINT64_C(1) << f;
        cv[i].has_kills = entry_kills(r, e, &cv[i].kills);
    }
    metrics_buf_init(&extra);
    metrics_buf_reserve(&extra, 64);
    for (size_t f = 0; f < NCG; f++) {
        const CgFam *cf = &cg_fams[f];
        for (size_t i = 0; i < r->n; i++) {
            if (!(cv[i].has & (UINT64_C(1) << f)))
                continue;
            size_t vlen = cf->kind == V_PSI_TOTAL ? metrics_format_usec(val, cv[i].v[f])
                                                  : metrics_format_u64(val, cv[i].v[f]);
            extra.len = 0;
            if (cf->kind == V_LIMIT || cf->kind == V_HIGH) {
                const CgDerived *d = &r->list[i]->d;
                const CgEntry *from = cf->kind == V_LIMIT ? d->limit_from : d->high_from;
                label_pair(&extra, true, cf->kind == V_LIMIT ? "limit_from" : "high_from",
                           from ? from->path : "/");
            }
            sample(r, &cf->f, LBL(r, i), extra.p, extra.len, val, vlen);
        }
        /* the OOM kill counter right after the other event counters */
        if (cf->kind == V_FIELD && cf->field == MT_F_OOM_EVENTS)
            for (size_t i = 0; i < r->n; i++)
                if (cv[i].has_kills)
                    sample_u64(r, &fam_kills, LBL(r, i), cv[i].kills);
    }
    metrics_buf_free(&extra);
    free(cv);
}

static void render_kills(R *r)
{
    MetricsBuf x;
    char val[64];

    if (!r->last)
        return;
    metrics_buf_init(&x);
    for (size_t i = 0; i < r->n; i++) {
        const OomEvent *ev = r->last[r->list[i]->index];
        if (!ev)
            continue;
        char comm[4 * OOM_COMM_MAX];
        sanitize_text(comm, sizeof(comm), ev->comm, strlen(ev->comm), 0, true);
        x.len = 0;
        label_pair(&x, true, "comm", comm);
        size_t n = metrics_format_double(val, sizeof(val), round(ev->time * 1000) / 1000);
        sample(r, &fam_last_kill, LBL(r, i), x.p, x.len, val, n);
    }
    metrics_buf_free(&x);
}

/* The verdict figures the families need, copied once per cgroup (a
 * RiskVerdict spans many cache lines; see CgVals). */
typedef struct {
    bool valid;
    MtRiskLevel level;
    uint32_t rules;
    double x[4];                /* ws_ratio, floor_ratio, eta_oom, eta_ws */
} RiskVals;

static void render_risk(R *r)
{
    static const char *const lv[] = {
        "level=\"ok\"", "level=\"watch\"", "level=\"high\"", "level=\"critical\"",
    };
    static const Fam *const dbl[] = { &fam_ws_ratio, &fam_floor_ratio, &fam_eta, &fam_ws_eta };
    char rule[32];
    RiskVals *rv = xcalloc(r->n ? r->n : 1, sizeof(*rv));

    for (size_t i = 0; i < r->n; i++) {
        const RiskVerdict *v = r->verdict[i];
        if (!v)
            continue;
        rv[i] = (RiskVals){ true, v->level, v->rules,
                            { v->ws_ratio, v->floor_ratio, v->in.eta_oom, v->in.eta_ws } };
    }
    for (size_t i = 0; i < r->n; i++) {
        if (!rv[i].valid || rv[i].level > MT_RISK_CRITICAL)
            continue;
        for (int l = MT_RISK_OK; l <= MT_RISK_CRITICAL; l++)
            sample(r, &fam_risk, LBL(r, i), lv[l], strlen(lv[l]),
                   l == (int)rv[i].level ? "1" : "0", 1);
    }
    for (size_t i = 0; i < r->n; i++) {
        for (int k = 0; rv[i].valid && rv[i].rules && k < MT_R_COUNT; k++) {
            if (!(rv[i].rules & MT_RULE(k)))
                continue;
            int n = snprintf(rule, sizeof(rule), "rule=\"%s\"", risk_rule_name((MtRule)k));
            sample(r, &fam_rule, LBL(r, i), rule, (size_t)n, "1", 1);
        }
    }
    for (size_t f = 0; f < MT_ARRAY_SIZE(dbl); f++)
        for (size_t i = 0; i < r->n; i++)
            if (rv[i].valid && isfinite(rv[i].x[f]))
                sample_dbl(r, dbl[f], LBL(r, i), rv[i].x[f]);
    free(rv);
}

/* ---- node and self ---------------------------------------------------------- */

static const Fam node_fams[] = {
    GAUGE("memtop_node_memory_total_bytes", "bytes", "MemTotal of /proc/meminfo, bytes."),
    GAUGE("memtop_node_memory_available_bytes", "bytes", "MemAvailable, bytes."),
    GAUGE("memtop_node_memory_free_bytes", "bytes", "MemFree, bytes."),
    GAUGE("memtop_node_swap_total_bytes", "bytes", "SwapTotal, bytes."),
    GAUGE("memtop_node_swap_free_bytes", "bytes", "SwapFree, bytes."),
    GAUGE("memtop_node_memory_usage_bytes", "bytes", "Usage of the root cgroup, bytes."),
    GAUGE("memtop_node_memory_working_set_bytes", "bytes",
          "Root cgroup usage minus its inactive file cache (kubelet's node working set)."),
    COUNTER("memtop_node_memory_pressure_some_seconds", "seconds",
            "Time some tasks stalled on memory, node-wide (/proc/pressure/memory)."),
    COUNTER("memtop_node_memory_pressure_full_seconds", "seconds",
            "Time all tasks stalled on memory, node-wide."),
    GAUGE("memtop_node_containers", NULL, "Live containers."),
    GAUGE("memtop_node_pods", NULL, "Live pods."),
};

static void render_node(R *r)
{
    const NodeSample *n = &r->m->node;
    char val[48];

    if (n->mem_valid) {
        sample_u64(r, &node_fams[0], "", 0, n->mem.mem_total);
        if (n->mem.found & 4)
            sample_u64(r, &node_fams[1], "", 0, n->mem.mem_available);
        sample_u64(r, &node_fams[2], "", 0, n->mem.mem_free);
        sample_u64(r, &node_fams[3], "", 0, n->mem.swap_total);
        sample_u64(r, &node_fams[4], "", 0, n->mem.swap_free);
    }
    if (n->ws_valid) {
        sample_u64(r, &node_fams[5], "", 0, n->usage);
        sample_u64(r, &node_fams[6], "", 0, n->working_set);
    }
    if (n->psi_valid && n->psi.has_some)
        sample(r, &node_fams[7], "", 0, "", 0, val, metrics_format_usec(val, n->psi.some_total));
    if (n->psi_valid && n->psi.has_full)
        sample(r, &node_fams[8], "", 0, "", 0, val, metrics_format_usec(val, n->psi.full_total));
    sample_u64(r, &node_fams[9], "", 0, (uint64_t)MT_MAX(n->n_containers, 0));
    sample_u64(r, &node_fams[10], "", 0, (uint64_t)MT_MAX(n->n_pods, 0));
}

static const Fam self_fams[] = {
    INFO("memtop_build", "memtop's version and the cgroup layout it reads."),
    COUNTER("memtop_ticks", NULL, "Ticks sampled since memtop started."),
    GAUGE("memtop_last_tick_timestamp_seconds", "seconds",
          "Time of the tick this exposition shows."),
    GAUGE("memtop_tick_cpu_seconds", "seconds", "CPU time of the last tick (sampling)."),
    COUNTER("memtop_http_requests", NULL, "HTTP requests answered, as of the last tick."),
    COUNTER("memtop_http_rejected", NULL,
            "HTTP requests refused (404, 405, a GET with a body), as of the last tick."),
    COUNTER("process_cpu_seconds", "seconds", "User and system CPU time spent."),
    GAUGE("process_resident_memory_bytes", "bytes", "Resident memory size."),
    GAUGE("process_virtual_memory_bytes", "bytes", "Virtual memory size."),
    GAUGE("process_open_fds", NULL, "Open file descriptors."),
    GAUGE("process_max_fds", NULL, "Limit of open file descriptors."),
    GAUGE("process_start_time_seconds", "seconds", "Start time of the process, unix seconds."),
};

static void render_self(R *r)
{
    MetricsBuf x;
    const MetricsSelf *s = r->o->self;
    const TickTime *tt = model_tick_time(r->m, r->m->seq);

    metrics_buf_init(&x);
    label_pair(&x, true, "version", PACKAGE_VERSION);
    label_pair(&x, false, "cgroup_mode", layout_mode_name(r->m->layout.mode));
    sample(r, &self_fams[0], "", 0, x.p, x.len, "1", 1);
    metrics_buf_free(&x);
    if (!s)
        return;
    sample_u64(r, &self_fams[1], "", 0, r->m->seq);
    if (tt)
        sample_dbl(r, &self_fams[2], "", 0, round(tt->real * 1000) / 1000);
    sample_dbl(r, &self_fams[3], "", 0, s->tick_seconds);
    sample_u64(r, &self_fams[4], "", 0, s->http_requests);
    sample_u64(r, &self_fams[5], "", 0, s->http_rejected);
    sample_dbl(r, &self_fams[6], "", 0, s->cpu_seconds);
    sample_u64(r, &self_fams[7], "", 0, s->resident_bytes);
    sample_u64(r, &self_fams[8], "", 0, s->virtual_bytes);
    if (s->open_fds >= 0)
        sample_u64(r, &self_fams[9], "", 0, (uint64_t)s->open_fds);
    if (s->max_fds >= 0)
        sample_u64(r, &self_fams[10], "", 0, (uint64_t)s->max_fds);
    sample_dbl(r, &self_fams[11], "", 0, s->start_time);
}

/* ---- render ----------------------------------------------------------------- */

void metrics_render(MetricsBuf *b, const Model *m, const MetricsOptions *o)
{
    R r;

    memset(&r, 0, sizeof(r));
    r.b = b;
    r.m = m;
    r.o = o;
    r.om = o->format == MT_EXPO_OPENMETRICS;
    const TickTime *tt = model_tick_time(m, m->seq);
    if (o->timestamps && tt) {
        r.ts[0] = ' ';
        r.ts_len = 1 + metrics_format_double(r.ts + 1, sizeof(r.ts) - 1,
                                             round(tt->real * 1000) / 1000);
    }
    metrics_buf_reserve(b, 0);
    b->p[b->len] = '\0';

    index_kills(&r);
    /* Sorted by path: stable output whatever the discovery order. */
    size_t cap = m->table.n ? m->table.n : 1;
    const CgEntry **all = xcalloc(cap, sizeof(*all));
    size_t n = listing_build(&m->table, o->show, MT_COL_PATH, false, all, cap);
    r.list = all;
    for (size_t i = 0; i < n; i++)
        if (entry_listed(&r, all[i]))
            all[r.n++] = all[i];

    build_labels(&r);
    render_info(&r);
    render_cgroups(&r);
    render_kills(&r);
    render_risk(&r);
    render_node(&r);
    render_self(&r);
    if (r.om && !o->no_eof)
        metrics_buf_add(b, "# EOF\n", 6);

    metrics_buf_free(&r.lbl);
    free(r.lbl_off);
    free(r.names);
    free(r.verdict);
    free(r.logged);
    free(r.last);
    free(all);
}
