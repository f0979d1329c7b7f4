/* recenc.c - Model ticks -> recording frames (format in README.md). */
#include "config.h"

#include "record/recenc.h"

#include <stdlib.h>
#include <string.h>

#include "util/crc32.h"
#include "util/strhash.h"
#include "util/xalloc.h"

struct RecSlot {
    char *path;
    uint64_t inode;
    uint32_t index;
    bool gone;                  /* last written state */
    bool seen;                  /* listed in the frame being built */
    CgroupSample prev;          /* last written values; zero when new */
    char *dname;                /* last written display name, or NULL */
    RecSlot *next;              /* hash chain */
};

void recenc_init(RecEncoder *enc, uint32_t keyframe_every)
{
    memset(enc, 0, sizeof(*enc));
    enc->nbuckets = 1024;
    enc->buckets = xcalloc(enc->nbuckets, sizeof(RecSlot *));
    enc->keyframe_every = keyframe_every ? keyframe_every : 150;
}

static void slot_free(RecSlot *s)
{
    free(s->path);
    free(s->dname);
    free(s);
}

/* Free the slots for which keep is false (all when keep_seen is false). */
static void slots_prune(RecEncoder *enc, bool keep_seen)
{
    for (size_t b = 0; b < enc->nbuckets; b++) {
        RecSlot **pp = &enc->buckets[b];
        while (*pp) {
            RecSlot *s = *pp;
            if (keep_seen && s->seen) {
                s->seen = false;
                pp = &s->next;
                continue;
            }
            *pp = s->next;
            slot_free(s);
            enc->nslots--;
        }
    }
}

void recenc_done(RecEncoder *enc)
{
    if (!enc->buckets)
        return;
    slots_prune(enc, false);
    free(enc->buckets);
    memset(enc, 0, sizeof(*enc));
}

void recenc_force_keyframe(RecEncoder *enc)
{
    enc->force_keyframe = true;
}

static RecSlot *slot_find(const RecEncoder *enc, const char *path)
{
    RecSlot *s = enc->buckets[strhash(path) & (enc->nbuckets - 1)];
    for (; s; s = s->next)
        if (strcmp(s->path, path) == 0)
            return s;
    return NULL;
}

static void slot_unlink(RecEncoder *enc, RecSlot *victim)
{
    RecSlot **pp = &enc->buckets[strhash(victim->path) & (enc->nbuckets - 1)];
    for (; *pp; pp = &(*pp)->next) {
        if (*pp == victim) {
            *pp = victim->next;
            slot_free(victim);
            enc->nslots--;
            return;
        }
    }
}

static void rehash(RecEncoder *enc)
{
    size_t nb = enc->nbuckets * 2;
    RecSlot **b = xcalloc(nb, sizeof(RecSlot *));

    for (size_t i = 0; i < enc->nbuckets; i++) {
        RecSlot *s = enc->buckets[i];
        while (s) {
            RecSlot *next = s->next;
            size_t h = strhash(s->path) & (nb - 1);
            s->next = b[h];
            b[h] = s;
            s = next;
        }
    }
    free(enc->buckets);
    enc->buckets = b;
    enc->nbuckets = nb;
}

static RecSlot *slot_new(RecEncoder *enc, const CgEntry *e)
{
    RecSlot *s = xcalloc(1, sizeof(*s));

    s->path = xstrdup(e->path);
    s->inode = e->inode;
    s->index = enc->next_index++;
    if (++enc->nslots > enc->nbuckets)
        rehash(enc);
    size_t h = strhash(s->path) & (enc->nbuckets - 1);
    s->next = enc->buckets[h];
    enc->buckets[h] = s;
    return s;
}

void recenc_header(const Model *m, RecBuf *out)
{
    RecBuf body = { 0 };
    const TickTime *tt = model_tick_time(m, m->seq);

    recbuf_string(&body, "memtop " PACKAGE_VERSION);
    recbuf_string(&body, m->hostname);
    recbuf_string(&body, m->kernel);
    recbuf_string(&body, layout_mode_name(m->layout.mode));
    recbuf_varint(&body, m->layout.api_v1);
    recbuf_varint(&body, (uint64_t)(m->opt.interval * 1e6 + 0.5));
    recbuf_varint(&body, (uint64_t)(m->opt.tomb_secs * 1e3 + 0.5));
    recbuf_varint(&body, m->opt.history);
    recbuf_varint(&body, (uint64_t)(m->node.pagesize > 0 ? m->node.pagesize : 4096));
    recbuf_f64(&body, tt ? tt->real : 0);
    recbuf_varint(&body, MT_F_COUNT);
    for (int f = 0; f < MT_F_COUNT; f++) {
        recbuf_string(&body, field_key((MtField)f));
        recbuf_varint(&body, field_unit((MtField)f));
    }
    recbuf_varint(&body, REC_NODE_COUNT);
    for (int f = 0; f < REC_NODE_COUNT; f++) {
        recbuf_string(&body, rec_node_key((RecNodeField)f));
        recbuf_varint(&body, f < MEMINFO_NFIELDS ? MT_U_BYTES
                             : (f == REC_NODE_PSI_SOME_TOTAL || f == REC_NODE_PSI_FULL_TOTAL)
                             ? MT_U_USEC : MT_U_PCT100);
    }
    size_t start = out->len;
    recbuf_put(out, REC_MAGIC, REC_MAGIC_LEN);
    recbuf_u16le(out, REC_VERSION_MAJOR);
    recbuf_u16le(out, REC_VERSION_MINOR);
    recbuf_u32le(out, (uint32_t)body.len);
    recbuf_put(out, body.p, body.len);
    /* CRC over version, length and body. */
    recbuf_u32le(out, crc32_update(0, out->p + start + REC_MAGIC_LEN, 8 + body.len));
    recbuf_free(&body);
}

static void put_class(RecBuf *b, const CgClass *c)
{
    recbuf_varint(b, c->kind);
    recbuf_varint(b, c->sub);
    recbuf_varint(b, c->runtime);
    recbuf_varint(b, c->qos);
    recbuf_varint(b, (c->in_kubepods ? 1u : 0) | (c->in_container ? 2u : 0) |
                     (c->in_user ? 4u : 0) | (c->machine_slice ? 8u : 0));
    recbuf_varint(b, (uint64_t)(c->container_depth + 1));
    recbuf_string(b, c->id);
    recbuf_string(b, c->pod_uid);
}

/* "cgroup appeared": index, parent reference, path, inode, class. */
static void put_new(RecEncoder *enc, RecBuf *b, const CgEntry *e, const RecSlot *s)
{
    const RecSlot *ps = e->parent ? slot_find(enc, e->parent->path) : NULL;

    recbuf_varint(b, s->index);
    recbuf_varint(b, ps ? (uint64_t)ps->index + 1 : 0);
    recbuf_string(b, ps ? e->name : e->path);   /* component, or the full path */
    recbuf_varint(b, e->inode);
    put_class(b, &e->cls);
}

static void put_values(RecBuf *b, const uint64_t *v, const uint64_t *prev, int n)
{
    uint64_t changed = 0;

    for (int f = 0; f < n; f++)
        if (v[f] != prev[f])
            changed |= UINT64_C(1) << f;
    recbuf_varint(b, changed);
    for (int f = 0; f < n; f++)
        if (changed & (UINT64_C(1) << f))
            recbuf_value(b, v[f], prev[f]);
}

static bool str_differs(const char *a, const char *b)
{
    if (!a || !b)
        return a != b;
    return strcmp(a, b) != 0;
}

static void put_entry(const Model *m, RecBuf *b, const CgEntry *e, RecSlot *s, int64_t *last)
{
    bool sampled = e->state == MT_STATE_LIVE && e->has_cur && e->cur_seq == m->seq;
    uint64_t flags = (e->state == MT_STATE_GONE ? REC_E_GONE : 0) |
                     (e->has_cur ? REC_E_HAS_CUR : 0) |
                     (e->unaccounted ? REC_E_UNACCOUNTED : 0) |
                     (sampled ? REC_E_SAMPLED : 0) |
                     (sampled && e->carried ? REC_E_CARRIED : 0);

    if (str_differs(e->display_name, s->dname))
        flags |= REC_E_NAME;
    if (sampled && e->cur.valid != s->prev.valid)
        flags |= REC_E_VALID;
    int64_t gap = (int64_t)s->index - *last - 1;
    recbuf_varint(b, ((uint64_t)gap << 1) ^ (uint64_t)(gap >> 63));
    *last = s->index;
    recbuf_varint(b, flags);
    if (flags & REC_E_NAME) {
        recbuf_string(b, e->display_name);
        free(s->dname);
        s->dname = e->display_name ? xstrdup(e->display_name) : NULL;
    }
    if (flags & REC_E_VALID)
        recbuf_varint(b, e->cur.valid);
    if (sampled) {
        put_values(b, e->cur.v, s->prev.v, MT_F_COUNT);
        s->prev = e->cur;
    }
    s->gone = e->state == MT_STATE_GONE;
}

static void put_node(RecEncoder *enc, const Model *m, RecBuf *b)
{
    uint64_t vals[REC_NODE_COUNT], present, flags;

    rec_node_pack(m->node.mem_valid, &m->node.mem, m->node.psi_valid, &m->node.psi, vals,
                  &present, &flags);
    recbuf_varint(b, flags);
    recbuf_varint(b, present);
    put_values(b, vals, enc->prev_node, REC_NODE_COUNT);
    memcpy(enc->prev_node, vals, sizeof(vals));
}

void recenc_frame(RecEncoder *enc, const Model *m, RecBuf *out, bool *keyframe)
{
    bool key = enc->force_keyframe || enc->frames == 0 || enc->frames >= enc->keyframe_every;
    const TickTime *tt = model_tick_time(m, m->seq);
    RecBuf pay = { 0 }, news = { 0 }, ents = { 0 };
    uint64_t nnew = 0, nents = 0;
    int64_t last = -1;

    if (key) {
        slots_prune(enc, false);
        enc->next_index = 0;
        memset(enc->prev_node, 0, sizeof(enc->prev_node));
        enc->prev_mono = 0;
        enc->frames = 0;
        enc->force_keyframe = false;
    }
    enc->frames++;
    uint64_t mono = tt ? tt->mono_ns : 0;
    int64_t dmono = (int64_t)(mono - enc->prev_mono);
    enc->prev_mono = mono;

    recbuf_varint(&pay, REC_KIND_TICK);
    recbuf_varint(&pay, key ? REC_FF_KEYFRAME : 0);
    recbuf_varint(&pay, m->seq);
    recbuf_f64(&pay, tt ? tt->real : 0);
    recbuf_varint(&pay, ((uint64_t)dmono << 1) ^ (uint64_t)(dmono >> 63));
    put_node(enc, m, &pay);

    for (size_t i = 0; i < m->table.n; i++) {
        const CgEntry *e = m->table.entries[i];
        RecSlot *s = slot_find(enc, e->path);
        if (s && (s->inode != e->inode || (s->gone && e->state == MT_STATE_LIVE))) {
            slot_unlink(enc, s);        /* a new incarnation: new index */
            s = NULL;
        }
        if (!s) {
            s = slot_new(enc, e);
            put_new(enc, &news, e, s);
            nnew++;
        }
        s->seen = true;
        put_entry(m, &ents, e, s, &last);
        nents++;
    }
    slots_prune(enc, true);         /* cgroups the model swept */

    recbuf_varint(&pay, nnew);
    recbuf_put(&pay, news.p, news.len);
    recbuf_varint(&pay, nents);
    recbuf_put(&pay, ents.p, ents.len);

    size_t start = out->len;
    recbuf_put(out, REC_SYNC, REC_SYNC_LEN);
    recbuf_u32le(out, (uint32_t)pay.len);
    uint32_t crc = crc32_update(0, out->p + start + REC_SYNC_LEN, 4);
    recbuf_u32le(out, crc32_update(crc, pay.p, pay.len));
    recbuf_put(out, pay.p, pay.len);
    recbuf_free(&pay);
    recbuf_free(&news);
    recbuf_free(&ents);
    if (keyframe)
        *keyframe = key;
}
