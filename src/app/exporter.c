/* exporter.c - the exporter's event loop: one thread polls the HTTP
 * server's descriptor until the next tick is due, so a slow or idle client
 * never delays sampling, and a tick never waits for a client. */
#include "config.h"

#include "app/exporter.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "output/metrics.h"
#include "record/replay.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "serve/textfile.h"

static volatile sig_atomic_t exporter_stop;

static void on_signal(int sig)
{
    (void)sig;
    exporter_stop = 1;
}

typedef struct {
    Model *m;
    Forensics *fz;
    const Options *o;
    MetricsSelf self;
    HttpServer *http;
} Exporter;

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static long count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    long n = 0;

    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n - 3;               /* ".", ".." and the directory's own fd */
}

/* The process_* figures, once per tick (a scrape reads nothing). */
static void self_update(Exporter *x)
{
    struct rusage ru;
    struct rlimit rl;
    long page = sysconf(_SC_PAGESIZE);
    FILE *f;

    if (getrusage(RUSAGE_SELF, &ru) == 0)
        x->self.cpu_seconds = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                              ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
    f = fopen("/proc/self/statm", "re");
    if (f) {
        unsigned long long size, res;
        if (fscanf(f, "%llu %llu", &size, &res) == 2) {
            x->self.virtual_bytes = size * (unsigned long long)page;
            x->self.resident_bytes = res * (unsigned long long)page;
        }
        fclose(f);
    }
    x->self.open_fds = count_fds();
    x->self.max_fds = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                      ? (long)rl.rlim_cur : -1;
    x->self.tick_seconds = x->m->last_tick_cpu_ms / 1000.0;
    if (x->http) {
        const HttpStats *st = http_stats(x->http);
        x->self.http_requests = st->requests;
        x->self.http_rejected = st->rejected;
    }
}

static void render(MetricsBuf *out, MtExpoFormat fmt, void *ctx)
{
    Exporter *x = ctx;
    MetricsOptions mo = {
        .format = fmt,
        .show = x->o->all ? MT_SHOW_ALL : MT_SHOW_CONTAINERS,
        .fz = x->fz,
        .self = &x->self,
    };
    metrics_render(out, x->m, &mo);
}

/* --openmetrics / --prometheus on a live node: -n ticks, print the last. */
static int print_once(Exporter *x)
{
    long ticks = x->o->iterations_set && x->o->iterations > 0 ? x->o->iterations : 1;
    uint64_t next = mono_ms();
    MetricsBuf b;

    for (long i = 0; i < ticks; i++) {
        if (i > 0) {
            next += (uint64_t)(x->o->delay * 1000);
            uint64_t now = mono_ms();
            if (next > now)
                usleep((useconds_t)((next - now) * 1000));
        }
        model_tick(x->m, 0, 0);
        forensics_tick(x->fz, x->m);
    }
    metrics_buf_init(&b);
    MetricsOptions mo = {
        .format = x->o->expo == 2 ? MT_EXPO_OPENMETRICS : MT_EXPO_TEXT,
        .show = x->o->all ? MT_SHOW_ALL : MT_SHOW_CONTAINERS,
        .fz = x->fz,
    };
    metrics_render(&b, x->m, &mo);
    size_t w = fwrite(b.p, 1, b.len, stdout);
    int rc = w == b.len && fflush(stdout) == 0 ? 0 : 1;
    metrics_buf_free(&b);
    return rc;
}

/* The socket: systemd's when it passed one, else --listen's. */
static int open_socket(const Options *o, char *what, size_t wlen, char *err, size_t errlen)
{
    int fd = listen_systemd(err, errlen);

    if (fd == -2)
        return -1;
    if (fd >= 0) {
        char addr[96];
        snprintf(what, wlen, "the socket systemd passed (%s)", listen_describe(fd, addr,
                                                                               sizeof(addr)));
        return fd;
    }
    if (!o->listen)
        return -2;              /* --textfile alone */
    ListenAddr a;
    if (listen_parse(o->listen, &a, err, errlen) < 0)
        return -1;
    fd = listen_bind(&a, err, errlen);
    if (fd >= 0)
        snprintf(what, wlen, "%s", a.text);
    return fd;
}

static void install_signals(sigset_t *unblocked)
{
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* blocked except inside ppoll: a signal between the check of the
     * flag and the wait cannot be lost */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, unblocked);
    sigdelset(unblocked, SIGINT);
    sigdelset(unblocked, SIGTERM);
    sigdelset(unblocked, SIGHUP);
}

/* One tick: sample, attribute, record, then publish. -1: stop (the
 * recording we were asked for failed). */
static int exporter_tick(Exporter *x, RunRec *rr, TextFile *tf, MetricsBuf *tb)
{
    char err[600];

    model_tick(x->m, 0, 0);
    forensics_tick(x->fz, x->m);
    int r = runrec_tick(rr, x->m);
    if (r != 0)
        fprintf(stderr, "memtop: %s\n", rr->msg);
    if (r < 0)
        return -1;
    self_update(x);
    if (x->http)
        http_new_tick(x->http);
    if (tf) {
        tb->len = 0;
        render(tb, MT_EXPO_TEXT, x);
        if (textfile_write(tf, tb->p, tb->len, err, sizeof(err)) < 0)
            fprintf(stderr, "memtop: %s\n", err);
    }
    return 0;
}

int exporter_run(Model *m, Forensics *fz, Analysis *an, RunRec *rr, const Options *o)
{
    Exporter x = { .m = m, .fz = fz, .o = o };
    char err[600], what[160];
    TextFile tf;
    MetricsBuf tb;
    sigset_t unblocked;
    struct timespec now;

    (void)an;                   /* evaluated through the model's after_tick hook */
    if (!o->listen && !o->textfile)
        return print_once(&x);
    clock_gettime(CLOCK_REALTIME, &now);
    x.self.start_time = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    if (o->textfile && textfile_open(&tf, o->textfile, err, sizeof(err)) < 0) {
        fprintf(stderr, "memtop: %s\n", err);
        return 1;
    }
    int fd = open_socket(o, what, sizeof(what), err, sizeof(err));
    if (fd == -1) {
        fprintf(stderr, "memtop: %s\n", err);
        if (o->textfile)
            textfile_close(&tf);
        return 1;
    }
    if (fd >= 0) {
        HttpOptions ho;
        http_options_default(&ho);
        ho.render = render;
        ho.ctx = &x;
        x.http = http_start(fd, &ho, err, sizeof(err));
        if (!x.http) {
            fprintf(stderr, "memtop: %s\n", err);
            if (o->textfile)
                textfile_close(&tf);
            return 1;
        }
        /* the one line a person or a test reads to find the port */
        fprintf(stderr, "memtop: serving metrics on %s\n", what);
    }
    install_signals(&unblocked);
    metrics_buf_init(&tb);

    int rc = 0;
    long ticks = 0;
    uint64_t step = (uint64_t)llround(o->delay * 1000);
    uint64_t next = mono_ms();
    while (!exporter_stop) {
        uint64_t t = mono_ms();
        if (t >= next) {
            if (exporter_tick(&x, rr, o->textfile ? &tf : NULL, &tb) < 0) {
                rc = 1;
                break;
            }
            if (++ticks == 1)
                sd_notify(0, "READY=1");
            if (o->iterations_set && o->iterations > 0 && ticks >= o->iterations)
                break;
            next += step;
            t = mono_ms();
            if (next <= t)      /* fell behind (suspend, a slow tick): no burst */
                next = t + step;
        }
        long timeout = (long)(next - t);
        long ht = x.http ? http_timeout_ms(x.http) : -1;
        if (ht >= 0 && ht < timeout)
            timeout = ht;
        struct pollfd pfd = { .fd = x.http ? http_poll_fd(x.http) : -1, .events = POLLIN };
        struct timespec ts = { timeout / 1000, (timeout % 1000) * 1000000L };
        int n = ppoll(&pfd, 1, &ts, &unblocked);
        if (n < 0 && errno != EINTR) {
            fprintf(stderr, "memtop: poll: %s\n", strerror(errno));
            rc = 1;
            break;
        }
        if (x.http)
            http_run(x.http);
    }
    sd_notify(0, "STOPPING=1");
    http_stop(x.http);
    if (o->textfile)
        textfile_close(&tf);
    metrics_buf_free(&tb);
    return rc;
}

/* ---- replay ------------------------------------------------------------------ */

static int sink_stdout(const char *p, size_t n, void *ctx)
{
    (void)ctx;
    return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

int exporter_replay(const Options *o, const ModelOptions *mo)
{
    char err[512];
    Model m;
    Replay rp;
    Analysis an;
    MetricsBuf b;
    int rc = 0;

    if (replay_open(&rp, o->replay_file, mo, &m, err, sizeof(err)) < 0) {
        fprintf(stderr, "memtop: %s\n", err);
        return 1;
    }
    analysis_init(&an, &o->thresholds);
    analysis_attach(&an, &m);
    signal(SIGPIPE, SIG_IGN);
    MetricsSeriesSet *set = metrics_series_new();
    metrics_buf_init(&b);
    MetricsOptions mopt = {
        .format = MT_EXPO_OPENMETRICS,
        .show = o->all ? MT_SHOW_ALL : MT_SHOW_CONTAINERS,
        .no_eof = true,
    };
    long taken = 0;
    for (;;) {
        RecNext n = replay_step(&rp);
        if (n == REC_END)
            break;
        if (n == REC_DAMAGE) {
            fprintf(stderr, "memtop: %s: damaged data at byte offset %zu skipped: %s\n",
                    o->replay_file, rp.dec.damage_at, rp.dec.damage);
            continue;
        }
        double t = model_tick_time(&m, m.seq)->real;
        if (o->has_from && t < o->from - 1e-3)
            continue;
        if (o->has_to && t > o->to + 1e-3)
            break;
        b.len = 0;
        metrics_render(&b, &m, &mopt);
        /* milliseconds: what a Prometheus sample keeps */
        metrics_series_add(set, b.p, b.len, round(t * 1000) / 1000);
        if (o->iterations_set && o->iterations > 0 && ++taken >= o->iterations)
            break;
    }
    if (metrics_series_write(set, sink_stdout, NULL) < 0 || fflush(stdout) != 0)
        rc = errno == EPIPE ? 0 : 1;
    metrics_series_free(set);
    metrics_buf_free(&b);
    replay_close(&rp);
    model_close(&m);
    return rc;
}
