/* procs.c - processes of a cgroup subtree and their resident sizes. */
#include "config.h"

#include "procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "fsroot.h"
#include "parse.h"
#include "xalloc.h"

#define PROCS_MAX_DEPTH 32

typedef struct {
    int *v;
    size_t n, cap;
} PidSet;

void proclist_init(ProcList *l)
{
    memset(l, 0, sizeof(*l));
}

void proclist_done(ProcList *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static void pidset_add(PidSet *s, int pid)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = xreallocarray(s->v, s->cap, sizeof(int));
    }
    s->v[s->n++] = pid;
}

/* Append the pids of cgroup.procs of dirfd (one decimal per line). */
static void read_procs_file(int dirfd, PidSet *s)
{
    int fd = fs_open_at(dirfd, "cgroup.procs", 0);
    if (fd < 0)
        return;
    char buf[8192], num[16];
    size_t nl = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] >= '0' && buf[i] <= '9' && nl < sizeof(num) - 1) {
                num[nl++] = buf[i];
            } else if (buf[i] == '\n') {
                num[nl] = '\0';
                long pid = nl ? strtol(num, NULL, 10) : 0;
                if (pid > 0 && pid <= 0x7fffffff)
                    pidset_add(s, (int)pid);
                nl = 0;
            }
        }
    }
    close(fd);
}

static void walk_subtree(int dirfd, PidSet *s, int depth)
{
    read_procs_file(dirfd, s);
    if (depth >= PROCS_MAX_DEPTH)
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
        if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
        if (de->d_name[0] == '.')
            continue;
        int cfd = fs_open_at(dirfd, de->d_name, O_DIRECTORY | O_NOFOLLOW);
        if (cfd < 0)
            continue;
        walk_subtree(cfd, s, depth + 1);
        close(cfd);
    }
    closedir(d);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* Value of "Key:\t  N kB" (bytes) when the line starts with key. */
static bool status_kb(const char *line, const char *end, const char *key, uint64_t *out)
{
    size_t kl = strlen(key);
    if ((size_t)(end - line) <= kl || memcmp(line, key, kl) != 0)
        return false;
    const char *p = line + kl;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    uint64_t v;
    if (parse_u64(&p, end, &v) < 0)
        return false;
    *out = v * 1024;
    return true;
}

int procs_parse_status(const char *buf, size_t len, ProcInfo *p)
{
    const char *s = buf, *end = buf + len;
    bool name = false;
    int rss = 0;

    p->rss_valid = false;
    p->rss_anon = p->rss_file = p->rss_shmem = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        if (!name && le - s >= 5 && memcmp(s, "Name:", 5) == 0) {
            const char *v = s + 5;
            while (v < le && (*v == ' ' || *v == '\t'))
                v++;
            sanitize_text(p->comm, sizeof(p->comm), v, (size_t)(le - v), 40, true);
            name = true;
        }
        rss += status_kb(s, le, "RssAnon:", &p->rss_anon);
        rss += status_kb(s, le, "RssFile:", &p->rss_file);
        rss += status_kb(s, le, "RssShmem:", &p->rss_shmem);
        s = le + 1;
    }
    p->rss_valid = rss == 3;
    return name ? 0 : -EINVAL;
}

static int proc_cmp(const void *a, const void *b)
{
    const ProcInfo *x = a, *y = b;
    uint64_t rx = x->rss_valid ? x->rss_anon + x->rss_file + x->rss_shmem : 0;
    uint64_t ry = y->rss_valid ? y->rss_anon + y->rss_file + y->rss_shmem : 0;
    if (rx != ry)
        return rx > ry ? -1 : 1;
    return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int procs_collect(int memroot_fd, int rootfd, const char *relpath, size_t max_pids,
                  ProcList *out)
{
    PidSet s = { 0 };
    char path[64], buf[4096];

    out->n = out->npids = 0;
    out->truncated = false;
    int dfd = fs_open_at(memroot_fd, *relpath ? relpath : ".", O_DIRECTORY);
    if (dfd < 0)
        return dfd;
    walk_subtree(dfd, &s, 0);
    close(dfd);
    if (s.n)
        qsort(s.v, s.n, sizeof(int), int_cmp);
    for (size_t i = 0; i < s.n; i++) {
        if (i > 0 && s.v[i] == s.v[i - 1])
            continue;               /* cgroup.procs may repeat a pid */
        out->npids++;
        if (out->n >= max_pids) {
            out->truncated = true;
            continue;
        }
        snprintf(path, sizeof(path), "proc/%d/status", s.v[i]);
        ssize_t n = fs_read_at(rootfd, path, buf, sizeof(buf));
        ProcInfo p = { .pid = s.v[i] };
        if (n <= 0 || procs_parse_status(buf, (size_t)n, &p) < 0)
            continue;               /* exited meanwhile */
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 32;
            out->v = xreallocarray(out->v, out->cap, sizeof(ProcInfo));
        }
        out->v[out->n++] = p;
    }
    free(s.v);
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
