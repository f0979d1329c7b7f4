/* oomsrc.c - OOM report sources: sd-journal and /dev/kmsg (see oomsrc.h). */
#include "config.h"

#include "forensics/oomsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>

#include "sample/fsroot.h"
#include "util/xalloc.h"

#define KMSG_RECORD_MAX 8192        /* CONSOLE_EXT_LOG_MAX: one record per read() */
#define FILE_POLL_MAX (16u << 20)   /* bytes read from a log file per poll */

static double clock_secs(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- journal ------------------------------------------------------------ */

static int journal_open(OomSrc *s, const OomSrcOptions *o, bool live, char *err, size_t errlen)
{
    sd_journal *j = NULL;
    int r;

    if (o->journal_file) {
        const char *files[] = { o->journal_file, NULL };
        r = sd_journal_open_files(&j, files, 0);
    } else if (o->journal_dir) {
        r = sd_journal_open_directory(&j, o->journal_dir, 0);
    } else {
        r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
    }
    if (r < 0) {
        snprintf(err, errlen, "cannot open the journal%s%s: %s",
                 o->journal_file || o->journal_dir ? " " : "",
                 o->journal_file ? o->journal_file : o->journal_dir ? o->journal_dir : "",
                 strerror(-r));
        return -1;
    }
    sd_journal_add_match(j, "_TRANSPORT=kernel", 0);
    if (live) {
        sd_id128_t boot;
        char m[64];
        if (sd_id128_get_boot(&boot) == 0) {
            snprintf(m, sizeof(m), "_BOOT_ID=" SD_ID128_FORMAT_STR, SD_ID128_FORMAT_VAL(boot));
            sd_journal_add_match(j, m, 0);
        }
    }
    /* Is there anything at all?  An empty journal (no journald) is no source. */
    bool any = sd_journal_seek_tail(j) >= 0 && sd_journal_previous(j) > 0;
    if (!any && live && !o->journal_dir && !o->journal_file) {
        sd_journal_close(j);
        snprintf(err, errlen, "the journal has no kernel messages of this boot");
        return -1;
    }
    if (o->backlog) {
        sd_journal_seek_head(j);
    } else if (!any) {
        sd_journal_seek_head(j);    /* empty now: whatever comes is new */
    }
    /* else: positioned on the last entry; next() returns only new ones */
    (void)sd_journal_get_fd(j);     /* sets up change notification */
    s->journal = j;
    s->kind = MT_OOM_SRC_JOURNAL;
    s->active = true;
    snprintf(s->desc, sizeof(s->desc), "journal%s%s", o->journal_file || o->journal_dir ? " " : "",
             o->journal_file ? o->journal_file : o->journal_dir ? o->journal_dir : "");
    return 0;
}

static int journal_poll(OomSrc *s, OomLog *l, uint64_t seq)
{
    sd_journal *j = s->journal;
    int n = 0;

    sd_journal_process(j);
    while (sd_journal_next(j) > 0) {
        const void *data;
        size_t len;
        uint64_t usec;
        if (sd_journal_get_data(j, "MESSAGE", &data, &len) < 0 || len < 8)
            continue;
        double t = sd_journal_get_realtime_usec(j, &usec) >= 0 ? (double)usec / 1e6
                                                              : clock_secs(CLOCK_REALTIME);
        oomlog_feed(l, (const char *)data + 8, len - 8, t, MT_OOM_SRC_JOURNAL, seq);
        n++;
    }
    return n;
}

/* ---- kmsg --------------------------------------------------------------- */

static int kmsg_open(OomSrc *s, int rootfd, const OomSrcOptions *o, char *err, size_t errlen)
{
    const char *path = o->kmsg_path ? o->kmsg_path : "dev/kmsg";
    int fd = o->kmsg_path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
                          : fs_open_at(rootfd, path, O_NONBLOCK);
    if (fd < 0) {
        int e = o->kmsg_path ? errno : -fd;
        snprintf(err, errlen, "cannot open %s%s: %s", o->kmsg_path ? "" : "<root>/",
                 path, strerror(e));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISREG(st.st_mode))) {
        snprintf(err, errlen, "%s is neither /dev/kmsg nor a regular file", path);
        close(fd);
        return -1;
    }
    s->fd = fd;
    s->is_dev = S_ISCHR(st.st_mode);
    if (s->is_dev) {
        /* /dev/kmsg opens at the oldest record still in the buffer. */
        if (!o->backlog)
            lseek(fd, 0, SEEK_END);
    } else {
        s->off = o->backlog ? 0 : st.st_size;
    }
    /* printk time is local_clock(): monotonic since boot, like CLOCK_MONOTONIC. */
    s->boot_real = clock_secs(CLOCK_REALTIME) - clock_secs(CLOCK_MONOTONIC);
    s->kind = MT_OOM_SRC_KMSG;
    s->active = true;
    snprintf(s->desc, sizeof(s->desc), "kmsg %s%s", o->kmsg_path ? "" : "<root>/", path);
    return 0;
}

/* One kmsg record or log line: header, message; continuation lines of a
 * record (" KEY=value" device properties) are ignored. */
static bool kmsg_feed_line(OomSrc *s, OomLog *l, const char *line, size_t len, uint64_t seq)
{
    KmsgRecord rec;
    char msg[KMSG_RECORD_MAX];

    if (len == 0 || line[0] == ' ')
        return false;
    const char *nl = memchr(line, '\n', len);
    if (nl)
        len = (size_t)(nl - line);
    if (oomlog_parse_kmsg_record(line, len, &rec) < 0)
        return false;
    size_t ml = oomlog_unescape_kmsg(rec.msg, rec.msg_len, msg, sizeof(msg));
    double t = rec.has_usec ? s->boot_real + (double)rec.usec / 1e6 : clock_secs(CLOCK_REALTIME);
    oomlog_feed(l, msg, ml, t, MT_OOM_SRC_KMSG, seq);
    return true;
}

static int kmsg_poll_dev(OomSrc *s, OomLog *l, uint64_t seq)
{
    char buf[KMSG_RECORD_MAX + 1];
    int n = 0;

    for (int guard = 0; guard < 1000000; guard++) {
        ssize_t r = read(s->fd, buf, sizeof(buf) - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EPIPE) {
                s->lost++;  /* overwritten before we read them; go on */
                continue;
            }
            break;          /* EAGAIN: nothing new */
        }
        if (r == 0)
            break;
        n += kmsg_feed_line(s, l, buf, (size_t)r, seq);
    }
    return n;
}

static int kmsg_poll_file(OomSrc *s, OomLog *l, uint64_t seq)
{
    char chunk[65536];
    size_t total = 0;
    int n = 0;

    while (total < FILE_POLL_MAX) {
        ssize_t r = pread(s->fd, chunk, sizeof(chunk), s->off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        s->off += r;
        total += (size_t)r;
        if (s->plen + (size_t)r > s->pcap) {
            s->pcap = (s->plen + (size_t)r) * 2;
            s->partial = xreallocarray(s->partial, s->pcap, 1);
        }
        memcpy(s->partial + s->plen, chunk, (size_t)r);
        s->plen += (size_t)r;
        size_t start = 0;
        for (size_t i = 0; i < s->plen; i++) {
            if (s->partial[i] != '\n')
                continue;
            n += kmsg_feed_line(s, l, s->partial + start, i - start, seq);
            start = i + 1;
        }
        memmove(s->partial, s->partial + start, s->plen - start);
        s->plen -= start;
        if (s->plen > KMSG_RECORD_MAX)
            s->plen = 0;    /* an absurdly long line: drop it */
    }
    return n;
}

/* ---- common --------------------------------------------------------------- */

int oomsrc_open(OomSrc *s, int rootfd, const char *root, const OomSrcOptions *o, char *err,
                size_t errlen)
{
    char why[256] = "";
    bool live = root && strcmp(root, "/") == 0;

    memset(s, 0, sizeof(*s));
    s->fd = -1;
    switch (o->mode) {
    case MT_OOMSRC_NONE:
        snprintf(s->desc, sizeof(s->desc), "none (disabled)");
        return 0;
    case MT_OOMSRC_JOURNAL:
        return journal_open(s, o, live, err, errlen);
    case MT_OOMSRC_KMSG:
        return kmsg_open(s, rootfd, o, err, errlen);
    case MT_OOMSRC_AUTO:
        break;
    }
    if (o->journal_file || o->journal_dir)
        return journal_open(s, o, live, err, errlen);
    if (o->kmsg_path)
        return kmsg_open(s, rootfd, o, err, errlen);
    if (live && journal_open(s, o, true, why, sizeof(why)) == 0)
        return 0;
    char why2[256];
    if (kmsg_open(s, rootfd, o, why2, sizeof(why2)) == 0)
        return 0;
    snprintf(s->desc, sizeof(s->desc), "none (%.120s%s%.120s)", why, why[0] ? "; " : "", why2);
    return 0;
}

int oomsrc_poll(OomSrc *s, OomLog *l, uint64_t seq)
{
    if (!s->active)
        return 0;
    if (s->kind == MT_OOM_SRC_JOURNAL)
        return journal_poll(s, l, seq);
    return s->is_dev ? kmsg_poll_dev(s, l, seq) : kmsg_poll_file(s, l, seq);
}

void oomsrc_close(OomSrc *s)
{
    if (s->journal)
        sd_journal_close(s->journal);
    if (s->fd >= 0)
        close(s->fd);
    free(s->partial);
    memset(s, 0, sizeof(*s));
    s->fd = -1;
}
