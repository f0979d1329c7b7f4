/* discover.h - walk the memory hierarchy and keep the table in step:
 * new directories become entries (classified once), known ones are marked
 * seen in this generation, re-created ones (new inode) are reset. */
#ifndef MEMTOP_DISCOVER_H
#define MEMTOP_DISCOVER_H

#include "cgtable.h"
#include "reader.h"

#define MT_MAX_DEPTH 32

/* Walk from memroot_fd; every directory found gets seen_gen = gen.
 * Returns the number of cgroups seen, or -errno if the root itself cannot
 * be opened. */
int discover_walk(CgTable *t, Reader *rd, int memroot_fd, uint64_t gen);

#endif
