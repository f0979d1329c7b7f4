/* discover.c - recursive walk of the cgroup hierarchy, skipped while
 * inotify reports no change (see discover.h).
 *
 * The walk reads directories with getdents64() into buffers kept across
 * walks (one per depth, since we recurse while a directory is half read),
 * so a walk allocates nothing for known cgroups.  d_type and d_ino come
 * with each entry: no stat() per cgroup.  A directory that disappears while
 * we walk it is simply not seen. */
#include "config.h"

#include "sample/discover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <linux/magic.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sample/fsroot.h"
#include "util/xalloc.h"

#define DENTS_BUF 32768
#define EVENT_BUF 16384
#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | \
                    IN_MOVE_SELF | IN_ONLYDIR)

/* Layout of the records getdents64 returns (glibc's dirent64 differs in
 * name length, so define it here). */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* The longest record getdents64 can return (a 255-byte name). */
#define DENT_MAX_RECLEN ((offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1 + 7) & ~(size_t)7)

void discover_init(Discover *d, bool use_inotify, double rescan_secs)
{
    memset(d, 0, sizeof(*d));
    d->ifd = -1;
    d->dirty = true;
    d->rescan_ns = rescan_secs > 0 ? (uint64_t)(rescan_secs * 1e9) : 0;
    if (use_inotify) {
        d->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (d->ifd >= 0)
            d->evbuf = xmalloc(EVENT_BUF);
    }
}

void discover_done(Discover *d)
{
    if (d->ifd >= 0)
        close(d->ifd);
    d->ifd = -1;
    for (int i = 0; i <= MT_MAX_DEPTH; i++) {
        free(d->level_buf[i]);
        d->level_buf[i] = NULL;
    }
    free(d->evbuf);
    d->evbuf = NULL;
}

/* Give up on inotify: from now on every tick walks. */
static void inotify_fallback(Discover *d)
{
    if (d->ifd >= 0)
        close(d->ifd);
    d->ifd = -1;
    d->dirty = true;
}

bool discover_needed(Discover *d, uint64_t now)
{
    if (d->ifd < 0)
        return true;
    for (;;) {
        ssize_t n = read(d->ifd, d->evbuf, EVENT_BUF);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n <= 0) {
            inotify_fallback(d);
            return true;
        }
        for (ssize_t off = 0; off < n;) {
            const struct inotify_event *ev = (const void *)(d->evbuf + off);
            /* Subdirectories only: cgroup files are made by the kernel and
             * raise nothing, fixture files are irrelevant. */
            if (ev->mask & (IN_ISDIR | IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF))
                d->dirty = true;
            d->events++;
            off += (ssize_t)sizeof(*ev) + ev->len;
        }
    }
    if (d->rescan_ns == 0 || now - d->last_walk_ns >= d->rescan_ns)
        d->dirty = true;
    if (!d->dirty)
        d->skips++;
    return d->dirty;
}

/* Watch directory fd (before it is read, so nothing created after the
 * read can be missed).  Watching the same inode twice just returns the
 * same watch, so re-adding is harmless. */
static void watch_dir(Discover *d, int fd)
{
    char path[64];

    if (!d || d->ifd < 0)
        return;
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    if (inotify_add_watch(d->ifd, path, WATCH_MASK) < 0)
        inotify_fallback(d);    /* no /proc, or fs.inotify.max_user_watches */
}

/* Returns the entry; *fresh is true when it is new or was re-created. */
static CgEntry *see(CgTable *t, Reader *rd, const char *path, CgEntry *parent,
                    uint64_t ino, uint64_t gen, bool *fresh)
{
    CgEntry *e = cgtable_find(t, path);

    *fresh = false;
    if (!e) {
        e = cgtable_add(t, path, parent);
        if (parent)
            classify_child(&parent->cls, parent->name, e->name, e->depth, &e->cls);
        else
            classify_root(&e->cls);
        e->container = e->cls.in_container && e->cls.container_depth == e->depth ? e
                       : parent ? parent->container : NULL;
        e->pod = e->cls.kind == MT_KIND_POD ? e : parent ? parent->pod : NULL;
        e->inode = ino;
        *fresh = true;
    } else if (e->inode != ino || e->state == MT_STATE_GONE) {
        /* Same path, new directory: a different cgroup now. */
        cgtable_reset_entry(t, rd, e);
        e->inode = ino;
        *fresh = true;
    }
    e->seen_gen = gen;
    return e;
}

/* The getdents buffer of one depth, kept for later walks; NULL without a
 * Discover (the caller then allocates a temporary one). */
static char *level_buffer(Discover *d, int depth)
{
    if (!d)
        return NULL;
    if (!d->level_buf[depth])
        d->level_buf[depth] = xmalloc(DENTS_BUF);
    return d->level_buf[depth];
}

/* kernfs_only: the tree is cgroupfs (v1 or v2), whose readdir fills the
 * buffer until the directory ends or the next record does not fit
 * (kernfs_fop_readdir stops only when dir_emit fails).  So a return with
 * room left for the longest record was the whole directory, and the
 * getdents64 that would only say "end" (one per cgroup) is skipped. */
static int walk(Discover *d, CgTable *t, Reader *rd, int dirfd, char *path, size_t plen,
                CgEntry *self, uint64_t gen, int depth, char *buf, bool kernfs_only)
{
    int n = 1;

    for (bool done = false; !done;) {
        long got = syscall(SYS_getdents64, dirfd, buf, DENTS_BUF);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;      /* end, or the directory vanished under us */
        done = kernfs_only && (size_t)got <= DENTS_BUF - DENT_MAX_RECLEN;
        for (long off = 0; off < got;) {
            const struct linux_dirent64 *de = (const void *)(buf + off);
            off += de->d_reclen;
            if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
                continue;
            const char *name = de->d_name;
            if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
                continue;
            size_t nl = strlen(name);
            if (plen + 1 + nl + 1 > PATH_MAX)
                continue;
            int cfd = fs_open_at(dirfd, name, O_DIRECTORY | O_NOFOLLOW);
            if (cfd < 0)
                continue;   /* vanished, or not a directory (DT_UNKNOWN) */
            uint64_t ino = de->d_ino;
            if (de->d_type == DT_UNKNOWN) {
                struct stat st;
                if (fstat(cfd, &st) < 0) {
                    close(cfd);
                    continue;
                }
                ino = st.st_ino;
            }
            path[plen] = '/';
            memcpy(path + plen + 1, name, nl + 1);
            bool fresh;
            CgEntry *c = see(t, rd, path, self, ino, gen, &fresh);
            bool lent = false;
            if (fresh) {
                watch_dir(d, cfd);
                lent = rd && cgfiles_adopt_dir(rd, &c->files, cfd);
            }
            if (depth + 1 < MT_MAX_DEPTH) {
                char *cbuf = level_buffer(d, depth + 1);
                char *own = cbuf ? NULL : xmalloc(DENTS_BUF);
                n += walk(d, t, rd, cfd, path, plen + 1 + nl, c, gen, depth + 1,
                          cbuf ? cbuf : own, kernfs_only);
                free(own);
            }
            path[plen] = '\0';
            if (!lent)
                close(cfd);
        }
    }
    return n;
}

int discover_walk(Discover *d, CgTable *t, Reader *rd, int memroot_fd, uint64_t gen,
                  uint64_t now)
{
    char path[PATH_MAX];
    struct stat st;
    struct statfs sfs;

    if (d) {
        d->dirty = false;
        d->last_walk_ns = now;
        d->walks++;
    }
    if (fstat(memroot_fd, &st) < 0)
        return -errno;
    path[0] = '/';
    path[1] = '\0';
    bool fresh;
    CgEntry *root = see(t, rd, "/", NULL, st.st_ino, gen, &fresh);
    if (fresh)
        watch_dir(d, memroot_fd);
    /* A private fd for the read: memroot_fd's offset is shared by all
     * users, and getdents64 needs to start at 0. */
    int fd = fs_open_at(memroot_fd, ".", O_DIRECTORY);
    if (fd < 0)
        return fd;
    char *buf = level_buffer(d, 0);
    char *own = buf ? NULL : xmalloc(DENTS_BUF);
    path[0] = '\0';     /* children are built as "" + "/" + name */
    bool kernfs_only = fstatfs(memroot_fd, &sfs) == 0 &&
                       (sfs.f_type == CGROUP_SUPER_MAGIC || sfs.f_type == CGROUP2_SUPER_MAGIC);
    int n = walk(d, t, rd, fd, path, 0, root, gen, 0, buf ? buf : own, kernfs_only);
    free(own);
    close(fd);
    return n;
}
