/* runrec.h - the program side of recording and replay (main.c glue):
 * the flight recorder of a live run (-w, --dump-on-oom, the TUI's D key)
 * and the printing of a recording (-R with -b/--json).  Errors and notes
 * come back as text; the caller decides where they go (stderr, or the
 * TUI's status line). */
#ifndef MEMTOP_RUNREC_H
#define MEMTOP_RUNREC_H

#include <stdbool.h>
#include <stddef.h>

#include "sample/model.h"
#include "cli/options.h"
#include "output/batch.h"
#include "record/recorder.h"
#include "tui/ui.h"

typedef struct {
    const Options *o;
    Recorder rec;
    bool active;
    char msg[4800];             /* last note (OOM dump written, recording stopped) */
    UiTickFn inner;             /* the TUI's live tick runrec_live_source wraps */
    void *inner_ctx;
} RunRec;

/* The batch table the options ask for (-a, -s, --reverse, -r), with one
 * extra column (the analysis' RISK), live or replayed alike. */
BatchOptions runrec_batch_options(const Options *o, BatchExtraColumn *extra);

/* Start the recorder when o asks for one (-w, --dump-on-oom) or ring is
 * true (the TUI keeps a memory ring for D).  -1 with err. */
int runrec_open(RunRec *rr, const Options *o, bool ring, char *err, size_t errlen);
/* After each live tick.  0: nothing to say; 1: rr->msg has a note;
 * -1: the recording file stopped (rr->msg says why). */
int runrec_tick(RunRec *rr, const Model *m);
/* Key D: write the memory ring to DIR/memtop-dump-YYYYmmdd-HHMMSS.rec
 * (DIR: --dump-on-oom, else the directory of -w FILE, else "."); msg gets
 * the outcome.  false on failure. */
bool runrec_dump(RunRec *rr, const Model *m, char *msg, size_t len);
void runrec_close(RunRec *rr);

/* The TUI's live source: inner(m, inner_ctx) (model_tick and what later
 * layers do per tick), then record (messages go to the status line); key
 * D dumps the memory ring. */
UiSource runrec_live_source(RunRec *rr, UiTickFn inner, void *inner_ctx);

/* -R FILE in the TUI: play the recording at its own pace; Left/Right,
 * PgUp/PgDn, g move in time (ui_replay.c).  Exit status, or
 * UI_NO_TERMINAL. */
int runrec_replay_ui(Options *o, const ModelOptions *mo);

/* -R FILE with -b/--json: print the ticks in [--from, --to], at most
 * iterations of them (0: all).  Damage goes to stderr.  Exit status. */
int runrec_replay_print(const Options *o, const ModelOptions *mo, long iterations);

#endif
