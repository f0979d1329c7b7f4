/* test_analysis.c - risk scenarios on fixture trees (tests/fixtures/
 * analysis-v1, analysis-v2): each test copies a tree to a temporary
 * directory, rewrites files between model_tick() calls with explicit times
 * (2 s apart unless stated) and checks the verdict, JSON and sentences. */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "output/columns.h"
#include "common.h"
#include "output/explain.h"
#include "sample/model.h"
#include "output/json.h"
#include "output/lookup.h"
#include "output/risk_json.h"
#include "output/risk_text.h"

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

#define V2A "/system.slice/docker-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope"
#define V2B "/system.slice/docker-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.scope"
#define V2C "/system.slice/docker-cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.scope"
#define V2D "/system.slice/docker-dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.scope"
#define V2POD "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod11111111_2222_3333_4444_555555555555.slice"
#define V2E V2POD "/cri-containerd-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.scope"
#define V2F V2POD "/cri-containerd-ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff.scope"
#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define V1_1 "/docker/" ID1
#define V1_2 "/docker/2222222222222222222222222222222222222222222222222222222222222222"
#define V1_3 "/docker/3333333333333333333333333333333333333333333333333333333333333333"
#define V1_4 "/docker/4444444444444444444444444444444444444444444444444444444444444444"
#define V1_5 "/docker/5555555555555555555555555555555555555555555555555555555555555555"
#define V1POD "/kubepods/burstable/pod11111111-2222-3333-4444-555555555555"
#define V1_6 V1POD "/6666666666666666666666666666666666666666666666666666666666666666"

static char *tmp;               /* copy of the fixture tree */
static const char *cgdir;       /* sys/fs/cgroup or sys/fs/cgroup/memory */
static Model m;
static Analysis an;
static int ticks;

/* Write file name of cgroup path cg. */
static void wrcg(const char *cg, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void wrcg(const char *cg, const char *name, const char *fmt, ...)
{
    char rel[PATH_MAX];
    va_list ap;

    snprintf(rel, sizeof(rel), "%s%s/%s", cgdir, cg, name);
    va_start(ap, fmt);
    fixture_vprintf(tmp, rel, fmt, ap);
    va_end(ap);
}

static void meminfo(uint64_t total, uint64_t swap_total, uint64_t swap_free)
{
    fixture_printf(tmp, "proc/meminfo", "MemTotal: %llu kB\nMemFree: %llu kB\n"
                   "MemAvailable: %llu kB\nSwapTotal: %llu kB\nSwapFree: %llu kB\n",
                   (unsigned long long)(total >> 10), (unsigned long long)(total >> 11),
                   (unsigned long long)(total >> 11), (unsigned long long)(swap_total >> 10),
                   (unsigned long long)(swap_free >> 10));
}

static void open_tree(const char *name)
{
    ModelOptions o;
    char err[256];

    tmp = fixture_copy(name);
    cgdir = strstr(name, "v1") ? "sys/fs/cgroup/memory" : "sys/fs/cgroup";
    model_options_default(&o);
    o.root = tmp;
    o.interval = 2;
    o.slow_every = 1;           /* re-read limits every tick: tests change them */
    o.fd_budget = 0;            /* reopen files: tests replace them */
    o.carry_max = 0;            /* tests change one file at a time, where a kernel
                                 * would also move the usage: read every tick */
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "%s", err);
    analysis_init(&an, NULL);
    analysis_attach(&an, &m);
    ticks = 0;
}

static void close_tree(void)
{
    model_close(&m);
    fixture_remove(tmp);
    tmp = NULL;
}

/* One tick dt seconds after the previous one. */
static void tick_after(double dt)
{
    static double t;
    if (ticks == 0)
        t = 0;
    t += dt;
    ticks++;
    model_tick(&m, 1.7e9 + t, (uint64_t)(t * 1e9));
}

static void tick(void)
{
    tick_after(2);
}

static const RiskVerdict *verdict(const char *path)
{
    const CgEntry *e = model_find(&m, path);
    ck_assert_msg(e != NULL, "no entry %s", path);
    const RiskVerdict *v = analysis_verdict(e);
    ck_assert_msg(v != NULL, "no verdict for %s", path);
    return v;
}

static bool explains(const char *path, const char *needle)
{
    Explanation x;
    explain_entry(&m, model_find(&m, path), &x);
    for (size_t i = 0; i < x.n; i++)
        if (strstr(x.line[i], needle))
            return true;
    for (size_t i = 0; i < x.n; i++)
        fprintf(stderr, "  [%s] %s\n", x.level, x.line[i]);
    return false;
}

static bool explains_quiet(const char *path, const char *needle)
{
    Explanation x;
    explain_entry(&m, model_find(&m, path), &x);
    for (size_t i = 0; i < x.n; i++)
        if (strstr(x.line[i], needle))
            return true;
    return false;
}

static bool has_rule(const RiskVerdict *v, MtRule r)
{
    return (v->rules & MT_RULE(r)) != 0;
}

/* v2 memory.stat + memory.current of the worked-example container. */
static void v2_write_a(uint64_t anon)
{
    const uint64_t file = 318767104, kernel = 41156608;
    wrcg(V2A, "memory.stat", "anon %llu\nfile %llu\nkernel %llu\nshmem 67108864\nsock 0\n"
         "inactive_anon 67108864\nactive_anon %llu\ninactive_file 167772160\n"
         "active_file 83886080\nunevictable 0\nslab_reclaimable 25165824\n",
         (unsigned long long)anon, (unsigned long long)file, (unsigned long long)kernel,
         (unsigned long long)(anon));
    wrcg(V2A, "memory.current", "%llu\n", (unsigned long long)(anon + file + kernel));
}

/* SPEC 5.4 worked example on the v2 fixture: W1, then 2 MiB/s growth ending
 * exactly at the example's numbers gives HIGH (H4), ETA_ws ~102 s,
 * ETA_oom ~154 s, no C6. */
START_TEST(test_v2_worked_example_growth)
{
    const uint64_t anon_end = 666894336;

    open_tree("analysis-v2");
    for (int k = 0; k <= 6; k++) {
        v2_write_a(anon_end - (uint64_t)(6 - k) * 4 * MiB);
        tick();
        const RiskVerdict *v = verdict(V2A);
        if (k == 0)
            ck_assert(v->raw == MT_RISK_WATCH && v->level == MT_RISK_WATCH);
        if (k == 5) {
            ck_assert_int_eq(v->raw, MT_RISK_HIGH);     /* H4: 6 samples over 10 s */
            ck_assert_int_eq(v->level, MT_RISK_WATCH);  /* raising takes 2 ticks */
        }
        if (k < 5)
            ck_assert(isnan(v->in.eta_ws));             /* < 10 s of samples */
    }
    const RiskVerdict *v = verdict(V2A);
    ck_assert_double_eq(v->in.ws, 859045888.0);
    ck_assert_double_eq(v->in.floor, 749993984.0);
    ck_assert_double_eq(v->in.reclaimable, 251658240.0 + 25165824.0);
    ck_assert_double_eq_tol(v->ws_ratio, 0.800, 0.0005);
    ck_assert_double_eq_tol(v->floor_ratio, 0.698, 0.0005);
    ck_assert_str_eq(v->binding, V2A);
    ck_assert(!v->in.node_level);
    ck_assert_double_eq_tol(v->in.eta_ws, 102.4, 102.4 * 0.03);
    ck_assert_double_eq_tol(v->in.eta_oom, 154.4, 154.4 * 0.03);
    ck_assert_int_eq(v->level, MT_RISK_HIGH);
    ck_assert(has_rule(v, MT_R_H4) && has_rule(v, MT_R_W1) && !has_rule(v, MT_R_C6));
    ck_assert(explains(V2A, "the working set reaches the limit in ~2 min; reclaim will be "
                            "exhausted in ~3 min"));
    const CgEntry *e = model_find(&m, V2A);
    ck_assert_int_eq(hist_at(&e->hist, m.seq)->risk, MT_RISK_HIGH);

    /* JSON: the risk object with the documented names */
    json_object *t = json_tick(&m, MT_SHOW_CONTAINERS, MT_COL_RISK, false, analysis_json_hook, &an);
    json_object *arr = json_object_object_get(t, "cgroups"), *r = NULL;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *o = json_object_array_get_idx(arr, i);
        if (strcmp(json_object_get_string(json_object_object_get(o, "path")), V2A) == 0)
            r = json_object_object_get(o, "risk");
    }
    ck_assert(r != NULL);
    ck_assert_str_eq(json_object_get_string(json_object_object_get(r, "level")), "HIGH");
    ck_assert(!json_object_get_boolean(json_object_object_get(r, "node_level")));
    ck_assert_str_eq(json_object_get_string(json_object_object_get(r, "binding")), V2A);
    ck_assert_uint_eq(json_object_get_uint64(json_object_object_get(r, "floor")), 749993984);
    ck_assert_uint_eq(json_object_get_uint64(json_object_object_get(r, "reclaimable")), 276824064);
    static const char *const keys[] = { "rules", "sentences", "ws_ratio", "floor_ratio",
                                        "eta_ws_s", "eta_oom_s" };
    for (size_t i = 0; i < 6; i++)
        ck_assert_msg(json_object_object_get(r, keys[i]) != NULL, "missing %s", keys[i]);
    ck_assert(json_object_get_double(json_object_object_get(r, "eta_ws_s")) > 90);
    json_object *rules = json_object_object_get(r, "rules");
    bool h4 = false;
    for (size_t i = 0; i < json_object_array_length(rules); i++)
        h4 |= strcmp(json_object_get_string(json_object_array_get_idx(rules, i)), "H4") == 0;
    ck_assert(h4);
    json_object_put(t);
    close_tree();
}
END_TEST

/* v1: anon grows 4 MiB/s toward the 256 MiB limit: HIGH with an ETA well
 * before the working set reaches the limit. */
START_TEST(test_v1_anon_growth)
{
    open_tree("analysis-v1");
    bool reached = false;
    for (int k = 0; k < 30 && !reached; k++) {
        uint64_t rss = 100 * MiB + (uint64_t)k * 8 * MiB;
        wrcg(V1_1, "memory.stat", "total_cache 4194304\ntotal_rss %llu\ntotal_shmem 0\n"
             "total_inactive_anon 0\ntotal_active_anon %llu\ntotal_inactive_file 2097152\n"
             "total_active_file 2097152\ntotal_unevictable 0\n"
             "hierarchical_memory_limit 268435456\n", (unsigned long long)rss,
             (unsigned long long)rss);
        wrcg(V1_1, "memory.usage_in_bytes", "%llu\n", (unsigned long long)(rss + 5 * MiB));
        tick();
        const RiskVerdict *v = verdict(V1_1);
        if (k < 5)
            ck_assert(isnan(v->in.eta_ws));
        if (v->level >= MT_RISK_HIGH && !isnan(v->in.eta_ws)) {
            reached = true;
            ck_assert(v->in.ws < 256.0 * MiB);
            double want = (256.0 * MiB - v->in.ws) / (4.0 * MiB);
            ck_assert_double_eq_tol(v->in.eta_ws, want, want * 0.05 + 1);
            ck_assert(v->in.eta_ws > 10);
            ck_assert(explains(V1_1, "At the current growth of 4.00M/s"));
        }
    }
    ck_assert_msg(reached, "never reached HIGH with an ETA");
    close_tree();
}
END_TEST

/* tmpfs-heavy: shmem is in cache but in the floor (no swap): WATCH. */
START_TEST(test_tmpfs_heavy)
{
    static const char *const trees[] = { "analysis-v1", "analysis-v2" };
    static const char *const paths[] = { V1_5, V2B };

    for (int i = 0; i < 2; i++) {
        open_tree(trees[i]);
        tick();
        tick();
        const RiskVerdict *v = verdict(paths[i]);
        ck_assert_double_eq(v->in.reclaimable, 4.0 * MiB);      /* file LRU only */
        ck_assert(v->in.floor >= 68.0 * MiB);                   /* shmem + anon */
        ck_assert_int_ge(v->level, MT_RISK_WATCH);
        ck_assert(has_rule(v, MT_R_W1));
        ck_assert(explains(paths[i], "64.0M is tmpfs/shared memory that cannot be freed without "
                                     "deleting files (no swap)"));
        ck_assert(explains(paths[i], "Unreclaimable floor is 72% of the limit"));
        close_tree();
    }
}
END_TEST

/* Cache-heavy at the limit with failcnt rising: stays OK and says why. */
START_TEST(test_cache_heavy_at_limit)
{
    open_tree("analysis-v1");
    for (int k = 0; k < 10; k++) {
        wrcg(V1_2, "memory.failcnt", "%d\n", 5000 + 100 * (k + 1));
        tick();
        const RiskVerdict *v = verdict(V1_2);
        ck_assert_int_eq(v->level, MT_RISK_OK);
        ck_assert_int_eq(v->raw, MT_RISK_OK);
        ck_assert(v->use_ratio > 0.99);
    }
    const RiskVerdict *v = verdict(V1_2);
    ck_assert_uint_gt(v->in.hits_window, 0);
    ck_assert(explains(V1_2, "Usage is at the limit but 200M is inactive cache"));
    close_tree();
}
END_TEST

/* Limit inherited from a pod (v1), and a pod binding although the
 * container has its own larger limit (v2). */
START_TEST(test_pod_binding)
{
    open_tree("analysis-v1");
    tick();
    tick();
    const RiskVerdict *v = verdict(V1_6);
    ck_assert_str_eq(v->binding, V1POD);
    ck_assert_double_eq(v->in.limit, 300.0 * MiB);
    ck_assert_int_eq(v->level, MT_RISK_WATCH);
    ck_assert(explains(V1_6, "Limit is inherited from pod 11111111-2222-3333-4444-555555555555"));
    ck_assert(explains(V1_6, "(at pod 11111111-2222-3333-4444-555555555555)"));
    close_tree();

    open_tree("analysis-v2");
    tick();
    tick();
    v = verdict(V2F);
    ck_assert_str_eq(v->binding, V2POD);
    ck_assert_int_eq(v->level, MT_RISK_HIGH);       /* the pod is at 96 % */
    ck_assert(explains(V2F, "Working set is 96% of the limit (at pod "
                            "11111111-2222-3333-4444-555555555555)"));
    ck_assert_str_eq(verdict(V2E)->binding, V2POD);
    ck_assert_str_eq(verdict(V2POD)->binding, V2POD);
    /* the RISK sort key puts the pod's members above calmer containers */
    const CgEntry *list[64];
    size_t n = listing_build(&m.table, MT_SHOW_CONTAINERS, MT_COL_RISK, false, list, 64);
    ck_assert_uint_gt(n, 3);
    ck_assert_int_eq(analysis_verdict(list[0])->level, MT_RISK_HIGH);
    ck_assert_int_eq(analysis_verdict(list[n - 1])->level, MT_RISK_OK);
    /* own limit 450M is the effective one, but the pod has less headroom */
    wrcg(V2E, "memory.max", "%d\n", 450 << 20);
    tick();
    tick();
    v = verdict(V2E);
    ck_assert_str_eq(v->binding, V2POD);
    ck_assert_str_eq(model_find(&m, V2E)->d.limit_from->path, V2E);
    ck_assert(explains(V2E, "Risk is judged at pod 11111111-2222-3333-4444-555555555555 (512M "
                            "limit): it has the least headroom"));
    char cell[16];
    analysis_batch_cell(&m, model_find(&m, V2F), cell, sizeof(cell), &an);
    ck_assert_str_eq(cell, "HIGH");
    column_text(MT_COL_RISK, model_find(&m, V2F), false, cell, sizeof(cell));
    ck_assert_str_eq(cell, "HIGH");
    close_tree();
}
END_TEST

/* An OOM kill: CRITICAL at once (C1, C3), HIGH after the minute (H5, 5
 * ticks to lower), WATCH after 15 min (W7, sticky). */
START_TEST(test_v2_oom_kill)
{
    open_tree("analysis-v2");
    tick();
    tick();
    ck_assert_int_eq(verdict(V2C)->level, MT_RISK_OK);
    wrcg(V2C, "memory.events", "low 0\nhigh 0\nmax 180\noom 1\noom_kill 1\noom_group_kill 0\n");
    tick();
    const RiskVerdict *v = verdict(V2C);
    ck_assert_int_eq(v->level, MT_RISK_CRITICAL);
    ck_assert(has_rule(v, MT_R_C1) && has_rule(v, MT_R_C3));
    ck_assert(explains(V2C, "OOM killer killed 1 process(es) in this cgroup in the last minute."));
    ck_assert(explains(V2C, "Reclaim failed at the limit 1 time(s) in the last minute"));
    tick_after(61);
    v = verdict(V2C);
    ck_assert_int_eq(v->raw, MT_RISK_HIGH);
    ck_assert(!has_rule(v, MT_R_C1) && has_rule(v, MT_R_H5));
    for (int k = 0; k < 3; k++) {
        tick();
        ck_assert_int_eq(verdict(V2C)->level, MT_RISK_CRITICAL);
    }
    tick();
    ck_assert_int_eq(verdict(V2C)->level, MT_RISK_HIGH);
    ck_assert(explains(V2C, "killed 1 process(es) in this cgroup 69 s ago"));
    tick_after(900);
    for (int k = 0; k < 4; k++)
        tick();
    v = verdict(V2C);
    ck_assert_int_eq(v->level, MT_RISK_WATCH);
    ck_assert(has_rule(v, MT_R_W7));
    ck_assert(explains(V2C, "since memtop started"));
    close_tree();
}
END_TEST

START_TEST(test_v1_oom_kill)
{
    open_tree("analysis-v1");
    tick();
    wrcg(V1_3, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
    tick();
    const RiskVerdict *v = verdict(V1_3);
    ck_assert_int_eq(v->level, MT_RISK_CRITICAL);
    ck_assert(has_rule(v, MT_R_C1));
    ck_assert(explains(V1_3, "OOM killer killed 2 process(es) in this cgroup in the last minute."));
    /* under_oom with the killer disabled: C2, immediately */
    wrcg(V1_3, "memory.oom_control", "oom_kill_disable 1\nunder_oom 1\noom_kill 2\n");
    tick();
    v = verdict(V1_3);
    ck_assert(has_rule(v, MT_R_C2));
    ck_assert(explains(V1_3, "Tasks are frozen waiting for memory"));
    close_tree();
}
END_TEST

/* No limit anywhere: node-level verdict, then kubelet eviction rules. */
START_TEST(test_node_level)
{
    open_tree("analysis-v2");
    fixture_mkdir(tmp, "sys/kernel/mm/lru_gen");
    fixture_write(tmp, "sys/kernel/mm/lru_gen/enabled", "0x0007\n");
    tick();
    /* 2000 lazily freed pages in 2 s */
    wrcg(V2D, "memory.stat", "anon 209715200\nfile 52428800\nkernel 1048576\n"
         "inactive_anon 0\nactive_anon 209715200\ninactive_file 41943040\n"
         "active_file 10485760\npglazyfree 2000\n");
    tick();
    const RiskVerdict *v = verdict(V2D);
    ck_assert(v->in.node_level);
    ck_assert_str_eq(v->binding, "/");
    ck_assert_int_eq(v->level, MT_RISK_OK);
    ck_assert_double_eq_tol(v->ws_ratio, 4.0 / 16.0, 1e-9);
    ck_assert(explains(V2D, "No memory limit on this cgroup or its parents"));
    ck_assert(explains(V2D, "Node: 12.0G available; kubelet hard-evicts below 100M."));
    ck_assert(explains(V2D, "MGLRU is enabled"));
    ck_assert(explains(V2D, "1000 pages/s were lazily freed (MADV_FREE)"));
    ck_assert(!explains_quiet(V2A, "MADV_FREE"));
    Explanation x;
    explain_entry(&m, model_find(&m, V2D), &x);
    ck_assert(x.node_level);
    ck_assert_str_eq(x.level, "OK");
    meminfo(4 * GiB + 200 * MiB, 0, 0);
    tick();
    tick();
    v = verdict(V2D);
    ck_assert(has_rule(v, MT_R_N1) && !has_rule(v, MT_R_N2));
    ck_assert_int_eq(v->level, MT_RISK_HIGH);
    meminfo(4 * GiB + 50 * MiB, 0, 0);
    tick();
    ck_assert_int_eq(verdict(V2D)->level, MT_RISK_HIGH);   /* N2 is not immediate */
    tick();
    v = verdict(V2D);
    ck_assert(has_rule(v, MT_R_N2));
    ck_assert_int_eq(v->level, MT_RISK_CRITICAL);
    ck_assert(explains(V2D, "below the kubelet eviction threshold 100M"));
    close_tree();
}
END_TEST

/* The same anon-heavy container without and with swap. */
START_TEST(test_swap_present_absent)
{
    open_tree("analysis-v1");
    tick();
    tick();
    const RiskVerdict *v = verdict(V1_4);
    ck_assert_double_eq(v->in.swap_room, 0);
    ck_assert_double_eq(v->in.reclaimable, 4.0 * MiB);
    ck_assert_int_eq(v->level, MT_RISK_WATCH);      /* floor 71 % */
    ck_assert(explains(V1_4, "no swap is available, so it cannot be reclaimed"));
    close_tree();

    open_tree("analysis-v1");
    meminfo(16 * GiB, 4 * GiB, 4 * GiB);
    /* an ancestor's swappiness 0 must not disable swap for this cgroup */
    wrcg("/docker", "memory.swappiness", "0\n");
    tick();
    tick();
    v = verdict(V1_4);
    ck_assert_double_eq(v->in.swap_room, 4.0 * GiB);
    ck_assert_double_eq(v->in.reclaimable, 184.0 * MiB);
    ck_assert(v->floor_ratio < 0.01);
    ck_assert_int_eq(v->level, MT_RISK_OK);
    ck_assert(explains(V1_4, "up to 4.00G can be swapped out"));
    /* its own swappiness 0 does */
    wrcg(V1_4, "memory.swappiness", "0\n");
    tick();
    ck_assert_double_eq(verdict(V1_4)->in.swap_room, 0);
    close_tree();

    /* v2: swap.max 0 pins anon even when the node has swap */
    open_tree("analysis-v2");
    meminfo(16 * GiB, 4 * GiB, 3 * GiB);
    tick();
    ck_assert_double_eq(verdict(V2A)->in.swap_room, 0);
    ck_assert_double_eq(verdict(V2D)->in.swap_room, 3.0 * GiB);
    /* v2: vm.swappiness 0 disables swap for memcg reclaim */
    fixture_mkdir(tmp, "proc/sys/vm");
    fixture_write(tmp, "proc/sys/vm/swappiness", "0\n");
    tick();
    ck_assert_double_eq(verdict(V2D)->in.swap_room, 0);
    fixture_write(tmp, "proc/sys/vm/swappiness", "60\n");
    tick();
    ck_assert_double_eq(verdict(V2D)->in.swap_room, 3.0 * GiB);
    close_tree();
}
END_TEST

START_TEST(test_explain_find)
{
    const CgEntry *e;
    char err[512];

    open_tree("analysis-v2");
    tick();
    ck_assert_int_eq(lookup_cgroup(&m, "aaaa", &e, err, sizeof(err)), 0);
    ck_assert_str_eq(e->path, V2A);
    ck_assert_int_eq(lookup_cgroup(&m, "docker:cccccccccccc", &e, err, sizeof(err)), 0);
    ck_assert_str_eq(e->path, V2C);
    ck_assert_int_eq(lookup_cgroup(&m, V2POD, &e, err, sizeof(err)), 0);
    ck_assert_int_eq(lookup_cgroup(&m, "11111111", &e, err, sizeof(err)), 0);
    ck_assert_str_eq(e->path, V2POD);
    ck_assert_int_eq(lookup_cgroup(&m, "aaa", &e, err, sizeof(err)), -1);     /* < 4 chars */
    ck_assert(strstr(err, "no container matches 'aaa'"));
    ck_assert_int_eq(lookup_cgroup(&m, "zzzz", &e, err, sizeof(err)), -1);
    close_tree();

    /* two containers sharing an id prefix */
    open_tree("analysis-v2");
#define V2A2 "/system.slice/docker-aaaab00000000000000000000000000000000000000000000000000000000000.scope"
    fixture_mkdir(tmp, "sys/fs/cgroup" V2A2);
    wrcg(V2A2, "memory.current", "1\n");
    wrcg(V2A2, "memory.stat", "anon 1\n");
    tick();
    ck_assert_int_eq(lookup_cgroup(&m, "aaaa", &e, err, sizeof(err)), -1);
    ck_assert(strstr(err, "is ambiguous"));
    ck_assert_int_eq(lookup_cgroup(&m, "aaaaa", &e, err, sizeof(err)), 0);
    close_tree();
}
END_TEST

static Suite *analysis_suite(void)
{
    Suite *s = suite_create("analysis");
    TCase *tc = tcase_create("fixtures");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_v2_worked_example_growth);
    tcase_add_test(tc, test_v1_anon_growth);
    tcase_add_test(tc, test_tmpfs_heavy);
    tcase_add_test(tc, test_cache_heavy_at_limit);
    tcase_add_test(tc, test_pod_binding);
    tcase_add_test(tc, test_v2_oom_kill);
    tcase_add_test(tc, test_v1_oom_kill);
    tcase_add_test(tc, test_node_level);
    tcase_add_test(tc, test_swap_present_absent);
    tcase_add_test(tc, test_explain_find);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(analysis_suite)
