/* metrics_fmt.c - the exposition's text primitives: the growable buffer,
 * numbers (exact integers, C-locale doubles, microseconds as seconds) and
 * escaped, UTF-8-safe label values. */
#include "config.h"

#include "output/metrics.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/format.h"
#include "util/xalloc.h"

/* ---- buffer ------------------------------------------------------------ */

void metrics_buf_init(MetricsBuf *b)
{
    memset(b, 0, sizeof(*b));
}

void metrics_buf_free(MetricsBuf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

char *metrics_buf_reserve(MetricsBuf *b, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n + 1)
            cap *= 2;
        b->p = xreallocarray(b->p, cap, 1);
        b->cap = cap;
    }
    return b->p + b->len;
}

void metrics_buf_add(MetricsBuf *b, const char *s, size_t n)
{
    char *w = metrics_buf_reserve(b, n);
    memcpy(w, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* ---- numbers ----------------------------------------------------------- */

/* Decimal digits of v into the end of a 24-byte scratch; returns the start. */
static char *u64_digits(char end[24], uint64_t v)
{
    char *p = end + 23;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

size_t metrics_format_u64(char *buf, uint64_t v)
{
    char tmp[24];
    char *p = u64_digits(tmp, v);
    size_t n = (size_t)(tmp + 23 - p);
    memcpy(buf, p, n + 1);
    return n;
}

/* The C locale for %g: a curses program has called setlocale(LC_ALL, ""),
 * and a decimal comma would break both formats. */
static locale_t c_locale(void)
{
    static locale_t loc;
    if (!loc)
        loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    return loc;
}

size_t metrics_format_double(char *buf, size_t len, double v)
{
    if (isnan(v))
        return (size_t)snprintf(buf, len, "NaN");
    if (isinf(v))
        return (size_t)snprintf(buf, len, v > 0 ? "+Inf" : "-Inf");
    if (v == floor(v) && fabs(v) <= 9007199254740992.0) {
        if (v < 0) {
            buf[0] = '-';
            return 1 + metrics_format_u64(buf + 1, (uint64_t)-v);
        }
        return metrics_format_u64(buf, (uint64_t)v);
    }
    locale_t c = c_locale();
    locale_t old = c ? uselocale(c) : (locale_t)0;
    int n = snprintf(buf, len, "%.15g", v);
    if (c)
        uselocale(old);
    return n < 0 ? 0 : (size_t)n;
}

/* Microseconds as seconds, exactly: "12.000345". */
size_t metrics_format_usec(char *buf, uint64_t us)
{
    size_t n = metrics_format_u64(buf, us / 1000000);
    uint64_t frac = us % 1000000;
    buf[n++] = '.';
    for (uint64_t d = 100000; d; d /= 10)
        buf[n++] = (char)('0' + (frac / d) % 10);
    buf[n] = '\0';
    return n;
}

/* ---- label values -------------------------------------------------------- */

void metrics_escape_label(MetricsBuf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    char *w = metrics_buf_reserve(b, len * 3);  /* worst case: U+FFFD per byte */
    size_t o = 0;

    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7F) {
            if (c == '\\' || c == '"')
                w[o++] = '\\';
            w[o++] = (char)c;
            i++;
            continue;
        }
        if (c == '\n') {
            w[o++] = '\\';
            w[o++] = 'n';
            i++;
            continue;
        }
        if (c < 0x80) {                 /* other C0 controls, DEL */
            w[o++] = '?';
            i++;
            continue;
        }
        uint32_t cp;
        int n = utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            memcpy(w + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        } else if (cp < 0xA0) {         /* C1 controls */
            w[o++] = '?';
            i += (size_t)n;
        } else {
            memcpy(w + o, p + i, (size_t)n);
            o += (size_t)n;
            i += (size_t)n;
        }
    }
    b->len += o;
    b->p[b->len] = '\0';
}

