/* batch.c - text table for scripts and logs. */
#include "config.h"

#include "output/batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/format.h"
#include "util/xalloc.h"

static const MtColumn batch_cols[] = {
    MT_COL_NAME, MT_COL_WS, MT_COL_LIMIT, MT_COL_WS_PCT, MT_COL_USAGE, MT_COL_ANON,
    MT_COL_FILE, MT_COL_SHMEM, MT_COL_SWAP, MT_COL_PGFAULT, MT_COL_MAJFAULT, MT_COL_PATH,
};

static void print_header(FILE *f, const Model *m, bool raw)
{
    const TickTime *tt = model_tick_time(m, m->seq);
    const NodeSample *n = &m->node;
    char ts[64] = "-", a[32], b[32], c[32], d[32], e[32];
    char host[300], kern[300];

    if (tt) {
        time_t t = (time_t)tt->real;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
    }
    sanitize_text(host, sizeof(host), m->hostname, strlen(m->hostname), 64, true);
    sanitize_text(kern, sizeof(kern), m->kernel, strlen(m->kernel), 64, true);
    fprintf(f, "memtop %s  host %s  kernel %s  cgroup %s  %s  interval %.1fs\n", PACKAGE_VERSION,
            host, kern, layout_mode_name(m->layout.mode), ts, m->opt.interval);
#define B(buf, valid, v) (raw ? (snprintf(buf, sizeof(buf), valid ? "%llu" : "-", \
                                          (unsigned long long)(v)), buf) \
                              : fmt_bytes(buf, sizeof(buf), v, valid))
    bool mv = n->mem_valid;
    fprintf(f, "node: total %s  available %s  working set %s  swap %s/%s  containers %d  pods %d\n",
            B(a, mv, n->mem.mem_total), B(b, mv && (n->mem.found & 4), n->mem.mem_available),
            B(c, n->ws_valid, n->working_set),
            B(d, mv, n->mem.swap_total - n->mem.swap_free), B(e, mv, n->mem.swap_total),
            n->n_containers, n->n_pods);
#undef B
}

/* Write cell and a space: right-aligned in w bytes ("%*s "), or left-
 * aligned and cut at w bytes ("%-*.*s ").  A thousand rows of a dozen
 * cells per tick: this is cheaper than fprintf's format parsing. */
static void put_spaces(FILE *f, size_t n)
{
    static const char spaces[] = "                                                ";

    while (n > 0) {
        size_t chunk = MT_MIN(n, sizeof(spaces) - 1);
        fwrite_unlocked(spaces, 1, chunk, f);
        n -= chunk;
    }
}

static void put_cell(FILE *f, const char *cell, int w, bool left)
{
    size_t n = strlen(cell), width = w > 0 ? (size_t)w : 0;

    if (left && n > width)
        n = width;
    size_t pad = width > n ? width - n : 0;
    if (!left)
        put_spaces(f, pad);
    fwrite_unlocked(cell, 1, n, f);
    if (left)
        put_spaces(f, pad);
    putc_unlocked(' ', f);
}

int out_batch_write(FILE *f, const Model *m, const BatchOptions *o)
{
    size_t cap = m->table.n ? m->table.n : 1;
    const CgEntry **list = xcalloc(cap, sizeof(*list));
    size_t cnt = listing_build(&m->table, o->show, o->sort, o->reverse, list, cap);
    char cell[1024];
    int namew = (int)strlen("NAME");

    /* Size the name column to its longest value (bounded). */
    for (size_t i = 0; i < cnt; i++) {
        int w = (int)strlen(column_text(MT_COL_NAME, list[i], false, cell, sizeof(cell)));
        if (w > namew)
            namew = w;
    }
    if (namew > 48)
        namew = 48;

    if (o->header)
        print_header(f, m, o->raw);
    for (size_t c = 0; c < MT_ARRAY_SIZE(batch_cols); c++) {
        const Column *col = column_get(batch_cols[c]);
        int w = col->id == MT_COL_NAME ? namew : o->raw && col->fmt == MT_FMT_BYTES ? 14 : col->width;
        if (col->id == MT_COL_PATH) {
            for (size_t x = 0; x < o->nextra; x++)
                fprintf(f, "%*s ", o->extra[x].width, o->extra[x].header);
            fprintf(f, "%s", col->header);
        } else {
            fprintf(f, col->fmt == MT_FMT_TEXT ? "%-*s " : "%*s ", w, col->header);
        }
    }
    fputc('\n', f);
    for (size_t i = 0; i < cnt; i++) {
        const CgEntry *e = list[i];
        for (size_t c = 0; c < MT_ARRAY_SIZE(batch_cols); c++) {
            const Column *col = column_get(batch_cols[c]);
            int w = col->id == MT_COL_NAME ? namew : o->raw && col->fmt == MT_FMT_BYTES ? 14 : col->width;
            column_text(col->id, e, o->raw, cell, sizeof(cell));
            if (col->id == MT_COL_PATH) {
                for (size_t x = 0; x < o->nextra; x++) {
                    char xb[256];
                    o->extra[x].cell(m, e, xb, sizeof(xb), o->extra[x].ctx);
                    fprintf(f, "%*s ", o->extra[x].width, xb);
                }
                fprintf(f, "%s%s", cell, e->state == MT_STATE_GONE ? " (gone)" : "");
            } else {
                put_cell(f, cell, w, col->id == MT_COL_NAME);
            }
        }
        putc_unlocked('\n', f);
    }
    free(list);
    if (fflush(f) != 0 || ferror(f))
        return -EIO;
    return 0;
}
