/* common.h - shared helpers for the Check unit tests.
 *
 * Each test binary builds its Suite in a function and uses MT_MAIN on it.
 * Fixture trees live in tests/fixtures (FIXTURES is the absolute source
 * path, so VPATH builds and distcheck work).  Tests that mutate a tree
 * copy it to a temporary directory first (fixture_copy) or build one in an
 * empty one (fixture_tmpdir, fixture_mkdir, fixture_write). */
#ifndef MEMTOP_TESTS_COMMON_H
#define MEMTOP_TESTS_COMMON_H

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MT_FIXTURE(name) FIXTURES "/" name

/* A fresh empty temporary directory below $TMPDIR (default /tmp); returns
 * its malloc'd path, for fixture_remove(). */
static inline char *fixture_tmpdir(void)
{
    char tmpl[4096];
    const char *base = getenv("TMPDIR");
    snprintf(tmpl, sizeof(tmpl), "%s/memtop-test-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_msg(mkdtemp(tmpl) != NULL, "mkdtemp %s: %s", tmpl, strerror(errno));
    return strdup(tmpl);
}

/* Copy fixture tree name to a fresh temporary directory; returns its
 * malloc'd path, for fixture_remove(). */
static inline char *fixture_copy(const char *name)
{
    char cmd[8192];
    char *dir = fixture_tmpdir();
    snprintf(cmd, sizeof(cmd), "cp -a '%s/%s/.' '%s/'", FIXTURES, name, dir);
    ck_assert_int_eq(system(cmd), 0);
    return dir;
}

/* Remove a directory of fixture_tmpdir() or fixture_copy() and free its
 * path; NULL is ignored. */
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

/* Create directory dir/rel and its missing parents below dir. */
static inline void fixture_mkdir(const char *dir, const char *rel)
{
    char path[8192];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    for (char *s = path + strlen(dir) + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", path,
                      strerror(errno));
        *s = c;
        if (!c)
            break;
    }
}

/* Write formatted text to dir/rel (creating nothing else). */
static inline void fixture_vprintf(const char *dir, const char *rel, const char *fmt, va_list ap)
{
    char path[8192];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    vfprintf(f, fmt, ap);
    fclose(f);
}

static inline void fixture_printf(const char *dir, const char *rel, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static inline void fixture_printf(const char *dir, const char *rel, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fixture_vprintf(dir, rel, fmt, ap);
    va_end(ap);
}

/* Write text to dir/rel (creating nothing else). */
static inline void fixture_write(const char *dir, const char *rel, const char *text)
{
    fixture_printf(dir, rel, "%s", text);
}

/* Replace the value of the "key <n>" lines of keyed file dir/rel.  The
 * file is rewritten in place: memtop keeps files open, so the inode must
 * stay the same (as it does for real cgroupfs files). */
static inline void fixture_set_key(const char *dir, const char *rel, const char *key,
                                   unsigned long long v)
{
    char path[8192], line[512];
    char *out = NULL;
    size_t outlen = 0;
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    FILE *o = open_memstream(&out, &outlen);
    ck_assert_ptr_nonnull(o);
    size_t kl = strlen(key);
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, key, kl) == 0 && line[kl] == ' ')
            fprintf(o, "%s %llu\n", key, v);
        else
            fputs(line, o);
    }
    fclose(f);
    fclose(o);
    fixture_write(dir, rel, out);
    free(out);
}

/* main() of a test binary: run suite_fn()'s suite (CK_VERBOSITY picks the
 * output), exit status 1 if any test failed. */
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
