/* check_sampler.c - the sampler's cost-saving machinery keeps results
 * right: inotify-driven discovery (skip, add, remove, rescan, fallback),
 * fast-tick file skipping (failcnt, memsw, peak, tcp), memory.stat carried
 * over for quiet cgroups, and no allocation per tick in steady state. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "sample/model.h"
#include "util/xalloc.h"

#define H64(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define MEMROOT "sys/fs/cgroup/memory"
#define DOCKER_A "/docker/" H64("a1")            /* own limit 512 MiB */
#define DOCKER_B "/system.slice/docker-" H64("b2") ".scope"   /* unlimited */
#define NEW_C "/docker/" H64("c9")
#define SEC 1000000000ull

/* ---- malloc counting: the test binary links with --wrap=malloc etc. ---- */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t s);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t s);
void *__wrap_realloc(void *p, size_t n);
static unsigned long n_allocs;
void *__wrap_malloc(size_t n) { n_allocs++; return __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t s) { n_allocs++; return __real_calloc(n, s); }
void *__wrap_realloc(void *p, size_t n) { n_allocs++; return __real_realloc(p, n); }

static Model m;
static char *dir;
static uint64_t clock_s;

static void open_copy(const char *fixture, bool no_inotify)
{
    ModelOptions o;
    char err[512];

    dir = fixture_copy(fixture);
    setenv("D", dir, 1);
    setenv("M", strcmp(fixture, "v1-layouts") == 0 ? MEMROOT : "sys/fs/cgroup", 1);
    model_options_default(&o);
    o.root = dir;
    o.history = 8;
    o.tomb_secs = 0;
    o.no_inotify = no_inotify;
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "model_open: %s", err);
    clock_s = 1000;
}

static void close_copy(void)
{
    model_close(&m);
    fixture_remove(dir);
    dir = NULL;
}

static void tick(void)
{
    clock_s += 2;
    model_tick(&m, (double)clock_s, clock_s * SEC);
}

/* Run a shell command with $D = the fixture copy and $M = its memory root. */
static void shell(const char *cmd)
{
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

static void set_file(const char *cg, const char *file, const char *text)
{
    char rel[1024];
    snprintf(rel, sizeof(rel), MEMROOT "%s/%s", cg, file);
    fixture_write(dir, rel, text);
}

static bool live(const char *path)
{
    CgEntry *e = model_find(&m, path);
    return e && e->state == MT_STATE_LIVE;
}

static void add_remove_cycle(void)
{
    ck_assert(!live(NEW_C));
    /* A new container: copy an existing one's files into a new directory. */
    shell("mkdir \"$D/$M" NEW_C "\" && cp \"$D/$M" DOCKER_A "\"/memory.* \"$D/$M" NEW_C "/\"");
    tick();
    ck_assert_msg(live(NEW_C), "new cgroup not discovered");
    ck_assert_uint_eq(model_find(&m, NEW_C)->cur.v[MT_F_USAGE], 482344960);
    shell("rm -rf \"$D/$M" NEW_C "\"");
    tick();
    CgEntry *e = model_find(&m, NEW_C);
    ck_assert_msg(e == NULL || e->state == MT_STATE_GONE, "removed cgroup still live");
    tick();
    ck_assert_msg(model_find(&m, NEW_C) == NULL, "tombstone not swept");
}

START_TEST(test_inotify_skips_walk_when_unchanged)
{
    open_copy("v1-layouts", false);
    tick();
    ck_assert_msg(m.disc.ifd >= 0, "inotify unavailable on this machine");
    unsigned long walks = m.disc.walks;
    size_t n = m.table.n;
    for (int i = 0; i < 5; i++)
        tick();
    ck_assert_uint_eq(m.disc.walks, walks);
    ck_assert_uint_ge(m.disc.skips, 5);
    ck_assert_uint_eq(m.table.n, n);
    ck_assert(live(DOCKER_A));
    close_copy();
}
END_TEST

START_TEST(test_inotify_sees_create_and_delete)
{
    open_copy("v1-layouts", false);
    tick();
    tick();
    unsigned long walks = m.disc.walks;
    add_remove_cycle();
    ck_assert_uint_gt(m.disc.walks, walks);
    ck_assert_int_ge(m.disc.ifd, 0);
    close_copy();
}
END_TEST

START_TEST(test_inotify_nested_and_recreated)
{
    /* A directory created inside a newly created one is seen: the watch on
     * the new directory is set before it is read. */
    open_copy("v1-layouts", false);
    tick();
    shell("mkdir -p \"$D/$M" NEW_C "/sub\" && cp \"$D/$M" DOCKER_A "\"/memory.* \"$D/$M" NEW_C "/\" "
          "&& cp \"$D/$M" DOCKER_A "\"/memory.* \"$D/$M" NEW_C "/sub/\"");
    tick();
    ck_assert(live(NEW_C));
    ck_assert(live(NEW_C "/sub"));
    shell("mkdir \"$D/$M" NEW_C "/sub2\" && cp \"$D/$M" DOCKER_A "\"/memory.* \"$D/$M" NEW_C "/sub2/\"");
    tick();
    ck_assert_msg(live(NEW_C "/sub2"), "child of a new directory missed");
    /* Re-created under the same path: new inode, the entry is reset. */
    CgEntry *e = model_find(&m, DOCKER_B);
    uint64_t ino = e->inode;
    shell("cp -a \"$D/$M" DOCKER_B "\" \"$D/tmp-recreate\" && rm -rf \"$D/$M" DOCKER_B "\" "
          "&& mv \"$D/tmp-recreate\" \"$D/$M" DOCKER_B "\"");
    tick();
    e = model_find(&m, DOCKER_B);
    ck_assert_ptr_nonnull(e);
    ck_assert(e->state == MT_STATE_LIVE);
    ck_assert_uint_ne(e->inode, ino);
    close_copy();
}
END_TEST

START_TEST(test_no_inotify_walks_every_tick)
{
    open_copy("v1-layouts", true);
    ck_assert_int_lt(m.disc.ifd, 0);
    tick();
    tick();
    ck_assert_uint_eq(m.disc.walks, 2);
    add_remove_cycle();
    ck_assert_uint_eq(m.disc.walks, 5);
    close_copy();
}
END_TEST

START_TEST(test_periodic_rescan)
{
    open_copy("v1-layouts", false);
    tick();
    unsigned long walks = m.disc.walks;
    clock_s += 31;      /* beyond the 30 s safety rescan */
    tick();
    ck_assert_uint_eq(m.disc.walks, walks + 1);
    tick();
    ck_assert_uint_eq(m.disc.walks, walks + 1);
    close_copy();
}
END_TEST

START_TEST(test_failcnt_skipped_only_without_own_limit)
{
    open_copy("v1-layouts", false);
    tick();                                     /* seq 1: slow */
    ck_assert_uint_eq(model_find(&m, DOCKER_A)->cur.v[MT_F_LIMIT_HITS], 9138);
    ck_assert_uint_eq(model_find(&m, DOCKER_B)->cur.v[MT_F_LIMIT_HITS], 0);
    set_file(DOCKER_A, "memory.failcnt", "9200\n");
    set_file(DOCKER_B, "memory.failcnt", "7\n");
    tick();                                     /* seq 2: fast */
    /* A has its own limit: read every tick.  B has none, so its failcnt
     * cannot move and is only re-read on slow ticks. */
    ck_assert_uint_eq(model_find(&m, DOCKER_A)->cur.v[MT_F_LIMIT_HITS], 9200);
    ck_assert_uint_eq(model_find(&m, DOCKER_B)->cur.v[MT_F_LIMIT_HITS], 0);
    ck_assert(sample_has(&model_find(&m, DOCKER_B)->cur, MT_F_LIMIT_HITS));
    for (int i = 0; i < 4; i++)
        tick();                                 /* seq 6: slow */
    /* Not even slow ticks: the limit they read first is still unlimited
     * (the 7 above is a fixture's fiction; a kernel would not count it). */
    ck_assert_uint_eq(model_find(&m, DOCKER_B)->cur.v[MT_F_LIMIT_HITS], 0);
    /* Once B has a limit of its own, the slow tick that reads it reads
     * failcnt too, and so does every tick after. */
    set_file(DOCKER_B, "memory.limit_in_bytes", "1073741824\n");
    for (int i = 0; i < 5; i++)
        tick();                                 /* seq 11: slow */
    ck_assert_uint_eq(model_find(&m, DOCKER_B)->cur.v[MT_F_LIMIT_OWN], 1073741824);
    ck_assert_uint_eq(model_find(&m, DOCKER_B)->cur.v[MT_F_LIMIT_HITS], 7);
    set_file(DOCKER_B, "memory.failcnt", "8\n");
    tick();                                     /* seq 12: fast */
    ck_assert_uint_eq(model_find(&m, DOCKER_B)->cur.v[MT_F_LIMIT_HITS], 8);
    close_copy();
}
END_TEST

START_TEST(test_memsw_and_peak_skipping)
{
    open_copy("v1-layouts", false);
    tick();
    CgEntry *b = model_find(&m, DOCKER_B);
    ck_assert_uint_eq(b->cur.v[MT_F_PEAK], 189792256);
    ck_assert_uint_eq(b->cur.v[MT_F_MEMSW_USAGE], b->cur.v[MT_F_USAGE]);
    /* No swap on the node: memsw usage equals usage without reading it. */
    set_file(DOCKER_B, "memory.usage_in_bytes", "195000000\n");
    set_file(DOCKER_B, "memory.memsw.usage_in_bytes", "1\n");
    set_file(DOCKER_B, "memory.max_usage_in_bytes", "200000000\n");
    tick();
    ck_assert_uint_eq(b->cur.v[MT_F_USAGE], 195000000);
    ck_assert_uint_eq(b->cur.v[MT_F_MEMSW_USAGE], 195000000);
    /* Fast ticks do not read the peak: it is at least the usage now. */
    ck_assert_uint_eq(b->cur.v[MT_F_PEAK], 195000000);
    set_file(DOCKER_B, "memory.usage_in_bytes", "1000000\n");
    set_file(DOCKER_B, "memory.max_usage_in_bytes", "300000000\n");
    tick();
    ck_assert_uint_eq(b->cur.v[MT_F_PEAK], 195000000);
    for (int i = 0; i < 3; i++)
        tick();                                 /* seq 6: slow */
    ck_assert_uint_eq(b->cur.v[MT_F_PEAK], 300000000);
    /* Not even slow ticks read it while the node has no swap. */
    ck_assert_uint_eq(b->cur.v[MT_F_MEMSW_USAGE], 1000000);
    close_copy();
}
END_TEST

START_TEST(test_memsw_read_when_node_has_swap)
{
    open_copy("v1-layouts", false);
    shell("sed -i 's/^SwapTotal:.*/SwapTotal: 1048576 kB/; s/^SwapFree:.*/SwapFree: 1048576 kB/' "
          "\"$D/proc/meminfo\"");
    tick();
    CgEntry *b = model_find(&m, DOCKER_B);
    set_file(DOCKER_B, "memory.memsw.usage_in_bytes", "190000000\n");
    tick();
    ck_assert_uint_eq(b->cur.v[MT_F_MEMSW_USAGE], 190000000);
    close_copy();
}
END_TEST

static void expect_fd_accounting(void);

/* How many of this process's fds are open on file NAME of cgroup CG? */
static int fds_on(const char *cg, const char *name)
{
    char want[1024], link[sizeof("/proc/self/fd/") + 256], target[4096];
    snprintf(want, sizeof(want), "%s/" MEMROOT "%s/%s", dir, cg, name);
    DIR *d = opendir("/proc/self/fd");
    ck_assert_ptr_nonnull(d);
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        snprintf(link, sizeof(link), "/proc/self/fd/%s", de->d_name);
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        count += strcmp(target, want) == 0;
    }
    closedir(d);
    return count;
}

/* Every open file pins a page-sized kernel buffer, so only files read
 * every tick or every slow tick stay open: the failure counter of a
 * cgroup without its own limit and a tcp counter at 0 are closed after
 * their read, and kept once they are read every tick. */
START_TEST(test_rarely_read_files_are_not_kept_open)
{
    open_copy("v1-layouts", false);
    tick();
    tick();
    ck_assert_int_eq(fds_on(DOCKER_A, "memory.failcnt"), 1);        /* own limit */
    ck_assert_int_eq(fds_on(DOCKER_B, "memory.failcnt"), 0);        /* unlimited */
    ck_assert_int_eq(fds_on(DOCKER_B, "memory.kmem.tcp.usage_in_bytes"), 0);
    ck_assert_int_eq(fds_on(DOCKER_B, "memory.usage_in_bytes"), 1);
    ck_assert_int_eq(fds_on(DOCKER_B, "memory.stat"), 1);
    ck_assert_int_eq(fds_on(DOCKER_B, "memory.limit_in_bytes"), 1); /* every slow tick */
    /* tcp accounting switched on: read on the next retry, then kept. */
    set_file(DOCKER_B, "memory.kmem.tcp.usage_in_bytes", "65536\n");
    for (int i = 0; i < 31; i++)
        tick();
    ck_assert_uint_eq(model_find(&m, DOCKER_B)->cur.v[MT_F_SOCK], 65536);
    ck_assert_int_eq(fds_on(DOCKER_B, "memory.kmem.tcp.usage_in_bytes"), 1);
    /* B gets a limit of its own: failcnt is read from the next slow tick on. */
    set_file(DOCKER_B, "memory.limit_in_bytes", "268435456\n");
    for (int i = 0; i < 6; i++)
        tick();
    ck_assert_int_eq(fds_on(DOCKER_B, "memory.failcnt"), 1);
    expect_fd_accounting();
    close_copy();
}
END_TEST

START_TEST(test_no_allocation_in_steady_state)
{
    open_copy("v1-layouts", false);
    for (int i = 0; i < 12; i++)
        tick();
    unsigned long before = n_allocs;
    for (int i = 0; i < 40; i++)    /* slow ticks and missing-file retries included */
        tick();
    ck_assert_msg(n_allocs == before, "%lu allocations in 40 steady ticks", n_allocs - before);
    /* The same holds when every tick walks. */
    close_copy();
    open_copy("v2-layouts", true);
    for (int i = 0; i < 12; i++)
        tick();
    before = n_allocs;
    for (int i = 0; i < 40; i++)
        tick();
    ck_assert_msg(n_allocs == before, "%lu allocations in 40 walking ticks", n_allocs - before);
    close_copy();
}
END_TEST

/* The walk lends each new cgroup's directory fd to its first read, which
 * opens the files relative to it and gives it back; a re-created cgroup
 * gets a fresh one.  The reader's count of kept fds stays exact. */
static void expect_fd_accounting(void)
{
    long kept = 0;
    for (size_t i = 0; i < m.table.n; i++) {
        const CgFiles *f = &m.table.entries[i]->files;
        ck_assert_int_eq(f->dirfd, -1);
        for (int k = 0; k < MT_MAX_FILES; k++)
            kept += f->fd[k] >= 0;
    }
    ck_assert_int_eq(m.reader.fds_open, kept);
    ck_assert_int_gt(kept, 0);
}

START_TEST(test_dir_fds_are_lent_and_returned)
{
    open_copy("v1-layouts", false);
    tick();
    expect_fd_accounting();
    ck_assert_uint_eq(model_find(&m, DOCKER_B)->cur.v[MT_F_PEAK], 189792256);
    shell("cd \"$D/$M\" && mkdir -p new-cg && cp docker/*/memory.* new-cg/");
    tick();
    tick();
    const CgEntry *n = model_find(&m, "/new-cg");
    ck_assert_ptr_nonnull(n);
    ck_assert(n->has_cur);
    expect_fd_accounting();
    close_copy();
}
END_TEST

/* Hybrid: PSI comes from the cgroup2 tree.  A parent without a directory
 * there has no PSI and neither do its children (they are not looked for);
 * a parent whose directory hides its pressure files (cgroup.pressure = 0)
 * does not hide its children's. */
START_TEST(test_hybrid_psi_by_directory)
{
    open_copy("v1-layouts", false);
    shell("cd \"$D/$M\" && mkdir -p nov2/child hidden/child && "
          "for c in nov2 nov2/child hidden hidden/child; do cp docker/*/memory.* $c/; done && "
          "U=\"$D/sys/fs/cgroup/unified\" && mkdir -p \"$U/hidden/child\" && "
          "printf 'some avg10=1.25 avg60=0.00 avg300=0.00 total=5\\n' > \"$U/hidden/child/memory.pressure\"");
    tick();
    const CgEntry *hid = model_find(&m, "/hidden"), *hidc = model_find(&m, "/hidden/child");
    const CgEntry *no = model_find(&m, "/nov2"), *noc = model_find(&m, "/nov2/child");
    ck_assert(hid && hidc && no && noc);
    ck_assert(!sample_has(&hid->cur, MT_F_PSI_SOME10));
    ck_assert(sample_has(&hidc->cur, MT_F_PSI_SOME10));
    ck_assert_uint_eq(hidc->cur.v[MT_F_PSI_SOME10], 125);
    ck_assert(!hid->files.psi_dir_absent);
    ck_assert(no->files.psi_dir_absent);
    ck_assert(noc->files.psi_absent_above);
    ck_assert(!sample_has(&noc->cur, MT_F_PSI_SOME10));
    close_copy();
}
END_TEST

/* ---- quiet cgroups: memory.stat carried over ---- */

static void set_stat_key(const char *cg, const char *key, unsigned long long v)
{
    char rel[1024];
    snprintf(rel, sizeof(rel), "%s%s/memory.stat", getenv("M"), cg);
    fixture_set_key(dir, rel, key, v);
}

static void set_usage(const char *cg, unsigned long long v)
{
    char rel[1024];
    bool v1 = strcmp(getenv("M"), MEMROOT) == 0;
    snprintf(rel, sizeof(rel), "%s%s/%s", getenv("M"), cg,
             v1 ? "memory.usage_in_bytes" : "memory.current");
    fixture_printf(dir, rel, "%llu\n", v);
}

/* Ticks until field f of cg reads want (at most limit ticks); each tick
 * before that must have carried the composition over. */
static int ticks_until(const char *cg, MtField f, uint64_t want, int limit)
{
    for (int n = 1; n <= limit; n++) {
        tick();
        const CgEntry *e = model_find(&m, cg);
        if (e->cur.v[f] == want) {
            ck_assert_msg(!e->carried, "value changed on a carried tick");
            return n;
        }
        ck_assert_msg(e->carried, "read but not updated");
    }
    return -1;
}

static void quiet_carry_case(const char *fixture, const char *file_key, const char *fault_key)
{
    open_copy(fixture, false);
    tick();
    CgEntry *b = model_find(&m, DOCKER_B);
    ck_assert(!b->carried);
    uint64_t file0 = b->cur.v[MT_F_FILE];
    /* Only memory.stat changed: the cgroup is quiet, its composition is
     * carried over, but never for more than carry_max ticks in a row. */
    set_stat_key(DOCKER_B, file_key, file0 + 40960);
    int n = ticks_until(DOCKER_B, MT_F_FILE, file0 + 40960, MT_CARRY_MAX + 1);
    ck_assert_msg(n >= 1, "composition older than carry_max ticks");
    /* The next two ticks are quiet again: carried. */
    tick();
    ck_assert(b->carried);
    tick();
    ck_assert(b->carried);
    /* The usage moves: memory.stat is read on that very tick. */
    set_stat_key(DOCKER_B, file_key, file0 + 81920);
    set_stat_key(DOCKER_B, fault_key, 5000);
    set_usage(DOCKER_B, b->cur.v[MT_F_USAGE] + 81920);
    tick();
    ck_assert(!b->carried);
    ck_assert_uint_eq(b->cur.v[MT_F_FILE], file0 + 81920);
    ck_assert_uint_eq(b->cur.v[MT_F_PGFAULT], 5000);
    close_copy();
}

START_TEST(test_quiet_cgroup_carries_composition)
{
    quiet_carry_case("v1-layouts", "total_cache", "total_pgfault");
    quiet_carry_case("v2-layouts", "file", "pgfault");
}
END_TEST

/* Fault rates: a carried tick keeps the rate of the last real read; the
 * next real read divides by the time since the read before it. */
START_TEST(test_carried_rates_use_real_interval)
{
    open_copy("v1-layouts", false);
    tick();
    CgEntry *b = model_find(&m, DOCKER_B);
    uint64_t usage = b->cur.v[MT_F_USAGE], faults = 10000;
    for (int i = 0; i < 2; i++) {       /* busy: read every tick, 200 faults a tick */
        faults += 200;
        usage += 4096;
        set_stat_key(DOCKER_B, "total_pgfault", faults);
        set_usage(DOCKER_B, usage);
        tick();
        ck_assert(!b->carried);
    }
    ck_assert(fabs(b->d.pgfault_rate - 100.0) < 1e-9);
    /* Quiet from now on; 600 faults happen that no other file shows. */
    faults += 600;
    set_stat_key(DOCKER_B, "total_pgfault", faults);
    for (int i = 0; i < MT_CARRY_MAX; i++) {
        tick();
        ck_assert(b->carried);
        ck_assert(fabs(b->d.pgfault_rate - 100.0) < 1e-9);
        ck_assert_uint_eq(b->cur.v[MT_F_PGFAULT], faults - 600);
    }
    tick();                             /* carry_max reached: read */
    ck_assert(!b->carried);
    ck_assert_uint_eq(b->cur.v[MT_F_PGFAULT], faults);
    /* 600 faults over the 5 ticks (10 s) since the last real read. */
    ck_assert_msg(fabs(b->d.pgfault_rate - 60.0) < 1e-9, "rate %f", b->d.pgfault_rate);
    close_copy();
}
END_TEST

/* Any other value that moved ends the quiet: a cgroup with its own limit
 * whose failcnt rose has its memory.stat read although its usage did not
 * move; a cgroup whose limit changed (read on slow ticks) too. */
START_TEST(test_other_changes_end_quiet)
{
    open_copy("v1-layouts", false);
    tick();
    tick();
    CgEntry *a = model_find(&m, DOCKER_A), *b = model_find(&m, DOCKER_B);
    set_stat_key(DOCKER_A, "total_pgmajfault", 77);
    set_file(DOCKER_A, "memory.failcnt", "9999\n");
    tick();                             /* seq 3 */
    ck_assert(!a->carried);
    ck_assert_uint_eq(a->cur.v[MT_F_PGMAJFAULT], 77);
    ck_assert_uint_eq(a->d.d_limit_hits, 9999 - 9138);
    /* Make B's next forced read far away, then change its limit. */
    tick();                             /* seq 4 */
    tick();                             /* seq 5 */
    set_stat_key(DOCKER_B, "total_pgmajfault", 55);
    set_file(DOCKER_B, "memory.limit_in_bytes", "2147483648\n");
    tick();                             /* seq 6: slow, reads the limit */
    ck_assert_uint_eq(b->cur.v[MT_F_LIMIT_OWN], 2147483648u);
    ck_assert(!b->carried);
    ck_assert_uint_eq(b->cur.v[MT_F_PGMAJFAULT], 55);
    close_copy();
}
END_TEST

/* carry_max 0: memory.stat is read every tick. */
START_TEST(test_carry_disabled)
{
    ModelOptions o;
    char err[512];

    dir = fixture_copy("v1-layouts");
    setenv("D", dir, 1);
    setenv("M", MEMROOT, 1);
    model_options_default(&o);
    o.root = dir;
    o.carry_max = 0;
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "model_open: %s", err);
    clock_s = 1000;
    tick();
    for (unsigned k = 1; k <= 6; k++) {
        set_stat_key(DOCKER_B, "total_pgfault", 1000 + k);
        tick();
        const CgEntry *b = model_find(&m, DOCKER_B);
        ck_assert(!b->carried);
        ck_assert_uint_eq(b->cur.v[MT_F_PGFAULT], 1000 + k);
    }
    close_copy();
}
END_TEST

/* quick_first: the first tick reads what the table and the risk verdict
 * need (usage, memory.stat, OOM counters, limits) and leaves the rest,
 * here with no swap on the node also the swap settings, for the second,
 * which reads all of it.  Batch and JSON output never use it. */
static void open_quick(const char *fixture, bool quick)
{
    ModelOptions o;
    char err[512];

    dir = fixture_copy(fixture);
    setenv("D", dir, 1);
    setenv("M", MEMROOT, 1);
    model_options_default(&o);
    o.root = dir;
    o.quick_first = quick;
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "model_open: %s", err);
    clock_s = 1000;
}

START_TEST(test_quick_first_tick)
{
    static const MtField needed[] = { MT_F_USAGE, MT_F_INACTIVE_FILE, MT_F_ACTIVE_FILE,
                                      MT_F_ANON, MT_F_SHMEM, MT_F_PGFAULT, MT_F_OOM_KILLS,
                                      MT_F_LIMIT_OWN };
    static const MtField later[] = { MT_F_PEAK, MT_F_LIMIT_HITS, MT_F_KERNEL, MT_F_SOCK,
                                     MT_F_SWAP_LIMIT_HITS, MT_F_SWAP_LIMIT_OWN,
                                     MT_F_SWAPPINESS };
    for (int quick = 0; quick <= 1; quick++) {
        open_quick("v1-layouts", quick);
        tick();
        const CgEntry *a = model_find(&m, DOCKER_A);
        ck_assert_ptr_nonnull(a);
        for (size_t i = 0; i < MT_ARRAY_SIZE(needed); i++)
            ck_assert_msg(sample_has(&a->cur, needed[i]), "field %d missing", needed[i]);
        for (size_t i = 0; i < MT_ARRAY_SIZE(later); i++)
            ck_assert_msg(sample_has(&a->cur, later[i]) == !quick, "field %d: quick %d",
                          later[i], quick);
        ck_assert(a->d.ws_valid);
        tick();                 /* not a slow tick: the deferred files still come */
        for (size_t i = 0; i < MT_ARRAY_SIZE(later); i++)
            ck_assert_msg(sample_has(&a->cur, later[i]), "field %d after tick 2", later[i]);
        ck_assert_uint_eq(a->cur.v[MT_F_PEAK], 490733568);
        ck_assert(!a->files.deferred);
        close_copy();
    }
}
END_TEST

static Suite *sampler_suite(void)
{
    Suite *s = suite_create("sampler");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_inotify_skips_walk_when_unchanged);
    tcase_add_test(tc, test_inotify_sees_create_and_delete);
    tcase_add_test(tc, test_inotify_nested_and_recreated);
    tcase_add_test(tc, test_no_inotify_walks_every_tick);
    tcase_add_test(tc, test_periodic_rescan);
    tcase_add_test(tc, test_failcnt_skipped_only_without_own_limit);
    tcase_add_test(tc, test_memsw_and_peak_skipping);
    tcase_add_test(tc, test_memsw_read_when_node_has_swap);
    tcase_add_test(tc, test_no_allocation_in_steady_state);
    tcase_add_test(tc, test_dir_fds_are_lent_and_returned);
    tcase_add_test(tc, test_hybrid_psi_by_directory);
    tcase_add_test(tc, test_quiet_cgroup_carries_composition);
    tcase_add_test(tc, test_carried_rates_use_real_interval);
    tcase_add_test(tc, test_other_changes_end_quiet);
    tcase_add_test(tc, test_carry_disabled);
    tcase_add_test(tc, test_rarely_read_files_are_not_kept_open);
    tcase_add_test(tc, test_quick_first_tick);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(sampler_suite)
