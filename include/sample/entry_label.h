/* entry_label.h - what a cgroup is called: its display label, and how a
 * level above it (where a limit or a risk verdict sits) is named from it.
 * Shared by the risk model (RiskInputs.bind), the sentences, the columns,
 * JSON and the TUI. */
#ifndef MEMTOP_ENTRY_LABEL_H
#define MEMTOP_ENTRY_LABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "sample/cgtable.h"

/* Display label: resolved name, else "<runtime>:<short id>", pod UID, or
 * the last path component; always sanitized. */
char *entry_label(const CgEntry *e, char *buf, size_t len, bool utf8);

/* "this cgroup", "pod <label>", "slice <name>" or the path of b, as seen
 * from self. */
void entry_binding_label(const CgEntry *self, const CgEntry *b, char *buf, size_t len);

#endif
