/* format.c - units and sanitizing. */
#include "config.h"

#include "util/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* snprintf(buf, len, "%s", text) */
static char *copy_text(char *buf, size_t len, const char *text)
{
    if (len > 0) {
        size_t n = strlen(text);
        if (n > len - 1)
            n = len - 1;
        memcpy(buf, text, n);
        buf[n] = '\0';
    }
    return buf;
}

/* snprintf(buf, len, "%.<decimals>f%s", x, suffix) for 0 <= x < 1e12 and
 * decimals <= 2, without printf's format parsing and exact-decimal
 * conversion (batch output formats ~7000 numbers per tick).  The result
 * is printf's, byte for byte: a value whose scaled fraction lies within
 * 1e-6 of a half, where the two roundings could differ, goes to snprintf. */
static char *fmt_fixed(char *buf, size_t len, double x, int decimals, const char *suffix)
{
    static const uint64_t scale[] = { 1, 10, 100 };
    char tmp[48];
    size_t n = 0;

    bool plain = x >= 0.0 && x < 1e12 && !signbit(x) && decimals >= 0 && decimals <= 2;
    double y = plain ? x * (double)scale[decimals] : 0, whole = floor(y), frac = y - whole;
    if (!plain || fabs(frac - 0.5) < 1e-6) {
        snprintf(buf, len, "%.*f%s", decimals, x, suffix);
        return buf;
    }
    uint64_t q = (uint64_t)whole + (frac > 0.5);
    uint64_t ip = q / scale[decimals], fp = q % scale[decimals];
    char digits[24];
    size_t nd = 0;
    do
        digits[nd++] = (char)('0' + ip % 10);
    while ((ip /= 10) > 0);
    while (nd > 0)
        tmp[n++] = digits[--nd];
    if (decimals > 0) {
        tmp[n++] = '.';
        if (decimals == 2)
            tmp[n++] = (char)('0' + fp / 10);
        tmp[n++] = (char)('0' + fp % 10);
    }
    for (const char *p = suffix; *p && n < sizeof(tmp) - 1; p++)
        tmp[n++] = *p;
    tmp[n] = '\0';
    return copy_text(buf, len, tmp);
}

char *fmt_bytes(char *buf, size_t len, uint64_t v, bool valid)
{
    static const char units[] = "BKMGTPE";
    if (!valid)
        return copy_text(buf, len, "-");
    if (v == UINT64_MAX)        /* MT_UNLIMITED of sample/fields.h */
        return copy_text(buf, len, "max");
    if (v < 1024)
        return fmt_fixed(buf, len, (double)v, 0, "B");
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
    const char unit[2] = { units[u], '\0' };
    return fmt_fixed(buf, len, x, x < 10.0 ? 2 : x < 100.0 ? 1 : 0, unit);
}

char *fmt_rate(char *buf, size_t len, double r)
{
    if (isnan(r) || r < 0)
        return copy_text(buf, len, "-");
    if (r < 10.0 && r != floor(r))
        return fmt_fixed(buf, len, r, 1, "");
    else if (r < 10000.0)
        return fmt_fixed(buf, len, r, 0, "");
    else if (r < 1e6)
        return fmt_fixed(buf, len, r / 1e3, 1, "k");
    else if (r < 1e9)
        return fmt_fixed(buf, len, r / 1e6, 1, "M");
    return fmt_fixed(buf, len, r / 1e9, 1, "G");
}

char *fmt_pct(char *buf, size_t len, double pct)
{
    if (isnan(pct))
        return copy_text(buf, len, "-");
    if (pct >= 999.5)
        return copy_text(buf, len, ">999");
    return fmt_fixed(buf, len, pct, 1, "");
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
