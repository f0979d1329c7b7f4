/* forensics.c - names, OOM kill attribution and tombstones per tick.  The
 * JSON fields are the output layer's (output/forensics_json.c). */
#include "config.h"

#include "forensics/forensics.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define COUNTER_EVENTS_MAX 16       /* per cgroup and tick; the rest is just counted */

struct ForState {
    const CgEntry *e;
    uint64_t inode;             /* incarnation the counts belong to */
    uint64_t counted;           /* oom_kill counter increases up to the previous tick */
    uint64_t explained;         /* kills attributed by reports or counter events */
    bool oom_killed;            /* a kill at or below this cgroup was seen */
    ForState *next;
};

void forensics_options_default(ForensicsOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->names = true;
    names_options_default(&o->names_opt);
    o->oom.mode = MT_OOMSRC_AUTO;
    o->oom_tomb_secs = 900;
    o->oom_history = 512;
}

static size_t ptr_hash(const Forensics *f, const CgEntry *e)
{
    uintptr_t p = (uintptr_t)e;
    return (size_t)((p >> 4) ^ (p >> 12)) & (f->nbuckets - 1);
}

static ForState *state_get(Forensics *f, const CgEntry *e, bool create)
{
    ForState **head = &f->buckets[ptr_hash(f, e)];
    for (ForState *s = *head; s; s = s->next) {
        if (s->e != e)
            continue;
        if (s->inode != e->inode) {
            /* re-created under the same path: a new cgroup */
            s->inode = e->inode;
            s->counted = s->explained = 0;
            s->oom_killed = false;
        }
        return s;
    }
    if (!create)
        return NULL;
    ForState *s = xcalloc(1, sizeof(*s));
    s->e = e;
    s->inode = e->inode;
    s->next = *head;
    *head = s;
    return s;
}

static void state_drop(Forensics *f, const CgEntry *e)
{
    for (ForState **pp = &f->buckets[ptr_hash(f, e)]; *pp; pp = &(*pp)->next) {
        if ((*pp)->e == e) {
            ForState *s = *pp;
            *pp = s->next;
            free(s);
            return;
        }
    }
}

static void on_entry_free(CgEntry *e, void *ctx)
{
    Forensics *f = ctx;
    state_drop(f, e);
    if (f->prev_on_free)
        f->prev_on_free(e, f->prev_on_free_ctx);
}

int forensics_open(Forensics *f, Model *m, const ForensicsOptions *o, char *err,
                   size_t errlen)
{
    memset(f, 0, sizeof(*f));
    f->opt = *o;
    f->nbuckets = 1024;
    f->buckets = xcalloc(f->nbuckets, sizeof(ForState *));
    f->table = &m->table;
    f->api_v1 = m->layout.api_v1;
    oomlog_init(&f->log, o->oom_history ? o->oom_history : 512);
    snprintf(f->log.strip_prefix, sizeof(f->log.strip_prefix), "%.*s",
             (int)sizeof(f->log.strip_prefix) - 1, m->layout.mem_mount_root);
    if (oomsrc_open(&f->src, m->rootfd, m->opt.root, &o->oom, err, errlen) < 0) {
        oomlog_done(&f->log);
        free(f->buckets);
        f->buckets = NULL;
        return -1;
    }
    if (o->names)
        f->names = names_new(m->rootfd, &o->names_opt);
    f->prev_on_free = m->table.on_free;
    f->prev_on_free_ctx = m->table.on_free_ctx;
    m->table.on_free = on_entry_free;
    m->table.on_free_ctx = f;
    /* This boot's earlier kills: history only (ingest seq 0), they explain
     * no counter increase seen from now on. */
    if (o->oom.backlog)
        oomsrc_poll(&f->src, &f->log, 0);
    f->log_seen = f->log.total;
    return 0;
}

void forensics_close(Forensics *f, Model *m)
{
    if (!f->buckets)
        return;
    if (m->table.on_free == on_entry_free && m->table.on_free_ctx == f) {
        m->table.on_free = f->prev_on_free;
        m->table.on_free_ctx = f->prev_on_free_ctx;
    }
    for (size_t i = 0; i < f->nbuckets; i++) {
        ForState *s = f->buckets[i];
        while (s) {
            ForState *n = s->next;
            free(s);
            s = n;
        }
    }
    free(f->buckets);
    f->buckets = NULL;
    names_free(f->names);
    f->names = NULL;
    oomsrc_close(&f->src);
    oomlog_done(&f->log);
}

/* Mark the cgroup of a kill and its known ancestors.  Reports from the
 * live log also explain counter increases: on v2 at every level (the
 * kernel propagates oom_kill up), on v1 only at the task's own cgroup. */
static void attribute(Forensics *f, const OomEvent *ev)
{
    char p[OOM_PATH_MAX];
    bool exact = true;

    if (ev->path[0] != '/')
        return;
    snprintf(p, sizeof(p), "%s", ev->path);
    for (;;) {
        CgEntry *e = cgtable_find(f->table, p);
        if (e) {
            ForState *s = state_get(f, e, true);
            s->oom_killed = true;
            if (ev->ingest_seq != 0 && (exact || !f->api_v1))
                s->explained++;
            exact = false;
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

static void attribute_new_events(Forensics *f)
{
    uint64_t fresh = f->log.total - f->log_seen;
    if (fresh > f->log.n)
        fresh = f->log.n;
    for (size_t i = f->log.n - (size_t)fresh; i < f->log.n; i++)
        attribute(f, oomlog_get(&f->log, i));
    f->log_seen = f->log.total;
}

static void add_counter_events(Forensics *f, CgEntry *e, uint64_t k, double t, uint64_t seq)
{
    OomEvent ev;

    memset(&ev, 0, sizeof(ev));
    ev.time = t;
    snprintf(ev.path, sizeof(ev.path), "%s", e->path);
    ev.pid = -1;
    ev.uid = -1;
    ev.source = MT_OOM_SRC_COUNTER;
    ev.ingest_seq = seq;
    for (uint64_t i = 0; i < k && i < COUNTER_EVENTS_MAX; i++)
        oomlog_add(&f->log, &ev);
    f->counter_kills += k;
    for (CgEntry *x = e; x; x = x->parent) {
        ForState *s = state_get(f, x, true);
        s->oom_killed = true;
        if (x == e || !f->api_v1)
            s->explained += k;
    }
}

/* Counter increases seen last tick that no report explains by now. */
static void check_counters(Forensics *f, Model *m)
{
    const TickTime *prev = m->seq > 1 ? model_tick_time(m, m->seq - 1) : NULL;
    const TickTime *now = model_tick_time(m, m->seq);
    double t = prev ? prev->real : now ? now->real : 0;

    for (size_t i = m->table.n; i-- > 0;) {
        CgEntry *e = m->table.entries[i];
        ForState *s = state_get(f, e, e->d.d_oom_kills > 0);
        if (!s)
            continue;
        if (s->counted > s->explained)
            add_counter_events(f, e, s->counted - s->explained, t, m->seq);
        if (e->state == MT_STATE_LIVE && e->has_cur && e->cur_seq == m->seq)
            s->counted += e->d.d_oom_kills;
    }
    f->log_seen = f->log.total;
}

static void extend_tombstones(Forensics *f, Model *m)
{
    for (size_t i = 0; i < m->table.n; i++) {
        CgEntry *e = m->table.entries[i];
        if (e->state != MT_STATE_GONE)
            continue;
        ForState *s = state_get(f, e, false);
        if (!s || !s->oom_killed)
            continue;
        double until = e->gone_time + f->opt.oom_tomb_secs;
        if (e->tomb_until < until)
            e->tomb_until = until;
    }
}

void forensics_tick(Forensics *f, Model *m)
{
    const TickTime *now = model_tick_time(m, m->seq);
    double t = now ? now->real : 0;

    oomsrc_poll(&f->src, &f->log, m->seq);
    /* an oom-kill line whose "Killed process" line never came */
    oomlog_flush_pending(&f->log, t, 5.0, m->seq);
    attribute_new_events(f);
    check_counters(f, m);
    extend_tombstones(f, m);
    if (f->names)
        names_update(f->names, &m->table);
}

const OomEvent *forensics_last_kill(const Forensics *f, const CgEntry *e)
{
    for (size_t i = f->log.n; i-- > 0;) {
        const OomEvent *ev = oomlog_get(&f->log, i);
        if (oomlog_path_within(ev->path, e->path))
            return ev;
    }
    return NULL;
}

size_t forensics_kill_count(const Forensics *f, const CgEntry *e)
{
    size_t n = 0;
    for (size_t i = 0; i < f->log.n; i++)
        n += oomlog_path_within(oomlog_get(&f->log, i)->path, e->path);
    return n;
}

size_t forensics_history(const Forensics *f, const CgEntry *e, const OomEvent **out,
                         size_t max)
{
    size_t n = 0;
    for (size_t i = f->log.n; i-- > 0 && n < max;) {
        const OomEvent *ev = oomlog_get(&f->log, i);
        if (oomlog_path_within(ev->path, e->path))
            out[n++] = ev;
    }
    return n;
}
