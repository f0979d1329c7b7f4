/* check_model.c - the sampler on fixture trees: values, working set, limits
 * inherited from pods, unlimited sentinels, rates, counter resets,
 * re-created and vanished cgroups, v2 root, old kernels. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>

#include "output/columns.h"
#include "common.h"
#include "sample/model.h"

#define MiB (UINT64_C(1) << 20)
/* 64 hex characters made of a repeated two-character unit */
#define H64(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define DOCKER_A "/docker/" H64("a1")
#define POD "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f2b0c1e_6d7a_4a8e_9c1b_2f4e6a8b0c12.slice"
#define CTRD POD "/cri-containerd-" H64("c3") ".scope"

static Model m;

static void open_root(const char *root)
{
    ModelOptions o;
    char err[512];
    model_options_default(&o);
    o.root = root;
    o.history = 16;
    o.tomb_secs = 5;
    /* These fixtures change one file at a time, where a kernel would also
     * move the usage: read memory.stat every tick (carrying it over for
     * quiet cgroups is tested in check_sampler). */
    o.carry_max = 0;
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "model_open: %s", err);
}

static CgEntry *get(const char *path)
{
    CgEntry *e = model_find(&m, path);
    ck_assert_msg(e != NULL, "no entry %s", path);
    return e;
}

START_TEST(test_model_v1_synthetic_container)
{
    /* SPEC 6.1 "synthetic limited v1 container": WS 432013312, FLOOR 398458880 */
    open_root(MT_FIXTURE("v1-layouts"));
    model_tick(&m, 1000.0, 1000000000ull);
    CgEntry *e = get(DOCKER_A);
    ck_assert_int_eq(e->cls.kind, MT_KIND_CONTAINER);
    ck_assert_int_eq(e->cls.runtime, MT_RT_DOCKER);
    ck_assert_uint_eq(e->cur.v[MT_F_USAGE], 482344960);
    ck_assert(e->d.ws_valid);
    ck_assert_uint_eq(e->d.ws, 432013312);
    ck_assert_uint_eq(e->cur.v[MT_F_ANON], 301989888);
    ck_assert_uint_eq(e->cur.v[MT_F_FILE], 150994944);
    ck_assert_uint_eq(e->cur.v[MT_F_SHMEM], 67108864);
    ck_assert_uint_eq(e->cur.v[MT_F_KERNEL], 29360128);
    ck_assert_uint_eq(e->cur.v[MT_F_LIMIT_HITS], 9138);
    ck_assert_uint_eq(e->d.limit, 536870912);
    ck_assert_ptr_eq(e->d.limit_from, e);
    ck_assert(e->d.swap_room_valid);
    ck_assert_uint_eq(e->d.swap_room, 0);       /* no swap on the node */
    ck_assert(e->d.floor_valid);
    ck_assert_uint_eq(e->d.floor, 398458880);
    /* hybrid: PSI from the unified tree */
    ck_assert(sample_has(&e->cur, MT_F_PSI_SOME10));
    ck_assert_uint_eq(e->cur.v[MT_F_PSI_SOME10], 127);
    /* v1 has no v2-only fields: unknown, not zero */
    ck_assert(!sample_has(&e->cur, MT_F_HIGH_EVENTS));
    ck_assert(!sample_has(&e->cur, MT_F_SLAB_RECLAIMABLE));
    /* first sample: no rates yet */
    ck_assert(isnan(e->d.pgfault_rate));
    model_close(&m);
}
END_TEST

static void check_pod_limit(const char *fixture)
{
    char rootdir[4096];
    snprintf(rootdir, sizeof(rootdir), "%s/%s", FIXTURES, fixture);
    open_root(rootdir);
    model_tick(&m, 1000.0, 1000000000ull);
    CgEntry *pod = get(POD), *c = get(CTRD);
    ck_assert_int_eq(pod->cls.kind, MT_KIND_POD);
    ck_assert_int_eq(c->cls.kind, MT_KIND_CONTAINER);
    ck_assert_ptr_eq(c->pod, pod);
    /* own limit 512 MiB, pod 256 MiB: the pod binds */
    ck_assert_uint_eq(c->cur.v[MT_F_LIMIT_OWN], 512 * MiB);
    ck_assert_uint_eq(c->d.limit, 256 * MiB);
    ck_assert_ptr_eq(c->d.limit_from, pod);
    /* kubepods.slice 2 GiB, pod 256 MiB: the pod binds for itself */
    ck_assert_ptr_eq(pod->d.limit_from, pod);
    CgEntry *qos = get("/kubepods.slice/kubepods-burstable.slice");
    ck_assert_uint_eq(qos->d.limit, 2048 * MiB);
    ck_assert_str_eq(qos->d.limit_from->path, "/kubepods.slice");
    /* unlimited sentinel: the root and docker-systemd container */
    CgEntry *root = get("/");
    ck_assert_uint_eq(root->d.limit, MT_UNLIMITED);
    ck_assert_ptr_null(root->d.limit_from);
    model_close(&m);
}

START_TEST(test_model_pod_limit_v1) { check_pod_limit("v1-layouts"); }
END_TEST
START_TEST(test_model_pod_limit_v2) { check_pod_limit("v2-layouts"); }
END_TEST

START_TEST(test_model_v2_root_and_fields)
{
    open_root(MT_FIXTURE("v2-layouts"));
    model_tick(&m, 1000.0, 1000000000ull);
    CgEntry *root = get("/");
    /* the v2 root has no memory.current: usage = anon + file */
    ck_assert(sample_has(&root->cur, MT_F_USAGE));
    ck_assert_uint_eq(root->cur.v[MT_F_USAGE],
                      root->cur.v[MT_F_ANON] + root->cur.v[MT_F_FILE]);
    ck_assert(m.node.ws_valid);
    ck_assert_uint_eq(m.node.working_set, root->d.ws);
    ck_assert_uint_eq(m.node.mem.mem_total, UINT64_C(8167480) * 1024);
    CgEntry *e = get(DOCKER_A);
    ck_assert_uint_eq(e->cur.v[MT_F_KERNEL], 28 * MiB);
    ck_assert(sample_has(&e->cur, MT_F_SLAB_RECLAIMABLE));
    ck_assert(sample_has(&e->cur, MT_F_HIGH_EVENTS));
    ck_assert_uint_eq(e->cur.v[MT_F_LIMIT_HITS], 9138);
    ck_assert_uint_eq(e->cur.v[MT_F_SWAP], 0);
    ck_assert(sample_has(&e->cur, MT_F_PEAK));
    ck_assert_uint_eq(e->cur.v[MT_F_HIGH_OWN], MT_UNLIMITED);
    /* swap on this node: 512 MiB free, swap.max unlimited */
    ck_assert_uint_eq(e->d.swap_room, 512 * MiB);
    /* counts */
    ck_assert_int_eq(m.node.n_containers, 12);
    ck_assert_int_eq(m.node.n_pods, 3);
    model_close(&m);
}
END_TEST

START_TEST(test_model_old_kernels)
{
    open_root(MT_FIXTURE("v2-old"));
    model_tick(&m, 1000.0, 1000000000ull);
    CgEntry *e = get(DOCKER_A);
    /* no "kernel" key: summed from kernel_stack + pagetables + percpu + slab */
    ck_assert(sample_has(&e->cur, MT_F_KERNEL));
    uint64_t k = 28 * MiB;
    ck_assert_uint_eq(e->cur.v[MT_F_KERNEL], k / 4 + k / 8 + k / 4);  /* no pagetables key yet */
    /* single workingset_refault counter maps to the file refaults */
    ck_assert(sample_has(&e->cur, MT_F_REFAULT_FILE));
    ck_assert(!sample_has(&e->cur, MT_F_REFAULT_ANON));
    ck_assert(!sample_has(&e->cur, MT_F_PEAK));     /* memory.peak is 5.19+ */
    model_close(&m);

    open_root(MT_FIXTURE("v1-old"));
    model_tick(&m, 1000.0, 1000000000ull);
    e = get(DOCKER_A);
    ck_assert_int_eq(m.layout.mode, MT_MODE_V1);
    ck_assert(!sample_has(&e->cur, MT_F_SWAP));     /* no swap accounting at all */
    ck_assert(!sample_has(&e->cur, MT_F_REFAULT_FILE));
    ck_assert(!sample_has(&e->cur, MT_F_PSI_SOME10));
    ck_assert(!sample_has(&e->cur, MT_F_OOM_KILLS)); /* oom_kill appeared in 4.13 */
    ck_assert(sample_has(&e->cur, MT_F_UNDER_OOM));
    ck_assert_uint_eq(e->d.ws, 432013312);
    model_close(&m);
}
END_TEST

START_TEST(test_model_nomemory)
{
    ModelOptions o;
    char err[512] = "";
    model_options_default(&o);
    o.root = MT_FIXTURE("v2-nomemory");
    ck_assert_int_eq(model_open(&m, &o, err, sizeof(err)), -EMEDIUMTYPE);
    ck_assert_msg(strstr(err, "memory cgroup controller is not available") != NULL, "%s", err);
    o.root = "/nonexistent-memtop-root";
    ck_assert_int_eq(model_open(&m, &o, err, sizeof(err)), -ENOENT);
    ck_assert(strstr(err, "cannot open root directory") != NULL);
}
END_TEST

#define A_STAT "sys/fs/cgroup/memory" DOCKER_A "/memory.stat"

START_TEST(test_model_rates_and_reset)
{
    char *dir = fixture_copy("v1-layouts");
    open_root(dir);
    fixture_set_key(dir, A_STAT, "total_pgfault", 1000);
    fixture_set_key(dir, A_STAT, "total_pgmajfault", 10);
    model_tick(&m, 1000.0, 1000000000ull);
    fixture_set_key(dir, A_STAT, "total_pgfault", 2000);
    fixture_set_key(dir, A_STAT, "total_pgmajfault", 30);
    model_tick(&m, 1002.0, 3000000000ull);
    CgEntry *e = get(DOCKER_A);
    ck_assert(fabs(e->d.pgfault_rate - 500.0) < 1e-9);
    ck_assert(fabs(e->d.pgmajfault_rate - 10.0) < 1e-9);
    ck_assert(!e->d.counter_reset);
    /* the counter goes backwards: no rate, flagged as a reset */
    fixture_set_key(dir, A_STAT, "total_pgfault", 100);
    model_tick(&m, 1004.0, 5000000000ull);
    ck_assert(isnan(e->d.pgfault_rate));
    ck_assert(e->d.counter_reset);
    ck_assert(hist_at(&e->hist, m.seq)->events & MT_HEV_RESET);
    /* and the next interval has a rate again */
    fixture_set_key(dir, A_STAT, "total_pgfault", 300);
    model_tick(&m, 1006.0, 7000000000ull);
    ck_assert(fabs(e->d.pgfault_rate - 100.0) < 1e-9);
    /* a stale gap (far beyond 5 intervals) gives no rate */
    fixture_set_key(dir, A_STAT, "total_pgfault", 400);
    model_tick(&m, 1106.0, 107000000000ull);
    ck_assert(isnan(e->d.pgfault_rate));
    model_close(&m);
    fixture_remove(dir);
}
END_TEST

START_TEST(test_model_failcnt_delta)
{
    char *dir = fixture_copy("v2-layouts");
    open_root(dir);
    model_tick(&m, 1000.0, 1000000000ull);
    fixture_write(dir, "sys/fs/cgroup" DOCKER_A "/memory.events",
                  "low 0\nhigh 0\nmax 9140\noom 1\noom_kill 1\noom_group_kill 0\n");
    model_tick(&m, 1002.0, 3000000000ull);
    CgEntry *e = get(DOCKER_A);
    ck_assert_uint_eq(e->d.d_limit_hits, 2);
    ck_assert_uint_eq(e->d.d_oom_kills, 1);
    ck_assert_uint_eq(e->d.d_oom_events, 1);
    const HistRecord *r = hist_at(&e->hist, m.seq);
    ck_assert(r->events & MT_HEV_OOM_KILL);
    ck_assert(r->events & MT_HEV_LIMIT_HIT);
    model_close(&m);
    fixture_remove(dir);
}
END_TEST

START_TEST(test_model_vanish_and_recreate)
{
    char *dir = fixture_copy("v2-layouts");
    char path[1024], cmd[4096];
    open_root(dir);
    model_tick(&m, 1000.0, 1000000000ull);
    CgEntry *e = get(DOCKER_A);
    uint64_t ino = e->inode;
    ck_assert_int_eq(e->state, MT_STATE_LIVE);

    /* vanish: tombstone for tomb_secs, then swept */
    snprintf(path, sizeof(path), "%s/sys/fs/cgroup" DOCKER_A, dir);
    snprintf(cmd, sizeof(cmd), "mv '%s' '%s.saved'", path, path);
    ck_assert_int_eq(system(cmd), 0);
    model_tick(&m, 1002.0, 3000000000ull);
    e = get(DOCKER_A);
    ck_assert_int_eq(e->state, MT_STATE_GONE);
    ck_assert(e->has_cur);                      /* last known values kept */
    ck_assert_uint_eq(e->d.ws, 432013312);
    model_tick(&m, 1006.0, 7000000000ull);
    ck_assert_int_eq(e->state, MT_STATE_GONE);
    model_tick(&m, 1008.0, 9000000000ull);      /* > gone_time + 5 s */
    ck_assert_ptr_null(model_find(&m, DOCKER_A));

    /* re-created under the same path (new inode): a new incarnation */
    snprintf(cmd, sizeof(cmd), "cp -a '%s.saved' '%s'", path, path);
    ck_assert_int_eq(system(cmd), 0);
    model_tick(&m, 1010.0, 11000000000ull);
    e = get(DOCKER_A);
    ck_assert_int_eq(e->state, MT_STATE_LIVE);
    ck_assert_uint_ne(e->inode, ino);
    ck_assert(!e->has_prev);                    /* no rate across incarnations */
    ck_assert_ptr_null(hist_at(&e->hist, m.seq - 1));
    ck_assert_ptr_nonnull(hist_at(&e->hist, m.seq));

    /* swap the directory under a live entry: new inode detected, reset */
    model_tick(&m, 1012.0, 13000000000ull);
    ck_assert(e->has_prev);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -a '%s.saved' '%s'", path, path, path);
    ck_assert_int_eq(system(cmd), 0);
    model_tick(&m, 1014.0, 15000000000ull);
    ck_assert(!e->has_prev);
    model_close(&m);
    fixture_remove(dir);
}
END_TEST

START_TEST(test_model_file_vanishes_mid_read)
{
    /* memory.stat gone but the directory still there: not "gone", just
     * unaccounted (v2 without the controller); everything unknown */
    char *dir = fixture_copy("v2-layouts");
    char cmd[8192];
    open_root(dir);
    snprintf(cmd, sizeof(cmd), "rm -f '%s/sys/fs/cgroup/system.slice/sshd.service/memory.'*", dir);
    ck_assert_int_eq(system(cmd), 0);
    model_tick(&m, 1000.0, 1000000000ull);
    CgEntry *e = get("/system.slice/sshd.service");
    ck_assert_int_eq(e->state, MT_STATE_LIVE);
    ck_assert(e->unaccounted);
    ck_assert(!e->has_cur);
    double v;
    ck_assert(!column_value(MT_COL_WS, e, &v));
    model_close(&m);
    fixture_remove(dir);
}
END_TEST

START_TEST(test_model_history_and_listing)
{
    open_root(MT_FIXTURE("v2-layouts"));
    for (int i = 0; i < 20; i++)
        model_tick(&m, 1000.0 + 2 * i, (uint64_t)(1 + 2 * i) * 1000000000ull);
    ck_assert_uint_eq(m.seq, 20);
    ck_assert_ptr_null(model_tick_time(&m, 4));       /* history 16 */
    ck_assert(model_tick_time(&m, 5)->real == 1008.0);
    CgEntry *e = get(DOCKER_A);
    ck_assert_ptr_null(hist_at(&e->hist, 4));
    const HistRecord *r = hist_at(&e->hist, 20);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(hist_decode_bytes(r->v[MT_H_LIMIT]), 512 * MiB);
    double ws = (double)hist_decode_bytes(r->v[MT_H_WS]);
    ck_assert(fabs(ws - 432013312.0) / 432013312.0 < 0.001);

    const CgEntry *list[64];
    size_t n = listing_build(&m.table, MT_SHOW_CONTAINERS, MT_COL_WS, false, list, 64);
    ck_assert_uint_eq(n, 15);          /* 12 containers, 3 pods */
    for (size_t i = 1; i < n; i++) {
        double a, b;
        ck_assert(column_value(MT_COL_WS, list[i - 1], &a));
        ck_assert(column_value(MT_COL_WS, list[i], &b));
        ck_assert(a >= b);
        if (a == b)
            ck_assert(strcmp(list[i - 1]->path, list[i]->path) < 0);
    }
    /* inverted: ascending, ties still by path */
    n = listing_build(&m.table, MT_SHOW_CONTAINERS, MT_COL_WS, true, list, 64);
    double first, last;
    column_value(MT_COL_WS, list[0], &first);
    column_value(MT_COL_WS, list[n - 1], &last);
    ck_assert(first <= last);
    /* WS%: unlimited ones have no value and sort last both ways */
    n = listing_build(&m.table, MT_SHOW_CONTAINERS, MT_COL_WS_PCT, true, list, 64);
    double v;
    ck_assert(!column_value(MT_COL_WS_PCT, list[n - 1], &v));
    ck_assert(column_value(MT_COL_WS_PCT, list[0], &v));
    n = listing_build(&m.table, MT_SHOW_ALL, MT_COL_PATH, false, list, 64);
    ck_assert_str_eq(list[0]->path, "/");
    model_close(&m);
}
END_TEST

static Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_model_v1_synthetic_container);
    tcase_add_test(tc, test_model_pod_limit_v1);
    tcase_add_test(tc, test_model_pod_limit_v2);
    tcase_add_test(tc, test_model_v2_root_and_fields);
    tcase_add_test(tc, test_model_old_kernels);
    tcase_add_test(tc, test_model_nomemory);
    tcase_add_test(tc, test_model_rates_and_reset);
    tcase_add_test(tc, test_model_failcnt_delta);
    tcase_add_test(tc, test_model_vanish_and_recreate);
    tcase_add_test(tc, test_model_file_vanishes_mid_read);
    tcase_add_test(tc, test_model_history_and_listing);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(model_suite)
