/* lookup.h - the cgroup a user means by a name on the command line
 * (`memtop --explain QUERY`). */
#ifndef MEMTOP_LOOKUP_H
#define MEMTOP_LOOKUP_H

#include <stddef.h>

#include "sample/model.h"

/* Resolve a query among the live cgroups of m: exact path, display label,
 * container id prefix (>= 4 characters) or pod UID prefix.  0 and *out, or
 * -1 with one line in err (no match, or ambiguous). */
int lookup_cgroup(const Model *m, const char *query, const CgEntry **out, char *err,
                  size_t errlen);

#endif
