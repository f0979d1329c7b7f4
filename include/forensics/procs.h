/* procs.h - the processes of one cgroup subtree, for the detail pane (and
 * later JSON).  Curses-free; part of libmemtop.a.
 *
 * PIDs come from cgroup.procs of the cgroup and all its descendants (the
 * file is not recursive); per-process sizes from <root>/proc/<pid>/status
 * (RssAnon/RssFile/RssShmem, kB in the file, bytes here).  Only call this for
 * one selected cgroup: it opens a file per process. */
#ifndef MEMTOP_PROCS_H
#define MEMTOP_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
