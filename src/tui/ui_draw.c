/* ui_draw.c - drawing primitives: colours, width-aware text, sparklines
 * and block graphs from the history ring, cell formatting. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "analysis/analysis.h"
#include "util/format.h"
#include "tui/ui_state.h"

uint64_t ui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void ui_set_status(Ui *ui, const char *fmt, ...)
{
    char tmp[sizeof(ui->status)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    sanitize_text(ui->status, sizeof(ui->status), tmp, strlen(tmp), 0, ui->utf8);
    ui->status_until_ms = ui_now_ms() + 3000;
}

void ui_colors_init(Ui *ui)
{
    static const struct { short pair, fg, bg; } pairs[] = {
        { UI_PAIR_TITLE, COLOR_CYAN, -1 },
        { UI_PAIR_COLHDR, COLOR_BLACK, COLOR_GREEN },
        { UI_PAIR_SORTCOL, COLOR_BLACK, COLOR_CYAN },
        { UI_PAIR_SEL, COLOR_BLACK, COLOR_CYAN },
        { UI_PAIR_OK, COLOR_GREEN, -1 },
        { UI_PAIR_WARN, COLOR_YELLOW, -1 },
        { UI_PAIR_CRIT, COLOR_RED, -1 },
        { UI_PAIR_ANON, COLOR_RED, -1 },
        { UI_PAIR_SHMEM, COLOR_MAGENTA, -1 },
        { UI_PAIR_AFILE, COLOR_BLUE, -1 },
        { UI_PAIR_IFILE, COLOR_CYAN, -1 },
        { UI_PAIR_KERNEL, COLOR_YELLOW, -1 },
        { UI_PAIR_FREE, COLOR_GREEN, -1 },
        { UI_PAIR_GRAPH, COLOR_GREEN, -1 },
        { UI_PAIR_STATUS, COLOR_BLACK, COLOR_CYAN },
        { UI_PAIR_LABEL, COLOR_CYAN, -1 },
    };
    if (!ui->color)
        return;
    start_color();
    use_default_colors();
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        init_pair(pairs[i].pair, pairs[i].fg, pairs[i].bg);
}

/* The colour pair when colours are on, else the fallback attribute. */
attr_t ui_attr(const Ui *ui, int pair, attr_t fallback)
{
    return ui->color ? (attr_t)COLOR_PAIR(pair) : fallback;
}

/* Display width of a UTF-8 string (invalid bytes count 1). */
int ui_text_width(const char *s)
{
    mbstate_t st;
    int w = 0;
    size_t len = strlen(s);
    memset(&st, 0, sizeof(st));
    while (len > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, len, &st);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&st, 0, sizeof(st));
            n = 1;
            w++;
        } else {
            int cw = wcwidth(wc);
            w += cw > 0 ? cw : 0;
        }
        s += n;
        len -= n;
    }
    return w;
}

/* Bytes of s that fit in maxw columns; *cols gets their width. */
size_t ui_fit_bytes(const char *s, int maxw, int *cols)
{
    mbstate_t st;
    size_t len = strlen(s), off = 0;
    int w = 0;
    memset(&st, 0, sizeof(st));
    while (off < len) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s + off, len - off, &st);
        int cw = 1;
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&st, 0, sizeof(st));
            n = 1;
        } else {
            cw = wcwidth(wc);
            if (cw < 0)
                cw = 0;
        }
        if (w + cw > maxw)
            break;
        w += cw;
        off += n;
    }
    *cols = w;
    return off;
}

/* Write at most maxw columns of s at (y, x); returns the columns used. */
int ui_put(int y, int x, int maxw, const char *s, attr_t a)
{
    int cols;
    if (maxw <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + maxw > COLS)
        maxw = COLS - x;
    size_t n = ui_fit_bytes(s, maxw, &cols);
    attrset(a);
    mvaddnstr(y, x, s, (int)n);
    attrset(A_NORMAL);
    return cols;
}

/* Like ui_put, ending with an ellipsis when s is wider than w. */
int ui_put_trunc(const Ui *ui, int y, int x, int w, const char *s, attr_t a)
{
    if (w <= 0)
        return 0;
    if (ui_text_width(s) <= w)
        return ui_put(y, x, w, s, a);
    int used = ui_put(y, x, w - 1, s, a);
    return used + ui_put(y, x + used, 1, ui->utf8 ? "\xe2\x80\xa6" : "~", a);
}

void ui_put_right(int y, int x, int w, const char *s, attr_t a)
{
    int tw = ui_text_width(s);
    if (tw > w)
        tw = w;
    ui_put(y, x + w - tw, tw, s, a);
}

void ui_fill(int y, int x, int w, attr_t a)
{
    if (y < 0 || y >= LINES || x >= COLS || w <= 0)
        return;
    if (x + w > COLS)
        w = COLS - x;
    attrset(a);
    mvhline(y, x, ' ', w);
    attrset(A_NORMAL);
}

const char *ui_glyph_level(const Ui *ui, int level)
{
    static const char *const blocks[9] = {
        " ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
        "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
    };
    static const char *const ascii[9] = { " ", "_", "_", ".", "-", "-", "=", "#", "#" };
    if (level < 0)
        level = 0;
    if (level > 8)
        level = 8;
    return ui->utf8 ? blocks[level] : ascii[level];
}

/* Value of history field f at tick seq as a double; false if unknown. */
static bool hist_double(const CgEntry *e, HistField f, uint64_t seq, bool rate, double *out)
{
    const HistRecord *r = hist_at(&e->hist, seq);
    if (!r || r->v[f] == HIST_INVALID || r->v[f] == HIST_UNLIMITED)
        return false;
    *out = rate ? hist_decode_rate(r->v[f]) : (double)hist_decode_bytes(r->v[f]);
    return !isnan(*out);
}

/* One-line sparkline of the w ticks ending at the viewed tick, scaled
 * between the window's minimum and maximum. */
void ui_sparkline(const Ui *ui, int y, int x, int w, const CgEntry *e, HistField f, attr_t a)
{
    double v[512], lo = INFINITY, hi = -INFINITY;
    bool ok[512];
    if (w <= 0)
        return;
    if (w > 512)
        w = 512;
    for (int i = 0; i < w; i++) {
        uint64_t back = (uint64_t)(w - 1 - i);
        ok[i] = ui->view_seq > back && hist_double(e, f, ui->view_seq - back, false, &v[i]);
        if (ok[i]) {
            lo = fmin(lo, v[i]);
            hi = fmax(hi, v[i]);
        }
    }
    for (int i = 0; i < w; i++) {
        int level = 0;
        if (ok[i])
            level = hi > lo ? 1 + (int)lround(7.0 * (v[i] - lo) / (hi - lo)) : (hi > 0 ? 4 : 1);
        ui_put(y, x + i, 1, ui_glyph_level(ui, level), a);
    }
}

/* Multi-line block graph, h rows, w columns, 0-based scale; title line
 * above with the maximum and the time span.  y may be virtual: only rows in
 * [clip_top, clip_bot) are drawn (scrolled panes). */
void ui_graph(const Ui *ui, int y, int x, int w, int h, const CgEntry *e, HistField f,
              bool rate, const char *title, int clip_top, int clip_bot)
{
    double v[512], hi = 0;
    bool ok[512];
    char line[160], a[32], b[32];
    int span = 0;

    if (w <= 0 || h <= 0)
        return;
    if (w > 512)
        w = 512;
    for (int i = 0; i < w; i++) {
        uint64_t back = (uint64_t)(w - 1 - i);
        ok[i] = ui->view_seq > back && hist_double(e, f, ui->view_seq - back, rate, &v[i]);
        if (ok[i]) {
            hi = fmax(hi, v[i]);
            if (span == 0)
                span = w - i;
        }
    }
    const TickTime *t1 = model_tick_time(ui->m, ui->view_seq);
    const TickTime *t0 = span ? model_tick_time(ui->m, ui->view_seq - (uint64_t)(span - 1)) : NULL;
    double secs = t0 && t1 ? t1->real - t0->real : 0;
    if (rate)
        fmt_rate(a, sizeof(a), hi);
    else
        fmt_bytes(a, sizeof(a), (uint64_t)hi, true);
    snprintf(b, sizeof(b), secs >= 120 ? "%.0f min" : "%.0f s", secs >= 120 ? secs / 60 : secs);
    snprintf(line, sizeof(line), "%s  max %s  last %s (%d ticks)", title, a, b, span);
    if (y >= clip_top && y < clip_bot)
        ui_put(y, x, w, line, ui_attr(ui, UI_PAIR_LABEL, A_BOLD));
    attr_t ga = ui_attr(ui, UI_PAIR_GRAPH, A_NORMAL);
    for (int i = 0; i < w; i++) {
        int eighths = ok[i] && hi > 0 ? (int)lround(v[i] / hi * (double)(h * 8)) : 0;
        if (ok[i] && v[i] > 0 && eighths == 0)
            eighths = 1;
        for (int row = 0; row < h; row++) {
            int lv = eighths - (h - 1 - row) * 8;
            if (y + 1 + row >= clip_top && y + 1 + row < clip_bot)
                ui_put(y + 1 + row, x + i, 1, ui_glyph_level(ui, lv), ga);
        }
    }
}

/* Cell text of column c at the viewed tick. */
char *ui_cell_text(const Ui *ui, const CgEntry *e, MtColumn c, char *buf, size_t len)
{
    const Column *col = column_get(c);
    double v;

    if (c == MT_COL_RISK) {
        /* the level of the viewed tick (history keeps it per tick) */
        snprintf(buf, len, "%s", ui_value(ui, e, c, &v) ? risk_level_name((MtRiskLevel)v) : "-");
        return buf;
    }
    if (col->fmt == MT_FMT_TEXT)
        return c == MT_COL_PATH ? (sanitize_text(buf, len, e->path, strlen(e->path), 0, ui->utf8), buf)
                                : entry_label(e, buf, len, ui->utf8);
    bool have = ui_value(ui, e, c, &v);
    switch (col->fmt) {
    case MT_FMT_BYTES:
        if (have && isinf(v))
            snprintf(buf, len, "max");
        else    /* 2^64-1 from the kernel is 2^64 as a double: no UB cast */
            fmt_bytes(buf, len, !have ? 0 : v >= 0x1p64 ? UINT64_MAX : (uint64_t)v, have);
        break;
    case MT_FMT_PCT:
        fmt_pct(buf, len, have ? v : (double)NAN);
        break;
    case MT_FMT_RATE:
        fmt_rate(buf, len, have ? v : (double)NAN);
        break;
    case MT_FMT_TEXT:
        break;
    }
    return buf;
}

/* Colour band of a WS% value. */
int ui_pct_pair(double pct)
{
    if (pct >= 90)
        return UI_PAIR_CRIT;
    if (pct >= 70)
        return UI_PAIR_WARN;
    return UI_PAIR_OK;
}
