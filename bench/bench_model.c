/* bench_model.c - time the sampler on a tree (a fixture or the live host).
 *
 *   bench_model [--root DIR] [--ticks N] [--history N] [--all]
 *
 * Opens a Model like memtop does, takes N ticks back to back (default: the
 * history size, so every ring is full at the end) and prints one line of
 * key=value figures: the first tick's wall time (model_open + first
 * model_tick + first batch frame), CPU ms per steady-state model_tick
 * (mean, median, p95; CLOCK_PROCESS_CPUTIME_ID), CPU ms per tick including
 * the batch table written to /dev/null, the number of cgroups, and VmRSS /
 * VmHWM at the end. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sample/model.h"
#include "output/batch.h"

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long status_kib(const char *key)
{
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    FILE *f = fopen("/proc/self/status", "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':')
            v = strtol(line + kl + 1, NULL, 10);
    fclose(f);
    return v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    ModelOptions mo;
    Model m;
    char err[512];
    long ticks = -1;
    bool all = false;

    model_options_default(&mo);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
            mo.root = argv[++i];
        else if (strcmp(argv[i], "--ticks") == 0 && i + 1 < argc)
            ticks = atol(argv[++i]);
        else if (strcmp(argv[i], "--history") == 0 && i + 1 < argc)
            mo.history = (uint32_t)atol(argv[++i]);
        else if (strcmp(argv[i], "--all") == 0)
            all = true;
        else {
            fprintf(stderr, "usage: bench_model [--root DIR] [--ticks N] [--history N] [--all]\n");
            return 2;
        }
    }
    if (ticks < 2)
        ticks = mo.history;
    if (ticks < 2)
        ticks = 2;
    FILE *devnull = fopen("/dev/null", "w");
    BatchOptions bo = { .show = all ? MT_SHOW_ALL : MT_SHOW_CONTAINERS, .sort = MT_COL_WS,
                        .header = true };
    double *tick_ms = calloc((size_t)ticks, sizeof(double));
    if (!devnull || !tick_ms)
        return 1;

    double w0 = clock_ms(CLOCK_MONOTONIC);
    if (model_open(&m, &mo, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_model: %s\n", err);
        return 1;
    }
    double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    model_tick(&m, 0, 0);
    double first_cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    out_batch_write(devnull, &m, &bo);
    fflush(devnull);
    double first_wall = clock_ms(CLOCK_MONOTONIC) - w0;

    double out_total = 0;
    for (long i = 1; i < ticks; i++) {
        double a = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        model_tick(&m, 0, 0);
        double b = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        out_batch_write(devnull, &m, &bo);
        fflush(devnull);
        out_total += clock_ms(CLOCK_PROCESS_CPUTIME_ID) - b;
        tick_ms[i - 1] = b - a;
    }
    long n = ticks - 1;
    double sum = 0;
    for (long i = 0; i < n; i++)
        sum += tick_ms[i];
    qsort(tick_ms, (size_t)n, sizeof(double), cmp_double);
    printf("cgroups=%zu ticks=%ld history=%u first_frame_ms=%.2f first_tick_cpu_ms=%.2f "
           "tick_cpu_ms_mean=%.3f tick_cpu_ms_p50=%.3f tick_cpu_ms_p95=%.3f "
           "tick_plus_batch_cpu_ms=%.3f rss_kib=%ld hwm_kib=%ld\n",
           m.table.n, ticks, m.opt.history, first_wall, first_cpu, sum / (double)n,
           tick_ms[n / 2], tick_ms[(n * 95) / 100], (sum + out_total) / (double)n,
           status_kib("VmRSS"), status_kib("VmHWM"));
    model_close(&m);
    fclose(devnull);
    free(tick_ms);
    return 0;
}
