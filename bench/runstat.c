/* runstat.c - run a command and report what it cost.
 *
 *   runstat [-o FILE] [-t | -p MARKER] [-s STATFILE] -- COMMAND [ARG]...
 *
 * Prints one line "wall_ms=… first_ms=… user_ms=… sys_ms=… cpu_ms=…
 * maxrss_kib=… out_bytes=… status=…" on stderr (or into STATFILE): CPU and
 * peak RSS come from wait4() of the child, first_ms is the time from fork
 * to the first byte the child writes on stdout (its first frame), out_bytes
 * counts what it wrote.  The child's stdout is drained into FILE (default
 * /dev/null).  -t leaves the child's stdout alone (a terminal UI under
 * tmux): first_ms and out_bytes are then -1.  -p runs the child on a
 * pseudo-terminal of its own (the size of runstat's terminal, else 120x40)
 * and relays what it writes into FILE: out_bytes counts the bytes the
 * child sent to its terminal and first_ms is the time until MARKER first
 * appears in them (a terminal UI writes mode-setting bytes long before its
 * first frame). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Does MARKER appear in what has been seen so far?  tail keeps the last
 * bytes of earlier chunks so a marker split across two reads is found. */
static bool marker_seen(const char *marker, char *tail, size_t *tail_len,
                        const char *buf, size_t n)
{
    size_t ml = strlen(marker);
    char joined[256 + 65536];
    memcpy(joined, tail, *tail_len);
    memcpy(joined + *tail_len, buf, n);
    size_t jl = *tail_len + n;
    bool hit = memmem(joined, jl, marker, ml) != NULL;
    size_t keep = ml > 1 ? ml - 1 : 0;
    if (keep > jl)
        keep = jl;
    memcpy(tail, joined + jl - keep, keep);
    *tail_len = keep;
    return hit;
}

static double tv_ms(struct timeval tv)
{
    return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

int main(int argc, char **argv)
{
    const char *outpath = "/dev/null", *statpath = NULL, *marker = NULL;
    bool tty = false;
    int i = 1;

    for (;;) {
        if (i + 1 < argc && strcmp(argv[i], "-o") == 0) {
            outpath = argv[i + 1];
            i += 2;
        } else if (i + 1 < argc && strcmp(argv[i], "-s") == 0) {
            statpath = argv[i + 1];
            i += 2;
        } else if (i + 1 < argc && strcmp(argv[i], "-p") == 0 && argv[i + 1][0] &&
                   strlen(argv[i + 1]) < 256) {
            marker = argv[i + 1];
            i += 2;
        } else if (i < argc && strcmp(argv[i], "-t") == 0) {
            tty = true;
            i++;
        } else {
            break;
        }
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc) {
        fprintf(stderr, "usage: runstat [-o FILE] [-t | -p MARKER] [-s STATFILE] -- COMMAND [ARG]...\n");
        return 2;
    }
    int out = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int pfd[2] = { -1, -1 };
    if (out < 0 || (!marker && pipe(pfd) < 0)) {
        perror("runstat");
        return 2;
    }
    struct winsize ws = { .ws_row = 40, .ws_col = 120 };
    struct winsize mine;
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &mine) == 0 && mine.ws_row > 0 && mine.ws_col > 0)
        ws = mine;
    double t0 = mono_ms();
    pid_t pid = marker ? forkpty(&pfd[0], NULL, NULL, &ws) : fork();
    if (pid < 0) {
        perror("runstat: fork");
        return 2;
    }
    if (pid == 0) {
        if (!tty && !marker)
            dup2(pfd[1], STDOUT_FILENO);
        if (!marker) {
            close(pfd[0]);
            close(pfd[1]);
        }
        execvp(argv[i], argv + i);
        fprintf(stderr, "runstat: cannot run %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    if (!marker)
        close(pfd[1]);
    char buf[65536], tail[256];
    size_t tail_len = 0;
    double first = -1;
    unsigned long long total = 0;
    for (;;) {
        ssize_t n = read(pfd[0], buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;      /* a pty master reads EIO once the child's side closed */
        if (first < 0 && (!marker || marker_seen(marker, tail, &tail_len, buf, (size_t)n)))
            first = mono_ms() - t0;
        total += (unsigned long long)n;
        if (write(out, buf, (size_t)n) != n) {
            perror("runstat: write");
            break;
        }
    }
    close(pfd[0]);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("runstat: wait4");
            return 2;
        }
    }
    double wall = mono_ms() - t0;
    double u = tv_ms(ru.ru_utime), s = tv_ms(ru.ru_stime);
    FILE *st = statpath ? fopen(statpath, "w") : stderr;
    if (!st) {
        perror("runstat: stat file");
        return 2;
    }
    fprintf(st, "wall_ms=%.1f first_ms=%.1f user_ms=%.1f sys_ms=%.1f cpu_ms=%.1f "
            "maxrss_kib=%ld out_bytes=%lld status=%d\n", wall, first, u, s, u + s,
            ru.ru_maxrss, tty ? -1LL : (long long)total, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    if (st != stderr)
        fclose(st);
    close(out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
