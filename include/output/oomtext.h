/* oomtext.h - the OOM kill history in plain words, for the interactive
 * UI: the detail pane's list of kills and the table's "OOM-killed 2m ago"
 * tags (README "OOM kills in the interactive view").  Curses-free so the
 * wording is unit-tested; every string that comes from the system (comm,
 * cgroup paths and names) is sanitized here.  Times are unix seconds. */
#ifndef MEMTOP_OOMTEXT_H
#define MEMTOP_OOMTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "sample/model.h"
#include "forensics/oomlog.h"

/* A compact age: "12s", "5m", "3h" (below 48 h), "2d".  Negative ages
 * (a kill after the time shown, when paused in history) count as 0. */
char *oomtext_age(char *buf, size_t len, double secs);

/* Which limit the kill hit, in words, from the kernel's oom_memcg and
 * constraint as forensics recorded them, seen from entry e (whose history
 * lists the kill): "this container's own limit", "its pod's limit (NAME)",
 * "the limit of container NAME", "node memory (global OOM)", ...  Counter
 * kills have no report, so "unknown (only the oom_kill counter saw it)". */
char *oomtext_limit(const Model *m, const CgEntry *e, const OomEvent *ev, char *buf, size_t len,
                    bool utf8);

/* One kill as three pieces of text for the detail pane:
 *   when   "2026-11-22 04:01:16 (2m ago)"  (local time; age against now)
 *   what   "killed pid 5151 (newproc) in <victim cgroup>; its RSS then: anon 31.7M,
 *           file 4.0K, shmem 272K"  (the cgroup only when it is not e)
 *   where  "limit hit: this container's own limit; source: kernel log (kmsg)" */
typedef struct {
    char when[64];
    char what[512];
    char where[768];
} OomText;

void oomtext_event(const Model *m, const CgEntry *e, const OomEvent *ev, double now, bool utf8,
                   OomText *out);

/* The tag after a table row's name (ASCII), or NULL for none:
 *   e is a tombstone and last (its newest kill) is set: "OOM-killed 2m ago",
 *       shorter when room is small: "OOM-killed 2m", "OOM 2m", "OOM";
 *   e is a tombstone without a kill: "(gone)";
 *   e is live and last happened at most recent_secs before now:
 *       "OOM 2m ago", "OOM 2m", "OOM" (*alert is set: draw it as a warning).
 * The longest variant of at most room columns is written to buf. */
const char *oomtext_tag(const CgEntry *e, const OomEvent *last, double now, double recent_secs,
                        int room, char *buf, size_t len, bool *alert);

#endif
