/* check_hist.c - minifloat codec bounds and the history ring. */
#include "config.h"

#include <math.h>

#include "common.h"
#include "sample/fields.h"
#include "sample/hist.h"

START_TEST(test_hist_codec_exact_small)
{
    for (uint64_t v = 0; v < 2048; v++)
        ck_assert_uint_eq(hist_decode(hist_encode(v)), v);
}
END_TEST

START_TEST(test_hist_codec_error_bound)
{
    uint64_t v = 2048;
    for (int i = 0; i < 4000; i++) {
        uint64_t d = hist_decode(hist_encode(v));
        double err = fabs((double)d - (double)v) / (double)v;
        ck_assert_msg(err <= 1.0 / 2048, "v=%llu d=%llu err=%g", (unsigned long long)v,
                      (unsigned long long)d, err);
        v = v + v / 97 + 13;
        if (v > (UINT64_C(1) << 41))
            break;
    }
    /* monotonic */
    HistVal prev = 0;
    for (uint64_t x = 1; x < (UINT64_C(1) << 40); x = x * 3 + 1) {
        HistVal c = hist_encode(x);
        ck_assert_uint_ge(c, prev);
        prev = c;
    }
    /* saturates below the sentinels */
    ck_assert_uint_eq(hist_encode(UINT64_MAX), HIST_MAX_CODE);
}
END_TEST

START_TEST(test_hist_codec_bytes_and_rates)
{
    ck_assert_uint_eq(hist_encode_bytes(MT_UNLIMITED), HIST_UNLIMITED);
    ck_assert_uint_eq(hist_decode_bytes(HIST_UNLIMITED), MT_UNLIMITED);
    ck_assert_uint_eq(hist_decode_bytes(hist_encode_bytes(512 * 1024 * 1024ULL)), 512 * 1024 * 1024ULL);
    uint64_t b = 432013312;
    double e = fabs((double)hist_decode_bytes(hist_encode_bytes(b)) - (double)b) / (double)b;
    ck_assert(e < 0.0006);
    ck_assert_uint_eq(hist_encode_rate(NAN), HIST_INVALID);
    ck_assert_uint_eq(hist_encode_rate(-1), HIST_INVALID);
    ck_assert(isnan(hist_decode_rate(HIST_INVALID)));
    ck_assert(fabs(hist_decode_rate(hist_encode_rate(12.5)) - 12.5) < 1e-9);
    ck_assert(fabs(hist_decode_rate(hist_encode_rate(500000.0)) - 500000.0) / 500000.0 < 0.001);
}
END_TEST

START_TEST(test_hist_ring)
{
    HistRing h;
    hist_init(&h, 4);
    ck_assert_ptr_null(hist_at(&h, 1));
    for (uint64_t s = 10; s <= 13; s++)
        hist_push(&h, s)->v[MT_H_WS] = (HistVal)s;
    ck_assert_uint_eq(hist_at(&h, 10)->v[MT_H_WS], 10);
    ck_assert_uint_eq(hist_at(&h, 13)->v[MT_H_WS], 13);
    ck_assert_ptr_null(hist_at(&h, 9));
    ck_assert_ptr_null(hist_at(&h, 14));
    /* wrap: 14 evicts 10 */
    hist_push(&h, 14)->v[MT_H_WS] = 14;
    ck_assert_ptr_null(hist_at(&h, 10));
    ck_assert_uint_eq(hist_at(&h, 11)->v[MT_H_WS], 11);
    /* a gap: missed ticks become invalid records */
    hist_push(&h, 16)->v[MT_H_WS] = 16;
    ck_assert_uint_eq(hist_at(&h, 15)->v[MT_H_WS], HIST_INVALID);
    ck_assert_uint_eq(hist_at(&h, 16)->v[MT_H_WS], 16);
    ck_assert_ptr_null(hist_at(&h, 12));
    /* a gap longer than the ring */
    hist_push(&h, 100)->v[MT_H_WS] = 100;
    ck_assert_ptr_null(hist_at(&h, 16));
    ck_assert_uint_eq(hist_at(&h, 97)->v[MT_H_WS], HIST_INVALID);
    hist_reset(&h);
    ck_assert_ptr_null(hist_at(&h, 100));
    hist_done(&h);
}
END_TEST

/* A long ring grows as ticks arrive; growing keeps every record at its
 * seq, gaps included, and stops at the history length asked for. */
START_TEST(test_hist_ring_grows)
{
    HistRing h;
    hist_init(&h, 600);
    for (uint64_t s = 5; s <= 2000; s++) {
        if (s % 97 == 0)
            continue;       /* the cgroup missed this tick */
        hist_push(&h, s)->v[MT_H_WS] = (HistVal)(s & 0x7fff);
        uint64_t oldest = s >= 600 + 4 ? s - 599 : 5;
        for (uint64_t q = oldest; q <= s; q += 7) {
            const HistRecord *r = hist_at(&h, q);
            ck_assert_ptr_nonnull(r);
            ck_assert_uint_eq(r->v[MT_H_WS], q % 97 == 0 ? HIST_INVALID : (q & 0x7fff));
        }
        ck_assert_ptr_null(hist_at(&h, oldest - 1));
    }
    ck_assert_uint_le(h.cap, 600);
    hist_done(&h);
}
END_TEST

static Suite *hist_suite(void)
{
    Suite *s = suite_create("hist");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_hist_codec_exact_small);
    tcase_add_test(tc, test_hist_codec_error_bound);
    tcase_add_test(tc, test_hist_codec_bytes_and_rates);
    tcase_add_test(tc, test_hist_ring);
    tcase_add_test(tc, test_hist_ring_grows);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(hist_suite)
