/* oomparse.h - the kernel's OOM kill reports, parsed.
 *
 * The kernel prints, for every OOM kill (mm/oom_kill.c, >= 4.19):
 *
 *   oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,
 *       mems_allowed=0,oom_memcg=/a/b,task_memcg=/a/b/c,task=python3,pid=275,uid=0
 *   Memory cgroup out of memory: Killed process 275 (python3) total-vm:68576kB,
 *       anon-rss:32488kB, file-rss:4kB, shmem-rss:272kB, UID:0 pgtables:108kB
 *       oom_score_adj:0
 *
 * (the second line starts with "Out of memory:" for a global OOM).  Older
 * kernels print "Task in /a/b/c killed as a result of limit of /a/b" instead
 * of the oom-kill line.  The cgroup paths are absolute in the hierarchy of
 * the memory controller (v1 memory hierarchy, or the unified one on v2),
 * i.e. the same paths memtop uses for CgEntry.path when the mount root is
 * "/".
 *
 * The parsers are pure (text in, struct out) so they can be fuzzed;
 * oomlog.h pairs the lines of one kill and keeps the history. */
#ifndef MEMTOP_OOMPARSE_H
#define MEMTOP_OOMPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OOM_PATH_MAX 512
#define OOM_COMM_MAX 64             /* TASK_COMM_LEN is 16; be generous */

/* "oom-kill:..." line; fields absent from the line are "" / -1. */
typedef struct {
    char constraint[32];
    char oom_memcg[OOM_PATH_MAX];
    char task_memcg[OOM_PATH_MAX];
    char task[OOM_COMM_MAX];
    long pid;
    long uid;
} OomKillLine;

/* "...: Killed process PID (COMM) total-vm:NkB, anon-rss:NkB, ..." line.
 * Sizes in bytes; has_rss is false when the rss fields were missing. */
typedef struct {
    long pid;
    char comm[OOM_COMM_MAX];
    bool memcg;                     /* "Memory cgroup out of memory" */
    bool has_rss;
    uint64_t total_vm, anon_rss, file_rss, shmem_rss, pgtables;
    long uid;                       /* -1 if absent */
    long oom_score_adj;             /* LONG_MIN if absent */
} OomKilledLine;

/* One record of /dev/kmsg ("PRI,SEQ,USEC,FLAGS;message"); also accepts
 * dmesg's "[ 6.107766] message" and bare message lines (then seq is
 * UINT64_MAX and usec 0).  msg points into the input and is not
 * NUL-terminated (msg_len bytes). */
typedef struct {
    int level;
    uint64_t seq;
    uint64_t usec;                  /* since boot */
    bool has_usec;
    const char *msg;
    size_t msg_len;
} KmsgRecord;

/* Each returns 0 on success, -1 when the text is not such a line. */
int oomlog_parse_kill_line(const char *s, size_t len, OomKillLine *out);
int oomlog_parse_killed_line(const char *s, size_t len, OomKilledLine *out);
/* "Task in /a/b killed as a result of limit of /a" (< 4.19). */
int oomlog_parse_task_in_line(const char *s, size_t len, char *task_memcg, size_t tlen,
                              char *oom_memcg, size_t olen);
/* "Tasks in /a/b are going to be killed due to memory.oom.group set":
 * the path. */
int oomlog_parse_group_line(const char *s, size_t len, char *path, size_t plen);
int oomlog_parse_kmsg_record(const char *s, size_t len, KmsgRecord *out);
/* Decode kmsg's \xNN escapes (in place is fine: out may equal s). */
size_t oomlog_unescape_kmsg(const char *s, size_t len, char *out, size_t outlen);

#endif
