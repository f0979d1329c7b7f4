/* test_risk.c - the pure risk model: every rule (table-driven) with its
 * sentence, hysteresis, the trend/ETA guards, thresholds, and SPEC 5.4's
 * worked example. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "analysis/risk.h"
#include "analysis/thresholds.h"
#include "analysis/trend.h"
#include "output/risk_text.h"

#define MiB (1024.0 * 1024.0)
#define GiB (1024.0 * MiB)

static RiskThresholds T;

/* A calm container: 1 GiB limit, 20 % working set, nothing happening. */
static void calm(RiskInputs *in)
{
    risk_inputs_init(in);
    snprintf(in->bind, sizeof(in->bind), "this cgroup");
    in->limit = GiB;
    in->usage = 300 * MiB;
    in->ws = 200 * MiB;
    in->floor_valid = true;
    in->floor = 150 * MiB;
    in->reclaimable = 150 * MiB;
    in->swap_room = 0;
    in->swap = 0;
    in->inactive_file = 100 * MiB;
    in->active_file = 50 * MiB;
    in->dirty_wb = 0;
    in->psi_some10 = in->psi_full10 = 0;
    in->hits_rate = 0;
    in->refault_rate = 0;
    in->thrash = 0;
    in->majflt_rate = 0;
    in->tick_secs = 2;
    in->node_valid = true;
    in->mem_total = 16 * GiB;
    in->node_available = 10 * GiB;
}

static bool contains(const Explanation *x, const char *needle)
{
    for (size_t i = 0; i < x->n; i++)
        if (strstr(x->line[i], needle))
            return true;
    return false;
}

typedef struct {
    const char *name;
    void (*set)(RiskInputs *in);
    int rule;                   /* expected true rule, -1: none expected */
    int absent;                 /* rule that must be false, -1: none */
    MtRiskLevel level;
    const char *sentence;       /* expected substring, NULL: none */
} RuleCase;

static void s_c1(RiskInputs *in) { in->kills_recent = in->kills_window = in->kills_total = 2; }
static void s_c2(RiskInputs *in) { in->under_oom = true; }
static void s_c3(RiskInputs *in) { in->ooms_recent = 3; }
static void s_c4(RiskInputs *in) { in->ws = in->floor = 0.96 * GiB; }
static void s_c5_hits(RiskInputs *in) { in->ws = 0.96 * GiB; in->hits_rate = 4; }
static void s_c5_psi(RiskInputs *in) { in->ws = 0.96 * GiB; in->psi_some10 = 25; }
static void s_c6_oom(RiskInputs *in) { in->eta_oom = 50; in->slope_floor = MiB; }
static void s_c6_ws(RiskInputs *in)
{
    in->ws = 0.85 * GiB;
    in->floor = 0.82 * GiB;
    in->eta_ws = 40;
    in->slope_ws = 4 * MiB;
}
static void s_h4_not_c6(RiskInputs *in) { in->eta_ws = 40; in->slope_ws = 4 * MiB; }
static void s_h1(RiskInputs *in) { in->ws = in->floor = 0.86 * GiB; }
static void s_h2(RiskInputs *in) { in->ws = 0.91 * GiB; }
static void s_h3_full(RiskInputs *in) { in->psi_full10 = 6; }
static void s_h3_some(RiskInputs *in) { in->psi_some10 = 21; }
static void s_h4(RiskInputs *in) { in->eta_ws = 500; in->slope_ws = MiB; }
static void s_h5(RiskInputs *in) { in->kills_window = in->kills_total = 1; in->kill_age = 300; }
static void s_h6_thrash(RiskInputs *in) { in->thrash = 1.5; in->refault_rate = 4000; }
static void s_h6_maj(RiskInputs *in) { in->majflt_rate = 2000; }
static void s_h7(RiskInputs *in) { in->throttled = true; in->high = 512 * MiB; in->high_events = 7; }
static void s_w1_ws(RiskInputs *in) { in->ws = 0.76 * GiB; }
static void s_w1_floor(RiskInputs *in) { in->ws = 0.62 * GiB; in->floor = 0.61 * GiB; }
static void s_w2_some(RiskInputs *in) { in->psi_some10 = 6; }
static void s_w2_full(RiskInputs *in) { in->psi_full10 = 1.5; }
static void s_w3(RiskInputs *in) { in->eta_ws = 3000; in->slope_ws = 0.1 * MiB; }
static void s_w4(RiskInputs *in) { in->hits_window = 12; in->ws = 0.65 * GiB; }
static void s_w4_low_ws(RiskInputs *in)
{
    in->hits_window = 12;
    in->hits_rate = 6;
    in->usage = GiB;
    in->inactive_file = 600 * MiB;
}
static void s_w5_room(RiskInputs *in) { in->swap_growing = true; in->swap_room = 50 * MiB; in->swap = 300 * MiB; }
static void s_w5_events(RiskInputs *in) { in->swap_events = 2; in->swap_room = 0; in->swap = 0; }
static void s_w6_thrash(RiskInputs *in) { in->thrash = 0.3; in->refault_rate = 800; }
static void s_w6_maj(RiskInputs *in) { in->majflt_rate = 200; }
static void s_w7(RiskInputs *in) { in->kills_total = 1; }
static void s_node(RiskInputs *in)
{
    in->node_level = true;
    snprintf(in->bind, sizeof(in->bind), "the node");
    in->limit = in->mem_total;
    in->ws = 2 * GiB;
    in->floor = GiB;
}
static void s_n1(RiskInputs *in) { s_node(in); in->node_available = 100 * MiB + 0.03 * 16 * GiB; }
static void s_n2(RiskInputs *in) { s_node(in); in->node_available = 50 * MiB; }
static void s_ok(RiskInputs *in) { (void)in; }
static void s_usage_full(RiskInputs *in)
{
    in->usage = GiB;
    in->inactive_file = 700 * MiB;
    in->hits_rate = 30;
    in->hits_window = 500;
}

static const RuleCase cases[] = {
    { "C1", s_c1, MT_R_C1, -1, MT_RISK_CRITICAL, "OOM killer killed 2 process(es) in this cgroup in the last minute" },
    { "C2", s_c2, MT_R_C2, -1, MT_RISK_CRITICAL, "Tasks are frozen waiting for memory" },
    { "C3", s_c3, MT_R_C3, -1, MT_RISK_CRITICAL, "Reclaim failed at the limit 3 time(s)" },
    { "C4", s_c4, MT_R_C4, MT_R_C5, MT_RISK_CRITICAL, "of the limit is reclaimable; the next burst" },
    { "C5 hits", s_c5_hits, MT_R_C5, -1, MT_RISK_CRITICAL, "Working set is 96% of the limit" },
    { "C5 psi", s_c5_psi, MT_R_C5, -1, MT_RISK_CRITICAL, "Working set is 96% of the limit" },
    { "C6 oom", s_c6_oom, MT_R_C6, -1, MT_RISK_CRITICAL, "reclaim will be exhausted in < 1 min" },
    { "C6 ws", s_c6_ws, MT_R_C6, -1, MT_RISK_CRITICAL, "the working set reaches the limit in < 1 min" },
    { "C6 needs floor", s_h4_not_c6, MT_R_H4, MT_R_C6, MT_RISK_HIGH, "At the current growth of 4.00M/s" },
    { "H1", s_h1, MT_R_H1, MT_R_C4, MT_RISK_HIGH, "of the limit is reclaimable" },
    { "H2", s_h2, MT_R_H2, MT_R_C5, MT_RISK_HIGH, "Working set is 91% of the limit" },
    { "H3 full", s_h3_full, MT_R_H3, -1, MT_RISK_HIGH, "(6.0% fully stalled)" },
    { "H3 some", s_h3_some, MT_R_H3, MT_R_C5, MT_RISK_HIGH, "stalled on memory 21.0% of the last 10 s" },
    { "H4", s_h4, MT_R_H4, -1, MT_RISK_HIGH, "reaches the limit in ~8 min" },
    { "H5", s_h5, MT_R_H5, MT_R_C1, MT_RISK_HIGH, "killed 1 process(es) in this cgroup 5 min ago" },
    { "H6 thrash", s_h6_thrash, MT_R_H6, -1, MT_RISK_HIGH, "Thrashing: 4000 evicted pages/s" },
    { "H6 majflt", s_h6_maj, MT_R_H6, -1, MT_RISK_HIGH, "2000 major faults/s" },
    { "H7", s_h7, MT_R_H7, -1, MT_RISK_HIGH, "Above memory.high (512M); allocations are being throttled (7 throttle" },
    { "W1 ws", s_w1_ws, MT_R_W1, MT_R_H2, MT_RISK_WATCH, "Working set is 76% of the limit" },
    { "W1 floor", s_w1_floor, MT_R_W1, -1, MT_RISK_WATCH, "Unreclaimable floor is 61% of the limit" },
    { "W2 some", s_w2_some, MT_R_W2, MT_R_H3, MT_RISK_WATCH, "stalled on memory 6.0%" },
    { "W2 full", s_w2_full, MT_R_W2, MT_R_H3, MT_RISK_WATCH, "(1.5% fully stalled)" },
    { "W3", s_w3, MT_R_W3, MT_R_H4, MT_RISK_WATCH, "reaches the limit in ~50 min" },
    { "W4", s_w4, MT_R_W4, -1, MT_RISK_WATCH, "The limit was hit 12 time(s) in the last minute" },
    { "W4 needs ws", s_w4_low_ws, -1, MT_R_W4, MT_RISK_OK, "Usage is at the limit but" },
    { "W5 room", s_w5_room, MT_R_W5, -1, MT_RISK_WATCH, "Swap is filling: 300M used, 50.0M left" },
    { "W5 events", s_w5_events, MT_R_W5, -1, MT_RISK_WATCH, "swap limit reached 2 time(s)" },
    { "W6 thrash", s_w6_thrash, MT_R_W6, MT_R_H6, MT_RISK_WATCH, "(0.30%/s of the limit)" },
    { "W6 majflt", s_w6_maj, MT_R_W6, MT_R_H6, MT_RISK_WATCH, "200 major faults/s" },
    { "W7", s_w7, MT_R_W7, MT_R_H5, MT_RISK_WATCH, "since memtop started" },
    { "N1", s_n1, MT_R_N1, MT_R_N2, MT_RISK_HIGH, "close to the kubelet eviction threshold 100M" },
    { "N2", s_n2, MT_R_N2, -1, MT_RISK_CRITICAL, "below the kubelet eviction threshold" },
    { "node calm", s_node, -1, MT_R_N1, MT_RISK_OK, "Node: 10.0G available; kubelet hard-evicts below 100M." },
    { "OK", s_ok, -1, MT_R_W1, MT_RISK_OK, NULL },
    { "usage/failcnt alone", s_usage_full, -1, MT_R_W4, MT_RISK_OK, "Usage is at the limit but 700M is inactive cache" },
};

START_TEST(test_rule_table)
{
    const RuleCase *c = &cases[_i];
    RiskInputs in;
    uint32_t rules;
    Explanation x;

    calm(&in);
    c->set(&in);
    MtRiskLevel l = risk_evaluate(&in, &T, false, &rules);
    ck_assert_msg(l == c->level, "%s: level %s, want %s", c->name, risk_level_name(l),
                  risk_level_name(c->level));
    if (c->rule >= 0)
        ck_assert_msg(rules & MT_RULE(c->rule), "%s: rule %s not true", c->name,
                      risk_rule_name((MtRule)c->rule));
    else
        ck_assert_msg(c->level != MT_RISK_OK || rules == 0, "%s: unexpected rules %x", c->name,
                      rules);
    if (c->absent >= 0)
        ck_assert_msg(!(rules & MT_RULE(c->absent)), "%s: rule %s must be false", c->name,
                      risk_rule_name((MtRule)c->absent));
    memset(&x, 0, sizeof(x));
    risk_sentences(&in, rules, &T, &x);
    if (c->sentence) {
        bool found = contains(&x, c->sentence);
        for (size_t i = 0; !found && i < x.n; i++)
            fprintf(stderr, "  %s: %s\n", c->name, x.line[i]);
        ck_assert_msg(found, "%s: no sentence containing '%s'", c->name, c->sentence);
    }
}
END_TEST

START_TEST(test_info_sentences)
{
    RiskInputs in;
    Explanation x;

    calm(&in);
    in.lazyfree_rate = 1200;
    in.dirty_wb = 120 * MiB;
    in.mglru = true;
    in.kills_before = 4;
    memset(&x, 0, sizeof(x));
    risk_sentences(&in, 0, &T, &x);
    ck_assert(contains(&x, "1200 pages/s were lazily freed (MADV_FREE): RSS overstates real use"));
    ck_assert(contains(&x, "Dirty/writeback 120M (12% of limit): reclaim may stall on I/O."));
    ck_assert(contains(&x, "MGLRU is enabled: \"inactive\" means the older LRU generations."));
    ck_assert(contains(&x, "already killed 4 process(es) here before memtop started"));
    /* none of them on a calm container */
    calm(&in);
    memset(&x, 0, sizeof(x));
    risk_sentences(&in, 0, &T, &x);
    ck_assert(!contains(&x, "lazily") && !contains(&x, "Dirty") && !contains(&x, "MGLRU"));
    ck_assert(!contains(&x, "Usage is at the limit"));
    ck_assert(!contains(&x, "Node:"));          /* roomy node, limited cgroup */
    in.node_available = 1.5 * GiB;              /* < 100M + 2 * 5 % of 16G */
    memset(&x, 0, sizeof(x));
    risk_sentences(&in, 0, &T, &x);
    ck_assert(contains(&x, "Node: 1.50G available; kubelet hard-evicts below 100M."));
    /* cache info is withheld when the working set itself is the problem */
    calm(&in);
    in.usage = GiB;
    in.ws = 0.91 * GiB;
    in.inactive_file = 0.15 * GiB;
    uint32_t rules;
    risk_evaluate(&in, &T, false, &rules);
    memset(&x, 0, sizeof(x));
    risk_sentences(&in, rules, &T, &x);
    ck_assert(!contains(&x, "Usage is at the limit"));
}
END_TEST

START_TEST(test_binding_named)
{
    RiskInputs in;
    Explanation x;
    uint32_t rules;

    calm(&in);
    snprintf(in.bind, sizeof(in.bind), "pod 1234");
    in.ws = 0.8 * GiB;
    risk_evaluate(&in, &T, false, &rules);
    memset(&x, 0, sizeof(x));
    risk_sentences(&in, rules, &T, &x);
    ck_assert(contains(&x, "Working set is 80% of the limit (at pod 1234)"));
}
END_TEST

START_TEST(test_hysteresis_raise)
{
    RiskHyst h;
    uint32_t none = 0;

    risk_hyst_init(&h);
    /* the first evaluation starts at its own level */
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_HIGH, MT_RISK_HIGH, none, &T), MT_RISK_HIGH);
    risk_hyst_init(&h);
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_OK, MT_RISK_OK, none, &T), MT_RISK_OK);
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_WATCH, MT_RISK_WATCH, none, &T), MT_RISK_OK);
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_WATCH, MT_RISK_WATCH, none, &T), MT_RISK_WATCH);
    /* interrupted: not consecutive */
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_HIGH, MT_RISK_HIGH, none, &T), MT_RISK_WATCH);
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_WATCH, MT_RISK_WATCH, none, &T), MT_RISK_WATCH);
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_HIGH, MT_RISK_HIGH, none, &T), MT_RISK_WATCH);
    /* CRITICAL then HIGH: raised to the lower of the two */
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_CRITICAL, MT_RISK_CRITICAL, MT_RULE(MT_R_C4), &T),
                     MT_RISK_HIGH);
    /* C4 alone is not immediate */
    risk_hyst_init(&h);
    risk_hyst_step(&h, MT_RISK_OK, MT_RISK_OK, none, &T);
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_CRITICAL, MT_RISK_CRITICAL, MT_RULE(MT_R_C4), &T),
                     MT_RISK_OK);
    /* C1, C2, C3 are */
    static const MtRule imm[] = { MT_R_C1, MT_R_C2, MT_R_C3 };
    for (size_t i = 0; i < 3; i++) {
        risk_hyst_init(&h);
        risk_hyst_step(&h, MT_RISK_WATCH, MT_RISK_WATCH, none, &T);
        ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_CRITICAL, MT_RISK_CRITICAL,
                                        MT_RULE(imm[i]), &T), MT_RISK_CRITICAL);
    }
}
END_TEST

START_TEST(test_hysteresis_lower)
{
    RiskHyst h;

    risk_hyst_init(&h);
    risk_hyst_step(&h, MT_RISK_OK, MT_RISK_OK, 0, &T);
    risk_hyst_step(&h, MT_RISK_CRITICAL, MT_RISK_CRITICAL, MT_RULE(MT_R_C1), &T);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_OK, MT_RISK_OK, 0, &T), MT_RISK_CRITICAL);
    /* a tick at the level resets the count */
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_CRITICAL, MT_RISK_CRITICAL, 0, &T),
                     MT_RISK_CRITICAL);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_OK, MT_RISK_WATCH, 0, &T), MT_RISK_CRITICAL);
    /* fifth tick: lowered to the highest relaxed level seen */
    ck_assert_int_eq(risk_hyst_step(&h, MT_RISK_OK, MT_RISK_OK, 0, &T), MT_RISK_WATCH);
}
END_TEST

START_TEST(test_lower_margin)
{
    RiskInputs in;
    uint32_t rules;

    calm(&in);
    in.ws = 0.72 * GiB;     /* below 0.75, but within 5 points */
    in.floor = 0.5 * GiB;
    ck_assert_int_eq(risk_evaluate(&in, &T, false, &rules), MT_RISK_OK);
    ck_assert_int_eq(risk_evaluate(&in, &T, true, &rules), MT_RISK_WATCH);
    in.ws = 0.69 * GiB;
    ck_assert_int_eq(risk_evaluate(&in, &T, true, &rules), MT_RISK_OK);
}
END_TEST

/* n points every step seconds ending at t = 0, y = end + slope * t. */
static void line(double *t, double *y, size_t n, double step, double end, double slope)
{
    for (size_t i = 0; i < n; i++) {
        t[i] = -(double)(n - 1 - i) * step;
        y[i] = end + slope * t[i];
    }
}

START_TEST(test_trend_steady)
{
    double t[30], y[30];
    TrendFit f;

    line(t, y, 11, 2, 600 * MiB, 2 * MiB);
    ck_assert(trend_fit(t, y, 11, &f));
    ck_assert_double_eq_tol(f.slope, 2 * MiB, 1);
    ck_assert_double_eq_tol(f.r2, 1.0, 1e-9);
    ck_assert_double_eq_tol(f.span, 20, 1e-9);
    double eta = trend_eta(&f, 600 * MiB, GiB, &T);
    ck_assert_double_eq_tol(eta, (GiB - 600 * MiB) / (2 * MiB), 1e-6);
    /* already over the limit */
    ck_assert_double_eq(trend_eta(&f, 1.1 * GiB, GiB, &T), 0.0);
}
END_TEST

START_TEST(test_trend_guards)
{
    double t[64], y[64];
    TrendFit f;

    /* noise around a flat line: no ETA */
    srand(7);
    for (size_t i = 0; i < 30; i++) {
        t[i] = -(double)(29 - i) * 2;
        y[i] = 500 * MiB + (rand() % 2 ? 3 : -3) * MiB + (double)(rand() % 1000) * 1024;
    }
    ck_assert(trend_fit(t, y, 30, &f));
    ck_assert(isnan(trend_eta(&f, 500 * MiB, GiB, &T)));
    /* too few samples */
    line(t, y, 4, 5, 600 * MiB, 2 * MiB);
    ck_assert(trend_fit(t, y, 4, &f));
    ck_assert(isnan(trend_eta(&f, 600 * MiB, GiB, &T)));
    /* span too short */
    line(t, y, 6, 1, 600 * MiB, 2 * MiB);
    ck_assert(trend_fit(t, y, 6, &f));
    ck_assert(isnan(trend_eta(&f, 600 * MiB, GiB, &T)));
    /* perfect fit but growth below max(1 MiB, 0.5 % of L) over the span */
    line(t, y, 11, 2, 600 * MiB, 20 * 1024);
    ck_assert(trend_fit(t, y, 11, &f));
    ck_assert(isnan(trend_eta(&f, 600 * MiB, GiB, &T)));
    /* one 2 MiB step in a flat window: R^2 and size pass, but
     * a jump is not a trend */
    for (size_t i = 0; i < 30; i++) {
        t[i] = -(double)(29 - i) * 0.5;
        y[i] = 2 * MiB + (i >= 15 ? 2 * MiB : 0);
    }
    ck_assert(trend_fit(t, y, 30, &f));
    ck_assert(f.r2 >= 0.5 && f.slope * f.span >= MiB);
    ck_assert(isnan(trend_eta(&f, 4 * MiB, 64 * MiB, &T)));
    /* a staircase (memory.stat refreshed every 4th tick) still counts */
    for (size_t i = 0; i < 30; i++) {
        t[i] = -(double)(29 - i) * 0.5;
        y[i] = 100 * MiB + (double)(i / 4) * 2 * MiB;
    }
    ck_assert(trend_fit(t, y, 30, &f));
    ck_assert(!isnan(trend_eta(&f, y[29], 256 * MiB, &T)));
    /* shrinking */
    line(t, y, 11, 2, 600 * MiB, -2 * MiB);
    ck_assert(trend_fit(t, y, 11, &f));
    ck_assert(isnan(trend_eta(&f, 600 * MiB, GiB, &T)));
    /* longer than eta_max */
    line(t, y, 11, 2, 100 * MiB, 0.5 * MiB);
    ck_assert(trend_fit(t, y, 11, &f));
    ck_assert_double_eq_tol(trend_eta(&f, 100 * MiB, GiB, &T), 1848, 1e-6);
    RiskThresholds shorter = T;
    shorter.eta_max = 1000;
    ck_assert(isnan(trend_eta(&f, 100 * MiB, GiB, &shorter)));
    /* R^2 below 0.5: a weak slope buried in a sawtooth */
    for (size_t i = 0; i < 30; i++) {
        t[i] = -(double)(29 - i) * 2;
        y[i] = 500 * MiB + 0.2 * MiB * t[i] + (i % 2 ? 20 : -20) * MiB;
    }
    ck_assert(trend_fit(t, y, 30, &f));
    ck_assert(f.slope > 0 && f.r2 < 0.5);
    ck_assert(isnan(trend_eta(&f, 500 * MiB, GiB, &T)));
    /* degenerate input */
    ck_assert(!trend_fit(t, y, 1, &f));
    t[1] = t[0];
    ck_assert(!trend_fit(t, y, 2, &f));
}
END_TEST

/* SPEC 5.4 worked example (fixture 6.2): memory.max 1 GiB, no swap. */
START_TEST(test_worked_example)
{
    const double L = 1073741824.0, U = 1026818048.0, IF = 167772160.0;
    const double reclaimable = 251658240.0 + 0 + 25165824.0;
    double t[16], y[16];
    TrendFit fw, ff;
    RiskInputs in;
    uint32_t rules;

    calm(&in);
    in.limit = L;
    in.usage = U;
    in.ws = U - IF;
    in.reclaimable = reclaimable;
    in.floor = U - reclaimable;
    ck_assert_double_eq(in.ws, 859045888.0);
    ck_assert_double_eq(in.floor, 749993984.0);
    ck_assert_double_eq_tol(in.ws / L, 0.800, 0.0005);
    ck_assert_double_eq_tol(in.floor / L, 0.698, 0.0005);
    ck_assert_int_eq(risk_evaluate(&in, &T, false, &rules), MT_RISK_WATCH);
    ck_assert_uint_eq(rules, MT_RULE(MT_R_W1));

    /* then the working set (and the floor) grow by 2 MiB/s */
    line(t, y, 11, 2, in.ws, 2 * MiB);
    ck_assert(trend_fit(t, y, 11, &fw));
    in.eta_ws = trend_eta(&fw, in.ws, L, &T);
    in.slope_ws = fw.slope;
    line(t, y, 11, 2, in.floor, 2 * MiB);
    ck_assert(trend_fit(t, y, 11, &ff));
    in.eta_oom = trend_eta(&ff, in.floor, L, &T);
    in.slope_floor = ff.slope;
    ck_assert_double_eq_tol(in.eta_ws, 214695936.0 / 2097152.0, 0.01);     /* ~102 s */
    ck_assert_double_eq_tol(in.eta_oom, 154.4, 0.05);
    ck_assert_int_eq(risk_evaluate(&in, &T, false, &rules), MT_RISK_HIGH);
    ck_assert(rules & MT_RULE(MT_R_H4));
    ck_assert(!(rules & MT_RULE(MT_R_C6)));
    Explanation x;
    memset(&x, 0, sizeof(x));
    risk_sentences(&in, rules, &T, &x);
    ck_assert(contains(&x, "At the current growth of 2.00M/s, the working set reaches the limit "
                           "in ~2 min; reclaim will be exhausted in ~3 min."));
}
END_TEST

START_TEST(test_thresholds)
{
    RiskThresholds t;
    char err[256];
    RiskInputs in;
    uint32_t rules;

    thresholds_default(&t);
    ck_assert_double_eq(t.ws_watch, 0.75);
    ck_assert_double_eq(t.eviction_hard, 100.0 * MiB);
    ck_assert_double_eq(t.trend_samples, 30);
    ck_assert_int_eq(thresholds_set(&t, "ws_watch=0.5", err, sizeof(err)), 0);
    ck_assert_double_eq(t.ws_watch, 0.5);
    calm(&in);
    in.ws = 0.55 * GiB;
    ck_assert_int_eq(risk_evaluate(&in, &t, false, &rules), MT_RISK_WATCH);
    ck_assert_int_eq(risk_evaluate(&in, &T, false, &rules), MT_RISK_OK);
    ck_assert_int_eq(thresholds_set(&t, "nope=1", err, sizeof(err)), -1);
    ck_assert(strstr(err, "unknown threshold 'nope'"));
    ck_assert_int_eq(thresholds_set(&t, "ws_watch=abc", err, sizeof(err)), -1);
    ck_assert_int_eq(thresholds_set(&t, "ws_watch=-1", err, sizeof(err)), -1);
    ck_assert_int_eq(thresholds_set(&t, "ws_watch", err, sizeof(err)), -1);
    ck_assert_int_eq(thresholds_set(&t, "=3", err, sizeof(err)), -1);
}
END_TEST

static void setup(void)
{
    thresholds_default(&T);
}

static Suite *risk_suite(void)
{
    Suite *s = suite_create("risk");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_loop_test(tc, test_rule_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_info_sentences);
    tcase_add_test(tc, test_binding_named);
    tcase_add_test(tc, test_hysteresis_raise);
    tcase_add_test(tc, test_hysteresis_lower);
    tcase_add_test(tc, test_lower_margin);
    tcase_add_test(tc, test_trend_steady);
    tcase_add_test(tc, test_trend_guards);
    tcase_add_test(tc, test_worked_example);
    tcase_add_test(tc, test_thresholds);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(risk_suite)
