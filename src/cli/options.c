/* options.c - getopt_long parsing with strict number checks. */
#include "config.h"

#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/recorder.h"
#include "record/replay.h"

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

static const struct option long_opts[] = {
    { "batch", no_argument, NULL, 'b' },
    { "iterations", required_argument, NULL, 'n' },
    { "delay", required_argument, NULL, 'd' },
    { "sort", required_argument, NULL, 's' },
    { "reverse", no_argument, NULL, OPT_REVERSE },
    { "raw", no_argument, NULL, 'r' },
    { "all", no_argument, NULL, 'a' },
    { "json", no_argument, NULL, OPT_JSON },
    { "root", required_argument, NULL, OPT_ROOT },
    { "history", required_argument, NULL, OPT_HISTORY },
    { "tombstone", required_argument, NULL, OPT_TOMBSTONE },
    { "ascii", no_argument, NULL, OPT_ASCII },
    { "no-color", no_argument, NULL, OPT_NO_COLOR },
    { "no-names", no_argument, NULL, OPT_NO_NAMES },
    { "docker-root", required_argument, NULL, OPT_DOCKER_ROOT },
    { "containerd-state", required_argument, NULL, OPT_CONTAINERD_STATE },
    { "crio-state", required_argument, NULL, OPT_CRIO_STATE },
    { "pods-log-dir", required_argument, NULL, OPT_PODS_LOG_DIR },
    { "oom-source", required_argument, NULL, OPT_OOM_SOURCE },
    { "kmsg", required_argument, NULL, OPT_KMSG },
    { "journal-dir", required_argument, NULL, OPT_JOURNAL_DIR },
    { "journal-file", required_argument, NULL, OPT_JOURNAL_FILE },
    { "oom-backlog", no_argument, NULL, OPT_OOM_BACKLOG },
    { "oom-tombstone", required_argument, NULL, OPT_OOM_TOMBSTONE },
    { "processes", no_argument, NULL, OPT_PROCESSES },
    { "explain", required_argument, NULL, OPT_EXPLAIN },
    { "threshold", required_argument, NULL, OPT_THRESHOLD },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { "write", required_argument, NULL, 'w' },
    { "replay", required_argument, NULL, 'R' },
    { "from", required_argument, NULL, OPT_FROM },
    { "to", required_argument, NULL, OPT_TO },
    { "max-size", required_argument, NULL, OPT_MAX_SIZE },
    { "daily", no_argument, NULL, OPT_DAILY },
    { "min-free", required_argument, NULL, OPT_MIN_FREE },
    { "dump-on-oom", required_argument, NULL, OPT_DUMP_ON_OOM },
    { "no-bus", no_argument, NULL, OPT_NO_BUS },
    { "bus-address", required_argument, NULL, OPT_BUS_ADDRESS },
    { "listen", required_argument, NULL, OPT_LISTEN },
    { "textfile", required_argument, NULL, OPT_TEXTFILE },
    { "openmetrics", no_argument, NULL, OPT_OPENMETRICS },
    { "prometheus", no_argument, NULL, OPT_PROMETHEUS },
    { NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
    fputs("Usage: memtop [OPTION]...\n"
          "Per-container memory monitor for cgroup v1, v2 and hybrid hosts.\n"
          "\n"
          "  -b, --batch            text output, no terminal UI (default when stdout is not a tty)\n"
          "      --json             one JSON object per tick (NDJSON)\n"
          "  -n, --iterations N     stop after N ticks; 0 = run until interrupted (default:\n"
          "                         1 when stdout is not a terminal, else forever)\n"
          "  -d, --delay SECONDS    tick interval, 0.2 to 3600 (default 2: the kernel\n"
          "                         refreshes memory.stat every 2 s)\n"
          "  -s, --sort KEY         sort by KEY (default ws); keys: ", f);
    for (int i = 0; i < MT_COL_MAX; i++)
        fprintf(f, "%s%s", i ? ", " : "", column_get((MtColumn)i)->key);
    fputs("\n"
          "      --reverse          invert the sort order\n"
          "  -r, --raw              sizes in bytes instead of KiB/MiB/GiB\n"
          "  -a, --all              every cgroup, not only containers and pods\n"
          "      --root DIR         read proc/ and sys/ below DIR instead of / (fixture trees)\n"
          "      --history N        ticks of history kept per cgroup (default 600)\n"
          "      --tombstone SECS   keep vanished cgroups listed this long (default 10)\n"
          "      --ascii            ASCII sparklines and bars instead of UTF-8 blocks\n"
          "      --no-color         no colors (also with NO_COLOR set)\n"
          "      --no-names         do not read container runtimes' files for names\n"
          "      --docker-root DIR  Docker data root, below --root (var/lib/docker)\n"
          "      --containerd-state DIR  containerd state dir, below --root (run/containerd)\n"
          "      --crio-state DIR   CRI-O/podman storage, below --root (var/lib/containers/storage)\n"
          "      --pods-log-dir DIR kubelet pod logs, below --root (var/log/pods)\n"
          "      --no-bus           do not ask systemd-machined (system bus) for machine names\n"
          "      --bus-address ADDR D-Bus address to ask instead of the system bus\n"
          "      --oom-source SRC   kernel OOM reports from auto, journal, kmsg or none\n"
          "      --kmsg FILE        read OOM reports from FILE (kmsg or dmesg text) instead\n"
          "                         of <root>/dev/kmsg\n"
          "      --journal-dir DIR  read OOM reports from the journal files in DIR\n"
          "      --journal-file FILE  read OOM reports from one journal file\n"
          "      --oom-backlog      also report kills logged before memtop started (this boot)\n"
          "      --oom-tombstone SECS  keep OOM-killed vanished containers listed (default 900)\n"
          "      --processes        JSON: list each container's processes and likely OOM victim\n"
          "      --explain NAME     print the detail pane's text (composition, risk level,\n"
          "                         reasons) for one container and exit; NAME is its name,\n"
          "                         an id or pod UID prefix (>= 4 chars) or its cgroup path.\n"
          "                         Takes -n ticks (default 2) -d apart; an ETA needs >= 5\n"
          "                         ticks spanning >= 10 s, e.g. -n 6 -d 2\n"
          "      --threshold NAME=VALUE\n"
          "                         change one OOM-risk threshold (repeatable; list below)\n"
          "  -w, --write FILE       record every tick to FILE (appends; no terminal needed)\n"
          "      --max-size SIZE    rotate FILE to FILE.<date-time> before it exceeds SIZE\n"
          "      --daily            rotate FILE at local midnight\n"
          "      --min-free SIZE    stop recording when the file system has less free space\n"
          "                         than SIZE or 5% (default 100M; 0: no check)\n"
          "      --dump-on-oom DIR  on an OOM kill, write the last --history ticks to DIR\n"
          "  -R, --replay FILE      replay a recording (with -b or --json: print it)\n"
          "      --from TIME        replay from TIME (unix seconds or 'YYYY-mm-dd HH:MM:SS')\n"
          "      --to TIME          replay up to TIME\n"
          "      --listen [ADDR:]PORT  run headless as a Prometheus exporter serving\n"
          "                         http://ADDR:PORT/metrics (ADDR default 127.0.0.1; all\n"
          "                         interfaces only when asked: 0.0.0.0:PORT, [::]:PORT)\n"
          "      --textfile DIR     run headless, writing DIR/memtop.prom every tick (for\n"
          "                         node_exporter's textfile collector)\n"
          "      --openmetrics      print the metrics in OpenMetrics after -n ticks (default\n"
          "                         1); with --replay: every recorded tick, timestamped\n"
          "      --prometheus       print the metrics in the Prometheus text format\n"
          "  -h, --help             this help\n"
          "  -V, --version          version\n"
          "\n"
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

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Bytes with an optional K/M/G/T/P suffix (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    case 'p': case 'P': shift = 50; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B')
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    if (*end || (shift && v > (UINT64_MAX >> shift)))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

static int parse_double(const char *s, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int options_parse(Options *o, int argc, char **argv, char *err, size_t errlen)
{
    long l;
    int c;

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
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":bn:d:s:rahVw:R:", long_opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            if (o->mode != MT_RUN_JSON)
                o->mode = MT_RUN_BATCH;
            break;
        case OPT_JSON:
            o->mode = MT_RUN_JSON;
            break;
        case 'n':
            if (parse_long(optarg, 0, 1000000000L, &o->iterations) < 0) {
                snprintf(err, errlen, "invalid --iterations '%s': expected a count (0: forever)", optarg);
                return -1;
            }
            o->iterations_set = true;
            break;
        case 'd':
            if (parse_double(optarg, 0.2, 3600, &o->delay) < 0) {
                snprintf(err, errlen, "invalid --delay '%s': expected seconds from 0.2 to 3600", optarg);
                return -1;
            }
            break;
        case 's': {
            const Column *col = column_by_key(optarg);
            if (!col) {
                snprintf(err, errlen, "unknown sort key '%s' (see --help for the list)", optarg);
                return -1;
            }
            o->sort = col->id;
            break;
        }
        case OPT_REVERSE:
            o->reverse = true;
            break;
        case 'r':
            o->raw = true;
            break;
        case 'a':
            o->all = true;
            break;
        case OPT_ROOT:
            if (!*optarg) {
                snprintf(err, errlen, "--root needs a directory");
                return -1;
            }
            o->root = optarg;
            break;
        case OPT_HISTORY:
            if (parse_long(optarg, 2, 100000, &l) < 0) {
                snprintf(err, errlen, "invalid --history '%s': expected 2 to 100000 ticks", optarg);
                return -1;
            }
            o->history = (uint32_t)l;
            break;
        case OPT_TOMBSTONE:
            if (parse_double(optarg, 0, 7 * 86400, &o->tomb_secs) < 0) {
                snprintf(err, errlen, "invalid --tombstone '%s': expected seconds", optarg);
                return -1;
            }
            break;
        case OPT_ASCII:
            o->ascii = true;
            break;
        case OPT_NO_COLOR:
            o->no_color = true;
            break;
        case OPT_NO_NAMES:
            o->no_names = true;
            break;
        case OPT_DOCKER_ROOT:
            o->docker_root = optarg;
            break;
        case OPT_CONTAINERD_STATE:
            o->containerd_state = optarg;
            break;
        case OPT_CRIO_STATE:
            o->crio_state = optarg;
            break;
        case OPT_PODS_LOG_DIR:
            o->pods_log_dir = optarg;
            break;
        case OPT_OOM_SOURCE: {
            static const char *const srcs[] = { "auto", "journal", "kmsg", "none" };
            o->oom_source = -1;
            for (int i = 0; i < 4; i++)
                if (strcmp(optarg, srcs[i]) == 0)
                    o->oom_source = i;
            if (o->oom_source < 0) {
                snprintf(err, errlen, "invalid --oom-source '%s': expected auto, journal, kmsg "
                         "or none", optarg);
                return -1;
            }
            break;
        }
        case OPT_KMSG:
            o->kmsg_path = optarg;
            break;
        case OPT_JOURNAL_DIR:
            o->journal_dir = optarg;
            break;
        case OPT_JOURNAL_FILE:
            o->journal_file = optarg;
            break;
        case OPT_OOM_BACKLOG:
            o->oom_backlog = true;
            break;
        case OPT_OOM_TOMBSTONE:
            if (parse_double(optarg, 0, 7 * 86400, &o->oom_tomb_secs) < 0) {
                snprintf(err, errlen, "invalid --oom-tombstone '%s': expected seconds", optarg);
                return -1;
            }
            break;
        case OPT_PROCESSES:
            o->processes = true;
            break;
        case OPT_EXPLAIN:
            if (!*optarg) {
                snprintf(err, errlen, "--explain needs a container name, id or path");
                return -1;
            }
            o->explain = optarg;
            break;
        case OPT_THRESHOLD:
            if (thresholds_set(&o->thresholds, optarg, err, errlen) < 0)
                return -1;
            break;
        case 'w':
            o->write_file = optarg;
            break;
        case 'R':
            o->replay_file = optarg;
            break;
        case OPT_FROM:
        case OPT_TO:
            if (replay_parse_time(optarg, c == OPT_FROM ? &o->from : &o->to) < 0) {
                snprintf(err, errlen, "invalid --%s '%s': expected unix seconds or "
                         "'YYYY-mm-dd HH:MM:SS'", c == OPT_FROM ? "from" : "to", optarg);
                return -1;
            }
            *(c == OPT_FROM ? &o->has_from : &o->has_to) = true;
            break;
        case OPT_MAX_SIZE:
        case OPT_MIN_FREE:
            if (parse_size(optarg, c == OPT_MAX_SIZE ? &o->max_size : &o->min_free) < 0) {
                snprintf(err, errlen, "invalid --%s '%s': expected bytes (suffix K, M, G, T, P)",
                         c == OPT_MAX_SIZE ? "max-size" : "min-free", optarg);
                return -1;
            }
            break;
        case OPT_DAILY:
            o->daily = true;
            break;
        case OPT_DUMP_ON_OOM:
            o->dump_dir = optarg;
            break;
        case OPT_NO_BUS:
            o->no_bus = true;
            break;
        case OPT_BUS_ADDRESS:
            if (!optarg[0]) {
                snprintf(err, errlen, "invalid --bus-address '': expected a D-Bus address");
                return -1;
            }
            o->bus_address = optarg;
            break;
        case OPT_LISTEN:
            o->listen = optarg;     /* checked when binding (exit status 1) */
            break;
        case OPT_TEXTFILE:
            if (!*optarg) {
                snprintf(err, errlen, "--textfile needs a directory");
                return -1;
            }
            o->textfile = optarg;
            break;
        case OPT_OPENMETRICS:
        case OPT_PROMETHEUS:
            if (o->expo && o->expo != (c == OPT_OPENMETRICS ? 2 : 1)) {
                snprintf(err, errlen, "--openmetrics and --prometheus cannot be used together");
                return -1;
            }
            o->expo = c == OPT_OPENMETRICS ? 2 : 1;
            break;
        case 'h':
            o->help = true;
            break;
        case 'V':
            o->version = true;
            break;
        case ':':
            snprintf(err, errlen, "option '%s' needs an argument", argv[optind - 1]);
            return -1;
        default:
            if (optopt)
                snprintf(err, errlen, "unknown option '-%c' (see --help)", optopt);
            else
                snprintf(err, errlen, "unknown option '%s' (see --help)", argv[optind - 1]);
            return -1;
        }
    }
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
    if (o->listen || o->textfile || o->expo)
        o->mode = MT_RUN_BATCH;     /* headless: never the terminal UI */
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s' (see --help)", argv[optind]);
        return -1;
    }
    return 0;
}
