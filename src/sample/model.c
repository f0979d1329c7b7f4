/* model.c - one tick: node, discovery, reads, derivation, history, sweep. */
#include "config.h"

#include "sample/model.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "sample/derive.h"
#include "sample/discover.h"
#include "sample/fsroot.h"
#include "util/xalloc.h"

void model_options_default(ModelOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->root = "/";
    o->history = 600;
    o->tomb_secs = 10;
    o->slow_every = 5;
    o->fd_budget = -1;
    o->interval = 2.0;
    o->rescan_secs = 30;
    o->carry_max = MT_CARRY_MAX;
}

static double now_realtime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t now_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Open a host path (absolute) below the root fd as a directory. */
static int open_below_root(int rootfd, const char *abs)
{
    const char *rel = abs;
    while (*rel == '/')
        rel++;
    return fs_open_at(rootfd, *rel ? rel : ".", O_DIRECTORY);
}

static void read_identity(Model *m)
{
    char buf[512];
    struct utsname u;

    /* Under --root, prefer the tree's own files so fixtures are stable. */
    if (fs_read_at(m->rootfd, "proc/sys/kernel/hostname", buf, sizeof(buf)) > 0) {
        buf[strcspn(buf, "\n")] = '\0';
        snprintf(m->hostname, sizeof(m->hostname), "%.255s", buf);
    } else if (uname(&u) == 0) {
        snprintf(m->hostname, sizeof(m->hostname), "%s", u.nodename);
    }
    if (fs_read_at(m->rootfd, "proc/sys/kernel/osrelease", buf, sizeof(buf)) > 0) {
        buf[strcspn(buf, "\n")] = '\0';
        snprintf(m->kernel, sizeof(m->kernel), "%.255s", buf);
    } else if (uname(&u) == 0) {
        snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
    }
}

int model_open(Model *m, const ModelOptions *o, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    m->opt = *o;
    if (m->opt.history < 2)
        m->opt.history = 2;
    m->memroot_fd = m->psiroot_fd = -1;
    m->rootfd = open(o->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m->rootfd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot open root directory %s: %s", o->root, strerror(e));
        return -e;
    }
    MtLayoutStatus st = layout_detect(m->rootfd, &m->layout);
    if (st != MT_LAYOUT_OK) {
        snprintf(err, errlen, "%s (root %s)", layout_status_message(st), o->root);
        close(m->rootfd);
        m->rootfd = -1;
        return -EMEDIUMTYPE;
    }
    m->memroot_fd = open_below_root(m->rootfd, m->layout.memroot);
    if (m->memroot_fd < 0) {
        snprintf(err, errlen, "cannot open the memory cgroup hierarchy %s: %s",
                 m->layout.memroot, strerror(-m->memroot_fd));
        int r = m->memroot_fd;
        close(m->rootfd);
        m->rootfd = -1;
        return r;
    }
    if (m->layout.mode == MT_MODE_HYBRID && m->layout.has_psiroot)
        m->psiroot_fd = open_below_root(m->rootfd, m->layout.psiroot);
    if (m->psiroot_fd < -1 || m->psiroot_fd < 0)
        m->psiroot_fd = -1;

    long budget = o->fd_budget;
    if (budget < 0) {
        /* Keep ~10 fds per cgroup for large nodes; leave room for the rest. */
        long lim = fs_raise_nofile(65536);
        budget = lim > 256 ? lim - 128 : 0;
    }
    reader_init(&m->reader, m->memroot_fd, m->psiroot_fd, m->layout.api_v1, budget);
    m->reader.carry_max = m->opt.carry_max;
    discover_init(&m->disc, !o->no_inotify, o->rescan_secs);
    cgtable_init(&m->table, m->opt.history);
    m->ticks = xcalloc(m->opt.history, sizeof(TickTime));
    m->node.pagesize = sysconf(_SC_PAGESIZE);
    read_identity(m);
    return 0;
}

void model_open_detached(Model *m, const ModelOptions *o)
{
    memset(m, 0, sizeof(*m));
    m->opt = *o;
    if (m->opt.history < 2)
        m->opt.history = 2;
    m->rootfd = m->memroot_fd = m->psiroot_fd = -1;
    /* No walking here, but discover_done() runs on close: give it a
     * closed inotify fd (-1), not fd 0, or closing a replayed model would
     * close stdin. */
    discover_init(&m->disc, false, 0);
    reader_init(&m->reader, -1, -1, false, 0);
    cgtable_init(&m->table, m->opt.history);
    m->ticks = xcalloc(m->opt.history, sizeof(TickTime));
    m->node.pagesize = sysconf(_SC_PAGESIZE);
    m->node.vm_swappiness = -1;     /* not recorded: unknown, never "0" */
}

void model_close(Model *m)
{
    if (m->rootfd < 0 && !m->ticks)
        return;
    cgtable_done(&m->table, &m->reader);
    discover_done(&m->disc);
    reader_done(&m->reader);
    free(m->ticks);
    m->ticks = NULL;
    if (m->psiroot_fd >= 0)
        close(m->psiroot_fd);
    if (m->memroot_fd >= 0)
        close(m->memroot_fd);
    if (m->rootfd >= 0)
        close(m->rootfd);
    m->rootfd = m->memroot_fd = m->psiroot_fd = -1;
}

const TickTime *model_tick_time(const Model *m, uint64_t seq)
{
    if (seq == 0 || seq > m->seq || m->seq - seq >= m->opt.history)
        return NULL;
    return &m->ticks[seq % m->opt.history];
}

CgEntry *model_find(const Model *m, const char *path)
{
    return cgtable_find(&m->table, path);
}

static void read_node(Model *m)
{
    char buf[8192];
    ssize_t n = fs_read_at(m->rootfd, "proc/meminfo", buf, sizeof(buf));

    m->node.mem_valid = n > 0 && parse_meminfo(buf, (size_t)n, &m->node.mem) == 0;
    n = fs_read_at(m->rootfd, "proc/pressure/memory", buf, sizeof(buf));
    m->node.psi_valid = n > 0 && parse_psi(buf, (size_t)n, &m->node.psi) == 0;
    /* v2 memcg reclaim uses vm.swappiness (SPEC 5.4 swap_room). */
    uint64_t sw;
    n = fs_read_at(m->rootfd, "proc/sys/vm/swappiness", buf, sizeof(buf));
    m->node.vm_swappiness = n > 0 && parse_value(buf, (size_t)n, false, &sw) == 0 && sw <= 200
                                ? (int)sw : -1;
}

/* Does the cgroup directory still exist (it may lack memory files)? */
static bool dir_exists(const Model *m, const CgEntry *e)
{
    const char *rel = cgentry_relpath(e);
    return faccessat(m->memroot_fd, *rel ? rel : ".", F_OK, 0) == 0;
}

static void read_entry(Model *m, CgEntry *e, bool slow, uint64_t mono, double real)
{
    CgroupSample s = e->cur;    /* slow fields are carried over from it */
    if (e->parent)              /* parents are read first */
        cgfiles_inherit(&e->files, &e->parent->files);
    /* A cgroup's first read, and the read after a quick one, read all. */
    int r = reader_read(&m->reader, &e->files, cgentry_relpath(e),
                        slow || !e->has_cur || e->files.deferred, e->parent == NULL, &s);
    if (r < 0) {
        if (dir_exists(m, e)) {
            e->unaccounted = !e->has_cur;
            return;
        }
        model_entry_gone(m, e, real);
        return;
    }
    model_entry_sampled(m, e, &s, mono, r == MT_READ_CARRIED);
}

static void push_history(Model *m, CgEntry *e)
{
    HistRecord *r = hist_push(&e->hist, m->seq);
    const CgroupSample *s = &e->cur;
    static const struct { HistField h; MtField f; } direct[] = {
        { MT_H_USAGE, MT_F_USAGE }, { MT_H_ANON, MT_F_ANON }, { MT_H_FILE, MT_F_FILE },
        { MT_H_SHMEM, MT_F_SHMEM }, { MT_H_ACTIVE_ANON, MT_F_ACTIVE_ANON },
        { MT_H_INACTIVE_ANON, MT_F_INACTIVE_ANON }, { MT_H_ACTIVE_FILE, MT_F_ACTIVE_FILE },
        { MT_H_INACTIVE_FILE, MT_F_INACTIVE_FILE }, { MT_H_KERNEL, MT_F_KERNEL },
        { MT_H_SWAP, MT_F_SWAP },
    };
    for (size_t i = 0; i < MT_ARRAY_SIZE(direct); i++)
        if (sample_has(s, direct[i].f))
            r->v[direct[i].h] = hist_encode_bytes(s->v[direct[i].f]);
    if (e->d.ws_valid)
        r->v[MT_H_WS] = hist_encode_bytes(e->d.ws);
    if (e->d.floor_valid)
        r->v[MT_H_FLOOR] = hist_encode_bytes(e->d.floor);
    r->v[MT_H_LIMIT] = hist_encode_bytes(e->d.limit);
    r->v[MT_H_PGFAULT_RATE] = hist_encode_rate(e->d.pgfault_rate);
    r->v[MT_H_PGMAJFAULT_RATE] = hist_encode_rate(e->d.pgmajfault_rate);
    r->v[MT_H_REFAULT_RATE] = hist_encode_rate(e->d.refault_rate);
    if (sample_has(s, MT_F_PSI_SOME10))
        r->psi_some10 = (uint16_t)MT_MIN(s->v[MT_F_PSI_SOME10], 10000u);
    r->events = (uint8_t)((e->d.d_limit_hits ? MT_HEV_LIMIT_HIT : 0) |
                          (e->d.d_high_events ? MT_HEV_HIGH : 0) |
                          (e->d.d_oom_events ? MT_HEV_OOM : 0) |
                          (e->d.d_oom_kills ? MT_HEV_OOM_KILL : 0) |
                          (e->d.counter_reset ? MT_HEV_RESET : 0));
}

static bool sweep_pred(const CgEntry *e, void *ctx)
{
    double now = *(const double *)ctx;
    return e->state == MT_STATE_GONE && e->tomb_until <= now;
}

static void node_totals(Model *m)
{
    NodeSample *n = &m->node;
    CgEntry *root = m->table.n ? m->table.entries[0] : NULL;

    n->ws_valid = false;
    n->toplevel_usage = n->toplevel_ws = 0;
    n->n_containers = n->n_pods = n->n_live = 0;
    if (root && root->has_cur && sample_has(&root->cur, MT_F_USAGE)) {
        n->usage = root->cur.v[MT_F_USAGE];
        n->working_set = root->d.ws;
        n->ws_valid = root->d.ws_valid;
    }
    for (size_t i = 0; i < m->table.n; i++) {
        CgEntry *e = m->table.entries[i];
        if (e->state != MT_STATE_LIVE)
            continue;
        n->n_live++;
        if (e->cls.kind == MT_KIND_CONTAINER && e->cls.sub != MT_SUB_INSIDE)
            n->n_containers++;
        if (e->cls.kind == MT_KIND_POD)
            n->n_pods++;
        if (e->depth == 1 && e->has_cur) {
            n->toplevel_usage += sample_get(&e->cur, MT_F_USAGE, 0);
            n->toplevel_ws += e->d.ws;
        }
    }
}

void model_tick_begin(Model *m, double now_real, uint64_t now_mono)
{
    m->seq++;
    m->ticks[m->seq % m->opt.history] = (TickTime){ now_real, now_mono };
}

void model_entry_sampled(Model *m, CgEntry *e, const CgroupSample *s, uint64_t mono,
                         bool carried)
{
    bool first = !e->has_cur;

    e->unaccounted = false;
    e->prev = e->cur;
    e->has_prev = e->has_cur;
    e->prev_mono_ns = e->cur_mono_ns;
    e->prev_counters_mono_ns = e->counters_mono_ns;
    e->cur = *s;
    e->has_cur = true;
    e->cur_mono_ns = mono;
    e->carried = carried && !first;
    if (!e->carried)
        e->counters_mono_ns = mono;
    e->cur_seq = m->seq;
    if (first)
        e->first_seq = m->seq;
}

void model_entry_gone(Model *m, CgEntry *e, double now_real)
{
    e->state = MT_STATE_GONE;
    e->gone_time = now_real;
    e->tomb_until = now_real + m->opt.tomb_secs;
}

void model_tick_end(Model *m, double now_real, bool (*sweep)(const CgEntry *e, void *ctx),
                    void *sweep_ctx)
{
    DeriveContext ctx = {
        .swap_known = m->node.mem_valid,
        .swap_total = m->node.mem.swap_total,
        .swap_free = m->node.mem.swap_free,
        .api_v1 = m->layout.api_v1,
        .vm_swappiness = m->node.vm_swappiness,
        .stale_after = m->opt.interval > 0 ? 5 * m->opt.interval + 1 : 0,
    };
    /* Table order puts parents first, so derive_entry sees its parent's d. */
    for (size_t i = 0; i < m->table.n; i++) {
        CgEntry *e = m->table.entries[i];
        if (e->state == MT_STATE_GONE || !e->has_cur || e->cur_seq != m->seq)
            continue;
        derive_entry(e, &ctx);
        push_history(m, e);
    }
    /* Children of a vanished cgroup are gone too, whatever their reads said. */
    for (size_t i = 0; i < m->table.n; i++) {
        CgEntry *e = m->table.entries[i];
        if (e->state == MT_STATE_LIVE && e->parent && e->parent->state == MT_STATE_GONE)
            model_entry_gone(m, e, now_real);
    }
    if (sweep)
        cgtable_remove_if(&m->table, &m->reader, sweep, sweep_ctx);
    else
        cgtable_remove_if(&m->table, &m->reader, sweep_pred, &now_real);
    node_totals(m);
    /* Observers (the analysis layer) run for live and replayed ticks alike. */
    if (m->after_tick)
        m->after_tick(m, m->after_tick_ctx);
}

int model_tick(Model *m, double now_real, uint64_t now_mono)
{
    double cpu0 = cpu_ms();

    if (now_real == 0)
        now_real = now_realtime();
    if (now_mono == 0)
        now_mono = now_monotonic();
    model_tick_begin(m, now_real, now_mono);
    bool slow = m->opt.slow_every <= 1 || m->seq % (uint64_t)m->opt.slow_every == 1;
    /* Files a cgroup lacks (memsw.* without swap accounting, PSI outside
     * the v2 tree) are looked for again on every 6th slow tick only. */
    uint64_t retry_every = (uint64_t)(m->opt.slow_every > 1 ? m->opt.slow_every : 1) * 6;
    m->reader.retry_missing = m->seq % retry_every == 1;

    read_node(m);
    m->reader.node_swap = m->node.mem_valid && (m->node.mem.found & MT_BIT(8))
                              ? m->node.mem.swap_total > 0 : -1;
    m->reader.quick = m->opt.quick_first && m->seq == 1;
    if (discover_needed(&m->disc, now_mono)) {
        m->gen++;
        discover_walk(&m->disc, &m->table, &m->reader, m->memroot_fd, m->gen, now_mono);
    }
    for (size_t i = 0; i < m->table.n; i++) {
        CgEntry *e = m->table.entries[i];
        if (e->state == MT_STATE_GONE)
            continue;
        if (e->seen_gen != m->gen) {
            model_entry_gone(m, e, now_real);
            continue;
        }
        read_entry(m, e, slow, now_mono, now_real);
    }
    model_tick_end(m, now_real, NULL, NULL);
    m->last_tick_cpu_ms = cpu_ms() - cpu0;
    return 0;
}
