/* cgprocs.c - processes of a cgroup subtree: the likely OOM victim, and the
 * detail pane's list by RSS.  The one place that walks cgroup.procs and
 * parses /proc/<pid>/status. */
#include "config.h"

#include "forensics/cgprocs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample/fsroot.h"
#include "sample/parse.h"
#include "util/format.h"
#include "util/xalloc.h"

#define CGPROCS_MAX_DEPTH 32
#define CGPROCS_MAX 100000          /* a sanity cap on one listing */
#define CGPROCS_MAX_RAW 4000000     /* pids gathered before de-duplication */

typedef struct {
    int *v;
    size_t n, cap;
} PidSet;

static void pidset_add(PidSet *s, long pid)
{
    if (pid <= 0 || pid > INT_MAX || s->n >= CGPROCS_MAX_RAW)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = xreallocarray(s->v, s->cap, sizeof(int));
    }
    s->v[s->n++] = (int)pid;
}

/* Append the pids of dirfd's cgroup.procs (one decimal per line).  Read in
 * chunks: the file has no size limit (a big cgroup lists many thousands). */
static void read_procs_file(int dirfd, PidSet *s)
{
    int fd = fs_open_at(dirfd, "cgroup.procs", 0);
    if (fd < 0)
        return;
    char buf[8192];
    long pid = 0;
    bool any = false;
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            char c = buf[i];
            if (c >= '0' && c <= '9') {
                /* saturate: anything past INT_MAX is dropped by pidset_add */
                pid = pid > INT_MAX ? pid : pid * 10 + (c - '0');
                any = true;
            } else {
                if (any)
                    pidset_add(s, pid);
                pid = 0;
                any = false;
            }
        }
    }
    if (any)
        pidset_add(s, pid);     /* a last line without newline */
    close(fd);
}

static void walk(int dirfd, PidSet *s, int depth)
{
    read_procs_file(dirfd, s);
    if (depth >= CGPROCS_MAX_DEPTH)
        return;
    int fd = dup(dirfd);
    if (fd < 0)
        return;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    rewinddir(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
            continue;
        int cfd = fs_open_at(dirfd, de->d_name, O_DIRECTORY | O_NOFOLLOW);
        if (cfd < 0)
            continue;
        walk(cfd, s, depth + 1);
        close(cfd);
    }
    closedir(d);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

int cgprocs_pids(int memroot_fd, const char *relpath, int **pids)
{
    PidSet s = { 0 };

    *pids = NULL;
    int dfd = fs_open_at(memroot_fd, *relpath ? relpath : ".", O_DIRECTORY);
    if (dfd < 0)
        return dfd;
    walk(dfd, &s, 0);
    close(dfd);
    size_t w = 0;
    if (s.n) {
        qsort(s.v, s.n, sizeof(int), int_cmp);
        for (size_t i = 0; i < s.n; i++)
            if (w == 0 || s.v[i] != s.v[w - 1])
                s.v[w++] = s.v[i];      /* cgroup.procs may repeat a pid */
    }
    *pids = s.v;
    return (int)w;
}

/* "Key:\t  123 kB" in line [s, le) -> bytes (saturated). */
static bool status_kb(const char *s, const char *le, const char *key, uint64_t *out)
{
    size_t kl = strlen(key);
    if ((size_t)(le - s) <= kl || memcmp(s, key, kl) != 0)
        return false;
    const char *q = s + kl;
    while (q < le && (*q == ' ' || *q == '\t'))
        q++;
    uint64_t v;
    if (parse_u64(&q, le, &v) < 0)
        return false;
    *out = v > UINT64_MAX / 1024 ? UINT64_MAX : v * 1024;
    return true;
}

/* Bits of the status lines seen. */
enum { ST_ANON = 1, ST_FILE = 2, ST_SHMEM = 4 };

int cgprocs_parse_status(const char *text, size_t len, CgProc *p)
{
    const char *s = text, *end = text + len;
    bool name = false;
    unsigned rss = 0;

    p->comm[0] = '\0';
    p->rss_anon = p->rss_file = p->rss_shmem = p->swap = p->pagetables = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        if (!name && le - s >= 5 && memcmp(s, "Name:", 5) == 0) {
            const char *q = s + 5;
            while (q < le && (*q == '\t' || *q == ' '))
                q++;
            size_t n = (size_t)(le - q);
            if (n >= sizeof(p->comm))
                n = sizeof(p->comm) - 1;
            memcpy(p->comm, q, n);
            p->comm[n] = '\0';
            name = true;
        }
        rss |= status_kb(s, le, "RssAnon:", &p->rss_anon) ? ST_ANON : 0;
        rss |= status_kb(s, le, "RssFile:", &p->rss_file) ? ST_FILE : 0;
        rss |= status_kb(s, le, "RssShmem:", &p->rss_shmem) ? ST_SHMEM : 0;
        status_kb(s, le, "VmSwap:", &p->swap);
        status_kb(s, le, "VmPTE:", &p->pagetables);
        s = le + 1;
    }
    /* task_mem() prints the three Rss lines together, only for tasks with
     * an mm: all three present means a user process with valid sizes. */
    p->has_mm = rss == (ST_ANON | ST_FILE | ST_SHMEM);
    return name ? 0 : -EINVAL;
}

int cgprocs_read(int rootfd, CgProc *p, bool with_adj)
{
    char rel[64], buf[8192];

    snprintf(rel, sizeof(rel), "proc/%d/status", p->pid);
    ssize_t n = fs_read_at(rootfd, rel, buf, sizeof(buf));
    if (n <= 0)
        return n < 0 ? (int)n : -ENODATA;
    if (cgprocs_parse_status(buf, (size_t)n, p) < 0)
        return -EINVAL;
    if (!with_adj)
        return 0;
    snprintf(rel, sizeof(rel), "proc/%d/oom_score_adj", p->pid);
    n = fs_read_at(rootfd, rel, buf, sizeof(buf) - 1);
    if (n > 0) {
        buf[n] = '\0';
        long adj = strtol(buf, NULL, 10);
        p->oom_score_adj = adj < -1000 ? -1000 : adj > 1000 ? 1000 : (int)adj;
    }
    return 0;
}

double cgprocs_badness(const CgProc *p, long pagesize, uint64_t total_bytes)
{
    if (!p->has_mm || p->oom_score_adj <= -1000 || pagesize <= 0)
        return -INFINITY;
    double ps = (double)pagesize;
    double pts = ((double)p->rss_anon + (double)p->rss_file + (double)p->rss_shmem) / ps +
                 (double)p->swap / ps + (double)p->pagetables / ps;
    double total = (double)total_bytes / ps;
    pts += (double)p->oom_score_adj * total / 1000.0;
    return pts;
}

static int by_badness(const void *a, const void *b)
{
    const CgProc *x = a, *y = b;
    if (x->badness != y->badness)
        return x->badness > y->badness ? -1 : 1;
    return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int cgprocs_list(int memroot_fd, int rootfd, const char *relpath, uint64_t total_bytes,
                 CgProcList *out)
{
    int *pids;

    memset(out, 0, sizeof(*out));
    int np = cgprocs_pids(memroot_fd, relpath, &pids);
    if (np < 0)
        return np;
    long ps = sysconf(_SC_PAGESIZE);
    for (int i = 0; i < np && out->n < CGPROCS_MAX; i++) {
        CgProc p = { .pid = pids[i] };
        if (cgprocs_read(rootfd, &p, true) < 0)
            continue;       /* exited meanwhile */
        p.badness = cgprocs_badness(&p, ps, total_bytes);
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 32;
            out->v = xreallocarray(out->v, out->cap, sizeof(CgProc));
        }
        out->v[out->n++] = p;
    }
    free(pids);
    if (out->n)
        qsort(out->v, out->n, sizeof(CgProc), by_badness);
    if (out->n && isfinite(out->v[0].badness))
        out->v[0].victim = true;
    return (int)out->n;
}

void cgprocs_free(CgProcList *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* ---- the detail pane's list ---- */

void proclist_init(ProcList *l)
{
    memset(l, 0, sizeof(*l));
}

void proclist_done(ProcList *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* The pane's view of a parsed process: sanitized name, Rss sizes. */
static void proc_from_cg(const CgProc *c, ProcInfo *p)
{
    p->pid = c->pid;
    sanitize_text(p->comm, sizeof(p->comm), c->comm, strlen(c->comm), 40, true);
    p->rss_valid = c->has_mm;
    p->rss_anon = c->rss_anon;
    p->rss_file = c->rss_file;
    p->rss_shmem = c->rss_shmem;
}

int procs_parse_status(const char *buf, size_t len, ProcInfo *p)
{
    CgProc c = { .pid = p->pid };
    int r = cgprocs_parse_status(buf, len, &c);
    proc_from_cg(&c, p);
    return r;
}

static uint64_t proc_rss(const ProcInfo *p)
{
    return p->rss_valid ? p->rss_anon + p->rss_file + p->rss_shmem : 0;
}

static int proc_cmp(const void *a, const void *b)
{
    const ProcInfo *x = a, *y = b;
    uint64_t rx = proc_rss(x), ry = proc_rss(y);
    if (rx != ry)
        return rx > ry ? -1 : 1;
    return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int procs_collect(int memroot_fd, int rootfd, const char *relpath, size_t max_pids,
                  ProcList *out)
{
    int *pids;

    out->n = out->npids = 0;
    out->truncated = false;
    int np = cgprocs_pids(memroot_fd, relpath, &pids);
    if (np < 0)
        return np;
    out->npids = (size_t)np;
    /* Read until max_pids processes were found; vanished ones don't count. */
    for (size_t i = 0; i < (size_t)np; i++) {
        if (out->n >= max_pids) {
            out->truncated = true;
            break;
        }
        CgProc c = { .pid = pids[i] };
        if (cgprocs_read(rootfd, &c, false) < 0)
            continue;               /* exited meanwhile */
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 32;
            out->v = xreallocarray(out->v, out->cap, sizeof(ProcInfo));
        }
        proc_from_cg(&c, &out->v[out->n++]);
    }
    free(pids);
    if (out->n)
        qsort(out->v, out->n, sizeof(ProcInfo), proc_cmp);
    return 0;
}

uint64_t procs_self_rss(void)
{
    char buf[256];
    unsigned long size, resident;
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    if (sscanf(buf, "%lu %lu", &size, &resident) != 2)
        return 0;
    return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}
