/* check_real_fixtures.c - the model on trees captured from real kernels:
 * tests/fixtures/v2-real (Debian 6.1 in the qemu bed, pure cgroup v2) and
 * tests/fixtures/v1-real (this lab's hybrid host, tests/fixtures/capture-host.sh).
 *
 * Every normalized value is checked against the captured file it comes
 * from, read here with a separate minimal parser, so a wrong key mapping,
 * unit or hierarchy rule shows up as a mismatch on real kernel output. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "sample/model.h"
#include "sample/parse.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

static Model m;
static char memdir[8192];       /* fixture's memory hierarchy root */

static void open_fixture(const char *name, const char *memroot)
{
    static char root[2048];
    char err[256] = "";
    ModelOptions o;
    model_options_default(&o);
    snprintf(root, sizeof(root), "%s/%s", FIXTURES, name);
    snprintf(memdir, sizeof(memdir), "%s/%s", root, memroot);
    o.root = root;
    int r = model_open(&m, &o, err, sizeof(err));
    ck_assert_msg(r == 0, "model_open %s: %s", root, err);
    model_tick(&m, 1000.0, UINT64_C(1000000000));
}

static void close_fixture(void)
{
    model_close(&m);
}

/* Whole file of cgroup path ("/a/b") into a static buffer; NULL if absent. */
static const char *slurp(const char *cg, const char *file)
{
    static char buf[65536];
    char path[8192];
    if (snprintf(path, sizeof(path), "%s%s/%s", memdir, strcmp(cg, "/") ? cg : "", file) >=
        (int)sizeof(path))
        return NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

/* Single value; "max" and v1's huge "unlimited" become MT_UNLIMITED. */
static bool file_value(const char *cg, const char *file, uint64_t *v)
{
    const char *s = slurp(cg, file);
    if (!s)
        return false;
    if (strncmp(s, "max", 3) == 0) {
        *v = MT_UNLIMITED;
        return true;
    }
    *v = strtoull(s, NULL, 10);
    if (*v > MT_UNLIMITED_THRESHOLD)
        *v = MT_UNLIMITED;
    return true;
}

/* "key value" line of a flat keyed file. */
static bool file_key(const char *cg, const char *file, const char *key, uint64_t *v)
{
    const char *s = slurp(cg, file);
    size_t kl = strlen(key);
    for (const char *l = s; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "") {
        if (strncmp(l, key, kl) == 0 && l[kl] == ' ') {
            *v = strtoull(l + kl + 1, NULL, 10);
            return true;
        }
    }
    return false;
}

/* "some ... total=N" of memory.pressure */
static bool psi_total(const char *cg, const char *kind, uint64_t *v)
{
    const char *s = slurp(cg, "memory.pressure");
    const char *l = s ? strstr(s, kind) : NULL;
    const char *t = l ? strstr(l, "total=") : NULL;
    if (!t)
        return false;
    *v = strtoull(t + 6, NULL, 10);
    return true;
}

static void expect_field(const CgEntry *e, MtField f, bool have, uint64_t want, const char *src)
{
    if (!have) {
        ck_assert_msg(!sample_has(&e->cur, f), "%s: %s set but %s is absent", e->path,
                      field_key(f), src);
        return;
    }
    ck_assert_msg(sample_has(&e->cur, f), "%s: %s missing (%s has it)", e->path, field_key(f), src);
    ck_assert_msg(e->cur.v[f] == want, "%s: %s = %llu, %s says %llu", e->path, field_key(f),
                  (unsigned long long)e->cur.v[f], src, (unsigned long long)want);
}

static void expect_stat(const CgEntry *e, MtField f, const char *file, const char *key)
{
    uint64_t v = 0;
    bool have = file_key(e->path, file, key, &v);
    char src[128];
    snprintf(src, sizeof(src), "%s %s", file, key);
    expect_field(e, f, have, v, src);
}

static void expect_value(const CgEntry *e, MtField f, const char *file)
{
    uint64_t v = 0;
    bool have = file_value(e->path, file, &v);
    expect_field(e, f, have, v, file);
}

static const CgEntry *find_entry(const char *path)
{
    const CgEntry *e = model_find(&m, path);
    ck_assert_msg(e != NULL, "%s not discovered", path);
    ck_assert_msg(e->has_cur, "%s has no sample", path);
    return e;
}

static void expect_class(const char *path, MtKind kind, MtRuntime rt, const char *id,
                         const char *pod_uid, MtQos qos)
{
    const CgEntry *e = find_entry(path);
    ck_assert_msg(e->cls.kind == kind, "%s: kind %s, want %s", path,
                  classify_kind_name(e->cls.kind), classify_kind_name(kind));
    if (rt != MT_RT_NONE || e->cls.in_container)
        ck_assert_msg(e->cls.runtime == rt, "%s: runtime %d, want %d", path, e->cls.runtime, rt);
    ck_assert_str_eq(e->cls.id, id);
    ck_assert_str_eq(e->cls.pod_uid, pod_uid);
    ck_assert_int_eq(e->cls.qos, qos);
}

/* ------------------------------------------------------------------ v2 --- */

#define V2_POD1 "/kubepods.slice/kubepods-burstable.slice/" \
    "kubepods-burstable-podbfc4bbc6_8374_4fef_ac00_49663d34979a.slice"
#define V2_NGINX V2_POD1 \
    "/cri-containerd-5250cc2e681be324f044487d8b6da49103f7e17c9f9788c969dfee2449cc2c0d.scope"
#define V2_OOM "/system.slice/" \
    "docker-287ac68841deac11686c8779a3ab2a49bf0472ebfdd0e13384d664a18f36de7f.scope"
#define V2_JOB "/kubepods.slice/kubepods-besteffort.slice/" \
    "kubepods-besteffort-pode1786d67_6734_48da_ad89_6a5133589c34.slice/" \
    "cri-containerd-83b5eee7df3ed423a4de873f8f266102ec17175cc05a2d8ff5ae99b3e715d1ae.scope"
#define V2_PG "/machine.slice/" \
    "libpod-6fd522470aa19affb525a75c0de6c8fa686b29ff7e209b69dec432a5f3e1d3d1.scope"

static void v2_setup(void) { open_fixture("v2-real", "sys/fs/cgroup"); }

/* Effective v2 limit: min of memory.max over self and ancestors, nearest
 * wins ties; *from gets the binding path ("" when unlimited). */
static uint64_t v2_walk_limit(const char *path, const char *file, char *from, size_t fromlen)
{
    char p[4096];
    uint64_t best = MT_UNLIMITED, v;
    snprintf(p, sizeof(p), "%s", path);
    from[0] = 0;
    for (;;) {
        if (file_value(p, file, &v) && v < best) {
            best = v;
            snprintf(from, fromlen, "%s", p);
        }
        if (strcmp(p, "/") == 0)
            break;
        char *slash = strrchr(p, '/');
        if (slash == p)
            p[1] = 0;
        else
            *slash = 0;
    }
    return best;
}

START_TEST(v2_layout)
{
    ck_assert_int_eq(m.layout.mode, MT_MODE_V2);
    ck_assert_uint_ge(m.table.n, 20);
}
END_TEST

START_TEST(v2_every_field_matches_its_file)
{
    static const struct { MtField f; const char *key; } stat[] = {
        { MT_F_ANON, "anon" }, { MT_F_FILE, "file" }, { MT_F_SHMEM, "shmem" },
        { MT_F_MAPPED_FILE, "file_mapped" }, { MT_F_DIRTY, "file_dirty" },
        { MT_F_WRITEBACK, "file_writeback" }, { MT_F_ACTIVE_ANON, "active_anon" },
        { MT_F_INACTIVE_ANON, "inactive_anon" }, { MT_F_ACTIVE_FILE, "active_file" },
        { MT_F_INACTIVE_FILE, "inactive_file" }, { MT_F_UNEVICTABLE, "unevictable" },
        { MT_F_SWAPCACHED, "swapcached" }, { MT_F_KERNEL, "kernel" },
        { MT_F_SLAB_RECLAIMABLE, "slab_reclaimable" }, { MT_F_SOCK, "sock" },
        { MT_F_ANON_THP, "anon_thp" }, { MT_F_PGFAULT, "pgfault" },
        { MT_F_PGMAJFAULT, "pgmajfault" }, { MT_F_REFAULT_ANON, "workingset_refault_anon" },
        { MT_F_REFAULT_FILE, "workingset_refault_file" }, { MT_F_PGSCAN, "pgscan" },
        { MT_F_PGSTEAL, "pgsteal" }, { MT_F_PGLAZYFREE, "pglazyfree" },
        { MT_F_PGLAZYFREED, "pglazyfreed" },
    };
    static const struct { MtField f; const char *key; } events[] = {
        { MT_F_HIGH_EVENTS, "high" }, { MT_F_LIMIT_HITS, "max" }, { MT_F_OOM_EVENTS, "oom" },
        { MT_F_OOM_KILLS, "oom_kill" }, { MT_F_OOM_GROUP_KILLS, "oom_group_kill" },
    };
    size_t checked = 0;
    for (size_t i = 0; i < m.table.n; i++) {
        const CgEntry *e = m.table.entries[i];
        bool root = strcmp(e->path, "/") == 0;
        ck_assert_msg(e->has_cur, "%s: no sample", e->path);
        for (size_t k = 0; k < sizeof(stat) / sizeof(stat[0]); k++)
            expect_stat(e, stat[k].f, "memory.stat", stat[k].key);
        if (!root) {
            for (size_t k = 0; k < sizeof(events) / sizeof(events[0]); k++)
                expect_stat(e, events[k].f, "memory.events", events[k].key);
            expect_value(e, MT_F_USAGE, "memory.current");
            expect_value(e, MT_F_LIMIT_OWN, "memory.max");
            expect_value(e, MT_F_HIGH_OWN, "memory.high");
            expect_value(e, MT_F_LOW, "memory.low");
            expect_value(e, MT_F_MIN, "memory.min");
            expect_value(e, MT_F_SWAP_LIMIT_OWN, "memory.swap.max");
        }
        expect_value(e, MT_F_SWAP, "memory.swap.current");
        expect_value(e, MT_F_PEAK, "memory.peak");
        uint64_t t = 0;
        bool have = psi_total(e->path, "some", &t);
        expect_field(e, MT_F_PSI_SOME_TOTAL, have, t, "pressure some");
        have = psi_total(e->path, "full", &t);
        expect_field(e, MT_F_PSI_FULL_TOTAL, have, t, "pressure full");
        expect_stat(e, MT_F_POPULATED, "cgroup.events", "populated");

        /* working set = usage - inactive_file (cAdvisor) */
        uint64_t u = e->cur.v[MT_F_USAGE], inact = e->cur.v[MT_F_INACTIVE_FILE];
        ck_assert(e->d.ws_valid);
        ck_assert_uint_eq(e->d.ws, u > inact ? u - inact : 0);

        /* effective limit and who sets it */
        char from[4096];
        uint64_t lim = v2_walk_limit(e->path, "memory.max", from, sizeof(from));
        ck_assert_msg(e->d.limit == lim, "%s: limit %llu, walk says %llu", e->path,
                      (unsigned long long)e->d.limit, (unsigned long long)lim);
        if (lim != MT_UNLIMITED) {
            ck_assert_ptr_nonnull(e->d.limit_from);
            ck_assert_str_eq(e->d.limit_from->path, from);
        }
        uint64_t hi = v2_walk_limit(e->path, "memory.high", from, sizeof(from));
        ck_assert_uint_eq(e->d.high, hi);
        if (hi != MT_UNLIMITED) {
            ck_assert_ptr_nonnull(e->d.high_from);
            ck_assert_str_eq(e->d.high_from->path, from);
        }
        checked++;
    }
    ck_assert_uint_ge(checked, 20);
}
END_TEST

START_TEST(v2_root_without_memory_current)
{
    const CgEntry *r = find_entry("/");
    uint64_t anon = 0, file = 0, v;
    ck_assert(!file_value("/", "memory.current", &v));      /* the kernel has none */
    ck_assert(file_key("/", "memory.stat", "anon", &anon));
    ck_assert(file_key("/", "memory.stat", "file", &file));
    ck_assert(sample_has(&r->cur, MT_F_USAGE));
    ck_assert_uint_eq(r->cur.v[MT_F_USAGE], anon + file);
    ck_assert(m.node.ws_valid);
    ck_assert_uint_eq(m.node.usage, anon + file);
    ck_assert_uint_eq(r->d.limit, MT_UNLIMITED);
    ck_assert(!sample_has(&r->cur, MT_F_OOM_KILLS));
}
END_TEST

START_TEST(v2_classification)
{
    expect_class("/", MT_KIND_CGROUP, MT_RT_NONE, "", "", MT_QOS_NONE);
    ck_assert_int_eq(find_entry("/")->cls.sub, MT_SUB_ROOT);
    expect_class("/system.slice", MT_KIND_SLICE, MT_RT_NONE, "", "", MT_QOS_NONE);
    expect_class("/system.slice/containerd.service", MT_KIND_SERVICE, MT_RT_NONE, "", "",
                 MT_QOS_NONE);
    expect_class(V2_OOM, MT_KIND_CONTAINER, MT_RT_DOCKER,
                 "287ac68841deac11686c8779a3ab2a49bf0472ebfdd0e13384d664a18f36de7f", "",
                 MT_QOS_NONE);
    expect_class(V2_POD1, MT_KIND_POD, MT_RT_NONE, "", "bfc4bbc6-8374-4fef-ac00-49663d34979a",
                 MT_QOS_BURSTABLE);
    expect_class(V2_NGINX, MT_KIND_CONTAINER, MT_RT_CONTAINERD,
                 "5250cc2e681be324f044487d8b6da49103f7e17c9f9788c969dfee2449cc2c0d",
                 "bfc4bbc6-8374-4fef-ac00-49663d34979a", MT_QOS_BURSTABLE);
    expect_class(V2_JOB, MT_KIND_CONTAINER, MT_RT_CONTAINERD,
                 "83b5eee7df3ed423a4de873f8f266102ec17175cc05a2d8ff5ae99b3e715d1ae",
                 "e1786d67-6734-48da-ad89-6a5133589c34", MT_QOS_BESTEFFORT);
    expect_class(V2_PG, MT_KIND_CONTAINER, MT_RT_PODMAN,
                 "6fd522470aa19affb525a75c0de6c8fa686b29ff7e209b69dec432a5f3e1d3d1", "",
                 MT_QOS_NONE);
    expect_class("/memtest", MT_KIND_CGROUP, MT_RT_NONE, "", "", MT_QOS_NONE);
    ck_assert_ptr_eq(find_entry(V2_NGINX)->pod, find_entry(V2_POD1));
    ck_assert_int_eq(m.node.n_pods, 3);
}
END_TEST

START_TEST(v2_scenario_values)
{
    /* SCENARIO.txt: the OOM docker scope, memory.max=32M, one kill */
    const CgEntry *oom = find_entry(V2_OOM);
    ck_assert_uint_ge(oom->cur.v[MT_F_OOM_KILLS], 1);
    ck_assert_uint_ge(oom->cur.v[MT_F_OOM_EVENTS], 1);
    ck_assert_uint_eq(oom->d.limit, 32u << 20);
    ck_assert_ptr_eq(oom->d.limit_from, oom);
    /* nginx: memory.max=128M, but the pod's 192M is looser: its own binds */
    const CgEntry *ng = find_entry(V2_NGINX);
    ck_assert_uint_eq(ng->d.limit, 128u << 20);
    ck_assert_uint_ge(ng->cur.v[MT_F_FILE], 24u << 20);
    ck_assert_uint_ge(ng->cur.v[MT_F_MAPPED_FILE], 8u << 20);
    /* the pause container inherits the pod slice's 192M */
    const CgEntry *pod = find_entry(V2_POD1);
    const CgEntry *pause = find_entry(V2_POD1 "/cri-containerd-"
        "763737f0ae8532670dd6f144ed93cb4da63b2e839325278c92870d1314c758b8.scope");
    ck_assert_uint_eq(pause->d.limit, 192u << 20);
    ck_assert_ptr_eq(pause->d.limit_from, pod);
    /* podman: swapped to zram */
    ck_assert_uint_ge(find_entry(V2_PG)->cur.v[MT_F_SWAP], 8u << 20);
    /* tmpfs file: shmem */
    ck_assert_uint_ge(find_entry("/memtest")->cur.v[MT_F_SHMEM], 16u << 20);
}
END_TEST

/* ------------------------------------------------------------------ v1 --- */

static const CgEntry *v1_base;  /* the capture's own cgroup (mtcap-PID) */

static void v1_setup(void)
{
    open_fixture("v1-real", "sys/fs/cgroup/memory");
    v1_base = NULL;
    for (size_t i = 0; i < m.table.n; i++)
        if (strncmp(m.table.entries[i]->name, "mtcap-", 6) == 0)
            v1_base = m.table.entries[i];
    ck_assert_msg(v1_base != NULL, "no mtcap-* cgroup in v1-real");
}

static const CgEntry *v1_find(const char *rel)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s/%s", v1_base->path, rel);
    return find_entry(p);
}

START_TEST(v1_layout)
{
    ck_assert_int_eq(m.layout.mode, MT_MODE_HYBRID);
    ck_assert(m.layout.has_psiroot);
    ck_assert_str_eq(m.layout.memroot, "/sys/fs/cgroup/memory");
    ck_assert_str_eq(m.layout.psiroot, "/sys/fs/cgroup/unified");
}
END_TEST

START_TEST(v1_every_field_matches_its_file)
{
    static const struct { MtField f; const char *key; } stat[] = {
        { MT_F_ANON, "total_rss" }, { MT_F_FILE, "total_cache" }, { MT_F_SHMEM, "total_shmem" },
        { MT_F_ANON_THP, "total_rss_huge" }, { MT_F_MAPPED_FILE, "total_mapped_file" },
        { MT_F_DIRTY, "total_dirty" }, { MT_F_WRITEBACK, "total_writeback" },
        { MT_F_ACTIVE_ANON, "total_active_anon" }, { MT_F_INACTIVE_ANON, "total_inactive_anon" },
        { MT_F_ACTIVE_FILE, "total_active_file" }, { MT_F_INACTIVE_FILE, "total_inactive_file" },
        { MT_F_UNEVICTABLE, "total_unevictable" }, { MT_F_PGFAULT, "total_pgfault" },
        { MT_F_PGMAJFAULT, "total_pgmajfault" },
        { MT_F_REFAULT_ANON, "total_workingset_refault_anon" },
        { MT_F_REFAULT_FILE, "total_workingset_refault_file" },
    };
    size_t checked = 0;
    for (size_t i = 0; i < m.table.n; i++) {
        const CgEntry *e = m.table.entries[i];
        ck_assert_msg(e->has_cur, "%s: no sample", e->path);
        for (size_t k = 0; k < sizeof(stat) / sizeof(stat[0]); k++)
            expect_stat(e, stat[k].f, "memory.stat", stat[k].key);
        expect_value(e, MT_F_USAGE, "memory.usage_in_bytes");
        expect_value(e, MT_F_LIMIT_HITS, "memory.failcnt");
        expect_value(e, MT_F_PEAK, "memory.max_usage_in_bytes");
        expect_value(e, MT_F_KERNEL, "memory.kmem.usage_in_bytes");
        expect_value(e, MT_F_SOCK, "memory.kmem.tcp.usage_in_bytes");
        /* The node has no swap: memsw is not read but equals usage (the
         * kernel charges both counters together; the captured files were
         * read moments apart and differ by what moved in between). */
        uint64_t memsw;
        expect_field(e, MT_F_MEMSW_USAGE,
                     file_value(e->path, "memory.memsw.usage_in_bytes", &memsw),
                     e->cur.v[MT_F_USAGE], "memory.memsw.usage_in_bytes");
        expect_value(e, MT_F_LIMIT_OWN, "memory.limit_in_bytes");
        expect_value(e, MT_F_SWAPPINESS, "memory.swappiness");
        expect_stat(e, MT_F_OOM_KILLS, "memory.oom_control", "oom_kill");
        expect_stat(e, MT_F_UNDER_OOM, "memory.oom_control", "under_oom");

        /* the kernel's own effective limit, and the nearest cgroup setting it */
        uint64_t hier = 0;
        ck_assert(file_key(e->path, "memory.stat", "hierarchical_memory_limit", &hier));
        if (hier > MT_UNLIMITED_THRESHOLD)
            hier = MT_UNLIMITED;
        ck_assert_msg(e->d.limit == hier, "%s: limit %llu, hierarchical_memory_limit %llu",
                      e->path, (unsigned long long)e->d.limit, (unsigned long long)hier);
        if (hier != MT_UNLIMITED) {
            const CgEntry *a = e;
            uint64_t own = 0;
            while (a && !(file_value(a->path, "memory.limit_in_bytes", &own) && own == hier))
                a = a->parent;
            ck_assert_ptr_nonnull(a);
            ck_assert_ptr_eq(e->d.limit_from, a);
        }
        uint64_t u = e->cur.v[MT_F_USAGE], inact = e->cur.v[MT_F_INACTIVE_FILE];
        ck_assert(e->d.ws_valid);
        ck_assert_uint_eq(e->d.ws, u > inact ? u - inact : 0);
        checked++;
    }
    ck_assert_uint_ge(checked, 12);
}
END_TEST

START_TEST(v1_classification_and_scenario)
{
    static const char pod[] = "kubepods.slice/kubepods-burstable.slice/"
        "kubepods-burstable-pod3f6b8a2c_1d4e_4f5a_8b7c_9d0e1f2a3b4c.slice";
    char p[1024];
    /* ids are sha256("v1-<name>\n"), fixed in capture-host.sh */
    const char *java = "2b28437b64b9cef08bfeb478f3de506ad97a59228fcc5dce16c14d34a169a870";
    const char *oomid = "b06a62ce137798b70f12edb560c6a427035c28925bd4a3ece07aef1c13360365";
    const char *nginx = "cd5cddd717698bb72fc0754392d25b6c988af85658ea20cbfaca655cf0faa8a7";
    const char *pg = "2aaebf887b72b671c4c8b62061c112c1e4c7d3f2f0ca284c53e0169af82d24b8";

    snprintf(p, sizeof(p), "docker-%s.scope", java);
    const CgEntry *e = v1_find(p);
    expect_class(e->path, MT_KIND_CONTAINER, MT_RT_DOCKER, java, "", MT_QOS_NONE);
    ck_assert_uint_ge(e->cur.v[MT_F_ANON], 31u << 20);

    snprintf(p, sizeof(p), "docker-%s.scope", oomid);
    e = v1_find(p);
    expect_class(e->path, MT_KIND_CONTAINER, MT_RT_DOCKER, oomid, "", MT_QOS_NONE);
    ck_assert_uint_ge(e->cur.v[MT_F_OOM_KILLS], 1);
    ck_assert_uint_ge(e->cur.v[MT_F_LIMIT_HITS], 1);
    ck_assert_uint_eq(e->d.limit, 16u << 20);
    ck_assert_ptr_eq(e->d.limit_from, e);

    const CgEntry *pe = v1_find(pod);
    expect_class(pe->path, MT_KIND_POD, MT_RT_NONE, "", "3f6b8a2c-1d4e-4f5a-8b7c-9d0e1f2a3b4c",
                 MT_QOS_BURSTABLE);
    snprintf(p, sizeof(p), "%s/cri-containerd-%s.scope", pod, nginx);
    e = v1_find(p);
    expect_class(e->path, MT_KIND_CONTAINER, MT_RT_CONTAINERD, nginx,
                 "3f6b8a2c-1d4e-4f5a-8b7c-9d0e1f2a3b4c", MT_QOS_BURSTABLE);
    ck_assert_uint_eq(e->d.limit, 64u << 20);
    ck_assert_ptr_eq(e->d.limit_from, pe);
    ck_assert_uint_ge(e->cur.v[MT_F_FILE], 15u << 20);

    snprintf(p, sizeof(p), "libpod-%s.scope", pg);
    e = v1_find(p);
    expect_class(e->path, MT_KIND_CONTAINER, MT_RT_PODMAN, pg, "", MT_QOS_NONE);
    ck_assert_uint_ge(e->cur.v[MT_F_SHMEM], 8u << 20);

    expect_class(v1_find("plain")->path, MT_KIND_CGROUP, MT_RT_NONE, "", "", MT_QOS_NONE);

    /* hybrid: PSI only at the unified root, where memtop's own cgroup is */
    const CgEntry *r = find_entry("/");
    uint64_t t = 0;
    ck_assert(m.layout.has_psiroot);
    ck_assert(sample_has(&r->cur, MT_F_PSI_SOME_TOTAL));
    FILE *f = fopen(FIXTURES "/v1-real/sys/fs/cgroup/unified/memory.pressure", "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "some avg10=%*s avg60=%*s avg300=%*s total=%llu",
                            (unsigned long long *)&t), 1);
    fclose(f);
    ck_assert_uint_eq(r->cur.v[MT_F_PSI_SOME_TOTAL], t);
    ck_assert(!sample_has(&e->cur, MT_F_PSI_SOME_TOTAL));
}
END_TEST

static Suite *real_fixtures_suite(void)
{
    Suite *s = suite_create("real_fixtures");
    TCase *v2 = tcase_create("v2-real");
    tcase_add_checked_fixture(v2, v2_setup, close_fixture);
    tcase_add_test(v2, v2_layout);
    tcase_add_test(v2, v2_every_field_matches_its_file);
    tcase_add_test(v2, v2_root_without_memory_current);
    tcase_add_test(v2, v2_classification);
    tcase_add_test(v2, v2_scenario_values);
    suite_add_tcase(s, v2);
    TCase *v1 = tcase_create("v1-real");
    tcase_add_checked_fixture(v1, v1_setup, close_fixture);
    tcase_add_test(v1, v1_layout);
    tcase_add_test(v1, v1_every_field_matches_its_file);
    tcase_add_test(v1, v1_classification_and_scenario);
    suite_add_tcase(s, v1);
    return s;
}

MT_MAIN(real_fixtures_suite)
