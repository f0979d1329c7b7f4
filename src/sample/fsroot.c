/* fsroot.c - openat/pread helpers, see fsroot.h. */
#include "config.h"

#include "sample/fsroot.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

int fs_open_at(int dirfd, const char *rel, int extra_flags)
{
    int fd;

    do
        fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY | extra_flags);
    while (fd < 0 && errno == EINTR);
    return fd < 0 ? -errno : fd;
}

ssize_t fs_pread0(int fd, char *buf, size_t len)
{
    size_t got = 0;

    if (len == 0)
        return -EINVAL;
    /* Loop: a file larger than one page may come in several chunks. */
    while (got < len - 1) {
        ssize_t n = pread(fd, buf + got, len - 1 - got, (off_t)got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    return (ssize_t)got;
}

ssize_t fs_read_at(int dirfd, const char *rel, char *buf, size_t len)
{
    int fd = fs_open_at(dirfd, rel, 0);
    if (fd < 0)
        return fd;
    ssize_t n = fs_pread0(fd, buf, len);
    close(fd);
    return n;
}

long fs_raise_nofile(long want)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 1024;
    if ((rlim_t)want > rl.rlim_cur) {
        rlim_t target = (rlim_t)want;
        if (rl.rlim_max != RLIM_INFINITY && target > rl.rlim_max)
            target = rl.rlim_max;
        struct rlimit nrl = { target, rl.rlim_max };
        if (setrlimit(RLIMIT_NOFILE, &nrl) == 0)
            rl.rlim_cur = target;
    }
    return rl.rlim_cur == RLIM_INFINITY ? (long)1 << 20 : (long)rl.rlim_cur;
}
