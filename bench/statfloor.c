/* statfloor.c - what the kernel alone charges to read one cgroup file.
 *
 *   statfloor DIR FILE [ROUNDS]
 *
 * Opens FILE (e.g. memory.stat) in DIR and every directory below it, then
 * reads each of them once per round with pread() at offset 0, ROUNDS times
 * (default 10), and prints "files=N cpu_ms_per_round=X us_per_read=Y": the
 * CPU a sampler cannot avoid if it reads that file of every cgroup every
 * tick, whatever it does in user space. */
#include "config.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *file_name;
static int *fds;
static size_t nfds, capfds;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    char p[4096];
    (void)st;
    (void)ftw;
    if (type != FTW_D || snprintf(p, sizeof(p), "%s/%s", path, file_name) >= (int)sizeof(p))
        return 0;
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    if (nfds == capfds) {
        capfds = capfds ? capfds * 2 : 1024;
        fds = realloc(fds, capfds * sizeof(*fds));
        if (!fds) {
            perror("statfloor");
            exit(1);
        }
    }
    fds[nfds++] = fd;
    return 0;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    static char buf[65536];

    if (argc < 3) {
        fprintf(stderr, "usage: statfloor DIR FILE [ROUNDS]\n");
        return 2;
    }
    file_name = argv[2];
    int rounds = argc > 3 ? atoi(argv[3]) : 10;
    if (rounds < 1)
        rounds = 1;
    if (nftw(argv[1], visit, 64, FTW_PHYS) < 0) {
        perror("statfloor: walk");
        return 1;
    }
    if (nfds == 0) {
        fprintf(stderr, "statfloor: no %s below %s\n", file_name, argv[1]);
        return 1;
    }
    for (size_t i = 0; i < nfds; i++)     /* warm up */
        if (pread(fds[i], buf, sizeof(buf), 0) < 0)
            perror("statfloor: pread");
    double t0 = cpu_ms();
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < nfds; i++)
            if (pread(fds[i], buf, sizeof(buf), 0) < 0)
                perror("statfloor: pread");
    double per_round = (cpu_ms() - t0) / rounds;
    printf("files=%zu cpu_ms_per_round=%.2f us_per_read=%.2f\n", nfds, per_round,
           per_round * 1e3 / (double)nfds);
    return 0;
}
