/* cgtable.c - the cgroup table: hash by path plus ordered vector. */
#include "config.h"

#include "sample/cgtable.h"

#include <stdlib.h>
#include <string.h>

#include "util/strhash.h"
#include "util/xalloc.h"

void cgtable_init(CgTable *t, uint32_t hist_cap)
{
    memset(t, 0, sizeof(*t));
    t->hist_cap = hist_cap;
    t->nbuckets = 1024;
    t->buckets = xcalloc(t->nbuckets, sizeof(CgEntry *));
}

static void entry_free(CgTable *t, Reader *rd, CgEntry *e)
{
    if (t->on_free)
        t->on_free(e, t->on_free_ctx);
    if (rd)
        cgfiles_close(rd, &e->files);
    hist_done(&e->hist);
    free(e->display_name);
    free(e->path);
    free(e);
}

void cgtable_done(CgTable *t, Reader *rd)
{
    for (size_t i = 0; i < t->n; i++)
        entry_free(t, rd, t->entries[i]);
    free(t->entries);
    free(t->buckets);
    memset(t, 0, sizeof(*t));
}

CgEntry *cgtable_find(const CgTable *t, const char *path)
{
    CgEntry *e = t->buckets[strhash(path) & (t->nbuckets - 1)];
    for (; e; e = e->hnext)
        if (strcmp(e->path, path) == 0)
            return e;
    return NULL;
}

static void rehash(CgTable *t)
{
    size_t nb = t->nbuckets * 2;
    CgEntry **b = xcalloc(nb, sizeof(CgEntry *));

    for (size_t i = 0; i < t->n; i++) {
        CgEntry *e = t->entries[i];
        size_t h = strhash(e->path) & (nb - 1);
        e->hnext = b[h];
        b[h] = e;
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}

CgEntry *cgtable_add(CgTable *t, const char *path, CgEntry *parent)
{
    CgEntry *e = xcalloc(1, sizeof(*e));

    e->path = xstrdup(path);
    const char *slash = strrchr(e->path, '/');
    e->name = parent ? slash + 1 : e->path + 1;
    e->parent = parent;
    e->depth = parent ? parent->depth + 1 : 0;
    cgfiles_init(&e->files);
    hist_init(&e->hist, t->hist_cap);

    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->entries = xreallocarray(t->entries, t->cap, sizeof(CgEntry *));
    }
    e->index = t->n;
    t->entries[t->n++] = e;
    if (t->n > t->nbuckets)
        rehash(t);
    else {
        size_t h = strhash(e->path) & (t->nbuckets - 1);
        e->hnext = t->buckets[h];
        t->buckets[h] = e;
    }
    return e;
}

static void unlink_hash(CgTable *t, CgEntry *e)
{
    CgEntry **pp = &t->buckets[strhash(e->path) & (t->nbuckets - 1)];
    for (; *pp; pp = &(*pp)->hnext) {
        if (*pp == e) {
            *pp = e->hnext;
            return;
        }
    }
}

void cgtable_remove_if(CgTable *t, Reader *rd, bool (*remove)(const CgEntry *e, void *ctx),
                       void *ctx)
{
    size_t w = 0;
    size_t nremoved = 0;

    /* Children first: a parent is never freed while a child points to it,
     * because a child always vanishes with (or before) its parent and we
     * re-parent nothing; check in reverse so children go first. */
    for (size_t i = t->n; i-- > 0;) {
        CgEntry *e = t->entries[i];
        if (remove(e, ctx)) {
            for (size_t j = i + 1; j < t->n; j++) {
                CgEntry *c = t->entries[j];
                if (c && c->parent == e)
                    c->parent = NULL;   /* orphaned tombstone (should not happen) */
                if (c && c->container == e)
                    c->container = NULL;
                if (c && c->pod == e)
                    c->pod = NULL;
            }
            unlink_hash(t, e);
            entry_free(t, rd, e);
            t->entries[i] = NULL;
            nremoved++;
        }
    }
    if (!nremoved)
        return;
    for (size_t i = 0; i < t->n; i++) {
        if (t->entries[i]) {
            t->entries[i]->index = w;
            t->entries[w++] = t->entries[i];
        }
    }
    t->n = w;
}

void cgtable_reset_entry(CgTable *t, Reader *rd, CgEntry *e)
{
    (void)t;
    cgfiles_close(rd, &e->files);
    hist_reset(&e->hist);
    memset(&e->cur, 0, sizeof(e->cur));
    memset(&e->prev, 0, sizeof(e->prev));
    memset(&e->d, 0, sizeof(e->d));
    e->has_cur = e->has_prev = false;
    e->names_gen = 0;           /* a re-created cgroup is looked up again */
    e->state = MT_STATE_LIVE;
}
