/* ui.h - the interactive ncurses interface (curses-free header: main.c
 * includes it).
 *
 * The UI never samples by itself: a UiSource supplies ticks.  The live
 * source calls model_tick(); a recording replayer can plug in its own
 * function that fills the Model from a file, and the header then shows the
 * tick's own time (model_tick_time), never "now". */
#ifndef MEMTOP_UI_H
#define MEMTOP_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "forensics/forensics.h"
#include "sample/model.h"
#include "cli/options.h"

/* Advance m by one tick.  Returns false when the source has nothing more
 * (end of a recording); the UI then keeps showing the last tick. */
typedef bool (*UiTickFn)(Model *m, void *ctx);

typedef struct {
    UiTickFn tick;
    void *ctx;
    const char *label;          /* shown in the header ("live", a file name); sanitized there */
    bool fixed_interval;        /* true: +/- does not apply (the source has its own pace) */
    /* Recordings (NULL when live): show the recorded tick delta ticks away
     * from the current one, or the first at or after unix time t; false
     * when there is none.  The Model may be rebuilt (entry pointers die). */
    bool (*seek_ticks)(Model *m, void *ctx, long delta);
    bool (*seek_time)(Model *m, void *ctx, double t);
    /* Recordings: the shown tick's position (0-based) among n recorded. */
    bool (*position)(void *ctx, size_t *at, size_t *n);
    /* Key D: write the memory ring of recent ticks to a file; msg gets
     * the status line text.  NULL: not available. */
    bool (*dump)(Model *m, void *ctx, char *msg, size_t len);
    /* After a tick: a message for the status line (recording stopped, OOM
     * dump written, damaged data skipped), or NULL. */
    const char *(*message)(void *ctx);
    /* The OOM forensics of a live run (kill history, tags in the table),
     * valid while the UI runs; NULL when the source has none (replays). */
    const Forensics *forensics;
} UiSource;

/* The live source: model_tick(m, 0, 0). */
bool ui_tick_live(Model *m, void *ctx);

#define UI_NO_TERMINAL (-1000)  /* ui_run could not set up the terminal */

/* Run the interface until the user quits or a stop signal arrives.
 * src NULL means live sampling.  Returns the process exit status (0), or
 * UI_NO_TERMINAL when curses could not start (the caller falls back to
 * batch mode).  The terminal is restored on every exit path, including
 * SIGINT/SIGTERM/SIGHUP/SIGQUIT and fatal() (through the xalloc hook). */
int ui_run(Model *m, const Options *o, const UiSource *src);

#endif
