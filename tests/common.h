/* common.h - shared helpers for the Check unit tests.
 *
 * Each test binary defines suite_main() with its TCases and uses MT_MAIN.
 * Fixture trees live in tests/fixtures (FIXTURES is the absolute source
 * path, so VPATH builds and distcheck work).  Tests that mutate a tree
 * copy it to a temporary directory first. */
#ifndef MEMTOP_TESTS_COMMON_H
#define MEMTOP_TESTS_COMMON_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MT_FIXTURE(name) FIXTURES "/" name

/* Copy a fixture tree to a fresh temporary directory; returns its path
 * (static buffer per call site is the caller's job: we return malloc'd). */
static inline char *fixture_copy(const char *name)
{
    char tmpl[] = "/tmp/memtop-test-XXXXXX";
    char cmd[4096];
    char *dir = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(dir);
    snprintf(cmd, sizeof(cmd), "cp -a '%s/%s/.' '%s/'", FIXTURES, name, dir);
    ck_assert_int_eq(system(cmd), 0);
    return strdup(dir);
}

static inline void fixture_remove(char *dir)
{
    char cmd[4096];
    if (!dir)
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", dir);
    free(dir);
}

/* Write text to dir/rel (creating nothing else). */
static inline void fixture_write(const char *dir, const char *rel, const char *text)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

#define MT_MAIN(suite_fn)                                       \
    int main(void)                                              \
    {                                                           \
        SRunner *sr = srunner_create(suite_fn());               \
        srunner_run_all(sr, CK_ENV);                            \
        int failed = srunner_ntests_failed(sr);                 \
        srunner_free(sr);                                       \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;            \
    }

#endif
