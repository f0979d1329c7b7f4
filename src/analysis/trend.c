/* trend.c - least squares and the ETA guards. */
#include "config.h"

#include "analysis/trend.h"

#include <math.h>

bool trend_fit(const double *t, const double *y, size_t n, TrendFit *out)
{
    double st = 0, sy = 0;

    if (n < 2)
        return false;
    for (size_t i = 0; i < n; i++) {
        st += t[i];
        sy += y[i];
    }
    double mt = st / (double)n, my = sy / (double)n;
    double stt = 0, sty = 0, syy = 0, tmin = t[0], tmax = t[0];
    out->max_step = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && y[i] - y[i - 1] > out->max_step)
            out->max_step = y[i] - y[i - 1];
        double dt = t[i] - mt, dy = y[i] - my;
        stt += dt * dt;
        sty += dt * dy;
        syy += dy * dy;
        tmin = fmin(tmin, t[i]);
        tmax = fmax(tmax, t[i]);
    }
    if (!(stt > 0))
        return false;
    out->n = n;
    out->span = tmax - tmin;
    out->slope = sty / stt;
    out->intercept = my - out->slope * mt;
    /* R^2 = explained / total variance; a flat series explains nothing. */
    out->r2 = syy > 0 ? (sty * sty) / (stt * syy) : 0.0;
    return true;
}

bool trend_valid(const TrendFit *f, double limit, const RiskThresholds *t)
{
    if ((double)f->n < t->trend_min_samples || f->span < t->trend_min_span)
        return false;
    if (!(f->slope > 0) || f->r2 < t->trend_r2)
        return false;
    double rise = f->slope * f->span;
    if (rise < fmax(t->trend_min_bytes, t->trend_min_share * limit))
        return false;
    return f->max_step <= t->trend_max_step * rise;
}

double trend_eta(const TrendFit *f, double now_value, double limit, const RiskThresholds *t)
{
    if (!trend_valid(f, limit, t))
        return (double)NAN;
    if (now_value >= limit)
        return 0.0;
    double eta = (limit - now_value) / f->slope;
    return eta > t->eta_max ? (double)NAN : eta;
}
