/* recdec.c - recording bytes -> frames, robust against any input. */
#include "config.h"

#include "record/recdec.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/crc32.h"
#include "util/xalloc.h"

#define REC_PATH_MAX 4096

/* The fuzz target is built with REC_FUZZ_IGNORE_CRC so that mutated inputs
 * reach the decoder instead of failing the checksum (as libpng's fuzzers
 * do); the checksum is then only computed. */
#ifdef REC_FUZZ_IGNORE_CRC
#define CRC_DIFFERS(a, b) ((void)(a), (void)(b), false)
#else
#define CRC_DIFFERS(a, b) ((a) != (b))
#endif

static void slots_clear(RecDecoder *d)
{
    for (size_t i = 0; i < d->nslots; i++) {
        free(d->slots[i].path);
        free(d->slots[i].display_name);
    }
    d->nslots = 0;
    memset(d->prev_node, 0, sizeof(d->prev_node));
    d->prev_mono = 0;
}

void recdec_close(RecDecoder *d)
{
    slots_clear(d);
    free(d->slots);
    free(d->frame.ent);
    memset(d, 0, sizeof(*d));
}

/* Parse the header body; fills h.  false when malformed. */
static bool parse_header_body(RecCur *c, RecHeader *h)
{
    char key[128];
    uint64_t v, n;
    if (!reccur_string(c, h->writer, sizeof(h->writer) - 1) ||
        !reccur_string(c, h->hostname, sizeof(h->hostname) - 1) ||
        !reccur_string(c, h->kernel, sizeof(h->kernel) - 1) ||
        !reccur_string(c, h->mode, sizeof(h->mode) - 1) || !reccur_varint(c, &v))
        return false;
    h->api_v1 = v != 0;
    if (!reccur_varint(c, &v))
        return false;
    h->interval = (double)v / 1e6;
    if (!reccur_varint(c, &v))
        return false;
    h->tomb_secs = (double)v / 1e3;
    if (!reccur_varint(c, &v))
        return false;
    h->history = v > 100000 ? 100000 : (uint32_t)v;
    if (!reccur_varint(c, &v))
        return false;
    h->pagesize = v > (1u << 30) ? 4096 : (long)v;
    if (!reccur_f64(c, &h->created) || !reccur_varint(c, &n) || n > REC_MAX_FIELDS)
        return false;
    h->nfields = (int)n;
    for (int i = 0; i < h->nfields; i++) {
        if (!reccur_string(c, key, sizeof(key) - 1) || !reccur_varint(c, &v))
            return false;
        h->fmap[i] = field_by_key(key);
    }
    if (!reccur_varint(c, &n) || n > REC_MAX_FIELDS)
        return false;
    h->nnode = (int)n;
    for (int i = 0; i < h->nnode; i++) {
        if (!reccur_string(c, key, sizeof(key) - 1) || !reccur_varint(c, &v))
            return false;
        h->nmap[i] = rec_node_by_key(key);
    }
    /* Later minor versions may append more: ignored. */
    return true;
}

typedef enum { HDR_OK, HDR_SHORT, HDR_FUTURE, HDR_BAD } HdrStatus;

/* Header at buf[pos]; *size gets its total size. */
static HdrStatus parse_header(const uint8_t *buf, size_t len, size_t pos, RecHeader *h,
                              size_t *size)
{
    size_t avail = len - pos;

    if (avail < REC_MAGIC_LEN + 8)
        return HDR_SHORT;
    const uint8_t *p = buf + pos;
    memset(h, 0, sizeof(*h));
    h->major = rec_get_u16le(p + REC_MAGIC_LEN);
    h->minor = rec_get_u16le(p + REC_MAGIC_LEN + 2);
    uint32_t blen = rec_get_u32le(p + REC_MAGIC_LEN + 4);
    if (h->major > REC_VERSION_MAJOR)
        return HDR_FUTURE;
    if (h->major == 0 || blen > REC_HEADER_MAX)
        return HDR_BAD;
    if (avail - (REC_MAGIC_LEN + 8) < (size_t)blen + 4)
        return HDR_SHORT;
    uint32_t crc = crc32_update(0, p + REC_MAGIC_LEN, 8 + (size_t)blen);
    if (CRC_DIFFERS(crc, rec_get_u32le(p + REC_MAGIC_LEN + 8 + blen)))
        return HDR_BAD;
    RecCur c = { p + REC_MAGIC_LEN + 8, p + REC_MAGIC_LEN + 8 + blen, false };
    if (!parse_header_body(&c, h))
        return HDR_BAD;
    *size = REC_MAGIC_LEN + 8 + (size_t)blen + 4;
    return HDR_OK;
}

int recdec_open(RecDecoder *d, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    size_t size = 0;

    memset(d, 0, sizeof(*d));
    d->buf = buf;
    d->len = len;
    if (len == 0) {
        snprintf(err, errlen, "empty file, not a memtop recording");
        return -1;
    }
    if (len < REC_MAGIC_LEN ? memcmp(buf, REC_MAGIC, len) != 0
                            : memcmp(buf, REC_MAGIC, REC_MAGIC_LEN) != 0) {
        snprintf(err, errlen, "not a memtop recording (bad magic)");
        return -1;
    }
    switch (parse_header(buf, len, 0, &d->hdr, &size)) {
    case HDR_OK:
        break;
    case HDR_SHORT:
        snprintf(err, errlen, "truncated recording: the file ends inside its header (%zu bytes)", len);
        return -1;
    case HDR_FUTURE:
        snprintf(err, errlen, "recorded by a newer memtop (format version %u.%u); this memtop "
                 "reads version %d", d->hdr.major, d->hdr.minor, REC_VERSION_MAJOR);
        return -1;
    case HDR_BAD:
        snprintf(err, errlen, "damaged recording header (checksum or content)");
        return -1;
    }
    d->pos = size;
    return 0;
}

/* Is there an intact frame or header at pos? *size gets its size. */
static bool valid_at(const RecDecoder *d, size_t pos, size_t *size)
{
    size_t avail = d->len - pos;

    if (avail >= REC_MAGIC_LEN && memcmp(d->buf + pos, REC_MAGIC, REC_MAGIC_LEN) == 0) {
        RecHeader h;
        HdrStatus st = parse_header(d->buf, d->len, pos, &h, size);
        return st == HDR_OK || st == HDR_FUTURE;
    }
    if (avail < REC_FRAME_OVERHEAD || memcmp(d->buf + pos, REC_SYNC, REC_SYNC_LEN) != 0)
        return false;
    uint32_t n = rec_get_u32le(d->buf + pos + 4);
    if (n > REC_FRAME_MAX || avail - REC_FRAME_OVERHEAD < n)
        return false;
    uint32_t crc = crc32_update(0, d->buf + pos + 4, 4);
    crc = crc32_update(crc, d->buf + pos + REC_FRAME_OVERHEAD, n);
    if (CRC_DIFFERS(crc, rec_get_u32le(d->buf + pos + 8)))
        return false;
    *size = REC_FRAME_OVERHEAD + n;
    return true;
}

/* Skip damage starting at d->pos: find the next intact frame or header. */
static RecNext damage(RecDecoder *d, const char *what)
{
    size_t start = d->pos, p = start + 1, size;

    for (; p < d->len; p++)
        if ((d->buf[p] == 0xF7 || d->buf[p] == 0x89) && valid_at(d, p, &size))
            break;
    if (p > d->len)
        p = d->len;
    d->damage_at = start;
    d->damage_len = p - start;
    snprintf(d->damage, sizeof(d->damage), "%s", what);
    d->pos = p;
    d->have_key = false;
    return REC_DAMAGE;
}

static bool get_class(RecCur *c, CgClass *cls)
{
    uint64_t kind, sub, rt, qos, fl, depth;

    memset(cls, 0, sizeof(*cls));
    if (!reccur_varint(c, &kind) || !reccur_varint(c, &sub) || !reccur_varint(c, &rt) ||
        !reccur_varint(c, &qos) || !reccur_varint(c, &fl) || !reccur_varint(c, &depth) ||
        !reccur_string(c, cls->id, MT_ID_MAX - 1) ||
        !reccur_string(c, cls->pod_uid, MT_POD_UID_MAX - 1))
        return false;
    if (kind >= MT_KIND_MAX || sub >= MT_SUB_MAX || rt >= MT_RT_MAX || qos > MT_QOS_BESTEFFORT ||
        depth > 1000)
        return false;
    cls->kind = (MtKind)kind;
    cls->sub = (MtSubkind)sub;
    cls->runtime = (MtRuntime)rt;
    cls->qos = (MtQos)qos;
    cls->in_kubepods = fl & 1;
    cls->in_container = (fl & 2) != 0;
    cls->in_user = (fl & 4) != 0;
    cls->machine_slice = (fl & 8) != 0;
    cls->container_depth = (int)depth - 1;
    return true;
}

static bool get_new(RecDecoder *d, RecCur *c)
{
    uint64_t index, pref, inode;
    char name[REC_PATH_MAX + 1];
    CgClass cls;

    if (!reccur_varint(c, &index) || index != d->nslots || !reccur_varint(c, &pref) ||
        pref > d->nslots || !reccur_string(c, name, REC_PATH_MAX) ||
        !reccur_varint(c, &inode) || !get_class(c, &cls))
        return false;
    char *path;
    if (pref == 0) {
        if (name[0] != '/')
            return false;
        path = xstrdup(name);
    } else {
        const char *pp = d->slots[pref - 1].path;
        if (!name[0] || strchr(name, '/') || strlen(pp) + strlen(name) + 2 > REC_PATH_MAX)
            return false;
        path = xcalloc(1, strlen(pp) + strlen(name) + 2);
        sprintf(path, "%s/%s", strcmp(pp, "/") == 0 ? "" : pp, name);
    }
    if (d->nslots == d->capslots) {
        d->capslots = d->capslots ? d->capslots * 2 : 256;
        d->slots = xreallocarray(d->slots, d->capslots, sizeof(*d->slots));
    }
    RecDecSlot *s = &d->slots[d->nslots++];
    memset(s, 0, sizeof(*s));
    s->path = path;
    s->parent = (int32_t)pref - 1;
    s->inode = inode;
    s->cls = cls;
    return true;
}

static bool get_values(RecCur *c, uint64_t *v, int n)
{
    uint64_t changed;

    if (!reccur_varint(c, &changed))
        return false;
    if (n < 64 && (changed >> n))
        return false;
    for (int f = 0; f < n; f++)
        if ((changed & (UINT64_C(1) << f)) && !reccur_value(c, v[f], &v[f]))
            return false;
    return true;
}

static void map_sample(const RecHeader *h, RecDecSlot *s)
{
    memset(&s->sample, 0, sizeof(s->sample));
    for (int i = 0; i < h->nfields; i++) {
        int f = h->fmap[i];
        if (f < 0)
            continue;
        s->sample.v[f] = s->raw[i];
        if (s->raw_valid & (UINT64_C(1) << i))
            s->sample.valid |= MT_BIT(f);
    }
}

static bool frame_push(RecFrame *fr, uint32_t index, uint32_t flags, bool is_new)
{
    if (fr->n == fr->cap) {
        fr->cap = fr->cap ? fr->cap * 2 : 256;
        fr->ent = xreallocarray(fr->ent, fr->cap, sizeof(*fr->ent));
    }
    fr->ent[fr->n++] = (RecFrameEntry){ index, flags, is_new };
    return true;
}

static bool get_entry(RecDecoder *d, RecCur *c, int64_t *last, size_t first_new)
{
    uint64_t gapz, flags, valid;
    char name[REC_PATH_MAX + 1];

    if (!reccur_varint(c, &gapz) || !reccur_varint(c, &flags))
        return false;
    int64_t gap = (int64_t)(gapz >> 1) ^ -(int64_t)(gapz & 1);
    int64_t index = *last + 1 + gap;
    if (index < 0 || (uint64_t)index >= d->nslots)
        return false;
    *last = index;
    RecDecSlot *s = &d->slots[index];
    if (flags & REC_E_NAME) {
        if (!reccur_string(c, name, REC_PATH_MAX))
            return false;
        free(s->display_name);
        s->display_name = name[0] ? xstrdup(name) : NULL;
    }
    if (flags & REC_E_VALID) {
        if (!reccur_varint(c, &valid))
            return false;
        s->raw_valid = valid;
    }
    if (flags & REC_E_SAMPLED) {
        if (!get_values(c, s->raw, d->hdr.nfields))
            return false;
        map_sample(&d->hdr, s);
    }
    return frame_push(&d->frame, (uint32_t)index, (uint32_t)(flags & 0x7F),
                      (size_t)index >= first_new);
}

static bool decode_node(RecDecoder *d, RecCur *c)
{
    uint64_t flags, present, vals[REC_NODE_COUNT] = { 0 }, mine = 0;

    if (!reccur_varint(c, &flags) || !reccur_varint(c, &present) ||
        !get_values(c, d->prev_node, d->hdr.nnode))
        return false;
    for (int i = 0; i < d->hdr.nnode; i++) {
        int f = d->hdr.nmap[i];
        if (f < 0)
            continue;
        vals[f] = d->prev_node[i];
        if (present & (UINT64_C(1) << i))
            mine |= UINT64_C(1) << f;
    }
    rec_node_unpack(vals, mine, flags, &d->frame.mem_valid, &d->frame.mem, &d->frame.psi_valid,
                    &d->frame.psi);
    return true;
}

/* Decode one CRC-checked payload.  Returns 1 frame, 0 skipped, -1 bad. */
static int decode_frame(RecDecoder *d, const uint8_t *p, size_t n)
{
    RecCur c = { p, p + n, false };
    uint64_t kind, flags, seq, dmono, count;
    RecFrame *fr = &d->frame;

    if (!reccur_varint(&c, &kind))
        return -1;
    if (kind != REC_KIND_TICK)
        return 0;               /* a frame kind of a later minor version */
    if (!reccur_varint(&c, &flags) || !reccur_varint(&c, &seq) || !reccur_f64(&c, &fr->real))
        return -1;
    bool key = flags & REC_FF_KEYFRAME;
    if (!key && !d->have_key) {
        d->skipped++;
        return 0;
    }
    if (key)
        slots_clear(d);
    d->have_key = true;
    fr->keyframe = key;
    fr->seq = seq;
    fr->n = 0;
    if (!reccur_varint(&c, &dmono))
        return -1;
    d->prev_mono += (uint64_t)((int64_t)(dmono >> 1) ^ -(int64_t)(dmono & 1));
    fr->mono_ns = d->prev_mono;
    if (!decode_node(d, &c) || !reccur_varint(&c, &count))
        return -1;
    size_t first_new = d->nslots;
    for (uint64_t i = 0; i < count; i++)
        if (!get_new(d, &c))
            return -1;
    if (!reccur_varint(&c, &count) || count > n)
        return -1;
    int64_t last = -1;
    for (uint64_t i = 0; i < count; i++)
        if (!get_entry(d, &c, &last, first_new))
            return -1;
    d->frames++;
    return 1;
}

int recdec_seek(RecDecoder *d, size_t seg_offset, size_t offset)
{
    size_t size;
    RecHeader h;

    if (seg_offset >= d->len || offset > d->len ||
        parse_header(d->buf, d->len, seg_offset, &h, &size) != HDR_OK)
        return -1;
    d->hdr = h;
    d->seg_offset = seg_offset;
    d->pos = offset;
    d->have_key = false;
    d->fatal = false;
    slots_clear(d);
    return 0;
}

RecNext recdec_next(RecDecoder *d)
{
    size_t size;

    while (!d->fatal && d->pos < d->len) {
        const uint8_t *p = d->buf + d->pos;
        size_t avail = d->len - d->pos;
        if (avail >= REC_MAGIC_LEN && memcmp(p, REC_MAGIC, REC_MAGIC_LEN) == 0) {
            RecHeader h;
            HdrStatus st = parse_header(d->buf, d->len, d->pos, &h, &size);
            if (st == HDR_FUTURE) {
                d->fatal = true;
                snprintf(d->damage, sizeof(d->damage), "a segment recorded by a newer memtop "
                         "(format version %u); stopping there", h.major);
                d->damage_at = d->pos;
                d->damage_len = d->len - d->pos;
                return REC_DAMAGE;
            }
            if (st != HDR_OK)
                return damage(d, st == HDR_SHORT ? "truncated segment header"
                                                 : "damaged segment header");
            d->hdr = h;
            d->have_key = false;
            d->seg_offset = d->pos;
            d->pos += size;
            return REC_SEGMENT;
        }
        if (!valid_at(d, d->pos, &size)) {
            if (avail < REC_FRAME_OVERHEAD ||
                (memcmp(p, REC_SYNC, REC_SYNC_LEN) == 0 &&
                 avail - REC_FRAME_OVERHEAD < rec_get_u32le(p + 4)))
                return damage(d, "truncated frame (the file ends inside it)");
            return damage(d, memcmp(p, REC_SYNC, REC_SYNC_LEN) == 0
                                 ? "damaged frame (checksum mismatch)" : "garbage between frames");
        }
        d->frame.offset = d->pos;
        int r = decode_frame(d, p + REC_FRAME_OVERHEAD, size - REC_FRAME_OVERHEAD);
        if (r < 0) {
            d->have_key = false;
            return damage(d, "undecodable frame");
        }
        d->pos += size;
        if (r > 0)
            return REC_FRAME;
    }
    return REC_END;
}
