/* forensics.h - the layer above the model that names containers, keeps
 * their OOM kill history and lists their processes (README "Names", "OOM
 * forensics", "Processes").
 *
 * Per tick, after model_tick():
 *   1. new kernel OOM reports are read (journal or kmsg) and each kill is
 *      attributed to the cgroup of its task_memcg and that cgroup's known
 *      ancestors (v2 counts kills hierarchically; v1 only locally);
 *   2. OOM kill counter increases (v1 memory.oom_control oom_kill, v2
 *      memory.events oom_kill; pods too, since a container's cgroup can be
 *      gone before memtop reads it) that no report explains by the next
 *      tick become "counter" kills;
 *   3. a vanished cgroup with a kill at or below it stays listed (GONE,
 *      tombstone) for oom_tomb_secs after it vanished;
 *   4. containers and pods get display names (names.h).
 *
 * State per entry lives in a side table keyed by the entry pointer; the
 * table's on_free hook is chained, not replaced. */
#ifndef MEMTOP_FORENSICS_H
#define MEMTOP_FORENSICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/model.h"
#include "forensics/names.h"
#include "forensics/oomlog.h"
#include "forensics/oomsrc.h"

typedef struct {
    bool names;                 /* resolve display names (default on) */
    NamesOptions names_opt;
    OomSrcOptions oom;
    double oom_tomb_secs;       /* keep OOM-killed vanished cgroups this long (900) */
    size_t oom_history;         /* kills kept in memory (512) */
    bool processes;             /* JSON: add "processes" to containers and pods */
} ForensicsOptions;

void forensics_options_default(ForensicsOptions *o);

typedef struct ForState ForState;

typedef struct {
    ForensicsOptions opt;
    Names *names;
    OomLog log;
    OomSrc src;
    ForState **buckets;         /* per-entry state, by entry pointer */
    size_t nbuckets;
    void (*prev_on_free)(CgEntry *e, void *ctx);
    void *prev_on_free_ctx;
    CgTable *table;
    bool api_v1;
    uint64_t counter_kills;     /* "counter" events created so far */
    uint64_t log_seen;          /* log.total already attributed */
} Forensics;

/* Attach to an opened model.  Returns 0, or -1 with one line in err (a
 * source the user asked for could not be opened). */
int forensics_open(Forensics *f, Model *m, const ForensicsOptions *o, char *err,
                   size_t errlen);
void forensics_close(Forensics *f, Model *m);
/* Call once after every model_tick(). */
void forensics_tick(Forensics *f, Model *m);

/* Most recent kill at or below e (NULL if none); for "OOM-killed 2m ago". */
const OomEvent *forensics_last_kill(const Forensics *f, const CgEntry *e);
/* Number of kills at or below e in the history. */
size_t forensics_kill_count(const Forensics *f, const CgEntry *e);
/* The newest (up to max) kills at or below e, newest first, into out
 * (borrowed, valid until the next forensics_tick).  Returns the count. */
size_t forensics_history(const Forensics *f, const CgEntry *e, const OomEvent **out,
                         size_t max);

#endif
