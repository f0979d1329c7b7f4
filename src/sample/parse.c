/* parse.c - pure parsers, see parse.h for the contracts. */
#include "config.h"

#include "sample/parse.h"

#include <errno.h>
#include <string.h>

#include "sample/fields.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

int parse_u64(const char **p, const char *end, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;

    if (s >= end || *s < '0' || *s > '9')
        return -EINVAL;
    for (; s < end && *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -ERANGE;
        v = v * 10 + d;
    }
    *p = s;
    *out = v;
    return 0;
}

int parse_value(const char *buf, size_t len, bool as_limit, uint64_t *out)
{
    const char *p = buf, *end = buf + len;
    uint64_t v;

    while (p < end && is_space(*p))
        p++;
    if (end - p >= 3 && memcmp(p, "max", 3) == 0) {
        p += 3;
        v = MT_UNLIMITED;
    } else {
        int r = parse_u64(&p, end, &v);
        if (r == -ERANGE && as_limit) {
            /* A limit too large for u64 is certainly unlimited. */
            while (p < end && *p >= '0' && *p <= '9')
                p++;
            v = MT_UNLIMITED;
        } else if (r < 0) {
            return -EINVAL;
        }
    }
    while (p < end && (is_space(*p) || *p == '\n'))
        p++;
    if (p != end)
        return -EINVAL;
    if (as_limit && v != MT_UNLIMITED) {
        /* 64-bit: PAGE_COUNTER_MAX * PAGE_SIZE is LONG_MAX rounded down;
         * 32-bit kernels print 0x7fffffff pages (8796093018112 at 4 KiB). */
        if (v > MT_UNLIMITED_THRESHOLD || v == UINT64_C(0x7fffffff) * 4096 ||
            v == UINT64_C(0x7fffffff) * 16384 || v == UINT64_C(0x7fffffff) * 65536)
            v = MT_UNLIMITED;
    }
    *out = v;
    return 0;
}

static int keyslot_find(const KeySlot *map, size_t nmap, const char *key, size_t klen)
{
    size_t lo = 0, hi = nmap;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        /* Length-bounded compare: key comes from the file and may hold NUL
         * bytes, so strncmp (which stops at a NUL and then let us index
         * past the end of map[mid].key) is not safe here.  memcmp plus
         * "shorter is smaller" is the same order strcmp sorted the map in. */
        size_t ml = strlen(map[mid].key);
        int c = memcmp(key, map[mid].key, klen < ml ? klen : ml);
        if (c == 0)
            c = klen < ml ? -1 : klen > ml;
        if (c == 0)
            return map[mid].slot;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

int parse_keyed(const char *buf, size_t len, const KeySlot *map, size_t nmap,
                uint64_t *vals, uint64_t *found)
{
    const char *p = buf, *end = buf + len;
    int stored = 0;

    while (p < end) {
        const char *line = p, *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        p = eol < end ? eol + 1 : end;

        const char *k = line;
        while (k < eol && !is_space(*k))
            k++;
        size_t klen = (size_t)(k - line);
        if (klen == 0 || k == eol)
            continue;
        int slot = keyslot_find(map, nmap, line, klen);
        if (slot < 0 || slot >= 64)
            continue;
        while (k < eol && is_space(*k))
            k++;
        uint64_t v;
        const char *q = k;
        if (parse_u64(&q, eol, &v) < 0)
            continue;   /* negative text, garbage or overflow: not a value */
        while (q < eol && is_space(*q))
            q++;
        if (q != eol)
            continue;
        vals[slot] = v;
        *found |= UINT64_C(1) << slot;
        stored++;
    }
    return stored;
}

/* Parse "12.34" into 1234 (percent * 100). */
static int parse_pct100(const char **p, const char *end, uint64_t *out)
{
    uint64_t ip, frac = 0;
    int digits = 0;

    if (parse_u64(p, end, &ip) < 0 || ip > 100000)
        return -EINVAL;
    if (*p < end && **p == '.') {
        (*p)++;
        while (*p < end && **p >= '0' && **p <= '9') {
            if (digits < 2)
                frac = frac * 10 + (uint64_t)(**p - '0');
            else if (digits == 2 && **p >= '5')
                frac++;             /* round the third decimal */
            digits++;
            (*p)++;
        }
        if (digits == 1)
            frac *= 10;
    }
    *out = ip * 100 + frac;
    return 0;
}

static int parse_psi_line(const char *p, const char *end, uint64_t avg[3], uint64_t *total)
{
    static const char *const names[4] = { "avg10=", "avg60=", "avg300=", "total=" };
    uint64_t vals[4];

    for (int i = 0; i < 4; i++) {
        size_t n = strlen(names[i]);
        while (p < end && is_space(*p))
            p++;
        if ((size_t)(end - p) < n || memcmp(p, names[i], n) != 0)
            return -EINVAL;
        p += n;
        int r = i < 3 ? parse_pct100(&p, end, &vals[i]) : parse_u64(&p, end, &vals[i]);
        if (r < 0)
            return -EINVAL;
    }
    memcpy(avg, vals, 3 * sizeof(uint64_t));
    *total = vals[3];
    return 0;
}

int parse_psi(const char *buf, size_t len, PsiValues *out)
{
    PsiValues v;
    const char *p = buf, *end = buf + len;

    memset(&v, 0, sizeof(v));
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (eol - p > 5 && memcmp(p, "some ", 5) == 0)
            v.has_some = parse_psi_line(p + 5, eol, v.some_avg, &v.some_total) == 0;
        else if (eol - p > 5 && memcmp(p, "full ", 5) == 0)
            v.has_full = parse_psi_line(p + 5, eol, v.full_avg, &v.full_total) == 0;
        p = eol < end ? eol + 1 : end;
    }
    if (!v.has_some)
        return -EINVAL;
    *out = v;
    return 0;
}

int parse_meminfo(const char *buf, size_t len, MemInfo *out)
{
    /* Sorted by strcmp for parse_keyed-like lookup. */
    static const KeySlot map[] = {
        { "Active(file)", 6 }, { "Buffers", 3 }, { "Cached", 4 },
        { "Inactive(file)", 7 }, { "MemAvailable", 2 }, { "MemFree", 1 },
        { "MemTotal", 0 }, { "Shmem", 5 }, { "SwapFree", 9 }, { "SwapTotal", 8 },
    };
    uint64_t vals[MEMINFO_NFIELDS] = { 0 };
    uint32_t found = 0;
    const char *p = buf, *end = buf + len;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        if (colon) {
            int slot = keyslot_find(map, sizeof(map) / sizeof(map[0]), p, (size_t)(colon - p));
            const char *q = colon + 1;
            while (q < eol && is_space(*q))
                q++;
            uint64_t v;
            if (slot >= 0 && parse_u64(&q, eol, &v) == 0) {
                while (q < eol && is_space(*q))
                    q++;
                bool kb = eol - q >= 2 && memcmp(q, "kB", 2) == 0;
                if (!kb || v <= UINT64_MAX / 1024) {
                    vals[slot] = kb ? v * 1024 : v;
                    found |= 1u << slot;
                }
            }
        }
        p = eol < end ? eol + 1 : end;
    }
    if (!(found & 1u))
        return -EINVAL;         /* no MemTotal: not a meminfo file */
    out->mem_total = vals[0];
    out->mem_free = vals[1];
    out->mem_available = vals[2];
    out->buffers = vals[3];
    out->cached = vals[4];
    out->shmem = vals[5];
    out->active_file = vals[6];
    out->inactive_file = vals[7];
    out->swap_total = vals[8];
    out->swap_free = vals[9];
    out->found = found;
    return 0;
}

int parse_unescape_octal(const char *s, size_t len, char *out, size_t outlen)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\\' && i + 3 < len &&
            s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
            s[i + 3] >= '0' && s[i + 3] <= '7') {
            c = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
            i += 3;
        }
        if (o + 1 >= outlen)
            return -ENAMETOOLONG;
        out[o++] = c;
    }
    if (outlen == 0)
        return -ENAMETOOLONG;
    out[o] = '\0';
    return (int)o;
}

/* Next space-separated field of [*p, end); returns its length, 0 if none. */
static size_t next_field(const char **p, const char *end, const char **start)
{
    while (*p < end && **p == ' ')
        (*p)++;
    *start = *p;
    while (*p < end && **p != ' ')
        (*p)++;
    return (size_t)(*p - *start);
}

int parse_mountinfo_line(const char **pp, const char *end, MountLine *out)
{
    const char *p = *pp;
    const char *f;
    size_t n;
    MountLine m;

    if (p >= end)
        return -ENOENT;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    *pp = eol < end ? eol + 1 : end;

    /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [optional...] - FSTYPE SOURCE SUPEROPTS */
    for (int i = 0; i < 3; i++)
        if (next_field(&p, eol, &f) == 0)
            return -EINVAL;
    if ((m.root_len = next_field(&p, eol, &m.root)) == 0)
        return -EINVAL;
    if ((m.mountpoint_len = next_field(&p, eol, &m.mountpoint)) == 0)
        return -EINVAL;
    if (next_field(&p, eol, &f) == 0)
        return -EINVAL;
    for (;;) {
        n = next_field(&p, eol, &f);
        if (n == 0)
            return -EINVAL;
        if (n == 1 && f[0] == '-')
            break;
    }
    if ((m.fstype_len = next_field(&p, eol, &m.fstype)) == 0)
        return -EINVAL;
    if (next_field(&p, eol, &f) == 0)
        return -EINVAL;
    m.superopts_len = next_field(&p, eol, &m.superopts);
    *out = m;
    return 0;
}

bool parse_has_word(const char *opts, size_t len, const char *word, char sep)
{
    size_t wl = strlen(word);
    const char *p = opts, *end = opts + len;

    while (p < end) {
        const char *q = p;
        while (q < end && *q != sep && *q != '\n' && !(sep == ' ' && *q == '\t'))
            q++;
        if ((size_t)(q - p) == wl && memcmp(p, word, wl) == 0)
            return true;
        p = q + 1;
    }
    return false;
}
