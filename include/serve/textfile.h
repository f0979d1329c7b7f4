/* textfile.h - DIR/memtop.prom for node_exporter's textfile collector:
 * each tick the text format is written to a temporary file in DIR and
 * renamed over memtop.prom, so a reader sees the old file or the new one,
 * never half of one. */
#ifndef MEMTOP_TEXTFILE_H
#define MEMTOP_TEXTFILE_H

#include <stddef.h>

#define MT_TEXTFILE_NAME "memtop.prom"

typedef struct {
    int dirfd;
    char dir[4096];
    char tmp[64];               /* ".memtop.prom.<pid>.tmp" */
} TextFile;

/* Check that dir exists and a file can be created there (one is, then
 * removed).  0, or -1 with one line in err. */
int textfile_open(TextFile *t, const char *dir, char *err, size_t errlen);
/* Replace DIR/memtop.prom with data.  0, or -errno with one line in err
 * (the old file stays). */
int textfile_write(TextFile *t, const char *data, size_t len, char *err, size_t errlen);
void textfile_close(TextFile *t);

#endif
