/* oomlog.h - OOM kill forensics: the kernel's kill reports (parsed by
 * oomparse.h), paired and attributed to cgroups, plus kills only the
 * counters saw.
 *
 * The store (OomLog) pairs the two lines of one kill by pid and keeps a
 * bounded history of kills.  Sizes in the store are bytes; times unix
 * seconds. */
#ifndef MEMTOP_OOMLOG_H
#define MEMTOP_OOMLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forensics/oomparse.h"

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
