/* explain.c - composition sentences (SPEC 5.5, "Composition").  The risk
 * verdict's sentences come from risk_text.c. */
#include "config.h"

#include "output/explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/columns.h"
#include "output/risk_text.h"
#include "util/format.h"
#include "util/xalloc.h"

void explain_add(Explanation *x, const char *fmt, ...)
{
    char tmp[MT_EXPLAIN_LEN * 2];
    va_list ap;

    if (x->n >= MT_EXPLAIN_MAX)
        return;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    sanitize_text(x->line[x->n], MT_EXPLAIN_LEN, tmp, strlen(tmp), 0, true);
    x->n++;
}

#define SZ(buf, v) fmt_bytes(buf, sizeof(buf), (v), true)

static double pct(uint64_t a, uint64_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

void explain_entry(const Model *m, const CgEntry *e, Explanation *x)
{
    const CgroupSample *s = &e->cur;
    const CgDerived *d = &e->d;
    char a[32], b[32], c[32], bind[300];

    memset(x, 0, sizeof(*x));
    if (!e->has_cur) {
        explain_add(x, "No memory data: %s.", e->unaccounted
                    ? "the memory controller is not enabled for this cgroup"
                    : "the cgroup has not been sampled yet");
        return;
    }
    uint64_t u = sample_get(s, MT_F_USAGE, 0);
    bool limited = d->limit != MT_UNLIMITED;
    if (limited) {
        if (d->limit_from)
            entry_binding_label(e, d->limit_from, bind, sizeof(bind));
        else
            snprintf(bind, sizeof(bind), "a parent outside memtop's view");
        explain_add(x, "Using %s of %s limit (%.0f%%) set on %s.", SZ(a, u), SZ(b, d->limit),
                    pct(u, d->limit), bind);
    } else {
        explain_add(x, "No memory limit on this cgroup or its parents; only node-wide OOM or "
                       "kubelet eviction applies.");
    }
    if (d->ws_valid) {
        uint64_t inact = sample_get(s, MT_F_INACTIVE_FILE, 0);
        if (limited)
            explain_add(x, "Working set %s (%.0f%% of limit) = usage minus %s of inactive page cache.",
                        SZ(a, d->ws), pct(d->ws, d->limit), SZ(b, inact));
        else
            explain_add(x, "Working set %s = usage minus %s of inactive page cache.",
                        SZ(a, d->ws), SZ(b, inact));
    }
    bool no_swap = !d->swap_room_valid || d->swap_room == 0;
    if (sample_has(s, MT_F_FILE))
        explain_add(x, "Page cache %s: %s inactive + %s active file pages can be dropped; %s is "
                       "tmpfs/shared memory that %s.",
                    SZ(a, s->v[MT_F_FILE]), SZ(b, sample_get(s, MT_F_INACTIVE_FILE, 0)),
                    SZ(c, sample_get(s, MT_F_ACTIVE_FILE, 0)),
                    SZ(bind, sample_get(s, MT_F_SHMEM, 0)),
                    no_swap ? "cannot be freed without deleting files (no swap)"
                            : "can only be swapped out");
    if (sample_has(s, MT_F_ANON)) {
        char thp[64] = "";
        if (sample_get(s, MT_F_ANON_THP, 0))
            snprintf(thp, sizeof(thp), " (%s in huge pages)", SZ(c, s->v[MT_F_ANON_THP]));
        if (no_swap)
            explain_add(x, "Anonymous memory %s%s; no swap is available, so it cannot be reclaimed.",
                        SZ(a, s->v[MT_F_ANON]), thp);
        else
            explain_add(x, "Anonymous memory %s%s; up to %s can be swapped out.",
                        SZ(a, s->v[MT_F_ANON]), thp, SZ(b, d->swap_room));
    }
    if (sample_has(s, MT_F_KERNEL))
        explain_add(x, "Kernel memory %s (%s reclaimable slab); socket buffers %s.",
                    SZ(a, s->v[MT_F_KERNEL]), SZ(b, sample_get(s, MT_F_SLAB_RECLAIMABLE, 0)),
                    SZ(c, sample_get(s, MT_F_SOCK, 0)));
    if (d->floor_valid) {
        if (limited)
            explain_add(x, "Unreclaimable floor \xe2\x89\x88 %s (%.0f%% of limit).", SZ(a, d->floor),
                        pct(d->floor, d->limit));
        else
            explain_add(x, "Unreclaimable floor \xe2\x89\x88 %s.", SZ(a, d->floor));
    }
    if (sample_get(s, MT_F_SWAP, 0))
        explain_add(x, "Swap in use %s.", SZ(a, s->v[MT_F_SWAP]));
    if (limited && d->limit_from && d->limit_from != e) {
        uint64_t own = sample_get(s, MT_F_LIMIT_OWN, MT_UNLIMITED);
        entry_binding_label(e, d->limit_from, bind, sizeof(bind));
        explain_add(x, "Limit is inherited from %s (%s); this cgroup's own limit is %s.", bind,
                    SZ(a, d->limit), own == MT_UNLIMITED ? "none" : SZ(b, own));
    }
    risk_explain(m, e, x);
}

void explain_print(FILE *f, const Model *m, const CgEntry *e)
{
    Explanation *x = xcalloc(1, sizeof(*x));
    char label[512], path[1024];
    const CgClass *c = &e->cls;

    explain_entry(m, e, x);
    entry_label(e, label, sizeof(label), true);
    sanitize_text(path, sizeof(path), e->path, strlen(e->path), 0, true);
    fprintf(f, "%s  (%s)\n", label, path);
    fprintf(f, "kind %s", classify_kind_name(c->kind));
    if (c->in_container && classify_runtime_name(c->runtime))
        fprintf(f, "  runtime %s", classify_runtime_name(c->runtime));
    if (c->id[0]) {
        sanitize_text(path, sizeof(path), c->id, strlen(c->id), 0, true);
        fprintf(f, "  id %s", path);
    }
    if (c->pod_uid[0])
        fprintf(f, "  pod %s", c->pod_uid);
    fputc('\n', f);
    if (x->level[0])
        fprintf(f, "Risk: %s%s\n", x->level, x->node_level ? " (node-level)" : "");
    else
        fprintf(f, "Risk: - (no verdict yet)\n");
    for (size_t i = 0; i < x->n; i++)
        fprintf(f, "  %s\n", x->line[i]);
    free(x);
}
