/* check_layout.c - v1 / hybrid / v2 detection from mountinfo (SPEC 1.1). */
#include "config.h"

#include <fcntl.h>

#include "common.h"
#include "sample/layout.h"

static MtLayoutStatus detect(const char *mi, const char *ctl, CgLayout *l)
{
    return layout_from_mountinfo(mi, strlen(mi), ctl, l);
}

START_TEST(test_layout_v1_only)
{
    CgLayout l;
    const char *mi = "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
                     "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n";
    ck_assert_int_eq(detect(mi, NULL, &l), MT_LAYOUT_OK);
    ck_assert_int_eq(l.mode, MT_MODE_V1);
    ck_assert(l.api_v1);
    ck_assert_str_eq(l.memroot, "/sys/fs/cgroup/memory");
    ck_assert(!l.has_psiroot);
}
END_TEST

START_TEST(test_layout_hybrid_this_host)
{
    /* The shape of this project's machines (kernel 6.18). */
    CgLayout l;
    const char *mi =
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
    ck_assert_int_eq(detect(mi, NULL, &l), MT_LAYOUT_OK);
    ck_assert_int_eq(l.mode, MT_MODE_HYBRID);
    ck_assert(l.api_v1);
    ck_assert_str_eq(l.memroot, "/sys/fs/cgroup/memory");
    ck_assert(l.has_psiroot);
    ck_assert_str_eq(l.psiroot, "/sys/fs/cgroup/unified");
}
END_TEST

START_TEST(test_layout_v2)
{
    CgLayout l;
    const char *mi = "25 23 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
    ck_assert_int_eq(detect(mi, "cpuset cpu io memory pids\n", &l), MT_LAYOUT_OK);
    ck_assert_int_eq(l.mode, MT_MODE_V2);
    ck_assert(!l.api_v1);
    ck_assert_str_eq(l.memroot, "/sys/fs/cgroup");
    /* cgroup2 without the memory controller, or controllers unreadable */
    ck_assert_int_eq(detect(mi, "cpuset cpu io pids\n", &l), MT_LAYOUT_NO_MEMORY);
    ck_assert_int_eq(detect(mi, "cpuset memoryx\n", &l), MT_LAYOUT_NO_MEMORY);
    ck_assert_int_eq(detect(mi, NULL, &l), MT_LAYOUT_NO_MEMORY);
}
END_TEST

START_TEST(test_layout_odd_mounts)
{
    CgLayout l;
    /* co-mounted controllers, an escaped mount point, optional fields,
     * and a bind mount of a sub-cgroup listed first */
    const char *mi =
        "50 1 0:40 /docker/abc /mnt/bound rw - cgroup cgroup rw,memory\n"
        "51 1 0:40 / /mnt/my\\040cgroups rw shared:1 master:3 - cgroup cgroup rw,hugetlb,memory\n";
    ck_assert_int_eq(detect(mi, NULL, &l), MT_LAYOUT_OK);
    ck_assert_str_eq(l.memroot, "/mnt/my cgroups");
    ck_assert_str_eq(l.mem_mount_root, "/");
    /* nothing cgroup-ish at all */
    ck_assert_int_eq(detect("22 1 0:21 / /proc rw - proc proc rw\n", NULL, &l),
                     MT_LAYOUT_NO_CGROUPFS);
    ck_assert_int_eq(detect("", NULL, &l), MT_LAYOUT_NO_CGROUPFS);
    /* memory name as part of another option must not count */
    ck_assert_int_eq(detect("35 1 0:3 / /x rw - cgroup cgroup rw,name=memoryish\n", NULL, &l),
                     MT_LAYOUT_NO_MEMORY);
}
END_TEST

START_TEST(test_layout_detect_fixtures)
{
    CgLayout l;
    int fd = open(MT_FIXTURE("v2-layouts"), O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(layout_detect(fd, &l), MT_LAYOUT_OK);
    ck_assert_int_eq(l.mode, MT_MODE_V2);
    close(fd);
    fd = open(MT_FIXTURE("v2-nomemory"), O_RDONLY | O_DIRECTORY);
    ck_assert_int_eq(layout_detect(fd, &l), MT_LAYOUT_NO_MEMORY);
    close(fd);
    fd = open(MT_FIXTURE("v1-layouts"), O_RDONLY | O_DIRECTORY);
    ck_assert_int_eq(layout_detect(fd, &l), MT_LAYOUT_OK);
    ck_assert_int_eq(l.mode, MT_MODE_HYBRID);
    close(fd);
    fd = open(MT_FIXTURE("v1-old"), O_RDONLY | O_DIRECTORY);
    ck_assert_int_eq(layout_detect(fd, &l), MT_LAYOUT_OK);
    ck_assert_int_eq(l.mode, MT_MODE_V1);
    close(fd);
    fd = open("/tmp", O_RDONLY | O_DIRECTORY);      /* no proc/self/mountinfo below */
    CgLayout l2;
    MtLayoutStatus st = layout_detect(fd, &l2);
    ck_assert(st == MT_LAYOUT_NO_MOUNTINFO);
    close(fd);
}
END_TEST

static Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_layout_v1_only);
    tcase_add_test(tc, test_layout_hybrid_this_host);
    tcase_add_test(tc, test_layout_v2);
    tcase_add_test(tc, test_layout_odd_mounts);
    tcase_add_test(tc, test_layout_detect_fixtures);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(layout_suite)
