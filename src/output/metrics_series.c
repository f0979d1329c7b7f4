/* metrics_series.c - many OpenMetrics expositions (one per replayed tick)
 * regrouped into one text with timestamps, as promtool's backfill wants
 * it: a series' points in time order, together, under its family. */
#include "config.h"

#include "output/metrics.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef struct {
    double t;
    char v[32];                 /* the value as rendered */
} Point;

typedef struct {
    char *key;                  /* "name{labels}" */
    size_t fam;
    Point *pts;
    size_t n, cap;
} Series;

typedef struct {
    char *meta;                 /* TYPE/UNIT/HELP lines, as rendered */
    size_t *series;             /* indexes into set->series, first seen first */
    size_t n, cap;
} Family;

struct MetricsSeriesSet {
    Family *fams;
    size_t nfams, capfams;
    Series *series;
    size_t nseries, capseries;
    size_t *hash;               /* open addressing: series index + 1, 0 empty */
    size_t nhash;
};

MetricsSeriesSet *metrics_series_new(void)
{
    MetricsSeriesSet *s = xcalloc(1, sizeof(*s));
    s->nhash = 1024;
    s->hash = xcalloc(s->nhash, sizeof(*s->hash));
    return s;
}

void metrics_series_free(MetricsSeriesSet *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nseries; i++) {
        free(s->series[i].key);
        free(s->series[i].pts);
    }
    for (size_t i = 0; i < s->nfams; i++) {
        free(s->fams[i].meta);
        free(s->fams[i].series);
    }
    free(s->series);
    free(s->fams);
    free(s->hash);
    free(s);
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void rehash(MetricsSeriesSet *s)
{
    size_t nh = s->nhash * 2;
    size_t *h = xcalloc(nh, sizeof(*h));
    for (size_t i = 0; i < s->nseries; i++) {
        const char *k = s->series[i].key;
        size_t j = (size_t)fnv1a(k, strlen(k)) & (nh - 1);
        while (h[j])
            j = (j + 1) & (nh - 1);
        h[j] = i + 1;
    }
    free(s->hash);
    s->hash = h;
    s->nhash = nh;
}

static Series *series_get(MetricsSeriesSet *s, const char *key, size_t klen, size_t fam)
{
    size_t j = (size_t)fnv1a(key, klen) & (s->nhash - 1);
    for (; s->hash[j]; j = (j + 1) & (s->nhash - 1)) {
        Series *x = &s->series[s->hash[j] - 1];
        if (strncmp(x->key, key, klen) == 0 && x->key[klen] == '\0')
            return x;
    }
    if (s->nseries == s->capseries) {
        s->capseries = s->capseries ? s->capseries * 2 : 256;
        s->series = xreallocarray(s->series, s->capseries, sizeof(*s->series));
    }
    Series *x = &s->series[s->nseries];
    memset(x, 0, sizeof(*x));
    x->key = xstrndup(key, klen);
    x->fam = fam;
    s->hash[j] = ++s->nseries;
    Family *f = &s->fams[fam];
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->series = xreallocarray(f->series, f->cap, sizeof(*f->series));
    }
    f->series[f->n++] = s->nseries - 1;
    if (s->nseries * 2 > s->nhash) {
        rehash(s);
        return &s->series[s->nseries - 1];
    }
    return x;
}

/* The family whose TYPE line names name (the first word after "# TYPE "),
 * created with meta as its header if new. */
static size_t family_get(MetricsSeriesSet *s, const char *meta, size_t mlen)
{
    for (size_t i = s->nfams; i-- > 0;) {
        /* TYPE lines are unique per family: compare the first line */
        const char *a = s->fams[i].meta;
        const char *nl = memchr(meta, '\n', mlen);
        size_t l1 = nl ? (size_t)(nl - meta) : mlen;
        if (strncmp(a, meta, l1) == 0 && a[l1] == '\n')
            return i;
    }
    if (s->nfams == s->capfams) {
        s->capfams = s->capfams ? s->capfams * 2 : 64;
        s->fams = xreallocarray(s->fams, s->capfams, sizeof(*s->fams));
    }
    Family *f = &s->fams[s->nfams];
    memset(f, 0, sizeof(*f));
    f->meta = xstrndup(meta, mlen);
    return s->nfams++;
}

void metrics_series_add(MetricsSeriesSet *s, const char *body, size_t len, double t)
{
    const char *p = body, *end = body + len;
    size_t fam = SIZE_MAX;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le - p >= 7 && memcmp(p, "# TYPE ", 7) == 0) {
            /* the header: TYPE, maybe UNIT, HELP */
            const char *h = le + 1;
            while (h < end && *h == '#' && !(end - h >= 7 && memcmp(h, "# TYPE ", 7) == 0)) {
                const char *n2 = memchr(h, '\n', (size_t)(end - h));
                h = n2 ? n2 + 1 : end;
            }
            fam = family_get(s, p, (size_t)(h - p));
            p = h;
            continue;
        }
        if (*p != '#' && le > p && fam != SIZE_MAX) {
            const char *sp = le;
            while (sp > p && sp[-1] != ' ')
                sp--;
            if (sp > p + 1) {
                Series *x = series_get(s, p, (size_t)(sp - 1 - p), fam);
                if (x->n == x->cap) {
                    x->cap = x->cap ? x->cap * 2 : 8;
                    x->pts = xreallocarray(x->pts, x->cap, sizeof(*x->pts));
                }
                Point *pt = &x->pts[x->n++];
                pt->t = t;
                size_t vl = MT_MIN((size_t)(le - sp), sizeof(pt->v) - 1);
                memcpy(pt->v, sp, vl);
                pt->v[vl] = '\0';
            }
        }
        p = le + 1;
    }
}

int metrics_series_write(const MetricsSeriesSet *s,
                         int (*sink)(const char *p, size_t n, void *ctx), void *ctx)
{
    MetricsBuf b;
    int r = 0;

    metrics_buf_init(&b);
    for (size_t f = 0; f < s->nfams && r == 0; f++) {
        const Family *fam = &s->fams[f];
        metrics_buf_add(&b, fam->meta, strlen(fam->meta));
        for (size_t i = 0; i < fam->n && r == 0; i++) {
            const Series *x = &s->series[fam->series[i]];
            size_t kl = strlen(x->key);
            for (size_t k = 0; k < x->n; k++) {
                char ts[64];
                size_t tl = metrics_format_double(ts, sizeof(ts), x->pts[k].t);
                metrics_buf_add(&b, x->key, kl);
                metrics_buf_add(&b, " ", 1);
                metrics_buf_add(&b, x->pts[k].v, strlen(x->pts[k].v));
                metrics_buf_add(&b, " ", 1);
                metrics_buf_add(&b, ts, tl);
                metrics_buf_add(&b, "\n", 1);
            }
            if (b.len > (1u << 20)) {
                r = sink(b.p, b.len, ctx);
                b.len = 0;
            }
        }
    }
    if (r == 0) {
        metrics_buf_add(&b, "# EOF\n", 6);
        r = sink(b.p, b.len, ctx);
    }
    metrics_buf_free(&b);
    return r;
}
