/* thresholds.c - defaults, names and parsing of the risk thresholds. */
#include "config.h"

#include "analysis/thresholds.h"

#include <string.h>
#include <strings.h>

#include "util/argnum.h"

typedef struct {
    const char *name;
    size_t off;
    double dflt, min, max;
    const char *help;
} ThresholdDesc;

#define T(field, dflt, min, max, help) \
    { #field, offsetof(RiskThresholds, field), dflt, min, max, help }

static const ThresholdDesc descs[] = {
    T(ws_crit, 0.95, 0, 10, "C5: working set / limit (with limit hits or PSI)"),
    T(ws_high, 0.90, 0, 10, "H2: working set / limit"),
    T(ws_watch, 0.75, 0, 10, "W1: working set / limit"),
    T(floor_crit, 0.95, 0, 10, "C4: unreclaimable floor / limit"),
    T(floor_high, 0.85, 0, 10, "H1: unreclaimable floor / limit"),
    T(floor_watch, 0.60, 0, 10, "W1: unreclaimable floor / limit"),
    T(c6_floor, 0.80, 0, 10, "C6: floor / limit needed with ETA_ws <= eta_crit"),
    T(hits_ws, 0.60, 0, 10, "W4: working set / limit while the limit is being hit"),
    T(psi_crit_some, 20, 0, 100, "C5: memory PSI some avg10 (%)"),
    T(psi_high_some, 20, 0, 100, "H3: memory PSI some avg10 (%)"),
    T(psi_high_full, 5, 0, 100, "H3: memory PSI full avg10 (%)"),
    T(psi_watch_some, 5, 0, 100, "W2: memory PSI some avg10 (%)"),
    T(psi_watch_full, 1, 0, 100, "W2: memory PSI full avg10 (%)"),
    T(eta_crit, 60, 0, 86400 * 7.0, "C6: time to limit (s)"),
    T(eta_high, 600, 0, 86400 * 7.0, "H4: working set reaches the limit within (s)"),
    T(eta_watch, 3600, 0, 86400 * 7.0, "W3: working set reaches the limit within (s)"),
    T(thrash_high, 1.0, 0, 1000, "H6: refaults, % of the limit per second"),
    T(thrash_watch, 0.2, 0, 1000, "W6: refaults, % of the limit per second"),
    T(majflt_high, 1000, 0, 1e9, "H6: major faults per second"),
    T(majflt_watch, 100, 0, 1e9, "W6: major faults per second"),
    T(swap_room_watch, 0.10, 0, 10, "W5: swap room / limit below which growing swap warns"),
    T(oom_recent, 60, 1, 86400 * 7.0, "C1/C3: window for OOM kills/events (s)"),
    T(oom_window, 900, 1, 86400 * 7.0, "H5: window for OOM kills (s)"),
    T(hits_window, 60, 1, 86400 * 7.0, "W4: window for limit hits (s)"),
    T(eviction_hard, 100.0 * 1048576, 0, 1e18, "node: kubelet evictionHard memory.available (bytes)"),
    T(eviction_margin, 0.05, 0, 1, "node: HIGH below eviction_hard + this share of MemTotal"),
    T(trend_samples, 30, 2, 100000, "trend: samples fitted (N)"),
    T(trend_min_samples, 5, 2, 100000, "trend: minimum samples for an ETA"),
    T(trend_min_span, 10, 0, 86400 * 7.0, "trend: minimum time span for an ETA (s)"),
    T(trend_r2, 0.5, 0, 1, "trend: minimum R^2 of the fit"),
    T(trend_min_bytes, 1048576, 0, 1e18, "trend: minimum growth over the span (bytes)"),
    T(trend_min_share, 0.005, 0, 1, "trend: minimum growth over the span (share of limit)"),
    T(trend_max_step, 0.5, 0, 10, "trend: largest single step, share of the fitted growth"),
    T(eta_max, 86400, 1, 86400 * 365.0, "ETAs longer than this are not shown (s)"),
    T(raise_ticks, 2, 1, 1000, "hysteresis: ticks to raise a level (C1-C3 immediate)"),
    T(lower_ticks, 5, 1, 1000, "hysteresis: ticks to lower a level"),
    T(lower_margin, 0.05, 0, 1, "hysteresis: ratio thresholds lowered by this to lower"),
};

#undef T

void thresholds_default(RiskThresholds *t)
{
    for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++)
        *(double *)((char *)t + descs[i].off) = descs[i].dflt;
}

int thresholds_set(RiskThresholds *t, const char *a, char *err, size_t errlen)
{
    const char *eq = strchr(a, '=');

    if (!eq || eq == a) {
        snprintf(err, errlen, "invalid --threshold '%s': expected NAME=VALUE (see --help)", a);
        return -1;
    }
    size_t nlen = (size_t)(eq - a);
    for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++) {
        const ThresholdDesc *d = &descs[i];
        if (strlen(d->name) != nlen || strncasecmp(d->name, a, nlen) != 0)
            continue;
        double v;
        if (argnum_double(eq + 1, d->min, d->max, &v) < 0) {
            snprintf(err, errlen, "invalid --threshold %s value '%s': expected %g to %g",
                     d->name, eq + 1, d->min, d->max);
            return -1;
        }
        *(double *)((char *)t + d->off) = v;
        return 0;
    }
    snprintf(err, errlen, "unknown threshold '%.*s' (see --help for the names)", (int)nlen, a);
    return -1;
}

void thresholds_usage(FILE *f)
{
    for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++)
        fprintf(f, "    %-18s %-11.10g %s\n", descs[i].name, descs[i].dflt, descs[i].help);
}
