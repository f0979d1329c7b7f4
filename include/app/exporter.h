/* exporter.h - memtop as a Prometheus exporter (doc/exporter.md): the
 * headless daemon loop of --listen/--textfile, the one-shot --openmetrics
 * and --prometheus printouts, and a recording replayed as timestamped
 * OpenMetrics.  Errors become one line on stderr; the return values are
 * exit statuses. */
#ifndef MEMTOP_EXPORTER_H
#define MEMTOP_EXPORTER_H

#include "analysis/analysis.h"
#include "app/runrec.h"
#include "cli/options.h"
#include "forensics/forensics.h"
#include "sample/model.h"

/* --listen / --textfile: tick every o->delay seconds (o->iterations ticks
 * when set, else until SIGTERM/SIGINT/SIGHUP), feed the flight recorder
 * rr, serve and/or write the latest tick.  --openmetrics/--prometheus
 * alone: take -n ticks (default 1) and print the last one. */
int exporter_run(Model *m, Forensics *fz, Analysis *an, RunRec *rr, const Options *o);

/* --replay FILE --openmetrics: every tick in [--from, --to] as one
 * OpenMetrics text with timestamps, ready for promtool tsdb
 * create-blocks-from openmetrics. */
int exporter_replay(const Options *o, const ModelOptions *mo);

#endif
