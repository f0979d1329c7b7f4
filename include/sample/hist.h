/* hist.h - compact per-cgroup history.
 *
 * Each cgroup keeps a fixed-capacity ring of HistRecord, one per tick,
 * indexed by the model's global tick sequence number (slot = seq % cap), so
 * all rings line up with the model's tick-time ring.  Allocated once when
 * the cgroup is discovered; pushing never allocates.
 *
 * Values are 16-bit "minifloats" of KiB (sizes) or of 1/16 events per second
 * (rates): exact below 2048, then 11 significant bits (<= 0.05% error), up to
 * about 4 PiB.  That keeps 600 ticks of 1000 containers near 20 MB; exact
 * current values always come from the live sample, never from here. */
#ifndef MEMTOP_HIST_H
#define MEMTOP_HIST_H

#include <stdbool.h>
#include <stdint.h>

typedef uint16_t HistVal;

#define HIST_INVALID   ((HistVal)0xFFFF)
#define HIST_UNLIMITED ((HistVal)0xFFFE)
#define HIST_MAX_CODE  ((HistVal)0xFFFD)

HistVal hist_encode(uint64_t v);
uint64_t hist_decode(HistVal c);            /* HIST_INVALID/UNLIMITED -> UINT64_MAX */
HistVal hist_encode_bytes(uint64_t bytes);  /* MT_UNLIMITED -> HIST_UNLIMITED */
uint64_t hist_decode_bytes(HistVal c);
HistVal hist_encode_rate(double per_second);    /* NaN/negative -> HIST_INVALID */
double hist_decode_rate(HistVal c);             /* HIST_INVALID -> NaN */

/* One tick of one cgroup.  Every value may be HIST_INVALID. */
typedef enum {
    MT_H_USAGE, MT_H_WS, MT_H_ANON, MT_H_FILE, MT_H_SHMEM,
    MT_H_ACTIVE_ANON, MT_H_INACTIVE_ANON, MT_H_ACTIVE_FILE, MT_H_INACTIVE_FILE,
    MT_H_KERNEL, MT_H_SWAP, MT_H_FLOOR, MT_H_LIMIT,         /* bytes */
    MT_H_PGFAULT_RATE, MT_H_PGMAJFAULT_RATE, MT_H_REFAULT_RATE, /* per second */
    MT_H_COUNT
} HistField;

/* Event bits of a tick (counters that increased since the previous tick). */
enum {
    MT_HEV_LIMIT_HIT = 1 << 0,
    MT_HEV_HIGH      = 1 << 1,
    MT_HEV_OOM       = 1 << 2,
    MT_HEV_OOM_KILL  = 1 << 3,
    MT_HEV_RESET     = 1 << 4,  /* counters went backwards: rates dropped */
};

typedef struct {
    HistVal v[MT_H_COUNT];
    uint16_t psi_some10;        /* percent*100, 0xFFFF unknown */
    uint8_t events;             /* MT_HEV_* */
    uint8_t risk;               /* analysis level, 0xFF unknown */
} HistRecord;

typedef struct {
    HistRecord *rec;            /* cap records, owned */
    uint32_t cap;               /* records allocated: grows by doubling up to max */
    uint32_t max;               /* the history length asked for */
    uint64_t first_seq;         /* oldest seq with a record (valid once count > 0) */
    uint64_t last_seq;
    bool any;
} HistRing;

/* A ring for up to max ticks.  Memory is allocated as ticks arrive (a
 * cgroup seen for a minute costs a minute of records, not max). */
void hist_init(HistRing *h, uint32_t max);
void hist_done(HistRing *h);
/* Forget everything (cgroup re-created) without freeing. */
void hist_reset(HistRing *h);
/* Record for tick seq (seq must be > last_seq); skipped ticks get invalid
 * records.  Returns the slot to fill, already set to all-invalid. */
HistRecord *hist_push(HistRing *h, uint64_t seq);
/* Record of tick seq, or NULL if not kept (too old, before the cgroup was
 * seen, or in the future). */
const HistRecord *hist_at(const HistRing *h, uint64_t seq);
void hist_record_clear(HistRecord *r);

#endif
