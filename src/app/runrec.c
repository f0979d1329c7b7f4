/* runrec.c - recording and replay for the memtop program. */
#include "config.h"

#include "app/runrec.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analysis/analysis.h"
#include "output/batch.h"
#include "output/json.h"
#include "output/risk_json.h"
#include "output/risk_text.h"
#include "record/replay.h"

int runrec_open(RunRec *rr, const Options *o, bool ring, char *err, size_t errlen)
{
    memset(rr, 0, sizeof(*rr));
    rr->o = o;
    if (!o->write_file && !o->dump_dir && !ring)
        return 0;
    RecorderOptions ro = {
        .path = o->write_file,
        .max_size = o->max_size,
        .daily = o->daily,
        .min_free = o->min_free,
        .ring_ticks = o->dump_dir || ring ? o->history : 0,
    };
    if (recorder_open(&rr->rec, &ro, err, errlen) < 0)
        return -1;
    rr->active = true;
    return 0;
}

int runrec_tick(RunRec *rr, const Model *m)
{
    char err[512], file[4200];
    const Options *o = rr->o;
    int rc = 0;

    if (!rr->active)
        return 0;
    bool was_writing = recorder_writing(&rr->rec);
    if (recorder_tick(&rr->rec, m, err, sizeof(err)) < 0 && was_writing) {
        snprintf(rr->msg, sizeof(rr->msg), "recording to %s stopped: %s", o->write_file, err);
        return -1;
    }
    if (o->dump_dir) {
        int r = recorder_dump_on_oom(&rr->rec, m, o->dump_dir, file, sizeof(file), err,
                                     sizeof(err));
        if (r > 0)
            snprintf(rr->msg, sizeof(rr->msg), "OOM kill seen: wrote the last %u ticks to %s",
                     o->history, file);
        else if (r < 0)
            snprintf(rr->msg, sizeof(rr->msg), "OOM kill seen, but the dump failed: %s", err);
        rc = r != 0;
    }
    return rc;
}

bool runrec_dump(RunRec *rr, const Model *m, char *msg, size_t len)
{
    char dir[4096], path[4300], stamp[32], err[512];
    const TickTime *tt = model_tick_time(m, m->seq);
    time_t t = tt ? (time_t)tt->real : time(NULL);
    struct tm tm;

    if (!rr->active) {
        snprintf(msg, len, "no ticks kept in memory");
        return false;
    }
    if (rr->o->dump_dir) {
        snprintf(dir, sizeof(dir), "%s", rr->o->dump_dir);
    } else if (rr->o->write_file && strrchr(rr->o->write_file, '/')) {
        snprintf(dir, sizeof(dir), "%s", rr->o->write_file);
        *strrchr(dir, '/') = '\0';
        if (!dir[0])
            snprintf(dir, sizeof(dir), "/");
    } else {
        snprintf(dir, sizeof(dir), ".");
    }
    localtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
    snprintf(path, sizeof(path), "%s/memtop-dump-%s.rec", dir, stamp);
    if (recorder_dump(&rr->rec, m, path, err, sizeof(err)) < 0) {
        snprintf(msg, len, "dump failed: %s", err);
        return false;
    }
    snprintf(msg, len, "wrote the last %zu ticks to %s", rr->rec.rn, path);
    return true;
}

void runrec_close(RunRec *rr)
{
    if (rr->active)
        recorder_close(&rr->rec);
    rr->active = false;
}

static void report_damage(const char *file, const RecDecoder *d)
{
    fprintf(stderr, "memtop: %s: damaged data at byte offset %zu (%zu bytes skipped): %s\n",
            file, d->damage_at, d->damage_len, d->damage);
}

/* The OOM-risk analysis of a replay: replayed ticks go through the same
 * model_tick_end() and so through the same evaluation as live ones. */
static Analysis replay_analysis;

static void replay_attach_analysis(const Options *o, Model *m)
{
    analysis_init(&replay_analysis, &o->thresholds);
    analysis_attach(&replay_analysis, m);
}

BatchOptions runrec_batch_options(const Options *o, BatchExtraColumn *extra)
{
    BatchOptions bo = {
        .show = o->all ? MT_SHOW_ALL : MT_SHOW_CONTAINERS,
        .sort = o->sort,
        .reverse = o->reverse,
        .raw = o->raw,
        .header = true,
        .extra = extra,
        .nextra = extra ? 1 : 0,
    };
    return bo;
}

static int print_tick(const Options *o, const Model *m, long printed)
{
    BatchExtraColumn risk_col = { "RISK", 8, analysis_batch_cell, &replay_analysis };
    BatchOptions bo = runrec_batch_options(o, &risk_col);

    if (o->mode == MT_RUN_JSON)
        return out_json_write(stdout, m, bo.show, bo.sort, bo.reverse, analysis_json_hook,
                              &replay_analysis);
    if (printed > 0)
        fputc('\n', stdout);
    return out_batch_write(stdout, m, &bo);
}

int runrec_replay_print(const Options *o, const ModelOptions *mo, long iterations)
{
    char err[512];
    Model m;
    Replay rp;
    long printed = 0;
    int rc = 0;

    if (replay_open(&rp, o->replay_file, mo, &m, err, sizeof(err)) < 0) {
        fprintf(stderr, "memtop: %s\n", err);
        return 1;
    }
    replay_attach_analysis(o, &m);
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        RecNext n = replay_step(&rp);
        if (n == REC_END)
            break;
        if (n == REC_DAMAGE) {
            report_damage(o->replay_file, &rp.dec);
            continue;
        }
        double t = model_tick_time(&m, m.seq)->real;
        /* 1 ms of slack: times are often copied from printed output. */
        if (o->has_from && t < o->from - 1e-3)
            continue;           /* ingested for history and rates, not shown */
        if (o->has_to && t > o->to + 1e-3)
            break;
        if (print_tick(o, &m, printed) < 0) {
            rc = errno == EPIPE ? 0 : 1;
            break;
        }
        if (++printed == iterations)
            break;
    }
    if (rp.dec.skipped)
        fprintf(stderr, "memtop: %s: %llu intact frames after damage could not be decoded "
                "(they depend on a lost keyframe)\n", o->replay_file,
                (unsigned long long)rp.dec.skipped);
    replay_close(&rp);
    model_close(&m);
    return rc;
}

/* ---- the TUI ------------------------------------------------------------ */

static bool live_tick(Model *m, void *ctx)
{
    RunRec *rr = ctx;

    if (!rr->inner(m, rr->inner_ctx))
        return false;
    if (runrec_tick(rr, m) == 0)
        rr->msg[0] = '\0';
    return true;
}

static const char *live_message(void *ctx)
{
    RunRec *rr = ctx;
    return rr->msg[0] ? rr->msg : NULL;
}

static bool live_dump(Model *m, void *ctx, char *msg, size_t len)
{
    return runrec_dump(ctx, m, msg, len);
}

UiSource runrec_live_source(RunRec *rr, UiTickFn inner, void *inner_ctx)
{
    rr->inner = inner;
    rr->inner_ctx = inner_ctx;
    UiSource src = { .tick = live_tick, .ctx = rr, .label = "live", .message = live_message };
    if (rr->active)
        src.dump = live_dump;
    return src;
}

typedef struct {
    Replay rp;
    const char *file;
    char msg[300];
} ReplayUi;

static bool replay_tick(Model *m, void *ctx)
{
    ReplayUi *ru = ctx;

    (void)m;
    ru->msg[0] = '\0';
    for (;;) {
        RecNext n = replay_step(&ru->rp);
        if (n == REC_FRAME)
            return true;
        if (n == REC_END)
            return false;
        if (n == REC_DAMAGE)
            snprintf(ru->msg, sizeof(ru->msg), "damaged data at byte offset %zu skipped: %s",
                     ru->rp.dec.damage_at, ru->rp.dec.damage);
    }
}

static const char *replay_message(void *ctx)
{
    ReplayUi *ru = ctx;
    return ru->msg[0] ? ru->msg : NULL;
}

static bool replay_seek_ticks(Model *m, void *ctx, long delta)
{
    ReplayUi *ru = ctx;
    size_t n = replay_index(&ru->rp), at = ru->rp.at;
    long target = at == SIZE_MAX ? 0 : (long)at + delta;

    (void)m;
    if (n == 0)
        return false;
    if (target < 0)
        target = 0;
    if ((size_t)target >= n)
        target = (long)n - 1;
    if ((size_t)target == at && delta != 0)
        return false;
    return replay_seek(&ru->rp, (size_t)target) == 0;
}

static bool replay_seek_to_time(Model *m, void *ctx, double t)
{
    ReplayUi *ru = ctx;

    (void)m;
    return replay_index(&ru->rp) > 0 &&
           replay_seek(&ru->rp, replay_find_time(&ru->rp, t)) == 0;
}

static bool replay_position(void *ctx, size_t *at, size_t *n)
{
    ReplayUi *ru = ctx;

    *n = replay_index(&ru->rp);
    *at = ru->rp.at;
    return ru->rp.at != SIZE_MAX;
}

int runrec_replay_ui(Options *o, const ModelOptions *mo)
{
    char err[512], label[300];
    Model m;
    ReplayUi ru = { .file = o->replay_file };

    if (replay_open(&ru.rp, o->replay_file, mo, &m, err, sizeof(err)) < 0) {
        fprintf(stderr, "memtop: %s\n", err);
        return 1;
    }
    replay_attach_analysis(o, &m);
    const char *base = strrchr(o->replay_file, '/');
    snprintf(label, sizeof(label), "replay %s", base ? base + 1 : o->replay_file);
    o->delay = m.opt.interval;      /* play at the recorded pace */
    UiSource src = {
        .tick = replay_tick, .ctx = &ru, .label = label, .fixed_interval = true,
        .seek_ticks = replay_seek_ticks, .seek_time = replay_seek_to_time,
        .position = replay_position,
        .message = replay_message,
    };
    if (o->has_from) {
        /* the UI starts by taking one tick: stop just before --from */
        size_t i = replay_index(&ru.rp) ? replay_find_time(&ru.rp, o->from) : 0;
        if (i > 0)
            replay_seek(&ru.rp, i - 1);
    }
    int rc = ui_run(&m, o, &src);
    replay_close(&ru.rp);
    model_close(&m);
    return rc;
}
