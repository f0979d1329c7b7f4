/* columns.c - column table, values, labels and sorted listings. */
#include "config.h"

#include "output/columns.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/analysis.h"
#include "util/format.h"
#include "util/xalloc.h"

static const Column columns[MT_COL_MAX] = {
    { MT_COL_NAME, "NAME", "name", NULL, 28, MT_FMT_TEXT, false,
      "container name, or runtime:short-id" },
    { MT_COL_WS, "WS", "ws", "working_set", 7, MT_FMT_BYTES, true,
      "working set = usage - inactive file cache (cAdvisor/kubelet)" },
    { MT_COL_LIMIT, "LIMIT", "limit", NULL, 7, MT_FMT_BYTES, true,
      "effective hard limit (lowest of the cgroup and its ancestors)" },
    { MT_COL_WS_PCT, "WS%", "ws_pct", "limit_pct", 5, MT_FMT_PCT, true,
      "working set as a percentage of the effective limit" },
    { MT_COL_USAGE, "USAGE", "usage", NULL, 7, MT_FMT_BYTES, true,
      "all memory charged to the cgroup (v1 usage_in_bytes, v2 memory.current)" },
    { MT_COL_ANON, "RSS", "rss", "anon", 7, MT_FMT_BYTES, true,
      "anonymous memory (heap, stacks); excludes shmem" },
    { MT_COL_FILE, "CACHE", "cache", "file", 7, MT_FMT_BYTES, true,
      "page cache, including shmem/tmpfs" },
    { MT_COL_SHMEM, "SHMEM", "shmem", NULL, 7, MT_FMT_BYTES, true,
      "tmpfs, /dev/shm and shared anonymous memory: not droppable without swap" },
    { MT_COL_ACTIVE_ANON, "ACT_A", "active_anon", NULL, 7, MT_FMT_BYTES, true,
      "active anon LRU list (includes shmem)" },
    { MT_COL_INACTIVE_ANON, "INA_A", "inactive_anon", NULL, 7, MT_FMT_BYTES, true,
      "inactive anon LRU list (includes shmem)" },
    { MT_COL_ACTIVE_FILE, "ACT_F", "active_file", NULL, 7, MT_FMT_BYTES, true,
      "active file LRU list: recently used cache" },
    { MT_COL_INACTIVE_FILE, "INA_F", "inactive_file", NULL, 7, MT_FMT_BYTES, true,
      "inactive file LRU list: cache reclaimed first" },
    { MT_COL_SWAP, "SWAP", "swap", NULL, 7, MT_FMT_BYTES, true,
      "swap used by the cgroup" },
    { MT_COL_PGFAULT, "PGFLT/s", "pgfault", "faults", 8, MT_FMT_RATE, true,
      "page faults per second" },
    { MT_COL_MAJFAULT, "MAJFLT/s", "majfault", "pgmajfault", 8, MT_FMT_RATE, true,
      "major page faults (read from disk) per second" },
    { MT_COL_RISK, "RISK", "risk", NULL, 8, MT_FMT_TEXT, true,
      "OOM risk: OK, WATCH, HIGH, CRITICAL (sorts by level, then WS/floor ratio)" },
    { MT_COL_PATH, "PATH", "path", NULL, 40, MT_FMT_TEXT, false,
      "cgroup path relative to the memory hierarchy root" },
};

const Column *column_get(MtColumn id)
{
    return id < MT_COL_MAX ? &columns[id] : NULL;
}

const Column *column_by_key(const char *key)
{
    for (int i = 0; i < MT_COL_MAX; i++)
        if (strcasecmp(key, columns[i].key) == 0 ||
            (columns[i].alias && strcasecmp(key, columns[i].alias) == 0))
            return &columns[i];
    return NULL;
}

static bool field_value(const CgEntry *e, MtField f, uint64_t *out)
{
    if (!e->has_cur || !sample_has(&e->cur, f))
        return false;
    *out = e->cur.v[f];
    return true;
}

static bool rate_value(double r, double *out)
{
    if (isnan(r))
        return false;
    *out = r;
    return true;
}

bool column_bytes(MtColumn id, const CgEntry *e, uint64_t *out)
{
    switch (id) {
    case MT_COL_WS:
        if (!e->has_cur || !e->d.ws_valid)
            return false;
        *out = e->d.ws;
        return true;
    case MT_COL_LIMIT:
        if (!e->has_cur)
            return false;
        *out = e->d.limit;
        return true;
    case MT_COL_USAGE: return field_value(e, MT_F_USAGE, out);
    case MT_COL_ANON: return field_value(e, MT_F_ANON, out);
    case MT_COL_FILE: return field_value(e, MT_F_FILE, out);
    case MT_COL_SHMEM: return field_value(e, MT_F_SHMEM, out);
    case MT_COL_ACTIVE_ANON: return field_value(e, MT_F_ACTIVE_ANON, out);
    case MT_COL_INACTIVE_ANON: return field_value(e, MT_F_INACTIVE_ANON, out);
    case MT_COL_ACTIVE_FILE: return field_value(e, MT_F_ACTIVE_FILE, out);
    case MT_COL_INACTIVE_FILE: return field_value(e, MT_F_INACTIVE_FILE, out);
    case MT_COL_SWAP: return field_value(e, MT_F_SWAP, out);
    default:
        return false;
    }
}

bool column_value(MtColumn id, const CgEntry *e, double *out)
{
    uint64_t b;

    if (id < MT_COL_MAX && columns[id].fmt == MT_FMT_BYTES) {
        if (!column_bytes(id, e, &b))
            return false;
        *out = id == MT_COL_LIMIT && b == MT_UNLIMITED ? (double)INFINITY : (double)b;
        return true;
    }
    switch (id) {
    case MT_COL_WS_PCT:
        if (!e->has_cur || !e->d.ws_valid || e->d.limit == MT_UNLIMITED || e->d.limit == 0)
            return false;
        *out = 100.0 * (double)e->d.ws / (double)e->d.limit;
        return true;
    case MT_COL_PGFAULT: return e->has_cur && rate_value(e->d.pgfault_rate, out);
    case MT_COL_MAJFAULT: return e->has_cur && rate_value(e->d.pgmajfault_rate, out);
    case MT_COL_RISK: return analysis_sort_value(e, out);
    default:
        return false;
    }
}

char *column_text(MtColumn id, const CgEntry *e, bool raw, char *buf, size_t len)
{
    const Column *c = &columns[id];
    double v;
    uint64_t b;

    switch (c->fmt) {
    case MT_FMT_TEXT:
        if (id == MT_COL_RISK) {
            const RiskVerdict *rv = analysis_verdict(e);
            snprintf(buf, len, "%s", rv ? risk_level_name(rv->level) : "-");
        } else if (id == MT_COL_PATH) {
            sanitize_text(buf, len, e->path, strlen(e->path), 0, true);
        } else {
            entry_label(e, buf, len, true);
        }
        return buf;
    case MT_FMT_BYTES:
        /* Exact integers: through a double, values above 2^53 would round
         * (2^64-1 printed as ...616).  An unlimited LIMIT is "max" both ways. */
        if (!column_bytes(id, e, &b)) {
            snprintf(buf, len, "-");
        } else if (id == MT_COL_LIMIT && b == MT_UNLIMITED) {
            snprintf(buf, len, "max");
        } else if (raw) {
            snprintf(buf, len, "%" PRIu64, b);
        } else {
            fmt_bytes(buf, len, b, true);
        }
        return buf;
    case MT_FMT_PCT:
        return fmt_pct(buf, len, column_value(id, e, &v) ? v : (double)NAN);
    case MT_FMT_RATE:
        if (raw && column_value(id, e, &v)) {
            snprintf(buf, len, "%.1f", v);
            return buf;
        }
        return fmt_rate(buf, len, column_value(id, e, &v) ? v : (double)NAN);
    }
    return buf;
}

bool listing_wants(const CgEntry *e, MtShow show)
{
    if (show == MT_SHOW_ALL)
        return true;
    if (e->cls.sub == MT_SUB_INSIDE)
        return false;
    return e->cls.kind == MT_KIND_CONTAINER || e->cls.kind == MT_KIND_POD;
}

int listing_compare(const CgEntry *a, const CgEntry *b, MtColumn sort, bool reverse)
{
    const Column *c = column_get(sort);
    int r = 0;

    /* RISK is text on screen but sorts by its numeric level. */
    if (c && c->fmt == MT_FMT_TEXT && sort != MT_COL_RISK) {
        char la[512], lb[512];
        if (sort == MT_COL_PATH)
            r = strcmp(a->path, b->path);
        else
            r = strcmp(entry_label(a, la, sizeof(la), true), entry_label(b, lb, sizeof(lb), true));
        if (reverse)
            r = -r;
    } else if (c) {
        double va, vb;
        bool ha = column_value(sort, a, &va), hb = column_value(sort, b, &vb);
        if (ha != hb)
            return ha ? -1 : 1;         /* unknown last, whatever the direction */
        if (ha && va != vb) {
            r = va < vb ? -1 : 1;
            if (c->descending)
                r = -r;
            if (reverse)
                r = -r;
        }
    }
    if (r == 0)
        r = strcmp(a->path, b->path);   /* deterministic tie-break */
    return r;
}

static MtColumn qsort_col;
static bool qsort_rev;

static int listing_qsort_cmp(const void *pa, const void *pb)
{
    return listing_compare(*(const CgEntry *const *)pa, *(const CgEntry *const *)pb, qsort_col,
                           qsort_rev);
}

size_t listing_build(const CgTable *t, MtShow show, MtColumn sort, bool reverse,
                     const CgEntry **out, size_t cap)
{
    size_t n = 0;

    for (size_t i = 0; i < t->n && n < cap; i++)
        if (listing_wants(t->entries[i], show))
            out[n++] = t->entries[i];
    qsort_col = sort;
    qsort_rev = reverse;
    qsort(out, n, sizeof(*out), listing_qsort_cmp);
    return n;
}
