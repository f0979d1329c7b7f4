/* hist.c - minifloat codec and the per-cgroup history ring. */
#include "config.h"

#include "sample/hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample/fields.h"
#include "util/xalloc.h"

/* Code layout: E = code >> 11 (0..31), M = code & 2047.
 * E == 0: value M.  E >= 1: value (2048 + M) << (E - 1). */
HistVal hist_encode(uint64_t x)
{
    if (x < 2048)
        return (HistVal)x;
    int msb = 63 - __builtin_clzll(x);          /* >= 11 */
    int shift = msb - 11;                       /* E - 1 */
    uint64_t m = (x + (shift > 0 ? (UINT64_C(1) << (shift - 1)) : 0)) >> shift;
    if (m >= 4096) {                            /* rounding carried */
        m >>= 1;
        shift++;
    }
    uint64_t code = ((uint64_t)(shift + 1) << 11) | (m - 2048);
    return code > HIST_MAX_CODE ? HIST_MAX_CODE : (HistVal)code;
}

uint64_t hist_decode(HistVal c)
{
    if (c == HIST_INVALID || c == HIST_UNLIMITED)
        return UINT64_MAX;
    unsigned e = c >> 11, m = c & 2047;
    if (e == 0)
        return m;
    return (uint64_t)(2048 + m) << (e - 1);
}

HistVal hist_encode_bytes(uint64_t bytes)
{
    if (bytes == MT_UNLIMITED)
        return HIST_UNLIMITED;
    return hist_encode((bytes + 512) / 1024);
}

uint64_t hist_decode_bytes(HistVal c)
{
    if (c == HIST_UNLIMITED)
        return MT_UNLIMITED;
    if (c == HIST_INVALID)
        return UINT64_MAX;
    return hist_decode(c) * 1024;
}

HistVal hist_encode_rate(double r)
{
    if (!(r >= 0) || isinf(r))
        return HIST_INVALID;
    double x = r * 16.0 + 0.5;
    if (x >= 1e18)
        return HIST_MAX_CODE;
    return hist_encode((uint64_t)x);
}

double hist_decode_rate(HistVal c)
{
    if (c == HIST_INVALID || c == HIST_UNLIMITED)
        return NAN;
    return (double)hist_decode(c) / 16.0;
}

void hist_record_clear(HistRecord *r)
{
    memset(r, 0xFF, sizeof(*r));
    r->events = 0;
}

/* First allocation of a ring: at a thousand cgroups, allocating (and
 * faulting in) the whole history up front was a third of the first tick. */
#define HIST_FIRST_CAP 16

void hist_init(HistRing *h, uint32_t max)
{
    h->max = max ? max : 1;
    h->cap = h->max < HIST_FIRST_CAP ? h->max : HIST_FIRST_CAP;
    h->rec = xcalloc(h->cap, sizeof(HistRecord));
    hist_reset(h);
}

/* Make room for `need` consecutive ticks (capped at max), keeping every
 * kept record at its seq's slot in the larger array. */
static void hist_grow(HistRing *h, uint64_t need)
{
    uint32_t ncap = h->cap;
    while (ncap < need && ncap < h->max)
        ncap = ncap > h->max / 2 ? h->max : ncap * 2;
    if (ncap == h->cap)
        return;
    HistRecord *n = xcalloc(ncap, sizeof(HistRecord));
    if (h->any)
        for (uint64_t s = h->first_seq; s <= h->last_seq; s++)
            n[s % ncap] = h->rec[s % h->cap];
    free(h->rec);
    h->rec = n;
    h->cap = ncap;
}

void hist_done(HistRing *h)
{
    free(h->rec);
    h->rec = NULL;
    h->cap = h->max = 0;
}

void hist_reset(HistRing *h)
{
    h->first_seq = h->last_seq = 0;
    h->any = false;
}

HistRecord *hist_push(HistRing *h, uint64_t seq)
{
    if (h->any && h->cap < h->max && seq - h->first_seq + 1 > h->cap)
        hist_grow(h, seq - h->first_seq + 1);
    if (!h->any) {
        h->any = true;
        h->first_seq = seq;
    } else {
        /* Fill ticks this cgroup missed with invalid records. */
        uint64_t from = h->last_seq + 1;
        if (seq > from + h->cap)
            from = seq - h->cap;
        for (uint64_t s = from; s < seq; s++)
            hist_record_clear(&h->rec[s % h->cap]);
    }
    h->last_seq = seq;
    if (seq >= h->cap && h->first_seq < seq - h->cap + 1)
        h->first_seq = seq - h->cap + 1;
    HistRecord *r = &h->rec[seq % h->cap];
    hist_record_clear(r);
    return r;
}

const HistRecord *hist_at(const HistRing *h, uint64_t seq)
{
    if (!h->any || seq < h->first_seq || seq > h->last_seq)
        return NULL;
    return &h->rec[seq % h->cap];
}
