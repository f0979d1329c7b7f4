/* check_record.c - recording format, encoder, decoder and replay.
 *
 * The round trip runs a live Model over a copy of tests/fixtures/record-v2
 * whose files change between ticks (values, a cgroup that appears,
 * vanishes and comes back, display names, an OOM kill), records it, replays
 * the file into a second Model and compares a digest of every field of
 * every entry (samples, derived values, history records, tombstones) and
 * of the node after each tick. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "util/crc32.h"
#include "sample/model.h"
#include "record/recdec.h"
#include "record/recenc.h"
#include "record/recfmt.h"
#include "record/recorder.h"
#include "record/replay.h"
#include "util/xalloc.h"

#define T0 1700000000.0
#define NTICKS 14

static char *tmpdir;            /* the test's temporary directory */

static void setup_tmp(void)
{
    tmpdir = fixture_copy("record-v2");
}

static void teardown_tmp(void)
{
    fixture_remove(tmpdir);
    tmpdir = NULL;
}

#define SYS "sys/fs/cgroup/"
#define DOCKER48 SYS "system.slice/docker-168ac57e168445d23de92176bbab59a6332c300f7fb8be7eec271f67c7d3fc8a.scope"
#define OOMC SYS "system.slice/docker-287ac68841deac11686c8779a3ab2a49bf0472ebfdd0e13384d664a18f36de7f.scope"
#define NEWC SYS "system.slice/rec-test.service"

/* Change the fixture before tick t (1-based). */
static void mutate(Model *m, int t)
{
    char cmd[1200];
    unsigned long long u = (unsigned long long)t, anon = 50331648ULL + u * 3 * 4096;

    fixture_printf(tmpdir, DOCKER48 "/memory.current", "%llu\n", anon);
    fixture_set_key(tmpdir, DOCKER48 "/memory.stat", "anon", anon);
    fixture_set_key(tmpdir, DOCKER48 "/memory.stat", "pgfault", 1000ULL + u * u * 37);
    fixture_set_key(tmpdir, "proc/meminfo", "MemFree:", 400000ULL + u * 13);
    fixture_printf(tmpdir, DOCKER48 "/memory.pressure",
                   "some avg10=%d.%02d avg60=0.50 avg300=0.10 total=%d\n"
                   "full avg10=0.00 avg60=0.00 avg300=0.00 total=%d\n", t % 3, t * 7 % 100,
                   1000 + t * 777, 10 + t);
    if (t == 5) {
        /* A kill frees the victim's memory: the usage moves too, so the
         * cgroup is not quiet and its events are read this tick. */
        fixture_printf(tmpdir, OOMC "/memory.current", "%llu\n", 1048576ULL);
        fixture_set_key(tmpdir, OOMC "/memory.events", "oom", 2);
        fixture_set_key(tmpdir, OOMC "/memory.events", "oom_kill", 2);
    }
    if (t == 3 || t == 8) {
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s/" NEWC "' && cp '%s/" SYS
                 "system.slice/containerd.service/'memory.* '%s/" NEWC "/'", tmpdir, tmpdir,
                 tmpdir);
        ck_assert_int_eq(system(cmd), 0);
    }
    if (t == 6) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s/" NEWC "'", tmpdir);
        ck_assert_int_eq(system(cmd), 0);
    }
    if (t == 4 || t == 10) {
        CgEntry *e = model_find(m, "/system.slice/containerd.service");
        ck_assert_ptr_nonnull(e);
        free(e->display_name);
        e->display_name = xstrdup(t == 4 ? "containerd" : "containerd \xe2\x9c\x93");
    }
}

static void dump_sample(FILE *f, const char *what, const CgroupSample *s)
{
    fprintf(f, " %s valid=%llx", what, (unsigned long long)s->valid);
    for (int i = 0; i < MT_F_COUNT; i++)
        fprintf(f, " %llu", (unsigned long long)s->v[i]);
    fputc('\n', f);
}

static const char *epath(const CgEntry *e)
{
    return e ? e->path : "-";
}

static void dump_entry(FILE *f, const Model *m, const CgEntry *e)
{
    const CgDerived *d = &e->d;
    const CgClass *c = &e->cls;

    fprintf(f, "entry %s name=%s parent=%s depth=%d inode=%llu dname=%s\n", e->path, e->name,
            epath(e->parent), e->depth, (unsigned long long)e->inode,
            e->display_name ? e->display_name : "(null)");
    fprintf(f, " cls %d %d %d %d %d%d%d%d %d id=%s pod=%s container=%s podp=%s\n", c->kind,
            c->sub, c->runtime, c->qos, c->in_kubepods, c->in_container, c->in_user,
            c->machine_slice, c->container_depth, c->id, c->pod_uid, epath(e->container),
            epath(e->pod));
    fprintf(f, " state=%d unacc=%d gone=%a tomb=%a has=%d%d seq=%llu first=%llu mono=%llu/%llu\n",
            e->state, e->unaccounted, e->gone_time, e->tomb_until, e->has_cur, e->has_prev,
            (unsigned long long)e->cur_seq, (unsigned long long)e->first_seq,
            (unsigned long long)e->cur_mono_ns, (unsigned long long)e->prev_mono_ns);
    dump_sample(f, "cur", &e->cur);
    dump_sample(f, "prev", &e->prev);
    fprintf(f, " d ws=%d/%llu lim=%llu from=%s out=%d high=%llu hfrom=%s swr=%d/%llu "
            "fl=%d/%llu/%llu rates=%a %a %a %a %a ev=%llu %llu %llu %llu %llu reset=%d\n",
            d->ws_valid, (unsigned long long)d->ws, (unsigned long long)d->limit,
            epath(d->limit_from), d->limit_outside, (unsigned long long)d->high,
            epath(d->high_from), d->swap_room_valid, (unsigned long long)d->swap_room,
            d->floor_valid, (unsigned long long)d->reclaimable, (unsigned long long)d->floor,
            d->pgfault_rate, d->pgmajfault_rate, d->refault_rate, d->lazyfree_rate, d->ws_rate,
            (unsigned long long)d->d_limit_hits, (unsigned long long)d->d_high_events,
            (unsigned long long)d->d_oom_events, (unsigned long long)d->d_oom_kills,
            (unsigned long long)d->d_oom_group_kills, d->counter_reset);
    uint64_t lo = m->seq >= m->opt.history ? m->seq - m->opt.history + 1 : 1;
    for (uint64_t s = lo; s <= m->seq; s++) {
        const HistRecord *r = hist_at(&e->hist, s);
        if (!r)
            continue;
        fprintf(f, " h%llu:", (unsigned long long)s);
        for (int i = 0; i < MT_H_COUNT; i++)
            fprintf(f, " %u", r->v[i]);
        fprintf(f, " %u %u %u\n", r->psi_some10, r->events, r->risk);
    }
}

/* Every field a view may read, as text. */
static char *digest(const Model *m)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    const NodeSample *n = &m->node;
    const TickTime *tt = model_tick_time(m, m->seq);

    fprintf(f, "seq=%llu time=%a mono=%llu host=%s kernel=%s mode=%d v1=%d iv=%a tomb=%a\n",
            (unsigned long long)m->seq, tt->real, (unsigned long long)tt->mono_ns, m->hostname,
            m->kernel, m->layout.mode, m->layout.api_v1, m->opt.interval, m->opt.tomb_secs);
    fprintf(f, "node mem=%d %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu found=%x\n",
            n->mem_valid, (unsigned long long)n->mem.mem_total,
            (unsigned long long)n->mem.mem_free, (unsigned long long)n->mem.mem_available,
            (unsigned long long)n->mem.buffers, (unsigned long long)n->mem.cached,
            (unsigned long long)n->mem.shmem, (unsigned long long)n->mem.active_file,
            (unsigned long long)n->mem.inactive_file, (unsigned long long)n->mem.swap_total,
            (unsigned long long)n->mem.swap_free, n->mem.found);
    fprintf(f, "psi=%d %d%d %llu %llu %llu %llu %llu %llu %llu %llu\n", n->psi_valid,
            n->psi.has_some, n->psi.has_full, (unsigned long long)n->psi.some_avg[0],
            (unsigned long long)n->psi.some_avg[1], (unsigned long long)n->psi.some_avg[2],
            (unsigned long long)n->psi.some_total, (unsigned long long)n->psi.full_avg[0],
            (unsigned long long)n->psi.full_avg[1], (unsigned long long)n->psi.full_avg[2],
            (unsigned long long)n->psi.full_total);
    fprintf(f, "totals ws=%d %llu %llu %llu %llu counts=%d %d %d page=%ld\n", n->ws_valid,
            (unsigned long long)n->usage, (unsigned long long)n->working_set,
            (unsigned long long)n->toplevel_usage, (unsigned long long)n->toplevel_ws,
            n->n_containers, n->n_pods, n->n_live, n->pagesize);
    for (size_t i = 0; i < m->table.n; i++)
        dump_entry(f, m, m->table.entries[i]);
    fclose(f);
    return out;
}

/* ck_assert_str_eq on 100 KB strings is unreadable: show the first
 * differing line. */
static void assert_same(const char *want, const char *got, const char *what, int tick)
{
    if (strcmp(want, got) == 0)
        return;
    size_t i = 0, line = 0;
    while (want[i] && want[i] == got[i]) {
        if (want[i] == '\n')
            line = i + 1;
        i++;
    }
    ck_abort_msg("%s differs at tick %d:\nwant: %.300s\ngot:  %.300s", what, tick, want + line,
                 got + line);
}

static void live_options(ModelOptions *mo)
{
    model_options_default(mo);
    mo->root = tmpdir;
    mo->history = 8;
    mo->fd_budget = 0;
}

START_TEST(test_crc32_vector)
{
    ck_assert_uint_eq(crc32_update(0, "123456789", 9), 0xCBF43926u);
    uint32_t c = crc32_update(0, "1234", 4);
    ck_assert_uint_eq(crc32_update(c, "56789", 5), 0xCBF43926u);
    ck_assert_uint_eq(crc32_update(0, "", 0), 0);
}
END_TEST

START_TEST(test_value_codes)
{
    static const uint64_t vals[] = {
        0, 1, 4096, 8192, 4095, UINT64_MAX, UINT64_MAX - 4096, 1ull << 63, (1ull << 63) - 1,
        123456789, 1ull << 62, 5, 4096ull * 1000000,
    };
    RecBuf b = { 0 };
    size_t n = MT_ARRAY_SIZE(vals);

    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (vals[i] != vals[j])
                recbuf_value(&b, vals[i], vals[j]);
    recbuf_varint(&b, UINT64_MAX);
    RecCur c = { b.p, b.p + b.len, false };
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            if (vals[i] == vals[j])
                continue;
            uint64_t v;
            ck_assert(reccur_value(&c, vals[j], &v));
            ck_assert_uint_eq(v, vals[i]);
        }
    }
    uint64_t v;
    ck_assert(reccur_varint(&c, &v));
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert(!reccur_varint(&c, &v));
    ck_assert(c.bad);
    /* A page-sized change costs two bytes, not three. */
    b.len = 0;
    recbuf_value(&b, 1ull << 30, (1ull << 30) - 4096 * 50);
    ck_assert_uint_le(b.len, 2);
    recbuf_free(&b);
}
END_TEST

START_TEST(test_roundtrip_fixture)
{
    Model live, rm;
    ModelOptions mo;
    Recorder rec;
    Replay rp;
    char err[512], path[512], dump[512], oomfile[600];
    char *want[NTICKS + 1];
    int oom_dumps = 0;

    setup_tmp();
    live_options(&mo);
    ck_assert_int_eq(model_open(&live, &mo, err, sizeof(err)), 0);
    snprintf(path, sizeof(path), "%s/rec.bin", tmpdir);
    RecorderOptions ro = { .path = path, .ring_ticks = 5, .keyframe_every = 4 };
    ck_assert_int_eq(recorder_open(&rec, &ro, err, sizeof(err)), 0);
    for (int t = 1; t <= NTICKS; t++) {
        mutate(&live, t);
        model_tick(&live, T0 + 2 * t, (uint64_t)(1000 + 2 * t) * 1000000000u);
        ck_assert_int_eq(recorder_tick(&rec, &live, err, sizeof(err)), 0);
        int r = recorder_dump_on_oom(&rec, &live, tmpdir, oomfile, sizeof(oomfile), err,
                                     sizeof(err));
        ck_assert_int_ge(r, 0);
        oom_dumps += r;
        if (r)
            ck_assert_int_eq(t, 5);
        want[t] = digest(&live);
    }
    ck_assert_int_eq(oom_dumps, 1);
    /* The scenario did what it says. */
    ck_assert_ptr_nonnull(strstr(want[7], "entry /system.slice/rec-test.service"));
    ck_assert_ptr_nonnull(strstr(want[7], " state=1"));
    ck_assert_ptr_nonnull(strstr(want[5], "dname=containerd\n"));

    ModelOptions ro_mo;
    model_options_default(&ro_mo);
    ro_mo.history = 8;
    ck_assert_int_eq(replay_open(&rp, path, &ro_mo, &rm, err, sizeof(err)), 0);
    int t = 0;
    RecNext n;
    while ((n = replay_step(&rp)) != REC_END) {
        ck_assert_int_eq(n, REC_FRAME);
        ck_assert_int_lt(t, NTICKS);
        char *got = digest(&rm);
        t++;
        assert_same(want[t], got, "replayed model", t);
        free(got);
    }
    ck_assert_int_eq(t, NTICKS);
    replay_close(&rp);
    model_close(&rm);

    /* The memory ring: the last 5 ticks (from a keyframe) end in the same
     * state; the OOM dump ends at the OOM tick. */
    snprintf(dump, sizeof(dump), "%s/dump.bin", tmpdir);
    ck_assert_int_eq(recorder_dump(&rec, &live, dump, err, sizeof(err)), 0);
    const char *files[2] = { dump, oomfile };
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(replay_open(&rp, files[k], &ro_mo, &rm, err, sizeof(err)), 0);
        int frames = 0;
        while (replay_step(&rp) == REC_FRAME)
            frames++;
        ck_assert_int_ge(frames, k == 0 ? 5 : 4);
        ck_assert_int_le(frames, k == 0 ? 5 + 4 : 5);
        ck_assert_uint_eq(rp.dec.frame.seq, k == 0 ? NTICKS : 5);
        const CgEntry *o = model_find(&rm, "/system.slice/docker-287ac68841deac11686c8779a3ab2a49"
                                      "bf0472ebfdd0e13384d664a18f36de7f.scope");
        ck_assert_ptr_nonnull(o);
        ck_assert_uint_eq(sample_get(&o->cur, MT_F_OOM_KILLS, 0), 2);
        if (k == 1)
            ck_assert_uint_eq(o->d.d_oom_kills, 2 - 1);
        replay_close(&rp);
        model_close(&rm);
    }
    for (int i = 1; i <= NTICKS; i++)
        free(want[i]);
    recorder_close(&rec);
    model_close(&live);
    teardown_tmp();
}
END_TEST

/* What the views show of the current tick (not the history depth). */
static char *digest_now(const Model *m)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    fprintf(f, "time=%a free=%llu\n", model_tick_time(m, m->seq)->real,
            (unsigned long long)m->node.mem.mem_free);
    for (size_t i = 0; i < m->table.n; i++) {
        const CgEntry *e = m->table.entries[i];
        fprintf(f, "%s state=%d has=%d dname=%s ws=%llu lim=%llu rate=%a from=%s\n", e->path,
                e->state, e->has_cur, e->display_name ? e->display_name : "-",
                (unsigned long long)e->d.ws, (unsigned long long)e->d.limit, e->d.pgfault_rate,
                epath(e->d.limit_from));
        dump_sample(f, "cur", &e->cur);
    }
    fclose(f);
    return out;
}

START_TEST(test_seek)
{
    Model live, rm;
    ModelOptions mo;
    Recorder rec;
    Replay rp;
    char err[256], path[512];
    char *want[NTICKS];

    setup_tmp();
    live_options(&mo);
    ck_assert_int_eq(model_open(&live, &mo, err, sizeof(err)), 0);
    snprintf(path, sizeof(path), "%s/seek.rec", tmpdir);
    RecorderOptions ro = { .path = path, .keyframe_every = 4 };
    ck_assert_int_eq(recorder_open(&rec, &ro, err, sizeof(err)), 0);
    for (int t = 1; t <= NTICKS; t++) {
        mutate(&live, t);
        model_tick(&live, T0 + 2 * t, (uint64_t)(1000 + 2 * t) * 1000000000u);
        ck_assert_int_eq(recorder_tick(&rec, &live, err, sizeof(err)), 0);
        want[t - 1] = digest_now(&live);
    }
    recorder_close(&rec);
    model_close(&live);

    ModelOptions ro_mo;
    model_options_default(&ro_mo);
    ro_mo.history = 3;
    ck_assert_int_eq(replay_open(&rp, path, &ro_mo, &rm, err, sizeof(err)), 0);
    ck_assert_uint_eq(replay_index(&rp), NTICKS);
    static const int order[] = { 13, 0, 5, 6, 7, 2, 12, 1, 9, 8, 3, 11, 4, 10, 13, 0 };
    for (size_t k = 0; k < MT_ARRAY_SIZE(order); k++) {
        int i = order[k];
        ck_assert_int_eq(replay_seek(&rp, (size_t)i), 0);
        ck_assert_uint_eq(rp.at, (size_t)i);
        char *got = digest_now(&rm);
        assert_same(want[i], got, "model after seek", i);
        free(got);
    }
    ck_assert_uint_eq(replay_find_time(&rp, T0 + 2 * 5), 4);
    ck_assert_uint_eq(replay_find_time(&rp, T0 + 2 * 5 - 0.5), 4);
    ck_assert_uint_eq(replay_find_time(&rp, 0), 0);
    ck_assert_uint_eq(replay_find_time(&rp, T0 * 2), NTICKS - 1);
    ck_assert_int_eq(replay_seek(&rp, NTICKS), -1);
    replay_close(&rp);
    model_close(&rm);
    for (int i = 0; i < NTICKS; i++)
        free(want[i]);
    teardown_tmp();
}
END_TEST

static int count_frames(const char *path)
{
    Replay rp;
    Model m;
    ModelOptions mo;
    char err[256];
    int n = 0;

    model_options_default(&mo);
    mo.history = 4;
    if (replay_open(&rp, path, &mo, &m, err, sizeof(err)) < 0)
        return -1;
    while (replay_step(&rp) == REC_FRAME)
        n++;
    replay_close(&rp);
    model_close(&m);
    return n;
}

/* --daily: the tick after local midnight starts a new file; the old one is
 * renamed after the time of its first tick. */
START_TEST(test_daily_rotation)
{
    Model m;
    ModelOptions mo;
    Recorder rec;
    char err[256], path[512], old[600];
    /* 2023-11-14 23:59:58 UTC, then 1.5 s and 3 s later */
    static const double times[] = { 1700006398.0, 1700006399.5, 1700006401.0, 1700006403.0 };

    setenv("TZ", "UTC", 1);
    tzset();
    tmpdir = fixture_tmpdir();
    snprintf(path, sizeof(path), "%s/day.rec", tmpdir);
    model_options_default(&mo);
    mo.history = 4;
    model_open_detached(&m, &mo);
    CgEntry *root = cgtable_add(&m.table, "/", NULL);
    classify_root(&root->cls);
    RecorderOptions ro = { .path = path, .daily = true };
    ck_assert_int_eq(recorder_open(&rec, &ro, err, sizeof(err)), 0);
    for (size_t i = 0; i < MT_ARRAY_SIZE(times); i++) {
        CgroupSample s;
        memset(&s, 0, sizeof(s));
        sample_set(&s, MT_F_USAGE, 4096 * (i + 1));
        model_tick_begin(&m, times[i], (uint64_t)(i + 1) * 1000000000u);
        model_entry_sampled(&m, root, &s, (uint64_t)(i + 1) * 1000000000u, false);
        model_tick_end(&m, times[i], NULL, NULL);
        ck_assert_int_eq(recorder_tick(&rec, &m, err, sizeof(err)), 0);
    }
    recorder_close(&rec);
    model_close(&m);
    snprintf(old, sizeof(old), "%s.20231114-235958", path);
    ck_assert_int_eq(count_frames(old), 2);
    ck_assert_int_eq(count_frames(path), 2);
    teardown_tmp();
}
END_TEST

/* A small recording in memory, with the end offset of each frame. */
static RecBuf small_recording(size_t *ends, int *nframes, int ticks)
{
    Model live;
    ModelOptions mo;
    RecEncoder enc;
    RecBuf b = { 0 };
    char err[256];

    setup_tmp();
    live_options(&mo);
    ck_assert_int_eq(model_open(&live, &mo, err, sizeof(err)), 0);
    recenc_init(&enc, 2);
    for (int t = 1; t <= ticks; t++) {
        mutate(&live, t);
        model_tick(&live, T0 + 2 * t, (uint64_t)(1000 + 2 * t) * 1000000000u);
        if (t == 1)
            recenc_header(&live, &b);
        recenc_frame(&enc, &live, &b, NULL);
        ends[t - 1] = b.len;
    }
    *nframes = ticks;
    recenc_done(&enc);
    model_close(&live);
    teardown_tmp();
    return b;
}

START_TEST(test_truncation_every_offset)
{
    size_t ends[8];
    int nf;
    RecBuf b = small_recording(ends, &nf, 6);
    ModelOptions mo;
    model_options_default(&mo);
    mo.history = 4;
    size_t hdr = ends[0] - 1;
    while (hdr > 0 && memcmp(b.p + hdr, REC_SYNC, REC_SYNC_LEN) != 0)
        hdr--;

    for (size_t len = 0; len <= b.len; len++) {
        uint8_t *copy = xmalloc(len ? len : 1);     /* exact size: ASan sees over-reads */
        memcpy(copy, b.p, len);
        Replay rp;
        Model m;
        char err[256];
        int want = 0;
        for (int i = 0; i < nf; i++)
            if (ends[i] <= len)
                want++;
        if (replay_open_mem(&rp, copy, len, &mo, &m, err, sizeof(err)) < 0) {
            ck_assert_msg(len < hdr, "open failed at length %zu: %s", len, err);
            free(copy);
            continue;
        }
        ck_assert_msg(len >= hdr, "opened a recording cut inside its header (%zu)", len);
        int got = 0, damage = 0;
        RecNext n;
        while ((n = replay_step(&rp)) != REC_END) {
            if (n == REC_FRAME)
                got++;
            else {
                damage++;
                ck_assert_uint_eq(rp.dec.damage_at, want ? ends[want - 1] : hdr);
            }
        }
        ck_assert_msg(got == want, "length %zu: %d frames, want %d", len, got, want);
        bool at_boundary = len == hdr || (want && ends[want - 1] == len);
        ck_assert_int_eq(damage, at_boundary ? 0 : 1);
        replay_close(&rp);
        model_close(&m);
        free(copy);
    }
    recbuf_free(&b);
}
END_TEST

START_TEST(test_random_corruption)
{
    size_t ends[8];
    int nf;
    RecBuf b = small_recording(ends, &nf, 8);
    ModelOptions mo;
    model_options_default(&mo);
    mo.history = 4;
    unsigned seed = 12345;

    for (int iter = 0; iter < 1500; iter++) {
        uint8_t *copy = xmalloc(b.len);
        memcpy(copy, b.p, b.len);
        int flips = 1 + (int)(rand_r(&seed) % 8);
        size_t first = b.len;
        for (int k = 0; k < flips; k++) {
            size_t pos = rand_r(&seed) % b.len;
            copy[pos] ^= (uint8_t)(1u << (rand_r(&seed) % 8));
            if (pos < first)
                first = pos;
        }
        int intact = 0;
        for (int i = 0; i < nf; i++)
            if (ends[i] <= first)
                intact++;
        Replay rp;
        Model m;
        char err[256];
        if (replay_open_mem(&rp, copy, b.len, &mo, &m, err, sizeof(err)) < 0) {
            ck_assert_int_eq(intact, 0);       /* the header was hit */
            free(copy);
            continue;
        }
        int got = 0, steps = 0;
        RecNext n;
        while ((n = replay_step(&rp)) != REC_END) {
            ck_assert_int_lt(++steps, 1000);
            if (n == REC_FRAME)
                got++;
        }
        ck_assert_msg(got >= intact, "iteration %d: %d frames, %d intact", iter, got, intact);
        replay_close(&rp);
        model_close(&m);
        free(copy);
    }
    recbuf_free(&b);
}
END_TEST

START_TEST(test_bad_files)
{
    RecDecoder d;
    char err[256];
    size_t ends[4];
    int nf;
    RecBuf b = small_recording(ends, &nf, 1);

    ck_assert_int_eq(recdec_open(&d, (const uint8_t *)"hello world\n", 12, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "not a memtop recording"));
    ck_assert_int_eq(recdec_open(&d, (const uint8_t *)"", 0, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "empty"));
    b.p[REC_MAGIC_LEN] = REC_VERSION_MAJOR + 1;
    ck_assert_int_eq(recdec_open(&d, b.p, b.len, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "newer memtop"));
    b.p[REC_MAGIC_LEN] = REC_VERSION_MAJOR;
    ck_assert_int_eq(recdec_open(&d, b.p, b.len, err, sizeof(err)), 0);
    ck_assert_int_eq(recdec_next(&d), REC_FRAME);
    ck_assert_int_eq(recdec_next(&d), REC_END);
    recdec_close(&d);
    recbuf_free(&b);
}
END_TEST

START_TEST(test_parse_time)
{
    double t;
    setenv("TZ", "UTC", 1);
    tzset();
    ck_assert_int_eq(replay_parse_time("1700000000", &t), 0);
    ck_assert(t == 1700000000.0);
    ck_assert_int_eq(replay_parse_time("2023-11-14 22:13:20", &t), 0);
    ck_assert(t == 1700000000.0);
    ck_assert_int_eq(replay_parse_time("2023-11-14T22:13:20", &t), 0);
    ck_assert(t == 1700000000.0);
    ck_assert_int_eq(replay_parse_time("2023-11-14", &t), 0);
    ck_assert(t == 1699920000.0);
    ck_assert_int_eq(replay_parse_time("yesterday", &t), -1);
    ck_assert_int_eq(replay_parse_time("2023-11-14 25:99", &t), -1);
    ck_assert_int_eq(replay_parse_time("", &t), -1);
}
END_TEST

/* ---- size on a synthetic steady node ------------------------------------ */

typedef struct {
    uint64_t anon, file, active_file, kernel, pgfault, pgmajfault, refault, psi_total;
    uint64_t limit;
} SynState;

static uint64_t rnd(unsigned *seed, uint64_t n)
{
    return n ? (uint64_t)rand_r(seed) % n : 0;
}

/* One synthetic sample: a steady container whose memory moves by a few
 * pages per tick, with counters that grow and pressure that is mostly 0. */
static void syn_sample(SynState *st, unsigned *seed, CgroupSample *s)
{
    memset(s, 0, sizeof(*s));
    if (rnd(seed, 2))
        st->anon += 4096 * rnd(seed, 64) - 4096 * 31;
    if (rnd(seed, 3) == 0)
        st->file += 4096 * rnd(seed, 32) - 4096 * 15;
    st->active_file = st->file / 2 + 4096 * rnd(seed, 4);
    if (rnd(seed, 10) == 0)
        st->kernel += 4096 * rnd(seed, 3) - 4096;
    st->pgfault += rnd(seed, 3000);
    if (rnd(seed, 20) == 0)
        st->pgmajfault += rnd(seed, 5);
    if (rnd(seed, 10) == 0)
        st->refault += rnd(seed, 50);
    if (rnd(seed, 5) == 0)
        st->psi_total += rnd(seed, 2000);
    uint64_t usage = st->anon + st->file + st->kernel;
    sample_set(s, MT_F_USAGE, usage);
    sample_set(s, MT_F_ANON, st->anon);
    sample_set(s, MT_F_FILE, st->file);
    sample_set(s, MT_F_SHMEM, 0);
    sample_set(s, MT_F_MAPPED_FILE, st->file / 4);
    sample_set(s, MT_F_DIRTY, rnd(seed, 4) * 4096);
    sample_set(s, MT_F_WRITEBACK, 0);
    sample_set(s, MT_F_ACTIVE_ANON, st->anon - st->anon / 16);
    sample_set(s, MT_F_INACTIVE_ANON, st->anon / 16);
    sample_set(s, MT_F_ACTIVE_FILE, st->active_file);
    sample_set(s, MT_F_INACTIVE_FILE, st->file - st->active_file);
    sample_set(s, MT_F_UNEVICTABLE, 0);
    sample_set(s, MT_F_SWAP, 0);
    sample_set(s, MT_F_KERNEL, st->kernel);
    sample_set(s, MT_F_SLAB_RECLAIMABLE, st->kernel / 3);
    sample_set(s, MT_F_SOCK, 0);
    sample_set(s, MT_F_ANON_THP, 0);
    sample_set(s, MT_F_PEAK, usage + (64 << 20));
    sample_set(s, MT_F_LIMIT_OWN, st->limit);
    sample_set(s, MT_F_HIGH_OWN, MT_UNLIMITED);
    sample_set(s, MT_F_LOW, 0);
    sample_set(s, MT_F_MIN, 0);
    sample_set(s, MT_F_SWAP_LIMIT_OWN, MT_UNLIMITED);
    sample_set(s, MT_F_OOM_GROUP, 1);
    sample_set(s, MT_F_PGFAULT, st->pgfault);
    sample_set(s, MT_F_PGMAJFAULT, st->pgmajfault);
    sample_set(s, MT_F_REFAULT_ANON, 0);
    sample_set(s, MT_F_REFAULT_FILE, st->refault);
    sample_set(s, MT_F_PGSCAN, st->refault * 3);
    sample_set(s, MT_F_PGSTEAL, st->refault * 2);
    sample_set(s, MT_F_HIGH_EVENTS, 0);
    sample_set(s, MT_F_LIMIT_HITS, 0);
    sample_set(s, MT_F_OOM_EVENTS, 0);
    sample_set(s, MT_F_OOM_KILLS, 0);
    sample_set(s, MT_F_POPULATED, 1);
    sample_set(s, MT_F_PSI_SOME10, st->psi_total % 7 == 0 ? rnd(seed, 30) : 0);
    sample_set(s, MT_F_PSI_SOME60, 0);
    sample_set(s, MT_F_PSI_SOME300, 0);
    sample_set(s, MT_F_PSI_SOME_TOTAL, st->psi_total);
    sample_set(s, MT_F_PSI_FULL10, 0);
    sample_set(s, MT_F_PSI_FULL60, 0);
    sample_set(s, MT_F_PSI_FULL300, 0);
    sample_set(s, MT_F_PSI_FULL_TOTAL, st->psi_total / 2);
}

/* Build a kubepods node of npods pods x 3 containers, run ticks steady
 * ticks through the encoder; bytes per container per tick. */
static double measure_size(int npods, int ticks, size_t *ncontainers)
{
    Model m;
    ModelOptions mo;
    RecEncoder enc;
    RecBuf b = { 0 };
    unsigned seed = 7;
    char path[256];

    model_options_default(&mo);
    mo.history = 4;
    model_open_detached(&m, &mo);
    m.layout.mode = MT_MODE_V2;
    CgEntry *root = cgtable_add(&m.table, "/", NULL);
    classify_root(&root->cls);
    CgEntry *kp = cgtable_add(&m.table, "/kubepods.slice", root);
    classify_child(&root->cls, "", "kubepods.slice", 1, &kp->cls);
    for (int p = 0; p < npods; p++) {
        snprintf(path, sizeof(path), "/kubepods.slice/kubepods-pod%08x_1234_4fef_ac00_%012x.slice",
                 p * 2654435761u, p);
        CgEntry *pod = cgtable_add(&m.table, path, kp);
        classify_child(&kp->cls, kp->name, pod->name, 2, &pod->cls);
        for (int c = 0; c < 3; c++) {
            char cp[512];
            snprintf(cp, sizeof(cp), "%s/cri-containerd-%016llx%016llx%016llx%016llx.scope", path,
                     (unsigned long long)rnd(&seed, 1ull << 31) * 77777,
                     (unsigned long long)p, (unsigned long long)c * 999331,
                     (unsigned long long)rnd(&seed, 1ull << 31));
            CgEntry *e = cgtable_add(&m.table, cp, pod);
            classify_child(&pod->cls, pod->name, e->name, 3, &e->cls);
        }
    }
    size_t n = m.table.n;
    SynState *st = xcalloc(n, sizeof(*st));
    *ncontainers = 0;
    for (size_t i = 0; i < n; i++) {
        st[i].anon = (100 + rnd(&seed, 900)) << 20;
        st[i].file = (10 + rnd(&seed, 300)) << 20;
        st[i].kernel = (1 + rnd(&seed, 20)) << 20;
        st[i].limit = i % 4 == 0 ? MT_UNLIMITED : (2048ull << 20);
        if (m.table.entries[i]->cls.kind == MT_KIND_CONTAINER)
            (*ncontainers)++;
    }
    recenc_init(&enc, 150);
    recenc_header(&m, &b);
    for (int t = 1; t <= ticks; t++) {
        model_tick_begin(&m, T0 + 2 * t, (uint64_t)t * 2000000000u);
        m.node.mem_valid = true;
        m.node.mem.mem_total = 64ull << 30;
        m.node.mem.mem_free = (20ull << 30) + 4096 * rnd(&seed, 10000);
        m.node.mem.mem_available = m.node.mem.mem_free * 2;
        m.node.mem.found = 0x3FF;
        for (size_t i = 0; i < n; i++) {
            CgroupSample s;
            syn_sample(&st[i], &seed, &s);
            model_entry_sampled(&m, m.table.entries[i], &s, (uint64_t)t * 2000000000u, false);
        }
        model_tick_end(&m, T0 + 2 * t, NULL, NULL);
        recenc_frame(&enc, &m, &b, NULL);
    }
    double per = (double)b.len / (double)*ncontainers / ticks;
    recenc_done(&enc);
    recbuf_free(&b);
    free(st);
    model_close(&m);
    return per;
}

START_TEST(test_size_budget)
{
    size_t nc;
    /* 40 pods x 3 = 120 containers, 1800 ticks = one hour at -d 2. */
    double per = measure_size(40, 1800, &nc);
    printf("record size: %.1f bytes per container per tick (%zu containers, 1800 ticks, "
           "pods and the root included in the bytes)\n", per, nc);
    ck_assert_uint_eq(nc, 120);
    ck_assert_msg(per <= 200.0, "%.1f bytes per container per tick", per);
}
END_TEST

static Suite *record_suite(void)
{
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_crc32_vector);
    tcase_add_test(tc, test_value_codes);
    tcase_add_test(tc, test_roundtrip_fixture);
    tcase_add_test(tc, test_seek);
    tcase_add_test(tc, test_daily_rotation);
    tcase_add_test(tc, test_truncation_every_offset);
    tcase_add_test(tc, test_random_corruption);
    tcase_add_test(tc, test_bad_files);
    tcase_add_test(tc, test_parse_time);
    tcase_add_test(tc, test_size_budget);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(record_suite)
