/* holder.c - benchmark workload: join a cgroup, hold some anonymous memory
 * and some page cache, then sleep until killed.
 *
 *   holder CGROUP_PROCS_FILE ANON_KIB CACHE_FILE CACHE_KIB [BUSY_KIB]
 *
 * The process writes its own pid to CGROUP_PROCS_FILE first (so every page
 * below is charged to that cgroup), touches ANON_KIB of private anonymous
 * memory, writes CACHE_KIB to CACHE_FILE (page cache, left in memory), then
 * closes stdout (the parent waits for EOF to know the charge is done) and
 * pauses.  With BUSY_KIB (at most ANON_KIB) it stays busy instead: every
 * second it alternately gives the first BUSY_KIB of its anonymous memory
 * back (MADV_DONTNEED) and touches it again, so its cgroup's usage and
 * fault counters change on every tick of a sampler.  Only the benchmark
 * and the churn test use it. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static long parse_kib(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return (*end || v < 0 || v > (1L << 30)) ? -1 : v;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char pid[32];
    char block[4096];

    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: holder CGROUP_PROCS_FILE ANON_KIB CACHE_FILE CACHE_KIB "
                "[BUSY_KIB]\n");
        return 2;
    }
    long anon = parse_kib(argv[2]), cache = parse_kib(argv[4]);
    long busy = argc == 6 ? parse_kib(argv[5]) : 0;
    if (anon < 0 || cache < 0 || busy < 0 || busy > anon) {
        fprintf(stderr, "holder: invalid size\n");
        return 2;
    }
    if (strcmp(argv[1], "-") != 0) {
        int fd = open(argv[1], O_WRONLY | O_CLOEXEC);
        int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
        if (fd < 0 || write_all(fd, pid, (size_t)n) < 0) {
            fprintf(stderr, "holder: cannot join %s: %s\n", argv[1], strerror(errno));
            return 1;
        }
        close(fd);
    }
    char *p = NULL;
    if (anon > 0) {
        size_t len = (size_t)anon * 1024;
        p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("holder: mmap");
            return 1;
        }
        for (size_t i = 0; i < len; i += 4096)
            p[i] = (char)(i >> 12 | 1);
    }
    if (cache > 0) {
        int fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            perror("holder: cache file");
            return 1;
        }
        memset(block, 'm', sizeof(block));
        for (long k = 0; k < cache; k += 4)
            if (write_all(fd, block, sizeof(block)) < 0) {
                perror("holder: write");
                return 1;
            }
        close(fd);
    }
    fclose(stdout);     /* ready */
    if (busy == 0)
        for (;;)
            pause();
    size_t blen = (size_t)busy * 1024;
    for (bool held = true;; held = !held) {
        struct timespec sec = { 1, 0 };
        nanosleep(&sec, NULL);
        if (held) {
            madvise(p, blen, MADV_DONTNEED);
        } else {
            for (size_t i = 0; i < blen; i += 4096)
                p[i] = (char)(i >> 12 | 1);
        }
    }
}
