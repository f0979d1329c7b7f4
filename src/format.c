/* format.c - units and sanitizing. */
#include "config.h"

#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"

char *fmt_bytes(char *buf, size_t len, uint64_t v, bool valid)
{
    static const char units[] = "BKMGTPE";
    if (!valid) {
        snprintf(buf, len, "-");
        return buf;
    }
    if (v == MT_UNLIMITED) {
        snprintf(buf, len, "max");
        return buf;
    }
    if (v < 1024) {
        snprintf(buf, len, "%uB", (unsigned)v);
        return buf;
    }
    double x = (double)v;
    int u = 0;
    while (x >= 1024.0 && u < 6) {
        x /= 1024.0;
        u++;
    }
    /* Keep 3 significant digits; never print "1024.0". */
    if (x >= 1000.0 && u < 6) {
        x /= 1024.0;
        u++;
    }
    if (x < 10.0)
        snprintf(buf, len, "%.2f%c", x, units[u]);
    else if (x < 100.0)
        snprintf(buf, len, "%.1f%c", x, units[u]);
    else
        snprintf(buf, len, "%.0f%c", x, units[u]);
    return buf;
}

char *fmt_rate(char *buf, size_t len, double r)
{
    if (isnan(r) || r < 0) {
        snprintf(buf, len, "-");
        return buf;
    }
    if (r < 10.0 && r != floor(r))
        snprintf(buf, len, "%.1f", r);
    else if (r < 10000.0)
        snprintf(buf, len, "%.0f", r);
    else if (r < 1e6)
        snprintf(buf, len, "%.1fk", r / 1e3);
    else if (r < 1e9)
        snprintf(buf, len, "%.1fM", r / 1e6);
    else
        snprintf(buf, len, "%.1fG", r / 1e9);
    return buf;
}

char *fmt_pct(char *buf, size_t len, double pct)
{
    if (isnan(pct))
        snprintf(buf, len, "-");
    else if (pct >= 999.5)
        snprintf(buf, len, ">999");
    else
        snprintf(buf, len, "%.1f", pct);
    return buf;
}

char *fmt_eta(char *buf, size_t len, double s, bool ascii)
{
    if (isnan(s) || s < 0 || s > 24 * 3600.0)
        snprintf(buf, len, "%s", ascii ? "-" : "\xe2\x80\x94");
    else if (s < 60)
        snprintf(buf, len, "< 1 min");
    else if (s < 3600)
        snprintf(buf, len, "~%.0f min", s / 60.0);
    else
        snprintf(buf, len, "~%.0f h", s / 3600.0);
    return buf;
}

int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    int len;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2; v = c & 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3; v = c & 0x0F; min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    if (n < (size_t)len)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Characters that must never reach a terminal: C0, DEL, C1, and the
 * Unicode bidi/format controls that can reorder what an operator sees. */
static bool is_dangerous(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

size_t sanitize_text(char *dst, size_t dstlen, const char *src, size_t srclen,
                     size_t max_chars, bool utf8_out)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t o = 0, chars = 0, i = 0;

    if (dstlen == 0)
        return 0;
    while (i < srclen && s[i] && (max_chars == 0 || chars < max_chars)) {
        /* Printable ASCII, nearly every byte of a cgroup path, is copied a
         * run at a time (batch output sanitizes a path per row per tick). */
        size_t run = 0;
        while (i + run < srclen && s[i + run] >= 0x20 && s[i + run] < 0x7F &&
               o + run + 1 < dstlen && (max_chars == 0 || chars + run < max_chars))
            run++;
        if (run > 0) {
            memcpy(dst + o, s + i, run);
            o += run;
            chars += run;
            i += run;
            continue;
        }
        uint32_t cp;
        int n = utf8_decode(s + i, srclen - i, &cp);
        const char *rep = NULL;
        size_t replen;
        if (n == 0) {
            rep = utf8_out ? "\xef\xbf\xbd" : "?";
            n = 1;
        } else if (is_dangerous(cp)) {
            rep = "?";
        } else if (!utf8_out && cp >= 0x80) {
            rep = "?";
        }
        if (rep) {
            replen = strlen(rep);
        } else {
            rep = (const char *)s + i;
            replen = (size_t)n;
        }
        if (o + replen + 1 > dstlen)
            break;
        memcpy(dst + o, rep, replen);
        o += replen;
        chars++;
        i += (size_t)n;
    }
    dst[o] = '\0';
    return chars;
}
