/* recdec.h - decode a recording held in memory (mmap'ed file, dump, fuzz
 * input).  Never trusts the input: every length, index and enum is checked,
 * and a damaged region is reported once and skipped: the decoder resyncs
 * at the next frame or segment header whose CRC is right and resumes
 * decoding at the next keyframe. */
#ifndef MEMTOP_RECDEC_H
#define MEMTOP_RECDEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/classify.h"
#include "sample/fields.h"
#include "sample/parse.h"
#include "record/recfmt.h"

/* One segment header. */
typedef struct {
    uint16_t major, minor;
    char writer[64];
    char hostname[256];
    char kernel[256];
    char mode[16];              /* "v1", "hybrid", "v2" */
    bool api_v1;
    double interval;            /* seconds */
    double tomb_secs;
    uint32_t history;
    long pagesize;
    double created;             /* unix seconds of the first tick, 0 unknown */
    int nfields;                /* cgroup fields in the file */
    int fmap[REC_MAX_FIELDS];   /* file field -> MtField, -1 unknown to us */
    int nnode;
    int nmap[REC_MAX_FIELDS];   /* file node field -> RecNodeField or -1 */
} RecHeader;

/* A cgroup known to the decoder, by index (valid until the next keyframe). */
typedef struct {
    char *path;                 /* "/" or "/a/b" */
    int32_t parent;             /* index, -1 for none */
    uint64_t inode;
    CgClass cls;
    char *display_name;         /* NULL if none */
    uint64_t raw[REC_MAX_FIELDS];   /* last values, file field order */
    uint64_t raw_valid;
    CgroupSample sample;        /* raw mapped to our fields */
} RecDecSlot;

typedef struct {
    uint32_t index;
    uint32_t flags;             /* REC_E_* */
    bool is_new;                /* first listed in this frame (new incarnation) */
} RecFrameEntry;

typedef struct {
    uint64_t seq;
    double real;                /* unix seconds */
    uint64_t mono_ns;
    bool keyframe;
    size_t offset;              /* byte offset of the frame in the input */
    bool mem_valid, psi_valid;
    MemInfo mem;
    PsiValues psi;
    RecFrameEntry *ent;
    size_t n, cap;
} RecFrame;

typedef enum {
    REC_END = 0,                /* no more input */
    REC_FRAME = 1,              /* d->frame holds the next tick */
    REC_DAMAGE = 2,             /* d->damage_at/damage say where and what */
    REC_SEGMENT = 3,            /* a new segment header started (d->hdr) */
} RecNext;

typedef struct {
    const uint8_t *buf;
    size_t len, pos;
    RecHeader hdr;
    bool have_key;              /* decoding state is valid */
    RecDecSlot *slots;
    size_t nslots, capslots;
    uint64_t prev_node[REC_MAX_FIELDS];
    uint64_t prev_mono;
    RecFrame frame;
    size_t seg_offset;          /* byte offset of the current segment header */
    size_t damage_at;           /* byte offset where the damage starts */
    size_t damage_len;          /* bytes skipped */
    char damage[160];
    bool fatal;                 /* stop: e.g. a segment of a future version */
    uint64_t frames, skipped;   /* decoded; intact but undecodable (no keyframe) */
} RecDecoder;

/* Check the first segment header.  -1 with one line in err: not a memtop
 * recording, a newer format version, truncated or damaged header. */
int recdec_open(RecDecoder *d, const uint8_t *buf, size_t len, char *err, size_t errlen);
RecNext recdec_next(RecDecoder *d);
/* Continue at the frame at offset (found by an earlier pass) of the segment
 * whose header is at seg_offset: decoding resumes at the next keyframe.
 * -1 if the header there does not parse. */
int recdec_seek(RecDecoder *d, size_t seg_offset, size_t offset);
void recdec_close(RecDecoder *d);

static inline const RecDecSlot *recdec_slot(const RecDecoder *d, uint32_t index)
{
    return index < d->nslots ? &d->slots[index] : NULL;
}

#endif
