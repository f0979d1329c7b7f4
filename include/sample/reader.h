/* reader.h - read one cgroup's memory files into a CgroupSample.
 *
 * Per-tick files are kept open and re-read with pread() at offset 0, which
 * cgroupfs answers with fresh content; configuration files (limits,
 * swappiness) are read every few ticks with open/read/close.  When the
 * open-file limit is reached the reader falls back to open/read/close for
 * everything.  A read that fails with ENOENT/ENODEV on the cgroup's primary
 * file means the cgroup is gone. */
#ifndef MEMTOP_READER_H
#define MEMTOP_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "sample/fields.h"
#include "sample/layout.h"

#define MT_MAX_FILES 16

typedef struct {
    int fd[MT_MAX_FILES];       /* -1: not open */
    uint32_t missing;           /* bit i: file i does not exist here */
    bool psi_dir_absent;        /* hybrid: no directory for this cgroup in the
                                 * cgroup2 tree (found when its PSI file was
                                 * missing; looked for again with other
                                 * missing files) */
    bool psi_absent_above;      /* an ancestor has no such directory, so
                                 * neither do we: not even tried */
    int dirfd;                  /* the cgroup's directory, lent by the walk
                                 * until the first read opened its files
                                 * (one path component per open instead of
                                 * the whole path); -1 otherwise */
    bool composition_read;      /* the composition files were read once */
    uint8_t carried_ticks;      /* consecutive reads that carried them over */
    bool deferred;              /* a quick read left files for the next read,
                                 * which must then read everything (see
                                 * Reader.quick) */
} CgFiles;

typedef struct {
    int memroot_fd;             /* directory fd of the memory hierarchy */
    int psiroot_fd;             /* hybrid: the cgroup2 mount, else -1 */
    bool api_v1;
    bool keep_fds;              /* false once the fd budget ran out */
    long fd_budget;             /* max fds the reader may keep open */
    long fds_open;
    char *buf;                  /* scratch buffer for file contents */
    unsigned long nreads;       /* statistics: file reads done */
    int node_swap;              /* node has swap: 1, none: 0, unknown: -1 (the
                                 * model sets it from /proc/meminfo) */
    bool retry_missing;         /* slow reads also retry files found missing
                                 * (default true; the model clears it on most
                                 * slow ticks: a failed open is a path walk) */
    int carry_max;              /* a quiet cgroup's composition may be carried
                                 * over this many reads in a row (0: never) */
    unsigned carry_phase;       /* spreads the forced re-reads over ticks */
    bool quick;                 /* this is a quick read (the terminal UI's first
                                 * frame): files neither the table's columns nor
                                 * the first risk verdict use are left for the
                                 * next read (see deferrable() in reader.c) */
} Reader;

/* dirfds stay owned by the caller. */
void reader_init(Reader *rd, int memroot_fd, int psiroot_fd, bool api_v1, long fd_budget);
void reader_done(Reader *rd);

void cgfiles_init(CgFiles *f);
/* Take the open directory fd of a cgroup whose files are not open yet, if
 * the fd budget allows; the next reader_read opens relative to it and then
 * closes it.  Returns false (fd stays the caller's) otherwise. */
bool cgfiles_adopt_dir(Reader *rd, CgFiles *f, int dirfd);
/* Close every kept fd (cgroup vanished or re-created). */
void cgfiles_close(Reader *rd, CgFiles *f);

/* Before reading a child: when its parent has no directory in the hybrid
 * PSI tree, the child's PSI file is not looked for (on a host where the
 * v1 and v2 trees differ that is a failed path walk per cgroup). */
void cgfiles_inherit(CgFiles *child, const CgFiles *parent);

/* Read the cgroup at relpath ("" for the hierarchy root, else "a/b" with no
 * leading slash).  slow: also re-read configuration files.  *out holds the
 * previous sample on entry and is rewritten in full on success.
 *
 * The composition (memory.stat, and v1's kmem usage) costs several times
 * all other per-tick files together (memory.stat is formatted by the
 * kernel on every read: ~14 us against ~3 us for a one-number file).  It
 * is carried over from *out, unread, while the cgroup is quiet: usage,
 * events, failcnt, PSI and limits all read as last time.  At most
 * carry_max reads in a row, so the composition, and the counters in it
 * (faults, refaults), are never older than carry_max ticks.
 *
 * Returns 0 when everything was read, MT_READ_CARRIED when the composition
 * was carried over (its counters' rates should then be computed between
 * the reads that really read them), -ENOENT when the cgroup is gone. */
#define MT_READ_CARRIED 1

/* The largest carry_max memtop uses (a replay seeks back far enough for it). */
#define MT_CARRY_MAX 4
int reader_read(Reader *rd, CgFiles *f, const char *relpath, bool slow, bool is_root,
                CgroupSample *out);

#endif
