/* oomlog.h - OOM kill forensics: the kernel's kill reports, parsed and
 * attributed to cgroups, plus kills only the counters saw.
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
 * The parsers are pure (text in, struct out) so they can be fuzzed; the
 * store (OomLog) pairs the two lines of one kill by pid and keeps a bounded
 * history of kills.  Sizes in the store are bytes; times unix seconds. */
#ifndef MEMTOP_OOMLOG_H
#define MEMTOP_OOMLOG_H

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
int oomlog_parse_kmsg_record(const char *s, size_t len, KmsgRecord *out);
/* Decode kmsg's \xNN escapes (in place is fine: out may equal s). */
size_t oomlog_unescape_kmsg(const char *s, size_t len, char *out, size_t outlen);

typedef enum {
    MT_OOM_SRC_JOURNAL,
    MT_OOM_SRC_KMSG,
    MT_OOM_SRC_COUNTER,
} MtOomSource;

const char *oomlog_source_name(MtOomSource s);

typedef struct {
    double time;                    /* unix seconds */
    char path[OOM_PATH_MAX];        /* task_memcg (or the counting cgroup) */
    char oom_memcg[OOM_PATH_MAX];   /* "" if unknown */
    char constraint[32];
    long pid;                       /* -1 for counter events */
    char comm[OOM_COMM_MAX];        /* "" for counter events */
    bool has_rss;
    uint64_t anon_rss, file_rss, shmem_rss, total_vm;   /* bytes */
    long uid;
    MtOomSource source;
    uint64_t ingest_seq;            /* tick at which memtop learned of it */
} OomEvent;

#define OOMLOG_PENDING 16

/* The event store.  Kills are appended in the order they are learned. */
typedef struct {
    OomEvent *ev;                   /* ring of cap */
    size_t cap, n, head;            /* n valid, oldest at head */
    uint64_t total;                 /* ever added */
    /* oom-kill lines waiting for their "Killed process" line */
    struct {
        bool used;
        OomKillLine k;
        double time;
        MtOomSource source;
    } pending[OOMLOG_PENDING];
    char last_task_in[OOM_PATH_MAX];    /* pre-4.19 "Task in" path, for the next kill */
    char last_task_in_oom[OOM_PATH_MAX];
    /* Strip this prefix from kernel paths (the memory mount's root when
     * memtop runs in a cgroup namespace); "" or "/" for none. */
    char strip_prefix[OOM_PATH_MAX];
} OomLog;

void oomlog_init(OomLog *l, size_t cap);
void oomlog_done(OomLog *l);

/* Feed one kernel message (no prefix, no trailing newline) seen at time t
 * (unix seconds).  Returns the event added (valid until the next add) when
 * the message completed a kill, else NULL. */
const OomEvent *oomlog_feed(OomLog *l, const char *msg, size_t len, double t,
                            MtOomSource src, uint64_t seq);
/* Turn oom-kill lines whose "Killed process" line never came (older than
 * max_age seconds at now) into events without RSS figures. */
void oomlog_flush_pending(OomLog *l, double now, double max_age, uint64_t seq);
/* Append an event directly (counter events, tests).  Returns the copy. */
const OomEvent *oomlog_add(OomLog *l, const OomEvent *e);

/* i-th event from the oldest (i < l->n). */
const OomEvent *oomlog_get(const OomLog *l, size_t i);

/* Is path equal to, or below, the cgroup dir ("/" contains everything)? */
bool oomlog_path_within(const char *path, const char *dir);

#endif
