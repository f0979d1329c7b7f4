/* ui_state.h - state shared by the UI files (ui.c, ui_draw.c, ui_rows.c,
 * view_*.c).  Includes curses: never include it from the data layer. */
#ifndef MEMTOP_UI_STATE_H
#define MEMTOP_UI_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/columns.h"
#include "tui/curses_compat.h"
#include "sample/hist.h"
#include "sample/model.h"
#include "cli/options.h"
#include "forensics/cgprocs.h"
#include "tui/ui.h"

typedef enum {
    UI_VIEW_TABLE,
    UI_VIEW_DETAIL,
    UI_VIEW_HELP,
} UiView;

/* Colour pairs (0 = terminal default).  Without colours only attributes
 * (bold, reverse, dim) are used. */
enum {
    UI_PAIR_TITLE = 1,
    UI_PAIR_COLHDR,
    UI_PAIR_SORTCOL,
    UI_PAIR_SEL,
    UI_PAIR_OK,
    UI_PAIR_WARN,
    UI_PAIR_CRIT,
    UI_PAIR_ANON,
    UI_PAIR_SHMEM,
    UI_PAIR_AFILE,
    UI_PAIR_IFILE,
    UI_PAIR_KERNEL,
    UI_PAIR_FREE,
    UI_PAIR_GRAPH,
    UI_PAIR_STATUS,
    UI_PAIR_LABEL,
    UI_PAIR_MAX
};

/* Pseudo column for the working-set sparkline (after the real columns). */
#define UI_COL_HIST MT_COL_MAX
#define UI_NCOLS (MT_COL_MAX + 1)

typedef struct {
    const CgEntry *e;
    int depth;                  /* tree indentation level */
    bool last;                  /* tree: last child of its parent */
    uint32_t guides;            /* tree: bit d-1 set when the ancestor at depth d has
                                 * later siblings (a vertical guide at that level) */
} UiRow;

typedef struct Ui {
    Model *m;
    const Options *o;
    UiSource src;
    bool utf8, color, mouse;

    UiView view, help_return;
    MtColumn sort;
    bool reverse;
    MtShow show;
    bool tree;
    char filter[64];
    bool editing;               /* typing the filter on the bottom line */
    bool editing_time;          /* recordings: typing a time to jump to (key g) */
    char timebuf[32];

    UiRow *rows;                /* borrowed entries, display order */
    size_t nrows, rows_cap;
    char *sel_path;             /* selection, tracked by cgroup path */
    size_t sel, top;

    bool paused, ended;
    uint64_t view_seq;          /* tick shown; == m->seq unless paused in history */
    double interval;            /* seconds */
    long max_ticks;             /* -n: quit after this many ticks (0: never) */
    long ticks_done;

    bool sort_menu;
    int menu_sel;
    int detail_scroll, help_scroll, detail_lines, help_lines;

    char status[160];
    uint64_t status_until_ms;   /* monotonic */

    /* Geometry of the last table draw, for mouse clicks. */
    int hdr_y, body_y, body_h;
    bool col_shown[UI_NCOLS];
    int col_x[UI_NCOLS], col_w[UI_NCOLS];

    double self_cpu_pct;        /* memtop's own CPU use over the last tick */
    uint64_t self_rss;
    double last_cpu_ms, last_wall_ms;

    ProcList procs;             /* processes of the detail pane's cgroup */
    char *procs_path;
    uint64_t procs_seq;
    int procs_err;
} Ui;

/* ui_rows.c */
void ui_rows_rebuild(Ui *ui);
const CgEntry *ui_selected(const Ui *ui);
void ui_select_index(Ui *ui, size_t i);
bool ui_value(const Ui *ui, const CgEntry *e, MtColumn c, double *out);
bool ui_live(const Ui *ui);
/* Unix time of the viewed tick (NaN if unknown). */
double ui_view_time(const Ui *ui);
/* The newest OOM kill at or below e (NULL: none, or no forensics). */
const OomEvent *ui_last_kill(const Ui *ui, const CgEntry *e);
/* The NAME cell's tag ("OOM-killed 2m ago", "OOM 2m ago", "(gone)";
 * oomtext_tag) for e whose newest kill is last (ui_last_kill), in at most
 * room columns, or NULL; *alert: a live kill. */
const char *ui_name_tag(const Ui *ui, const CgEntry *e, const OomEvent *last, int room,
                        char *buf, size_t len, bool *alert);

/* ui_replay.c: keys of recordings (time travel) and of the flight
 * recorder (D).  true when the key was used. */
bool ui_replay_key(Ui *ui, int ch);

/* ui_draw.c */
void ui_colors_init(Ui *ui);
attr_t ui_attr(const Ui *ui, int pair, attr_t fallback);
int ui_text_width(const char *s);
/* Bytes of s that fit in maxw columns (whole characters); *cols = width. */
size_t ui_fit_bytes(const char *s, int maxw, int *cols);
int ui_put(int y, int x, int maxw, const char *s, attr_t a);
int ui_put_trunc(const Ui *ui, int y, int x, int w, const char *s, attr_t a);
void ui_put_right(int y, int x, int w, const char *s, attr_t a);
void ui_fill(int y, int x, int w, attr_t a);
const char *ui_glyph_level(const Ui *ui, int level);        /* 0..8 */
void ui_sparkline(const Ui *ui, int y, int x, int w, const CgEntry *e, HistField f,
                  attr_t a);
void ui_graph(const Ui *ui, int y, int x, int w, int h, const CgEntry *e, HistField f,
              bool rate, const char *title, int clip_top, int clip_bot);
char *ui_cell_text(const Ui *ui, const CgEntry *e, MtColumn c, char *buf, size_t len);
int ui_pct_pair(double pct);
uint64_t ui_now_ms(void);
void ui_set_status(Ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* view_table.c */
void view_table_draw(Ui *ui);
void view_table_click(Ui *ui, int y, int x);
const MtColumn *view_table_sort_order(size_t *n);
void view_sort_menu_draw(Ui *ui);

/* view_detail.c */
void view_detail_draw(Ui *ui);
void view_detail_refresh_procs(Ui *ui, bool force);

/* view_help.c */
void view_help_draw(Ui *ui);

#endif
