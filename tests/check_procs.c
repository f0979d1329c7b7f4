/* check_procs.c - /proc/<pid>/status parsing and the process list of a
 * cgroup subtree (the detail pane's "top processes"). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "common.h"
#include "forensics/cgprocs.h"

START_TEST(test_parse_status)
{
    ProcInfo p;
    const char *s = "Name:\tpostgres\nUmask:\t0077\nVmRSS:\t  1000 kB\n"
                    "RssAnon:\t   600 kB\nRssFile:\t   300 kB\nRssShmem:\t   100 kB\n";
    ck_assert_int_eq(procs_parse_status(s, strlen(s), &p), 0);
    ck_assert_str_eq(p.comm, "postgres");
    ck_assert(p.rss_valid);
    ck_assert_uint_eq(p.rss_anon, 600 * 1024);
    ck_assert_uint_eq(p.rss_file, 300 * 1024);
    ck_assert_uint_eq(p.rss_shmem, 100 * 1024);
}
END_TEST

START_TEST(test_parse_status_hostile_and_kthread)
{
    ProcInfo p;
    /* an escape sequence in the name is defused; a kernel thread has no Rss lines */
    const char *s = "Name:\tbad\x1b]0;x\x07name\nState:\tS\n";
    ck_assert_int_eq(procs_parse_status(s, strlen(s), &p), 0);
    ck_assert_str_eq(p.comm, "bad?]0;x?name");
    ck_assert(!p.rss_valid);
    /* no Name: line at all */
    ck_assert_int_eq(procs_parse_status("Pid:\t1\n", 7, &p), -EINVAL);
    /* not NUL-terminated input: only len bytes are read */
    char buf[16];
    memcpy(buf, "Name:\tabcdefghij", 16);
    ck_assert_int_eq(procs_parse_status(buf, 9, &p), 0);
    ck_assert_str_eq(p.comm, "abc");
}
END_TEST

START_TEST(test_collect_fixture)
{
    ProcList l;
    int root = open(MT_FIXTURE("tui"), O_RDONLY | O_DIRECTORY);
    int mem = open(MT_FIXTURE("tui/sys/fs/cgroup"), O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(root, 0);
    ck_assert_int_ge(mem, 0);
    proclist_init(&l);
    /* the pod: pids of both containers below it, sorted by RSS */
    ck_assert_int_eq(procs_collect(mem, root,
                                   "kubepods.slice/kubepods-burstable.slice/"
                                   "kubepods-burstable-pod1a2b3c4d_0000_4000_8000_00000000aaaa.slice",
                                   100, &l), 0);
    ck_assert_uint_eq(l.npids, 3);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_int_eq(l.v[0].pid, 501);
    ck_assert_str_eq(l.v[0].comm, "api-server");
    ck_assert_int_eq(l.v[1].pid, 502);
    ck_assert_int_eq(l.v[2].pid, 503);
    /* the cap: all pids counted, only max read */
    ck_assert_int_eq(procs_collect(mem, root, "", 2, &l), 0);
    ck_assert_uint_eq(l.npids, 10);     /* 9 workload pids + pid 1 at the root */
    ck_assert_uint_eq(l.n, 2);
    ck_assert(l.truncated);
    /* a vanished cgroup */
    ck_assert_int_eq(procs_collect(mem, root, "no/such/cgroup", 10, &l), -ENOENT);
    proclist_done(&l);
    close(mem);
    close(root);
}
END_TEST

static Suite *procs_suite(void)
{
    Suite *s = suite_create("procs");
    TCase *tc = tcase_create("procs");
    tcase_add_test(tc, test_parse_status);
    tcase_add_test(tc, test_parse_status_hostile_and_kthread);
    tcase_add_test(tc, test_collect_fixture);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(procs_suite)
