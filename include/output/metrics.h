/* metrics.h - the Prometheus exposition of a Model: the Prometheus text
 * format 0.0.4 and OpenMetrics 1.0.0, from the model, the risk verdicts
 * (analysis.h) and the kill history (forensics.h).  Pure: it reads memory
 * and appends to a buffer, never a file, so a scrape costs no cgroupfs read
 * and a cgroup that vanished during a tick is just an entry in a table.
 *
 * Contracts of the output (doc/exporter.md lists every family):
 *   - families contiguous, HELP and TYPE once each (OpenMetrics: TYPE,
 *     UNIT, HELP), a family's header only when it has a sample;
 *   - byte counts and counters are exact integers; other numbers are
 *     printed in the C locale whatever LC_NUMERIC says; NaN, +Inf, -Inf as
 *     both formats spell them;
 *   - label values are valid UTF-8 (invalid bytes become U+FFFD), with
 *     \\, \" and \n escaped and every other control character (C0, DEL,
 *     C1) replaced by '?';
 *   - no timestamps, unless MetricsOptions.timestamps (replays);
 *   - OpenMetrics ends with "# EOF" unless MetricsOptions.no_eof. */
#ifndef MEMTOP_METRICS_H
#define MEMTOP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forensics/forensics.h"
#include "output/columns.h"
#include "sample/model.h"

typedef enum {
    MT_EXPO_TEXT,               /* Prometheus text format 0.0.4 */
    MT_EXPO_OPENMETRICS,        /* OpenMetrics 1.0.0 */
} MtExpoFormat;

#define MT_EXPO_TEXT_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define MT_EXPO_OM_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* A growable byte buffer (NUL-terminated when len > 0 is read as text). */
typedef struct {
    char *p;
    size_t len, cap;
} MetricsBuf;

void metrics_buf_init(MetricsBuf *b);
void metrics_buf_free(MetricsBuf *b);
/* Make room for n more bytes; returns the write position. */
char *metrics_buf_reserve(MetricsBuf *b, size_t n);
void metrics_buf_add(MetricsBuf *b, const char *s, size_t n);

/* The exporter process's own figures (process_* and memtop_*), gathered
 * by the caller (the writer does no I/O). */
typedef struct {
    double cpu_seconds;         /* user + system */
    uint64_t resident_bytes, virtual_bytes;
    long open_fds, max_fds;     /* < 0: unknown */
    double start_time;          /* unix seconds */
    double tick_seconds;        /* CPU of the last tick */
    uint64_t http_requests;     /* answered so far (any status) */
    uint64_t http_rejected;     /* refused: 404, 405, a GET with a body */
} MetricsSelf;

typedef struct {
    MtExpoFormat format;
    MtShow show;                /* containers and pods, or every cgroup */
    const Forensics *fz;        /* names and kill history; NULL: none */
    const MetricsSelf *self;    /* process_* and memtop's own; NULL: none */
    bool timestamps;            /* every sample gets the tick's time (replay) */
    bool no_eof;                /* OpenMetrics without the final "# EOF" */
} MetricsOptions;

/* Append the exposition of the model's last tick to b. */
void metrics_render(MetricsBuf *b, const Model *m, const MetricsOptions *o);

/* v in decimal into buf (>= 21 bytes, NUL-terminated); returns the length. */
size_t metrics_format_u64(char *buf, uint64_t v);
/* Microseconds as seconds with six decimals ("12.000345"), exactly;
 * buf >= 28 bytes.  Returns the length. */
size_t metrics_format_usec(char *buf, uint64_t us);
/* Append s as a label value (without the quotes) to b: escaped, invalid
 * UTF-8 replaced, control characters replaced (see above). */
void metrics_escape_label(MetricsBuf *b, const char *s, size_t len);
/* A double as both formats want it: "NaN", "+Inf", "-Inf", an integer
 * when the value is one (up to 2^53), else %.15g in the C locale.
 * Returns the length written to buf (>= 32 bytes). */
size_t metrics_format_double(char *buf, size_t len, double v);

/* Series of many renders (a replay) regrouped into one OpenMetrics text
 * with timestamps: families in the order first seen, each series' points
 * together and in time order, then "# EOF".  Feed it renders made with
 * format MT_EXPO_OPENMETRICS, timestamps off and no_eof. */
typedef struct MetricsSeriesSet MetricsSeriesSet;

MetricsSeriesSet *metrics_series_new(void);
void metrics_series_free(MetricsSeriesSet *s);
/* Add one exposition taken at time t (unix seconds, not decreasing). */
void metrics_series_add(MetricsSeriesSet *s, const char *body, size_t len, double t);
/* Write the whole set through sink (chunks of text); stops at the first
 * sink error and returns it, else 0. */
int metrics_series_write(const MetricsSeriesSet *s,
                         int (*sink)(const char *p, size_t n, void *ctx), void *ctx);

#endif
