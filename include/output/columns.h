/* columns.h - the table columns, declared once: header, width, sort key
 * name, value getter.  The batch table, the TUI table, --sort parsing and
 * the sort comparator all read this table. */
#ifndef MEMTOP_COLUMNS_H
#define MEMTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "sample/cgtable.h"
#include "sample/entry_label.h"

typedef enum {
    MT_COL_NAME,
    MT_COL_WS,
    MT_COL_LIMIT,
    MT_COL_WS_PCT,
    MT_COL_USAGE,
    MT_COL_ANON,
    MT_COL_FILE,
    MT_COL_SHMEM,
    MT_COL_ACTIVE_ANON,
    MT_COL_INACTIVE_ANON,
    MT_COL_ACTIVE_FILE,
    MT_COL_INACTIVE_FILE,
    MT_COL_SWAP,
    MT_COL_PGFAULT,
    MT_COL_MAJFAULT,
    MT_COL_RISK,                /* OOM-risk level (analysis.h) */
    MT_COL_PATH,
    MT_COL_MAX
} MtColumn;

typedef enum {
    MT_FMT_TEXT,
    MT_FMT_BYTES,
    MT_FMT_PCT,
    MT_FMT_RATE,
} MtColFormat;

typedef struct {
    MtColumn id;
    const char *header;         /* as printed */
    const char *key;            /* --sort name */
    const char *alias;          /* second accepted --sort name, or NULL */
    int width;                  /* natural width in characters */
    MtColFormat fmt;
    bool descending;            /* default direction when sorting by it */
    const char *help;           /* one line for --help / the help screen */
} Column;

const Column *column_get(MtColumn id);
/* Column by --sort name (case-insensitive), NULL if unknown. */
const Column *column_by_key(const char *key);

/* Numeric value of a column for an entry; false when unknown.  For sorting
 * and scaling: an unlimited LIMIT is +inf; byte counts above 2^53 round. */
bool column_value(MtColumn id, const CgEntry *e, double *out);
/* Exact value of a byte column (MT_FMT_BYTES) in bytes; MT_UNLIMITED for
 * an unlimited LIMIT.  False when unknown or not a byte column. */
bool column_bytes(MtColumn id, const CgEntry *e, uint64_t *out);
/* Text of a cell (units formatted, name sanitized); raw prints exact byte
 * counts (PRIu64), an unlimited LIMIT as "max" in both modes. */
char *column_text(MtColumn id, const CgEntry *e, bool raw, char *buf, size_t len);

/* Which entries a listing shows. */
typedef enum {
    MT_SHOW_CONTAINERS,         /* containers, pods (and their tombstones) */
    MT_SHOW_ALL,                /* every cgroup */
} MtShow;

bool listing_wants(const CgEntry *e, MtShow show);

/* Fill out (capacity cap) with borrowed entries of t that show, sorted by
 * column (descending unless reverse flips the column's default).  Ties and
 * unknown values: unknown last, then by path.  Returns the count. */
size_t listing_build(const CgTable *t, MtShow show, MtColumn sort, bool reverse,
                     const CgEntry **out, size_t cap);

/* Comparator used by listing_build (exposed for tests and the TUI). */
int listing_compare(const CgEntry *a, const CgEntry *b, MtColumn sort, bool reverse);

#endif
