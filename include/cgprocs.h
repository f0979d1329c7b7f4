/* cgprocs.h - the processes of one cgroup subtree, with the figures the OOM
 * killer looks at, and the likely victim (SPEC 7).
 *
 * cgroup.procs is not recursive, so the whole subtree is walked.  Each
 * process is read from <root>/proc/<pid>/status (RssAnon, RssFile,
 * RssShmem, VmSwap, VmPTE; kB in the file, bytes here) and
 * /proc/<pid>/oom_score_adj.  Costs one directory walk plus two small reads
 * per process: call it for the selected container or on request, never for
 * every container on every tick.
 *
 * Victim ranking follows mm/oom_kill.c oom_badness() for a memcg OOM:
 *   points = rss + swap entries + page-table pages + adj * totalpages / 1000
 * (in pages), where totalpages is the binding memcg limit (plus swap
 * allowance).  Tasks with oom_score_adj -1000 and kernel threads (no mm) are
 * never chosen. */
#ifndef MEMTOP_CGPROCS_H
#define MEMTOP_CGPROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int pid;
    char comm[64];              /* raw "Name:" from status: sanitize before output */
    bool has_mm;                /* false for kernel threads (no Rss lines) */
    uint64_t rss_anon, rss_file, rss_shmem, swap, pagetables;  /* bytes */
    int oom_score_adj;          /* -1000..1000 (0 if unreadable) */
    double badness;             /* pages; -inf when exempt */
    bool victim;                /* the highest badness of the list */
} CgProc;

typedef struct {
    CgProc *v;
    size_t n, cap;
} CgProcList;

/* List the processes of the cgroup at relpath ("" = hierarchy root; no
 * leading '/') below memroot_fd, reading /proc below rootfd.  total_bytes
 * is the memory the OOM killer normalizes against (limit, plus swap room);
 * 0 means "unknown" (adj then only breaks ties).  The list is sorted by
 * badness, highest first.  Returns the count, or -errno when the cgroup
 * cannot be read. */
int cgprocs_list(int memroot_fd, int rootfd, const char *relpath, uint64_t total_bytes,
                 CgProcList *out);
void cgprocs_free(CgProcList *l);

/* Pure: parse a /proc/<pid>/status text into p (pid untouched). */
void cgprocs_parse_status(const char *text, size_t len, CgProc *p);
/* Pure: badness in pages for pagesize and total_bytes (see above). */
double cgprocs_badness(const CgProc *p, long pagesize, uint64_t total_bytes);

#endif
