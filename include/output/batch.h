/* batch.h - top -b style text output: a two-line node header and one
 * row per listed cgroup.  Sizes in IEC units (raw: bytes), "-" for unknown,
 * "max" for unlimited.  Every string is sanitized. */
#ifndef MEMTOP_OUT_BATCH_H
#define MEMTOP_OUT_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "output/columns.h"
#include "sample/model.h"

/* Extra columns later layers may append (e.g. RISK): header, width, and a
 * callback producing the cell text. */
typedef struct {
    const char *header;
    int width;
    void (*cell)(const Model *m, const CgEntry *e, char *buf, size_t len, void *ctx);
    void *ctx;
} BatchExtraColumn;

typedef struct {
    MtShow show;
    MtColumn sort;
    bool reverse;
    bool raw;
    bool header;                /* print the node header lines */
    const BatchExtraColumn *extra;
    size_t nextra;
} BatchOptions;

int out_batch_write(FILE *f, const Model *m, const BatchOptions *o);

#endif
