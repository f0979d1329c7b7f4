/* churner.c - create and destroy cgroups at a steady rate for churn.sh.
 *
 *   churner DIR RATE SECONDS
 *
 * Every second: create RATE cgroups DIR/c<N>, each with a forked child that
 * joins it (writes its pid to cgroup.procs), touches 256 KiB and sleeps;
 * then kill and reap the previous second's children and rmdir their
 * cgroups.  At the end everything it made is gone.  Prints
 * "created N removed M failed F".  Only writes below DIR. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RATE 1000

typedef struct {
    pid_t pid;
    char dir[4096];
} Slot;

static void child(const char *dir)
{
    char path[4200], pid[32];
    snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
    if (fd < 0 || write(fd, pid, (size_t)n) != n)
        _exit(1);
    close(fd);
    static char mem[256 * 1024];
    for (size_t i = 0; i < sizeof(mem); i += 4096)
        mem[i] = 1;
    struct timespec ts = { 2, 0 };
    nanosleep(&ts, NULL);       /* killed before that, normally */
    _exit(0);
}

static int reap(Slot *s, int n)
{
    int failed = 0;
    for (int i = 0; i < n; i++)
        if (s[i].pid > 0)
            kill(s[i].pid, SIGKILL);
    for (int i = 0; i < n; i++) {
        if (s[i].pid > 0)
            while (waitpid(s[i].pid, NULL, 0) < 0 && errno == EINTR)
                ;
        int tries = 0;
        while (rmdir(s[i].dir) < 0 && errno == EBUSY && tries++ < 50) {
            struct timespec ts = { 0, 10 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
        if (access(s[i].dir, F_OK) == 0)
            failed++;
    }
    return failed;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: churner DIR RATE SECONDS\n");
        return 2;
    }
    const char *base = argv[1];
    int rate = atoi(argv[2]), secs = atoi(argv[3]);
    if (rate < 1 || rate > MAX_RATE || secs < 1) {
        fprintf(stderr, "churner: bad rate or duration\n");
        return 2;
    }
    Slot *cur = calloc((size_t)rate, sizeof(Slot)), *old = calloc((size_t)rate, sizeof(Slot));
    if (!cur || !old)
        return 1;
    long seq = 0, created = 0, removed = 0, failed = 0;
    int nold = 0;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (int s = 0; s < secs; s++) {
        int ncur = 0;
        for (int k = 0; k < rate; k++) {
            Slot *sl = &cur[ncur];
            snprintf(sl->dir, sizeof(sl->dir), "%s/c%ld", base, seq++);
            if (mkdir(sl->dir, 0755) < 0) {
                failed++;
                continue;
            }
            sl->pid = fork();
            if (sl->pid == 0)
                child(sl->dir);
            ncur++;
            created++;
        }
        int f = reap(old, nold);
        removed += nold - f;
        failed += f;
        Slot *t = old;
        old = cur;
        cur = t;
        nold = ncur;
        next.tv_sec++;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
            ;
    }
    int f = reap(old, nold);
    removed += nold - f;
    failed += f;
    printf("created %ld removed %ld failed %ld\n", created, removed, failed);
    free(cur);
    free(old);
    return failed ? 1 : 0;
}
