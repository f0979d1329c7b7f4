/* thresholds.h - the tunable numbers of the OOM-risk model (SPEC 5.4).
 *
 * Every field has a SPEC default and a name; `--threshold NAME=VALUE`
 * changes one.  Ratios are fractions of the binding limit (0.75 = 75 %),
 * PSI values are percent, times are seconds, sizes bytes. */
#ifndef MEMTOP_THRESHOLDS_H
#define MEMTOP_THRESHOLDS_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    /* level rules */
    double ws_crit, ws_high, ws_watch;          /* C5, H2, W1: ws_ratio */
    double floor_crit, floor_high, floor_watch; /* C4, H1, W1: floor_ratio */
    double c6_floor;                            /* C6: floor_ratio needed with ETA_ws */
    double hits_ws;                             /* W4: ws_ratio while the limit is hit */
    double psi_crit_some;                       /* C5: psi some avg10, % */
    double psi_high_some, psi_high_full;        /* H3 */
    double psi_watch_some, psi_watch_full;      /* W2 */
    double eta_crit, eta_high, eta_watch;       /* C6, H4, W3: seconds */
    double thrash_high, thrash_watch;           /* H6, W6: % of the limit re-read per s */
    double majflt_high, majflt_watch;           /* H6, W6: major faults per s */
    double swap_room_watch;                     /* W5: swap_room below this share of L */
    double oom_recent, oom_window, hits_window; /* C1/C3, H5, W4 windows: seconds */
    double eviction_hard;                       /* node: kubelet evictionHard, bytes */
    double eviction_margin;                     /* node: HIGH below hard + this share of MemTotal */
    /* trend guards */
    double trend_samples;                       /* N: samples fitted */
    double trend_min_samples, trend_min_span;   /* >= 5 samples spanning >= 10 s */
    double trend_r2;                            /* R^2 >= 0.5 */
    double trend_min_bytes, trend_min_share;    /* s*span >= max(1 MiB, 0.5 % of L) */
    double trend_max_step;                      /* no single step > this share of s*span */
    double eta_max;                             /* longer projections are shown as none */
    /* hysteresis */
    double raise_ticks, lower_ticks;            /* 2, 5 */
    double lower_margin;                        /* 0.05: ratio thresholds when lowering */
} RiskThresholds;

void thresholds_default(RiskThresholds *t);

/* Apply "NAME=VALUE".  0, or -1 with one line in err. */
int thresholds_set(RiskThresholds *t, const char *assignment, char *err, size_t errlen);

/* One line per threshold ("  name  default  meaning") for --help. */
void thresholds_usage(FILE *f);

#endif
