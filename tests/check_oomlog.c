/* check_oomlog.c - OOM report parsers and the kill store, with real kernel
 * lines (Debian 6.1 kernel, captured in a VM; older formats from 4.x). */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "forensics/oomlog.h"

#define S(x) x, strlen(x)

static const char *kill_61 =
    "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
    "oom_memcg=/system.slice/docker-287ac68841deac11686c8779a3ab2a49bf0472ebfdd0e13384d664a18f36de7f.scope,"
    "task_memcg=/system.slice/docker-287ac68841deac11686c8779a3ab2a49bf0472ebfdd0e13384d664a18f36de7f.scope,"
    "task=python3,pid=275,uid=0";
static const char *killed_61 =
    "Memory cgroup out of memory: Killed process 275 (python3) total-vm:68576kB, "
    "anon-rss:32488kB, file-rss:4kB, shmem-rss:272kB, UID:0 pgtables:108kB oom_score_adj:0";

START_TEST(test_kill_line_real)
{
    OomKillLine k;
    ck_assert_int_eq(oomlog_parse_kill_line(S(kill_61), &k), 0);
    ck_assert_str_eq(k.constraint, "CONSTRAINT_MEMCG");
    ck_assert_str_eq(k.task, "python3");
    ck_assert_int_eq(k.pid, 275);
    ck_assert_int_eq(k.uid, 0);
    ck_assert_str_eq(k.task_memcg, "/system.slice/docker-287ac68841deac11686c8779a3ab2a49bf0472e"
                                   "bfdd0e13384d664a18f36de7f.scope");
    ck_assert_str_eq(k.oom_memcg, k.task_memcg);
}
END_TEST

START_TEST(test_kill_line_commas_and_global)
{
    OomKillLine k;
    /* a cgroup name and a command with commas; a global OOM has no oom_memcg */
    const char *l = "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,"
                    "global_oom,task_memcg=/a,b/c,task=we,ird,pid=4321,uid=1000";
    ck_assert_int_eq(oomlog_parse_kill_line(S(l), &k), 0);
    ck_assert_str_eq(k.task_memcg, "/a,b/c");
    ck_assert_str_eq(k.task, "we,ird");
    ck_assert_str_eq(k.oom_memcg, "");
    ck_assert_int_eq(k.pid, 4321);
    ck_assert_int_eq(k.uid, 1000);
}
END_TEST

START_TEST(test_kill_line_rejects)
{
    OomKillLine k;
    ck_assert_int_eq(oomlog_parse_kill_line(S("oom-kill:constraint=X,task=a"), &k), -1);
    ck_assert_int_eq(oomlog_parse_kill_line(S("oom_reaper: reaped process 275"), &k), -1);
    ck_assert_int_eq(oomlog_parse_kill_line(S(""), &k), -1);
    ck_assert_int_eq(oomlog_parse_kill_line(S("oom-kill:pid=abc"), &k), -1);
    /* truncated anywhere: never crashes, never reads past len */
    size_t n = strlen(kill_61);
    for (size_t i = 0; i < n; i++) {
        char *copy = malloc(i ? i : 1);
        memcpy(copy, kill_61, i);
        (void)oomlog_parse_kill_line(copy, i, &k);
        free(copy);
    }
}
END_TEST

START_TEST(test_killed_line_real)
{
    OomKilledLine d;
    ck_assert_int_eq(oomlog_parse_killed_line(S(killed_61), &d), 0);
    ck_assert(d.memcg);
    ck_assert_int_eq(d.pid, 275);
    ck_assert_str_eq(d.comm, "python3");
    ck_assert(d.has_rss);
    ck_assert_uint_eq(d.total_vm, 68576ull * 1024);
    ck_assert_uint_eq(d.anon_rss, 32488ull * 1024);
    ck_assert_uint_eq(d.file_rss, 4096);
    ck_assert_uint_eq(d.shmem_rss, 272ull * 1024);
    ck_assert_uint_eq(d.pgtables, 108ull * 1024);
    ck_assert_int_eq(d.uid, 0);
    ck_assert_int_eq(d.oom_score_adj, 0);
}
END_TEST

START_TEST(test_killed_line_variants)
{
    OomKilledLine d;
    /* 4.x global OOM, no UID/pgtables; a comm with ") " inside */
    const char *g = "Out of memory: Killed process 1234 (a) b) total-vm:100kB, anon-rss:50kB, "
                    "file-rss:0kB, shmem-rss:0kB";
    ck_assert_int_eq(oomlog_parse_killed_line(S(g), &d), 0);
    ck_assert(!d.memcg);
    ck_assert_str_eq(d.comm, "a) b");
    ck_assert_uint_eq(d.anon_rss, 50 * 1024);
    ck_assert_int_eq(d.uid, -1);
    ck_assert_int_eq(d.oom_score_adj, LONG_MIN);
    /* very old: no shmem-rss */
    const char *o = "Killed process 77 (java) total-vm:10kB, anon-rss:8kB, file-rss:2kB";
    ck_assert_int_eq(oomlog_parse_killed_line(S(o), &d), 0);
    ck_assert(d.has_rss);
    ck_assert_uint_eq(d.shmem_rss, 0);
    /* no figures at all */
    ck_assert_int_eq(oomlog_parse_killed_line(S("Killed process 9 (x)"), &d), 0);
    ck_assert(!d.has_rss);
    ck_assert_int_eq(oomlog_parse_killed_line(S("Killed process x (y)"), &d), -1);
    ck_assert_int_eq(oomlog_parse_killed_line(S("Killed process 9 y"), &d), -1);
    ck_assert_int_eq(oomlog_parse_killed_line(S("python3 invoked oom-killer: gfp_mask=0xcc0"),
                                              &d), -1);
}
END_TEST

START_TEST(test_task_in_line)
{
    char t[64], o[64];
    ck_assert_int_eq(oomlog_parse_task_in_line(
        S("Task in /docker/abc killed as a result of limit of /docker"), t, sizeof(t), o,
        sizeof(o)), 0);
    ck_assert_str_eq(t, "/docker/abc");
    ck_assert_str_eq(o, "/docker");
    ck_assert_int_eq(oomlog_parse_task_in_line(S("Task in /x"), t, sizeof(t), o, sizeof(o)), -1);
    /* leading blanks, a space in the path, a buffer too small for a path */
    char s3[4];
    ck_assert_int_eq(oomlog_parse_task_in_line(
        S("  Task in /a b/c killed as a result of limit of /a b"), t, sizeof(t), s3,
        sizeof(s3)), 0);
    ck_assert_str_eq(t, "/a b/c");
    ck_assert_str_eq(s3, "/a ");
    ck_assert_int_eq(oomlog_parse_task_in_line(S("Tasks in /g are going to be killed"), t,
                                               sizeof(t), o, sizeof(o)), -1);
}
END_TEST

START_TEST(test_kmsg_record)
{
    KmsgRecord r;
    const char *raw = "3,431,6111389,-;Memory cgroup out of memory: Killed process 275 (python3)\n";
    ck_assert_int_eq(oomlog_parse_kmsg_record(S(raw), &r), 0);
    ck_assert_int_eq(r.level, 3);
    ck_assert_uint_eq(r.seq, 431);
    ck_assert_uint_eq(r.usec, 6111389);
    ck_assert(r.has_usec);
    ck_assert_int_eq((int)r.msg_len, (int)strlen(raw) - 17);
    ck_assert(strncmp(r.msg, "Memory cgroup", 13) == 0);
    /* newer kernels add fields after FLAGS (caller id) */
    ck_assert_int_eq(oomlog_parse_kmsg_record(S("6,12,345,-,caller=T1;hello"), &r), 0);
    ck_assert_uint_eq(r.usec, 345);
    ck_assert_int_eq((int)r.msg_len, 5);
    /* dmesg format */
    ck_assert_int_eq(oomlog_parse_kmsg_record(S("[    6.110388] oom-kill:x"), &r), 0);
    ck_assert_uint_eq(r.usec, 6110388);
    ck_assert_int_eq((int)r.msg_len, 10);
    /* fuzz finding: a 27-digit time overflowed the usec conversion (UB);
     * it is no timestamp, so the line is bare text */
    const char *huge = "[666666666666666666666666666] oom-kill:x";
    ck_assert_int_eq(oomlog_parse_kmsg_record(S(huge), &r), 0);
    ck_assert(!r.has_usec);
    ck_assert_int_eq((int)r.msg_len, (int)strlen(huge));
    /* nor is a time with a NUL, "inf" or hex in it */
    static const char nul[] = "[12\0xx] m";
    ck_assert_int_eq(oomlog_parse_kmsg_record(nul, sizeof(nul) - 1, &r), 0);
    ck_assert(!r.has_usec);
    ck_assert_int_eq(oomlog_parse_kmsg_record(S("[inf] m"), &r), 0);
    ck_assert(!r.has_usec);
    ck_assert_int_eq(oomlog_parse_kmsg_record(S("[0x10] m"), &r), 0);
    ck_assert(!r.has_usec);
    /* the largest accepted time, more digits than microseconds, no fraction */
    ck_assert_int_eq(oomlog_parse_kmsg_record(S("[1000000000000.1234567] m"), &r), 0);
    ck_assert_uint_eq(r.usec, UINT64_C(1000000000000123456));
    ck_assert_int_eq(oomlog_parse_kmsg_record(S("[7] m"), &r), 0);
    ck_assert_uint_eq(r.usec, 7000000);
    /* bare text */
    ck_assert_int_eq(oomlog_parse_kmsg_record(S("hello; world"), &r), 0);
    ck_assert(!r.has_usec);
    ck_assert_int_eq((int)r.msg_len, 12);
}
END_TEST

START_TEST(test_unescape)
{
    char out[64];
    ck_assert_uint_eq(oomlog_unescape_kmsg(S("a\\x0ab\\x5cc\\xzz\\x4"), out, sizeof(out)), 12);
    ck_assert_str_eq(out, "a\nb\\c\\xzz\\x4");
    ck_assert_uint_eq(oomlog_unescape_kmsg(S("abcdef"), out, 4), 3);
    ck_assert_str_eq(out, "abc");
}
END_TEST

START_TEST(test_store_pairs_by_pid)
{
    OomLog l;
    oomlog_init(&l, 4);
    ck_assert_ptr_null(oomlog_feed(&l, S(kill_61), 100.0, MT_OOM_SRC_KMSG, 7));
    /* an unrelated kill line in between (another pid) */
    const char *other = "oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/b,task_memcg=/b/c,"
                        "task=x,pid=9,uid=0";
    ck_assert_ptr_null(oomlog_feed(&l, S(other), 100.1, MT_OOM_SRC_KMSG, 7));
    const OomEvent *e = oomlog_feed(&l, S(killed_61), 100.2, MT_OOM_SRC_KMSG, 7);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->pid, 275);
    ck_assert_str_eq(e->comm, "python3");
    ck_assert(strstr(e->path, "docker-287ac688") != NULL);
    ck_assert_uint_eq(e->anon_rss, 32488ull * 1024);
    ck_assert_int_eq(e->source, MT_OOM_SRC_KMSG);
    ck_assert_uint_eq(e->ingest_seq, 7);
    ck_assert_uint_eq(l.n, 1);
    /* pid 9's report never completes: flushed as a kill without figures */
    oomlog_flush_pending(&l, 101.0, 5.0, 8);
    ck_assert_uint_eq(l.n, 1);
    oomlog_flush_pending(&l, 106.0, 5.0, 8);
    ck_assert_uint_eq(l.n, 2);
    e = oomlog_get(&l, 1);
    ck_assert_str_eq(e->path, "/b/c");
    ck_assert_str_eq(e->oom_memcg, "/b");
    ck_assert(!e->has_rss);
    ck_assert_int_eq(e->pid, 9);
    oomlog_done(&l);
}
END_TEST

START_TEST(test_store_group_and_old_kernels)
{
    OomLog l;
    oomlog_init(&l, 8);
    /* pre-4.19: "Task in" then "Killed process" */
    oomlog_feed(&l, S("Task in /docker/abc killed as a result of limit of /docker"), 1, 1, 1);
    const OomEvent *e = oomlog_feed(&l, S("Killed process 5 (x) total-vm:1kB, anon-rss:1kB, "
                                          "file-rss:0kB, shmem-rss:0kB"), 1, 1, 1);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->path, "/docker/abc");
    ck_assert_str_eq(e->oom_memcg, "/docker");
    /* memory.oom.group: one oom-kill line, then every member is killed */
    oomlog_feed(&l, S("oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/g,task_memcg=/g/a,"
                      "task=a,pid=10,uid=0"), 2, 1, 2);
    oomlog_feed(&l, S("Tasks in /g are going to be killed due to memory.oom.group set"), 2, 1, 2);
    e = oomlog_feed(&l, S("Memory cgroup out of memory: Killed process 10 (a)"), 2, 1, 2);
    ck_assert_str_eq(e->path, "/g/a");
    e = oomlog_feed(&l, S("Memory cgroup out of memory: Killed process 11 (b)"), 2, 1, 2);
    ck_assert_str_eq(e->path, "/g");
    ck_assert_str_eq(e->comm, "b");
    oomlog_done(&l);
}
END_TEST

START_TEST(test_store_ring_and_prefix)
{
    OomLog l;
    OomEvent ev;
    oomlog_init(&l, 3);
    snprintf(l.strip_prefix, sizeof(l.strip_prefix), "/ns/root");
    memset(&ev, 0, sizeof(ev));
    for (int i = 0; i < 5; i++) {
        ev.pid = i;
        oomlog_add(&l, &ev);
    }
    ck_assert_uint_eq(l.n, 3);
    ck_assert_uint_eq(l.total, 5);
    ck_assert_int_eq(oomlog_get(&l, 0)->pid, 2);
    ck_assert_int_eq(oomlog_get(&l, 2)->pid, 4);
    ck_assert_ptr_null(oomlog_get(&l, 3));
    /* paths below a cgroup-namespace mount root are made relative to it */
    oomlog_feed(&l, S("oom-kill:constraint=C,oom_memcg=/ns/root/x,task_memcg=/ns/root/x/y,"
                      "task=t,pid=3,uid=0"), 1, 1, 1);
    const OomEvent *e = oomlog_feed(&l, S("Killed process 3 (t)"), 1, 1, 1);
    ck_assert_str_eq(e->path, "/x/y");
    ck_assert_str_eq(e->oom_memcg, "/x");
    oomlog_done(&l);
}
END_TEST

START_TEST(test_path_within)
{
    ck_assert(oomlog_path_within("/a/b", "/a"));
    ck_assert(oomlog_path_within("/a", "/a"));
    ck_assert(oomlog_path_within("/a/b", "/"));
    ck_assert(!oomlog_path_within("/ab", "/a"));
    ck_assert(!oomlog_path_within("", "/"));
    ck_assert(!oomlog_path_within("/a", "/a/b"));
}
END_TEST

/* Mutations of real lines through every parser and the store: under the
 * sanitizer build this catches any read past len or overflow. */
START_TEST(test_mutations)
{
    const char *seeds[] = { kill_61, killed_61, "Task in /a killed as a result of limit of /",
                            "4,394,6107766,-;python3 invoked oom-killer",
                            "[    6.110388] oom-kill:constraint=C,task_memcg=/x,task=t,pid=1,uid=0",
                            "Tasks in /g are going to be killed due to memory.oom.group set" };
    static const char alphabet[] = ",=:;()[]/ -\\x0123456789kBabcpidtask_memcgKilled process";
    unsigned int seed = 12345;
    OomLog l;
    oomlog_init(&l, 8);
    for (int iter = 0; iter < 20000; iter++) {
        const char *base = seeds[iter % (int)(sizeof(seeds) / sizeof(seeds[0]))];
        size_t n = strlen(base), cap = n + 16;
        char *buf = malloc(cap);
        memcpy(buf, base, n);
        int edits = 1 + (int)(rand_r(&seed) % 6);
        for (int k = 0; k < edits; k++) {
            size_t at = (size_t)rand_r(&seed) % (n + 1);
            int op = rand_r(&seed) % 3;
            if (op == 0 && at < n)
                buf[at] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
            else if (op == 1 && at < n)
                n = at;                                 /* truncate */
            else if (n < cap && at <= n) {
                memmove(buf + at + 1, buf + at, n - at);  /* insert */
                buf[at] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
                n++;
            }
        }
        char *exact = malloc(n ? n : 1);   /* exact size: ASan sees any overread */
        memcpy(exact, buf, n);
        OomKillLine k;
        OomKilledLine d;
        KmsgRecord r;
        char t[32], o[32], u[64];
        (void)oomlog_parse_kill_line(exact, n, &k);
        (void)oomlog_parse_killed_line(exact, n, &d);
        (void)oomlog_parse_task_in_line(exact, n, t, sizeof(t), o, sizeof(o));
        if (oomlog_parse_kmsg_record(exact, n, &r) == 0)
            ck_assert(r.msg >= exact && r.msg + r.msg_len <= exact + n);
        (void)oomlog_unescape_kmsg(exact, n, u, sizeof(u));
        (void)oomlog_feed(&l, exact, n, iter, MT_OOM_SRC_KMSG, 1);
        free(exact);
        free(buf);
    }
    oomlog_flush_pending(&l, 1e9, 1, 2);
    ck_assert_uint_le(l.n, 8);
    oomlog_done(&l);
}
END_TEST

static Suite *oomlog_suite(void)
{
    Suite *s = suite_create("oomlog");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_kill_line_real);
    tcase_add_test(tc, test_kill_line_commas_and_global);
    tcase_add_test(tc, test_kill_line_rejects);
    tcase_add_test(tc, test_killed_line_real);
    tcase_add_test(tc, test_killed_line_variants);
    tcase_add_test(tc, test_task_in_line);
    tcase_add_test(tc, test_kmsg_record);
    tcase_add_test(tc, test_unescape);
    tcase_add_test(tc, test_store_pairs_by_pid);
    tcase_add_test(tc, test_store_group_and_old_kernels);
    tcase_add_test(tc, test_store_ring_and_prefix);
    tcase_add_test(tc, test_path_within);
    tcase_add_test(tc, test_mutations);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(oomlog_suite)
