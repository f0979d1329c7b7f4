/* fuzz_clean.h - the property the fuzz targets check on every string memtop
 * derives from untrusted input before it shows it: NUL-terminated within
 * its buffer and, for sanitized text, free of C0/C1 controls, DEL and
 * invalid UTF-8.  A violation aborts (libFuzzer reports a crash). */
#ifndef MEMTOP_FUZZ_CLEAN_H
#define MEMTOP_FUZZ_CLEAN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/format.h"

/* s must be a string within cap bytes. */
static inline size_t fuzz_check_terminated(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == cap)
        abort();
    return n;
}

/* s must be a terminated string of printable, valid UTF-8. */
static inline void fuzz_check_clean(const char *s, size_t cap)
{
    size_t n = fuzz_check_terminated(s, cap);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            abort();
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (l <= 0 || (cp >= 0x80 && cp < 0xa0))
            abort();
        i += (size_t)l;
    }
}

#endif
