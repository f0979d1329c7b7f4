/* check_forensics.c - the forensics layer on a model of a fixture tree:
 * kill attribution from a kmsg file, deferred counter kills, OOM tombstones,
 * the history API the TUI uses and the JSON hook. */
#include "config.h"

#include "common.h"

#include <sys/stat.h>

#include "forensics/forensics.h"
#include "output/forensics_json.h"

#define A "/docker/a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
#define B "/system.slice/docker-b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2.scope"
#define B_EVENTS "sys/fs/cgroup" B "/memory.events"

static Model m;
static Forensics f;
static char *dir;

static void append(const char *text)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/dev/kmsg", dir);
    FILE *fp = fopen(path, "a");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

static void tick(int n)
{
    model_tick(&m, 1000.0 + 2 * n, (uint64_t)(1 + 2 * n) * 1000000000ull);
    forensics_tick(&f, &m);
}

static CgEntry *get(const char *path)
{
    CgEntry *e = model_find(&m, path);
    ck_assert_msg(e != NULL, "no entry %s", path);
    return e;
}

static void setup(void)
{
    ModelOptions o;
    ForensicsOptions fo;
    char err[512], path[4096];

    dir = fixture_copy("v2-layouts");
    snprintf(path, sizeof(path), "%s/dev", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    fixture_write(dir, "dev/kmsg", "6,1,100,-;an old record\n");
    model_options_default(&o);
    o.root = dir;
    o.history = 16;
    o.tomb_secs = 5;
    o.carry_max = 0;    /* tests bump memory.events alone; a real kill also moves
                         * the usage, which ends a cgroup's quiet carry-over */
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "model_open: %s", err);
    forensics_options_default(&fo);
    fo.oom.mode = MT_OOMSRC_KMSG;
    ck_assert_msg(forensics_open(&f, &m, &fo, err, sizeof(err)) == 0, "forensics: %s", err);
}

static void teardown(void)
{
    forensics_close(&f, &m);
    model_close(&m);
    fixture_remove(dir);
}

START_TEST(test_report_attribution)
{
    tick(1);
    ck_assert_uint_eq(forensics_kill_count(&f, get("/")), 0);
    append("6,2,200,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,"
           "mems_allowed=0,oom_memcg=" A ",task_memcg=" A ",task=java,pid=4711,uid=0\n"
           "3,3,201,-;Memory cgroup out of memory: Killed process 4711 (java) total-vm:9kB, "
           "anon-rss:2048kB, file-rss:8kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n");
    tick(2);
    CgEntry *a = get(A);
    ck_assert_uint_eq(forensics_kill_count(&f, a), 1);
    ck_assert_uint_eq(forensics_kill_count(&f, get("/docker")), 1);
    ck_assert_uint_eq(forensics_kill_count(&f, get(B)), 0);
    const OomEvent *ev = forensics_last_kill(&f, a);
    ck_assert_ptr_nonnull(ev);
    ck_assert_int_eq(ev->pid, 4711);
    ck_assert_str_eq(ev->comm, "java");
    ck_assert_uint_eq(ev->anon_rss, 2048 * 1024);
    const OomEvent *h[4];
    ck_assert_uint_eq(forensics_history(&f, get("/"), h, 4), 1);

    json_object *o = json_object_new_object();
    forensics_json_hook(o, &m, a, &f);
    json_object *hist, *first, *pid;
    ck_assert(json_object_object_get_ex(o, "oom_history", &hist));
    ck_assert_int_eq((int)json_object_array_length(hist), 1);
    first = json_object_array_get_idx(hist, 0);
    ck_assert(json_object_object_get_ex(first, "pid", &pid));
    ck_assert_int_eq(json_object_get_int(pid), 4711);
    ck_assert(json_object_object_get_ex(o, "container_name", &pid));
    json_object_put(o);

    /* the report explains the counter increase: no counter kill later */
    fixture_write(dir, "sys/fs/cgroup" A "/memory.events",
                  "low 0\nhigh 0\nmax 1\noom 1\noom_kill 1\noom_group_kill 0\n");
    tick(3);
    tick(4);
    tick(5);
    ck_assert_uint_eq(forensics_kill_count(&f, a), 1);
    ck_assert_uint_eq(f.counter_kills, 0);
}
END_TEST

START_TEST(test_counter_kills_deferred)
{
    tick(1);
    tick(2);
    fixture_write(dir, B_EVENTS, "low 0\nhigh 0\nmax 5\noom 2\noom_kill 2\noom_group_kill 0\n");
    tick(3);    /* seen now; a report may still come */
    ck_assert_uint_eq(forensics_kill_count(&f, get(B)), 0);
    tick(4);    /* none came */
    ck_assert_uint_eq(forensics_kill_count(&f, get(B)), 2);
    ck_assert_uint_eq(f.counter_kills, 2);
    const OomEvent *ev = forensics_last_kill(&f, get(B));
    ck_assert_int_eq(ev->source, MT_OOM_SRC_COUNTER);
    ck_assert_int_eq(ev->pid, -1);
    /* on v2 the parent saw the same increase: not counted twice */
    ck_assert_uint_eq(forensics_kill_count(&f, get("/system.slice")), 2);
    tick(5);
    ck_assert_uint_eq(f.counter_kills, 2);
}
END_TEST

START_TEST(test_tombstone)
{
    char cmd[4096];
    tick(1);
    append("6,2,200,-;oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=" A ",task_memcg=" A
           ",task=x,pid=5,uid=0\n3,3,201,-;Memory cgroup out of memory: Killed process 5 (x)\n");
    tick(2);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/fs/cgroup%s' '%s/sys/fs/cgroup%s'", dir, A, dir,
             B);
    ck_assert_int_eq(system(cmd), 0);
    tick(3);
    CgEntry *a = get(A), *b = get(B);
    ck_assert_int_eq(a->state, MT_STATE_GONE);
    ck_assert_int_eq(b->state, MT_STATE_GONE);
    ck_assert(a->tomb_until >= a->gone_time + 900 - 1e-6);
    ck_assert(b->tomb_until <= b->gone_time + 5 + 1e-6);
    /* 60 s later (30 ticks of 2 s) only the killed one is left */
    for (int i = 4; i < 34; i++)
        tick(i);
    ck_assert_ptr_nonnull(model_find(&m, A));
    ck_assert_ptr_null(model_find(&m, B));
    ck_assert_uint_eq(forensics_kill_count(&f, get(A)), 1);
}
END_TEST

static Suite *suite_main(void)
{
    Suite *s = suite_create("forensics");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);     /* fixture copies are slow on a loaded machine */
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_report_attribution);
    tcase_add_test(tc, test_counter_kills_deferred);
    tcase_add_test(tc, test_tombstone);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(suite_main)
