/* cgprocs.h - the processes of one cgroup subtree: with the figures the OOM
 * killer looks at and the likely victim (SPEC 7; JSON "processes"), and as
 * the detail pane's list ordered by RSS.  The only walker of cgroup.procs
 * and parser of /proc/<pid>/status.  Curses-free.
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
    bool has_mm;                /* all of RssAnon/RssFile/RssShmem present:
                                 * false for kernel threads and vanished mms */
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

/* The distinct pids listed in cgroup.procs of the cgroup at relpath and of
 * all its descendants (32 levels deep at most), ascending, in a malloc'd
 * array *pids (NULL when none; the caller frees it).  Returns the count, or
 * -errno when the cgroup itself cannot be opened (vanished). */
int cgprocs_pids(int memroot_fd, const char *relpath, int **pids);

/* Read <root>/proc/<p->pid>/status into p and, with with_adj, also
 * oom_score_adj (left as is when unreadable).  Returns 0, or -errno /
 * -ENODATA / -EINVAL when the process is gone or its status unusable. */
int cgprocs_read(int rootfd, CgProc *p, bool with_adj);

/* Pure: parse a /proc/<pid>/status text (len bytes, need not be
 * NUL-terminated) into p: comm (the first "Name:" line, raw, truncated to
 * 63 bytes), the Rss*, VmSwap and VmPTE sizes and has_mm; pid, adj and
 * badness are untouched.  Returns 0 when a "Name:" line was found, else
 * -EINVAL (comm is then ""). */
int cgprocs_parse_status(const char *text, size_t len, CgProc *p);
/* Pure: badness in pages for pagesize and total_bytes (see above). */
double cgprocs_badness(const CgProc *p, long pagesize, uint64_t total_bytes);

/* ---- the detail pane's list: sanitized names, sizes, ordered by RSS ---- */

#define MT_COMM_MAX 64

typedef struct {
    int pid;
    char comm[MT_COMM_MAX];     /* "Name:" of status, sanitized (UTF-8) */
    bool rss_valid;             /* false for kernel threads / vanished pids */
    uint64_t rss_anon, rss_file, rss_shmem;     /* bytes */
} ProcInfo;

typedef struct {
    ProcInfo *v;                /* owned, sorted by rss desc, then pid */
    size_t n, cap;
    size_t npids;               /* distinct pids found in the subtree */
    bool truncated;             /* more than max_pids: n is capped */
} ProcList;

void proclist_init(ProcList *l);
void proclist_done(ProcList *l);

/* Collect the processes of memroot/relpath and its descendants ("" = the
 * hierarchy root), reading status files below rootfd.  At most max_pids
 * processes are read; the rest only counted.  Returns 0 or -errno when the
 * cgroup itself cannot be read (vanished). */
int procs_collect(int memroot_fd, int rootfd, const char *relpath, size_t max_pids,
                  ProcList *out);

/* Parse the text of /proc/<pid>/status into p (comm and Rss* fields).
 * Returns 0 when a Name: line was found. */
int procs_parse_status(const char *buf, size_t len, ProcInfo *p);

/* memtop's own resident set in bytes from the real /proc/self/statm (not
 * below --root: it is this process); 0 when unknown. */
uint64_t procs_self_rss(void);

#endif
