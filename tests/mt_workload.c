/* mt_workload.c - small, predictable memory workloads for the live tests.
 *
 *   mt_workload anon MIB           touch MIB of private anonymous memory
 *   mt_workload writefile PATH MIB write a MIB file (page cache charged to
 *                                  the caller's cgroup), fsync, read it back
 *   mt_workload tmpfs PATH MIB     the same on tmpfs (shmem)
 *   mt_workload grow MIB_S MAX     grow anon by MIB_S MiB per second to MAX
 *
 * Prints "ready" on stdout once the memory is in place, then sleeps until
 * killed.  Run it inside the target cgroup (write its pid to cgroup.procs
 * before exec, so every page is charged there). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MiB (1024L * 1024L)

/* Keeps the compiler from eliding the allocation and the stores. */
char *volatile mt_workload_sink;

static void touch_anon(long mib)
{
    volatile char *p = malloc((size_t)(mib * MiB));
    if (!p) {
        perror("malloc");
        exit(1);
    }
    for (long i = 0; i < mib * MiB; i += 4096)
        p[i] = (char)(i / 4096 + 1);
    mt_workload_sink = (char *)p;
}

static void write_file(const char *path, long mib)
{
    static char block[1 << 16];
    int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    if (fd < 0) {
        perror(path);
        exit(1);
    }
    memset(block, 'x', sizeof(block));
    for (long done = 0; done < mib * MiB; done += (long)sizeof(block))
        if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block)) {
            perror("write");
            exit(1);
        }
    fsync(fd);
    lseek(fd, 0, SEEK_SET);
    while (read(fd, block, sizeof(block)) > 0)
        ;
    close(fd);
}

static void ready(void)
{
    printf("ready\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "anon") == 0) {
        touch_anon(atol(argv[2]));
    } else if (argc >= 4 && (strcmp(argv[1], "writefile") == 0 || strcmp(argv[1], "tmpfs") == 0)) {
        write_file(argv[2], atol(argv[3]));
    } else if (argc >= 4 && strcmp(argv[1], "grow") == 0) {
        long step = atol(argv[2]), max = atol(argv[3]);
        ready();
        for (long have = 0; have < max; have += step) {
            touch_anon(step);
            sleep(1);
        }
        for (;;)
            pause();
    } else {
        fprintf(stderr, "usage: mt_workload anon MIB | writefile PATH MIB | tmpfs PATH MIB | "
                        "grow MIB_PER_S MAX_MIB\n");
        return 2;
    }
    ready();
    for (;;)
        pause();
}
