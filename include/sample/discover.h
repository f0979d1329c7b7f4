/* discover.h - walk the memory hierarchy and keep the table in step:
 * new directories become entries (classified once), known ones are marked
 * seen in this generation, re-created ones (new inode) are reset.
 *
 * Walking 1000 cgroups costs tens of milliseconds of kernel time (kernfs
 * readdir lists every control file), so the walk is skipped when nothing
 * changed: every cgroup directory gets an inotify watch for IN_CREATE /
 * IN_DELETE / IN_MOVED_* of subdirectories (cgroupfs v1 and v2 deliver
 * them: mkdir/rmdir go through the VFS).  Any such event, a queue
 * overflow, a periodic safety rescan, or a failure to set up inotify
 * (no inotify, watch limit reached) makes the next tick walk the tree. */
#ifndef MEMTOP_DISCOVER_H
#define MEMTOP_DISCOVER_H

#include <stdbool.h>
#include <stdint.h>

#include "sample/cgtable.h"
#include "sample/reader.h"

#define MT_MAX_DEPTH 32

typedef struct {
    int ifd;                    /* inotify fd; -1: walk every tick */
    bool dirty;                 /* walk at the next discover_needed() */
    uint64_t rescan_ns;         /* safety rescan period (0: every tick) */
    uint64_t last_walk_ns;      /* CLOCK_MONOTONIC of the last walk */
    char *level_buf[MT_MAX_DEPTH + 1];  /* getdents buffers, one per depth */
    char *evbuf;                /* inotify event buffer */
    unsigned long walks, skips, events;     /* statistics */
} Discover;

/* use_inotify false: walk every tick (the fallback, also for tests). */
void discover_init(Discover *d, bool use_inotify, double rescan_secs);
void discover_done(Discover *d);

/* Drain pending inotify events; true when the tree must be walked now. */
bool discover_needed(Discover *d, uint64_t now_mono_ns);

/* Walk from memroot_fd; every directory found gets seen_gen = gen, and new
 * or re-created directories get a watch.  Returns the number of cgroups
 * seen, or -errno if the root itself cannot be read.  d may be NULL (plain
 * walk, no watches). */
int discover_walk(Discover *d, CgTable *t, Reader *rd, int memroot_fd, uint64_t gen,
                  uint64_t now_mono_ns);

#endif
