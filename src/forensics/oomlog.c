/* oomlog.c - the kill store: the two lines of one kill paired by pid, a
 * bounded history of kills, and their cgroup paths as memtop sees them.
 * The lines are parsed in oomparse.c. */
#include "config.h"

#include "forensics/oomlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

const char *oomlog_source_name(MtOomSource s)
{
    switch (s) {
    case MT_OOM_SRC_JOURNAL: return "journal";
    case MT_OOM_SRC_KMSG: return "kmsg";
    case MT_OOM_SRC_COUNTER: return "counter";
    }
    return "unknown";
}

void oomlog_init(OomLog *l, size_t cap)
{
    memset(l, 0, sizeof(*l));
    l->cap = cap ? cap : 1;
    l->ev = xcalloc(l->cap, sizeof(OomEvent));
}

void oomlog_done(OomLog *l)
{
    free(l->ev);
    memset(l, 0, sizeof(*l));
}

const OomEvent *oomlog_get(const OomLog *l, size_t i)
{
    return i < l->n ? &l->ev[(l->head + i) % l->cap] : NULL;
}

const OomEvent *oomlog_add(OomLog *l, const OomEvent *e)
{
    size_t slot;

    if (l->n < l->cap) {
        slot = (l->head + l->n) % l->cap;
        l->n++;
    } else {
        slot = l->head;     /* overwrite the oldest */
        l->head = (l->head + 1) % l->cap;
    }
    l->ev[slot] = *e;
    l->total++;
    return &l->ev[slot];
}

/* Kernel path -> memtop path: strip the cgroup-namespace mount root. */
static void map_path(const OomLog *l, char *dst, size_t dlen, const char *kpath)
{
    const char *p = l->strip_prefix;
    size_t pl = strlen(p);
    bool had = *kpath != '\0';

    if (pl > 1 && strncmp(kpath, p, pl) == 0 && (kpath[pl] == '/' || kpath[pl] == '\0'))
        kpath += pl;
    snprintf(dst, dlen, "%s", *kpath ? kpath : had ? "/" : "");
}

static void add_pending(OomLog *l, const OomKillLine *k, double t, MtOomSource src)
{
    size_t slot = 0;
    double oldest = 0;

    for (size_t i = 0; i < OOMLOG_PENDING; i++) {
        if (l->pending[i].used && l->pending[i].k.pid == k->pid) {
            slot = i;
            goto store;
        }
    }
    for (size_t i = 0; i < OOMLOG_PENDING; i++) {
        if (!l->pending[i].used) {
            slot = i;
            goto store;
        }
        if (i == 0 || l->pending[i].time < oldest) {
            oldest = l->pending[i].time;
            slot = i;
        }
    }
store:
    l->pending[slot].used = true;
    l->pending[slot].k = *k;
    l->pending[slot].time = t;
    l->pending[slot].source = src;
}

static void event_from_kill(const OomLog *l, OomEvent *e, const OomKillLine *k)
{
    map_path(l, e->path, sizeof(e->path), k->task_memcg);
    if (k->oom_memcg[0])
        map_path(l, e->oom_memcg, sizeof(e->oom_memcg), k->oom_memcg);
    snprintf(e->constraint, sizeof(e->constraint), "%s", k->constraint);
    snprintf(e->comm, sizeof(e->comm), "%s", k->task);
    e->pid = k->pid;
    e->uid = k->uid;
}

const OomEvent *oomlog_feed(OomLog *l, const char *msg, size_t len, double t,
                            MtOomSource src, uint64_t seq)
{
    OomKillLine k;
    OomKilledLine kd;
    OomEvent e;

    if (oomlog_parse_kill_line(msg, len, &k) == 0) {
        add_pending(l, &k, t, src);
        l->last_task_in[0] = l->last_task_in_oom[0] = '\0';
        return NULL;
    }
    if (oomlog_parse_task_in_line(msg, len, l->last_task_in, sizeof(l->last_task_in),
                                  l->last_task_in_oom, sizeof(l->last_task_in_oom)) == 0 ||
        oomlog_parse_group_line(msg, len, l->last_task_in, sizeof(l->last_task_in)) == 0)
        return NULL;
    if (oomlog_parse_killed_line(msg, len, &kd) != 0)
        return NULL;

    memset(&e, 0, sizeof(e));
    e.time = t;
    e.source = src;
    e.ingest_seq = seq;
    e.uid = kd.uid;
    bool found = false;
    for (size_t i = 0; i < OOMLOG_PENDING; i++) {
        if (l->pending[i].used && l->pending[i].k.pid == kd.pid) {
            event_from_kill(l, &e, &l->pending[i].k);
            l->pending[i].used = false;
            found = true;
            break;
        }
    }
    if (!found && l->last_task_in[0]) {
        map_path(l, e.path, sizeof(e.path), l->last_task_in);
        if (l->last_task_in_oom[0])
            map_path(l, e.oom_memcg, sizeof(e.oom_memcg), l->last_task_in_oom);
    }
    e.pid = kd.pid;
    snprintf(e.comm, sizeof(e.comm), "%s", kd.comm);
    if (kd.uid >= 0)
        e.uid = kd.uid;
    e.has_rss = kd.has_rss;
    if (kd.has_rss) {
        e.anon_rss = kd.anon_rss;
        e.file_rss = kd.file_rss;
        e.shmem_rss = kd.shmem_rss;
        e.total_vm = kd.total_vm == UINT64_MAX ? 0 : kd.total_vm;
    }
    return oomlog_add(l, &e);
}

void oomlog_flush_pending(OomLog *l, double now, double max_age, uint64_t seq)
{
    for (size_t i = 0; i < OOMLOG_PENDING; i++) {
        if (!l->pending[i].used || now - l->pending[i].time < max_age)
            continue;
        OomEvent e;
        memset(&e, 0, sizeof(e));
        e.time = l->pending[i].time;
        e.source = l->pending[i].source;
        e.ingest_seq = seq;
        event_from_kill(l, &e, &l->pending[i].k);
        oomlog_add(l, &e);
        l->pending[i].used = false;
    }
}

bool oomlog_path_within(const char *path, const char *dir)
{
    size_t dl = strlen(dir);

    if (path[0] != '/')
        return false;       /* unknown cgroup */
    if (dl == 1 && dir[0] == '/')
        return true;
    return strncmp(path, dir, dl) == 0 && (path[dl] == '\0' || path[dl] == '/');
}
