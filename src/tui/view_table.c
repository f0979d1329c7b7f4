/* view_table.c - the main screen: header lines, the container table with
 * priority-based column dropping, the bottom line and the sort menu. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analysis/analysis.h"
#include "util/format.h"
#include "sample/layout.h"
#include "tui/ui_state.h"
#include "util/xalloc.h"

#define NAME_MIN 16             /* below 100 columns */
#define NAME_MIN_WIDE 20
#define NAME_MAX_W 48
#define HIST_W 10
#define HIST_MAX_W 60

/* Left-to-right order of the table. */
static const int disp_order[] = {
    MT_COL_NAME, MT_COL_WS, MT_COL_LIMIT, MT_COL_WS_PCT, MT_COL_RISK, MT_COL_USAGE, MT_COL_ANON,
    MT_COL_FILE, MT_COL_SHMEM, MT_COL_ACTIVE_ANON, MT_COL_INACTIVE_ANON, MT_COL_ACTIVE_FILE,
    MT_COL_INACTIVE_FILE, MT_COL_SWAP, MT_COL_PGFAULT, MT_COL_MAJFAULT, UI_COL_HIST,
};
/* Which columns stay when the terminal is narrow: first ones first.  The
 * active/inactive lists come in pairs (-1: no partner). */
static const int prio_order[][2] = {
    { MT_COL_NAME, -1 }, { MT_COL_WS, -1 }, { MT_COL_LIMIT, -1 }, { MT_COL_WS_PCT, -1 },
    { MT_COL_RISK, -1 },
    { MT_COL_ANON, -1 }, { MT_COL_FILE, -1 }, { UI_COL_HIST, -1 }, { MT_COL_MAJFAULT, -1 },
    { MT_COL_SHMEM, -1 }, { MT_COL_PGFAULT, -1 }, { MT_COL_ACTIVE_FILE, MT_COL_INACTIVE_FILE },
    { MT_COL_ACTIVE_ANON, MT_COL_INACTIVE_ANON }, { MT_COL_USAGE, -1 }, { MT_COL_SWAP, -1 },
};
/* Sort menu and '<'/'>' order. */
static const MtColumn sort_order[] = {
    MT_COL_WS, MT_COL_LIMIT, MT_COL_WS_PCT, MT_COL_USAGE, MT_COL_ANON, MT_COL_FILE,
    MT_COL_SHMEM, MT_COL_ACTIVE_ANON, MT_COL_INACTIVE_ANON, MT_COL_ACTIVE_FILE,
    MT_COL_INACTIVE_FILE, MT_COL_SWAP, MT_COL_PGFAULT, MT_COL_MAJFAULT, MT_COL_NAME, MT_COL_PATH,
    MT_COL_RISK,
};

const MtColumn *view_table_sort_order(size_t *n)
{
    *n = sizeof(sort_order) / sizeof(sort_order[0]);
    return sort_order;
}

static int natural_width(int c)
{
    if (c == UI_COL_HIST)
        return HIST_W;
    if (c == MT_COL_NAME)
        return COLS >= 100 ? NAME_MIN_WIDE : NAME_MIN;
    if (c == MT_COL_RISK)
        return 9;                                   /* "CRITICAL" and the arrow */
    int w = (int)strlen(column_get((MtColumn)c)->header) + 1;     /* room for the arrow */
    return w < 6 ? 6 : w;
}

/* Decide shown columns and their x positions for the current width. */
static void layout_columns(Ui *ui)
{
    int used = 0, extra;
    memset(ui->col_shown, 0, sizeof(ui->col_shown));
    for (size_t i = 0; i < sizeof(prio_order) / sizeof(prio_order[0]); i++) {
        int c = prio_order[i][0], c2 = prio_order[i][1];
        int w = natural_width(c) + (c == MT_COL_NAME ? 0 : 1);
        if (c2 >= 0)
            w += natural_width(c2) + 1;
        if (c == MT_COL_NAME || used + w <= COLS) {
            ui->col_shown[c] = true;
            ui->col_w[c] = natural_width(c);
            if (c2 >= 0) {
                ui->col_shown[c2] = true;
                ui->col_w[c2] = natural_width(c2);
            }
            used += w;
        }
    }
    extra = COLS - used;
    int grow = MT_MIN(extra, NAME_MAX_W - NAME_MIN);
    if (grow > 0) {
        ui->col_w[MT_COL_NAME] += grow;
        extra -= grow;
    }
    if (extra > 0 && ui->col_shown[UI_COL_HIST]) {
        grow = MT_MIN(extra, HIST_MAX_W - HIST_W);
        ui->col_w[UI_COL_HIST] += grow;
        extra -= grow;
    }
    if (extra > 0)
        ui->col_w[MT_COL_NAME] += extra;
    int x = 0;
    for (size_t i = 0; i < sizeof(disp_order) / sizeof(disp_order[0]); i++) {
        int c = disp_order[i];
        if (!ui->col_shown[c])
            continue;
        if (c != MT_COL_NAME)
            x++;
        ui->col_x[c] = x;
        x += ui->col_w[c];
    }
}

static void draw_header(Ui *ui)
{
    const Model *m = ui->m;
    const NodeSample *n = &m->node;
    char line[512], t[32] = "--:--:--", a[16], b[16], c[16], d[16], e[16], host[128], kern[128];
    const TickTime *tt = model_tick_time(m, ui->view_seq);

    if (tt) {
        time_t secs = (time_t)tt->real;
        struct tm tm;
        localtime_r(&secs, &tm);
        strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
    }
    sanitize_text(host, sizeof(host), m->hostname, strlen(m->hostname), 40, ui->utf8);
    sanitize_text(kern, sizeof(kern), m->kernel, strlen(m->kernel), 40, ui->utf8);
    /* line 1: identity on the left, the tick's time (and state) on the right */
    char right[96];
    snprintf(right, sizeof(right), "%s%s%s", ui->ended ? "END " : "",
             ui->paused ? "PAUSED " : "", t);
    size_t at, nrec;
    if (ui->src.position && ui->src.position(ui->src.ctx, &at, &nrec))
        snprintf(right + strlen(right), sizeof(right) - strlen(right), " tick %zu/%zu",
                 at + 1 - (size_t)(m->seq - ui->view_seq), nrec);
    else if (ui->paused || ui->ended)
        snprintf(right + strlen(right), sizeof(right) - strlen(right), " tick %llu/%llu",
                 (unsigned long long)ui->view_seq, (unsigned long long)m->seq);
    int rw = ui_text_width(right);
    char src[96] = "";
    if (ui->src.label && strcmp(ui->src.label, "live") != 0) {
        char lab[64];
        sanitize_text(lab, sizeof(lab), ui->src.label, strlen(ui->src.label), 40, ui->utf8);
        snprintf(src, sizeof(src), "  source %s", lab);
    }
    snprintf(line, sizeof(line), "memtop  host %s  kernel %s  cgroup %s  interval %gs%s", host,
             kern, layout_mode_name(m->layout.mode), ui->interval, src);
    if (ui_text_width(line) + rw + 2 > COLS)
        snprintf(line, sizeof(line), "memtop  %s  %s  %gs", host, layout_mode_name(m->layout.mode),
                 ui->interval);
    attr_t ta = ui_attr(ui, UI_PAIR_TITLE, A_BOLD);
    ui_put_trunc(ui, 0, 0, MT_MAX(COLS - rw - 2, 1), line, ta);
    ui_put(0, MT_MAX(COLS - rw, 0), rw, right,
           ui->paused || ui->ended ? ui_attr(ui, UI_PAIR_STATUS, A_REVERSE) : ta);
    bool mv = n->mem_valid;
    snprintf(line, sizeof(line),
             "Mem total %s  available %s  node WS %s  swap %s used of %s",
             fmt_bytes(a, sizeof(a), n->mem.mem_total, mv),
             fmt_bytes(b, sizeof(b), n->mem.mem_available, mv),
             fmt_bytes(c, sizeof(c), n->working_set, n->ws_valid),
             fmt_bytes(d, sizeof(d), n->mem.swap_total - n->mem.swap_free,
                       mv && n->mem.swap_total >= n->mem.swap_free),
             fmt_bytes(e, sizeof(e), n->mem.swap_total, mv));
    ui_put(1, 0, COLS, line, A_NORMAL);
    snprintf(line, sizeof(line),
             "Containers %d  pods %d  cgroups %d  shown %zu  memtop cpu %.1f%% rss %s  sort %s %s%s%s%s",
             n->n_containers, n->n_pods, n->n_live, ui->nrows, ui->self_cpu_pct,
             fmt_bytes(a, sizeof(a), ui->self_rss, ui->self_rss > 0),
             column_get(ui->sort)->header, ui->reverse ? "(inv)" : "", ui->tree ? "  tree" : "",
             ui->show == MT_SHOW_ALL ? "  all" : "", ui->filter[0] ? "  filter:" : "");
    int w = ui_put(2, 0, COLS, line, A_NORMAL);
    if (ui->filter[0] && w < COLS)
        ui_put_trunc(ui, 2, w, COLS - w, ui->filter, A_BOLD);
}

static void draw_colhdr(Ui *ui, int y)
{
    attr_t base = ui_attr(ui, UI_PAIR_COLHDR, A_REVERSE);
    ui_fill(y, 0, COLS, base);
    for (int c = 0; c < UI_NCOLS; c++) {
        if (!ui->col_shown[c])
            continue;
        char h[32];
        bool sorted = c == (int)ui->sort;
        const char *name = c == UI_COL_HIST ? "WS HISTORY" : column_get((MtColumn)c)->header;
        const Column *col = c == UI_COL_HIST ? NULL : column_get((MtColumn)c);
        bool desc = col && (col->descending != ui->reverse);
        const char *arrow = !sorted ? "" : ui->utf8 ? (desc ? "\xe2\x96\xbc" : "\xe2\x96\xb2")
                                                    : (desc ? "v" : "^");
        snprintf(h, sizeof(h), "%s%s", name, arrow);
        attr_t a = sorted ? ui_attr(ui, UI_PAIR_SORTCOL, A_REVERSE | A_BOLD) : base;
        if (c == MT_COL_NAME || c == UI_COL_HIST)
            ui_put(y, ui->col_x[c], ui->col_w[c], h, a);
        else
            ui_put_right(y, ui->col_x[c], ui->col_w[c], h, a);
    }
}

#define NAME_KEEP 10            /* name columns a row tag leaves when it can */

/* The row's tag.  A live row's "OOM 2m ago" is the longest variant that
 * fits after the whole name, else "OOM", which cuts the name a little;
 * "(gone)" only shows when it fits (the dimmed row says it too).  An OOM
 * tombstone's tag is what the row is about: one with its age next to the
 * whole name if that fits, else the longest that leaves NAME_KEEP (then 4)
 * columns of the name. */
static const char *name_tag(const Ui *ui, const CgEntry *e, int w, int nw, char *buf,
                            size_t len, bool *alert)
{
    const OomEvent *last = ui_last_kill(ui, e);     /* one scan of the kill log */
    if (!last && e->state != MT_STATE_GONE)
        return NULL;
    const char *t = ui_name_tag(ui, e, last, MT_MAX(w - 2 - nw, 3), buf, len, alert);
    if (t && t[0] == '(' && w - 2 - nw < (int)strlen(t))
        return NULL;
    if (!t || e->state == MT_STATE_LIVE || t[0] == '(')
        return t;
    t = ui_name_tag(ui, e, last, w - 2 - nw, buf, len, alert);
    if (t && strpbrk(t, "0123456789"))
        return t;
    if ((t = ui_name_tag(ui, e, last, w - 2 - MT_MIN(nw, NAME_KEEP), buf, len, alert)))
        return t;
    return ui_name_tag(ui, e, last, w - 2 - MT_MIN(nw, 4), buf, len, alert);
}

/* NAME cell with the tree prefix and the row's tag ("OOM-killed 2m ago"
 * on a tombstone, dimmed like the row; "OOM 2m ago" in red bold on a live
 * row with a recent kill; "(gone)"), shortened before the name is. */
static void draw_name(Ui *ui, int y, const UiRow *r, attr_t a, bool sel)
{
    char label[512], buf[600], tag[32];
    int x = ui->col_x[MT_COL_NAME], w = ui->col_w[MT_COL_NAME];
    entry_label(r->e, label, sizeof(label), ui->utf8);
    if (ui->tree && r->depth > 0) {
        size_t o = 0;
        buf[0] = '\0';
        for (int d = 1; d < r->depth && d <= 16; d++) {
            bool more = d <= 32 && (r->guides >> (d - 1)) & 1;
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s",
                                  !more ? "  " : ui->utf8 ? "\xe2\x94\x82 " : "| ");
        }
        const char *br = ui->utf8 ? (r->last ? "\xe2\x94\x94\xe2\x94\x80" : "\xe2\x94\x9c\xe2\x94\x80")
                                  : (r->last ? "`-" : "|-");
        snprintf(buf + o, sizeof(buf) - o, "%s%s", br, label);
    } else {
        snprintf(buf, sizeof(buf), "%s", label);
    }
    int nw = ui_text_width(buf);
    bool alert;
    const char *t = name_tag(ui, r->e, w, nw, tag, sizeof(tag), &alert);
    if (!t) {
        ui_put_trunc(ui, y, x, w, buf, a);
        return;
    }
    int tw = (int)strlen(t);            /* ASCII */
    nw = ui_put_trunc(ui, y, x, MT_MIN(nw, w - tw - 2), buf, a);
    attr_t ta = !alert ? a : sel ? a | A_BOLD : ui_attr(ui, UI_PAIR_CRIT, A_BOLD) | A_BOLD;
    ui_put(y, x + nw + 2, tw, t, ta);
}

static void draw_row(Ui *ui, int y, size_t i)
{
    const UiRow *r = &ui->rows[i];
    bool sel = i == ui->sel;
    bool gone = r->e->state == MT_STATE_GONE;
    attr_t a = sel ? ui_attr(ui, UI_PAIR_SEL, A_REVERSE) | (ui->color ? 0 : A_REVERSE)
                   : gone ? A_DIM : A_NORMAL;
    char buf[64];

    if (sel)
        ui_fill(y, 0, COLS, a);
    draw_name(ui, y, r, a, sel);
    for (int c = 1; c < UI_NCOLS; c++) {
        if (!ui->col_shown[c])
            continue;
        if (c == UI_COL_HIST) {
            attr_t ha = sel || gone ? a : ui_attr(ui, UI_PAIR_GRAPH, A_NORMAL);
            ui_sparkline(ui, y, ui->col_x[c], ui->col_w[c], r->e, MT_H_WS, ha);
            continue;
        }
        attr_t ca = a;
        double v;
        if (c == MT_COL_WS_PCT && !sel && !gone && ui_value(ui, r->e, MT_COL_WS_PCT, &v))
            ca = ui_attr(ui, ui_pct_pair(v), v >= 90 ? A_BOLD : A_NORMAL) | (v >= 90 ? A_BOLD : 0);
        /* OOM risk level: green, yellow, red; CRITICAL bold as well. */
        if (c == MT_COL_RISK && !sel && !gone && ui_value(ui, r->e, MT_COL_RISK, &v)) {
            int pair = v < MT_RISK_WATCH ? UI_PAIR_OK : v < MT_RISK_HIGH ? UI_PAIR_WARN
                                                                       : UI_PAIR_CRIT;
            attr_t bold = v >= MT_RISK_CRITICAL ? A_BOLD : 0;
            ca = ui_attr(ui, pair, bold ? A_BOLD : A_NORMAL) | bold;
        }
        ui_cell_text(ui, r->e, (MtColumn)c, buf, sizeof(buf));
        ui_put_right(y, ui->col_x[c], ui->col_w[c], buf, ca);
    }
}

static void draw_bottom(Ui *ui)
{
    int y = LINES - 1;
    char line[256];
    if (ui->editing) {
        snprintf(line, sizeof(line), "Filter: %s", ui->filter);
        ui_fill(y, 0, COLS, A_NORMAL);
        int w = ui_put(y, 0, COLS, line, A_BOLD);
        ui_put(y, w, COLS - w, "_   (Enter: keep, Esc: clear)", A_NORMAL);
        return;
    }
    if (ui->status[0] && ui_now_ms() < ui->status_until_ms) {
        ui_put(y, 0, COLS, ui->status, ui_attr(ui, UI_PAIR_STATUS, A_REVERSE));
        return;
    }
    if (ui->src.seek_ticks)
        snprintf(line, sizeof(line), "%s  %s/%s tick  PgUp/PgDn minute  g go to time  p %s  "
                 "Enter detail  q quit", ui->paused ? "PAUSED" : "REPLAY",
                 ui->utf8 ? "\xe2\x86\x90" : "<-", ui->utf8 ? "\xe2\x86\x92" : "->",
                 ui->paused ? "play" : "pause");
    else if (ui->paused)
        snprintf(line, sizeof(line), "PAUSED  %s/%s step through history  p resume  Enter detail  q quit",
                 ui->utf8 ? "\xe2\x86\x90" : "<-", ui->utf8 ? "\xe2\x86\x92" : "->");
    else
        snprintf(line, sizeof(line), "%s",
                 COLS >= 90 ? "F1 help  Enter detail  / filter  F6 sort  M R C F L N sort  t tree  a all  "
                              "p pause  q quit"
                            : "F1 help  Enter detail  / filter  F6 sort  t tree  a all  p pause  q quit");
    ui_put(y, 0, COLS, line, ui_attr(ui, UI_PAIR_LABEL, A_NORMAL));
}

void view_table_draw(Ui *ui)
{
    draw_header(ui);
    layout_columns(ui);
    ui->hdr_y = 3;
    ui->body_y = 4;
    ui->body_h = LINES - ui->body_y - 1;
    if (ui->body_h < 1)
        ui->body_h = 0;
    draw_colhdr(ui, ui->hdr_y);
    if (ui->sel < ui->top)
        ui->top = ui->sel;
    if (ui->body_h > 0 && ui->sel >= ui->top + (size_t)ui->body_h)
        ui->top = ui->sel - (size_t)ui->body_h + 1;
    if (ui->top + (size_t)ui->body_h > ui->nrows)
        ui->top = ui->nrows > (size_t)ui->body_h ? ui->nrows - (size_t)ui->body_h : 0;
    for (int i = 0; i < ui->body_h && ui->top + (size_t)i < ui->nrows; i++)
        draw_row(ui, ui->body_y + i, ui->top + (size_t)i);
    if (ui->nrows == 0 && ui->body_h > 0)
        ui_put(ui->body_y, 1, COLS - 1,
               ui->filter[0] ? "no cgroup matches the filter (Esc on / clears it)"
                             : "no containers found (press a for all cgroups)", A_DIM);
    draw_bottom(ui);
    if (ui->sort_menu)
        view_sort_menu_draw(ui);
}

void view_sort_menu_draw(Ui *ui)
{
    size_t n;
    const MtColumn *order = view_table_sort_order(&n);
    int w = 30, h = (int)n + 2, y0 = ui->body_y, x0 = 0;
    if (y0 + h > LINES - 1)
        h = LINES - 1 - y0;
    if (h < 3)
        return;
    attr_t box = ui_attr(ui, UI_PAIR_COLHDR, A_REVERSE);
    ui_fill(y0, x0, w, box);
    ui_put(y0, x0 + 1, w - 2, "Sort by (Enter, Esc)", box);
    int first = ui->menu_sel >= h - 2 ? ui->menu_sel - (h - 3) : 0;
    for (int i = 0; i < h - 2 && first + i < (int)n; i++) {
        MtColumn c = order[first + i];
        char line[80];
        snprintf(line, sizeof(line), " %-9s %s", column_get(c)->header, c == ui->sort ? "*" : "");
        attr_t a = first + i == ui->menu_sel ? ui_attr(ui, UI_PAIR_SEL, A_REVERSE) | A_BOLD : A_NORMAL;
        ui_fill(y0 + 1 + i, x0, w, a);
        ui_put(y0 + 1 + i, x0, w, line, a);
    }
    ui_fill(y0 + h - 1, x0, w, box);
}

/* Mouse click: header sorts (same column again inverts), a row selects. */
void view_table_click(Ui *ui, int y, int x)
{
    if (y == ui->hdr_y) {
        for (int c = 0; c < MT_COL_MAX; c++)
            if (ui->col_shown[c] && x >= ui->col_x[c] && x < ui->col_x[c] + ui->col_w[c]) {
                if ((int)ui->sort == c)
                    ui->reverse = !ui->reverse;
                else
                    ui->sort = (MtColumn)c, ui->reverse = false;
                ui_rows_rebuild(ui);
                return;
            }
        return;
    }
    if (y >= ui->body_y && y < ui->body_y + ui->body_h) {
        size_t i = ui->top + (size_t)(y - ui->body_y);
        if (i < ui->nrows)
            ui_select_index(ui, i);
    }
}
