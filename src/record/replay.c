/* replay.c - recording -> Model. */
#include "config.h"

#include "record/replay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/format.h"
#include "util/xalloc.h"

static void apply_header(Replay *r)
{
    const RecHeader *h = &r->dec.hdr;
    Model *m = r->m;

    snprintf(m->hostname, sizeof(m->hostname), "%s", h->hostname);
    snprintf(m->kernel, sizeof(m->kernel), "%s", h->kernel);
    m->layout.api_v1 = h->api_v1;
    m->layout.mode = strcmp(h->mode, "v2") == 0 ? MT_MODE_V2
                     : strcmp(h->mode, "v1") == 0 ? MT_MODE_V1 : MT_MODE_HYBRID;
    if (h->interval > 0)
        m->opt.interval = h->interval;
    m->opt.tomb_secs = h->tomb_secs;
    if (h->pagesize > 0)
        m->node.pagesize = h->pagesize;
}

int replay_open_mem(Replay *r, const uint8_t *buf, size_t len, const ModelOptions *o, Model *m,
                    char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    if (recdec_open(&r->dec, buf, len, err, errlen) < 0)
        return -1;
    r->map = buf;
    r->maplen = len;
    r->m = m;
    r->at = SIZE_MAX;
    model_open_detached(m, o);
    apply_header(r);
    return 0;
}

int replay_open(Replay *r, const char *file, const ModelOptions *o, Model *m, char *err,
                size_t errlen)
{
    struct stat st;
    int fd = open(file, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", file, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", file);
        close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size;
    const uint8_t *map = NULL;
    if (len > 0) {
        void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            snprintf(err, errlen, "cannot map %s: %s", file, strerror(errno));
            close(fd);
            return -1;
        }
        map = p;
    }
    close(fd);
    char msg[256];
    if (replay_open_mem(r, map ? map : (const uint8_t *)"", len, o, m, msg, sizeof(msg)) < 0) {
        snprintf(err, errlen, "%s: %s", file, msg);
        if (map)
            munmap((void *)map, len);
        return -1;
    }
    r->mapped = map != NULL;
    return 0;
}

void replay_close(Replay *r)
{
    recdec_close(&r->dec);
    free(r->idx);
    r->idx = NULL;
    r->nidx = 0;
    r->indexed = false;
    if (r->mapped)
        munmap((void *)r->map, r->maplen);
    r->map = NULL;
    r->mapped = false;
}

static bool sweep_unseen(const CgEntry *e, void *ctx)
{
    return e->seen_gen != *(const uint64_t *)ctx;
}

/* The model entry for a recorded cgroup: found, re-created or added. */
static CgEntry *entry_for(Replay *r, const RecDecSlot *s)
{
    CgTable *t = &r->m->table;
    CgEntry *e = cgtable_find(t, s->path);

    if (e) {
        if (e->inode != s->inode) {     /* re-created (discover.c: see()) */
            cgtable_reset_entry(t, &r->m->reader, e);
            e->inode = s->inode;
        }
        return e;
    }
    const RecDecSlot *ps = s->parent >= 0 ? recdec_slot(&r->dec, (uint32_t)s->parent) : NULL;
    CgEntry *parent = ps ? cgtable_find(t, ps->path) : NULL;
    if (!parent && strcmp(s->path, "/") != 0) {
        /* An orphan (its parent was swept before it): a top-level name. */
        parent = t->n ? cgtable_find(t, "/") : NULL;
    }
    e = cgtable_add(t, s->path, parent);
    e->cls = s->cls;
    e->container = e->cls.in_container && e->cls.container_depth == e->depth ? e
                   : parent ? parent->container : NULL;
    e->pod = e->cls.kind == MT_KIND_POD ? e : parent ? parent->pod : NULL;
    e->inode = s->inode;
    return e;
}

/* Display names come from the file: sanitized again, like every string a
 * view prints, since the file may not have been written by memtop. */
static void set_display_name(CgEntry *e, const char *name)
{
    char clean[1024];

    if (name)
        sanitize_text(clean, sizeof(clean), name, strlen(name), 0, true);
    if (!name || !clean[0]) {
        free(e->display_name);
        e->display_name = NULL;
    } else if (!e->display_name || strcmp(e->display_name, clean) != 0) {
        free(e->display_name);
        e->display_name = xstrdup(clean);
    }
}

static void ingest_entry(Replay *r, const RecFrameEntry *fe, const RecDecSlot *s, double real,
                         uint64_t mono)
{
    Model *m = r->m;
    CgEntry *e = entry_for(r, s);

    /* A tombstone coming back to life is a new cgroup, as in see(). */
    if (e->state == MT_STATE_GONE && !(fe->flags & REC_E_GONE))
        cgtable_reset_entry(&m->table, &m->reader, e);
    e->seen_gen = m->gen;
    set_display_name(e, s->display_name);
    if (fe->flags & REC_E_GONE) {
        if (e->state == MT_STATE_LIVE)
            model_entry_gone(m, e, real);
        return;
    }
    if (fe->flags & REC_E_SAMPLED)
        model_entry_sampled(m, e, &s->sample, mono, (fe->flags & REC_E_CARRIED) != 0);
    e->unaccounted = (fe->flags & REC_E_UNACCOUNTED) != 0;
}

static void ingest(Replay *r)
{
    Model *m = r->m;
    const RecFrame *fr = &r->dec.frame;

    model_tick_begin(m, fr->real, fr->mono_ns);
    m->node.mem_valid = fr->mem_valid;
    m->node.mem = fr->mem;
    m->node.psi_valid = fr->psi_valid;
    m->node.psi = fr->psi;
    for (size_t i = 0; i < fr->n; i++) {
        const RecDecSlot *s = recdec_slot(&r->dec, fr->ent[i].index);
        if (s)
            ingest_entry(r, &fr->ent[i], s, fr->real, fr->mono_ns);
    }
    model_tick_end(m, fr->real, sweep_unseen, &m->gen);
}

RecNext replay_step(Replay *r)
{
    for (;;) {
        RecNext n = recdec_next(&r->dec);
        if (n == REC_SEGMENT) {
            apply_header(r);
            continue;
        }
        if (n == REC_FRAME) {
            ingest(r);
            r->at++;            /* SIZE_MAX + 1 == 0 */
        }
        return n;
    }
}

int replay_parse_time(const char *s, double *out)
{
    static const char *const fmts[] = {
        "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
    };
    char *end;

    errno = 0;
    double v = strtod(s, &end);
    if (end != s && !*end && !errno && isfinite(v) && v >= 0 && strchr(s, '-') == NULL) {
        *out = v;
        return 0;
    }
    for (size_t i = 0; i < MT_ARRAY_SIZE(fmts); i++) {
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        const char *rest = strptime(s, fmts[i], &tm);
        if (rest && !*rest) {
            tm.tm_isdst = -1;
            time_t t = mktime(&tm);
            if (t == (time_t)-1)
                return -1;
            *out = (double)t;
            return 0;
        }
    }
    return -1;
}

size_t replay_index(Replay *r)
{
    RecDecoder d;
    char err[256];
    size_t cap = 0;

    if (r->indexed)
        return r->nidx;
    r->indexed = true;
    if (recdec_open(&d, r->map, r->maplen, err, sizeof(err)) < 0)
        return 0;
    RecNext n;
    while ((n = recdec_next(&d)) != REC_END) {
        if (n != REC_FRAME)
            continue;
        if (r->nidx == cap) {
            cap = cap ? cap * 2 : 1024;
            r->idx = xreallocarray(r->idx, cap, sizeof(*r->idx));
        }
        r->idx[r->nidx++] = (ReplayMark){ d.frame.offset, d.seg_offset, d.frame.real,
                                          d.frame.keyframe };
    }
    recdec_close(&d);
    return r->nidx;
}

/* Forget the model's state; keep what later layers hooked into it. */
static void model_restart(Replay *r)
{
    Model *m = r->m;
    ModelOptions o = m->opt;
    void (*on_free)(CgEntry *, void *) = m->table.on_free;
    void *ctx = m->table.on_free_ctx;
    void (*after_tick)(Model *, void *) = m->after_tick;     /* the analysis */
    void *after_ctx = m->after_tick_ctx;

    model_close(m);
    model_open_detached(m, &o);
    m->table.on_free = on_free;
    m->table.on_free_ctx = ctx;
    m->after_tick = after_tick;
    m->after_tick_ctx = after_ctx;
    apply_header(r);
}

int replay_seek(Replay *r, size_t i)
{
    replay_index(r);
    if (i >= r->nidx)
        return -1;
    if (r->at != SIZE_MAX && r->at < i && i - r->at <= r->m->opt.history) {
        /* Forward, close by: just decode on. */
        while (r->at < i) {
            RecNext n = replay_step(r);
            if (n == REC_END)
                return -1;
        }
        return 0;
    }
    /* Start far enough back to refill the history, and to see the two real
     * reads before i of a cgroup whose memory.stat was carried over (its
     * rates are those of its last real read, divided by the time since the
     * one before). */
    size_t back = MT_MAX((size_t)r->m->opt.history - 1, (size_t)2 * (MT_CARRY_MAX + 1));
    size_t k = i > back ? i - back : 0;
    while (k > 0 && !r->idx[k].keyframe)
        k--;
    model_restart(r);
    if (recdec_seek(&r->dec, r->idx[k].seg_offset, r->idx[k].offset) < 0)
        return -1;
    r->at = k - 1;      /* wraps to SIZE_MAX for k == 0: replay_step adds one */
    while (r->at != i) {
        if (replay_step(r) == REC_END)
            return -1;
    }
    return 0;
}

size_t replay_find_time(Replay *r, double t)
{
    replay_index(r);
    size_t lo = 0, hi = r->nidx;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->idx[mid].real < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->nidx ? lo : (r->nidx ? r->nidx - 1 : 0);
}
