/* carryover.h - the values a read takes over from the cgroup's previous
 * sample instead of reading them again: the composition of a quiet cgroup
 * (reader.h explains when, and for how many reads), the files a read
 * skipped, and configuration between slow reads.  Internal to the reader
 * (reader.c). */
#ifndef MEMTOP_CARRYOVER_H
#define MEMTOP_CARRYOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "sample/fields.h"
#include "sample/memfiles.h"
#include "sample/reader.h"

/* May this read carry the composition files over (the cgroup is quiet)?
 * st holds what the first pass read, prev the previous sample. */
bool carry_composition(const Reader *rd, const CgFiles *f, const ReadState *st,
                       const CgroupSample *prev);

/* After the composition pass: count the reads in a row that carried it
 * (carried), so that it is read again within carry_max reads. */
void carry_count(Reader *rd, CgFiles *f, bool carried);

/* The files this read skipped (st->skipped) keep the values they gave in
 * prev: into s, where this read found nothing.  A skipped peak is at least
 * the usage now; a skipped memsw.usage (no swap on the node) is the usage. */
void carry_skipped(const FileDesc *files, size_t nfiles, const ReadState *st, bool slow,
                   const CgroupSample *prev, CgroupSample *s);

/* A fast read reads no configuration: it keeps prev's values in s. */
void carry_config(const FileDesc *files, size_t nfiles, const CgroupSample *prev,
                  CgroupSample *s);

#endif
