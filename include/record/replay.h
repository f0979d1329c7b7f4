/* replay.h - feed a recording into a Model, tick by tick, so that every
 * view (batch, JSON, TUI) works on it as on a live node: entries, cur/prev
 * samples, derived values, history rings and tombstones are rebuilt by the
 * same model stages (model_tick_begin/_entry_sampled/_tick_end). */
#ifndef MEMTOP_REPLAY_H
#define MEMTOP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/model.h"
#include "record/recdec.h"

/* One decodable frame of the file (see replay_index). */
typedef struct {
    size_t offset, seg_offset;
    double real;
    bool keyframe;
} ReplayMark;

typedef struct {
    RecDecoder dec;
    ReplayMark *idx;            /* every frame replay_step would yield, in order */
    size_t nidx;
    bool indexed;
    size_t at;                  /* index of the frame the model shows; SIZE_MAX none */
    const uint8_t *map;         /* the whole file, read-only */
    size_t maplen;
    bool mapped;                /* munmap (else free) */
    Model *m;
} Replay;

/* Open FILE, check its header and prepare m (model_open_detached with the
 * recorded interval, tombstone time, identity and cgroup mode; o gives the
 * history length).  -1 with one line in err. */
int replay_open(Replay *r, const char *file, const ModelOptions *o, Model *m, char *err,
                size_t errlen);
/* Same on a buffer the caller keeps alive (tests, fuzzing). */
int replay_open_mem(Replay *r, const uint8_t *buf, size_t len, const ModelOptions *o, Model *m,
                    char *err, size_t errlen);

/* Advance: REC_FRAME when the model took one more recorded tick (time in
 * model_tick_time(m, m->seq)), REC_DAMAGE when damaged bytes were skipped
 * (r->dec.damage_at, damage_len, damage), REC_END at the end.  Segment
 * headers are handled inside. */
RecNext replay_step(Replay *r);

/* Time travel (the TUI): index the file once (one decoding pass), then
 * put the model on any frame.  replay_seek rebuilds the model from a
 * keyframe up to --history frames before the target so that rates and
 * sparklines are as they were; the Model is closed and re-opened (entry
 * pointers become invalid; the table's on_free hook is kept).  Returns
 * the number of frames; replay_seek 0 or -1 (i out of range). */
size_t replay_index(Replay *r);
int replay_seek(Replay *r, size_t i);
/* First frame at or after time t (unix seconds); the last frame if none. */
size_t replay_find_time(Replay *r, double t);

/* Closes the file; the model stays for the caller's model_close(). */
void replay_close(Replay *r);

/* Parse a time for --from/--to: unix seconds ("1700000000", "1700000000.5")
 * or local "YYYY-mm-dd HH:MM:SS" (also "YYYY-mm-ddTHH:MM:SS", "YYYY-mm-dd
 * HH:MM", "YYYY-mm-dd").  -1 when malformed. */
int replay_parse_time(const char *s, double *out);

#endif
