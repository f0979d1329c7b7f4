/* main.c - option handling, the batch/JSON loop, and the only place where
 * errors become text for the user. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "output/explain.h"
#include "forensics/forensics.h"
#include "sample/model.h"
#include "cli/options.h"
#include "output/batch.h"
#include "output/forensics_json.h"
#include "output/json.h"
#include "output/lookup.h"
#include "output/risk_json.h"
#include "output/risk_text.h"
#include "app/runrec.h"
#include "app/exporter.h"
#include "tui/ui.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void install_batch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Sleep until the monotonic deadline; false when interrupted by a stop. */
static bool sleep_until(const struct timespec *deadline)
{
    while (!stop_requested) {
        int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline, NULL);
        if (r == 0)
            return true;
        if (r != EINTR)
            return false;
    }
    return false;
}

/* UiSource for live sampling: one model tick, then names and OOM forensics. */
static bool tick_live_forensics(Model *m, void *ctx)
{
    model_tick(m, 0, 0);
    forensics_tick(ctx, m);
    return true;
}

static void advance(struct timespec *next, double secs)
{
    next->tv_sec += (time_t)secs;
    next->tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
    if (next->tv_nsec >= 1000000000L) {
        next->tv_sec++;
        next->tv_nsec -= 1000000000L;
    }
}

/* The flight recorder of this run (-w, --dump-on-oom, the TUI's D key). */
static RunRec runrec;
static bool record_quiet;      /* -w/--dump-on-oom without -b/--json: print nothing */

/* After each live tick: record it, dump on OOM.  -1: stop (the recording
 * file could not be written and recording was what we were asked for). */
static int record_tick(const Model *m)
{
    int r = runrec_tick(&runrec, m);
    if (r != 0)
        fprintf(stderr, "memtop: %s\n", runrec.msg);
    return r < 0 ? -1 : 0;
}

/* The JSON hook of both later layers: forensics' fields, then "risk". */
typedef struct {
    Forensics *fz;
    Analysis *an;
} JsonHooks;

static void json_hooks(json_object *obj, const Model *m, const CgEntry *e, void *ctx)
{
    const JsonHooks *h = ctx;
    forensics_json_hook(obj, m, e, h->fz);
    analysis_json_hook(obj, m, e, h->an);
}

/* --explain: tick, then print the detail pane's text for one cgroup. */
static int run_explain(Model *m, Forensics *fz, const Options *o)
{
    struct timespec next;
    long ticks = o->iterations_set && o->iterations > 0 ? o->iterations : 2;
    char err[1024], path[4096] = "";
    const CgEntry *e;

    install_batch_signals();
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (long i = 0; i < ticks; i++) {
        if (i > 0) {
            advance(&next, o->delay);
            if (!sleep_until(&next))
                break;
        }
        model_tick(m, 0, 0);
        forensics_tick(fz, m);      /* names, so NAME can be a container name */
        if (i == 0) {
            if (lookup_cgroup(m, o->explain, &e, err, sizeof(err)) < 0) {
                fprintf(stderr, "memtop: %s\n", err);
                return 1;
            }
            snprintf(path, sizeof(path), "%s", e->path);
        }
    }
    e = model_find(m, path);
    if (!e || e->state != MT_STATE_LIVE) {
        fprintf(stderr, "memtop: cgroup %s vanished while sampling\n", o->explain);
        return 1;
    }
    explain_print(stdout, m, e);
    return fflush(stdout) == 0 ? 0 : 1;
}

static int run_batch(Model *m, Forensics *fz, const Options *o, long iterations,
                     Analysis *an)
{
    struct timespec next;
    BatchExtraColumn risk_col = { "RISK", 8, analysis_batch_cell, an };
    BatchOptions bo = runrec_batch_options(o, &risk_col);

    install_batch_signals();
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (long i = 0; iterations == 0 || i < iterations; i++) {
        if (i > 0) {
            advance(&next, o->delay);
            if (!sleep_until(&next))
                break;
        }
        model_tick(m, 0, 0);
        forensics_tick(fz, m);
        if (record_tick(m) < 0)
            return 1;
        int r = 0;
        if (record_quiet) {
            /* headless recording: no output */
        } else if (o->mode == MT_RUN_JSON) {
            JsonHooks hooks = { fz, an };
            r = out_json_write(stdout, m, bo.show, bo.sort, bo.reverse, json_hooks, &hooks);
        } else {
            if (i > 0)
                fputc('\n', stdout);
            r = out_batch_write(stdout, m, &bo);
        }
        if (r < 0)
            return errno == EPIPE ? 0 : 1;  /* reader went away: quiet exit */
        if (stop_requested)
            break;
    }
    return 0;
}

/* The terminal UI when stdin and stdout are a terminal that is not dumb,
 * else batch mode (with a note to the person, if one is there). */
static MtRunMode terminal_or_batch(MtRunMode asked)
{
    const char *term = getenv("TERM");
    bool tty = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);

    if (tty && term && *term && strcmp(term, "dumb") != 0)
        return MT_RUN_TUI;
    /* the note goes to a person: not into logs of scripted runs */
    if (tty || asked == MT_RUN_TUI || isatty(STDERR_FILENO))
        fprintf(stderr, "memtop: %s; using batch mode\n",
                tty ? "TERM is unset or dumb" : "not a terminal");
    return MT_RUN_BATCH;
}

/* The forensics layer's options from the command line. */
static void forensics_options_from(const Options *o, ForensicsOptions *fo)
{
    forensics_options_default(fo);
    fo->names = !o->no_names;
    if (o->docker_root)
        fo->names_opt.docker_root = o->docker_root;
    if (o->containerd_state)
        fo->names_opt.containerd_state = o->containerd_state;
    if (o->crio_state)
        fo->names_opt.crio_state = o->crio_state;
    if (o->pods_log_dir)
        fo->names_opt.pods_log_dir = o->pods_log_dir;
    fo->names_opt.no_bus = o->no_bus;
    fo->names_opt.bus_address = o->bus_address;
    fo->oom.mode = (MtOomSrcMode)o->oom_source;
    fo->oom.kmsg_path = o->kmsg_path;
    fo->oom.journal_dir = o->journal_dir;
    fo->oom.journal_file = o->journal_file;
    fo->oom.backlog = o->oom_backlog;
    fo->oom_tomb_secs = o->oom_tomb_secs;
    fo->processes = o->processes;
}

/* The model's options from the command line (after the run mode is
 * known). */
static void model_options_from(const Options *o, ModelOptions *mo)
{
    model_options_default(mo);
    mo->root = o->root;
    mo->history = o->history;
    mo->tomb_secs = o->tomb_secs;
    mo->interval = o->delay;
    /* The terminal UI draws its first frame from a quick first tick; batch
     * output and recordings get every file from the first tick on. */
    mo->quick_first = o->mode == MT_RUN_TUI && !o->write_file && !o->dump_dir;
}

/* Sample the live system: the layers above the model, the flight
 * recorder, then --explain, the terminal UI or batch/JSON output. */
static int run_live(const Options *o, const ModelOptions *mo, long iterations)
{
    char err[512];
    Model m;

    int r = model_open(&m, mo, err, sizeof(err));
    if (r < 0) {
        fprintf(stderr, "memtop: %s\n", err);
        return 1;
    }
    Analysis an;
    analysis_init(&an, &o->thresholds);
    analysis_attach(&an, &m);
    Forensics fz;
    ForensicsOptions fo;
    forensics_options_from(o, &fo);
    if (forensics_open(&fz, &m, &fo, err, sizeof(err)) < 0) {
        fprintf(stderr, "memtop: %s\n", err);
        model_close(&m);
        return 1;
    }
    if (runrec_open(&runrec, o, o->mode == MT_RUN_TUI, err, sizeof(err)) < 0) {
        fprintf(stderr, "memtop: %s\n", err);
        forensics_close(&fz, &m);
        model_close(&m);
        return 1;
    }
    int rc = UI_NO_TERMINAL;
    if (o->listen || o->textfile || o->expo) {
        rc = exporter_run(&m, &fz, &an, &runrec, o);    /* headless exporter */
    } else if (o->explain) {
        rc = run_explain(&m, &fz, o);
    } else if (o->mode == MT_RUN_TUI) {
        UiSource live = runrec_live_source(&runrec, tick_live_forensics, &fz);
        live.forensics = &fz;       /* the TUI draws kill history and tags */
        rc = ui_run(&m, o, &live);
        if (rc == UI_NO_TERMINAL)
            fprintf(stderr, "memtop: cannot use this terminal (TERM=%s); using batch mode\n",
                    getenv("TERM"));
    }
    if (rc == UI_NO_TERMINAL)
        rc = run_batch(&m, &fz, o, iterations, &an);
    runrec_close(&runrec);
    forensics_close(&fz, &m);
    model_close(&m);
    return rc;
}

int main(int argc, char **argv)
{
    Options o;
    char err[512];
    ModelOptions mo;

    setlocale(LC_ALL, "");
    if (options_parse(&o, argc, argv, err, sizeof(err)) < 0) {
        fprintf(stderr, "memtop: %s\n", err);
        return 2;
    }
    if (o.help) {
        options_usage(stdout);
        return 0;
    }
    if (o.version) {
        printf("memtop %s\n", PACKAGE_VERSION);
        return 0;
    }

    long iterations = o.iterations;
    if (!o.iterations_set && !isatty(STDOUT_FILENO) && !o.write_file && !o.replay_file &&
        !o.dump_dir)
        iterations = 1;     /* like systemd-cgtop: a pipe gets one snapshot */
    /* Headless recording (a systemd unit): -w or --dump-on-oom without
     * -b/--json. */
    record_quiet = (o.write_file || o.dump_dir) && (o.mode == MT_RUN_AUTO || o.mode == MT_RUN_TUI);
    if (!o.explain && (o.mode == MT_RUN_AUTO || o.mode == MT_RUN_TUI))
        o.mode = terminal_or_batch(o.mode);

    model_options_from(&o, &mo);
    if (o.replay_file && o.mode == MT_RUN_TUI) {
        int rc = runrec_replay_ui(&o, &mo);
        if (rc != UI_NO_TERMINAL)
            return rc;
        fprintf(stderr, "memtop: cannot use this terminal (TERM=%s); using batch mode\n",
                getenv("TERM"));
    }
    if (o.replay_file)
        return o.expo ? exporter_replay(&o, &mo)
                      : runrec_replay_print(&o, &mo, o.iterations_set ? o.iterations : 0);
    return run_live(&o, &mo, iterations);
}
