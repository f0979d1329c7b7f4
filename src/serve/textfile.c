/* textfile.c - atomic writes of DIR/memtop.prom. */
#include "config.h"

#include "serve/textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int textfile_open(TextFile *t, const char *dir, char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    t->dirfd = -1;
    snprintf(t->dir, sizeof(t->dir), "%s", dir);
    snprintf(t->tmp, sizeof(t->tmp), ".%s.%ld.tmp", MT_TEXTFILE_NAME, (long)getpid());
    t->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (t->dirfd < 0) {
        snprintf(err, errlen, "--textfile %s: %s", dir, strerror(errno));
        return -1;
    }
    int fd = openat(t->dirfd, t->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "--textfile %s: cannot create files there: %s", dir,
                 strerror(errno));
        close(t->dirfd);
        t->dirfd = -1;
        return -1;
    }
    close(fd);
    unlinkat(t->dirfd, t->tmp, 0);
    return 0;
}

int textfile_write(TextFile *t, const char *data, size_t len, char *err, size_t errlen)
{
    int fd = openat(t->dirfd, t->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int r;

    if (fd < 0) {
        r = -errno;
        snprintf(err, errlen, "--textfile %s: %s", t->dir, strerror(-r));
        return r;
    }
    r = write_all(fd, data, len);
    if (close(fd) < 0 && r == 0)
        r = -errno;
    if (r == 0 && renameat(t->dirfd, t->tmp, t->dirfd, MT_TEXTFILE_NAME) < 0)
        r = -errno;
    if (r < 0) {
        snprintf(err, errlen, "--textfile %s/%s: %s", t->dir, MT_TEXTFILE_NAME, strerror(-r));
        unlinkat(t->dirfd, t->tmp, 0);
    }
    return r;
}

void textfile_close(TextFile *t)
{
    if (t->dirfd >= 0)
        close(t->dirfd);
    t->dirfd = -1;
}
