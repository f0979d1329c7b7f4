/* check_parse.c - pure parsers: values, keyed files, PSI, meminfo, mountinfo. */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "common.h"
#include "sample/fields.h"
#include "sample/parse.h"

static int pv(const char *s, bool lim, uint64_t *out)
{
    return parse_value(s, strlen(s), lim, out);
}

START_TEST(test_parse_value_numbers)
{
    uint64_t v = 7;
    ck_assert_int_eq(pv("0\n", false, &v), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(pv("232591360\n", false, &v), 0);
    ck_assert_uint_eq(v, 232591360);
    ck_assert_int_eq(pv("18446744073709551615", false, &v), 0);
    ck_assert_uint_eq(v, UINT64_MAX);
    v = 7;
    ck_assert_int_eq(pv("18446744073709551616\n", false, &v), -EINVAL);
    ck_assert_uint_eq(v, 7);            /* untouched on failure */
    ck_assert_int_eq(pv("", false, &v), -EINVAL);
    ck_assert_int_eq(pv("-5\n", false, &v), -EINVAL);
    ck_assert_int_eq(pv("12 34\n", false, &v), -EINVAL);
    ck_assert_int_eq(pv("12abc", false, &v), -EINVAL);
}
END_TEST

START_TEST(test_parse_value_unlimited)
{
    uint64_t v;
    ck_assert_int_eq(pv("max\n", true, &v), 0);
    ck_assert_uint_eq(v, MT_UNLIMITED);
    /* v1: PAGE_COUNTER_MAX * PAGE_SIZE at 4 KiB, 16 KiB and 64 KiB pages */
    ck_assert_int_eq(pv("9223372036854771712\n", true, &v), 0);
    ck_assert_uint_eq(v, MT_UNLIMITED);
    ck_assert_int_eq(pv("9223372036854759424\n", true, &v), 0);
    ck_assert_uint_eq(v, MT_UNLIMITED);
    ck_assert_int_eq(pv("9223372036854710272\n", true, &v), 0);
    ck_assert_uint_eq(v, MT_UNLIMITED);
    /* old res_counter kernels: LLONG_MAX; 32-bit kernels: 0x7fffffff pages */
    ck_assert_int_eq(pv("9223372036854775807\n", true, &v), 0);
    ck_assert_uint_eq(v, MT_UNLIMITED);
    ck_assert_int_eq(pv("8796093018112\n", true, &v), 0);
    ck_assert_uint_eq(v, MT_UNLIMITED);
    /* a real limit stays */
    ck_assert_int_eq(pv("536870912\n", true, &v), 0);
    ck_assert_uint_eq(v, 536870912);
    ck_assert_int_eq(pv("4611686018427387904\n", true, &v), 0);     /* exactly 2^62 */
    ck_assert_uint_eq(v, UINT64_C(4611686018427387904));
    ck_assert_int_eq(pv("4611686018427387905\n", true, &v), 0);
    ck_assert_uint_eq(v, MT_UNLIMITED);
    /* "max" is not a number where a plain value is expected... but the
     * parser accepts it uniformly; as a non-limit it maps to UINT64_MAX */
    ck_assert_int_eq(pv("maxi\n", true, &v), -EINVAL);
}
END_TEST

static const KeySlot map[] = {
    { "active_file", 3 }, { "anon", 0 }, { "file", 1 }, { "inactive_file", 2 },
};

START_TEST(test_parse_keyed_by_key)
{
    /* order does not matter; unknown keys are ignored; prefixes don't match */
    const char *a = "file 200\nanon 100\nfile_mapped 7\ninactive_file 50\nzzz 1\n";
    const char *b = "zzz 1\ninactive_file 50\nanon 100\nfile 200\nfile_mapped 7";
    uint64_t va[4] = { 0 }, vb[4] = { 0 };
    uint64_t fa = 0, fb = 0;
    ck_assert_int_eq(parse_keyed(a, strlen(a), map, 4, va, &fa), 3);
    ck_assert_int_eq(parse_keyed(b, strlen(b), map, 4, vb, &fb), 3);
    ck_assert_uint_eq(fa, 0x7);
    ck_assert_uint_eq(fb, 0x7);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(va[i], vb[i]);
    ck_assert_uint_eq(va[0], 100);
    ck_assert_uint_eq(va[1], 200);
    ck_assert_uint_eq(va[2], 50);
    /* missing key: bit clear, value untouched */
    ck_assert_uint_eq(va[3], 0);
    ck_assert(!(fa & 8));
}
END_TEST

START_TEST(test_parse_keyed_hostile)
{
    uint64_t v[4] = { 9, 9, 9, 9 };
    uint64_t f = 0;
    const char *s = "anon -5\nfile 18446744073709551615\ninactive_file 99999999999999999999\n"
                    "active_file 12 13\n\n   \nanon\n";
    parse_keyed(s, strlen(s), map, 4, v, &f);
    ck_assert_uint_eq(f, 0x2);          /* only "file" is a valid line */
    ck_assert_uint_eq(v[1], UINT64_MAX);
    ck_assert_uint_eq(v[0], 9);
    /* 10,000 keys, no trailing newline */
    size_t cap = 10000 * 24 + 32;
    char *big = malloc(cap), *p = big;
    for (int i = 0; i < 10000; i++)
        p += sprintf(p, "key_%d %d\n", i, i);
    p += sprintf(p, "anon 42");
    f = 0;
    ck_assert_int_eq(parse_keyed(big, (size_t)(p - big), map, 4, v, &f), 1);
    ck_assert_uint_eq(v[0], 42);
    free(big);
}
END_TEST

START_TEST(test_parse_psi)
{
    PsiValues p;
    const char *s = "some avg10=1.27 avg60=0.85 avg300=0.31 total=48211561\n"
                    "full avg10=0.40 avg60=0.22 avg300=0.08 total=15877902\n";
    ck_assert_int_eq(parse_psi(s, strlen(s), &p), 0);
    ck_assert_uint_eq(p.some_avg[0], 127);
    ck_assert_uint_eq(p.some_avg[1], 85);
    ck_assert_uint_eq(p.some_avg[2], 31);
    ck_assert_uint_eq(p.some_total, 48211561);
    ck_assert(p.has_full);
    ck_assert_uint_eq(p.full_avg[0], 40);
    ck_assert_uint_eq(p.full_total, 15877902);
    const char *onlysome = "some avg10=100.00 avg60=0.00 avg300=0.00 total=0\n";
    ck_assert_int_eq(parse_psi(onlysome, strlen(onlysome), &p), 0);
    ck_assert_uint_eq(p.some_avg[0], 10000);
    ck_assert(!p.has_full);
    const char *bad = "some avg10=x avg60=0.00 avg300=0.00 total=0\n";
    ck_assert_int_eq(parse_psi(bad, strlen(bad), &p), -EINVAL);
    ck_assert_int_eq(parse_psi("", 0, &p), -EINVAL);
}
END_TEST

START_TEST(test_parse_meminfo)
{
    MemInfo mi;
    const char *s = "MemTotal:       24684096 kB\nMemFree:        24170224 kB\n"
                    "MemAvailable:   24393992 kB\nSwapTotal:             0 kB\n"
                    "SwapFree:              0 kB\nHugePages_Total:       0\n";
    ck_assert_int_eq(parse_meminfo(s, strlen(s), &mi), 0);
    ck_assert_uint_eq(mi.mem_total, UINT64_C(24684096) * 1024);
    ck_assert_uint_eq(mi.mem_available, UINT64_C(24393992) * 1024);
    ck_assert_uint_eq(mi.swap_total, 0);
    ck_assert(mi.found & 4);
    ck_assert_int_eq(parse_meminfo("Foo: 1 kB\n", 10, &mi), -EINVAL);
}
END_TEST

START_TEST(test_parse_unescape)
{
    char out[64];
    const char *s = "/mnt/with\\040space\\134x\\011";
    ck_assert_int_eq(parse_unescape_octal(s, strlen(s), out, sizeof(out)), 18);
    ck_assert_str_eq(out, "/mnt/with space\\x\t");
    ck_assert_int_eq(parse_unescape_octal(s, strlen(s), out, 5), -ENAMETOOLONG);
    /* a backslash not followed by three octal digits stays */
    ck_assert_int_eq(parse_unescape_octal("a\\9", 3, out, sizeof(out)), 3);
    ck_assert_str_eq(out, "a\\9");
}
END_TEST

START_TEST(test_parse_mountinfo_line)
{
    const char *s = "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 master:2 - "
                    "cgroup cgroup rw,memory,hugetlb\nbroken line\n";
    const char *p = s, *end = s + strlen(s);
    MountLine m;
    ck_assert_int_eq(parse_mountinfo_line(&p, end, &m), 0);
    ck_assert_int_eq((int)m.fstype_len, 6);
    ck_assert(memcmp(m.mountpoint, "/sys/fs/cgroup/memory", m.mountpoint_len) == 0);
    ck_assert(parse_has_word(m.superopts, m.superopts_len, "memory", ','));
    ck_assert(parse_has_word(m.superopts, m.superopts_len, "hugetlb", ','));
    ck_assert(!parse_has_word(m.superopts, m.superopts_len, "mem", ','));
    ck_assert_int_eq(parse_mountinfo_line(&p, end, &m), -EINVAL);
    ck_assert_int_eq(parse_mountinfo_line(&p, end, &m), -ENOENT);
}
END_TEST

static Suite *parse_suite(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_parse_value_numbers);
    tcase_add_test(tc, test_parse_value_unlimited);
    tcase_add_test(tc, test_parse_keyed_by_key);
    tcase_add_test(tc, test_parse_keyed_hostile);
    tcase_add_test(tc, test_parse_psi);
    tcase_add_test(tc, test_parse_meminfo);
    tcase_add_test(tc, test_parse_unescape);
    tcase_add_test(tc, test_parse_mountinfo_line);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(parse_suite)
