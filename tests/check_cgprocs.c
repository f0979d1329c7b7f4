/* check_cgprocs.c - process listing of a cgroup subtree and the OOM victim
 * ranking, on a temporary tree (cgroup dirs + proc/<pid>/ files). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forensics/cgprocs.h"
#include "common.h"

static char *root;      /* temporary tree: cg/ (cgroups) and proc/ */

static void proc(int pid, const char *name, long anon_kb, long swap_kb, int adj, bool kthread)
{
    char rel[64], text[512];
    snprintf(rel, sizeof(rel), "proc/%d", pid);
    fixture_mkdir(root, rel);
    if (kthread)
        snprintf(text, sizeof(text), "Name:\t%s\nState:\tS\n", name);
    else
        snprintf(text, sizeof(text),
                 "Name:\t%s\nVmRSS:\t%ld kB\nRssAnon:\t%ld kB\nRssFile:\t8 kB\nRssShmem:\t0 kB\n"
                 "VmPTE:\t4 kB\nVmSwap:\t%ld kB\n", name, anon_kb + 8, anon_kb, swap_kb);
    snprintf(rel, sizeof(rel), "proc/%d/status", pid);
    fixture_write(root, rel, text);
    snprintf(rel, sizeof(rel), "proc/%d/oom_score_adj", pid);
    snprintf(text, sizeof(text), "%d\n", adj);
    fixture_write(root, rel, text);
}

static void setup(void)
{
    root = fixture_tmpdir();
    fixture_mkdir(root, "proc");
    fixture_mkdir(root, "cg/ctr/child/grand");
    fixture_write(root, "cg/ctr/cgroup.procs", "10\n11\n");
    fixture_write(root, "cg/ctr/child/cgroup.procs", "12\n10\n13\n");
    fixture_write(root, "cg/ctr/child/grand/cgroup.procs", "14\n99\n");   /* 99 has exited */
    proc(10, "big", 100000, 0, 0, false);
    proc(11, "kthreadd", 0, 0, 0, true);
    proc(12, "exempt", 900000, 0, -1000, false);
    proc(13, "swapper\x1b", 20000, 90000, 0, false);
    proc(14, "favored", 50000, 0, 900, false);
}

static void teardown(void)
{
    fixture_remove(root);
    root = NULL;
}

START_TEST(test_status_parse)
{
    CgProc p;
    memset(&p, 0, sizeof(p));
    const char *s = "Name:\tjava\nUmask:\t0022\nVmRSS:\t   49380 kB\nRssAnon:\t   49120 kB\n"
                    "RssFile:\t       4 kB\nRssShmem:\t     256 kB\nVmPTE:\t     136 kB\n"
                    "VmSwap:\t       0 kB\n";
    cgprocs_parse_status(s, strlen(s), &p);
    ck_assert_str_eq(p.comm, "java");
    ck_assert(p.has_mm);
    ck_assert_uint_eq(p.rss_anon, 49120ull * 1024);
    ck_assert_uint_eq(p.rss_file, 4096);
    ck_assert_uint_eq(p.rss_shmem, 256ull * 1024);
    ck_assert_uint_eq(p.pagetables, 136ull * 1024);
    ck_assert_uint_eq(p.swap, 0);
    ck_assert_int_eq(cgprocs_parse_status("Name:\tkworker/0:1\n", 18, &p), 0);
    ck_assert(!p.has_mm);
    ck_assert_str_eq(p.comm, "kworker/0:1");
    /* no Name: line; a size too large for bytes saturates */
    const char *t = "Pid:\t5\nRssAnon:\t99999999999999999 kB\nRssFile:\t0 kB\nRssShmem:\t0 kB\n";
    ck_assert_int_eq(cgprocs_parse_status(t, strlen(t), &p), -EINVAL);
    ck_assert_str_eq(p.comm, "");
    ck_assert(p.has_mm);
    ck_assert_uint_eq(p.rss_anon, UINT64_MAX);
}
END_TEST

START_TEST(test_badness)
{
    CgProc p;
    memset(&p, 0, sizeof(p));
    p.has_mm = true;
    p.rss_anon = 4096 * 100;
    p.swap = 4096 * 10;
    p.pagetables = 4096 * 2;
    ck_assert(fabs(cgprocs_badness(&p, 4096, 0) - 112) < 1e-9);
    p.oom_score_adj = 500;      /* + 500/1000 of a 4000-page limit */
    ck_assert(fabs(cgprocs_badness(&p, 4096, 4096 * 4000) - 2112) < 1e-9);
    p.oom_score_adj = -1000;
    ck_assert(isinf(cgprocs_badness(&p, 4096, 4096 * 4000)));
}
END_TEST

START_TEST(test_list_subtree)
{
    char cg[4096];
    snprintf(cg, sizeof(cg), "%s/cg", root);
    int memfd = open(cg, O_RDONLY | O_DIRECTORY);
    int rootfd = open(root, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(memfd, 0);
    ck_assert_int_ge(rootfd, 0);
    CgProcList l;
    /* limit 1 GiB: favored's +900 adj adds 0.9 GiB worth of pages */
    ck_assert_int_eq(cgprocs_list(memfd, rootfd, "ctr", 1ull << 30, &l), 5);
    ck_assert_str_eq(l.v[0].comm, "favored");
    ck_assert(l.v[0].victim);
    /* swap counts like rss: 20 MB + 90 MB swapped beats 100 MB resident */
    ck_assert_str_eq(l.v[1].comm, "swapper\x1b");
    ck_assert_str_eq(l.v[2].comm, "big");
    ck_assert(!l.v[1].victim);
    for (size_t i = 0; i < l.n; i++) {
        if (strcmp(l.v[i].comm, "exempt") == 0 || strcmp(l.v[i].comm, "kthreadd") == 0)
            ck_assert(isinf(l.v[i].badness) && !l.v[i].victim);
        ck_assert_int_ne(l.v[i].pid, 99);
    }
    cgprocs_free(&l);
    /* without adj's help the biggest rss+swap wins: swapper (110 MB) */
    ck_assert_int_eq(cgprocs_list(memfd, rootfd, "ctr/child", 0, &l), 4);
    ck_assert_str_eq(l.v[0].comm, "swapper\x1b");     /* raw: callers sanitize */
    ck_assert(l.v[0].victim);
    cgprocs_free(&l);
    ck_assert_int_lt(cgprocs_list(memfd, rootfd, "nope", 0, &l), 0);
    close(memfd);
    close(rootfd);
}
END_TEST

/* cgroup.procs has no size limit: 20000 pids (~120 KiB, more than one
 * read) in descending order, repeated in a child, the child's last line
 * without a newline; the result is every pid once, ascending. */
START_TEST(test_pids_big_file)
{
    char path[4096];
    fixture_mkdir(root, "cg/big/kid");
    snprintf(path, sizeof(path), "%s/cg/big/cgroup.procs", root);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int pid = 120000; pid > 100000; pid--)
        fprintf(f, "%d\n", pid);
    fclose(f);
    fixture_write(root, "cg/big/kid/cgroup.procs", "100001\n120000\n7");
    snprintf(path, sizeof(path), "%s/cg", root);
    int memfd = open(path, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(memfd, 0);
    int *pids = NULL;
    ck_assert_int_eq(cgprocs_pids(memfd, "big", &pids), 20001);
    ck_assert_int_eq(pids[0], 7);
    for (int i = 1; i < 20001; i++)
        ck_assert_int_eq(pids[i], 100000 + i);
    free(pids);
    ck_assert_int_eq(cgprocs_pids(memfd, "big/none", &pids), -ENOENT);
    ck_assert_ptr_null(pids);
    close(memfd);
}
END_TEST

static Suite *cgprocs_suite(void)
{
    Suite *s = suite_create("cgprocs");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_status_parse);
    tcase_add_test(tc, test_badness);
    tcase_add_test(tc, test_list_subtree);
    tcase_add_test(tc, test_pids_big_file);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(cgprocs_suite)
