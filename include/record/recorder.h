/* recorder.h - the flight recorder: every tick of a Model goes to a
 * recording file (-w) and/or a memory ring of the last N ticks, which can
 * be dumped as a recording file on demand (TUI key D) or when an OOM kill
 * is seen (--dump-on-oom DIR).
 *
 * Crash safety: each frame reaches the file with one write() (a failed or
 * short write is truncated away), so kill -9 loses at most the frame being
 * written; fdatasync() runs every REC_SYNC_EVERY frames.  The recorder
 * never fills a file system: below the free-space floor it stops writing
 * and says so. */
#ifndef MEMTOP_RECORDER_H
#define MEMTOP_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/model.h"
#include "record/recenc.h"

#define REC_SYNC_EVERY 30
#define REC_MIN_FREE_DEFAULT (UINT64_C(100) << 20)
#define REC_MIN_FREE_PCT 5
#define REC_OOM_DUMP_GAP 60.0           /* seconds between two OOM dumps */

typedef struct {
    const char *path;           /* -w FILE; NULL: memory ring only */
    uint64_t max_size;          /* rotate before the file exceeds this; 0: never */
    bool daily;                 /* rotate when the local date changes */
    uint64_t min_free;          /* stop when the file system has less free space
                                 * than this or than 5%; 0 disables the check */
    uint32_t ring_ticks;        /* ticks kept in memory for dumps; 0: none */
    uint32_t keyframe_every;    /* 0: 150 */
} RecorderOptions;

typedef struct {
    uint8_t *p;
    size_t len;
    bool key;
} RecRingFrame;

typedef struct {
    RecorderOptions o;
    RecEncoder enc;
    int fd;                     /* -1: not (or no longer) writing a file */
    uint64_t size;              /* bytes in the current file */
    bool need_header;           /* next write starts a segment */
    double file_first;          /* unix time of the current file's first frame */
    int file_day;               /* local year*1000+yday of that frame */
    unsigned since_sync;
    RecRingFrame *ring;
    size_t rn, rcap;
    double last_oom_dump;
    uint64_t frames, bytes;     /* statistics: written to files */
    uint64_t rotations;
} Recorder;

/* Open (or create and append to) o->path if set.  An existing file that is
 * not a memtop recording is refused.  -1 with one line in err. */
int recorder_open(Recorder *r, const RecorderOptions *o, char *err, size_t errlen);

/* Record m's latest tick.  Returns 0; -1 when the file recording stopped
 * (disk nearly full, write error; err says why) - the memory ring goes on,
 * later calls return 0. */
int recorder_tick(Recorder *r, const Model *m, char *err, size_t errlen);

/* Write the memory ring as a recording file (tmp file + rename).  -1 with
 * err when there is nothing to dump or the write failed. */
int recorder_dump(Recorder *r, const Model *m, const char *path, char *err, size_t errlen);

/* If some cgroup had an OOM kill in m's latest tick (and no OOM dump was
 * written in the last REC_OOM_DUMP_GAP seconds), dump the ring to
 * DIR/memtop-oom-YYYYmmdd-HHMMSS.rec.  Returns 1 with the file in out, 0
 * when nothing was due, -1 with err on failure. */
int recorder_dump_on_oom(Recorder *r, const Model *m, const char *dir, char *out, size_t outlen,
                         char *err, size_t errlen);

bool recorder_writing(const Recorder *r);
void recorder_close(Recorder *r);

#endif
