/* recorder.c - recording files (rotation, free-space floor), the memory
 * ring and dumps. */
#include "config.h"

#include "record/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "util/format.h"
#include "util/xalloc.h"

/* write() all of buf; on failure truncate the file back to its old size. */
static int write_all(int fd, const uint8_t *buf, size_t len, uint64_t old_size)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = write(fd, buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            if (ftruncate(fd, (off_t)old_size) < 0) {
                /* nothing more we can do; the reader skips the torn frame */
            }
            return -e;
        }
        done += (size_t)n;
    }
    return 0;
}

static int local_day(double t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    return (tm.tm_year + 1900) * 1000 + tm.tm_yday;
}

/* Is the file system of path too full to write len more bytes? */
static bool disk_low(const char *path, uint64_t min_free, size_t len, char *err, size_t errlen)
{
    struct statvfs sv;
    char dir[4096], fb[32], mb[32];

    if (min_free == 0)
        return false;
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (statvfs(dir, &sv) < 0)
        return false;       /* cannot tell: the write itself will fail if full */
    uint64_t avail = (uint64_t)sv.f_bavail * sv.f_frsize;
    uint64_t total = (uint64_t)sv.f_blocks * sv.f_frsize;
    uint64_t floor = total / 100 * REC_MIN_FREE_PCT;
    if (min_free > floor)
        floor = min_free;
    if (avail >= len && avail - len >= floor)
        return false;
    fmt_bytes(fb, sizeof(fb), avail, true);
    fmt_bytes(mb, sizeof(mb), floor, true);
    snprintf(err, errlen, "the file system of %s is nearly full (%s free, memtop keeps %s: "
             "5%% or --min-free)", dir, fb, mb);
    return true;
}

static int open_file(Recorder *r, char *err, size_t errlen)
{
    const char *path = r->o.path;
    struct stat st;
    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s for recording: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s is not a regular file", path);
        close(fd);
        return -1;
    }
    if (st.st_size > 0) {
        char magic[REC_MAGIC_LEN];
        if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic) ||
            memcmp(magic, REC_MAGIC, REC_MAGIC_LEN) != 0) {
            snprintf(err, errlen, "%s exists and is not a memtop recording; not appending to it",
                     path);
            close(fd);
            return -1;
        }
    }
    r->fd = fd;
    r->size = (uint64_t)st.st_size;
    r->need_header = true;
    r->file_first = 0;
    return 0;
}

int recorder_open(Recorder *r, const RecorderOptions *o, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    r->o = *o;
    r->fd = -1;
    r->last_oom_dump = -1e18;
    recenc_init(&r->enc, o->keyframe_every);
    if (o->path && open_file(r, err, errlen) < 0) {
        recenc_done(&r->enc);
        return -1;
    }
    return 0;
}

bool recorder_writing(const Recorder *r)
{
    return r->fd >= 0;
}

static void stop_file(Recorder *r)
{
    if (r->fd >= 0) {
        fdatasync(r->fd);
        close(r->fd);
    }
    r->fd = -1;
}

/* Rename FILE to FILE.YYYYmmdd-HHMMSS (time of its first frame) and start
 * a new FILE. */
static int rotate(Recorder *r, char *err, size_t errlen)
{
    char stamp[32], to[4200];
    time_t t = (time_t)r->file_first;
    struct tm tm;

    stop_file(r);
    localtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    snprintf(to, sizeof(to), "%s.%s", r->o.path, stamp);
    for (int i = 1; access(to, F_OK) == 0 && i < 1000; i++)
        snprintf(to, sizeof(to), "%s.%s-%d", r->o.path, stamp, i);
    if (rename(r->o.path, to) < 0) {
        snprintf(err, errlen, "cannot rotate %s: %s", r->o.path, strerror(errno));
        return -1;
    }
    r->rotations++;
    return open_file(r, err, errlen);
}

static void ring_add(Recorder *r, const RecBuf *frame, bool key)
{
    if (r->o.ring_ticks == 0)
        return;
    if (r->rn == r->rcap) {
        r->rcap = r->rcap ? r->rcap * 2 : 64;
        r->ring = xreallocarray(r->ring, r->rcap, sizeof(*r->ring));
    }
    RecRingFrame *f = &r->ring[r->rn++];
    f->p = xmalloc(frame->len);
    memcpy(f->p, frame->p, frame->len);
    f->len = frame->len;
    f->key = key;
    /* Drop the oldest frames while a keyframe remains at or before the
     * start of the last ring_ticks frames. */
    for (;;) {
        if (r->rn <= r->o.ring_ticks)
            break;
        size_t limit = r->rn - r->o.ring_ticks, k;
        for (k = 1; k <= limit && !r->ring[k].key; k++)
            ;
        if (k > limit)
            break;
        free(r->ring[0].p);
        memmove(r->ring, r->ring + 1, (r->rn - 1) * sizeof(*r->ring));
        r->rn--;
    }
}

static int write_frame(Recorder *r, const Model *m, const RecBuf *frame, char *err,
                       size_t errlen)
{
    RecBuf out = { 0 };
    int rc = 0;

    if (r->need_header)
        recenc_header(m, &out);
    recbuf_put(&out, frame->p, frame->len);
    if (disk_low(r->o.path, r->o.min_free, out.len, err, errlen)) {
        rc = -1;
    } else {
        int e = write_all(r->fd, out.p, out.len, r->size);
        if (e < 0) {
            snprintf(err, errlen, "cannot write %s: %s", r->o.path, strerror(-e));
            rc = -1;
        } else {
            r->size += out.len;
            r->need_header = false;
            r->frames++;
            r->bytes += out.len;
            if (++r->since_sync >= REC_SYNC_EVERY) {
                fdatasync(r->fd);
                r->since_sync = 0;
            }
        }
    }
    recbuf_free(&out);
    if (rc < 0)
        stop_file(r);
    return rc;
}

int recorder_tick(Recorder *r, const Model *m, char *err, size_t errlen)
{
    RecBuf frame = { 0 };
    bool key;
    const TickTime *tt = model_tick_time(m, m->seq);
    double now = tt ? tt->real : 0;
    int rc = 0;

    if (r->fd >= 0 && r->o.daily && r->file_first > 0 && local_day(now) != r->file_day)
        rc = rotate(r, err, errlen);
    if (r->fd >= 0 && r->need_header)
        recenc_force_keyframe(&r->enc);
    recenc_frame(&r->enc, m, &frame, &key);
    if (r->fd >= 0 && r->o.max_size && !r->need_header && r->size + frame.len > r->o.max_size) {
        rc = rotate(r, err, errlen);
        /* The new file must start with a keyframe: encode again (a keyframe
         * does not depend on the state the first encoding left). */
        recenc_force_keyframe(&r->enc);
        frame.len = 0;
        recenc_frame(&r->enc, m, &frame, &key);
    }
    if (r->fd >= 0) {
        if (r->need_header) {
            r->file_first = now;
            r->file_day = local_day(now);
        }
        rc = write_frame(r, m, &frame, err, errlen);
    }
    ring_add(r, &frame, key);
    recbuf_free(&frame);
    return rc;
}

int recorder_dump(Recorder *r, const Model *m, const char *path, char *err, size_t errlen)
{
    RecBuf out = { 0 };
    char tmp[4200];
    size_t first = 0;

    while (first < r->rn && !r->ring[first].key)
        first++;
    if (first >= r->rn) {
        snprintf(err, errlen, "nothing recorded in memory yet");
        return -1;
    }
    recenc_header(m, &out);
    for (size_t i = first; i < r->rn; i++)
        recbuf_put(&out, r->ring[i].p, r->ring[i].len);
    uint64_t floor = r->o.min_free ? r->o.min_free : 0;
    if (disk_low(path, floor, out.len, err, errlen)) {
        recbuf_free(&out);
        return -1;
    }
    snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    int e = fd < 0 ? -errno : write_all(fd, out.p, out.len, 0);
    if (fd >= 0 && e == 0 && fsync(fd) < 0)
        e = -errno;
    if (fd >= 0)
        close(fd);
    if (e == 0 && rename(tmp, path) < 0)
        e = -errno;
    recbuf_free(&out);
    if (e < 0) {
        if (fd >= 0)
            unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(-e));
        return -1;
    }
    return 0;
}

int recorder_dump_on_oom(Recorder *r, const Model *m, const char *dir, char *out, size_t outlen,
                         char *err, size_t errlen)
{
    const TickTime *tt = model_tick_time(m, m->seq);
    double now = tt ? tt->real : 0;
    bool oom = false;

    for (size_t i = 0; i < m->table.n && !oom; i++) {
        const CgEntry *e = m->table.entries[i];
        oom = e->state == MT_STATE_LIVE && e->has_cur && e->cur_seq == m->seq &&
              e->d.d_oom_kills > 0;
    }
    if (!oom || now - r->last_oom_dump < REC_OOM_DUMP_GAP)
        return 0;
    r->last_oom_dump = now;
    char stamp[32];
    time_t t = (time_t)now;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    snprintf(out, outlen, "%s/memtop-oom-%s.rec", dir, stamp);
    return recorder_dump(r, m, out, err, errlen) < 0 ? -1 : 1;
}

void recorder_close(Recorder *r)
{
    stop_file(r);
    for (size_t i = 0; i < r->rn; i++)
        free(r->ring[i].p);
    free(r->ring);
    recenc_done(&r->enc);
    memset(r, 0, sizeof(*r));
    r->fd = -1;
}
