/* view_help.c - every key and every column, scrollable. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui/ui_state.h"

static const char *const keys_help[][2] = {
    { "Up/Down j/k", "move the selection (it stays on the same cgroup across ticks)" },
    { "PgUp/PgDn", "move by a page" },
    { "Home/End g/G", "first / last row" },
    { "Enter", "detail pane of the selected cgroup" },
    { "Esc, q", "back (detail, help); Esc on the table clears the filter" },
    { "/", "filter by name or path substring; Enter keeps it, Esc clears it" },
    { "a", "containers and pods only <-> every cgroup" },
    { "t", "tree view: pods above their containers, slices above services" },
    { "M", "sort by working set (default, descending)" },
    { "R", "sort by RSS (anonymous memory)" },
    { "C", "sort by page cache" },
    { "F", "sort by page faults/s" },
    { "J", "sort by major faults/s" },
    { "L", "sort by working set % of limit" },
    { "N", "sort by name" },
    { "U / S", "sort by usage / by shmem" },
    { "I", "invert the sort order (same sort key again also inverts)" },
    { "F6", "sort menu" },
    { "> < . ,", "next / previous sort column" },
    { "p, space", "pause / resume sampling" },
    { "Left/Right", "step back / forward through the history (pauses)" },
    { "+ = / -", "longer / shorter tick interval" },
    { "D", "live: write the last --history ticks to memtop-dump-<time>.rec" },
    { "Left/Right", "recording (-R): one recorded tick back / forward (pauses)" },
    { "PgUp/PgDn [ ]", "recording: one minute back / forward (PgUp/PgDn: table)" },
    { "g", "recording: jump to a time (unix seconds or YYYY-mm-dd HH:MM:SS), Enter" },
    { "mouse", "click a row to select it, a column header to sort by it" },
    { "h ? F1", "this help" },
    { "q, F10", "quit" },
};

void view_help_draw(Ui *ui)
{
    char line[512];
    int top = 1, h = LINES - 2, y = 0;
    attr_t la = ui_attr(ui, UI_PAIR_LABEL, A_BOLD);

    ui_fill(0, 0, COLS, ui_attr(ui, UI_PAIR_COLHDR, A_REVERSE));
    ui_put(0, 0, COLS, "memtop help: keys and columns", ui_attr(ui, UI_PAIR_COLHDR, A_REVERSE | A_BOLD));
    int nkeys = (int)(sizeof(keys_help) / sizeof(keys_help[0]));
    int total = 2 + nkeys + 2 + MT_COL_MAX + 1 + 5;
    if (ui->help_scroll > total - h)
        ui->help_scroll = total - h > 0 ? total - h : 0;
    int s = ui->help_scroll;
#define EMIT(x, str, a) do { if (y - s >= 0 && y - s < h) ui_put(top + y - s, (x), COLS - (x), (str), (a)); } while (0)
    EMIT(0, "Keys", la);
    y++;
    for (int i = 0; i < nkeys; i++, y++) {
        EMIT(2, keys_help[i][0], A_BOLD);
        EMIT(16, keys_help[i][1], A_NORMAL);
    }
    y++;
    EMIT(0, "Columns", la);
    y++;
    for (int c = 0; c < MT_COL_MAX; c++, y++) {
        const Column *col = column_get((MtColumn)c);
        snprintf(line, sizeof(line), "%s", col->header);
        EMIT(2, line, A_BOLD);
        snprintf(line, sizeof(line), "%s%s", col->help,
                 c == MT_COL_PATH ? " (sort only)" : "");
        EMIT(16, line, A_NORMAL);
    }
    EMIT(2, "WS HISTORY", A_BOLD);
    EMIT(16, "sparkline of the working set over the last ticks (min..max of the window)", A_NORMAL);
    y += 2;
    EMIT(0, "WS% colours: green < 70%, yellow 70-90%, red >= 90%. '-' = unknown. Dim rows have vanished.", A_NORMAL);
    y++;
    EMIT(0, "After a name: 'OOM 2m ago' (red) = an OOM kill in it in the last --oom-tombstone secs;",
         A_NORMAL);
    y++;
    EMIT(0, "'OOM-killed 2m ago' = vanished after a kill (kept --oom-tombstone secs); '(gone)' = vanished.",
         A_NORMAL);
    y++;
    EMIT(0, "Sizes are IEC (K = KiB, M = MiB, G = GiB). Working set = usage - inactive file.", A_NORMAL);
#undef EMIT
    ui->help_lines = total;
    ui_put(LINES - 1, 0, COLS, "Up/Down scroll, any other key: back", ui_attr(ui, UI_PAIR_LABEL, A_NORMAL));
}
