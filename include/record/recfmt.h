/* recfmt.h - the recording format's building blocks (README "Recording and
 * replay" documents the layout): constants, a growable byte buffer, LEB128
 * varints, zigzag value codes and a bounds-checked cursor for the reader.
 *
 * All multi-byte fixed-width integers are little endian.  Nothing here does
 * I/O. */
#ifndef MEMTOP_RECFMT_H
#define MEMTOP_RECFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/parse.h"

#define REC_MAGIC "\x89MTREC\r\n"       /* 8 bytes: segment header */
#define REC_MAGIC_LEN 8
#define REC_SYNC "\xF7MTF"              /* 4 bytes: start of every frame */
#define REC_SYNC_LEN 4
#define REC_VERSION_MAJOR 1             /* readers refuse a larger major */
#define REC_VERSION_MINOR 1             /* additions readers may ignore */
#define REC_HEADER_MAX (1u << 20)       /* header body, bytes */
#define REC_FRAME_MAX (64u << 20)       /* frame payload, bytes */
#define REC_FRAME_OVERHEAD 12           /* sync + length + crc */
#define REC_MAX_FIELDS 64               /* per table (one validity bit each) */

/* Frame kinds and flags. */
#define REC_KIND_TICK 1
#define REC_FF_KEYFRAME 1u              /* decoder state resets: self-contained */

/* Per-entry flags in a tick frame. */
enum {
    REC_E_GONE = 1u << 0,               /* tombstone */
    REC_E_HAS_CUR = 1u << 1,
    REC_E_UNACCOUNTED = 1u << 2,
    REC_E_SAMPLED = 1u << 3,            /* a new sample follows (read this tick) */
    REC_E_NAME = 1u << 4,               /* display name changed: a string follows */
    REC_E_VALID = 1u << 5,              /* validity mask changed: a varint follows */
    REC_E_CARRIED = 1u << 6,            /* format 1.1: the sample's memory.stat was
                                         * carried over from the previous one (a quiet
                                         * cgroup), not read; 1.0 readers ignore it */
};

/* Node flags. */
enum {
    REC_N_MEM = 1u << 0,                /* NodeSample.mem_valid */
    REC_N_PSI = 1u << 1,
    REC_N_PSI_SOME = 1u << 2,
    REC_N_PSI_FULL = 1u << 3,
};

/* Node values, named in the header like the cgroup fields. */
typedef enum {
    REC_NODE_MEM_TOTAL, REC_NODE_MEM_FREE, REC_NODE_MEM_AVAILABLE, REC_NODE_BUFFERS,
    REC_NODE_CACHED, REC_NODE_SHMEM, REC_NODE_ACTIVE_FILE, REC_NODE_INACTIVE_FILE,
    REC_NODE_SWAP_TOTAL, REC_NODE_SWAP_FREE,          /* MemInfo order: found bit i */
    REC_NODE_PSI_SOME10, REC_NODE_PSI_SOME60, REC_NODE_PSI_SOME300, REC_NODE_PSI_SOME_TOTAL,
    REC_NODE_PSI_FULL10, REC_NODE_PSI_FULL60, REC_NODE_PSI_FULL300, REC_NODE_PSI_FULL_TOTAL,
    REC_NODE_COUNT
} RecNodeField;

const char *rec_node_key(RecNodeField f);
int rec_node_by_key(const char *key);          /* -1 when unknown */

/* Node values <-> the flat array used on the wire; *present gets one bit
 * per node field that is meaningful. */
void rec_node_pack(bool mem_valid, const MemInfo *mem, bool psi_valid, const PsiValues *psi,
                   uint64_t vals[REC_NODE_COUNT], uint64_t *present, uint64_t *flags);
void rec_node_unpack(const uint64_t vals[REC_NODE_COUNT], uint64_t present, uint64_t flags,
                     bool *mem_valid, MemInfo *mem, bool *psi_valid, PsiValues *psi);

/* Growable output buffer (xalloc: never fails). */
typedef struct {
    uint8_t *p;
    size_t len, cap;
} RecBuf;

void recbuf_reserve(RecBuf *b, size_t more);
void recbuf_put(RecBuf *b, const void *data, size_t len);
void recbuf_u8(RecBuf *b, uint8_t v);
void recbuf_u16le(RecBuf *b, uint16_t v);
void recbuf_u32le(RecBuf *b, uint32_t v);
void recbuf_f64(RecBuf *b, double v);
void recbuf_varint(RecBuf *b, uint64_t v);
void recbuf_string(RecBuf *b, const char *s);  /* varint length + bytes; NULL = "" */
void recbuf_free(RecBuf *b);

/* Value code of a changed value (v != prev): zigzag delta, divided by 4096
 * when it is a whole number of pages; code 0 escapes to an absolute value
 * (a varint follows).  Never returns 1. */
void recbuf_value(RecBuf *b, uint64_t v, uint64_t prev);

/* Reader cursor: every get fails (returns false, sets bad) past the end. */
typedef struct {
    const uint8_t *p, *end;
    bool bad;
} RecCur;

bool reccur_varint(RecCur *c, uint64_t *v);
bool reccur_f64(RecCur *c, double *v);
/* A string of at most max bytes (NUL-free) copied to out (size max+1). */
bool reccur_string(RecCur *c, char *out, size_t max);
bool reccur_value(RecCur *c, uint64_t prev, uint64_t *v);

uint16_t rec_get_u16le(const uint8_t *p);
uint32_t rec_get_u32le(const uint8_t *p);

#endif
