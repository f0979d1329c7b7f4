/* procs.c - the detail pane's "top processes" of a cgroup subtree: what is
 * TUI-specific (sanitized names, a read cap, order by RSS) on top of the
 * shared walker and status parser in cgprocs.c. */
#include "config.h"

#include "forensics/procs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forensics/cgprocs.h"
#include "util/format.h"
#include "util/xalloc.h"

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
