/* model.h - the sampler: one call per tick discovers cgroups, reads them,
 * derives effective limits and rates, pushes history and sweeps cgroups
 * that vanished.  Everything the views (TUI, batch, JSON) show comes from a
 * Model; nothing here prints or includes curses. */
#ifndef MEMTOP_MODEL_H
#define MEMTOP_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "sample/cgtable.h"
#include "sample/discover.h"
#include "sample/layout.h"
#include "sample/parse.h"
#include "sample/reader.h"

typedef struct {
    const char *root;           /* --root, default "/" */
    uint32_t history;           /* ticks of history per cgroup */
    double tomb_secs;           /* how long a vanished cgroup stays listed */
    int slow_every;             /* re-read limits every N ticks */
    long fd_budget;             /* kept-open fds; <0: automatic, 0: none */
    double interval;            /* nominal tick interval, seconds */
    bool no_inotify;            /* walk the tree every tick (no change detection) */
    double rescan_secs;         /* full walk at least this often even without events */
    int carry_max;              /* a quiet cgroup's memory.stat may be carried over
                                 * this many ticks in a row (0: read every tick);
                                 * see reader_read */
    bool quick_first;           /* the first tick reads only what the table and
                                 * the risk verdict need (the terminal UI's first
                                 * frame); the second reads everything */
} ModelOptions;

void model_options_default(ModelOptions *o);

typedef struct {
    bool mem_valid;
    MemInfo mem;                /* /proc/meminfo, bytes */
    bool psi_valid;
    PsiValues psi;              /* /proc/pressure/memory */
    bool ws_valid;
    uint64_t usage;             /* root cgroup usage (v2: anon + file) */
    uint64_t working_set;       /* root usage - root inactive_file (kubelet) */
    uint64_t toplevel_usage;    /* sum over the root's direct children */
    uint64_t toplevel_ws;
    int n_containers, n_pods, n_live;
    long pagesize;
    int vm_swappiness;          /* /proc/sys/vm/swappiness, -1 if unreadable */
} NodeSample;

typedef struct {
    double real;                /* unix time, seconds */
    uint64_t mono_ns;           /* CLOCK_MONOTONIC */
} TickTime;

typedef struct Model {
    ModelOptions opt;
    int rootfd, memroot_fd, psiroot_fd;
    CgLayout layout;
    Reader reader;
    Discover disc;              /* walk scheduling (inotify) */
    CgTable table;
    NodeSample node;
    TickTime *ticks;            /* ring of opt.history tick times, by seq */
    uint64_t seq;               /* number of ticks taken; the last is seq */
    uint64_t gen;               /* discovery generation: bumped by every walk */
    double last_tick_cpu_ms;    /* CPU time of the last model_tick */
    char hostname[256];
    char kernel[256];
    /* Called at the end of every model_tick (the analysis layer). */
    void (*after_tick)(struct Model *m, void *ctx);
    void *after_tick_ctx;
} Model;

/* Open --root, detect the layout, prepare the reader.  On failure returns a
 * negative errno or -EMEDIUMTYPE (layout problem) and writes one line for the
 * user into err. */
int model_open(Model *m, const ModelOptions *o, char *err, size_t errlen);
void model_close(Model *m);

/* Take one sample of everything.  now_real/now_mono of 0 mean "use the
 * clocks" (tests pass explicit times).  Returns 0. */
int model_tick(Model *m, double now_real, uint64_t now_mono_ns);

/* The stages of model_tick, for a replayer that feeds recorded samples
 * instead of reading the system:
 *   model_tick_begin      seq++, gen++, remember the tick time;
 *   model_entry_sampled   e got a new sample s at mono (cur -> prev);
 *                         carried: s's composition was carried over from
 *                         the previous sample, not read (MT_READ_CARRIED);
 *   model_entry_gone      e vanished at now_real (tombstone);
 *   model_tick_end        derive + push history for every entry sampled in
 *                         this tick (parents first), propagate "gone" to
 *                         children, sweep (sweep NULL: tombstones that
 *                         expired; else entries for which sweep() is true)
 *                         and compute node totals (m->node's mem/psi must
 *                         be set by then). */
void model_tick_begin(Model *m, double now_real, uint64_t now_mono_ns);
void model_entry_sampled(Model *m, CgEntry *e, const CgroupSample *s, uint64_t mono_ns,
                         bool carried);
void model_entry_gone(Model *m, CgEntry *e, double now_real);
void model_tick_end(Model *m, double now_real, bool (*sweep)(const CgEntry *e, void *ctx),
                    void *sweep_ctx);

/* A Model that reads nothing (replay): no root, empty table; layout,
 * hostname and kernel are for the caller to fill.  model_close frees it. */
void model_open_detached(Model *m, const ModelOptions *o);

/* Time of tick seq, NULL if no longer kept. */
const TickTime *model_tick_time(const Model *m, uint64_t seq);

/* Entry by path ("/a/b"), NULL if unknown. */
CgEntry *model_find(const Model *m, const char *path);

#endif
