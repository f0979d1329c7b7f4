/* reader.c - v1/v2 memory file reading and normalization (SPEC 2, 3).  The
 * file tables are memfiles.c's; what is carried over instead of read,
 * carryover.c's. */
#include "config.h"

#include "sample/reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample/carryover.h"
#include "sample/fsroot.h"
#include "sample/memfiles.h"
#include "sample/parse.h"
#include "util/xalloc.h"

/* Files are read into one buffer of this size (memory.stat is ~1.5 KiB);
 * see pread_file for longer ones. */
#define READ_BUF 16384

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
    memfiles_init();
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
    memfiles_parse(d, rd->buf, (size_t)n, st->vals, &st->found);
}

/* Pass one reads everything but the composition (the limits first); pass
 * two reads it unless the cgroup is quiet.  Returns true when the
 * composition was carried. */
static bool read_files(Reader *rd, CgFiles *f, const char *relpath, bool slow,
                       const CgroupSample *prev, ReadState *st)
{
    size_t nfiles;
    const FileDesc *files = memfiles_table(rd->api_v1, &nfiles);

    for (size_t i = 0; i < nfiles; i++)     /* limits first: see may_skip */
        if (files[i].slow)
            read_file(rd, f, relpath, slow, i, &files[i], prev, st);
    for (size_t i = 0; i < nfiles; i++)
        if (files[i].when != W_QUIET && !files[i].slow)
            read_file(rd, f, relpath, slow, i, &files[i], prev, st);
    bool carry = st->primary_gone == 0 && carry_composition(rd, f, st, prev);
    for (size_t i = 0; i < nfiles; i++) {
        if (files[i].when != W_QUIET)
            continue;
        if (carry)
            st->skipped |= 1u << i;
        else
            read_file(rd, f, relpath, slow, i, &files[i], prev, st);
    }
    carry_count(rd, f, carry);
    return carry;
}

static void normalize_v1(CgroupSample *s)
{
    /* Without total_swap (older kernels print it only with memsw
     * accounting), swap = memsw.usage - usage. */
    if (!sample_has(s, MT_F_SWAP) && sample_has(s, MT_F_MEMSW_USAGE) &&
        sample_has(s, MT_F_USAGE))
        sample_set(s, MT_F_SWAP, s->v[MT_F_MEMSW_USAGE] > s->v[MT_F_USAGE]
                                     ? s->v[MT_F_MEMSW_USAGE] - s->v[MT_F_USAGE] : 0);
    if (sample_has(s, MT_F_HIER_LIMIT) && s->v[MT_F_HIER_LIMIT] > MT_UNLIMITED_THRESHOLD)
        s->v[MT_F_HIER_LIMIT] = MT_UNLIMITED;
    if (sample_has(s, MT_F_HIER_MEMSW_LIMIT) &&
        s->v[MT_F_HIER_MEMSW_LIMIT] > MT_UNLIMITED_THRESHOLD)
        s->v[MT_F_HIER_MEMSW_LIMIT] = MT_UNLIMITED;
}

static void normalize_v2(const ReadState *st, bool is_root, CgroupSample *s)
{
    /* kernel appeared in ~5.18; before that, sum its parts. */
    if (!sample_has(s, MT_F_KERNEL) && (st->found & MT_BIT(X_KSTACK))) {
        uint64_t k = 0;
        for (int x = X_KSTACK; x <= X_VMALLOC; x++)
            if (st->found & MT_BIT(x))
                k += st->vals[x];
        sample_set(s, MT_F_KERNEL, k);
    }
    /* Before 5.9 there was one combined workingset_refault counter. */
    if (!sample_has(s, MT_F_REFAULT_FILE) && (st->found & MT_BIT(X_REFAULT_OLD)))
        sample_set(s, MT_F_REFAULT_FILE, st->vals[X_REFAULT_OLD]);
    /* The root has no memory.current: usage = anon + file, as runc and
     * cAdvisor compute it, so the node figure matches kubelet's. */
    if (is_root && !sample_has(s, MT_F_USAGE) && sample_has(s, MT_F_ANON) &&
        sample_has(s, MT_F_FILE))
        sample_set(s, MT_F_USAGE, s->v[MT_F_ANON] + s->v[MT_F_FILE]);
    /* The root has no limits either. */
    if (is_root) {
        sample_set(s, MT_F_LIMIT_OWN, MT_UNLIMITED);
        sample_set(s, MT_F_HIGH_OWN, MT_UNLIMITED);
    }
}

int reader_read(Reader *rd, CgFiles *f, const char *relpath, bool slow, bool is_root,
                CgroupSample *out)
{
    size_t nfiles;
    const FileDesc *files = memfiles_table(rd->api_v1, &nfiles);
    ReadState st;
    st.found = 0;
    st.primary_ok = st.primary_gone = 0;
    st.skipped = 0;

    if (!rd->quick)
        f->deferred = false;    /* the caller made this a full (slow) read */
    bool carried = read_files(rd, f, relpath, slow, out, &st);
    cgfiles_drop_dir(rd, f);       /* later opens are rare: use the path */
    /* The v2 root has no memory.current: only memory.stat must be there. */
    if (st.primary_ok == 0 ||
        (st.primary_gone > 0 && !(is_root && !rd->api_v1 && st.primary_ok)))
        return -ENOENT;

    CgroupSample s;
    memset(&s, 0, sizeof(s));
    for (int fi = 0; fi < MT_F_COUNT; fi++)
        if (st.found & MT_BIT(fi))
            sample_set(&s, (MtField)fi, st.vals[fi]);
    carry_skipped(files, nfiles, &st, slow, out, &s);
    if (rd->api_v1)
        normalize_v1(&s);
    else
        normalize_v2(&st, is_root, &s);
    /* Configuration is read only on slow ticks: carry it over otherwise. */
    if (!slow)
        carry_config(files, nfiles, out, &s);
    *out = s;
    return carried ? MT_READ_CARRIED : 0;
}
