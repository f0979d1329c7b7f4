/* ui.c - terminal setup and teardown, signals, the main loop and key
 * dispatch.  Sampling and input are independent: the loop waits on stdin
 * with ppoll() until the next tick is due, so a key redraws at once. */
#include "config.h"

#include "tui/ui.h"

#include <errno.h>
#include <langinfo.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tui/ui_state.h"
#include "util/xalloc.h"

static volatile sig_atomic_t ui_stop_signal;
static bool ui_curses_active;

static void ui_on_signal(int sig)
{
    ui_stop_signal = sig;
}

/* xalloc fatal hook: restore the terminal before the message is printed. */
static void ui_fatal_hook(void)
{
    if (ui_curses_active) {
        endwin();
        ui_curses_active = false;
    }
}

bool ui_tick_live(Model *m, void *ctx)
{
    (void)ctx;
    model_tick(m, 0, 0);
    return true;
}

/* Block the stop signals except inside ppoll(), so none is lost between
 * checking the flag and going to sleep. */
static void install_signals(sigset_t *wait_mask)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = ui_on_signal;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&block);
    for (size_t i = 0; i < MT_ARRAY_SIZE(sigs); i++) {
        sigaction(sigs[i], &sa, NULL);
        sigaddset(&block, sigs[i]);
    }
    signal(SIGPIPE, SIG_IGN);
    sigprocmask(SIG_BLOCK, &block, wait_mask);
    for (size_t i = 0; i < MT_ARRAY_SIZE(sigs); i++)
        sigdelset(wait_mask, sigs[i]);
}

static double cpu_ms_self(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void tick_once(Ui *ui)
{
    if (!ui->src.tick(ui->m, ui->src.ctx)) {
        ui->ended = true;
        ui_set_status(ui, "end of the recording");
    }
    const char *msg = ui->src.message ? ui->src.message(ui->src.ctx) : NULL;
    if (msg)
        ui_set_status(ui, "%s", msg);
    ui->view_seq = ui->m->seq;
    double cpu = cpu_ms_self(), wall = (double)ui_now_ms();
    if (ui->last_wall_ms > 0 && wall > ui->last_wall_ms)
        ui->self_cpu_pct = 100.0 * (cpu - ui->last_cpu_ms) / (wall - ui->last_wall_ms);
    ui->last_cpu_ms = cpu;
    ui->last_wall_ms = wall;
    ui->self_rss = procs_self_rss();
    ui_rows_rebuild(ui);
    if (ui->view == UI_VIEW_DETAIL)
        view_detail_refresh_procs(ui, true);
}

static void ui_draw(Ui *ui)
{
    erase();
    if (LINES < 6 || COLS < 30) {
        ui_put(0, 0, COLS, "terminal too small", A_BOLD);
    } else if (ui->view == UI_VIEW_DETAIL) {
        view_detail_draw(ui);
    } else if (ui->view == UI_VIEW_HELP) {
        view_help_draw(ui);
    } else {
        view_table_draw(ui);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

static void set_sort(Ui *ui, MtColumn c)
{
    if (ui->sort == c)
        ui->reverse = !ui->reverse;     /* htop habit: same key again inverts */
    else
        ui->sort = c, ui->reverse = false;
    ui_rows_rebuild(ui);
}

static void cycle_sort(Ui *ui, int dir)
{
    size_t n, i = 0;
    const MtColumn *order = view_table_sort_order(&n);
    while (i < n && order[i] != ui->sort)
        i++;
    i = (i + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
    ui->sort = order[i];
    ui_rows_rebuild(ui);
}

static void change_interval(Ui *ui, int dir)
{
    static const double steps[] = { 0.2, 0.5, 1, 2, 3, 5, 10, 15, 30, 60 };
    size_t n = MT_ARRAY_SIZE(steps), i = 0;
    if (ui->src.fixed_interval) {
        ui_set_status(ui, "the interval is fixed by the data source");
        return;
    }
    while (i < n && steps[i] < ui->interval - 1e-9)
        i++;
    if (dir > 0)
        i = i + 1 < n ? (steps[i] > ui->interval + 1e-9 ? i : i + 1) : n - 1;
    else
        i = i > 0 ? i - 1 : 0;
    ui->interval = steps[i];
    ui->m->opt.interval = ui->interval;
    ui_set_status(ui, "interval %gs", ui->interval);
}

/* Step the viewed tick through the history (pauses first). */
static void step_history(Ui *ui, int dir)
{
    Model *m = ui->m;
    if (!ui->paused) {
        ui->paused = true;
        ui_set_status(ui, "paused");
    }
    if (dir < 0 && ui->view_seq > 1 && model_tick_time(m, ui->view_seq - 1))
        ui->view_seq--;
    else if (dir > 0 && ui->view_seq < m->seq)
        ui->view_seq++;
    ui_rows_rebuild(ui);
}

static void toggle_pause(Ui *ui, uint64_t *next_tick)
{
    ui->paused = !ui->paused;
    if (!ui->paused) {
        ui->view_seq = ui->m->seq;
        *next_tick = ui_now_ms();
        ui_rows_rebuild(ui);
    }
}

static void move_sel(Ui *ui, long delta)
{
    long i = (long)ui->sel + delta;
    if (i < 0)
        i = 0;
    ui_select_index(ui, (size_t)i);
}

static void key_filter(Ui *ui, int ch)
{
    size_t len = strlen(ui->filter);
    if (ch == 27) {
        ui->filter[0] = '\0';
        ui->editing = false;
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        ui->editing = false;
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (len)
            ui->filter[len - 1] = '\0';
    } else if (ch >= 0x20 && ch < 0x7f && len + 1 < sizeof(ui->filter)) {
        ui->filter[len] = (char)ch;
        ui->filter[len + 1] = '\0';
    } else {
        return;
    }
    ui->sel_path = (free(ui->sel_path), NULL);
    ui->sel = 0;
    ui_rows_rebuild(ui);
}

static void key_sort_menu(Ui *ui, int ch)
{
    size_t n;
    const MtColumn *order = view_table_sort_order(&n);
    if (ch == KEY_UP || ch == 'k')
        ui->menu_sel = ui->menu_sel > 0 ? ui->menu_sel - 1 : 0;
    else if (ch == KEY_DOWN || ch == 'j')
        ui->menu_sel = ui->menu_sel + 1 < (int)n ? ui->menu_sel + 1 : (int)n - 1;
    else if (ch == KEY_HOME)
        ui->menu_sel = 0;
    else if (ch == KEY_END)
        ui->menu_sel = (int)n - 1;
    else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        ui->sort = order[ui->menu_sel];
        ui->reverse = false;
        ui->sort_menu = false;
        ui_rows_rebuild(ui);
    } else if (ch == 27 || ch == 'q' || ch == KEY_F(6))
        ui->sort_menu = false;
}

static void open_sort_menu(Ui *ui)
{
    size_t n;
    const MtColumn *order = view_table_sort_order(&n);
    ui->sort_menu = true;
    ui->menu_sel = 0;
    for (size_t i = 0; i < n; i++)
        if (order[i] == ui->sort)
            ui->menu_sel = (int)i;
}

static void handle_mouse(Ui *ui)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || ui->view != UI_VIEW_TABLE || ui->sort_menu)
        return;
    if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
        view_table_click(ui, ev.y, ev.x);
}

/* Keys of the table view; returns false for keys it does not know. */
static bool key_table(Ui *ui, int ch)
{
    long page = ui->body_h > 1 ? ui->body_h - 1 : 1;
    switch (ch) {
    case KEY_UP: case 'k': move_sel(ui, -1); break;
    case KEY_DOWN: case 'j': move_sel(ui, 1); break;
    case KEY_PPAGE: move_sel(ui, -page); break;
    case KEY_NPAGE: move_sel(ui, page); break;
    case KEY_HOME: case 'g': ui_select_index(ui, 0); break;
    case KEY_END: case 'G': ui_select_index(ui, ui->nrows ? ui->nrows - 1 : 0); break;
    case '\n': case '\r': case KEY_ENTER:
        if (ui_selected(ui)) {
            ui->view = UI_VIEW_DETAIL;
            ui->detail_scroll = 0;
            view_detail_refresh_procs(ui, true);
        }
        break;
    case '/': ui->editing = true; break;
    case 27:
        if (ui->filter[0])
            key_filter(ui, 27);
        break;
    case 'a':
        ui->show = ui->show == MT_SHOW_ALL ? MT_SHOW_CONTAINERS : MT_SHOW_ALL;
        ui_rows_rebuild(ui);
        break;
    case 't': ui->tree = !ui->tree; ui_rows_rebuild(ui); break;
    case 'M': set_sort(ui, MT_COL_WS); break;
    case 'R': set_sort(ui, MT_COL_ANON); break;
    case 'C': set_sort(ui, MT_COL_FILE); break;
    case 'F': set_sort(ui, MT_COL_PGFAULT); break;
    case 'J': set_sort(ui, MT_COL_MAJFAULT); break;
    case 'L': set_sort(ui, MT_COL_WS_PCT); break;
    case 'N': set_sort(ui, MT_COL_NAME); break;
    case 'U': set_sort(ui, MT_COL_USAGE); break;
    case 'S': set_sort(ui, MT_COL_SHMEM); break;
    case 'I': ui->reverse = !ui->reverse; ui_rows_rebuild(ui); break;
    case '>': case '.': cycle_sort(ui, 1); break;
    case '<': case ',': cycle_sort(ui, -1); break;
    case KEY_F(6): open_sort_menu(ui); break;
    case KEY_MOUSE: handle_mouse(ui); break;
    default: return false;
    }
    return true;
}

/* Scrolling keys of the detail and help views. */
static bool key_scroll(int *scroll, int ch)
{
    int page = LINES > 4 ? LINES - 3 : 1;
    switch (ch) {
    case KEY_UP: case 'k': *scroll -= 1; break;
    case KEY_DOWN: case 'j': *scroll += 1; break;
    case KEY_PPAGE: *scroll -= page; break;
    case KEY_NPAGE: case ' ': *scroll += page; break;
    case KEY_HOME: case 'g': *scroll = 0; break;
    case KEY_END: case 'G': *scroll = 1 << 20; break;
    default: return false;
    }
    if (*scroll < 0)
        *scroll = 0;
    return true;
}

/* One key.  Returns false when memtop should quit. */
static bool handle_key(Ui *ui, int ch, uint64_t *next_tick)
{
    if (ch == KEY_RESIZE)
        return true;                /* the next draw uses the new LINES/COLS */
    if (ui->editing) {
        key_filter(ui, ch);
        return true;
    }
    if ((ui->editing_time || ui->view != UI_VIEW_HELP) && ui_replay_key(ui, ch))
        return true;
    if (ui->sort_menu) {
        key_sort_menu(ui, ch);
        return true;
    }
    if (ch == KEY_F(10))
        return false;
    if (ui->view == UI_VIEW_HELP) {
        if (!key_scroll(&ui->help_scroll, ch) && ch != KEY_MOUSE)
            ui->view = ui->help_return;
        return true;
    }
    if (ch == 'h' || ch == '?' || ch == KEY_F(1)) {
        ui->help_return = ui->view;
        ui->help_scroll = 0;
        ui->view = UI_VIEW_HELP;
        return true;
    }
    if (ch == 'p' || (ch == ' ' && ui->view == UI_VIEW_TABLE)) {
        toggle_pause(ui, next_tick);
        return true;
    }
    if (ch == KEY_LEFT || ch == KEY_RIGHT) {
        step_history(ui, ch == KEY_LEFT ? -1 : 1);
        return true;
    }
    if (ch == '+' || ch == '=' || ch == '-') {
        change_interval(ui, ch == '-' ? -1 : 1);
        return true;
    }
    if (ui->view == UI_VIEW_DETAIL) {
        if (ch == 27 || ch == 'q' || ch == KEY_BACKSPACE)
            ui->view = UI_VIEW_TABLE;
        else
            key_scroll(&ui->detail_scroll, ch);
        return true;
    }
    if (ch == 'q')
        return false;
    key_table(ui, ch);
    return true;
}

static void ui_init_state(Ui *ui, Model *m, const Options *o, const UiSource *src)
{
    const char *nc = getenv("NO_COLOR");
    memset(ui, 0, sizeof(*ui));
    ui->m = m;
    ui->o = o;
    ui->src = src ? *src : (UiSource){ .tick = ui_tick_live, .label = "live" };
    ui->utf8 = !o->ascii && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    ui->color = has_colors() && !o->no_color && !(nc && *nc);
    ui->sort = o->sort;
    ui->reverse = o->reverse;
    ui->show = o->all ? MT_SHOW_ALL : MT_SHOW_CONTAINERS;
    ui->interval = o->delay;
    ui->max_ticks = o->iterations_set ? o->iterations : 0;
    proclist_init(&ui->procs);
}

static void ui_free_state(Ui *ui)
{
    free(ui->rows);
    free(ui->sel_path);
    free(ui->procs_path);
    proclist_done(&ui->procs);
}

static void ui_loop(Ui *ui, const sigset_t *wait_mask)
{
    uint64_t next_tick = ui_now_ms();
    bool dirty = true, quit = false;

    while (!quit && !ui_stop_signal) {
        uint64_t now = ui_now_ms();
        if (!ui->paused && !ui->ended && now >= next_tick) {
            tick_once(ui);
            ui->ticks_done++;
            uint64_t iv = (uint64_t)llround(ui->interval * 1000.0);
            next_tick += iv;
            if (next_tick <= now)
                next_tick = now + iv;
            dirty = true;
        }
        if (dirty) {
            ui_draw(ui);
            dirty = false;
        }
        if (ui->max_ticks > 0 && ui->ticks_done >= ui->max_ticks)
            break;      /* -n, like top: quit after the Nth frame */
        now = ui_now_ms();
        int64_t wait = ui->paused || ui->ended ? 1000 : (int64_t)(next_tick - MT_MIN(now, next_tick));
        if (ui->status[0] && ui->status_until_ms > now)
            wait = MT_MIN(wait, (int64_t)(ui->status_until_ms - now) + 10);
        else if (ui->status[0]) {
            ui->status[0] = '\0';
            dirty = true;
            continue;
        }
        struct timespec ts = { (time_t)(wait / 1000), (long)(wait % 1000) * 1000000L };
        struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
        int r = ppoll(&pfd, 1, &ts, wait_mask);
        /* The terminal went away (SSH dropped, tmux killed): a pty whose
         * other side closed reports POLLHUP, often with POLLIN, and reads
         * then fail forever; never spin on it. */
        if (r > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
            break;
        int ch;
        while (!quit && (ch = getch()) != ERR) {
            quit = !handle_key(ui, ch, &next_tick);
            dirty = true;
        }
    }
}

int ui_run(Model *m, const Options *o, const UiSource *src)
{
    Ui ui;
    sigset_t wait_mask, old_mask;

    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr)
        return UI_NO_TERMINAL;
    ui_curses_active = true;
    xalloc_set_fatal_hook(ui_fatal_hook);
    ui_init_state(&ui, m, o, src);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    if (mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL))
        mouseinterval(0);
    ui_colors_init(&ui);
    sigprocmask(SIG_SETMASK, NULL, &old_mask);
    install_signals(&wait_mask);

    ui_loop(&ui, &wait_mask);

    endwin();
    ui_curses_active = false;
    xalloc_set_fatal_hook(NULL);
    delscreen(scr);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    ui_free_state(&ui);
    int sig = ui_stop_signal;
    return sig == 0 || sig == SIGINT ? 0 : 128 + sig;
}
