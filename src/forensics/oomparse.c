/* oomparse.c - the kernel's OOM kill report lines and kmsg/dmesg records,
 * parsed: text in, struct out (see oomparse.h). */
#include "config.h"

#include "forensics/oomparse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Last occurrence of needle in [s, s+len), or NULL. */
static const char *memrmem(const char *s, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl > len)
        return NULL;
    for (size_t i = len - nl + 1; i-- > 0;)
        if (memcmp(s + i, needle, nl) == 0)
            return s + i;
    return NULL;
}

static void copy_span(char *dst, size_t dlen, const char *s, size_t n)
{
    if (n >= dlen)
        n = dlen - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Parse a decimal number at s (n bytes); -1 if none.  *used gets its length. */
static long parse_num(const char *s, size_t n, size_t *used)
{
    long v = 0;
    size_t i = 0;
    bool neg = false;

    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }
    size_t start = i;
    while (i < n && isdigit((unsigned char)s[i]) && v < LONG_MAX / 10 - 10)
        v = v * 10 + (s[i++] - '0');
    if (i == start)
        return LONG_MIN;
    if (used)
        *used = i;
    return neg ? -v : v;
}

static const char *skip_spaces(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

int oomlog_parse_kill_line(const char *s, size_t len, OomKillLine *out)
{
    const char *end = s + len;
    static const char tag[] = "oom-kill:";

    memset(out, 0, sizeof(*out));
    out->pid = out->uid = -1;
    s = skip_spaces(s, end);
    if ((size_t)(end - s) < sizeof(tag) - 1 || memcmp(s, tag, sizeof(tag) - 1) != 0)
        return -1;
    s += sizeof(tag) - 1;
    size_t n = (size_t)(end - s);
    /* Paths and the command may contain commas: anchor on the keys from
     * the right end (uid, pid, task) and from the left (memcgs). */
    const char *uidp = memrmem(s, n, ",uid=");
    const char *lim = uidp ? uidp : end;
    if (uidp)
        out->uid = parse_num(uidp + 5, (size_t)(end - uidp - 5), NULL);
    const char *pidp = memrmem(s, (size_t)(lim - s), ",pid=");
    if (!pidp)
        return -1;
    out->pid = parse_num(pidp + 5, (size_t)(lim - pidp - 5), NULL);
    if (out->pid < 0)
        return -1;
    const char *taskp = memrmem(s, (size_t)(pidp - s), ",task=");
    if (taskp)
        copy_span(out->task, sizeof(out->task), taskp + 6, (size_t)(pidp - taskp - 6));
    const char *tlim = taskp ? taskp : pidp;
    const char *tm = memmem(s, (size_t)(tlim - s), ",task_memcg=", 12);
    if (tm)
        copy_span(out->task_memcg, sizeof(out->task_memcg), tm + 12, (size_t)(tlim - tm - 12));
    const char *olim = tm ? tm : tlim;
    const char *om = memmem(s, (size_t)(olim - s), ",oom_memcg=", 11);
    if (om)
        copy_span(out->oom_memcg, sizeof(out->oom_memcg), om + 11, (size_t)(olim - om - 11));
    if (n > 11 && memcmp(s, "constraint=", 11) == 0) {
        const char *c = memchr(s + 11, ',', n - 11);
        copy_span(out->constraint, sizeof(out->constraint), s + 11,
                  (size_t)((c ? c : end) - s - 11));
    }
    return 0;
}

/* Value of "key:NkB" after from; UINT64_MAX if absent.  Result in bytes. */
static uint64_t kb_field(const char *from, const char *end, const char *key)
{
    size_t kl = strlen(key);
    const char *p = memmem(from, (size_t)(end - from), key, kl);
    if (!p)
        return UINT64_MAX;
    p += kl;
    size_t used;
    long v = parse_num(p, (size_t)(end - p), &used);
    if (v < 0)
        return UINT64_MAX;
    return (uint64_t)v * 1024;
}

static long num_field(const char *from, const char *end, const char *key, long dflt)
{
    size_t kl = strlen(key);
    const char *p = memmem(from, (size_t)(end - from), key, kl);
    if (!p)
        return dflt;
    long v = parse_num(p + kl, (size_t)(end - p - kl), NULL);
    return v == LONG_MIN ? dflt : v;
}

int oomlog_parse_killed_line(const char *s, size_t len, OomKilledLine *out)
{
    const char *end = s + len;
    static const char tag[] = "Killed process ";

    memset(out, 0, sizeof(*out));
    out->uid = -1;
    out->oom_score_adj = LONG_MIN;
    const char *p = memmem(s, len, tag, sizeof(tag) - 1);
    if (!p)
        return -1;
    out->memcg = memmem(s, (size_t)(p - s), "Memory cgroup out of memory", 27) != NULL;
    p += sizeof(tag) - 1;
    size_t used;
    out->pid = parse_num(p, (size_t)(end - p), &used);
    if (out->pid <= 0)
        return -1;
    p += used;
    if (end - p < 3 || p[0] != ' ' || p[1] != '(')
        return -1;
    p += 2;
    /* The command may contain ")" or spaces: prefer ") total-vm:". */
    const char *ce = memmem(p, (size_t)(end - p), ") total-vm:", 11);
    if (!ce)
        ce = memrmem(p, (size_t)(end - p), ")");
    if (!ce)
        return -1;
    copy_span(out->comm, sizeof(out->comm), p, (size_t)(ce - p));
    const char *f = ce + 1;
    out->total_vm = kb_field(f, end, "total-vm:");
    out->anon_rss = kb_field(f, end, "anon-rss:");
    out->file_rss = kb_field(f, end, "file-rss:");
    out->shmem_rss = kb_field(f, end, "shmem-rss:");
    out->pgtables = kb_field(f, end, "pgtables:");
    out->has_rss = out->anon_rss != UINT64_MAX && out->file_rss != UINT64_MAX;
    if (out->shmem_rss == UINT64_MAX)
        out->shmem_rss = 0;     /* older kernels: shmem-rss did not exist */
    out->uid = num_field(f, end, "UID:", -1);
    out->oom_score_adj = num_field(f, end, "oom_score_adj:", LONG_MIN);
    return 0;
}

/* "<tag><path><mid>...", leading blanks allowed: copy the path (it may
 * contain spaces; the first mid ends it) and return the text after mid, or
 * NULL when the line has another shape. */
static const char *path_between(const char *s, const char *end, const char *tag,
                                const char *mid, char *path, size_t plen)
{
    size_t tl = strlen(tag), ml = strlen(mid);

    s = skip_spaces(s, end);
    if ((size_t)(end - s) < tl || memcmp(s, tag, tl) != 0)
        return NULL;
    s += tl;
    const char *m = memmem(s, (size_t)(end - s), mid, ml);
    if (!m)
        return NULL;
    copy_span(path, plen, s, (size_t)(m - s));
    return m + ml;
}

int oomlog_parse_task_in_line(const char *s, size_t len, char *task_memcg, size_t tlen,
                              char *oom_memcg, size_t olen)
{
    const char *end = s + len;
    const char *rest = path_between(s, end, "Task in ", " killed as a result of limit of ",
                                    task_memcg, tlen);
    if (!rest)
        return -1;
    copy_span(oom_memcg, olen, rest, (size_t)(end - rest));
    return 0;
}

int oomlog_parse_group_line(const char *s, size_t len, char *path, size_t plen)
{
    return path_between(s, s + len, "Tasks in ", " are going to be killed", path, plen) ? 0 : -1;
}

/* "PRI,SEQ,USEC,FLAGS[,...];message" */
static bool parse_kmsg_header(const char *s, const char *end, KmsgRecord *out)
{
    const char *semi = memchr(s, ';', (size_t)(end - s));
    char hdr[128];
    int field = 0;

    if (!semi || !isdigit((unsigned char)s[0]))
        return false;
    copy_span(hdr, sizeof(hdr), s, (size_t)(semi - s));
    char *q = hdr, *tok;
    while ((tok = strsep(&q, ",")) != NULL && field < 3) {
        char *e;
        errno = 0;
        unsigned long long v = strtoull(tok, &e, 10);
        if (errno || e == tok || *e)
            return false;
        if (field == 0)
            out->level = (int)(v & 7);
        else if (field == 1)
            out->seq = v;
        else
            out->usec = v;
        field++;
    }
    if (field != 3)
        return false;
    out->has_usec = true;
    out->msg = semi + 1;
    out->msg_len = (size_t)(end - semi - 1);
    return true;
}

/* dmesg: "[    6.107766] message".  The time is parsed by hand: strtod()
 * would follow LC_NUMERIC (memtop sets the locale; a decimal comma would
 * reject every line) and accept "inf", hex and huge values. */
static bool parse_dmesg_prefix(const char *s, const char *end, KmsgRecord *out)
{
    const char *rb = s < end && s[0] == '[' ? memchr(s, ']', (size_t)(end - s)) : NULL;
    uint64_t secs = 0, frac = 0, scale = 1000000;

    if (!rb)
        return false;
    const char *p = skip_spaces(s + 1, rb);
    if (p == rb || !isdigit((unsigned char)*p))
        return false;
    for (; p < rb && isdigit((unsigned char)*p); p++) {
        secs = secs * 10 + (uint64_t)(*p - '0');
        if (secs > UINT64_C(1000000000000))
            return false;   /* 31700 years of uptime: not a timestamp */
    }
    if (p < rb && *p == '.') {
        for (p++; p < rb && isdigit((unsigned char)*p); p++) {
            if (scale > 1) {
                scale /= 10;
                frac += (uint64_t)(*p - '0') * scale;
            }
        }
    }
    if (p != rb)
        return false;
    out->usec = secs * 1000000 + frac;
    out->has_usec = true;
    const char *m = rb + 1;
    if (m < end && *m == ' ')
        m++;
    out->msg = m;
    out->msg_len = (size_t)(end - m);
    return true;
}

int oomlog_parse_kmsg_record(const char *s, size_t len, KmsgRecord *out)
{
    const char *end = s + len;

    memset(out, 0, sizeof(*out));
    out->seq = UINT64_MAX;
    while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    if (parse_kmsg_header(s, end, out))
        return 0;
    memset(out, 0, sizeof(*out));
    out->seq = UINT64_MAX;
    if (parse_dmesg_prefix(s, end, out))
        return 0;
    out->level = 4;
    out->msg = s;
    out->msg_len = (size_t)(end - s);
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t oomlog_unescape_kmsg(const char *s, size_t len, char *out, size_t outlen)
{
    size_t o = 0;

    if (outlen == 0)
        return 0;
    for (size_t i = 0; i < len && o + 1 < outlen;) {
        int h, l;
        if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' &&
            (h = hexval((unsigned char)s[i + 2])) >= 0 &&
            (l = hexval((unsigned char)s[i + 3])) >= 0) {
            out[o++] = (char)(h * 16 + l);
            i += 4;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return o;
}
