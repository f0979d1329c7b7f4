/* cgprocs.c - processes of a cgroup subtree and the likely OOM victim. */
#include "config.h"

#include "cgprocs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsroot.h"
#include "xalloc.h"

#define CGPROCS_MAX_DEPTH 32
#define CGPROCS_MAX 100000          /* a sanity cap on one listing */

/* "Key:\t  123 kB" -> bytes; false when the key is absent. */
static bool status_kb(const char *text, size_t len, const char *key, uint64_t *out)
{
    size_t kl = strlen(key);
    const char *p = text, *end = text + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if ((size_t)(le - p) > kl && memcmp(p, key, kl) == 0 && p[kl] == ':') {
            unsigned long long v = 0;
            const char *q = p + kl + 1;
            while (q < le && (*q == ' ' || *q == '\t'))
                q++;
            bool any = false;
            while (q < le && *q >= '0' && *q <= '9') {
                v = v * 10 + (unsigned long long)(*q++ - '0');
                any = true;
            }
            if (!any)
                return false;
            *out = (uint64_t)v * 1024;
            return true;
        }
        p = le + 1;
    }
    return false;
}

void cgprocs_parse_status(const char *text, size_t len, CgProc *p)
{
    const char *end = text + len;

    p->comm[0] = '\0';
    if (len > 5 && memcmp(text, "Name:", 5) == 0) {
        const char *q = text + 5;
        while (q < end && (*q == '\t' || *q == ' '))
            q++;
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        size_t n = (size_t)((nl ? nl : end) - q);
        if (n >= sizeof(p->comm))
            n = sizeof(p->comm) - 1;
        memcpy(p->comm, q, n);
        p->comm[n] = '\0';
    }
    p->rss_anon = p->rss_file = p->rss_shmem = p->swap = p->pagetables = 0;
    p->has_mm = status_kb(text, len, "RssAnon", &p->rss_anon);
    status_kb(text, len, "RssFile", &p->rss_file);
    status_kb(text, len, "RssShmem", &p->rss_shmem);
    status_kb(text, len, "VmSwap", &p->swap);
    status_kb(text, len, "VmPTE", &p->pagetables);
}

double cgprocs_badness(const CgProc *p, long pagesize, uint64_t total_bytes)
{
    if (!p->has_mm || p->oom_score_adj <= -1000 || pagesize <= 0)
        return -INFINITY;
    double ps = (double)pagesize;
    double pts = (double)(p->rss_anon + p->rss_file + p->rss_shmem) / ps +
                 (double)p->swap / ps + (double)p->pagetables / ps;
    double total = (double)total_bytes / ps;
    pts += (double)p->oom_score_adj * total / 1000.0;
    return pts;
}

static void add_pid(CgProcList *l, int pid)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].pid == pid)
            return;         /* cgroup.procs may repeat a pid */
    if (l->n >= CGPROCS_MAX)
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = xreallocarray(l->v, l->cap, sizeof(CgProc));
    }
    memset(&l->v[l->n], 0, sizeof(CgProc));
    l->v[l->n++].pid = pid;
}

static void read_procs_file(int dirfd, CgProcList *l)
{
    char buf[65536];
    ssize_t n = fs_read_at(dirfd, "cgroup.procs", buf, sizeof(buf));
    if (n <= 0)
        return;
    char *p = buf, *end;
    while (*p) {
        long pid = strtol(p, &end, 10);
        if (end == p)
            break;
        if (pid > 0 && pid <= INT_MAX)
            add_pid(l, (int)pid);
        p = end;
        while (*p == '\n' || *p == ' ')
            p++;
    }
}

static void walk(int dirfd, CgProcList *l, int depth)
{
    read_procs_file(dirfd, l);
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
        walk(cfd, l, depth + 1);
        close(cfd);
    }
    closedir(d);
}

/* False when the process is gone (or its status cannot be read). */
static bool read_proc(int rootfd, CgProc *p)
{
    char rel[64], buf[8192];

    snprintf(rel, sizeof(rel), "proc/%d/status", p->pid);
    ssize_t n = fs_read_at(rootfd, rel, buf, sizeof(buf));
    if (n <= 0)
        return false;
    cgprocs_parse_status(buf, (size_t)n, p);
    snprintf(rel, sizeof(rel), "proc/%d/oom_score_adj", p->pid);
    n = fs_read_at(rootfd, rel, buf, sizeof(buf));
    if (n > 0) {
        long adj = strtol(buf, NULL, 10);
        p->oom_score_adj = adj < -1000 ? -1000 : adj > 1000 ? 1000 : (int)adj;
    }
    return true;
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
    memset(out, 0, sizeof(*out));
    int dfd = fs_open_at(memroot_fd, *relpath ? relpath : ".", O_DIRECTORY);
    if (dfd < 0)
        return dfd;
    walk(dfd, out, 0);
    close(dfd);

    long ps = sysconf(_SC_PAGESIZE);
    size_t w = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (!read_proc(rootfd, &out->v[i]))
            continue;       /* exited meanwhile */
        out->v[i].badness = cgprocs_badness(&out->v[i], ps, total_bytes);
        out->v[w++] = out->v[i];
    }
    out->n = w;
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
