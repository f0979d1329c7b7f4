/* workload.c - small, predictable memory workloads for the live tests
 * (live_v1.sh, live_risk.sh, record_live.sh).
 *
 *   workload anon MIB                 touch MIB of private anonymous memory
 *   workload grow MIB_PER_S MAX_MIB   touch anonymous memory at a steady rate
 *                                     up to MAX_MIB
 *   workload hog MIB_PER_S            the same without an end (until the OOM
 *                                     killer or the test stops it)
 *   workload writefile PATH MIB       write a MIB file (page cache charged to
 *                                     this cgroup), fsync, read it back
 *   workload tmpfs PATH MIB           the same for PATH on a tmpfs (shmem,
 *                                     stays charged until the file is removed)
 *   workload cache PATH MIB_PER_S     read PATH once from a cold cache at a
 *                                     rate: every page ends on the inactive
 *                                     file list
 *
 * Prints "ready" on stdout once the memory is in place (grow, hog and cache:
 * once they have started), then holds it, sleeping until killed.  Run it
 * inside the target cgroup (write its pid to cgroup.procs before exec, so
 * every page is charged there).  Bad arguments: usage on stderr, exit 2;
 * a failing system call: a message on stderr, exit 1. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1u << 20)        /* one MiB: the unit of every size and rate */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *path)
{
    fprintf(stderr, "workload: %s%s%s: %s\n", what, path ? " " : "", path ? path : "",
            strerror(errno));
    exit(1);
}

static void ready(void)
{
    printf("ready\n");
    fflush(stdout);
}

static void hold(void)
{
    for (;;)
        pause();
}

/* Sleep until chunk number done (0-based) is due at rate MiB/s from t0;
 * rate 0 means as fast as possible. */
static void pace(double t0, long done, double rate)
{
    if (rate <= 0)
        return;
    double due = t0 + (double)(done + 1) / rate;
    while (now() < due)
        usleep(10000);
}

/* Map and touch max_mib MiB (max_mib < 0: without end) of private
 * anonymous memory, one MiB at a time, at rate MiB/s. */
static void touch_anon(long max_mib, double rate)
{
    double t0 = now();
    long pagesz = sysconf(_SC_PAGESIZE);

    for (long done = 0; max_mib < 0 || done < max_mib; done++) {
        volatile char *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            die("mmap", NULL);
        for (size_t o = 0; o < CHUNK; o += (size_t)pagesz)
            p[o] = (char)(o / (size_t)pagesz + 1);
        pace(t0, done, rate);
    }
}

/* Write mib MiB to path, fsync, read it back once (page cache or, on a
 * tmpfs, shmem; either way charged to this cgroup). */
static void write_file(const char *path, long mib)
{
    static char buf[CHUNK];
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    if (fd < 0)
        die("open", path);
    memset(buf, 'x', sizeof(buf));
    for (long i = 0; i < mib; i++)
        if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
            die("write", path);
    fsync(fd);
    lseek(fd, 0, SEEK_SET);
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    close(fd);
}

/* Read path once, sequentially, at rate MiB/s, starting from a cold
 * cache: every page is read once, so it ends on the inactive file list. */
static void read_cold(const char *path, double rate)
{
    static char buf[CHUNK];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    double t0 = now();

    if (fd < 0)
        die("open", path);
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    for (long i = 0; read(fd, buf, sizeof(buf)) > 0; i++)
        pace(t0, i, rate);
    close(fd);
}

/* A positive number of MiB or MiB/s, else usage. */
static double number(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0) || v > 1e6) {
        fprintf(stderr, "workload: not a positive size or rate: %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";

    if (argc == 3 && strcmp(cmd, "anon") == 0) {
        touch_anon((long)number(argv[2]), 0);
        ready();
    } else if (argc == 4 && strcmp(cmd, "grow") == 0) {
        ready();
        touch_anon((long)number(argv[3]), number(argv[2]));
    } else if (argc == 3 && strcmp(cmd, "hog") == 0) {
        ready();
        touch_anon(-1, number(argv[2]));
    } else if (argc == 4 && (strcmp(cmd, "writefile") == 0 || strcmp(cmd, "tmpfs") == 0)) {
        write_file(argv[2], (long)number(argv[3]));
        ready();
    } else if (argc == 4 && strcmp(cmd, "cache") == 0) {
        ready();
        read_cold(argv[2], number(argv[3]));
    } else {
        fprintf(stderr, "usage: workload anon MIB | grow MIB_PER_S MAX_MIB | hog MIB_PER_S |\n"
                        "       writefile PATH MIB | tmpfs PATH MIB | cache PATH MIB_PER_S\n");
        return 2;
    }
    hold();
}
