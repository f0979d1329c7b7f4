/* memfiles.h - the memory files of one cgroup, v1 and v2, as the reader
 * sees them: the name, how the text is parsed into value slots, whether it
 * is configuration (read on slow reads) and when a fast read may skip it;
 * and what one read collected.  Internal to the reader (reader.c,
 * carryover.c). */
#ifndef MEMTOP_MEMFILES_H
#define MEMTOP_MEMFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/fields.h"
#include "sample/parse.h"

/* Scratch slots past the sample's own fields, for values we only combine. */
enum {
    X_KSTACK = MT_F_COUNT, X_PAGETABLES, X_SECPT, X_PERCPU, X_SLAB, X_VMALLOC,
    X_REFAULT_OLD, X_SLOT_MAX
};
_Static_assert(X_SLOT_MAX <= 64, "parse slots must fit a uint64_t mask");

typedef enum {
    P_STAT,         /* flat keyed through the file's key map */
    P_VALUE,        /* single value -> field */
    P_LIMIT,        /* single value or "max" -> field, unlimited sentinel */
    P_PSI,
} ParseKind;

typedef struct {
    const char *name;
    ParseKind kind;
    int field;              /* P_VALUE/P_LIMIT target */
    KeySlot *map;           /* P_STAT */
    size_t nmap;
    bool slow;              /* configuration: read every few ticks */
    bool primary;           /* failure with ENOENT means the cgroup is gone */
    bool psi_tree;          /* lives in the cgroup2 tree on hybrid hosts */
    int when;               /* W_*: when a fast tick may skip it */
} FileDesc;

/* Files whose value cannot change (or need not be re-read) on a fast tick
 * under a condition we know; a skipped file keeps its previous value (or
 * the derived one).  Slow ticks and a cgroup's first read read everything,
 * so a changed configuration is picked up within slow_every ticks.  At a
 * thousand cgroups each small cgroupfs read is ~3 us of kernel time. */
enum {
    W_ALWAYS,
    W_OWN_LIMIT,        /* failcnt: only this cgroup's own limit counts hits */
    W_OWN_SWAP_LIMIT,   /* memsw.failcnt: likewise for the memsw/swap limit */
    W_NODE_SWAP,        /* v2 swap counters: no swap on the node -> they stay 0 */
    W_MEMSW,            /* v1 memsw.usage: no swap on the node -> equals usage (every
                         * charge goes to both counters), so it is never read,
                         * not even on a first or slow read */
    W_PEAK,             /* peak: read on slow ticks; in between it is the larger of
                         * the last peak read and the usage now (a spike between
                         * two ticks shows up on the next slow tick) */
    W_NONZERO,          /* v1 tcp kmem: stays 0 until tcp accounting is activated */
    W_QUIET,            /* composition (memory.stat, v1 kmem usage): while the
                         * cgroup is quiet - every other file read this tick
                         * gave the values it gave last tick - it is carried
                         * over for up to carry_max ticks (see reader.h) */
};

/* What one reader_read collected so far. */
typedef struct {
    uint64_t vals[64];
    uint64_t found;             /* bit: vals[slot] was read this time */
    int primary_ok, primary_gone;
    uint32_t skipped;           /* bit i: file i skipped, its values carried over */
} ReadState;

/* Sort the key maps (parse_keyed looks keys up in strcmp order); once. */
void memfiles_init(void);

/* The files of the v1 or of the v2 interface; *n gets how many. */
const FileDesc *memfiles_table(bool api_v1, size_t *n);

/* Parse the text of file d (len bytes) into vals; a bit per slot set in
 * *found. */
void memfiles_parse(const FileDesc *d, const char *buf, size_t len, uint64_t *vals,
                    uint64_t *found);

#endif
