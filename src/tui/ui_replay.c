/* ui_replay.c - time travel in a recording and the flight recorder's
 * dump key.  Recordings (UiSource.seek_ticks set):
 *   Left/Right   one recorded tick back/forward (pauses playback)
 *   PgUp/PgDn    one minute back/forward (table view; [ and ] everywhere)
 *   g            type a time (unix seconds or YYYY-mm-dd HH:MM:SS), Enter
 *   p, space     play/pause (ui.c)
 * Live and replay (UiSource.dump set):
 *   D            write the last --history ticks to a recording file */
#include "config.h"

#include <math.h>
#include <string.h>

#include "record/replay.h"
#include "tui/ui_state.h"

/* The model was moved: pause there and redraw from it. */
static void after_seek(Ui *ui, bool ok)
{
    ui->paused = true;
    ui->ended = false;
    ui->view_seq = ui->m->seq;
    ui_rows_rebuild(ui);
    if (!ok)
        ui_set_status(ui, "no recorded tick there");
}

static void key_time(Ui *ui, int ch)
{
    size_t len = strlen(ui->timebuf);
    double t;

    if (ch == 27) {
        ui->editing_time = false;
        ui_set_status(ui, "jump cancelled");
        return;
    }
    if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        ui->editing_time = false;
        ui->status[0] = '\0';
        if (replay_parse_time(ui->timebuf, &t) < 0) {
            ui_set_status(ui, "not a time: use unix seconds or YYYY-mm-dd HH:MM:SS");
            return;
        }
        after_seek(ui, ui->src.seek_time(ui->m, ui->src.ctx, t));
        return;
    }
    if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len)
        ui->timebuf[len - 1] = '\0';
    else if (ch >= 0x20 && ch < 0x7f && len + 1 < sizeof(ui->timebuf))
        ui->timebuf[len] = (char)ch, ui->timebuf[len + 1] = '\0';
    ui_set_status(ui, "jump to time: %s_", ui->timebuf);
    ui->status_until_ms = ui_now_ms() + 3600 * 1000;
}

static bool key_seek(Ui *ui, int ch)
{
    long minute = lround(60.0 / (ui->interval > 0 ? ui->interval : 2.0));
    long delta;

    if (minute < 1)
        minute = 1;
    switch (ch) {
    case KEY_LEFT: delta = -1; break;
    case KEY_RIGHT: delta = 1; break;
    case '[': delta = -minute; break;
    case ']': delta = minute; break;
    case KEY_PPAGE: case KEY_NPAGE:
        if (ui->view != UI_VIEW_TABLE)
            return false;       /* the detail pane scrolls */
        delta = ch == KEY_PPAGE ? -minute : minute;
        break;
    case 'g':
        if (ui->view != UI_VIEW_TABLE)
            return false;
        ui->editing_time = true;
        ui->timebuf[0] = '\0';
        ui_set_status(ui, "jump to time: _");
        ui->status_until_ms = ui_now_ms() + 3600 * 1000;
        return true;
    default:
        return false;
    }
    after_seek(ui, ui->src.seek_ticks(ui->m, ui->src.ctx, delta));
    return true;
}

bool ui_replay_key(Ui *ui, int ch)
{
    if (ui->editing_time) {
        key_time(ui, ch);
        return true;
    }
    if (ch == 'D' && ui->src.dump) {
        char msg[300];
        ui->src.dump(ui->m, ui->src.ctx, msg, sizeof(msg));
        ui_set_status(ui, "%s", msg);
        return true;
    }
    return ui->src.seek_ticks && key_seek(ui, ch);
}
