/* lookup.c - a cgroup by the name, id or path a user gave (--explain). */
#include "config.h"

#include "output/lookup.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sample/entry_label.h"

static bool prefix_match(const char *id, const char *q)
{
    size_t n = strlen(q);
    return n >= 4 && id[0] && strncmp(id, q, n) == 0;
}

static bool matches(const CgEntry *e, const char *q)
{
    char label[512];

    if (strcmp(entry_label(e, label, sizeof(label), true), q) == 0)
        return true;
    if (e->display_name && strcmp(e->display_name, q) == 0)
        return true;
    if (e->cls.sub == MT_SUB_INSIDE)
        return false;
    if (e->cls.kind == MT_KIND_CONTAINER && prefix_match(e->cls.id, q))
        return true;
    return e->cls.kind == MT_KIND_POD && prefix_match(e->cls.pod_uid, q);
}

int lookup_cgroup(const Model *m, const char *q, const CgEntry **out, char *err, size_t errlen)
{
    const CgEntry *first = NULL, *second = NULL;
    size_t n = 0;

    for (size_t i = 0; i < m->table.n; i++) {
        const CgEntry *e = m->table.entries[i];
        if (e->state != MT_STATE_LIVE)
            continue;
        if (strcmp(e->path, q) == 0) {
            *out = e;
            return 0;
        }
        if (matches(e, q)) {
            if (n == 0)
                first = e;
            else if (n == 1)
                second = e;
            n++;
        }
    }
    if (n == 1) {
        *out = first;
        return 0;
    }
    if (n == 0) {
        snprintf(err, errlen, "no container matches '%s' (give a name, an id prefix of at "
                              "least 4 characters, or a cgroup path)", q);
    } else {
        snprintf(err, errlen, "'%s' is ambiguous: %zu cgroups match (%s, %s%s); give the path",
                 q, n, first->path, second->path, n > 2 ? ", ..." : "");
    }
    return -1;
}
