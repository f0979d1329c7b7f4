/* check_oomtext.c - the TUI's OOM wording (oomtext.h) on a model of the
 * v2-layouts fixture: ages, which limit a kill hit (own, pod, child,
 * global, unknown, counter), the kill's sentence pieces with sanitized
 * text, and the table tags with their shorter variants. */
#include "config.h"

#include "common.h"

#include <math.h>
#include <time.h>

#include "output/oomtext.h"

#define POD "/kubepods.slice/kubepods-burstable.slice/" \
            "kubepods-burstable-pod3f2b0c1e_6d7a_4a8e_9c1b_2f4e6a8b0c12.slice"
#define CTR POD "/cri-containerd-c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3.scope"
#define CTR2 POD "/cri-containerd-d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4.scope"

static Model m;

static void setup(void)
{
    ModelOptions o;
    char err[512];

    setenv("TZ", "UTC", 1);
    tzset();
    model_options_default(&o);
    o.root = MT_FIXTURE("v2-layouts");
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "model_open: %s", err);
    model_tick(&m, 0, 0);
}

static void teardown(void)
{
    model_close(&m);
}

static const CgEntry *get(const char *path)
{
    const CgEntry *e = model_find(&m, path);
    ck_assert_msg(e != NULL, "no entry %s", path);
    return e;
}

/* A kmsg kill of pid 5151 in task_memcg, limit of oom_memcg. */
static OomEvent kill_ev(const char *task_memcg, const char *oom_memcg, double t)
{
    OomEvent ev;
    memset(&ev, 0, sizeof(ev));
    ev.time = t;
    snprintf(ev.path, sizeof(ev.path), "%s", task_memcg);
    snprintf(ev.oom_memcg, sizeof(ev.oom_memcg), "%s", oom_memcg);
    snprintf(ev.constraint, sizeof(ev.constraint), "CONSTRAINT_MEMCG");
    ev.pid = 5151;
    snprintf(ev.comm, sizeof(ev.comm), "python3");
    ev.has_rss = true;
    ev.anon_rss = 32488 * 1024ull;
    ev.file_rss = 4096;
    ev.shmem_rss = 272 * 1024;
    ev.source = MT_OOM_SRC_KMSG;
    return ev;
}

static const char *limit_of(const char *entry, const OomEvent *ev)
{
    static char buf[600];
    return oomtext_limit(&m, get(entry), ev, buf, sizeof(buf), true);
}

START_TEST(test_age)
{
    char b[16];
    ck_assert_str_eq(oomtext_age(b, sizeof(b), 0), "0s");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), 59.9), "59s");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), 60), "1m");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), 150), "2m");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), 3599), "59m");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), 3600), "1h");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), 47 * 3600 + 3599), "47h");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), 48 * 3600), "2d");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), -5), "0s");
    ck_assert_str_eq(oomtext_age(b, sizeof(b), (double)NAN), "0s");
}
END_TEST

START_TEST(test_limit)
{
    OomEvent own = kill_ev(CTR, CTR, 1000), pod = kill_ev(CTR, POD, 1000);
    ck_assert_str_eq(limit_of(CTR, &own), "this container's own limit");
    ck_assert_str_eq(limit_of(CTR, &pod), "its pod's limit (pod:3f2b0c1e)");
    ck_assert_str_eq(limit_of(POD, &pod), "this pod's own limit");
    ck_assert_str_eq(limit_of(POD, &own), "the limit of container containerd:c3c3c3c3c3c3");
    OomEvent slice = kill_ev(CTR, "/kubepods.slice", 1000);
    ck_assert_str_eq(limit_of(CTR, &slice), "the limit of its parent kubepods.slice");

    OomEvent glob = kill_ev(CTR, "", 1000);
    snprintf(glob.constraint, sizeof(glob.constraint), "CONSTRAINT_NONE");
    ck_assert_str_eq(limit_of(CTR, &glob), "none: the node ran out of memory (global OOM)");
    OomEvent root = kill_ev(CTR, "/", 1000);
    ck_assert_str_eq(limit_of(CTR, &root), "none: the node ran out of memory (global OOM)");
    OomEvent cpuset = kill_ev(CTR, "", 1000);
    snprintf(cpuset.constraint, sizeof(cpuset.constraint), "CONSTRAINT_CPUSET");
    ck_assert_str_eq(limit_of(CTR, &cpuset), "none: a CONSTRAINT_CPUSET constraint");
    OomEvent legacy = kill_ev(CTR, "", 1000);
    legacy.constraint[0] = '\0';
    ck_assert_str_eq(limit_of(CTR, &legacy), "not in the log");

    /* a cgroup memtop does not know: its path, sanitized */
    OomEvent gone = kill_ev(CTR, POD "/x\x1b[31my", 1000);
    ck_assert_str_eq(limit_of(POD, &gone), "the limit of \xe2\x80\xa6/x?[31my");
    OomEvent esc = kill_ev(CTR, "/a\x1b[2Jb", 1000);
    ck_assert_str_eq(limit_of(POD, &esc), "the limit of /a?[2Jb");

    OomEvent ctr = kill_ev(CTR, "", 1000);
    ctr.source = MT_OOM_SRC_COUNTER;
    ck_assert_str_eq(limit_of(CTR, &ctr), "unknown (only the oom_kill counter saw it)");
}
END_TEST

START_TEST(test_event)
{
    OomText t;
    OomEvent ev = kill_ev(CTR, POD, 1700000000);

    oomtext_event(&m, get(CTR), &ev, 1700000150, true, &t);
    ck_assert_str_eq(t.when, "2023-11-14 22:13:20 (2m ago)");
    ck_assert_str_eq(t.what, "killed pid 5151 (python3); its RSS then: anon 31.7M, file 4.00K, "
                             "shmem 272K");
    ck_assert_str_eq(t.where, "limit hit: its pod's limit (pod:3f2b0c1e); source: kernel log (kmsg)");

    /* seen from the pod: which container; hostile comm; no RSS; journal */
    snprintf(ev.comm, sizeof(ev.comm), "bad\x1b]0;x\x07name");
    ev.has_rss = false;
    ev.source = MT_OOM_SRC_JOURNAL;
    oomtext_event(&m, get(POD), &ev, 1700000010, true, &t);
    ck_assert_str_eq(t.when, "2023-11-14 22:13:20 (10s ago)");
    ck_assert_str_eq(t.what, "killed pid 5151 (bad?]0;x?name) in containerd:c3c3c3c3c3c3; "
                             "the log gives no RSS");
    ck_assert_str_eq(t.where, "limit hit: this pod's own limit; source: kernel log (journal)");

    /* a kill after the tick shown (paused in history) */
    oomtext_event(&m, get(POD), &ev, 1699999000, true, &t);
    ck_assert_str_eq(t.when, "2023-11-14 22:13:20 (after the tick shown)");

    /* a counter kill of another container, seen from the pod */
    OomEvent c = kill_ev(CTR2, "", 1700000000);
    c.source = MT_OOM_SRC_COUNTER;
    c.pid = -1;
    c.comm[0] = '\0';
    c.has_rss = false;
    oomtext_event(&m, get(POD), &c, 1700003600, true, &t);
    ck_assert_str_eq(t.when, "2023-11-14 22:13:20 (1h ago)");
    ck_assert_str_eq(t.what, "a process in containerd:d4d4d4d4d4d4 was killed; no kernel report "
                             "names it");
    ck_assert_str_eq(t.where, "limit hit: unknown (only the oom_kill counter saw it); source: "
                              "counter only, no kernel report");
}
END_TEST

START_TEST(test_tag)
{
    CgEntry e;
    OomEvent ev = kill_ev(CTR, CTR, 1000);
    char b[32];
    bool alert;

    memset(&e, 0, sizeof(e));
    e.state = MT_STATE_GONE;
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1150, 900, 40, b, sizeof(b), &alert), "OOM-killed 2m ago");
    ck_assert(!alert);
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1150, 900, 16, b, sizeof(b), &alert), "OOM-killed 2m");
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1150, 900, 12, b, sizeof(b), &alert), "OOM 2m");
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1150, 900, 5, b, sizeof(b), &alert), "OOM");
    ck_assert_ptr_null(oomtext_tag(&e, &ev, 1150, 900, 2, b, sizeof(b), &alert));
    /* a tombstone keeps its label past the "recent" window */
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1000 + 7200, 900, 40, b, sizeof(b), &alert),
                     "OOM-killed 2h ago");
    ck_assert_str_eq(oomtext_tag(&e, NULL, 1150, 900, 40, b, sizeof(b), &alert), "(gone)");
    ck_assert_ptr_null(oomtext_tag(&e, NULL, 1150, 900, 5, b, sizeof(b), &alert));

    e.state = MT_STATE_LIVE;
    ck_assert_ptr_null(oomtext_tag(&e, NULL, 1150, 900, 40, b, sizeof(b), &alert));
    ck_assert(!alert);
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1030, 900, 40, b, sizeof(b), &alert), "OOM 30s ago");
    ck_assert(alert);
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1030, 900, 8, b, sizeof(b), &alert), "OOM 30s");
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1030, 900, 6, b, sizeof(b), &alert), "OOM");
    ck_assert_ptr_null(oomtext_tag(&e, &ev, 1030, 900, 2, b, sizeof(b), &alert));
    ck_assert(!alert);
    /* only recent kills mark a live row; none from after the tick shown */
    ck_assert_ptr_null(oomtext_tag(&e, &ev, 1000 + 901, 900, 40, b, sizeof(b), &alert));
    ck_assert_str_eq(oomtext_tag(&e, &ev, 1000 + 900, 900, 40, b, sizeof(b), &alert), "OOM 15m ago");
    ck_assert_ptr_null(oomtext_tag(&e, &ev, 900, 900, 40, b, sizeof(b), &alert));
    ck_assert_ptr_null(oomtext_tag(&e, &ev, (double)NAN, 900, 40, b, sizeof(b), &alert));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("oomtext");
    TCase *tc = tcase_create("oomtext");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_age);
    tcase_add_test(tc, test_limit);
    tcase_add_test(tc, test_event);
    tcase_add_test(tc, test_tag);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(suite)
