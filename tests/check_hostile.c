/* check_hostile.c - hostile input through the parsers, the reader and the
 * outputs: NUL bytes inside keys (found by fuzz_keyed), absurd values,
 * files longer than the read buffer, and cgroup names made of escape
 * sequences, C1 controls, newlines, invalid UTF-8 and 255 bytes.  Nothing
 * may crash, no value may be made up, and neither the batch table nor the
 * JSON may carry a raw control byte. */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <sys/stat.h>

#include "common.h"
#include "sample/model.h"
#include "output/batch.h"
#include "output/json.h"
#include "sample/parse.h"

#define H64(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define MEMROOT "sys/fs/cgroup/memory"
#define DOCKER_A "/docker/" H64("a1")

static Model m;
static char *dir;

static void open_copy(void)
{
    ModelOptions o;
    char err[512];

    dir = fixture_copy("v1-layouts");
    model_options_default(&o);
    o.root = dir;
    o.history = 4;
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "model_open: %s", err);
}

static void close_copy(void)
{
    model_close(&m);
    fixture_remove(dir);
    dir = NULL;
}

static void write_stat(const char *text, size_t len)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s/" MEMROOT DOCKER_A "/memory.stat", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

START_TEST(test_nul_inside_key)
{
    /* Regression: keyslot_find used strncmp and then indexed the map key at
     * the input key's length, reading past its end. */
    static const KeySlot map[] = { { "total_rss", 0 } };
    static const char buf[] = "total_rss\0\0\0\0\0\0\0\0\0\0\0\0 5\n";
    uint64_t vals[1] = { 0 }, found = 0;
    ck_assert_int_eq(parse_keyed(buf, sizeof(buf) - 1, map, 1, vals, &found), 0);
    ck_assert_uint_eq(found, 0);
    MemInfo mi;
    static const char mem[] = "MemTotal\0\0\0\0\0\0\0\0: 4 kB\nMemTotal: 8 kB";
    ck_assert_int_eq(parse_meminfo(mem, sizeof(mem) - 1, &mi), 0);
    ck_assert_uint_eq(mi.mem_total, 8192);
}
END_TEST

START_TEST(test_absurd_values)
{
    static const char stat[] =
        "total_rss 18446744073709551615\n"      /* 2^64-1: kept */
        "total_cache -5\n"                      /* negative text: invalid */
        "total_inactive_file 18446744073709551616\n"    /* overflow: invalid */
        "total_mapped_file 12abc\n"
        "total_shmem 42";                       /* no newline at the end */
    open_copy();
    write_stat(stat, sizeof(stat) - 1);
    model_tick(&m, 1000, 1000000000ull);
    model_tick(&m, 1002, 3000000000ull);
    CgEntry *e = model_find(&m, DOCKER_A);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->cur.v[MT_F_ANON], UINT64_MAX);
    ck_assert(!sample_has(&e->cur, MT_F_FILE));
    ck_assert(!sample_has(&e->cur, MT_F_INACTIVE_FILE));
    ck_assert_uint_eq(e->cur.v[MT_F_SHMEM], 42);
    if (e->d.ws_valid)
        ck_assert_uint_le(e->d.ws, e->cur.v[MT_F_USAGE]);
    FILE *f = fopen("/dev/null", "w");
    BatchOptions bo = { .show = MT_SHOW_ALL, .sort = MT_COL_WS, .header = true };
    ck_assert_int_ge(out_batch_write(f, &m, &bo), 0);
    bo.raw = true;
    ck_assert_int_ge(out_batch_write(f, &m, &bo), 0);
    ck_assert_int_ge(out_json_write(f, &m, MT_SHOW_ALL, MT_COL_WS, false, NULL, NULL), 0);
    fclose(f);
    close_copy();
}
END_TEST

START_TEST(test_ten_thousand_keys_and_cut_number)
{
    /* 10,000 unknown keys, then a value that straddles the 16 KiB read
     * buffer: it must come out invalid, never as its first digits. */
    size_t cap = 400000, len = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    len += (size_t)sprintf(s + len, "total_shmem 4096\n");
    for (int i = 0; i < 10000 && len < 16370 - 40; i++)
        len += (size_t)sprintf(s + len, "junk_%d %d\n", i, i);
    while (len < 16370)
        s[len++] = '#';     /* one long junk line up to just before the cut */
    s[len++] = '\n';
    len += (size_t)sprintf(s + len, "total_rss 123456789012345\n");  /* crosses 16383 */
    for (int i = 0; i < 10000; i++)
        len += (size_t)sprintf(s + len, "more_%d %d\n", i, i);
    open_copy();
    write_stat(s, len);
    model_tick(&m, 1000, 1000000000ull);
    CgEntry *e = model_find(&m, DOCKER_A);
    ck_assert_ptr_nonnull(e);
    ck_assert_msg(!sample_has(&e->cur, MT_F_ANON), "cut value parsed as %llu",
                  (unsigned long long)e->cur.v[MT_F_ANON]);
    ck_assert_uint_eq(e->cur.v[MT_F_SHMEM], 4096);
    free(s);
    close_copy();
}
END_TEST

/* No C0 (except the newline ending a line), DEL, C1 (raw or UTF-8
 * encoded) and only valid UTF-8. */
static void assert_clean(const char *buf, size_t len, const char *what)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        ck_assert_msg(c >= 0x20 || c == '\n', "%s: control byte 0x%02x at %zu", what, c, i);
        ck_assert_msg(c != 0x7f, "%s: DEL at %zu", what, i);
        ck_assert_msg(!(c == 0xc2 && i + 1 < len && (unsigned char)buf[i + 1] >= 0x80 &&
                        (unsigned char)buf[i + 1] <= 0x9f), "%s: UTF-8 C1 at %zu", what, i);
    }
}

START_TEST(test_hostile_names_in_output)
{
    static const char *const names[] = {
        "esc\033[2J\033]0;pwned\007x", "c1\302\2331;31m\302\234", "raw\233c1\205",
        "new\nline\rcr", "bad\377\376\300\200utf8", "docker-\033\033\033.scope",
        "tab\tbell\a\x7f",
    };
    char long_name[256];
    char path[4096];

    open_copy();
    memset(long_name, 'x', 255);
    long_name[255] = '\0';
    for (size_t i = 0; i <= sizeof(names) / sizeof(names[0]); i++) {
        const char *n = i < sizeof(names) / sizeof(names[0]) ? names[i] : long_name;
        snprintf(path, sizeof(path), "%s/" MEMROOT "/docker/%s", dir, n);
        ck_assert_msg(mkdir(path, 0755) == 0, "mkdir: %s", strerror(errno));
        snprintf(path, sizeof(path), "%s/" MEMROOT "/docker/%s/memory.usage_in_bytes", dir, n);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs("4096\n", f);
        fclose(f);
    }
    model_tick(&m, 1000, 1000000000ull);
    model_tick(&m, 1002, 3000000000ull);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    BatchOptions bo = { .show = MT_SHOW_ALL, .sort = MT_COL_WS, .header = true };
    ck_assert_int_ge(out_batch_write(f, &m, &bo), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "esc?[2J"));     /* the row is there, defused */
    assert_clean(buf, len, "batch");
    free(buf);

    f = open_memstream(&buf, &len);
    ck_assert_int_ge(out_json_write(f, &m, MT_SHOW_ALL, MT_COL_WS, false, NULL, NULL), 0);
    fclose(f);
    assert_clean(buf, len, "json");
    json_object *o = json_tokener_parse(buf);
    ck_assert_msg(o != NULL, "JSON does not parse");
    json_object *cgs;
    ck_assert(json_object_object_get_ex(o, "cgroups", &cgs));
    ck_assert_int_ge(json_object_array_length(cgs), 8 + 3);
    json_object_put(o);
    free(buf);
    close_copy();
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_nul_inside_key);
    tcase_add_test(tc, test_absurd_values);
    tcase_add_test(tc, test_ten_thousand_keys_and_cut_number);
    tcase_add_test(tc, test_hostile_names_in_output);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(hostile_suite)
