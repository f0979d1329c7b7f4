/* ui_rows.c - which cgroups the table shows, in which order, and the
 * values of a cell at the tick being viewed (live or paused in history). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "output/oomtext.h"
#include "tui/ui_state.h"
#include "util/xalloc.h"

bool ui_live(const Ui *ui)
{
    return ui->view_seq == ui->m->seq;
}

double ui_view_time(const Ui *ui)
{
    const TickTime *tt = model_tick_time(ui->m, ui->view_seq);
    return tt ? tt->real : (double)NAN;
}

const OomEvent *ui_last_kill(const Ui *ui, const CgEntry *e)
{
    return ui->src.forensics ? forensics_last_kill(ui->src.forensics, e) : NULL;
}

const char *ui_name_tag(const Ui *ui, const CgEntry *e, const OomEvent *last, int room,
                        char *buf, size_t len, bool *alert)
{
    const Forensics *f = ui->src.forensics;

    *alert = false;
    if (e->state != MT_STATE_GONE && !last)
        return NULL;            /* the common case: no text */
    return oomtext_tag(e, last, ui_view_time(ui), f ? f->opt.oom_tomb_secs : 0, room, buf, len,
                       alert);
}

static HistField hist_field_of(MtColumn c)
{
    switch (c) {
    case MT_COL_WS: return MT_H_WS;
    case MT_COL_LIMIT: return MT_H_LIMIT;
    case MT_COL_USAGE: return MT_H_USAGE;
    case MT_COL_ANON: return MT_H_ANON;
    case MT_COL_FILE: return MT_H_FILE;
    case MT_COL_SHMEM: return MT_H_SHMEM;
    case MT_COL_ACTIVE_ANON: return MT_H_ACTIVE_ANON;
    case MT_COL_INACTIVE_ANON: return MT_H_INACTIVE_ANON;
    case MT_COL_ACTIVE_FILE: return MT_H_ACTIVE_FILE;
    case MT_COL_INACTIVE_FILE: return MT_H_INACTIVE_FILE;
    case MT_COL_SWAP: return MT_H_SWAP;
    case MT_COL_PGFAULT: return MT_H_PGFAULT_RATE;
    case MT_COL_MAJFAULT: return MT_H_PGMAJFAULT_RATE;
    default: return MT_H_COUNT;
    }
}

/* Value of column c from the history record of tick seq. */
static bool hist_value(const CgEntry *e, MtColumn c, uint64_t seq, double *out)
{
    const HistRecord *r = hist_at(&e->hist, seq);
    if (!r)
        return false;
    if (c == MT_COL_RISK) {
        if (r->risk == MT_RISK_UNKNOWN)
            return false;
        *out = (double)r->risk;
        return true;
    }
    if (c == MT_COL_WS_PCT) {
        HistVal ws = r->v[MT_H_WS], lim = r->v[MT_H_LIMIT];
        if (ws == HIST_INVALID || lim == HIST_INVALID || lim == HIST_UNLIMITED)
            return false;
        uint64_t l = hist_decode_bytes(lim);
        if (l == 0)
            return false;
        *out = 100.0 * (double)hist_decode_bytes(ws) / (double)l;
        return true;
    }
    HistField f = hist_field_of(c);
    if (f == MT_H_COUNT || r->v[f] == HIST_INVALID)
        return false;
    if (f == MT_H_PGFAULT_RATE || f == MT_H_PGMAJFAULT_RATE) {
        *out = hist_decode_rate(r->v[f]);
        return !isnan(*out);
    }
    if (r->v[f] == HIST_UNLIMITED) {
        *out = (double)INFINITY;
        return true;
    }
    *out = (double)hist_decode_bytes(r->v[f]);
    return true;
}

bool ui_value(const Ui *ui, const CgEntry *e, MtColumn c, double *out)
{
    if (ui_live(ui))
        return column_value(c, e, out);
    return hist_value(e, c, ui->view_seq, out);
}

/* Same rules as listing_compare (unknown last, column default direction,
 * reverse, path tie-break) on the values of the viewed tick. */
static int ui_compare(const void *pa, const void *pb, void *ctx)
{
    const Ui *ui = ctx;
    const CgEntry *a = *(const CgEntry *const *)pa, *b = *(const CgEntry *const *)pb;
    const Column *col = column_get(ui->sort);

    if (ui_live(ui) || (col->fmt == MT_FMT_TEXT && ui->sort != MT_COL_RISK))
        return listing_compare(a, b, ui->sort, ui->reverse);
    double va, vb;
    bool ha = ui_value(ui, a, ui->sort, &va), hb = ui_value(ui, b, ui->sort, &vb);
    if (ha != hb)
        return ha ? -1 : 1;
    int r = 0;
    if (ha && va != vb) {
        r = va < vb ? -1 : 1;
        if (col->descending)
            r = -r;
        if (ui->reverse)
            r = -r;
    }
    return r ? r : strcmp(a->path, b->path);
}

static bool filter_match(const Ui *ui, const CgEntry *e)
{
    char label[512];
    if (!ui->filter[0])
        return true;
    entry_label(e, label, sizeof(label), ui->utf8);
    return strcasestr(label, ui->filter) || strcasestr(e->path, ui->filter);
}

/* Link the sorted rows into a forest: parent[i] is the nearest listed
 * ancestor of row i (-1: a root), first/next the children and sibling
 * lists in sort order.  ntab is the table size (CgEntry.index < ntab).
 * Returns the first root. */
static long tree_links(const CgEntry **flat, size_t n, size_t ntab, long *parent, long *first,
                       long *next)
{
    long *pos = xcalloc(ntab ? ntab : 1, sizeof(long));
    long roots = -1;

    for (size_t i = 0; i < ntab; i++)
        pos[i] = -1;
    for (size_t i = 0; i < n; i++)
        pos[flat[i]->index] = (long)i;
    for (size_t i = 0; i < n; i++) {
        parent[i] = first[i] = next[i] = -1;
        for (const CgEntry *p = flat[i]->parent; p; p = p->parent)
            if (p->index < ntab && pos[p->index] >= 0) {
                parent[i] = pos[p->index];
                break;
            }
    }
    for (size_t k = n; k-- > 0;) {      /* prepend in reverse: keeps sort order */
        long *head = parent[k] < 0 ? &roots : &first[parent[k]];
        next[k] = *head;
        *head = (long)k;
    }
    free(pos);
    return roots;
}

/* Reorder the sorted rows as a forest: each row goes below its nearest
 * listed ancestor, siblings keep the sort order (pre-order walk). */
static void tree_order(Ui *ui, const CgEntry **flat, size_t n, size_t ntab)
{
    size_t cap = n ? n : 1, sp = 0, out = 0;
    long *parent = xcalloc(cap, sizeof(long));
    long *first = xcalloc(cap, sizeof(long));
    long *next = xcalloc(cap, sizeof(long));
    long *stack = xcalloc(cap, sizeof(long));
    int *depth = xcalloc(cap, sizeof(int));
    uint32_t *guides = xcalloc(cap, sizeof(uint32_t));

    long cur = tree_links(flat, n, ntab, parent, first, next);
    while (cur >= 0 || sp > 0) {
        if (cur < 0) {
            cur = next[stack[--sp]];
            continue;
        }
        long p = parent[cur];
        depth[cur] = p < 0 ? 0 : depth[p] + 1;
        /* bit d-1: the ancestor at depth d has siblings below (draw a guide) */
        guides[cur] = p < 0 ? 0 : guides[p];
        if (p >= 0 && depth[p] >= 1 && depth[p] <= 32 && next[p] >= 0)
            guides[cur] |= UINT32_C(1) << (depth[p] - 1);
        ui->rows[out++] = (UiRow){ flat[cur], depth[cur], next[cur] < 0, guides[cur] };
        if (first[cur] >= 0) {
            stack[sp++] = cur;
            cur = first[cur];
        } else {
            cur = next[cur];
        }
    }
    ui->nrows = out;
    free(parent);
    free(first);
    free(next);
    free(stack);
    free(depth);
    free(guides);
}

void ui_rows_rebuild(Ui *ui)
{
    const CgTable *t = &ui->m->table;
    const CgEntry **flat = xcalloc(t->n ? t->n : 1, sizeof(*flat));
    size_t n = 0;

    for (size_t i = 0; i < t->n; i++) {
        const CgEntry *e = t->entries[i];
        if (listing_wants(e, ui->show) && filter_match(ui, e))
            flat[n++] = e;
    }
    qsort_r(flat, n, sizeof(*flat), ui_compare, ui);
    if (n > ui->rows_cap) {
        ui->rows_cap = n;
        ui->rows = xreallocarray(ui->rows, n, sizeof(UiRow));
    }
    if (ui->tree) {
        tree_order(ui, flat, n, t->n);
    } else {
        for (size_t i = 0; i < n; i++)
            ui->rows[i] = (UiRow){ flat[i], 0, false, 0 };
        ui->nrows = n;
    }
    free(flat);

    /* Keep the selection on the same cgroup; else keep its position. */
    bool found = false;
    if (ui->sel_path)
        for (size_t i = 0; i < ui->nrows; i++)
            if (strcmp(ui->rows[i].e->path, ui->sel_path) == 0) {
                ui->sel = i;
                found = true;
                break;
            }
    if (!found) {
        if (ui->sel >= ui->nrows)
            ui->sel = ui->nrows ? ui->nrows - 1 : 0;
        if (ui->nrows)
            ui_select_index(ui, ui->sel);
    }
}

const CgEntry *ui_selected(const Ui *ui)
{
    return ui->sel < ui->nrows ? ui->rows[ui->sel].e : NULL;
}

void ui_select_index(Ui *ui, size_t i)
{
    if (ui->nrows == 0)
        return;
    if (i >= ui->nrows)
        i = ui->nrows - 1;
    ui->sel = i;
    free(ui->sel_path);
    ui->sel_path = xstrdup(ui->rows[i].e->path);
}
