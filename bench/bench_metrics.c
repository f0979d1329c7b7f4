/* bench_metrics.c - what a scrape costs next to what a tick costs.
 *
 *   bench_metrics --root DIR [--all] [--ticks N] [--renders N]
 *
 * Opens the model, the analysis and forensics as `memtop --listen` does
 * (no OOM source, no bus), takes N ticks back to back (default 20), then
 * renders the exposition N times per format (default 50) and gzips it as
 * the HTTP server does (zlib level 1).  Prints key=value figures: CPU ms
 * per steady tick (model_tick + forensics_tick, median), CPU ms per render
 * (median, p95) and per gzip, body bytes raw and gzipped, series count,
 * and VmRSS before and after the renders (the renders must not grow it). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "analysis/analysis.h"
#include "forensics/forensics.h"
#include "output/metrics.h"
#include "sample/model.h"

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long rss_kib(void)
{
    char line[256];
    long v = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            v = strtol(line + 6, NULL, 10);
    fclose(f);
    return v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[(int)(p * (n - 1) + 0.5)];
}

static size_t gzip_len(const char *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    size_t cap = deflateBound(&z, (uLong)n);
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    free(out);
    return len;
}

int main(int argc, char **argv)
{
    ModelOptions mo;
    ForensicsOptions fo;
    Model m;
    Analysis an;
    Forensics fz;
    char err[512];
    int ticks = 20, renders = 50;
    bool all = false;

    model_options_default(&mo);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
            mo.root = argv[++i];
        else if (strcmp(argv[i], "--ticks") == 0 && i + 1 < argc)
            ticks = atoi(argv[++i]);
        else if (strcmp(argv[i], "--renders") == 0 && i + 1 < argc)
            renders = atoi(argv[++i]);
        else if (strcmp(argv[i], "--all") == 0)
            all = true;
        else {
            fprintf(stderr, "usage: bench_metrics --root DIR [--all] [--ticks N] [--renders N]\n");
            return 2;
        }
    }
    if (ticks < 2 || renders < 1)
        return 2;
    mo.interval = 2;
    if (model_open(&m, &mo, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_metrics: %s\n", err);
        return 1;
    }
    analysis_init(&an, NULL);
    analysis_attach(&an, &m);
    forensics_options_default(&fo);
    fo.names_opt.no_bus = true;
    fo.oom.mode = MT_OOMSRC_NONE;
    if (forensics_open(&fz, &m, &fo, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_metrics: %s\n", err);
        return 1;
    }
    double *tick = calloc((size_t)ticks, sizeof(double));
    for (int i = 0; i < ticks; i++) {
        double t0 = cpu_ms();
        model_tick(&m, 0, 0);
        forensics_tick(&fz, &m);
        tick[i] = cpu_ms() - t0;
    }
    /* the first tick opens every file: steady state is the rest */
    double tick_med = pct(tick + 1, ticks - 1, 0.5);

    long rss0 = 0;
    printf("cgroups=%zu listed=%s tick_cpu_ms_median=%.2f", m.table.n,
           all ? "all" : "containers", tick_med);
    double *r = calloc((size_t)renders, sizeof(double));
    /* BENCH_OM_FIRST=1 measures OpenMetrics first (the first format
     * measured runs right after the ticks, with their data in the caches) */
    bool om_first = getenv("BENCH_OM_FIRST") != NULL;
    for (int k = 0; k < 2; k++) {
        int f = om_first ? 1 - k : k;
        MetricsBuf b;
        MetricsOptions o = { .format = (MtExpoFormat)f,
                             .show = all ? MT_SHOW_ALL : MT_SHOW_CONTAINERS, .fz = &fz };
        metrics_buf_init(&b);
        metrics_render(&b, &m, &o);         /* warm up: buffer at its size */
        if (k == 0)
            rss0 = rss_kib();
        for (int i = 0; i < renders; i++) {
            b.len = 0;
            double t0 = cpu_ms();
            metrics_render(&b, &m, &o);
            r[i] = cpu_ms() - t0;
        }
        size_t series = 0;
        for (size_t i = 0; i < b.len; i++)
            series += b.p[i] == '\n' && i + 1 < b.len && b.p[i + 1] != '#';
        double g0 = cpu_ms();
        size_t gz = gzip_len(b.p, b.len);
        double gms = cpu_ms() - g0;
        const char *name = f == 0 ? "text" : "om";
        printf(" %s_render_cpu_ms_median=%.2f %s_render_cpu_ms_p95=%.2f %s_gzip_cpu_ms=%.2f "
               "%s_bytes=%zu %s_gzip_bytes=%zu %s_series=%zu", name, pct(r, renders, 0.5), name,
               pct(r, renders, 0.95), name, gms, name, b.len, name, gz, name, series);
        metrics_buf_free(&b);
    }
    printf(" rss_kib_before_renders=%ld rss_kib_after_renders=%ld\n", rss0, rss_kib());
    free(r);
    free(tick);
    forensics_close(&fz, &m);
    model_close(&m);
    return 0;
}
