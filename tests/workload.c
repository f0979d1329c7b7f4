/* workload.c - memory workloads for the live risk test (tests/live_risk.sh).
 *
 *   workload grow MIB_PER_S MAX_MIB   touch anonymous memory at a steady rate
 *                                     up to MAX_MIB, then hold it
 *   workload tmpfs FILE MIB           write MIB into FILE (on a tmpfs), hold
 *   workload cache FILE MIB_PER_S     read FILE once from a cold cache at a rate
 *   workload hog MIB_PER_S            allocate and touch until killed
 *
 * Holding means sleeping until a signal; the test kills the process. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1u << 20)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hold(void)
{
    for (;;)
        pause();
}

/* Touch MiB chunks at rate MiB/s (0: as fast as possible) up to max. */
static void grow(double rate, long max_mib)
{
    double t0 = now();
    long pagesz = sysconf(_SC_PAGESIZE);

    for (long done = 0; max_mib <= 0 || done < max_mib; done++) {
        char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("workload: mmap");
            exit(1);
        }
        for (size_t o = 0; o < CHUNK; o += (size_t)pagesz)
            p[o] = (char)(o | 1);
        if (rate > 0) {
            double due = t0 + (double)(done + 1) / rate;
            while (now() < due)
                usleep(10000);
        }
    }
    hold();
}

static int write_file(const char *path, long mib)
{
    static char buf[CHUNK];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    if (fd < 0) {
        fprintf(stderr, "workload: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    memset(buf, 'x', sizeof(buf));
    for (long i = 0; i < mib; i++)
        if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
            fprintf(stderr, "workload: write %s: %s\n", path, strerror(errno));
            exit(1);
        }
    return fd;
}

/* Read path once, sequentially, at rate MiB/s, starting from a cold
 * cache: every page is read once, so it ends on the inactive file list. */
static void cache(const char *path, double rate)
{
    static char buf[CHUNK];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    double t0 = now();

    if (fd < 0) {
        fprintf(stderr, "workload: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    for (long i = 0;; i++) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0)
            break;
        double due = t0 + (double)(i + 1) / rate;
        while (now() < due)
            usleep(10000);
    }
    hold();
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "grow") == 0) {
        grow(atof(argv[2]), atol(argv[3]));
    } else if (argc >= 4 && strcmp(argv[1], "tmpfs") == 0) {
        write_file(argv[2], atol(argv[3]));
        hold();
    } else if (argc >= 4 && strcmp(argv[1], "cache") == 0) {
        cache(argv[2], atof(argv[3]));
    } else if (argc >= 3 && strcmp(argv[1], "hog") == 0) {
        grow(atof(argv[2]), 0);
    }
    fprintf(stderr, "usage: workload grow MIB_PER_S MAX_MIB | tmpfs FILE MIB | "
                    "cache FILE MIB_PER_S | hog MIB_PER_S\n");
    return 2;
}
