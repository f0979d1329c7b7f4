/* options.h - command line to Options.  Parsing never exits: errors come
 * back as one line of text for main() to print. */
#ifndef MEMTOP_OPTIONS_H
#define MEMTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output/columns.h"
#include "analysis/thresholds.h"

typedef enum {
    MT_RUN_AUTO,                /* TUI on a terminal, else one batch iteration */
    MT_RUN_TUI,
    MT_RUN_BATCH,
    MT_RUN_JSON,
} MtRunMode;

typedef struct {
    MtRunMode mode;
    const char *root;
    long iterations;            /* -n; 0 = forever (or 1 when not a tty) */
    bool iterations_set;
    double delay;               /* seconds */
    MtColumn sort;
    bool reverse;
    bool raw;
    bool all;
    uint32_t history;
    double tomb_secs;
    bool ascii;
    bool no_color;
    bool help;
    bool version;
    /* forensics (README "Names", "OOM forensics", "Processes") */
    bool no_names;
    const char *docker_root, *containerd_state, *crio_state, *pods_log_dir;
    bool no_bus;                /* --no-bus: do not ask systemd-machined */
    const char *bus_address;    /* --bus-address: D-Bus address instead of the system bus */
    int oom_source;             /* MtOomSrcMode (oomsrc.h) */
    const char *kmsg_path, *journal_dir, *journal_file;
    bool oom_backlog;
    double oom_tomb_secs;
    bool processes;
    const char *explain;        /* --explain NAME|ID|PATH, or NULL */
    RiskThresholds thresholds;  /* --threshold NAME=VALUE */
    /* recording and replay (README "Recording and replay") */
    const char *write_file;     /* -w: record every tick to this file */
    const char *replay_file;    /* -R/--replay: read ticks from this recording */
    bool has_from, has_to;
    double from, to;            /* --from/--to, unix seconds */
    uint64_t max_size;          /* --max-size: rotate above this; 0 never */
    bool daily;                 /* --daily: rotate at local midnight */
    uint64_t min_free;          /* --min-free: stop recording below this (0: off) */
    const char *dump_dir;       /* --dump-on-oom DIR */
    /* Prometheus exporter (doc/exporter.md) */
    const char *listen;         /* --listen [ADDR:]PORT, unchecked */
    const char *textfile;       /* --textfile DIR */
    int expo;                   /* 1: --prometheus, 2: --openmetrics, 0: neither */
} Options;

/* 0 on success; -1 with a message in err (no trailing newline). */
int options_parse(Options *o, int argc, char **argv, char *err, size_t errlen);
void options_usage(FILE *f);

#endif
