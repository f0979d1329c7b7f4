/* recenc.h - encode a Model's ticks into recording frames.
 *
 * The encoder remembers, per cgroup, the index it was given in the current
 * run of frames and the last values written, so each frame carries only
 * what changed: new cgroups (path component, parent index, classification,
 * inode) once, then per tick flags and delta-coded changed fields.  A
 * keyframe forgets everything and starts over, so a reader can start at
 * any keyframe (after damage, or a dump of the last N ticks). */
#ifndef MEMTOP_RECENC_H
#define MEMTOP_RECENC_H

#include <stdbool.h>
#include <stdint.h>

#include "sample/model.h"
#include "record/recfmt.h"

typedef struct RecSlot RecSlot;

typedef struct {
    RecSlot **buckets;          /* by path */
    size_t nbuckets, nslots;
    uint32_t next_index;
    uint64_t prev_node[REC_NODE_COUNT];
    uint64_t prev_node_present, prev_node_flags;
    uint64_t prev_mono;
    uint64_t frames;            /* frames encoded since the last keyframe */
    uint32_t keyframe_every;    /* a keyframe at least this often */
    bool force_keyframe;
} RecEncoder;

void recenc_init(RecEncoder *enc, uint32_t keyframe_every);
void recenc_done(RecEncoder *enc);

/* The segment header for m (magic, version, identity, field tables). */
void recenc_header(const Model *m, RecBuf *out);

/* Append the frame of m's latest tick (sync, length, CRC, payload) to out;
 * *keyframe tells whether it is one.  The next frame after
 * recenc_force_keyframe() is a keyframe. */
void recenc_frame(RecEncoder *enc, const Model *m, RecBuf *out, bool *keyframe);
void recenc_force_keyframe(RecEncoder *enc);

#endif
