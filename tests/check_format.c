/* check_format.c - units and the terminal sanitizer. */
#include "config.h"

#include <math.h>

#include "common.h"
#include "sample/fields.h"
#include "util/format.h"
#include "util/xalloc.h"

START_TEST(test_fmt_bytes)
{
    char b[32];
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 0, true), "0B");
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 1023, true), "1023B");
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 1024, true), "1.00K");
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 1536, true), "1.50K");
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 432013312, true), "412M");
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 536870912, true), "512M");
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 1048576000, true), "0.98G");  /* not "1000M" */
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 25276514304ull, true), "23.5G");
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), 5, false), "-");
    ck_assert_str_eq(fmt_bytes(b, sizeof(b), MT_UNLIMITED, true), "max");
}
END_TEST

START_TEST(test_fmt_rate_pct_eta)
{
    char b[32];
    ck_assert_str_eq(fmt_rate(b, sizeof(b), NAN), "-");
    ck_assert_str_eq(fmt_rate(b, sizeof(b), 0), "0");
    ck_assert_str_eq(fmt_rate(b, sizeof(b), 2.5), "2.5");
    ck_assert_str_eq(fmt_rate(b, sizeof(b), 512), "512");
    ck_assert_str_eq(fmt_rate(b, sizeof(b), 48211.0), "48.2k");
    ck_assert_str_eq(fmt_pct(b, sizeof(b), 80.46), "80.5");
    ck_assert_str_eq(fmt_pct(b, sizeof(b), NAN), "-");
    ck_assert_str_eq(fmt_eta(b, sizeof(b), 30, true), "< 1 min");
    ck_assert_str_eq(fmt_eta(b, sizeof(b), 102, true), "~2 min");
    ck_assert_str_eq(fmt_eta(b, sizeof(b), 7200, true), "~2 h");
    ck_assert_str_eq(fmt_eta(b, sizeof(b), NAN, true), "-");
    ck_assert_str_eq(fmt_eta(b, sizeof(b), 90000, false), "\xe2\x80\x94");
}
END_TEST

/* The number formatters skip printf for speed; they must print exactly
 * what printf prints.  References: the same rules through snprintf. */
static void ref_bytes(char *buf, size_t len, uint64_t v)
{
    static const char units[] = "BKMGTPE";
    if (v == MT_UNLIMITED) {
        snprintf(buf, len, "max");
        return;
    }
    if (v < 1024) {
        snprintf(buf, len, "%uB", (unsigned)v);
        return;
    }
    double x = (double)v;
    int u = 0;
    while (x >= 1024.0 && u < 6)
        x /= 1024.0, u++;
    if (x >= 1000.0 && u < 6)
        x /= 1024.0, u++;
    snprintf(buf, len, x < 10.0 ? "%.2f%c" : x < 100.0 ? "%.1f%c" : "%.0f%c", x, units[u]);
}

static void ref_rate(char *buf, size_t len, double r)
{
    if (isnan(r) || r < 0)
        snprintf(buf, len, "-");
    else if (r < 10.0 && r != floor(r))
        snprintf(buf, len, "%.1f", r);
    else if (r < 10000.0)
        snprintf(buf, len, "%.0f", r);
    else if (r < 1e6)
        snprintf(buf, len, "%.1fk", r / 1e3);
    else if (r < 1e9)
        snprintf(buf, len, "%.1fM", r / 1e6);
    else
        snprintf(buf, len, "%.1fG", r / 1e9);
}

START_TEST(test_numbers_match_printf)
{
    char got[64], want[64];
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    /* Halves and near-halves at every precision, then random values over
     * all magnitudes. */
    static const double edges[] = { 0, 0.05, 0.15, 0.25, 0.45, 0.95, 0.995, 1.005, 2.5, 2.675,
                                    9.95, 9.995, 9.9951, 9.9949, 10.05, 99.95, 99.949999,
                                    999.5, 1000.5, 9999.5, 12345.65, 999999.5, 1e9, 123.45 };
    for (size_t i = 0; i < MT_ARRAY_SIZE(edges); i++) {
        for (double sc = 1; sc <= 1e9; sc *= 10) {
            double r = edges[i] * sc;
            ref_rate(want, sizeof(want), r);
            ck_assert_str_eq(fmt_rate(got, sizeof(got), r), want);
            snprintf(want, sizeof(want), r >= 999.5 ? ">999" : "%.1f", r);
            ck_assert_str_eq(fmt_pct(got, sizeof(got), r), want);
        }
    }
    for (int i = 0; i < 200000; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        uint64_t v = seed >> (seed % 64);
        ref_bytes(want, sizeof(want), v);
        ck_assert_str_eq(fmt_bytes(got, sizeof(got), v, true), want);
        ref_bytes(want, sizeof(want), v & ~0x3ffull);     /* whole KiB, as pages are */
        ck_assert_str_eq(fmt_bytes(got, sizeof(got), v & ~0x3ffull, true), want);
        double r = (double)(seed % 100000000) / (double)(1u << (seed % 20));
        ref_rate(want, sizeof(want), r);
        ck_assert_str_eq(fmt_rate(got, sizeof(got), r), want);
    }
    /* Truncated like snprintf. */
    ck_assert_str_eq(fmt_bytes(got, 4, 25276514304ull, true), "23.");
}
END_TEST

static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    return 0;
}

START_TEST(test_sanitize)
{
    char out[256];
    /* ESC sequence: the ESC goes, the rest is harmless text */
    sanitize_text(out, sizeof(out), "a\x1b[2Jb", 6, 0, true);
    ck_assert_str_eq(out, "a?[2Jb");
    /* newline, tab, DEL */
    sanitize_text(out, sizeof(out), "x\ny\tz\x7f", 6, 0, true);
    ck_assert_str_eq(out, "x?y?z?");
    /* C1 control U+009B (CSI) encoded in UTF-8, and a raw 0x9b byte */
    sanitize_text(out, sizeof(out), "\xc2\x9b" "1m\x9b", 5, 0, true);
    ck_assert_str_eq(out, "?1m\xef\xbf\xbd");
    /* invalid UTF-8 in ASCII mode; overlong encoding of '/' */
    sanitize_text(out, sizeof(out), "\xff\xc0\xaf", 3, 0, false);
    ck_assert_str_eq(out, "???");
    /* valid UTF-8 passes in UTF-8 mode, becomes ? in ASCII mode */
    sanitize_text(out, sizeof(out), "caf\xc3\xa9", 5, 0, true);
    ck_assert_str_eq(out, "caf\xc3\xa9");
    sanitize_text(out, sizeof(out), "caf\xc3\xa9", 5, 0, false);
    ck_assert_str_eq(out, "caf?");
    /* bidi override */
    sanitize_text(out, sizeof(out), "a\xe2\x80\xae" "b", 5, 0, true);
    ck_assert_str_eq(out, "a?b");
    /* max characters and small buffers never overflow */
    ck_assert_uint_eq(sanitize_text(out, sizeof(out), "abcdef", 6, 3, true), 3);
    ck_assert_str_eq(out, "abc");
    ck_assert_uint_eq(sanitize_text(out, 4, "abcdef", 6, 0, true), 3);
    ck_assert_str_eq(out, "abc");
    /* 255 random-ish bytes never yield a control byte */
    char in[256];
    for (int i = 0; i < 255; i++)
        in[i] = (char)(i * 37 + 1);
    in[255] = 0;
    sanitize_text(out, sizeof(out), in, 255, 0, true);
    ck_assert(!has_control(out));
}
END_TEST

static Suite *format_suite(void)
{
    Suite *s = suite_create("format");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_fmt_bytes);
    tcase_add_test(tc, test_fmt_rate_pct_eta);
    tcase_add_test(tc, test_numbers_match_printf);
    tcase_add_test(tc, test_sanitize);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(format_suite)
