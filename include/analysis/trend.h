/* trend.h - least-squares trend of a gauge and the time until it reaches a
 * limit (SPEC 5.4 "Trend and time-to-limit").  Pure functions. */
#ifndef MEMTOP_TREND_H
#define MEMTOP_TREND_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/thresholds.h"

typedef struct {
    size_t n;           /* samples used */
    double span;        /* seconds between the first and last sample */
    double slope;       /* units per second */
    double intercept;   /* value at t = 0 */
    double r2;          /* coefficient of determination; 0 when y is flat */
    double max_step;    /* largest rise between two consecutive samples */
} TrendFit;

/* Ordinary least squares y = a + s*t over n points, t ascending.  false
 * when n < 2 or all t are equal. */
bool trend_fit(const double *t, const double *y, size_t n, TrendFit *out);

/* Is the fit good enough to project (>= min samples spanning >= min span,
 * slope > 0, R^2 >= min, growth over the span >= max(min bytes, share of
 * limit))?  Beyond SPEC 5.4: the growth must also be spread over the
 * window, no single step larger than trend_max_step of it, so one jump
 * (memory.stat lagging memory.current, one big allocation, a batch of
 * pages activated at once) is not projected as a trend. */
bool trend_valid(const TrendFit *f, double limit, const RiskThresholds *t);

/* Seconds until now_value reaches limit at the fitted slope; NaN when the
 * fit is not valid or the result exceeds t->eta_max.  0 when already at or
 * above the limit. */
double trend_eta(const TrendFit *f, double now_value, double limit, const RiskThresholds *t);

#endif
