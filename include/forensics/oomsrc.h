/* oomsrc.h - where the kernel's OOM reports come from.
 *
 *   journal  sd-journal, kernel transport (_TRANSPORT=kernel), local
 *            journals only, current boot; or a given directory / file
 *   kmsg     /dev/kmsg (below --root), non-blocking, one record per read();
 *            EPIPE (records overwritten) and EAGAIN (nothing new) handled.
 *            A regular file in /dev/kmsg record or dmesg format is followed
 *            like a log file (fixtures, tests).
 *
 * At open the reader skips what is already there (seeks to the end) unless
 * backlog is set: then the current boot's records are read first.  auto
 * picks the system journal when memtop reads the live system ("/" root)
 * and the journal holds kernel messages of this boot, else kmsg.  A source
 * that cannot be opened is not an error in auto mode: forensics then rely
 * on the OOM counters alone. */
#ifndef MEMTOP_OOMSRC_H
#define MEMTOP_OOMSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "forensics/oomlog.h"

typedef enum {
    MT_OOMSRC_AUTO,
    MT_OOMSRC_JOURNAL,
    MT_OOMSRC_KMSG,
    MT_OOMSRC_NONE,
} MtOomSrcMode;

typedef struct {
    MtOomSrcMode mode;
    const char *kmsg_path;      /* NULL: <root>/dev/kmsg; else opened as given */
    const char *journal_dir;    /* explicit journal directory, or NULL */
    const char *journal_file;   /* explicit journal file, or NULL */
    bool backlog;               /* also read this boot's existing records */
} OomSrcOptions;

typedef struct {
    bool active;
    MtOomSource kind;           /* MT_OOM_SRC_JOURNAL or MT_OOM_SRC_KMSG */
    char desc[256];             /* what is being read, or why nothing */
    int fd;                     /* kmsg */
    bool is_dev;
    off_t off;                  /* regular file: next read offset */
    char *partial;              /* regular file: incomplete last line */
    size_t plen, pcap;
    void *journal;              /* sd_journal * */
    double boot_real;           /* unix time of boot (kmsg usec -> time) */
    uint64_t lost;              /* kmsg records overwritten before we read them */
} OomSrc;

/* Open per o.  rootfd/root are the --root directory (fd and path).  Returns
 * 0 (check s->active), or -1 with a message in err when a source the user
 * asked for explicitly cannot be opened. */
int oomsrc_open(OomSrc *s, int rootfd, const char *root, const OomSrcOptions *o, char *err,
                size_t errlen);
/* Feed everything new into l; returns the number of messages read. */
int oomsrc_poll(OomSrc *s, OomLog *l, uint64_t seq);
void oomsrc_close(OomSrc *s);

#endif
