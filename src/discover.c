/* discover.c - recursive walk of the cgroup hierarchy.
 *
 * getdents() gives d_type and d_ino, so no stat() is needed per cgroup.
 * A directory that disappears while we walk it is simply not seen. */
#include "config.h"

#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsroot.h"

static CgEntry *see(CgTable *t, Reader *rd, const char *path, CgEntry *parent,
                    uint64_t ino, uint64_t gen)
{
    CgEntry *e = cgtable_find(t, path);

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
    } else if (e->inode != ino || e->state == MT_STATE_GONE) {
        /* Same path, new directory: a different cgroup now. */
        cgtable_reset_entry(t, rd, e);
        e->inode = ino;
    }
    e->seen_gen = gen;
    return e;
}

static int walk(CgTable *t, Reader *rd, int dirfd, char *path, size_t plen, CgEntry *self,
                uint64_t gen, int depth)
{
    int n = 1;
    int fd = dup(dirfd);
    if (fd < 0)
        return n;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return n;
    }
    rewinddir(d);   /* the dup shares its offset with dirfd: start over */
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
        if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
                                     (de->d_name[1] == '.' && de->d_name[2] == '\0')))
            continue;
        size_t nl = strlen(de->d_name);
        if (plen + 1 + nl + 1 > PATH_MAX)
            continue;
        int cfd = fs_open_at(dirfd, de->d_name, O_DIRECTORY | O_NOFOLLOW);
        if (cfd < 0)
            continue;       /* vanished, or not a directory (DT_UNKNOWN) */
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
        memcpy(path + plen + 1, de->d_name, nl + 1);
        CgEntry *c = see(t, rd, path, self, ino, gen);
        if (depth + 1 < MT_MAX_DEPTH)
            n += walk(t, rd, cfd, path, plen + 1 + nl, c, gen, depth + 1);
        path[plen] = '\0';
        close(cfd);
    }
    closedir(d);
    return n;
}

int discover_walk(CgTable *t, Reader *rd, int memroot_fd, uint64_t gen)
{
    char path[PATH_MAX];
    struct stat st;

    if (fstat(memroot_fd, &st) < 0)
        return -errno;
    path[0] = '/';
    path[1] = '\0';
    CgEntry *root = see(t, rd, "/", NULL, st.st_ino, gen);
    path[0] = '\0';     /* children are built as "" + "/" + name */
    return walk(t, rd, memroot_fd, path, 0, root, gen, 0);
}
