/* xalloc.c - allocation wrappers and the fatal-error exit path. */
#include "config.h"

#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*fatal_hook)(void);

void xalloc_set_fatal_hook(void (*hook)(void))
{
    fatal_hook = hook;
}

void fatal(const char *fmt, ...)
{
    va_list ap;

    if (fatal_hook) {
        void (*h)(void) = fatal_hook;
        fatal_hook = NULL;
        h();
    }
    fputs("memtop: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        fatal("out of memory allocating %zu bytes", n);
    return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        fatal("out of memory allocating %zu x %zu bytes", nmemb, size);
    return p;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
    if (size && nmemb > ((size_t)-1) / size)
        fatal("allocation overflow (%zu x %zu)", nmemb, size);
    size_t bytes = nmemb * size;
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q)
        fatal("out of memory allocating %zu x %zu bytes", nmemb, size);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = xmalloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}
