/* xalloc.h - allocation that never returns NULL.  On failure the registered
 * fatal hook runs (the UI restores the terminal there), then memtop prints
 * one line and exits 1. */
#ifndef MEMTOP_XALLOC_H
#define MEMTOP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Called once before exiting on a fatal error; NULL to clear. */
void xalloc_set_fatal_hook(void (*hook)(void));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define MT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MT_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
