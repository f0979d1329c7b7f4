/* check_options.c - command line parsing and its error messages. */
#include "config.h"

#include "common.h"
#include "cli/options.h"

static int parse(Options *o, char *err, const char *a1, const char *a2, const char *a3)
{
    char *argv[5] = { (char *)"memtop", (char *)a1, (char *)a2, (char *)a3, NULL };
    int argc = 1 + (a1 != NULL) + (a2 != NULL) + (a3 != NULL);
    return options_parse(o, argc, argv, err, 256);
}

START_TEST(test_options_defaults)
{
    Options o;
    char err[256];
    ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), 0);
    ck_assert_int_eq(o.mode, MT_RUN_AUTO);
    ck_assert_str_eq(o.root, "/");
    ck_assert(o.delay == 2.0);
    ck_assert_int_eq(o.sort, MT_COL_WS);
    ck_assert_uint_eq(o.history, 600);
}
END_TEST

START_TEST(test_options_values)
{
    Options o;
    char err[256];
    ck_assert_int_eq(parse(&o, err, "-b", "-n", "3"), 0);
    ck_assert_int_eq(o.mode, MT_RUN_BATCH);
    ck_assert_int_eq(o.iterations, 3);
    ck_assert_int_eq(parse(&o, err, "--json", "--sort=cache", "-d0.2"), 0);
    ck_assert_int_eq(o.mode, MT_RUN_JSON);
    ck_assert_int_eq(o.sort, MT_COL_FILE);
    ck_assert(o.delay == 0.2);
    ck_assert_int_eq(parse(&o, err, "--sort", "RSS", "-ar"), 0);
    ck_assert_int_eq(o.sort, MT_COL_ANON);
    ck_assert(o.all && o.raw);
    ck_assert_int_eq(parse(&o, err, "--root", "/tmp/x", "--history=30"), 0);
    ck_assert_str_eq(o.root, "/tmp/x");
    ck_assert_uint_eq(o.history, 30);
}
END_TEST

START_TEST(test_options_errors)
{
    Options o;
    char err[256];
    ck_assert_int_eq(parse(&o, err, "--sort", "bogus", NULL), -1);
    ck_assert_str_eq(err, "unknown sort key 'bogus' (see --help for the list)");
    ck_assert_int_eq(parse(&o, err, "-d", "0.1", NULL), -1);
    ck_assert(strstr(err, "invalid --delay '0.1'") != NULL);
    ck_assert_int_eq(parse(&o, err, "-d", "2x", NULL), -1);
    ck_assert_int_eq(parse(&o, err, "-n", "-1", NULL), -1);
    ck_assert_int_eq(parse(&o, err, "--bogus", NULL, NULL), -1);
    ck_assert(strstr(err, "unknown option '--bogus'") != NULL);
    ck_assert_int_eq(parse(&o, err, "-Z", NULL, NULL), -1);
    ck_assert(strstr(err, "unknown option '-Z'") != NULL);
    ck_assert_int_eq(parse(&o, err, "-n", NULL, NULL), -1);
    ck_assert(strstr(err, "needs an argument") != NULL);
    ck_assert_int_eq(parse(&o, err, "extra", NULL, NULL), -1);
    ck_assert(strstr(err, "unexpected argument 'extra'") != NULL);
    ck_assert_int_eq(parse(&o, err, "--history", "1", NULL), -1);
    ck_assert(strchr(err, '\n') == NULL);
}
END_TEST

START_TEST(test_options_bus)
{
    Options o;
    char err[256];
    ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), 0);
    ck_assert(!o.no_bus);
    ck_assert_ptr_null(o.bus_address);
    ck_assert_int_eq(parse(&o, err, "--no-bus", "--bus-address", "unix:path=/x"), 0);
    ck_assert(o.no_bus);
    ck_assert_str_eq(o.bus_address, "unix:path=/x");
    ck_assert_int_eq(parse(&o, err, "--bus-address", "", NULL), -1);
    ck_assert(strstr(err, "invalid --bus-address") != NULL);
    ck_assert_int_eq(parse(&o, err, "--bus-address", NULL, NULL), -1);
    ck_assert(strstr(err, "needs an argument") != NULL);
}
END_TEST

static Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_options_defaults);
    tcase_add_test(tc, test_options_values);
    tcase_add_test(tc, test_options_errors);
    tcase_add_test(tc, test_options_bus);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(options_suite)
