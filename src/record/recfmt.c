/* recfmt.c - buffers, varints and value codes of the recording format. */
#include "config.h"

#include "record/recfmt.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *const node_keys[REC_NODE_COUNT] = {
    "mem_total", "mem_free", "mem_available", "buffers", "cached", "shmem",
    "active_file", "inactive_file", "swap_total", "swap_free",
    "psi_some_avg10", "psi_some_avg60", "psi_some_avg300", "psi_some_total",
    "psi_full_avg10", "psi_full_avg60", "psi_full_avg300", "psi_full_total",
};

const char *rec_node_key(RecNodeField f)
{
    return (unsigned)f < REC_NODE_COUNT ? node_keys[f] : "";
}

int rec_node_by_key(const char *key)
{
    for (int i = 0; i < REC_NODE_COUNT; i++)
        if (strcmp(node_keys[i], key) == 0)
            return i;
    return -1;
}

void rec_node_pack(bool mem_valid, const MemInfo *mem, bool psi_valid, const PsiValues *psi,
                   uint64_t vals[REC_NODE_COUNT], uint64_t *present, uint64_t *flags)
{
    const uint64_t memv[MEMINFO_NFIELDS] = {
        mem->mem_total, mem->mem_free, mem->mem_available, mem->buffers, mem->cached,
        mem->shmem, mem->active_file, mem->inactive_file, mem->swap_total, mem->swap_free,
    };

    memset(vals, 0, REC_NODE_COUNT * sizeof(vals[0]));
    *present = 0;
    *flags = (mem_valid ? REC_N_MEM : 0) | (psi_valid ? REC_N_PSI : 0) |
             (psi->has_some ? REC_N_PSI_SOME : 0) | (psi->has_full ? REC_N_PSI_FULL : 0);
    for (int i = 0; i < MEMINFO_NFIELDS; i++) {
        vals[i] = memv[i];
        if (mem->found & (1u << i))
            *present |= UINT64_C(1) << i;
    }
    for (int i = 0; i < 3; i++) {
        vals[REC_NODE_PSI_SOME10 + i] = psi->some_avg[i];
        vals[REC_NODE_PSI_FULL10 + i] = psi->full_avg[i];
    }
    vals[REC_NODE_PSI_SOME_TOTAL] = psi->some_total;
    vals[REC_NODE_PSI_FULL_TOTAL] = psi->full_total;
    if (psi->has_some)
        *present |= UINT64_C(0xF) << REC_NODE_PSI_SOME10;
    if (psi->has_full)
        *present |= UINT64_C(0xF) << REC_NODE_PSI_FULL10;
}

void rec_node_unpack(const uint64_t vals[REC_NODE_COUNT], uint64_t present, uint64_t flags,
                     bool *mem_valid, MemInfo *mem, bool *psi_valid, PsiValues *psi)
{
    uint64_t *memv[MEMINFO_NFIELDS] = {
        &mem->mem_total, &mem->mem_free, &mem->mem_available, &mem->buffers, &mem->cached,
        &mem->shmem, &mem->active_file, &mem->inactive_file, &mem->swap_total, &mem->swap_free,
    };

    memset(mem, 0, sizeof(*mem));
    memset(psi, 0, sizeof(*psi));
    *mem_valid = (flags & REC_N_MEM) != 0;
    *psi_valid = (flags & REC_N_PSI) != 0;
    psi->has_some = (flags & REC_N_PSI_SOME) != 0;
    psi->has_full = (flags & REC_N_PSI_FULL) != 0;
    for (int i = 0; i < MEMINFO_NFIELDS; i++) {
        *memv[i] = vals[i];
        if (present & (UINT64_C(1) << i))
            mem->found |= 1u << i;
    }
    for (int i = 0; i < 3; i++) {
        psi->some_avg[i] = vals[REC_NODE_PSI_SOME10 + i];
        psi->full_avg[i] = vals[REC_NODE_PSI_FULL10 + i];
    }
    psi->some_total = vals[REC_NODE_PSI_SOME_TOTAL];
    psi->full_total = vals[REC_NODE_PSI_FULL_TOTAL];
}

void recbuf_reserve(RecBuf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more)
        cap *= 2;
    b->p = xreallocarray(b->p, cap, 1);
    b->cap = cap;
}

void recbuf_put(RecBuf *b, const void *data, size_t len)
{
    recbuf_reserve(b, len);
    if (len)
        memcpy(b->p + b->len, data, len);
    b->len += len;
}

void recbuf_u8(RecBuf *b, uint8_t v)
{
    recbuf_put(b, &v, 1);
}

void recbuf_u16le(RecBuf *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    recbuf_put(b, x, 2);
}

void recbuf_u32le(RecBuf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    recbuf_put(b, x, 4);
}

void recbuf_f64(RecBuf *b, double v)
{
    uint64_t u;
    uint8_t x[8];

    memcpy(&u, &v, sizeof(u));
    for (int i = 0; i < 8; i++)
        x[i] = (uint8_t)(u >> (8 * i));
    recbuf_put(b, x, 8);
}

void recbuf_varint(RecBuf *b, uint64_t v)
{
    uint8_t x[10];
    size_t n = 0;

    while (v >= 0x80) {
        x[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    x[n++] = (uint8_t)v;
    recbuf_put(b, x, n);
}

void recbuf_string(RecBuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    recbuf_varint(b, n);
    recbuf_put(b, s, n);
}

void recbuf_free(RecBuf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

void recbuf_value(RecBuf *b, uint64_t v, uint64_t prev)
{
    int64_t d = (int64_t)(v - prev);    /* two's complement wrap is intended */

    if (d != 0 && d % 4096 == 0) {
        recbuf_varint(b, (zigzag(d / 4096) << 1) | 1);
    } else if (d != 0 && zigzag(d) < (UINT64_C(1) << 63)) {
        recbuf_varint(b, zigzag(d) << 1);
    } else {
        recbuf_varint(b, 0);
        recbuf_varint(b, v);
    }
}

bool reccur_varint(RecCur *c, uint64_t *v)
{
    uint64_t x = 0;

    for (int shift = 0; shift < 70; shift += 7) {
        if (c->p >= c->end) {
            c->bad = true;
            return false;
        }
        uint8_t byte = *c->p++;
        if (shift == 63 && byte > 1) {
            c->bad = true;      /* more than 64 bits */
            return false;
        }
        x |= (uint64_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80)) {
            *v = x;
            return true;
        }
    }
    c->bad = true;
    return false;
}

bool reccur_f64(RecCur *c, double *v)
{
    uint64_t u = 0;

    if (c->end - c->p < 8) {
        c->bad = true;
        return false;
    }
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)c->p[i] << (8 * i);
    c->p += 8;
    memcpy(v, &u, sizeof(*v));
    return true;
}

bool reccur_string(RecCur *c, char *out, size_t max)
{
    uint64_t n;

    if (!reccur_varint(c, &n))
        return false;
    if (n > max || n > (uint64_t)(c->end - c->p) || memchr(c->p, '\0', (size_t)n)) {
        c->bad = true;
        return false;
    }
    memcpy(out, c->p, (size_t)n);
    out[n] = '\0';
    c->p += n;
    return true;
}

bool reccur_value(RecCur *c, uint64_t prev, uint64_t *v)
{
    uint64_t code;

    if (!reccur_varint(c, &code))
        return false;
    if (code == 0)
        return reccur_varint(c, v);
    if (code == 1) {
        c->bad = true;
        return false;
    }
    int64_t d = unzigzag(code >> 1);
    if (code & 1)
        d = (int64_t)((uint64_t)d * 4096u);
    *v = prev + (uint64_t)d;
    return true;
}

uint16_t rec_get_u16le(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t rec_get_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}
