/* reader.c - v1/v2 memory file reading and normalization (SPEC 2, 3). */
#include "config.h"

#include "sample/reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample/fsroot.h"
#include "sample/parse.h"
#include "util/xalloc.h"

/* Files are read into one buffer of this size (memory.stat is ~1.5 KiB);
 * see pread_file for longer ones. */
#define READ_BUF 16384

/* Scratch slots past the sample's own fields, for values we only combine. */
enum {
    X_KSTACK = MT_F_COUNT, X_PAGETABLES, X_SECPT, X_PERCPU, X_SLAB, X_VMALLOC,
    X_REFAULT_OLD, X_SLOT_MAX
};
_Static_assert(X_SLOT_MAX <= 64, "parse slots must fit a uint64_t mask");

typedef enum {
    P_STAT,         /* flat keyed through the file's key map */
    P_VALUE,        /* single value -> field */
    P_LIMIT,        /* single value or "max" -> field, unlimited sentinel */
    P_PSI,
} ParseKind;

typedef struct {
    const char *name;
    ParseKind kind;
    int field;              /* P_VALUE/P_LIMIT target */
    KeySlot *map;           /* P_STAT */
    size_t nmap;
    bool slow;              /* configuration: read every few ticks */
    bool primary;           /* failure with ENOENT means the cgroup is gone */
    bool psi_tree;          /* lives in the cgroup2 tree on hybrid hosts */
    int when;               /* W_*: when a fast tick may skip it */
} FileDesc;

/* Files whose value cannot change (or need not be re-read) on a fast tick
 * under a condition we know; a skipped file keeps its previous value (or
 * the derived one).  Slow ticks and a cgroup's first read read everything,
 * so a changed configuration is picked up within slow_every ticks.  At a
 * thousand cgroups each small cgroupfs read is ~3 us of kernel time. */
enum {
    W_ALWAYS,
    W_OWN_LIMIT,        /* failcnt: only this cgroup's own limit counts hits */
    W_OWN_SWAP_LIMIT,   /* memsw.failcnt: likewise for the memsw/swap limit */
    W_NODE_SWAP,        /* v2 swap counters: no swap on the node -> they stay 0 */
    W_MEMSW,            /* v1 memsw.usage: no swap on the node -> equals usage (every
                         * charge goes to both counters), so it is never read,
                         * not even on a first or slow read */
    W_PEAK,             /* peak: read on slow ticks; in between it is the larger of
                         * the last peak read and the usage now (a spike between
                         * two ticks shows up on the next slow tick) */
    W_NONZERO,          /* v1 tcp kmem: stays 0 until tcp accounting is activated */
    W_QUIET,            /* composition (memory.stat, v1 kmem usage): while the
                         * cgroup is quiet - every other file read this tick
                         * gave the values it gave last tick - it is carried
                         * over for up to carry_max ticks (see reader.h) */
};

static KeySlot v1_stat_map[] = {
    { "total_cache", MT_F_FILE }, { "total_rss", MT_F_ANON },
    { "total_rss_huge", MT_F_ANON_THP }, { "total_shmem", MT_F_SHMEM },
    { "total_mapped_file", MT_F_MAPPED_FILE }, { "total_dirty", MT_F_DIRTY },
    { "total_writeback", MT_F_WRITEBACK }, { "total_swap", MT_F_SWAP },
    { "total_swapcached", MT_F_SWAPCACHED }, { "total_pgfault", MT_F_PGFAULT },
    { "total_pgmajfault", MT_F_PGMAJFAULT },
    { "total_workingset_refault_anon", MT_F_REFAULT_ANON },
    { "total_workingset_refault_file", MT_F_REFAULT_FILE },
    { "total_inactive_anon", MT_F_INACTIVE_ANON }, { "total_active_anon", MT_F_ACTIVE_ANON },
    { "total_inactive_file", MT_F_INACTIVE_FILE }, { "total_active_file", MT_F_ACTIVE_FILE },
    { "total_unevictable", MT_F_UNEVICTABLE },
    { "hierarchical_memory_limit", MT_F_HIER_LIMIT },
    { "hierarchical_memsw_limit", MT_F_HIER_MEMSW_LIMIT },
};
static KeySlot v1_oom_map[] = {
    { "oom_kill_disable", MT_F_OOM_KILL_DISABLE }, { "under_oom", MT_F_UNDER_OOM },
    { "oom_kill", MT_F_OOM_KILLS },
};
static KeySlot v2_stat_map[] = {
    { "anon", MT_F_ANON }, { "file", MT_F_FILE }, { "kernel", MT_F_KERNEL },
    { "kernel_stack", X_KSTACK }, { "pagetables", X_PAGETABLES },
    { "sec_pagetables", X_SECPT }, { "percpu", X_PERCPU }, { "sock", MT_F_SOCK },
    { "vmalloc", X_VMALLOC }, { "shmem", MT_F_SHMEM }, { "file_mapped", MT_F_MAPPED_FILE },
    { "file_dirty", MT_F_DIRTY }, { "file_writeback", MT_F_WRITEBACK },
    { "swapcached", MT_F_SWAPCACHED }, { "anon_thp", MT_F_ANON_THP },
    { "inactive_anon", MT_F_INACTIVE_ANON }, { "active_anon", MT_F_ACTIVE_ANON },
    { "inactive_file", MT_F_INACTIVE_FILE }, { "active_file", MT_F_ACTIVE_FILE },
    { "unevictable", MT_F_UNEVICTABLE }, { "slab_reclaimable", MT_F_SLAB_RECLAIMABLE },
    { "slab", X_SLAB }, { "workingset_refault_anon", MT_F_REFAULT_ANON },
    { "workingset_refault_file", MT_F_REFAULT_FILE },
    { "workingset_refault", X_REFAULT_OLD }, { "pgscan", MT_F_PGSCAN },
    { "pgsteal", MT_F_PGSTEAL }, { "pgfault", MT_F_PGFAULT },
    { "pgmajfault", MT_F_PGMAJFAULT }, { "pglazyfree", MT_F_PGLAZYFREE },
    { "pglazyfreed", MT_F_PGLAZYFREED },
};
static KeySlot v2_events_map[] = {
    { "high", MT_F_HIGH_EVENTS }, { "max", MT_F_LIMIT_HITS }, { "oom", MT_F_OOM_EVENTS },
    { "oom_kill", MT_F_OOM_KILLS }, { "oom_group_kill", MT_F_OOM_GROUP_KILLS },
};
static KeySlot v2_swap_events_map[] = {
    { "max", MT_F_SWAP_LIMIT_HITS }, { "fail", MT_F_SWAP_FAIL },
};
static KeySlot cg_events_map[] = {
    { "populated", MT_F_POPULATED },
};

#define MAP(m) m, MT_ARRAY_SIZE(m)

static const FileDesc v1_files[] = {
    { "memory.usage_in_bytes", P_VALUE, MT_F_USAGE, NULL, 0, false, true, false,
      W_ALWAYS },
    { "memory.stat", P_STAT, 0, MAP(v1_stat_map), false, true, false,
      W_QUIET },
    { "memory.failcnt", P_VALUE, MT_F_LIMIT_HITS, NULL, 0, false, false, false,
      W_OWN_LIMIT },
    { "memory.max_usage_in_bytes", P_VALUE, MT_F_PEAK, NULL, 0, false, false, false,
      W_PEAK },
    { "memory.oom_control", P_STAT, 0, MAP(v1_oom_map), false, false, false,
      W_QUIET },
    { "memory.kmem.usage_in_bytes", P_VALUE, MT_F_KERNEL, NULL, 0, false, false, false,
      W_QUIET },
    { "memory.kmem.tcp.usage_in_bytes", P_VALUE, MT_F_SOCK, NULL, 0, false, false, false,
      W_NONZERO },
    { "memory.memsw.usage_in_bytes", P_VALUE, MT_F_MEMSW_USAGE, NULL, 0, false, false, false,
      W_MEMSW },
    { "memory.memsw.failcnt", P_VALUE, MT_F_SWAP_LIMIT_HITS, NULL, 0, false, false, false,
      W_OWN_SWAP_LIMIT },
    { "memory.pressure", P_PSI, 0, NULL, 0, false, false, true,
      W_ALWAYS },
    { "memory.limit_in_bytes", P_LIMIT, MT_F_LIMIT_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.memsw.limit_in_bytes", P_LIMIT, MT_F_SWAP_LIMIT_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.swappiness", P_VALUE, MT_F_SWAPPINESS, NULL, 0, true, false, false,
      W_ALWAYS },
};

static const FileDesc v2_files[] = {
    { "memory.current", P_VALUE, MT_F_USAGE, NULL, 0, false, true, false,
      W_ALWAYS },
    { "memory.stat", P_STAT, 0, MAP(v2_stat_map), false, true, false,
      W_QUIET },
    { "memory.events", P_STAT, 0, MAP(v2_events_map), false, false, false,
      W_QUIET },
    { "memory.peak", P_VALUE, MT_F_PEAK, NULL, 0, false, false, false,
      W_PEAK },
    { "memory.swap.current", P_VALUE, MT_F_SWAP, NULL, 0, false, false, false,
      W_NODE_SWAP },
    { "memory.swap.events", P_STAT, 0, MAP(v2_swap_events_map), false, false, false,
      W_NODE_SWAP },
    { "memory.pressure", P_PSI, 0, NULL, 0, false, false, false,
      W_ALWAYS },
    { "cgroup.events", P_STAT, 0, MAP(cg_events_map), false, false, false,
      W_ALWAYS },
    { "memory.max", P_LIMIT, MT_F_LIMIT_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.high", P_LIMIT, MT_F_HIGH_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.low", P_LIMIT, MT_F_LOW, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.min", P_LIMIT, MT_F_MIN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.swap.max", P_LIMIT, MT_F_SWAP_LIMIT_OWN, NULL, 0, true, false, false,
      W_ALWAYS },
    { "memory.oom.group", P_VALUE, MT_F_OOM_GROUP, NULL, 0, true, false, false,
      W_ALWAYS },
};

_Static_assert(MT_ARRAY_SIZE(v1_files) <= MT_MAX_FILES, "v1 file table too large");
_Static_assert(MT_ARRAY_SIZE(v2_files) <= MT_MAX_FILES, "v2 file table too large");

static int keyslot_cmp(const void *a, const void *b)
{
    return strcmp(((const KeySlot *)a)->key, ((const KeySlot *)b)->key);
}

static void sort_maps(void)
{
    static bool sorted;
    if (sorted)
        return;
    qsort(v1_stat_map, MT_ARRAY_SIZE(v1_stat_map), sizeof(KeySlot), keyslot_cmp);
    qsort(v1_oom_map, MT_ARRAY_SIZE(v1_oom_map), sizeof(KeySlot), keyslot_cmp);
    qsort(v2_stat_map, MT_ARRAY_SIZE(v2_stat_map), sizeof(KeySlot), keyslot_cmp);
    qsort(v2_events_map, MT_ARRAY_SIZE(v2_events_map), sizeof(KeySlot), keyslot_cmp);
    qsort(v2_swap_events_map, MT_ARRAY_SIZE(v2_swap_events_map), sizeof(KeySlot), keyslot_cmp);
    sorted = true;
}

void reader_init(Reader *rd, int memroot_fd, int psiroot_fd, bool api_v1, long fd_budget)
{
    memset(rd, 0, sizeof(*rd));
    rd->memroot_fd = memroot_fd;
    rd->psiroot_fd = psiroot_fd;
    rd->api_v1 = api_v1;
    rd->fd_budget = fd_budget;
    rd->keep_fds = fd_budget > 0;
    rd->retry_missing = true;
    rd->node_swap = -1;
    rd->buf = xmalloc(READ_BUF);
    sort_maps();
}

void reader_done(Reader *rd)
{
    free(rd->buf);
    rd->buf = NULL;
}

void cgfiles_init(CgFiles *f)
{
    for (int i = 0; i < MT_MAX_FILES; i++)
        f->fd[i] = -1;
    f->missing = 0;
    f->psi_dir_absent = f->psi_absent_above = false;
    f->dirfd = -1;
    f->composition_read = false;
    f->carried_ticks = 0;
    f->deferred = false;
}

void cgfiles_inherit(CgFiles *child, const CgFiles *parent)
{
    child->psi_absent_above = parent->psi_dir_absent || parent->psi_absent_above;
}

/* A PSI-tree file was missing: is it the whole directory?  (A cgroup2
 * directory may also hide its pressure files: cgroup.pressure = 0.) */
static bool psi_dir_exists(const Reader *rd, const char *relpath)
{
    return faccessat(rd->psiroot_fd, *relpath ? relpath : ".", F_OK, 0) == 0;
}

bool cgfiles_adopt_dir(Reader *rd, CgFiles *f, int dirfd)
{
    if (f->dirfd >= 0 || !rd->keep_fds || rd->fds_open >= rd->fd_budget)
        return false;
    f->dirfd = dirfd;
    rd->fds_open++;
    return true;
}

static void cgfiles_drop_dir(Reader *rd, CgFiles *f)
{
    if (f->dirfd < 0)
        return;
    close(f->dirfd);
    f->dirfd = -1;
    rd->fds_open--;
}

void cgfiles_close(Reader *rd, CgFiles *f)
{
    for (int i = 0; i < MT_MAX_FILES; i++) {
        if (f->fd[i] >= 0) {
            close(f->fd[i]);
            rd->fds_open--;
        }
        f->fd[i] = -1;
    }
    f->missing = 0;
    f->composition_read = false;
    f->carried_ticks = 0;
    cgfiles_drop_dir(rd, f);
}

static void apply(const FileDesc *d, const char *buf, size_t len, uint64_t *vals,
                  uint64_t *found)
{
    uint64_t v;

    switch (d->kind) {
    case P_STAT:
        parse_keyed(buf, len, d->map, d->nmap, vals, found);
        break;
    case P_VALUE:
    case P_LIMIT:
        if (parse_value(buf, len, d->kind == P_LIMIT, &v) == 0) {
            vals[d->field] = v;
            *found |= MT_BIT(d->field);
        }
        break;
    case P_PSI: {
        PsiValues p;
        if (parse_psi(buf, len, &p) < 0)
            break;
        vals[MT_F_PSI_SOME10] = p.some_avg[0];
        vals[MT_F_PSI_SOME60] = p.some_avg[1];
        vals[MT_F_PSI_SOME300] = p.some_avg[2];
        vals[MT_F_PSI_SOME_TOTAL] = p.some_total;
        *found |= MT_BIT(MT_F_PSI_SOME10) | MT_BIT(MT_F_PSI_SOME60) |
                  MT_BIT(MT_F_PSI_SOME300) | MT_BIT(MT_F_PSI_SOME_TOTAL);
        if (p.has_full) {
            vals[MT_F_PSI_FULL10] = p.full_avg[0];
            vals[MT_F_PSI_FULL60] = p.full_avg[1];
            vals[MT_F_PSI_FULL300] = p.full_avg[2];
            vals[MT_F_PSI_FULL_TOTAL] = p.full_total;
            *found |= MT_BIT(MT_F_PSI_FULL10) | MT_BIT(MT_F_PSI_FULL60) |
                      MT_BIT(MT_F_PSI_FULL300) | MT_BIT(MT_F_PSI_FULL_TOTAL);
        }
        break;
    }
    }
}

/* pread() at offset 0 into buf, NUL-terminated; -errno on failure.
 * Every cgroup memory file is a kernfs seq_file printed by one show()
 * call, so one read returns all of it when the buffer is large enough; the
 * extra read that would only report EOF costs a syscall per file (~1.5 us
 * on cgroupfs, a third of the cost of a small file).  So read again only
 * when the buffer came back full (then fs_pread0 loops to the end). */
static ssize_t pread_file(int fd, char *buf, size_t len)
{
    ssize_t n;

    do
        n = pread(fd, buf, len - 1, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    if ((size_t)n == len - 1) {
        /* Longer than the buffer (real files are ~1.5 KiB; a hostile or
         * future one may not be): keep whole lines only, so a number cut
         * at the buffer's end is never parsed as a smaller value. */
        n = fs_pread0(fd, buf, len);
        if (n == (ssize_t)len - 1) {
            const char *nl = memrchr(buf, '\n', (size_t)n);
            n = nl ? nl - buf + 1 : 0;
            buf[n] = '\0';
        }
        return n;
    }
    buf[n] = '\0';
    return n;
}

/* Read file i into rd->buf.  Returns length or -errno.  A newly opened
 * file is kept open for later preads only when keep_open says it will be
 * read again soon (see reread_soon). */
static ssize_t read_one(Reader *rd, CgFiles *f, int i, const FileDesc *d, const char *relpath,
                        bool keep_open)
{
    char path[PATH_MAX];
    int dirfd = d->psi_tree ? rd->psiroot_fd : rd->memroot_fd;
    ssize_t n;

    if (f->fd[i] >= 0) {
        n = pread_file(f->fd[i], rd->buf, READ_BUF);
        rd->nreads++;
        return n;
    }
    if (f->dirfd >= 0 && !d->psi_tree) {
        dirfd = f->dirfd;
        relpath = "";
    }
    if (dirfd < 0)
        return -ENOENT;
    if (snprintf(path, sizeof(path), "%s%s%s", relpath, relpath[0] ? "/" : "", d->name) >=
        (int)sizeof(path))
        return -ENAMETOOLONG;
    int fd = fs_open_at(dirfd, path, 0);
    if (fd < 0)
        return fd;
    n = pread_file(fd, rd->buf, READ_BUF);
    rd->nreads++;
    /* Configuration files are kept open too: re-reading them every few
     * ticks with open/read/close costs a path walk per file, which at a
     * thousand cgroups is more than the reads themselves. */
    bool keep = keep_open && rd->keep_fds && n >= 0;
    if (keep && rd->fds_open >= rd->fd_budget) {
        rd->keep_fds = false;   /* budget exhausted: open/read/close from now on */
        keep = false;
    }
    if (keep) {
        f->fd[i] = fd;
        rd->fds_open++;
    } else {
        close(fd);
    }
    return n;
}

/* What one reader_read collected so far. */
typedef struct {
    uint64_t vals[64];
    uint64_t found;             /* bit: vals[slot] was read this time */
    int primary_ok, primary_gone;
    uint32_t skipped;           /* bit i: file i skipped, its values carried over */
} ReadState;

/* Is the cgroup's own limit lim unlimited?  The value read this time (slow
 * reads read the limits first), else the previous one. */
static bool own_unlimited(const CgroupSample *prev, const ReadState *st, MtField lim)
{
    if (st->found & MT_BIT(lim))
        return st->vals[lim] == MT_UNLIMITED;
    return sample_get(prev, lim, 0) == MT_UNLIMITED;
}

/* May file d be skipped?  prev is the cgroup's previous sample.  Fast
 * ticks may skip any W_ file under its condition; slow reads only those
 * whose condition holds against what this read found (own limits) or that
 * cannot have changed (memsw without swap); tcp kmem is looked at on the
 * slow reads that also retry missing files. */
static bool may_skip(const Reader *rd, const FileDesc *d, const CgroupSample *prev,
                     const ReadState *st, bool slow)
{
    switch (d->when) {
    case W_OWN_LIMIT:
        return sample_has(prev, (MtField)d->field) && own_unlimited(prev, st, MT_F_LIMIT_OWN);
    case W_OWN_SWAP_LIMIT:
        return sample_has(prev, (MtField)d->field) &&
               own_unlimited(prev, st, MT_F_SWAP_LIMIT_OWN);
    case W_NODE_SWAP:
        /* v2 swap.current: only while it reads 0 (swapoff drains it). */
        return !slow && rd->node_swap == 0 &&
               (d->kind != P_VALUE || sample_get(prev, (MtField)d->field, 1) == 0);
    case W_MEMSW:
        return rd->node_swap == 0;
    case W_PEAK:
        return !slow && sample_has(prev, (MtField)d->field);
    case W_NONZERO:
        return !(slow && rd->retry_missing) && sample_get(prev, (MtField)d->field, 1) == 0;
    default:
        return false;
    }
}

/* A skipped file keeps the values it gave last time. */
static void carry_over(const FileDesc *d, const CgroupSample *prev, CgroupSample *s)
{
    if (d->kind == P_VALUE || d->kind == P_LIMIT) {
        if (sample_has(prev, (MtField)d->field) && !sample_has(s, (MtField)d->field))
            sample_set(s, (MtField)d->field, prev->v[d->field]);
        return;
    }
    for (size_t k = 0; k < d->nmap; k++) {
        int f = d->map[k].slot;
        if (f < MT_F_COUNT && sample_has(prev, (MtField)f) && !sample_has(s, (MtField)f))
            sample_set(s, (MtField)f, prev->v[f]);
    }
}

/* Will file d be read again within a few ticks?  Every open file holds a
 * page-sized seq_file buffer in the kernel (kmalloc-cg-4k, charged to
 * memtop's memory cgroup) for as long as it stays open: at a thousand
 * cgroups, keeping every file open would pin ~50 MiB of kernel memory.  So
 * a file is kept open only when it is read every tick or on every slow
 * tick; the failure counters of a cgroup without its own limit and a tcp
 * counter still at 0 are closed after the read (see may_skip: they are
 * read again only when a limit is set, or every retry_missing tick). */
static bool reread_soon(const FileDesc *d, const CgroupSample *prev, const ReadState *st)
{
    switch (d->when) {
    case W_OWN_LIMIT:
        return !own_unlimited(prev, st, MT_F_LIMIT_OWN);
    case W_OWN_SWAP_LIMIT:
        return !own_unlimited(prev, st, MT_F_SWAP_LIMIT_OWN);
    case W_NONZERO:
        return sample_get(prev, (MtField)d->field, 0) != 0;
    default:
        return true;
    }
}

static bool gone_errno(ssize_t n)
{
    return n == -ENOENT || n == -ENODEV || n == -ESTALE;
}

/* May a quick read leave file d for the next read?  Yes for what neither
 * the table's columns nor the first risk verdict use: failure counters and
 * peaks (rates and the detail pane), kernel and socket memory (the detail
 * pane), memory protection and oom.group (shown, not judged); and swap
 * settings and counters while the node has no swap (the swap room they
 * bound is 0 anyway). */
static bool deferrable(const Reader *rd, const FileDesc *d)
{
    switch (d->when) {
    case W_OWN_LIMIT: case W_OWN_SWAP_LIMIT: case W_PEAK: case W_NONZERO:
        return true;
    case W_NODE_SWAP: case W_MEMSW:
        return rd->node_swap == 0;
    default:
        break;
    }
    if (d->kind != P_VALUE && d->kind != P_LIMIT)
        return false;
    switch (d->field) {
    case MT_F_KERNEL: case MT_F_LOW: case MT_F_MIN: case MT_F_OOM_GROUP:
        return true;
    case MT_F_SWAPPINESS: case MT_F_SWAP_LIMIT_OWN:
        return rd->node_swap == 0;
    default:
        return false;
    }
}

/* Read file i (or decide it may be skipped) into st. */
static void read_file(Reader *rd, CgFiles *f, const char *relpath, bool slow, size_t i,
                      const FileDesc *d, const CgroupSample *prev, ReadState *st)
{
    if (rd->quick && deferrable(rd, d)) {
        f->deferred = true;
        return;
    }
    if (d->slow && !slow)
        return;
    if ((f->missing & (1u << i)) && !(slow && rd->retry_missing))
        return;
    if (d->psi_tree && (rd->psiroot_fd < 0 || f->psi_absent_above ||
                        (f->psi_dir_absent && !(slow && rd->retry_missing))))
        return;
    if (d->when != W_ALWAYS && d->when != W_QUIET && may_skip(rd, d, prev, st, slow)) {
        st->skipped |= 1u << i;
        return;
    }
    ssize_t n = read_one(rd, f, (int)i, d, relpath, reread_soon(d, prev, st));
    if (n < 0) {
        if (d->primary && gone_errno(n))
            st->primary_gone++;
        if (n == -ENOENT && !d->primary) {
            f->missing |= 1u << i;      /* retried on slow ticks only */
            if (d->psi_tree)
                f->psi_dir_absent = !psi_dir_exists(rd, relpath);
        } else if (f->fd[i] >= 0 && gone_errno(n)) {
            close(f->fd[i]);
            f->fd[i] = -1;
            rd->fds_open--;
        }
        return;
    }
    f->missing &= ~(1u << i);
    if (d->psi_tree)
        f->psi_dir_absent = false;
    if (d->primary)
        st->primary_ok++;
    apply(d, rd->buf, (size_t)n, st->vals, &st->found);
}

/* May the composition files be carried over?  Only when they were read
 * before, the carry budget is not spent, the usage was read now, and every
 * value read this time equals last time's (usage, events, failcnt, PSI,
 * limits): nothing was charged or uncharged at the page counter, no limit
 * was hit, no pressure.  Changes that can hide from all of these (pages
 * moving between LRU lists, faults on pages already charged, charges
 * served from the kernel's per-CPU stock of up to 64 pages) are picked up
 * within carry_max ticks. */
static bool quiet(const Reader *rd, const CgFiles *f, const ReadState *st,
                  const CgroupSample *prev)
{
    if (rd->carry_max <= 0 || !f->composition_read || f->carried_ticks >= rd->carry_max ||
        !(st->found & MT_BIT(MT_F_USAGE)))
        return false;
    for (int fi = 0; fi < MT_F_COUNT; fi++)
        if ((st->found & MT_BIT(fi)) &&
            (!sample_has(prev, (MtField)fi) || prev->v[fi] != st->vals[fi]))
            return false;
    return true;
}

/* Pass one reads everything but the composition (the limits first); pass
 * two reads it unless the cgroup is quiet.  Returns true when the
 * composition was carried. */
static bool read_files(Reader *rd, CgFiles *f, const char *relpath, bool slow,
                       const CgroupSample *prev, ReadState *st)
{
    const FileDesc *files = rd->api_v1 ? v1_files : v2_files;
    size_t nfiles = rd->api_v1 ? MT_ARRAY_SIZE(v1_files) : MT_ARRAY_SIZE(v2_files);

    for (size_t i = 0; i < nfiles; i++)     /* limits first: see may_skip */
        if (files[i].slow)
            read_file(rd, f, relpath, slow, i, &files[i], prev, st);
    for (size_t i = 0; i < nfiles; i++)
        if (files[i].when != W_QUIET && !files[i].slow)
            read_file(rd, f, relpath, slow, i, &files[i], prev, st);
    bool carry = st->primary_gone == 0 && quiet(rd, f, st, prev);
    for (size_t i = 0; i < nfiles; i++) {
        if (files[i].when != W_QUIET)
            continue;
        if (carry)
            st->skipped |= 1u << i;
        else
            read_file(rd, f, relpath, slow, i, &files[i], prev, st);
    }
    if (carry) {
        f->carried_ticks++;
    } else if (!f->composition_read) {
        /* Spread the cgroups' forced re-reads over the carry_max + 1
         * ticks instead of doing them all on the same tick. */
        f->composition_read = true;
        f->carried_ticks = (uint8_t)(rd->carry_phase++ % (unsigned)(rd->carry_max + 1));
    } else {
        f->carried_ticks = 0;
    }
    return carry;
}

int reader_read(Reader *rd, CgFiles *f, const char *relpath, bool slow, bool is_root,
                CgroupSample *out)
{
    const FileDesc *files = rd->api_v1 ? v1_files : v2_files;
    size_t nfiles = rd->api_v1 ? MT_ARRAY_SIZE(v1_files) : MT_ARRAY_SIZE(v2_files);
    ReadState st;
    st.found = 0;
    st.primary_ok = st.primary_gone = 0;
    st.skipped = 0;
    uint64_t *vals = st.vals;

    if (!rd->quick)
        f->deferred = false;    /* the caller made this a full (slow) read */
    bool carried = read_files(rd, f, relpath, slow, out, &st);
    uint64_t found = st.found;
    int primary_ok = st.primary_ok, primary_gone = st.primary_gone;
    uint32_t skipped = st.skipped;
    cgfiles_drop_dir(rd, f);       /* later opens are rare: use the path */
    /* The v2 root has no memory.current: only memory.stat must be there. */
    if (primary_ok == 0 || (primary_gone > 0 && !(is_root && !rd->api_v1 && primary_ok)))
        return -ENOENT;

    CgroupSample s;
    memset(&s, 0, sizeof(s));
    for (int fi = 0; fi < MT_F_COUNT; fi++)
        if (found & MT_BIT(fi))
            sample_set(&s, (MtField)fi, vals[fi]);

    for (size_t i = 0; i < nfiles; i++) {
        if (!(skipped & (1u << i)))
            continue;
        if (files[i].when == W_PEAK) {
            carry_over(&files[i], out, &s);
            MtField pk = (MtField)files[i].field;
            if (sample_has(&s, pk) && sample_has(&s, MT_F_USAGE) && s.v[MT_F_USAGE] > s.v[pk])
                sample_set(&s, pk, s.v[MT_F_USAGE]);
        } else if (files[i].when == W_MEMSW) {
            /* No swap: memsw = mem, where the cgroup has memsw accounting
             * (its memsw limit file, or memsw usage last time). */
            bool memsw = sample_has(out, MT_F_MEMSW_USAGE) ||
                         (found & MT_BIT(MT_F_SWAP_LIMIT_OWN)) ||
                         (!slow && sample_has(out, MT_F_SWAP_LIMIT_OWN));
            if (memsw && sample_has(&s, MT_F_USAGE))
                sample_set(&s, MT_F_MEMSW_USAGE, s.v[MT_F_USAGE]);
        }
        else
            carry_over(&files[i], out, &s);
    }

    if (rd->api_v1) {
        /* Without total_swap (older kernels print it only with memsw
         * accounting), swap = memsw.usage - usage. */
        if (!sample_has(&s, MT_F_SWAP) && sample_has(&s, MT_F_MEMSW_USAGE) &&
            sample_has(&s, MT_F_USAGE))
            sample_set(&s, MT_F_SWAP, s.v[MT_F_MEMSW_USAGE] > s.v[MT_F_USAGE]
                                          ? s.v[MT_F_MEMSW_USAGE] - s.v[MT_F_USAGE] : 0);
        if (sample_has(&s, MT_F_HIER_LIMIT) && s.v[MT_F_HIER_LIMIT] > MT_UNLIMITED_THRESHOLD)
            s.v[MT_F_HIER_LIMIT] = MT_UNLIMITED;
        if (sample_has(&s, MT_F_HIER_MEMSW_LIMIT) &&
            s.v[MT_F_HIER_MEMSW_LIMIT] > MT_UNLIMITED_THRESHOLD)
            s.v[MT_F_HIER_MEMSW_LIMIT] = MT_UNLIMITED;
    } else {
        /* kernel appeared in ~5.18; before that, sum its parts. */
        if (!sample_has(&s, MT_F_KERNEL) && (found & MT_BIT(X_KSTACK))) {
            uint64_t k = 0;
            for (int x = X_KSTACK; x <= X_VMALLOC; x++)
                if (found & MT_BIT(x))
                    k += vals[x];
            sample_set(&s, MT_F_KERNEL, k);
        }
        /* Before 5.9 there was one combined workingset_refault counter. */
        if (!sample_has(&s, MT_F_REFAULT_FILE) && (found & MT_BIT(X_REFAULT_OLD)))
            sample_set(&s, MT_F_REFAULT_FILE, vals[X_REFAULT_OLD]);
        /* The root has no memory.current: usage = anon + file, as runc and
         * cAdvisor compute it, so the node figure matches kubelet's. */
        if (is_root && !sample_has(&s, MT_F_USAGE) && sample_has(&s, MT_F_ANON) &&
            sample_has(&s, MT_F_FILE))
            sample_set(&s, MT_F_USAGE, s.v[MT_F_ANON] + s.v[MT_F_FILE]);
        /* The root has no limits either. */
        if (is_root) {
            sample_set(&s, MT_F_LIMIT_OWN, MT_UNLIMITED);
            sample_set(&s, MT_F_HIGH_OWN, MT_UNLIMITED);
        }
    }
    /* Configuration is read only on slow ticks: carry it over otherwise. */
    if (!slow) {
        for (size_t i = 0; i < nfiles; i++) {
            const FileDesc *d = &files[i];
            if (d->slow && (d->kind == P_VALUE || d->kind == P_LIMIT) &&
                sample_has(out, (MtField)d->field) && !sample_has(&s, (MtField)d->field))
                sample_set(&s, (MtField)d->field, out->v[d->field]);
        }
    }
    *out = s;
    return carried ? MT_READ_CARRIED : 0;
}
