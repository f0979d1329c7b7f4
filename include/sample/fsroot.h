/* fsroot.h - small-file reads relative to directory fds.  memtop never uses
 * absolute paths below main.c: everything is opened with openat() against
 * the --root directory (or a cgroup mount below it), so tests can point the
 * same code at a fixture tree.  All files are opened O_RDONLY: memtop never
 * writes to cgroupfs or procfs. */
#ifndef MEMTOP_FSROOT_H
#define MEMTOP_FSROOT_H

#include <stddef.h>
#include <sys/types.h>

/* Read up to len-1 bytes of dirfd/rel into buf and NUL-terminate it.
 * Returns the byte count or -errno. */
ssize_t fs_read_at(int dirfd, const char *rel, char *buf, size_t len);

/* pread() at offset 0 of an already open fd (cgroupfs regenerates the
 * content on every read from offset 0); NUL-terminates.  Returns the byte
 * count or -errno. */
ssize_t fs_pread0(int fd, char *buf, size_t len);

/* Open dirfd/rel read-only (O_CLOEXEC); -errno on failure. */
int fs_open_at(int dirfd, const char *rel, int extra_flags);

/* Raise RLIMIT_NOFILE's soft limit towards want (never above the hard
 * limit).  Returns the resulting soft limit. */
long fs_raise_nofile(long want);

#endif
