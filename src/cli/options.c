/* options.c - the command line.  One table (opt_specs) names every option
 * once: it drives getopt_long, stores each option through its setter (with
 * strict number checks) and prints --help. */
#include "config.h"

#include "cli/options.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "record/recorder.h"
#include "record/replay.h"
#include "util/argnum.h"
#include "util/xalloc.h"

/* getopt_long codes of the options without a short letter.  Their values
 * show: a long-only switch given a value ("--json=1") comes back as '?'
 * with optopt set to its code, which options_parse prints with "-%c" (the
 * code's low byte, a control character; kept as it was). */
enum {
    OPT_ROOT = 256,
    OPT_JSON,
    OPT_HISTORY,
    OPT_ASCII,
    OPT_NO_COLOR,
    OPT_REVERSE,
    OPT_TOMBSTONE,
    OPT_NO_NAMES,
    OPT_DOCKER_ROOT,
    OPT_CONTAINERD_STATE,
    OPT_CRIO_STATE,
    OPT_PODS_LOG_DIR,
    OPT_OOM_SOURCE,
    OPT_KMSG,
    OPT_JOURNAL_DIR,
    OPT_JOURNAL_FILE,
    OPT_OOM_BACKLOG,
    OPT_OOM_TOMBSTONE,
    OPT_PROCESSES,
    OPT_EXPLAIN,
    OPT_THRESHOLD,
    OPT_FROM,
    OPT_TO,
    OPT_MAX_SIZE,
    OPT_DAILY,
    OPT_MIN_FREE,
    OPT_DUMP_ON_OOM,
    OPT_NO_BUS,
    OPT_BUS_ADDRESS,
    OPT_LISTEN,
    OPT_TEXTFILE,
    OPT_OPENMETRICS,
    OPT_PROMETHEUS,
};

typedef struct OptSpec OptSpec;

/* Store one option (arg is NULL for a switch) in o.  0, or -1 with one
 * line in err when the argument is not valid. */
typedef int (*OptSetter)(Options *o, const OptSpec *s, const char *arg, char *err,
                         size_t errlen);

struct OptSpec {
    const char *name;           /* --name */
    int code;                   /* the short letter, else an OPT_ code */
    const char *arg;            /* the argument's name in --help; NULL: a switch */
    OptSetter set;
    size_t field;               /* offsetof the member the generic setters store to */
    /* --help text.  A '\n' continues at the text column; a leading '\n'
     * starts the text on the line after the option. */
    const char *help;
    void (*help_more)(FILE *f); /* prints what only exists at run time */
};

#define FIELD(member) offsetof(Options, member)
#define AT(o, s, type) ((type *)(void *)((char *)(o) + (s)->field))

static int set_flag(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    *AT(o, s, bool) = true;
    return 0;
}

static int set_string(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    *AT(o, s, const char *) = arg;
    return 0;
}

static int set_seconds(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    if (argnum_double(arg, 0, 7 * 86400, AT(o, s, double)) < 0) {
        snprintf(err, errlen, "invalid --%s '%s': expected seconds", s->name, arg);
        return -1;
    }
    return 0;
}

static int set_size(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    if (argnum_size(arg, AT(o, s, uint64_t)) < 0) {
        snprintf(err, errlen, "invalid --%s '%s': expected bytes (suffix K, M, G, T, P)",
                 s->name, arg);
        return -1;
    }
    return 0;
}

static int set_time(const OptSpec *s, const char *arg, double *t, bool *has, char *err,
                    size_t errlen)
{
    if (replay_parse_time(arg, t) < 0) {
        snprintf(err, errlen, "invalid --%s '%s': expected unix seconds or "
                 "'YYYY-mm-dd HH:MM:SS'", s->name, arg);
        return -1;
    }
    *has = true;
    return 0;
}

static int set_from(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    return set_time(s, arg, &o->from, &o->has_from, err, errlen);
}

static int set_to(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    return set_time(s, arg, &o->to, &o->has_to, err, errlen);
}

static int set_batch(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    (void)s, (void)arg, (void)err, (void)errlen;
    if (o->mode != MT_RUN_JSON)
        o->mode = MT_RUN_BATCH;
    return 0;
}

static int set_json(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    (void)s, (void)arg, (void)err, (void)errlen;
    o->mode = MT_RUN_JSON;
    return 0;
}

static int set_iterations(Options *o, const OptSpec *s, const char *arg, char *err,
                          size_t errlen)
{
    (void)s;
    if (argnum_long(arg, 0, 1000000000L, &o->iterations) < 0) {
        snprintf(err, errlen, "invalid --iterations '%s': expected a count (0: forever)", arg);
        return -1;
    }
    o->iterations_set = true;
    return 0;
}

static int set_delay(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    (void)s;
    if (argnum_double(arg, 0.2, 3600, &o->delay) < 0) {
        snprintf(err, errlen, "invalid --delay '%s': expected seconds from 0.2 to 3600", arg);
        return -1;
    }
    return 0;
}

static int set_sort(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    const Column *col = column_by_key(arg);

    (void)s;
    if (!col) {
        snprintf(err, errlen, "unknown sort key '%s' (see --help for the list)", arg);
        return -1;
    }
    o->sort = col->id;
    return 0;
}

/* *dst = arg unless arg is empty: then -1 and msg in err. */
static int set_nonempty(const char **dst, const char *arg, const char *msg, char *err,
                        size_t errlen)
{
    if (!*arg) {
        snprintf(err, errlen, "%s", msg);
        return -1;
    }
    *dst = arg;
    return 0;
}

static int set_root(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    (void)s;
    return set_nonempty(&o->root, arg, "--root needs a directory", err, errlen);
}

static int set_history(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    long l;

    (void)s;
    if (argnum_long(arg, 2, 100000, &l) < 0) {
        snprintf(err, errlen, "invalid --history '%s': expected 2 to 100000 ticks", arg);
        return -1;
    }
    o->history = (uint32_t)l;
    return 0;
}

static int set_oom_source(Options *o, const OptSpec *s, const char *arg, char *err,
                          size_t errlen)
{
    static const char *const srcs[] = { "auto", "journal", "kmsg", "none" };

    (void)s;
    o->oom_source = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(arg, srcs[i]) == 0)
            o->oom_source = i;
    if (o->oom_source < 0) {
        snprintf(err, errlen, "invalid --oom-source '%s': expected auto, journal, kmsg "
                 "or none", arg);
        return -1;
    }
    return 0;
}

static int set_explain(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    (void)s;
    return set_nonempty(&o->explain, arg, "--explain needs a container name, id or path", err,
                        errlen);
}

static int set_threshold(Options *o, const OptSpec *s, const char *arg, char *err,
                         size_t errlen)
{
    (void)s;
    return thresholds_set(&o->thresholds, arg, err, errlen);
}

static int set_bus_address(Options *o, const OptSpec *s, const char *arg, char *err,
                           size_t errlen)
{
    (void)s;
    return set_nonempty(&o->bus_address, arg, "invalid --bus-address '': expected a D-Bus address",
                        err, errlen);
}

static int set_textfile(Options *o, const OptSpec *s, const char *arg, char *err,
                        size_t errlen)
{
    (void)s;
    return set_nonempty(&o->textfile, arg, "--textfile needs a directory", err, errlen);
}

/* --prometheus (1) and --openmetrics (2): one exposition format. */
static int set_expo(Options *o, const OptSpec *s, const char *arg, char *err, size_t errlen)
{
    (void)arg;
    int want = s->code == OPT_OPENMETRICS ? 2 : 1;
    if (o->expo && o->expo != want) {
        snprintf(err, errlen, "--openmetrics and --prometheus cannot be used together");
        return -1;
    }
    o->expo = want;
    return 0;
}

static void print_sort_keys(FILE *f)
{
    for (int i = 0; i < MT_COL_MAX; i++)
        fprintf(f, "%s%s", i ? ", " : "", column_get((MtColumn)i)->key);
}

/* Every option, in the order of --help. */
static const OptSpec opt_specs[] = {
    { "batch", 'b', NULL, set_batch, 0,
      "text output, no terminal UI (default when stdout is not a tty)", NULL },
    { "json", OPT_JSON, NULL, set_json, 0, "one JSON object per tick (NDJSON)", NULL },
    { "iterations", 'n', "N", set_iterations, 0,
      "stop after N ticks; 0 = run until interrupted (default:\n"
      "1 when stdout is not a terminal, else forever)", NULL },
    { "delay", 'd', "SECONDS", set_delay, 0,
      "tick interval, 0.2 to 3600 (default 2: the kernel\n"
      "refreshes memory.stat every 2 s)", NULL },
    { "sort", 's', "KEY", set_sort, 0, "sort by KEY (default ws); keys: ", print_sort_keys },
    { "reverse", OPT_REVERSE, NULL, set_flag, FIELD(reverse), "invert the sort order", NULL },
    { "raw", 'r', NULL, set_flag, FIELD(raw), "sizes in bytes instead of KiB/MiB/GiB", NULL },
    { "all", 'a', NULL, set_flag, FIELD(all), "every cgroup, not only containers and pods",
      NULL },
    { "root", OPT_ROOT, "DIR", set_root, 0,
      "read proc/ and sys/ below DIR instead of / (fixture trees)", NULL },
    { "history", OPT_HISTORY, "N", set_history, 0,
      "ticks of history kept per cgroup (default 600)", NULL },
    { "tombstone", OPT_TOMBSTONE, "SECS", set_seconds, FIELD(tomb_secs),
      "keep vanished cgroups listed this long (default 10)", NULL },
    { "ascii", OPT_ASCII, NULL, set_flag, FIELD(ascii),
      "ASCII sparklines and bars instead of UTF-8 blocks", NULL },
    { "no-color", OPT_NO_COLOR, NULL, set_flag, FIELD(no_color),
      "no colors (also with NO_COLOR set)", NULL },
    { "no-names", OPT_NO_NAMES, NULL, set_flag, FIELD(no_names),
      "do not read container runtimes' files for names", NULL },
    { "docker-root", OPT_DOCKER_ROOT, "DIR", set_string, FIELD(docker_root),
      "Docker data root, below --root (var/lib/docker)", NULL },
    { "containerd-state", OPT_CONTAINERD_STATE, "DIR", set_string, FIELD(containerd_state),
      "containerd state dir, below --root (run/containerd)", NULL },
    { "crio-state", OPT_CRIO_STATE, "DIR", set_string, FIELD(crio_state),
      "CRI-O/podman storage, below --root (var/lib/containers/storage)", NULL },
    { "pods-log-dir", OPT_PODS_LOG_DIR, "DIR", set_string, FIELD(pods_log_dir),
      "kubelet pod logs, below --root (var/log/pods)", NULL },
    { "no-bus", OPT_NO_BUS, NULL, set_flag, FIELD(no_bus),
      "do not ask systemd-machined (system bus) for machine names", NULL },
    { "bus-address", OPT_BUS_ADDRESS, "ADDR", set_bus_address, 0,
      "D-Bus address to ask instead of the system bus", NULL },
    { "oom-source", OPT_OOM_SOURCE, "SRC", set_oom_source, 0,
      "kernel OOM reports from auto, journal, kmsg or none", NULL },
    { "kmsg", OPT_KMSG, "FILE", set_string, FIELD(kmsg_path),
      "read OOM reports from FILE (kmsg or dmesg text) instead\n"
      "of <root>/dev/kmsg", NULL },
    { "journal-dir", OPT_JOURNAL_DIR, "DIR", set_string, FIELD(journal_dir),
      "read OOM reports from the journal files in DIR", NULL },
    { "journal-file", OPT_JOURNAL_FILE, "FILE", set_string, FIELD(journal_file),
      "read OOM reports from one journal file", NULL },
    { "oom-backlog", OPT_OOM_BACKLOG, NULL, set_flag, FIELD(oom_backlog),
      "also report kills logged before memtop started (this boot)", NULL },
    { "oom-tombstone", OPT_OOM_TOMBSTONE, "SECS", set_seconds, FIELD(oom_tomb_secs),
      "keep OOM-killed vanished containers listed (default 900)", NULL },
    { "processes", OPT_PROCESSES, NULL, set_flag, FIELD(processes),
      "JSON: list each container's processes and likely OOM victim", NULL },
    { "explain", OPT_EXPLAIN, "NAME", set_explain, 0,
      "print the detail pane's text (composition, risk level,\n"
      "reasons) for one container and exit; NAME is its name,\n"
      "an id or pod UID prefix (>= 4 chars) or its cgroup path.\n"
      "Takes -n ticks (default 2) -d apart; an ETA needs >= 5\n"
      "ticks spanning >= 10 s, e.g. -n 6 -d 2", NULL },
    { "threshold", OPT_THRESHOLD, "NAME=VALUE", set_threshold, 0,
      "\nchange one OOM-risk threshold (repeatable; list below)", NULL },
    { "write", 'w', "FILE", set_string, FIELD(write_file),
      "record every tick to FILE (appends; no terminal needed)", NULL },
    { "max-size", OPT_MAX_SIZE, "SIZE", set_size, FIELD(max_size),
      "rotate FILE to FILE.<date-time> before it exceeds SIZE", NULL },
    { "daily", OPT_DAILY, NULL, set_flag, FIELD(daily), "rotate FILE at local midnight", NULL },
    { "min-free", OPT_MIN_FREE, "SIZE", set_size, FIELD(min_free),
      "stop recording when the file system has less free space\n"
      "than SIZE or 5% (default 100M; 0: no check)", NULL },
    { "dump-on-oom", OPT_DUMP_ON_OOM, "DIR", set_string, FIELD(dump_dir),
      "on an OOM kill, write the last --history ticks to DIR", NULL },
    { "replay", 'R', "FILE", set_string, FIELD(replay_file),
      "replay a recording (with -b or --json: print it)", NULL },
    { "from", OPT_FROM, "TIME", set_from, 0,
      "replay from TIME (unix seconds or 'YYYY-mm-dd HH:MM:SS')", NULL },
    { "to", OPT_TO, "TIME", set_to, 0, "replay up to TIME", NULL },
    { "listen", OPT_LISTEN, "[ADDR:]PORT", set_string, FIELD(listen),
      "\nrun headless as a Prometheus exporter serving\n"
      "http://ADDR:PORT/metrics (ADDR default 127.0.0.1; all\n"
      "interfaces only when asked: 0.0.0.0:PORT, [::]:PORT)", NULL },
    { "textfile", OPT_TEXTFILE, "DIR", set_textfile, 0,
      "run headless, writing DIR/memtop.prom every tick (for\n"
      "node_exporter's textfile collector)", NULL },
    { "openmetrics", OPT_OPENMETRICS, NULL, set_expo, 0,
      "print the metrics in OpenMetrics after -n ticks (default\n"
      "1); with --replay: every recorded tick, timestamped", NULL },
    { "prometheus", OPT_PROMETHEUS, NULL, set_expo, 0,
      "print the metrics in the Prometheus text format", NULL },
    { "help", 'h', NULL, set_flag, FIELD(help), "this help", NULL },
    { "version", 'V', NULL, set_flag, FIELD(version), "version", NULL },
};

#define N_OPTS MT_ARRAY_SIZE(opt_specs)
#define HELP_COLUMN 25          /* where the help texts start */

/* "  -n, --iterations N     stop after ..." and its continuation lines. */
static void usage_option(FILE *f, const OptSpec *s)
{
    char left[64];
    const char *h = s->help;

    snprintf(left, sizeof(left), "  %c%c%c --%s%s%s", s->code < 256 ? '-' : ' ',
             s->code < 256 ? s->code : ' ', s->code < 256 ? ',' : ' ', s->name,
             s->arg ? " " : "", s->arg ? s->arg : "");
    if (*h == '\n') {
        fprintf(f, "%s\n%*s", left, HELP_COLUMN, "");
        h++;
    } else if (strlen(left) < HELP_COLUMN) {
        fprintf(f, "%-*s", HELP_COLUMN, left);
    } else {
        fprintf(f, "%s  ", left);
    }
    for (; *h; h++) {
        fputc(*h, f);
        if (*h == '\n')
            fprintf(f, "%*s", HELP_COLUMN, "");
    }
    if (s->help_more)
        s->help_more(f);
    fputc('\n', f);
}

void options_usage(FILE *f)
{
    fputs("Usage: memtop [OPTION]...\n"
          "Per-container memory monitor for cgroup v1, v2 and hybrid hosts.\n"
          "\n", f);
    for (size_t i = 0; i < N_OPTS; i++)
        usage_option(f, &opt_specs[i]);
    fputs("\n"
          "Working set = usage - inactive file cache (what kubelet and cAdvisor report).\n"
          "memtop only reads cgroupfs and procfs; it never writes to them.\n"
          "\n"
          "OOM risk (RISK column, JSON \"risk\", --explain): judged at the binding level,\n"
          "the cgroup or ancestor whose limit leaves the least headroom (no limit: the\n"
          "node).  Never raised by usage or limit hits alone.  Thresholds (--threshold):\n", f);
    thresholds_usage(f);
    fputs("Known limitations: v1 has no per-cgroup PSI outside hybrid mode and no\n"
          "slab_reclaimable, so the floor is conservative on v1; memory.stat can lag by\n"
          "2 s; page cache is charged to the first cgroup that touched it; without\n"
          "memory.oom.group the kernel kills the biggest task, which may be a sidecar.\n", f);
}

static void options_default(Options *o)
{
    memset(o, 0, sizeof(*o));
    o->mode = MT_RUN_AUTO;
    o->root = "/";
    o->delay = 2.0;
    o->sort = MT_COL_WS;
    o->history = 600;
    o->tomb_secs = 10;
    o->oom_tomb_secs = 900;
    thresholds_default(&o->thresholds);
    o->min_free = REC_MIN_FREE_DEFAULT;
}

/* getopt_long's view of opt_specs: longopts (N_OPTS + 1 entries) and the
 * short option string (":" first: a missing argument is reported as ':'). */
static void getopt_tables(struct option *longopts, char *shortopts)
{
    char *p = shortopts;

    *p++ = ':';
    for (size_t i = 0; i < N_OPTS; i++) {
        const OptSpec *s = &opt_specs[i];
        longopts[i] = (struct option){ s->name, s->arg ? required_argument : no_argument, NULL,
                                       s->code };
        if (s->code < 256) {
            *p++ = (char)s->code;
            if (s->arg)
                *p++ = ':';
        }
    }
    longopts[N_OPTS] = (struct option){ NULL, 0, NULL, 0 };
    *p = '\0';
}

static const OptSpec *spec_of(int code)
{
    for (size_t i = 0; i < N_OPTS; i++)
        if (opt_specs[i].code == code)
            return &opt_specs[i];
    return NULL;
}

/* Options that only make sense together, and stray arguments. */
static int check_combinations(const Options *o, int argc, char **argv, char *err,
                              size_t errlen)
{
    if (o->replay_file && o->write_file) {
        snprintf(err, errlen, "--replay and --write cannot be used together");
        return -1;
    }
    if ((o->has_from || o->has_to) && !o->replay_file) {
        snprintf(err, errlen, "--from/--to need --replay FILE");
        return -1;
    }
    if ((o->max_size || o->daily) && !o->write_file) {
        snprintf(err, errlen, "--max-size/--daily need --write FILE");
        return -1;
    }
    if ((o->listen || o->textfile || o->expo) &&
        (o->mode == MT_RUN_BATCH || o->mode == MT_RUN_JSON || o->explain)) {
        snprintf(err, errlen, "--listen, --textfile, --openmetrics and --prometheus replace "
                 "-b, --json and --explain");
        return -1;
    }
    if (o->replay_file && (o->listen || o->textfile || o->expo == 1)) {
        snprintf(err, errlen, "--replay prints a recording as metrics with --openmetrics only");
        return -1;
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s' (see --help)", argv[optind]);
        return -1;
    }
    return 0;
}

int options_parse(Options *o, int argc, char **argv, char *err, size_t errlen)
{
    struct option longopts[N_OPTS + 1];
    char shortopts[2 * N_OPTS + 2];
    int c;

    options_default(o);
    getopt_tables(longopts, shortopts);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        const OptSpec *s = spec_of(c);
        if (s) {
            if (s->set(o, s, optarg, err, errlen) < 0)
                return -1;
        } else if (c == ':') {
            snprintf(err, errlen, "option '%s' needs an argument", argv[optind - 1]);
            return -1;
        } else {
            /* optopt is a long option's code when that option got a
             * value it does not take (--no-bus=1): name it as typed */
            if (optopt > ' ' && optopt < 0x7f)
                snprintf(err, errlen, "unknown option '-%c' (see --help)", optopt);
            else
                snprintf(err, errlen, "unknown option '%s' (see --help)", argv[optind - 1]);
            return -1;
        }
    }
    if (check_combinations(o, argc, argv, err, errlen) < 0)
        return -1;
    if (o->listen || o->textfile || o->expo)
        o->mode = MT_RUN_BATCH;     /* headless: never the terminal UI */
    return 0;
}
