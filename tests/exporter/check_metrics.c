/* check_metrics.c - the exposition writer (output/metrics.h) and the HTTP
 * helpers that need no socket (serve/http.h, serve/listen.h): golden
 * output of both formats for fixture trees, escaping, invalid UTF-8, a
 * decimal-comma locale, counters and gauges, unlimited limits, vanished
 * cgroups and OOM tombstones, content negotiation, --listen parsing and
 * the replay series set.
 *
 * GENERATE=1 rewrites the golden files (tests/exporter/golden/) instead of
 * comparing; review the diff. */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "../common.h"
#include "forensics/forensics.h"
#include "output/metrics.h"
#include "sample/model.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "util/format.h"
#include "util/xalloc.h"

#ifndef EXPORTER_DIR
#error "EXPORTER_DIR must name tests/exporter in the source tree"
#endif

#define POD_UID "11111111-2222-3333-4444-555555555555"
#define V2POD "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod11111111_2222_3333_4444_555555555555.slice"
#define V2E V2POD "/cri-containerd-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.scope"
#define V2B "/system.slice/docker-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.scope"
#define V2C "/system.slice/docker-cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.scope"
#define T0 1700000000.0

static char *tmp;
static Model m;
static Analysis an;
static Forensics fz;
static bool have_fz;
static int nticks;

/* Open the model, the analysis and forensics (no OOM source, no bus) on
 * the tree dir (a temporary copy, removed by close_tree). */
static void open_root(char *dir)
{
    ModelOptions o;
    ForensicsOptions fo;
    char err[256];

    tmp = dir;
    model_options_default(&o);
    o.root = dir;
    o.tomb_secs = 10;
    ck_assert_msg(model_open(&m, &o, err, sizeof(err)) == 0, "%s", err);
    analysis_init(&an, NULL);
    analysis_attach(&an, &m);
    forensics_options_default(&fo);
    fo.names_opt.no_bus = true;
    fo.oom.mode = MT_OOMSRC_NONE;
    ck_assert_msg(forensics_open(&fz, &m, &fo, err, sizeof(err)) == 0, "%s", err);
    have_fz = true;
    nticks = 0;
}

static void open_tree(const char *name)
{
    open_root(fixture_copy(name));
}

static void tick(void)
{
    model_tick(&m, T0 + 2.0 * nticks, (uint64_t)(1 + 2 * nticks) * 1000000000ULL);
    forensics_tick(&fz, &m);
    nticks++;
}

static void close_tree(void)
{
    if (have_fz)
        forensics_close(&fz, &m);
    have_fz = false;
    model_close(&m);
    fixture_remove(tmp);
    tmp = NULL;
}

static char *render(MtExpoFormat fmt, MtShow show)
{
    MetricsBuf b;
    MetricsOptions o = { .format = fmt, .show = show, .fz = &fz };

    metrics_buf_init(&b);
    metrics_render(&b, &m, &o);
    return b.p;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fwrite(chunk, 1, n, o);
    fclose(f);
    fclose(o);
    return buf;
}

/* Compare body with golden/name (or write it with GENERATE=1); on a
 * difference, say where. */
static void golden(const char *name, const char *body)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/golden/%s", EXPORTER_DIR, name);
    if (getenv("GENERATE")) {
        FILE *f = fopen(path, "w");
        ck_assert_msg(f != NULL, "cannot write %s", path);
        fputs(body, f);
        fclose(f);
        return;
    }
    char *want = read_file(path);
    ck_assert_msg(want != NULL, "missing golden file %s (GENERATE=1 writes it)", path);
    size_t i = 0, line = 1;
    while (want[i] && want[i] == body[i]) {
        if (want[i] == '\n')
            line++;
        i++;
    }
    ck_assert_msg(want[i] == body[i], "%s differs from the output at line %zu:\n want: %.120s\n"
                  "  got: %.120s", name, line, want + i, body + i);
    free(want);
}

/* The sample line of family name (exact) for a label set containing
 * sub, or NULL. */
static const char *find_sample(const char *body, const char *name, const char *sub)
{
    size_t nl = strlen(name);
    for (const char *p = body; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (strncmp(p, name, nl) == 0 && (p[nl] == '{' || p[nl] == ' ')) {
            char line[8192];
            snprintf(line, sizeof(line), "%.*s", (int)len, p);
            if (!sub || strstr(line, sub))
                return p;
        }
        p = e ? e + 1 : NULL;
    }
    return NULL;
}

static double sample_value(const char *line)
{
    const char *e = strchr(line, '\n');
    const char *sp = e ? e : line + strlen(line);
    while (sp > line && sp[-1] != ' ')
        sp--;
    return strtod(sp, NULL);
}

/* names for the analysis-v2 pod and its container eeee... from kubelet's
 * log directories (names.h: pods_log_dir) */
static void add_pod_names(void)
{
    fixture_mkdir(tmp, "var/log/pods/shop_web-0_" POD_UID "/app");
    fixture_mkdir(tmp, "var/log/containers");
    fixture_write(tmp, "var/log/containers/web-0_shop_app-"
                       "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.log", "");
}

START_TEST(test_golden)
{
    static const struct {
        const char *tree, *file;
        MtExpoFormat fmt;
        MtShow show;
        bool names;
    } cases[] = {
        { "v1-layouts", "v1-layouts.prom", MT_EXPO_TEXT, MT_SHOW_CONTAINERS, false },
        { "v2-layouts", "v2-layouts-all.om", MT_EXPO_OPENMETRICS, MT_SHOW_ALL, false },
        { "analysis-v1", "analysis-v1.prom", MT_EXPO_TEXT, MT_SHOW_CONTAINERS, false },
        { "analysis-v2", "analysis-v2.om", MT_EXPO_OPENMETRICS, MT_SHOW_CONTAINERS, true },
        { "analysis-v2", "analysis-v2.prom", MT_EXPO_TEXT, MT_SHOW_CONTAINERS, true },
    };
    int i = _i;

    tmp = fixture_copy(cases[i].tree);
    if (cases[i].names)
        add_pod_names();
    open_root(tmp);
    tick();
    char *body = render(cases[i].fmt, cases[i].show);
    golden(cases[i].file, body);
    free(body);
    close_tree();
}
END_TEST

START_TEST(test_escape_label)
{
    MetricsBuf b;
    static const char in[] = "a\\b\"c\nd\te\rf\x7fg\xc2\x85h\xff" "i\xe2\x82\xac" "j\xc3";

    metrics_buf_init(&b);
    metrics_escape_label(&b, in, sizeof(in) - 1);
    ck_assert_str_eq(b.p, "a\\\\b\\\"c\\nd?e?f?g?h\xef\xbf\xbdi\xe2\x82\xacj\xef\xbf\xbd");
    b.len = 0;
    metrics_escape_label(&b, "", 0);
    ck_assert_uint_eq(b.len, 0);
    metrics_buf_free(&b);
}
END_TEST

/* Hostile cgroup names: every line of the output is one sample or one
 * comment, all valid UTF-8, label values closed. */
START_TEST(test_hostile_names)
{
    static const char *const names[] = {
        "quote\"brace}", "back\\slash", "new\nline", "bad\xff\xfe utf8", "esc\x1b[31m",
        "comma,eq=x", "ünïcödé",
    };

    tmp = fixture_copy("v2-layouts");
    for (size_t i = 0; i < MT_ARRAY_SIZE(names); i++) {
        char rel[512];
        snprintf(rel, sizeof(rel), "sys/fs/cgroup/system.slice/%s", names[i]);
        fixture_mkdir(tmp, rel);
        snprintf(rel, sizeof(rel), "sys/fs/cgroup/system.slice/%s/memory.current", names[i]);
        fixture_write(tmp, rel, "4096\n");
        snprintf(rel, sizeof(rel), "sys/fs/cgroup/system.slice/%s/memory.stat", names[i]);
        fixture_write(tmp, rel, "anon 4096\nfile 0\n");
    }
    open_root(tmp);
    tick();
    for (int f = 0; f < 2; f++) {
        char *body = render((MtExpoFormat)f, MT_SHOW_ALL);
        size_t len = strlen(body), n = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            int k = utf8_decode((const unsigned char *)body + i, len - i, &cp);
            ck_assert_msg(k > 0, "invalid UTF-8 at byte %zu", i);
            ck_assert_msg(cp == '\n' || (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0)),
                          "control character U+%04X at byte %zu", cp, i);
            i += (size_t)k;
        }
        ck_assert_ptr_nonnull(strstr(body, "id=\"/system.slice/quote\\\"brace}\""));
        ck_assert_ptr_nonnull(strstr(body, "id=\"/system.slice/back\\\\slash\""));
        ck_assert_ptr_nonnull(strstr(body, "id=\"/system.slice/new\\nline\""));
        ck_assert_ptr_nonnull(strstr(body, "id=\"/system.slice/bad\xef\xbf\xbd\xef\xbf\xbd utf8\""));
        ck_assert_ptr_nonnull(strstr(body, "id=\"/system.slice/esc?[31m\""));
        /* each sample line: name{...} value, with balanced quotes */
        for (char *p = body; *p;) {
            char *e = strchr(p, '\n');
            ck_assert_ptr_nonnull(e);
            *e = '\0';
            if (*p != '#') {
                bool inq = false;
                char *q = p;
                for (; *q && (inq || *q != ' '); q++) {
                    if (inq && *q == '\\') {
                        q++;
                        ck_assert_msg(*q == '\\' || *q == '"' || *q == 'n', "bad escape in %s", p);
                    } else if (*q == '"') {
                        inq = !inq;
                    }
                }
                ck_assert_msg(!inq && *q == ' ', "unbalanced line: %s", p);
                n++;
            }
            p = e + 1;
        }
        ck_assert_uint_gt(n, 10);
        free(body);
    }
    close_tree();
}
END_TEST

/* A locale with a decimal comma (de_DE.UTF-8): compiled into a private
 * directory with localedef when the system has not generated it. */
static bool decimal_comma_locale(char **locdir)
{
    char buf[32];

    *locdir = NULL;
    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        /* no ck_assert here: main() calls it outside of any test */
        char tmpl[] = "/tmp/memtop-locale-XXXXXX";
        char cmd[8192];
        if (!mkdtemp(tmpl))
            return false;
        char *dir = strdup(tmpl);
        snprintf(cmd, sizeof(cmd), "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' 2>/dev/null",
                 dir);
        if (system(cmd) != 0) {
            fixture_remove(dir);
            return false;
        }
        setenv("LOCPATH", dir, 1);
        *locdir = dir;
        if (!setlocale(LC_ALL, "de_DE.UTF-8"))
            return false;
    }
    snprintf(buf, sizeof(buf), "%.2f", 0.25);
    return strcmp(buf, "0,25") == 0;
}

START_TEST(test_locale)
{
    char *locdir;
    char buf[64];

    ck_assert_msg(decimal_comma_locale(&locdir), "de_DE.UTF-8 is not a decimal-comma locale");
    metrics_format_double(buf, sizeof(buf), 0.25);
    ck_assert_str_eq(buf, "0.25");
    metrics_format_double(buf, sizeof(buf), 1234567.125);
    ck_assert_str_eq(buf, "1234567.125");
    open_tree("analysis-v2");
    tick();
    char *body = render(MT_EXPO_TEXT, MT_SHOW_CONTAINERS);
    const char *l = find_sample(body, "memtop_oom_risk_working_set_ratio", V2B);
    ck_assert_ptr_nonnull(l);
    const char *e = strchr(l, '\n');
    const char *sp = e;
    while (sp[-1] != ' ')
        sp--;
    ck_assert_msg(memchr(sp, ',', (size_t)(e - sp)) == NULL && memchr(sp, '.', (size_t)(e - sp)),
                  "value with a decimal comma: %.*s", (int)(e - l), l);
    free(body);
    close_tree();
    setlocale(LC_ALL, "C");
    unsetenv("LOCPATH");
    fixture_remove(locdir);
}
END_TEST

START_TEST(test_numbers)
{
    char buf[64];

    metrics_format_double(buf, sizeof(buf), (double)NAN);
    ck_assert_str_eq(buf, "NaN");
    metrics_format_double(buf, sizeof(buf), (double)INFINITY);
    ck_assert_str_eq(buf, "+Inf");
    metrics_format_double(buf, sizeof(buf), -(double)INFINITY);
    ck_assert_str_eq(buf, "-Inf");
    metrics_format_double(buf, sizeof(buf), 9007199254740992.0);
    ck_assert_str_eq(buf, "9007199254740992");
    metrics_format_double(buf, sizeof(buf), -3.0);
    ck_assert_str_eq(buf, "-3");
    metrics_format_double(buf, sizeof(buf), 1e300);
    ck_assert_str_eq(buf, "1e+300");
}
END_TEST

/* Counters: "_total" samples, TYPE counter (OpenMetrics: family without
 * _total); gauges never end in _total; byte counts are exact integers. */
START_TEST(test_types)
{
    open_tree("analysis-v2");
    tick();
    char *text = render(MT_EXPO_TEXT, MT_SHOW_CONTAINERS);
    char *om = render(MT_EXPO_OPENMETRICS, MT_SHOW_CONTAINERS);
    ck_assert_ptr_nonnull(strstr(text, "# TYPE memtop_memory_pgfaults_total counter\n"));
    ck_assert_ptr_nonnull(strstr(om, "# TYPE memtop_memory_pgfaults counter\n"));
    ck_assert_ptr_nonnull(find_sample(om, "memtop_memory_pgfaults_total", V2B));
    ck_assert_ptr_nonnull(strstr(text, "# TYPE memtop_memory_usage_bytes gauge\n"));
    ck_assert_ptr_nonnull(strstr(om, "# TYPE memtop_memory_usage_bytes gauge\n"
                                     "# UNIT memtop_memory_usage_bytes bytes\n"));
    ck_assert_ptr_nonnull(strstr(text, "# TYPE memtop_cgroup_info gauge\n"));
    ck_assert_ptr_nonnull(strstr(om, "# TYPE memtop_cgroup info\n"));
    ck_assert_ptr_null(strstr(text, "# TYPE memtop_cgroup_info info"));
    /* every TYPE line once; gauges without _total */
    for (char *p = strstr(text, "# TYPE "); p; p = strstr(p + 1, "# TYPE ")) {
        char name[128], type[16];
        ck_assert_int_eq(sscanf(p, "# TYPE %127s %15s", name, type), 2);
        char needle[160];
        snprintf(needle, sizeof(needle), "# TYPE %s ", name);
        ck_assert_msg(strstr(p + 1, needle) == NULL, "family %s split", name);
        size_t nl = strlen(name);
        bool total = nl > 6 && strcmp(name + nl - 6, "_total") == 0;
        ck_assert_msg(total == (strcmp(type, "counter") == 0), "%s is a %s", name, type);
    }
    /* the usage of container b is exactly its memory.current (76546048) */
    const char *l = find_sample(text, "memtop_memory_usage_bytes", V2B);
    ck_assert_ptr_nonnull(l);
    ck_assert_ptr_nonnull(strstr(l, "} 76546048\n"));
    ck_assert(strstr(om, "\n# EOF\n") && om[strlen(om) - 1] == '\n' &&
              strcmp(om + strlen(om) - 6, "# EOF\n") == 0);
    ck_assert_ptr_null(strstr(text, "# EOF"));
    /* risk: one series per level, exactly one of them 1 */
    int ones = 0, all = 0;
    for (const char *p = text; (p = find_sample(p, "memtop_oom_risk", V2B)); p = strchr(p, '\n')) {
        all++;
        ones += sample_value(p) == 1;
        if (!strchr(p, '\n'))
            break;
    }
    ck_assert_int_eq(all, 4);
    ck_assert_int_eq(ones, 1);
    free(text);
    free(om);
    close_tree();
}
END_TEST

/* No limit: no memtop_memory_limit_bytes sample; a pod's limit binds its
 * container with limit_from = the pod. */
START_TEST(test_limits)
{
    open_tree("analysis-v2");
    tick();
    char *text = render(MT_EXPO_TEXT, MT_SHOW_ALL);
    ck_assert_ptr_null(find_sample(text, "memtop_memory_limit_bytes",
                                   "id=\"/system.slice/docker-dddd"));
    ck_assert_ptr_nonnull(find_sample(text, "memtop_memory_usage_bytes",
                                      "id=\"/system.slice/docker-dddd"));
    const char *l = find_sample(text, "memtop_memory_limit_bytes", "id=\"" V2E "\"");
    ck_assert_ptr_nonnull(l);
    ck_assert_ptr_nonnull(strstr(l, "limit_from=\"" V2POD "\"} 536870912\n"));
    free(text);
    close_tree();
}
END_TEST

/* A vanished cgroup's series go at once; one killed by the OOM killer
 * stays (state gone) with the kill counted and the victim named. */
START_TEST(test_gone_and_tombstone)
{
    char rel[PATH_MAX], cmd[PATH_MAX * 2];

    open_tree("analysis-v2");
    tick();
    char *text = render(MT_EXPO_TEXT, MT_SHOW_CONTAINERS);
    ck_assert_ptr_nonnull(find_sample(text, "memtop_memory_usage_bytes", V2B));
    const char *k0 = find_sample(text, "memtop_oom_kills_total", V2C);
    double before = k0 ? sample_value(k0) : 0;
    free(text);
    /* container c is OOM-killed (reported by the kernel log) and deleted
     * before memtop reads it again; b is just deleted */
    OomEvent ev;
    memset(&ev, 0, sizeof(ev));
    ev.time = T0 + 3;
    snprintf(ev.path, sizeof(ev.path), "%s", V2C);
    snprintf(ev.comm, sizeof(ev.comm), "java\"x");
    ev.pid = 4242;
    ev.uid = 0;
    ev.source = MT_OOM_SRC_KMSG;
    ev.ingest_seq = m.seq + 1;
    oomlog_add(&fz.log, &ev);
    snprintf(rel, sizeof(rel), "sys/fs/cgroup%s", V2C);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/%s' '%s/sys/fs/cgroup%s'", tmp, rel, tmp, V2B);
    ck_assert_int_eq(system(cmd), 0);
    tick();
    text = render(MT_EXPO_TEXT, MT_SHOW_CONTAINERS);
    ck_assert_ptr_null(strstr(text, V2B));
    const char *l = find_sample(text, "memtop_oom_kills_total", V2C);
    ck_assert_ptr_nonnull(l);
    ck_assert_msg(sample_value(l) == before + 1, "kills %g, before %g", sample_value(l), before);
    l = find_sample(text, "memtop_cgroup_gone", V2C);
    ck_assert_ptr_nonnull(l);
    ck_assert(sample_value(l) == 1);
    l = find_sample(text, "memtop_oom_last_kill_timestamp_seconds", V2C);
    ck_assert_ptr_nonnull(l);
    ck_assert_ptr_nonnull(strstr(l, "comm=\"java\\\"x\"} 1700000003\n"));
    ck_assert_ptr_null(find_sample(text, "memtop_memory_usage_bytes", V2C));
    ck_assert_ptr_null(find_sample(text, "memtop_oom_risk", V2C));
    free(text);
    close_tree();
}
END_TEST

START_TEST(test_negotiation)
{
    ck_assert_int_eq(http_negotiate("application/openmetrics-text;version=1.0.0,"
                                    "application/openmetrics-text;version=0.0.1;q=0.75,"
                                    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
                     MT_EXPO_OPENMETRICS);
    ck_assert_int_eq(http_negotiate(NULL), MT_EXPO_TEXT);
    ck_assert_int_eq(http_negotiate("*/*"), MT_EXPO_TEXT);
    ck_assert_int_eq(http_negotiate("text/plain"), MT_EXPO_TEXT);
    ck_assert_int_eq(http_negotiate("application/openmetrics-text"), MT_EXPO_OPENMETRICS);
    ck_assert_int_eq(http_negotiate("application/openmetrics-text;q=0.2, text/plain"),
                     MT_EXPO_TEXT);
    ck_assert_int_eq(http_negotiate("application/openmetrics-text; q=0"), MT_EXPO_TEXT);
    ck_assert_int_eq(http_negotiate("Application/OpenMetrics-Text ; version=1.0.0"),
                     MT_EXPO_OPENMETRICS);
    ck_assert(http_accepts_gzip("gzip"));
    ck_assert(http_accepts_gzip("deflate, gzip;q=1.0, *;q=0.5"));
    ck_assert(!http_accepts_gzip("gzip;q=0"));
    ck_assert(!http_accepts_gzip("identity"));
    ck_assert(!http_accepts_gzip(NULL));
    ck_assert(http_accepts_gzip("*"));
}
END_TEST

START_TEST(test_listen_parse)
{
    ListenAddr a;
    char err[256];

    ck_assert_int_eq(listen_parse("9100", &a, err, sizeof(err)), 0);
    ck_assert_str_eq(a.text, "127.0.0.1:9100");
    ck_assert_int_eq(listen_parse("0.0.0.0:80", &a, err, sizeof(err)), 0);
    ck_assert_str_eq(a.text, "0.0.0.0:80");
    ck_assert_int_eq(listen_parse("[::]:10090", &a, err, sizeof(err)), 0);
    ck_assert_str_eq(a.text, "[::]:10090");
    ck_assert_int_eq(listen_parse("[::1]:0", &a, err, sizeof(err)), 0);
    static const char *const bad[] = {
        "", "abc", "1.2.3.4:", ":80", "::1:80", "70000", "-1", "+5", "[::1]80", "[::1]",
        "localhost:80", "1.2.3:80", "[1.2.3.4]:80", "127.0.0.1:80x", "1.2.3.4:5:6",
    };
    for (size_t i = 0; i < MT_ARRAY_SIZE(bad); i++) {
        err[0] = '\0';
        ck_assert_msg(listen_parse(bad[i], &a, err, sizeof(err)) < 0, "accepted '%s'", bad[i]);
        ck_assert(strstr(err, "invalid --listen") != NULL && !strchr(err, '\n'));
    }
}
END_TEST

static int sink_buf(const char *p, size_t n, void *ctx)
{
    metrics_buf_add(ctx, p, n);
    return 0;
}

/* Replayed ticks regrouped: one header per family, each series' points
 * together and in time order, timestamps in seconds, # EOF last. */
START_TEST(test_series_set)
{
    MetricsSeriesSet *s = metrics_series_new();
    MetricsBuf out;

    open_tree("analysis-v2");
    MetricsOptions o = { .format = MT_EXPO_OPENMETRICS, .show = MT_SHOW_CONTAINERS,
                         .no_eof = true };
    for (int i = 0; i < 3; i++) {
        MetricsBuf b;
        tick();
        metrics_buf_init(&b);
        metrics_render(&b, &m, &o);
        ck_assert_ptr_null(strstr(b.p, "# EOF"));
        metrics_series_add(s, b.p, b.len, T0 + 2.0 * i + 0.5);
        metrics_buf_free(&b);
    }
    metrics_buf_init(&out);
    ck_assert_int_eq(metrics_series_write(s, sink_buf, &out), 0);
    const char *body = out.p;
    ck_assert(strcmp(body + out.len - 6, "# EOF\n") == 0);
    const char *l = find_sample(body, "memtop_memory_usage_bytes", V2B);
    ck_assert_ptr_nonnull(l);
    ck_assert_ptr_nonnull(strstr(l, "} 76546048 1700000000.5\n"));
    l = strchr(l, '\n') + 1;
    ck_assert(find_sample(l, "memtop_memory_usage_bytes", V2B) == l);
    ck_assert_ptr_nonnull(strstr(l, "} 76546048 1700000002.5\n"));
    l = strchr(l, '\n') + 1;
    ck_assert(find_sample(l, "memtop_memory_usage_bytes", V2B) == l);
    ck_assert_ptr_nonnull(strstr(l, "} 76546048 1700000004.5\n"));
    int types = 0;
    for (const char *p = body; (p = strstr(p, "# TYPE memtop_memory_usage_bytes ")); p++)
        types++;
    ck_assert_int_eq(types, 1);
    metrics_buf_free(&out);
    metrics_series_free(s);
    close_tree();
}
END_TEST

static Suite *metrics_suite(bool with_locale)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_golden, 0, 5);
    tcase_add_test(tc, test_escape_label);
    tcase_add_test(tc, test_hostile_names);
    if (with_locale)
        tcase_add_test(tc, test_locale);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_types);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_gone_and_tombstone);
    tcase_add_test(tc, test_negotiation);
    tcase_add_test(tc, test_listen_parse);
    tcase_add_test(tc, test_series_set);
    suite_add_tcase(s, tc);
    return s;
}

/* Without a decimal-comma locale (no 'locales' package: ./bootstrap
 * installs it) the other tests still run; then exit 77 with the reason. */
int main(void)
{
    char *locdir;
    bool loc = decimal_comma_locale(&locdir);

    setlocale(LC_ALL, "C");
    unsetenv("LOCPATH");
    fixture_remove(locdir);
    SRunner *sr = srunner_create(metrics_suite(loc));
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (failed)
        return EXIT_FAILURE;
    if (!loc) {
        printf("SKIP: no decimal-comma locale: de_DE.UTF-8 is not generated and localedef "
               "could not build it (package 'locales')\n");
        return 77;
    }
    return EXIT_SUCCESS;
}
