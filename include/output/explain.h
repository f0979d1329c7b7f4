/* explain.h - one container's memory in plain sentences (SPEC 5.5), shared
 * by the TUI detail pane, `memtop --explain` and JSON.  Curses-free.
 *
 * The composition sentences are always produced; the risk verdict (level,
 * rule sentences: output/risk_text.h) is added when there is one. */
#ifndef MEMTOP_EXPLAIN_H
#define MEMTOP_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sample/model.h"

#define MT_EXPLAIN_MAX 32       /* sentences */
#define MT_EXPLAIN_LEN 320      /* bytes per sentence, NUL included */

typedef struct {
    char level[16];             /* "OK", "WATCH", "HIGH", "CRITICAL"; "" = no verdict yet */
    bool node_level;            /* verdict against the node (no finite limit) */
    size_t n;
    char line[MT_EXPLAIN_MAX][MT_EXPLAIN_LEN];  /* UTF-8, sanitized, no newlines */
} Explanation;

/* Fill *out for entry e (any cgroup; containers and pods are the usual
 * case).  Never fails: unknown values are left out of the sentences. */
void explain_entry(const Model *m, const CgEntry *e, Explanation *out);

/* The detail pane's text for `memtop --explain`: identity, level, then one
 * sentence per line. */
void explain_print(FILE *f, const Model *m, const CgEntry *e);

/* Append one formatted sentence (printf-style); ignored when full. */
void explain_add(Explanation *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
